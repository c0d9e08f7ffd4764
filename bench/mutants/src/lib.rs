//! The domain rules of crates/app, compiled on their own for mutation testing (src/domain is a
//! symbolic link to crates/app/src/domain).
pub mod domain;

//! Pure rules and types: no SQL, no HTTP. Untrusted input becomes these types at the edge.
pub mod audit_chain;
pub mod booking;
pub mod capacity;
pub mod catalog;
pub mod clearance;
pub mod decision;
pub mod directory;
pub mod eligibility;
pub mod email;
pub mod error_code;
pub mod inquiry;
pub mod notice;
pub mod period;
pub mod placement;
pub mod planning;
pub mod policy;
pub mod records;
pub mod requirements;
pub mod risk;
pub mod role;
pub mod scope;
pub mod search;
pub mod validation;

pub use email::Email;
pub use error_code::ErrorCode;
pub use role::Role;
pub use validation::{FieldError, Problems};

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod input;
pub mod middleware;
pub mod pages;
pub mod upload;

//! Practicum: clinical rotations and internships for a hospital's education office.
pub mod backup;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod files;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod net;
pub mod password;
pub mod seed;
pub mod service;
pub mod sso;
pub mod startup;
pub mod state;

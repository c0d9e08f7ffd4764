//! Practicum's term allocator (ALLOCATION.md).
//!
//! - [`problem`]: the `practicum-allocation/1` format, parsed and validated.
//! - [`check`]: the independent checker. It shares no code with the solver beyond the
//!   format types, so a solver bug cannot hide behind a checker bug.
//! - [`solve`]: the solver and its proven upper bound.
//!
//! Pure: no I/O, no async, no globals. The caller passes time limits and a clock.
pub mod problem;

pub use problem::{
    Assignment, Department, Fixed, Kind, Preceptor, Problem, Request, RequestOption, Solution,
};
pub mod solve;

pub use solve::{Limits, Progress, solve};

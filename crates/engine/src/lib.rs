//! Practicum's term allocator (ALLOCATION.md).
//!
//! - [`problem`]: the `practicum-allocation/1` format, parsed and validated.
//! - [`check`]: the independent checker. It shares no code with the solver beyond the
//!   format types, so a solver bug cannot hide behind a checker bug.
//! - [`solve`]: the solver and its proven upper bound.
//!
//! Pure: no I/O, no async, no globals. The caller passes the limits.
pub mod check;
pub mod problem;
pub mod solve;

pub use check::{Violation, check, objective};
pub use problem::{
    Assignment, Department, Fixed, Kind, Preceptor, Problem, ProblemError, Request, RequestOption,
    Solution, parse_problem, parse_solution,
};
pub use solve::{
    Limits, Progress, relaxation_bound, relaxation_bound_splitting, relaxation_trace, solve,
};

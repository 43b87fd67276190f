//! Pure domain logic: no I/O, tested hardest. Compiled for server and browser, except the
//! matchmaking solvers (scoring, rounds, slots), which only the server runs.

pub mod actor;
pub mod actor_input;
pub mod case_study;
pub mod coded;
pub mod cookie;
pub mod date;
pub mod event;
pub mod graph;
pub mod hex;
pub mod ical;
pub mod import;
pub mod live;
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod matching;
pub mod meeting;
#[cfg(feature = "ssr")]
pub mod net;
pub mod network;
pub mod proposal;
pub mod role;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod scoring;
pub mod screen;
#[cfg(feature = "ssr")]
pub mod signed;
pub mod slug;
#[cfg(feature = "ssr")]
pub mod spreadsheet;
pub mod tables;
pub mod throttle;
pub mod validation;

//! Pure domain logic: no I/O, compiled for server and browser, tested hardest.

pub mod actor;
pub mod actor_input;
pub mod cookie;
pub mod event;
pub mod graph;
pub mod import;
pub mod network;
pub mod role;
pub mod slug;
pub mod throttle;
pub mod validation;

//! Pure domain logic: no I/O, compiled for server and browser, tested hardest.

pub mod actor;
pub mod cookie;
pub mod event;
pub mod role;
pub mod slug;
pub mod throttle;
pub mod validation;

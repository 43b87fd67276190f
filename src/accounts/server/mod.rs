//! The accounts' server side: passwords at the bottom, sessions and accounts above them.

pub mod accounts;
pub mod passwords;
pub mod sessions;

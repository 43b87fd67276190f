//! Accounts and roles: sign-in, sessions, invitations, the admin page, and a person's own data.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use crate::domain::role::Role;
use serde::{Deserialize, Serialize};

/// One line of the admin's account list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// `false` while the invitation has not been accepted.
    pub active: bool,
    /// The admin looking at the list; their own role is not changed here.
    pub is_you: bool,
    /// The organisation on the map this account speaks for (approves its case studies): slug.
    pub organisation: Option<String>,
}

/// A freshly created account and the link that activates it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub account_id: i64,
    pub link: String,
}

//! The one shared guard: who may call which server function.
//!
//! Every server function has exactly one entry in the policy table: each journey lists its own
//! rows next to its functions (`POLICIES` in its `api.rs`) and `server::state` joins them. The
//! HTTP handler for server functions refuses any call the policy does not allow *before* its
//! arguments are read, and every function body starts with [`authorize`], which checks the same
//! entry (server-side rendering calls functions directly, without HTTP) and is the only way to
//! reach the database. A function without an entry is refused for everyone, and the test suite
//! fails on it.

use crate::domain::role::Role;
use serde::{Deserialize, Serialize};

/// The signed-in person, as the pages and the guard see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Signed in with one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Access::Public, _) => true,
            (Access::SignedIn, role) => role.is_some(),
            (Access::Roles(roles), Some(role)) => roles.contains(&role),
            (Access::Roles(_), None) => false,
        }
    }
}

/// Whether a call changes state; changing calls must be POST and pass the cross-site check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Read,
    Write,
}

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub path: &'static str,
    pub access: Access,
    pub effect: Effect,
}

pub const ADMIN: Access = Access::Roles(&[Role::Admin]);
/// Partners and admins look after the map's data.
pub const EDITORS: Access = Access::Roles(&[Role::Partner, Role::Admin]);
/// Organisers and admins run events.
pub const ORGANIZERS: Access = Access::Roles(&[Role::Organizer, Role::Admin]);

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::db::Db;
    use crate::error::AppError;
    use crate::state::AppState;
    use leptos::prelude::use_context;
    use leptos::server_fn::ServerFn;

    /// The row of the policy table for server function `F`.
    pub const fn policy<F: ServerFn>(access: Access, effect: Effect) -> Policy {
        Policy {
            path: F::PATH,
            access,
            effect,
        }
    }

    /// Who is calling, resolved once per request by a middleware from the session cookie.
    #[derive(Clone, Debug, Default)]
    pub struct Caller {
        pub viewer: Option<Viewer>,
        /// Hash of the session token, to end exactly this session on logout.
        pub session_hash: Option<String>,
        /// The client address, for login throttling.
        pub ip: String,
    }

    impl Caller {
        /// The caller a middleware stored in the request; anonymous when there is none.
        pub fn of(request: &axum::extract::Request) -> Caller {
            request
                .extensions()
                .get::<Caller>()
                .cloned()
                .unwrap_or_default()
        }

        pub fn role(&self) -> Option<Role> {
            self.viewer.as_ref().map(|v| v.role)
        }

        /// The refusal for a caller the policy does not allow.
        pub fn refusal(&self) -> AppError {
            if self.viewer.is_some() {
                AppError::Forbidden
            } else {
                AppError::Unauthenticated
            }
        }
    }

    /// What an authorized server function works with.
    pub struct Authorized {
        pub state: AppState,
        pub caller: Caller,
    }

    impl Authorized {
        pub fn db(&self) -> &Db {
            &self.state.db
        }

        pub fn viewer(&self) -> Result<&Viewer, AppError> {
            self.caller.viewer.as_ref().ok_or(AppError::Unauthenticated)
        }
    }

    /// Checks the caller against `F`'s policy; the first line of every server function.
    pub async fn authorize<F: ServerFn>() -> Result<Authorized, AppError> {
        let state = use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })?;
        let Some(policy) = state.policy_for(F::PATH).copied() else {
            tracing::error!(path = F::PATH, "server function without a policy refused");
            return Err(AppError::Forbidden);
        };
        let caller = use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Caller>().cloned())
            .unwrap_or_default();
        if !policy.access.allows(caller.role()) {
            return Err(caller.refusal());
        }
        Ok(Authorized { state, caller })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_matrix() {
        let everyone = [
            None,
            Some(Role::Participant),
            Some(Role::Partner),
            Some(Role::Organizer),
            Some(Role::Admin),
        ];
        assert!(everyone.iter().all(|&r| Access::Public.allows(r)));
        assert!(!Access::SignedIn.allows(None));
        assert!(everyone[1..].iter().all(|&r| Access::SignedIn.allows(r)));
        assert_eq!(
            everyone.map(|r| ADMIN.allows(r)),
            [false, false, false, false, true]
        );
    }
}

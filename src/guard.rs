//! The one shared guard: who may call which server function.
//!
//! Every server function has exactly one entry in [`POLICIES`]. The HTTP handler for server
//! functions refuses any call the policy does not allow *before* its arguments are read, and every
//! function body starts with [`authorize`], which checks the same entry (server-side rendering calls
//! functions directly, without HTTP) and is the only way to reach the database. A function without
//! an entry is refused for everyone, and the test suite fails on it.

use crate::domain::role::Role;

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
    use crate::accounts::api::*;
    use crate::accounts::Viewer;
    use crate::cases::api::*;
    use crate::db::Db;
    use crate::error::AppError;
    use crate::events::api::*;
    use crate::map::api::*;
    use crate::server::AppState;
    use leptos::prelude::use_context;
    use leptos::server_fn::ServerFn;

    const fn policy<F: ServerFn>(access: Access, effect: Effect) -> Policy {
        Policy {
            path: F::PATH,
            access,
            effect,
        }
    }

    pub static POLICIES: &[Policy] = &[
        policy::<Login>(Access::Public, Effect::Write),
        policy::<Logout>(Access::Public, Effect::Write),
        policy::<CurrentViewer>(Access::Public, Effect::Read),
        policy::<AcceptInvite>(Access::Public, Effect::Write),
        policy::<ExportMyData>(Access::SignedIn, Effect::Read),
        policy::<DeleteMyAccount>(Access::SignedIn, Effect::Write),
        policy::<ListAccounts>(ADMIN, Effect::Read),
        policy::<CreateAccount>(ADMIN, Effect::Write),
        policy::<ChangeRole>(ADMIN, Effect::Write),
        policy::<SiteStats>(Access::Public, Effect::Read),
        policy::<ActorProfile>(Access::Public, Effect::Read),
        policy::<MapViewFn>(Access::Public, Effect::Read),
        policy::<MapOptionsFn>(Access::Public, Effect::Read),
        policy::<MapDataFn>(Access::Public, Effect::Read),
        policy::<NetworkDataFn>(Access::Public, Effect::Read),
        policy::<NetworkReportFn>(Access::Public, Effect::Read),
        policy::<ImportCsv>(EDITORS, Effect::Write),
        policy::<ImportProgressFn>(EDITORS, Effect::Read),
        policy::<ActorEditorFn>(EDITORS, Effect::Read),
        policy::<SaveActor>(EDITORS, Effect::Write),
        policy::<DeleteActor>(EDITORS, Effect::Write),
        policy::<SaveConnection>(EDITORS, Effect::Write),
        policy::<DeleteConnection>(EDITORS, Effect::Write),
        policy::<ProposeChange>(Access::Public, Effect::Write),
        policy::<OpenProposals>(EDITORS, Effect::Read),
        policy::<DecideProposal>(EDITORS, Effect::Write),
        policy::<SaveTerm>(EDITORS, Effect::Write),
        policy::<ListEvents>(Access::Public, Effect::Read),
        policy::<EventDetailFn>(Access::Public, Effect::Read),
        policy::<EventEditorFn>(ORGANIZERS, Effect::Read),
        policy::<SaveEvent>(ORGANIZERS, Effect::Write),
        policy::<ChangeEventStatus>(ORGANIZERS, Effect::Write),
        policy::<Register>(Access::Public, Effect::Write),
        policy::<RegisterAtDoor>(ORGANIZERS, Effect::Write),
        policy::<MyRegistrationFn>(Access::Public, Effect::Read),
        policy::<CancelRegistration>(Access::Public, Effect::Write),
        policy::<RenewMyLink>(Access::Public, Effect::Write),
        policy::<CheckInDesk>(ORGANIZERS, Effect::Read),
        policy::<CheckIn>(ORGANIZERS, Effect::Write),
        policy::<CheckInByLink>(ORGANIZERS, Effect::Write),
        policy::<DeleteRegistration>(ORGANIZERS, Effect::Write),
        policy::<RegistrantsFn>(Access::Public, Effect::Read),
        policy::<SetWish>(Access::Public, Effect::Write),
        policy::<PlanRound>(ORGANIZERS, Effect::Write),
        policy::<ControlRound>(ORGANIZERS, Effect::Write),
        policy::<SwapSeats>(ORGANIZERS, Effect::Write),
        policy::<SeatLatecomers>(ORGANIZERS, Effect::Write),
        policy::<ScreenFn>(ORGANIZERS, Effect::Read),
        policy::<GiveFeedback>(Access::Public, Effect::Write),
        policy::<ReportFn>(ORGANIZERS, Effect::Read),
        policy::<ConfirmFollowUp>(ORGANIZERS, Effect::Write),
        policy::<RequestMeeting>(Access::Public, Effect::Write),
        policy::<AnswerRequest>(Access::Public, Effect::Write),
        policy::<ScheduleAll>(ORGANIZERS, Effect::Write),
        policy::<ConsoleFn>(ORGANIZERS, Effect::Read),
        policy::<ListCaseStudies>(Access::Public, Effect::Read),
        policy::<CaseStudyFn>(Access::Public, Effect::Read),
        policy::<Workspace>(EDITORS, Effect::Read),
        policy::<PartnerOptionsFn>(EDITORS, Effect::Read),
        policy::<CreateCaseStudy>(EDITORS, Effect::Write),
        policy::<CaseEditorFn>(EDITORS, Effect::Read),
        policy::<SaveCaseStudy>(EDITORS, Effect::Write),
        policy::<AutosaveDraft>(EDITORS, Effect::Write),
        policy::<DiscardDraft>(EDITORS, Effect::Write),
        policy::<CompareRevisions>(EDITORS, Effect::Read),
        policy::<RestoreRevision>(EDITORS, Effect::Write),
        policy::<TakeCaseStep>(EDITORS, Effect::Write),
        policy::<CreateApprovalLinks>(ADMIN, Effect::Write),
        policy::<ApprovalRequestFn>(Access::Public, Effect::Read),
        policy::<DecideApproval>(Access::Public, Effect::Write),
        policy::<NotificationsFn>(Access::SignedIn, Effect::Read),
        policy::<MarkNotificationsRead>(Access::SignedIn, Effect::Write),
        policy::<PlaybookFn>(Access::Public, Effect::Read),
        policy::<PlaybookEditorFn>(EDITORS, Effect::Read),
        policy::<SavePlaybook>(EDITORS, Effect::Write),
        policy::<SetAccountOrganisation>(ADMIN, Effect::Write),
    ];

    pub fn policy_for(path: &str) -> Option<&'static Policy> {
        POLICIES.iter().find(|policy| policy.path == path)
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
        let Some(policy) = policy_for(F::PATH) else {
            tracing::error!(path = F::PATH, "server function without a policy refused");
            return Err(AppError::Forbidden);
        };
        let state = use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })?;
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

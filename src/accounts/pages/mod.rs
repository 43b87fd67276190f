//! The accounts' pages, and the session every page reads.

pub mod account;
pub mod admin;
pub mod login;

use crate::accounts::api::{current_viewer, AcceptInvite, DeleteMyAccount, Login, Logout};
use crate::ui::SessionContext;
use leptos::prelude::*;

/// The actions that change who is signed in.
///
/// They live above the routes, not on the pages that show their forms: a successful login or
/// logout navigates away and unmounts its page, while the viewer must be refetched all the same.
#[derive(Clone, Copy)]
pub struct SessionActions {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub accept_invite: ServerAction<AcceptInvite>,
    pub delete_account: ServerAction<DeleteMyAccount>,
}

fn use_session_actions() -> SessionActions {
    expect_context::<SessionActions>()
}

/// Provides the session ([`SessionContext`]) and [`SessionActions`] to `children`. Must run
/// inside the `<Router>`, whose context hands errors of posts without JavaScript to the actions.
#[component]
pub fn Session(children: Children) -> impl IntoView {
    let actions = SessionActions {
        login: ServerAction::new(),
        logout: ServerAction::new(),
        accept_invite: ServerAction::new(),
        delete_account: ServerAction::new(),
    };
    let viewer = Resource::new(
        move || {
            (
                actions.login.version().get(),
                actions.logout.version().get(),
                actions.accept_invite.version().get(),
                actions.delete_account.version().get(),
            )
        },
        |_| current_viewer(),
    );
    provide_context(SessionContext { viewer });
    provide_context(actions);
    children()
}

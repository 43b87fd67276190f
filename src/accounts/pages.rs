//! `/anmelden`, `/konto`, `/admin`, `/einladung/:token`.

use super::api::{
    current_viewer, list_accounts, AcceptInvite, ChangeRole, CreateAccount, DeleteMyAccount, Login,
    Logout, SetAccountOrganisation,
};
use super::AccountRow;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::guard::Viewer;
use crate::i18n::{t, use_locale, Msg};
use crate::map::api::actor_options;
use crate::ui::ActorDatalist;
use crate::ui::{
    action_error, use_session, ErrorNotice, Field, FormError, Loaded, PageMeta, SessionContext,
};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

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

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = use_session_actions().login;
    let error = action_error(login);
    let query = use_query_map();
    let next = move || query.read().get("weiter");
    view! {
        <Title text=t(Msg::LoginTitle)/>
        <PageMeta description=t(Msg::LoginLead) path="/anmelden"/>
        <div class="narrow">
            <h1>{t(Msg::LoginTitle)}</h1>
            <p class="lead">{t(Msg::LoginLead)}</p>
            <FormError error fields=&["email", "password"]/>
            <ActionForm action=login attr:class="form">
                <Field label=Msg::LabelEmail name="email" kind="email" autocomplete="username" error/>
                <Field label=Msg::LabelPassword name="password" kind="password" autocomplete="current-password" error/>
                {move || next().map(|next| view! { <input type="hidden" name="next" value=next/> })}
                <button type="submit" class="button">{t(Msg::LoginSubmit)}</button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    view! {
        <Title text=t(Msg::AccountTitle)/>
        <h1>{t(Msg::AccountTitle)}</h1>
        {move || query.read().get("konto").is_some_and(|v| v == "geloescht").then(|| view! {
            <div class="notice" role="status"><p>{t(Msg::AccountDeleted)}</p></div>
        })}
        <Transition fallback=|| view! { <p class="loading">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match session.viewer.await {
                    Ok(Some(viewer)) => Either::Left(view! { <AccountDetails viewer/> }),
                    Ok(None) => Either::Right(view! { <ErrorNotice error=AppError::Unauthenticated/> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn AccountDetails(viewer: Viewer) -> impl IntoView {
    let actions = use_session_actions();
    let (logout, delete) = (actions.logout, actions.delete_account);
    let delete_error = action_error(delete);
    view! {
        <dl class="facts">
            <div><dt>{t(Msg::LabelName)}</dt><dd>{viewer.display_name.clone()}</dd></div>
            <div><dt>{t(Msg::LabelEmail)}</dt><dd>{viewer.email.clone()}</dd></div>
            <div><dt>{t(Msg::LabelRole)}</dt><dd>{t(viewer.role.label())}</dd></div>
        </dl>
        <ActionForm action=logout attr:class="inline-form">
            <button type="submit" class="button">{t(Msg::Logout)}</button>
        </ActionForm>
        <section aria-labelledby="ihre-daten" class="section">
            <h2 id="ihre-daten">{t(Msg::AccountPrivacy)}</h2>
            <p><a href="/api/konto/export" rel="external" download="tandem-meine-daten.json">{t(Msg::AccountExport)}</a></p>
            <h3>{t(Msg::AccountDelete)}</h3>
            <p>{t(Msg::AccountDeleteText)}</p>
            <FormError error=delete_error fields=&["password"]/>
            <ActionForm action=delete attr:class="form">
                <Field label=Msg::LabelPassword name="password" kind="password" autocomplete="current-password" error=delete_error/>
                <button type="submit" class="button button--danger">{t(Msg::AccountDeleteConfirm)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let create = ServerAction::<CreateAccount>::new();
    let change = ServerAction::<ChangeRole>::new();
    let organisation = ServerAction::<SetAccountOrganisation>::new();
    let accounts = Resource::new(
        move || {
            (
                create.version().get(),
                change.version().get(),
                organisation.version().get(),
            )
        },
        |_| list_accounts(),
    );
    let actors = Resource::new(|| (), |_| actor_options());
    view! {
        <Title text=t(Msg::AdminTitle)/>
        <h1>{t(Msg::AdminTitle)}</h1>
        <Loaded resource=accounts ready={move |accounts: Vec<AccountRow>| view! {
            <CreateAccountForm create/>
            <AccountTable accounts change organisation/>
            <Loaded resource=actors ready={|actors| view! { <ActorDatalist actors/> }}/>
        }}/>
    }
}

#[component]
fn CreateAccountForm(create: ServerAction<CreateAccount>) -> impl IntoView {
    let error = action_error(create);
    let invitation = move || create.value().get().and_then(Result::ok);
    view! {
        <section aria-labelledby="konto-anlegen" class="section">
            <h2 id="konto-anlegen">{t(Msg::AdminCreate)}</h2>
            <FormError error fields=&["display_name", "email"]/>
            {move || invitation().map(|invitation| view! {
                <div class="notice" role="status">
                    <p>{t(Msg::AdminInviteLink)}</p>
                    <p><code class="invite-link">{invitation.link}</code></p>
                </div>
            })}
            <ActionForm action=create attr:class="form form--row">
                <Field label=Msg::LabelName name="display_name" autocomplete="off" error/>
                <Field label=Msg::LabelEmail name="email" kind="email" autocomplete="off" error/>
                <div class="field">
                    <label for="feld-role">{t(Msg::LabelRole)}</label>
                    <RoleSelect id="feld-role".into() selected=Role::Participant/>
                </div>
                <button type="submit" class="button">{t(Msg::AdminCreateSubmit)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn RoleSelect(id: String, selected: Role) -> impl IntoView {
    let locale = use_locale();
    view! {
        <select id=id name="role">
            {Role::ALL.into_iter().map(|role| view! {
                <option value=role.code() selected=role == selected>{role.label().text(locale)}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn AccountTable(
    accounts: Vec<AccountRow>,
    change: ServerAction<ChangeRole>,
    organisation: ServerAction<SetAccountOrganisation>,
) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(change);
    let organisation_error = action_error(organisation);
    let saved = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <section aria-labelledby="konten" class="section">
            <h2 id="konten">{t(Msg::AdminAccounts)}</h2>
            <FormError error/>
            <FormError error=organisation_error/>
            {move || saved().then(|| view! { <div class="notice" role="status"><p>{t(Msg::AdminRoleSaved)}</p></div> })}
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::ColName)}</th>
                        <th scope="col">{t(Msg::ColEmail)}</th>
                        <th scope="col">{t(Msg::ColStatus)}</th>
                        <th scope="col">{t(Msg::ColRole)}</th>
                        <th scope="col">{t(Msg::ColOrganisation)}</th>
                    </tr>
                </thead>
                <tbody>
                    {accounts.into_iter().map(|account| {
                        let select_id = format!("rolle-{}", account.id);
                        let label = format!("{} {}", Msg::AdminRoleFor.text(locale), account.display_name);
                        view! {
                            <tr>
                                <td>{account.display_name.clone()}</td>
                                <td>{account.email.clone()}</td>
                                <td>{if account.active { t(Msg::StatusActive) } else { t(Msg::StatusInvited) }}</td>
                                <td>
                                    {if account.is_you {
                                        Either::Left(t(account.role.label()))
                                    } else {
                                        Either::Right(view! {
                                            <ActionForm action=change attr:class="inline-form">
                                                <input type="hidden" name="account_id" value=account.id/>
                                                <label for=select_id.clone() class="visually-hidden">{label.clone()}</label>
                                                <RoleSelect id=select_id.clone() selected=account.role/>
                                                <button type="submit" class="button button--small">{t(Msg::AdminRoleSave)}</button>
                                            </ActionForm>
                                        })
                                    }}
                                </td>
                                <td>
                                    <ActionForm action=organisation attr:class="inline-form">
                                        <input type="hidden" name="account_id" value=account.id/>
                                        <label for=format!("organisation-{}", account.id) class="visually-hidden">
                                            {format!("{} {}", Msg::AdminOrganisationFor.text(locale), account.display_name)}
                                        </label>
                                        <input id=format!("organisation-{}", account.id) name="organisation" list="akteure-liste"
                                            value=account.organisation.clone().unwrap_or_default() autocomplete="off"/>
                                        <button type="submit" class="button button--small">{t(Msg::AdminOrganisationSave)}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
pub fn InvitePage() -> impl IntoView {
    let accept = use_session_actions().accept_invite;
    let error = action_error(accept);
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    view! {
        <Title text=t(Msg::InviteTitle)/>
        <PageMeta description=t(Msg::InviteLead)/>
        <div class="narrow">
            <h1>{t(Msg::InviteTitle)}</h1>
            <p class="lead">{t(Msg::InviteLead)}</p>
            <FormError error fields=&["password"]/>
            <ActionForm action=accept attr:class="form">
                <input type="hidden" name="token" value=token/>
                <Field label=Msg::LabelNewPassword name="password" kind="password" autocomplete="new-password" error/>
                <button type="submit" class="button">{t(Msg::InviteSubmit)}</button>
            </ActionForm>
        </div>
    }
}

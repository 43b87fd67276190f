//! `/admin`: accounts, invitations, roles and organisations.

use crate::accounts::api::{list_accounts, ChangeRole, CreateAccount, SetAccountOrganisation};
use crate::accounts::AccountRow;
use crate::domain::role::Role;
use crate::i18n::{t, use_locale, Msg};
use crate::map::api::actor_options;
use crate::ui::ActorDatalist;
use crate::ui::{action_error, Field, FormError, Loaded};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

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
pub(super) fn CreateAccountForm(create: ServerAction<CreateAccount>) -> impl IntoView {
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
pub(super) fn RoleSelect(id: String, selected: Role) -> impl IntoView {
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
pub(super) fn AccountTable(
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

//! `/anmelden` and `/einladung/:token`: signing in, and setting the first password.

use super::use_session_actions;
use crate::i18n::{t, Msg};
use crate::ui::{action_error, Field, FormError, PageMeta};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

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

//! `/konto`: the signed-in person's account, their data and its deletion.

use super::use_session_actions;
use crate::error::AppError;
use crate::guard::Viewer;
use crate::i18n::{t, Msg};
use crate::ui::{action_error, use_session, ErrorNotice, Field, FormError};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

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
pub(super) fn AccountDetails(viewer: Viewer) -> impl IntoView {
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

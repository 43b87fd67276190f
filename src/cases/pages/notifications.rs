//! `/mitteilungen`: what the workflow told the signed-in person.

use super::step_label;
use crate::cases::api::{notifications, MarkNotificationsRead};
use crate::cases::{format_time, Notification};
use crate::guard::{Access, EDITORS};
use crate::i18n::{t, use_locale, Msg};
use crate::ui::use_allows;
use crate::ui::{Loaded, Restricted};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// `/mitteilungen`: the workflow steps that concern the signed-in person.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::NotificationsTitle)/>
        <h1>{t(Msg::NotificationsTitle)}</h1>
        <Restricted access=Access::SignedIn>
            <NotificationList/>
        </Restricted>
    }
}

#[component]
pub(super) fn NotificationList() -> impl IntoView {
    let locale = use_locale();
    let editor = use_allows(EDITORS);
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let list = Resource::new(move || mark.version().get(), |_| notifications());
    view! {
        <Loaded resource=list ready={move |list: Vec<Notification>| {
            if list.is_empty() {
                return view! { <p>{t(Msg::NotificationsEmpty)}</p> }.into_any();
            }
            let editor = editor.get_untracked();
            let unread = list.iter().any(|n| !n.read);
            view! {
                {unread.then(|| view! {
                    <ActionForm action=mark>
                        <button type="submit" class="button button--small">{t(Msg::NotificationsMarkRead)}</button>
                    </ActionForm>
                })}
                <ul class="plain-list notifications">
                    {list.into_iter().map(|n| {
                        // Editors open the editor; partners' other accounts the approval page or the story.
                        let href = n.slug.as_ref().map(|slug| match n.step.as_str() {
                            _ if editor => format!("/fallstudien/{slug}/bearbeiten"),
                            "requestapproval" => format!("/fallstudien/{slug}/freigabe"),
                            _ => format!("/fallstudien/{slug}"),
                        });
                        view! {
                            <li class:unread=!n.read>
                                {(!n.read).then(|| view! { <span class="badge">{t(Msg::NotificationsNew)}</span> " " })}
                                <strong>{n.who}</strong> " " {step_label(&n.step).text(locale)} ": "
                                {match (href, n.title) {
                                    (Some(href), Some(title)) => view! { <A href=href>{title}</A> }.into_any(),
                                    _ => view! { <span>"–"</span> }.into_any(),
                                }}
                                {(!n.comment.is_empty()).then(|| view! { <blockquote class="comment">{n.comment}</blockquote> })}
                                <span class="muted">" " {format_time(n.at)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}/>
    }
}

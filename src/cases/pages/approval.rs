//! `/fallstudien/:slug/freigabe` and `/fallstudien/freigabe/:token`: a partner organisation
//! approves a story or asks for changes.

use crate::cases::api::{approval_request, DecideApproval};
use crate::cases::ApprovalRequest;
use crate::domain::case_study::COMMENT_MAX;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::{action_error, char_count, CharCount, FieldError, FormError, Loaded, PageMeta};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Who decides: the holder of a personal link, or the signed-in account of a partner organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApprovalKey {
    Link(String),
    Story(String),
}

/// Approve for an organisation, or ask for changes with a comment.
#[component]
pub(super) fn DecisionForms(
    decide: ServerAction<DecideApproval>,
    key: ApprovalKey,
    organisation: String,
) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(decide);
    let (name, value) = match key {
        ApprovalKey::Link(token) => ("token", token),
        ApprovalKey::Story(slug) => ("slug", slug),
    };
    let second = value.clone();
    let (comment_count, comment_input) = char_count("");
    view! {
        <FormError error fields=&["comment"]/>
        <ActionForm action=decide attr:class="form">
            <input type="hidden" name=name value=value/>
            <input type="hidden" name="decision" value="freigeben"/>
            <button type="submit" class="button">{Msg::CaseApproveFor.text(locale).replace("{org}", &organisation)}</button>
        </ActionForm>
        <ActionForm action=decide attr:class="form">
            <input type="hidden" name=name value=second/>
            <input type="hidden" name="decision" value="aendern"/>
            <div class="field">
                <label for="kommentar-freigabe">{t(Msg::CaseChangesWanted)}</label>
                <textarea id="kommentar-freigabe" name="comment" rows="3" required maxlength=COMMENT_MAX on:input=comment_input></textarea>
                <CharCount count=comment_count max=COMMENT_MAX/>
                <FieldError error field="comment"/>
            </div>
            <button type="submit" class="button button--secondary">{t(Msg::CaseRequestChanges)}</button>
        </ActionForm>
    }
}

/// `/fallstudien/freigabe/:token` (a personal link) and `/fallstudien/:slug/freigabe` (the
/// signed-in account of a partner organisation): read the story, approve it or ask for changes.
#[component]
pub fn ApprovalPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let key = move || {
        let params = params.read();
        match (params.get("token"), params.get("slug")) {
            (Some(token), _) => ApprovalKey::Link(token),
            (None, slug) => ApprovalKey::Story(slug.unwrap_or_default()),
        }
    };
    let decide = ServerAction::<DecideApproval>::new();
    let request = Resource::new(key, |key| match key {
        ApprovalKey::Link(token) => approval_request(Some(token), None),
        ApprovalKey::Story(slug) => approval_request(None, Some(slug)),
    });
    let decided = move || matches!(decide.value().get(), Some(Ok(())));
    view! {
        <Title text=t(Msg::ApprovalTitle)/>
        <PageMeta description=t(Msg::ApprovalTitle)/>
        // The personal link's token is in the address: no request from this page may carry it on.
        <Meta name="referrer" content="no-referrer"/>
        <h1>{t(Msg::ApprovalTitle)}</h1>
        <Loaded resource=request ready={move |request: ApprovalRequest| {
            let partner = StoredValue::new(request.partner.clone());
            view! {
                <p class="lead">{Msg::ApprovalLead.text(locale).replace("{org}", &request.partner)}</p>
                {move || decided().then(|| view! { <div class="notice" role="status"><p>{t(Msg::ApprovalThanks)}</p></div> })}
                {(request.already_approved).then(|| view! { <div class="notice" role="status"><p>{t(Msg::ApprovalAlready)}</p></div> })}
                <article class="case case--preview" inner_html=request.article.html.clone()></article>
                {(!request.already_approved).then(|| view! {
                    <Show when=move || !decided()>
                        <section class="workflow" aria-labelledby="entscheidung">
                            <h2 id="entscheidung">{t(Msg::ApprovalDecision)}</h2>
                            <DecisionForms decide key=key() organisation=partner.get_value()/>
                        </section>
                    </Show>
                })}
            }
        }}/>
    }
}

//! The editor's workflow panel: the story's status and the steps open to the person.

use super::approval::ApprovalKey;
use super::approval::DecisionForms;
use super::status_label;
use super::step_action;
use super::step_label;
use crate::cases::api::{CreateApprovalLinks, DecideApproval, TakeCaseStep};
use crate::cases::{format_time, CaseEditorData};
use crate::domain::case_study::COMMENT_MAX;
use crate::domain::case_study::{CaseStatus, CaseStep};
use crate::i18n::{t, use_locale, Msg};
use crate::ui::{action_error, char_count, CharCount, FieldError, FormError};
use leptos::prelude::*;

/// Where the story stands, what was said, and the steps open to the editor now. `changed` is
/// bumped after every step, so the page loads the new state.
#[component]
pub fn WorkflowPanel(
    data: CaseEditorData,
    changed: RwSignal<u32>,
    /// The stored version the page shows: the step is refused if another was saved since.
    saved_version: RwSignal<i64>,
    /// Steps wait while the editor holds changes that are not saved.
    unsaved: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let step = ServerAction::<TakeCaseStep>::new();
    let decide = ServerAction::<DecideApproval>::new();
    let links = ServerAction::<CreateApprovalLinks>::new();
    let step_error = action_error(step);
    let links_error = action_error(links);
    Effect::new(move |_| {
        let done = matches!(step.value().get(), Some(Ok(_)))
            || matches!(decide.value().get(), Some(Ok(())));
        if done {
            changed.update(|n| *n += 1);
        }
    });
    let status = data.status;
    let missing = data
        .approvals
        .iter()
        .filter(|a| a.approved_at.is_none())
        .count();
    let all_steps: Vec<CaseStep> = match status {
        CaseStatus::Draft => vec![CaseStep::Submit],
        CaseStatus::Review => vec![CaseStep::RequestApproval, CaseStep::SendBack],
        CaseStatus::Approval if missing == 0 => vec![CaseStep::Publish, CaseStep::SendBack],
        CaseStatus::Approval => vec![CaseStep::SendBack],
        CaseStatus::Published => vec![CaseStep::Withdraw],
        CaseStatus::Withdrawn => vec![CaseStep::Reopen],
    };
    // Authors submit; reviewers (admins) take every other step.
    let steps: Vec<CaseStep> = all_steps
        .into_iter()
        .filter(|step| data.can_review || *step == CaseStep::Submit)
        .collect();
    let slug = StoredValue::new(data.slug.clone());
    let stages = [
        CaseStatus::Draft,
        CaseStatus::Review,
        CaseStatus::Approval,
        CaseStatus::Published,
    ];
    view! {
        <section class="workflow" aria-labelledby="ablauf">
            <h2 id="ablauf">{t(Msg::CaseWorkflow)}</h2>
            <ol class="workflow__stages">
                {stages.into_iter().map(|stage| view! {
                    <li class:current=stage == status aria-current=(stage == status).then_some("step")>
                        {status_label(stage).text(locale)}
                    </li>
                }).collect_view()}
            </ol>
            {(status == CaseStatus::Withdrawn).then(|| view! { <p><span class="badge">{t(Msg::CaseStatusWithdrawn)}</span></p> })}
            {(status == CaseStatus::Published).then(|| view! {
                <p><a href=format!("/fallstudien/{}", data.slug)>{t(Msg::CaseOpenPublic)}</a></p>
            })}
            {(!data.review_comment.is_empty()).then(|| view! {
                <div class="notice" role="note">
                    <p>{t(Msg::CaseReviewComment)}</p>
                    <blockquote class="comment">{data.review_comment.clone()}</blockquote>
                </div>
            })}
            <FormError error=step_error fields=&["comment"]/>
            {move || unsaved.get().then(|| view! {
                <p id="ungespeichert" class="notice" role="status">{t(Msg::CaseSaveBeforeStep)}</p>
            })}
            <div class="workflow__steps">
                {steps.into_iter().map(|next| {
                    let with_comment = next == CaseStep::SendBack;
                    let id = format!("kommentar-{}", next.code());
                    view! {
                        <ActionForm action=step attr:class="form workflow__step">
                            <input type="hidden" name="slug" value=slug.get_value()/>
                            <input type="hidden" name="step" value=next.code()/>
                            <input type="hidden" name="version" value=move || saved_version.get()/>
                            {with_comment.then(|| {
                                let (count, on_input) = char_count("");
                                view! {
                                <div class="field">
                                    <label for=id.clone()>{t(Msg::CaseComment)}</label>
                                    <textarea id=id.clone() name="comment" rows="3" maxlength=COMMENT_MAX on:input=on_input></textarea>
                                    <CharCount count max=COMMENT_MAX/>
                                    <FieldError error=step_error field="comment"/>
                                </div>
                                }
                            })}
                            <button
                                type="submit"
                                class=if with_comment { "button button--secondary" } else { "button" }
                                disabled=move || unsaved.get()
                                aria-describedby=move || unsaved.get().then_some("ungespeichert")
                            >
                                {step_action(next).text(locale)}
                            </button>
                        </ActionForm>
                    }
                }).collect_view()}
            </div>
            {(status == CaseStatus::Approval).then(|| view! {
                <section aria-labelledby="freigaben">
                    <h3 id="freigaben">{t(Msg::CaseApprovals)}</h3>
                    <ul class="plain-list approvals">
                        {data.approvals.iter().map(|approval| view! {
                            <li>
                                <strong>{approval.actor_name.clone()}</strong> ": "
                                {match (&approval.approved_by, approval.approved_at) {
                                    (Some(by), Some(at)) => format!("✓ {} · {}", Msg::CaseApprovedBy.text(locale).replace("{who}", by), format_time(at)),
                                    _ => Msg::CaseApprovalPending.text(locale).to_owned(),
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                    {(missing > 0).then(|| view! { <p class="muted">{t(Msg::CasePublishAfterApprovals)}</p> })}
                    {data.my_pending_approval.clone().map(|organisation| view! {
                        <div class="workflow__mine">
                            <DecisionForms decide key=ApprovalKey::Story(slug.get_value()) organisation/>
                        </div>
                    })}
                    {data.can_review.then(|| view! {
                        <FormError error=links_error/>
                        <ActionForm action=links attr:class="form">
                            <input type="hidden" name="slug" value=slug.get_value()/>
                            <button type="submit" class="button button--secondary">{t(Msg::CaseCreateLinks)}</button>
                        </ActionForm>
                    })}
                    {move || links.value().get().and_then(Result::ok).map(|links| view! {
                        <div class="notice" role="status">
                            <p>{t(Msg::CaseLinksText)}</p>
                            <ul class="plain-list approval-links">
                                {links.into_iter().map(|link| view! {
                                    <li><strong>{link.actor_name}</strong> ": " <code class="invite-link">{link.url}</code></li>
                                }).collect_view()}
                            </ul>
                        </div>
                    })}
                </section>
            })}
            {(!data.log.is_empty()).then(|| view! {
                <details class="workflow__log">
                    <summary>{t(Msg::CaseHistory)}</summary>
                    <ol class="plain-list">
                        {data.log.iter().map(|entry| view! {
                            <li>
                                {format_time(entry.at)} " · " <strong>{entry.who.clone()}</strong> " " {step_label(&entry.step).text(locale)}
                                {(!entry.comment.is_empty()).then(|| view! { <blockquote class="comment">{entry.comment.clone()}</blockquote> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
        </section>
    }
}

//! `/fallstudien/:slug/versionen`: a story's revisions, compared field by field.

use super::field_label;
use crate::cases::api::{case_editor, compare_revisions, RestoreRevision};
use crate::cases::{format_time, CaseEditorData, FieldDiff, SaveOutcome};
use crate::domain::slug::Slug;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::{action_error, FormError, Loaded, Restricted};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Changed lines per field: removed, added, unchanged around them.
#[component]
pub fn DiffView(diff: Vec<FieldDiff>) -> impl IntoView {
    let locale = use_locale();
    if diff.is_empty() {
        return view! { <p>{t(Msg::CaseNoDifferences)}</p> }.into_any();
    }
    view! {
        <div class="diff">
            {diff.into_iter().map(|field| view! {
                <section class="diff__field">
                    <h4>{field_label(&field.field).text(locale)}</h4>
                    <ul class="diff__lines">
                        {field.lines.into_iter().map(|line| {
                            let (class, said) = match line.sign {
                                '-' => ("diff__removed", Msg::DiffRemoved.text(locale)),
                                '+' => ("diff__added", Msg::DiffAdded.text(locale)),
                                _ => ("diff__same", ""),
                            };
                            view! {
                                <li class=class>
                                    <span aria-hidden="true">{line.sign.to_string()}" "</span>
                                    {(!said.is_empty()).then(|| view! { <span class="visually-hidden">{said}": "</span> })}
                                    {line.text}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// `/fallstudien/:slug/versionen`: every revision with author and time; compare two, restore one.
#[component]
pub fn RevisionsPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::CaseRevisions)/>
        <Restricted access=EDITORS>
            <Revisions/>
        </Restricted>
    }
}

#[component]
pub(super) fn Revisions() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let restore = ServerAction::<RestoreRevision>::new();
    let error = action_error(restore);
    let data = Resource::new(
        move || (slug(), restore.version().get()),
        |(slug, _)| case_editor(Slug::from(slug)),
    );
    let pair = move || {
        let number = |key: &str| query.read().get(key).and_then(|v| v.parse::<i64>().ok());
        number("von").zip(number("bis"))
    };
    let comparison = Resource::new(
        move || (slug(), pair()),
        |(slug, pair)| async move {
            match pair {
                Some((from, to)) => compare_revisions(Slug::from(slug), from, to)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Loaded resource=data ready={move |data: CaseEditorData| {
            let editable = data.status.is_editable();
            let (from, to) = pair().unwrap_or_else(|| {
                let newest = data.revisions.first().map(|r| r.version).unwrap_or(1);
                ((newest - 1).max(1), newest)
            });
            let revisions = data.revisions.clone();
            let (slug, current) = (data.slug.clone(), data.version);
            let options = move |selected: i64| revisions.iter().map(|r| view! {
                <option value=r.version selected=r.version == selected>{format!("{} {} · {} · {}", Msg::CaseVersion.text(locale), r.version, r.author, format_time(r.at))}</option>
            }).collect_view();
            view! {
                <p class="breadcrumbs">
                    <A href=format!("/fallstudien/{}/bearbeiten", data.slug)>{t(Msg::CaseEditTitle)}</A>
                </p>
                <h1>{t(Msg::CaseRevisions)} ": " {data.content.title.clone()}</h1>
                <form method="get" class="form form--row" aria-label=t(Msg::CaseCompare)>
                    <div class="field">
                        <label for="von">{t(Msg::CaseCompareFrom)}</label>
                        <select id="von" name="von">{options(from)}</select>
                    </div>
                    <div class="field">
                        <label for="bis">{t(Msg::CaseCompareTo)}</label>
                        <select id="bis" name="bis">{options(to)}</select>
                    </div>
                    <button type="submit" class="button">{t(Msg::CaseCompare)}</button>
                </form>
                <Loaded resource=comparison ready={|diff: Option<Vec<FieldDiff>>| diff.map(|diff| view! { <DiffView diff/> })}/>
                <h2>{t(Msg::CaseHistory)}</h2>
                <FormError error/>
                {move || matches!(restore.value().get(), Some(Ok(SaveOutcome::Saved { .. }))).then(|| view! {
                    <div class="notice" role="status"><p>{t(Msg::CaseRestored)}</p></div>
                })}
                {move || matches!(restore.value().get(), Some(Ok(SaveOutcome::Conflict { .. }))).then(|| view! {
                    <div class="notice notice--error" role="alert"><p>{t(Msg::ProbEditedMeanwhile)}</p></div>
                })}
                <ol class="plain-list revisions">
                    {data.revisions.into_iter().map(move |revision| { let slug = slug.clone(); view! {
                        <li>
                            <strong>{format!("{} {}", Msg::CaseVersion.text(locale), revision.version)}</strong>
                            " · " {revision.author.clone()} " · " {format_time(revision.at)}
                            {(editable && revision.version != current).then(|| view! {
                                <ActionForm action=restore attr:class="inline-form">
                                    <input type="hidden" name="slug" value=slug.clone()/>
                                    <input type="hidden" name="version" value=revision.version/>
                                    <input type="hidden" name="base_version" value=current/>
                                    <button type="submit" class="button button--small">
                                        {t(Msg::CaseRestore)}
                                        <span class="visually-hidden">{format!(" {} {}", Msg::CaseVersion.text(locale), revision.version)}</span>
                                    </button>
                                </ActionForm>
                            })}
                        </li>
                    }}).collect_view()}
                </ol>
            }
        }}/>
    }
}

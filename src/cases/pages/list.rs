//! `/fallstudien`: published stories with filters, and the editors' work in progress.

use super::status_label;
use crate::cases::api::{list_case_studies, workspace};
use crate::cases::image_url;
use crate::cases::{format_time, CaseFilter, CaseList};
use crate::domain::actor::ActorKind;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Msg};
use crate::ui::Allowed;
use crate::ui::{Loaded, PageMeta};
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CaseStudiesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            let pairs: Vec<(String, String)> = ["region", "thema", "art", "q"]
                .into_iter()
                .filter_map(|key| q.get(key).map(|value| (key.to_owned(), value)))
                .collect();
            CaseFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    };
    let studies = Resource::new(filter, list_case_studies);
    view! {
        <Title text=t(Msg::CasesTitle)/>
        <PageMeta description=t(Msg::CasesLead) path="/fallstudien"/>
        <Link rel="alternate" type_="application/atom+xml" href="/fallstudien/feed.xml" title=t(Msg::CasesFeed)/>
        <div class="page-head">
            <h1>{t(Msg::CasesTitle)}</h1>
            <p class="page-head__actions">
                <a href="/playbook">{t(Msg::PlaybookTitle)}</a>
                " · "
                <a href="/fallstudien/feed.xml" rel="external">{t(Msg::CasesFeed)}</a>
            </p>
        </div>
        <p class="lead">{t(Msg::CasesLead)}</p>
        <Allowed access=EDITORS>
            <WorkInProgress/>
        </Allowed>
        <Loaded resource=studies ready={move |list: CaseList| {
            let current = filter();
            view! {
                <form method="get" action="/fallstudien" class="filters" role="search" aria-label=t(Msg::CasesFilter)>
                    <div class="field">
                        <label for="filter-q">{t(Msg::CasesSearch)}</label>
                        <input id="filter-q" name="q" type="search" value=current.q.clone()/>
                    </div>
                    <div class="field">
                        <label for="filter-region">{t(Msg::CaseRegion)}</label>
                        <select id="filter-region" name="region">
                            <option value="">{t(Msg::FilterAll)}</option>
                            {list.regions.iter().map(|region| view! {
                                <option value=region.clone() selected=*region == current.region>{region.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-thema">{t(Msg::CaseTopics)}</label>
                        <select id="filter-thema" name="thema">
                            <option value="">{t(Msg::FilterAll)}</option>
                            {list.topics.iter().map(|term| view! {
                                <option value=term.slug.clone() selected=term.slug == current.topic>{term.label(locale)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-art">{t(Msg::CasesPartnerKind)}</label>
                        <select id="filter-art" name="art">
                            <option value="">{t(Msg::FilterAll)}</option>
                            {ActorKind::ALL.iter().map(|kind| view! {
                                <option value=kind.code() selected=kind.code() == current.kind>{kind.label().text(locale)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button">{t(Msg::CasesApply)}</button>
                </form>
                <p role="status" class="muted">
                    {Msg::CasesCount.text(locale).replace("{n}", &list.studies.len().to_string()).replace("{all}", &list.published.to_string())}
                </p>
                {if list.published == 0 {
                    view! { <p>{t(Msg::CasesEmpty)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="card-list">
                            {list.studies.into_iter().map(|study| view! {
                                <li class="card case-card">
                                    {study.cover.map(|cover| view! { <img class="case-card__cover" src=image_url(&cover.name) alt=cover.alt loading="lazy"/> })}
                                    <h2><A href=format!("/fallstudien/{}", study.slug)>{study.title}</A></h2>
                                    <p>{study.teaser}</p>
                                    <p class="eyebrow">
                                        {t(Msg::CasePartners)} ": "
                                        {study.partners.into_iter().enumerate().map(|(i, (slug, name))| view! {
                                            {(i > 0).then_some(", ")}
                                            <A href=format!("/akteure/{slug}")>{name}</A>
                                        }).collect_view()}
                                    </p>
                                    <p class="muted">
                                        {(!study.region.is_empty()).then(|| format!("{} · ", study.region))}
                                        {study.published_on.map(|date| format!("{} {date}", Msg::CasePublished.text(locale)))}
                                    </p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            }
        }}/>
    }
}

/// The editors' overview of stories not (or no longer) published.
#[component]
pub(super) fn WorkInProgress() -> impl IntoView {
    let locale = use_locale();
    let stories = Resource::new(|| (), |_| workspace());
    view! {
        <section class="section work" aria-labelledby="in-arbeit">
            <h2 id="in-arbeit">{t(Msg::CasesInProgress)}</h2>
            <p><a class="button" href="/fallstudien/neu">{t(Msg::CasesNew)}</a></p>
            <Loaded resource=stories ready={move |stories: Vec<(String, String, crate::domain::case_study::CaseStatus, i64)>| view! {
                <ul class="plain-list">
                    {stories.into_iter().map(|(slug, title, status, at)| view! {
                        <li>
                            <A href=format!("/fallstudien/{slug}/bearbeiten")>{title}</A>
                            " "
                            <span class=format!("badge badge--{}", status.code())>{status_label(status).text(locale)}</span>
                            <span class="muted">" · " {format_time(at)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }}/>
        </section>
    }
}

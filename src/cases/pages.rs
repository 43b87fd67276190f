//! `/fallstudien`.

use super::api::list_case_studies;
use super::CaseStudySummary;
use crate::i18n::{t, Msg};
use crate::ui::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn CaseStudiesPage() -> impl IntoView {
    let studies = Resource::new(|| (), |_| list_case_studies());
    view! {
        <Title text=t(Msg::CasesTitle)/>
        <h1>{t(Msg::CasesTitle)}</h1>
        <p class="lead">{t(Msg::CasesLead)}</p>
        <Loaded resource=studies ready={|studies: Vec<CaseStudySummary>| {
            if studies.is_empty() {
                return view! { <p>{t(Msg::CasesEmpty)}</p> }.into_any();
            }
            view! {
                <ul class="card-list">
                    {studies.into_iter().map(|study| view! {
                        <li class="card">
                            <h2>{study.title}</h2>
                            <p>{study.teaser}</p>
                            <p class="eyebrow">
                                {t(Msg::CasePartners)} ": "
                                {study.partners.into_iter().enumerate().map(|(i, (slug, name))| view! {
                                    {(i > 0).then_some(", ")}
                                    <A href=format!("/akteure/{slug}")>{name}</A>
                                }).collect_view()}
                            </p>
                            {study.published_on.map(|date| view! {
                                <p class="muted">{t(Msg::CasePublished)} " " {date}</p>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}/>
    }
}

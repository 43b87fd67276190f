//! `/karte` and `/akteure/:slug`.

use super::api::{actor_profile, list_actors};
use super::{ActorDetail, ActorSummary, Term};
use crate::domain::actor::ActorKind;
use crate::i18n::{t, use_locale, Locale, Msg};
use crate::ui::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MapPage() -> impl IntoView {
    let actors = Resource::new(|| (), |_| list_actors());
    view! {
        <Title text=t(Msg::MapTitle)/>
        <h1>{t(Msg::MapTitle)}</h1>
        <p class="lead">{t(Msg::MapLead)}</p>
        <Loaded resource=actors ready={|actors: Vec<ActorSummary>| view! { <ActorsByKind actors/> }}/>
    }
}

/// The actors as one table per kind: the accessible form of the map.
#[component]
fn ActorsByKind(actors: Vec<ActorSummary>) -> impl IntoView {
    ActorKind::ALL
        .into_iter()
        .map(|kind| {
            let of_kind: Vec<ActorSummary> = actors.iter().filter(|a| a.kind == kind).cloned().collect();
            let heading_id = format!("art-{}", kind.code());
            let labelled_by = heading_id.clone();
            view! {
                <section class="kind-section" aria-labelledby=labelled_by>
                    <h2 id=heading_id>
                        <span class=format!("kind-dot kind-dot--{}", kind.code()) aria-hidden="true"></span>
                        {t(kind.label())} " (" {of_kind.len()} ")"
                    </h2>
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">{t(Msg::ColName)}</th>
                                <th scope="col">{t(Msg::ColTown)}</th>
                                <th scope="col" class="num">{t(Msg::ColConnections)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {of_kind.into_iter().map(|actor| view! {
                                <tr>
                                    <td><A href=format!("/akteure/{}", actor.slug)>{actor.name}</A></td>
                                    <td data-label=t(Msg::ColTown)>{actor.town}</td>
                                    <td class="num" data-label=t(Msg::ColConnections)>{actor.connections}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        })
        .collect_view()
}

#[component]
pub fn ActorPage() -> impl IntoView {
    let params = use_params_map();
    let actor = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        actor_profile,
    );
    view! {
        <Loaded resource=actor ready={|actor: ActorDetail| view! { <ActorProfile actor/> }}/>
        <p><A href="/karte">{t(Msg::BackToMap)}</A></p>
    }
}

fn term_label(term: &Term, locale: Locale) -> String {
    match locale {
        Locale::De => term.label_de.clone(),
        Locale::En => term.label_en.clone(),
    }
}

#[component]
fn ActorProfile(actor: ActorDetail) -> impl IntoView {
    let locale = use_locale();
    let terms = |terms: &[Term]| {
        terms
            .iter()
            .map(|term| term_label(term, locale))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sectors = terms(&actor.sectors);
    let technologies = terms(&actor.technologies);
    let has_connections = !actor.connections.is_empty();
    view! {
        <Title text=actor.name.clone()/>
        <article class="profile">
            <p class="eyebrow">
                <span class=format!("kind-dot kind-dot--{}", actor.kind.code()) aria-hidden="true"></span>
                {t(actor.kind.label())} " · " {actor.town.clone()}
            </p>
            <h1>{actor.name.clone()}</h1>
            <p>{actor.description.clone()}</p>
            <dl class="facts">
                {actor.founded_year.map(|year| view! { <div><dt>{t(Msg::ActorFounded)}</dt><dd>{year}</dd></div> })}
                {actor.size_band.clone().map(|size| view! { <div><dt>{t(Msg::ActorSize)}</dt><dd>{size}</dd></div> })}
                {(!sectors.is_empty()).then(|| view! { <div><dt>{t(Msg::ActorSectors)}</dt><dd>{sectors}</dd></div> })}
                {(!technologies.is_empty()).then(|| view! { <div><dt>{t(Msg::ActorTechnologies)}</dt><dd>{technologies}</dd></div> })}
                {actor.website.clone().map(|url| view! {
                    <div><dt>{t(Msg::ActorWebsite)}</dt><dd><a href=url.clone() rel="external noopener">{url.clone()}</a></dd></div>
                })}
                <div>
                    <dt>{t(Msg::Position)}</dt>
                    <dd>{format!("{:.4}° N, {:.4}° O", actor.lat, actor.lon)}</dd>
                </div>
            </dl>
            <section aria-labelledby="verbindungen">
                <h2 id="verbindungen">{t(Msg::ActorConnections)}</h2>
                {if has_connections {
                    view! {
                        <ul class="connection-list">
                            {actor.connections.into_iter().map(|c| view! {
                                <li>
                                    <span class="connection-kind">{t(c.kind.label())}</span> " "
                                    <A href=format!("/akteure/{}", c.other_slug)>{c.other_name}</A>
                                    " (" {t(c.other_kind.label())} "), " {t(Msg::ActorSince)} " " {c.started_on}
                                    {c.origin.map(|origin| view! { " · " {t(Msg::ActorOrigin)} " " {origin} })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                } else {
                    view! { <p>{t(Msg::ActorNoConnections)}</p> }.into_any()
                }}
            </section>
            {(!actor.case_studies.is_empty()).then(|| view! {
                <section aria-labelledby="fallstudien">
                    <h2 id="fallstudien">{t(Msg::ActorCaseStudies)}</h2>
                    <ul>
                        {actor.case_studies.into_iter().map(|(title, teaser)| view! {
                            <li><strong>{title}</strong> " – " {teaser}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}

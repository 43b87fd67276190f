//! `/akteure/:slug`: an actor's profile, also shown beside the map for the chosen actor.

use super::view_url;
use crate::domain::slug::Slug;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Locale, Msg};
use crate::map::api::actor_profile;
use crate::map::{ActorDetail, ActorRef};
use crate::taxonomy::Term;
use crate::ui::Allowed;
use crate::ui::{Loaded, PageMeta};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ActorPage() -> impl IntoView {
    let params = use_params_map();
    let actor = Resource::new(
        move || Slug::from(params.read().get("slug").unwrap_or_default()),
        actor_profile,
    );
    let slug = move || params.read().get("slug").unwrap_or_default();
    view! {
        <Loaded resource=actor ready={|actor: ActorDetail| view! { <ActorProfile actor panel_path=None/> }}/>
        <ul class="button-row plain-list">
            <li><A href="/karte">{t(Msg::BackToMap)}</A></li>
            <li><a href=move || format!("/karte/vorschlagen?akteur={}", slug())>{t(Msg::ProposeLink)}</a></li>
            <Allowed access=EDITORS>
                <li><a href=move || format!("/akteure/{}/bearbeiten", slug())>{t(Msg::EditThis)}</a></li>
            </Allowed>
        </ul>
    }
}

/// An actor's profile, as a page of its own or (with `panel_path`: the explorer's path and
/// filter) in the explorer's side panel, where links to other actors stay in the explorer.
#[component]
pub(super) fn ActorProfile(
    actor: ActorDetail,
    panel_path: Option<(&'static str, String)>,
) -> impl IntoView {
    let locale = use_locale();
    let terms = |terms: &[Term]| {
        terms
            .iter()
            .map(|term| term.label(locale))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sectors = terms(&actor.sectors);
    let technologies = terms(&actor.technologies);
    let has_connections = !actor.connections.is_empty();
    let in_panel = panel_path.is_some();
    let link_to = move |slug: &str| match &panel_path {
        Some((path, filter)) => view_url(path, filter, &[("akteur", slug)]),
        None => format!("/akteure/{slug}"),
    };
    let heading = if in_panel {
        view! { <h2>{actor.name.clone()}</h2> }.into_any()
    } else {
        let description = match actor.description.trim() {
            "" => format!("{} · {}", actor.kind.label().text(locale), actor.town),
            text => text.to_owned(),
        };
        view! {
            <Title text=actor.name.clone()/>
            <PageMeta description path=format!("/akteure/{}", actor.slug)/>
            <h1>{actor.name.clone()}</h1>
        }
        .into_any()
    };
    view! {
        <article class="profile">
            <p class="eyebrow">
                <span class=format!("kind-dot kind-dot--{}", actor.kind.code()) aria-hidden="true"></span>
                {t(actor.kind.label())} " · " {actor.town.clone()}
            </p>
            {heading}
            {actor.logo_url.clone().map(|src| view! {
                <img class="logo" src=src alt=format!("{} {}", t(Msg::LogoOf), actor.name) loading="lazy"/>
            })}
            <p>{actor.description.clone()}</p>
            {in_panel.then(|| view! { <p><A href=format!("/akteure/{}", actor.slug)>{t(Msg::PanelProfileLink)}</A></p> })}
            <dl class="facts">
                {actor.founded_year.map(|year| view! { <div><dt>{t(Msg::ActorFounded)}</dt><dd>{year}</dd></div> })}
                {actor.size_band.clone().map(|size| view! { <div><dt>{t(Msg::ActorSize)}</dt><dd>{size}</dd></div> })}
                {(!sectors.is_empty()).then(|| view! { <div><dt>{t(Msg::ActorSectors)}</dt><dd>{sectors}</dd></div> })}
                {(!technologies.is_empty()).then(|| view! { <div><dt>{t(Msg::ActorTechnologies)}</dt><dd>{technologies}</dd></div> })}
                {actor.website.clone().map(|url| view! {
                    <div><dt>{t(Msg::ActorWebsite)}</dt><dd><a href=url.clone() rel="external noopener">{url.clone()}</a></dd></div>
                })}
                {actor.contact_email.clone().map(|email| view! {
                    <div><dt>{t(Msg::LabelContact)}</dt><dd><a href=format!("mailto:{email}")>{email.clone()}</a></dd></div>
                })}
                <div>
                    <dt>{t(Msg::Position)}</dt>
                    <dd>{format!("{:.4}° N, {:.4}° O", actor.lat, actor.lon)}</dd>
                </div>
            </dl>
            <section>
                {if in_panel { view! { <h3>{t(Msg::ActorConnections)}</h3> }.into_any() } else { view! { <h2>{t(Msg::ActorConnections)}</h2> }.into_any() }}
                {if has_connections {
                    view! {
                        <ul class="connection-list">
                            {actor.connections.into_iter().map(|c| view! {
                                <li>
                                    <span class="connection-kind">{t(c.kind.label())}</span> " "
                                    <a href=link_to(&c.other_slug)>{c.other_name}</a>
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
                <section>
                    {if in_panel { view! { <h3>{t(Msg::ActorCaseStudies)}</h3> }.into_any() } else { view! { <h2>{t(Msg::ActorCaseStudies)}</h2> }.into_any() }}
                    <ul>
                        {actor.case_studies.into_iter().map(|(slug, title, teaser)| view! {
                            <li><a href=format!("/fallstudien/{slug}")>{title}</a> " – " {teaser}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}

pub(super) fn percent(share: f64, locale: Locale) -> String {
    let text = format!("{:.1} %", share * 100.0);
    match locale {
        Locale::De => text.replace('.', ","),
        Locale::En => text,
    }
}

#[component]
pub(super) fn ActorLink(actor: ActorRef) -> impl IntoView {
    view! {
        <span class=format!("kind-dot kind-dot--{}", actor.kind.code()) aria-hidden="true"></span>
        <a href=format!("/karte?akteur={}", actor.slug)>{actor.name}</a>
    }
}

//! `/fallstudien` (filters, search, the editors' work in progress), `/fallstudien/neu`,
//! `/fallstudien/:slug` and `/mitteilungen`.

use super::api::{
    case_study, list_case_studies, notifications, workspace, CreateCaseStudy, MarkNotificationsRead,
};
use super::render::{article_html, image_url};
use super::workflow::{status_label, step_label};
use super::{format_time, CaseArticle, CaseFilter, CaseList, Notification};
use crate::domain::actor::ActorKind;
use crate::domain::actor::ActorOption;
use crate::guard::{Access, EDITORS};
use crate::i18n::{t, use_locale, Locale, Msg};
use crate::ui::{
    action_error, use_session, Field, FieldError, FormError, Loaded, PageMeta, Restricted,
};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Content only partners and admins see; nothing at all for anyone else (public pages stay the
/// same for every reader, which keeps them cacheable).
#[component]
pub fn ForEditors(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match session.viewer.await {
                    Ok(Some(viewer)) if EDITORS.allows(Some(viewer.role)) => Some(children.with_value(|c| c())),
                    _ => None,
                }
            })}
        </Transition>
    }
}

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
        <ForEditors>
            <WorkInProgress/>
        </ForEditors>
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
fn WorkInProgress() -> impl IntoView {
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

/// `/fallstudien/neu`: title and the first two partners; the editor does the rest.
#[component]
pub fn NewCaseStudyPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::CasesNew)/>
        <h1>{t(Msg::CasesNew)}</h1>
        <Restricted access=EDITORS>
            <NewCaseStudyForm/>
        </Restricted>
    }
}

#[component]
fn NewCaseStudyForm() -> impl IntoView {
    let create = ServerAction::<CreateCaseStudy>::new();
    let error = action_error(create);
    let actors = Resource::new(|| (), |_| crate::map::api::actor_options());
    let locale = use_locale();
    view! {
        <Loaded resource=actors ready={move |actors: Vec<ActorOption>| view! {
            <FormError error fields=&["title", "partners"]/>
            <ActionForm action=create attr:class="form narrow">
                <Field label=Msg::CaseTitleLabel name="title" error/>
                {[0usize, 1].into_iter().map(|i| {
                    let id = format!("feld-partner-{i}");
                    view! {
                        <div class="field">
                            <label for=id.clone()>{Msg::CasePartnerN.text(locale).replace("{n}", &(i + 1).to_string())}</label>
                            <select id=id name=format!("partners[{i}]") required>
                                <option value="">{t(Msg::KindChoose)}</option>
                                {actors.iter().map(|actor| view! {
                                    <option value=actor.id>{format!("{}, {} ({})", actor.name, actor.town, actor.kind.label().text(locale))}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }
                }).collect_view()}
                <FieldError error field="partners"/>
                <button type="submit" class="button">{t(Msg::CasesCreate)}</button>
            </ActionForm>
        }}/>
    }
}

/// `/fallstudien/:slug`: the published story, rendered on the server and cached.
#[component]
pub fn CaseStudyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let article = Resource::new(slug, case_study);
    let locale = use_locale();
    view! {
        <Loaded resource=article ready={move |article: CaseArticle| {
            let html = article_html(&article.content, &article.lookups, article.published_on.as_deref(), locale, 1);
            let image = article.content.images.first().map(|i| format!("{}{}", article.base_url, image_url(&i.name)));
            let slug = article.slug.clone();
            view! {
                <Title text=article.content.title.clone()/>
                <Meta property="og:type" content="article"/>
                <Meta property="og:title" content=article.content.title.clone()/>
                <PageMeta description=article.content.teaser.clone() path=format!("/fallstudien/{}", article.slug)/>
                <Meta property="og:locale" content=if locale == Locale::De { "de_DE" } else { "en_GB" }/>
                {image.map(|image| view! { <Meta property="og:image" content=image/> })}
                <Link rel="alternate" type_="application/atom+xml" href="/fallstudien/feed.xml" title=t(Msg::CasesFeed)/>
                <p class="breadcrumbs"><A href="/fallstudien">{t(Msg::CasesTitle)}</A></p>
                <article class="case" inner_html=html></article>
                <ForEditors>
                    <p class="case__tools">
                        <a href=format!("/fallstudien/{slug}/bearbeiten")>{t(Msg::CaseEdit)}</a>
                    </p>
                </ForEditors>
            }
        }}/>
    }
}

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
fn NotificationList() -> impl IntoView {
    let locale = use_locale();
    let session = use_session();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let list = Resource::new(move || mark.version().get(), |_| notifications());
    view! {
        <Loaded resource=list ready={move |list: Vec<Notification>| {
            if list.is_empty() {
                return view! { <p>{t(Msg::NotificationsEmpty)}</p> }.into_any();
            }
            let editor = session
                .viewer
                .get_untracked()
                .and_then(Result::ok)
                .flatten()
                .is_some_and(|viewer| EDITORS.allows(Some(viewer.role)));
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

//! `/fallstudien/:slug`: a published story.

use crate::cases::api::case_study;
use crate::cases::{image_url, CaseArticle};
use crate::domain::slug::Slug;
use crate::guard::EDITORS;
use crate::i18n::{t, use_locale, Locale, Msg};
use crate::ui::Allowed;
use crate::ui::{Loaded, PageMeta};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/fallstudien/:slug`: the published story, rendered on the server and cached.
#[component]
pub fn CaseStudyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || Slug::from(params.read().get("slug").unwrap_or_default());
    let article = Resource::new(slug, case_study);
    let locale = use_locale();
    view! {
        <Loaded resource=article ready={move |article: CaseArticle| {
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
                <article class="case" inner_html=article.html.clone()></article>
                <Allowed access=EDITORS>
                    <p class="case__tools">
                        <a href=format!("/fallstudien/{slug}/bearbeiten")>{t(Msg::CaseEdit)}</a>
                    </p>
                </Allowed>
            }
        }}/>
    }
}

//! The HTML shell, the routes, and the home and not-found pages.

use crate::accounts::pages::account::AccountPage;
use crate::accounts::pages::admin::AdminPage;
use crate::accounts::pages::login::{InvitePage, LoginPage};
use crate::accounts::pages::Session;
use crate::cases::pages::approval::ApprovalPage;
use crate::cases::pages::editor::CaseEditPage;
use crate::cases::pages::list::CaseStudiesPage;
use crate::cases::pages::new::NewCaseStudyPage;
use crate::cases::pages::notifications::NotificationsPage;
use crate::cases::pages::playbook::{PlaybookEditPage, PlaybookPage};
use crate::cases::pages::revisions::RevisionsPage;
use crate::cases::pages::story::CaseStudyPage;
use crate::events::pages::console::ConsolePage;
use crate::events::pages::desk::DeskPage;
use crate::events::pages::edit::EventEditPage;
use crate::events::pages::event::EventPage;
use crate::events::pages::list::EventsPage;
#[cfg(feature = "ssr")]
use crate::events::pages::personal::MyRegistrationPage;
use crate::events::pages::report::{ReportPage as EventReportPage, TablePlanPage};
use crate::events::pages::screen::ScreenPage;
use crate::i18n::{detect_locale, provide_locale, t, Msg};
use crate::map::api::site_stats;
use crate::map::pages::actor::ActorPage;
use crate::map::pages::actor_edit::ActorEditPage;
use crate::map::pages::explorer::{EmbedMapPage, MapPage, NetworkPage};
use crate::map::pages::import::ImportPage;
use crate::map::pages::lagebild::ReportPage;
use crate::map::pages::moderation::ModerationPage;
use crate::map::pages::proposal::ProposalPage;
use crate::map::pages::terms::TermsPage;
use crate::ui::Page;
use crate::ui::{Layout, Loaded, PageMeta};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The nonce of this response's Content-Security-Policy, for the hydration scripts.
    #[cfg(feature = "ssr")]
    if let Some(nonce) = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::security::CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    // Leaflet and the map renderer only where a map is drawn (about 60 KB compressed that the
    // phone pages would otherwise load and run before their first paint).
    #[cfg(feature = "ssr")]
    let draws_map = use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| crate::map::draws_map(parts.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let draws_map = false;
    // Personal pages get the phone bundle, which hydrates only their live panel (an island).
    #[cfg(feature = "ssr")]
    let personal = use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| crate::events::is_personal_page(parts.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let personal = false;
    let hydration = if personal {
        let mut options = options.clone();
        options.output_name = crate::events::PHONE_BUNDLE.into();
        view! { <HydrationScripts options islands=true/> }.into_any()
    } else {
        view! { <HydrationScripts options=options.clone()/> }.into_any()
    };
    let map_renderer = draws_map.then(|| {
        let [leaflet, renderer] = crate::map::RENDERER_SCRIPTS;
        view! {
            <link rel="stylesheet" href=crate::map::RENDERER_STYLE/>
            // Classic scripts run before the WASM module hydrates, so the map binding finds them.
            <script src=leaflet></script>
            <script src=renderer></script>
        }
    });
    view! {
        <!DOCTYPE html>
        <html lang=detect_locale().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {map_renderer}
                <AutoReload options/>
                {hydration}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_locale();
    crate::ui::provide_site_url();
    view! {
        <Stylesheet id="leptos" href="/pkg/tandem.css"/>
        <Title formatter=|title: String| if title.is_empty() { "Tandem".to_owned() } else { format!("{title} · Tandem") }/>
        // Every route waits for its data on the server (SsrMode::Async), so the first HTML is
        // complete and usable without JavaScript.
        <Router>
            <Session>
                <Layout>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                        <Route path=path!("/karte") view=MapPage ssr=SsrMode::Async/>
                        <Route path=path!("/karte/netzwerk") view=NetworkPage ssr=SsrMode::Async/>
                        <Route path=path!("/karte/lagebild") view={Lazy::<LagebildRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/karte/import") view={Lazy::<ImportRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/karte/vorschlagen") view={Lazy::<ProposalRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/karte/moderation") view={Lazy::<ModerationRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/karte/begriffe") view={Lazy::<TermsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/akteure/neu") view={Lazy::<ActorEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/akteure/:slug/bearbeiten") view={Lazy::<ActorEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/einbetten/karte") view=EmbedMapPage ssr=SsrMode::Async/>
                        <Route path=path!("/akteure/:slug") view=ActorPage ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen") view=EventsPage ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen/neu") view={Lazy::<EventEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen/:slug/bearbeiten") view={Lazy::<EventEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen/:slug/einlass") view={Lazy::<DeskRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen/:slug/konsole") view={Lazy::<ConsoleRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen/:slug/leinwand") view={Lazy::<ScreenRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen/:slug/tischplan") view={Lazy::<TablePlanRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen/:slug/bericht") view={Lazy::<EventReportRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen/:slug/ich/:token") view=PersonalRoute ssr=SsrMode::Async/>
                        <Route path=path!("/veranstaltungen/:slug") view=EventPage ssr=SsrMode::Async/>
                        <Route path=path!("/fallstudien") view=CaseStudiesPage ssr=SsrMode::Async/>
                        <Route path=path!("/fallstudien/neu") view={Lazy::<NewCaseStudyRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/fallstudien/freigabe/:token") view={Lazy::<ApprovalRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/fallstudien/:slug/bearbeiten") view={Lazy::<CaseEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/fallstudien/:slug/versionen") view={Lazy::<RevisionsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/fallstudien/:slug/freigabe") view={Lazy::<ApprovalRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/fallstudien/:slug") view={Lazy::<CaseStudyRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/playbook") view={Lazy::<PlaybookRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/playbook/bearbeiten") view={Lazy::<PlaybookEditRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/mitteilungen") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/anmelden") view=LoginPage ssr=SsrMode::Async/>
                        <Route path=path!("/konto") view=AccountPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/einladung/:token") view={Lazy::<InviteRoute>::new()} ssr=SsrMode::Async/>
                    </Routes>
                </Layout>
            </Session>
        </Router>
    }
}

/// Declares routes whose code the browser loads only when one of them is visited: with
/// `cargo leptos build --split`, each becomes its own WASM chunk, so the first visit to the map,
/// an event or the phone view does not pay for editors and consoles.
/// The page fetches its own data, so `data` has nothing to start.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident,)*) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    LagebildRoute => ReportPage,
    ImportRoute => ImportPage,
    ProposalRoute => ProposalPage,
    ModerationRoute => ModerationPage,
    TermsRoute => TermsPage,
    ActorEditRoute => ActorEditPage,
    EventEditRoute => EventEditPage,
    DeskRoute => DeskPage,
    ConsoleRoute => ConsolePage,
    ScreenRoute => ScreenPage,
    TablePlanRoute => TablePlanPage,
    EventReportRoute => EventReportPage,
    NewCaseStudyRoute => NewCaseStudyPage,
    ApprovalRoute => ApprovalPage,
    CaseEditRoute => CaseEditPage,
    RevisionsRoute => RevisionsPage,
    CaseStudyRoute => CaseStudyPage,
    PlaybookRoute => PlaybookPage,
    PlaybookEditRoute => PlaybookEditPage,
    NotificationsRoute => NotificationsPage,
    AdminRoute => AdminPage,
    InviteRoute => InvitePage,
}

#[component]
fn HomePage() -> impl IntoView {
    let counts = Resource::new(|| (), |_| site_stats());
    view! {
        <Title text=""/>
        <PageMeta description=t(Msg::HomeLead) path="/"/>
        <section class="hero">
            <h1>{t(Msg::HomeTitle)}</h1>
            <p class="lead">{t(Msg::HomeLead)}</p>
        </section>
        <section aria-labelledby="zahlen">
            <h2 id="zahlen">{t(Msg::HomeNumbers)}</h2>
            <Loaded resource=counts ready={|counts| view! {
                <dl class="stats">
                    <div><dt>{t(Msg::StatActors)}</dt><dd>{counts.actors}</dd></div>
                    <div><dt>{t(Msg::StatConnections)}</dt><dd>{counts.connections}</dd></div>
                    <div><dt>{t(Msg::StatEvents)}</dt><dd>{counts.events}</dd></div>
                    <div><dt>{t(Msg::StatCases)}</dt><dd>{counts.case_studies}</dd></div>
                </dl>
            }}/>
        </section>
        <section class="journeys">
            <article class="card">
                <h2><A href="/karte">{t(Msg::HomeMapTitle)}</A></h2>
                <p>{t(Msg::HomeMapText)}</p>
            </article>
            <article class="card">
                <h2><A href="/veranstaltungen">{t(Msg::HomeEventsTitle)}</A></h2>
                <p>{t(Msg::HomeEventsText)}</p>
            </article>
            <article class="card">
                <h2><A href="/fallstudien">{t(Msg::HomeCasesTitle)}</A></h2>
                <p>{t(Msg::HomeCasesText)}</p>
            </article>
        </section>
    }
}

/// The personal page comes from the server with its own small bundle (see `shell`), so a
/// navigation to it in the browser loads it from there.
#[component]
fn PersonalRoute() -> impl IntoView {
    #[cfg(feature = "ssr")]
    return view! { <MyRegistrationPage/> };
    #[cfg(not(feature = "ssr"))]
    {
        Effect::new(|_| {
            let _ = window().location().reload();
        });
        view! { <p class="loading">{t(Msg::Loading)}</p> }
    }
}

#[component]
fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Page title=Msg::NotFoundTitle description=Msg::NotFoundText>
            <p>{t(Msg::NotFoundText)}</p>
        </Page>
    }
}

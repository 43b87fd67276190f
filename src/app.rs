//! The HTML shell, the routes, and the home and not-found pages.

use crate::accounts::pages::{AccountPage, AdminPage, InvitePage, LoginPage};
use crate::cases::editor::{CaseEditPage, RevisionsPage};
use crate::cases::pages::{CaseStudiesPage, CaseStudyPage, NewCaseStudyPage, NotificationsPage};
use crate::cases::playbook::{PlaybookEditPage, PlaybookPage};
use crate::cases::workflow::ApprovalPage;
use crate::events::console::ConsolePage;
use crate::events::desk::DeskPage;
use crate::events::pages::{EventEditPage, EventPage, EventsPage, MyRegistrationPage};
use crate::events::report::{ReportPage as EventReportPage, TablePlanPage};
use crate::events::screen::ScreenPage;
use crate::i18n::{detect_locale, provide_locale, t, Msg};
use crate::map::api::site_stats;
use crate::map::manage::{ActorEditPage, ImportPage, ModerationPage, ProposalPage, TermsPage};
use crate::map::pages::{ActorPage, EmbedMapPage, MapPage, NetworkPage, ReportPage};
use crate::ui::{Layout, Loaded};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang=detect_locale().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href="/vendor/leaflet/leaflet.css"/>
                // Classic scripts run before the WASM module hydrates, so the map binding finds them.
                <script src="/vendor/leaflet/leaflet.js"></script>
                <script src="/karte/tandem-karte.js"></script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
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
    // Lets people (and tests) tell when the page has become interactive.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/tandem.css"/>
        <Title formatter=|title: String| if title.is_empty() { "Tandem".to_owned() } else { format!("{title} · Tandem") }/>
        // Every route waits for its data on the server (SsrMode::Async), so the first HTML is
        // complete and usable without JavaScript.
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/karte") view=MapPage ssr=SsrMode::Async/>
                    <Route path=path!("/karte/netzwerk") view=NetworkPage ssr=SsrMode::Async/>
                    <Route path=path!("/karte/lagebild") view=ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/karte/import") view=ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/karte/vorschlagen") view=ProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/karte/moderation") view=ModerationPage ssr=SsrMode::Async/>
                    <Route path=path!("/karte/begriffe") view=TermsPage ssr=SsrMode::Async/>
                    <Route path=path!("/akteure/neu") view=ActorEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/akteure/:slug/bearbeiten") view=ActorEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/einbetten/karte") view=EmbedMapPage ssr=SsrMode::Async/>
                    <Route path=path!("/akteure/:slug") view=ActorPage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen") view=EventsPage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen/neu") view=EventEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen/:slug/bearbeiten") view=EventEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen/:slug/einlass") view=DeskPage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen/:slug/konsole") view=ConsolePage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen/:slug/leinwand") view=ScreenPage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen/:slug/tischplan") view=TablePlanPage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen/:slug/bericht") view=EventReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen/:slug/ich/:token") view=MyRegistrationPage ssr=SsrMode::Async/>
                    <Route path=path!("/veranstaltungen/:slug") view=EventPage ssr=SsrMode::Async/>
                    <Route path=path!("/fallstudien") view=CaseStudiesPage ssr=SsrMode::Async/>
                    <Route path=path!("/fallstudien/neu") view=NewCaseStudyPage ssr=SsrMode::Async/>
                    <Route path=path!("/fallstudien/freigabe/:token") view=ApprovalPage ssr=SsrMode::Async/>
                    <Route path=path!("/fallstudien/:slug/bearbeiten") view=CaseEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/fallstudien/:slug/versionen") view=RevisionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/fallstudien/:slug/freigabe") view=ApprovalPage ssr=SsrMode::Async/>
                    <Route path=path!("/fallstudien/:slug") view=CaseStudyPage ssr=SsrMode::Async/>
                    <Route path=path!("/playbook") view=PlaybookPage ssr=SsrMode::Async/>
                    <Route path=path!("/playbook/bearbeiten") view=PlaybookEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/mitteilungen") view=NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/anmelden") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/konto") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/einladung/:token") view=InvitePage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let counts = Resource::new(|| (), |_| site_stats());
    view! {
        <Title text=""/>
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

#[component]
fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t(Msg::NotFoundTitle)/>
        <h1>{t(Msg::NotFoundTitle)}</h1>
        <p>{t(Msg::NotFoundText)}</p>
    }
}

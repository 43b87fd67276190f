//! `/karte/lagebild`: the Lagebild, figures about the whole network.

use super::actor::percent;
use super::actor::ActorLink;
use super::MapTabs;
use crate::i18n::{t, use_locale, Msg};
use crate::map::api::network_report;
use crate::map::NetworkReport;
use crate::ui::Page;
use crate::ui::{BarChart, Loaded};
use leptos::prelude::*;

/// The Lagebild: counts, growth per quarter, the shares that matter for a region, brokers,
/// communities and whom to introduce to whom.
#[component]
pub fn ReportPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| network_report());
    view! {
        <Page title=Msg::ReportTitle description=Msg::ReportLead path="/karte/lagebild" lead=Msg::ReportLead>
            <MapTabs current="/karte/lagebild" filter=Signal::derive(String::new)/>
            <Loaded resource=report ready={|report: NetworkReport| view! { <Report report/> }}/>
        </Page>
    }
}

#[component]
pub(super) fn Report(report: NetworkReport) -> impl IntoView {
    let locale = use_locale();
    view! {
        <dl class="stats">
            <div><dt>{t(Msg::StatActors)}</dt><dd>{report.actors}</dd></div>
            <div><dt>{t(Msg::StatConnections)}</dt><dd>{report.connections}</dd></div>
            <div><dt>{t(Msg::ReportCrossSector)}</dt><dd>{percent(report.cross_sector_share, locale)}</dd></div>
            <div><dt>{t(Msg::ReportSmeStartup)}</dt><dd>{percent(report.sme_startup_share, locale)}</dd></div>
            <div><dt>{t(Msg::ReportCommunities)}</dt><dd>{report.community_count}</dd></div>
        </dl>
        <section aria-labelledby="quartale">
            <h2 id="quartale">{t(Msg::ReportPerQuarter)}</h2>
            <BarChart bars=report.per_quarter.clone() caption=Msg::ReportPerQuarter/>
        </section>
        <div class="report-grid">
            <section aria-labelledby="nach-art">
                <h2 id="nach-art">{t(Msg::ReportByKind)}</h2>
                <table class="data-table">
                    <thead><tr><th scope="col">{t(Msg::ColKind)}</th><th scope="col" class="num">{t(Msg::StatActors)}</th></tr></thead>
                    <tbody>
                        {report.by_kind.into_iter().map(|(kind, count)| view! {
                            <tr><td><span class=format!("kind-dot kind-dot--{}", kind.code()) aria-hidden="true"></span>{t(kind.label())}</td><td class="num">{count}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="nach-ort">
                <h2 id="nach-ort">{t(Msg::ReportByTown)}</h2>
                <table class="data-table">
                    <thead><tr><th scope="col">{t(Msg::ColTown)}</th><th scope="col" class="num">{t(Msg::StatActors)}</th></tr></thead>
                    <tbody>
                        {report.by_town.into_iter().map(|(town, count)| view! {
                            <tr><td>{town}</td><td class="num">{count}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
        <section aria-labelledby="broker">
            <h2 id="broker">{t(Msg::ReportBrokers)}</h2>
            <p class="muted">{t(Msg::ReportBrokersText)}</p>
            <ol>
                {report.brokers.into_iter().map(|broker| view! {
                    <li>
                        <ActorLink actor=broker.actor/>
                        " – " {broker.connections} " " {t(Msg::StatConnections)} ", "
                        {t(Msg::ReportBetweenness)} " " {format!("{:.3}", broker.betweenness)}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <section aria-labelledby="gemeinschaften">
            <h2 id="gemeinschaften">{t(Msg::ReportCommunities)}</h2>
            <p class="muted">{t(Msg::ReportCommunitiesText)}</p>
            <ul class="card-list">
                {report.communities.into_iter().enumerate().map(|(i, community)| view! {
                    <li class="card">
                        <h3>{t(Msg::ReportCommunity)} " " {i + 1} " (" {community.size} " " {t(Msg::StatActors)} ")"</h3>
                        <p>
                            {community.kinds.iter().map(|(kind, count)| format!("{} {}", count, kind.label().text(locale))).collect::<Vec<_>>().join(", ")}
                            " · " {community.towns.join(", ")}
                        </p>
                        <ul>
                            {community.leaders.into_iter().map(|actor| view! { <li><ActorLink actor/></li> }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="vorschlaege">
            <h2 id="vorschlaege">{t(Msg::ReportSuggestions)}</h2>
            <p class="muted">{t(Msg::ReportSuggestionsText)}</p>
            <ol class="suggestions">
                {report.suggestions.into_iter().map(|s| {
                    let mut reasons = Vec::new();
                    if s.common_partner_count > 0 {
                        let names = s.common_partners.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
                        reasons.push(format!("{} {}: {names}", s.common_partner_count, t(Msg::ReasonCommonPartners)));
                    }
                    if !s.shared_topics.is_empty() {
                        let topics = s.shared_topics.iter().map(|term| term.label(locale)).collect::<Vec<_>>().join(", ");
                        reasons.push(format!("{}: {topics}", t(Msg::ReasonSharedTopics)));
                    }
                    if s.cross_kind {
                        reasons.push(format!("{} × {}", t(s.a.kind.label()), t(s.b.kind.label())));
                    }
                    view! {
                        <li>
                            <ActorLink actor=s.a/> " ↔ " <ActorLink actor=s.b/>
                            <br/><span class="muted">{t(Msg::ReasonWhy)} " " {reasons.join("; ")}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

//! Map server functions.

use super::{
    ActorDetail, ActorEditor, ImportProgress, ImportReport, MapData, MapOptions, MapView,
    NetworkCounts, NetworkReport, ProposalView,
};
use crate::domain::actor::ActorOption;
use crate::domain::actor_input::{ActorInput, ConnectionInput};
use crate::domain::slug::Slug;
#[cfg(feature = "ssr")]
use crate::domain::{import::ImportKind, network::MapFilter, validation::Problem};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use crate::guard::{policy, Access, Effect, Policy, EDITORS};

/// This journey's rows of the policy table (see `crate::guard`).
#[cfg(feature = "ssr")]
pub static POLICIES: &[Policy] = &[
    policy::<SiteStats>(Access::Public, Effect::Read),
    policy::<ActorProfile>(Access::Public, Effect::Read),
    policy::<MapViewFn>(Access::Public, Effect::Read),
    policy::<MapOptionsFn>(Access::Public, Effect::Read),
    policy::<MapDataFn>(Access::Public, Effect::Read),
    policy::<NetworkDataFn>(Access::Public, Effect::Read),
    policy::<NetworkReportFn>(Access::Public, Effect::Read),
    policy::<ImportCsv>(EDITORS, Effect::Write),
    policy::<ImportProgressFn>(EDITORS, Effect::Read),
    policy::<ActorEditorFn>(EDITORS, Effect::Read),
    policy::<SaveActor>(EDITORS, Effect::Write),
    policy::<DeleteActor>(EDITORS, Effect::Write),
    policy::<SaveConnection>(EDITORS, Effect::Write),
    policy::<DeleteConnection>(EDITORS, Effect::Write),
    policy::<ProposeChange>(Access::Public, Effect::Write),
    policy::<OpenProposals>(EDITORS, Effect::Read),
    policy::<DecideProposal>(EDITORS, Effect::Write),
    policy::<SaveTerm>(EDITORS, Effect::Write),
    policy::<ActorOptionsFn>(EDITORS, Effect::Read),
];

#[cfg(feature = "ssr")]
use {super::server::read, crate::guard::authorize};

#[server(prefix = "/api", endpoint = "statistik", input = GetUrl)]
pub async fn site_stats() -> Result<NetworkCounts, AppError> {
    let auth = authorize::<SiteStats>().await?;
    read::site_stats(auth.db()).await
}

#[server(prefix = "/api", endpoint = "akteur", input = GetUrl)]
pub async fn actor_profile(slug: Slug) -> Result<ActorDetail, AppError> {
    let auth = authorize::<ActorProfile>().await?;
    read::actor_profile(auth.db(), &slug).await
}

/// Counts, growth and the accessible list for a map view; `filter` is the page's query string.
#[server(name = MapViewFn, prefix = "/api", endpoint = "karte/ansicht", input = GetUrl)]
pub async fn map_view(filter: String, page: u32) -> Result<MapView, AppError> {
    let auth = authorize::<MapViewFn>().await?;
    let snapshot = auth
        .state
        .part::<super::server::cache::NetworkCache>()
        .current(auth.db())
        .await?;
    Ok(read::map_view(
        &snapshot,
        MapFilter::from_query(&filter),
        page,
        crate::db::today(),
    ))
}

/// What a proposal form's token is good for.
#[cfg(feature = "ssr")]
const PROPOSAL_FORM: &str = "vorschlag";

/// The filter choices and the tile layer.
#[server(name = MapOptionsFn, prefix = "/api", endpoint = "karte/optionen", input = GetUrl)]
pub async fn map_options() -> Result<MapOptions, AppError> {
    let auth = authorize::<MapOptionsFn>().await?;
    let snapshot = auth
        .state
        .part::<super::server::cache::NetworkCache>()
        .current(auth.db())
        .await?;
    Ok(MapOptions {
        sectors: snapshot.sectors.clone(),
        technologies: snapshot.technologies.clone(),
        towns: snapshot.towns.clone(),
        town_positions: snapshot.town_positions.clone(),
        region: auth.state.config.region,
        this_year: crate::db::this_year(),
        tile_url: auth.state.config.tile_url.clone(),
        public_origin: auth.state.config.public_origin().to_owned(),
        form_token: auth.state.public_form_token(PROPOSAL_FORM).await?,
    })
}

/// The dots and lines of the geographic map.
#[server(name = MapDataFn, prefix = "/api", endpoint = "karte/daten", input = GetUrl)]
pub async fn map_data(filter: String) -> Result<MapData, AppError> {
    let auth = authorize::<MapDataFn>().await?;
    let snapshot = auth
        .state
        .part::<super::server::cache::NetworkCache>()
        .current(auth.db())
        .await?;
    Ok(read::map_data(
        &snapshot,
        &MapFilter::from_query(&filter),
        None,
        crate::db::today(),
    ))
}

/// The dots and lines of the network view, placed by the server's force layout.
#[server(name = NetworkDataFn, prefix = "/api", endpoint = "karte/netzwerkdaten", input = GetUrl)]
pub async fn network_data(filter: String) -> Result<MapData, AppError> {
    let auth = authorize::<NetworkDataFn>().await?;
    let snapshot = auth
        .state
        .part::<super::server::cache::NetworkCache>()
        .current(auth.db())
        .await?;
    let layout = snapshot.layout().await?;
    Ok(read::map_data(
        &snapshot,
        &MapFilter::from_query(&filter),
        Some(&layout),
        crate::db::today(),
    ))
}

/// The Lagebild of the whole public network.
#[server(name = NetworkReportFn, prefix = "/api", endpoint = "karte/lagebild", input = GetUrl)]
pub async fn network_report() -> Result<NetworkReport, AppError> {
    let auth = authorize::<NetworkReportFn>().await?;
    let snapshot = auth
        .state
        .part::<super::server::cache::NetworkCache>()
        .current(auth.db())
        .await?;
    let report = snapshot.report(crate::db::today()).await?;
    Ok((*report).clone())
}

/// Checks a CSV file of actors or connections (`kind`: `akteure` or `verbindungen`); with
/// `apply` and no problems, imports it in one transaction in the background.
#[server(prefix = "/api", endpoint = "karte/import")]
pub async fn import_csv(kind: String, csv: String, apply: bool) -> Result<ImportReport, AppError> {
    let auth = authorize::<ImportCsv>().await?;
    let kind =
        ImportKind::from_code(&kind).ok_or(AppError::invalid("kind", Problem::KindUnknown))?;
    let region = auth.state.config.region;
    super::server::import::import(
        auth.db(),
        auth.state.part::<super::server::import::ImportJobs>(),
        region,
        kind,
        &csv,
        apply,
    )
    .await
}

/// How far an import is.
#[server(name = ImportProgressFn, prefix = "/api", endpoint = "karte/import/fortschritt", input = GetUrl)]
pub async fn import_progress(job: u64) -> Result<ImportProgress, AppError> {
    let auth = authorize::<ImportProgressFn>().await?;
    auth.state
        .part::<super::server::import::ImportJobs>()
        .progress(job)
        .ok_or(AppError::NotFound)
}

/// The edit form of an actor (`slug` empty: a new one).
#[server(name = ActorEditorFn, prefix = "/api", endpoint = "karte/akteur/bearbeiten", input = GetUrl)]
pub async fn actor_editor(slug: Slug) -> Result<ActorEditor, AppError> {
    let auth = authorize::<ActorEditorFn>().await?;
    super::server::edit::editor(auth.db(), &slug).await
}

/// Creates (`slug` empty) or updates an actor; returns its slug.
#[server(prefix = "/api", endpoint = "karte/akteur/speichern")]
pub async fn save_actor(slug: Slug, actor: ActorInput) -> Result<String, AppError> {
    let auth = authorize::<SaveActor>().await?;
    let region = auth.state.config.region;
    let slug = super::server::edit::save_actor(auth.db(), region, &slug, &actor).await?;
    leptos_axum::redirect(&format!("/akteure/{slug}/bearbeiten?gespeichert=1"));
    Ok(slug)
}

#[server(prefix = "/api", endpoint = "karte/akteur/loeschen")]
pub async fn delete_actor(slug: Slug) -> Result<(), AppError> {
    let auth = authorize::<DeleteActor>().await?;
    super::server::edit::delete_actor(auth.db(), &slug).await?;
    leptos_axum::redirect("/karte");
    Ok(())
}

/// Creates a connection, or changes the one with `id`.
#[server(prefix = "/api", endpoint = "karte/verbindung/speichern")]
pub async fn save_connection(
    id: Option<i64>,
    connection: ConnectionInput,
) -> Result<i64, AppError> {
    let auth = authorize::<SaveConnection>().await?;
    super::server::edit::save_connection(auth.db(), id, &connection).await
}

#[server(prefix = "/api", endpoint = "karte/verbindung/loeschen")]
pub async fn delete_connection(id: i64) -> Result<(), AppError> {
    let auth = authorize::<DeleteConnection>().await?;
    super::server::edit::delete_connection(auth.db(), id).await
}

/// Anyone proposes a new actor (`slug` empty) or a correction; it waits for moderation.
#[server(prefix = "/api", endpoint = "karte/vorschlag")]
pub async fn propose_change(
    slug: Slug,
    actor: ActorInput,
    proposer_name: String,
    proposer_email: String,
    message: String,
    form_token: Option<String>,
    leave_empty: Option<String>,
) -> Result<(), AppError> {
    let auth = authorize::<ProposeChange>().await?;
    let form = auth
        .state
        .check_public_form(PROPOSAL_FORM, form_token.as_deref(), leave_empty.as_deref())
        .await?;
    auth.state
        .limits
        .admit_proposal(&auth.caller.ip, &proposer_email, &form)?;
    super::server::proposals::propose(
        auth.db(),
        auth.state.config.region,
        &slug,
        &actor,
        &proposer_name,
        &proposer_email,
        &message,
    )
    .await
}

#[server(prefix = "/api", endpoint = "karte/vorschlaege", input = GetUrl)]
pub async fn open_proposals() -> Result<Vec<ProposalView>, AppError> {
    let auth = authorize::<OpenProposals>().await?;
    super::server::proposals::open_proposals(auth.db()).await
}

/// Accepts (applies) or rejects a proposal.
#[server(prefix = "/api", endpoint = "karte/vorschlag/entscheiden")]
pub async fn decide_proposal(
    id: i64,
    accept: bool,
    confirm: Option<String>,
) -> Result<Option<String>, AppError> {
    let auth = authorize::<DecideProposal>().await?;
    let moderator = auth.viewer()?.id;
    let region = auth.state.config.region;
    super::server::proposals::decide(auth.db(), region, id, accept, confirm.is_some(), moderator)
        .await
}

/// Adds a term to the sectors or technologies, or renames one (`slug` given).
#[server(prefix = "/api", endpoint = "karte/begriff")]
pub async fn save_term(
    vocabulary: String,
    slug: Slug,
    label_de: String,
    label_en: String,
) -> Result<String, AppError> {
    let auth = authorize::<SaveTerm>().await?;
    super::server::terms::save_term(auth.db(), &vocabulary, &slug, &label_de, &label_en).await
}

/// Every actor, to choose a story's partners, an account's organisation or a connection's
/// other end.
#[server(name = ActorOptionsFn, prefix = "/api", endpoint = "akteure/auswahl", input = GetUrl)]
pub async fn actor_options() -> Result<Vec<ActorOption>, AppError> {
    let auth = authorize::<ActorOptionsFn>().await?;
    Ok(crate::db::actor_options(auth.db()).await?)
}

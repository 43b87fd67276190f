//! Map server functions.

use super::{ActorDetail, MapData, MapOptions, MapView, NetworkCounts, NetworkReport};
#[cfg(feature = "ssr")]
use crate::domain::network::MapFilter;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use {super::server, crate::guard::authorize};

#[server(prefix = "/api", endpoint = "statistik", input = GetUrl)]
pub async fn site_stats() -> Result<NetworkCounts, AppError> {
    let auth = authorize::<SiteStats>().await?;
    server::site_stats(auth.db()).await
}

#[server(prefix = "/api", endpoint = "akteur", input = GetUrl)]
pub async fn actor_profile(slug: String) -> Result<ActorDetail, AppError> {
    let auth = authorize::<ActorProfile>().await?;
    server::actor_profile(auth.db(), &slug).await
}

/// Counts, growth and the accessible list for a map view; `filter` is the page's query string.
#[server(name = MapViewFn, prefix = "/api", endpoint = "karte/ansicht", input = GetUrl)]
pub async fn map_view(filter: String, page: u32) -> Result<MapView, AppError> {
    let auth = authorize::<MapViewFn>().await?;
    let snapshot = auth.state.network.current(auth.db()).await?;
    Ok(server::map_view(
        &snapshot,
        MapFilter::from_query(&filter),
        page,
        server::today(),
    ))
}

/// The filter choices and the tile layer.
#[server(name = MapOptionsFn, prefix = "/api", endpoint = "karte/optionen", input = GetUrl)]
pub async fn map_options() -> Result<MapOptions, AppError> {
    let auth = authorize::<MapOptionsFn>().await?;
    let snapshot = auth.state.network.current(auth.db()).await?;
    Ok(MapOptions {
        sectors: snapshot.sectors.clone(),
        technologies: snapshot.technologies.clone(),
        towns: snapshot.towns.clone(),
        tile_url: auth.state.config.tile_url.clone(),
    })
}

/// The dots and lines of the geographic map.
#[server(name = MapDataFn, prefix = "/api", endpoint = "karte/daten", input = GetUrl)]
pub async fn map_data(filter: String) -> Result<MapData, AppError> {
    let auth = authorize::<MapDataFn>().await?;
    let snapshot = auth.state.network.current(auth.db()).await?;
    Ok(server::map_data(
        &snapshot,
        &MapFilter::from_query(&filter),
        None,
        server::today(),
    ))
}

/// The dots and lines of the network view, placed by the server's force layout.
#[server(name = NetworkDataFn, prefix = "/api", endpoint = "karte/netzwerkdaten", input = GetUrl)]
pub async fn network_data(filter: String) -> Result<MapData, AppError> {
    let auth = authorize::<NetworkDataFn>().await?;
    let snapshot = auth.state.network.current(auth.db()).await?;
    let layout = snapshot.layout().await?;
    Ok(server::map_data(
        &snapshot,
        &MapFilter::from_query(&filter),
        Some(&layout),
        server::today(),
    ))
}

/// The Lagebild of the whole public network.
#[server(name = NetworkReportFn, prefix = "/api", endpoint = "karte/lagebild", input = GetUrl)]
pub async fn network_report() -> Result<NetworkReport, AppError> {
    let auth = authorize::<NetworkReportFn>().await?;
    let snapshot = auth.state.network.current(auth.db()).await?;
    let report = snapshot.report(server::today()).await?;
    Ok((*report).clone())
}

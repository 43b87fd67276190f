//! Map server functions.

use super::{ActorDetail, ActorSummary, NetworkCounts};
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

#[server(prefix = "/api", endpoint = "akteure", input = GetUrl)]
pub async fn list_actors() -> Result<Vec<ActorSummary>, AppError> {
    let auth = authorize::<ListActors>().await?;
    server::list_actors(auth.db()).await
}

#[server(prefix = "/api", endpoint = "akteur", input = GetUrl)]
pub async fn actor_profile(slug: String) -> Result<ActorDetail, AppError> {
    let auth = authorize::<ActorProfile>().await?;
    server::actor_profile(auth.db(), &slug).await
}

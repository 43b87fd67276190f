//! Case-study server functions.

use super::CaseStudySummary;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use crate::guard::authorize;

/// Published case studies, newest first, with their public partners.
#[server(prefix = "/api", endpoint = "fallstudien", input = GetUrl)]
pub async fn list_case_studies() -> Result<Vec<CaseStudySummary>, AppError> {
    let auth = authorize::<ListCaseStudies>().await?;
    let pool = &auth.db().pool;
    let studies: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, slug, title, teaser, published_on FROM case_studies WHERE status = 'published' \
         ORDER BY published_on DESC, id DESC",
    )
    .fetch_all(pool)
    .await?;
    let partners: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT ca.case_study_id, a.slug, a.name FROM case_study_actors ca JOIN actors a ON a.id = ca.actor_id \
         WHERE a.is_public = 1 ORDER BY a.name",
    )
    .fetch_all(pool)
    .await?;
    Ok(studies
        .into_iter()
        .map(|(id, slug, title, teaser, published_on)| CaseStudySummary {
            slug,
            title,
            teaser,
            published_on,
            partners: partners
                .iter()
                .filter(|(study, _, _)| *study == id)
                .map(|(_, slug, name)| (slug.clone(), name.clone()))
                .collect(),
        })
        .collect())
}

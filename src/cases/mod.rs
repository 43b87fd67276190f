//! Case studies of tandems and the playbook.

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStudySummary {
    pub slug: String,
    pub title: String,
    pub teaser: String,
    pub published_on: Option<String>,
    /// The tandem's partners that are public: (slug, name).
    pub partners: Vec<(String, String)>,
}

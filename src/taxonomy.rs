//! The shared vocabulary of sectors, technologies and topics, in both languages.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A taxonomy term in both languages; the page picks one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub slug: String,
    pub label_de: String,
    pub label_en: String,
}

impl Term {
    pub fn label(&self, locale: Locale) -> String {
        match locale {
            Locale::De => self.label_de.clone(),
            Locale::En => self.label_en.clone(),
        }
    }
}

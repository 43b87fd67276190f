//! URL slugs from German names: readable, ASCII, stable.

use serde::{Deserialize, Deserializer, Serialize};

/// A slug as it arrives from a form, an address or a call: trimmed once, when it is read, so no
/// handler trims it again. Not checked further: an unknown slug is simply not found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Slug {
    fn from(text: String) -> Slug {
        match text.trim() {
            trimmed if trimmed.len() == text.len() => Slug(text),
            trimmed => Slug(trimmed.to_owned()),
        }
    }
}

impl From<&str> for Slug {
    fn from(text: &str) -> Slug {
        Slug(text.trim().to_owned())
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Slug, D::Error> {
        String::deserialize(deserializer).map(Slug::from)
    }
}

impl std::ops::Deref for Slug {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `"Universität Heidelberg"` → `"universitaet-heidelberg"`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        let replacement: Option<&str> = match ch {
            'ä' => Some("ae"),
            'ö' => Some("oe"),
            'ü' => Some("ue"),
            'ß' => Some("ss"),
            'à' | 'á' | 'â' => Some("a"),
            'è' | 'é' | 'ê' => Some("e"),
            'ì' | 'í' | 'î' => Some("i"),
            'ò' | 'ó' | 'ô' => Some("o"),
            'ù' | 'ú' | 'û' => Some("u"),
            _ => None,
        };
        let mut push = |s: &str| {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push_str(s);
        };
        match replacement {
            Some(s) => push(s),
            None if ch.is_ascii_alphanumeric() => push(ch.encode_utf8(&mut [0; 4])),
            None => pending_dash = true,
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn german_names() {
        assert_eq!(slugify("Universität Heidelberg"), "universitaet-heidelberg");
        assert_eq!(
            slugify("Karlsruher Institut für Technologie (KIT)"),
            "karlsruher-institut-fuer-technologie-kit"
        );
        assert_eq!(
            slugify("  Straße & Söhne GmbH & Co. KG "),
            "strasse-soehne-gmbh-co-kg"
        );
        assert_eq!(slugify("---"), "");
    }

    proptest! {
        #[test]
        fn slugs_are_url_safe(text in ".{0,60}") {
            let slug = slugify(&text);
            prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        }
    }
}

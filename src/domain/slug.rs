//! URL slugs from German names: readable, ASCII, stable.

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

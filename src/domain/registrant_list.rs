//! The personal page's list of the other registrants: searched, by name, in pages, so a phone at
//! an event of 2,000 gets 20 cards, not 2,000.

use crate::domain::slug::slugify;

/// How many registrants one page shows.
pub const PER_PAGE: usize = 20;

/// The longest search that is read (characters); the rest is ignored.
pub const MAX_SEARCH: usize = 100;

/// The words of a search (its first [`MAX_SEARCH`] characters), folded like a slug, so
/// "müller gmbh" finds "Müller GmbH" and "Mueller".
pub fn search_words(search: &str) -> Vec<String> {
    search
        .chars()
        .take(MAX_SEARCH)
        .collect::<String>()
        .split_whitespace()
        .map(slugify)
        .filter(|word| !word.is_empty())
        .collect()
}

/// Whether the fields (name, organisation, offers, seeks) contain every word.
pub fn matches(fields: &[&str], words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let key = slugify(&fields.join(" "));
    words.iter().all(|word| key.contains(word.as_str()))
}

/// The list's order: by name, umlauts where their letters are ("Ölmann" by "Oe"); names the
/// slug cannot spell (other scripts) after, in their own order.
pub fn sort_key(name: &str) -> (bool, String, String) {
    let slug = slugify(name);
    (slug.is_empty(), slug, name.to_lowercase())
}

/// How many pages `count` registrants fill (at least one, empty or not).
pub fn pages(count: usize) -> u32 {
    u32::try_from(count.div_ceil(PER_PAGE).max(1)).unwrap_or(u32::MAX)
}

/// The items on page `page` (from 1; a page beyond the last shows the last) and that page.
pub fn page_of<T>(items: Vec<T>, page: u32) -> (Vec<T>, u32) {
    let page = page.clamp(1, pages(items.len()));
    let start = (page as usize - 1) * PER_PAGE;
    (items.into_iter().skip(start).take(PER_PAGE).collect(), page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(fields: &[&str], search: &str) -> bool {
        matches(fields, &search_words(search))
    }

    #[test]
    fn search_folds_case_and_umlauts_and_needs_every_word() {
        let fields = [
            "Jonas Müller",
            "Müller Feinmechanik GmbH",
            "Prüfstände",
            "Sensorik",
        ];
        assert!(found(&fields, ""));
        assert!(found(&fields, "  "));
        assert!(found(&fields, "mueller"));
        assert!(found(&fields, "MÜLLER prüf"));
        assert!(found(&fields, "sensorik jonas"));
        assert!(!found(&fields, "jonas weber"));
        assert!(!found(&fields, "Kai"));
    }

    #[test]
    fn an_overlong_search_is_cut_not_refused() {
        let long = format!("{} zzz", "a ".repeat(MAX_SEARCH));
        assert!(
            found(&["anna"], &long),
            "the words past the limit are ignored"
        );
    }

    #[test]
    fn names_sort_with_their_umlauts_spelled_out() {
        let mut names = vec!["Zora", "Ölmann", "Oliver", "anna", "Ада", "Ава"];
        names.sort_by_key(|name| sort_key(name));
        assert_eq!(names, ["anna", "Ölmann", "Oliver", "Zora", "Ава", "Ада"]);
    }

    #[test]
    fn pages_are_counted_and_clamped() {
        assert_eq!(pages(0), 1);
        assert_eq!(pages(PER_PAGE), 1);
        assert_eq!(pages(PER_PAGE + 1), 2);
        let items: Vec<usize> = (0..45).collect();
        assert_eq!(page_of(items.clone(), 0), ((0..20).collect(), 1));
        assert_eq!(page_of(items.clone(), 3), ((40..45).collect(), 3));
        assert_eq!(page_of(items, 9), ((40..45).collect(), 3));
        assert_eq!(page_of(Vec::<u8>::new(), 2), (vec![], 1));
    }

    proptest! {
        #[test]
        fn every_item_is_on_exactly_one_page(count in 0usize..200) {
            let items: Vec<usize> = (0..count).collect();
            let mut seen = Vec::new();
            for page in 1..=pages(count) {
                let (on_page, shown) = page_of(items.clone(), page);
                prop_assert_eq!(shown, page);
                prop_assert!(on_page.len() <= PER_PAGE);
                seen.extend(on_page);
            }
            prop_assert_eq!(seen, items);
        }
    }
}

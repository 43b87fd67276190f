//! Organisation names as people type them at registration and as the map holds them: "Müller
//! Fräsen GmbH", "mueller fraesen", "Müller-Fräsen" are one organisation. The key folds case,
//! German umlauts and punctuation and leaves out legal forms, so one name under another legal
//! form ("Roth AG", "Roth GmbH") counts as the same organisation, as people at an event mean it;
//! close but different names ("Muller Fraesen", a typo) are likely matches that a person
//! confirms, never merged by themselves.

/// Words of legal forms and their joiners, left out of the key ("GmbH & Co. KG", "e. V.").
const LEGAL_FORMS: &[&str] = &[
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "kgaa",
    "ohg",
    "gbr",
    "ug",
    "eg",
    "ev",
    "e",
    "v",
    "se",
    "co",
    "haftungsbeschraenkt",
    "ggmbh",
    "inc",
    "ltd",
    "llc",
    "plc",
    "sarl",
    "bv",
    "gesellschaft",
];

/// How alike two keys must be (0 to 1) to be offered as a likely match.
pub const LIKELY: f64 = 0.8;

/// The name folded for comparing: lower case, umlauts and ß spelt out, accents dropped,
/// punctuation as spaces, legal forms left out (unless nothing else is left).
pub fn organisation_key(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => folded.push_str("ae"),
            'ö' => folded.push_str("oe"),
            'ü' => folded.push_str("ue"),
            'ß' => folded.push_str("ss"),
            'à' | 'á' | 'â' | 'ã' | 'å' => folded.push('a'),
            'ç' => folded.push('c'),
            'è' | 'é' | 'ê' | 'ë' => folded.push('e'),
            'ì' | 'í' | 'î' | 'ï' => folded.push('i'),
            'ñ' => folded.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' => folded.push('o'),
            'ù' | 'ú' | 'û' => folded.push('u'),
            'ÿ' | 'ý' => folded.push('y'),
            c if c.is_alphanumeric() => folded.push(c),
            _ => folded.push(' '),
        }
    }
    let words: Vec<&str> = folded.split_whitespace().collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|word| !LEGAL_FORMS.contains(word))
        .collect();
    if kept.is_empty() {
        words.join(" ")
    } else {
        kept.join(" ")
    }
}

/// How alike two keys are, from 0 to 1: the better of edit distance (typos) and
/// Jaro-Winkler (a shared beginning, "Müller Fräsen" and "Müller Fräsen Eppingen").
pub fn likeness(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let edits = strsim::normalized_damerau_levenshtein(a, b);
    let (shorter, longer) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // A name typed short ("Müller Fräsen" for "Müller Fräsen Eppingen"), word by word.
    let beginning = if longer.starts_with(shorter)
        && longer[shorter.len()..].starts_with(' ')
        && shorter.len() >= 4
    {
        0.9
    } else {
        0.0
    };
    edits.max(strsim::jaro_winkler(a, b) - 0.1).max(beginning)
}

/// The `limit` candidates (id, name) most like `name`, at least [`LIKELY`] alike, best first
/// (ties by id), each with its likeness.
pub fn likely_matches<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = (i64, &'a str)>,
    limit: usize,
) -> Vec<(i64, f64)> {
    let wanted = organisation_key(name);
    let mut found: Vec<(i64, f64)> = candidates
        .into_iter()
        .map(|(id, candidate)| (id, likeness(&wanted, &organisation_key(candidate))))
        .filter(|&(_, score)| score >= LIKELY)
        .collect();
    found.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    found.truncate(limit);
    found
}

/// Fewest characters typed before suggestions start.
pub const SUGGEST_FROM: usize = 3;

/// Map organisations for what someone is typing (`query`), best first, at most `limit`: names
/// that begin with it, then names with a word that begins with it, then names that contain it,
/// then names whose beginning is a small typo away ("Mülr" for "Müller Fräsen").
pub fn suggestions<'a>(
    query: &str,
    candidates: impl IntoIterator<Item = (i64, &'a str)>,
    limit: usize,
) -> Vec<i64> {
    if query.trim().chars().count() < SUGGEST_FROM {
        return Vec::new();
    }
    let typed = organisation_key(query);
    let length = typed.chars().count();
    let mut found: Vec<(i64, f64)> = candidates
        .into_iter()
        .filter_map(|(id, name)| {
            let key = organisation_key(name);
            let score = if key.starts_with(&typed) {
                3.0
            } else if key.split(' ').any(|word| word.starts_with(&typed)) {
                2.0
            } else if key.contains(&typed) {
                1.5
            } else {
                let beginning: String = key.chars().take(length).collect();
                let near = strsim::normalized_damerau_levenshtein(&typed, &beginning)
                    .max(likeness(&typed, &key));
                if length >= 4 && near >= 0.75 {
                    near
                } else {
                    return None;
                }
            };
            Some((id, score))
        })
        .collect();
    found.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    found.truncate(limit);
    found.into_iter().map(|(id, _)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spellings_of_one_organisation_share_a_key() {
        let key = organisation_key("Müller Fräsen GmbH");
        for spelling in [
            "mueller fraesen",
            "MÜLLER-FRÄSEN",
            "  Müller   Fräsen GmbH & Co. KG ",
            "Müller Fräsen (GmbH)",
        ] {
            assert_eq!(organisation_key(spelling), key, "{spelling}");
        }
        assert_eq!(organisation_key("Förderverein e. V."), "foerderverein");
        assert_eq!(
            organisation_key("AG"),
            "ag",
            "a name of legal words only stays"
        );
        assert_ne!(
            organisation_key("Müller Fräsen"),
            organisation_key("Müllers Fräsen")
        );
    }

    #[test]
    fn typos_and_short_forms_are_likely_matches_and_others_are_not() {
        let map = [
            (1, "Müller Fräsen GmbH"),
            (2, "Hochschule Heilbronn"),
            (3, "Müller Fräsen Eppingen"),
            (4, "Roth Sensorik AG"),
        ];
        let ids = |name: &str| -> Vec<i64> {
            likely_matches(name, map, 3)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        assert_eq!(ids("Muller Frasen"), vec![1], "umlauts typed plainly");
        assert_eq!(ids("Müller Fräsn GmbH")[0], 1, "a typo");
        assert_eq!(ids("Hochschule Heilbron"), vec![2]);
        assert_eq!(ids("Roth Sensorik"), vec![4]);
        assert_eq!(ids("Bäckerei Schmitt"), Vec::<i64>::new());
        assert_eq!(
            ids("Müller Fräsen"),
            vec![1, 3],
            "the same key first, then the longer name it begins"
        );
    }

    #[test]
    fn suggestions_follow_the_typing_and_forgive_small_typos() {
        let map = [
            (1, "Müller Fräsen GmbH"),
            (2, "Hochschule Heilbronn"),
            (3, "Gründungsinitiative Hochschule Heilbronn"),
            (4, "Roth Müller AG"),
            (5, "Stadtwerke Sinsheim"),
        ];
        assert_eq!(suggestions("mü", map, 5), Vec::<i64>::new(), "too short");
        assert_eq!(suggestions("Müll", map, 5), vec![1, 4]);
        assert_eq!(
            suggestions("muell", map, 5),
            vec![1, 4],
            "umlauts typed plainly"
        );
        assert_eq!(suggestions("hochschule", map, 5), vec![2, 3]);
        assert_eq!(
            suggestions("Mülr Fr", map, 5),
            vec![1],
            "a typo while typing"
        );
        assert_eq!(suggestions("Bäckerei", map, 5), Vec::<i64>::new());
        assert_eq!(
            suggestions("hochschule", map, 1),
            vec![2],
            "at most the limit"
        );
    }

    proptest! {
        #[test]
        fn the_key_ignores_case_spacing_and_legal_forms(
            words in proptest::collection::vec("[a-zäöüß]{1,8}", 1..4),
            form in prop::sample::select(vec!["", " GmbH", " AG", " e.V.", " GmbH & Co. KG"]),
        ) {
            let name = words.join(" ");
            let shouted = format!("  {}{form} ", name.to_uppercase());
            prop_assume!(!words.iter().all(|w| LEGAL_FORMS.contains(&organisation_key(w).as_str())));
            prop_assert_eq!(organisation_key(&shouted), organisation_key(&name));
            prop_assert!((likeness(&organisation_key(&name), &organisation_key(&shouted)) - 1.0).abs() < 1e-9);
        }

        #[test]
        fn likeness_is_symmetric_and_bounded(a in "[a-z ]{0,12}", b in "[a-z ]{0,12}") {
            let (x, y) = (likeness(&a, &b), likeness(&b, &a));
            prop_assert!((x - y).abs() < 1e-9);
            prop_assert!((0.0..=1.0).contains(&x));
        }
    }
}

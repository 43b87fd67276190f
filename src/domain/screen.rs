//! The projector's pages: everyone of a round in alphabetical order, split into pages that fit
//! the screen without cutting anything off, each with the names it runs from and to. The sizes
//! here are the stylesheet's (`.screen` in `style/main.css`): text never smaller than 28 px, so
//! it reads from the back of a room.

/// Pixel sizes the stylesheet uses for the projector: the names' and the tables' type, their
/// line heights (1.2 and 1.15 of it), and an entry's padding and rule.
pub const NAME_PX: f64 = 30.0;
pub const PLACE_PX: f64 = 36.0;
const NAME_LINE_PX: f64 = NAME_PX * 1.2;
const PLACE_LINE_PX: f64 = PLACE_PX * 1.15;
const ENTRY_EXTRA_PX: f64 = 7.0;
/// Browsers round line boxes; a little room per entry keeps a full column inside its box.
const ROUNDING_PX: f64 = 1.0;
/// Header (title, round, countdown) and footer (page, letters, "find your table") heights.
pub const HEAD_PX: f64 = 150.0;
pub const FOOT_PX: f64 = 130.0;
pub const SIDE_PADDING_PX: f64 = 64.0;
pub const COLUMN_GAP_PX: f64 = 40.0;
pub const COLUMN_MIN_PX: f64 = 540.0;
/// The share of a column the name takes; the table's name has the rest.
pub const NAME_SHARE: f64 = 0.62;
/// Average widths of a character in em, on the safe side (bold, some capitals).
const NAME_EM: f64 = 0.62;
const PLACE_EM: f64 = 0.64;
/// How long a page stays before the next one turns up.
pub const PAGE_SECONDS: u32 = 7;
/// How many letters of a name the page's range shows ("Ann – Ben").
const RANGE_CHARS: usize = 3;

/// How many columns a screen holds, how tall they are, and how many characters fit in a line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenLayout {
    pub columns: usize,
    pub column_px: f64,
    pub name_chars: usize,
    pub place_chars: usize,
}

impl ScreenLayout {
    /// The layout of a screen of `width` × `height` CSS pixels.
    pub fn for_viewport(width: f64, height: f64) -> ScreenLayout {
        let usable = (width - SIDE_PADDING_PX).max(COLUMN_MIN_PX / 2.0);
        let columns = ((usable + COLUMN_GAP_PX) / (COLUMN_MIN_PX + COLUMN_GAP_PX))
            .floor()
            .clamp(1.0, 4.0);
        let column = (usable - (columns - 1.0) * COLUMN_GAP_PX) / columns;
        let name = column * NAME_SHARE;
        let place = column - name - 16.0;
        ScreenLayout {
            columns: columns as usize,
            column_px: (height - HEAD_PX - FOOT_PX).max(3.0 * PLACE_LINE_PX),
            name_chars: ((name / (NAME_PX * NAME_EM)).floor() as usize).max(6),
            place_chars: ((place / (PLACE_PX * PLACE_EM)).floor() as usize).max(4),
        }
    }

    /// The projector the server renders the first page for.
    pub fn full_hd() -> ScreenLayout {
        ScreenLayout::for_viewport(1920.0, 1080.0)
    }
}

/// How many lines `text` takes when wrapped at spaces into lines of `width` characters (a word
/// longer than a line is broken).
pub fn wrapped_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    let mut lines = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let mut length = word.chars().count();
        let needed = if used == 0 { length } else { used + 1 + length };
        if needed <= width {
            used = needed;
            continue;
        }
        if used > 0 {
            lines += 1;
        }
        while length > width {
            lines += 1;
            length -= width;
        }
        used = length;
    }
    lines
}

/// A name as it sorts on the projector: lower case, umlauts and accents folded ("Özdemir" sorts
/// with "o", "Straße" as "strasse").
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' => key.push('a'),
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => key.push('o'),
            'ü' | 'ù' | 'ú' | 'û' => key.push('u'),
            'é' | 'è' | 'ê' | 'ë' => key.push('e'),
            'í' | 'ì' | 'î' | 'ï' => key.push('i'),
            'ç' | 'ć' | 'č' => key.push('c'),
            'ñ' | 'ń' => key.push('n'),
            'š' | 'ś' => key.push('s'),
            'ž' | 'ź' | 'ż' => key.push('z'),
            'ł' => key.push('l'),
            'ß' => key.push_str("ss"),
            other => key.push(other),
        }
    }
    key
}

/// The letter a name is listed under: A–Z, or `#` for anything else.
pub fn index_letter(name: &str) -> char {
    match sort_key(name).chars().next() {
        Some(c) if c.is_ascii_lowercase() => c.to_ascii_uppercase(),
        _ => '#',
    }
}

/// One line of the projector: who, and where (a table's name, or why they rest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreenEntry {
    pub name: String,
    pub place: String,
}

/// One page: entries `start..end` of the sorted list, the letters they run from and to, and the
/// beginnings of the first and the last name ("Ann", "Ben").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreenPage {
    pub start: usize,
    pub end: usize,
    pub first: char,
    pub last: char,
    pub from: String,
    pub to: String,
}

/// Sorts `entries` alphabetically (by [`sort_key`], then as written).
pub fn sort_entries(entries: &mut [ScreenEntry]) {
    entries.sort_by_cached_key(|entry| (sort_key(&entry.name), entry.name.clone()));
}

/// How tall an entry is in `layout`, in CSS pixels.
pub fn entry_px(entry: &ScreenEntry, layout: ScreenLayout) -> f64 {
    let name = wrapped_lines(&entry.name, layout.name_chars) as f64 * NAME_LINE_PX;
    let place = wrapped_lines(&entry.place, layout.place_chars) as f64 * PLACE_LINE_PX;
    name.max(place) + ENTRY_EXTRA_PX + ROUNDING_PX
}

/// The columns of the entries `start..` in `layout`, until `layout`'s columns are full: each a
/// list of entry indexes. An entry is as tall as its longer part wraps and never continues into
/// the next column.
fn fill_columns(entries: &[ScreenEntry], start: usize, layout: ScreenLayout) -> Vec<Vec<usize>> {
    let mut columns = vec![Vec::new()];
    let mut used = 0.0;
    for (index, entry) in entries.iter().enumerate().skip(start) {
        let height = entry_px(entry, layout);
        if used > 0.0 && used + height > layout.column_px {
            if columns.len() == layout.columns {
                break;
            }
            columns.push(Vec::new());
            used = 0.0;
        }
        used += height;
        columns.last_mut().expect("one column at least").push(index);
    }
    columns
}

/// Splits sorted `entries` into pages that fill `layout`'s columns top to bottom.
pub fn paginate(entries: &[ScreenEntry], layout: ScreenLayout) -> Vec<ScreenPage> {
    let mut pages = Vec::new();
    let mut start = 0;
    loop {
        let end = fill_columns(entries, start, layout)
            .iter()
            .flatten()
            .last()
            .map_or(start, |last| last + 1);
        pages.push(page(entries, start, end));
        if end >= entries.len() {
            return pages;
        }
        start = end;
    }
}

/// The columns of one page, as entry indexes.
pub fn columns_of(
    entries: &[ScreenEntry],
    page: &ScreenPage,
    layout: ScreenLayout,
) -> Vec<Vec<usize>> {
    fill_columns(&entries[..page.end], page.start, layout)
}

fn page(entries: &[ScreenEntry], start: usize, end: usize) -> ScreenPage {
    let (first, last) = (
        entries.get(start),
        end.checked_sub(1).and_then(|i| entries.get(i)),
    );
    let (first, last) = if start < end {
        (first, last)
    } else {
        (None, None)
    };
    let beginning = |entry: Option<&ScreenEntry>| -> String {
        entry.map_or_else(String::new, |e| {
            e.name.trim().chars().take(RANGE_CHARS).collect()
        })
    };
    ScreenPage {
        start,
        end,
        first: first.map_or('#', |e| index_letter(&e.name)),
        last: last.map_or('#', |e| index_letter(&e.name)),
        from: beginning(first),
        to: beginning(last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(name: &str, place: &str) -> ScreenEntry {
        ScreenEntry {
            name: name.into(),
            place: place.into(),
        }
    }

    #[test]
    fn a_full_hd_projector_holds_three_columns_of_large_lines() {
        let layout = ScreenLayout::full_hd();
        assert_eq!(layout.columns, 3);
        let line = entry_px(&entry("Anna Alpers", "Tisch 12"), layout);
        assert!(layout.column_px / line >= 15.0, "{layout:?}");
        assert!(layout.name_chars >= 18, "{layout:?}");
        assert!(layout.place_chars >= 8, "\"Tisch 120\" fits: {layout:?}");
        let phone = ScreenLayout::for_viewport(390.0, 844.0);
        assert_eq!(phone.columns, 1);
    }

    #[test]
    fn wrapping_counts_lines_like_a_browser_would_at_most() {
        assert_eq!(wrapped_lines("Anna Alpers", 20), 1);
        assert_eq!(wrapped_lines("Dr. Maximilian Müller-Lüdenscheidt", 20), 2);
        assert_eq!(wrapped_lines("Donaudampfschifffahrtsgesellschaft", 10), 4);
        assert_eq!(wrapped_lines("", 10), 1);
    }

    #[test]
    fn names_sort_as_people_look_for_them() {
        let mut entries = vec![
            entry("Zoe Zander", "Tisch 1"),
            entry("Özlem Demir", "Tisch 2"),
            entry("anna Berg", "Tisch 3"),
            entry("Otto Ahrens", "Tisch 4"),
        ];
        sort_entries(&mut entries);
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["anna Berg", "Otto Ahrens", "Özlem Demir", "Zoe Zander"]
        );
        assert_eq!(index_letter("Özlem"), 'O');
        assert_eq!(index_letter("1. FC"), '#');
    }

    #[test]
    fn three_hundred_people_fill_pages_with_letter_ranges() {
        let layout = ScreenLayout::full_hd();
        let mut entries: Vec<ScreenEntry> = (0..300)
            .map(|i| {
                entry(
                    &format!("{} Person {i}", (b'A' + (i % 26) as u8) as char),
                    "Tisch 12",
                )
            })
            .collect();
        sort_entries(&mut entries);
        let pages = paginate(&entries, layout);
        let per_column = (layout.column_px / entry_px(&entries[0], layout)).floor() as usize;
        assert_eq!(pages.len(), 300_usize.div_ceil(per_column * layout.columns));
        assert_eq!((pages[0].first, pages.last().unwrap().last), ('A', 'Z'));
        assert_eq!(
            (pages[0].from.as_str(), pages[0].to.as_str()),
            ("A P", "D P")
        );
    }

    proptest! {
        /// Pages cover every entry once, in order, and no column is taller than the screen's (but
        /// for an entry that alone is taller, which then stands alone).
        #[test]
        fn pages_cover_everyone_and_never_overflow(
            names in prop::collection::vec("[A-Za-zÄÖÜäöüß]{1,14}( [A-Za-z-]{1,30}){0,3}", 0..400),
            width in 320.0f64..3840.0,
            height in 480.0f64..2160.0,
        ) {
            let layout = ScreenLayout::for_viewport(width, height);
            let mut entries: Vec<ScreenEntry> =
                names.iter().map(|n| entry(n, "Lounge 12")).collect();
            sort_entries(&mut entries);
            let pages = paginate(&entries, layout);
            let mut next = 0;
            for page in &pages {
                prop_assert_eq!(page.start, next);
                prop_assert!(page.end > page.start || entries.is_empty());
                next = page.end;
                let columns = columns_of(&entries, page, layout);
                prop_assert!(columns.len() <= layout.columns);
                prop_assert_eq!(columns.iter().flatten().count(), page.end - page.start);
                for column in columns {
                    let height: f64 = column.iter().map(|&i| entry_px(&entries[i], layout)).sum();
                    prop_assert!(height <= layout.column_px || column.len() == 1);
                }
            }
            prop_assert_eq!(next, entries.len());
        }
    }
}

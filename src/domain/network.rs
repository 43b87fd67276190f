//! The public network as one in-memory snapshot, the map filter that selects part of it, and the
//! growth of the selection over time. Shared by the map, the network view, the exports and the
//! embed, so every view of "the same filters" selects exactly the same actors and connections.

use super::actor::{ActorKind, ConnectionKind};
use super::date::{add_days, month_of, Datelike, Day, Month, YEAR_RANGE};
use super::slug::slugify;
use serde::{Deserialize, Serialize};

/// Longest free-text search that is kept; longer input is cut, not refused (it comes from URLs).
pub const SEARCH_MAX: usize = 100;
/// Values a list filter keeps (the taxonomy and the towns of a region are far fewer) …
pub const FILTER_VALUES_MAX: usize = 50;
/// … each at most this long; and a query is read up to this many parameters. A link with
/// thousands of values costs the server no more than a real one.
pub const FILTER_VALUE_CHARS_MAX: usize = 100;
const FILTER_PARAMS_MAX: usize = 300;
/// Actors with a connection that started this many days ago or later are marked as new.
pub const RECENT_DAYS: i64 = 90;

/// What a map view shows; its query string is the shareable URL of the view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapFilter {
    pub kinds: Vec<ActorKind>,
    pub sectors: Vec<String>,
    pub technologies: Vec<String>,
    pub towns: Vec<String>,
    pub connection_kinds: Vec<ConnectionKind>,
    /// Connections active in or after this year.
    pub from_year: Option<i32>,
    /// Connections started in or before this year.
    pub to_year: Option<i32>,
    pub text: String,
}

impl MapFilter {
    /// How many filters narrow the view (each chosen kind, term, town and connection kind, each
    /// year bound and the search text), for the folded filter panel's label.
    pub fn active_count(&self) -> usize {
        self.kinds.len()
            + self.sectors.len()
            + self.technologies.len()
            + self.towns.len()
            + self.connection_kinds.len()
            + usize::from(self.from_year.is_some())
            + usize::from(self.to_year.is_some())
            + usize::from(!self.text.trim().is_empty())
    }

    /// Reads a URL query (`art=startup&art=forschung&q=…`). Unknown keys and values that cannot be
    /// meant (an unknown kind, a year 12345) are dropped rather than refused: shared links outlive
    /// taxonomy changes, and a view that shows a little more is better than an error page.
    pub fn from_query(query: &str) -> MapFilter {
        let mut filter = MapFilter::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        let add = |list: &mut Vec<String>, value: &str| {
            if list.len() < FILTER_VALUES_MAX && value.chars().count() <= FILTER_VALUE_CHARS_MAX {
                list.push(value.to_owned());
            }
        };
        for (key, value) in form_urlencoded::parse(query.as_bytes()).take(FILTER_PARAMS_MAX) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key.as_ref() {
                "art" => filter.kinds.extend(ActorKind::from_code(value)),
                "branche" => add(&mut filter.sectors, value),
                "technologie" => add(&mut filter.technologies, value),
                "ort" => add(&mut filter.towns, value),
                "verbindung" => filter
                    .connection_kinds
                    .extend(ConnectionKind::from_code(value)),
                "von" => filter.from_year = value.parse().ok().filter(|y| YEAR_RANGE.contains(y)),
                "bis" => filter.to_year = value.parse().ok().filter(|y| YEAR_RANGE.contains(y)),
                "q" => filter.text = value.chars().take(SEARCH_MAX).collect(),
                _ => {}
            }
        }
        filter.normalise();
        filter
    }

    /// The canonical query string (sorted, without duplicates); empty when nothing is filtered.
    pub fn to_query(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for kind in &self.kinds {
            query.append_pair("art", kind.code());
        }
        for sector in &self.sectors {
            query.append_pair("branche", sector);
        }
        for technology in &self.technologies {
            query.append_pair("technologie", technology);
        }
        for town in &self.towns {
            query.append_pair("ort", town);
        }
        for kind in &self.connection_kinds {
            query.append_pair("verbindung", kind.code());
        }
        if let Some(year) = self.from_year {
            query.append_pair("von", &year.to_string());
        }
        if let Some(year) = self.to_year {
            query.append_pair("bis", &year.to_string());
        }
        if !self.text.is_empty() {
            query.append_pair("q", &self.text);
        }
        query.finish()
    }

    fn normalise(&mut self) {
        self.kinds.sort_by_key(|kind| kind.code());
        self.kinds.dedup();
        self.connection_kinds.sort_by_key(|kind| kind.code());
        self.connection_kinds.dedup();
        for list in [&mut self.sectors, &mut self.technologies, &mut self.towns] {
            list.sort();
            list.dedup();
        }
        if let (Some(from), Some(to)) = (self.from_year, self.to_year) {
            if from > to {
                self.from_year = Some(to);
                self.to_year = Some(from);
            }
        }
        self.text = self.text.trim().to_owned();
    }

    pub fn is_empty(&self) -> bool {
        *self == MapFilter::default()
    }

    /// Whether the filter is about connections, so actors without a matching one drop out.
    fn restricts_connections(&self) -> bool {
        !self.connection_kinds.is_empty() || self.from_year.is_some() || self.to_year.is_some()
    }

    fn admits_actor(&self, actor: &NetworkActor, search: &str) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&actor.kind))
            && (self.towns.is_empty() || self.towns.contains(&actor.town))
            && (self.sectors.is_empty() || actor.sectors.iter().any(|s| self.sectors.contains(s)))
            && (self.technologies.is_empty()
                || actor
                    .technologies
                    .iter()
                    .any(|t| self.technologies.contains(t)))
            && (search.is_empty() || actor.search_key.contains(search))
    }

    fn admits_connection(&self, connection: &NetworkConnection) -> bool {
        let kind_ok =
            self.connection_kinds.is_empty() || self.connection_kinds.contains(&connection.kind);
        let started_ok = self.to_year.is_none_or(|to| connection.start.year() <= to);
        let still_active_ok = match (self.from_year, connection.end) {
            (Some(from), Some(end)) => end.year() >= from,
            _ => true,
        };
        kind_ok && started_ok && still_active_ok
    }
}

/// One public actor as the map needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkActor {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: ActorKind,
    pub town: String,
    pub lat: f64,
    pub lon: f64,
    pub sectors: Vec<String>,
    pub technologies: Vec<String>,
    /// Name, town and description folded like a slug, so "Müller" finds "mueller".
    pub search_key: String,
}

impl NetworkActor {
    pub fn search_key_for(name: &str, town: &str, description: &str) -> String {
        slugify(&format!("{name} {town} {description}"))
    }
}

/// One connection between two public actors, by their index in [`Network::actors`].
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkConnection {
    pub id: i64,
    pub source: usize,
    pub target: usize,
    pub kind: ConnectionKind,
    pub start: Day,
    pub end: Option<Day>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Network {
    pub actors: Vec<NetworkActor>,
    pub connections: Vec<NetworkConnection>,
}

/// Where each town lies, as the mean position of its actors (name as first written, lat, lon),
/// for placing a new actor by its town without a geocoding service.
pub fn town_positions(actors: &[NetworkActor]) -> Vec<(String, f64, f64)> {
    let mut towns: std::collections::BTreeMap<String, (String, f64, f64, f64)> = Default::default();
    for actor in actors {
        let entry = towns
            .entry(actor.town.trim().to_lowercase())
            .or_insert_with(|| (actor.town.trim().to_owned(), 0.0, 0.0, 0.0));
        entry.1 += actor.lat;
        entry.2 += actor.lon;
        entry.3 += 1.0;
    }
    towns
        .into_values()
        .map(|(name, lat, lon, n)| (name, lat / n, lon / n))
        .collect()
}

/// Indices into a [`Network`] of what a filter lets through, in network order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub actors: Vec<usize>,
    pub connections: Vec<usize>,
}

/// The state of the selected network at the end of one month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrowthPoint {
    pub month: Month,
    /// Actors with at least one connection started by then.
    pub actors: u32,
    /// Connections started by then and not yet ended.
    pub connections: u32,
    /// Connections started in this month.
    pub new_connections: u32,
}

impl Network {
    /// Applies a filter: actors that match it, and the matching connections between two of them.
    /// A filter on connections (kind, years) also drops actors left without any.
    pub fn select(&self, filter: &MapFilter) -> Selection {
        let search = slugify(&filter.text);
        let admitted: Vec<bool> = self
            .actors
            .iter()
            .map(|actor| filter.admits_actor(actor, &search))
            .collect();
        let connections: Vec<usize> = self
            .connections
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                admitted[c.source] && admitted[c.target] && filter.admits_connection(c)
            })
            .map(|(index, _)| index)
            .collect();
        let actors = if filter.restricts_connections() {
            let mut linked = vec![false; self.actors.len()];
            for &index in &connections {
                linked[self.connections[index].source] = true;
                linked[self.connections[index].target] = true;
            }
            (0..self.actors.len()).filter(|&i| linked[i]).collect()
        } else {
            (0..self.actors.len()).filter(|&i| admitted[i]).collect()
        };
        Selection {
            actors,
            connections,
        }
    }

    /// Month by month from the first selected connection to `today`: how the selection grew.
    pub fn growth(&self, selection: &Selection, today: Day) -> Vec<GrowthPoint> {
        let Some(first) = selection
            .connections
            .iter()
            .map(|&i| self.connections[i].start)
            .min()
        else {
            return Vec::new();
        };
        let (first_month, last_month) = (month_of(first), month_of(today).max(month_of(first)));
        let span = (last_month - first_month + 1) as usize;
        let mut started = vec![0u32; span];
        let mut ended = vec![0u32; span + 1];
        let mut joined = vec![0u32; span];
        let mut first_start: Vec<Option<Day>> = vec![None; self.actors.len()];
        for &index in &selection.connections {
            let connection = &self.connections[index];
            let offset = |day: Day| (month_of(day) - first_month).clamp(0, span as i32) as usize;
            started[offset(connection.start).min(span - 1)] += 1;
            if let Some(end) = connection.end {
                ended[offset(end)] += 1;
            }
            for actor in [connection.source, connection.target] {
                let entry = &mut first_start[actor];
                *entry = Some(entry.map_or(connection.start, |d| d.min(connection.start)));
            }
        }
        for day in first_start.into_iter().flatten() {
            joined[((month_of(day) - first_month) as usize).min(span - 1)] += 1;
        }
        let (mut actors, mut active) = (0u32, 0i64);
        (0..span)
            .map(|offset| {
                actors += joined[offset];
                active += i64::from(started[offset]) - i64::from(ended[offset]);
                GrowthPoint {
                    month: first_month + offset as i32,
                    actors,
                    connections: active.max(0) as u32,
                    new_connections: started[offset],
                }
            })
            .collect()
    }

    /// Actors with a selected connection that started within [`RECENT_DAYS`] before `today`.
    pub fn recently_connected(&self, selection: &Selection, today: Day) -> Vec<bool> {
        let mut recent = vec![false; self.actors.len()];
        for &index in &selection.connections {
            let connection = &self.connections[index];
            if (add_days(today, -RECENT_DAYS)..=today).contains(&connection.start) {
                recent[connection.source] = true;
                recent[connection.target] = true;
            }
        }
        recent
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_town_lies_where_its_actors_are() {
        let actor = |town: &str, lat: f64, lon: f64| NetworkActor {
            id: 0,
            slug: String::new(),
            name: String::new(),
            kind: ActorKind::Startup,
            town: town.into(),
            lat,
            lon,
            sectors: vec![],
            technologies: vec![],
            search_key: String::new(),
        };
        let towns = town_positions(&[
            actor("Sinsheim", 49.2, 8.8),
            actor("sinsheim ", 49.3, 8.9),
            actor("Eppingen", 49.1, 8.9),
        ]);
        assert_eq!(towns.len(), 2);
        assert_eq!(towns[0], ("Eppingen".into(), 49.1, 8.9));
        assert_eq!(towns[1].0, "Sinsheim");
        assert!((towns[1].1 - 49.25).abs() < 1e-9 && (towns[1].2 - 8.85).abs() < 1e-9);
    }

    #[test]
    fn active_filters_are_counted() {
        assert_eq!(MapFilter::from_query("").active_count(), 0);
        let filter = MapFilter::from_query("art=startup&art=forschung&q=sensor&von=2020&ort=");
        assert_eq!(filter.active_count(), 4);
    }

    use super::*;
    use crate::domain::date::{format_month, parse_date};

    #[test]
    fn a_flood_of_filter_values_is_cut_to_size() {
        let mut query = String::new();
        for n in 0..500 {
            query.push_str(&format!("branche=b{n}&ort={}&", "x".repeat(n)));
        }
        let filter = MapFilter::from_query(&query);
        assert!(filter.sectors.len() <= FILTER_VALUES_MAX);
        assert!(filter.towns.len() <= FILTER_VALUES_MAX);
        assert!(filter
            .towns
            .iter()
            .all(|t| t.len() <= FILTER_VALUE_CHARS_MAX));
    }
    use proptest::prelude::*;

    fn actor(id: i64, name: &str, kind: ActorKind, town: &str, sectors: &[&str]) -> NetworkActor {
        NetworkActor {
            id,
            slug: slugify(name),
            name: name.into(),
            kind,
            town: town.into(),
            lat: 49.0,
            lon: 8.5,
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            technologies: Vec::new(),
            search_key: NetworkActor::search_key_for(name, town, ""),
        }
    }

    fn connection(
        source: usize,
        target: usize,
        kind: ConnectionKind,
        start: &str,
    ) -> NetworkConnection {
        NetworkConnection {
            id: (source * 100 + target) as i64,
            source,
            target,
            kind,
            start: parse_date(start).unwrap(),
            end: None,
        }
    }

    /// Müller (Mittelstand, Sinsheim) – KIT (Forschung, Karlsruhe) – Sensorik (Startup, Karlsruhe).
    fn small_network() -> Network {
        Network {
            actors: vec![
                actor(
                    1,
                    "Müller Maschinenbau",
                    ActorKind::Mittelstand,
                    "Sinsheim",
                    &["maschinenbau"],
                ),
                actor(2, "KIT", ActorKind::Forschung, "Karlsruhe", &["forschung"]),
                actor(
                    3,
                    "Sensorik Start",
                    ActorKind::Startup,
                    "Karlsruhe",
                    &["maschinenbau", "it"],
                ),
                actor(4, "Einzelgänger", ActorKind::Initiative, "Bretten", &[]),
            ],
            connections: vec![
                connection(0, 1, ConnectionKind::Forschungskooperation, "2021-03-01"),
                connection(1, 2, ConnectionKind::Mentoring, "2023-06-15"),
                connection(0, 2, ConnectionKind::Tandem, "2025-01-10"),
            ],
        }
    }

    #[test]
    fn empty_filter_selects_everything() {
        let network = small_network();
        let selection = network.select(&MapFilter::default());
        assert_eq!(selection.actors, vec![0, 1, 2, 3]);
        assert_eq!(selection.connections, vec![0, 1, 2]);
    }

    #[test]
    fn actor_filters_drop_actors_and_their_connections() {
        let network = small_network();
        let filter = MapFilter::from_query("ort=Karlsruhe");
        let selection = network.select(&filter);
        assert_eq!(selection.actors, vec![1, 2]);
        assert_eq!(selection.connections, vec![1]);

        let by_sector = network.select(&MapFilter::from_query("branche=maschinenbau"));
        assert_eq!(by_sector.actors, vec![0, 2]);
        assert_eq!(by_sector.connections, vec![2]);

        let by_kind = network.select(&MapFilter::from_query("art=startup&art=forschung"));
        assert_eq!(by_kind.actors, vec![1, 2]);
    }

    #[test]
    fn search_folds_umlauts_and_case() {
        let network = small_network();
        for query in ["q=m%C3%BCller", "q=MUELLER", "q=sinsheim"] {
            assert_eq!(
                network.select(&MapFilter::from_query(query)).actors,
                vec![0],
                "{query}"
            );
        }
    }

    #[test]
    fn connection_filters_drop_actors_without_a_matching_connection() {
        let network = small_network();
        let mentoring = network.select(&MapFilter::from_query("verbindung=mentoring"));
        assert_eq!(mentoring.actors, vec![1, 2]);
        assert_eq!(mentoring.connections, vec![1]);

        let until_2022 = network.select(&MapFilter::from_query("bis=2022"));
        assert_eq!(until_2022.connections, vec![0]);
        assert_eq!(until_2022.actors, vec![0, 1]);

        let mut ended = small_network();
        ended.connections[0].end = parse_date("2022-12-31");
        let from_2023 = ended.select(&MapFilter::from_query("von=2023"));
        assert_eq!(from_2023.connections, vec![1, 2]);
    }

    #[test]
    fn growth_counts_month_by_month() {
        let network = small_network();
        let selection = network.select(&MapFilter::default());
        let today = parse_date("2025-02-01").unwrap();
        let growth = network.growth(&selection, today);
        assert_eq!(
            growth.first().map(|p| format_month(p.month)),
            Some("2021-03".into())
        );
        assert_eq!(
            growth.last().map(|p| format_month(p.month)),
            Some("2025-02".into())
        );
        let at = |month: &str| {
            *growth
                .iter()
                .find(|p| format_month(p.month) == month)
                .unwrap()
        };
        assert_eq!((at("2021-03").actors, at("2021-03").connections), (2, 1));
        assert_eq!((at("2023-05").actors, at("2023-05").connections), (2, 1));
        assert_eq!((at("2023-06").actors, at("2023-06").connections), (3, 2));
        assert_eq!(at("2025-01").new_connections, 1);
        assert_eq!(at("2025-02").connections, 3);
        assert!(network.growth(&Selection::default(), today).is_empty());
    }

    #[test]
    fn recent_connections_mark_both_ends() {
        let network = small_network();
        let selection = network.select(&MapFilter::default());
        let recent = network.recently_connected(&selection, parse_date("2025-03-01").unwrap());
        assert_eq!(recent, vec![true, false, true, false]);
    }

    #[test]
    fn query_parsing_is_lenient_and_canonical() {
        let filter = MapFilter::from_query(
            "?bis=2020&von=2024&art=konzern&art=startup&art=startup&q=+KI+&x=1&von2=3",
        );
        assert_eq!(filter.kinds, vec![ActorKind::Startup]);
        assert_eq!((filter.from_year, filter.to_year), (Some(2020), Some(2024)));
        assert_eq!(filter.text, "KI");
        assert_eq!(filter.to_query(), "art=startup&von=2020&bis=2024&q=KI");
        assert!(MapFilter::from_query("von=99999&art=").is_empty());
    }

    fn any_filter() -> impl Strategy<Value = MapFilter> {
        (
            proptest::sample::subsequence(ActorKind::ALL.to_vec(), 0..=6),
            proptest::collection::vec("[a-zäöü &=%+]{1,12}", 0..3),
            proptest::collection::vec("[A-Za-zä -]{1,12}", 0..3),
            proptest::sample::subsequence(ConnectionKind::ALL.to_vec(), 0..=5),
            proptest::option::of(1900i32..=2100),
            proptest::option::of(1900i32..=2100),
            "[a-zA-Zä&=?# ]{0,20}",
        )
            .prop_map(
                |(kinds, sectors, towns, connection_kinds, from_year, to_year, text)| {
                    let mut filter = MapFilter {
                        kinds,
                        sectors: sectors
                            .into_iter()
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty())
                            .collect(),
                        technologies: Vec::new(),
                        towns: towns
                            .into_iter()
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty())
                            .collect(),
                        connection_kinds,
                        from_year,
                        to_year,
                        text,
                    };
                    filter.normalise();
                    filter
                },
            )
    }

    proptest! {
        #[test]
        fn queries_round_trip(filter in any_filter()) {
            prop_assert_eq!(MapFilter::from_query(&filter.to_query()), filter);
        }

        #[test]
        fn any_query_parses(query in "\\PC{0,60}") {
            let filter = MapFilter::from_query(&query);
            prop_assert!(filter.text.chars().count() <= SEARCH_MAX);
            for list in [&filter.sectors, &filter.technologies, &filter.towns] {
                prop_assert!(list.len() <= FILTER_VALUES_MAX);
                prop_assert!(list.iter().all(|v| v.chars().count() <= FILTER_VALUE_CHARS_MAX));
            }
        }

        #[test]
        fn selections_are_closed_and_monotone(filter in any_filter(), extra_kind in proptest::sample::select(ActorKind::ALL.to_vec())) {
            let network = small_network();
            let selection = network.select(&filter);
            for &c in &selection.connections {
                let connection = &network.connections[c];
                prop_assert!(selection.actors.contains(&connection.source));
                prop_assert!(selection.actors.contains(&connection.target));
            }
            // Adding an allowed kind never hides anything that was visible.
            if !filter.kinds.is_empty() {
                let mut wider = filter.clone();
                wider.kinds.push(extra_kind);
                wider.normalise();
                let wider_selection = network.select(&wider);
                prop_assert!(selection.actors.iter().all(|a| wider_selection.actors.contains(a)));
            }
        }
    }
}

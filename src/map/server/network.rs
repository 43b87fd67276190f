//! Computations over a whole snapshot: the network view's force layout and the Lagebild.
//! No I/O; called off the async threads because they take up to a second on large networks.

use crate::domain::actor::ActorKind;
use crate::domain::date::{format_quarter, quarter_of, Day};
use crate::domain::graph::{betweenness, communities, introductions, Graph};
use crate::domain::network::Network;
use crate::map::{ActorRef, Broker, CommunityView, NetworkReport, SuggestionView};
use crate::taxonomy::Term;
use std::collections::HashMap;

/// Above this many actors, betweenness uses this many sampled sources (see `graph::betweenness`).
pub const BETWEENNESS_SOURCES: usize = 600;
/// Enough for small networks to settle; large ones get fewer, coarser steps (see BENCHMARKS.md).
const LAYOUT_ITERATIONS: usize = 300;
const LARGE_LAYOUT_ITERATIONS: usize = 120;
const LARGE_NETWORK: usize = 2000;
const BROKERS: usize = 10;
const COMMUNITIES: usize = 8;
const SUGGESTIONS: usize = 15;

/// Positions of the network view, one per actor in [`Network::actors`] order, in 0..=1000.
pub type Layout = Vec<(f32, f32)>;

pub fn graph_of(network: &Network) -> Graph {
    Graph::new(
        network.actors.len(),
        network.connections.iter().map(|c| (c.source, c.target)),
    )
}

/// ForceAtlas2 (the `fa2` crate, Barnes–Hut) from a deterministic spiral, scaled to 0..=1000.
/// Large networks use a coarser Barnes–Hut approximation and fewer iterations.
pub fn force_layout(network: &Network) -> Layout {
    let n = network.actors.len();
    if n == 0 {
        return Vec::new();
    }
    let graph = graph_of(network);
    let mut data = fa2::FA2Data::<f32>::with_capacity(n, graph.edge_count());
    for i in 0..n {
        // The golden angle spreads the start evenly; identical starts would not separate.
        let (radius, angle) = ((i as f32 + 0.5).sqrt(), i as f32 * 2.399_963);
        data.add_node_with_position(radius * angle.cos(), radius * angle.sin());
    }
    for a in 0..n {
        for &b in graph.neighbours(a) {
            if (b as usize) > a {
                data.add_edge(a, b as usize);
            }
        }
    }
    let large = n > LARGE_NETWORK;
    let mut layout = fa2::FA2Settings::<f32>::from_graph_order(n)
        .with_barnes_hut_theta(if large { 1.2 } else { 0.5 })
        .parallel(true)
        .build(data);
    layout.run(if large {
        LARGE_LAYOUT_ITERATIONS
    } else {
        LAYOUT_ITERATIONS
    });
    let positions: Vec<(f32, f32)> = layout.data().positions().collect();
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in &positions {
        min_x = min_x.min(x);
        min_y = min_y.min(y);
        max_x = max_x.max(x);
        max_y = max_y.max(y);
    }
    let scale = 1000.0 / (max_x - min_x).max(max_y - min_y).max(1e-3);
    positions
        .into_iter()
        .map(|(x, y)| ((x - min_x) * scale, (y - min_y) * scale))
        .collect()
}

fn counted<K: std::hash::Hash + Eq>(items: impl IntoIterator<Item = K>) -> Vec<(K, u32)> {
    let mut counts: HashMap<K, u32> = HashMap::new();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// The Lagebild of `network`; `term` names a taxonomy slug.
pub fn build<'t>(
    network: &Network,
    term: impl Fn(&str) -> Option<&'t Term>,
    today: Day,
) -> NetworkReport {
    let actors = &network.actors;
    let reference = |i: usize| ActorRef {
        slug: actors[i].slug.clone(),
        name: actors[i].name.clone(),
        kind: actors[i].kind,
    };
    let graph = graph_of(network);

    let mut by_kind: Vec<(ActorKind, u32)> = ActorKind::ALL
        .iter()
        .map(|&kind| {
            (
                kind,
                actors.iter().filter(|a| a.kind == kind).count() as u32,
            )
        })
        .collect();
    by_kind.retain(|(_, count)| *count > 0);
    let mut by_town = counted(actors.iter().map(|a| a.town.clone()));
    by_town.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    by_town.truncate(15);

    let mut per_quarter = Vec::new();
    if let Some(first) = network
        .connections
        .iter()
        .map(|c| quarter_of(c.start))
        .min()
    {
        let last = quarter_of(today).max(first);
        let mut counts = vec![0u32; (last - first + 1) as usize];
        for connection in &network.connections {
            let q = quarter_of(connection.start);
            if q <= last {
                counts[(q - first) as usize] += 1;
            }
        }
        per_quarter = counts
            .into_iter()
            .enumerate()
            .map(|(i, count)| (format_quarter(first + i as i32), count))
            .collect();
    }

    let total = network.connections.len().max(1) as f64;
    let cross_sector = network
        .connections
        .iter()
        .filter(|c| {
            let (a, b) = (&actors[c.source], &actors[c.target]);
            !a.sectors.is_empty()
                && !b.sectors.is_empty()
                && !a.sectors.iter().any(|s| b.sectors.contains(s))
        })
        .count();
    let sme_startup = network
        .connections
        .iter()
        .filter(|c| {
            let kinds = (actors[c.source].kind, actors[c.target].kind);
            matches!(
                kinds,
                (ActorKind::Mittelstand, ActorKind::Startup)
                    | (ActorKind::Startup, ActorKind::Mittelstand)
            )
        })
        .count();

    let centrality = betweenness(&graph, Some(BETWEENNESS_SOURCES));
    let mut ranked: Vec<usize> = (0..actors.len()).filter(|&i| centrality[i] > 0.0).collect();
    ranked.sort_by(|&a, &b| centrality[b].total_cmp(&centrality[a]).then(a.cmp(&b)));
    let brokers = ranked
        .into_iter()
        .take(BROKERS)
        .map(|i| Broker {
            actor: reference(i),
            betweenness: centrality[i],
            connections: graph.neighbours(i).len() as u32,
        })
        .collect();

    let labels = communities(&graph);
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (actor, &label) in labels.iter().enumerate() {
        let label = label as usize;
        if members.len() <= label {
            members.resize(label + 1, Vec::new());
        }
        members[label].push(actor);
    }
    // A community needs at least three members; pairs and loners are not a cluster.
    let groups: Vec<&Vec<usize>> = members.iter().filter(|m| m.len() >= 3).collect();
    let community_count = groups.len() as u32;
    let communities = groups
        .into_iter()
        .take(COMMUNITIES)
        .map(|group| {
            let mut leaders = group.clone();
            leaders.sort_by_key(|&i| (std::cmp::Reverse(graph.neighbours(i).len()), i));
            let mut kinds = counted(group.iter().map(|&i| actors[i].kind));
            kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.code().cmp(b.0.code())));
            let mut towns = counted(group.iter().map(|&i| actors[i].town.clone()));
            towns.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            CommunityView {
                size: group.len() as u32,
                leaders: leaders.into_iter().take(4).map(reference).collect(),
                kinds,
                towns: towns.into_iter().take(3).map(|(town, _)| town).collect(),
            }
        })
        .collect();

    let suggestions = introductions(&graph, actors, 2, SUGGESTIONS)
        .into_iter()
        .map(|s| SuggestionView {
            a: reference(s.a),
            b: reference(s.b),
            common_partners: s.common_partners.iter().map(|&i| reference(i)).collect(),
            common_partner_count: s.common_partner_count as u32,
            shared_topics: s
                .shared_topics
                .iter()
                .filter_map(|slug| term(slug).cloned())
                .collect(),
            cross_kind: s.cross_kind,
        })
        .collect();

    NetworkReport {
        actors: actors.len() as u32,
        connections: network.connections.len() as u32,
        by_kind,
        by_town,
        per_quarter,
        cross_sector_share: cross_sector as f64 / total,
        sme_startup_share: sme_startup as f64 / total,
        brokers,
        community_count,
        communities,
        suggestions,
    }
}

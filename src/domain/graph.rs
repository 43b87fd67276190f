//! Graph metrics for the Lagebild: brokers (betweenness centrality), communities (label
//! propagation) and introduction suggestions. Pure and deterministic: the same network always
//! gives the same answer, whatever the hash seed or thread count.

use super::actor::ActorKind;
use super::network::NetworkActor;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// An undirected simple graph as adjacency lists of node indices.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    adjacency: Vec<Vec<u32>>,
}

impl Graph {
    /// Builds the graph; self-loops and repeated pairs (two kinds of connection) count once.
    pub fn new(nodes: usize, edges: impl IntoIterator<Item = (usize, usize)>) -> Graph {
        let mut adjacency = vec![Vec::new(); nodes];
        for (a, b) in edges {
            if a != b && a < nodes && b < nodes {
                adjacency[a].push(b as u32);
                adjacency[b].push(a as u32);
            }
        }
        for list in &mut adjacency {
            list.sort_unstable();
            list.dedup();
        }
        Graph { adjacency }
    }

    pub fn len(&self) -> usize {
        self.adjacency.len()
    }

    pub fn is_empty(&self) -> bool {
        self.adjacency.is_empty()
    }

    pub fn neighbours(&self, node: usize) -> &[u32] {
        &self.adjacency[node]
    }

    pub fn are_linked(&self, a: usize, b: usize) -> bool {
        self.adjacency[a].binary_search(&(b as u32)).is_ok()
    }

    pub fn edge_count(&self) -> usize {
        self.adjacency.iter().map(Vec::len).sum::<usize>() / 2
    }
}

/// Betweenness centrality (Brandes 2001), normalised to 0..=1 for undirected graphs.
///
/// With `max_sources`, large graphs use that many evenly spread source nodes and scale the
/// result (Brandes & Pich 2007): the ranking of brokers stays stable while the time stays within
/// what a page request may take. Smaller graphs are always computed exactly.
pub fn betweenness(graph: &Graph, max_sources: Option<usize>) -> Vec<f64> {
    let n = graph.len();
    let mut centrality = vec![0.0; n];
    if n < 3 {
        return centrality;
    }
    let sources: Vec<usize> = match max_sources {
        Some(k) if k > 0 && k < n => (0..k).map(|i| i * n / k).collect(),
        _ => (0..n).collect(),
    };
    let mut stack = Vec::with_capacity(n);
    let mut queue = VecDeque::with_capacity(n);
    let mut paths = vec![0.0f64; n];
    let mut distance = vec![-1i32; n];
    let mut dependency = vec![0.0f64; n];
    for &source in &sources {
        stack.clear();
        paths.fill(0.0);
        distance.fill(-1);
        dependency.fill(0.0);
        paths[source] = 1.0;
        distance[source] = 0;
        queue.push_back(source);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            for &w in graph.neighbours(v) {
                let w = w as usize;
                if distance[w] < 0 {
                    distance[w] = distance[v] + 1;
                    queue.push_back(w);
                }
                if distance[w] == distance[v] + 1 {
                    paths[w] += paths[v];
                }
            }
        }
        // Predecessors are the neighbours one step closer, so no predecessor lists are kept.
        while let Some(w) = stack.pop() {
            for &v in graph.neighbours(w) {
                let v = v as usize;
                if distance[v] == distance[w] - 1 {
                    dependency[v] += paths[v] / paths[w] * (1.0 + dependency[w]);
                }
            }
            if w != source {
                centrality[w] += dependency[w];
            }
        }
    }
    // Each undirected path was counted from both ends; sampling scales up to all sources.
    let scale = n as f64 / sources.len() as f64 / 2.0;
    let pairs = ((n - 1) * (n - 2)) as f64 / 2.0;
    for value in &mut centrality {
        *value = *value * scale / pairs;
    }
    centrality
}

/// Communities by label propagation (Raghavan et al. 2007) in a fixed node order with ties
/// going to the smallest label, so results are reproducible. Each link counts once plus once per
/// triangle it closes, so a lone bridge between two tight groups cannot carry a label across.
/// Labels are renumbered so community 0 is the largest; isolated nodes form their own.
pub fn communities(graph: &Graph) -> Vec<u32> {
    let n = graph.len();
    let weights: Vec<Vec<u32>> = (0..n)
        .map(|u| {
            graph
                .neighbours(u)
                .iter()
                .map(|&v| 1 + common_count(graph.neighbours(u), graph.neighbours(v as usize)))
                .collect()
        })
        .collect();
    let mut labels: Vec<u32> = (0..n as u32).collect();
    let mut counts: Vec<u32> = vec![0; n];
    let mut touched: Vec<u32> = Vec::new();
    for _round in 0..100 {
        let mut changed = false;
        for node in 0..n {
            let neighbours = graph.neighbours(node);
            if neighbours.is_empty() {
                continue;
            }
            for (&w, &weight) in neighbours.iter().zip(&weights[node]) {
                let label = labels[w as usize];
                if counts[label as usize] == 0 {
                    touched.push(label);
                }
                counts[label as usize] += weight;
            }
            let best_count = touched
                .iter()
                .map(|&l| counts[l as usize])
                .max()
                .unwrap_or(0);
            let current = labels[node];
            // Keep the current label on a tie, so the propagation settles instead of flipping.
            let best = if counts[current as usize] == best_count {
                current
            } else {
                touched
                    .iter()
                    .copied()
                    .filter(|&l| counts[l as usize] == best_count)
                    .min()
                    .unwrap_or(current)
            };
            for &label in &touched {
                counts[label as usize] = 0;
            }
            touched.clear();
            if best != current {
                labels[node] = best;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut sizes = vec![0u32; n];
    for &label in &labels {
        sizes[label as usize] += 1;
    }
    let mut order: Vec<u32> = (0..n as u32).filter(|&l| sizes[l as usize] > 0).collect();
    order.sort_by_key(|&l| (std::cmp::Reverse(sizes[l as usize]), l));
    let mut renumbered = vec![0u32; n];
    for (index, &label) in order.iter().enumerate() {
        renumbered[label as usize] = index as u32;
    }
    labels.iter().map(|&l| renumbered[l as usize]).collect()
}

/// The entries two sorted lists share, in order.
pub fn common_sorted<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    return Some(a[i - 1]);
                }
            }
        }
        None
    })
}

/// How many entries two sorted lists share.
fn common_count(a: &[u32], b: &[u32]) -> u32 {
    common_sorted(a, b).count() as u32
}

/// Two actors who are not connected yet and why they should meet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Introduction {
    pub a: usize,
    pub b: usize,
    pub score: f64,
    /// Up to three partners both already work with.
    pub common_partners: Vec<usize>,
    pub common_partner_count: usize,
    /// Sector and technology slugs both share.
    pub shared_topics: Vec<String>,
    /// Different kinds of actor: the weak ties that bring new knowledge.
    pub cross_kind: bool,
}

fn kind_bonus(a: ActorKind, b: ActorKind) -> f64 {
    use ActorKind::*;
    match (a, b) {
        (Mittelstand, Startup) | (Startup, Mittelstand) => 2.0,
        (Mittelstand, Forschung) | (Forschung, Mittelstand) => 1.8,
        (Startup, Forschung) | (Forschung, Startup) => 1.5,
        _ if a != b => 1.3,
        _ => 1.0,
    }
}

/// Introduction suggestions: unconnected pairs scored by shared partners (Adamic–Adar, so a
/// shared hub counts less than a shared niche partner) and shared topics, weighted towards
/// cross-kind pairs, Mittelstand × Startup first. At most `per_actor` suggestions per actor, the
/// best `limit` overall.
pub fn introductions(
    graph: &Graph,
    actors: &[NetworkActor],
    per_actor: usize,
    limit: usize,
) -> Vec<Introduction> {
    let n = graph.len().min(actors.len());
    // Topic index: which actors carry which sector or technology.
    let mut topics: Vec<(&str, Vec<u32>)> = Vec::new();
    {
        let mut index: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
        for (i, actor) in actors.iter().enumerate().take(n) {
            for topic in actor.sectors.iter().chain(&actor.technologies) {
                index.entry(topic.as_str()).or_default().push(i as u32);
            }
        }
        topics.extend(index);
    }
    let mut actor_topics: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (t, (_, members)) in topics.iter().enumerate() {
        for &m in members {
            actor_topics[m as usize].push(t as u32);
        }
    }
    let mut shared_partner_score = vec![0.0f64; n];
    let mut shared_topics = vec![0u32; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut best: Vec<Introduction> = Vec::new();
    for a in 0..n {
        for &w in graph.neighbours(a) {
            let weight = 1.0 / (graph.neighbours(w as usize).len() as f64).ln().max(1.0);
            for &b in graph.neighbours(w as usize) {
                let b = b as usize;
                if b > a {
                    if shared_partner_score[b] == 0.0 && shared_topics[b] == 0 {
                        touched.push(b);
                    }
                    shared_partner_score[b] += weight;
                }
            }
        }
        for &t in &actor_topics[a] {
            for &b in &topics[t as usize].1 {
                let b = b as usize;
                // Topic overlap alone suggests only actors of different kinds.
                if b > a && actors[a].kind != actors[b].kind {
                    if shared_partner_score[b] == 0.0 && shared_topics[b] == 0 {
                        touched.push(b);
                    }
                    shared_topics[b] += 1;
                }
            }
        }
        let mut mine: Vec<Introduction> = Vec::new();
        for &b in &touched {
            if !graph.are_linked(a, b) {
                let score = (shared_partner_score[b] + 0.5 * f64::from(shared_topics[b]))
                    * kind_bonus(actors[a].kind, actors[b].kind);
                mine.push(Introduction {
                    a,
                    b,
                    score,
                    common_partners: Vec::new(),
                    common_partner_count: 0,
                    shared_topics: Vec::new(),
                    cross_kind: actors[a].kind != actors[b].kind,
                });
            }
            shared_partner_score[b] = 0.0;
            shared_topics[b] = 0;
        }
        touched.clear();
        mine.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.b.cmp(&y.b)));
        mine.truncate(per_actor);
        best.extend(mine);
    }
    best.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    // Each actor in at most `per_actor` suggestions, whichever end of the pair it is.
    let mut shown = vec![0usize; n];
    best.retain(|s| {
        let keep = shown[s.a] < per_actor && shown[s.b] < per_actor;
        if keep {
            shown[s.a] += 1;
            shown[s.b] += 1;
        }
        keep
    });
    best.truncate(limit);
    // Reasons only for the few that are shown.
    for suggestion in &mut best {
        let (a, b) = (suggestion.a, suggestion.b);
        let common: Vec<usize> = graph
            .neighbours(a)
            .iter()
            .filter(|w| graph.neighbours(b).binary_search(w).is_ok())
            .map(|&w| w as usize)
            .collect();
        suggestion.common_partner_count = common.len();
        suggestion.common_partners = common.into_iter().take(3).collect();
        if suggestion.cross_kind {
            let theirs: Vec<&String> = actors[b]
                .sectors
                .iter()
                .chain(&actors[b].technologies)
                .collect();
            suggestion.shared_topics = actors[a]
                .sectors
                .iter()
                .chain(&actors[a].technologies)
                .filter(|t| theirs.contains(t))
                .cloned()
                .collect();
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::slug::slugify;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn path_graph_betweenness() {
        // 0 - 1 - 2 - 3 - 4: the middle node lies on 4 of the 6 pairs' paths that avoid it.
        let graph = Graph::new(5, [(0, 1), (1, 2), (2, 3), (3, 4)]);
        let values = betweenness(&graph, None);
        let pairs = 6.0; // (n-1)(n-2)/2
        assert!(close(values[0], 0.0) && close(values[4], 0.0));
        assert!(close(values[1], 3.0 / pairs));
        assert!(close(values[2], 4.0 / pairs));
        assert!(close(values[3], 3.0 / pairs));
    }

    #[test]
    fn star_centre_is_the_only_broker_and_parallel_paths_share() {
        let star = Graph::new(5, [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (1, 2)]);
        assert_eq!(star.edge_count(), 5);
        let values = betweenness(&star, None);
        // Pairs through the centre: all leaf pairs except 1–2, which are linked directly.
        assert!(close(values[0], 5.0 / 6.0));
        assert!(values[1..].iter().all(|&v| close(v, 0.0)));

        // A square: two shortest paths between opposite corners, each middle node gets half.
        let square = Graph::new(4, [(0, 1), (1, 2), (2, 3), (3, 0)]);
        let values = betweenness(&square, None);
        assert!(values.iter().all(|&v| close(v, 0.5 / 3.0)));
    }

    #[test]
    fn two_cliques_with_a_bridge() {
        let mut edges = Vec::new();
        for group in [0..4, 4..8] {
            for a in group.clone() {
                for b in group.clone().filter(|&b| b > a) {
                    edges.push((a, b));
                }
            }
        }
        edges.push((3, 4));
        let graph = Graph::new(9, edges);
        let labels = communities(&graph);
        assert!(labels[0..4].iter().all(|&l| l == labels[0]));
        assert!(labels[4..8].iter().all(|&l| l == labels[4]));
        assert_ne!(labels[0], labels[4]);
        assert_ne!(
            labels[8], labels[0],
            "an isolated node is its own community"
        );
        let values = betweenness(&graph, None);
        let top = (0..9)
            .max_by(|&a, &b| values[a].total_cmp(&values[b]))
            .unwrap();
        assert!(top == 3 || top == 4, "the bridge ends are the brokers");
    }

    fn actor(kind: ActorKind, topics: &[&str]) -> NetworkActor {
        NetworkActor {
            id: 0,
            slug: String::new(),
            name: String::new(),
            kind,
            town: String::new(),
            lat: 0.0,
            lon: 0.0,
            sectors: topics.iter().map(|t| t.to_string()).collect(),
            technologies: Vec::new(),
            search_key: slugify(""),
        }
    }

    #[test]
    fn introductions_prefer_shared_partners_and_cross_kind_pairs() {
        use ActorKind::*;
        // 0 Mittelstand and 1 Startup share partners 2 and 3; 4 Mittelstand shares only 2 with 0.
        let actors = vec![
            actor(Mittelstand, &["energie"]),
            actor(Startup, &["energie"]),
            actor(Forschung, &[]),
            actor(Intermediaer, &[]),
            actor(Mittelstand, &[]),
            actor(Startup, &["energie"]),
        ];
        let graph = Graph::new(6, [(0, 2), (1, 2), (0, 3), (1, 3), (4, 2)]);
        let suggestions = introductions(&graph, &actors, 3, 10);
        let first = &suggestions[0];
        assert_eq!((first.a, first.b), (0, 1));
        assert_eq!(first.common_partners, vec![2, 3]);
        assert_eq!(first.shared_topics, vec!["energie".to_string()]);
        assert!(first.cross_kind);
        // Never a pair that is already connected, never an actor with itself.
        for s in &suggestions {
            assert!(s.a != s.b && !graph.are_linked(s.a, s.b));
        }
        // 0 and 5 share only a topic across kinds; 0 and 4 (same kind) share only partner 2.
        assert!(suggestions
            .iter()
            .any(|s| (s.a, s.b) == (0, 5) && s.common_partner_count == 0));
        let same_kind = suggestions.iter().find(|s| (s.a, s.b) == (0, 4)).unwrap();
        assert!(!same_kind.cross_kind && same_kind.shared_topics.is_empty());
    }

    proptest! {
        #[test]
        fn metrics_are_well_formed(n in 1usize..25, edges in proptest::collection::vec((0usize..25, 0usize..25), 0..60)) {
            let graph = Graph::new(n, edges);
            let values = betweenness(&graph, None);
            prop_assert!(values.iter().all(|v| (0.0..=1.0 + 1e-9).contains(v)));
            let sampled = betweenness(&graph, Some(n));
            prop_assert!(values.iter().zip(&sampled).all(|(a, b)| close(*a, *b)));
            let labels = communities(&graph);
            prop_assert_eq!(labels.len(), n);
            // Connected nodes of degree one always join their only neighbour's community.
            for node in 0..n {
                if let [only] = graph.neighbours(node) {
                    if graph.neighbours(*only as usize).len() == 1 {
                        prop_assert_eq!(labels[node], labels[*only as usize]);
                    }
                }
            }
            let actors: Vec<NetworkActor> = (0..n).map(|i| actor(ActorKind::ALL[i % 6], &["x"])).collect();
            let suggestions = introductions(&graph, &actors, 2, 50);
            for s in &suggestions {
                prop_assert!(s.a < s.b && !graph.are_linked(s.a, s.b));
            }
            for actor in 0..n {
                prop_assert!(suggestions.iter().filter(|s| s.a == actor || s.b == actor).count() <= 2);
            }
        }
    }
}

//! Map benchmarks against a synthetic region of 5,000 actors and 20,000 connections:
//! the map data server function, the list view, the force layout and the Lagebild.
//! Run: `cargo bench --features ssr --bench map` (see BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, Criterion};
use std::io::Write;
use std::sync::Arc;
use tandem::db::Db;
use tandem::demo::synthetic::{load, SyntheticSize};
use tandem::domain::graph;
use tandem::domain::network::MapFilter;
use tandem::map::server::cache::{NetworkCache, Snapshot};
use tandem::map::server::{network, read};

fn snapshot(runtime: &tokio::runtime::Runtime) -> Arc<Snapshot> {
    runtime.block_on(async {
        let path = std::env::temp_dir().join(format!("tandem-bench-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let db = Db::connect(&format!("sqlite://{}", path.display()))
            .await
            .expect("database");
        db.migrate().await.expect("migrations");
        let size = SyntheticSize {
            actors: 5_000,
            connections: 20_000,
            seed: 42,
        };
        load(&db, size).await.expect("synthetic region");
        NetworkCache::default()
            .current(&db)
            .await
            .expect("snapshot")
    })
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip").len()
}

fn map_benchmarks(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let snapshot = snapshot(&runtime);
    let today = tandem::db::today();
    let everything = MapFilter::default();

    let payload = serde_json::to_vec(&read::map_data(&snapshot, &everything, None, today)).unwrap();
    println!(
        "map data payload, 5,000 actors / 20,000 connections: {} bytes raw, {} bytes gzip",
        payload.len(),
        gzip_len(&payload)
    );
    let startups = MapFilter::from_query("art=startup");
    let filtered = serde_json::to_vec(&read::map_data(&snapshot, &startups, None, today)).unwrap();
    println!(
        "map data payload, startups only: {} bytes raw, {} bytes gzip",
        filtered.len(),
        gzip_len(&filtered)
    );

    c.bench_function("map_data (all, serialised)", |b| {
        b.iter(|| serde_json::to_vec(&read::map_data(&snapshot, &everything, None, today)).unwrap())
    });
    c.bench_function("map_data (art=startup, serialised)", |b| {
        b.iter(|| serde_json::to_vec(&read::map_data(&snapshot, &startups, None, today)).unwrap())
    });
    c.bench_function("map_view (counts, growth, list page)", |b| {
        b.iter(|| read::map_view(&snapshot, everything.clone(), 1, today))
    });
    let mut slow = c.benchmark_group("whole network");
    slow.sample_size(10);
    slow.bench_function(
        "force layout (fa2, 120 coarse iterations above 2,000 actors)",
        |b| b.iter(|| network::force_layout(&snapshot.network)),
    );
    slow.bench_function("Lagebild (betweenness, communities, suggestions)", |b| {
        b.iter(|| network::build(&snapshot.network, |slug| snapshot.term(slug), today))
    });
    let graph = network::graph_of(&snapshot.network);
    slow.bench_function("betweenness (600 sampled sources)", |b| {
        b.iter(|| graph::betweenness(&graph, Some(network::BETWEENNESS_SOURCES)))
    });
    slow.bench_function("communities (label propagation)", |b| {
        b.iter(|| graph::communities(&graph))
    });
    slow.bench_function("introduction suggestions", |b| {
        b.iter(|| graph::introductions(&graph, &snapshot.network.actors, 2, 15))
    });
    slow.finish();
}

criterion_group!(benches, map_benchmarks);
criterion_main!(benches);

//! Load benchmark of the live hub: how long until a round start reaches every connected screen.
//! The whole app is served on 127.0.0.1 (in this process, on a fresh SQLite file); a bounded
//! number of WebSocket clients connect to one live event; then the round's clock is changed the
//! way the console does it (database first, announcement after) and each client notes when the
//! new state arrives. Bounded in count (`TANDEM_LIVE_CLIENTS`, default 2,000) and time (every
//! wait has a deadline). Run: `cargo bench --features ssr --bench live` (see BENCHMARKS.md).

#[path = "support/mod.rs"]
mod support;

use futures_util::StreamExt;
use std::time::{Duration, Instant};
use support::{connect_socket, ms, percentile, venue_address};
use tandem::db::now_secs;
use tandem::domain::live::RoundCommand;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

const SLUG: &str = "lastprobe";
/// Start, pause, resume …: each change is one measured push to every client.
const CHANGES: usize = 6;
const DEADLINE: Duration = Duration::from_secs(60);

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let clients: usize = std::env::var("TANDEM_LIVE_CLIENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
        .clamp(1, 10_000);
    let (dir, url, db) = tandem::testing::fresh_database("live").await;
    let event: i64 = sqlx::query_scalar(
        "INSERT INTO events (slug, title, venue, town, starts_at, ends_at, status, created_at) \
         VALUES ($1, 'Lastprobe', 'Halle', 'Sinsheim', '2026-11-24T09:00', '2026-11-24T18:00', 'live', $2) \
         RETURNING id",
    )
    .bind(SLUG)
    .bind(now_secs())
    .fetch_one(&db.pool)
    .await
    .expect("event");
    sqlx::query("INSERT INTO rounds (event_id, number, minutes, created_at) VALUES ($1, 1, 8, $2)")
        .bind(event)
        .bind(now_secs())
        .execute(&db.pool)
        .await
        .expect("round");

    // Phones come from one venue address per 2,000 (`X-Forwarded-For` behind a trusted proxy
    // hop), as the socket cap per address allows.
    let bind = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let state = tandem::testing::app_state_with(
        url,
        db.clone(),
        bind,
        None,
        tandem::config::TrustProxy::Hops(1),
    );
    let address = tandem::testing::serve_app(state.clone()).await;

    // Connect everyone (at most 100 handshakes at a time); each client reports the arrival of
    // every state after the first.
    let socket_url = format!("ws://{address}/live/veranstaltungen/{SLUG}");
    let (arrivals_tx, mut arrivals) = mpsc::unbounded_channel::<Instant>();
    let (ready_tx, mut ready) = mpsc::unbounded_channel::<()>();
    let connecting = Instant::now();
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(100));
    for index in 0..clients {
        let from = venue_address(index);
        let (url, arrivals, ready, gate) = (
            socket_url.clone(),
            arrivals_tx.clone(),
            ready_tx.clone(),
            gate.clone(),
        );
        tokio::spawn(async move {
            // Held while connecting only, so at most 100 handshakes run at once.
            let mut permit = Some(gate.acquire_owned().await.expect("gate"));
            let mut socket = connect_socket(&url, &from).await;
            let mut first = true;
            while let Some(Ok(message)) = socket.next().await {
                let Message::Text(text) = message else {
                    continue;
                };
                if text.as_str() == tandem::domain::live::HEARTBEAT_TEXT {
                    continue;
                }
                if first {
                    first = false;
                    let _ = ready.send(());
                    permit.take();
                } else if arrivals.send(Instant::now()).is_err() {
                    break;
                }
            }
        });
    }
    drop(ready_tx);
    for n in 0..clients {
        tokio::time::timeout(DEADLINE, ready.recv())
            .await
            .unwrap_or_else(|_| panic!("only {n} of {clients} clients connected in time"))
            .expect("clients alive");
    }
    let connected_in = connecting.elapsed();

    let commands = [
        RoundCommand::Start,
        RoundCommand::Pause,
        RoundCommand::Resume,
    ];
    let mut all = Vec::with_capacity(clients * CHANGES);
    println!(
        "live push to {clients} WebSocket clients on loopback (connected in {})",
        ms(connected_in)
    );
    for change in 0..CHANGES {
        let command = if change == 0 {
            commands[0]
        } else {
            commands[1 + (change + 1) % 2]
        };
        let started = Instant::now();
        tandem::events::server::rounds::control(&db, SLUG, command)
            .await
            .expect("round clock");
        state
            .part::<tandem::events::server::live::Hub>()
            .announce(&db, SLUG)
            .await;
        let mut latencies = Vec::with_capacity(clients);
        for _ in 0..clients {
            let arrived = tokio::time::timeout(DEADLINE, arrivals.recv())
                .await
                .expect("every client hears the change in time")
                .expect("clients alive");
            latencies.push(arrived.duration_since(started));
        }
        latencies.sort();
        println!(
            "  change {} ({command:?}): p50 {}, p95 {}, p99 {}, max {}",
            change + 1,
            ms(percentile(&latencies, 0.50)),
            ms(percentile(&latencies, 0.95)),
            ms(percentile(&latencies, 0.99)),
            ms(*latencies.last().unwrap()),
        );
        all.extend(latencies);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    all.sort();
    println!(
        "all {} deliveries: p50 {}, p95 {}, p99 {}, max {}",
        all.len(),
        ms(percentile(&all, 0.50)),
        ms(percentile(&all, 0.95)),
        ms(percentile(&all, 0.99)),
        ms(*all.last().unwrap()),
    );
    let _ = std::fs::remove_dir_all(&dir);
    std::process::exit(0);
}

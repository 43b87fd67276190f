//! End-to-end benchmark of rounds for a big room, on the path people wait for: the organiser
//! plans the next round and then the whole evening through the server functions (HTTP, database
//! included); then every phone, connected to the live socket with its personal link, hears the
//! round start and fetches its table, partner and talking points (`/api/veranstaltung/ich/runden`).
//! The app is served in this process on 127.0.0.1 over a fresh SQLite file holding a synthetic
//! event (`generate-event`'s data); the clients run in the same process, on the same two cores.
//! Phones come from one venue address per 2,000 (`X-Forwarded-For` behind a trusted proxy hop),
//! as the socket cap per address allows, and keep their HTTP connection open between reads as a
//! browser does. Bounded in count (`TANDEM_ROUND_PEOPLE`, default 2,000,
//! at most 5,000) and time (every wait has a deadline).
//! Run: `cargo bench --no-default-features --features ssr --bench rounds` (see BENCHMARKS.md).

#[path = "support/mod.rs"]
mod support;

use futures_util::StreamExt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{connect_socket, ms, percentile, venue_address};
use tandem::accounts::server::accounts::insert_account;
use tandem::accounts::server::sessions::create_session;
use tandem::config::TrustProxy;
use tandem::domain::role::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, Semaphore};
use tokio_tungstenite::tungstenite::Message;

const DEADLINE: Duration = Duration::from_secs(120);

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    format!(
        "p50 {}, p95 {}, p99 {}, max {}",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap()),
    )
}

/// One HTTP/1.1 request on its own connection (the organiser's): status and body.
async fn http(
    address: SocketAddr,
    method: &str,
    path: &str,
    form: Option<&str>,
    cookie: Option<&str>,
    from: &str,
) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nX-Forwarded-For: {from}\r\n"
    );
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if let Some(form) = form {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(form.unwrap_or_default());
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.expect("receive");
    let reply = String::from_utf8_lossy(&reply);
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// A phone's HTTP connection, kept open between requests as a browser keeps it; opened again
/// when the server closed it meanwhile.
struct Phone {
    address: SocketAddr,
    from: String,
    stream: Option<tokio::io::BufReader<tokio::net::TcpStream>>,
    /// A new connection for every read (`TANDEM_ROUND_FRESH_CONNECTIONS=1`): the worst case of
    /// phones whose connection the network dropped.
    fresh: bool,
}

impl Phone {
    /// A GET on the kept connection: status and body.
    async fn get(&mut self, path: &str) -> (u16, String) {
        if self.fresh {
            self.stream = None;
        }
        for _ in 0..2 {
            if self.stream.is_none() {
                let stream = tokio::net::TcpStream::connect(self.address)
                    .await
                    .expect("connect");
                self.stream = Some(tokio::io::BufReader::new(stream));
            }
            if let Some(reply) = self.try_get(path).await {
                return reply;
            }
            self.stream = None;
        }
        panic!("the server closed two connections in a row");
    }

    async fn try_get(&mut self, path: &str) -> Option<(u16, String)> {
        use tokio::io::AsyncBufReadExt;
        let (address, from) = (self.address, &self.from);
        let stream = self.stream.as_mut()?;
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nX-Forwarded-For: {from}\r\n\r\n");
        stream.get_mut().write_all(request.as_bytes()).await.ok()?;
        let mut line = String::new();
        stream.read_line(&mut line).await.ok()?;
        let status: u16 = line.split(' ').nth(1)?.parse().ok()?;
        let mut length = 0;
        loop {
            line.clear();
            stream.read_line(&mut line).await.ok()?;
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok()?;
                }
            }
        }
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await.ok()?;
        Some((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// Times an organiser's server-function call; it must succeed.
async fn timed_post(address: SocketAddr, path: &str, form: &str, cookie: &str) -> Duration {
    let started = Instant::now();
    let (status, body) = http(address, "POST", path, Some(form), Some(cookie), "192.0.2.1").await;
    assert_eq!(status, 200, "{path}: {body}");
    started.elapsed()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let people: usize = std::env::var("TANDEM_ROUND_PEOPLE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
        .clamp(2, 5_000);
    let fresh = std::env::var("TANDEM_ROUND_FRESH_CONNECTIONS").is_ok_and(|v| v == "1");
    let (dir, url, db) = tandem::testing::fresh_database("rounds").await;
    let event = tandem::demo::synthetic_event::load_event(&db, people, 7)
        .await
        .expect("synthetic event");
    let slug = event.slug.clone();
    let (organiser, _) = insert_account(&db, "orga@example.de", "Orga", Role::Organizer, None)
        .await
        .expect("organiser");
    let cookie = format!(
        "tandem_session={}",
        create_session(&db, organiser, Some("bench"))
            .await
            .expect("session")
    );
    let bind = SocketAddr::from(([127, 0, 0, 1], 0));
    let state = tandem::testing::app_state_with(url, db.clone(), bind, None, TrustProxy::Hops(1));
    let address = tandem::testing::serve_app(state).await;
    println!(
        "rounds for {people} checked-in people (in-process server, loopback, SQLite; {})",
        if fresh {
            "a new HTTP connection per read"
        } else {
            "HTTP connections kept open"
        }
    );

    // The organiser plans: round 1, round 1 again (twice), then the whole evening (three times:
    // the first adds rounds 2 to 6, the others plan all six anew).
    let next = timed_post(
        address,
        "/api/veranstaltung/runde/planen",
        &format!("slug={slug}&again=false"),
        &cookie,
    )
    .await;
    let mut again = Vec::new();
    for _ in 0..2 {
        again.push(
            timed_post(
                address,
                "/api/veranstaltung/runde/planen",
                &format!("slug={slug}&again=true"),
                &cookie,
            )
            .await,
        );
    }
    println!(
        "  plan the next round: {}; again: {}",
        ms(next),
        again.iter().map(|d| ms(*d)).collect::<Vec<_>>().join(", ")
    );
    let mut evening = Vec::new();
    for _ in 0..3 {
        evening.push(
            timed_post(
                address,
                "/api/veranstaltung/abend/planen",
                &format!("slug={slug}"),
                &cookie,
            )
            .await,
        );
    }
    println!(
        "  plan the evening (6 rounds): {}",
        evening
            .iter()
            .map(|d| ms(*d))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // Every phone connects with its personal link (at most 100 handshakes at a time). On a
    // state whose round runs with a number it has not fetched yet, it fetches its rounds and
    // reports when the announcement came and when its table was on the screen.
    let (heard_tx, mut heard) = mpsc::unbounded_channel::<(Instant, Instant)>();
    let (ready_tx, mut ready) = mpsc::unbounded_channel::<()>();
    let gate = Arc::new(Semaphore::new(100));
    for (index, token) in event.tokens.iter().enumerate() {
        let from = venue_address(index);
        let socket_url = format!("ws://{address}/live/veranstaltungen/{slug}?ich={token}");
        let rounds_path = format!("/api/veranstaltung/ich/runden?slug={slug}&token={token}");
        let (heard, ready, gate) = (heard_tx.clone(), ready_tx.clone(), gate.clone());
        tokio::spawn(async move {
            let mut permit = Some(gate.acquire_owned().await.expect("gate"));
            let mut socket = connect_socket(&socket_url, &from).await;
            // The page's first read opens the phone's HTTP connection.
            let mut phone = Phone {
                address,
                from,
                stream: None,
                fresh,
            };
            let (status, body) = phone.get(&rounds_path).await;
            assert_eq!(status, 200, "{body}");
            let mut fetched = 0u64;
            let mut first = true;
            while let Some(Ok(message)) = socket.next().await {
                let Message::Text(text) = message else {
                    continue;
                };
                let Ok(live) = serde_json::from_str::<serde_json::Value>(text.as_str()) else {
                    continue;
                };
                if first {
                    first = false;
                    let _ = ready.send(());
                    permit.take();
                    continue;
                }
                let round = &live["round"];
                let number = round["number"].as_u64().unwrap_or(0);
                if round["phase"] != "Running" || number <= fetched {
                    continue;
                }
                let arrived = Instant::now();
                fetched = number;
                let (status, body) = phone.get(&rounds_path).await;
                assert_eq!(status, 200, "{body}");
                assert!(body.contains("\"table\""), "{body}");
                if heard.send((arrived, Instant::now())).is_err() {
                    break;
                }
            }
        });
    }
    drop(ready_tx);
    let connecting = Instant::now();
    for n in 0..people {
        tokio::time::timeout(DEADLINE, ready.recv())
            .await
            .unwrap_or_else(|_| panic!("only {n} of {people} phones connected in time"))
            .expect("phones alive");
    }
    println!(
        "  {people} phones connected in {}",
        ms(connecting.elapsed())
    );

    // Round 1 starts; after it ends, round 2 (planned ahead) starts.
    let clock = |command: &str| format!("slug={slug}&command={command}");
    for number in 1..=2 {
        if number > 1 {
            timed_post(
                address,
                "/api/veranstaltung/runde/uhr",
                &clock("ende"),
                &cookie,
            )
            .await;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let started = Instant::now();
        let start = timed_post(
            address,
            "/api/veranstaltung/runde/uhr",
            &clock("start"),
            &cookie,
        )
        .await;
        let (mut announced, mut on_screen) = (Vec::new(), Vec::new());
        for _ in 0..people {
            let (arrived, fetched) = tokio::time::timeout(DEADLINE, heard.recv())
                .await
                .expect("every phone fetched its table in time")
                .expect("phones alive");
            announced.push(arrived.duration_since(started));
            on_screen.push(fetched.duration_since(started));
        }
        println!("  round {number} start (server function {}):", ms(start));
        println!("    announcement heard: {}", summary(announced));
        println!(
            "    table, partner and talking points fetched: {}",
            summary(on_screen)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::process::exit(0);
}

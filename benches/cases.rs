//! Throughput of a public case-study page (served from the render cache) against the very same
//! bytes served as a static file, in one run, in one process, on 127.0.0.1. The app runs on a
//! fresh SQLite file with the demo data; a fixed number of keep-alive clients request one URL as
//! fast as they can for a fixed time (`TANDEM_BENCH_SECS`, default 8 s per target, at most 60).
//! Run: `cargo bench --no-default-features --features ssr --bench cases` (see BENCHMARKS.md).

use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CLIENTS: usize = 16;
const SLUG: &str = "energiemonitoring-in-der-galvanik";

/// One response on a keep-alive connection: (status, `x-tandem-cache`, body).
async fn fetch(
    stream: &mut BufReader<TcpStream>,
    path: &str,
) -> std::io::Result<(u16, String, Vec<u8>)> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n");
    stream.get_mut().write_all(request.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (mut length, mut chunked, mut cache) = (None, false, String::new());
    loop {
        line.clear();
        stream.read_line(&mut line).await?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.contains("chunked"),
            "x-tandem-cache" => cache = value.trim().to_owned(),
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            stream.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            stream.read_exact(&mut chunk).await?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(length.unwrap_or(0), 0);
        stream.read_exact(&mut body).await?;
    }
    Ok((status, cache, body))
}

/// Requests per second over `CLIENTS` keep-alive connections for `seconds`.
async fn throughput(address: SocketAddr, path: &'static str, seconds: u64) -> f64 {
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        tasks.push(tokio::spawn(async move {
            let tcp = TcpStream::connect(address).await.expect("connect");
            tcp.set_nodelay(true).expect("nodelay");
            let mut stream = BufReader::new(tcp);
            let mut done = 0u64;
            while Instant::now() < until {
                let (status, _, _) = fetch(&mut stream, path).await.expect("response");
                assert_eq!(status, 200, "{path}");
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.expect("client");
    }
    total as f64 / seconds as f64
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let seconds: u64 = std::env::var("TANDEM_BENCH_SECS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(8)
        .clamp(1, 60);
    let (dir, url, db) = tandem::testing::fresh_database("cases").await;
    tandem::demo::seed::seed_demo(&db).await.expect("demo data");
    let app = tandem::testing::serve_app(tandem::testing::app_state(url, db)).await;

    let page: &'static str = Box::leak(format!("/fallstudien/{SLUG}").into_boxed_str());
    let mut stream = BufReader::new(TcpStream::connect(app).await.expect("connect"));
    let started = Instant::now();
    let (status, cache, body) = fetch(&mut stream, page).await.expect("first render");
    let first = started.elapsed();
    assert_eq!((status, cache.as_str()), (200, "miss"));
    let (_, cache, cached) = fetch(&mut stream, page).await.expect("cached");
    assert_eq!(cache, "hit", "the second request comes from the cache");
    // The same page, each response with its own script nonce (see `tandem::security`).
    assert_eq!(
        body.len(),
        cached.len(),
        "the cache serves the rendered page"
    );
    assert_ne!(body, cached, "with a fresh nonce");

    // The same bytes as a file, served by tower-http like the site's own static files.
    let file = dir.join("fallstudie.html");
    std::fs::write(&file, &body).expect("static copy");
    let files = tandem::testing::serve(axum::Router::new().route_service(
        "/fallstudie.html",
        tower_http::services::ServeFile::new(&file),
    ))
    .await;

    // Static, page, static again: the ratio uses the mean of both static runs.
    let static_before = throughput(files, "/fallstudie.html", seconds).await;
    let dynamic = throughput(app, page, seconds).await;
    let static_after = throughput(files, "/fallstudie.html", seconds).await;
    let static_mean = (static_before + static_after) / 2.0;
    println!("page bytes: {}", body.len());
    println!(
        "first render (cache miss): {:.1} ms",
        first.as_secs_f64() * 1000.0
    );
    println!("static file: {static_before:.0} req/s, then {static_after:.0} req/s");
    println!("case-study page (render cache): {dynamic:.0} req/s");
    println!(
        "ratio page / static: {:.0} % (goal: at least 50 %)",
        dynamic / static_mean * 100.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}

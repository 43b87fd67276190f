//! What the load benchmarks share: percentiles of latencies, and a phone's live socket from a
//! venue address (behind the trusted proxy hop the benchmarks configure).

use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Phones per venue address: within the socket cap per address.
pub const PHONES_PER_ADDRESS: usize = 2_000;

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

pub fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// The venue address of phone `index`.
pub fn venue_address(index: usize) -> String {
    format!("198.51.100.{}", 1 + index / PHONES_PER_ADDRESS)
}

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A live socket to `url`, as a phone at venue address `from` opens it.
pub async fn connect_socket(url: &str, from: &str) -> Socket {
    let mut request = url.into_client_request().expect("request");
    request
        .headers_mut()
        .insert("x-forwarded-for", from.parse().expect("header"));
    tokio_tungstenite::connect_async(request)
        .await
        .expect("connect")
        .0
}

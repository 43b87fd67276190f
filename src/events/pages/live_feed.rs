//! The browser's end of an event's live socket, shared by the console, the desk, the projector
//! and the phones: the latest [`LiveState`], a counter of announcements (pages fetch their
//! details anew when it moves), whether the socket is up, and a countdown that runs between
//! announcements. The socket reconnects by itself (backing off up to ten seconds) and notices a
//! silent connection by the server's heartbeat; every (re)connect brings the current state, so
//! pages resynchronise after a network drop or a server restart without a reload.

use crate::domain::live::{format_countdown, RoundPhase};
use crate::events::{LiveRound, LiveState};
use crate::i18n::{t, Msg};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct LiveFeed {
    /// The latest state the server pushed; `None` until the socket answers.
    pub state: RwSignal<Option<LiveState>>,
    /// How many states arrived: resources keyed on it fetch again after each change.
    pub changes: RwSignal<u64>,
    /// How often the server said this phone's meeting requests changed (personal page only).
    pub requests: RwSignal<u64>,
    pub connected: RwSignal<bool>,
    /// Browser clock (ms) when the state arrived, and now (ticking once a second).
    received_at: RwSignal<f64>,
    now: RwSignal<f64>,
}

impl LiveFeed {
    /// The pushed state, or the page's own (from its server function) until one arrives.
    pub fn current(&self, fallback: Option<LiveState>) -> Option<LiveState> {
        self.state.get().or(fallback)
    }

    /// Seconds left in `round` now: the clock runs on between announcements while it runs.
    pub fn remaining_secs(&self, round: &LiveRound) -> i64 {
        if round.phase != RoundPhase::Running || self.state.with(Option::is_none) {
            return round.remaining_secs;
        }
        let elapsed = ((self.now.get() - self.received_at.get()) / 1000.0).floor() as i64;
        round.remaining_secs - elapsed.max(0)
    }
}

/// Opens the live socket of the event `slug` for as long as the calling component lives.
pub fn use_live(slug: Signal<String>) -> LiveFeed {
    open_live(slug, None)
}

/// The live socket of a personal page: it also hears when the owner's meeting requests change.
pub fn use_live_as(slug: Signal<String>, token: Signal<String>) -> LiveFeed {
    open_live(slug, Some(token))
}

fn open_live(slug: Signal<String>, token: Option<Signal<String>>) -> LiveFeed {
    let feed = LiveFeed {
        state: RwSignal::new(None),
        changes: RwSignal::new(0),
        requests: RwSignal::new(0),
        connected: RwSignal::new(false),
        received_at: RwSignal::new(0.0),
        now: RwSignal::new(0.0),
    };
    #[cfg(feature = "hydrate")]
    socket::run(feed, slug, token);
    #[cfg(not(feature = "hydrate"))]
    let _ = (slug, token);
    feed
}

#[cfg(feature = "hydrate")]
mod socket {
    use super::LiveFeed;
    use crate::domain::live::{HEARTBEAT_TEXT, REQUESTS_TEXT};
    use crate::events::LiveState;
    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Event, MessageEvent, WebSocket};

    /// The server's heartbeat comes every 20 s; silence for this long means a dead connection.
    const SILENCE_MS: f64 = 45_000.0;

    struct Connection {
        slug: String,
        /// A personal link's token: the socket then hears of the owner's meeting requests.
        token: Option<String>,
        /// Whether a socket was open before: the next opening is a reconnect.
        opened: bool,
        socket: Option<WebSocket>,
        handlers: Vec<Closure<dyn FnMut(Event)>>,
        stopped: bool,
        failures: u32,
        heard_at: f64,
    }

    fn now_ms() -> f64 {
        js_sys::Date::now()
    }

    pub(super) fn run(feed: LiveFeed, slug: Signal<String>, token: Option<Signal<String>>) {
        let connection = Rc::new(RefCell::new(Connection {
            slug: slug.get_untracked(),
            token: token.map(|token| token.get_untracked()),
            opened: false,
            socket: None,
            handlers: Vec::new(),
            stopped: false,
            failures: 0,
            heard_at: now_ms(),
        }));
        feed.now.set(now_ms());
        open(connection.clone(), feed);
        let ticking = {
            let connection = connection.clone();
            set_interval_with_handle(
                move || {
                    let now = now_ms();
                    feed.now.set(now);
                    let connection = connection.borrow();
                    if feed.connected.get_untracked() && now - connection.heard_at > SILENCE_MS {
                        // Closing fires `onclose`, which reconnects.
                        if let Some(socket) = &connection.socket {
                            let _ = socket.close();
                        }
                    }
                },
                Duration::from_secs(1),
            )
            .ok()
        };
        let connection = SendWrapper::new(connection);
        on_cleanup(move || {
            if let Some(ticking) = ticking {
                ticking.clear();
            }
            let mut connection = connection.borrow_mut();
            connection.stopped = true;
            if let Some(socket) = connection.socket.take() {
                let _ = socket.close();
            }
        });
    }

    fn url(slug: &str, token: Option<&str>) -> Option<String> {
        let location = window().location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        let query = token
            .map(|token| format!("?ich={}", js_sys::encode_uri_component(token)))
            .unwrap_or_default();
        Some(format!(
            "{scheme}://{}/live/veranstaltungen/{slug}{query}",
            location.host().ok()?
        ))
    }

    fn open(connection: Rc<RefCell<Connection>>, feed: LiveFeed) {
        let address = {
            let connection = connection.borrow();
            url(&connection.slug, connection.token.as_deref())
        };
        let Some(socket) = address.and_then(|url| WebSocket::new(&url).ok()) else {
            retry(connection, feed);
            return;
        };
        let on_open = {
            let connection = connection.clone();
            Closure::<dyn FnMut(Event)>::new(move |_| {
                let mut connection = connection.borrow_mut();
                connection.failures = 0;
                connection.heard_at = now_ms();
                // Back after a drop or a restart: word of a changed request may have been lost
                // meanwhile, so a personal page reads its requests once more.
                if connection.opened && connection.token.is_some() {
                    feed.requests.update(|n| *n += 1);
                }
                connection.opened = true;
                feed.connected.set(true);
            })
        };
        let on_message = {
            let connection = connection.clone();
            Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                let Some(text) = event
                    .dyn_ref::<MessageEvent>()
                    .and_then(|message| message.data().as_string())
                else {
                    return;
                };
                let now = now_ms();
                connection.borrow_mut().heard_at = now;
                if text == HEARTBEAT_TEXT {
                    return;
                }
                if text == REQUESTS_TEXT {
                    feed.requests.update(|n| *n += 1);
                    return;
                }
                if let Ok(state) = serde_json::from_str::<LiveState>(&text) {
                    feed.received_at.set(now);
                    feed.now.set(now);
                    feed.state.set(Some(state));
                    feed.changes.update(|n| *n += 1);
                }
            })
        };
        let on_close = {
            let connection = connection.clone();
            Closure::<dyn FnMut(Event)>::new(move |_| {
                feed.connected.set(false);
                retry(connection.clone(), feed);
            })
        };
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let mut state = connection.borrow_mut();
        state.socket = Some(socket);
        state.handlers = vec![on_open, on_message, on_close];
    }

    /// Tries again after ¼ s, ½ s, 1 s, then every 2 s, each plus up to 1 s at random, unless the
    /// page has gone: a restarted server has every screen back within about 3 s, and the phones
    /// of a whole room do not knock at the same instant.
    fn retry(connection: Rc<RefCell<Connection>>, feed: LiveFeed) {
        let delay = {
            let mut state = connection.borrow_mut();
            if state.stopped {
                return;
            }
            state.failures += 1;
            let backoff = (250u64 << (state.failures - 1).min(3)).min(2_000);
            backoff + (js_sys::Math::random() * 1_000.0) as u64
        };
        let connection = SendWrapper::new(connection);
        set_timeout(
            move || {
                let connection = connection.take();
                if !connection.borrow().stopped {
                    open(connection, feed);
                }
            },
            Duration::from_millis(delay),
        );
    }
}

/// "Live" or "reconnecting", for the screen reader too.
#[component]
pub fn LiveStatus(feed: LiveFeed) -> impl IntoView {
    view! {
        <p class="live-status" role="status" class:live-status-lost=move || !feed.connected.get()>
            {move || if feed.connected.get() { t(Msg::LiveConnected) } else { t(Msg::LiveReconnecting) }}
        </p>
    }
}

/// The round's number, phase and countdown.
#[component]
pub fn Countdown(feed: LiveFeed, round: Signal<Option<LiveRound>>) -> impl IntoView {
    view! {
        {move || match round.get() {
            None => view! { <p class="countdown-phase">{t(Msg::LiveNoRound)}</p> }.into_any(),
            Some(round) => {
                let phase = match round.phase {
                    RoundPhase::Planned => Msg::PhasePlanned,
                    RoundPhase::Running => Msg::PhaseRunning,
                    RoundPhase::Paused => Msg::PhasePaused,
                    RoundPhase::Ended => Msg::PhaseEnded,
                };
                view! {
                    <p class="countdown-phase" aria-live="polite">
                        {format!("{} {} · {}", t(Msg::ConsoleRound), round.number, t(phase))}
                    </p>
                    <p class="countdown" role="timer" class:countdown-over=move || feed.remaining_secs(&round) < 0>
                        {move || format_countdown(feed.remaining_secs(&round))}
                    </p>
                }.into_any()
            }
        }}
    }
}

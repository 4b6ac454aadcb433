//! The agent's realtime socket: connects, resumes from the last event seen after every
//! drop (with backoff), and hands frames to the caller in order.

use futures::StreamExt;
use futures::future::{AbortHandle, Abortable};
use gloo_net::websocket::Message as WsMessage;
use gloo_net::websocket::futures::WebSocket;
use gloo_timers::future::TimeoutFuture;
use leptos::task::spawn_local;
use std::rc::Rc;
use switchboard_protocol::WorkspaceId;
use switchboard_protocol::events::{Event, ServerFrame};

/// What the socket reports.
#[derive(Clone, Debug)]
pub enum LiveSignal {
    /// Connected. `fresh`: this is the first connection or the server could not replay what
    /// was missed, so views must reload; otherwise missed events follow as `Event`s.
    Ready {
        fresh: bool,
    },
    Event(Box<Event>),
    /// The connection dropped; reconnecting.
    Disconnected,
    /// The session ended; sign in again.
    SignedOut,
}

/// Stops the socket when dropped.
pub struct LiveHandle(pub(crate) AbortHandle);

impl Drop for LiveHandle {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `ws(s)://<this host><path>`.
pub fn socket_url(path_and_query: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let (protocol, host) = match location {
        Some(l) => (
            l.protocol().unwrap_or_default(),
            l.host().unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    };
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}{path_and_query}")
}

/// Waits between reconnects: 0.5 s, doubling to 10 s.
pub struct Backoff(u32);

impl Backoff {
    pub fn new() -> Backoff {
        Backoff(500)
    }
    pub fn reset(&mut self) {
        self.0 = 500;
    }
    pub async fn wait(&mut self) {
        TimeoutFuture::new(self.0).await;
        self.0 = (self.0 * 2).min(10_000);
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new()
    }
}

pub fn follow(workspace: WorkspaceId, on: impl Fn(LiveSignal) + 'static) -> LiveHandle {
    let on = Rc::new(on);
    let (abort, registration) = AbortHandle::new_pair();
    let task = async move {
        let mut last: Option<u64> = None;
        let mut backoff = Backoff::new();
        loop {
            let since = last.map(|s| format!("&since={s}")).unwrap_or_default();
            let url = socket_url(&format!("/api/v1/ws?workspace={workspace}{since}"));
            if let Ok(socket) = WebSocket::open(&url) {
                let (_write, mut read) = socket.split();
                let mut reset = false;
                while let Some(Ok(frame)) = read.next().await {
                    let WsMessage::Text(text) = frame else {
                        continue;
                    };
                    let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) else {
                        continue;
                    };
                    match frame {
                        ServerFrame::Reset { .. } => reset = true,
                        ServerFrame::Hello { seq } => {
                            let fresh = last.is_none() || reset;
                            if fresh {
                                last = Some(seq);
                            }
                            backoff.reset();
                            on(LiveSignal::Ready { fresh });
                        }
                        ServerFrame::Event { event } => {
                            last = Some(event.seq);
                            on(LiveSignal::Event(event));
                        }
                    }
                }
            }
            on(LiveSignal::Disconnected);
            if let Err(e) = super::me().await
                && e.is_unauthorized()
            {
                on(LiveSignal::SignedOut);
                return;
            }
            backoff.wait().await;
        }
    };
    spawn_local(async move {
        let _ = Abortable::new(task, registration).await;
    });
    LiveHandle(abort)
}

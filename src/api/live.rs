//! The agent's realtime socket: connects, resumes from the last event seen after every
//! drop (with backoff), and hands frames to the caller in order. The app says what its agent
//! is typing through the handle ([`LiveHandle::say`]); what cannot be sent at once is dropped,
//! as it would be stale by the time the socket is back.

use futures::channel::mpsc;
use futures::future::{AbortHandle, Abortable};
use futures::{SinkExt, StreamExt};
use gloo_net::websocket::Message as WsMessage;
use gloo_net::websocket::futures::WebSocket;
use gloo_timers::future::TimeoutFuture;
use leptos::task::spawn_local;
use std::rc::Rc;
use switchboard_protocol::WorkspaceId;
use switchboard_protocol::events::{ClientFrame, Event, ServerFrame, Typing};
use switchboard_protocol::frame_reader::ReadFrame;

/// What the socket reports.
#[derive(Clone, Debug)]
pub enum LiveSignal {
    /// Connected. `fresh`: there was nothing to follow from (no `since`) or the server could
    /// not replay what was missed, so views must reload; otherwise missed events follow as
    /// `Event`s.
    Ready {
        fresh: bool,
    },
    Event(Box<Event>),
    /// Another agent is typing somewhere (or stopped).
    Typing(Typing),
    /// The connection dropped; reconnecting.
    Disconnected,
    /// The session ended; sign in again.
    SignedOut,
}

/// Stops the socket when dropped.
pub struct LiveHandle {
    abort: AbortHandle,
    outgoing: Option<mpsc::UnboundedSender<ClientFrame>>,
}

impl LiveHandle {
    /// A handle of a socket that only listens.
    pub(crate) fn listening(abort: AbortHandle) -> LiveHandle {
        LiveHandle {
            abort,
            outgoing: None,
        }
    }

    /// Sends a frame if the socket is connected; otherwise it is dropped.
    pub fn say(&self, frame: ClientFrame) {
        if let Some(outgoing) = &self.outgoing {
            let _ = outgoing.unbounded_send(frame);
        }
    }
}

impl Drop for LiveHandle {
    fn drop(&mut self) {
        self.abort.abort();
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

/// Follows `workspace`'s socket from `since` (the events after it are replayed first) or
/// from now, reconnecting with backoff and resuming where it stopped; `on` hears each signal.
pub fn follow(
    workspace: WorkspaceId,
    since: Option<u64>,
    on: impl Fn(LiveSignal) + 'static,
) -> LiveHandle {
    let on = Rc::new(on);
    let (abort, registration) = AbortHandle::new_pair();
    let (outgoing, mut said) = mpsc::unbounded::<ClientFrame>();
    let task = async move {
        let mut last: Option<u64> = since;
        let mut backoff = Backoff::new();
        loop {
            // Whatever was said while disconnected is stale now.
            while said.try_recv().is_ok() {}
            let since = last.map(|s| format!("&since={s}")).unwrap_or_default();
            let url = socket_url(&format!("/api/v1/ws?workspace={workspace}{since}"));
            if let Ok(socket) = WebSocket::open(&url) {
                let (mut write, read) = socket.split();
                let mut read = read.fuse();
                let mut reset = false;
                loop {
                    let text = futures::select! {
                        frame = read.next() => match frame {
                            Some(Ok(WsMessage::Text(text))) => text,
                            Some(Ok(_)) => continue,
                            _ => break,
                        },
                        frame = said.next() => {
                            if let Some(json) = frame.and_then(|f| serde_json::to_string(&f).ok()) {
                                let _ = write.send(WsMessage::Text(json)).await;
                            }
                            continue;
                        }
                    };
                    let Ok(ReadFrame(frame)) = serde_json::from_str::<ReadFrame>(&text) else {
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
                        ServerFrame::Typing(typing) => on(LiveSignal::Typing(typing)),
                        ServerFrame::Unknown => {}
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
    LiveHandle {
        abort,
        outgoing: Some(outgoing),
    }
}

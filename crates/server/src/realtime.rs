//! Realtime: the in-process [`Hub`] that fans committed events out to sockets, the
//! [`Follower`] that turns hub + store into a gap-free ordered event stream, and the agent
//! WebSocket at `/api/v1/ws`.
//!
//! Events are committed by the store together with their change, under the workspace's next
//! sequence number; the hub only carries them. A follower that sees a gap (an event published
//! out of order, or a lagging receiver) reads the missing events back from the store, so no
//! socket ever skips or repeats an event.

use crate::access::Member;
use crate::auth::{CurrentUser, session_hash};
use crate::error::ApiError;
use crate::extract::Query;
use crate::state::AppState;
use crate::typing::{Composer, TypingSignal};
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};
use axum::response::Response;
use futures_util::SinkExt;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use switchboard_protocol::api::SocketQuery;
use switchboard_protocol::events::{Event, ServerFrame};
use switchboard_protocol::{ErrorBody, Permissions, WorkspaceId};
use switchboard_storage::{StoreError, StoreResult};
use tokio::sync::{broadcast, watch};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// How many events a slow socket may fall behind before it reads them back from the store.
const HUB_BUFFER: usize = 256;
/// How many events one catch-up read fetches.
const CATCH_UP_BATCH: u32 = 500;
/// Events that arrive ahead of a missing one (webhooks stored together publish their events
/// from concurrent requests, so a little out of order) are held, up to this many, while the
/// missing one is awaited instead of reading them back from the store...
const REORDER_WINDOW: usize = 64;
/// ...for at most this long; an event whose publisher stopped after its commit is then read
/// from the store.
const REORDER_WAIT: Duration = Duration::from_millis(20);
/// At most this many event frames are written to a socket at once.
const FRAMES_PER_WRITE: usize = 64;
/// A client further behind than this reloads instead of replaying.
const MAX_REPLAY: u64 = 10_000;
/// Sockets are pinged, and their session and membership re-checked, this often (a logout
/// on this replica closes them at once; this catches expiry and other replicas).
pub const HEARTBEAT: Duration = Duration::from_secs(25);

/// A committed event with its socket frames, serialised once per kind of member (by
/// permissions) however many sockets receive it.
#[derive(Debug)]
pub struct Published {
    event: Event,
    frames: [OnceLock<Utf8Bytes>; 4],
}

impl Published {
    pub fn new(event: Event) -> Published {
        Published {
            event,
            frames: Default::default(),
        }
    }

    /// The `event` frame as a member with `permissions` receives it.
    pub fn frame(&self, permissions: Permissions) -> Result<Utf8Bytes, serde_json::Error> {
        let slot = &self.frames
            [usize::from(permissions.view_blocked) | usize::from(permissions.phone_masked) << 1];
        if let Some(frame) = slot.get() {
            return Ok(frame.clone());
        }
        let event = Box::new(self.event.for_member(permissions));
        let frame: Utf8Bytes = serde_json::to_string(&ServerFrame::Event { event })?.into();
        Ok(slot.get_or_init(|| frame).clone())
    }
}

impl std::ops::Deref for Published {
    type Target = Event;

    fn deref(&self) -> &Event {
        &self.event
    }
}

/// What sockets must act on besides events.
#[derive(Clone, Debug)]
pub enum Notice {
    /// A logout: that session's sockets close.
    SessionEnded(Arc<str>),
    /// A member's role or permissions changed: their sockets re-read them.
    MemberChanged(WorkspaceId, switchboard_protocol::UserId),
}

/// Per-workspace broadcast of committed events to this process's sockets.
pub struct Hub {
    workspaces: Mutex<HashMap<WorkspaceId, broadcast::Sender<Arc<Published>>>>,
    /// Sessions that ended and members whose rights changed, so their sockets act at once.
    notices: broadcast::Sender<Notice>,
    /// Typing signals per workspace (few, small, and worthless late), so a signal wakes only
    /// the sockets of its own workspace.
    signals: Mutex<HashMap<WorkspaceId, broadcast::Sender<Arc<TypingSignal>>>>,
    shutdown: watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            workspaces: Mutex::new(HashMap::new()),
            notices: broadcast::channel(64).0,
            signals: Mutex::new(HashMap::new()),
            shutdown: watch::Sender::new(false),
        }
    }
}

impl Hub {
    pub fn subscribe(&self, workspace: WorkspaceId) -> broadcast::Receiver<Arc<Published>> {
        let mut map = self.workspaces.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(workspace)
            .or_insert_with(|| broadcast::channel(HUB_BUFFER).0)
            .subscribe()
    }

    /// Whether any socket of this process follows the workspace.
    pub fn has_followers(&self, workspace: WorkspaceId) -> bool {
        let map = self.workspaces.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&workspace).is_some_and(|s| s.receiver_count() > 0)
    }

    pub fn publish(&self, event: Event) {
        let mut map = self.workspaces.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(sender) = map.get(&event.workspace_id) {
            if sender.receiver_count() == 0 {
                map.remove(&event.workspace_id);
            } else {
                let _ = sender.send(Arc::new(Published::new(event)));
            }
        }
    }

    /// Closes this process's sockets of a session that ended.
    pub fn end_session(&self, session_hash: &str) {
        let _ = self
            .notices
            .send(Notice::SessionEnded(Arc::from(session_hash)));
    }

    /// Has this process's sockets of a member re-read their role and permissions.
    pub fn member_changed(&self, workspace: WorkspaceId, user: switchboard_protocol::UserId) {
        let _ = self.notices.send(Notice::MemberChanged(workspace, user));
    }

    pub fn notices(&self) -> broadcast::Receiver<Notice> {
        self.notices.subscribe()
    }

    /// Hands a typing signal to this process's sockets of the workspace.
    pub fn signal(&self, workspace: WorkspaceId, signal: TypingSignal) {
        let mut map = self.signals.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(sender) = map.get(&workspace) {
            if sender.receiver_count() == 0 {
                map.remove(&workspace);
            } else {
                let _ = sender.send(Arc::new(signal));
            }
        }
    }

    /// The typing signals of one workspace.
    pub fn signals(&self, workspace: WorkspaceId) -> broadcast::Receiver<Arc<TypingSignal>> {
        let mut map = self.signals.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(workspace)
            .or_insert_with(|| broadcast::channel(64).0)
            .subscribe()
    }

    /// Ends every socket (server shutdown).
    pub fn close_all(&self) {
        self.shutdown.send_replace(true);
    }

    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }
}

/// Hands events committed by other replicas (announced by the store) to this process's
/// sockets. Returns the relay task, or `None` when the store has no other writers.
pub async fn relay_foreign_events(
    state: &AppState,
) -> StoreResult<Option<tokio::task::JoinHandle<()>>> {
    let Some(mut feed) = state.store.foreign_events().await? else {
        return Ok(None);
    };
    let state = state.clone();
    Ok(Some(tokio::spawn(async move {
        while let Some(notice) = feed.recv().await {
            if !state.hub.has_followers(notice.workspace) {
                continue;
            }
            let after = notice.seq.saturating_sub(1);
            match state.store.events_since(notice.workspace, after, 1).await {
                Ok(events) => events.into_iter().for_each(|e| state.hub.publish(e)),
                Err(error) => {
                    tracing::warn!(%error, "cannot read an event announced by another replica")
                }
            }
        }
    })))
}

/// A workspace's events in sequence order, starting after a given sequence number.
pub struct Follower {
    state: AppState,
    workspace: WorkspaceId,
    rx: broadcast::Receiver<Arc<Published>>,
    last: u64,
    pending: VecDeque<Arc<Published>>,
    /// Events received ahead of `last + 1`, by sequence number.
    ahead: BTreeMap<u64, Arc<Published>>,
    needs_fill: bool,
}

/// Where a new follower starts.
pub struct Start {
    pub follower: Follower,
    /// The newest sequence number when the follower started.
    pub head: u64,
    /// The client's `since` could not be honoured; it must reload and continue from `head`.
    pub reset: bool,
}

impl Follower {
    /// Follows `workspace` from `since` (replaying what was missed), or from now.
    pub async fn start(
        state: &AppState,
        workspace: WorkspaceId,
        since: Option<u64>,
    ) -> StoreResult<Start> {
        // Subscribe before reading the head, so nothing committed in between is missed.
        let rx = state.hub.subscribe(workspace);
        let head = state.store.last_seq(workspace).await?;
        let (last, reset) = match since {
            None => (head, false),
            Some(since) if since > head || head - since > MAX_REPLAY => (head, true),
            Some(since) => (since, false),
        };
        Ok(Start {
            follower: Follower {
                state: state.clone(),
                workspace,
                rx,
                last,
                pending: VecDeque::new(),
                ahead: BTreeMap::new(),
                needs_fill: last < head,
            },
            head,
            reset,
        })
    }

    /// The next event; `None` when the hub is gone. Cancel-safe: dropping the future loses
    /// nothing, a later call resumes where this one stopped.
    pub async fn next(&mut self) -> StoreResult<Option<Arc<Published>>> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Ok(Some(event));
            }
            if let Some(event) = self.ahead.remove(&(self.last + 1)) {
                self.last = event.seq;
                return Ok(Some(event));
            }
            if self.needs_fill {
                let events = self
                    .state
                    .store
                    .events_since(self.workspace, self.last, CATCH_UP_BATCH)
                    .await?;
                self.needs_fill = events.len() == CATCH_UP_BATCH as usize;
                if let Some(last) = events.last() {
                    self.last = last.seq;
                }
                self.pending
                    .extend(events.into_iter().map(|e| Arc::new(Published::new(e))));
                self.ahead = self.ahead.split_off(&(self.last + 1));
                if !self.needs_fill
                    && self
                        .ahead
                        .first_key_value()
                        .is_some_and(|(seq, _)| *seq > self.last + 1)
                {
                    // The store has every committed event: what it lacks was never stored.
                    self.ahead.clear();
                }
                continue;
            }
            let received = if self.ahead.is_empty() {
                self.rx.recv().await
            } else {
                match tokio::time::timeout(REORDER_WAIT, self.rx.recv()).await {
                    Ok(received) => received,
                    Err(_) => {
                        self.needs_fill = true;
                        continue;
                    }
                }
            };
            match received {
                Ok(event) => {
                    if let Some(event) = self.take(event) {
                        return Ok(Some(event));
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => self.needs_fill = true,
                Err(broadcast::error::RecvError::Closed) => return Ok(None),
            }
        }
    }

    /// An event already here, without reading the store or waiting: what a socket writes
    /// together with the one [`Follower::next`] gave it.
    pub fn ready(&mut self) -> Option<Arc<Published>> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            if self.needs_fill {
                return None;
            }
            if let Some(event) = self.ahead.remove(&(self.last + 1)) {
                self.last = event.seq;
                return Some(event);
            }
            match self.rx.try_recv() {
                Ok(event) => {
                    if let Some(event) = self.take(event) {
                        return Some(event);
                    }
                }
                Err(broadcast::error::TryRecvError::Lagged(_)) => self.needs_fill = true,
                Err(_) => return None,
            }
        }
    }

    /// A received event: handed on when it is the next one, held when it is a little ahead,
    /// dropped when already handed on; too far ahead, the store is read instead.
    fn take(&mut self, event: Arc<Published>) -> Option<Arc<Published>> {
        if event.seq <= self.last {
            None
        } else if event.seq == self.last + 1 {
            self.last = event.seq;
            Some(event)
        } else {
            if self.ahead.len() < REORDER_WINDOW {
                self.ahead.insert(event.seq, event);
            } else {
                self.needs_fill = true;
            }
            None
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(agent_socket))
}

/// Browsers send `Origin` on WebSocket requests; a page of another site must not ride the
/// session cookie into a socket (cross-site WebSocket hijacking).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let Some(host) = headers.get(HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or("");
    origin_host.eq_ignore_ascii_case(host)
}

/// The largest message a client may send on a socket: clients send small control frames
/// only (typing signals), and a larger one closes the socket.
const MAX_CLIENT_MESSAGE: usize = 64 * 1024;
/// Each socket's read buffer. Sized for those small frames: the library's default (128 KiB)
/// is zero-filled on every read attempt, which cost a fan-out to a thousand sockets more
/// than the frames themselves.
const READ_BUFFER: usize = 4 * 1024;

/// Maps a request that is not a WebSocket handshake to an `ErrorBody`, and sizes the
/// socket for the small frames clients send.
pub fn require_upgrade(
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<WebSocketUpgrade, ApiError> {
    let upgrade = upgrade.map_err(|rejection| ApiError::Validation {
        message: format!("This address takes WebSocket connections only ({rejection})."),
        field: None,
    })?;
    Ok(upgrade
        .read_buffer_size(READ_BUFFER)
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE))
}

/// The agent WebSocket: a workspace's events, in order, as they happen.
///
/// Open it with a WebSocket handshake (`GET` with `Upgrade: websocket`) carrying the session
/// cookie; a page of another origin is refused. The server sends JSON text frames
/// (`ServerFrame`), tagged by `type`:
///
/// - `{"type": "reset", "seq": N}` first, when the events since `since` can no longer be
///   replayed: reload every view, then continue from `N`;
/// - `{"type": "hello", "seq": N}`: the socket is ready; `N` is the newest event sequence
///   number at connection time. With `since`, the missed events follow at once, in order;
/// - `{"type": "event", "event": Event}`: one workspace event, with `seq` increasing by one
///   each time, masked for the member (conversations they may not see arrive as
///   `conversation_hidden`).
///
/// - `{"type": "typing", …}`: another agent is typing in a conversation this member may see
///   (`active: false` when they stop); not an event, never replayed.
///
/// The client may send `ClientFrame` JSON texts: `{"type": "typing", "conversation_id": N,
/// "kind": "message" | "comment"}` every 3 seconds while its agent types, and
/// `{"type": "typing_stopped", "conversation_id": N}`. The server pings every 25 seconds
/// and closes the socket when the session ends (logout, expiry) or the membership is gone;
/// reconnect with `since` = the last `seq` applied to miss nothing.
#[utoipa::path(
    get,
    path = "/ws",
    operation_id = "agent_socket",
    tag = "realtime",
    security(("sb_session" = [])),
    params(SocketQuery),
    responses(
        (status = 101, description = "Switching Protocols: the WebSocket is open; frames are `ServerFrame` JSON texts.", body = ServerFrame),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "The handshake comes from a page of another origin.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 422, description = "Not a WebSocket handshake, or no valid `workspace` / `since`.", body = ErrorBody),
    ),
)]
async fn agent_socket(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(query): Query<SocketQuery>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let upgrade = require_upgrade(upgrade)?;
    if !same_origin(&headers) {
        return Err(ApiError::Forbidden("Cross-site WebSocket refused.".into()));
    }
    let member = Member::of(&state, user, query.workspace).await?;
    let session = session_hash(&headers).ok_or(ApiError::Unauthorized)?;
    let start = Follower::start(&state, query.workspace, query.since).await?;
    Ok(upgrade.on_upgrade(move |socket| async move {
        let owner = SocketOwner {
            user: member.user.id,
            profile: member.user.clone(),
            session,
            workspace: query.workspace,
            permissions: member.permissions(),
        };
        if let Err(error) = serve_agent(socket, state, owner, start).await {
            tracing::warn!(%error, "agent socket ended with an error");
        }
    }))
}

/// Whose socket it is: checked again at every heartbeat.
struct SocketOwner {
    user: switchboard_protocol::UserId,
    /// Their name, for typing indicators.
    profile: switchboard_protocol::User,
    session: String,
    workspace: WorkspaceId,
    /// What the member may see; refreshed at every heartbeat.
    permissions: switchboard_protocol::Permissions,
}

impl SocketOwner {
    /// Whether the session and membership still hold; refreshes the permissions.
    async fn still_allowed(&mut self, state: &AppState) -> StoreResult<bool> {
        let signed_in = state
            .store
            .session_user(&self.session, chrono::Utc::now())
            .await?
            .is_some_and(|u| u.id == self.user);
        if !signed_in {
            return Ok(false);
        }
        match state.store.viewer(self.workspace, self.user).await? {
            Some(viewer) => {
                self.permissions = viewer.permissions;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum SocketError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("send failed: {0}")]
    Send(#[from] axum::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

async fn send_frame(socket: &mut WebSocket, frame: &ServerFrame) -> Result<(), SocketError> {
    let json = serde_json::to_string(frame)?;
    socket.send(WsMessage::Text(json.into())).await?;
    Ok(())
}

async fn serve_agent(
    mut socket: WebSocket,
    state: AppState,
    mut owner: SocketOwner,
    start: Start,
) -> Result<(), SocketError> {
    let Start {
        mut follower,
        head,
        reset,
    } = start;
    if reset {
        send_frame(&mut socket, &ServerFrame::Reset { seq: head }).await?;
    }
    send_frame(&mut socket, &ServerFrame::Hello { seq: head }).await?;
    let mut composer = Composer::default();
    let served = serve_frames(
        &mut socket,
        &state,
        &mut owner,
        &mut follower,
        &mut composer,
    )
    .await;
    // However the socket ended, whatever its agent was typing is no longer being typed.
    composer
        .stop(&state, owner.workspace, &owner.profile)
        .await?;
    served
}

async fn serve_frames(
    socket: &mut WebSocket,
    state: &AppState,
    owner: &mut SocketOwner,
    follower: &mut Follower,
    composer: &mut Composer,
) -> Result<(), SocketError> {
    let mut shutdown = state.hub.shutdown_signal();
    let mut notices = state.hub.notices();
    let mut signals = state.hub.signals(owner.workspace);
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.tick().await;
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return Ok(()),
                Some(Ok(WsMessage::Text(text))) => {
                    composer
                        .receive(state, owner.workspace, &owner.profile, owner.permissions, &text)
                        .await?;
                }
                Some(Ok(_)) => {}
            },
            signal = signals.recv() => match signal {
                Ok(signal) => {
                    if let Some(frame) = signal.frame_for(owner.user, owner.permissions) {
                        socket.send(WsMessage::Text(frame)).await?;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            },
            event = follower.next() => match event? {
                Some(event) => {
                    socket.feed(WsMessage::Text(event.frame(owner.permissions)?)).await?;
                    // Events already waiting go out in the same write.
                    for _ in 1..FRAMES_PER_WRITE {
                        let Some(event) = follower.ready() else { break };
                        socket.feed(WsMessage::Text(event.frame(owner.permissions)?)).await?;
                    }
                    socket.flush().await?;
                }
                None => return Ok(()),
            },
            _ = heartbeat.tick() => {
                if !owner.still_allowed(state).await? {
                    return Ok(());
                }
                socket.send(WsMessage::Ping(Default::default())).await?;
            },
            notice = notices.recv() => match notice {
                Ok(Notice::SessionEnded(hash)) if *hash == *owner.session => return Ok(()),
                Ok(Notice::MemberChanged(workspace, user))
                    if workspace == owner.workspace && user == owner.user =>
                {
                    if !owner.still_allowed(state).await? {
                        return Ok(());
                    }
                }
                Ok(_) => {}
                // Missed some notices: check this socket's own session and rights now.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if !owner.still_allowed(state).await? {
                        return Ok(());
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            },
            _ = shutdown.changed() => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[tokio::test]
    async fn events_published_out_of_order_are_handed_on_in_order() {
        use switchboard_protocol::events::{EventPayload, WorkspacePart};
        use switchboard_storage::Store;
        let dir = tempfile::tempdir().unwrap();
        let store = switchboard_storage_sqlite::SqliteBackend::open(&dir.path().join("t.db"))
            .await
            .unwrap();
        let workspace = store.create_workspace("Order").await.unwrap();
        let files = object_store::local::LocalFileSystem::new_with_prefix(dir.path()).unwrap();
        let state = AppState::new(crate::Config::default(), Arc::new(store), Arc::new(files));
        let Start {
            mut follower, head, ..
        } = Follower::start(&state, workspace, None).await.unwrap();
        let event = |seq| Event {
            seq,
            workspace_id: workspace,
            at: chrono::Utc::now(),
            payload: EventPayload::WorkspaceChanged {
                part: WorkspacePart::Settings,
            },
        };
        // Requests that committed together publish in any order. These events exist only in
        // the hub, so reading the store instead of waiting for the missing one would lose
        // them.
        for seq in [head + 2, head + 4, head + 3, head + 1] {
            state.hub.publish(event(seq));
        }
        for seq in head + 1..=head + 4 {
            let next = tokio::time::timeout(Duration::from_secs(2), follower.next())
                .await
                .expect("the follower hands on every event")
                .unwrap()
                .unwrap();
            assert_eq!(next.seq, seq);
        }
        // What is already here goes out with it, in order, without waiting.
        for seq in [head + 7, head + 6, head + 5] {
            state.hub.publish(event(seq));
        }
        let next = tokio::time::timeout(Duration::from_secs(2), follower.next())
            .await
            .expect("the follower hands on every event")
            .unwrap()
            .unwrap();
        assert_eq!(next.seq, head + 5);
        let ready: Vec<u64> = std::iter::from_fn(|| follower.ready().map(|e| e.seq)).collect();
        assert_eq!(ready, [head + 6, head + 7]);
    }

    #[test]
    fn sockets_from_other_sites_are_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&headers), "non-browser clients send no Origin");
        headers.insert(ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&headers));
        headers.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&headers));
        headers.insert(ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&headers));
    }
}

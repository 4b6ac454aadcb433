//! Shared helpers of the server's HTTP and WebSocket tests: a fresh demo server per test, a
//! logged-in agent, an anonymous website-chat visitor, and sockets with bounded reads.

// Shared with the browser suite, which drives the app against them and uses what is not
// used here.
#[allow(dead_code)]
#[path = "../../../../e2e/src/fake_dialogflow.rs"]
pub mod fake_dialogflow;
#[allow(dead_code)]
#[path = "../../../../e2e/src/fake_hubspot.rs"]
pub mod fake_hubspot;
#[allow(dead_code)]
#[path = "../../../../e2e/src/fake_openai.rs"]
pub mod fake_openai;
pub mod fake_push;
#[allow(dead_code)]
#[path = "../../../../e2e/src/fake_salesforce.rs"]
pub mod fake_salesforce;
pub mod fake_telegram;
pub mod fake_tiktok;
pub mod fake_whatsapp;
pub mod mail_servers;
pub mod s3_server;
#[allow(dead_code)]
#[path = "../../../../e2e/src/test_keys.rs"]
pub mod test_keys;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::time::Duration;
use switchboard_protocol::api::{Me, Page};
use switchboard_protocol::events::{EventPayload, ServerFrame};
use switchboard_protocol::visitor::{VisitorMessage, VisitorSession};
use switchboard_protocol::*;
use switchboard_server::{Config, Running, demo};
use switchboard_storage::{
    ActivityCursor, Channel, FolderSpec, IdCursor, InboxSpec, NewChannel, NewContact, NewMessage,
    PageRequest, Store, Viewer,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{self, Message as WsMessage};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const ANNA: &str = "anna@northwind.example";
pub const BORIS: &str = "boris@northwind.example";
pub const MARIA: &str = "maria@northwind.example";
pub const PASSWORD: &str = demo::DEMO_PASSWORD;

/// How long a test waits for a frame (or an answer) before failing instead of hanging.
pub const TIMEOUT: Duration = Duration::from_secs(5);

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A server of its own, on a free port, over a fresh demo database in a temporary directory.
pub struct Server {
    pub running: Running,
    pub url: String,
    /// Kept so the database outlives the test.
    _dir: tempfile::TempDir,
}

impl Server {
    pub async fn start() -> Server {
        Server::start_on(None, true).await
    }

    /// A server on the given database (`None`: SQLite in a temporary directory).
    pub async fn start_on(database_url: Option<String>, demo: bool) -> Server {
        Server::start_configured(|config| {
            config.database_url = database_url;
            config.demo = demo;
        })
        .await
    }

    /// A demo server on SQLite with some configuration changed.
    pub async fn start_configured(change: impl FnOnce(&mut Config)) -> Server {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut config = Config {
            bind: "127.0.0.1:0".parse().expect("a socket address"),
            data_dir: dir.path().join("data"),
            dist_dir: dir.path().join("no-dist"),
            ..Config::default()
        };
        change(&mut config);
        let running = switchboard_server::start(config)
            .await
            .expect("the server starts");
        let url = running.url();
        Server {
            running,
            url,
            _dir: dir,
        }
    }

    pub fn store(&self) -> &dyn Store {
        self.running.state.store.as_ref()
    }

    /// `http://ADDR/api/v1{path}`.
    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// `ws://ADDR/api/v1{path}`.
    pub fn ws_url(&self, path: &str) -> String {
        let host = self
            .url
            .strip_prefix("http://")
            .expect("the server URL is http");
        format!("ws://{host}/api/v1{path}")
    }

    /// The demo workspace ("Northwind Coffee").
    pub async fn workspace(&self) -> WorkspaceId {
        let credentials = self
            .store()
            .user_credentials(ANNA)
            .await
            .expect("the store answers")
            .expect("the demo user exists");
        let memberships = self
            .store()
            .memberships(credentials.user.id)
            .await
            .expect("the store answers");
        memberships
            .iter()
            .find(|m| m.name == "Northwind Coffee")
            .expect("the demo workspace")
            .id
    }

    /// The key of the demo website chat, from the lines printed at start.
    pub async fn chat_key(&self) -> String {
        let lines = demo::describe(self.store(), &self.url)
            .await
            .expect("the store answers");
        let prefix = format!("demo website chat: {}/chat/", self.url);
        lines
            .iter()
            .find_map(|line| line.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("no demo website chat in {lines:?}"))
            .to_owned()
    }

    /// Logs `email` in with the demo password.
    pub async fn login(&self, email: &str) -> Agent {
        let client = cookie_client();
        let response = client
            .post(self.api("/auth/login"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .expect("the login request is answered");
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        let set_cookie = response
            .headers()
            .get(SET_COOKIE)
            .expect("the login sets a cookie")
            .to_str()
            .expect("an ASCII cookie")
            .to_owned();
        let cookie = set_cookie
            .split(';')
            .next()
            .expect("a cookie pair")
            .trim()
            .to_owned();
        assert!(cookie.starts_with("sb_session="), "{set_cookie}");
        let me: Me = response.json().await.expect("the login answers Me");
        Agent { client, cookie, me }
    }

    /// A new anonymous visitor of the website chat `key`.
    pub async fn visitor(&self, key: &str) -> Visitor {
        let response = reqwest::Client::new()
            .post(self.api(&format!("/chat/{key}/visitors")))
            .send()
            .await
            .expect("the visitor request is answered");
        assert_eq!(response.status(), StatusCode::CREATED);
        let session: VisitorSession = response.json().await.expect("a visitor session");
        Visitor {
            key: key.to_owned(),
            token: session.token,
            client: reqwest::Client::new(),
            base: self.api(""),
        }
    }

    pub async fn last_seq(&self, workspace: WorkspaceId) -> u64 {
        self.store()
            .last_seq(workspace)
            .await
            .expect("the store answers")
    }

    /// Every conversation of the workspace (blocked contacts' too), read straight from the
    /// store.
    pub async fn all_conversations(&self, workspace: WorkspaceId) -> Vec<ConversationSummary> {
        let everything = Viewer {
            user: UserId(0),
            role: Role::Owner,
            permissions: Permissions {
                view_blocked: true,
                phone_masked: false,
            },
            teams: Vec::new(),
        };
        let mut all = Vec::new();
        for folder in [FolderSpec::All, FolderSpec::Blocked] {
            let spec = InboxSpec {
                folder,
                ..InboxSpec::all(chrono::Utc::now())
            };
            let mut after = None;
            loop {
                let page = self
                    .store()
                    .inbox(
                        workspace,
                        &everything,
                        &spec,
                        PageRequest { after, limit: 100 },
                    )
                    .await
                    .expect("the store answers");
                all.extend(page.items);
                match page.next_cursor {
                    Some(cursor) => {
                        after = Some(ActivityCursor::decode(&cursor).expect("a cursor"))
                    }
                    None => break,
                }
            }
        }
        all
    }

    /// Every message and comment of one conversation, newest first, from the store.
    pub async fn thread(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Vec<Message> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .store()
                .messages(workspace, conversation, PageRequest { after, limit: 100 })
                .await
                .expect("the store answers");
            all.extend(page.items);
            match page.next_cursor {
                Some(cursor) => after = Some(IdCursor::decode(&cursor).expect("a cursor")),
                None => return all,
            }
        }
    }

    /// How many messages and comments the workspace holds, from the store.
    pub async fn message_count(&self, workspace: WorkspaceId) -> usize {
        let mut count = 0;
        for conversation in self.all_conversations(workspace).await {
            count += self.thread(workspace, conversation.id).await.len();
        }
        count
    }

    /// A snapshot of what a rejected request must leave untouched.
    pub async fn footprint(&self, workspace: WorkspaceId) -> (u64, usize) {
        (
            self.last_seq(workspace).await,
            self.message_count(workspace).await,
        )
    }

    /// A second workspace, "Globex Secrets", with a website chat (key `globex-chat-key`) and
    /// one contact who wrote one message. Nobody of the demo is a member.
    pub async fn other_workspace(&self) -> OtherWorkspace {
        let store = self.store();
        let workspace = store
            .create_workspace("Globex Secrets")
            .await
            .expect("a workspace");
        let channel = store
            .create_channel(NewChannel {
                workspace,
                kind: ChannelKind::WebsiteChat,
                name: "Globex Support",
                public_key: Some("globex-chat-key"),
            })
            .await
            .expect("a channel");
        let conversation = store
            .create_contact(NewContact {
                workspace,
                channel: channel.id,
                first_name: "Zebediah",
                last_name: "Quuxworth",
                email: Some("zebediah@globex.example"),
                phone: None,
                fields: &[],
                created_at: chrono::Utc::now(),
            })
            .await
            .expect("a contact");
        store
            .append_message(NewMessage {
                original: None,
                workspace,
                conversation: conversation.id,
                client_id: Some("globex-1".into()),
                kind: MessageKind::Message,
                direction: Direction::Incoming,
                sender_kind: SenderKind::Contact,
                sender_user: None,
                content: Content::Text {
                    text: "The globex launch codes are 0000".into(),
                },
                delivery_status: None,
                created_at: chrono::Utc::now(),
                reply_to: None,
                mentions: Vec::new(),
                attachments: Vec::new(),
                channel: None,
            })
            .await
            .expect("a message");
        OtherWorkspace {
            workspace,
            channel,
            conversation: conversation.id,
        }
    }
}

pub struct OtherWorkspace {
    pub workspace: WorkspaceId,
    pub channel: Channel,
    pub conversation: ConversationId,
}

impl OtherWorkspace {
    /// Strings of workspace B that must never appear in an answer to an outsider.
    pub const SECRETS: [&'static str; 5] = [
        "Zebediah",
        "Quuxworth",
        "zebediah@globex.example",
        "launch codes",
        "Globex",
    ];
}

/// A valid 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A client that keeps cookies, like a browser.
pub fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("a client")
}

/// A signed-in agent: its cookie-keeping client, the raw `sb_session=…` pair, and `Me`.
pub struct Agent {
    pub client: reqwest::Client,
    pub cookie: String,
    pub me: Me,
}

impl Agent {
    /// Uploads a file for a message (K3) and expects `201 Created`.
    pub async fn upload_file(
        &self,
        server: &Server,
        workspace: WorkspaceId,
        name: &str,
        bytes: &[u8],
    ) -> Attachment {
        let response = self
            .client
            .post(server.api(&format!("/workspaces/{workspace}/attachments")))
            .query(&[("name", name)])
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(bytes.to_vec())
            .send()
            .await
            .expect("the upload is answered");
        assert_eq!(response.status(), StatusCode::CREATED, "uploading {name}");
        response.json().await.expect("an attachment")
    }

    pub async fn get(&self, url: &str) -> reqwest::Response {
        self.client
            .get(url)
            .send()
            .await
            .expect("the request is answered")
    }

    pub async fn post(&self, url: &str, body: Value) -> reqwest::Response {
        self.client
            .post(url)
            .json(&body)
            .send()
            .await
            .expect("the request is answered")
    }

    /// Sends a message or comment; returns the raw response.
    pub async fn send(
        &self,
        server: &Server,
        workspace: WorkspaceId,
        conversation: ConversationId,
        client_id: &str,
        kind: &str,
        text: &str,
    ) -> reqwest::Response {
        self.post(
            &server.api(&format!(
                "/workspaces/{workspace}/conversations/{conversation}/messages"
            )),
            json!({ "client_id": client_id, "kind": kind, "text": text }),
        )
        .await
    }

    /// Sends and expects `201 Created`.
    pub async fn reply(
        &self,
        server: &Server,
        workspace: WorkspaceId,
        conversation: ConversationId,
        client_id: &str,
        kind: &str,
        text: &str,
    ) -> Message {
        let response = self
            .send(server, workspace, conversation, client_id, kind, text)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "sending {text:?}");
        response.json().await.expect("a Message")
    }

    /// One page of the inbox list.
    pub async fn conversations(
        &self,
        server: &Server,
        workspace: WorkspaceId,
        query: &str,
    ) -> Page<ConversationSummary> {
        let response = self
            .get(&server.api(&format!("/workspaces/{workspace}/conversations{query}")))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("a page of conversations")
    }

    /// The conversation whose newest entry reads `text`, as the agent's list shows it.
    pub async fn conversation_with_last_text(
        &self,
        server: &Server,
        workspace: WorkspaceId,
        text: &str,
    ) -> ConversationSummary {
        let page = self.conversations(server, workspace, "?limit=100").await;
        page.items
            .into_iter()
            .find(|c| c.last_message.as_ref().is_some_and(|m| m.text == text))
            .unwrap_or_else(|| panic!("no conversation ends with {text:?}"))
    }

    pub async fn conversation(
        &self,
        server: &Server,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> ConversationSummary {
        let response = self
            .get(&server.api(&format!(
                "/workspaces/{workspace}/conversations/{conversation}"
            )))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let detail: switchboard_protocol::api::ConversationDetail =
            response.json().await.expect("a ConversationDetail");
        detail.conversation
    }

    /// The agent socket of `workspace`, from `since` if given.
    pub async fn socket(&self, server: &Server, workspace: WorkspaceId, since: Option<u64>) -> Ws {
        let mut path = format!("/ws?workspace={workspace}");
        if let Some(since) = since {
            path.push_str(&format!("&since={since}"));
        }
        connect(&server.ws_url(&path), Some(&self.cookie), None)
            .await
            .expect("the agent socket opens")
    }
}

/// An anonymous website-chat visitor.
pub struct Visitor {
    pub key: String,
    pub token: String,
    client: reqwest::Client,
    base: String,
}

impl Visitor {
    /// Posts a message to the visitor's own chat with the visitor's token.
    pub async fn send(&self, client_id: &str, text: &str) -> reqwest::Response {
        self.send_as(&self.key, Some(&self.token), client_id, text)
            .await
    }

    /// Posts a message to chat `key` with `token` (or none).
    pub async fn send_as(
        &self,
        key: &str,
        token: Option<&str>,
        client_id: &str,
        text: &str,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/chat/{key}/messages", self.base))
            .json(&json!({ "client_id": client_id, "text": text }));
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        request.send().await.expect("the request is answered")
    }

    /// [`Visitor::send`] with owned arguments, for futures that outlive a loop.
    pub async fn send_owned(&self, client_id: String, text: String) -> reqwest::Response {
        self.send(&client_id, &text).await
    }

    /// Sends and expects `201 Created`.
    pub async fn write(&self, client_id: &str, text: &str) -> VisitorMessage {
        let response = self.send(client_id, text).await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "visitor sends {text:?}"
        );
        response.json().await.expect("a VisitorMessage")
    }

    /// `GET /chat/{key}/messages` with `token` (or none): the raw response.
    pub async fn list_as(&self, key: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .get(format!("{}/chat/{key}/messages", self.base));
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        request.send().await.expect("the request is answered")
    }

    /// The visitor's thread as the visitor sees it (newest first), with the raw body.
    pub async fn thread(&self) -> (Page<VisitorMessage>, String) {
        let response = self.list_as(&self.key, Some(&self.token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = response.text().await.expect("a body");
        let page = serde_json::from_str(&body).expect("a page of visitor messages");
        (page, body)
    }
}

/// Asserts an `ErrorBody` answer with `status` and `code` (as JSON, not plain text); returns
/// the body and its raw text.
pub async fn expect_error(
    response: reqwest::Response,
    status: StatusCode,
    code: ErrorCode,
) -> (ErrorBody, String) {
    let url = response.url().clone();
    assert_eq!(response.status(), status, "status of {url}");
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = response.text().await.expect("a body");
    assert!(
        content_type.starts_with("application/json"),
        "{url}: content type {content_type:?}, body {text:?}"
    );
    let body: ErrorBody = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{url}: not an ErrorBody ({e}): {text}"));
    assert_eq!(body.code, code, "{url}: {text}");
    assert!(!body.message.trim().is_empty(), "{url}: empty message");
    (body, text)
}

/// Reads a JSON body.
pub async fn json_body<T: DeserializeOwned>(response: reqwest::Response) -> T {
    let text = response.text().await.expect("a body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("unexpected body ({e}): {text}"))
}

/// Opens a WebSocket, optionally with a `Cookie` and an `Origin` header.
pub async fn connect(
    url: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> Result<Ws, tungstenite::Error> {
    let mut request = url.into_client_request()?;
    if let Some(cookie) = cookie {
        request.headers_mut().insert(
            COOKIE,
            HeaderValue::from_str(cookie).expect("a valid cookie header"),
        );
    }
    if let Some(origin) = origin {
        request.headers_mut().insert(
            "origin",
            HeaderValue::from_str(origin).expect("a valid origin header"),
        );
    }
    let connecting = tokio_tungstenite::connect_async(request);
    let (ws, _) = tokio::time::timeout(TIMEOUT, connecting)
        .await
        .expect("the socket handshake finishes in time")?;
    Ok(ws)
}

/// The HTTP status a refused WebSocket handshake was answered with.
pub fn refusal_status(result: Result<Ws, tungstenite::Error>) -> u16 {
    match result {
        Ok(_) => panic!("the socket was accepted"),
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("the socket failed without an HTTP answer: {other}"),
    }
}

/// The next text frame as JSON; fails after [`TIMEOUT`] or when the socket ends.
pub async fn next_json(ws: &mut Ws) -> Value {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let frame = tokio::time::timeout_at(deadline, ws.next())
            .await
            .expect("a frame arrives within the timeout");
        match frame {
            Some(Ok(WsMessage::Text(text))) => {
                return serde_json::from_str(text.as_str())
                    .unwrap_or_else(|e| panic!("a JSON frame ({e}): {text}"));
            }
            Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

/// Asserts that no text frame arrives within `wait`.
pub async fn assert_silent(ws: &mut Ws, wait: Duration) {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return,
            Ok(Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_)))) => continue,
            Ok(other) => panic!("expected silence, got {other:?}"),
        }
    }
}

/// Closes a socket politely and waits for the server to let go of it.
pub async fn close(mut ws: Ws) {
    let _ = ws.send(WsMessage::Close(None)).await;
    let _ = tokio::time::timeout(TIMEOUT, async { while ws.next().await.is_some() {} }).await;
}

/// Expects an event frame with sequence number `seq`; returns its payload.
pub fn event_payload(frame: &Value, seq: u64, workspace: WorkspaceId) -> EventPayload {
    assert_eq!(frame["type"], "event", "{frame}");
    let parsed: ServerFrame = serde_json::from_value(frame.clone()).expect("a ServerFrame");
    let ServerFrame::Event { event } = parsed else {
        panic!("not an event: {frame}");
    };
    assert_eq!(event.seq, seq, "{frame}");
    assert_eq!(event.workspace_id, workspace);
    event.payload
}

/// Expects a `message_created` event of `seq` whose message reads `text`.
pub fn expect_message_created(frame: &Value, seq: u64, workspace: WorkspaceId, text: &str) {
    assert_eq!(
        frame["event"]["payload"]["type"], "message_created",
        "{frame}"
    );
    match event_payload(frame, seq, workspace) {
        EventPayload::MessageCreated {
            message,
            conversation,
        } => {
            assert_eq!(message.content.preview_text(), text, "{frame}");
            assert_eq!(message.conversation_id, conversation.id);
        }
        other => panic!("expected message_created, got {other:?}"),
    }
}

// --- Helpers of the inbox-domain tests (permissions, masking, views, actions, bad input) ---

pub const LI: &str = "li@aurora.example";

/// A server stopped by [`Server::stop_keeping_data`]: its data directory survives, and
/// [`StoppedServer::restart`] starts a new server over it.
pub struct StoppedServer {
    config: Config,
    dir: tempfile::TempDir,
}

impl Server {
    /// Stops the server (sockets closed, scheduler ended) but keeps its database.
    pub async fn stop_keeping_data(self) -> StoppedServer {
        let mut config = (*self.running.state.config).clone();
        config.bind = "127.0.0.1:0".parse().expect("a socket address");
        config.public_url = None;
        self.running.stop().await.expect("the server stops cleanly");
        StoppedServer {
            config,
            dir: self._dir,
        }
    }

    /// The id of the demo workspace called `name` ("Northwind Coffee", "Aurora Books").
    pub async fn workspace_named(&self, name: &str) -> WorkspaceId {
        for email in [ANNA, LI] {
            let credentials = self
                .store()
                .user_credentials(email)
                .await
                .expect("the store answers")
                .expect("the demo user exists");
            let memberships = self
                .store()
                .memberships(credentials.user.id)
                .await
                .expect("the store answers");
            if let Some(m) = memberships.iter().find(|m| m.name == name) {
                return m.id;
            }
        }
        panic!("no demo workspace {name:?}")
    }

    /// The id of a demo (or added) user.
    pub async fn user_id(&self, email: &str) -> UserId {
        self.store()
            .user_credentials(email)
            .await
            .expect("the store answers")
            .unwrap_or_else(|| panic!("no user {email}"))
            .user
            .id
    }

    /// Adds a user who logs in with the demo password, as a member of `workspace` with
    /// `role` (the role's default permissions).
    pub async fn add_user(
        &self,
        name: &str,
        email: &str,
        workspace: WorkspaceId,
        role: Role,
    ) -> UserId {
        // The demo users' hash is of the demo password: reuse it rather than hash again.
        let hash = self
            .store()
            .user_credentials(ANNA)
            .await
            .expect("the store answers")
            .expect("the demo user exists")
            .password_hash;
        let user = self
            .store()
            .create_user(switchboard_storage::NewUser {
                name,
                email,
                password_hash: &hash,
            })
            .await
            .expect("a new user");
        self.store()
            .add_member(workspace, user.id, role)
            .await
            .expect("a membership");
        user.id
    }

    /// How many contacts the workspace holds (each has one conversation), from the store.
    pub async fn contact_count(&self, workspace: WorkspaceId) -> usize {
        self.all_conversations(workspace).await.len()
    }

    /// The conversation of the contact whose first name is `first_name` (blocked ones too).
    pub async fn conversation_of(
        &self,
        workspace: WorkspaceId,
        first_name: &str,
    ) -> ConversationSummary {
        self.all_conversations(workspace)
            .await
            .into_iter()
            .find(|c| c.contact.first_name == first_name)
            .unwrap_or_else(|| panic!("no contact called {first_name:?}"))
    }

    /// Polls the store until `conversation` has `status`, for at most `wait`.
    pub async fn wait_for_status(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        status: ConversationStatus,
        wait: Duration,
    ) -> ConversationSummary {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let row = self
                .store()
                .conversation(workspace, conversation)
                .await
                .expect("the store answers");
            if row.status == status {
                return row;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "conversation {conversation} is still {:?} after {wait:?}",
                row.status
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl StoppedServer {
    /// A new server over the same data directory.
    pub async fn restart(self) -> Server {
        let running = switchboard_server::start(self.config)
            .await
            .expect("the server starts again");
        let url = running.url();
        Server {
            running,
            url,
            _dir: self.dir,
        }
    }
}

impl Agent {
    /// Any method with an optional JSON body; the raw response.
    pub async fn call(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("the request is answered")
    }

    pub async fn patch(&self, url: &str, body: Value) -> reqwest::Response {
        self.call(reqwest::Method::PATCH, url, Some(body)).await
    }

    pub async fn put(&self, url: &str, body: Value) -> reqwest::Response {
        self.call(reqwest::Method::PUT, url, Some(body)).await
    }

    pub async fn delete(&self, url: &str) -> reqwest::Response {
        self.call(reqwest::Method::DELETE, url, None).await
    }

    /// Sends `body` verbatim as `application/json` (malformed JSON included).
    pub async fn send_raw(
        &self,
        method: reqwest::Method,
        url: &str,
        body: &str,
    ) -> reqwest::Response {
        self.client
            .request(method, url)
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("the request is answered")
    }

    /// Walks every page of the list `query` (which must not hold `cursor`) with pages of
    /// `limit`; fails on a repeat, an over-full page or a list that does not end.
    pub async fn walk(
        &self,
        server: &Server,
        workspace: WorkspaceId,
        query: &str,
        limit: u32,
    ) -> Vec<ConversationSummary> {
        let base = server.api(&format!("/workspaces/{workspace}/conversations"));
        let sep = if query.is_empty() { "?" } else { "&" };
        let mut url = format!("{base}{query}{sep}limit={limit}");
        let mut all: Vec<ConversationSummary> = Vec::new();
        for _ in 0..500 {
            let response = self.get(&url).await;
            assert_eq!(response.status(), StatusCode::OK, "{url}");
            let page: Page<ConversationSummary> = json_body(response).await;
            assert!(page.items.len() <= limit as usize, "{url}: over-full page");
            for item in page.items {
                assert!(
                    all.iter().all(|seen| seen.id != item.id),
                    "{url}: conversation {} repeated",
                    item.id
                );
                all.push(item);
            }
            match page.next_cursor {
                Some(cursor) => url = format!("{base}{query}{sep}limit={limit}&cursor={cursor}"),
                None => return all,
            }
        }
        panic!("{query}: the pages do not end")
    }
}

/// Reads frames until one satisfies `wanted` (returned), failing after `wait`.
pub async fn wait_for_frame(ws: &mut Ws, wait: Duration, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let frame = tokio::time::timeout_at(deadline, ws.next())
            .await
            .unwrap_or_else(|_| panic!("no wanted frame within {wait:?}"));
        match frame {
            Some(Ok(WsMessage::Text(text))) => {
                let value: Value = serde_json::from_str(text.as_str())
                    .unwrap_or_else(|e| panic!("a JSON frame ({e}): {text}"));
                if wanted(&value) {
                    return value;
                }
            }
            Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

/// Asserts an answer is a 4xx `ErrorBody` (any code); returns it with its status.
pub async fn expect_client_error(response: reqwest::Response) -> (StatusCode, ErrorBody) {
    let url = response.url().clone();
    let status = response.status();
    let text = response.text().await.expect("a body");
    assert!(
        status.is_client_error(),
        "{url}: expected a 4xx, got {status}: {text}"
    );
    let body: ErrorBody = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{url}: not an ErrorBody ({e}): {text}"));
    assert!(!body.message.trim().is_empty(), "{url}: empty message");
    assert_ne!(body.code, ErrorCode::Internal, "{url}: {text}");
    (status, body)
}

/// Everything a request could change in a workspace, read straight from the store: compare
/// two of them to prove a refused request changed nothing.
#[derive(Debug, PartialEq)]
pub struct WorkspaceState {
    pub settings: switchboard_protocol::settings::WorkspaceSettings,
    pub members: Vec<switchboard_protocol::settings::Member>,
    pub teams: Vec<switchboard_protocol::settings::Team>,
    pub fields: Vec<switchboard_protocol::contacts::CustomField>,
    pub snippets: Vec<switchboard_protocol::settings::Snippet>,
    /// Every custom inbox any member can see.
    pub inboxes: Vec<switchboard_protocol::inbox::CustomInbox>,
    /// Every conversation (blocked ones too), by id.
    pub conversations: Vec<ConversationSummary>,
    /// Every contact in full (custom field values too), by conversation id.
    pub contacts: Vec<switchboard_protocol::contacts::Contact>,
    pub last_seq: u64,
    pub messages: usize,
}

impl Server {
    pub async fn workspace_state(&self, ws: WorkspaceId) -> WorkspaceState {
        let store = self.store();
        let members = store.members(ws).await.expect("members");
        let mut inboxes: Vec<switchboard_protocol::inbox::CustomInbox> = Vec::new();
        for member in &members {
            let viewer = store
                .viewer(ws, member.user.id)
                .await
                .expect("the store answers")
                .expect("a viewer");
            for inbox in store.custom_inboxes(ws, &viewer).await.expect("inboxes") {
                if inboxes.iter().all(|i| i.id != inbox.id) {
                    inboxes.push(inbox);
                }
            }
        }
        inboxes.sort_by_key(|i| i.id);
        let mut conversations = self.all_conversations(ws).await;
        conversations.sort_by_key(|c| c.id);
        let mut contacts = Vec::new();
        for c in &conversations {
            contacts.push(store.contact(ws, c.contact.id).await.expect("a contact"));
        }
        WorkspaceState {
            settings: store.settings(ws).await.expect("settings"),
            members,
            teams: store.teams(ws).await.expect("teams"),
            fields: store.custom_fields(ws).await.expect("fields"),
            snippets: store.snippets(ws).await.expect("snippets"),
            inboxes,
            conversations,
            contacts,
            last_seq: self.last_seq(ws).await,
            messages: self.message_count(ws).await,
        }
    }
}

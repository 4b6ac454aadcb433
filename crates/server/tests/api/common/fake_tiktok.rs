//! A stand-in for TikTok API for Business's Business Messaging endpoints
//! (`https://business-api.tiktok.com/open_api/v1.3/…`), answering as TikTok does: every call
//! over HTTP 200 with `{"code", "message", "request_id", "data"}`, where only `code` 0 is
//! success (`data` is `{}` otherwise). `business/get/` describes the account;
//! `business/message/send/` answers `data.message.message_id`, following a script (`TEXT`,
//! and `IMAGE` with a `media_id` uploaded before); `business/message/media/upload/` takes a
//! multipart picture and answers its `media_id`; `business/message/media/download/` names a
//! download address for a picture a contact sent, which answers only with the token in
//! `x-user`. Calls without the right `Access-Token` header are refused as TikTok refuses them
//! (40104 when missing, 40105 when wrong). Also builds webhook events and their
//! `Tiktok-Signature`.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The business account's `open_id`.
pub const BUSINESS_ID: &str = "-000m4JH_b1JiHPxoOSKii9FmQCeIA2fZ7Jw";
pub const ACCESS_TOKEN: &str = "act.example-tiktok-access-token";
/// The TikTok app's id (`client_id`) and the account's first refresh token.
pub const APP_ID: &str = "7623241219121414161";
pub const REFRESH_TOKEN: &str = "rft.example-tiktok-refresh-token";
pub const APP_SECRET: &str = "tiktok-app-secret-for-tests";
pub const DISPLAY_NAME: &str = "Northwind on TikTok";
pub const USERNAME: &str = "northwind.coffee";

/// How the stand-in answers one `business/message/send/` call with a message.
#[derive(Clone, Debug)]
pub enum Answer {
    Ok,
    /// HTTP 200 with this nonzero `code` and `message`.
    Refused {
        code: i64,
        message: String,
    },
    /// This HTTP status with no envelope (the call never reached the API).
    Status(u16),
}

/// One call the stand-in received.
#[derive(Clone, Debug)]
pub struct Call {
    pub path: String,
    pub query: HashMap<String, String>,
    pub token: Option<String>,
    pub body: Value,
}

struct Inner {
    script: VecDeque<Answer>,
    calls: Vec<Call>,
    /// Messages accepted: their bodies.
    sent: Vec<Value>,
    /// `SENDER_ACTION` calls.
    actions: Vec<Value>,
    next: u64,
    /// Pictures contacts sent, by `(conversation, message, media id)`.
    media: HashMap<(String, String, String), Vec<u8>>,
    /// Download addresses named, and the picture each serves.
    downloads: HashMap<String, Vec<u8>>,
    /// Pictures uploaded: media id → (file name, content type, bytes).
    uploads: HashMap<String, (String, String, Vec<u8>)>,
    /// `x-user` headers the download addresses were read with.
    download_tokens: Vec<Option<String>>,
    /// The access token taken now (`ACCESS_TOKEN` until it expires and is renewed); `None`
    /// while expired.
    token: Option<String>,
    /// Tokens that expired (40102), as against unknown ones (40105).
    expired: Vec<String>,
    /// The refresh token taken now (each is used once).
    refresh_token: String,
}

impl Default for Inner {
    fn default() -> Self {
        Inner {
            script: VecDeque::new(),
            calls: Vec::new(),
            sent: Vec::new(),
            actions: Vec::new(),
            next: 0,
            media: HashMap::new(),
            downloads: HashMap::new(),
            uploads: HashMap::new(),
            download_tokens: Vec::new(),
            token: Some(ACCESS_TOKEN.to_owned()),
            expired: Vec::new(),
            refresh_token: REFRESH_TOKEN.to_owned(),
        }
    }
}

#[derive(Clone)]
pub struct FakeTiktok {
    inner: Arc<Mutex<Inner>>,
    /// The base URL, with the API version (what `tiktok_api_url` is set to).
    pub url: String,
}

type Shared = Arc<Mutex<Inner>>;

impl FakeTiktok {
    pub async fn start() -> FakeTiktok {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = axum::Router::new()
            .route(
                "/open_api/v1.3/business/get/",
                axum::routing::get(business_get),
            )
            .route(
                "/open_api/v1.3/business/message/send/",
                axum::routing::post(message_send),
            )
            .route(
                "/open_api/v1.3/business/message/media/download/",
                axum::routing::post(media_download),
            )
            .route(
                "/open_api/v1.3/business/message/media/upload/",
                axum::routing::post(media_upload),
            )
            .route("/files/{key}", axum::routing::get(file))
            .route(
                "/open_api/v1.3/tt_user/oauth2/refresh_token/",
                axum::routing::post(refresh_token),
            )
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!(
            "http://{}/open_api/v1.3",
            listener.local_addr().expect("an address")
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeTiktok { inner, url }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Answers for the next messages sent, in order; then `Ok`.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.lock().script.extend(answers);
    }

    /// Every call to `path` (relative to the base, e.g. `business/get/`).
    pub fn calls(&self, path: &str) -> Vec<Call> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.path == path)
            .cloned()
            .collect()
    }

    /// A picture a contact sends in `conversation` as `message` with `media`.
    pub fn add_media(&self, conversation: &str, message: &str, media: &str, bytes: &[u8]) {
        self.lock().media.insert(
            (conversation.into(), message.into(), media.into()),
            bytes.to_vec(),
        );
    }

    /// The access token runs out: calls with it get 40102 until it is renewed.
    pub fn expire_token(&self) {
        let mut inner = self.lock();
        if let Some(token) = inner.token.take() {
            inner.expired.push(token);
        }
    }

    /// The access token taken now, if any.
    pub fn token(&self) -> Option<String> {
        self.lock().token.clone()
    }

    /// Pictures uploaded: media id → (file name, content type, bytes).
    pub fn uploads(&self) -> HashMap<String, (String, String, Vec<u8>)> {
        self.lock().uploads.clone()
    }

    /// The `x-user` headers download addresses were read with.
    pub fn download_tokens(&self) -> Vec<Option<String>> {
        self.lock().download_tokens.clone()
    }

    /// Bodies of the messages accepted.
    pub fn sent(&self) -> Vec<Value> {
        self.lock().sent.clone()
    }

    /// Bodies of the `SENDER_ACTION` calls (typing).
    pub fn actions(&self) -> Vec<Value> {
        self.lock().actions.clone()
    }

    /// Calls that tried to send a message (accepted or not).
    pub fn attempts(&self) -> Vec<Call> {
        self.calls("business/message/send/")
            .into_iter()
            .filter(|c| c.body["message_type"] != "SENDER_ACTION")
            .collect()
    }

    pub async fn wait_sent(&self, count: usize, wait: Duration) -> Vec<Value> {
        let deadline = Instant::now() + wait;
        loop {
            let sent = self.sent();
            if sent.len() >= count {
                return sent;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {count} messages reached TikTok",
                sent.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// TikTok's envelope.
fn envelope(code: i64, message: &str, data: Value) -> Response {
    Json(json!({
        "code": code, "message": message,
        "request_id": "202501011200000000000000000000", "data": data
    }))
    .into_response()
}

/// The token problem TikTok reports, if any.
fn token_refusal(inner: &Shared, token: Option<&str>) -> Option<Response> {
    let inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    match token {
        None => Some(envelope(
            40104,
            "Access token is null, you should set it in http header with key Access-Token.",
            json!({}),
        )),
        Some(token) if inner.token.as_deref() == Some(token) => None,
        Some(token) if inner.expired.iter().any(|t| t == token) => {
            Some(envelope(40102, "Access token has expired.", json!({})))
        }
        Some(_) => Some(envelope(
            40105,
            "Access token is incorrect or has been revoked.",
            json!({}),
        )),
    }
}

/// `POST tt_user/oauth2/refresh_token/`: a new access token and a new refresh token for the
/// app's id and secret and the current refresh token (which is then used up).
async fn refresh_token(State(inner): State<Shared>, Json(body): Json<Value>) -> Response {
    record(
        &inner,
        "tt_user/oauth2/refresh_token/",
        HashMap::new(),
        &HeaderMap::new(),
        body.clone(),
    );
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    if body["client_id"] != APP_ID
        || body["client_secret"] != APP_SECRET
        || body["grant_type"] != "refresh_token"
    {
        return envelope(40001, "Invalid app credentials.", json!({}));
    }
    if body["refresh_token"] != inner.refresh_token.as_str() {
        return envelope(40001, "The refresh token is invalid or expired.", json!({}));
    }
    inner.next += 1;
    let access = format!("act.renewed-{}", inner.next);
    let refresh = format!("rft.renewed-{}", inner.next);
    if let Some(old) = inner.token.replace(access.clone()) {
        inner.expired.push(old);
    }
    inner.refresh_token = refresh.clone();
    envelope(
        0,
        "OK",
        json!({ "open_id": BUSINESS_ID, "scope": "message.list.send,message.list.read",
                "access_token": access, "expires_in": 86400, "refresh_token": refresh,
                "refresh_token_expires_in": 31536000, "token_type": "Bearer" }),
    )
}

fn record(
    inner: &Shared,
    path: &str,
    query: HashMap<String, String>,
    headers: &HeaderMap,
    body: Value,
) -> Option<String> {
    let token = headers
        .get("access-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    inner
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .calls
        .push(Call {
            path: path.to_owned(),
            query,
            token: token.clone(),
            body,
        });
    token
}

/// `GET business/get/?business_id=…&fields=[…]`: the account's profile fields asked for.
async fn business_get(
    State(inner): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let token = record(
        &inner,
        "business/get/",
        query.clone(),
        &headers,
        Value::Null,
    );
    if let Some(refusal) = token_refusal(&inner, token.as_deref()) {
        return refusal;
    }
    if query.get("business_id").map(String::as_str) != Some(BUSINESS_ID) {
        return envelope(
            40001,
            "No permission to operate this business account.",
            json!({}),
        );
    }
    let Some(fields) = query
        .get("fields")
        .and_then(|f| serde_json::from_str::<Vec<String>>(f).ok())
    else {
        return envelope(40002, "fields: Not a valid list.", json!({}));
    };
    let mut data = serde_json::Map::new();
    for field in fields {
        match field.as_str() {
            "username" => data.insert(field, json!(USERNAME)),
            "display_name" => data.insert(field, json!(DISPLAY_NAME)),
            "profile_image" => data.insert(field, json!("https://p16.tiktokcdn.example/a.jpeg")),
            _ => return envelope(40002, &format!("fields: Invalid field {field}."), json!({})),
        };
    }
    envelope(0, "OK", Value::Object(data))
}

/// `POST business/message/send/`: a `TEXT` message (scripted) or a `SENDER_ACTION`.
async fn message_send(
    State(inner): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let token = record(
        &inner,
        "business/message/send/",
        HashMap::new(),
        &headers,
        body.clone(),
    );
    if let Some(refusal) = token_refusal(&inner, token.as_deref()) {
        return refusal;
    }
    if body["business_id"] != BUSINESS_ID {
        return envelope(
            40001,
            "No permission to operate this business account.",
            json!({}),
        );
    }
    if body["recipient_type"] != "CONVERSATION" || !body["recipient"].is_string() {
        return envelope(40002, "recipient: Missing required field.", json!({}));
    }
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    match body["message_type"].as_str() {
        Some("SENDER_ACTION") => {
            if !matches!(body["sender_action"].as_str(), Some("TYPING" | "MARK_READ")) {
                return envelope(40002, "sender_action: Invalid value.", json!({}));
            }
            inner.actions.push(body);
            envelope(0, "OK", json!({}))
        }
        Some(kind @ ("TEXT" | "IMAGE")) => {
            if kind == "TEXT" && !body["text"]["body"].is_string() {
                return envelope(40002, "text.body: Missing required field.", json!({}));
            }
            if kind == "IMAGE"
                && !body["image"]["media_id"]
                    .as_str()
                    .is_some_and(|m| inner.uploads.contains_key(m))
            {
                return envelope(40002, "image.media_id: Invalid value.", json!({}));
            }
            match inner.script.pop_front().unwrap_or(Answer::Ok) {
                Answer::Ok => {
                    inner.next += 1;
                    let id = format!("u5Buqc6lAghuOUT{}==", inner.next);
                    inner.sent.push(body);
                    envelope(0, "OK", json!({ "message": { "message_id": id } }))
                }
                Answer::Refused { code, message } => envelope(code, &message, json!({})),
                Answer::Status(status) => StatusCode::from_u16(status)
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                    .into_response(),
            }
        }
        _ => envelope(40002, "message_type: Invalid value.", json!({})),
    }
}

/// `POST business/message/media/download/`: the download address of a picture a contact
/// sent, named by business, conversation, message and media id.
async fn media_download(
    State(inner): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let token = record(
        &inner,
        "business/message/media/download/",
        HashMap::new(),
        &headers,
        body.clone(),
    );
    if let Some(refusal) = token_refusal(&inner, token.as_deref()) {
        return refusal;
    }
    if body["business_id"] != BUSINESS_ID || body["media_type"] != "IMAGE" {
        return envelope(40002, "Invalid parameters.", json!({}));
    }
    let key = (
        body["conversation_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        body["message_id"].as_str().unwrap_or_default().to_owned(),
        body["media_id"].as_str().unwrap_or_default().to_owned(),
    );
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    let Some(bytes) = inner.media.get(&key).cloned() else {
        return envelope(40002, "media_id: Media not found.", json!({}));
    };
    inner.next += 1;
    let file = format!("dl{}", inner.next);
    inner.downloads.insert(file.clone(), bytes);
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    envelope(
        0,
        "OK",
        json!({ "download_url": format!("http://{host}/files/{file}") }),
    )
}

/// A download address: the picture, for the access token in `x-user` only.
async fn file(
    State(inner): State<Shared>,
    axum::extract::Path(key): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let user = headers
        .get("x-user")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    inner.download_tokens.push(user.clone());
    match inner.downloads.get(&key) {
        Some(bytes) if user.is_some() && user == inner.token => bytes.clone().into_response(),
        Some(_) => StatusCode::FORBIDDEN.into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST business/message/media/upload/` (multipart: `business_id`, `media_type`, `file`):
/// the picture's `media_id`.
async fn media_upload(
    State(inner): State<Shared>,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file = None;
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let content_type = field.content_type().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
            file = Some((file_name, content_type, bytes));
        } else {
            fields.insert(name, field.text().await.unwrap_or_default());
        }
    }
    let token = record(
        &inner,
        "business/message/media/upload/",
        HashMap::new(),
        &headers,
        json!(fields),
    );
    if let Some(refusal) = token_refusal(&inner, token.as_deref()) {
        return refusal;
    }
    if fields.get("business_id").map(String::as_str) != Some(BUSINESS_ID)
        || fields.get("media_type").map(String::as_str) != Some("IMAGE")
    {
        return envelope(40002, "Invalid parameters.", json!({}));
    }
    let Some(file) = file.filter(|(_, _, bytes)| !bytes.is_empty()) else {
        return envelope(40002, "file: Missing required field.", json!({}));
    };
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    inner.next += 1;
    let media_id = format!("v10044g50000media{}", inner.next);
    inner.uploads.insert(media_id.clone(), file);
    envelope(0, "OK", json!({ "media_id": media_id }))
}

/// A webhook event as TikTok posts it: `content` is a JSON document inside a string.
pub fn event(name: &str, content: &Value) -> Value {
    json!({
        "client_key": "7623241219121414161",
        "event": name,
        "create_time": chrono::Utc::now().timestamp(),
        "user_openid": BUSINESS_ID,
        "content": content.to_string(),
    })
}

/// The `content` of `im_receive_msg`: `username` wrote into `conversation` at
/// `timestamp_ms`; `kind` and `detail` are the message's `type` and its object.
pub fn received(
    conversation: &str,
    message_id: &str,
    username: &str,
    timestamp_ms: i64,
    kind: &str,
    detail: Value,
) -> Value {
    let mut content = json!({
        "timestamp": timestamp_ms,
        "unique_identifier": "+ZMM6I2kBFMYfuEhZjEEt6o0FEebXi68VHcHvO0WgQlZMkbqHafwNm7D4qoyqm52",
        "from_user": { "id": "+ZMM6I2kBFMYfuEhZjEEt6o0FEebXi68VHcHvO0WgQlZMkbqHafwNm7D4qoyqm52", "role": "personal_account" },
        "to_user": { "id": BUSINESS_ID, "role": "business_account" },
        "from": username,
        "to": USERNAME,
        "conversation_id": conversation,
        "message_id": message_id,
        "type": kind,
    });
    content[kind] = detail;
    content
}

/// A text `im_receive_msg` event sent just now.
pub fn text_event(conversation: &str, message_id: &str, username: &str, body: &str) -> Value {
    let now = chrono::Utc::now().timestamp_millis();
    event(
        "im_receive_msg",
        &received(
            conversation,
            message_id,
            username,
            now,
            "text",
            json!({ "body": body }),
        ),
    )
}

/// `Tiktok-Signature` for `body` signed with `secret` at unix time `t`.
pub fn signature(secret: &str, t: i64, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("a key");
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    format!("t={t},s={}", hex::encode(mac.finalize().into_bytes()))
}

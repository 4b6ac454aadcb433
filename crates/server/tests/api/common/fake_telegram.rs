//! A stand-in for the Telegram Bot API (`https://api.telegram.org/bot<token>/<method>`),
//! answering as the Bot API documents: `{"ok": true, "result": …}` or `{"ok": false,
//! "error_code": N, "description": "…", "parameters": {"retry_after": S}}` with the same
//! HTTP status. It records every call, and `sendMessage` answers follow a script.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The token the fake accepts.
pub const BOT_TOKEN: &str = "123456789:AAEhBP0av28q0TRl2QWbAfXAL3gyQWfu8qA";
pub const BOT_ID: i64 = 123_456_789;

/// How the next `sendMessage` is answered.
#[derive(Clone, Debug)]
pub enum Answer {
    Ok,
    /// 500 Internal Server Error.
    ServerError,
    /// 429 with `parameters.retry_after`.
    TooManyRequests {
        retry_after: u64,
    },
    /// A refusal: 400 or 403 with Telegram's description.
    Refused {
        code: u16,
        description: String,
    },
    /// Never answers (until the client gives up).
    Hang,
}

/// One call the fake received.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    pub body: Value,
    pub at: Instant,
}

#[derive(Default)]
struct Inner {
    calls: Vec<Call>,
    script: VecDeque<Answer>,
    /// Messages the fake accepted (answered ok), in order.
    delivered: Vec<Value>,
    next_message_id: i64,
    webhook: Option<(String, String)>,
    /// Files contacts sent, by file id: their path and bytes.
    files: std::collections::HashMap<String, (String, Vec<u8>)>,
    /// File ids whose next `getFile` fails with 500.
    flaky: std::collections::HashSet<String>,
}

#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Mutex<Inner>>,
    pub url: String,
}

impl FakeTelegram {
    pub async fn start() -> FakeTelegram {
        let inner = Arc::new(Mutex::new(Inner {
            next_message_id: 1000,
            ..Inner::default()
        }));
        let app = axum::Router::new()
            .route("/{bot}/{method}", axum::routing::post(call))
            .route("/file/{bot}/{*path}", axum::routing::get(download))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeTelegram { inner, url }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A file a contact sent, which `getFile` and the download then serve.
    pub fn add_file(&self, file_id: &str, bytes: &[u8]) {
        let path = format!("documents/file_{}", self.lock().files.len());
        self.lock()
            .files
            .insert(file_id.to_owned(), (path, bytes.to_vec()));
    }

    /// The next `getFile` of this file fails with 500 (then it works).
    pub fn fail_file_once(&self, file_id: &str) {
        self.lock().flaky.insert(file_id.to_owned());
    }

    /// The answers of the next `sendMessage` calls, in order (then `Ok`).
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.lock().script.extend(answers);
    }

    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// The messages accepted: their parameters, with `method`.
    pub fn delivered(&self) -> Vec<Value> {
        self.lock().delivered.clone()
    }

    /// The webhook's URL and secret token, once set.
    pub fn webhook(&self) -> Option<(String, String)> {
        self.lock().webhook.clone()
    }

    /// Waits until `count` messages were accepted.
    pub async fn wait_delivered(&self, count: usize, wait: Duration) -> Vec<Value> {
        let deadline = Instant::now() + wait;
        loop {
            let delivered = self.delivered();
            if delivered.len() >= count {
                return delivered;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {count} messages reached Telegram after {wait:?}",
                delivered.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// `GET /file/bot<token>/<file_path>`: the file's bytes.
async fn download(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path((bot, path)): Path<(String, String)>,
) -> Response {
    let inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    if bot != format!("bot{BOT_TOKEN}") {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match inner.files.values().find(|(p, _)| *p == path) {
        Some((_, bytes)) => bytes.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn refusal(code: u16, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({ "ok": false, "error_code": code, "description": description });
    if let Some(parameters) = parameters {
        body["parameters"] = parameters;
    }
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(body)).into_response()
}

/// A request's parameters as JSON: a JSON body, or a multipart form (file uploads), whose
/// file fields become `{"file_name", "content_type", "size", "bytes"}`.
async fn parameters(request: axum::extract::Request) -> Value {
    let multipart = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if !multipart {
        let bytes = axum::body::to_bytes(request.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        return serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    }
    use axum::extract::FromRequest;
    let Ok(mut form) = axum::extract::Multipart::from_request(request, &()).await else {
        return Value::Null;
    };
    let mut fields = serde_json::Map::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.unwrap_or_default();
        let value = match file_name {
            Some(file_name) => json!({
                "file_name": file_name, "content_type": content_type,
                "size": bytes.len(), "bytes": bytes.to_vec(),
            }),
            None => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                // Numbers and objects arrive as text in forms; read them back as JSON.
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .filter(|v| v.is_number() || v.is_object())
                    .unwrap_or(Value::String(text))
            }
        };
        fields.insert(name, value);
    }
    Value::Object(fields)
}

async fn call(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path((bot, method)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let body = parameters(request).await;
    let answer = {
        let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.calls.push(Call {
            method: method.clone(),
            body: body.clone(),
            at: Instant::now(),
        });
        if bot != format!("bot{BOT_TOKEN}") {
            return refusal(401, "Unauthorized", None);
        }
        match method.as_str() {
            "getMe" => {
                return Json(json!({ "ok": true, "result": {
                    "id": BOT_ID, "is_bot": true, "first_name": "Northwind Bot",
                    "username": "northwind_bot", "can_join_groups": true,
                    "can_read_all_group_messages": false, "supports_inline_queries": false
                }}))
                .into_response();
            }
            "setWebhook" => {
                let url = body["url"].as_str().unwrap_or_default().to_owned();
                let secret = body["secret_token"].as_str().unwrap_or_default().to_owned();
                inner.webhook = Some((url, secret));
                return Json(
                    json!({ "ok": true, "result": true, "description": "Webhook was set" }),
                )
                .into_response();
            }
            "deleteWebhook" => {
                inner.webhook = None;
                return Json(
                    json!({ "ok": true, "result": true, "description": "Webhook was deleted" }),
                )
                .into_response();
            }
            "getFile" => {
                let id = body["file_id"].as_str().unwrap_or_default();
                if inner.flaky.remove(id) {
                    return refusal(500, "Internal Server Error", None);
                }
                return match inner.files.get(id) {
                    Some((path, bytes)) => Json(json!({ "ok": true, "result": {
                        "file_id": id, "file_unique_id": format!("u-{id}"),
                        "file_size": bytes.len(), "file_path": path
                    }}))
                    .into_response(),
                    None => refusal(400, "Bad Request: invalid file_id", None),
                };
            }
            "sendChatAction" => {
                return Json(json!({ "ok": true, "result": true })).into_response();
            }
            "sendMessage" | "sendPhoto" | "sendDocument" | "sendVoice" | "sendVideo"
            | "sendAudio" => inner.script.pop_front().unwrap_or(Answer::Ok),
            _ => return refusal(404, "Not Found", None),
        }
    };
    match answer {
        Answer::Ok => {
            let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
            inner.next_message_id += 1;
            let message_id = inner.next_message_id;
            let mut delivered = body.clone();
            delivered["method"] = json!(method);
            inner.delivered.push(delivered);
            let chat_id = body["chat_id"].clone();
            Json(json!({ "ok": true, "result": {
                "message_id": message_id,
                "from": { "id": BOT_ID, "is_bot": true, "first_name": "Northwind Bot", "username": "northwind_bot" },
                "chat": { "id": chat_id, "first_name": "Ivan", "type": "private" },
                "date": 1_790_000_000,
                "text": body.get("text").cloned().unwrap_or(Value::Null),
                "caption": body.get("caption").cloned().unwrap_or(Value::Null),
            }}))
            .into_response()
        }
        Answer::ServerError => refusal(500, "Internal Server Error", None),
        Answer::TooManyRequests { retry_after } => refusal(
            429,
            &format!("Too Many Requests: retry after {retry_after}"),
            Some(json!({ "retry_after": retry_after })),
        ),
        Answer::Refused { code, description } => refusal(code, &description, None),
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            refusal(500, "Internal Server Error", None)
        }
    }
}

/// A private-chat text `Update` from Ivan Petrov (chat `chat`), as Telegram sends it.
pub fn text_update(update_id: i64, chat: i64, message_id: i64, text: &str) -> Value {
    json!({
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "from": { "id": chat, "is_bot": false, "first_name": "Ivan", "last_name": "Petrov",
                      "username": "ivanp", "language_code": "ru" },
            "chat": { "id": chat, "first_name": "Ivan", "last_name": "Petrov",
                      "username": "ivanp", "type": "private" },
            "date": 1_790_000_000 + message_id,
            "text": text,
        }
    })
}

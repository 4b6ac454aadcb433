//! A stand-in for the WhatsApp Cloud API's Graph endpoints
//! (`https://graph.facebook.com/<version>/<phone number id>[/messages]`), answering as Meta
//! documents: `{"messaging_product": "whatsapp", "contacts": […], "messages": [{"id":
//! "wamid…"}]}`, or `{"error": {"message", "type", "code", "error_data": {"details"},
//! "fbtrace_id"}}` with an HTTP error status. `/messages` answers follow a script.
//! `GET /<WABA id>/message_templates` lists templates in pages (`paging.next`), and a
//! template message naming an unknown template or the wrong number of parameters is refused
//! with Meta's codes (132001, 132000).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const PHONE_NUMBER_ID: &str = "106540352242922";
pub const ACCESS_TOKEN: &str = "EAAJB-test-access-token";
pub const APP_SECRET: &str = "meta-app-secret-for-tests";
pub const BUSINESS_ACCOUNT_ID: &str = "102290129340398";

/// The business account's templates as Meta lists them: approved ones Switchboard can fill,
/// a pending one, and approved ones it cannot (an image header, a URL button variable).
pub fn templates() -> Vec<Value> {
    vec![
        json!({ "name": "order_update", "language": "en_US", "status": "APPROVED",
                "category": "UTILITY", "id": "1001", "components": [
                  { "type": "HEADER", "format": "TEXT", "text": "Order update" },
                  { "type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped.",
                    "example": { "body_text": [["Kerry", "1042"]] } },
                  { "type": "FOOTER", "text": "Northwind Coffee" } ] }),
        json!({ "name": "promo_spring", "language": "en_US", "status": "PENDING",
                "category": "MARKETING", "id": "1002", "components": [
                  { "type": "BODY", "text": "Spring sale: {{1}} off" } ] }),
        json!({ "name": "receipt_photo", "language": "en_US", "status": "APPROVED",
                "category": "UTILITY", "id": "1003", "components": [
                  { "type": "HEADER", "format": "IMAGE" },
                  { "type": "BODY", "text": "Your receipt" } ] }),
        json!({ "name": "reservation_confirmation", "language": "en_US", "status": "APPROVED",
                "category": "UTILITY", "parameter_format": "NAMED", "id": "1004", "components": [
                  { "type": "BODY", "text": "Your table for {{number_of_guests}} is confirmed." } ] }),
        json!({ "name": "track_order", "language": "en_US", "status": "APPROVED",
                "category": "UTILITY", "id": "1005", "components": [
                  { "type": "BODY", "text": "Track your parcel" },
                  { "type": "BUTTONS", "buttons": [
                    { "type": "URL", "text": "Track", "url": "https://example.com/t/{{1}}" } ] } ] }),
        json!({ "name": "welcome_back", "language": "ru", "status": "APPROVED",
                "category": "MARKETING", "id": "1006", "components": [
                  { "type": "BODY", "text": "Здравствуйте! Мы снова на связи." } ] }),
    ]
}

#[derive(Clone, Debug)]
pub enum Answer {
    Ok,
    /// An error object with this HTTP status and Graph error code.
    Error {
        status: u16,
        code: i64,
        message: String,
    },
}

#[derive(Default)]
struct Inner {
    /// `http://host:port`, for the media URLs it hands out.
    host: String,
    /// Media contacts sent, by media id.
    media: std::collections::HashMap<String, Vec<u8>>,
    /// Files uploaded for sending: their form fields.
    uploads: Vec<Value>,
    script: VecDeque<Answer>,
    sent: Vec<Value>,
    /// "Read, and show typing" calls.
    typing: Vec<Value>,
    attempts: Vec<Instant>,
    next: u64,
}

#[derive(Clone)]
pub struct FakeWhatsapp {
    inner: Arc<Mutex<Inner>>,
    pub url: String,
}

impl FakeWhatsapp {
    pub async fn start() -> FakeWhatsapp {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = axum::Router::new()
            .route("/v21.0/{id}", axum::routing::get(describe))
            .route("/v21.0/{phone}/messages", axum::routing::post(messages))
            .route("/v21.0/{phone}/media", axum::routing::post(upload))
            .route(
                "/v21.0/{account}/message_templates",
                axum::routing::get(list_templates),
            )
            .route("/media-files/{id}", axum::routing::get(download))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let host = format!("http://{}", listener.local_addr().expect("an address"));
        inner.lock().unwrap_or_else(|p| p.into_inner()).host = host.clone();
        let url = format!("{host}/v21.0");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeWhatsapp { inner, url }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A file a contact sent, served by media id.
    pub fn add_media(&self, id: &str, bytes: &[u8]) {
        self.lock().media.insert(id.to_owned(), bytes.to_vec());
    }

    /// Form fields of the files uploaded for sending.
    pub fn uploads(&self) -> Vec<Value> {
        self.lock().uploads.clone()
    }

    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.lock().script.extend(answers);
    }

    /// Bodies of the messages accepted.
    pub fn sent(&self) -> Vec<Value> {
        self.lock().sent.clone()
    }

    /// Bodies of the "mark read and show typing" calls.
    pub fn typing(&self) -> Vec<Value> {
        self.lock().typing.clone()
    }

    pub fn attempts(&self) -> usize {
        self.lock().attempts.len()
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
                "{} of {count} messages reached WhatsApp",
                sent.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn error(status: u16, code: i64, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        Json(json!({ "error": {
            "message": message, "type": "OAuthException", "code": code,
            "error_data": { "messaging_product": "whatsapp", "details": "See the error code." },
            "fbtrace_id": "AbCdEf123"
        }})),
    )
        .into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {ACCESS_TOKEN}"))
}

/// `GET /<id>`: the phone number, or a media object with its short-lived URL.
async fn describe(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(phone): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&headers) {
        return error(
            401,
            190,
            "Invalid OAuth access token - Cannot parse access token",
        );
    }
    if phone != PHONE_NUMBER_ID {
        let inner = inner.lock().unwrap_or_else(|p| p.into_inner());
        return match inner.media.get(&phone) {
            Some(bytes) => Json(json!({
                "messaging_product": "whatsapp",
                "url": format!("{}/media-files/{phone}", inner.host),
                "mime_type": "image/png", "sha256": "unchecked", "file_size": bytes.len(), "id": phone
            }))
            .into_response(),
            None => error(400, 100, "Unsupported get request. Object with ID does not exist"),
        };
    }
    Json(json!({
        "verified_name": "Northwind Coffee", "display_phone_number": "+1 555-078-3881",
        "id": PHONE_NUMBER_ID, "quality_rating": "GREEN"
    }))
    .into_response()
}

/// `GET /<WABA id>/message_templates`: two templates a page, `paging.next` while more.
async fn list_templates(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(account): Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&headers) {
        return error(
            401,
            190,
            "Invalid OAuth access token - Cannot parse access token",
        );
    }
    if account != BUSINESS_ACCOUNT_ID {
        return error(
            400,
            100,
            "Unsupported get request. Object with ID does not exist, cannot be loaded due to missing permissions, or does not support this operation",
        );
    }
    let all = templates();
    let start: usize = query.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let page: Vec<Value> = all.iter().skip(start).take(2).cloned().collect();
    let mut paging = json!({ "cursors": { "before": start.to_string(),
                                          "after": (start + page.len()).to_string() } });
    if start + page.len() < all.len() {
        let host = inner.lock().unwrap_or_else(|p| p.into_inner()).host.clone();
        paging["next"] = json!(format!(
            "{host}/v21.0/{account}/message_templates?limit=2&after={}",
            start + page.len()
        ));
    }
    Json(json!({ "data": page, "paging": paging })).into_response()
}

/// Meta's refusal of a template message that does not fit an approved template.
fn template_refusal(body: &Value) -> Option<Response> {
    let name = body["template"]["name"].as_str().unwrap_or_default();
    let language = body["template"]["language"]["code"]
        .as_str()
        .unwrap_or_default();
    let Some(template) = templates()
        .into_iter()
        .find(|t| t["name"] == name && t["language"] == language && t["status"] == "APPROVED")
    else {
        return Some(error(
            404,
            132001,
            "Template name does not exist in the translation",
        ));
    };
    let body_text = template["components"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["type"] == "BODY"))
        .and_then(|c| c["text"].as_str())
        .unwrap_or_default()
        .to_owned();
    let expected = body_text.matches("{{").count();
    let given = body["template"]["components"][0]["parameters"]
        .as_array()
        .map_or(0, Vec::len);
    (expected != given).then(|| {
        error(
            400,
            132000,
            "Number of parameters does not match the expected number of params",
        )
    })
}

async fn messages(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(phone): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&headers) {
        return error(
            401,
            190,
            "Invalid OAuth access token - Cannot parse access token",
        );
    }
    if phone != PHONE_NUMBER_ID {
        return error(400, 100, "Unsupported post request");
    }
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    if body["status"] == "read" {
        inner.typing.push(body);
        return Json(json!({ "success": true })).into_response();
    }
    inner.attempts.push(Instant::now());
    if body["type"] == "template"
        && let Some(refusal) = template_refusal(&body)
    {
        return refusal;
    }
    match inner.script.pop_front().unwrap_or(Answer::Ok) {
        Answer::Ok => {
            inner.next += 1;
            let id = format!("wamid.OUT{}", inner.next);
            inner.sent.push(body.clone());
            Json(json!({
                "messaging_product": "whatsapp",
                "contacts": [{ "input": body["to"], "wa_id": body["to"] }],
                "messages": [{ "id": id }]
            }))
            .into_response()
        }
        Answer::Error {
            status,
            code,
            message,
        } => error(status, code, &message),
    }
}

/// The bytes behind a media URL (with the token, as Meta requires).
async fn download(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    match inner.media.get(&id) {
        Some(bytes) => bytes.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST /<phone number id>/media`: a multipart upload; its media id.
async fn upload(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    if !authorized(&headers) {
        return error(
            401,
            190,
            "Invalid OAuth access token - Cannot parse access token",
        );
    }
    let mut fields = serde_json::Map::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.unwrap_or_default();
        let value = match file_name {
            Some(file_name) => json!({ "file_name": file_name, "bytes": bytes.to_vec() }),
            None => Value::String(String::from_utf8_lossy(&bytes).into_owned()),
        };
        fields.insert(name, value);
    }
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    inner.uploads.push(Value::Object(fields));
    let id = format!("media-{}", inner.uploads.len());
    Json(json!({ "id": id })).into_response()
}

/// A notification as Meta sends it for `messages` (from `wa_id`, named `name`).
pub fn notification(wa_id: &str, name: &str, messages: Value) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID },
            "contacts": [{ "profile": { "name": name }, "wa_id": wa_id }],
            "messages": messages
        }}]}]
    })
}

/// A status notification for a message the business sent.
pub fn status(wamid: &str, status: &str, errors: Option<Value>) -> Value {
    let mut entry = json!({
        "id": wamid, "status": status, "timestamp": "1750263773", "recipient_id": "16505551234"
    });
    if let Some(errors) = errors {
        entry["errors"] = errors;
    }
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID },
            "statuses": [entry]
        }}]}]
    })
}

/// `X-Hub-Signature-256` for `body` signed with `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("a key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

//! A stand-in for Dialogflow ES (API v2) and Google's OAuth 2.0 token endpoint as Google
//! documents them, for a service account. `POST /token` takes a JWT bearer assertion (RFC
//! 7523, RS256) signed with the key file's private key (`test_keys::TEST_PRIVATE_KEY`, `kid`
//! its `private_key_id`): `iss` the service account, `aud` the token URI, `scope`
//! Dialogflow's or Cloud Platform's, `iat` and `exp` at most an hour apart; it answers an
//! access token (`ya29.…`, 3599 seconds) or `400` `invalid_grant` / `invalid_scope`. With
//! that token (`Authorization: Bearer`),
//! `POST /v2/projects/{project}/agent/sessions/{session}:detectIntent` takes a text query
//! (`queryInput.text.text`, at most 256 characters, and its `languageCode`) and answers the
//! first intent whose phrase the text contains (its fulfillment text), else the Default
//! Fallback Intent. Errors have Google's body `{"error": {"code", "message", "status"}}`:
//! `401` `UNAUTHENTICATED`, `403` `PERMISSION_DENIED` (another project), `400`
//! `INVALID_ARGUMENT`, and whatever it is told to fail with (`429` `RESOURCE_EXHAUSTED`,
//! `500` `INTERNAL`…). It records the queries. The server's tests and the browser suite share
//! it.

use super::test_keys::{TEST_PRIVATE_KEY, TEST_PUBLIC_KEY};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jwt_simple::JWTError;
use jwt_simple::prelude::{
    Duration as JwtDuration, RS256PublicKey, RSAPublicKeyLike, Token, VerificationOptions,
};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

pub const PROJECT_ID: &str = "northwind-support-bot";
/// The service account's address (the assertion's `iss`).
pub const CLIENT_EMAIL: &str = "switchboard@northwind-support-bot.iam.gserviceaccount.com";
/// The key's id in the key file (the assertion header's `kid`).
pub const PRIVATE_KEY_ID: &str = "5c3f0e8a91d24b7f6e1a0c9d8b7e6f5a4d3c2b1a";
/// The service account's numeric id.
const CLIENT_ID: &str = "104235712369881520917";
const PROJECT_NUMBER: &str = "614387250913";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// The scopes that allow detectIntent.
const SCOPES: [&str; 2] = [
    "https://www.googleapis.com/auth/dialogflow",
    "https://www.googleapis.com/auth/cloud-platform",
];
/// The longest an assertion may be valid for.
const MAX_LIFETIME_SECS: u64 = 3600;
/// The longest text a query may have.
const MAX_TEXT: usize = 256;
/// The longest session id.
const MAX_SESSION_ID: usize = 36;
const TIMEFRAME: &str = "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";

/// A query detectIntent was sent.
#[derive(Clone, Debug)]
pub struct Query {
    /// `projects/{project}/agent/sessions/{session}`.
    pub session: String,
    pub text: String,
    pub language_code: String,
}

struct Intent {
    id: String,
    display_name: String,
    phrase: String,
    reply: String,
}

struct Inner {
    url: String,
    /// The access tokens that are valid.
    tokens: Vec<String>,
    issued: usize,
    intents: Vec<Intent>,
    /// The Default Fallback Intent's id and its reply (none unless told).
    fallback: (String, String),
    failing: Option<u16>,
    queries: Vec<Query>,
}

#[derive(Clone)]
pub struct FakeDialogflow {
    inner: Arc<Mutex<Inner>>,
    /// `http://127.0.0.1:port`: the token URI is `{url}/token`, the API's base `{url}/v2`.
    pub url: String,
}

impl FakeDialogflow {
    pub async fn start() -> FakeDialogflow {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let inner = Arc::new(Mutex::new(Inner {
            url: url.clone(),
            tokens: Vec::new(),
            issued: 0,
            intents: Vec::new(),
            fallback: (uuid(), String::new()),
            failing: None,
            queries: Vec::new(),
        }));
        let app = axum::Router::new()
            .route("/token", axum::routing::post(token))
            // The last segment is `{session}:detectIntent`.
            .route(
                "/v2/projects/{project}/agent/sessions/{tail}",
                axum::routing::post(detect),
            )
            .fallback(not_found)
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeDialogflow { inner, url }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A service account's key file as Google Cloud's console gives it (JSON).
    pub fn key_file(&self) -> String {
        let entries = [
            ("type", "service_account".to_owned()),
            ("project_id", PROJECT_ID.to_owned()),
            ("private_key_id", PRIVATE_KEY_ID.to_owned()),
            ("private_key", TEST_PRIVATE_KEY.to_owned()),
            ("client_email", CLIENT_EMAIL.to_owned()),
            ("client_id", CLIENT_ID.to_owned()),
            (
                "auth_uri",
                "https://accounts.google.com/o/oauth2/auth".to_owned(),
            ),
            ("token_uri", format!("{}/token", self.url)),
            (
                "auth_provider_x509_cert_url",
                "https://www.googleapis.com/oauth2/v1/certs".to_owned(),
            ),
            (
                "client_x509_cert_url",
                format!(
                    "https://www.googleapis.com/robot/v1/metadata/x509/{}",
                    CLIENT_EMAIL.replace('@', "%40")
                ),
            ),
            ("universe_domain", "googleapis.com".to_owned()),
        ];
        let lines: Vec<String> = entries
            .iter()
            .map(|(name, value)| format!("  \"{name}\": {}", Value::from(value.as_str())))
            .collect();
        format!("{{\n{}\n}}\n", lines.join(",\n"))
    }

    /// An intent: a query whose text contains `phrase` (whatever the case) gets `reply` as
    /// its fulfillment text. The first added that matches wins.
    pub fn add_intent(&self, display_name: &str, phrase: &str, reply: &str) {
        self.lock().intents.push(Intent {
            id: uuid(),
            display_name: display_name.to_owned(),
            phrase: phrase.to_owned(),
            reply: reply.to_owned(),
        });
    }

    /// The Default Fallback Intent's reply: none at first (no `fulfillmentText`), where a new
    /// agent's has replies such as "I didn't get that. Can you say it again?". Either way the
    /// intent says `isFallback`.
    pub fn set_fallback_reply(&self, reply: &str) {
        self.lock().fallback.1 = reply.to_owned();
    }

    /// Every detectIntent with a valid token fails with this HTTP status and Google's body
    /// for it (`429` `RESOURCE_EXHAUSTED`, `403` `PERMISSION_DENIED`, `500` `INTERNAL`,
    /// `503` `UNAVAILABLE`…); `None` answers again.
    pub fn set_failing(&self, status: Option<u16>) {
        self.lock().failing = status;
    }

    /// The queries detectIntent was sent, refused ones too.
    pub fn queries(&self) -> Vec<Query> {
        self.lock().queries.clone()
    }

    /// How many access tokens the token endpoint issued.
    pub fn tokens_issued(&self) -> usize {
        self.lock().issued
    }
}

/// Unpredictable letters and digits.
fn noise(len: usize) -> String {
    const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    let state = std::collections::hash_map::RandomState::new();
    (0..len)
        .map(|i| char::from(ALPHABET[usize::try_from(state.hash_one(i) % 64).expect("below 64")]))
        .collect()
}

/// A random (version 4) UUID.
fn uuid() -> String {
    let state = std::collections::hash_map::RandomState::new();
    let (a, b) = (state.hash_one(1u8), state.hash_one(2u8));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

fn error(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// Google's name of an HTTP status's error.
fn status_name(code: u16) -> &'static str {
    match code {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        500 => "INTERNAL",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "UNKNOWN",
    }
}

/// Google's error body (`details` when there are any).
fn google_error(code: u16, message: &str, details: Option<Value>) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = json!({ "code": code, "message": message, "status": status_name(code) });
    if let Some(details) = details {
        body["details"] = details;
    }
    error(status, json!({ "error": body }))
}

fn invalid_argument(message: &str) -> Response {
    google_error(400, message, None)
}

/// How Google refuses detectIntent with this status.
fn failure(code: u16, project: &str) -> Response {
    match code {
        401 => unauthenticated(),
        403 => google_error(
            403,
            &format!(
                "IAM permission 'dialogflow.sessions.detectIntent' on 'projects/{project}/agent' denied."
            ),
            Some(json!([{
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "IAM_PERMISSION_DENIED",
                "domain": "iam.googleapis.com",
                "metadata": {
                    "permission": "dialogflow.sessions.detectIntent",
                    "resource": format!("projects/{project}/agent")
                }
            }])),
        ),
        429 => google_error(
            429,
            &format!(
                "Quota exceeded for quota metric 'Session requests' and limit 'Session requests per minute' of service 'dialogflow.googleapis.com' for consumer 'project_number:{PROJECT_NUMBER}'."
            ),
            Some(json!([{
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "quota_metric": "dialogflow.googleapis.com/session_requests",
                    "quota_limit": "SessionRequestsPerMinutePerProject",
                    "consumer": format!("projects/{PROJECT_NUMBER}"),
                    "service": "dialogflow.googleapis.com"
                }
            }])),
        ),
        500 => google_error(500, "Internal error encountered.", None),
        503 => google_error(503, "The service is currently unavailable.", None),
        504 => google_error(
            504,
            "Deadline expired before operation could complete.",
            None,
        ),
        code => google_error(code, "Unknown error.", None),
    }
}

fn unauthenticated() -> Response {
    let mut response = google_error(
        401,
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        None,
    );
    response.headers_mut().insert(
        "www-authenticate",
        axum::http::HeaderValue::from_static(
            "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"",
        ),
    );
    response
}

/// Records the query; Google's refusal of it, if any.
fn admit(
    inner: &Arc<Mutex<Inner>>,
    headers: &HeaderMap,
    project: &str,
    query: Query,
) -> Option<Response> {
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    inner.queries.push(query);
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !bearer.is_some_and(|token| inner.tokens.iter().any(|t| t == token)) {
        return Some(unauthenticated());
    }
    if project != PROJECT_ID {
        return Some(failure(403, project));
    }
    inner.failing.map(|code| failure(code, project))
}

/// The token endpoint's refusal: an OAuth error and its description.
type Denial = (&'static str, String);

fn invalid_grant(description: &str) -> Denial {
    ("invalid_grant", description.to_owned())
}

fn check_assertion(inner: &Inner, assertion: Option<&String>) -> Result<(), Denial> {
    let Some(assertion) = assertion else {
        return Err((
            "invalid_request",
            "Missing required parameter: assertion".to_owned(),
        ));
    };
    let bad_signature = || invalid_grant("Invalid JWT Signature.");
    let metadata = Token::decode_metadata(assertion).map_err(|_| bad_signature())?;
    // Google finds the key by `kid`; without one it tries the account's keys.
    if metadata.key_id().is_some_and(|kid| kid != PRIVATE_KEY_ID) {
        return Err(bad_signature());
    }
    let key = RS256PublicKey::from_pem(TEST_PUBLIC_KEY).expect("the test public key reads");
    let options = VerificationOptions {
        time_tolerance: Some(JwtDuration::from_secs(60)),
        ..Default::default()
    };
    let claims = key
        .verify_token::<Map<String, Value>>(assertion, Some(options))
        .map_err(|e| match e.downcast_ref::<JWTError>() {
            Some(JWTError::TokenHasExpired | JWTError::ClockDrift | JWTError::TokenNotValidYet) => {
                invalid_grant(TIMEFRAME)
            }
            _ => bad_signature(),
        })?;
    if claims.issuer.as_deref() != Some(CLIENT_EMAIL) {
        return Err(invalid_grant("Invalid grant: account not found"));
    }
    let token_uri = format!("{}/token", inner.url);
    if !claims
        .audiences
        .as_ref()
        .is_some_and(|a| a.contains(&HashSet::from([token_uri.clone()])))
    {
        return Err(invalid_grant(&format!(
            "Invalid JWT: Failed audience check. The right audience is {token_uri}"
        )));
    }
    let (Some(issued), Some(expires)) = (claims.issued_at, claims.expires_at) else {
        return Err(invalid_grant(TIMEFRAME));
    };
    let (issued, expires) = (issued.as_secs(), expires.as_secs());
    if expires <= issued || expires - issued > MAX_LIFETIME_SECS {
        return Err(invalid_grant(TIMEFRAME));
    }
    let scoped = claims
        .custom
        .get("scope")
        .and_then(Value::as_str)
        .is_some_and(|scope| scope.split_whitespace().any(|s| SCOPES.contains(&s)));
    if !scoped {
        return Err((
            "invalid_scope",
            "Invalid OAuth scope or ID token audience provided.".to_owned(),
        ));
    }
    Ok(())
}

async fn token(
    State(inner): State<Arc<Mutex<Inner>>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    let granted = match form.get("grant_type").map(String::as_str) {
        Some(JWT_BEARER) => check_assertion(&inner, form.get("assertion")),
        Some(other) => Err((
            "unsupported_grant_type",
            format!("Invalid grant_type: {other}"),
        )),
        None => Err((
            "invalid_request",
            "Missing required parameter: grant_type".to_owned(),
        )),
    };
    if let Err((code, description)) = granted {
        return error(
            StatusCode::BAD_REQUEST,
            json!({ "error": code, "error_description": description }),
        );
    }
    inner.issued += 1;
    let access_token = format!("ya29.c.{}", noise(160));
    inner.tokens.push(access_token.clone());
    Json(json!({
        "access_token": access_token,
        "expires_in": 3599,
        "token_type": "Bearer"
    }))
    .into_response()
}

/// A field of a request's message by its JSON name or its proto name (Google takes both).
fn member<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).or_else(|| object.get(&snake(name)))
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Google's refusal (`INVALID_ARGUMENT`) of a member the message does not have.
fn unknown_member(object: &Map<String, Value>, known: &[&str], at: &str) -> Option<String> {
    let name = object.keys().find(|name| {
        !known
            .iter()
            .any(|k| *k == name.as_str() || snake(k) == name.as_str())
    })?;
    let place = if at.is_empty() {
        String::new()
    } else {
        format!(" at '{at}'")
    };
    Some(format!(
        "Invalid JSON payload received. Unknown name \"{name}\"{place}: Cannot find field."
    ))
}

/// A member that must be a message (an object), or Google's refusal (`INVALID_ARGUMENT`) of
/// its value.
fn message<'a>(
    object: &'a Map<String, Value>,
    name: &str,
    at: &str,
    kind: &str,
) -> Result<Option<&'a Map<String, Value>>, String> {
    match member(object, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(other) => Err(format!(
            "Invalid value at '{at}' (type.googleapis.com/google.cloud.dialogflow.v2.{kind}), {other}"
        )),
    }
}

/// A member that must be a string, or Google's refusal (`INVALID_ARGUMENT`) of its value.
fn string<'a>(object: &'a Map<String, Value>, name: &str, at: &str) -> Result<&'a str, String> {
    match member(object, name) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!("Invalid value at '{at}' (TYPE_STRING), {other}")),
    }
}

/// The text input of a detectIntent body: its text and language code, or Google's refusal
/// (`INVALID_ARGUMENT`).
fn text_input(body: &Value) -> Result<(String, String), String> {
    let Value::Object(body) = body else {
        return Err(format!(
            "Invalid JSON payload received. Expected an object, got {body}."
        ));
    };
    if let Some(refused) = unknown_member(
        body,
        &[
            "queryParams",
            "queryInput",
            "outputAudioConfig",
            "outputAudioConfigMask",
            "inputAudio",
        ],
        "",
    ) {
        return Err(refused);
    }
    let Some(input) = message(body, "queryInput", "query_input", "QueryInput")? else {
        return Ok((String::new(), String::new()));
    };
    if let Some(refused) = unknown_member(input, &["audioConfig", "text", "event"], "query_input") {
        return Err(refused);
    }
    let Some(text) = message(input, "text", "query_input.text", "TextInput")? else {
        return Ok((String::new(), String::new()));
    };
    if let Some(refused) = unknown_member(text, &["text", "languageCode"], "query_input.text") {
        return Err(refused);
    }
    Ok((
        string(text, "text", "query_input.text.text")?.to_owned(),
        string(text, "languageCode", "query_input.text.language_code")?.to_owned(),
    ))
}

async fn detect(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Path((project, tail)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let Some(session_id) = tail.strip_suffix(":detectIntent") else {
        return not_found().await;
    };
    let session = format!("projects/{project}/agent/sessions/{session_id}");
    let parsed = serde_json::from_slice::<Value>(&body);
    let input = parsed
        .as_ref()
        .map_err(|e| {
            format!(
                "Invalid JSON payload received. Unexpected token at line {}, column {}.",
                e.line(),
                e.column()
            )
        })
        .and_then(text_input);
    let (text, language_code) = input.as_ref().cloned().unwrap_or_default();
    let query = Query {
        session,
        text: text.clone(),
        language_code: language_code.clone(),
    };
    if let Some(refused) = admit(&inner, &headers, &project, query) {
        return refused;
    }
    if let Err(refused) = input {
        return invalid_argument(&refused);
    }
    if session_id.is_empty() || session_id.len() > MAX_SESSION_ID {
        return invalid_argument(&format!(
            "Invalid session ID '{session_id}': the session ID must be at most {MAX_SESSION_ID} characters long."
        ));
    }
    if text.is_empty() {
        return invalid_argument("Input text not set.");
    }
    if text.chars().count() > MAX_TEXT {
        return invalid_argument(&format!("Input text exceeds {MAX_TEXT} characters."));
    }
    if language_code.is_empty() {
        return invalid_argument("Input language code not set.");
    }
    let inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    let lowered = text.to_lowercase();
    let matched = inner
        .intents
        .iter()
        .find(|i| lowered.contains(&i.phrase.to_lowercase()));
    let (intent, reply, confidence) = match matched {
        Some(i) => (
            json!({
                "name": format!("projects/{project}/agent/intents/{}", i.id),
                "displayName": i.display_name
            }),
            i.reply.clone(),
            0.87,
        ),
        None => (
            json!({
                "name": format!("projects/{project}/agent/intents/{}", inner.fallback.0),
                "displayName": "Default Fallback Intent",
                "isFallback": true
            }),
            inner.fallback.1.clone(),
            1.0,
        ),
    };
    let mut result = json!({
        "queryText": text,
        "parameters": {},
        "allRequiredParamsPresent": true,
        "fulfillmentMessages": [{ "text": { "text": [reply] } }],
        "intent": intent,
        "intentDetectionConfidence": confidence,
        "languageCode": language_code.to_lowercase()
    });
    // Proto3's JSON leaves out an empty string: an intent without a reply has no
    // `fulfillmentText`.
    if !reply.is_empty() {
        result["fulfillmentText"] = Value::String(reply);
    }
    let response_id = format!("{}-{}", uuid(), &uuid()[..8]);
    Json(json!({ "responseId": response_id, "queryResult": result })).into_response()
}

async fn not_found() -> Response {
    google_error(404, "Requested entity was not found.", None)
}

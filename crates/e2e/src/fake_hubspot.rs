//! A stand-in for HubSpot's APIs as HubSpot documents them, for a private app's access
//! token (`Authorization: Bearer`): `GET /account-info/v3/details` (the portal),
//! `GET /crm/v3/properties/contacts` (each property's label, type and whether its value is
//! read-only), `POST /crm/v3/objects/contacts/search` (filter groups ORed, filters ANDed,
//! `EQ`) and `PATCH /crm/v3/objects/contacts/{id}`. Errors have HubSpot's body: `401`
//! `INVALID_AUTHENTICATION`, `429` `RATE_LIMIT`, `400` `VALIDATION_ERROR` whose message lists
//! the invalid properties as JSON. It records the calls. The server's tests and the browser
//! suite share it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::sync::{Arc, Mutex};

pub const PORTAL: u64 = 24_681_357;

/// A property: name, label, type, read-only value.
const PROPERTIES: [(&str, &str, &str, bool); 8] = [
    ("email", "Email", "string", false),
    ("phone", "Phone Number", "string", false),
    ("firstname", "First Name", "string", false),
    ("lastname", "Last Name", "string", false),
    ("company", "Company Name", "string", false),
    ("lifecyclestage", "Lifecycle Stage", "enumeration", false),
    ("numemployees", "Number of Employees", "number", false),
    ("hs_lead_status", "Lead Status", "enumeration", false),
];

/// A call the stand-in was sent: method, path and body.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub body: Value,
}

struct Inner {
    token: String,
    busy: bool,
    contacts: Vec<(String, Map<String, Value>)>,
    calls: Vec<Call>,
}

#[derive(Clone)]
pub struct FakeHubspot {
    inner: Arc<Mutex<Inner>>,
    /// `http://127.0.0.1:port`, what the server is configured with.
    pub url: String,
}

impl FakeHubspot {
    pub async fn start(token: &str) -> FakeHubspot {
        let inner = Arc::new(Mutex::new(Inner {
            token: token.to_owned(),
            busy: false,
            contacts: Vec::new(),
            calls: Vec::new(),
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let app = axum::Router::new()
            .route("/account-info/v3/details", axum::routing::get(account))
            .route(
                "/crm/v3/properties/contacts",
                axum::routing::get(properties),
            )
            .route(
                "/crm/v3/objects/contacts/search",
                axum::routing::post(search),
            )
            .route(
                "/crm/v3/objects/contacts/{id}",
                axum::routing::patch(update),
            )
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeHubspot { inner, url }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a contact with these properties; returns its id.
    pub fn add_contact(&self, properties: &[(&str, &str)]) -> String {
        let mut inner = self.lock();
        let id = format!("{}", 151 + inner.contacts.len());
        let mut map: Map<String, Value> = properties
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
            .collect();
        map.insert("hs_object_id".into(), Value::String(id.clone()));
        inner.contacts.push((id.clone(), map));
        id
    }

    /// A contact's property as it is now.
    pub fn property(&self, id: &str, name: &str) -> Option<String> {
        self.lock()
            .contacts
            .iter()
            .find(|(i, _)| i == id)
            .and_then(|(_, p)| p.get(name).and_then(Value::as_str).map(str::to_owned))
    }

    pub fn set_busy(&self, busy: bool) {
        self.lock().busy = busy;
    }

    pub fn set_token(&self, token: &str) {
        self.lock().token = token.to_owned();
    }

    /// Calls to paths starting with `prefix`.
    pub fn calls(&self, prefix: &str) -> Vec<Call> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.path.starts_with(prefix))
            .cloned()
            .collect()
    }
}

fn error(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// Records the call; HubSpot's refusal of it, if any.
fn admit(
    inner: &Arc<Mutex<Inner>>,
    headers: &HeaderMap,
    method: Method,
    path: String,
    body: Value,
) -> Option<Response> {
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    inner.calls.push(Call {
        method: method.to_string(),
        path,
        body,
    });
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(inner.token.as_str()) {
        return Some(error(
            StatusCode::UNAUTHORIZED,
            json!({
                "status": "error",
                "message": "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                "correlationId": "4a0d1e62-7a63-4c39-9a2f-4d5c0f1d6f1a",
                "category": "INVALID_AUTHENTICATION"
            }),
        ));
    }
    if inner.busy {
        return Some(error(
            StatusCode::TOO_MANY_REQUESTS,
            json!({
                "status": "error",
                "message": "You have reached your ten_secondly_rolling limit.",
                "errorType": "RATE_LIMIT",
                "correlationId": "c033cdaa-2c40-4a64-ae48-b4cec88dad24",
                "policyName": "TEN_SECONDLY_ROLLING"
            }),
        ));
    }
    None
}

async fn account(State(inner): State<Arc<Mutex<Inner>>>, headers: HeaderMap) -> Response {
    if let Some(refused) = admit(
        &inner,
        &headers,
        Method::GET,
        "/account-info/v3/details".into(),
        Value::Null,
    ) {
        return refused;
    }
    Json(json!({
        "portalId": PORTAL,
        "accountType": "STANDARD",
        "timeZone": "Europe/Berlin",
        "companyCurrency": "EUR",
        "additionalCurrencies": [],
        "utcOffset": "+01:00",
        "utcOffsetMilliseconds": 3_600_000,
        "uiDomain": "app-eu1.hubspot.com",
        "dataHostingLocation": "eu1"
    }))
    .into_response()
}

async fn properties(State(inner): State<Arc<Mutex<Inner>>>, headers: HeaderMap) -> Response {
    if let Some(refused) = admit(
        &inner,
        &headers,
        Method::GET,
        "/crm/v3/properties/contacts".into(),
        Value::Null,
    ) {
        return refused;
    }
    let results: Vec<Value> = PROPERTIES
        .iter()
        .map(|(name, label, kind, read_only)| {
            json!({
                "name": name,
                "label": label,
                "type": kind,
                "fieldType": if *kind == "number" { "number" } else if *kind == "enumeration" { "select" } else if *name == "phone" { "phonenumber" } else { "text" },
                "groupName": "contactinformation",
                "description": "",
                "options": [],
                "displayOrder": -1,
                "calculated": false,
                "externalOptions": false,
                "hasUniqueValue": false,
                "hidden": false,
                "hubspotDefined": true,
                "modificationMetadata": {
                    "archivable": true,
                    "readOnlyDefinition": true,
                    "readOnlyValue": read_only
                },
                "formField": true
            })
        })
        .collect();
    Json(json!({ "results": results })).into_response()
}

fn object(id: &str, properties: &Map<String, Value>, wanted: &[String]) -> Value {
    let mut shown = Map::new();
    for name in
        wanted
            .iter()
            .map(String::as_str)
            .chain(["hs_object_id", "createdate", "lastmodifieddate"])
    {
        shown.insert(
            name.to_owned(),
            properties.get(name).cloned().unwrap_or(Value::Null),
        );
    }
    json!({
        "id": id,
        "properties": shown,
        "createdAt": "2026-01-12T09:30:00.000Z",
        "updatedAt": "2026-11-20T15:02:11.000Z",
        "archived": false
    })
}

async fn search(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = admit(
        &inner,
        &headers,
        Method::POST,
        "/crm/v3/objects/contacts/search".into(),
        body.clone(),
    ) {
        return refused;
    }
    let wanted: Vec<String> = body["properties"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let groups = body["filterGroups"].as_array().cloned().unwrap_or_default();
    let inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    let matches = |properties: &Map<String, Value>| {
        groups.iter().any(|group| {
            group["filters"].as_array().is_some_and(|filters| {
                filters.iter().all(|f| {
                    f["operator"] == "EQ"
                        && f["propertyName"].as_str().is_some_and(|name| {
                            properties
                                .get(name)
                                .and_then(Value::as_str)
                                .is_some_and(|v| {
                                    f["value"]
                                        .as_str()
                                        .is_some_and(|want| v.eq_ignore_ascii_case(want))
                                })
                        })
                })
            })
        })
    };
    let results: Vec<Value> = inner
        .contacts
        .iter()
        .filter(|(_, p)| matches(p))
        .map(|(id, p)| object(id, p, &wanted))
        .collect();
    Json(json!({ "total": results.len(), "results": results })).into_response()
}

async fn update(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = admit(
        &inner,
        &headers,
        Method::PATCH,
        format!("/crm/v3/objects/contacts/{id}"),
        body.clone(),
    ) {
        return refused;
    }
    let changes = body["properties"].as_object().cloned().unwrap_or_default();
    let invalid: Vec<Value> = changes
        .iter()
        .filter_map(|(name, value)| {
            let kind = PROPERTIES.iter().find(|p| p.0 == name).map(|p| p.2);
            let text = value.as_str().unwrap_or_default();
            match kind {
                None => Some(json!({ "isValid": false, "message": format!("Property \"{name}\" does not exist"), "error": "PROPERTY_DOESNT_EXIST", "name": name })),
                Some("number") if !text.is_empty() && text.parse::<f64>().is_err() => Some(json!({
                    "isValid": false,
                    "message": format!("{text} was not a valid number."),
                    "error": "INVALID_INTEGER",
                    "name": name,
                    "localizedErrorMessage": format!("{text} was not a valid number.")
                })),
                _ => None,
            }
        })
        .collect();
    if !invalid.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            json!({
                "status": "error",
                "message": format!("Property values were not valid: {}", Value::Array(invalid)),
                "correlationId": "9b3e6a1c-3a61-4c6e-8f0d-1f2d6d0c9e55",
                "category": "VALIDATION_ERROR"
            }),
        );
    }
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    let Some((_, properties)) = inner.contacts.iter_mut().find(|(i, _)| *i == id) else {
        return error(
            StatusCode::NOT_FOUND,
            json!({ "status": "error", "message": "resource not found", "category": "OBJECT_NOT_FOUND" }),
        );
    };
    for (name, value) in &changes {
        properties.insert(name.clone(), value.clone());
    }
    let wanted: Vec<String> = changes.keys().cloned().collect();
    Json(object(&id, properties, &wanted)).into_response()
}

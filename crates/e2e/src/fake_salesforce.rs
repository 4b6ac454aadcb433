//! A stand-in for Salesforce's APIs as Salesforce documents them (REST API v61.0), for a
//! connected app. `POST /services/oauth2/token` signs in with the OAuth 2.0 refresh-token
//! flow (consumer key, consumer secret, refresh token) or the JWT bearer flow (an RS256
//! assertion signed with `test_keys::TEST_PRIVATE_KEY`: `iss` the consumer key, `sub` the
//! user, `aud` the login URL, `exp` within minutes) and answers an access token with the
//! instance URL, or `400` with `invalid_grant`, `invalid_client_id`, `invalid_client` or
//! `unsupported_grant_type`. With a token it issued (`Authorization: Bearer`):
//! `GET /services/data/v61.0/sobjects/Contact/describe` (each field's label, type, length and
//! whether it is updateable or a formula), `GET /services/data/v61.0/query?q=` (SOQL:
//! `SELECT` fields `FROM Contact`, `WHERE` comparisons `Field = 'literal'` joined by `OR` (or
//! by `AND`), `ORDER BY LastModifiedDate DESC`, `LIMIT`; the most recently changed contacts
//! first), `GET` and `PATCH /services/data/v61.0/sobjects/Contact/{id}` (`204`; each value
//! checked against its field's type, updateability, length and a validation rule:
//! Department may not be "Unknown"). REST errors have Salesforce's body, a list of
//! `{"message", "errorCode"}`: `401` `INVALID_SESSION_ID`, `403` `REQUEST_LIMIT_EXCEEDED`,
//! `400` `MALFORMED_QUERY`, `INVALID_FIELD`, `JSON_PARSER_ERROR`,
//! `INVALID_FIELD_FOR_INSERT_UPDATE`, `STRING_TOO_LONG`, `FIELD_CUSTOM_VALIDATION_EXCEPTION`
//! …, `404` `NOT_FOUND`. Its address is both the login URL and the instance URL it hands
//! out. It records the calls. The server's tests and the browser suite share it.

use super::test_keys::TEST_PUBLIC_KEY;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use jwt_simple::prelude::{
    Duration as JwtDuration, NoCustomClaims, RS256PublicKey, RSAPublicKeyLike, VerificationOptions,
};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// The connected app's consumer key.
pub const CLIENT_ID: &str =
    "3MVG9rZjd7MXFdLh4Qx1vG5nWk0Yb.Tq8pNc2sAeUo4JfHr6iKyLmXw3DgBzVtS7aE9RcQu1nP_hJ2oF8kZbW";
/// The connected app's consumer secret.
pub const CLIENT_SECRET: &str = "8E3B1F6A9C2D4E7F0A5B8C1D3E6F9A2B4C7D0E3F6A9B2C5D8E1F4A7B0C3D6E9F";
/// A refresh token the connected app was given for [`USERNAME`].
pub const REFRESH_TOKEN: &str =
    "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrbuCp1F0O4qFkNbaYmHYa0HbPL6fxC1h.qTfgNxqDQg5DhxEdq";
/// The user the JWT bearer flow signs in as (its `sub`).
pub const USERNAME: &str = "integration@northwind.example";

/// The REST API's version path.
const API: &str = "/services/data/v61.0";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// The org's id (15 characters; the API shows it with its 3-letter suffix).
const ORG: &str = "00D5g000004xYzA";
/// The integration user's id (15 characters).
const USER: &str = "0055g00000ABcdE";
/// How far ahead an assertion may expire (Salesforce asks for 3 minutes; a little slack).
const ASSERTION_LIFETIME_SECS: u64 = 300;

/// A Contact field as `describe` lists it.
struct Field {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    length: u64,
    updateable: bool,
    nillable: bool,
    calculated: bool,
    custom: bool,
}

const fn field(name: &'static str, label: &'static str, kind: &'static str, length: u64) -> Field {
    Field {
        name,
        label,
        kind,
        length,
        updateable: true,
        nillable: true,
        calculated: false,
        custom: false,
    }
}

static FIELDS: [Field; 16] = [
    Field {
        updateable: false,
        nillable: false,
        ..field("Id", "Contact ID", "id", 18)
    },
    Field {
        updateable: false,
        nillable: false,
        ..field("Name", "Full Name", "string", 121)
    },
    field("FirstName", "First Name", "string", 40),
    Field {
        nillable: false,
        ..field("LastName", "Last Name", "string", 80)
    },
    field("Email", "Email", "email", 80),
    field("Phone", "Business Phone", "phone", 40),
    field("MobilePhone", "Mobile Phone", "phone", 40),
    field("Title", "Title", "string", 128),
    field("Department", "Department", "string", 80),
    field("LeadSource", "Lead Source", "picklist", 255),
    field("Birthdate", "Birthdate", "date", 0),
    Field {
        nillable: false,
        ..field("DoNotCall", "Do Not Call", "boolean", 0)
    },
    Field {
        custom: true,
        ..field("Loyalty_Points__c", "Loyalty Points", "double", 0)
    },
    Field {
        updateable: false,
        calculated: true,
        custom: true,
        ..field("Customer_Tier__c", "Customer Tier", "string", 1300)
    },
    Field {
        updateable: false,
        nillable: false,
        ..field("LastModifiedDate", "Last Modified Date", "datetime", 0)
    },
    Field {
        updateable: false,
        nillable: false,
        ..field("CreatedDate", "Created Date", "datetime", 0)
    },
];

/// The Lead Source picklist's values.
const LEAD_SOURCES: [&str; 4] = ["Web", "Phone Inquiry", "Partner Referral", "Other"];

/// The Customer Tier formula.
const TIER_FORMULA: &str =
    "IF(Loyalty_Points__c >= 1000, \"Gold\", IF(Loyalty_Points__c >= 100, \"Silver\", \"Bronze\"))";

/// The field named so (SOQL and the REST API do not mind the case of names).
fn described(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// A call the stand-in was sent: method, path (a query's with `?q=` and its SOQL, decoded)
/// and body (the token endpoint's form as an object).
#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub body: Value,
}

struct Inner {
    url: String,
    busy: bool,
    revoked: bool,
    /// The access tokens that are valid now.
    sessions: Vec<String>,
    issued: usize,
    added: usize,
    /// Contacts, the least recently changed first.
    contacts: Vec<(String, Map<String, Value>)>,
    calls: Vec<Call>,
}

#[derive(Clone)]
pub struct FakeSalesforce {
    inner: Arc<Mutex<Inner>>,
    /// `http://127.0.0.1:port`: the login URL the server is configured with, and the
    /// instance URL it is handed.
    pub url: String,
}

impl FakeSalesforce {
    pub async fn start() -> FakeSalesforce {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let inner = Arc::new(Mutex::new(Inner {
            url: url.clone(),
            busy: false,
            revoked: false,
            sessions: Vec::new(),
            issued: 0,
            added: 0,
            contacts: Vec::new(),
            calls: Vec::new(),
        }));
        let app = axum::Router::new()
            .route("/services/oauth2/token", axum::routing::post(token))
            .route(
                "/services/data/v61.0/sobjects/Contact/describe",
                axum::routing::get(describe),
            )
            .route("/services/data/v61.0/query", axum::routing::get(query))
            .route(
                "/services/data/v61.0/sobjects/Contact/{id}",
                axum::routing::get(read).patch(update),
            )
            .fallback(not_found)
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeSalesforce { inner, url }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a Contact with these fields (named as `describe` names them); returns its id
    /// (18 characters). `Name` follows `FirstName` and `LastName`; a formula field's value is
    /// what it is given here.
    pub fn add_contact(&self, fields: &[(&str, Value)]) -> String {
        let mut inner = self.lock();
        inner.added += 1;
        let id = contact_id(inner.added);
        let now = Value::String(timestamp());
        let mut record = Map::new();
        record.insert("Id".into(), Value::String(id.clone()));
        record.insert("DoNotCall".into(), Value::Bool(false));
        record.insert("CreatedDate".into(), now.clone());
        for (name, value) in fields {
            let field = described(name)
                .unwrap_or_else(|| panic!("Salesforce's Contact has no field {name}"));
            record.insert(field.name.to_owned(), value.clone());
        }
        record.insert("LastModifiedDate".into(), now);
        compound_name(&mut record);
        inner.contacts.push((id.clone(), record));
        id
    }

    /// A Contact's field as it is now (`None` when it has no value).
    pub fn field(&self, id: &str, name: &str) -> Option<Value> {
        self.lock()
            .contacts
            .iter()
            .find(|(i, _)| i == id)
            .and_then(|(_, record)| record.get(name).filter(|v| !v.is_null()).cloned())
    }

    /// Every REST call is refused with `403` `REQUEST_LIMIT_EXCEEDED` (the org's daily API
    /// requests are used up).
    pub fn set_busy(&self, busy: bool) {
        self.lock().busy = busy;
    }

    /// Every access token issued so far stops working (`401` `INVALID_SESSION_ID`).
    pub fn expire_sessions(&self) {
        self.lock().sessions.clear();
    }

    /// The refresh token and the JWT bearer grant stop working (`400` `invalid_grant`).
    /// Access tokens already issued keep working until [`Self::expire_sessions`].
    pub fn revoke(&self) {
        self.lock().revoked = true;
    }

    /// How many access tokens the token endpoint issued.
    pub fn tokens_issued(&self) -> usize {
        self.lock().issued
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

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// An id's 18-character form: the 15 characters and the suffix that spells which of them are
/// capitals.
fn case_safe(id: &str) -> String {
    const SUFFIX: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    let suffix: String = id
        .as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_ascii_uppercase())
                .fold(0, |bits, (i, _)| bits | (1 << i));
            char::from(SUFFIX[bits])
        })
        .collect();
    format!("{id}{suffix}")
}

/// The `n`th Contact's id: key prefix `003`, the pod, a serial number in base 62.
fn contact_id(n: usize) -> String {
    let mut serial = 2_478_341 + n * 104_729;
    let mut digits = [b'0'; 5];
    for digit in digits.iter_mut().rev() {
        *digit = BASE62[serial % 62];
        serial /= 62;
    }
    let digits: String = digits.iter().copied().map(char::from).collect();
    case_safe(&format!("003Dn00000{digits}"))
}

/// Unpredictable letters and digits.
fn noise(len: usize) -> String {
    let state = std::collections::hash_map::RandomState::new();
    (0..len)
        .map(|i| {
            let hash = state.hash_one(i);
            char::from(BASE62[usize::try_from(hash % 62).expect("below 62")])
        })
        .collect()
}

fn now() -> std::time::Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
}

/// Now as Salesforce writes a datetime.
fn timestamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3f+0000")
        .to_string()
}

/// `Name` as Salesforce composes it from `FirstName` and `LastName`.
fn compound_name(record: &mut Map<String, Value>) {
    if !record.contains_key("FirstName") && !record.contains_key("LastName") {
        return;
    }
    let name: Vec<&str> = ["FirstName", "LastName"]
        .iter()
        .filter_map(|part| record.get(*part).and_then(Value::as_str))
        .filter(|part| !part.is_empty())
        .collect();
    let name = name.join(" ");
    record.insert("Name".into(), Value::String(name));
}

fn error(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// The REST API's refusal: a list of one error.
fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    error(status, json!([{ "message": message, "errorCode": code }]))
}

/// The REST API's refusal of a record's fields.
fn refusal_of(code: &str, message: &str, fields: &[&str]) -> Value {
    json!({ "message": message, "errorCode": code, "fields": fields })
}

/// Records the call; Salesforce's refusal of it, if any.
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
    if !bearer.is_some_and(|token| inner.sessions.iter().any(|s| s == token)) {
        return Some(refusal(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        ));
    }
    if inner.busy {
        return Some(refusal(
            StatusCode::FORBIDDEN,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        ));
    }
    None
}

/// The token endpoint's refusal: an OAuth error and its description.
type Denial = (&'static str, &'static str);

const INVALID_CLIENT_ID: Denial = ("invalid_client_id", "client identifier invalid");
const INVALID_ASSERTION: Denial = ("invalid_grant", "invalid assertion");

fn refresh(inner: &Inner, form: &HashMap<String, String>) -> Result<(), Denial> {
    let given = |name: &str| form.get(name).map(String::as_str);
    if given("client_id") != Some(CLIENT_ID) {
        return Err(INVALID_CLIENT_ID);
    }
    if given("client_secret") != Some(CLIENT_SECRET) {
        return Err(("invalid_client", "invalid client credentials"));
    }
    if given("refresh_token") != Some(REFRESH_TOKEN) || inner.revoked {
        return Err(("invalid_grant", "expired access/refresh token"));
    }
    Ok(())
}

fn assertion(inner: &Inner, form: &HashMap<String, String>) -> Result<(), Denial> {
    let assertion = form.get("assertion").ok_or(INVALID_ASSERTION)?;
    let key = RS256PublicKey::from_pem(TEST_PUBLIC_KEY).expect("the test public key reads");
    let options = VerificationOptions {
        time_tolerance: Some(JwtDuration::from_secs(30)),
        ..Default::default()
    };
    let claims = key
        .verify_token::<NoCustomClaims>(assertion, Some(options))
        .map_err(|_| INVALID_ASSERTION)?;
    if claims.issuer.as_deref() != Some(CLIENT_ID) {
        return Err(INVALID_CLIENT_ID);
    }
    if claims.subject.as_deref() != Some(USERNAME) {
        return Err(("invalid_grant", "user hasn't approved this consumer"));
    }
    let audience = HashSet::from([inner.url.clone()]);
    if !claims
        .audiences
        .as_ref()
        .is_some_and(|a| a.contains(&audience))
    {
        return Err(INVALID_ASSERTION);
    }
    let at = now().as_secs();
    let expires = claims.expires_at.map(|e| e.as_secs());
    if !expires.is_some_and(|e| e > at && e <= at + ASSERTION_LIFETIME_SECS) {
        return Err(INVALID_ASSERTION);
    }
    if inner.revoked {
        return Err(("invalid_grant", "user hasn't approved this consumer"));
    }
    Ok(())
}

async fn token(
    State(inner): State<Arc<Mutex<Inner>>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    inner.calls.push(Call {
        method: Method::POST.to_string(),
        path: "/services/oauth2/token".into(),
        body: json!(form),
    });
    let granted = match form.get("grant_type").map(String::as_str) {
        Some("refresh_token") => refresh(&inner, &form),
        Some(JWT_BEARER) => assertion(&inner, &form),
        _ => Err(("unsupported_grant_type", "grant type not supported")),
    };
    if let Err((code, description)) = granted {
        return error(
            StatusCode::BAD_REQUEST,
            json!({ "error": code, "error_description": description }),
        );
    }
    inner.issued += 1;
    let access_token = format!("{ORG}!AQ0AQ{}", noise(96));
    inner.sessions.push(access_token.clone());
    let url = inner.url.clone();
    Json(json!({
        "access_token": access_token,
        "signature": format!("{}=", noise(43)),
        "scope": "api refresh_token",
        "instance_url": url,
        "id": format!("{url}/id/{}/{}", case_safe(ORG), case_safe(USER)),
        "token_type": "Bearer",
        "issued_at": now().as_millis().to_string()
    }))
    .into_response()
}

/// A field as `describe` gives it.
fn description(f: &Field) -> Value {
    let text = matches!(f.kind, "string" | "email" | "phone" | "picklist");
    let soap_type = match f.kind {
        "id" => "tns:ID",
        "boolean" => "xsd:boolean",
        "double" => "xsd:double",
        "date" => "xsd:date",
        "datetime" => "xsd:dateTime",
        _ => "xsd:string",
    };
    let picklist: Vec<Value> = if f.name == "LeadSource" {
        LEAD_SOURCES
            .iter()
            .map(|v| json!({ "active": true, "defaultValue": false, "label": v, "validFor": null, "value": v }))
            .collect()
    } else {
        Vec::new()
    };
    let system = matches!(f.name, "Id" | "LastModifiedDate" | "CreatedDate");
    let mut d = json!({
        "name": f.name,
        "label": f.label,
        "type": f.kind,
        "soapType": soap_type,
        "length": f.length,
        "byteLength": if text { f.length * 3 } else { f.length },
        "precision": if f.kind == "double" { 18 } else { 0 },
        "scale": 0,
        "digits": 0,
        "updateable": f.updateable,
        "createable": f.updateable,
        "nillable": f.nillable,
        "calculated": f.calculated,
        "calculatedFormula": if f.calculated { Value::from(TIER_FORMULA) } else { Value::Null },
        "custom": f.custom,
        "defaultedOnCreate": system || f.name == "DoNotCall",
        "defaultValue": if f.name == "DoNotCall" { Value::Bool(false) } else { Value::Null },
    });
    let more = json!({
        "compoundFieldName": if matches!(f.name, "FirstName" | "LastName") { Value::from("Name") } else { Value::Null },
        "nameField": f.name == "Name",
        "idLookup": matches!(f.name, "Id" | "Email"),
        "externalId": false,
        "unique": false,
        "caseSensitive": false,
        "filterable": true,
        "sortable": true,
        "groupable": !matches!(f.kind, "double" | "datetime"),
        "aggregatable": true,
        "autoNumber": false,
        "htmlFormatted": false,
        "encrypted": false,
        "dependentPicklist": false,
        "restrictedPicklist": false,
        "picklistValues": picklist,
        "referenceTo": [],
        "relationshipName": null,
        "permissionable": (f.nillable && !system && !f.calculated) || f.custom,
        "deprecatedAndHidden": false,
        "inlineHelpText": null
    });
    if let (Some(d), Value::Object(more)) = (d.as_object_mut(), more) {
        d.extend(more);
    }
    d
}

async fn describe(State(inner): State<Arc<Mutex<Inner>>>, headers: HeaderMap) -> Response {
    if let Some(refused) = admit(
        &inner,
        &headers,
        Method::GET,
        format!("{API}/sobjects/Contact/describe"),
        Value::Null,
    ) {
        return refused;
    }
    let fields: Vec<Value> = FIELDS.iter().map(description).collect();
    Json(json!({
        "name": "Contact",
        "label": "Contact",
        "labelPlural": "Contacts",
        "keyPrefix": "003",
        "custom": false,
        "createable": true,
        "updateable": true,
        "deletable": true,
        "queryable": true,
        "searchable": true,
        "retrieveable": true,
        "layoutable": true,
        "urls": {
            "sobject": format!("{API}/sobjects/Contact"),
            "describe": format!("{API}/sobjects/Contact/describe"),
            "rowTemplate": format!("{API}/sobjects/Contact/{{ID}}")
        },
        "childRelationships": [],
        "recordTypeInfos": [],
        "fields": fields
    }))
    .into_response()
}

/// A token of SOQL and where it starts (a 1-based column).
struct Token {
    kind: Kind,
    raw: String,
    column: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Word,
    Number,
    /// A string literal, unescaped.
    Text(String),
    Comma,
    Operator,
}

/// A value a comparison compares with.
enum Literal {
    Text(String),
    Number(f64),
    Bool(bool),
    Null,
}

struct Condition {
    field: &'static Field,
    equal: bool,
    value: Literal,
}

/// A query the stand-in answers.
struct Soql {
    fields: Vec<&'static str>,
    conditions: Vec<Condition>,
    /// The conditions are ORed (else ANDed).
    any: bool,
    ascending: bool,
    limit: Option<usize>,
}

/// A query refused: Salesforce's error code and message.
struct Refused {
    code: &'static str,
    message: String,
}

/// A SOQL error as Salesforce words it: the query, a caret under the column, the problem.
fn soql_error(soql: &str, column: usize, code: &'static str, problem: &str) -> Refused {
    let caret = " ".repeat(column.saturating_sub(1));
    Refused {
        code,
        message: format!("\n{soql}\n{caret}^\nERROR at Row:1:Column:{column}\n{problem}"),
    }
}

/// SOQL's words that are not names.
const RESERVED: [&str; 18] = [
    "select", "from", "where", "order", "by", "limit", "offset", "and", "or", "not", "asc", "desc",
    "nulls", "group", "having", "null", "true", "false",
];

fn tokens(soql: &str) -> Result<Vec<Token>, Refused> {
    let chars: Vec<char> = soql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let kind = if c.is_ascii_alphabetic() || c == '_' {
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            {
                i += 1;
            }
            Kind::Word
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            i += 1;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.')
            {
                i += 1;
            }
            Kind::Number
        } else if c == '\'' {
            i += 1;
            let mut text = String::new();
            loop {
                match chars.get(i) {
                    None => {
                        return Err(soql_error(
                            soql,
                            start + 1,
                            "MALFORMED_QUERY",
                            &format!(
                                "line 1:{} mismatched character '<EOF>' expecting '''",
                                chars.len()
                            ),
                        ));
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some('\\') => {
                        let unescaped = match chars.get(i + 1) {
                            Some('n' | 'N') => '\n',
                            Some('r' | 'R') => '\r',
                            Some('t' | 'T') => '\t',
                            Some('b' | 'B') => '\u{8}',
                            Some('f' | 'F') => '\u{c}',
                            Some('"') => '"',
                            Some('\'') => '\'',
                            Some('\\') => '\\',
                            other => {
                                let sequence: String =
                                    ['\\'].into_iter().chain(other.copied()).collect();
                                let literal: String = chars[start..].iter().collect();
                                return Err(soql_error(
                                    soql,
                                    start + 1,
                                    "MALFORMED_QUERY",
                                    &format!(
                                        "Invalid string literal '{literal}'. Illegal character sequence '{sequence}' in string literal."
                                    ),
                                ));
                            }
                        };
                        text.push(unescaped);
                        i += 2;
                    }
                    Some(c) => {
                        text.push(*c);
                        i += 1;
                    }
                }
            }
            Kind::Text(text)
        } else if matches!(c, '=' | '!' | '<' | '>') {
            i += 1;
            if chars.get(i).is_some_and(|c| matches!(c, '=' | '>')) {
                i += 1;
            }
            Kind::Operator
        } else if c == ',' {
            i += 1;
            Kind::Comma
        } else {
            return Err(soql_error(
                soql,
                start + 1,
                "MALFORMED_QUERY",
                &format!("unexpected token: {c}"),
            ));
        };
        out.push(Token {
            kind,
            raw: chars[start..i].iter().collect(),
            column: start + 1,
        });
    }
    Ok(out)
}

/// Reads SOQL's tokens in order.
struct Parser<'a> {
    soql: &'a str,
    tokens: Vec<Token>,
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn unexpected(&self) -> Refused {
        let (raw, column) = match self.peek() {
            Some(t) => (t.raw.clone(), t.column),
            None => ("<EOF>".to_owned(), self.soql.chars().count() + 1),
        };
        soql_error(
            self.soql,
            column,
            "MALFORMED_QUERY",
            &format!("unexpected token: {raw}"),
        )
    }

    /// Takes the keyword if it is next.
    fn keyword(&mut self, keyword: &str) -> bool {
        let next = self
            .peek()
            .is_some_and(|t| t.kind == Kind::Word && t.raw.eq_ignore_ascii_case(keyword));
        if next {
            self.at += 1;
        }
        next
    }

    fn expect(&mut self, keyword: &str) -> Result<(), Refused> {
        if self.keyword(keyword) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// A name (a field's or an object's): its text and column.
    fn name(&mut self) -> Result<(String, usize), Refused> {
        match self.peek() {
            Some(t)
                if t.kind == Kind::Word
                    && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&t.raw)) =>
            {
                let name = (t.raw.clone(), t.column);
                self.at += 1;
                Ok(name)
            }
            _ => Err(self.unexpected()),
        }
    }

    /// A field of Contact by name, or Salesforce's `INVALID_FIELD`.
    fn field(&self, (name, column): &(String, usize)) -> Result<&'static Field, Refused> {
        described(name).ok_or_else(|| {
            soql_error(
                self.soql,
                *column,
                "INVALID_FIELD",
                &format!(
                    "No such column '{name}' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
                ),
            )
        })
    }

    fn condition(&mut self) -> Result<Condition, Refused> {
        let name = self.name()?;
        let field = self.field(&name)?;
        let equal = match self.peek() {
            Some(t) if t.kind == Kind::Operator && t.raw == "=" => true,
            Some(t) if t.kind == Kind::Operator && (t.raw == "!=" || t.raw == "<>") => false,
            _ => return Err(self.unexpected()),
        };
        self.at += 1;
        let Some(token) = self.peek() else {
            return Err(self.unexpected());
        };
        let column = token.column;
        let value = match &token.kind {
            Kind::Text(text) => Literal::Text(text.clone()),
            Kind::Number => match token.raw.parse::<f64>() {
                Ok(n) => Literal::Number(n),
                Err(_) => return Err(self.unexpected()),
            },
            Kind::Word if token.raw.eq_ignore_ascii_case("null") => Literal::Null,
            Kind::Word if token.raw.eq_ignore_ascii_case("true") => Literal::Bool(true),
            Kind::Word if token.raw.eq_ignore_ascii_case("false") => Literal::Bool(false),
            _ => return Err(self.unexpected()),
        };
        self.at += 1;
        let quoted = matches!(field.kind, "string" | "email" | "phone" | "picklist" | "id");
        let fits = match &value {
            Literal::Null => true,
            Literal::Text(_) => quoted,
            Literal::Number(_) => field.kind == "double",
            Literal::Bool(_) => field.kind == "boolean",
        };
        if !fits {
            let kind = if quoted { "string" } else { field.kind };
            let how = if quoted {
                "should be enclosed in quotes"
            } else {
                "should not be enclosed in quotes"
            };
            return Err(soql_error(
                self.soql,
                column,
                "INVALID_QUERY_FILTER_OPERATOR",
                &format!(
                    "value of filter criterion for field '{}' must be of type {kind} and {how}",
                    field.name
                ),
            ));
        }
        Ok(Condition {
            field,
            equal,
            value,
        })
    }

    fn parse(mut self) -> Result<Soql, Refused> {
        self.expect("SELECT")?;
        let mut names = vec![self.name()?];
        while self.peek().is_some_and(|t| t.kind == Kind::Comma) {
            self.at += 1;
            names.push(self.name()?);
        }
        self.expect("FROM")?;
        let (object, object_column) = self.name()?;
        let mut conditions = Vec::new();
        let mut any = true;
        if self.keyword("WHERE") {
            conditions.push(self.condition()?);
            let mut joiner: Option<bool> = None;
            loop {
                let or = if self.keyword("OR") {
                    true
                } else if self.keyword("AND") {
                    false
                } else {
                    break;
                };
                if joiner.is_some_and(|j| j != or) {
                    // SOQL wants parentheses where AND and OR mix.
                    self.at -= 1;
                    return Err(self.unexpected());
                }
                joiner = Some(or);
                conditions.push(self.condition()?);
            }
            any = joiner.unwrap_or(true);
        }
        let mut ascending = false;
        let mut order = None;
        if self.keyword("ORDER") {
            self.expect("BY")?;
            order = Some(self.name()?);
            ascending = !self.keyword("DESC");
            if ascending {
                self.keyword("ASC");
            }
            if self.keyword("NULLS") && !self.keyword("FIRST") && !self.keyword("LAST") {
                return Err(self.unexpected());
            }
        }
        let mut limit = None;
        if self.keyword("LIMIT") {
            match self.peek() {
                Some(t) if t.kind == Kind::Number => match t.raw.parse::<usize>() {
                    Ok(n) => limit = Some(n),
                    Err(_) => return Err(self.unexpected()),
                },
                _ => return Err(self.unexpected()),
            }
            self.at += 1;
        }
        if self.peek().is_some() {
            return Err(self.unexpected());
        }
        if !object.eq_ignore_ascii_case("Contact") {
            return Err(soql_error(
                self.soql,
                object_column,
                "INVALID_TYPE",
                &format!(
                    "sObject type '{object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
                ),
            ));
        }
        let mut fields: Vec<&'static str> = Vec::new();
        for name in &names {
            let field = self.field(name)?;
            if fields.contains(&field.name) {
                return Err(soql_error(
                    self.soql,
                    name.1,
                    "MALFORMED_QUERY",
                    &format!("duplicate field selected: {}", field.name),
                ));
            }
            fields.push(field.name);
        }
        if let Some(order) = &order {
            let field = self.field(order)?;
            // Only the order of change is kept; other orders give the most recent first.
            ascending &= field.name == "LastModifiedDate";
        }
        Ok(Soql {
            fields,
            conditions,
            any,
            ascending,
            limit,
        })
    }
}

/// Whether the record meets the condition (text compares without regard to case, as SOQL's
/// does).
fn holds(condition: &Condition, record: &Map<String, Value>) -> bool {
    let value = record.get(condition.field.name).unwrap_or(&Value::Null);
    let same = match (&condition.value, value) {
        (Literal::Null, v) => v.is_null(),
        (Literal::Text(want), Value::String(have)) => want.to_lowercase() == have.to_lowercase(),
        (Literal::Number(want), Value::Number(have)) => have.as_f64() == Some(*want),
        (Literal::Bool(want), Value::Bool(have)) => want == have,
        _ => false,
    };
    same == condition.equal
}

/// A record as a query or a read gives it: its attributes and these fields.
fn row(id: &str, record: &Map<String, Value>, fields: &[&str]) -> Value {
    let mut row = Map::new();
    row.insert(
        "attributes".into(),
        json!({ "type": "Contact", "url": format!("{API}/sobjects/Contact/{id}") }),
    );
    for name in fields {
        row.insert(
            (*name).to_owned(),
            record.get(*name).cloned().unwrap_or(Value::Null),
        );
    }
    Value::Object(row)
}

async fn query(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let soql = params.get("q").cloned();
    let path = match &soql {
        Some(q) => format!("{API}/query?q={q}"),
        None => format!("{API}/query"),
    };
    if let Some(refused) = admit(&inner, &headers, Method::GET, path, Value::Null) {
        return refused;
    }
    let Some(soql) = soql else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "MALFORMED_QUERY",
            "A query string has to be specified",
        );
    };
    let parsed = match tokens(&soql).and_then(|tokens| {
        Parser {
            soql: &soql,
            tokens,
            at: 0,
        }
        .parse()
    }) {
        Ok(parsed) => parsed,
        Err(refused) => return refusal(StatusCode::BAD_REQUEST, refused.code, &refused.message),
    };
    let inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    let matches = |(_, record): &&(String, Map<String, Value>)| {
        let mut held = parsed.conditions.iter().map(|c| holds(c, record));
        if parsed.any {
            parsed.conditions.is_empty() || held.any(|h| h)
        } else {
            held.all(|h| h)
        }
    };
    let mut in_order: Vec<&(String, Map<String, Value>)> = inner.contacts.iter().collect();
    if !parsed.ascending {
        in_order.reverse();
    }
    let records: Vec<Value> = in_order
        .into_iter()
        .filter(matches)
        .take(parsed.limit.unwrap_or(usize::MAX))
        .map(|(id, record)| row(id, record, &parsed.fields))
        .collect();
    Json(json!({ "totalSize": records.len(), "done": true, "records": records })).into_response()
}

/// The stored Contact with this id (18 characters, or the 15 of its case-sensitive form).
fn position(inner: &Inner, id: &str) -> Option<usize> {
    inner
        .contacts
        .iter()
        .position(|(i, _)| i == id || (id.len() == 15 && i.starts_with(id)))
}

fn no_such_record() -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "The requested resource does not exist",
    )
}

async fn read(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(refused) = admit(
        &inner,
        &headers,
        Method::GET,
        format!("{API}/sobjects/Contact/{id}"),
        Value::Null,
    ) {
        return refused;
    }
    let inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    let Some(at) = position(&inner, &id) else {
        return no_such_record();
    };
    let (id, record) = &inner.contacts[at];
    let names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
    Json(row(id, record, &names)).into_response()
}

/// The JSON parser's name for a value's first token.
fn json_token(value: &Value) -> &'static str {
    match value {
        Value::Null => "VALUE_NULL",
        Value::Bool(true) => "VALUE_TRUE",
        Value::Bool(false) => "VALUE_FALSE",
        Value::Number(n) if n.is_f64() => "VALUE_NUMBER_FLOAT",
        Value::Number(_) => "VALUE_NUMBER_INT",
        Value::String(_) => "VALUE_STRING",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

/// Where the body names a field, as the JSON parser reports it (line, column).
fn location(raw: &str, name: &str) -> (usize, usize) {
    let Some(at) = raw.find(&format!("\"{name}\"")) else {
        return (1, 1);
    };
    let before = &raw[..at];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.chars().count(), |n| before[n + 1..].chars().count());
    (line, column)
}

/// The value as the field takes it, or `None` when the JSON parser refuses it.
fn coerce(field: &Field, value: &Value) -> Option<Value> {
    match (field.kind, value) {
        // An empty value clears the field, as null does.
        (_, Value::Null) => Some(Value::Null),
        (_, Value::String(s)) if s.is_empty() => Some(Value::Null),
        ("double", Value::Number(_)) | ("boolean", Value::Bool(_)) => Some(value.clone()),
        ("double", Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        ("boolean", Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
        ("boolean", Value::String(s)) if s.eq_ignore_ascii_case("false") => {
            Some(Value::Bool(false))
        }
        ("date", Value::String(s)) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(|_| value.clone()),
        ("datetime", Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
            .or_else(|_| chrono::DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
            .ok()
            .map(|_| value.clone()),
        ("double" | "boolean" | "date" | "datetime", _) => None,
        (_, Value::String(_)) => Some(value.clone()),
        (_, Value::Number(n)) => Some(Value::String(n.to_string())),
        (_, Value::Bool(b)) => Some(Value::String(b.to_string())),
        _ => None,
    }
}

/// Whether Salesforce takes the text as an e-mail address.
fn email_address(text: &str) -> bool {
    let mut parts = text.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
        }
        _ => false,
    }
}

/// Salesforce's JSON parser's refusal of a body.
fn unparsable(raw: &str, e: &serde_json::Error) -> Response {
    let (line, column) = (e.line(), e.column());
    let message = if e.is_eof() {
        format!(
            "Unexpected end-of-input: expected close marker for OBJECT at [line:{line}, column:{column}]"
        )
    } else {
        let found = raw
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.chars().nth(column.saturating_sub(1)))
            .unwrap_or(' ');
        format!(
            "Unexpected character ('{found}' (code {})): expected a valid value at [line:{line}, column:{column}]",
            u32::from(found)
        )
    };
    refusal(StatusCode::BAD_REQUEST, "JSON_PARSER_ERROR", &message)
}

async fn update(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let raw = String::from_utf8_lossy(&body).into_owned();
    let parsed = serde_json::from_str::<Value>(&raw);
    let recorded = match &parsed {
        Ok(value) => value.clone(),
        Err(_) => Value::String(raw.clone()),
    };
    if let Some(refused) = admit(
        &inner,
        &headers,
        Method::PATCH,
        format!("{API}/sobjects/Contact/{id}"),
        recorded,
    ) {
        return refused;
    }
    let changes = match parsed {
        Ok(Value::Object(changes)) => changes,
        Ok(other) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                "JSON_PARSER_ERROR",
                &format!(
                    "Cannot deserialize instance of Contact from {} value [line:1, column:1]",
                    json_token(&other)
                ),
            );
        }
        Err(e) => return unparsable(&raw, &e),
    };
    // The body is read as a Contact: each name a field, each value of its type.
    let mut typed: Vec<(&'static Field, Value)> = Vec::new();
    for (name, value) in &changes {
        if name == "attributes" {
            continue;
        }
        let Some(field) = described(name) else {
            return error(
                StatusCode::BAD_REQUEST,
                json!([refusal_of(
                    "INVALID_FIELD",
                    &format!("No such column '{name}' on sobject of type Contact"),
                    &[]
                )]),
            );
        };
        let Some(value) = coerce(field, value) else {
            let (line, column) = location(&raw, name);
            let token = json_token(value);
            let message = match value {
                Value::Array(_) | Value::Object(_) => format!(
                    "Cannot deserialize instance of {} from {token} value [line:{line}, column:{column}]",
                    field.kind
                ),
                Value::String(s) => format!(
                    "Cannot deserialize instance of {} from {token} value {s} or request may be missing a required field at [line:{line}, column:{column}]",
                    field.kind
                ),
                other => format!(
                    "Cannot deserialize instance of {} from {token} value {other} or request may be missing a required field at [line:{line}, column:{column}]",
                    field.kind
                ),
            };
            return refusal(StatusCode::BAD_REQUEST, "JSON_PARSER_ERROR", &message);
        };
        typed.push((field, value));
    }
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    let Some(at) = position(&inner, &id) else {
        return no_such_record();
    };
    let read_only: Vec<&str> = typed
        .iter()
        .filter(|(f, _)| !f.updateable)
        .map(|(f, _)| f.name)
        .collect();
    if !read_only.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            json!([refusal_of(
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                &format!(
                    "Unable to create/update fields: {}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                    read_only.join(", ")
                ),
                &read_only
            )]),
        );
    }
    let mut refusals = Vec::new();
    let missing: Vec<&str> = typed
        .iter()
        .filter(|(f, v)| !f.nillable && v.is_null())
        .map(|(f, _)| f.name)
        .collect();
    if !missing.is_empty() {
        refusals.push(refusal_of(
            "REQUIRED_FIELD_MISSING",
            &format!("Required fields are missing: [{}]", missing.join(", ")),
            &missing,
        ));
    }
    for (field, value) in &typed {
        let Some(text) = value.as_str() else {
            continue;
        };
        let length = u64::try_from(text.chars().count()).unwrap_or(u64::MAX);
        if field.length > 0 && field.kind != "id" && length > field.length {
            refusals.push(refusal_of(
                "STRING_TOO_LONG",
                &format!(
                    "{}: data value too large: {text} (max length={})",
                    field.name, field.length
                ),
                &[field.name],
            ));
        } else if field.kind == "email" && !email_address(text) {
            refusals.push(refusal_of(
                "INVALID_EMAIL_ADDRESS",
                &format!("{}: invalid email address: {text}", field.name),
                &[field.name],
            ));
        }
    }
    if !refusals.is_empty() {
        return error(StatusCode::BAD_REQUEST, Value::Array(refusals));
    }
    let (_, record) = &inner.contacts[at];
    let mut changed = record.clone();
    for (field, value) in typed {
        changed.insert(field.name.to_owned(), value);
    }
    // The org's validation rule on Contact.
    if changed.get("Department").and_then(Value::as_str) == Some("Unknown") {
        return error(
            StatusCode::BAD_REQUEST,
            json!([refusal_of(
                "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                "Department must be one we serve.",
                &["Department"]
            )]),
        );
    }
    compound_name(&mut changed);
    changed.insert("LastModifiedDate".into(), Value::String(timestamp()));
    let (id, _) = inner.contacts.remove(at);
    inner.contacts.push((id, changed));
    StatusCode::NO_CONTENT.into_response()
}

async fn not_found(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    method: Method,
    uri: Uri,
) -> Response {
    let path = uri.path().to_owned();
    if !path.starts_with("/services/data/") {
        let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.calls.push(Call {
            method: method.to_string(),
            path,
            body: Value::Null,
        });
        return no_such_record();
    }
    if let Some(refused) = admit(&inner, &headers, method, path, Value::Null) {
        return refused;
    }
    no_such_record()
}

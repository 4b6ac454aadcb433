//! Salesforce's APIs as the contact panel uses them (REST API v61.0): signing in with a
//! connected app (OAuth 2.0 refresh-token flow, or the JWT bearer flow with the app's
//! certificate key), the Contact object's description (labels, types, what is updateable),
//! a SOQL query for the contact by e-mail address or phone number, and the update of a
//! Contact's fields. A session that expires is signed in again once; Salesforce's refusals
//! become [`CrmError`]s in words for the agent.

use super::error::CrmError;
use super::{FieldDef, Record};
use jwt_simple::prelude::{Claims, Duration as JwtDuration, RS256KeyPair, RSAKeyPairLike};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_protocol::WorkspaceId;
use switchboard_protocol::crm::{CrmProvider, SalesforceCredentials};

/// The REST API's version path.
const API: &str = "/services/data/v61.0";
/// How long one Salesforce call may take.
const TIMEOUT: Duration = Duration::from_secs(15);
const SALESFORCE: CrmProvider = CrmProvider::Salesforce;

fn unavailable(message: impl Into<String>) -> CrmError {
    CrmError::unavailable(SALESFORCE, message)
}

/// A signed-in session: an access token and the org's address.
#[derive(Clone, Debug)]
pub struct Session {
    pub access_token: String,
    pub instance_url: String,
}

/// Each workspace's session, shared by its calls until it expires.
#[derive(Clone, Default)]
pub struct Sessions(Arc<Mutex<HashMap<WorkspaceId, Session>>>);

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<WorkspaceId, Session>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn forget(&self, workspace: WorkspaceId) {
        self.lock().remove(&workspace);
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    instance_url: String,
}

/// A problem with a key pasted for the JWT bearer flow.
pub const BAD_KEY: &str = "This is not a PEM private key (-----BEGIN PRIVATE KEY-----).";

/// Signs in with a connected app: a new session.
pub async fn sign_in(
    client: &reqwest::Client,
    login_url: &str,
    client_id: &str,
    credentials: &SalesforceCredentials,
) -> Result<Session, CrmError> {
    let login_url = login_url.trim_end_matches('/');
    let form: Vec<(&str, String)> = match credentials {
        SalesforceCredentials::RefreshToken {
            client_secret,
            refresh_token,
        } => vec![
            ("grant_type", "refresh_token".into()),
            ("client_id", client_id.into()),
            ("client_secret", client_secret.clone()),
            ("refresh_token", refresh_token.clone()),
        ],
        SalesforceCredentials::JwtBearer {
            username,
            private_key,
        } => {
            let key = RS256KeyPair::from_pem(private_key).map_err(|_| CrmError::Invalid {
                field: Some("private_key".into()),
                message: BAD_KEY.into(),
            })?;
            // Salesforce takes assertions that expire within three minutes.
            let claims = Claims::create(JwtDuration::from_mins(3))
                .with_issuer(client_id)
                .with_subject(username)
                .with_audience(login_url);
            let assertion = key
                .sign(claims)
                .map_err(|e| unavailable(format!("signing the sign-in: {e}")))?;
            vec![
                (
                    "grant_type",
                    "urn:ietf:params:oauth:grant-type:jwt-bearer".into(),
                ),
                ("assertion", assertion),
            ]
        }
    };
    let response = client
        .post(format!("{login_url}/services/oauth2/token"))
        .form(&form)
        .timeout(TIMEOUT)
        .send()
        .await
        .map_err(|e| unavailable(e.without_url().to_string()))?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if status.is_success() {
        let answer: TokenAnswer =
            serde_json::from_value(body).map_err(|e| unavailable(e.to_string()))?;
        return Ok(Session {
            access_token: answer.access_token,
            instance_url: answer.instance_url.trim_end_matches('/').to_owned(),
        });
    }
    match body["error"].as_str() {
        // The consumer key or secret, the refresh token, the key or the user is refused.
        Some(
            "invalid_grant"
            | "invalid_client"
            | "invalid_client_id"
            | "unauthorized_client"
            | "inactive_user"
            | "inactive_org",
        ) => Err(CrmError::CredentialsRefused(SALESFORCE)),
        _ if status == StatusCode::TOO_MANY_REQUESTS => Err(CrmError::RateLimited(SALESFORCE)),
        _ => Err(unavailable(
            body["error_description"]
                .as_str()
                .map_or_else(|| format!("HTTP {status}"), str::to_owned),
        )),
    }
}

/// A workspace's connected app and its session.
pub struct Salesforce<'a> {
    pub client: &'a reqwest::Client,
    pub login_url: &'a str,
    pub client_id: &'a str,
    pub credentials: &'a SalesforceCredentials,
    pub sessions: &'a Sessions,
    pub workspace: WorkspaceId,
}

/// A field as `describe` lists it.
#[derive(Deserialize)]
struct Described {
    name: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    updateable: bool,
    #[serde(default)]
    calculated: bool,
}

#[derive(Deserialize)]
struct Description {
    fields: Vec<Described>,
}

#[derive(Deserialize)]
struct QueryAnswer {
    records: Vec<Map<String, Value>>,
}

/// One of the errors Salesforce answers in a list.
#[derive(Deserialize)]
struct Refusal {
    #[serde(default)]
    message: String,
    #[serde(rename = "errorCode", default)]
    error_code: String,
    #[serde(default)]
    fields: Vec<String>,
}

impl Salesforce<'_> {
    /// The workspace's session, signing in when there is none.
    pub async fn session(&self) -> Result<Session, CrmError> {
        if let Some(session) = self.sessions.lock().get(&self.workspace).cloned() {
            return Ok(session);
        }
        let session = sign_in(
            self.client,
            self.login_url,
            self.client_id,
            self.credentials,
        )
        .await?;
        self.sessions.lock().insert(self.workspace, session.clone());
        Ok(session)
    }

    /// Calls the REST API; an expired session is signed in again, once.
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: Option<&str>,
        body: Option<&Value>,
    ) -> Result<(StatusCode, Value), CrmError> {
        for attempt in 0..2 {
            let session = self.session().await?;
            let mut request = self
                .client
                .request(
                    method.clone(),
                    format!("{}{API}{path}", session.instance_url),
                )
                .bearer_auth(&session.access_token)
                .timeout(TIMEOUT);
            if let Some(q) = query {
                request = request.query(&[("q", q)]);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request
                .send()
                .await
                .map_err(|e| unavailable(e.without_url().to_string()))?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED {
                self.sessions.forget(self.workspace);
                if attempt == 0 {
                    continue;
                }
                return Err(CrmError::CredentialsRefused(SALESFORCE));
            }
            let body = response.json().await.unwrap_or(Value::Null);
            return Ok((status, body));
        }
        Err(CrmError::CredentialsRefused(SALESFORCE))
    }

    /// A refusal in words; `of_a_value` when it answers an update, whose 400s name fields.
    fn refused(status: StatusCode, body: &Value, of_a_value: bool) -> CrmError {
        let first = serde_json::from_value::<Vec<Refusal>>(body.clone())
            .ok()
            .and_then(|list| list.into_iter().next());
        let (message, code, field) = match first {
            Some(r) => (r.message, r.error_code, r.fields.into_iter().next()),
            None => (format!("HTTP {status}"), String::new(), None),
        };
        match status.as_u16() {
            429 => CrmError::RateLimited(SALESFORCE),
            403 if code == "REQUEST_LIMIT_EXCEEDED" => CrmError::RateLimited(SALESFORCE),
            400 if of_a_value => CrmError::Invalid { field, message },
            _ => unavailable(message),
        }
    }

    /// The Contact object's fields.
    pub async fn fields(&self) -> Result<Vec<FieldDef>, CrmError> {
        let (status, body) = self
            .call(Method::GET, "/sobjects/Contact/describe", None, None)
            .await?;
        if !status.is_success() {
            return Err(Self::refused(status, &body, false));
        }
        let description: Description =
            serde_json::from_value(body).map_err(|e| unavailable(e.to_string()))?;
        Ok(description.fields.into_iter().map(FieldDef::from).collect())
    }

    /// The most recently changed Contact with this e-mail address, else with this phone
    /// number (as its Phone or MobilePhone).
    pub async fn find(
        &self,
        email: Option<&str>,
        phone: Option<&str>,
        fields: &[String],
    ) -> Result<Option<Record>, CrmError> {
        let mut conditions = Vec::new();
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        let phone = phone.map(str::trim).filter(|p| !p.is_empty());
        if let Some(email) = email {
            conditions.push(format!("Email = '{}'", soql_literal(email)));
        }
        if let Some(phone) = phone {
            let phone = soql_literal(phone);
            conditions.push(format!("Phone = '{phone}'"));
            conditions.push(format!("MobilePhone = '{phone}'"));
        }
        if conditions.is_empty() {
            return Ok(None);
        }
        let mut selected: Vec<&str> = vec!["Id", "Email"];
        for name in fields {
            if !selected.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                selected.push(name);
            }
        }
        let soql = format!(
            "SELECT {} FROM Contact WHERE {} ORDER BY LastModifiedDate DESC LIMIT 10",
            selected.join(", "),
            conditions.join(" OR ")
        );
        let (status, body) = self.call(Method::GET, "/query", Some(&soql), None).await?;
        if !status.is_success() {
            return Err(Self::refused(status, &body, false));
        }
        let records = serde_json::from_value::<QueryAnswer>(body)
            .map_err(|e| unavailable(e.to_string()))?
            .records;
        // The e-mail address decides first: several records may share a phone number.
        let by_email = email.and_then(|email| {
            records.iter().find(|r| {
                r.get("Email")
                    .and_then(Value::as_str)
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
        });
        Ok(by_email.or(records.first()).and_then(|r| record(r, fields)))
    }

    /// Saves fields of a Contact, each value typed as Salesforce describes the field.
    pub async fn update(
        &self,
        id: &str,
        values: &BTreeMap<String, String>,
        fields: &[FieldDef],
    ) -> Result<(), CrmError> {
        let mut body = Map::new();
        for (name, text) in values {
            let kind = fields
                .iter()
                .find(|f| &f.name == name)
                .map_or("string", |f| f.kind.as_str());
            body.insert(name.clone(), typed(name, kind, text)?);
        }
        let path = format!("/sobjects/Contact/{}", id_segment(id)?);
        let (status, answer) = self
            .call(Method::PATCH, &path, None, Some(&Value::Object(body)))
            .await?;
        if status.is_success() {
            Ok(())
        } else {
            Err(Self::refused(status, &answer, true))
        }
    }
}

/// A record's id checked before it goes into a path (Salesforce ids are 15 or 18 letters and
/// digits).
fn id_segment(id: &str) -> Result<&str, CrmError> {
    if (id.len() == 15 || id.len() == 18) && id.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(id)
    } else {
        Err(unavailable(format!("an unexpected record id: {id:?}")))
    }
}

/// A string literal's inside for SOQL, with its escapes.
fn soql_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// A value as text for the panel.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.as_i64().map_or_else(
            || n.as_f64().map_or_else(|| n.to_string(), |f| f.to_string()),
            |i| i.to_string(),
        )),
        _ => None,
    }
}

fn record(found: &Map<String, Value>, fields: &[String]) -> Option<Record> {
    let id = found.get("Id").and_then(Value::as_str)?.to_owned();
    let values = fields
        .iter()
        .chain(std::iter::once(&"Email".to_owned()))
        .map(|name| (name.clone(), found.get(name).and_then(text)))
        .collect();
    Some(Record { id, values })
}

/// The JSON value Salesforce takes for a field of this type; empty clears it.
fn typed(name: &str, kind: &str, text: &str) -> Result<Value, CrmError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Value::Null);
    }
    let refused = |message: &str| CrmError::Invalid {
        field: Some(name.to_owned()),
        message: message.to_owned(),
    };
    match kind {
        "boolean" => match text.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(refused("Enter true or false.")),
        },
        "int" => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| refused("Enter a whole number.")),
        "double" | "currency" | "percent" => text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| refused("Enter a number.")),
        _ => Ok(Value::String(text.to_owned())),
    }
}

impl From<Described> for FieldDef {
    fn from(d: Described) -> FieldDef {
        let phone = d.kind == "phone";
        FieldDef {
            editable: d.updateable
                && !d.calculated
                && !phone
                && !matches!(
                    d.kind.as_str(),
                    "email" | "id" | "reference" | "address" | "location"
                ),
            name: d.name,
            label: d.label,
            kind: d.kind,
            phone,
        }
    }
}

/// Where a Contact opens in Salesforce (Lightning Experience).
pub fn contact_url(instance_url: &str, id: &str) -> String {
    format!("{instance_url}/lightning/r/Contact/{id}/view")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_cannot_leave_their_quotes() {
        assert_eq!(
            soql_literal("o'brien@example.com' OR Name != '"),
            "o\\'brien@example.com\\' OR Name != \\'"
        );
        assert_eq!(soql_literal("a\\b\nc"), "a\\\\b\\nc");
    }

    #[test]
    fn values_take_their_fields_types() {
        assert_eq!(typed("DoNotCall", "boolean", "True"), Ok(Value::Bool(true)));
        assert_eq!(
            typed("Loyalty_Points__c", "double", "12.5"),
            Ok(serde_json::json!(12.5))
        );
        assert_eq!(typed("Title", "string", " "), Ok(Value::Null));
        assert!(matches!(
            typed("Loyalty_Points__c", "double", "lots"),
            Err(CrmError::Invalid { field: Some(f), .. }) if f == "Loyalty_Points__c"
        ));
        assert!(typed("DoNotCall", "boolean", "maybe").is_err());
        assert_eq!(text(&serde_json::json!(12.0)).as_deref(), Some("12"));
    }

    #[test]
    fn record_ids_are_checked_before_they_go_into_a_path() {
        assert!(id_segment("003Dn00000Ab1XyIAJ").is_ok());
        assert!(id_segment("../../sobjects/User").is_err());
    }
}

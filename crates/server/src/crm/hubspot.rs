//! HubSpot's APIs as the contact panel uses them, with a private app's access token: the
//! account (its portal id and UI domain), the contact properties' definitions, the CRM v3
//! contact search by e-mail or phone, and the update of a contact's properties. HubSpot's
//! refusals become [`CrmError`]s in words for the agent.

use super::error::CrmError;
use super::{FieldDef, Record};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;
use switchboard_protocol::crm::CrmProvider;

/// How long one HubSpot call may take.
const TIMEOUT: Duration = Duration::from_secs(15);
const HUBSPOT: CrmProvider = CrmProvider::Hubspot;

fn unavailable(message: impl Into<String>) -> CrmError {
    CrmError::unavailable(HUBSPOT, message)
}

/// A token for one HubSpot account.
pub struct Hubspot<'a> {
    pub client: &'a reqwest::Client,
    pub base: &'a str,
    pub token: &'a str,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub portal_id: u64,
    #[serde(default)]
    pub ui_domain: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Property {
    pub name: String,
    pub label: String,
    #[serde(default)]
    pub field_type: String,
    #[serde(default)]
    pub calculated: bool,
    #[serde(default)]
    pub modification_metadata: Option<Modification>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Modification {
    #[serde(default)]
    pub read_only_value: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Object {
    pub id: String,
    #[serde(default)]
    pub properties: BTreeMap<String, Option<String>>,
}

#[derive(Deserialize)]
struct Results<T> {
    results: Vec<T>,
}

/// One invalid property, as HubSpot lists them inside a validation error's message.
#[derive(Deserialize)]
struct Invalid {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

impl Hubspot<'_> {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, CrmError> {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base.trim_end_matches('/')))
            .bearer_auth(self.token)
            .timeout(TIMEOUT);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| unavailable(e.without_url().to_string()))?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        match status.as_u16() {
            200..=299 => Ok(body),
            401 | 403 => Err(CrmError::CredentialsRefused(HUBSPOT)),
            429 => Err(CrmError::RateLimited(HUBSPOT)),
            400 if body["category"] == "VALIDATION_ERROR" => Err(invalid(&body)),
            _ => Err(unavailable(
                body["message"]
                    .as_str()
                    .map_or_else(|| format!("HTTP {status}"), str::to_owned),
            )),
        }
    }

    pub async fn account(&self) -> Result<Account, CrmError> {
        let body = self
            .call(reqwest::Method::GET, "/account-info/v3/details", None)
            .await?;
        serde_json::from_value(body).map_err(|e| unavailable(e.to_string()))
    }

    pub async fn properties(&self) -> Result<Vec<Property>, CrmError> {
        let body = self
            .call(reqwest::Method::GET, "/crm/v3/properties/contacts", None)
            .await?;
        serde_json::from_value::<Results<Property>>(body)
            .map(|r| r.results)
            .map_err(|e| unavailable(e.to_string()))
    }

    /// The first contact with this e-mail address, else with this phone number.
    pub async fn find(
        &self,
        email: Option<&str>,
        phone: Option<&str>,
        properties: &[String],
    ) -> Result<Option<Object>, CrmError> {
        let groups: Vec<Value> = [("email", email), ("phone", phone), ("mobilephone", phone)]
            .into_iter()
            .filter_map(|(name, value)| {
                let value = value?.trim();
                (!value.is_empty()).then(|| {
                    json!({ "filters": [{ "propertyName": name, "operator": "EQ", "value": value }] })
                })
            })
            .collect();
        if groups.is_empty() {
            return Ok(None);
        }
        let body = self
            .call(
                reqwest::Method::POST,
                "/crm/v3/objects/contacts/search",
                Some(json!({ "filterGroups": groups, "properties": properties, "limit": 10 })),
            )
            .await?;
        let found = serde_json::from_value::<Results<Object>>(body)
            .map_err(|e| unavailable(e.to_string()))?
            .results;
        // The e-mail address decides first: several records may share a phone number.
        let by_email = email.and_then(|email| {
            found.iter().find(|o| {
                o.properties
                    .get("email")
                    .and_then(Option::as_deref)
                    .is_some_and(|e| e.eq_ignore_ascii_case(email.trim()))
            })
        });
        Ok(by_email.or(found.first()).cloned())
    }

    pub async fn update(
        &self,
        id: &str,
        properties: &BTreeMap<String, String>,
    ) -> Result<(), CrmError> {
        self.call(
            reqwest::Method::PATCH,
            &format!("/crm/v3/objects/contacts/{id}"),
            Some(json!({ "properties": properties })),
        )
        .await
        .map(|_| ())
    }
}

/// A validation error's first invalid property, from the JSON list in its message.
fn invalid(body: &Value) -> CrmError {
    let message = body["message"].as_str().unwrap_or_default();
    let listed = message
        .find('[')
        .and_then(|start| serde_json::from_str::<Vec<Invalid>>(&message[start..]).ok())
        .and_then(|list| list.into_iter().next());
    match listed {
        Some(first) => CrmError::Invalid {
            field: first.name,
            message: first
                .message
                .unwrap_or_else(|| "HubSpot refused this value.".into()),
        },
        None => CrmError::Invalid {
            field: None,
            message: if message.is_empty() {
                "HubSpot refused this value.".into()
            } else {
                message.to_owned()
            },
        },
    }
}

/// Phone numbers, which masked members never see and nobody edits from the panel.
fn phone_like(property: &Property) -> bool {
    matches!(
        property.name.as_str(),
        "phone" | "mobilephone" | "hs_whatsapp_phone_number"
    ) || property.field_type == "phonenumber"
}

impl From<&Property> for FieldDef {
    fn from(p: &Property) -> FieldDef {
        let phone = phone_like(p);
        FieldDef {
            name: p.name.clone(),
            label: p.label.clone(),
            kind: p.field_type.clone(),
            editable: p.name != "email"
                && !phone
                && !p.calculated
                && !p
                    .modification_metadata
                    .as_ref()
                    .is_some_and(|m| m.read_only_value),
            phone,
        }
    }
}

impl From<Object> for Record {
    fn from(o: Object) -> Record {
        Record {
            id: o.id,
            values: o.properties,
        }
    }
}

/// Where a contact opens in HubSpot.
pub fn contact_url(account: &Account, id: &str) -> String {
    let domain = account.ui_domain.as_deref().unwrap_or("app.hubspot.com");
    format!(
        "https://{domain}/contacts/{}/record/0-1/{id}",
        account.portal_id
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validation_error_names_its_property() {
        let body = json!({
            "status": "error",
            "message": "Property values were not valid: [{\"isValid\":false,\"message\":\"abc was not a valid number.\",\"error\":\"INVALID_INTEGER\",\"name\":\"numemployees\"}]",
            "category": "VALIDATION_ERROR"
        });
        assert_eq!(
            invalid(&body),
            CrmError::Invalid {
                field: Some("numemployees".into()),
                message: "abc was not a valid number.".into()
            }
        );
        let plain = json!({ "message": "Something else", "category": "VALIDATION_ERROR" });
        assert!(matches!(
            invalid(&plain),
            CrmError::Invalid { field: None, .. }
        ));
    }
}

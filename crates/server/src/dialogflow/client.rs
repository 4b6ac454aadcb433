//! Google's APIs as the Dialogflow bot uses them: a service account's signed JWT exchanged
//! for an access token at Google's OAuth 2.0 token endpoint (kept until shortly before it
//! expires), and Dialogflow ES's `detectIntent` for one conversation's session. Refusals
//! become [`DialogflowError`]s in words for the team.

use jwt_simple::prelude::{Claims, Duration as JwtDuration, RS256KeyPair, RSAKeyPairLike};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard_protocol::WorkspaceId;

/// How long one Google call may take.
const TIMEOUT: Duration = Duration::from_secs(15);
/// What the token may be used for.
const SCOPE: &str = "https://www.googleapis.com/auth/dialogflow";
/// The longest text `detectIntent` takes, in characters.
pub const MAX_QUERY_CHARS: usize = 256;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DialogflowError {
    #[error(
        "Google refused the service account's key. An owner or manager can reconnect Dialogflow in settings."
    )]
    KeyRefused,
    #[error("Dialogflow refused the request: {0}")]
    Refused(String),
    #[error("Dialogflow is busy (quota exceeded).")]
    RateLimited,
    #[error("Dialogflow could not be reached or failed: {0}")]
    Unavailable(String),
}

/// A service account's key file, as Google Cloud gives it.
#[derive(Clone, Deserialize)]
pub struct KeyFile {
    #[serde(rename = "type")]
    pub kind: String,
    pub project_id: String,
    #[serde(default)]
    pub private_key_id: String,
    pub private_key: String,
    pub client_email: String,
}

/// A workspace's agent: its project, and the key that signs in.
pub struct Agent<'a> {
    pub client: &'a reqwest::Client,
    pub token_url: &'a str,
    pub api_url: &'a str,
    pub key: &'a KeyFile,
    pub tokens: &'a Tokens,
    pub workspace: WorkspaceId,
}

/// Access tokens per workspace, with when to stop using them.
#[derive(Clone, Default)]
pub struct Tokens(Arc<Mutex<HashMap<WorkspaceId, (String, Instant)>>>);

impl Tokens {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<WorkspaceId, (String, Instant)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn forget(&self, workspace: WorkspaceId) {
        self.lock().remove(&workspace);
    }
}

#[derive(Serialize)]
struct Scope<'a> {
    scope: &'a str,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: u64,
}

/// What the agent answered a message.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// The fulfilment's text, for the contact.
    Reply(String),
    /// No intent matched (the fallback intent), or it has no text: people take over.
    NotUnderstood,
}

fn message(body: &Value, status: reqwest::StatusCode) -> String {
    body["error"]["message"]
        .as_str()
        .or_else(|| body["error_description"].as_str())
        .map_or_else(|| format!("HTTP {status}"), str::to_owned)
}

impl Agent<'_> {
    /// A fresh access token: a JWT signed with the key, exchanged at Google.
    pub async fn sign_in(&self) -> Result<(String, Duration), DialogflowError> {
        let mut key = RS256KeyPair::from_pem(&self.key.private_key)
            .map_err(|_| DialogflowError::KeyRefused)?;
        if !self.key.private_key_id.is_empty() {
            key = key.with_key_id(&self.key.private_key_id);
        }
        let claims = Claims::with_custom_claims(Scope { scope: SCOPE }, JwtDuration::from_hours(1))
            .with_issuer(&self.key.client_email)
            .with_audience(self.token_url);
        let assertion = key
            .sign(claims)
            .map_err(|e| DialogflowError::Unavailable(format!("signing the sign-in: {e}")))?;
        let response = self
            .client
            .post(self.token_url)
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion.as_str()),
            ])
            .timeout(TIMEOUT)
            .send()
            .await
            .map_err(|e| DialogflowError::Unavailable(e.without_url().to_string()))?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            let answer: TokenAnswer = serde_json::from_value(body)
                .map_err(|e| DialogflowError::Unavailable(e.to_string()))?;
            return Ok((
                answer.access_token,
                Duration::from_secs(answer.expires_in.max(60)),
            ));
        }
        match body["error"].as_str() {
            Some("invalid_grant" | "invalid_client" | "unauthorized_client" | "invalid_scope") => {
                Err(DialogflowError::KeyRefused)
            }
            _ => Err(DialogflowError::Unavailable(message(&body, status))),
        }
    }

    /// The workspace's access token, signing in when there is none still good for a minute.
    async fn token(&self) -> Result<String, DialogflowError> {
        if let Some((token, until)) = self.tokens.lock().get(&self.workspace).cloned()
            && until > Instant::now()
        {
            return Ok(token);
        }
        let (token, lasts) = self.sign_in().await?;
        let until = Instant::now() + lasts.saturating_sub(Duration::from_secs(60));
        self.tokens
            .lock()
            .insert(self.workspace, (token.clone(), until));
        Ok(token)
    }

    /// Asks the agent about `text` in the conversation's session.
    pub async fn detect_intent(
        &self,
        session: &str,
        text: &str,
        language_code: &str,
    ) -> Result<Answer, DialogflowError> {
        let url = format!(
            "{}/projects/{}/agent/sessions/{session}:detectIntent",
            self.api_url.trim_end_matches('/'),
            self.key.project_id
        );
        let body =
            json!({ "queryInput": { "text": { "text": text, "languageCode": language_code } } });
        for attempt in 0..2 {
            let token = self.token().await?;
            let response = self
                .client
                .post(&url)
                .bearer_auth(&token)
                .json(&body)
                .timeout(TIMEOUT)
                .send()
                .await
                .map_err(|e| DialogflowError::Unavailable(e.without_url().to_string()))?;
            let status = response.status();
            let answer: Value = response.json().await.unwrap_or(Value::Null);
            match status.as_u16() {
                200..=299 => return Ok(answer_of(&answer)),
                // An access token Google no longer takes: sign in again, once.
                401 if attempt == 0 => self.tokens.forget(self.workspace),
                401 => return Err(DialogflowError::KeyRefused),
                429 => return Err(DialogflowError::RateLimited),
                400 | 403 | 404 => {
                    return Err(DialogflowError::Refused(message(&answer, status)));
                }
                _ => return Err(DialogflowError::Unavailable(message(&answer, status))),
            }
        }
        Err(DialogflowError::KeyRefused)
    }
}

/// The fulfilment's text, unless no intent matched.
fn answer_of(body: &Value) -> Answer {
    let result = &body["queryResult"];
    if result["intent"]["isFallback"].as_bool() == Some(true) {
        return Answer::NotUnderstood;
    }
    let text = result["fulfillmentText"]
        .as_str()
        .map(str::to_owned)
        .filter(|t| !t.trim().is_empty())
        .or_else(|| {
            let parts: Vec<&str> = result["fulfillmentMessages"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|m| m["text"]["text"].as_array().into_iter().flatten())
                .filter_map(Value::as_str)
                .filter(|t| !t.trim().is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        });
    match text {
        Some(text) => Answer::Reply(text.trim().to_owned()),
        None => Answer::NotUnderstood,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fulfilment_text_is_the_answer_and_the_fallback_is_not_understood() {
        let matched = json!({ "queryResult": {
            "fulfillmentText": "We open at nine.",
            "intent": { "displayName": "Opening hours" }
        }});
        assert_eq!(
            answer_of(&matched),
            Answer::Reply("We open at nine.".into())
        );
        let in_messages = json!({ "queryResult": {
            "fulfillmentMessages": [{ "text": { "text": ["We open", "at nine."] } }],
            "intent": { "displayName": "Opening hours" }
        }});
        assert_eq!(
            answer_of(&in_messages),
            Answer::Reply("We open\nat nine.".into())
        );
        let fallback = json!({ "queryResult": {
            "fulfillmentText": "Sorry, could you say that again?",
            "intent": { "displayName": "Default Fallback Intent", "isFallback": true }
        }});
        assert_eq!(answer_of(&fallback), Answer::NotUnderstood);
        let empty = json!({ "queryResult": { "intent": { "displayName": "Silent" } } });
        assert_eq!(answer_of(&empty), Answer::NotUnderstood);
    }
}

//! The client of an OpenAI-compatible Chat Completions API: one request with the messages,
//! the answer streamed back as server-sent events (`data: {json}` lines, then
//! `data: [DONE]`), and the provider's failures turned into words an agent can act on.

use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Who says a chat message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    /// What the provider is told to do.
    pub fn system(content: impl Into<String>) -> ChatMessage {
        ChatMessage {
            role: Role::System,
            content: content.into(),
        }
    }

    /// What it works on.
    pub fn user(content: impl Into<String>) -> ChatMessage {
        ChatMessage {
            role: Role::User,
            content: content.into(),
        }
    }
}

/// A workspace's provider, its key included (never logged: `Debug` hides it).
#[derive(Clone)]
pub struct Provider {
    pub base_url: reqwest::Url,
    pub model: String,
    pub organization: Option<String>,
    pub api_key: Option<String>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("base_url", &self.base_url.as_str())
            .field("model", &self.model)
            .field("organization", &self.organization)
            .field("api_key", &self.api_key.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

/// Why the provider gave no (complete) answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AiError {
    #[error("The AI provider did not answer. Try again in a moment.")]
    NoAnswer,
    #[error("The AI provider refused the API key. An owner or manager can change it in settings.")]
    KeyRefused,
    #[error("The AI provider is busy (too many requests). Try again in a moment.")]
    RateLimited,
    #[error("The AI provider could not answer: {0}")]
    Provider(String),
}

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    messages: &'a [ChatMessage],
    stream: bool,
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    delta: Delta,
}

#[derive(Default, Deserialize)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
}

/// The error body providers send (`{"error": {"message": …}}`).
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    message: String,
}

impl Provider {
    fn endpoint(&self) -> String {
        format!(
            "{}/chat/completions",
            self.base_url.as_str().trim_end_matches('/')
        )
    }

    /// Asks for an answer to `messages`; its text arrives in parts. `wait` bounds the time
    /// to the first byte and between parts.
    pub async fn stream(
        &self,
        client: &reqwest::Client,
        messages: &[ChatMessage],
        wait: Duration,
    ) -> Result<BoxStream<'static, Result<String, AiError>>, AiError> {
        let mut request = client.post(self.endpoint()).json(&Request {
            model: &self.model,
            messages,
            stream: true,
        });
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        if let Some(organization) = &self.organization {
            request = request.header("OpenAI-Organization", organization);
        }
        let response = tokio::time::timeout(wait, request.send())
            .await
            .map_err(|_| AiError::NoAnswer)?
            .map_err(|_| AiError::NoAnswer)?;
        let status = response.status();
        if !status.is_success() {
            return Err(refusal(status, response).await);
        }
        let bytes = response.bytes_stream();
        Ok(parts(bytes, wait).boxed())
    }
}

/// What a refusing status means for the agent.
async fn refusal(status: reqwest::StatusCode, response: reqwest::Response) -> AiError {
    match status.as_u16() {
        401 | 403 => AiError::KeyRefused,
        429 => AiError::RateLimited,
        _ => {
            let message = response
                .json::<ErrorBody>()
                .await
                .map(|b| b.error.message)
                .unwrap_or_else(|_| format!("HTTP {status}"));
            AiError::Provider(message.chars().take(300).collect())
        }
    }
}

/// The text parts of a server-sent event stream, until `[DONE]`.
fn parts(
    bytes: impl Stream<Item = reqwest::Result<axum::body::Bytes>> + Send + 'static,
    wait: Duration,
) -> impl Stream<Item = Result<String, AiError>> + Send + 'static {
    let state = (Box::pin(bytes), Vec::<u8>::new(), false);
    futures_util::stream::unfold(state, move |(mut bytes, mut buffer, finished)| async move {
        if finished {
            return None;
        }
        loop {
            // A whole line in the buffer: one event field.
            if let Some(end) = buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                let Some(data) = line.trim_end().strip_prefix("data:") else {
                    continue;
                };
                let data = data.trim();
                if data == "[DONE]" {
                    return None;
                }
                match serde_json::from_str::<Chunk>(data) {
                    Ok(chunk) => {
                        let text: String = chunk
                            .choices
                            .into_iter()
                            .filter_map(|c| c.delta.content)
                            .collect();
                        if text.is_empty() {
                            continue;
                        }
                        return Some((Ok(text), (bytes, buffer, false)));
                    }
                    Err(_) => {
                        let error = AiError::Provider("an unreadable answer".into());
                        return Some((Err(error), (bytes, buffer, true)));
                    }
                }
            }
            match tokio::time::timeout(wait, bytes.next()).await {
                Ok(Some(Ok(more))) => buffer.extend_from_slice(&more),
                // The stream ended without [DONE]: what came is the answer.
                Ok(None) => return None,
                Ok(Some(Err(_))) | Err(_) => {
                    return Some((Err(AiError::NoAnswer), (bytes, buffer, true)));
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_of(pieces: &[&str]) -> Vec<Result<String, AiError>> {
        let chunks: Vec<reqwest::Result<axum::body::Bytes>> = pieces
            .iter()
            .map(|p| Ok(axum::body::Bytes::from(p.to_string())))
            .collect();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        rt.block_on(
            parts(futures_util::stream::iter(chunks), Duration::from_secs(1)).collect::<Vec<_>>(),
        )
    }

    #[test]
    fn parts_are_read_across_packet_boundaries_until_done() {
        let got = stream_of(&[
            "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n",
            "\ndata: {\"choices\":[{\"delta\":{\"con",
            "tent\":\"lo\"}}]}\n\n: keep-alive\n\n",
            "data: [DONE]\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"after\"}}]}\n\n",
        ]);
        assert_eq!(got, vec![Ok("Hel".to_owned()), Ok("lo".to_owned())]);
    }

    #[test]
    fn an_unreadable_part_ends_the_answer_with_an_error() {
        let got = stream_of(&[
            "data: {\"choices\":[{\"delta\":{\"content\":\"A\"}}]}\n",
            "data: {oops\n",
        ]);
        assert_eq!(
            got,
            vec![
                Ok("A".to_owned()),
                Err(AiError::Provider("an unreadable answer".into()))
            ]
        );
    }

    #[test]
    fn the_key_is_never_printed() {
        let provider = Provider {
            base_url: "https://api.example/v1".parse().expect("url"),
            model: "m".into(),
            organization: None,
            api_key: Some("sk-secret-123".into()),
        };
        assert!(!format!("{provider:?}").contains("sk-secret-123"));
        assert_eq!(
            provider.endpoint(),
            "https://api.example/v1/chat/completions"
        );
    }
}

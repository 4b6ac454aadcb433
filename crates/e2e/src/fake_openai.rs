//! A stand-in for an OpenAI-compatible Chat Completions API (`POST /v1/chat/completions`), as
//! OpenAI documents it: a bearer API key (`401` with an `invalid_api_key` error body
//! otherwise), answers streamed as `chat.completion.chunk` server-sent events ending with
//! `data: [DONE]` (or one `chat.completion` object without `stream`), `429` with a
//! `rate_limit_exceeded` body when told to be busy. It records every request it is sent. The
//! server's tests and the browser suite share it.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// A request the provider was sent.
#[derive(Clone, Debug)]
pub struct Asked {
    pub authorization: Option<String>,
    pub organization: Option<String>,
    pub body: Value,
}

impl Asked {
    /// The text of the messages with `role`, joined.
    pub fn said_by(&self, role: &str) -> String {
        self.body["messages"]
            .as_array()
            .map(|messages| {
                messages
                    .iter()
                    .filter(|m| m["role"] == role)
                    .filter_map(|m| m["content"].as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }
}

/// How the provider behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mood {
    Answering,
    /// `429 Too Many Requests`.
    Busy,
    /// Takes the request and never answers.
    Silent,
}

struct Inner {
    key: String,
    mood: Mood,
    /// The pause before each streamed part (so a browser can watch text arrive).
    pace: std::time::Duration,
    /// Answers to give, in order, each as the parts it is streamed in; then `default`.
    answers: VecDeque<Vec<String>>,
    asked: Vec<Asked>,
}

#[derive(Clone)]
pub struct FakeOpenAi {
    inner: Arc<Mutex<Inner>>,
    /// `http://127.0.0.1:port/v1`, what a workspace sets as its base URL.
    pub base_url: String,
}

impl FakeOpenAi {
    pub async fn start(key: &str) -> FakeOpenAi {
        let inner = Arc::new(Mutex::new(Inner {
            key: key.to_owned(),
            mood: Mood::Answering,
            pace: std::time::Duration::ZERO,
            answers: VecDeque::new(),
            asked: Vec::new(),
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let base_url = format!("http://{}/v1", listener.local_addr().expect("an address"));
        let app = axum::Router::new()
            .route("/v1/chat/completions", axum::routing::post(completions))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeOpenAi { inner, base_url }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next answer, streamed in these parts.
    pub fn answer(&self, parts: &[&str]) {
        self.lock()
            .answers
            .push_back(parts.iter().map(|p| (*p).to_owned()).collect());
    }

    /// Waits this long before each part of an answer.
    pub fn set_pace(&self, pace: std::time::Duration) {
        self.lock().pace = pace;
    }

    pub fn set_mood(&self, mood: Mood) {
        self.lock().mood = mood;
    }

    pub fn asked(&self) -> Vec<Asked> {
        self.lock().asked.clone()
    }
}

fn error(status: StatusCode, message: &str, kind: &str, code: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "message": message, "type": kind, "param": null, "code": code } })),
    )
        .into_response()
}

fn chunk(model: &str, delta: Value, finish: Option<&str>) -> String {
    let chunk = json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1_764_000_000,
        "model": model,
        "choices": [{ "index": 0, "delta": delta, "logprobs": null, "finish_reason": finish }],
    });
    format!("data: {chunk}\n\n")
}

async fn completions(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (mood, parts, key, pace) = {
        let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.asked.push(Asked {
            authorization: header("authorization"),
            organization: header("openai-organization"),
            body: body.clone(),
        });
        let parts = inner
            .answers
            .pop_front()
            .unwrap_or_else(|| vec!["A summary.".to_owned()]);
        (inner.mood, parts, inner.key.clone(), inner.pace)
    };
    if header("authorization").as_deref() != Some(format!("Bearer {key}").as_str()) {
        return error(
            StatusCode::UNAUTHORIZED,
            "Incorrect API key provided.",
            "invalid_request_error",
            "invalid_api_key",
        );
    }
    match mood {
        Mood::Busy => {
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                "Rate limit reached for requests.",
                "requests",
                "rate_limit_exceeded",
            );
        }
        Mood::Silent => {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
        Mood::Answering => {}
    }
    let model = body["model"].as_str().unwrap_or_default().to_owned();
    if body["stream"] != true {
        return Json(json!({
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_764_000_000,
            "model": model,
            "choices": [{ "index": 0, "message": { "role": "assistant", "content": parts.concat() }, "finish_reason": "stop" }],
            "usage": { "prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2 },
        }))
        .into_response();
    }
    let mut events = vec![chunk(
        &model,
        json!({ "role": "assistant", "content": "" }),
        None,
    )];
    events.extend(
        parts
            .iter()
            .map(|p| chunk(&model, json!({ "content": p }), None)),
    );
    events.push(chunk(&model, json!({}), Some("stop")));
    events.push("data: [DONE]\n\n".to_owned());
    let stream = futures_util::stream::unfold(events.into_iter(), move |mut events| async move {
        let event = events.next()?;
        tokio::time::sleep(pace).await;
        Some((Ok::<_, std::convert::Infallible>(event), events))
    });
    (
        [("content-type", "text/event-stream")],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}

//! The AI calls of the agent app (T7, K9, K10): the workspace's provider, summaries and draft
//! replies read as they stream in (`text/event-stream` of `AiChunk`s), which the agent can
//! stop, and ratings of the drafts.

use super::ClientError;
use std::cell::RefCell;
use std::rc::Rc;
use switchboard_protocol::ai::*;
use switchboard_protocol::{ConversationId, ErrorBody, WorkspaceId};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function ai_stream(url, body, on_chunk, on_end) {
  const controller = new AbortController();
  (async () => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: controller.signal,
      });
      if (!response.ok) {
        on_end(response.status, await response.text());
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 1);
          if (line.startsWith('data:')) on_chunk(line.slice(5).trim());
        }
      }
      on_end(200, '');
    } catch (error) {
      on_end(controller.signal.aborted ? -1 : 0, String(error));
    }
  })();
  return controller;
}
export function ai_abort(controller) {
  controller.abort();
}
"#)]
extern "C" {
    fn ai_stream(
        url: &str,
        body: &str,
        on_chunk: &Closure<dyn FnMut(String)>,
        on_end: &Closure<dyn FnMut(i32, String)>,
    ) -> JsValue;
    fn ai_abort(controller: &JsValue);
}

const API: &str = "/api/v1";

pub async fn ai_status(workspace: WorkspaceId) -> Result<AiStatus, ClientError> {
    super::get(&format!("{API}/workspaces/{workspace}/ai")).await
}

pub async fn configure_ai(
    workspace: WorkspaceId,
    request: &AiSettingsRequest,
) -> Result<AiSettings, ClientError> {
    super::put_json(&format!("{API}/workspaces/{workspace}/ai"), request).await
}

pub async fn remove_ai(workspace: WorkspaceId) -> Result<(), ClientError> {
    super::delete(&format!("{API}/workspaces/{workspace}/ai")).await
}

/// A thumbs up or down on an AI Assist draft (K9).
pub async fn rate_ai_draft(
    workspace: WorkspaceId,
    good: bool,
    draft: &str,
) -> Result<AiRatingAnswer, ClientError> {
    super::post_json(
        &format!("{API}/workspaces/{workspace}/ai/ratings"),
        &AiRatingRequest {
            good,
            draft: draft.to_owned(),
        },
    )
    .await
}

/// What was wrong with a draft the member gave a thumbs-down.
pub async fn ai_feedback(
    workspace: WorkspaceId,
    rating: i64,
    text: &str,
) -> Result<(), ClientError> {
    super::post_no_content(
        &format!("{API}/workspaces/{workspace}/ai/ratings/{rating}/feedback"),
        &AiFeedbackRequest {
            text: text.to_owned(),
        },
    )
    .await
}

/// The workspace's own prompts (T8).
pub async fn ai_prompts(workspace: WorkspaceId) -> Result<Vec<AiPrompt>, ClientError> {
    super::get(&format!("{API}/workspaces/{workspace}/ai/prompts")).await
}

pub async fn create_ai_prompt(
    workspace: WorkspaceId,
    request: &AiPromptRequest,
) -> Result<AiPrompt, ClientError> {
    super::post_json(&format!("{API}/workspaces/{workspace}/ai/prompts"), request).await
}

pub async fn update_ai_prompt(
    workspace: WorkspaceId,
    id: i64,
    request: &AiPromptRequest,
) -> Result<AiPrompt, ClientError> {
    super::put_json(
        &format!("{API}/workspaces/{workspace}/ai/prompts/{id}"),
        request,
    )
    .await
}

pub async fn delete_ai_prompt(workspace: WorkspaceId, id: i64) -> Result<(), ClientError> {
    super::delete(&format!("{API}/workspaces/{workspace}/ai/prompts/{id}")).await
}

/// The workspace's AI Agent (A5).
pub async fn ai_agent(workspace: WorkspaceId) -> Result<AiAgentSettings, ClientError> {
    super::get(&format!("{API}/workspaces/{workspace}/ai/agent")).await
}

pub async fn configure_ai_agent(
    workspace: WorkspaceId,
    settings: &AiAgentSettings,
) -> Result<AiAgentSettings, ClientError> {
    super::put_json(&format!("{API}/workspaces/{workspace}/ai/agent"), settings).await
}

/// Takes the conversation over from the AI Agent: it stops at once and it is the caller's.
pub async fn take_over(
    workspace: WorkspaceId,
    conversation: ConversationId,
) -> Result<switchboard_protocol::ConversationSummary, ClientError> {
    super::post_json(
        &format!("{API}/workspaces/{workspace}/conversations/{conversation}/ai/takeover"),
        &serde_json::json!({}),
    )
    .await
}

/// A message in the agent's language (C10): the kept translation, or a new one.
pub async fn translate_message(
    workspace: WorkspaceId,
    message: switchboard_protocol::MessageId,
) -> Result<Translation, ClientError> {
    super::post_json(
        &format!("{API}/workspaces/{workspace}/messages/{message}/translation"),
        &TranslationRequest {
            language: crate::i18n::lang().code().to_owned(),
        },
    )
    .await
}

/// How a stream ended without `done`/`failed` from the server.
#[derive(Clone, Debug, PartialEq)]
pub enum StreamEnd {
    /// Every chunk was handed on.
    Finished,
    /// The agent stopped it.
    Stopped,
    Refused(ClientError),
}

/// A summary being written; dropping it does not stop it, [`Streaming::stop`] does.
pub struct Streaming {
    controller: JsValue,
}

impl Streaming {
    pub fn stop(&self) {
        ai_abort(&self.controller);
    }
}

/// The stream's two callbacks, kept alive while it runs.
type Callbacks = (Closure<dyn FnMut(String)>, Closure<dyn FnMut(i32, String)>);

/// What the AI writes into a composer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AiTask {
    /// A summary of the conversation for a comment (K10), in the agent's language.
    Summary,
    /// A draft reply to the contact (K9), answering one message when `quote` names it.
    Assist {
        quote: Option<switchboard_protocol::MessageId>,
    },
    /// The agent's draft rewritten by a prompt (K8, T8) or translated (C10).
    Rewrite { text: String, prompt: PromptChoice },
}

/// Asks for `task` on the conversation; each chunk goes to `on_chunk`, and `on_end` is called
/// once at the end.
pub fn write(
    workspace: WorkspaceId,
    conversation: ConversationId,
    task: AiTask,
    on_chunk: impl FnMut(AiChunk) + 'static,
    on_end: impl FnOnce(StreamEnd) + 'static,
) -> Streaming {
    let base = format!("{API}/workspaces/{workspace}/conversations/{conversation}/ai");
    let (url, body) = match task {
        AiTask::Summary => (
            format!("{base}/summary"),
            serde_json::json!({ "language": crate::i18n::lang().code() }),
        ),
        AiTask::Assist { quote } => (
            format!("{base}/draft"),
            serde_json::json!({ "quote": quote }),
        ),
        AiTask::Rewrite { text, prompt } => (
            format!("{base}/rewrite"),
            serde_json::json!(RewriteRequest { text, prompt }),
        ),
    };
    let body = body.to_string();
    // The closures live until the stream ends; then they drop themselves.
    let keep: Rc<RefCell<Option<Callbacks>>> = Rc::new(RefCell::new(None));
    let mut on_chunk = on_chunk;
    let chunk = Closure::<dyn FnMut(String)>::new(move |json: String| {
        match serde_json::from_str::<AiChunk>(&json) {
            Ok(chunk) => on_chunk(chunk),
            Err(e) => on_chunk(AiChunk::Failed {
                message: ClientError::Unexpected(e.to_string()).to_string(),
            }),
        }
    });
    let mut on_end = Some(on_end);
    let keep_end = keep.clone();
    let end = Closure::<dyn FnMut(i32, String)>::new(move |status: i32, body: String| {
        let how = match status {
            200 => StreamEnd::Finished,
            -1 => StreamEnd::Stopped,
            0 => StreamEnd::Refused(ClientError::Network(body)),
            _ => StreamEnd::Refused(match serde_json::from_str::<ErrorBody>(&body) {
                Ok(error) => ClientError::Server(error),
                Err(_) => ClientError::Unexpected(format!("HTTP {status}")),
            }),
        };
        if let Some(on_end) = on_end.take() {
            on_end(how);
        }
        // Let go of both closures once this call has returned.
        let keep_end = keep_end.clone();
        wasm_bindgen_futures::spawn_local(async move {
            keep_end.borrow_mut().take();
        });
    });
    let controller = ai_stream(&url, &body, &chunk, &end);
    *keep.borrow_mut() = Some((chunk, end));
    Streaming { controller }
}

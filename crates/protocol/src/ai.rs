//! The workspace's AI provider (T7) and what is asked of it (K10): one OpenAI-compatible
//! Chat Completions endpoint (hosted providers, Ollama, llama.cpp server, vLLM).

use serde::{Deserialize, Serialize};

/// The longest model name or organisation, in characters.
pub const MAX_AI_FIELD_CHARS: usize = 200;

/// The provider as members see it; its API key is never sent back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AiSettings {
    /// Where the Chat Completions API lives ("https://api.openai.com/v1"); requests go to
    /// `<base_url>/chat/completions`.
    pub base_url: String,
    pub model: String,
    /// Sent as `OpenAI-Organization` when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Whether an API key is kept.
    pub key_set: bool,
}

/// `GET /workspaces/{ws}/ai`: the provider, if one is configured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AiStatus {
    pub provider: Option<AiSettings>,
}

/// Body of `PUT /workspaces/{ws}/ai` (owners and managers). Its `Debug` hides the key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AiSettingsRequest {
    pub base_url: String,
    pub model: String,
    #[serde(default)]
    pub organization: Option<String>,
    /// A new API key; absent keeps the one kept (self-hosted servers may need none).
    #[serde(default)]
    pub api_key: Option<String>,
}

/// One event of a streamed answer (`text/event-stream`, each `data:` line one of these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AiChunk {
    /// More text, to append.
    Text { text: String },
    /// The answer is complete.
    Done,
    /// The answer stopped: why, in words for the agent.
    Failed { message: String },
}

/// Body of `POST …/conversations/{id}/ai/draft` (K9).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DraftRequest {
    /// The message to answer ("Reply with AI Assist" on a message); else the conversation.
    #[serde(default)]
    pub quote: Option<crate::MessageId>,
}

/// Body of `POST /workspaces/{ws}/ai/ratings`: an agent's thumbs up or down on a draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AiRatingRequest {
    pub good: bool,
    /// The draft as the AI wrote it.
    pub draft: String,
}

/// The answer to a rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AiRatingAnswer {
    pub id: i64,
    /// Every third thumbs-down of a member asks them what was wrong.
    pub ask_feedback: bool,
}

/// Body of `POST /workspaces/{ws}/ai/ratings/{id}/feedback`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AiFeedbackRequest {
    pub text: String,
}

/// The longest feedback on a draft, in characters.
pub const MAX_AI_FEEDBACK_CHARS: usize = 2_000;

/// The longest custom prompt's instructions, in characters.
pub const MAX_PROMPT_INSTRUCTIONS_CHARS: usize = 2_000;
/// The longest custom prompt's name, in characters.
pub const MAX_PROMPT_NAME_CHARS: usize = 60;

/// A workspace's own prompt (T8): what the AI is told to do with a draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AiPrompt {
    pub id: i64,
    pub name: String,
    pub instructions: String,
}

/// Body of `POST`/`PUT /workspaces/{ws}/ai/prompts` (owners and managers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AiPromptRequest {
    pub name: String,
    pub instructions: String,
}

/// The prompts every workspace has (K8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StandardPrompt {
    Rephrase,
    FixSpelling,
    Friendlier,
    MoreFormal,
    Simplify,
    Shorter,
    Longer,
}

impl StandardPrompt {
    pub const ALL: [StandardPrompt; 7] = [
        StandardPrompt::Rephrase,
        StandardPrompt::FixSpelling,
        StandardPrompt::Friendlier,
        StandardPrompt::MoreFormal,
        StandardPrompt::Simplify,
        StandardPrompt::Shorter,
        StandardPrompt::Longer,
    ];
}

/// What to do with a draft (K8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PromptChoice {
    Standard {
        prompt: StandardPrompt,
    },
    /// Into one of [`LANGUAGES`], by code.
    Translate {
        language: String,
    },
    /// Into the language the contact writes in (C10).
    ContactLanguage,
    /// One of the workspace's own prompts (T8).
    Custom {
        id: i64,
    },
}

/// Body of `POST …/conversations/{id}/ai/rewrite`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RewriteRequest {
    /// The agent's draft (a message, a comment or a closing note).
    pub text: String,
    pub prompt: PromptChoice,
}

/// Body of `POST …/messages/{id}/translation` (C10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TranslationRequest {
    /// One of [`LANGUAGES`], by code: the agent's language.
    pub language: String,
}

/// A message's translation, kept for the message and language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Translation {
    pub language: String,
    pub text: String,
}

/// The user id the AI Agent's typing indicator carries (no member has it); apps name it
/// in their own language.
pub const AI_AGENT_TYPIST: crate::UserId = crate::UserId(0);

/// The longest instructions of the AI Agent, in characters.
pub const MAX_AGENT_INSTRUCTIONS_CHARS: usize = 4_000;

/// The workspace's AI Agent (A5): whether it answers the conversations assigned to it, and
/// what it is told (what the business does, what it may promise, when to hand over).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AiAgentSettings {
    pub enabled: bool,
    pub instructions: String,
}

/// The languages drafts and messages are translated into: code and English name (what the
/// provider is told).
pub const LANGUAGES: [(&str, &str); 12] = [
    ("en", "English"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("tr", "Turkish"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("ja", "Japanese"),
];

/// The English name of a language of [`LANGUAGES`].
pub fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

impl std::fmt::Debug for AiSettingsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AiSettingsRequest")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("organization", &self.organization)
            .field("api_key", &self.api_key.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_requests_key_is_never_printed() {
        let request = AiSettingsRequest {
            base_url: "https://api.example/v1".into(),
            model: "m".into(),
            organization: None,
            api_key: Some("sk-live-secret".into()),
        };
        assert!(!format!("{request:?}").contains("sk-live-secret"));
    }
}

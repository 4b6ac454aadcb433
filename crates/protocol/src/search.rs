//! Full-text search across a workspace (S1) and inside one conversation (C6).

use crate::ids::*;
use crate::model::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Query of `GET /api/v1/workspaces/{ws}/search` and `…/conversations/{id}/search`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema, utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct SearchQuery {
    pub q: String,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// Answer of a search: contacts (first page only) and messages, newest first; pass
/// `next_cursor` back as `cursor` for older messages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub contacts: Vec<SearchHit>,
    pub messages: Vec<SearchHit>,
    pub next_cursor: Option<String>,
}

/// A search's words: lower-cased runs of letters and digits, at most eight. Full-text search
/// finds messages with words starting with every one of them.
pub fn terms(query: &str) -> Vec<String> {
    query
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(8)
        .map(str::to_owned)
        .collect()
}

/// Text with the parts that matched, for highlighting without HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Highlighted {
    pub text: String,
    /// Byte ranges `[start, end)` of `text` that matched, in order, not overlapping.
    pub matches: Vec<(usize, usize)>,
}

impl Highlighted {
    /// Splits the text into (piece, matched) parts.
    pub fn parts(&self) -> Vec<(&str, bool)> {
        let mut parts = Vec::new();
        let mut at = 0;
        for &(start, end) in &self.matches {
            let (Some(before), Some(hit)) = (self.text.get(at..start), self.text.get(start..end))
            else {
                continue;
            };
            if !before.is_empty() {
                parts.push((before, false));
            }
            parts.push((hit, true));
            at = end;
        }
        if let Some(rest) = self.text.get(at..).filter(|r| !r.is_empty()) {
            parts.push((rest, false));
        }
        parts
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SearchHit {
    /// A contact whose name, e-mail or phone matched.
    Contact {
        contact: ContactSummary,
        conversation_id: ConversationId,
        matched: Highlighted,
    },
    /// A message or comment whose text matched; it opens at the message (C5).
    Message {
        message_id: MessageId,
        conversation_id: ConversationId,
        kind: MessageKind,
        contact: ContactSummary,
        sender_name: String,
        #[serde(deserialize_with = "crate::time::rfc3339")]
        created_at: DateTime<Utc>,
        snippet: Highlighted,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighted_text_splits_at_matches() {
        let h = Highlighted {
            text: "Привет, world".into(),
            matches: vec![(0, 12), (14, 19)],
        };
        assert_eq!(
            h.parts(),
            vec![("Привет", true), (", ", false), ("world", true)]
        );
        let bad = Highlighted {
            text: "abc".into(),
            matches: vec![(1, 99)],
        };
        assert_eq!(
            bad.parts(),
            vec![("abc", false)],
            "out-of-range matches are ignored"
        );
    }
}

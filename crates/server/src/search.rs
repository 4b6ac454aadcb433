//! Full-text search (S1) across the workspace's contacts, messages and comments, and inside
//! one conversation (C6). Results are permission- and masking-aware (the store filters, the
//! member's view masks) and carry match ranges for highlighting, never HTML.

use crate::access::Member;
use crate::conversations::{cursor, page_limit};
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use switchboard_protocol::inbox::MAX_SEARCH_CHARS;
use switchboard_protocol::search::*;
use switchboard_protocol::validation;
use switchboard_protocol::*;
use switchboard_storage::{IdCursor, MessageHit, PageRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// How many contacts the first page of a workspace search shows.
const CONTACT_HITS: u32 = 10;
/// The longest snippet of a message, in characters.
const SNIPPET_CHARS: usize = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(search_conversation))
}

fn check(query: &SearchQuery) -> Result<(), ApiError> {
    let chars = query.q.trim().chars().count();
    if chars == 0 || chars > MAX_SEARCH_CHARS || validation::has_control(&query.q, false) {
        return Err(ApiError::validation(
            "q",
            format!("Search for 1 to {MAX_SEARCH_CHARS} characters."),
        ));
    }
    Ok(())
}

/// Lower-cased characters with the byte offset each starts at in `text`.
fn folded(text: &str) -> Vec<(usize, char)> {
    text.char_indices()
        .map(|(i, c)| (i, c.to_lowercase().next().unwrap_or(c)))
        .collect()
}

/// Ranges where `needle` occurs in `text`, case-insensitively; with `word_starts`, only at
/// the start of words (how full-text search matches).
fn matches(text: &str, needles: &[String], word_starts: bool) -> Vec<(usize, usize)> {
    let chars = folded(text);
    let mut ranges = Vec::new();
    for needle in needles {
        let needle: Vec<char> = needle.chars().collect();
        if needle.is_empty() || needle.len() > chars.len() {
            continue;
        }
        for start in 0..=chars.len() - needle.len() {
            if word_starts && start > 0 && chars[start - 1].1.is_alphanumeric() {
                continue;
            }
            if chars[start..start + needle.len()]
                .iter()
                .map(|(_, c)| *c)
                .eq(needle.iter().copied())
            {
                let end = chars
                    .get(start + needle.len())
                    .map_or(text.len(), |(i, _)| *i);
                ranges.push((chars[start].0, end));
            }
        }
    }
    ranges.sort_unstable();
    // Merge overlaps so ranges never cross.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The text around the first match, at most [`SNIPPET_CHARS`] characters, with its ranges.
pub fn snippet(text: &str, needles: &[String], word_starts: bool) -> Highlighted {
    let ranges = matches(text, needles, word_starts);
    if text.chars().count() <= SNIPPET_CHARS {
        return Highlighted {
            text: text.to_owned(),
            matches: ranges,
        };
    }
    let first = ranges.first().map_or(0, |r| r.0);
    let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let first_char = offsets.iter().position(|&i| i >= first).unwrap_or(0);
    let start_char = first_char.saturating_sub(60);
    let end_char = (start_char + SNIPPET_CHARS).min(offsets.len());
    let start = offsets[start_char];
    let end = offsets.get(end_char).copied().unwrap_or(text.len());
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < text.len() { "…" } else { "" };
    let shift = lead.len();
    Highlighted {
        text: format!("{lead}{}{tail}", &text[start..end]),
        matches: ranges
            .into_iter()
            .filter(|&(s, e)| s >= start && e <= end)
            .map(|(s, e)| (s - start + shift, e - start + shift))
            .collect(),
    }
}

fn message_hit(member: &Member, hit: MessageHit, terms: &[String]) -> SearchHit {
    let text = match &hit.message.content {
        Content::Text { text } => text.clone(),
        other => other.preview_text(),
    };
    SearchHit::Message {
        message_id: hit.message.id,
        conversation_id: hit.message.conversation_id,
        kind: hit.message.kind,
        contact: hit.contact.masked_for(member.permissions()),
        sender_name: hit.message.sender.name,
        created_at: hit.message.created_at,
        snippet: snippet(&text, terms, true),
    }
}

fn contact_hit(member: &Member, row: ConversationSummary, query: &str) -> SearchHit {
    let contact = row.contact.masked_for(member.permissions());
    let needle = vec![query.trim().to_lowercase()];
    let mut shown = contact.display_name();
    if let Some(email) = &contact.email {
        shown.push_str(" · ");
        shown.push_str(email);
    }
    if let Some(phone) = &contact.phone {
        shown.push_str(" · ");
        shown.push_str(phone);
    }
    SearchHit::Contact {
        matched: Highlighted {
            matches: matches(&shown, &needle, false),
            text: shown,
        },
        contact,
        conversation_id: row.id,
    }
}

/// Searches the workspace (S1): contacts by name, e-mail or phone (first page only) and
/// messages and comments by words, newest first, with match ranges for highlighting.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/search",
    operation_id = "search_workspace",
    tag = "search",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace."), SearchQuery),
    responses(
        (status = 200, description = "The hits the caller may see, masked for them.", body = SearchResults),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 422, description = "An empty or too long search, or an invalid cursor or limit.", body = ErrorBody),
    ),
)]
async fn search(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    check(&query)?;
    let page = PageRequest {
        after: cursor(query.cursor.as_deref(), IdCursor::decode)?,
        limit: page_limit(query.limit)?,
    };
    let contacts = if page.after.is_none() {
        state
            .store
            .search_contacts(member.workspace, &member.viewer, &query.q, CONTACT_HITS)
            .await?
            .into_iter()
            .map(|row| contact_hit(&member, row, &query.q))
            .collect()
    } else {
        Vec::new()
    };
    let found = state
        .store
        .search_messages(member.workspace, &member.viewer, &query.q, None, page)
        .await?;
    let terms = terms(&query.q);
    Ok(Json(SearchResults {
        contacts,
        messages: found
            .items
            .into_iter()
            .map(|h| message_hit(&member, h, &terms))
            .collect(),
        next_cursor: found.next_cursor,
    }))
}

/// Searches one conversation's messages and comments (C6), newest first.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/conversations/{id}/search",
    operation_id = "search_conversation",
    tag = "search",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
        SearchQuery,
    ),
    responses(
        (status = 200, description = "The matching messages (`contacts` is empty).", body = SearchResults),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or not visible to the caller.", body = ErrorBody),
        (status = 422, description = "An empty or too long search, or an invalid cursor or limit.", body = ErrorBody),
    ),
)]
async fn search_conversation(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Query(query): Query<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    check(&query)?;
    member.conversation(&state, id).await?;
    let page = PageRequest {
        after: cursor(query.cursor.as_deref(), IdCursor::decode)?,
        limit: page_limit(query.limit)?,
    };
    let found = state
        .store
        .search_messages(member.workspace, &member.viewer, &query.q, Some(id), page)
        .await?;
    let terms = terms(&query.q);
    Ok(Json(SearchResults {
        contacts: Vec::new(),
        messages: found
            .items
            .into_iter()
            .map(|h| message_hit(&member, h, &terms))
            .collect(),
        next_cursor: found.next_cursor,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(h: &Highlighted) -> Vec<(String, bool)> {
        h.parts()
            .into_iter()
            .map(|(t, m)| (t.to_owned(), m))
            .collect()
    }

    #[test]
    fn word_starts_are_highlighted_whatever_the_case() {
        let h = snippet(
            "Where is MY order? Orders ship daily.",
            &["ord".into(), "my".into()],
            true,
        );
        assert_eq!(
            parts(&h),
            vec![
                ("Where is ".into(), false),
                ("MY".into(), true),
                (" ".into(), false),
                ("ord".into(), true),
                ("er? ".into(), false),
                ("Ord".into(), true),
                ("ers ship daily.".into(), false),
            ]
        );
        let cyrillic = snippet("Доставка в Казань бесплатная?", &["казань".into()], true);
        assert_eq!(cyrillic.matches, vec![(20, 32)]);
        assert_eq!(&cyrillic.text[20..32], "Казань");
    }

    #[test]
    fn substrings_match_inside_words_for_contacts() {
        let needle = vec!["mitr".to_owned()];
        assert_eq!(
            matches("Дмитрий Dmitri", &["митр".to_owned()], false),
            vec![(2, 10)]
        );
        assert_eq!(matches("Dmitri", &needle, false), vec![(1, 5)]);
        assert!(matches("Dmitri", &needle, true).is_empty());
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!("{} needle {}", "a".repeat(500), "b".repeat(500));
        let h = snippet(&text, &["needle".into()], true);
        assert!(h.text.starts_with('…') && h.text.ends_with('…'));
        assert!(h.text.chars().count() <= SNIPPET_CHARS + 2);
        let (s, e) = h.matches[0];
        assert_eq!(&h.text[s..e], "needle");
    }
}

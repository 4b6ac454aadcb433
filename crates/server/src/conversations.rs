//! The inbox: conversation list, one conversation, its thread, sending, marking read, and
//! the conversation actions (assign A3, close A1, snooze and unsnooze A2, reopen).

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use switchboard_protocol::api::*;
use switchboard_protocol::events::Event;
use switchboard_protocol::settings::ClosingNotes;
use switchboard_protocol::*;
use switchboard_storage::{IdCursor, NewMessage, PageRequest, Transition};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/workspaces/{ws}/conversations/{id}", get(one))
        .route(
            "/workspaces/{ws}/conversations/{id}/messages",
            get(messages).post(send),
        )
        .route("/workspaces/{ws}/conversations/{id}/read", post(read))
        .route("/workspaces/{ws}/conversations/{id}/assign", post(assign))
        .route("/workspaces/{ws}/conversations/{id}/close", post(close))
        .route("/workspaces/{ws}/conversations/{id}/snooze", post(snooze))
        .route(
            "/workspaces/{ws}/conversations/{id}/unsnooze",
            post(unsnooze),
        )
        .route("/workspaces/{ws}/conversations/{id}/reopen", post(reopen))
}

/// Validates a page size: absent → the default, 0 or above the maximum → refused.
pub fn page_limit(limit: Option<u32>) -> Result<u32, ApiError> {
    match limit {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::validation(
            "limit",
            format!("limit must be between 1 and {MAX_PAGE_SIZE}."),
        )),
    }
}

pub fn cursor<C>(
    raw: Option<&str>,
    decode: impl Fn(&str) -> Option<C>,
) -> Result<Option<C>, ApiError> {
    raw.map(|s| decode(s).ok_or_else(|| ApiError::validation("cursor", "The cursor is not valid.")))
        .transpose()
}

async fn one(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
) -> Result<Json<ConversationDetail>, ApiError> {
    let conversation = member.conversation(&state, id).await?;
    let workspace = state
        .store
        .membership(member.workspace, member.user.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(ConversationDetail {
        conversation,
        workspace,
    }))
}

async fn messages(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Query(query): Query<MessageListQuery>,
) -> Result<Json<Page<Message>>, ApiError> {
    member.conversation(&state, id).await?;
    let page = PageRequest {
        after: cursor(query.cursor.as_deref(), IdCursor::decode)?,
        limit: page_limit(query.limit)?,
    };
    Ok(Json(
        state.store.messages(member.workspace, id, page).await?,
    ))
}

/// Checks a send's `client_id` and text; shared by agents' and visitors' sends.
pub fn validate_send(client_id: &str, text: &str) -> Result<String, ApiError> {
    if !validation::client_id(client_id) {
        return Err(ApiError::validation(
            "client_id",
            "client_id must be 1–64 letters, digits, '-' or '_'.",
        ));
    }
    validation::message_text(text)
        .map(str::to_owned)
        .map_err(|e| ApiError::validation("text", e.to_string()))
}

async fn send(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Json(request): Json<SendMessageRequest>,
) -> Result<Response, ApiError> {
    member.conversation(&state, id).await?;
    let text = validate_send(&request.client_id, &request.text)?;
    if request.mentions.len() > 50 {
        return Err(ApiError::validation("mentions", "At most 50 mentions."));
    }
    let appended = state
        .store
        .append_message(NewMessage {
            workspace: member.workspace,
            conversation: id,
            client_id: Some(request.client_id),
            kind: request.kind,
            direction: Direction::Outgoing,
            sender_kind: SenderKind::Agent,
            sender_user: Some(member.user.id),
            content: Content::Text { text },
            // Website chat delivers over the visitor's socket as soon as it is stored.
            delivery_status: (request.kind == MessageKind::Message).then_some(DeliveryStatus::Sent),
            created_at: Utc::now(),
            reply_to: request.reply_to,
            mentions: request.mentions,
        })
        .await?;
    Ok(send_answer(&state, appended.event, appended.message))
}

/// The answer to a send: 201 when it was stored now, 200 when it repeated a stored one;
/// the event (if any) goes out to sockets first.
pub fn send_answer<T: serde::Serialize>(
    state: &AppState,
    event: Option<Event>,
    body: T,
) -> Response {
    let status = if event.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    state.publish(event);
    (status, Json(body)).into_response()
}

async fn read(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
) -> Result<StatusCode, ApiError> {
    member.conversation(&state, id).await?;
    let event = state.store.mark_read(member.workspace, id).await?;
    state.publish(event);
    Ok(StatusCode::NO_CONTENT)
}

/// Publishes an action's event and answers with the conversation as the caller sees it.
async fn answer_row(
    state: &AppState,
    member: &Member,
    id: ConversationId,
    event: Option<Event>,
) -> Result<Json<ConversationSummary>, ApiError> {
    state.publish(event);
    Ok(Json(member.conversation(state, id).await?))
}

async fn assign(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Json(request): Json<AssignRequest>,
) -> Result<Json<ConversationSummary>, ApiError> {
    member.conversation(&state, id).await?;
    let event = state
        .store
        .assign(member.workspace, id, request.assignee)
        .await?;
    answer_row(&state, &member, id, event).await
}

async fn move_to(
    state: &AppState,
    member: &Member,
    id: ConversationId,
    transition: Transition,
) -> Result<Json<ConversationSummary>, ApiError> {
    member.conversation(state, id).await?;
    let snoozing = matches!(transition, Transition::Snooze { .. });
    let event = state
        .store
        .transition(member.workspace, id, transition, Utc::now())
        .await?;
    if snoozing {
        state.snoozes.notify_one();
    }
    answer_row(state, member, id, Some(event)).await
}

/// Checks a closing note against the workspace's closing-notes setting (T5).
pub fn closing_note(
    setting: ClosingNotes,
    note: Option<String>,
) -> Result<Option<String>, ApiError> {
    let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if let Some(note) = &note
        && note.chars().count() > MAX_NOTE_CHARS
    {
        return Err(ApiError::validation(
            "note",
            format!("A closing note is at most {MAX_NOTE_CHARS} characters."),
        ));
    }
    match (setting, note) {
        (ClosingNotes::Off, Some(_)) => Err(ApiError::validation(
            "note",
            "Closing notes are turned off in this workspace.",
        )),
        (ClosingNotes::Mandatory, None) => Err(ApiError::validation(
            "note",
            "This workspace asks for a closing note.",
        )),
        (_, note) => Ok(note),
    }
}

async fn close(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Json(request): Json<CloseRequest>,
) -> Result<Json<ConversationSummary>, ApiError> {
    let setting = state.store.settings(member.workspace).await?.closing_notes;
    let note = closing_note(setting, request.note)?;
    let by = Some(member.user.id);
    move_to(&state, &member, id, Transition::Close { note, by }).await
}

async fn snooze(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Json(request): Json<SnoozeRequest>,
) -> Result<Json<ConversationSummary>, ApiError> {
    move_to(
        &state,
        &member,
        id,
        Transition::Snooze {
            until: request.until,
        },
    )
    .await
}

async fn unsnooze(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
) -> Result<Json<ConversationSummary>, ApiError> {
    move_to(&state, &member, id, Transition::Unsnooze).await
}

async fn reopen(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
) -> Result<Json<ConversationSummary>, ApiError> {
    move_to(&state, &member, id, Transition::Reopen).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_notes_follow_the_setting() {
        let note = || Some("Refunded".to_owned());
        assert_eq!(
            closing_note(ClosingNotes::Optional, note()).unwrap(),
            note()
        );
        assert_eq!(closing_note(ClosingNotes::Optional, None).unwrap(), None);
        assert_eq!(
            closing_note(ClosingNotes::Optional, Some("  ".into())).unwrap(),
            None
        );
        assert!(closing_note(ClosingNotes::Mandatory, None).is_err());
        assert!(closing_note(ClosingNotes::Mandatory, Some(" ".into())).is_err());
        assert_eq!(
            closing_note(ClosingNotes::Mandatory, note()).unwrap(),
            note()
        );
        assert!(closing_note(ClosingNotes::Off, note()).is_err());
        assert_eq!(closing_note(ClosingNotes::Off, None).unwrap(), None);
        assert!(
            closing_note(ClosingNotes::Optional, Some("x".repeat(MAX_NOTE_CHARS + 1))).is_err()
        );
    }
}

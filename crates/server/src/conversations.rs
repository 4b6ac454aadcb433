//! The inbox: conversation list, one conversation, its thread, sending, marking read.

use crate::access::member;
use crate::auth::CurrentUser;
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
use switchboard_protocol::*;
use switchboard_storage::{ActivityCursor, IdCursor, NewMessage, PageRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/workspaces/{ws}/conversations", get(list))
        .route("/workspaces/{ws}/conversations/{id}", get(one))
        .route(
            "/workspaces/{ws}/conversations/{id}/messages",
            get(messages).post(send),
        )
        .route("/workspaces/{ws}/conversations/{id}/read", post(read))
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

fn cursor<C>(raw: Option<&str>, decode: impl Fn(&str) -> Option<C>) -> Result<Option<C>, ApiError> {
    raw.map(|s| decode(s).ok_or_else(|| ApiError::validation("cursor", "The cursor is not valid.")))
        .transpose()
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(ws): Path<WorkspaceId>,
    Query(query): Query<ConversationListQuery>,
) -> Result<Json<Page<ConversationSummary>>, ApiError> {
    member(&state, &user, ws).await?;
    let page = PageRequest {
        after: cursor(query.cursor.as_deref(), ActivityCursor::decode)?,
        limit: page_limit(query.limit)?,
    };
    Ok(Json(state.store.conversations(ws, page).await?))
}

async fn one(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((ws, id)): Path<(WorkspaceId, ConversationId)>,
) -> Result<Json<ConversationDetail>, ApiError> {
    let workspace = member(&state, &user, ws).await?;
    let conversation = state.store.conversation(ws, id).await?;
    Ok(Json(ConversationDetail {
        conversation,
        workspace,
    }))
}

async fn messages(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((ws, id)): Path<(WorkspaceId, ConversationId)>,
    Query(query): Query<MessageListQuery>,
) -> Result<Json<Page<Message>>, ApiError> {
    member(&state, &user, ws).await?;
    let page = PageRequest {
        after: cursor(query.cursor.as_deref(), IdCursor::decode)?,
        limit: page_limit(query.limit)?,
    };
    Ok(Json(state.store.messages(ws, id, page).await?))
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
    CurrentUser(user): CurrentUser,
    Path((ws, id)): Path<(WorkspaceId, ConversationId)>,
    Json(request): Json<SendMessageRequest>,
) -> Result<Response, ApiError> {
    member(&state, &user, ws).await?;
    let text = validate_send(&request.client_id, &request.text)?;
    let appended = state
        .store
        .append_message(NewMessage {
            workspace: ws,
            conversation: id,
            client_id: Some(request.client_id),
            kind: request.kind,
            direction: Direction::Outgoing,
            sender_kind: SenderKind::Agent,
            sender_user: Some(user.id),
            content: Content::Text { text },
            // Website chat delivers over the visitor's socket as soon as it is stored.
            delivery_status: (request.kind == MessageKind::Message).then_some(DeliveryStatus::Sent),
            created_at: Utc::now(),
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
    CurrentUser(user): CurrentUser,
    Path((ws, id)): Path<(WorkspaceId, ConversationId)>,
) -> Result<StatusCode, ApiError> {
    member(&state, &user, ws).await?;
    let event = state.store.mark_read(ws, id).await?;
    state.publish(event);
    Ok(StatusCode::NO_CONTENT)
}

//! The website-chat channel: the visitor API under `/api/v1/chat/{key}` and the visitor
//! WebSocket. Visitors are anonymous: a random token (kept in the page's localStorage) is
//! their identity; its contact and conversation are created with their first message.
//! Visitors see their own conversation's messages only: never comments, ids of agents, or
//! anything else of the workspace.

use crate::conversations::{page_limit, send_answer, validate_send};
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::realtime::Follower;
use crate::state::AppState;
use crate::tokens;
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use switchboard_protocol::api::{MessageListQuery, Page};
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::visitor::*;
use switchboard_protocol::*;
use switchboard_storage::{Channel, IdCursor, NewContact, NewMessage, PageRequest, Visitor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const GREETING: &str = "Hi! Ask us anything — we usually answer within a few minutes.";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(info))
        .routes(routes!(new_visitor))
        .routes(routes!(messages, send))
        .routes(routes!(socket))
        .routes(routes!(file))
}

async fn channel(state: &AppState, key: &str) -> Result<Channel, ApiError> {
    match state.store.channel_by_public_key(key).await? {
        Some(channel) if channel.kind == ChannelKind::WebsiteChat => Ok(channel),
        _ => Err(ApiError::NotFound),
    }
}

/// The visitor of `token`, if it belongs to the chat of `key`.
async fn visitor(state: &AppState, key: &str, token: Option<&str>) -> Result<Visitor, ApiError> {
    let token = token.ok_or(ApiError::Unauthorized)?;
    match state.store.visitor(&tokens::hash(token)).await? {
        Some(v) if v.channel.public_key.as_deref() == Some(key) => Ok(v),
        _ => Err(ApiError::Unauthorized),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A message as the visitor sees it; `None` for what a visitor must not see.
pub fn visitor_view(message: &Message) -> Option<VisitorMessage> {
    if message.kind != MessageKind::Message {
        return None;
    }
    let (author, author_name) = match message.sender.kind {
        SenderKind::Contact => (VisitorAuthor::Visitor, None),
        SenderKind::Agent => (
            VisitorAuthor::Team,
            message
                .sender
                .name
                .split_whitespace()
                .next()
                .map(str::to_owned),
        ),
        _ => (VisitorAuthor::Team, Some(message.sender.name.clone())),
    };
    let text = match &message.content {
        Content::Text { text } => text.clone(),
        other => other.preview_text(),
    };
    let files = message
        .attachments
        .iter()
        .map(|a| VisitorFile {
            id: a.id,
            name: a.name.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
        })
        .collect();
    Some(VisitorMessage {
        id: message.id,
        client_id: message.client_id.clone(),
        author,
        author_name,
        text,
        created_at: message.created_at,
        files,
    })
}

/// How the chat page introduces itself: its title and greeting. Public.
#[utoipa::path(
    get,
    path = "/chat/{key}",
    operation_id = "chat_info",
    tag = "website_chat",
    params(("key" = String, Path, description = "The website chat's public key.")),
    responses(
        (status = 200, description = "The chat's title and greeting.", body = ChatInfo),
        (status = 404, description = "No website chat has this key.", body = ErrorBody),
    ),
)]
async fn info(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<ChatInfo>, ApiError> {
    let channel = channel(&state, &key).await?;
    Ok(Json(ChatInfo {
        title: channel.name,
        greeting: GREETING.to_owned(),
    }))
}

/// A new anonymous visitor of the chat. Public.
///
/// The page keeps the token (in localStorage) and sends it as `Authorization: Bearer TOKEN`,
/// or as `?token=` on the visitor WebSocket. The contact and conversation are created with
/// the visitor's first message.
#[utoipa::path(
    post,
    path = "/chat/{key}/visitors",
    operation_id = "create_visitor",
    tag = "website_chat",
    params(("key" = String, Path, description = "The website chat's public key.")),
    responses(
        (status = 201, description = "The visitor's token.", body = VisitorSession),
        (status = 404, description = "No website chat has this key.", body = ErrorBody),
    ),
)]
async fn new_visitor(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let channel = channel(&state, &key).await?;
    let token = tokens::new_token();
    state
        .store
        .create_visitor(channel.id, &tokens::hash(&token))
        .await?;
    Ok((StatusCode::CREATED, Json(VisitorSession { token })).into_response())
}

/// A file the team sent to this visitor, with the visitor's token; anything else (a file of
/// another conversation, of an internal comment, or not sent) is 404.
#[utoipa::path(
    get,
    path = "/chat/{key}/attachments/{id}",
    operation_id = "visitor_download_attachment",
    tag = "website_chat",
    security(("visitor_token" = [])),
    params(
        ("key" = String, Path, description = "The website chat's public key."),
        ("id" = AttachmentId, Path, description = "The file."),
    ),
    responses(
        (status = 200, description = "The file's bytes, with its content type.", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "No visitor token, or a token of another chat.", body = ErrorBody),
        (status = 404, description = "No such file in this visitor's conversation.", body = ErrorBody),
    ),
)]
async fn file(
    State(state): State<AppState>,
    Path((key, id)): Path<(String, AttachmentId)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let visitor = visitor(&state, &key, bearer(&headers)).await?;
    let record = state
        .store
        .attachment(visitor.channel.workspace, id)
        .await?;
    let theirs = visitor.conversation.is_some()
        && record.conversation == visitor.conversation
        && record.kind == Some(MessageKind::Message);
    if !theirs {
        return Err(ApiError::NotFound);
    }
    crate::attachments::serve(&state, record).await
}

/// The visitor's own thread, newest first: messages only, never internal comments.
#[utoipa::path(
    get,
    path = "/chat/{key}/messages",
    operation_id = "visitor_list_messages",
    tag = "website_chat",
    security(("visitor_token" = [])),
    params(("key" = String, Path, description = "The website chat's public key."), MessageListQuery),
    responses(
        (status = 200, description = "One page of the visitor's thread (empty before their first message).", body = Page<VisitorMessage>),
        (status = 401, description = "No visitor token, or a token of another chat.", body = ErrorBody),
        (status = 422, description = "The cursor or limit is not valid.", body = ErrorBody),
    ),
)]
async fn messages(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    Query(query): Query<MessageListQuery>,
) -> Result<Json<Page<VisitorMessage>>, ApiError> {
    let visitor = visitor(&state, &key, bearer(&headers)).await?;
    let Some(conversation) = visitor.conversation else {
        return Ok(Json(Page {
            items: Vec::new(),
            next_cursor: None,
        }));
    };
    let after = match query.cursor.as_deref() {
        Some(raw) => Some(
            IdCursor::decode(raw)
                .ok_or_else(|| ApiError::validation("cursor", "The cursor is not valid."))?,
        ),
        None => None,
    };
    let page = state
        .store
        .messages(
            visitor.channel.workspace,
            conversation,
            PageRequest {
                after,
                limit: page_limit(query.limit)?,
            },
        )
        .await?;
    Ok(Json(Page {
        items: page.items.iter().filter_map(visitor_view).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// The visitor writes to the team; the first message creates their contact and
/// conversation.
///
/// Idempotent by `client_id`: the same id again answers the stored message with 200.
#[utoipa::path(
    post,
    path = "/chat/{key}/messages",
    operation_id = "visitor_send_message",
    tag = "website_chat",
    security(("visitor_token" = [])),
    params(("key" = String, Path, description = "The website chat's public key.")),
    request_body = VisitorSendRequest,
    responses(
        (status = 201, description = "Stored now (and delivered to the team's sockets).", body = VisitorMessage),
        (status = 200, description = "A repeat of a stored send with the same `client_id`.", body = VisitorMessage),
        (status = 401, description = "No visitor token, or a token of another chat.", body = ErrorBody),
        (status = 409, description = "The `client_id` was already used in another conversation.", body = ErrorBody),
        (status = 422, description = "An invalid `client_id`, an empty or too long text, or a malformed body.", body = ErrorBody),
    ),
)]
async fn send(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    Json(request): Json<VisitorSendRequest>,
) -> Result<Response, ApiError> {
    let visitor = visitor(&state, &key, bearer(&headers)).await?;
    let text = validate_send(&request.client_id, &request.text)?;
    let workspace = visitor.channel.workspace;
    let now = Utc::now();
    let conversation = match visitor.conversation {
        Some(id) => id,
        None => {
            let last_name = format!("#{}", visitor.id);
            state
                .store
                .visitor_conversation(
                    &visitor,
                    NewContact {
                        workspace,
                        channel: visitor.channel.id,
                        first_name: "Visitor",
                        last_name: &last_name,
                        email: None,
                        phone: None,
                        fields: &[],
                        created_at: now,
                    },
                )
                .await?
                .id
        }
    };
    let appended = state
        .store
        .append_message(NewMessage {
            original: None,
            workspace,
            conversation,
            client_id: Some(request.client_id),
            kind: MessageKind::Message,
            direction: Direction::Incoming,
            sender_kind: SenderKind::Contact,
            sender_user: None,
            content: Content::Text { text },
            delivery_status: None,
            created_at: now,
            reply_to: None,
            mentions: Vec::new(),
            attachments: Vec::new(),
            channel: None,
        })
        .await?;
    let view = visitor_view(&appended.message).ok_or(ApiError::NotFound)?;
    Ok(send_answer(&state, appended.event, view))
}

#[derive(Deserialize)]
struct SocketQuery {
    token: String,
}

/// The visitor WebSocket: the team's answers in the visitor's conversation, as they are sent.
///
/// Open it with a WebSocket handshake (`GET` with `Upgrade: websocket`) and the visitor token
/// as `?token=` (browsers cannot set headers on sockets). The server sends JSON text frames
/// (`VisitorFrame`), tagged by `type`:
///
/// - `{"type": "hello"}`: the socket is ready; reload the thread to catch up on anything sent
///   while disconnected;
/// - `{"type": "message", "message": VisitorMessage}`: a new message of the visitor's
///   conversation (their own included), never internal comments.
///
/// The client sends nothing but pings and close frames; the server pings every 25 seconds.
#[utoipa::path(
    get,
    path = "/chat/{key}/ws",
    operation_id = "visitor_socket",
    tag = "website_chat",
    security(("visitor_token_query" = [])),
    params(("key" = String, Path, description = "The website chat's public key.")),
    responses(
        (status = 101, description = "Switching Protocols: the WebSocket is open; frames are `VisitorFrame` JSON texts.", body = VisitorFrame),
        (status = 401, description = "The token is not a visitor of this chat (an unknown key answers the same, revealing nothing).", body = ErrorBody),
        (status = 422, description = "Not a WebSocket handshake, or no `token`.", body = ErrorBody),
    ),
)]
async fn socket(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(query): Query<SocketQuery>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let upgrade = crate::realtime::require_upgrade(upgrade)?;
    let visitor = visitor(&state, &key, Some(&query.token)).await?;
    let start = Follower::start(&state, visitor.channel.workspace, None).await?;
    let token_hash = tokens::hash(&query.token);
    Ok(upgrade.on_upgrade(move |socket| async move {
        if let Err(error) = serve_visitor(socket, state, visitor, token_hash, start.follower).await
        {
            tracing::warn!(%error, "visitor socket ended with an error");
        }
    }))
}

async fn serve_visitor(
    mut socket: WebSocket,
    state: AppState,
    mut visitor: Visitor,
    token_hash: String,
    mut follower: Follower,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let hello = serde_json::to_string(&VisitorFrame::Hello)?;
    socket.send(WsMessage::Text(hello.into())).await?;
    let mut shutdown = state.hub.shutdown_signal();
    let mut heartbeat = tokio::time::interval(crate::realtime::HEARTBEAT);
    heartbeat.tick().await;
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return Ok(()),
                Some(Ok(_)) => {}
            },
            // Keeps idle connections open through proxies.
            _ = heartbeat.tick() => socket.send(WsMessage::Ping(Default::default())).await?,
            event = follower.next() => {
                let Some(event) = event? else { return Ok(()) };
                let EventPayload::MessageCreated { message, .. } = &event.payload else { continue };
                if visitor.conversation.is_none() && message.sender.kind == SenderKind::Contact {
                    // The visitor's first message creates their conversation.
                    if let Some(fresh) = state.store.visitor(&token_hash).await? {
                        visitor = fresh;
                    }
                }
                if Some(message.conversation_id) != visitor.conversation {
                    continue;
                }
                if let Some(view) = visitor_view(message) {
                    let frame = serde_json::to_string(&VisitorFrame::Message { message: view })?;
                    socket.send(WsMessage::Text(frame.into())).await?;
                }
            },
            _ = shutdown.changed() => return Ok(()),
        }
    }
}

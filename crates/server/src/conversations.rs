//! The inbox: conversation list, one conversation, its thread, sending, marking read, and
//! the conversation actions (assign A3, close A1, snooze and unsnooze A2, reopen).

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use switchboard_protocol::api::*;
use switchboard_protocol::channels::ContactChannel;
use switchboard_protocol::events::Event;
use switchboard_protocol::settings::ClosingNotes;
use switchboard_protocol::templates::{self, TemplateSend};
use switchboard_protocol::*;
use switchboard_storage::{IdCursor, NewMessage, PageRequest, StoreError, Transition};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(one))
        .routes(routes!(messages, send))
        .routes(routes!(read))
        .routes(routes!(assign))
        .routes(routes!(close))
        .routes(routes!(snooze))
        .routes(routes!(unsnooze))
        .routes(routes!(reopen))
        .routes(routes!(retry))
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

/// One conversation with what the thread header needs (the caller's membership).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/conversations/{id}",
    operation_id = "get_conversation",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    responses(
        (status = 200, description = "The conversation, masked for the caller.", body = ConversationDetail),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, not visible to the caller, or not a member of the workspace.", body = ErrorBody),
    ),
)]
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
    let channels = state.store.contact_channels(member.workspace, id).await?;
    Ok(Json(ConversationDetail {
        conversation,
        workspace,
        channels,
    }))
}

/// The conversation's thread, messages and internal comments, newest first.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/conversations/{id}/messages",
    operation_id = "list_messages",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
        MessageListQuery,
    ),
    responses(
        (status = 200, description = "One page of the thread; `next_cursor` pages to older entries.", body = Page<Message>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or not visible to the caller.", body = ErrorBody),
        (status = 422, description = "The cursor or limit is not valid.", body = ErrorBody),
    ),
)]
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

/// Checks a send's `client_id`.
fn validate_client_id(client_id: &str) -> Result<(), ApiError> {
    if !validation::client_id(client_id) {
        return Err(ApiError::validation(
            "client_id",
            "client_id must be 1–64 letters, digits, '-' or '_'.",
        ));
    }
    Ok(())
}

/// Checks a send's `client_id` and text; shared by agents' and visitors' sends.
pub fn validate_send(client_id: &str, text: &str) -> Result<String, ApiError> {
    validate_client_id(client_id)?;
    validation::message_text(text)
        .map(str::to_owned)
        .map_err(|e| ApiError::validation("text", e.to_string()))
}

/// Sends a message to the contact, or writes an internal comment, with files uploaded by
/// the sender (K3, in `attachments`; then the text may be empty).
///
/// Idempotent by `client_id`: sending the same id again answers the stored message with 200
/// instead of storing a second one.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/conversations/{id}/messages",
    operation_id = "send_message",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    request_body = SendMessageRequest,
    responses(
        (status = 201, description = "Stored now (and published to sockets).", body = Message),
        (status = 200, description = "A repeat of a stored send with the same `client_id`.", body = Message),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or not visible to the caller.", body = ErrorBody),
        (status = 409, description = "The `client_id` was already used in another conversation.", body = ErrorBody),
        (status = 422, description = "Invalid `client_id`, empty (without files) or too long text, a `reply_to` of another conversation, mentions of non-members, more than 50 files, a file that is not the sender's unsent upload, or a `channel` the contact cannot be written to through.", body = ErrorBody),
    ),
)]
async fn send(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Json(request): Json<SendMessageRequest>,
) -> Result<Response, ApiError> {
    let conversation = member.conversation(&state, id).await?;
    validation::attachment_count(request.attachments.len())
        .map_err(|e| ApiError::validation("attachments", e.to_string()))?;
    if request.mentions.len() > 50 {
        return Err(ApiError::validation("mentions", "At most 50 mentions."));
    }
    let channel = send_channel(
        &state,
        &member,
        &conversation,
        request.kind,
        request.channel,
    )
    .await?;
    // The agent's own words of a translated message (C10): a message's, kept like its text.
    let original = match request.original.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(_) if request.kind != MessageKind::Message || request.template.is_some() => {
            return Err(ApiError::validation(
                "original",
                "Only a message written as text is sent translated.",
            ));
        }
        Some(words) => Some(
            validation::message_text(words)
                .map_err(|e| ApiError::validation("original", e.to_string()))?
                .to_owned(),
        ),
    };
    let (content, reply_to) = match request.template {
        // A template is the one message WhatsApp takes outside its window.
        Some(template) => {
            validate_client_id(&request.client_id)?;
            if !request.attachments.is_empty() {
                return Err(ApiError::validation(
                    "attachments",
                    "A template goes without files.",
                ));
            }
            let content =
                template_content(&state, &member, &channel, request.kind, template).await?;
            (content, None)
        }
        None => {
            // With files the text may be empty; otherwise its rules stay.
            let text = if !request.attachments.is_empty() && request.text.trim().is_empty() {
                validate_client_id(&request.client_id)?;
                String::new()
            } else {
                validate_send(&request.client_id, &request.text)?
            };
            reply_window_open(&channel, request.kind, Utc::now())?;
            let content = content_for(channel.kind, request.kind, text, request.subject)?;
            (content, request.reply_to)
        }
    };
    let appended = state
        .store
        .append_message(NewMessage {
            original,
            workspace: member.workspace,
            conversation: id,
            client_id: Some(request.client_id),
            kind: request.kind,
            direction: Direction::Outgoing,
            sender_kind: SenderKind::Agent,
            sender_user: Some(member.user.id),
            content,
            // Website chat delivers over the visitor's socket as soon as it is stored; other
            // channels queue it for their provider (the outbox).
            delivery_status: (request.kind == MessageKind::Message).then_some(
                if channel.kind.delivers_through_provider() {
                    DeliveryStatus::Pending
                } else {
                    DeliveryStatus::Sent
                },
            ),
            created_at: Utc::now(),
            reply_to,
            mentions: request.mentions,
            attachments: request.attachments,
            channel: request.channel,
        })
        .await
        .map_err(|error| match error {
            StoreError::Invalid {
                field: "attachments",
                ..
            } => ApiError::validation(
                "attachments",
                "One of the files is not available to send; upload it again.",
            ),
            other => other.into(),
        })?;
    if appended.message.delivery_status == Some(DeliveryStatus::Pending) {
        state.outbox.notify_one();
    }
    Ok(send_answer(&state, appended.event, appended.message))
}

/// The channel a message goes through (K2): the one the agent chose among the contact's
/// channels, or the conversation's current one; comments stay on the current one. A channel
/// the contact cannot be written to through is refused. (A current channel since
/// disconnected is kept: the store fails the message with the reason.)
async fn send_channel(
    state: &AppState,
    member: &Member,
    conversation: &ConversationSummary,
    kind: MessageKind,
    chosen: Option<ChannelId>,
) -> Result<ContactChannel, ApiError> {
    let current = ContactChannel {
        id: conversation.channel_id,
        kind: conversation.channel,
        name: String::new(),
        last_incoming_at: conversation.last_incoming_at,
    };
    // Most sends go through the current channel as the row describes it: the contact's
    // channels are read only for another channel, or for a reply window (which counts from
    // the contact's last message through that channel, not through any).
    let another = chosen.is_some_and(|c| c != conversation.channel_id);
    let windowed = conversation
        .channel
        .capabilities()
        .reply_window_hours
        .is_some();
    if kind == MessageKind::Comment || !(another || windowed) {
        return Ok(current);
    }
    let wanted = chosen.unwrap_or(conversation.channel_id);
    let channels = state
        .store
        .contact_channels(member.workspace, conversation.id)
        .await?;
    match channels.into_iter().find(|c| c.id == wanted) {
        Some(channel) => Ok(channel),
        None if !another => Ok(current),
        None => Err(ApiError::validation(
            "channel",
            "The contact cannot be written to through that channel.",
        )),
    }
}

/// A WhatsApp template message: the template must be one of the channel's approved ones
/// (read from Meta now) and the values must fit its variables.
async fn template_content(
    state: &AppState,
    member: &Member,
    channel: &ContactChannel,
    kind: MessageKind,
    template: TemplateSend,
) -> Result<Content, ApiError> {
    if kind != MessageKind::Message || channel.kind != ChannelKind::Whatsapp {
        return Err(ApiError::validation(
            "template",
            "Templates are WhatsApp messages.",
        ));
    }
    let found = crate::channels::whatsapp::templates(state, member.workspace, channel.id)
        .await?
        .into_iter()
        .find(|t| t.name == template.name && t.language == template.language)
        .ok_or_else(|| {
            ApiError::validation(
                "template",
                "No approved template of this number has that name and language.",
            )
        })?;
    let values: Vec<String> = template
        .values
        .iter()
        .map(|v| v.trim().to_owned())
        .collect();
    templates::check_values(&found.variables, &values)
        .map_err(|e| ApiError::validation("template", e.to_string()))?;
    Ok(Content::Template {
        text: templates::text(&found, &values),
        name: found.name,
        language: found.language,
        variables: found.variables,
        values,
    })
}

/// What an agent's send carries: an e-mail (with the subject given, or none for the
/// thread's "Re: …") for a message through an e-mail channel, text everywhere else. A
/// subject anywhere else, or one that is too long or holds line breaks, is refused.
pub(crate) fn content_for(
    channel: ChannelKind,
    kind: MessageKind,
    text: String,
    subject: Option<String>,
) -> Result<Content, ApiError> {
    let email = channel.capabilities().subject && kind == MessageKind::Message;
    let subject = match subject {
        None => None,
        Some(_) if !email => {
            return Err(ApiError::validation(
                "subject",
                "Only e-mail messages have a subject.",
            ));
        }
        Some(subject) => {
            let subject = subject.trim().to_owned();
            if subject.chars().count() > 250 || subject.chars().any(char::is_control) {
                return Err(ApiError::validation(
                    "subject",
                    "A subject is one line of at most 250 characters.",
                ));
            }
            Some(subject)
        }
    };
    Ok(content_of(channel, kind, text, subject))
}

/// The content of a text sent as `kind` through `channel` (subject already checked).
pub(crate) fn content_of(
    channel: ChannelKind,
    kind: MessageKind,
    text: String,
    subject: Option<String>,
) -> Content {
    if channel.capabilities().subject && kind == MessageKind::Message {
        Content::Email {
            subject: subject.unwrap_or_default(),
            text,
            html: None,
            remote_images: false,
        }
    } else {
        Content::Text { text }
    }
}

/// Channels with a reply window (WhatsApp: 24 hours after the contact's last message) take
/// free text only while it is open; comments stay inside Switchboard and are always fine.
fn reply_window_open(
    channel: &ContactChannel,
    kind: MessageKind,
    now: chrono::DateTime<Utc>,
) -> Result<(), ApiError> {
    let Some(hours) = channel.kind.capabilities().reply_window_hours else {
        return Ok(());
    };
    if kind == MessageKind::Comment {
        return Ok(());
    }
    let open = channel
        .last_incoming_at
        .is_some_and(|at| now - at < chrono::Duration::hours(i64::from(hours)));
    if open {
        Ok(())
    } else {
        Err(ApiError::validation(
            "text",
            format!(
                "{} takes free text only within {hours} hours of the contact's last message; \
                 that window is closed.",
                channel.kind.label()
            ),
        ))
    }
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

/// Marks the conversation's incoming messages read.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/conversations/{id}/read",
    operation_id = "mark_read",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    responses(
        (status = 204, description = "Marked read."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or not visible to the caller.", body = ErrorBody),
    ),
)]
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

/// Assigns the conversation to a member, a team or the AI Agent, or unassigns it (A3).
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/conversations/{id}/assign",
    operation_id = "assign_conversation",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "The conversation as it is now.", body = ConversationSummary),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or not visible to the caller.", body = ErrorBody),
        (status = 422, description = "The assignee is not a member or team of this workspace, or the body is malformed.", body = ErrorBody),
    ),
)]
async fn assign(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Json(request): Json<AssignRequest>,
) -> Result<Json<ConversationSummary>, ApiError> {
    member.conversation(&state, id).await?;
    let event = state
        .store
        .assign_by(member.workspace, id, request.assignee, Some(member.user.id))
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
        && validation::has_control(note, true)
    {
        return Err(ApiError::validation(
            "note",
            "Remove the invisible control characters from the note.",
        ));
    }
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

/// Closes the conversation (A1), with a note as the workspace's closing-notes setting asks.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/conversations/{id}/close",
    operation_id = "close_conversation",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    request_body = CloseRequest,
    responses(
        (status = 200, description = "The closed conversation.", body = ConversationSummary),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or not visible to the caller.", body = ErrorBody),
        (status = 409, description = "The conversation is already closed.", body = ErrorBody),
        (status = 422, description = "The note is missing, not allowed, or too long for the workspace's setting.", body = ErrorBody),
    ),
)]
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

/// Snoozes the conversation until a time in the future (A2); it reopens then.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/conversations/{id}/snooze",
    operation_id = "snooze_conversation",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    request_body = SnoozeRequest,
    responses(
        (status = 200, description = "The snoozed conversation.", body = ConversationSummary),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or not visible to the caller.", body = ErrorBody),
        (status = 409, description = "Blocked contacts' conversations cannot be snoozed.", body = ErrorBody),
        (status = 422, description = "`until` is not in the future, or the body is malformed.", body = ErrorBody),
    ),
)]
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

/// Ends a snooze now: the conversation is open again.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/conversations/{id}/unsnooze",
    operation_id = "unsnooze_conversation",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    responses(
        (status = 200, description = "The open conversation.", body = ConversationSummary),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or not visible to the caller.", body = ErrorBody),
        (status = 409, description = "The conversation is not snoozed.", body = ErrorBody),
    ),
)]
async fn unsnooze(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
) -> Result<Json<ConversationSummary>, ApiError> {
    move_to(&state, &member, id, Transition::Unsnooze).await
}

/// Reopens a closed or snoozed conversation.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/conversations/{id}/reopen",
    operation_id = "reopen_conversation",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    responses(
        (status = 200, description = "The open conversation.", body = ConversationSummary),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or not visible to the caller.", body = ErrorBody),
        (status = 409, description = "The conversation is already open.", body = ErrorBody),
    ),
)]
async fn reopen(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
) -> Result<Json<ConversationSummary>, ApiError> {
    move_to(&state, &member, id, Transition::Reopen).await
}

/// Sends a failed message again (C1): it becomes `pending` and goes back to the outbox.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/conversations/{id}/messages/{message}/retry",
    operation_id = "retry_message",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
        ("message" = MessageId, Path, description = "The failed message."),
    ),
    responses(
        (status = 200, description = "Queued again; the message as it is now (`pending`).", body = Message),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such message in the conversation, or the conversation is not visible to the caller.", body = ErrorBody),
        (status = 409, description = "The message has not failed.", body = ErrorBody),
    ),
)]
async fn retry(
    State(state): State<AppState>,
    member: Member,
    Path((_, id, message)): Path<(WorkspaceId, ConversationId, MessageId)>,
) -> Result<Json<Message>, ApiError> {
    member.conversation(&state, id).await?;
    let event = state
        .store
        .retry_message(member.workspace, id, message)
        .await?;
    let retried = match &event.payload {
        switchboard_protocol::events::EventPayload::MessageUpdated { message, .. } => {
            message.clone()
        }
        _ => return Err(ApiError::Internal("a retry without its message".into())),
    };
    state.publish(Some(event));
    state.outbox.notify_one();
    Ok(Json(retried))
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

//! REST calls of the agent app.

use super::ClientError;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use switchboard_protocol::api::*;
use switchboard_protocol::*;

const API: &str = "/api/v1";

/// The response, or a network error; tells the app whether the server answered itself.
fn reached(response: Result<Response, gloo_net::Error>) -> Result<Response, ClientError> {
    use crate::state::connectivity;
    match response {
        Ok(response) => {
            connectivity::saw(response.headers().get(connectivity::FROM_CACHE).is_some());
            Ok(response)
        }
        Err(e) => {
            connectivity::saw(true);
            Err(ClientError::Network(e.to_string()))
        }
    }
}

async fn answer<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ClientError> {
    let text = text_of(response).await?;
    serde_json::from_str(&text).map_err(|e| ClientError::Unexpected(e.to_string()))
}

/// A successful answer's body, or the server's error. (Not generic: every call shares it.)
async fn text_of(response: Result<Response, gloo_net::Error>) -> Result<String, ClientError> {
    let response = reached(response)?;
    if response.ok() {
        response
            .text()
            .await
            .map_err(|e| ClientError::Unexpected(e.to_string()))
    } else {
        Err(error_of(response).await)
    }
}

async fn no_content(response: Result<Response, gloo_net::Error>) -> Result<(), ClientError> {
    let response = reached(response)?;
    if response.ok() {
        Ok(())
    } else {
        Err(error_of(response).await)
    }
}

pub(crate) async fn error_of(response: Response) -> ClientError {
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => ClientError::Server(body),
        Err(_) => ClientError::Unexpected(format!("HTTP {status}")),
    }
}

pub(crate) async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ClientError> {
    answer(Request::get(url).send().await).await
}

pub(crate) async fn put_json<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<T, ClientError> {
    answer(json_body(Request::put(url), body)?.send().await).await
}

pub(crate) async fn post_json<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<T, ClientError> {
    answer(json_body(Request::post(url), body)?.send().await).await
}

pub(crate) async fn patch_json<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<T, ClientError> {
    answer(json_body(Request::patch(url), body)?.send().await).await
}

pub(crate) async fn post_no_content<B: Serialize>(url: &str, body: &B) -> Result<(), ClientError> {
    no_content(json_body(Request::post(url), body)?.send().await).await
}

pub(crate) async fn delete(url: &str) -> Result<(), ClientError> {
    no_content(Request::delete(url).send().await).await
}

pub(crate) fn json_body<B: Serialize>(
    builder: RequestBuilder,
    body: &B,
) -> Result<Request, ClientError> {
    builder
        .json(body)
        .map_err(|e| ClientError::Unexpected(e.to_string()))
}

pub async fn login(email: &str, password: &str) -> Result<Me, ClientError> {
    let request = json_body(
        Request::post(&format!("{API}/auth/login")),
        &LoginRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        },
    )?;
    answer(request.send().await).await
}

pub async fn logout() -> Result<(), ClientError> {
    no_content(Request::post(&format!("{API}/auth/logout")).send().await).await
}

pub async fn me() -> Result<Me, ClientError> {
    get(&format!("{API}/me")).await
}

/// `url` asking for the page after `cursor` (cursors are URL-safe by construction).
fn page_url(url: String, cursor: Option<&str>) -> String {
    match cursor {
        Some(cursor) => format!("{url}?cursor={cursor}"),
        None => url,
    }
}

/// A page of the conversation list `view`.
/// A page of the conversation list, with the newest event sequence number when it was read
/// (`events::SEQ_HEADER`), if the answer said.
pub async fn conversations(
    workspace: WorkspaceId,
    view: &crate::model::view::InboxView,
    cursor: Option<&str>,
) -> Result<(Page<ConversationSummary>, Option<u64>), ClientError> {
    let mut pairs = view.to_pairs();
    pairs.extend(cursor.map(|c| ("cursor", c.to_owned())));
    let response = Request::get(&format!(
        "{API}/workspaces/{workspace}/conversations{}",
        crate::routes::query(&pairs)
    ))
    .send()
    .await;
    let seq = response
        .as_ref()
        .ok()
        .and_then(|r| r.headers().get(events::SEQ_HEADER))
        .and_then(|s| s.parse().ok());
    Ok((answer(response).await?, seq))
}

/// The caller's folders with their counts (N2).
pub async fn folders(workspace: WorkspaceId) -> Result<inbox::Folders, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/folders")).await
}

pub async fn conversation(
    workspace: WorkspaceId,
    id: ConversationId,
) -> Result<ConversationDetail, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/conversations/{id}")).await
}

pub async fn messages(
    workspace: WorkspaceId,
    id: ConversationId,
    cursor: Option<&str>,
) -> Result<Page<Message>, ClientError> {
    get(&page_url(
        format!("{API}/workspaces/{workspace}/conversations/{id}/messages"),
        cursor,
    ))
    .await
}

pub async fn send_message(
    workspace: WorkspaceId,
    id: ConversationId,
    request: &SendMessageRequest,
) -> Result<Message, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/conversations/{id}/messages");
    answer(json_body(Request::post(&url), request)?.send().await).await
}

/// Queues a message its channel refused for another delivery (C1).
pub async fn retry_message(
    workspace: WorkspaceId,
    id: ConversationId,
    message: MessageId,
) -> Result<Message, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/conversations/{id}/messages/{message}/retry");
    answer(Request::post(&url).send().await).await
}

pub async fn mark_read(workspace: WorkspaceId, id: ConversationId) -> Result<(), ClientError> {
    let url = format!("{API}/workspaces/{workspace}/conversations/{id}/read");
    no_content(Request::post(&url).send().await).await
}

async fn conversation_action<B: Serialize>(
    workspace: WorkspaceId,
    id: ConversationId,
    action: &str,
    body: &B,
) -> Result<ConversationSummary, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/conversations/{id}/{action}");
    answer(json_body(Request::post(&url), body)?.send().await).await
}

/// Closes a conversation, with a closing note when given (A1).
pub async fn close(
    workspace: WorkspaceId,
    id: ConversationId,
    note: Option<String>,
) -> Result<ConversationSummary, ClientError> {
    conversation_action(workspace, id, "close", &CloseRequest { note }).await
}

pub async fn snooze(
    workspace: WorkspaceId,
    id: ConversationId,
    until: chrono::DateTime<chrono::Utc>,
) -> Result<ConversationSummary, ClientError> {
    conversation_action(workspace, id, "snooze", &SnoozeRequest { until }).await
}

pub async fn unsnooze(
    workspace: WorkspaceId,
    id: ConversationId,
) -> Result<ConversationSummary, ClientError> {
    conversation_action(workspace, id, "unsnooze", &serde_json::json!({})).await
}

pub async fn reopen(
    workspace: WorkspaceId,
    id: ConversationId,
) -> Result<ConversationSummary, ClientError> {
    conversation_action(workspace, id, "reopen", &serde_json::json!({})).await
}

pub async fn assign(
    workspace: WorkspaceId,
    id: ConversationId,
    assignee: Option<AssigneeRef>,
) -> Result<ConversationSummary, ClientError> {
    conversation_action(workspace, id, "assign", &AssignRequest { assignee }).await
}

/// Blocks or unblocks a contact (A4).
pub async fn set_blocked(
    workspace: WorkspaceId,
    contact: ContactId,
    blocked: bool,
) -> Result<(), ClientError> {
    let action = if blocked { "block" } else { "unblock" };
    let url = format!("{API}/workspaces/{workspace}/contacts/{contact}/{action}");
    no_content(Request::post(&url).send().await).await
}

pub async fn settings(workspace: WorkspaceId) -> Result<settings::WorkspaceSettings, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/settings")).await
}

pub async fn members(workspace: WorkspaceId) -> Result<Vec<settings::Member>, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/members")).await
}

pub async fn teams(workspace: WorkspaceId) -> Result<Vec<settings::Team>, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/teams")).await
}

/// Uploads one file to send with a message (K3); the server checks it again.
pub async fn upload(
    workspace: WorkspaceId,
    file: &web_sys::File,
) -> Result<Attachment, ClientError> {
    let url = format!(
        "{API}/workspaces/{workspace}/attachments{}",
        crate::routes::query(&[("name", file.name())])
    );
    let request = Request::post(&url)
        .header("Content-Type", "application/octet-stream")
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|e| ClientError::Unexpected(e.to_string()))?;
    answer(request.send().await).await
}

/// The workspace's saved replies (K5).
pub async fn snippets(workspace: WorkspaceId) -> Result<Vec<settings::Snippet>, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/snippets")).await
}

/// The workspace's connected channels (T6).
pub async fn channels(
    workspace: WorkspaceId,
) -> Result<Vec<switchboard_protocol::channels::ChannelInfo>, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/channels")).await
}

/// Connects a channel of a kind (`telegram`, `whatsapp`, `email`) with its form's body.
pub async fn connect_channel(
    workspace: WorkspaceId,
    kind: &str,
    body: &serde_json::Value,
) -> Result<switchboard_protocol::channels::ChannelInfo, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/channels/{kind}");
    answer(json_body(Request::post(&url), body)?.send().await).await
}

/// Checks a connected channel with its provider now.
pub async fn check_channel(
    workspace: WorkspaceId,
    id: ChannelId,
) -> Result<switchboard_protocol::channels::ChannelCheck, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/channels/{id}/check");
    answer(Request::post(&url).send().await).await
}

/// An e-mail's HTML with its remote images, fetched by the server now.
pub async fn remote_images(
    workspace: WorkspaceId,
    message: MessageId,
) -> Result<switchboard_protocol::channels::RemoteImages, ClientError> {
    get(&format!(
        "{API}/workspaces/{workspace}/messages/{message}/remote-images"
    ))
    .await
}

/// Disconnects a channel (its conversations stay).
pub async fn disconnect_channel(workspace: WorkspaceId, id: ChannelId) -> Result<(), ClientError> {
    let url = format!("{API}/workspaces/{workspace}/channels/{id}");
    no_content(Request::delete(&url).send().await).await
}

/// A WhatsApp channel's approved templates (sent outside the 24-hour window).
pub async fn templates(
    workspace: WorkspaceId,
    channel: ChannelId,
) -> Result<Vec<switchboard_protocol::templates::MessageTemplate>, ClientError> {
    get(&format!(
        "{API}/workspaces/{workspace}/channels/{channel}/templates"
    ))
    .await
}

/// Full-text search of the workspace's contacts, messages and comments (S1).
pub async fn search(
    workspace: WorkspaceId,
    q: &str,
    cursor: Option<&str>,
) -> Result<search::SearchResults, ClientError> {
    let mut pairs = vec![("q", q.to_owned())];
    pairs.extend(cursor.map(|c| ("cursor", c.to_owned())));
    get(&format!(
        "{API}/workspaces/{workspace}/search{}",
        crate::routes::query(&pairs)
    ))
    .await
}

/// Full-text search inside one conversation (C6).
pub async fn search_conversation(
    workspace: WorkspaceId,
    id: ConversationId,
    q: &str,
) -> Result<search::SearchResults, ClientError> {
    get(&format!(
        "{API}/workspaces/{workspace}/conversations/{id}/search{}",
        crate::routes::query(&[("q", q.to_owned())])
    ))
    .await
}

// ----- Notifications (O1–O3) and this device's push subscription (O2).

pub async fn notifications(
    workspace: WorkspaceId,
) -> Result<notifications::NotificationList, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/notifications")).await
}

/// Marks entries read (`None`: all of them); answers the centre as it is now.
pub async fn read_notifications(
    workspace: WorkspaceId,
    ids: Option<Vec<NotificationId>>,
) -> Result<notifications::NotificationList, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/notifications/read");
    let body = notifications::MarkNotificationsRead { ids };
    answer(json_body(Request::post(&url), &body)?.send().await).await
}

pub async fn notification_preferences(
    workspace: WorkspaceId,
) -> Result<notifications::NotificationPreferences, ClientError> {
    get(&format!(
        "{API}/workspaces/{workspace}/notifications/preferences"
    ))
    .await
}

pub async fn set_notification_preferences(
    workspace: WorkspaceId,
    preferences: notifications::NotificationPreferences,
) -> Result<notifications::NotificationPreferences, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/notifications/preferences");
    answer(json_body(Request::put(&url), &preferences)?.send().await).await
}

pub async fn update_settings(
    workspace: WorkspaceId,
    patch: &settings::SettingsPatch,
) -> Result<settings::WorkspaceSettings, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/settings");
    answer(json_body(Request::patch(&url), patch)?.send().await).await
}

pub async fn push_key() -> Result<notifications::PushKey, ClientError> {
    get(&format!("{API}/push/key")).await
}

pub async fn push_subscribe(
    subscription: &notifications::PushSubscriptionRequest,
) -> Result<(), ClientError> {
    let url = format!("{API}/push/subscriptions");
    no_content(json_body(Request::post(&url), subscription)?.send().await).await
}

pub async fn push_unsubscribe(endpoint: String) -> Result<(), ClientError> {
    let url = format!("{API}/push/subscriptions");
    let body = notifications::PushUnsubscribeRequest { endpoint };
    no_content(json_body(Request::delete(&url), &body)?.send().await).await
}

// ----- Contacts (P1–P4) and their custom fields (T4).

pub async fn contact(
    workspace: WorkspaceId,
    id: ContactId,
) -> Result<contacts::Contact, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/contacts/{id}")).await
}

pub async fn update_contact(
    workspace: WorkspaceId,
    id: ContactId,
    patch: &contacts::ContactPatch,
) -> Result<contacts::Contact, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/contacts/{id}");
    answer(json_body(Request::patch(&url), patch)?.send().await).await
}

/// Adds a contact (P1); it starts in the Closed tab.
pub async fn create_contact(
    workspace: WorkspaceId,
    request: &contacts::NewContactRequest,
) -> Result<contacts::Contact, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/contacts");
    answer(json_body(Request::post(&url), request)?.send().await).await
}

pub async fn custom_fields(
    workspace: WorkspaceId,
) -> Result<Vec<contacts::CustomField>, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/custom-fields")).await
}

// ----- Workspace settings (T1, T4): members, teams, custom fields.

pub async fn update_member(
    workspace: WorkspaceId,
    user: UserId,
    patch: &settings::MemberPatch,
) -> Result<settings::Member, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/members/{user}");
    answer(json_body(Request::patch(&url), patch)?.send().await).await
}

pub async fn create_team(
    workspace: WorkspaceId,
    request: &settings::TeamRequest,
) -> Result<settings::Team, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/teams");
    answer(json_body(Request::post(&url), request)?.send().await).await
}

pub async fn update_team(
    workspace: WorkspaceId,
    team: TeamId,
    request: &settings::TeamRequest,
) -> Result<settings::Team, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/teams/{team}");
    answer(json_body(Request::put(&url), request)?.send().await).await
}

pub async fn delete_team(workspace: WorkspaceId, team: TeamId) -> Result<(), ClientError> {
    let url = format!("{API}/workspaces/{workspace}/teams/{team}");
    no_content(Request::delete(&url).send().await).await
}

pub async fn create_field(
    workspace: WorkspaceId,
    request: &contacts::CustomFieldRequest,
) -> Result<contacts::CustomField, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/custom-fields");
    answer(json_body(Request::post(&url), request)?.send().await).await
}

pub async fn delete_field(workspace: WorkspaceId, id: CustomFieldId) -> Result<(), ClientError> {
    let url = format!("{API}/workspaces/{workspace}/custom-fields/{id}");
    no_content(Request::delete(&url).send().await).await
}

pub async fn create_snippet(
    workspace: WorkspaceId,
    request: &settings::SnippetRequest,
) -> Result<settings::Snippet, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/snippets");
    answer(json_body(Request::post(&url), request)?.send().await).await
}

pub async fn update_snippet(
    workspace: WorkspaceId,
    id: SnippetId,
    request: &settings::SnippetRequest,
) -> Result<settings::Snippet, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/snippets/{id}");
    answer(json_body(Request::put(&url), request)?.send().await).await
}

/// Copies of a snippet's files as this member's unsent uploads, to send with the snippet (T3).
pub async fn copy_snippet_files(
    workspace: WorkspaceId,
    id: SnippetId,
) -> Result<Vec<Attachment>, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/snippets/{id}/files");
    answer(Request::post(&url).send().await).await
}

pub async fn delete_snippet(workspace: WorkspaceId, id: SnippetId) -> Result<(), ClientError> {
    let url = format!("{API}/workspaces/{workspace}/snippets/{id}");
    no_content(Request::delete(&url).send().await).await
}

// ----- Custom inboxes (T2).

pub async fn custom_inboxes(
    workspace: WorkspaceId,
) -> Result<Vec<inbox::CustomInbox>, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/inboxes")).await
}

pub async fn save_custom_inbox(
    workspace: WorkspaceId,
    id: Option<CustomInboxId>,
    request: &inbox::CustomInboxRequest,
) -> Result<inbox::CustomInbox, ClientError> {
    let request_builder = match id {
        Some(id) => Request::put(&format!("{API}/workspaces/{workspace}/inboxes/{id}")),
        None => Request::post(&format!("{API}/workspaces/{workspace}/inboxes")),
    };
    answer(json_body(request_builder, request)?.send().await).await
}

pub async fn delete_custom_inbox(
    workspace: WorkspaceId,
    id: CustomInboxId,
) -> Result<(), ClientError> {
    let url = format!("{API}/workspaces/{workspace}/inboxes/{id}");
    no_content(Request::delete(&url).send().await).await
}

// ----- Invitations (T1).

pub async fn invitations(workspace: WorkspaceId) -> Result<Vec<settings::Invitation>, ClientError> {
    get(&format!("{API}/workspaces/{workspace}/invitations")).await
}

pub async fn invite(
    workspace: WorkspaceId,
    request: &settings::InvitationRequest,
) -> Result<settings::InvitationCreated, ClientError> {
    let url = format!("{API}/workspaces/{workspace}/invitations");
    answer(json_body(Request::post(&url), request)?.send().await).await
}

pub async fn revoke_invitation(
    workspace: WorkspaceId,
    id: InvitationId,
) -> Result<(), ClientError> {
    let url = format!("{API}/workspaces/{workspace}/invitations/{id}");
    no_content(Request::delete(&url).send().await).await
}

pub async fn invitation(token: &str) -> Result<settings::InvitationPreview, ClientError> {
    get(&format!("{API}/invitations/{token}")).await
}

pub async fn accept_invitation(
    token: &str,
    request: &settings::AcceptInvitation,
) -> Result<Me, ClientError> {
    let url = format!("{API}/invitations/{token}/accept");
    answer(json_body(Request::post(&url), request)?.send().await).await
}

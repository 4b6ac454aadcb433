//! Channels in settings (T6): list them with their capabilities, connect a Telegram bot (the
//! token is checked with Telegram and the webhook registered before anything is kept), a
//! WhatsApp number, a TikTok business account (checked with TikTok first) or a mailbox
//! (logged in to over IMAP and SMTP first), and disconnect. Owners and managers change
//! channels; every member lists them (the composer reads their capabilities, K2).

use super::SendError;
use super::email::{self, Mailbox};
use super::telegram::{Bot, Credentials};
use super::tiktok::{self, Account};
use super::whatsapp::{self, Phone};
use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::tokens;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_protocol::channels::{
    ChannelCheck, ChannelInfo, ConnectEmail, ConnectTelegram, ConnectTiktok, ConnectWhatsapp,
    MailServer,
};
use switchboard_protocol::templates::MessageTemplate;
use switchboard_protocol::{ChannelId, ChannelKind, ErrorBody, WorkspaceId};
use switchboard_storage::{Channel, NewChannel, StoreError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_channels))
        .routes(routes!(connect_telegram))
        .routes(routes!(connect_whatsapp))
        .routes(routes!(connect_tiktok))
        .routes(routes!(connect_email))
        .routes(routes!(disconnect_channel))
        .routes(routes!(list_templates))
        .routes(routes!(check_channel))
}

/// Checks a connected channel with its provider now (T6): the bot, number, account or
/// mailbox still answers to the stored credentials. Owners and managers only; the answer
/// says what was found, never the credentials.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/channels/{id}/check",
    operation_id = "check_channel",
    tag = "channels",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ChannelId, Path, description = "The channel."),
    ),
    responses(
        (status = 200, description = "What the provider answered.", body = ChannelCheck),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers check channels.", body = ErrorBody),
        (status = 404, description = "No such connected channel in the workspace.", body = ErrorBody),
    ),
)]
async fn check_channel(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ChannelId)>,
) -> Result<Json<ChannelCheck>, ApiError> {
    member.require_manager()?;
    let channel = state.store.channel(member.workspace, id).await?;
    if channel.kind == ChannelKind::WebsiteChat {
        return Ok(Json(ChannelCheck {
            ok: true,
            message: "Website chat runs in Switchboard itself: nothing to check.".into(),
        }));
    }
    let Some(credentials) = state.store.channel_credentials(id).await? else {
        return Ok(Json(ChannelCheck {
            ok: false,
            message: "The channel has no credentials: connect it again.".into(),
        }));
    };
    let damaged = || SendError::Permanent {
        reason: "The channel's settings are damaged: connect it again.".into(),
    };
    let found: Result<String, SendError> = match channel.kind {
        ChannelKind::Telegram => match Bot::from_credentials(&state, &credentials) {
            Ok(bot) => bot
                .get_me()
                .await
                .map(|me| format!("Telegram knows the bot as {}.", me.first_name)),
            Err(_) => Err(damaged()),
        },
        ChannelKind::Whatsapp => match Phone::from_credentials(&state, &credentials) {
            Ok(phone) => match phone.describe().await {
                Ok(number) => {
                    let name = number
                        .verified_name
                        .or(number.display_phone_number)
                        .unwrap_or_else(|| "the number".into());
                    phone.templates().await.map(|templates| {
                        format!(
                            "WhatsApp knows {name}; {} approved templates can be sent.",
                            templates.len()
                        )
                    })
                }
                Err(error) => Err(error),
            },
            Err(_) => Err(damaged()),
        },
        ChannelKind::Tiktok => {
            match tiktok::Account::for_channel(&state, channel.workspace, channel.id, &credentials)
            {
                Ok(account) => account.describe().await.map(|profile| {
                    let name = profile
                        .display_name
                        .or(profile.username)
                        .unwrap_or_else(|| "the account".into());
                    format!("TikTok knows {name}.")
                }),
                Err(_) => Err(damaged()),
            }
        }
        ChannelKind::Email => match serde_json::from_str::<email::Credentials>(&credentials) {
            Ok(mailbox) => match email::check_imap(&mailbox, &state.mail_trust).await {
                Ok(_) => Mailbox::new(mailbox, state.mail_trust.clone())
                    .check_smtp()
                    .await
                    .map(|()| "The IMAP and SMTP servers took the login.".into()),
                Err(email::MailError::Login) => Err(SendError::Permanent {
                    reason: "The IMAP server refused the login.".into(),
                }),
                Err(other) => Err(SendError::Retry {
                    reason: format!("IMAP: {other}."),
                    after: None,
                }),
            },
            Err(_) => Err(damaged()),
        },
        ChannelKind::WebsiteChat => Ok(String::new()),
    };
    Ok(Json(match found {
        Ok(message) => ChannelCheck { ok: true, message },
        Err(SendError::Permanent { reason }) => ChannelCheck {
            ok: false,
            message: format!("Refused: {reason}"),
        },
        Err(SendError::Retry { reason, .. }) => ChannelCheck {
            ok: false,
            message: format!("Not reached: {reason}"),
        },
    }))
}

/// The approved WhatsApp templates of a channel (sent outside the 24-hour window), read
/// from Meta each time; empty for a channel without a business account or of another kind.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/channels/{id}/templates",
    operation_id = "list_templates",
    tag = "channels",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ChannelId, Path, description = "The channel."),
    ),
    responses(
        (status = 200, description = "Approved templates Switchboard can fill.", body = Vec<MessageTemplate>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such connected channel in the workspace.", body = ErrorBody),
        (status = 502, description = "The Graph API could not be reached or refused.", body = ErrorBody),
    ),
)]
async fn list_templates(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ChannelId)>,
) -> Result<Json<Vec<MessageTemplate>>, ApiError> {
    Ok(Json(
        whatsapp::templates(&state, member.workspace, id).await?,
    ))
}

/// A channel as settings show it; managers also see where WhatsApp and TikTok must send
/// notifications.
fn info(state: &AppState, channel: Channel, manager: bool) -> ChannelInfo {
    let hook = match channel.kind {
        ChannelKind::Whatsapp => Some("whatsapp"),
        ChannelKind::Tiktok => Some("tiktok"),
        _ => None,
    };
    let webhook_url = match (&channel.public_key, hook) {
        (Some(key), Some(hook)) if manager => Some(format!(
            "{}/api/v1/hooks/{hook}/{key}",
            state.config.public_url(state.config.bind)
        )),
        _ => None,
    };
    ChannelInfo {
        id: channel.id,
        kind: channel.kind,
        capabilities: channel.kind.capabilities(),
        name: channel.name,
        webhook_url,
    }
}

/// The workspace's connected channels and what each can do.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/channels",
    operation_id = "list_channels",
    tag = "channels",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "Connected channels, oldest first.", body = Vec<ChannelInfo>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn list_channels(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Vec<ChannelInfo>>, ApiError> {
    let manager = member.require_manager().is_ok();
    let channels = state.store.channels(member.workspace).await?;
    Ok(Json(
        channels
            .into_iter()
            .map(|c| info(&state, c, manager))
            .collect(),
    ))
}

/// The name a manager asked for, trimmed; empty when none (then the provider's is taken).
fn requested_name(name: &str) -> Result<&str, ApiError> {
    let name = name.trim();
    if name.chars().count() > 100 {
        return Err(ApiError::validation("name", "At most 100 characters."));
    }
    Ok(name)
}

/// The requested name, or the provider's when none was asked for.
fn name_or<'a>(requested: &'a str, provider: &'a str) -> &'a str {
    if requested.is_empty() {
        provider
    } else {
        requested
    }
}

/// Adds a channel with a fresh webhook key and its credentials; the channel and its key.
/// `account` names what the credentials reach (a bot id, a number id, an address): one that
/// is already connected, here or in another workspace, is refused (409) before anything at
/// the provider changes, so nobody takes over a bot's webhook or reads a mailbox twice.
async fn create(
    state: &AppState,
    member: &Member,
    kind: ChannelKind,
    name: &str,
    account: &str,
    credentials: &impl serde::Serialize,
) -> Result<(Channel, String), ApiError> {
    let key = tokens::new_public_key();
    let channel = state
        .store
        .create_channel(NewChannel {
            workspace: member.workspace,
            kind,
            name,
            public_key: Some(&key),
        })
        .await?;
    if let Err(error) = state.store.claim_channel_account(channel.id, account).await {
        // Nothing half-connected stays behind.
        state
            .store
            .disconnect_channel(member.workspace, channel.id)
            .await?;
        return Err(match error {
            StoreError::Conflict { .. } => ApiError::Conflict(format!(
                "This {} is already connected to a workspace; disconnect it there first.",
                match kind {
                    ChannelKind::Telegram => "bot",
                    ChannelKind::Whatsapp => "number",
                    ChannelKind::Tiktok => "TikTok account",
                    ChannelKind::Email => "mailbox",
                    _ => "account",
                }
            )),
            other => other.into(),
        });
    }
    let stored = serde_json::to_string(credentials)
        .map_err(|e| ApiError::Internal(format!("credentials: {e}")))?;
    state
        .store
        .set_channel_credentials(member.workspace, channel.id, &stored)
        .await?;
    Ok((channel, key))
}

/// The shape BotFather gives tokens: `<bot id>:<secret>`.
fn plausible_token(token: &str) -> bool {
    let Some((id, secret)) = token.split_once(':') else {
        return false;
    };
    !id.is_empty()
        && id.len() <= 20
        && id.bytes().all(|b| b.is_ascii_digit())
        && (20..=100).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A provider's answer to a check made while connecting: not reached (or failing at the
/// provider) is 502 — `unreachable`, try again — and a refusal is 422 under `field`.
fn check_failed(error: SendError, unreachable: &str, refused: &str, field: &str) -> ApiError {
    match error {
        SendError::Retry { reason, .. } => {
            ApiError::Upstream(format!("{unreachable}: {reason} Try again."))
        }
        SendError::Permanent { reason } => {
            ApiError::validation(field, format!("{refused}: {reason}"))
        }
    }
}

fn upstream(action: &str, error: SendError) -> ApiError {
    check_failed(
        error,
        &format!("Telegram could not {action}"),
        &format!("Telegram refused to {action}"),
        "bot_token",
    )
}

/// Connects a Telegram bot: checks the token with `getMe`, then registers the webhook
/// (with a fresh secret token) at this server's public URL.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/channels/telegram",
    operation_id = "connect_telegram",
    tag = "channels",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = ConnectTelegram,
    responses(
        (status = 201, description = "Connected: updates now arrive.", body = ChannelInfo),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers connect channels.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "The bot is already connected to a workspace.", body = ErrorBody),
        (status = 422, description = "Not a bot token, or Telegram refused it.", body = ErrorBody),
        (status = 502, description = "Telegram could not be reached.", body = ErrorBody),
    ),
)]
async fn connect_telegram(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<ConnectTelegram>,
) -> Result<(StatusCode, Json<ChannelInfo>), ApiError> {
    member.require_manager()?;
    let token = request.bot_token.trim();
    if !plausible_token(token) {
        return Err(ApiError::validation(
            "bot_token",
            "This is not a bot token; BotFather gives tokens like 123456789:AAE….",
        ));
    }
    let name = requested_name(&request.name)?;
    let bot = Bot::new(&state, token);
    let me = bot
        .get_me()
        .await
        .map_err(|e| upstream("check the token", e))?;
    let name = name_or(name, me.first_name.as_str());
    let credentials = Credentials {
        bot_token: token.to_owned(),
        webhook_secret: tokens::new_token(),
    };
    let bot_id = token.split(':').next().unwrap_or(token);
    let (channel, key) = create(
        &state,
        &member,
        ChannelKind::Telegram,
        name,
        bot_id,
        &credentials,
    )
    .await?;
    let url = format!(
        "{}/api/v1/hooks/telegram/{key}",
        state.config.public_url(state.config.bind)
    );
    if let Err(error) = bot.set_webhook(&url, &credentials.webhook_secret).await {
        // Nothing half-connected stays behind.
        state
            .store
            .disconnect_channel(member.workspace, channel.id)
            .await?;
        return Err(upstream("register the webhook", error));
    }
    tracing::info!(channel = %channel.id, bot = %me.id, "Telegram bot connected");
    Ok((StatusCode::CREATED, Json(info(&state, channel, true))))
}

/// A credential field: trimmed, present, at most `max` visible ASCII characters.
fn credential(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let value = value.trim();
    if value.is_empty() || value.len() > max || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::validation(
            field,
            format!("Required: up to {max} characters without spaces."),
        ));
    }
    Ok(value.to_owned())
}

/// [`credential`] for a field that may be left out (empty counts as left out).
fn optional_credential(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => credential(field, value, max).map(Some),
    }
}

/// Connects a WhatsApp Business number: checks the number id and token with the Graph API,
/// then keeps them with the app secret and verify token. The answer's `webhook_url` goes
/// into Meta's app dashboard with the verify token.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/channels/whatsapp",
    operation_id = "connect_whatsapp",
    tag = "channels",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = ConnectWhatsapp,
    responses(
        (status = 201, description = "Connected; configure `webhook_url` at Meta.", body = ChannelInfo),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers connect channels.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "The number is already connected to a workspace.", body = ErrorBody),
        (status = 422, description = "A missing or malformed field, or Meta refused the number id or token.", body = ErrorBody),
        (status = 502, description = "The Graph API could not be reached.", body = ErrorBody),
    ),
)]
async fn connect_whatsapp(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<ConnectWhatsapp>,
) -> Result<(StatusCode, Json<ChannelInfo>), ApiError> {
    member.require_manager()?;
    let credentials = whatsapp::Credentials {
        phone_number_id: credential("phone_number_id", &request.phone_number_id, 40)?,
        access_token: credential("access_token", &request.access_token, 1000)?,
        app_secret: credential("app_secret", &request.app_secret, 200)?,
        verify_token: credential("verify_token", &request.verify_token, 200)?,
        business_account_id: match request.business_account_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) if id.len() <= 40 && id.bytes().all(|b| b.is_ascii_digit()) => {
                Some(id.to_owned())
            }
            Some(_) => {
                return Err(ApiError::validation(
                    "business_account_id",
                    "The WhatsApp Business Account id, digits only.",
                ));
            }
        },
    };
    if !credentials
        .phone_number_id
        .bytes()
        .all(|b| b.is_ascii_digit())
    {
        return Err(ApiError::validation(
            "phone_number_id",
            "The phone number id is the number Meta shows under API Setup, digits only.",
        ));
    }
    let name = requested_name(&request.name)?;
    let phone = Phone::new(
        &state,
        &credentials.phone_number_id,
        &credentials.access_token,
    );
    let number = phone.describe().await.map_err(|error| {
        check_failed(
            error,
            "WhatsApp could not check the number",
            "WhatsApp refused the number id or token",
            "access_token",
        )
    })?;
    // The business account is checked by reading its templates.
    phone
        .with_business_account(credentials.business_account_id.clone())
        .templates()
        .await
        .map_err(|error| {
            check_failed(
                error,
                "WhatsApp could not check the business account",
                "WhatsApp refused the business account",
                "business_account_id",
            )
        })?;
    let fallback = number
        .verified_name
        .or(number.display_phone_number)
        .unwrap_or_else(|| "WhatsApp".into());
    let name = name_or(name, fallback.as_str());
    let number = credentials.phone_number_id.clone();
    let (channel, _) = create(
        &state,
        &member,
        ChannelKind::Whatsapp,
        name,
        &number,
        &credentials,
    )
    .await?;
    tracing::info!(channel = %channel.id, "WhatsApp number connected");
    Ok((StatusCode::CREATED, Json(info(&state, channel, true))))
}

/// Connects a TikTok business account: checks the business id and access token with
/// TikTok (`business/get/`), then keeps them with the app secret. TikTok's OAuth code
/// exchange is not run here: the manager pastes the business id (the `open_id`), a token
/// and the app secret. The answer's `webhook_url` is where the app's `DIRECT_MESSAGE`
/// webhook must point.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/channels/tiktok",
    operation_id = "connect_tiktok",
    tag = "channels",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = ConnectTiktok,
    responses(
        (status = 201, description = "Connected; point the TikTok app's webhook at `webhook_url`.", body = ChannelInfo),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers connect channels.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "The account is already connected to a workspace.", body = ErrorBody),
        (status = 422, description = "A missing or malformed field, or TikTok refused the business id or token.", body = ErrorBody),
        (status = 502, description = "TikTok could not be reached.", body = ErrorBody),
    ),
)]
async fn connect_tiktok(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<ConnectTiktok>,
) -> Result<(StatusCode, Json<ChannelInfo>), ApiError> {
    member.require_manager()?;
    let credentials = tiktok::Credentials {
        business_id: credential("business_id", &request.business_id, 200)?,
        access_token: credential("access_token", &request.access_token, 1000)?,
        app_secret: credential("app_secret", &request.app_secret, 200)?,
        app_id: optional_credential("app_id", request.app_id.as_deref(), 200)?,
        refresh_token: optional_credential(
            "refresh_token",
            request.refresh_token.as_deref(),
            1000,
        )?,
    };
    if credentials.app_id.is_some() != credentials.refresh_token.is_some() {
        let missing = if credentials.app_id.is_some() {
            "refresh_token"
        } else {
            "app_id"
        };
        return Err(ApiError::validation(
            missing,
            "Renewing the token takes both the app id and a refresh token.",
        ));
    }
    let name = requested_name(&request.name)?;
    let account = Account::new(&state, &credentials.business_id, &credentials.access_token);
    let profile = account.describe().await.map_err(|error| {
        check_failed(
            error,
            "TikTok could not check the account",
            "TikTok refused the business id or token",
            "access_token",
        )
    })?;
    let present = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let fallback: String = present(profile.display_name)
        .or_else(|| present(profile.username))
        .unwrap_or_else(|| "TikTok".into())
        .chars()
        .take(100)
        .collect();
    let name = name_or(name, fallback.as_str());
    let business_id = credentials.business_id.clone();
    let (channel, _) = create(
        &state,
        &member,
        ChannelKind::Tiktok,
        name,
        &business_id,
        &credentials,
    )
    .await?;
    tracing::info!(channel = %channel.id, "TikTok account connected");
    Ok((StatusCode::CREATED, Json(info(&state, channel, true))))
}

/// A mail server's settings: a host name or address and a port.
fn mail_server(field: &str, server: &MailServer) -> Result<MailServer, ApiError> {
    let host = server.host.trim();
    if host.is_empty()
        || host.len() > 253
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    {
        return Err(ApiError::validation(
            field,
            "The server's host name, like imap.example.com.",
        ));
    }
    if server.port == 0 {
        return Err(ApiError::validation(field, "The server's port, like 993."));
    }
    Ok(MailServer {
        host: host.to_owned(),
        port: server.port,
        security: server.security,
    })
}

/// Connects a mailbox: logs in to its IMAP server (noting where the inbox stands, so mail
/// already there is left alone and only new mail arrives) and to its SMTP server, then
/// keeps the settings. New mail is read every few seconds from then on.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/channels/email",
    operation_id = "connect_email",
    tag = "channels",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = ConnectEmail,
    responses(
        (status = 201, description = "Connected: new mail now arrives.", body = ChannelInfo),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers connect channels.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "The mailbox is already connected to a workspace.", body = ErrorBody),
        (status = 422, description = "A missing or malformed field, a server that could not be reached, or a refused login.", body = ErrorBody),
    ),
)]
async fn connect_email(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<ConnectEmail>,
) -> Result<(StatusCode, Json<ChannelInfo>), ApiError> {
    member.require_manager()?;
    let address = request.address.trim().to_lowercase();
    if !email::plausible_address(&address) {
        return Err(ApiError::validation(
            "address",
            "The mailbox's address, like support@example.com.",
        ));
    }
    let username = request.username.trim();
    if username.is_empty() || username.len() > 320 || username.chars().any(char::is_control) {
        return Err(ApiError::validation(
            "username",
            "Required: the mailbox's login.",
        ));
    }
    if request.password.is_empty()
        || request.password.len() > 1000
        || request.password.chars().any(char::is_control)
    {
        return Err(ApiError::validation(
            "password",
            "Required: the mailbox's password.",
        ));
    }
    let name = requested_name(&request.name)?;
    let credentials = email::Credentials {
        address: address.clone(),
        username: username.to_owned(),
        password: request.password.clone(),
        imap: mail_server("imap", &request.imap)?,
        smtp: mail_server("smtp", &request.smtp)?,
    };
    let cursor = email::check_imap(&credentials, &state.mail_trust)
        .await
        .map_err(|error| match error {
            email::MailError::Login => {
                ApiError::validation("password", "The IMAP server refused this login.")
            }
            other => ApiError::validation("imap", format!("IMAP: {other}.")),
        })?;
    Mailbox::new(credentials.clone(), state.mail_trust.clone())
        .check_smtp()
        .await
        .map_err(|error| match error {
            SendError::Retry { reason, .. } | SendError::Permanent { reason } => {
                ApiError::validation("smtp", format!("SMTP: {reason}"))
            }
        })?;
    let name = name_or(name, address.as_str());
    let (channel, _) = create(
        &state,
        &member,
        ChannelKind::Email,
        name,
        &address,
        &credentials,
    )
    .await?;
    let cursor =
        serde_json::to_string(&cursor).map_err(|e| ApiError::Internal(format!("cursor: {e}")))?;
    state.store.set_channel_cursor(channel.id, &cursor).await?;
    tracing::info!(channel = %channel.id, "mailbox connected");
    Ok((StatusCode::CREATED, Json(info(&state, channel, true))))
}

/// Disconnects a channel: Telegram stops sending updates (best effort), nothing more is
/// delivered through it, its conversations stay.
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/channels/{id}",
    operation_id = "disconnect_channel",
    tag = "channels",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ChannelId, Path, description = "The channel."),
    ),
    responses(
        (status = 204, description = "Disconnected."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers disconnect channels.", body = ErrorBody),
        (status = 404, description = "No such channel in the workspace.", body = ErrorBody),
    ),
)]
async fn disconnect_channel(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ChannelId)>,
) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    let channel = state.store.channel(member.workspace, id).await?;
    if channel.kind == ChannelKind::Telegram
        && let Some(credentials) = state.store.channel_credentials(channel.id).await?
        && let Ok(bot) = Bot::from_credentials(&state, &credentials)
        && let Err(error) = bot.delete_webhook().await
    {
        tracing::warn!(channel = %channel.id, ?error, "Telegram webhook not removed");
    }
    for event in state
        .store
        .disconnect_channel(member.workspace, channel.id)
        .await?
    {
        state.publish(Some(event));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::plausible_token;

    #[test]
    fn bot_tokens_have_botfathers_shape() {
        assert!(plausible_token(
            "123456789:AAEhBP0av28q0TRl2QWbAfXAL3gyQWfu8qA"
        ));
        for bad in [
            "",
            "123456789",
            ":AAEhBP0av28q0TRl2QWbAfXAL3gyQWfu8qA",
            "12a:AAEhBP0av28q0TRl2QWbAfXAL3gyQWfu8qA",
            "123:short",
            "123:AAEhBP0av28q0TRl2QWbAf/AL3gyQWfu8qA",
            "123:AAEhBP0av28q0TRl2QWbAfXAL3gyQWfu8qA\n",
        ] {
            assert!(!plausible_token(bad), "{bad:?}");
        }
    }
}

//! The OpenAPI 3 document of `/api/v1`, served at `GET /api/v1/openapi.json`.
//!
//! Nothing here lists routes: every router module registers its handlers with
//! `utoipa_axum::routes!`, which adds the axum route and its `#[utoipa::path]` operation in
//! the same call, so a route cannot be served without being documented. This module adds what
//! no handler says: the document's info, its tags and the security schemes.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Extension;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use switchboard_protocol::inbox::{Folder, Sort};
use switchboard_protocol::*;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where the API is mounted; the document's paths include it.
pub const PREFIX: &str = "/api/v1";

/// The security scheme of agents: the session cookie set by `POST /auth/login`.
pub const SESSION: &str = crate::auth::SESSION_COOKIE;
/// The security scheme of website-chat visitors on HTTP: `Authorization: Bearer TOKEN`.
pub const VISITOR: &str = "visitor_token";
/// The same visitor token on the visitor WebSocket, which browsers cannot give headers.
pub const VISITOR_QUERY: &str = "visitor_token_query";
/// Telegram's webhook calls: the secret token given to `setWebhook`, in Telegram's header.
pub const TELEGRAM: &str = "telegram_secret_token";
/// WhatsApp's notifications: the app secret's HMAC of the body.
pub const WHATSAPP: &str = "whatsapp_signature";
/// WhatsApp's verification handshake: the channel's verify token.
pub const WHATSAPP_VERIFY: &str = "whatsapp_verify_token";
/// TikTok's webhook calls: the app secret's timestamped HMAC of the body.
pub const TIKTOK: &str = "tiktok_signature";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Switchboard API",
        description = "The REST and WebSocket API of Switchboard, a team inbox.\n\n\
            Agents sign in with `POST /api/v1/auth/login`, which sets the `sb_session` cookie; \
            every agent route needs it and answers 401 without it. Workspace routes answer 404 \
            (not 403) to non-members, so other workspaces' existence is not revealed. \
            Website-chat visitors are anonymous: `POST /api/v1/chat/{key}/visitors` gives a \
            token, sent as `Authorization: Bearer TOKEN` (or `?token=` on the WebSocket).\n\n\
            Every failure answers with an `ErrorBody`. Enums are snake_case strings, ids are \
            integers, times are RFC 3339. Lists are keyset-paginated: pass `next_cursor` back \
            as `cursor`.",
        license(name = "AGPL-3.0-only", identifier = "AGPL-3.0-only"),
    ),
    modifiers(&SecuritySchemes),
    // `routes!` collects the schemas of bodies, not those that only parameters refer to.
    components(schemas(
        ErrorBody,
        Folder,
        Sort,
        ConversationStatus,
        WorkspaceId,
        ConversationId,
        ContactId,
        CustomInboxId,
        CustomFieldId,
        SnippetId,
        AttachmentId,
        TeamId,
        UserId,
        switchboard_protocol::crm::CrmProvider,
    )),
    tags(
        (name = "system", description = "Health and this document; public."),
        (name = "auth", description = "Login, logout and the signed-in user."),
        (name = "inbox", description = "Conversation lists, folders and custom inboxes (saved filters)."),
        (name = "conversations", description = "One conversation: its thread, sending, and the actions (assign, close, snooze, reopen)."),
        (name = "attachments", description = "Files sent with messages: upload, then download."),
        (name = "contacts", description = "Contacts: add, view, edit, block."),
        (name = "search", description = "Full-text search of contacts, messages and comments."),
        (name = "workspace", description = "Workspace settings, members, teams, custom contact fields and snippets (saved replies)."),
        (name = "realtime", description = "The agent WebSocket of workspace events."),
        (name = "notifications", description = "The notification centre, what each member wants pushed, and devices' Web Push subscriptions."),
        (name = "website_chat", description = "The anonymous visitor API of the website chat."),
        (name = "ai", description = "The workspace's AI provider (an OpenAI-compatible endpoint, its key write-only) and what agents ask of it."),
        (name = "workflows", description = "Workflows: the workspace's automations (one trigger, ordered steps), Shortcut runs from a conversation, and a contact's runs with Stop."),
        (name = "dialogflow", description = "The Dialogflow bot: the workspace's Dialogflow ES agent (its service account key write-only) and the bot's switch per conversation."),
        (name = "crm", description = "CRM panels: the workspace's HubSpot and Salesforce connections (their credentials write-only) and contacts' records in them."),
        (name = "channels", description = "Provider channels: connect and disconnect them, and the providers' webhooks (each verified by the provider's own signature or secret)."),
    ),
)]
struct ApiDoc;

/// Adds the security schemes the operations refer to by name.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION,
                "The agent's session: a random token set (HttpOnly, SameSite=Lax) by \
                 `POST /api/v1/auth/login` and removed by `POST /api/v1/auth/logout`.",
            ))),
        );
        components.add_security_scheme(
            VISITOR,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A website-chat visitor's token from `POST /api/v1/chat/{key}/visitors`, \
                         valid for that chat only.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            TELEGRAM,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Telegram-Bot-Api-Secret-Token",
                "The secret token Switchboard gave Telegram's `setWebhook` when the bot was \
                 connected; Telegram repeats it on every update.",
            ))),
        );
        components.add_security_scheme(
            WHATSAPP,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Hub-Signature-256",
                "`sha256=` and the hex HMAC-SHA256 of the raw body keyed with the Meta app's \
                 secret, as Meta signs every notification.",
            ))),
        );
        components.add_security_scheme(
            WHATSAPP_VERIFY,
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "hub.verify_token",
                "The verify token chosen when the number was connected, repeated by Meta's \
                 verification handshake.",
            ))),
        );
        components.add_security_scheme(
            TIKTOK,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Tiktok-Signature",
                "`t=<unix seconds>,s=<hex>`: the HMAC-SHA256 of `<t>.<raw body>` keyed with \
                 the TikTok app's secret; calls signed too long ago are refused.",
            ))),
        );
        components.add_security_scheme(
            VISITOR_QUERY,
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "token",
                "The visitor token as the `token` query parameter, for the visitor WebSocket.",
            ))),
        );
    }
}

/// The complete document: [`ApiDoc`] with the operations of `api` (as registered, without
/// the prefix) mounted under [`PREFIX`].
pub fn document(api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    ApiDoc::openapi().nest(PREFIX, api)
}

/// `GET /openapi.json`; the document reaches the handler as an extension of the API router.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document: the OpenAPI description of every `/api/v1` route.
///
/// Public, so tools can fetch it without signing in.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi",
    tag = "system",
    responses((
        status = 200,
        description = "The OpenAPI 3 document.",
        content_type = "application/json",
        body = Object,
    )),
)]
async fn openapi_json(
    Extension(document): Extension<Arc<utoipa::openapi::OpenApi>>,
) -> Result<Response, ApiError> {
    let json = document
        .to_json()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        json,
    )
        .into_response())
}

//! The notification centre (O1) and what a member wants pushed (O3): each member reads and
//! marks only their own entries, in the workspace of the path. Entries are written by the
//! store with what they tell of; the app refreshes the centre when an event may concern it.

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use switchboard_protocol::notifications::*;
use switchboard_protocol::*;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Entries answered at most, and by default.
const MAX_PAGE: u32 = 100;
const DEFAULT_PAGE: u32 = 30;
/// Ids one request may mark read.
const MAX_IDS: usize = 500;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(notifications))
        .routes(routes!(mark_read))
        .routes(routes!(preferences, set_preferences))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Entries older than this one (the previous page's last id).
    pub before: Option<NotificationId>,
    /// At most this many (1–100, default 30).
    pub limit: Option<u32>,
}

/// The member's notification centre, newest first, and how many entries are unread.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/notifications",
    operation_id = "list_notifications",
    tag = "notifications",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace."), NotificationQuery),
    responses(
        (status = 200, description = "The entries.", body = NotificationList),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 422, description = "A limit outside 1–100.", body = ErrorBody),
    ),
)]
async fn notifications(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<NotificationQuery>,
) -> Result<Json<NotificationList>, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::validation(
            "limit",
            format!("Ask for 1 to {MAX_PAGE} entries."),
        ));
    }
    Ok(Json(
        state
            .store
            .notifications(member.workspace, &member.viewer, query.before, limit)
            .await?,
    ))
}

/// Marks the member's entries read: the ones named, or all. Other members' entries are left
/// as they are.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/notifications/read",
    operation_id = "mark_notifications_read",
    tag = "notifications",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = MarkNotificationsRead,
    responses(
        (status = 200, description = "The centre as it is now.", body = NotificationList),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 422, description = "More than 500 ids.", body = ErrorBody),
    ),
)]
async fn mark_read(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<MarkNotificationsRead>,
) -> Result<Json<NotificationList>, ApiError> {
    if request.ids.as_ref().is_some_and(|ids| ids.len() > MAX_IDS) {
        return Err(ApiError::validation(
            "ids",
            format!("Mark at most {MAX_IDS} entries at once."),
        ));
    }
    state
        .store
        .mark_notifications_read(
            member.workspace,
            member.user.id,
            request.ids.as_deref(),
            Utc::now(),
        )
        .await?;
    Ok(Json(
        state
            .store
            .notifications(member.workspace, &member.viewer, None, DEFAULT_PAGE)
            .await?,
    ))
}

/// What the member wants pushed to their devices in this workspace.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/notifications/preferences",
    operation_id = "notification_preferences",
    tag = "notifications",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The member's choices.", body = NotificationPreferences),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn preferences(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<NotificationPreferences>, ApiError> {
    Ok(Json(
        state
            .store
            .notification_preferences(member.workspace, member.user.id)
            .await?,
    ))
}

/// Changes what the member wants pushed in this workspace (their own choice; the centre
/// always lists everything).
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/notifications/preferences",
    operation_id = "set_notification_preferences",
    tag = "notifications",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = NotificationPreferences,
    responses(
        (status = 200, description = "The member's choices.", body = NotificationPreferences),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn set_preferences(
    State(state): State<AppState>,
    member: Member,
    Json(preferences): Json<NotificationPreferences>,
) -> Result<Json<NotificationPreferences>, ApiError> {
    state
        .store
        .set_notification_preferences(member.workspace, member.user.id, preferences)
        .await?;
    Ok(Json(preferences))
}

//! Inbox views (N2–N7, T2): the conversation list with its folder, status tab, sort, search
//! and unreplied filter; the folder list with counts; custom inboxes (saved filters, private
//! or shared). The folder a request names is resolved and access-checked here; the store
//! runs the query.

use crate::access::Member;
use crate::conversations::{cursor, page_limit};
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use switchboard_protocol::api::Page;
use switchboard_protocol::contacts::{self, CustomField, FieldKind};
use switchboard_protocol::inbox::*;
use switchboard_protocol::validation;
use switchboard_protocol::*;
use switchboard_storage::{ActivityCursor, FolderSpec, InboxSpec, PageRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(folders))
        .routes(routes!(custom_inboxes, create_inbox))
        .routes(routes!(one_inbox, update_inbox, delete_inbox))
}

/// May the member use this custom inbox: their own, or shared with them or a team of theirs.
fn can_use(member: &Member, inbox: &CustomInbox) -> bool {
    inbox.owner == member.user.id
        || inbox.shared_with_users.contains(&member.user.id)
        || inbox
            .shared_with_teams
            .iter()
            .any(|t| member.viewer.teams.contains(t))
}

async fn usable_inbox(
    state: &AppState,
    member: &Member,
    id: CustomInboxId,
) -> Result<CustomInbox, ApiError> {
    let inbox = state.store.custom_inbox(member.workspace, id).await?;
    if can_use(member, &inbox) {
        Ok(inbox)
    } else {
        Err(ApiError::NotFound)
    }
}

/// The folder as the store runs it; folders the member may not open are `NotFound`.
async fn resolve(
    state: &AppState,
    member: &Member,
    folder: Folder,
) -> Result<FolderSpec, ApiError> {
    Ok(match folder {
        Folder::All => FolderSpec::All,
        Folder::Mine => FolderSpec::Mine,
        Folder::Unassigned => FolderSpec::Unassigned,
        Folder::Blocked if member.permissions().view_blocked => FolderSpec::Blocked,
        Folder::Blocked => return Err(ApiError::NotFound),
        Folder::Team(team) => {
            let teams = state.store.teams(member.workspace).await?;
            if !teams.iter().any(|t| t.id == team) {
                return Err(ApiError::NotFound);
            }
            FolderSpec::Team(team)
        }
        Folder::Custom(id) => FolderSpec::Custom(usable_inbox(state, member, id).await?.filter),
    })
}

/// Midnight (UTC) of the workspace's unreplied cutoff date.
async fn cutoff(state: &AppState, workspace: WorkspaceId) -> Result<DateTime<Utc>, ApiError> {
    let date = state.store.settings(workspace).await?.unreplied_cutoff;
    Ok(date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

/// The conversation list (N2–N7): a folder, a status tab, a sort, a search and the
/// unreplied filter, newest activity first by default.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/conversations",
    operation_id = "list_conversations",
    tag = "inbox",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace."), InboxQuery),
    responses(
        (status = 200, description = "One page of conversations, masked for the caller.", body = Page<ConversationSummary>,
            headers(("switchboard-seq" = u64, description = "The newest event sequence number before the list was read: following the socket from it (`since`) misses no change."))),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace, or a folder the caller may not open.", body = ErrorBody),
        (status = 422, description = "An unknown folder, status or sort; a search too long; or an invalid cursor or limit.", body = ErrorBody),
    ),
)]
async fn list(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<InboxQuery>,
) -> Result<impl IntoResponse, ApiError> {
    if let Some(q) = &query.q
        && (q.chars().count() > MAX_SEARCH_CHARS || validation::has_control(q, false))
    {
        return Err(ApiError::validation(
            "q",
            format!(
                "Search for at most {MAX_SEARCH_CHARS} characters, without control characters."
            ),
        ));
    }
    let spec = InboxSpec {
        folder: resolve(&state, &member, query.folder).await?,
        status: query.status,
        sort: query.sort,
        search: query.q.clone(),
        unreplied_since: if query.unreplied {
            Some(cutoff(&state, member.workspace).await?)
        } else {
            None
        },
        now: Utc::now(),
    };
    let page = PageRequest {
        after: cursor(query.cursor.as_deref(), ActivityCursor::decode)?,
        limit: page_limit(query.limit)?,
    };
    // Read before the rows: an event committed meanwhile is both in them and replayed.
    let seq = state.store.last_seq(member.workspace).await?;
    let page = state
        .store
        .inbox(member.workspace, &member.viewer, &spec, page)
        .await?;
    Ok((
        [(events::SEQ_HEADER, seq.to_string())],
        Json(Page {
            items: page
                .items
                .into_iter()
                .map(|c| c.masked_for(member.permissions()))
                .collect(),
            next_cursor: page.next_cursor,
        }),
    ))
}

/// The caller's folders with their counts of open and unread conversations.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/folders",
    operation_id = "list_folders",
    tag = "inbox",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The folders.", body = Folders),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn folders(State(state): State<AppState>, member: Member) -> Result<Json<Folders>, ApiError> {
    let now = Utc::now();
    let count = |folder: FolderSpec| {
        let state = state.clone();
        let member = member.clone();
        async move {
            let spec = InboxSpec {
                folder,
                ..InboxSpec::all(now)
            };
            state
                .store
                .count(member.workspace, &member.viewer, &spec)
                .await
        }
    };
    let mut teams = Vec::new();
    for team in state.store.teams(member.workspace).await? {
        if member.viewer.role.manages() || member.viewer.teams.contains(&team.id) {
            teams.push(NamedFolder {
                id: team.id,
                name: team.name,
                count: count(FolderSpec::Team(team.id)).await?,
            });
        }
    }
    let mut created_by_me = Vec::new();
    let mut shared_with_me = Vec::new();
    for inbox in state
        .store
        .custom_inboxes(member.workspace, &member.viewer)
        .await?
    {
        let folder = NamedFolder {
            id: inbox.id,
            name: inbox.name,
            count: count(FolderSpec::Custom(inbox.filter)).await?,
        };
        if inbox.owner == member.user.id {
            created_by_me.push(folder);
        } else {
            shared_with_me.push(folder);
        }
    }
    let blocked =
        if member.permissions().view_blocked && state.store.has_blocked(member.workspace).await? {
            Some(count(FolderSpec::Blocked).await?)
        } else {
            None
        };
    Ok(Json(Folders {
        all: count(FolderSpec::All).await?,
        mine: count(FolderSpec::Mine).await?,
        unassigned: count(FolderSpec::Unassigned).await?,
        teams,
        created_by_me,
        shared_with_me,
        blocked,
    }))
}

/// Checks a custom inbox's name and conditions against the workspace's fields.
fn check_inbox(
    request: &CustomInboxRequest,
    fields: &[CustomField],
) -> Result<CustomInboxRequest, ApiError> {
    let name = request.name.trim();
    if validation::has_control(name, false)
        || name.is_empty()
        || name.chars().count() > contacts::MAX_NAME_CHARS
    {
        return Err(ApiError::validation(
            "name",
            "A custom inbox name is 1 to 100 characters.",
        ));
    }
    let mut checked = request.clone();
    checked.name = name.to_owned();
    for condition in &mut checked.filter.contact {
        let needs_value = !matches!(condition.op, FieldOp::IsSet | FieldOp::IsNotSet);
        let value = condition.value.as_deref().map(str::trim).unwrap_or("");
        if !needs_value {
            condition.value = None;
            continue;
        }
        if value.is_empty()
            || value.chars().count() > contacts::MAX_FIELD_CHARS
            || validation::has_control(value, false)
        {
            return Err(ApiError::validation(
                "filter.contact",
                "Give each condition a value of 1 to 500 characters.",
            ));
        }
        let ordered = matches!(condition.op, FieldOp::GreaterThan | FieldOp::LessThan);
        match condition.field {
            ContactField::Custom(id) => {
                let field = fields.iter().find(|f| f.id == id).ok_or_else(|| {
                    ApiError::validation(
                        "filter.contact",
                        format!("There is no custom field {id}."),
                    )
                })?;
                if ordered && !matches!(field.kind, FieldKind::Number | FieldKind::Date) {
                    return Err(ApiError::validation(
                        "filter.contact",
                        format!("{} cannot be compared as greater or less.", field.label),
                    ));
                }
                if condition.op != FieldOp::Contains {
                    condition.value = contacts::field_value(field, value)?;
                }
            }
            _ if ordered => {
                return Err(ApiError::validation(
                    "filter.contact",
                    "Only number and date fields compare as greater or less.",
                ));
            }
            _ => condition.value = Some(value.to_owned()),
        }
    }
    if let Some(
        AgeCondition::WithinMinutes { minutes: 0 } | AgeCondition::OlderThanMinutes { minutes: 0 },
    ) = checked.filter.last_incoming
    {
        return Err(ApiError::validation(
            "filter.last_incoming",
            "Give a time of at least one minute.",
        ));
    }
    Ok(checked)
}

/// The custom inboxes the caller may use: their own and those shared with them or their
/// teams (T2).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/inboxes",
    operation_id = "list_custom_inboxes",
    tag = "inbox",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The custom inboxes.", body = Vec<CustomInbox>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn custom_inboxes(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Vec<CustomInbox>>, ApiError> {
    Ok(Json(
        state
            .store
            .custom_inboxes(member.workspace, &member.viewer)
            .await?,
    ))
}

/// One custom inbox the caller may use.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/inboxes/{id}",
    operation_id = "get_custom_inbox",
    tag = "inbox",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = CustomInboxId, Path, description = "The custom inbox."),
    ),
    responses(
        (status = 200, description = "The custom inbox.", body = CustomInbox),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such custom inbox, or not shared with the caller.", body = ErrorBody),
    ),
)]
async fn one_inbox(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, CustomInboxId)>,
) -> Result<Json<CustomInbox>, ApiError> {
    Ok(Json(usable_inbox(&state, &member, id).await?))
}

/// Saves a filter as a custom inbox owned by the caller, private or shared.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/inboxes",
    operation_id = "create_custom_inbox",
    tag = "inbox",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = CustomInboxRequest,
    responses(
        (status = 201, description = "The new custom inbox.", body = CustomInbox),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "The inbox clashes with an existing one.", body = ErrorBody),
        (status = 422, description = "An invalid name or condition, sharing with non-members or foreign teams, or a malformed body.", body = ErrorBody),
    ),
)]
async fn create_inbox(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<CustomInboxRequest>,
) -> Result<Response, ApiError> {
    let fields = state.store.custom_fields(member.workspace).await?;
    let request = check_inbox(&request, &fields)?;
    let inbox = state.published(
        state
            .store
            .create_custom_inbox(member.workspace, member.user.id, &request)
            .await?,
    );
    Ok((StatusCode::CREATED, Json(inbox)).into_response())
}

/// The owner changes their inbox; owners and managers may change anyone's.
async fn editable_inbox(
    state: &AppState,
    member: &Member,
    id: CustomInboxId,
) -> Result<CustomInbox, ApiError> {
    let inbox = usable_inbox(state, member, id).await?;
    if inbox.owner == member.user.id || member.viewer.role.manages() {
        Ok(inbox)
    } else {
        Err(ApiError::Forbidden(
            "Only its creator or a manager can change this inbox.".into(),
        ))
    }
}

/// Replaces a custom inbox: its owner may, and so may owners and managers.
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/inboxes/{id}",
    operation_id = "update_custom_inbox",
    tag = "inbox",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = CustomInboxId, Path, description = "The custom inbox."),
    ),
    request_body = CustomInboxRequest,
    responses(
        (status = 200, description = "The custom inbox as it is now.", body = CustomInbox),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Neither its creator nor a manager.", body = ErrorBody),
        (status = 404, description = "No such custom inbox, or not shared with the caller.", body = ErrorBody),
        (status = 409, description = "The inbox clashes with an existing one.", body = ErrorBody),
        (status = 422, description = "An invalid name or condition, sharing with non-members or foreign teams, or a malformed body.", body = ErrorBody),
    ),
)]
async fn update_inbox(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, CustomInboxId)>,
    Json(request): Json<CustomInboxRequest>,
) -> Result<Json<CustomInbox>, ApiError> {
    editable_inbox(&state, &member, id).await?;
    let fields = state.store.custom_fields(member.workspace).await?;
    let request = check_inbox(&request, &fields)?;
    Ok(Json(
        state.published(
            state
                .store
                .update_custom_inbox(member.workspace, id, &request)
                .await?,
        ),
    ))
}

/// Deletes a custom inbox: its owner may, and so may owners and managers.
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/inboxes/{id}",
    operation_id = "delete_custom_inbox",
    tag = "inbox",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = CustomInboxId, Path, description = "The custom inbox."),
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Neither its creator nor a manager.", body = ErrorBody),
        (status = 404, description = "No such custom inbox, or not shared with the caller.", body = ErrorBody),
    ),
)]
async fn delete_inbox(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, CustomInboxId)>,
) -> Result<StatusCode, ApiError> {
    editable_inbox(&state, &member, id).await?;
    state.publish(Some(
        state
            .store
            .delete_custom_inbox(member.workspace, id)
            .await?,
    ));
    Ok(StatusCode::NO_CONTENT)
}

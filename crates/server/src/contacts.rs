//! Contacts (P1–P4): add, view, edit (with custom fields checked by type), block and unblock
//! (A4). Phone masking applies to everything answered, and a masked member cannot change a
//! number they cannot see.

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use switchboard_protocol::contacts::{
    self, Contact, ContactPatch, CustomField, FieldValue, Invalid, NewContactRequest,
};
use switchboard_protocol::*;
use switchboard_storage::{ContactChanges, NewContact};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(one, update))
        .routes(routes!(block))
        .routes(routes!(unblock))
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> ApiError {
        ApiError::Validation {
            message: invalid.message,
            field: Some(invalid.field),
        }
    }
}

/// Checks custom field values against the workspace's fields; `None` values clear.
fn check_fields(
    fields: &[CustomField],
    values: &[FieldValue],
) -> Result<Vec<(CustomFieldId, Option<String>)>, ApiError> {
    values
        .iter()
        .map(|v| {
            let field = fields.iter().find(|f| f.id == v.field).ok_or_else(|| {
                ApiError::validation("fields", format!("There is no custom field {}.", v.field))
            })?;
            Ok((v.field, contacts::field_value(field, &v.value)?))
        })
        .collect()
}

/// Adds a contact (P1) on the workspace's first channel; its conversation starts closed.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/contacts",
    operation_id = "create_contact",
    tag = "contacts",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = NewContactRequest,
    responses(
        (status = 201, description = "The new contact, masked for the caller.", body = Contact),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "The workspace has no channel yet, or the contact clashes with an existing one.", body = ErrorBody),
        (status = 422, description = "No name, e-mail or phone; an invalid e-mail, phone or custom field value; or a malformed body.", body = ErrorBody),
    ),
)]
async fn create(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<NewContactRequest>,
) -> Result<Response, ApiError> {
    let first_name = contacts::name("first_name", &request.first_name)?;
    let last_name = contacts::name("last_name", &request.last_name)?;
    let email = contacts::email(request.email.as_deref())?;
    let phone = contacts::phone(request.phone.as_deref())?;
    if first_name.is_empty() && last_name.is_empty() && email.is_none() && phone.is_none() {
        return Err(ApiError::validation(
            "first_name",
            "Give the contact a name, an e-mail or a phone number.",
        ));
    }
    let fields = state.store.custom_fields(member.workspace).await?;
    let values: Vec<FieldValue> = check_fields(&fields, &request.fields)?
        .into_iter()
        .filter_map(|(field, value)| value.map(|value| FieldValue { field, value }))
        .collect();
    let channel = state
        .store
        .channels(member.workspace)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::Conflict("Connect a channel before adding contacts.".into()))?;
    let conversation = state
        .store
        .create_contact(NewContact {
            workspace: member.workspace,
            channel: channel.id,
            first_name: &first_name,
            last_name: &last_name,
            email: email.as_deref(),
            phone: phone.as_deref(),
            fields: &values,
            created_at: Utc::now(),
        })
        .await?;
    let contact = state
        .store
        .contact(member.workspace, conversation.contact.id)
        .await?;
    Ok((StatusCode::CREATED, Json(member.contact(contact)?)).into_response())
}

/// One contact with its custom field values (P2), masked for the caller (P4).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/contacts/{id}",
    operation_id = "get_contact",
    tag = "contacts",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
    ),
    responses(
        (status = 200, description = "The contact.", body = Contact),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such contact, blocked and hidden from the caller, or not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn one(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ContactId)>,
) -> Result<Json<Contact>, ApiError> {
    Ok(Json(member.contact(
        state.store.contact(member.workspace, id).await?,
    )?))
}

/// Changes a contact (P2): absent members stay, `null` clears; custom fields are checked
/// by type.
#[utoipa::path(
    patch,
    path = "/workspaces/{ws}/contacts/{id}",
    operation_id = "update_contact",
    tag = "contacts",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
    ),
    request_body = ContactPatch,
    responses(
        (status = 200, description = "The contact as it is now.", body = Contact),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "The caller's phone numbers are masked, so they cannot change this one.", body = ErrorBody),
        (status = 404, description = "No such contact, or hidden from the caller.", body = ErrorBody),
        (status = 409, description = "The change clashes with existing data.", body = ErrorBody),
        (status = 422, description = "An invalid name, e-mail, phone or custom field value, or a malformed body.", body = ErrorBody),
    ),
)]
async fn update(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ContactId)>,
    Json(patch): Json<ContactPatch>,
) -> Result<Json<Contact>, ApiError> {
    let current = member.contact(state.store.contact(member.workspace, id).await?)?;
    if patch.phone.is_some() && current.summary.phone_masked {
        return Err(ApiError::Forbidden(
            "Phone numbers are hidden from you, so you cannot change this one.".into(),
        ));
    }
    let fields = state.store.custom_fields(member.workspace).await?;
    let changes = ContactChanges {
        first_name: patch
            .first_name
            .as_deref()
            .map(|n| contacts::name("first_name", n))
            .transpose()?,
        last_name: patch
            .last_name
            .as_deref()
            .map(|n| contacts::name("last_name", n))
            .transpose()?,
        email: patch
            .email
            .as_ref()
            .map(|e| contacts::email(e.as_deref()))
            .transpose()?,
        phone: patch
            .phone
            .as_ref()
            .map(|p| contacts::phone(p.as_deref()))
            .transpose()?,
        fields: check_fields(&fields, &patch.fields)?,
    };
    let changed: Vec<CustomFieldId> = changes
        .fields
        .iter()
        .filter(|(field, value)| {
            current
                .fields
                .iter()
                .find(|v| v.field == *field)
                .map(|v| &v.value)
                != value.as_ref()
        })
        .map(|(field, _)| *field)
        .collect();
    let (contact, event) = state
        .store
        .update_contact(member.workspace, id, &changes)
        .await?;
    let at = Utc::now();
    state.publish(Some(event));
    crate::workflows::triggers::fields_changed(
        &state,
        member.workspace,
        contact.conversation_id,
        &changed,
        at,
    )
    .await;
    Ok(Json(member.contact(contact)?))
}

async fn set_blocked(
    state: &AppState,
    member: &Member,
    id: ContactId,
    blocked: bool,
) -> Result<Json<Contact>, ApiError> {
    member.contact(state.store.contact(member.workspace, id).await?)?;
    let event = state
        .store
        .set_blocked(member.workspace, id, blocked)
        .await?;
    state.publish(event);
    let contact = state.store.contact(member.workspace, id).await?;
    // A member who may not view blocked contacts still learns that the block took effect.
    let mut shown = contact.clone();
    shown.summary = shown.summary.masked_for(member.permissions());
    Ok(Json(shown))
}

/// Blocks a contact (A4): their conversation moves to the Blocked folder.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/contacts/{id}/block",
    operation_id = "block_contact",
    tag = "contacts",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
    ),
    responses(
        (status = 200, description = "The blocked contact.", body = Contact),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such contact, or hidden from the caller.", body = ErrorBody),
    ),
)]
async fn block(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ContactId)>,
) -> Result<Json<Contact>, ApiError> {
    set_blocked(&state, &member, id, true).await
}

/// Unblocks a contact (A4).
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/contacts/{id}/unblock",
    operation_id = "unblock_contact",
    tag = "contacts",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
    ),
    responses(
        (status = 200, description = "The unblocked contact.", body = Contact),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such contact, or blocked and hidden from the caller.", body = ErrorBody),
    ),
)]
async fn unblock(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ContactId)>,
) -> Result<Json<Contact>, ApiError> {
    set_blocked(&state, &member, id, false).await
}

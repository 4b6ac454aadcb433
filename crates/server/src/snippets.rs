//! Snippets: the workspace's saved replies (K5, T3), which agents insert with `/` in the
//! composer, with their files. Every member may list them and take copies of their files to
//! send; only owners and managers add, change or delete them (files are uploaded first, then
//! named in the snippet). Each change reaches the sockets as `workspace_changed` with the
//! part `snippets`; the bytes of files a snippet no longer has are deleted.

use crate::access::Member;
use crate::attachments;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use switchboard_protocol::settings::{
    MAX_SNIPPET_FILES, MAX_SNIPPET_NAME_CHARS, Snippet, SnippetRequest,
};
use switchboard_protocol::validation;
use switchboard_protocol::*;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(snippets, create_snippet))
        .routes(routes!(update_snippet, delete_snippet))
        .routes(routes!(copy_snippet_files))
}

/// Checks a snippet as the store trusts it to be: the name trimmed, 1–60 characters on one
/// line; the text a valid message (1–4096 characters), trimmed.
fn checked(request: &SnippetRequest) -> Result<SnippetRequest, ApiError> {
    let name = request.name.trim();
    if validation::has_control(name, false) {
        return Err(ApiError::validation(
            "name",
            "A snippet name is one line without invisible control characters.",
        ));
    }
    if name.is_empty() || name.chars().count() > MAX_SNIPPET_NAME_CHARS {
        return Err(ApiError::validation(
            "name",
            format!("A snippet name is 1 to {MAX_SNIPPET_NAME_CHARS} characters."),
        ));
    }
    let text = validation::message_text(&request.text)
        .map_err(|error| ApiError::validation("text", error.to_string()))?;
    if request.files.len() > MAX_SNIPPET_FILES {
        return Err(ApiError::validation(
            "files",
            format!(
                "A snippet carries at most {MAX_SNIPPET_FILES} files; this one would have {}.",
                request.files.len()
            ),
        ));
    }
    Ok(SnippetRequest {
        name: name.to_owned(),
        text: text.to_owned(),
        files: request.files.clone(),
    })
}

/// The workspace's snippets, ordered by name without regard to case. Every member may read
/// them.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/snippets",
    operation_id = "list_snippets",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The snippets.", body = Vec<Snippet>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn snippets(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Vec<Snippet>>, ApiError> {
    Ok(Json(state.store.snippets(member.workspace).await?))
}

/// Adds a snippet (managers only).
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/snippets",
    operation_id = "create_snippet",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = SnippetRequest,
    responses(
        (status = 201, description = "The new snippet.", body = Snippet),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "A snippet of that name (in any case) exists.", body = ErrorBody),
        (status = 422, description = "An empty, too long or multi-line name, an invalid text, more than 50 files, a file that is not the caller's unsent upload, or a malformed body.", body = ErrorBody),
    ),
)]
async fn create_snippet(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<SnippetRequest>,
) -> Result<Response, ApiError> {
    member.require_manager()?;
    let request = checked(&request)?;
    let snippet = state.published(
        state
            .store
            .create_snippet(member.workspace, &request, member.user.id)
            .await?,
    );
    Ok((StatusCode::CREATED, Json(snippet)).into_response())
}

/// Renames a snippet and replaces its text and files (managers only). Files left out are
/// deleted.
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/snippets/{id}",
    operation_id = "update_snippet",
    tag = "workspace",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = SnippetId, Path, description = "The snippet."),
    ),
    request_body = SnippetRequest,
    responses(
        (status = 200, description = "The snippet as it is now.", body = Snippet),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "No such snippet, or not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "Another snippet of that name (in any case) exists.", body = ErrorBody),
        (status = 422, description = "An empty, too long or multi-line name, an invalid text, more than 50 files, a file that is neither the snippet's nor the caller's unsent upload, or a malformed body.", body = ErrorBody),
    ),
)]
async fn update_snippet(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, SnippetId)>,
    Json(request): Json<SnippetRequest>,
) -> Result<Json<Snippet>, ApiError> {
    member.require_manager()?;
    let request = checked(&request)?;
    let (snippet, event, removed) = state
        .store
        .update_snippet(member.workspace, id, &request, member.user.id)
        .await?;
    state.publish(Some(event));
    for key in removed {
        attachments::forget(&state, &key).await;
    }
    Ok(Json(snippet))
}

/// Deletes a snippet with its files (managers only).
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/snippets/{id}",
    operation_id = "delete_snippet",
    tag = "workspace",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = SnippetId, Path, description = "The snippet."),
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "No such snippet, or not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn delete_snippet(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, SnippetId)>,
) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    let (event, removed) = state.store.delete_snippet(member.workspace, id).await?;
    state.publish(Some(event));
    for key in removed {
        attachments::forget(&state, &key).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Copies of the snippet's files, in order, as the caller's own unsent uploads: what the
/// composer attaches when the snippet is inserted (any member).
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/snippets/{id}/files",
    operation_id = "copy_snippet_files",
    tag = "workspace",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = SnippetId, Path, description = "The snippet."),
    ),
    responses(
        (status = 201, description = "The copies, not yet sent.", body = Vec<Attachment>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such snippet, or not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn copy_snippet_files(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, SnippetId)>,
) -> Result<Response, ApiError> {
    let snippet = state
        .store
        .snippets(member.workspace)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(ApiError::NotFound)?;
    let mut copies = Vec::with_capacity(snippet.files.len());
    for file in &snippet.files {
        let record = state.store.attachment(member.workspace, file.id).await?;
        copies.push(attachments::copy_for(&state, &member, &record).await?);
    }
    Ok((StatusCode::CREATED, Json(copies)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, text: &str) -> SnippetRequest {
        SnippetRequest {
            name: name.into(),
            text: text.into(),
            files: vec![],
        }
    }

    fn refused_field(request: &SnippetRequest) -> Option<String> {
        match checked(request) {
            Err(ApiError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn names_and_texts_are_trimmed_and_bounded() {
        assert_eq!(
            checked(&request("  refund ", "\n Thirty days. \n")).expect("valid"),
            request("refund", "Thirty days.")
        );
        let longest = "n".repeat(MAX_SNIPPET_NAME_CHARS);
        assert!(checked(&request(&longest, "ok")).is_ok());
        // Characters, not bytes.
        assert!(checked(&request(&"ü".repeat(MAX_SNIPPET_NAME_CHARS), "ok")).is_ok());
        for name in [
            "",
            "   ",
            &"n".repeat(MAX_SNIPPET_NAME_CHARS + 1),
            "two\nlines",
            "tab\there",
            "nul\0",
        ] {
            assert_eq!(
                refused_field(&request(name, "ok")).as_deref(),
                Some("name"),
                "{name:?}"
            );
        }
        let longest_text = "t".repeat(validation::MAX_MESSAGE_CHARS);
        assert!(checked(&request("n", &longest_text)).is_ok());
        assert!(checked(&request("n", "line one\nline two")).is_ok());
        for text in [
            "",
            " \n ",
            &"t".repeat(validation::MAX_MESSAGE_CHARS + 1),
            "bell\u{7}",
        ] {
            assert_eq!(
                refused_field(&request("n", text)).as_deref(),
                Some("text"),
                "{text:?}"
            );
        }
    }
}

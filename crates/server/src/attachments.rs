//! File attachments (K3): uploading a file's bytes and reading them back.
//!
//! An upload (`POST …/attachments?name=…`, the raw bytes as the body) is checked by name and
//! size ([`validation::attachment`]) and by its first bytes (no programs; images must be
//! images), written to the [`ObjectStore`] under a random key (`ws{id}/{hex}`, never derived
//! from the name), then recorded unsent with its uploader. Sending a message names the ids;
//! the store attaches them in the message's transaction. The bytes are readable by members
//! who may see the conversation they were sent in, and before that by their uploader only
//! (a snippet's files, T3, by every member: sending one sends a copy, [`copy_for`]);
//! everyone else gets 404. They are served with their stored type, `nosniff` and a sandboxing
//! CSP, inline only for images, so nothing served from here can run script.

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use crate::tokens;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use std::sync::Arc;
use switchboard_protocol::validation::{self, AttachmentError, MAX_ATTACHMENT_BYTES};
use switchboard_protocol::*;
use switchboard_storage::NewAttachment;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest request body an upload may have: a little above the largest file, so a file
/// just over the limit reaches the size check and is answered with its name.
const UPLOAD_BODY_LIMIT: usize = MAX_ATTACHMENT_BYTES as usize + 64 * 1024;

/// What every served file is confined by: no script, no plugins, nothing loaded.
const SANDBOX: &str = "sandbox; default-src 'none'";

pub fn router() -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(upload))
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT));
    OpenApiRouter::new()
        .merge(uploads)
        .routes(routes!(download))
}

/// Where attachments' bytes are kept: the configured S3-compatible bucket, or local files
/// under `dir` (created if missing).
pub fn open_files(
    s3: Option<&crate::config::S3Files>,
    dir: &std::path::Path,
) -> std::io::Result<Arc<dyn ObjectStore>> {
    let Some(s3) = s3 else {
        return open_store(dir);
    };
    let mut builder = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name(&s3.bucket)
        .with_region(&s3.region)
        .with_access_key_id(&s3.access_key_id)
        .with_secret_access_key(&s3.secret_access_key);
    if let Some(endpoint) = &s3.endpoint {
        // S3-compatible services name buckets in the path, and may be plain HTTP on a
        // private network.
        builder = builder
            .with_endpoint(endpoint)
            .with_virtual_hosted_style_request(false)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    let bucket = builder.build().map_err(std::io::Error::other)?;
    Ok(Arc::new(bucket))
}

/// Local files under `dir` (created if missing).
pub fn open_store(dir: &std::path::Path) -> std::io::Result<Arc<dyn ObjectStore>> {
    std::fs::create_dir_all(dir)?;
    let files = LocalFileSystem::new_with_prefix(dir)
        .map_err(std::io::Error::other)?
        .with_automatic_cleanup(true);
    Ok(Arc::new(files))
}

/// `?name=`: the file's name as the sender has it.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name, with its extension (which decides its type).
    pub name: String,
}

/// Uploads a file to send with a message (K3): the raw bytes are the body, the name is in
/// the query.
///
/// Any member may upload. The file is kept unsent (readable by the uploader only) until a
/// message names its id in `attachments`.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/attachments",
    operation_id = "upload_attachment",
    tag = "attachments",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        UploadQuery,
    ),
    request_body(
        content = Vec<u8>,
        content_type = "application/octet-stream",
        description = "The file's bytes, at most 20 MB.",
    ),
    responses(
        (status = 201, description = "The file, not yet sent.", body = Attachment),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 413, description = "The file is over 20 MB.", body = ErrorBody),
        (status = 422, description = "No usable name, a type that may not be sent, an empty file, or contents that do not fit the name (a program, or an image that is none).", body = ErrorBody),
    ),
)]
async fn upload(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<UploadQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let name = query.name;
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_big(&name)
        } else {
            ApiError::validation("file", format!("\"{name}\" could not be received."))
        }
    })?;
    let content_type = validation::attachment(&name, bytes.len() as u64).map_err(|e| match e {
        AttachmentError::TooBig { .. } => too_big(&name),
        other => ApiError::validation("file", other.to_string()),
    })?;
    check_contents(&name, content_type, &bytes)?;

    let key = new_key(member.workspace);
    let location = object_path(&key)?;
    let size = bytes.len() as u64;
    state
        .files
        .put(&location, bytes.into())
        .await
        .map_err(|e| ApiError::Internal(format!("storing attachment {key}: {e}")))?;
    let created = state
        .store
        .create_attachment(NewAttachment {
            workspace: member.workspace,
            uploader: member.user.id,
            name,
            content_type: content_type.to_owned(),
            size,
            storage_key: key.clone(),
            created_at: Utc::now(),
        })
        .await;
    match created {
        Ok(record) => Ok((StatusCode::CREATED, Json(record.attachment)).into_response()),
        Err(error) => {
            if let Err(e) = state.files.delete(&location).await {
                tracing::warn!(%key, error = %e, "could not remove an unrecorded attachment");
            }
            Err(error.into())
        }
    }
}

fn too_big(name: &str) -> ApiError {
    ApiError::TooLarge(format!(
        "\"{name}\" is over {} MB, the most a file may be.",
        MAX_ATTACHMENT_BYTES / (1024 * 1024)
    ))
}

/// The file's first bytes must fit its name: never a program (whatever it is called), and
/// an image when the name says it is one.
fn check_contents(name: &str, content_type: &str, bytes: &[u8]) -> Result<(), ApiError> {
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_uppercase())
        .unwrap_or_default();
    if is_program(bytes) {
        return Err(ApiError::validation(
            "file",
            format!("\"{name}\" looks like a program, not a {extension} file."),
        ));
    }
    if content_type.starts_with("image/") && !infer::is_image(bytes) {
        return Err(ApiError::validation(
            "file",
            format!("\"{name}\" is not a {extension} image."),
        ));
    }
    Ok(())
}

/// Whether the bytes start like an executable or other code (Windows PE, ELF, Mach-O, WASM,
/// Java and Android bytecode, LLVM bitcode, COFF objects). Certificates and disk images,
/// which `infer` also counts as applications, are not programs.
fn is_program(bytes: &[u8]) -> bool {
    infer::get(bytes).is_some_and(|kind| {
        kind.matcher_type() == infer::MatcherType::App
            && !matches!(kind.extension(), "pem" | "der" | "qcow2")
    })
}

/// A new random storage key in the workspace's folder.
fn new_key(workspace: WorkspaceId) -> String {
    format!(
        "ws{workspace}/{}",
        hex::encode(tokens::random_bytes::<16>())
    )
}

/// A copy of a stored file as the member's own unsent upload (a snippet's file about to be
/// sent, T3): new bytes under a new key, so the copy's fate is the message's alone.
pub async fn copy_for(
    state: &AppState,
    member: &Member,
    record: &switchboard_storage::AttachmentRecord,
) -> Result<Attachment, ApiError> {
    let from = object_path(&record.storage_key)?;
    let key = new_key(member.workspace);
    let to = object_path(&key)?;
    state
        .files
        .copy(&from, &to)
        .await
        .map_err(|e| ApiError::Internal(format!("copying {}: {e}", record.storage_key)))?;
    let file = &record.attachment;
    let created = state
        .store
        .create_attachment(NewAttachment {
            workspace: member.workspace,
            uploader: member.user.id,
            name: file.name.clone(),
            content_type: file.content_type.clone(),
            size: file.size,
            storage_key: key.clone(),
            created_at: Utc::now(),
        })
        .await;
    match created {
        Ok(copy) => Ok(copy.attachment),
        Err(error) => {
            forget(state, &key).await;
            Err(error.into())
        }
    }
}

fn object_path(key: &str) -> Result<ObjectPath, ApiError> {
    ObjectPath::parse(key).map_err(|e| ApiError::Internal(format!("attachment key {key}: {e}")))
}

/// A file's bytes (K3).
///
/// Readable by members who may see the conversation it was sent in, before it is sent by its
/// uploader only, and by every member when it is a snippet's file; 404 for everyone else.
/// Served with its stored type, `nosniff` and a sandboxing Content-Security-Policy; images
/// inline, other files as downloads.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/attachments/{id}",
    operation_id = "download_attachment",
    tag = "attachments",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = AttachmentId, Path, description = "The file."),
    ),
    responses(
        (status = 200, description = "The file's bytes, with its content type.", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such file, not visible to the caller, or not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn download(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, AttachmentId)>,
) -> Result<Response, ApiError> {
    let record = state.store.attachment(member.workspace, id).await?;
    match record.conversation {
        Some(conversation) => {
            member.conversation(&state, conversation).await?;
        }
        None if record.uploader == Some(member.user.id) || record.snippet.is_some() => {}
        None => return Err(ApiError::NotFound),
    }
    serve(&state, record).await
}

/// Keeps the bytes of a file a contact sent through a provider. Its type comes from its first
/// bytes (never from the name or the provider), so only real pictures are ever shown inline.
pub async fn keep_inbound(
    state: &AppState,
    workspace: switchboard_protocol::WorkspaceId,
    name: &str,
    bytes: Bytes,
) -> Result<switchboard_storage::InboundFile, String> {
    let content_type = infer::get(&bytes)
        .map(|kind| kind.mime_type())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let key = format!(
        "ws{workspace}/in-{}",
        hex::encode(tokens::random_bytes::<16>())
    );
    let location = ObjectPath::parse(key.as_str()).map_err(|e| e.to_string())?;
    let size = bytes.len() as u64;
    state
        .files
        .put(&location, bytes.into())
        .await
        .map_err(|e| e.to_string())?;
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    Ok(switchboard_storage::InboundFile {
        name: if name.trim().is_empty() {
            "file".into()
        } else {
            name
        },
        content_type,
        size,
        storage_key: key,
    })
}

/// Removes kept bytes no message carries (a repeated delivery's files).
pub async fn forget(state: &AppState, key: &str) {
    if let Ok(location) = ObjectPath::parse(key)
        && let Err(error) = state.files.delete(&location).await
    {
        tracing::warn!(%key, %error, "could not remove an unused file");
    }
}

/// A sent file's bytes, for a channel adapter delivering its message.
pub async fn read(
    state: &AppState,
    workspace: switchboard_protocol::WorkspaceId,
    id: switchboard_protocol::AttachmentId,
) -> Result<axum::body::Bytes, String> {
    let record = state
        .store
        .attachment(workspace, id)
        .await
        .map_err(|e| e.to_string())?;
    let path = ObjectPath::parse(record.storage_key.as_str()).map_err(|e| e.to_string())?;
    let found = state.files.get(&path).await.map_err(|e| e.to_string())?;
    found.bytes().await.map_err(|e| e.to_string())
}

/// The bytes of a file whose reader was checked, with the headers that keep it inert.
pub async fn serve(
    state: &AppState,
    record: switchboard_storage::AttachmentRecord,
) -> Result<Response, ApiError> {
    let id = record.attachment.id;
    let key = record.storage_key;
    let found = state
        .files
        .get(&object_path(&key)?)
        .await
        .map_err(|e| ApiError::Internal(format!("reading attachment {key}: {e}")))?;
    let attachment = record.attachment;
    let header = |value: String| {
        HeaderValue::from_str(&value)
            .map_err(|e| ApiError::Internal(format!("attachment {id} header: {e}")))
    };
    let disposition = if attachment.is_image() {
        HeaderValue::from_static("inline")
    } else {
        header(content_disposition(&attachment.name))?
    };
    let headers = [
        (CONTENT_TYPE, header(attachment.content_type.clone())?),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (CONTENT_LENGTH, HeaderValue::from(found.meta.size)),
        (
            CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=3600"),
        ),
        (CONTENT_DISPOSITION, disposition),
        (CONTENT_SECURITY_POLICY, HeaderValue::from_static(SANDBOX)),
    ];
    Ok((headers, Body::from_stream(found.into_stream())).into_response())
}

/// RFC 5987's `attr-char`: what may stay unencoded in `filename*`.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII stand-in for old clients, the
/// real name percent-encoded for the rest.
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR_CHAR)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_name_the_file_in_ascii_and_in_full() {
        assert_eq!(
            content_disposition("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
        );
        assert_eq!(
            content_disposition("Счёт \"№5\".pdf"),
            "attachment; filename=\"____ __5_.pdf\"; \
             filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%20%22%E2%84%965%22.pdf"
        );
    }

    #[test]
    fn programs_are_recognised_whatever_their_name() {
        let mut pe = b"MZ".to_vec();
        pe.resize(256, 0);
        pe[0x3c] = 0x80;
        pe[0x80..0x84].copy_from_slice(b"PE\0\0");
        assert!(is_program(&pe));
        let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
        elf.resize(64, 0);
        assert!(is_program(&elf));
        assert!(is_program(b"\0asm\x01\0\0\0"));
        assert!(!is_program(b"%PDF-1.7\n"));
        assert!(!is_program(b"-----BEGIN CERTIFICATE-----\nMIIB"));
        assert!(!is_program(b"plain text"));
        assert!(check_contents("report.pdf", "application/pdf", &pe).is_err());
        assert!(check_contents("photo.png", "image/png", b"just text").is_err());
        assert!(check_contents("notes.txt", "text/plain", b"just text").is_ok());
    }
}

//! Snippets' files (T3): an uploaded file moves into a snippet (it is then neither unsent
//! nor sendable itself), is listed with it in order, and leaves with it. Members send a
//! snippet's files as copies, so what was sent never changes when the snippet does.

use crate::backend::{Bind, Conn, Sql};
use crate::queries::placeholders;
use crate::rows::{ATTACHMENT_COLUMNS, AttachmentRow};
use std::collections::HashMap;
use switchboard_protocol::*;
use switchboard_storage::{StoreError, StoreResult};

/// A snippet's file with the snippet it belongs to.
#[derive(sqlx::FromRow)]
struct SnippetFileRow {
    #[sqlx(flatten)]
    attachment: AttachmentRow,
    snippet_id: i64,
}

/// The files of the workspace's snippets (of one, when `only` names it), in order, by
/// snippet.
pub async fn files(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    only: Option<SnippetId>,
) -> StoreResult<HashMap<SnippetId, Vec<Attachment>>> {
    let mut sql = Sql::new(format!(
        "SELECT {ATTACHMENT_COLUMNS}, a.snippet_id FROM attachments a
         WHERE a.workspace_id = ? AND a.snippet_id IS NOT NULL{}
         ORDER BY a.snippet_id, a.position",
        if only.is_some() {
            " AND a.snippet_id = ?"
        } else {
            ""
        }
    ))
    .bind(workspace.0);
    if let Some(snippet) = only {
        sql = sql.bind(snippet.0);
    }
    let mut out: HashMap<SnippetId, Vec<Attachment>> = HashMap::new();
    for row in conn.fetch_all::<SnippetFileRow>(sql).await? {
        out.entry(SnippetId(row.snippet_id))
            .or_default()
            .push(row.attachment.into_attachment()?);
    }
    Ok(out)
}

/// Makes `files` the snippet's files, in order: each its own already or an unsent upload of
/// `by`. Returns the storage keys of the files it had and no longer has (their rows are
/// deleted). `Invalid { field: "files" }` for anything else; the caller's transaction then
/// changes nothing.
pub async fn set(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    snippet: SnippetId,
    files: &[AttachmentId],
    by: UserId,
) -> StoreResult<Vec<String>> {
    let invalid = |reason: String| StoreError::Invalid {
        field: "files",
        reason,
    };
    for (i, file) in files.iter().enumerate() {
        if files[..i].contains(file) {
            return Err(invalid(format!("File {file} is listed twice.")));
        }
    }
    let had: Vec<(i64, String)> = conn
        .fetch_all(
            Sql::new(
                "SELECT id, storage_key FROM attachments WHERE snippet_id = ? AND workspace_id = ?",
            )
            .bind(snippet.0)
            .bind(workspace.0),
        )
        .await?;
    for (position, file) in files.iter().enumerate() {
        let moved = conn
            .execute(
                Sql::new(
                    "UPDATE attachments SET snippet_id = ?, position = ?
                     WHERE id = ? AND workspace_id = ? AND message_id IS NULL
                       AND (snippet_id = ? OR (snippet_id IS NULL AND uploader_id = ?))",
                )
                .bind(snippet.0)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(file.0)
                .bind(workspace.0)
                .bind(snippet.0)
                .bind(by.0),
            )
            .await?;
        if moved == 0 {
            return Err(invalid(format!(
                "File {file} is not an upload of yours that can go with this snippet."
            )));
        }
    }
    let gone: Vec<(i64, String)> = had
        .into_iter()
        .filter(|(id, _)| !files.contains(&AttachmentId(*id)))
        .collect();
    if !gone.is_empty() {
        let mut sql = Sql::new(format!(
            "DELETE FROM attachments WHERE id IN ({})",
            placeholders(gone.len())
        ));
        sql.binds.extend(gone.iter().map(|(id, _)| Bind::Int(*id)));
        conn.execute(sql).await?;
    }
    Ok(gone.into_iter().map(|(_, key)| key).collect())
}

/// The storage keys of a snippet's files (before it is deleted with them).
pub async fn keys(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    snippet: SnippetId,
) -> StoreResult<Vec<String>> {
    let keys: Vec<(String,)> = conn
        .fetch_all(
            Sql::new(
                "SELECT storage_key FROM attachments WHERE snippet_id = ? AND workspace_id = ?",
            )
            .bind(snippet.0)
            .bind(workspace.0),
        )
        .await?;
    Ok(keys.into_iter().map(|(k,)| k).collect())
}

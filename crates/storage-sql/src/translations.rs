//! Translations of messages (C10), one per message and language: the first kept is the one
//! every agent reads, and reading it again never asks the provider.

use crate::backend::{Conn, Sql};
use crate::rows::micros;
use chrono::{DateTime, Utc};
use switchboard_protocol::*;
use switchboard_storage::*;

/// `NotFound` unless the message is the workspace's.
async fn check(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    message: MessageId,
) -> StoreResult<()> {
    conn.fetch_optional::<(i64,)>(
        Sql::new("SELECT id FROM messages WHERE id = ? AND workspace_id = ?")
            .bind(message.0)
            .bind(workspace.0),
    )
    .await?
    .map(|_| ())
    .ok_or(StoreError::NotFound)
}

pub async fn get(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    message: MessageId,
    language: &str,
) -> StoreResult<Option<String>> {
    check(conn, workspace, message).await?;
    kept(conn, message, language).await
}

/// The kept translation, the message already checked.
async fn kept(
    conn: &mut impl Conn,
    message: MessageId,
    language: &str,
) -> StoreResult<Option<String>> {
    Ok(conn
        .fetch_optional::<(String,)>(
            Sql::new("SELECT text FROM message_translations WHERE message_id = ? AND language = ?")
                .bind(message.0)
                .bind(language),
        )
        .await?
        .map(|(text,)| text))
}

pub async fn keep(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    message: MessageId,
    language: &str,
    text: &str,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    check(conn, workspace, message).await?;
    conn.execute(
        Sql::new(
            "INSERT INTO message_translations (message_id, language, text, created_at)
             VALUES (?, ?, ?, ?) ON CONFLICT (message_id, language) DO NOTHING",
        )
        .bind(message.0)
        .bind(language)
        .bind(text)
        .bind(micros(now)),
    )
    .await?;
    kept(conn, message, language)
        .await?
        .ok_or(StoreError::NotFound)
}

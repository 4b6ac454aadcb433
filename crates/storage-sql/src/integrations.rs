//! A workspace's integrations with outside services (T7): one row per kind ("ai"), its
//! settings readable, its secret kept until replaced and never listed.

use crate::backend::{Conn, Sql};
use crate::rows::{self, micros};
use chrono::{DateTime, Utc};
use switchboard_protocol::*;
use switchboard_storage::*;

pub async fn get(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    kind: &str,
) -> StoreResult<Option<Integration>> {
    let row: Option<(String, Option<String>, i64)> = conn
        .fetch_optional(
            Sql::new(
                "SELECT settings, secret, updated_at FROM integrations
                 WHERE workspace_id = ? AND kind = ?",
            )
            .bind(workspace.0)
            .bind(kind),
        )
        .await?;
    row.map(|(settings, secret, updated)| {
        Ok(Integration {
            settings,
            secret,
            updated_at: rows::time(updated)?,
        })
    })
    .transpose()
}

/// Writes the settings, and the secret when one is given (the kept one stays otherwise).
pub async fn set(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    kind: &str,
    settings: &str,
    secret: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    conn.execute(
        Sql::new(
            "INSERT INTO integrations (workspace_id, kind, settings, secret, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (workspace_id, kind) DO UPDATE SET settings = excluded.settings,
               secret = COALESCE(excluded.secret, integrations.secret),
               updated_at = excluded.updated_at",
        )
        .bind(workspace.0)
        .bind(kind)
        .bind(settings)
        .bind(secret)
        .bind(micros(now)),
    )
    .await?;
    Ok(())
}

pub async fn delete(conn: &mut impl Conn, workspace: WorkspaceId, kind: &str) -> StoreResult<bool> {
    let gone = conn
        .execute(
            Sql::new("DELETE FROM integrations WHERE workspace_id = ? AND kind = ?")
                .bind(workspace.0)
                .bind(kind),
        )
        .await?;
    Ok(gone > 0)
}

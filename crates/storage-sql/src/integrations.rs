//! A workspace's integrations with outside services (T7): one row per kind ("ai"), its
//! settings readable, its secret kept until replaced and never listed; and agents' ratings
//! of what its AI wrote (K9).

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

type RatingRow = (i64, i64, bool, String, Option<String>, i64);

fn rating((id, user, good, draft, feedback, created): RatingRow) -> StoreResult<AiRating> {
    Ok(AiRating {
        id,
        user: UserId(user),
        good,
        draft,
        feedback,
        created_at: rows::time(created)?,
    })
}

const RATING_COLUMNS: &str = "id, user_id, good, draft, feedback, created_at";

pub async fn rate(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    user: UserId,
    good: bool,
    draft: &str,
    now: DateTime<Utc>,
) -> StoreResult<(AiRating, u64)> {
    let row: RatingRow = conn
        .fetch_one(
            Sql::new(format!(
                "INSERT INTO ai_ratings (workspace_id, user_id, good, draft, created_at)
                 VALUES (?, ?, ?, ?, ?) RETURNING {RATING_COLUMNS}"
            ))
            .bind(workspace.0)
            .bind(user.0)
            .bind(good)
            .bind(draft)
            .bind(micros(now)),
        )
        .await?;
    let (downs,): (i64,) = conn
        .fetch_one(
            Sql::new(
                "SELECT COUNT(*) FROM ai_ratings WHERE workspace_id = ? AND user_id = ? AND NOT good",
            )
            .bind(workspace.0)
            .bind(user.0),
        )
        .await?;
    Ok((rating(row)?, u64::try_from(downs).unwrap_or_default()))
}

pub async fn feedback(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    user: UserId,
    id: i64,
    text: &str,
) -> StoreResult<()> {
    let done = conn
        .execute(
            Sql::new(
                "UPDATE ai_ratings SET feedback = ?
                 WHERE id = ? AND workspace_id = ? AND user_id = ? AND NOT good",
            )
            .bind(text)
            .bind(id)
            .bind(workspace.0)
            .bind(user.0),
        )
        .await?;
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn ratings(conn: &mut impl Conn, workspace: WorkspaceId) -> StoreResult<Vec<AiRating>> {
    let rows: Vec<RatingRow> = conn
        .fetch_all(
            Sql::new(format!(
                "SELECT {RATING_COLUMNS} FROM ai_ratings WHERE workspace_id = ? ORDER BY id DESC"
            ))
            .bind(workspace.0),
        )
        .await?;
    rows.into_iter().map(rating).collect()
}

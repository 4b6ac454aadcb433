//! A workspace's own AI prompts (T8): a name unique without regard to case, and what the
//! AI is told to do with a draft.

use crate::backend::{Conn, Sql};
use crate::rows::micros;
use chrono::{DateTime, Utc};
use switchboard_protocol::ai::{AiPrompt, AiPromptRequest};
use switchboard_protocol::*;
use switchboard_storage::*;

type Row = (i64, String, String);

fn prompt((id, name, instructions): Row) -> AiPrompt {
    AiPrompt {
        id,
        name,
        instructions,
    }
}

pub async fn list(conn: &mut impl Conn, workspace: WorkspaceId) -> StoreResult<Vec<AiPrompt>> {
    let rows: Vec<Row> = conn
        .fetch_all(
            Sql::new(
                "SELECT id, name, instructions FROM ai_prompts WHERE workspace_id = ?
                 ORDER BY name_key, id",
            )
            .bind(workspace.0),
        )
        .await?;
    Ok(rows.into_iter().map(prompt).collect())
}

pub async fn get(conn: &mut impl Conn, workspace: WorkspaceId, id: i64) -> StoreResult<AiPrompt> {
    conn.fetch_optional::<Row>(
        Sql::new("SELECT id, name, instructions FROM ai_prompts WHERE id = ? AND workspace_id = ?")
            .bind(id)
            .bind(workspace.0),
    )
    .await?
    .map(prompt)
    .ok_or(StoreError::NotFound)
}

pub async fn create(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    request: &AiPromptRequest,
    now: DateTime<Utc>,
) -> StoreResult<AiPrompt> {
    let row: Row = conn
        .fetch_one(
            Sql::new(
                "INSERT INTO ai_prompts (workspace_id, name, name_key, instructions, updated_at)
                 VALUES (?, ?, ?, ?, ?) RETURNING id, name, instructions",
            )
            .bind(workspace.0)
            .bind(request.name.as_str())
            .bind(request.name.to_lowercase())
            .bind(request.instructions.as_str())
            .bind(micros(now)),
        )
        .await?;
    Ok(prompt(row))
}

pub async fn update(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    id: i64,
    request: &AiPromptRequest,
    now: DateTime<Utc>,
) -> StoreResult<AiPrompt> {
    conn.fetch_optional::<Row>(
        Sql::new(
            "UPDATE ai_prompts SET name = ?, name_key = ?, instructions = ?, updated_at = ?
             WHERE id = ? AND workspace_id = ? RETURNING id, name, instructions",
        )
        .bind(request.name.as_str())
        .bind(request.name.to_lowercase())
        .bind(request.instructions.as_str())
        .bind(micros(now))
        .bind(id)
        .bind(workspace.0),
    )
    .await?
    .map(prompt)
    .ok_or(StoreError::NotFound)
}

pub async fn delete(conn: &mut impl Conn, workspace: WorkspaceId, id: i64) -> StoreResult<()> {
    let gone = conn
        .execute(
            Sql::new("DELETE FROM ai_prompts WHERE id = ? AND workspace_id = ?")
                .bind(id)
                .bind(workspace.0),
        )
        .await?;
    if gone == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

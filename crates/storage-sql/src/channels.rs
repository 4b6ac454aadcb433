//! Connected channels (CH, T6): finding one, its provider credentials, and disconnecting it.
//! A disconnected channel keeps its row (its conversations and messages still name it) with
//! `disconnected_at` set and its credentials dropped; lookups of connected channels leave it
//! out.

use crate::backend::{Backend, Conn, Sql};
use crate::queries::lock_workspace;
use crate::rows::{ChannelRow, micros};
use crate::{SqlStore, outbox};
use chrono::{DateTime, Utc};
use switchboard_protocol::events::Event;
use switchboard_protocol::*;
use switchboard_storage::*;

/// The reason of every delivery a disconnect (or a send through a disconnected channel) fails.
pub const DISCONNECTED: &str = "The channel was disconnected.";

/// The columns `ChannelRow` reads, of `channels`.
pub const CHANNEL_COLUMNS: &str = "id, workspace_id, kind, name, public_key";

pub async fn channel<B: Backend>(
    store: &SqlStore<B>,
    workspace: WorkspaceId,
    channel: ChannelId,
) -> StoreResult<Channel> {
    store
        .read()
        .await?
        .fetch_optional::<ChannelRow>(
            Sql::new(format!(
                "SELECT {CHANNEL_COLUMNS} FROM channels
                 WHERE id = ? AND workspace_id = ? AND disconnected_at IS NULL"
            ))
            .bind(channel.0)
            .bind(workspace.0),
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .into_channel()
}

/// `NotFound` for an unknown channel; `None` before credentials were set and after the
/// channel was disconnected (which drops them).
pub async fn credentials<B: Backend>(
    store: &SqlStore<B>,
    channel: ChannelId,
) -> StoreResult<Option<String>> {
    let (credentials,): (Option<String>,) = store
        .read()
        .await?
        .fetch_optional(Sql::new("SELECT credentials FROM channels WHERE id = ?").bind(channel.0))
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(credentials)
}

pub async fn set_credentials<B: Backend>(
    store: &SqlStore<B>,
    workspace: WorkspaceId,
    channel: ChannelId,
    credentials: &str,
) -> StoreResult<()> {
    let mut tx = store.backend.begin().await?;
    let changed = tx
        .execute(
            Sql::new(
                "UPDATE channels SET credentials = ?
                 WHERE id = ? AND workspace_id = ? AND disconnected_at IS NULL",
            )
            .bind(credentials)
            .bind(channel.0)
            .bind(workspace.0),
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    B::commit(tx).await
}

/// Marks the channel disconnected, drops its credentials and fails its queued deliveries,
/// all in one transaction; the events are the failed messages' `MessageUpdated`.
pub async fn disconnect<B: Backend>(
    store: &SqlStore<B>,
    workspace: WorkspaceId,
    channel: ChannelId,
) -> StoreResult<Vec<Event>> {
    let mut tx = store.backend.begin().await?;
    lock_workspace::<B>(&mut tx, workspace).await?;
    let changed = tx
        .execute(
            Sql::new(
                "UPDATE channels SET disconnected_at = ?, credentials = NULL
                 WHERE id = ? AND workspace_id = ? AND disconnected_at IS NULL",
            )
            .bind(micros(Utc::now()))
            .bind(channel.0)
            .bind(workspace.0),
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    let queued: Vec<(i64,)> = tx
        .fetch_all(
            Sql::new("SELECT id FROM outbox WHERE channel_id = ? ORDER BY id").bind(channel.0),
        )
        .await?;
    let mut events = Vec::with_capacity(queued.len());
    for (id,) in queued {
        if let Some(event) =
            outbox::fail(store, &mut tx, workspace, id, None, Some(DISCONNECTED)).await?
        {
            events.push(event);
        }
    }
    B::commit(tx).await?;
    Ok(events)
}

pub async fn connected<B: Backend>(
    store: &SqlStore<B>,
    kind: ChannelKind,
) -> StoreResult<Vec<Channel>> {
    store
        .read()
        .await?
        .fetch_all::<ChannelRow>(
            Sql::new(format!(
                "SELECT {CHANNEL_COLUMNS} FROM channels
                 WHERE kind = ? AND disconnected_at IS NULL ORDER BY id"
            ))
            .bind(kind.as_str()),
        )
        .await?
        .into_iter()
        .map(ChannelRow::into_channel)
        .collect()
}

/// `NotFound` for an unknown channel.
pub async fn cursor<B: Backend>(
    store: &SqlStore<B>,
    channel: ChannelId,
) -> StoreResult<Option<String>> {
    let (cursor,): (Option<String>,) = store
        .read()
        .await?
        .fetch_optional(Sql::new("SELECT poll_cursor FROM channels WHERE id = ?").bind(channel.0))
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(cursor)
}

pub async fn set_cursor<B: Backend>(
    store: &SqlStore<B>,
    channel: ChannelId,
    cursor: &str,
) -> StoreResult<()> {
    let mut tx = store.backend.begin().await?;
    let changed = tx
        .execute(
            Sql::new(
                "UPDATE channels SET poll_cursor = ? WHERE id = ? AND disconnected_at IS NULL",
            )
            .bind(cursor)
            .bind(channel.0),
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    B::commit(tx).await
}

/// See [`Store::claim_channel_reader`].
pub async fn claim_reader<B: Backend>(
    store: &SqlStore<B>,
    channel: ChannelId,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<bool> {
    let mut tx = store.backend.begin().await?;
    let changed = tx
        .execute(
            Sql::new(
                "UPDATE channels SET reader = ?, reader_until = ?
                 WHERE id = ? AND disconnected_at IS NULL
                   AND (reader IS NULL OR reader = ? OR reader_until <= ?)",
            )
            .bind(holder)
            .bind(micros(until))
            .bind(channel.0)
            .bind(holder)
            .bind(micros(now)),
        )
        .await?;
    B::commit(tx).await?;
    Ok(changed == 1)
}

/// `Conflict` when another connected channel of the same kind reaches the account (the
/// partial unique index `channels_account` decides, so two racing claims cannot both win).
pub async fn claim_account<B: Backend>(
    store: &SqlStore<B>,
    channel: ChannelId,
    account: &str,
) -> StoreResult<()> {
    let mut tx = store.backend.begin().await?;
    let changed = tx
        .execute(
            Sql::new("UPDATE channels SET account = ? WHERE id = ? AND disconnected_at IS NULL")
                .bind(account)
                .bind(channel.0),
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    B::commit(tx).await
}

//! PostgreSQL backend: for servers run as several replicas on one database.
//!
//! One connection pool; PostgreSQL takes many writers at once, so every transaction that
//! writes an event first locks its workspace's row (`FOR NO KEY UPDATE`): event sequence
//! numbers then commit in order and without gaps per workspace. Each event is also announced
//! with `NOTIFY` (delivered on commit) tagged with the writing store's random origin id, which
//! `foreign_events` uses to hand a replica the events of the others only.

#[cfg(feature = "testing")]
pub mod testing;

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::time::Duration;
use switchboard_protocol::WorkspaceId;
use switchboard_storage::{
    EventFeed, EventNotice, SignalFeed, SignalNotice, StoreError, StoreResult,
};
use switchboard_storage_sql::rows::db_err;
use switchboard_storage_sql::{Backend, Conn, Sql, SqlStore, TextSearch};
use tokio::sync::mpsc;

/// The PostgreSQL store.
pub type PgStore = SqlStore<PgBackend>;

/// The `LISTEN`/`NOTIFY` channel of event announcements.
pub const EVENTS_CHANNEL: &str = "switchboard_events";

/// The `LISTEN`/`NOTIFY` channel of short-lived signals (typing).
pub const SIGNALS_CHANNEL: &str = "switchboard_signals";

/// NOTIFY payloads must stay under 8000 bytes; signals are far smaller.
const MAX_SIGNAL: usize = 7_000;

/// How many announcements a feed holds before its reader catches up.
const FEED_CAPACITY: usize = 1024;

#[derive(Clone, Debug)]
pub struct PgBackend {
    pool: PgPool,
    /// Tags this store's event announcements, so its own feeds can skip them.
    origin: u64,
}

impl PgBackend {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`) and
    /// applies pending migrations.
    pub async fn open(url: &str) -> StoreResult<PgStore> {
        let origin = getrandom::u64()
            .map_err(|e| StoreError::Backend(format!("no random origin id: {e}").into()))?;
        let pool = PgPoolOptions::new()
            .max_connections(20)
            .connect(url)
            .await
            .map_err(db_err)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(Box::new(e)))?;
        Ok(SqlStore::new(PgBackend { pool, origin }))
    }

    /// Closes the pool, waiting for connections to be returned; ends the event feeds.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Backend for PgBackend {
    type Tx = Transaction<'static, Postgres>;
    type Read = PoolConnection<Postgres>;

    const FOR_UPDATE: &'static str = " FOR UPDATE";
    const FOR_NO_KEY_UPDATE: &'static str = " FOR NO KEY UPDATE";
    const FOR_UPDATE_SKIP_LOCKED: &'static str = " FOR UPDATE SKIP LOCKED";

    async fn begin(&self) -> StoreResult<Self::Tx> {
        // Writes find their rows by key, and each then reads back a view joining five or six
        // tables; planning those afresh for every write (PostgreSQL's custom plans, its
        // choice for a statement's first runs on a connection) took longer than running
        // them. Generic plans are made once per connection and suit key lookups.
        self.pool
            .begin_with("BEGIN; SET LOCAL plan_cache_mode = force_generic_plan")
            .await
            .map_err(db_err)
    }

    async fn commit(tx: Self::Tx) -> StoreResult<()> {
        tx.commit().await.map_err(db_err)
    }

    async fn read(&self) -> StoreResult<Self::Read> {
        self.pool.acquire().await.map_err(db_err)
    }

    async fn announce(
        &self,
        tx: &mut Self::Tx,
        workspace: WorkspaceId,
        seq: u64,
    ) -> StoreResult<()> {
        tx.execute(
            Sql::new("SELECT pg_notify(?, ?)")
                .bind(EVENTS_CHANNEL)
                .bind(format!("{workspace}:{seq}:{}", self.origin)),
        )
        .await?;
        Ok(())
    }

    async fn announce_all(
        &self,
        tx: &mut Self::Tx,
        workspace: WorkspaceId,
        seqs: &[u64],
    ) -> StoreResult<()> {
        if seqs.is_empty() {
            return Ok(());
        }
        // One statement for a group commit's events.
        let calls = vec!["pg_notify(?, ?)"; seqs.len()].join(", ");
        let mut sql = Sql::new(format!("SELECT {calls}"));
        for seq in seqs {
            sql = sql
                .bind(EVENTS_CHANNEL)
                .bind(format!("{workspace}:{seq}:{}", self.origin));
        }
        tx.execute(sql).await?;
        Ok(())
    }

    fn text_search(terms: &[String]) -> TextSearch {
        let query: Vec<String> = terms.iter().map(|t| format!("{t}:*")).collect();
        let query = query.join(" & ");
        TextSearch::Windowed {
            recent: Sql::new("m.search_vector @@ to_tsquery('simple', ?)").bind(query.clone()),
            // `OFFSET 0` keeps the planner from folding the index lookup into a walk of all
            // messages newest first, which a rare word makes slow.
            full: Sql::new(
                "m.id IN (SELECT id FROM (SELECT id FROM messages
                   WHERE search_vector @@ to_tsquery('simple', ?) OFFSET 0) hits)",
            )
            .bind(query),
        }
    }

    async fn settle(&self) -> StoreResult<()> {
        // Outside a transaction, as VACUUM requires; autovacuum does the same in time.
        self.read()
            .await?
            .execute(Sql::new("VACUUM ANALYZE"))
            .await?;
        Ok(())
    }

    async fn foreign_events(&self) -> StoreResult<Option<EventFeed>> {
        // LISTEN before returning, so every event committed after this call is heard.
        let mut listener = PgListener::connect_with(&self.pool).await.map_err(db_err)?;
        listener.listen(EVENTS_CHANNEL).await.map_err(db_err)?;
        let (sender, receiver) = mpsc::channel(FEED_CAPACITY);
        tokio::spawn(forward_foreign_events(listener, self.origin, sender));
        Ok(Some(receiver))
    }

    async fn broadcast_signal(&self, workspace: WorkspaceId, payload: &str) -> StoreResult<()> {
        if payload.len() > MAX_SIGNAL {
            return Err(StoreError::Invalid {
                field: "payload",
                reason: format!("a signal is at most {MAX_SIGNAL} bytes"),
            });
        }
        self.read()
            .await?
            .execute(
                Sql::new("SELECT pg_notify(?, ?)")
                    .bind(SIGNALS_CHANNEL)
                    .bind(format!("{}:{}:{payload}", self.origin, workspace.0)),
            )
            .await?;
        Ok(())
    }

    async fn foreign_signals(&self) -> StoreResult<Option<SignalFeed>> {
        let mut listener = PgListener::connect_with(&self.pool).await.map_err(db_err)?;
        listener.listen(SIGNALS_CHANNEL).await.map_err(db_err)?;
        let (sender, receiver) = mpsc::channel(FEED_CAPACITY);
        tokio::spawn(forward_foreign_signals(listener, self.origin, sender));
        Ok(Some(receiver))
    }
}

/// Parses a signal `"{origin}:{workspace}:{payload}"` (the payload may hold colons).
pub fn parse_signal(text: &str) -> Option<(SignalNotice, u64)> {
    let mut parts = text.splitn(3, ':');
    let origin = parts.next()?.parse().ok()?;
    let workspace = parts.next()?.parse().ok()?;
    let payload = parts.next()?.to_owned();
    Some((
        SignalNotice {
            workspace: WorkspaceId(workspace),
            payload,
        },
        origin,
    ))
}

async fn forward_foreign_signals(
    mut listener: PgListener,
    origin: u64,
    feed: mpsc::Sender<SignalNotice>,
) {
    loop {
        let received = tokio::select! {
            () = feed.closed() => return,
            received = listener.recv() => received,
        };
        match received {
            Ok(notification) => match parse_signal(notification.payload()) {
                Some((notice, from)) if from != origin => {
                    // Signals are worth nothing late: a full feed drops them.
                    if let Err(mpsc::error::TrySendError::Closed(_)) = feed.try_send(notice) {
                        return;
                    }
                }
                Some(_) => {}
                None => tracing::warn!("skipping a malformed signal"),
            },
            Err(sqlx::Error::PoolClosed) => return,
            Err(error) => {
                tracing::warn!(%error, "listening for other replicas' signals failed; retrying");
                tokio::select! {
                    () = feed.closed() => return,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
}

/// Parses an announcement `"{workspace}:{seq}:{origin}"`.
pub fn parse_notice(payload: &str) -> Option<(EventNotice, u64)> {
    let mut parts = payload.split(':');
    let workspace = parts.next()?.parse().ok()?;
    let seq = parts.next()?.parse().ok()?;
    let origin = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some((
        EventNotice {
            workspace: WorkspaceId(workspace),
            seq,
        },
        origin,
    ))
}

async fn forward_foreign_events(
    mut listener: PgListener,
    origin: u64,
    feed: mpsc::Sender<EventNotice>,
) {
    loop {
        let received = tokio::select! {
            () = feed.closed() => return,
            received = listener.recv() => received,
        };
        match received {
            Ok(notification) => match parse_notice(notification.payload()) {
                Some((notice, from)) if from != origin => {
                    if feed.send(notice).await.is_err() {
                        return;
                    }
                }
                Some(_) => {} // Our own: this process already knows.
                None => tracing::warn!(
                    payload = notification.payload(),
                    "skipping a malformed event announcement"
                ),
            },
            Err(sqlx::Error::PoolClosed) => return,
            Err(error) => {
                tracing::warn!(%error, "listening for other replicas' events failed; retrying");
                tokio::select! {
                    () = feed.closed() => return,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_parse_and_garbage_does_not() {
        let (notice, origin) = parse_notice("3:17:99").expect("a notice");
        assert_eq!(
            notice,
            EventNotice {
                workspace: WorkspaceId(3),
                seq: 17
            }
        );
        assert_eq!(origin, 99);
        for bad in ["", "3:17", "3:17:99:1", "x:1:2", "1:-2:3", "1:2:y"] {
            assert!(parse_notice(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn signals_keep_their_colons_and_garbage_does_not_parse() {
        let (notice, origin) = parse_signal(r#"9:4:{"a":"b:c"}"#).expect("a signal");
        assert_eq!(origin, 9);
        assert_eq!(notice.workspace, WorkspaceId(4));
        assert_eq!(notice.payload, r#"{"a":"b:c"}"#);
        for bad in ["", "9", "9:4", "x:4:{}", "9:y:{}"] {
            assert!(parse_signal(bad).is_none(), "{bad}");
        }
    }
}

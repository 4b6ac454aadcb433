//! SQLite backend: the embedded default. One file, WAL journal.
//!
//! Writes go through a pool of one connection, so write transactions never race each other
//! for SQLite's single write lock (a deferred transaction that upgrades from read to write
//! could otherwise fail with `SQLITE_BUSY` at once), and need no row locks; reads use a
//! separate pool and see the last committed state. One process owns the database, so there
//! is nobody to announce events to.

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::time::Duration;
use switchboard_protocol::WorkspaceId;
use switchboard_storage::{EventFeed, StoreError, StoreResult};
use switchboard_storage_sql::inbox::{SearchStrategy, conversation_match};
use switchboard_storage_sql::rows::db_err;
use switchboard_storage_sql::{Backend, Sql, SqlStore, TextSearch};

/// The SQLite store.
pub type SqliteStore = SqlStore<SqliteBackend>;

#[derive(Clone, Debug)]
pub struct SqliteBackend {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl SqliteBackend {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub async fn open(path: &Path) -> StoreResult<SqliteStore> {
        let options = options(path);
        // A connection to a local file does not go stale: checking one before each use
        // (sqlx pings it) would only cost a round trip to its thread.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(db_err)?;
        sqlx::migrate!("./migrations")
            .run(&writer)
            .await
            .map_err(|e| StoreError::Backend(Box::new(e)))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect_with(options.read_only(true))
            .await
            .map_err(db_err)?;
        Ok(SqlStore::new(SqliteBackend { writer, reader }))
    }

    /// How fast single-row insert transactions commit in a fresh database file at `path`
    /// with the store's settings (WAL, `synchronous = NORMAL`): the baseline the benchmark
    /// compares inbound webhook throughput with. Inserts `rows` rows, one per transaction.
    pub async fn baseline_insert_rate(path: &Path, rows: usize) -> StoreResult<Duration> {
        use sqlx::{ConnectOptions, Connection};
        let mut conn = options(path).connect().await.map_err(db_err)?;
        sqlx::query("CREATE TABLE baseline (id INTEGER PRIMARY KEY, chat INTEGER NOT NULL, body TEXT NOT NULL)")
            .execute(&mut conn)
            .await
            .map_err(db_err)?;
        let started = std::time::Instant::now();
        for n in 0..rows {
            let mut tx = conn.begin().await.map_err(db_err)?;
            sqlx::query("INSERT INTO baseline (chat, body) VALUES (?, ?)")
                .bind((n % 400) as i64)
                .bind(format!("Inbound message {n}: is my order on its way?"))
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
        }
        Ok(started.elapsed())
    }

    /// Closes both pools, waiting for connections to be returned.
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

/// The store's connection settings.
fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // Reads straight from the mapped file instead of copying pages through syscalls.
        .pragma("mmap_size", "1073741824")
}

/// The FTS5 query for a list search: quoted phrases the trigram index matches as substrings
/// on its own, for text of three characters or more (shorter text is tested row by row).
fn fts_phrases(text: &str, digits: Option<&str>) -> Option<String> {
    if text.chars().count() < 3 {
        return None;
    }
    let phrase =
        |column: &str, value: &str| format!("{column} : \"{}\"", value.replace('"', "\"\""));
    let mut query = phrase("search_text", text);
    if let Some(digits) = digits {
        query = format!("{query} OR {}", phrase("phone_digits", digits));
    }
    Some(query)
}

#[async_trait]
impl Backend for SqliteBackend {
    type Tx = Transaction<'static, Sqlite>;
    type Read = PoolConnection<Sqlite>;

    // Writes are serial: the writer pool has one connection.
    const FOR_UPDATE: &'static str = "";
    const FOR_NO_KEY_UPDATE: &'static str = "";
    const FOR_UPDATE_SKIP_LOCKED: &'static str = "";

    async fn begin(&self) -> StoreResult<Self::Tx> {
        self.writer.begin().await.map_err(db_err)
    }

    async fn commit(tx: Self::Tx) -> StoreResult<()> {
        tx.commit().await.map_err(db_err)
    }

    async fn read(&self) -> StoreResult<Self::Read> {
        self.reader.acquire().await.map_err(db_err)
    }

    async fn announce(&self, _: &mut Self::Tx, _: WorkspaceId, _: u64) -> StoreResult<()> {
        Ok(())
    }

    async fn foreign_events(&self) -> StoreResult<Option<EventFeed>> {
        Ok(None)
    }

    // Counting in the FTS5 index is cheap, so a search knows up front whether its matches
    // are few.
    const LIST_SEARCH: SearchStrategy = SearchStrategy::CountFirst(2000);

    fn search_count(workspace: WorkspaceId, text: &str, digits: Option<&str>) -> Sql {
        match fts_phrases(text, digits) {
            Some(query) => {
                Sql::new("SELECT rowid FROM contact_search WHERE contact_search MATCH ?")
                    .bind(query)
            }
            None => {
                let mut sql =
                    Sql::new("SELECT 1 FROM conversations c WHERE c.workspace_id = ? AND ")
                        .bind(workspace.0);
                let matched = conversation_match("c", text, digits);
                sql.push(&matched.text, matched.binds);
                sql
            }
        }
    }

    fn search_sorted(text: &str, digits: Option<&str>) -> Sql {
        match fts_phrases(text, digits) {
            Some(query) => Sql::new(
                "c.contact_id IN (SELECT rowid FROM contact_search WHERE contact_search MATCH ?)",
            )
            .bind(query),
            None => conversation_match("c", text, digits),
        }
    }

    fn text_search(terms: &[String]) -> TextSearch {
        // FTS5: quoted prefix terms, all required; read newest first straight off the index.
        let query: Vec<String> = terms.iter().map(|t| format!("\"{t}\"*")).collect();
        TextSearch::Candidates(
            Sql::new(
                "SELECT rowid FROM message_search WHERE message_search MATCH ? AND rowid < ?
                 ORDER BY rowid DESC LIMIT ?",
            )
            .bind(query.join(" ")),
        )
    }
}

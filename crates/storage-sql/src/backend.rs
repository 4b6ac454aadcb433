//! What a SQL backend provides to [`crate::SqlStore`]: connections that run [`Sql`]
//! (statement text with `?` placeholders plus its values), write transactions, and the few
//! things the two databases do differently (row locks, announcing events).

use crate::rows::Row;
use async_trait::async_trait;
use switchboard_protocol::WorkspaceId;
use switchboard_storage::{EventFeed, SignalFeed, StoreResult};

/// A value bound to a `?` placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum Bind {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Bool(bool),
}

macro_rules! bind_from {
    ($($t:ty => $variant:ident $(via $conv:expr)?),* $(,)?) => {$(
        impl From<$t> for Bind {
            fn from(v: $t) -> Bind {
                Bind::$variant($($conv)?(v))
            }
        }
    )*};
}

bind_from!(
    i64 => Int,
    Option<i64> => OptInt,
    String => Text,
    Option<String> => OptText,
    bool => Bool,
    &str => Text via str::to_owned,
    Option<&str> => OptText via (|v: Option<&str>| v.map(str::to_owned)),
    u32 => Int via i64::from,
);

/// A statement with `?` placeholders and their values, in order. Values are always bound,
/// never spliced into the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Bind>,
    /// Planned for each run with its values rather than once per connection: for statements
    /// whose best plan depends on them (a search pattern, a time window).
    pub planned_per_run: bool,
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Sql {
        Sql {
            text: text.into(),
            binds: Vec::new(),
            planned_per_run: false,
        }
    }

    /// See [`Sql::planned_per_run`].
    pub fn planned_per_run(mut self) -> Sql {
        self.planned_per_run = true;
        self
    }

    pub fn bind(mut self, value: impl Into<Bind>) -> Sql {
        self.binds.push(value.into());
        self
    }

    /// Appends text and its values (for queries built from parts).
    pub fn push(&mut self, text: &str, binds: impl IntoIterator<Item = Bind>) {
        self.text.push_str(text);
        self.binds.extend(binds);
    }
}

/// How a database answers full-text search.
pub enum TextSearch {
    /// Conditions on message `m` (PostgreSQL): `recent` for a window of the newest messages
    /// (common words are found there at once, walking messages newest first), `full` for the
    /// rest, answered by the full-text index on its own (rare words).
    Windowed { recent: Sql, full: Sql },
    /// A statement listing matching message ids below the first bind, newest first, at most
    /// the second bind (appended by the caller), for indexes best read on their own (SQLite's
    /// FTS5): the store reads batches of candidates and filters them.
    Candidates(Sql),
}

/// A connection or transaction that runs statements.
#[async_trait]
pub trait Conn: Send {
    /// Runs a statement; returns the number of rows it changed.
    async fn execute(&mut self, sql: Sql) -> StoreResult<u64>;
    async fn fetch_all<T: Row>(&mut self, sql: Sql) -> StoreResult<Vec<T>>;
    async fn fetch_optional<T: Row>(&mut self, sql: Sql) -> StoreResult<Option<T>>;

    async fn fetch_one<T: Row>(&mut self, sql: Sql) -> StoreResult<T> {
        self.fetch_optional(sql)
            .await?
            .ok_or(switchboard_storage::StoreError::NotFound)
    }
}

/// A database the store runs on.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// A write transaction.
    type Tx: Conn;
    /// A connection for reads of committed data.
    type Read: Conn;

    /// `FOR UPDATE` where the database locks rows, empty where writes are already serial.
    const FOR_UPDATE: &'static str;
    /// The weaker row lock that still serialises writers of a workspace's events.
    const FOR_NO_KEY_UPDATE: &'static str;
    /// `FOR UPDATE SKIP LOCKED` where the database locks rows: workers claiming queued rows
    /// at once each take rows the others have not (the outbox). Empty where writes are serial.
    const FOR_UPDATE_SKIP_LOCKED: &'static str;

    async fn begin(&self) -> StoreResult<Self::Tx>;
    async fn commit(tx: Self::Tx) -> StoreResult<()>;
    async fn read(&self) -> StoreResult<Self::Read>;

    /// Called inside the transaction that stores event `seq` of `workspace`, so other
    /// processes can hear of it once it commits.
    async fn announce(
        &self,
        tx: &mut Self::Tx,
        workspace: WorkspaceId,
        seq: u64,
    ) -> StoreResult<()>;

    /// [`Backend::announce`] for several events of a workspace stored in one transaction.
    async fn announce_all(
        &self,
        tx: &mut Self::Tx,
        workspace: WorkspaceId,
        seqs: &[u64],
    ) -> StoreResult<()> {
        for seq in seqs {
            self.announce(tx, workspace, *seq).await?;
        }
        Ok(())
    }

    /// See [`switchboard_storage::Store::foreign_events`].
    async fn foreign_events(&self) -> StoreResult<Option<EventFeed>>;

    /// See [`switchboard_storage::Store::broadcast_signal`].
    async fn broadcast_signal(&self, workspace: WorkspaceId, payload: &str) -> StoreResult<()> {
        let _ = (workspace, payload);
        Ok(())
    }

    /// See [`switchboard_storage::Store::foreign_signals`].
    async fn foreign_signals(&self) -> StoreResult<Option<SignalFeed>> {
        Ok(None)
    }

    /// After a bulk load: planner statistics (and, where the database keeps one, the
    /// visibility map that index-only reads need) as a database in steady state has them.
    async fn settle(&self) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        tx.execute(Sql::new("ANALYZE")).await?;
        Self::commit(tx).await
    }

    /// How full-text search finds messages whose text has words starting with every one of
    /// `terms` (lower-case letters and digits only).
    fn text_search(terms: &[String]) -> TextSearch;

    /// How this database's list searches find their page by default.
    const LIST_SEARCH: crate::inbox::SearchStrategy = crate::inbox::SearchStrategy::WalkFirst(2000);

    /// List search (N5), counting its matches ([`crate::inbox::SearchStrategy::CountFirst`]):
    /// a statement listing rows that match (the caller counts them up to a limit). It may
    /// count other workspaces' contacts too (the count only picks a strategy); the default
    /// reads workspace `?`'s conversations as [`Backend::search_sorted`] does.
    fn search_count(workspace: WorkspaceId, text: &str, digits: Option<&str>) -> Sql {
        let mut sql = Sql::new("SELECT 1 FROM conversations c WHERE c.workspace_id = ? AND ")
            .bind(workspace.0);
        let matched = crate::inbox::conversation_match("c", text, digits);
        sql.push(&matched.text, matched.binds);
        sql
    }

    /// List search (N5) when its matches are few: a condition on conversation `c` whose
    /// contact's lower-cased search text contains `text` or whose phone digits contain
    /// `digits`, answered from an index (the list then sorts the matches). The default tests
    /// the conversation's copies of those columns with `LIKE`, which PostgreSQL's trigram
    /// indexes answer.
    fn search_sorted(text: &str, digits: Option<&str>) -> Sql {
        crate::inbox::conversation_match("c", text, digits)
    }
}

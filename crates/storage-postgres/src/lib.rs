//! PostgreSQL backend of [`switchboard_storage::Store`]: for servers run as several replicas.
//!
//! One connection pool; PostgreSQL takes many writers at once, so every transaction that
//! writes an event first locks its workspace's row: event sequence numbers then commit in
//! order and without gaps per workspace, and the repeated-`client_id` check cannot race.
//! Each event is also announced with `NOTIFY` (delivered on commit) tagged with the writing
//! store's random origin id, which [`Store::foreign_events`] uses to hand a replica the events
//! of the others only. Times are stored as microseconds since the epoch, as in SQLite.

mod queries;
#[cfg(feature = "testing")]
pub mod testing;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use std::time::Duration;
use switchboard_protocol::api::Page;
use switchboard_protocol::events::{Event, EventPayload};
use switchboard_protocol::*;
use switchboard_storage::*;
use tokio::sync::mpsc;

use switchboard_storage::rows::{self, db_err, micros};

/// How many announcements a feed holds before its reader catches up.
const FEED_CAPACITY: usize = 1024;

/// The PostgreSQL store.
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
    /// Tags this store's event announcements, so its own feeds can skip them.
    origin: u64,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`) and
    /// applies pending migrations.
    pub async fn open(url: &str) -> StoreResult<PgStore> {
        let origin = getrandom::u64()
            .map_err(|e| StoreError::Backend(format!("no random origin id: {e}").into()))?;
        let pool = PgPoolOptions::new().connect(url).await.map_err(db_err)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(Box::new(e)))?;
        Ok(PgStore { pool, origin })
    }

    /// Closes the pool, waiting for connections to be returned; ends the event feeds.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Store for PgStore {
    async fn create_user(&self, user: NewUser<'_>) -> StoreResult<User> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (name, email, email_key, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.name)
        .bind(user.email)
        .bind(user.email.to_lowercase())
        .bind(user.password_hash)
        .bind(micros(Utc::now()))
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(User {
            id: UserId(id),
            name: user.name.to_owned(),
            email: user.email.to_owned(),
        })
    }

    async fn user_credentials(&self, email: &str) -> StoreResult<Option<UserCredentials>> {
        let row: Option<(i64, String, String, String)> =
            sqlx::query_as("SELECT id, name, email, password_hash FROM users WHERE email_key = $1")
                .bind(email.trim().to_lowercase())
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
        Ok(row.map(|(id, name, email, password_hash)| UserCredentials {
            user: User {
                id: UserId(id),
                name,
                email,
            },
            password_hash,
        }))
    }

    async fn create_session(&self, session: NewSession<'_>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(session.token_hash)
        .bind(session.user.0)
        .bind(micros(session.created_at))
        .bind(micros(session.expires_at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<User>> {
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT u.id, u.name, u.email FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(micros(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.map(|(id, name, email)| User {
            id: UserId(id),
            name,
            email,
        }))
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn user_count(&self) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(n as u64)
    }

    async fn create_workspace(&self, name: &str) -> StoreResult<WorkspaceId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO workspaces (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(micros(Utc::now()))
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(WorkspaceId(id))
    }

    async fn add_member(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(workspace.0)
            .bind(user.0)
            .bind(role.as_str())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn memberships(&self, user: UserId) -> StoreResult<Vec<WorkspaceMembership>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT w.id, w.name, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
             WHERE m.user_id = $1 ORDER BY w.name, w.id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.into_iter().map(rows::membership).collect()
    }

    async fn membership(
        &self,
        workspace: WorkspaceId,
        user: UserId,
    ) -> StoreResult<Option<WorkspaceMembership>> {
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT w.id, w.name, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
             WHERE m.workspace_id = $1 AND m.user_id = $2",
        )
        .bind(workspace.0)
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(rows::membership).transpose()
    }

    async fn create_team(&self, workspace: WorkspaceId, name: &str) -> StoreResult<TeamId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO teams (workspace_id, name) VALUES ($1, $2) RETURNING id",
        )
        .bind(workspace.0)
        .bind(name)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(TeamId(id))
    }

    async fn add_team_member(
        &self,
        workspace: WorkspaceId,
        team: TeamId,
        user: UserId,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "INSERT INTO team_members (team_id, user_id)
             SELECT t.id, m.user_id FROM teams t
             JOIN memberships m ON m.workspace_id = t.workspace_id AND m.user_id = $1
             WHERE t.id = $2 AND t.workspace_id = $3",
        )
        .bind(user.0)
        .bind(team.0)
        .bind(workspace.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn create_channel(&self, channel: NewChannel<'_>) -> StoreResult<Channel> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO channels (workspace_id, kind, name, public_key, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(channel.workspace.0)
        .bind(channel.kind.as_str())
        .bind(channel.name)
        .bind(channel.public_key)
        .bind(micros(Utc::now()))
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Channel {
            id: ChannelId(id),
            workspace: channel.workspace,
            kind: channel.kind,
            name: channel.name.to_owned(),
            public_key: channel.public_key.map(str::to_owned),
        })
    }

    async fn channel_by_public_key(&self, key: &str) -> StoreResult<Option<Channel>> {
        let row = sqlx::query_as::<_, rows::ChannelRow>(
            "SELECT id, workspace_id, kind, name, public_key FROM channels WHERE public_key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(rows::ChannelRow::into_channel).transpose()
    }

    async fn channels(&self, workspace: WorkspaceId) -> StoreResult<Vec<Channel>> {
        let rows = sqlx::query_as::<_, rows::ChannelRow>(
            "SELECT id, workspace_id, kind, name, public_key FROM channels
             WHERE workspace_id = $1 ORDER BY id",
        )
        .bind(workspace.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.into_iter()
            .map(rows::ChannelRow::into_channel)
            .collect()
    }

    async fn create_contact(&self, contact: NewContact<'_>) -> StoreResult<ConversationSummary> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let id = queries::insert_contact(&mut tx, &contact).await?;
        let summary = queries::conversation(&mut tx, contact.workspace, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(summary)
    }

    async fn create_visitor(&self, channel: ChannelId, token_hash: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO visitors (channel_id, token_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(channel.0)
        .bind(token_hash)
        .bind(micros(Utc::now()))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn visitor(&self, token_hash: &str) -> StoreResult<Option<Visitor>> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        queries::visitor(&mut conn, token_hash).await
    }

    async fn visitor_conversation(
        &self,
        visitor: &Visitor,
        contact: NewContact<'_>,
    ) -> StoreResult<ConversationSummary> {
        let workspace = visitor.channel.workspace;
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // A concurrent first use waits here; the read below then sees what it committed.
        queries::lock_visitor(&mut tx, visitor.id).await?;
        let current = queries::visitor_by_id(&mut tx, visitor.id).await?;
        let conversation = match current.conversation {
            Some(id) => id,
            None => {
                let id = queries::insert_contact(&mut tx, &contact).await?;
                sqlx::query(
                    "UPDATE visitors SET contact_id =
                       (SELECT contact_id FROM conversations WHERE id = $1) WHERE id = $2",
                )
                .bind(id.0)
                .bind(visitor.id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                id
            }
        };
        let summary = queries::conversation(&mut tx, workspace, conversation).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(summary)
    }

    async fn conversations(
        &self,
        workspace: WorkspaceId,
        page: PageRequest<ActivityCursor>,
    ) -> StoreResult<Page<ConversationSummary>> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        queries::conversations(&mut conn, workspace, page).await
    }

    async fn conversation(
        &self,
        workspace: WorkspaceId,
        id: ConversationId,
    ) -> StoreResult<ConversationSummary> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        queries::conversation(&mut conn, workspace, id).await
    }

    async fn messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        page: PageRequest<IdCursor>,
    ) -> StoreResult<Page<Message>> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        // A foreign conversation is NotFound, not an empty page.
        queries::conversation(&mut conn, workspace, conversation).await?;
        queries::messages(&mut conn, workspace, conversation, page).await
    }

    async fn append_message(&self, message: NewMessage) -> StoreResult<Appended> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let workspace = message.workspace;
        queries::lock_workspace(&mut tx, workspace).await?;
        if let Some(client_id) = &message.client_id {
            let existing: Option<(i64, i64)> = sqlx::query_as(
                "SELECT id, conversation_id FROM messages WHERE workspace_id = $1 AND client_id = $2",
            )
            .bind(workspace.0)
            .bind(client_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
            if let Some((id, conversation)) = existing {
                let conversation = ConversationId(conversation);
                if conversation != message.conversation {
                    return Err(StoreError::Conflict {
                        constraint: "messages.client_id".into(),
                    });
                }
                let message = queries::message(&mut tx, workspace, MessageId(id)).await?;
                let conversation = queries::conversation(&mut tx, workspace, conversation).await?;
                return Ok(Appended {
                    message,
                    conversation,
                    event: None,
                });
            }
        }
        let id = queries::insert_message(&mut tx, &message).await?;
        let message = queries::message(&mut tx, workspace, id).await?;
        let conversation =
            queries::conversation(&mut tx, workspace, message.conversation_id).await?;
        let event = queries::insert_event(
            &mut tx,
            self.origin,
            workspace,
            EventPayload::MessageCreated {
                message: message.clone(),
                conversation: conversation.clone(),
            },
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Appended {
            message,
            conversation,
            event: Some(event),
        })
    }

    async fn set_status(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        change: StatusChange,
    ) -> StoreResult<Event> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        queries::lock_workspace(&mut tx, workspace).await?;
        let now = micros(Utc::now());
        let done = sqlx::query(
            "UPDATE conversations SET
               status_since = CASE WHEN status <> $1 THEN $2 ELSE status_since END,
               status = $1, snoozed_until = $3
             WHERE id = $4 AND workspace_id = $5",
        )
        .bind(change.status().as_str())
        .bind(now)
        .bind(change.snoozed_until().map(micros))
        .bind(conversation.0)
        .bind(workspace.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event =
            queries::conversation_updated(&mut tx, self.origin, workspace, conversation).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(event)
    }

    async fn mark_read(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Option<Event>> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        queries::lock_workspace(&mut tx, workspace).await?;
        let summary = queries::conversation(&mut tx, workspace, conversation).await?;
        if summary.unread_count == 0 {
            return Ok(None);
        }
        sqlx::query(
            "UPDATE conversations SET unread_count = 0 WHERE id = $1 AND workspace_id = $2",
        )
        .bind(conversation.0)
        .bind(workspace.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let event =
            queries::conversation_updated(&mut tx, self.origin, workspace, conversation).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Some(event))
    }

    async fn events_since(
        &self,
        workspace: WorkspaceId,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT seq, at, payload FROM events WHERE workspace_id = $1 AND seq > $2
             ORDER BY seq LIMIT $3",
        )
        .bind(workspace.0)
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.into_iter()
            .map(|(seq, at, payload)| rows::event(workspace, seq, at, &payload))
            .collect()
    }

    async fn foreign_events(&self) -> StoreResult<Option<EventFeed>> {
        // LISTEN before returning, so every event committed after this call is heard.
        let mut listener = PgListener::connect_with(&self.pool).await.map_err(db_err)?;
        listener
            .listen(queries::EVENTS_CHANNEL)
            .await
            .map_err(db_err)?;
        let (sender, receiver) = mpsc::channel(FEED_CAPACITY);
        tokio::spawn(forward_foreign_events(listener, self.origin, sender));
        Ok(Some(receiver))
    }

    async fn last_seq(&self, workspace: WorkspaceId) -> StoreResult<u64> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT last_seq FROM workspaces WHERE id = $1")
            .bind(workspace.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        seq.map(|s| s as u64).ok_or(StoreError::NotFound)
    }
}

/// Hands the feed every announcement not tagged with `origin`, until the feed is dropped or
/// the store closed. A lost connection is re-established by the listener (announcements made
/// meanwhile are lost, as the trait allows); other failures are retried after a pause.
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
            Ok(notification) => match queries::parse_notice(notification.payload()) {
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

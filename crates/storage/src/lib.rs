//! The storage API of Switchboard: one [`Store`] trait that the server holds as
//! `Arc<dyn Store>`, implemented by each backend crate (`switchboard-storage-sqlite`, and the
//! PostgreSQL backend beside it).
//!
//! Invariants every implementation keeps (and [`conformance`] checks):
//! - every read and write that names a conversation, contact or message also names its
//!   workspace, and answers [`StoreError::NotFound`] when the two do not match;
//! - a change that clients must see is written together with its [`Event`], in the same
//!   transaction, under the workspace's next sequence number (gap-free, increasing);
//! - a send with a `client_id` already stored in that workspace stores nothing new.

mod cursor;
mod error;
mod types;

#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(feature = "rows")]
pub mod rows;

pub use cursor::{ActivityCursor, IdCursor, page_of};
pub use error::{StoreError, StoreResult};
pub use types::*;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_protocol::api::Page;
use switchboard_protocol::events::Event;
#[cfg(feature = "conformance")]
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::*;

/// Everything Switchboard keeps.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    // --- users and sessions -------------------------------------------------------------
    /// Adds a user; `email` is unique (case-insensitively) → `Conflict` if taken.
    async fn create_user(&self, user: NewUser<'_>) -> StoreResult<User>;
    /// The user and password hash for a login, matching e-mail case-insensitively.
    async fn user_credentials(&self, email: &str) -> StoreResult<Option<UserCredentials>>;
    async fn create_session(&self, session: NewSession<'_>) -> StoreResult<()>;
    /// The user of an unexpired session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>)
    -> StoreResult<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// How many users exist (0 on a fresh database).
    async fn user_count(&self) -> StoreResult<u64>;

    // --- workspaces ---------------------------------------------------------------------
    async fn create_workspace(&self, name: &str) -> StoreResult<WorkspaceId>;
    async fn add_member(&self, workspace: WorkspaceId, user: UserId, role: Role)
    -> StoreResult<()>;
    /// The workspaces a user belongs to, by name.
    async fn memberships(&self, user: UserId) -> StoreResult<Vec<WorkspaceMembership>>;
    /// The user's membership of one workspace, if any.
    async fn membership(
        &self,
        workspace: WorkspaceId,
        user: UserId,
    ) -> StoreResult<Option<WorkspaceMembership>>;
    async fn create_team(&self, workspace: WorkspaceId, name: &str) -> StoreResult<TeamId>;
    /// `NotFound` if the user is not a member of the team's workspace.
    async fn add_team_member(
        &self,
        workspace: WorkspaceId,
        team: TeamId,
        user: UserId,
    ) -> StoreResult<()>;

    // --- channels -----------------------------------------------------------------------
    async fn create_channel(&self, channel: NewChannel<'_>) -> StoreResult<Channel>;
    /// A channel by its public key (the website chat's `/chat/{key}`).
    async fn channel_by_public_key(&self, key: &str) -> StoreResult<Option<Channel>>;
    async fn channels(&self, workspace: WorkspaceId) -> StoreResult<Vec<Channel>>;

    // --- contacts and website-chat visitors ---------------------------------------------
    /// Adds a contact with its conversation, which starts closed (P1).
    async fn create_contact(&self, contact: NewContact<'_>) -> StoreResult<ConversationSummary>;
    async fn create_visitor(&self, channel: ChannelId, token_hash: &str) -> StoreResult<()>;
    async fn visitor(&self, token_hash: &str) -> StoreResult<Option<Visitor>>;
    /// The visitor's contact and conversation, created on first use (concurrent first uses
    /// create one).
    async fn visitor_conversation(
        &self,
        visitor: &Visitor,
        contact: NewContact<'_>,
    ) -> StoreResult<ConversationSummary>;

    // --- conversations and messages ------------------------------------------------------
    /// The inbox list, newest activity first, keyset-paginated.
    async fn conversations(
        &self,
        workspace: WorkspaceId,
        page: PageRequest<ActivityCursor>,
    ) -> StoreResult<Page<ConversationSummary>>;
    async fn conversation(
        &self,
        workspace: WorkspaceId,
        id: ConversationId,
    ) -> StoreResult<ConversationSummary>;
    /// The thread, newest first, keyset-paginated by message id.
    async fn messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        page: PageRequest<IdCursor>,
    ) -> StoreResult<Page<Message>>;
    /// Stores a message with its event, or returns the one already stored under the same
    /// `client_id` (then `event` is `None`).
    async fn append_message(&self, message: NewMessage) -> StoreResult<Appended>;
    /// Moves a conversation to `status` (snoozed needs `snoozed_until`, which the other
    /// states clear) and records the change as an event.
    async fn set_status(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        change: StatusChange,
    ) -> StoreResult<Event>;
    /// Marks every incoming message of the conversation read; the event is `None` when there
    /// was nothing unread.
    async fn mark_read(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Option<Event>>;

    // --- realtime events -----------------------------------------------------------------
    /// Events with `seq > after`, oldest first, at most `limit`.
    async fn events_since(
        &self,
        workspace: WorkspaceId,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<Event>>;
    /// The newest event sequence number of the workspace (0 before the first event).
    async fn last_seq(&self, workspace: WorkspaceId) -> StoreResult<u64>;

    /// Announces events committed by *other* processes sharing this database (other server
    /// replicas), so this process can hand them to its own sockets. `None` where one process
    /// owns the database (SQLite). Announcements can be lost (a dropped connection); sockets
    /// recover missed events from the store when the next one arrives.
    async fn foreign_events(&self) -> StoreResult<Option<EventFeed>>;
}

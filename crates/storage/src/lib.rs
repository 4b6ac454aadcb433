//! The storage API of Switchboard: one [`Store`] trait that the server holds as
//! `Arc<dyn Store>`, implemented once over SQL (`switchboard-storage-sql`) for the SQLite and
//! PostgreSQL backends.
//!
//! Invariants every implementation keeps (and [`conformance`] checks):
//! - every read and write that names a conversation, contact or message also names its
//!   workspace, and answers [`StoreError::NotFound`] when the two do not match;
//! - a change that clients must see is written together with its [`Event`], in the same
//!   transaction, under the workspace's next sequence number (gap-free, increasing);
//! - a send with a `client_id` already stored in that workspace stores nothing new.

mod cursor;
pub mod domain;
mod error;
mod types;

#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(feature = "conformance")]
pub mod reference;
#[cfg(feature = "conformance")]
pub mod search_stories;

pub use cursor::{ActivityCursor, IdCursor, page_of};
pub use error::{StoreError, StoreResult};
pub use types::*;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_protocol::api::Page;
use switchboard_protocol::channels::ContactChannel;
use switchboard_protocol::contacts::{Contact, CustomField, CustomFieldRequest};
use switchboard_protocol::events::Event;
#[cfg(feature = "conformance")]
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::notifications::{NotificationList, NotificationPreferences};
use switchboard_protocol::settings::{
    Invitation, Member, MemberPatch, SettingsPatch, Snippet, SnippetRequest, Team, TeamRequest,
    WorkspaceSettings,
};
use switchboard_protocol::workflows::{Workflow, WorkflowRequest, WorkflowRun};
use switchboard_protocol::*;

/// Everything Switchboard keeps. Changes of workspace configuration (settings, members,
/// teams, custom fields, custom inboxes, snippets) return their `WorkspaceChanged` event.
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

    // --- workspaces, members, teams, settings --------------------------------------------
    async fn create_workspace(&self, name: &str) -> StoreResult<WorkspaceId>;
    /// Adds a member with the role's default permissions.
    async fn add_member(&self, workspace: WorkspaceId, user: UserId, role: Role)
    -> StoreResult<()>;
    /// The workspaces a user belongs to, oldest first.
    async fn memberships(&self, user: UserId) -> StoreResult<Vec<WorkspaceMembership>>;
    /// The user's membership of one workspace, if any.
    async fn membership(
        &self,
        workspace: WorkspaceId,
        user: UserId,
    ) -> StoreResult<Option<WorkspaceMembership>>;
    /// The member as requests see them (role, permissions, teams), if a member.
    async fn viewer(&self, workspace: WorkspaceId, user: UserId) -> StoreResult<Option<Viewer>>;
    async fn members(&self, workspace: WorkspaceId) -> StoreResult<Vec<Member>>;
    /// Changes a member's role and/or permissions; `NotFound` for non-members.
    async fn update_member(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        patch: &MemberPatch,
    ) -> StoreResult<(Member, Event)>;
    async fn create_team(&self, workspace: WorkspaceId, name: &str) -> StoreResult<TeamId>;
    /// `NotFound` if the user is not a member of the team's workspace.
    async fn add_team_member(
        &self,
        workspace: WorkspaceId,
        team: TeamId,
        user: UserId,
    ) -> StoreResult<()>;
    async fn teams(&self, workspace: WorkspaceId) -> StoreResult<Vec<Team>>;
    /// Renames a team and replaces its members (who must be members of the workspace).
    async fn update_team(
        &self,
        workspace: WorkspaceId,
        team: TeamId,
        request: &TeamRequest,
    ) -> StoreResult<(Team, Event)>;
    async fn delete_team(&self, workspace: WorkspaceId, team: TeamId) -> StoreResult<Event>;
    async fn settings(&self, workspace: WorkspaceId) -> StoreResult<WorkspaceSettings>;
    async fn update_settings(
        &self,
        workspace: WorkspaceId,
        patch: &SettingsPatch,
    ) -> StoreResult<(WorkspaceSettings, Event)>;

    // --- channels -----------------------------------------------------------------------
    async fn create_channel(&self, channel: NewChannel<'_>) -> StoreResult<Channel>;
    /// A channel by its public key (the website chat's `/chat/{key}`).
    async fn channel_by_public_key(&self, key: &str) -> StoreResult<Option<Channel>>;
    /// A connected channel by its public key with its credentials, in one read: what a
    /// provider's webhook needs before anything else.
    async fn hooked_channel(&self, key: &str) -> StoreResult<Option<(Channel, Option<String>)>>;
    async fn channels(&self, workspace: WorkspaceId) -> StoreResult<Vec<Channel>>;
    /// A channel of the workspace, or `NotFound`.
    async fn channel(&self, workspace: WorkspaceId, channel: ChannelId) -> StoreResult<Channel>;
    /// The channel's provider credentials (a JSON document only its adapter reads); `None`
    /// before any were set. Never part of anything sent to clients.
    async fn channel_credentials(&self, channel: ChannelId) -> StoreResult<Option<String>>;
    async fn set_channel_credentials(
        &self,
        workspace: WorkspaceId,
        channel: ChannelId,
        credentials: &str,
    ) -> StoreResult<()>;
    /// Marks the provider account a channel reaches (a bot, a number, a mailbox): one
    /// connected channel per account and kind in the whole installation, so no workspace
    /// takes over another's bot or reads another's mailbox. `Conflict` when another connected
    /// channel has it; `NotFound` for an unknown or disconnected channel.
    async fn claim_channel_account(&self, channel: ChannelId, account: &str) -> StoreResult<()>;
    /// Every connected channel of `kind` in every workspace (for workers that read
    /// providers by polling, like e-mail's IMAP).
    async fn connected_channels(&self, kind: ChannelKind) -> StoreResult<Vec<Channel>>;
    /// Where a polling adapter left off reading a channel (text only it reads); `None` until
    /// it sets one.
    async fn channel_cursor(&self, channel: ChannelId) -> StoreResult<Option<String>>;
    /// `NotFound` for an unknown or disconnected channel.
    async fn set_channel_cursor(&self, channel: ChannelId, cursor: &str) -> StoreResult<()>;
    /// Takes, or renews, the lease on reading a polled channel for `holder` (one server
    /// process) until `until`: granted when nobody holds it, `holder` does, or the holder's
    /// lease ran out by `now`. `false` when another holds it, or the channel is unknown or
    /// disconnected. Several servers reading one mailbox thus read it one at a time.
    async fn claim_channel_reader(
        &self,
        channel: ChannelId,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Removes a channel. Its conversations and messages stay readable; nothing more is
    /// delivered through it (pending deliveries fail with "The channel was disconnected.").
    async fn disconnect_channel(
        &self,
        workspace: WorkspaceId,
        channel: ChannelId,
    ) -> StoreResult<Vec<Event>>;

    // --- channels: inbound and the outbox (CH, C1) ---------------------------------------
    /// Stores a message a contact sent through a provider: finds the contact by its provider
    /// id on the channel (creating contact and conversation on first contact), appends the
    /// message to that conversation (reopening it as an incoming message does), all in one
    /// transaction. The same `external_id` again is [`Received::Duplicate`].
    async fn receive_message(&self, inbound: InboundMessage<'_>) -> StoreResult<Received>;
    /// Replaces the content of a stored incoming message (an edit at the provider); `None`
    /// when no such message is stored or nothing changed.
    async fn edit_received(&self, edit: InboundEdit<'_>) -> StoreResult<Option<Event>>;
    /// Outgoing messages due for delivery (`next_attempt_at <= now`, not leased to another
    /// worker), oldest first, at most `limit`, and in each conversation only the oldest still
    /// waiting (so a contact receives replies in the order they were written); each is leased until `lease_until`, so a
    /// worker that dies mid-send leaves it to be sent again after that.
    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>>;
    /// The earliest time a delivery falls due (or its lease ends), if any is waiting.
    async fn next_delivery_at(&self) -> StoreResult<Option<DateTime<Utc>>>;
    /// The provider accepted the message: it becomes `sent` with the provider's id (so
    /// status reports and replies find it); the outbox entry is done.
    async fn delivery_sent(&self, delivery: i64, external_id: &str) -> StoreResult<Option<Event>>;
    /// A transient failure: try again at `at` (the lease ends), counting the attempt. Only
    /// while the worker still holds the entry (`false` when its lease was lost).
    async fn delivery_retry(
        &self,
        delivery: HeldDelivery,
        at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<bool>;
    /// A permanent failure: the message becomes `failed` with `reason` (shown to agents,
    /// C1); the outbox entry is done. Only while the worker still holds the entry (`None`
    /// otherwise, and when it is gone).
    async fn delivery_failed(
        &self,
        delivery: HeldDelivery,
        reason: &str,
    ) -> StoreResult<Option<Event>>;
    /// The provider accepted the first `parts_sent` parts of a message sent as several, the
    /// first with `first_external_id`: a later attempt (also an agent's retry) resumes after
    /// them. `false` when the worker no longer holds the entry.
    async fn delivery_progress(
        &self,
        delivery: HeldDelivery,
        parts_sent: u32,
        first_external_id: &str,
    ) -> StoreResult<bool>;
    /// An agent retries a `failed` message (C1): it becomes `pending` and is queued again.
    /// A message not of that conversation (or workspace) is `NotFound`; one that is not
    /// failed is refused.
    async fn retry_message(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        message: MessageId,
    ) -> StoreResult<Event>;
    /// The contact of a conversation as its connected provider channel reaches them; `None`
    /// for website chat, a disconnected channel, or a contact with no id there (and
    /// `NotFound` for another workspace's conversation).
    async fn reply_target(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Option<ReplyTarget>>;
    /// A provider's status report for a message it accepted: statuses only move forward
    /// (sent → delivered → read; `failed` from any but read), so reports arriving out of
    /// order never move a status back. `None` when nothing changed or no such message.
    async fn report_delivery(
        &self,
        channel: ChannelId,
        external_id: &str,
        status: DeliveryStatus,
        error: Option<&str>,
    ) -> StoreResult<Option<Event>>;

    // --- contacts, custom fields, website-chat visitors ----------------------------------
    /// Adds a contact with its conversation, which starts closed (P1).
    async fn create_contact(&self, contact: NewContact<'_>) -> StoreResult<ConversationSummary>;
    async fn contact(&self, workspace: WorkspaceId, contact: ContactId) -> StoreResult<Contact>;
    /// Changes a contact; the event carries its conversation's new row.
    async fn update_contact(
        &self,
        workspace: WorkspaceId,
        contact: ContactId,
        changes: &ContactChanges,
    ) -> StoreResult<(Contact, Event)>;
    /// Blocks or unblocks (A4); `None` when nothing changed. Blocking a snoozed
    /// conversation wakes it (blocked contacts cannot be snoozed).
    async fn set_blocked(
        &self,
        workspace: WorkspaceId,
        contact: ContactId,
        blocked: bool,
    ) -> StoreResult<Option<Event>>;
    /// Whether the workspace has a blocked contact (the Blocked folder shows only then).
    async fn has_blocked(&self, workspace: WorkspaceId) -> StoreResult<bool>;
    async fn custom_fields(&self, workspace: WorkspaceId) -> StoreResult<Vec<CustomField>>;
    async fn create_custom_field(
        &self,
        workspace: WorkspaceId,
        field: &CustomFieldRequest,
    ) -> StoreResult<(CustomField, Event)>;
    async fn update_custom_field(
        &self,
        workspace: WorkspaceId,
        id: CustomFieldId,
        field: &CustomFieldRequest,
    ) -> StoreResult<(CustomField, Event)>;
    /// Removes a field and every contact's value of it.
    async fn delete_custom_field(
        &self,
        workspace: WorkspaceId,
        id: CustomFieldId,
    ) -> StoreResult<Event>;
    async fn create_visitor(&self, channel: ChannelId, token_hash: &str) -> StoreResult<()>;
    async fn visitor(&self, token_hash: &str) -> StoreResult<Option<Visitor>>;
    /// The visitor's contact and conversation, created on first use (concurrent first uses
    /// create one).
    async fn visitor_conversation(
        &self,
        visitor: &Visitor,
        contact: NewContact<'_>,
    ) -> StoreResult<ConversationSummary>;

    // --- integrations (T7) ------------------------------------------------------------------
    /// The workspace's integration of `kind` ("ai"); `None` before one is set.
    async fn integration(
        &self,
        workspace: WorkspaceId,
        kind: &str,
    ) -> StoreResult<Option<Integration>>;
    /// Sets an integration's settings, and its secret when `secret` is given (the one kept
    /// stays otherwise), with the event that tells members' apps the settings changed.
    /// Checking what they hold is the caller's.
    async fn set_integration(
        &self,
        workspace: WorkspaceId,
        kind: &str,
        settings: &str,
        secret: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<(Integration, Event)>;
    /// Removes it with its secret; the event when there was one.
    async fn delete_integration(
        &self,
        workspace: WorkspaceId,
        kind: &str,
    ) -> StoreResult<Option<Event>>;
    /// Keeps `user`'s rating of an AI draft (K9); returns it with how many thumbs-down the
    /// user has given in the workspace, this one included.
    async fn rate_ai_draft(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        good: bool,
        draft: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(AiRating, u64)>;
    /// Adds feedback to the user's own thumbs-down; `NotFound` for anyone else's rating, a
    /// thumbs-up or another workspace's.
    async fn ai_rating_feedback(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        rating: i64,
        feedback: &str,
    ) -> StoreResult<()>;
    /// The workspace's ratings, newest first.
    async fn ai_ratings(&self, workspace: WorkspaceId) -> StoreResult<Vec<AiRating>>;
    /// The workspace's own AI prompts (T8), by name without regard to case.
    async fn ai_prompts(
        &self,
        workspace: WorkspaceId,
    ) -> StoreResult<Vec<switchboard_protocol::ai::AiPrompt>>;
    /// One of them; `NotFound` for another workspace's.
    async fn ai_prompt(
        &self,
        workspace: WorkspaceId,
        id: i64,
    ) -> StoreResult<switchboard_protocol::ai::AiPrompt>;
    /// Adds a prompt (checked by the caller); its name is unique in the workspace without
    /// regard to case (`Conflict`).
    async fn create_ai_prompt(
        &self,
        workspace: WorkspaceId,
        request: &switchboard_protocol::ai::AiPromptRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<switchboard_protocol::ai::AiPrompt>;
    /// Changes a prompt; `NotFound` for another workspace's, `Conflict` for a taken name.
    async fn update_ai_prompt(
        &self,
        workspace: WorkspaceId,
        id: i64,
        request: &switchboard_protocol::ai::AiPromptRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<switchboard_protocol::ai::AiPrompt>;
    async fn delete_ai_prompt(&self, workspace: WorkspaceId, id: i64) -> StoreResult<()>;

    // --- workflows (A7, A8, T9) ---------------------------------------------------------------
    /// The workspace's workflows, by name without regard to case.
    async fn workflows(&self, workspace: WorkspaceId) -> StoreResult<Vec<Workflow>>;
    async fn workflow(&self, workspace: WorkspaceId, id: i64) -> StoreResult<Workflow>;
    /// Saves a new workflow (names are unique without regard to case: `Conflict`), with the
    /// event that tells members' apps (their Shortcut lists) it changed. Checking it is the
    /// caller's.
    async fn create_workflow(
        &self,
        workspace: WorkspaceId,
        request: &WorkflowRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<(Workflow, Event)>;
    /// Changes a workflow; its trigger counts from `now`. Runs already started keep the
    /// steps they started with.
    async fn update_workflow(
        &self,
        workspace: WorkspaceId,
        id: i64,
        request: &WorkflowRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<(Workflow, Event)>;
    /// Deletes a workflow; its ongoing runs are stopped.
    async fn delete_workflow(
        &self,
        workspace: WorkspaceId,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Event>;
    /// Starts a run of the workflow for the conversation, due at once, with the workflow's
    /// steps as they are now. With a `trigger_key`, one run per key: `None` when a run for
    /// it was already started.
    async fn start_workflow_run(
        &self,
        workspace: WorkspaceId,
        workflow: i64,
        conversation: ConversationId,
        started_by: Option<UserId>,
        trigger_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<WorkflowRun>>;
    /// A contact's runs, newest first (only the running ones when `ongoing`), with their
    /// steps' log.
    async fn workflow_runs(
        &self,
        workspace: WorkspaceId,
        contact: ContactId,
        ongoing: bool,
    ) -> StoreResult<Vec<WorkflowRun>>;
    /// Stops one running run of the contact, or all of them (`run` = `None`); the runs
    /// stopped. Under the workspace lock that every step's record takes: a stopped run
    /// performs no further step. An unknown or finished `run` is `NotFound`.
    async fn stop_workflow_runs(
        &self,
        workspace: WorkspaceId,
        contact: ContactId,
        run: Option<i64>,
        by: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<WorkflowRun>>;
    /// Runs due (`due_at <= now`, not leased to another worker), oldest first, at most
    /// `limit`; each leased until `lease_until`.
    async fn claim_workflow_runs(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<HeldRun>>;
    /// The earliest time a run falls due (or its lease ends), if any is running.
    async fn next_workflow_run_at(&self) -> StoreResult<Option<DateTime<Utc>>>;
    /// [`Store::append_message`] for a step of a held run: refused (`Refused`) once the run
    /// was stopped or lost, under the workspace lock a Stop takes, so a stopped run writes
    /// nothing more.
    async fn append_workflow_message(
        &self,
        run: &HeldRun,
        message: NewMessage,
    ) -> StoreResult<Appended>;
    /// Whether the worker still holds the run and it is running (checked before a step).
    async fn workflow_run_held(&self, run: &HeldRun) -> StoreResult<bool>;
    /// Logs the step performed (`outcome`) and moves the run on. Only while the worker still
    /// holds it and it was not stopped meanwhile (`false` otherwise, and nothing changes).
    async fn advance_workflow_run(
        &self,
        run: &HeldRun,
        outcome: &str,
        progress: RunProgress,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// A message's kept translation into `language` (C10), if any; `NotFound` for a message
    /// of another workspace.
    async fn translation(
        &self,
        workspace: WorkspaceId,
        message: MessageId,
        language: &str,
    ) -> StoreResult<Option<String>>;
    /// Keeps a translation; when one was kept meanwhile, that one stays and is returned, so
    /// every agent reads the same words.
    async fn keep_translation(
        &self,
        workspace: WorkspaceId,
        message: MessageId,
        language: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<String>;

    // --- snippets (saved replies, K5) ----------------------------------------------------
    /// The workspace's snippets ordered by name without regard to case.
    async fn snippets(&self, workspace: WorkspaceId) -> StoreResult<Vec<Snippet>>;
    /// Adds a snippet; its name is unique in the workspace without regard to case
    /// (`Conflict` if taken). Its files are `request.files` in order, each an upload of `by`
    /// not yet sent nor another snippet's (`Invalid { field: "files" }` otherwise, and nothing
    /// is stored). Lengths and counts are the caller's to check.
    async fn create_snippet(
        &self,
        workspace: WorkspaceId,
        request: &SnippetRequest,
        by: UserId,
    ) -> StoreResult<(Snippet, Event)>;
    /// Renames a snippet and replaces its text and files (its own, or uploads of `by` as in
    /// `create_snippet`); `NotFound` outside its workspace, `Conflict` when another snippet
    /// has the name. Returns the storage keys of the files it no longer has (their rows are
    /// gone; their bytes are the caller's to delete).
    async fn update_snippet(
        &self,
        workspace: WorkspaceId,
        id: SnippetId,
        request: &SnippetRequest,
        by: UserId,
    ) -> StoreResult<(Snippet, Event, Vec<String>)>;
    /// Deletes a snippet with its files; returns their storage keys as `update_snippet`.
    async fn delete_snippet(
        &self,
        workspace: WorkspaceId,
        id: SnippetId,
    ) -> StoreResult<(Event, Vec<String>)>;

    // --- conversations and messages ------------------------------------------------------
    /// A list of conversations (N2–N7) as `viewer` may see it, keyset-paginated in the
    /// spec's order. Search and conditions never match phone numbers for masked viewers.
    async fn inbox(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        spec: &InboxSpec,
        page: PageRequest<ActivityCursor>,
    ) -> StoreResult<Page<ConversationSummary>>;
    /// How many open and unread conversations a list holds.
    async fn count(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        spec: &InboxSpec,
    ) -> StoreResult<inbox::FolderCount>;
    /// Custom inboxes the viewer may use: their own, and those shared with them or their
    /// teams.
    async fn custom_inboxes(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
    ) -> StoreResult<Vec<inbox::CustomInbox>>;
    async fn custom_inbox(
        &self,
        workspace: WorkspaceId,
        id: CustomInboxId,
    ) -> StoreResult<inbox::CustomInbox>;
    /// Shares must name members and teams of the workspace (`Invalid` otherwise).
    async fn create_custom_inbox(
        &self,
        workspace: WorkspaceId,
        owner: UserId,
        request: &inbox::CustomInboxRequest,
    ) -> StoreResult<(inbox::CustomInbox, Event)>;
    async fn update_custom_inbox(
        &self,
        workspace: WorkspaceId,
        id: CustomInboxId,
        request: &inbox::CustomInboxRequest,
    ) -> StoreResult<(inbox::CustomInbox, Event)>;
    async fn delete_custom_inbox(
        &self,
        workspace: WorkspaceId,
        id: CustomInboxId,
    ) -> StoreResult<Event>;
    async fn conversation(
        &self,
        workspace: WorkspaceId,
        id: ConversationId,
    ) -> StoreResult<ConversationSummary>;
    /// The connected channels the conversation's contact can be written to (K2), by channel
    /// id: those they wrote from, the current one, and e-mail channels when their address is
    /// known (the first message through one records the address as their identity there).
    async fn contact_channels(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Vec<ContactChannel>>;
    /// One message of the workspace (its conversation's visibility is the caller's to check),
    /// or `NotFound`.
    async fn message(&self, workspace: WorkspaceId, message: MessageId) -> StoreResult<Message>;
    /// The thread, newest first, keyset-paginated by message id.
    async fn messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        page: PageRequest<IdCursor>,
    ) -> StoreResult<Page<Message>>;
    /// Stores a message with its event, or returns the one already stored under the same
    /// `client_id` (then `event` is `None`). A `pending` outgoing message (not a comment)
    /// in a conversation whose channel delivers through a provider is queued in the outbox
    /// in the same transaction (imported history with another status is not). Its attachments are attached in the same
    /// transaction; one that is not the workspace's, not uploaded by the sender or already
    /// sent is `Invalid { field: "attachments" }` and nothing is stored. The AI Agent's
    /// messages (`SenderKind::AiAgent`) are `Refused` unless it handles the conversation.
    async fn append_message(&self, message: NewMessage) -> StoreResult<Appended>;
    /// Marks every incoming message of the conversation read; the event is `None` when there
    /// was nothing unread.
    async fn mark_read(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Option<Event>>;
    /// Assigns to a member, a team of the workspace or the AI Agent, or unassigns (`None`);
    /// `None` when nothing changed. Assignees outside the workspace are `Invalid`.
    async fn assign(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        assignee: Option<AssigneeRef>,
    ) -> StoreResult<Option<Event>> {
        self.assign_by(workspace, conversation, assignee, None)
            .await
    }
    /// The AI Agent hands the conversation back (A5): unassigned, only if the AI Agent still
    /// handles it (`None` otherwise, and nothing changes: whoever took it over keeps it).
    async fn release_ai(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Option<Event>>;
    /// Turns the Dialogflow bot on or off for a conversation (A6); `None` when it already
    /// was. While off, the store refuses the bot's messages to it.
    async fn set_dialogflow_bot(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        on: bool,
    ) -> StoreResult<Option<Event>>;
    /// [`Store::assign`] by member `by`: the new assignee (the member, or the team's
    /// members), other than `by`, are notified (O1).
    async fn assign_by(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        assignee: Option<AssigneeRef>,
        by: Option<UserId>,
    ) -> StoreResult<Option<Event>>;
    /// Moves a conversation to another state, following [`domain::check_transition`].
    async fn transition(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        transition: Transition,
        now: DateTime<Utc>,
    ) -> StoreResult<Event>;
    /// Wakes every snoozed conversation whose time has come (A2), in any workspace; its
    /// assignees (the member, or the team's members) are notified (⏰).
    async fn wake_snoozed(&self, now: DateTime<Utc>) -> StoreResult<Vec<Event>>;
    /// The earliest snooze deadline of any workspace.
    async fn next_snooze_deadline(&self) -> StoreResult<Option<DateTime<Utc>>>;

    // --- attachments (K3) ------------------------------------------------------------------
    /// Records an uploaded file, not yet carried by a message.
    async fn create_attachment(&self, attachment: NewAttachment) -> StoreResult<AttachmentRecord>;
    /// A file of the workspace, sent or not; `NotFound` for other workspaces' files.
    async fn attachment(
        &self,
        workspace: WorkspaceId,
        id: AttachmentId,
    ) -> StoreResult<AttachmentRecord>;

    // --- full-text search -----------------------------------------------------------------
    /// Contacts whose name, e-mail or (for unmasked viewers) phone matches, as conversation
    /// rows, newest activity first; blocked contacts only for viewers who may see them.
    async fn search_contacts(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        query: &str,
        limit: u32,
    ) -> StoreResult<Vec<ConversationSummary>>;
    /// Messages and comments with words starting with every word of `query`, newest first,
    /// in one conversation or the whole workspace (S1, C6), as the viewer may see them.
    async fn search_messages(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        query: &str,
        conversation: Option<ConversationId>,
        page: PageRequest<IdCursor>,
    ) -> StoreResult<Page<MessageHit>>;

    // ----- Invitations (T1).

    /// Makes an invitation; `Conflict` when the address is a member already.
    async fn create_invitation(&self, invitation: NewInvitation<'_>) -> StoreResult<Invitation>;
    /// The workspace's pending invitations (not used, not expired), newest first.
    async fn invitations(
        &self,
        workspace: WorkspaceId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Invitation>>;
    /// Withdraws a pending invitation; `NotFound` when the workspace has none by that id.
    async fn revoke_invitation(&self, workspace: WorkspaceId, id: InvitationId) -> StoreResult<()>;
    /// The pending invitation a link's token names, if it still works.
    async fn open_invitation(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<OpenInvitation>>;
    /// Uses the invitation for `user` (whose address it must be, else `Invalid`): they become
    /// a member with its role, once, announced as `workspace_changed` (members); `NotFound`
    /// when the link no longer works.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        user: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<(WorkspaceId, Event)>;

    // ----- Notifications (O1–O3). Entries are written by the calls they tell of:
    // `append_message` (mentions; a contact's message in a member's conversation),
    // `receive_message`, `assign_by` and `wake_snoozed`.

    /// The member's notification centre, newest first (`before` an entry for older ones),
    /// without entries about conversations they may not see; and how many are unread.
    async fn notifications(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        before: Option<NotificationId>,
        limit: u32,
    ) -> StoreResult<NotificationList>;
    /// Marks the member's entries read (every one when `ids` is `None`); how many changed.
    /// Ids of other members' entries change nothing.
    async fn mark_notifications_read(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        ids: Option<&[NotificationId]>,
        now: DateTime<Utc>,
    ) -> StoreResult<u64>;
    /// What the member wants pushed in the workspace (O3).
    async fn notification_preferences(
        &self,
        workspace: WorkspaceId,
        user: UserId,
    ) -> StoreResult<NotificationPreferences>;
    async fn set_notification_preferences(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        preferences: NotificationPreferences,
    ) -> StoreResult<()>;
    /// Claims up to `limit` notifications due to be pushed, leasing them until `lease_until`
    /// (replicas claim distinct ones).
    async fn claim_pushes(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<DuePush>>;
    /// A claimed push is done (`retry_at` `None`) or is tried again at `retry_at`. An entry
    /// that gathered another message meanwhile is due again and stays due.
    async fn push_finished(
        &self,
        notification: NotificationId,
        leased_until: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    /// When the next push is due, if any is.
    async fn next_push_at(&self) -> StoreResult<Option<DateTime<Utc>>>;
    /// Keeps a device's subscription for the user (taking it over from whoever had it).
    async fn save_push_subscription(
        &self,
        user: UserId,
        subscription: &PushSubscriptionRecord,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Drops a subscription: the user's (`Some`), or anyone's when the push service said it
    /// is gone (`None`); whether there was one.
    async fn delete_push_subscription(
        &self,
        endpoint: &str,
        user: Option<UserId>,
    ) -> StoreResult<bool>;
    async fn push_subscriptions(&self, user: UserId) -> StoreResult<Vec<PushSubscriptionRecord>>;
    /// The server-wide secret `name`: the one kept, or `fresh` kept now if there was none
    /// (replicas starting together keep one of theirs).
    async fn server_key(&self, name: &str, fresh: &str) -> StoreResult<String>;

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

    /// Hands a short-lived signal (an agent typing) to the other processes sharing this
    /// database; nothing is stored and nothing is replayed. A no-op where one process owns
    /// the database.
    async fn broadcast_signal(&self, workspace: WorkspaceId, payload: &str) -> StoreResult<()> {
        let _ = (workspace, payload);
        Ok(())
    }

    /// The signals other processes broadcast, best effort (lost when a connection drops).
    /// `None` where one process owns the database.
    async fn foreign_signals(&self) -> StoreResult<Option<SignalFeed>> {
        Ok(None)
    }
}

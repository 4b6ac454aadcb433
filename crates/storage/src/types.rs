//! Inputs and outputs of [`crate::Store`] that are not wire types.

use chrono::{DateTime, Utc};
use switchboard_protocol::contacts::FieldValue;
use switchboard_protocol::events::Event;
use switchboard_protocol::*;

/// A user to add; `password_hash` is a PHC string (argon2), never a password.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
}

/// What a login checks against.
#[derive(Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: String,
}

impl std::fmt::Debug for UserCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserCredentials")
            .field("user", &self.user)
            .field("password_hash", &"<hidden>")
            .finish()
    }
}

/// A session to store; only the hash of the cookie's token is kept.
#[derive(Clone, Debug)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A channel to add.
#[derive(Clone, Debug)]
pub struct NewChannel<'a> {
    pub workspace: WorkspaceId,
    pub kind: ChannelKind,
    pub name: &'a str,
    /// The unguessable key of public endpoints (website chat), if the kind has them.
    pub public_key: Option<&'a str>,
}

/// A connected channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub id: ChannelId,
    pub workspace: WorkspaceId,
    pub kind: ChannelKind,
    pub name: String,
    pub public_key: Option<String>,
}

/// A contact to add, with the channel its conversation starts on.
#[derive(Clone, Debug)]
pub struct NewContact<'a> {
    pub workspace: WorkspaceId,
    pub channel: ChannelId,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// Custom field values, already checked against their fields.
    pub fields: &'a [FieldValue],
    pub created_at: DateTime<Utc>,
}

/// Changes to a contact, already checked by the caller. `None` leaves a part as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    /// Values to set; `None` clears the field.
    pub fields: Vec<(CustomFieldId, Option<String>)>,
}

/// A conversation's move to another state (A1, A2); the allowed moves are in
/// [`crate::domain::check_transition`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transition {
    Close {
        note: Option<String>,
        by: Option<UserId>,
    },
    Snooze {
        until: DateTime<Utc>,
    },
    Unsnooze,
    Reopen,
}

/// A member of a workspace as a request sees them: who, with which role and permissions,
/// in which teams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub user: UserId,
    pub role: Role,
    pub permissions: Permissions,
    pub teams: Vec<TeamId>,
}

/// A list query as the store runs it (N2–N7): the folder resolved by the caller (a custom
/// inbox's filter in place of its id, after its access was checked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxSpec {
    pub folder: FolderSpec,
    /// The status tab; `None` is All.
    pub status: Option<ConversationStatus>,
    pub sort: inbox::Sort,
    /// List search by first name, last name, phone or e-mail (N5).
    pub search: Option<String>,
    /// The unreplied filter (N7): only conversations awaiting a reply whose newest incoming
    /// message is at or after this time (the workspace's cutoff).
    pub unreplied_since: Option<DateTime<Utc>>,
    /// The time age conditions are measured from.
    pub now: DateTime<Utc>,
}

impl InboxSpec {
    /// Every visible conversation, newest first.
    pub fn all(now: DateTime<Utc>) -> InboxSpec {
        InboxSpec {
            folder: FolderSpec::All,
            status: None,
            sort: inbox::Sort::Newest,
            search: None,
            unreplied_since: None,
            now,
        }
    }
}

/// Which conversations a list holds. Every folder but `Blocked` leaves blocked contacts out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FolderSpec {
    All,
    Mine,
    Unassigned,
    Team(TeamId),
    Custom(inbox::InboxFilter),
    Blocked,
}

/// A message found by search, with its contact.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageHit {
    pub message: Message,
    pub contact: ContactSummary,
}

/// An anonymous website-chat visitor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visitor {
    pub id: i64,
    pub channel: Channel,
    /// Set once the visitor has written.
    pub conversation: Option<ConversationId>,
}

/// A message or comment to store.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub workspace: WorkspaceId,
    pub conversation: ConversationId,
    pub client_id: Option<String>,
    pub kind: MessageKind,
    pub direction: Direction,
    pub sender_kind: SenderKind,
    /// The agent, when the sender is one.
    pub sender_user: Option<UserId>,
    pub content: Content,
    pub delivery_status: Option<DeliveryStatus>,
    pub created_at: DateTime<Utc>,
    /// Must be a message of the same conversation.
    pub reply_to: Option<MessageId>,
    /// Must be members of the workspace.
    pub mentions: Vec<UserId>,
    /// Files to carry, in this order (K3): each must be of the workspace, uploaded by
    /// `sender_user` and not yet carried by a message.
    pub attachments: Vec<AttachmentId>,
    /// The channel a message travels on (K2): one of the contact's channels (see
    /// [`crate::Store::contact_channels`]), which becomes the conversation's current one.
    /// `None`: the conversation's current channel. Comments stay on the current channel.
    pub channel: Option<ChannelId>,
    /// The agent's own words when the text is their translation (C10).
    pub original: Option<String>,
}

/// A file just uploaded (K3), whose bytes are already kept under `storage_key`. Name, type
/// and size are the caller's to check.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub workspace: WorkspaceId,
    pub uploader: UserId,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    /// Where the bytes are (random, never derived from the name); unique.
    pub storage_key: String,
    pub created_at: DateTime<Utc>,
}

/// An agent's rating of an AI Assist draft (K9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AiRating {
    pub id: i64,
    pub user: UserId,
    pub good: bool,
    pub draft: String,
    pub feedback: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A workspace's integration with an outside service (T7): settings members may read, and
/// a secret (an API key) that is never sent to clients nor printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Integration {
    /// A JSON document the integration's module reads.
    pub settings: String,
    pub secret: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for Integration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Integration")
            .field("settings", &self.settings)
            .field("secret", &self.secret.as_ref().map(|_| "<hidden>"))
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

/// A stored file with what deciding who may read it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentRecord {
    pub attachment: Attachment,
    /// The member who uploaded it; `None` for a file a contact sent through a provider.
    pub uploader: Option<UserId>,
    /// The conversation of the message carrying it; `None` until it is sent.
    pub conversation: Option<ConversationId>,
    /// Whether that message went to the contact or is an internal comment.
    pub kind: Option<MessageKind>,
    /// The snippet it belongs to (T3): every member of the workspace may read it.
    pub snippet: Option<SnippetId>,
    pub storage_key: String,
}

/// The result of [`crate::Store::append_message`].
#[derive(Clone, Debug)]
pub struct Appended {
    pub message: Message,
    pub conversation: ConversationSummary,
    /// `None` when the `client_id` was already stored and nothing changed.
    pub event: Option<Event>,
}

/// "Event `seq` of `workspace` was committed elsewhere."
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventNotice {
    pub workspace: WorkspaceId,
    pub seq: u64,
}

/// See [`crate::Store::foreign_events`].
pub type EventFeed = tokio::sync::mpsc::Receiver<EventNotice>;

/// A signal another process broadcast: see [`crate::Store::broadcast_signal`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignalNotice {
    pub workspace: WorkspaceId,
    pub payload: String,
}

/// See [`crate::Store::foreign_signals`].
pub type SignalFeed = tokio::sync::mpsc::Receiver<SignalNotice>;

/// A page request of a keyset-paginated list.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest<C> {
    pub after: Option<C>,
    pub limit: u32,
}

/// A message a contact sent through a provider (Telegram, WhatsApp, TikTok, e-mail), already
/// verified and parsed by its channel adapter.
#[derive(Clone, Debug)]
pub struct InboundMessage<'a> {
    pub workspace: WorkspaceId,
    pub channel: ChannelId,
    /// The contact's id at the provider (a Telegram chat id, a WhatsApp number, an address):
    /// the same id finds the same contact again.
    pub sender: &'a str,
    /// Names for a contact seen for the first time (never changes an existing contact).
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    /// The message's id at the provider, unique within the channel: a repeated delivery of
    /// the same id stores nothing new.
    pub external_id: &'a str,
    /// The provider id of the message this one replies to, if it is stored (C4).
    pub reply_to: Option<&'a str>,
    pub content: Content,
    pub received_at: DateTime<Utc>,
    /// Files it carries, whose bytes are already kept (in this order).
    pub files: Vec<InboundFile>,
}

/// A file a contact sent, already kept under `storage_key` by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundFile {
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub storage_key: String,
}

/// What [`crate::Store::receive_message`] did.
#[derive(Clone, Debug)]
// Short-lived and mostly `Stored`; boxing would only add indirection (as `EventPayload`).
#[allow(clippy::large_enum_variant)]
pub enum Received {
    /// A new message, stored with its event.
    Stored(Appended),
    /// The same provider message again (a repeated webhook): nothing changed.
    Duplicate,
}

/// An edit of an incoming message the provider reported (Telegram `edited_message`).
#[derive(Clone, Debug)]
pub struct InboundEdit<'a> {
    pub workspace: WorkspaceId,
    pub channel: ChannelId,
    pub external_id: &'a str,
    pub content: Content,
}

/// An outgoing message the outbox hands to its channel's adapter.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// The outbox entry (one per send attempt series).
    pub id: i64,
    pub workspace: WorkspaceId,
    pub channel: ChannelId,
    pub channel_kind: ChannelKind,
    pub message: Message,
    /// The contact's id at the provider on this channel; `None` when the contact has none
    /// (a contact added by hand who never wrote on this channel).
    pub recipient: Option<String>,
    /// The provider id of the message this one replies to, when it has one.
    pub reply_to_external: Option<String>,
    /// Attempts made before this one.
    pub attempts: u32,
    /// Until when this worker holds the entry: its retry or failure counts only while it
    /// still does (after that another worker may have claimed it).
    pub lease: DateTime<Utc>,
    /// Of a message that goes out as several provider messages (text, then files), how many
    /// the provider already accepted in earlier attempts (a retry resumes after them), and
    /// the first one's provider id, which stands for the whole message.
    pub parts_sent: u32,
    pub first_external_id: Option<String>,
    /// For e-mail, whose answers thread by them (C9): the conversation's earlier messages
    /// that went through the provider, newest first, at most [`THREAD_DEPTH`]. Empty for
    /// other channels.
    pub thread: Vec<ThreadEntry>,
}

impl Delivery {
    /// The entry as this worker holds it, for reporting on it.
    pub fn held(&self) -> HeldDelivery {
        HeldDelivery {
            id: self.id,
            lease: self.lease,
        }
    }
}

/// An outbox entry as the worker that claimed it holds it (until `lease`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeldDelivery {
    pub id: i64,
    pub lease: DateTime<Utc>,
}

/// How many earlier messages a delivery's [`Delivery::thread`] holds.
pub const THREAD_DEPTH: u32 = 20;

/// An earlier message of a delivery's conversation, with its id at the provider.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadEntry {
    pub external_id: String,
    pub direction: Direction,
    pub content: Content,
}

/// Where a conversation's contact is reached through its provider: for showing them that an
/// agent is typing (C7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyTarget {
    pub channel: ChannelId,
    pub channel_kind: ChannelKind,
    /// The contact's id at the provider on that channel.
    pub recipient: String,
    /// The provider id of the contact's newest message there, if any.
    pub last_incoming: Option<String>,
}

/// A notification whose member's devices are due to be told (O2), with what the push says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuePush {
    pub notification: switchboard_protocol::notifications::Notification,
    pub workspace: WorkspaceId,
    pub workspace_name: String,
    pub user: UserId,
    /// Tries of this push before this one.
    pub attempts: u32,
    /// Whether the member wants this kind pushed (O3) and, for a snooze's end, the workspace
    /// pushes those (A2).
    pub wanted: bool,
    /// Whether the member may still see the conversation (a member, and its contact not
    /// blocked unless they may view blocked contacts).
    pub visible: bool,
    /// The picture of an image message: its first image file.
    pub image: Option<AttachmentId>,
}

/// A device's Web Push subscription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushSubscriptionRecord {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    /// The language its pushes are written in ("en", "ru").
    pub language: String,
}

/// An invitation to make (T1).
#[derive(Clone, Debug)]
pub struct NewInvitation<'a> {
    pub workspace: WorkspaceId,
    pub email: &'a str,
    pub role: Role,
    pub token_hash: &'a str,
    pub invited_by: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A pending invitation found by its link's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenInvitation {
    pub workspace: WorkspaceId,
    pub workspace_name: String,
    pub invitation: switchboard_protocol::settings::Invitation,
}

/// A workflow run claimed by a worker (A7, T9): what it needs to perform its next steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldRun {
    pub id: i64,
    pub workspace: WorkspaceId,
    pub conversation: ConversationId,
    pub contact: ContactId,
    pub steps: Vec<switchboard_protocol::workflows::WorkflowStep>,
    /// The next step to perform.
    pub step: u32,
    /// The lease this worker holds: the run is its own while the store still has it.
    pub lease_until: DateTime<Utc>,
}

/// What becomes of a run after a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunProgress {
    /// Go on with `step` at `due`: now (the worker keeps its lease) or a wait's end (the
    /// lease is given up; any worker takes the run then).
    Next { step: u32, due: DateTime<Utc> },
    /// Every step was performed.
    Done,
    /// A step failed: the run performs no more.
    Failed { reason: String },
}

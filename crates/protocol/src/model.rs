//! The inbox's nouns as the app sees them: users, workspaces, contacts, conversations, messages.

use crate::ids::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A fieldless enum that is a string on the wire and in the database, with `as_str`,
/// `parse` and `ALL`, all from one list so the three can never disagree.
macro_rules! string_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $text)]
                // utoipa does not see through `$text` in `serde(...)`; it does in `schema(...)`.
                #[cfg_attr(feature = "openapi", schema(rename = $text))]
                $variant,
            )*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use string_enum;

string_enum! {
    /// A member's role in a workspace.
    pub enum Role {
        Owner = "owner",
        Manager = "manager",
        Agent = "agent",
    }
}

string_enum! {
    /// Where a conversation's messages travel.
    pub enum ChannelKind {
        WebsiteChat = "website_chat",
        Telegram = "telegram",
        Whatsapp = "whatsapp",
        Tiktok = "tiktok",
        Email = "email",
    }
}

impl ChannelKind {
    /// The name an agent reads.
    pub fn label(self) -> &'static str {
        match self {
            ChannelKind::WebsiteChat => "Website chat",
            ChannelKind::Telegram => "Telegram",
            ChannelKind::Whatsapp => "WhatsApp",
            ChannelKind::Tiktok => "TikTok",
            ChannelKind::Email => "E-mail",
        }
    }
}

string_enum! {
    /// A conversation's state (A1, A2).
    pub enum ConversationStatus {
        Open = "open",
        Closed = "closed",
        Snoozed = "snoozed",
    }
}

string_enum! {
    /// Whether an entry of the thread goes to the contact or stays inside the team (K1).
    pub enum MessageKind {
        /// Travels over the channel.
        Message = "message",
        /// An internal comment: yellow, never reaches the contact.
        Comment = "comment",
    }
}

string_enum! {
    /// From the contact (incoming) or to the contact (outgoing). Comments are outgoing.
    pub enum Direction {
        Incoming = "incoming",
        Outgoing = "outgoing",
    }
}

string_enum! {
    /// Who wrote a message (C1).
    pub enum SenderKind {
        Contact = "contact",
        Agent = "agent",
        AiAgent = "ai_agent",
        Workflow = "workflow",
        Bot = "bot",
    }
}

string_enum! {
    /// Where an outgoing message stands on its way to the contact (C1), in order: a status
    /// never moves back to an earlier one, except to `Failed`.
    pub enum DeliveryStatus {
        Pending = "pending",
        Sent = "sent",
        Delivered = "delivered",
        Read = "read",
        Failed = "failed",
    }
}

/// A person who logs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

/// A workspace the current user belongs to, with their role and permissions in it (N1, T1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceMembership {
    pub id: WorkspaceId,
    pub name: String,
    pub role: Role,
    pub permissions: Permissions,
}

/// What a member may see, beyond their role (T1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Permissions {
    /// May see blocked contacts' conversations (the Blocked folder).
    pub view_blocked: bool,
    /// Contacts' phone numbers are hidden from this member everywhere (P4).
    pub phone_masked: bool,
}

impl Role {
    /// Owners and managers change workspace settings; agents do not.
    pub fn manages(self) -> bool {
        matches!(self, Role::Owner | Role::Manager)
    }

    /// The permissions a new member of this role starts with.
    pub fn default_permissions(self) -> Permissions {
        Permissions {
            view_blocked: self.manages(),
            phone_masked: false,
        }
    }
}

/// A customer as shown in lists and thread headers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactSummary {
    pub id: ContactId,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// `None` when there is no number, and for members whose phone numbers are masked.
    pub phone: Option<String>,
    /// A number exists but is hidden from this member (P4): they cannot call it.
    #[serde(default)]
    pub phone_masked: bool,
    /// Blocked contacts' conversations show only in the Blocked folder (A4, N2).
    #[serde(default)]
    pub blocked: bool,
}

impl ContactSummary {
    /// This contact as a member with `permissions` may see it: the phone number removed for
    /// masked members.
    pub fn masked_for(mut self, permissions: Permissions) -> ContactSummary {
        if permissions.phone_masked && self.phone.is_some() {
            self.phone = None;
            self.phone_masked = true;
        }
        self
    }

    /// "First Last", falling back to whichever part is present, then to a placeholder.
    pub fn display_name(&self) -> String {
        ContactSummary::name_of(self.id, &self.first_name, &self.last_name)
    }

    /// A contact's display name from its parts (see [`ContactSummary::display_name`]).
    pub fn name_of(id: ContactId, first_name: &str, last_name: &str) -> String {
        let name = format!("{} {}", first_name.trim(), last_name.trim());
        let name = name.trim();
        if name.is_empty() {
            format!("Contact #{id}")
        } else {
            name.to_owned()
        }
    }

    /// Up to two letters for an avatar, as written: the avatar's style shows them in capitals
    /// (`text-transform`), so the app needs no case tables of its own.
    pub fn initials(&self) -> String {
        let initials: String = [&self.first_name, &self.last_name]
            .iter()
            .filter_map(|part| part.chars().find(|c| c.is_alphanumeric()))
            .collect();
        if initials.is_empty() {
            "#".to_owned()
        } else {
            initials
        }
    }
}

/// One row of the inbox list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub workspace_id: WorkspaceId,
    pub contact: ContactSummary,
    pub status: ConversationStatus,
    /// The channel messages go through unless the agent picks another (K2): the one the
    /// contact last wrote from or an agent last wrote through.
    pub channel: ChannelKind,
    pub channel_id: ChannelId,
    /// The newest message or comment, if any.
    pub last_message: Option<MessagePreview>,
    /// When the newest message or comment was written (sorts the list); creation time if none.
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub last_activity_at: DateTime<Utc>,
    /// Incoming messages nobody in the team has opened yet (N6).
    pub unread_count: u32,
    /// When a snoozed conversation comes back (A2).
    #[serde(default, deserialize_with = "crate::time::rfc3339_option")]
    pub snoozed_until: Option<DateTime<Utc>>,
    /// When the conversation entered its current status (the duration sorts, N4).
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub status_since: DateTime<Utc>,
    /// Who handles it (A3); `None` is unassigned.
    pub assignee: Option<Assignee>,
    /// The newest incoming message's time.
    #[serde(default, deserialize_with = "crate::time::rfc3339_option")]
    pub last_incoming_at: Option<DateTime<Utc>>,
    /// The newest incoming message has no reply after it (N7).
    pub awaiting_reply: bool,
    /// The Dialogflow bot answers its incoming messages (A6).
    #[serde(default)]
    pub dialogflow_bot: bool,
}

/// Who handles a conversation (A3, A5).
///
/// Written as a tagged object (`{"kind": "user", "id": 4, "name": "Olga"}`), and read back
/// through [`AssigneeWire`]: a flat struct is read in one pass, where a derived tagged enum
/// would first buffer every field, and that buffering code is large in the app's first load.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "AssigneeWire")]
pub enum Assignee {
    User {
        id: UserId,
        name: String,
    },
    Team {
        id: TeamId,
        name: String,
    },
    /// The workspace's AI Agent.
    AiAgent,
}

/// An [`Assignee`] as it is read: every field any kind has.
#[derive(Deserialize)]
struct AssigneeWire {
    kind: AssigneeKind,
    id: Option<i64>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AssigneeKind {
    User,
    Team,
    AiAgent,
}

impl TryFrom<AssigneeWire> for Assignee {
    type Error = &'static str;

    fn try_from(wire: AssigneeWire) -> Result<Self, Self::Error> {
        match (wire.kind, wire.id, wire.name) {
            (AssigneeKind::User, Some(id), Some(name)) => Ok(Assignee::User {
                id: UserId(id),
                name,
            }),
            (AssigneeKind::Team, Some(id), Some(name)) => Ok(Assignee::Team {
                id: TeamId(id),
                name,
            }),
            (AssigneeKind::AiAgent, _, _) => Ok(Assignee::AiAgent),
            (AssigneeKind::User | AssigneeKind::Team, _, _) => {
                Err("a user or team assignee needs its `id` and `name`")
            }
        }
    }
}

/// The target of an assignment, as a request names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssigneeRef {
    User { id: UserId },
    Team { id: TeamId },
    AiAgent,
}

impl Assignee {
    pub fn reference(&self) -> AssigneeRef {
        match self {
            Assignee::User { id, .. } => AssigneeRef::User { id: *id },
            Assignee::Team { id, .. } => AssigneeRef::Team { id: *id },
            Assignee::AiAgent => AssigneeRef::AiAgent,
        }
    }
}

impl ConversationSummary {
    /// The row as a member with `permissions` may see it.
    pub fn masked_for(mut self, permissions: Permissions) -> ConversationSummary {
        self.contact = self.contact.masked_for(permissions);
        self
    }

    /// Whether a member with `permissions` may see this conversation at all.
    pub fn visible_to(&self, permissions: Permissions) -> bool {
        !self.contact.blocked || permissions.view_blocked
    }
}

/// The one-line preview of a conversation's newest entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagePreview {
    pub kind: MessageKind,
    pub direction: Direction,
    pub text: String,
}

/// Who wrote a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sender {
    pub kind: SenderKind,
    /// The display name: the contact's or the agent's.
    pub name: String,
    /// The agent, when the sender is one.
    pub user_id: Option<UserId>,
}

/// What a message carries (C2: anything unknown degrades instead of crashing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Content {
    /// Markdown text, rendered with raw HTML shown as text.
    Text { text: String },
    /// An image with an optional caption.
    Image {
        url: String,
        caption: Option<String>,
    },
    /// An e-mail (C9): its subject and text (the plain part, or the HTML part's text), and
    /// its HTML part as the server sanitized it (no scripts, event handlers, `javascript:`
    /// links or remote images), if it had one.
    Email {
        subject: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        html: Option<String>,
        /// The HTML referred to remote images, which were left out.
        #[serde(default)]
        remote_images: bool,
    },
    /// An approved WhatsApp template (outside the 24-hour window): which one, its variables
    /// with their values, and its text as the contact reads it.
    Template {
        name: String,
        language: String,
        variables: Vec<String>,
        values: Vec<String>,
        text: String,
    },
    /// A provider message type Switchboard does not show ("Unsupported message").
    Unsupported { description: Option<String> },
    /// A raw provider payload that is not a message ("Custom payload").
    CustomPayload { payload: String },
    /// A content type added after this client was built.
    #[serde(other)]
    Unknown,
}

impl Content {
    /// The text of the one-line preview in lists.
    pub fn preview_text(&self) -> String {
        match self {
            Content::Text { text } => crate::plain::markdown_to_plain(text),
            Content::Image { caption, .. } => match caption {
                Some(caption) if !caption.trim().is_empty() => format!("📷 {caption}"),
                _ => "📷 Photo".to_owned(),
            },
            Content::Email { subject, text, .. } => match subject.trim() {
                "" => text
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or("")
                    .to_owned(),
                subject => subject.to_owned(),
            },
            Content::Template { text, .. } => text.clone(),
            Content::Unsupported { .. } | Content::Unknown => "Unsupported message".to_owned(),
            Content::CustomPayload { .. } => "Custom payload".to_owned(),
        }
    }
}

/// A message or internal comment in a conversation's thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    /// The sender's own id for the send, which makes retries idempotent.
    pub client_id: Option<String>,
    pub kind: MessageKind,
    pub direction: Direction,
    pub sender: Sender,
    pub channel: ChannelKind,
    pub content: Content,
    /// For outgoing messages: how far it got. Incoming messages and comments are `None`.
    pub delivery_status: Option<DeliveryStatus>,
    /// Why a `failed` message was not delivered, in the provider's words (C1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_error: Option<String>,
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub created_at: DateTime<Utc>,
    /// The message this one replies to (C4).
    #[serde(default)]
    pub reply_to: Option<ReplyPreview>,
    /// Users mentioned in a comment (K7).
    #[serde(default)]
    pub mentions: Vec<UserId>,
    /// Files sent with it (K3), in the order they were attached.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// The agent's own words of a message sent translated (C10), for colleagues only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
}

/// A file sent with a message (K3). Its bytes are at `url`, readable by members who may see
/// the conversation (and by its uploader before it is sent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: AttachmentId,
    /// The file's name as the sender had it.
    pub name: String,
    /// Derived from the name's extension (the list K3 allows).
    pub content_type: String,
    /// In bytes.
    pub size: u64,
    pub url: String,
}

impl Attachment {
    /// Whether the app shows it as a picture rather than a file to download.
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

/// The quoted message of a reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyPreview {
    pub id: MessageId,
    pub direction: Direction,
    pub sender_name: String,
    pub text: String,
}

impl Message {
    pub fn preview(&self) -> MessagePreview {
        let text = self.content.preview_text();
        let text = match self.attachments.as_slice() {
            [] => text,
            _ if !text.trim().is_empty() => format!("📎 {text}"),
            [one] => format!("📎 {}", one.name),
            many => format!("📎 {} files", many.len()),
        };
        MessagePreview {
            kind: self.kind,
            direction: self.direction,
            text,
        }
    }
}

/// The address of an attachment's bytes (K3), relative to the server's origin.
pub fn attachment_url(workspace: WorkspaceId, id: AttachmentId) -> String {
    format!("/api/v1/workspaces/{workspace}/attachments/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(first: &str, last: &str) -> ContactSummary {
        ContactSummary {
            id: ContactId(7),
            first_name: first.into(),
            last_name: last.into(),
            email: None,
            phone: None,
            phone_masked: false,
            blocked: false,
        }
    }

    #[test]
    fn assignees_are_tagged_objects_and_read_back() {
        let cases = [
            (
                Assignee::User {
                    id: UserId(4),
                    name: "Olga".into(),
                },
                r#"{"kind":"user","id":4,"name":"Olga"}"#,
            ),
            (
                Assignee::Team {
                    id: TeamId(2),
                    name: "Support".into(),
                },
                r#"{"kind":"team","id":2,"name":"Support"}"#,
            ),
            (Assignee::AiAgent, r#"{"kind":"ai_agent"}"#),
        ];
        for (assignee, json) in cases {
            assert_eq!(serde_json::to_string(&assignee).unwrap(), json);
            assert_eq!(serde_json::from_str::<Assignee>(json).unwrap(), assignee);
        }
        let reordered = r#"{"name":"Olga","extra":[1],"id":4,"kind":"user"}"#;
        assert_eq!(
            serde_json::from_str::<Assignee>(reordered).unwrap(),
            Assignee::User {
                id: UserId(4),
                name: "Olga".into()
            },
            "field order does not matter and unknown fields are ignored"
        );
    }

    #[test]
    fn incomplete_or_unknown_assignees_are_refused() {
        for json in [
            r#"{"kind":"user","id":4}"#,
            r#"{"kind":"team","name":"Support"}"#,
            r#"{"kind":"robot"}"#,
            r#"{"id":4,"name":"Olga"}"#,
            r#"{"kind":"user","id":"4","name":"Olga"}"#,
            r#"{"kind":"user","id":4,"name":null}"#,
            r#""user""#,
        ] {
            let error = serde_json::from_str::<Assignee>(json).expect_err(json);
            assert!(!error.to_string().is_empty(), "{json}");
        }
        let error = serde_json::from_str::<Assignee>(r#"{"kind":"user","id":4}"#).unwrap_err();
        assert!(error.to_string().contains("`name`"), "{error}");
    }

    #[test]
    fn masking_removes_the_number_and_says_so() {
        let mut c = contact("Anna", "Ivanova");
        c.phone = Some("+7 912 555-01-23".into());
        let masked = Permissions {
            view_blocked: false,
            phone_masked: true,
        };
        let shown = c.clone().masked_for(masked);
        assert_eq!(shown.phone, None);
        assert!(shown.phone_masked);
        assert_eq!(c.clone().masked_for(Permissions::default()), c);
        let mut none = contact("Ivan", "");
        none.phone = None;
        assert!(
            !none.masked_for(masked).phone_masked,
            "no number, nothing to hide"
        );
    }

    #[test]
    fn display_name_falls_back_to_what_is_present() {
        assert_eq!(contact("Anna", "Ivanova").display_name(), "Anna Ivanova");
        assert_eq!(contact("Anna", " ").display_name(), "Anna");
        assert_eq!(contact("", "Ivanova").display_name(), "Ivanova");
        assert_eq!(contact(" ", "").display_name(), "Contact #7");
    }

    #[test]
    fn initials_take_first_letters_in_upper_case() {
        assert_eq!(contact("anna", "Ivanova").initials(), "aI");
        assert_eq!(contact("Юлия", "").initials(), "Ю");
        assert_eq!(contact("", "").initials(), "#");
        assert_eq!(contact("Visitor", "#12").initials(), "V1");
    }

    #[test]
    fn enums_are_snake_case_strings_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&ChannelKind::WebsiteChat).unwrap(),
            "\"website_chat\""
        );
        assert_eq!(
            serde_json::to_string(&SenderKind::AiAgent).unwrap(),
            "\"ai_agent\""
        );
        for &kind in ChannelKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(ChannelKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::from_str::<ChannelKind>(&json).unwrap(), kind);
        }
        for &status in DeliveryStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn unknown_content_types_degrade_instead_of_failing() {
        let content: Content = serde_json::from_str(r#"{"type":"hologram","depth":3}"#).unwrap();
        assert_eq!(content, Content::Unknown);
        assert_eq!(content.preview_text(), "Unsupported message");
    }

    #[test]
    fn image_preview_uses_caption_or_a_placeholder() {
        let image = |caption: Option<&str>| Content::Image {
            url: "/x.jpg".into(),
            caption: caption.map(Into::into),
        };
        assert_eq!(image(Some("Receipt")).preview_text(), "📷 Receipt");
        assert_eq!(image(None).preview_text(), "📷 Photo");
    }
}

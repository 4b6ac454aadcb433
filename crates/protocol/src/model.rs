//! The inbox's nouns as the app sees them: users, workspaces, contacts, conversations, messages.

use crate::ids::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A member's role in a workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Manager,
    Agent,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Manager, Role::Agent];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Agent => "agent",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Where a conversation's messages travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    WebsiteChat,
    Telegram,
    Whatsapp,
    Tiktok,
    Email,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 5] = [
        ChannelKind::WebsiteChat,
        ChannelKind::Telegram,
        ChannelKind::Whatsapp,
        ChannelKind::Tiktok,
        ChannelKind::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::WebsiteChat => "website_chat",
            ChannelKind::Telegram => "telegram",
            ChannelKind::Whatsapp => "whatsapp",
            ChannelKind::Tiktok => "tiktok",
            ChannelKind::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<ChannelKind> {
        ChannelKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

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

/// A conversation's state (A1, A2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    Open,
    Closed,
    Snoozed,
}

impl ConversationStatus {
    pub const ALL: [ConversationStatus; 3] = [
        ConversationStatus::Open,
        ConversationStatus::Closed,
        ConversationStatus::Snoozed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Open => "open",
            ConversationStatus::Closed => "closed",
            ConversationStatus::Snoozed => "snoozed",
        }
    }

    pub fn parse(s: &str) -> Option<ConversationStatus> {
        ConversationStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Whether an entry of the thread goes to the contact or stays inside the team (K1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Travels over the channel.
    Message,
    /// An internal comment: yellow, never reaches the contact.
    Comment,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Message => "message",
            MessageKind::Comment => "comment",
        }
    }

    pub fn parse(s: &str) -> Option<MessageKind> {
        [MessageKind::Message, MessageKind::Comment]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// From the contact (incoming) or to the contact (outgoing). Comments are outgoing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Incoming,
    Outgoing,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Incoming => "incoming",
            Direction::Outgoing => "outgoing",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        [Direction::Incoming, Direction::Outgoing]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Who wrote a message (C1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderKind {
    Contact,
    Agent,
    AiAgent,
    Workflow,
    Bot,
}

impl SenderKind {
    pub const ALL: [SenderKind; 5] = [
        SenderKind::Contact,
        SenderKind::Agent,
        SenderKind::AiAgent,
        SenderKind::Workflow,
        SenderKind::Bot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SenderKind::Contact => "contact",
            SenderKind::Agent => "agent",
            SenderKind::AiAgent => "ai_agent",
            SenderKind::Workflow => "workflow",
            SenderKind::Bot => "bot",
        }
    }

    pub fn parse(s: &str) -> Option<SenderKind> {
        SenderKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where an outgoing message stands on its way to the contact (C1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Delivered,
    Read,
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 5] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Sent,
        DeliveryStatus::Delivered,
        DeliveryStatus::Read,
        DeliveryStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Read => "read",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A person who logs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

/// A workspace the current user belongs to, with their role in it (N1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceMembership {
    pub id: WorkspaceId,
    pub name: String,
    pub role: Role,
}

/// A customer as shown in lists and thread headers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSummary {
    pub id: ContactId,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl ContactSummary {
    /// "First Last", falling back to whichever part is present, then to a placeholder.
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first_name.trim(), self.last_name.trim());
        let name = name.trim();
        if name.is_empty() {
            format!("Contact #{}", self.id)
        } else {
            name.to_owned()
        }
    }

    /// Up to two letters for an avatar.
    pub fn initials(&self) -> String {
        let initials: String = [&self.first_name, &self.last_name]
            .iter()
            .filter_map(|part| part.chars().find(|c| c.is_alphanumeric()))
            .flat_map(char::to_uppercase)
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
pub struct ConversationSummary {
    pub id: ConversationId,
    pub workspace_id: WorkspaceId,
    pub contact: ContactSummary,
    pub status: ConversationStatus,
    pub channel: ChannelKind,
    /// The newest message or comment, if any.
    pub last_message: Option<MessagePreview>,
    /// When the newest message or comment was written (sorts the list); creation time if none.
    pub last_activity_at: DateTime<Utc>,
    /// Incoming messages nobody in the team has opened yet (N6).
    pub unread_count: u32,
    /// When a snoozed conversation comes back (A2).
    pub snoozed_until: Option<DateTime<Utc>>,
}

/// The one-line preview of a conversation's newest entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePreview {
    pub kind: MessageKind,
    pub direction: Direction,
    pub text: String,
}

/// Who wrote a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    pub kind: SenderKind,
    /// The display name: the contact's or the agent's.
    pub name: String,
    /// The agent, when the sender is one.
    pub user_id: Option<UserId>,
}

/// What a message carries (C2: anything unknown degrades instead of crashing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Content {
    /// Markdown text, rendered with raw HTML shown as text.
    Text { text: String },
    /// An image with an optional caption.
    Image {
        url: String,
        caption: Option<String>,
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
            Content::Text { text } => text.clone(),
            Content::Image { caption, .. } => match caption {
                Some(caption) if !caption.trim().is_empty() => format!("📷 {caption}"),
                _ => "📷 Photo".to_owned(),
            },
            Content::Unsupported { .. } | Content::Unknown => "Unsupported message".to_owned(),
            Content::CustomPayload { .. } => "Custom payload".to_owned(),
        }
    }
}

/// A message or internal comment in a conversation's thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    pub created_at: DateTime<Utc>,
}

impl Message {
    pub fn preview(&self) -> MessagePreview {
        MessagePreview {
            kind: self.kind,
            direction: self.direction,
            text: self.content.preview_text(),
        }
    }
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
        }
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
        assert_eq!(contact("anna", "ivanova").initials(), "AI");
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
        for kind in ChannelKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(ChannelKind::parse(kind.as_str()), Some(kind));
        }
        for status in DeliveryStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
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

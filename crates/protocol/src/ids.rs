//! Typed ids: one newtype per table so a contact id can never be passed as a conversation id.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

id_type!(
    /// A workspace: the unit of data isolation.
    WorkspaceId,
    /// A person who logs in.
    UserId,
    /// A team of users inside one workspace.
    TeamId,
    /// A connected channel (website chat, Telegram bot, …) of one workspace.
    ChannelId,
    /// A customer.
    ContactId,
    /// The one conversation a contact has with a workspace.
    ConversationId,
    /// A message or internal comment in a conversation.
    MessageId,
    /// A workspace's custom contact field.
    CustomFieldId,
    /// A saved filter (custom inbox).
    CustomInboxId,
    /// A saved reply (K5).
    SnippetId,
    /// A file uploaded to be sent with a message (K3).
    AttachmentId,
    /// An entry of a member's notification centre (O1).
    NotificationId,
    /// An invitation to join a workspace (T1).
    InvitationId,
);

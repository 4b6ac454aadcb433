//! Inbox views (N2–N7, T2): folders, status tabs, sorts, list search, the unreplied filter,
//! and custom inboxes (saved filters).

use crate::ids::*;
use crate::model::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which conversations a list shows (N2). On the wire: `all`, `mine`, `unassigned`,
/// `blocked`, `team:ID`, `custom:ID`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Folder {
    #[default]
    All,
    /// Assigned to the caller.
    Mine,
    Unassigned,
    /// Assigned to the team.
    Team(TeamId),
    /// A custom inbox's saved filter.
    Custom(CustomInboxId),
    /// Blocked contacts' conversations; only for members who may view them.
    Blocked,
}

impl fmt::Display for Folder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Folder::All => f.write_str("all"),
            Folder::Mine => f.write_str("mine"),
            Folder::Unassigned => f.write_str("unassigned"),
            Folder::Blocked => f.write_str("blocked"),
            Folder::Team(id) => write!(f, "team:{id}"),
            Folder::Custom(id) => write!(f, "custom:{id}"),
        }
    }
}

impl std::str::FromStr for Folder {
    type Err = String;

    fn from_str(s: &str) -> Result<Folder, String> {
        let bad = || format!("unknown folder {s:?}");
        match s {
            "all" => Ok(Folder::All),
            "mine" => Ok(Folder::Mine),
            "unassigned" => Ok(Folder::Unassigned),
            "blocked" => Ok(Folder::Blocked),
            _ => match s.split_once(':') {
                Some(("team", id)) => id.parse().map(Folder::Team).map_err(|_| bad()),
                Some(("custom", id)) => id.parse().map(Folder::Custom).map_err(|_| bad()),
                _ => Err(bad()),
            },
        }
    }
}

impl Serialize for Folder {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Folder {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Folder, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A string schema: `Folder` (de)serializes by hand, so the derive cannot describe it.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Folder {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "Which conversations a list shows: `all` (default), `mine` (assigned to the \
                 caller), `unassigned`, `blocked` (blocked contacts' conversations, for members \
                 who may view them), `team:ID` (assigned to the team ID) or `custom:ID` (the \
                 saved filter of custom inbox ID).",
            ))
            .pattern(Some(
                r"^(all|mine|unassigned|blocked|team:[0-9]+|custom:[0-9]+)$",
            ))
            .examples(["all", "mine", "unassigned", "blocked", "team:3", "custom:7"])
            .default(Some("all".into()))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Folder {
    fn name() -> std::borrow::Cow<'static, str> {
        "Folder".into()
    }
}

crate::model::string_enum! {
    /// The list's order (N4). The durations follow the status tab: time in the current
    /// status, measured from `status_since`.
    pub enum Sort {
        /// Newest message first.
        Newest = "newest",
        /// Oldest message first.
        Oldest = "oldest",
        /// Longest in the current status first.
        Longest = "longest",
        /// Shortest in the current status first.
        Shortest = "shortest",
    }
}

// The enum comes from `string_enum!`, which cannot place `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Sort {
    fn default() -> Sort {
        Sort::Newest
    }
}

/// Query of `GET /api/v1/workspaces/{ws}/conversations`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema, utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct InboxQuery {
    #[serde(default)]
    pub folder: Folder,
    /// The status tab (N3); absent = All.
    pub status: Option<ConversationStatus>,
    #[serde(default)]
    pub sort: Sort,
    /// Search by first name, last name, phone or e-mail (N5).
    pub q: Option<String>,
    /// Only conversations whose newest incoming message has no reply after it (N7).
    #[serde(default)]
    pub unreplied: bool,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// The longest list search text, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

/// `GET /api/v1/workspaces/{ws}/folders`: the caller's folders with their counts of open
/// conversations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Folders {
    pub all: FolderCount,
    pub mine: FolderCount,
    pub unassigned: FolderCount,
    pub teams: Vec<NamedFolder<TeamId>>,
    /// Custom inboxes the caller created.
    pub created_by_me: Vec<NamedFolder<CustomInboxId>>,
    /// Custom inboxes others shared with the caller or their teams.
    pub shared_with_me: Vec<NamedFolder<CustomInboxId>>,
    /// Present only when the caller may view blocked contacts and there is one.
    pub blocked: Option<FolderCount>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FolderCount {
    /// Open conversations.
    pub open: u64,
    /// Conversations with unread incoming messages.
    pub unread: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedFolder<Id> {
    pub id: Id,
    pub name: String,
    pub count: FolderCount,
}

/// A custom inbox: a saved filter, private or shared (T2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomInbox {
    pub id: CustomInboxId,
    pub name: String,
    pub owner: UserId,
    pub filter: InboxFilter,
    pub shared_with_users: Vec<UserId>,
    pub shared_with_teams: Vec<TeamId>,
}

/// Body of creating or replacing a custom inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomInboxRequest {
    pub name: String,
    pub filter: InboxFilter,
    #[serde(default)]
    pub shared_with_users: Vec<UserId>,
    #[serde(default)]
    pub shared_with_teams: Vec<TeamId>,
}

/// A custom inbox's conditions; all must hold. Empty lists mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InboxFilter {
    #[serde(default)]
    pub channels: Vec<ChannelKind>,
    #[serde(default)]
    pub statuses: Vec<ConversationStatus>,
    pub assignee: Option<AssigneeCondition>,
    #[serde(default)]
    pub contact: Vec<FieldCondition>,
    /// Time since the newest incoming message.
    pub last_incoming: Option<AgeCondition>,
}

/// Who a conversation must be assigned to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AssigneeCondition {
    Unassigned,
    /// Whoever looks at the inbox.
    Me,
    User {
        id: UserId,
    },
    Team {
        id: TeamId,
    },
    AiAgent,
}

/// A condition on a contact field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldCondition {
    pub field: ContactField,
    pub op: FieldOp,
    /// Absent for `is_set` / `is_not_set`.
    pub value: Option<String>,
}

/// A contact field a condition can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactField {
    FirstName,
    LastName,
    Email,
    Phone,
    Custom(CustomFieldId),
}

crate::model::string_enum! {
    /// How a field is compared. Values are always bound, never spliced into queries.
    pub enum FieldOp {
        Equals = "equals",
        Contains = "contains",
        IsSet = "is_set",
        IsNotSet = "is_not_set",
        /// Numbers and dates.
        GreaterThan = "greater_than",
        /// Numbers and dates.
        LessThan = "less_than",
    }
}

/// The age of the newest incoming message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AgeCondition {
    WithinMinutes { minutes: u32 },
    OlderThanMinutes { minutes: u32 },
}

/// The default cutoff of the unreplied filter (the guide's): messages before it never count.
pub fn default_unreplied_cutoff() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 2, 12).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_round_trip_as_strings() {
        for folder in [
            Folder::All,
            Folder::Mine,
            Folder::Unassigned,
            Folder::Blocked,
            Folder::Team(TeamId(4)),
            Folder::Custom(CustomInboxId(9)),
        ] {
            let text = folder.to_string();
            assert_eq!(text.parse::<Folder>(), Ok(folder));
            let json = serde_json::to_string(&folder).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Folder>(&json).unwrap(), folder);
        }
        for bad in ["", "team:", "team:x", "custom", "everything", "team:1:2"] {
            assert!(bad.parse::<Folder>().is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_refuse_unknown_operators_and_fields() {
        let ok = r#"{"contact":[{"field":{"custom":3},"op":"greater_than","value":"10"}],
                     "assignee":{"kind":"me"},"last_incoming":{"kind":"within_minutes","minutes":60}}"#;
        let filter: InboxFilter = serde_json::from_str(ok).unwrap();
        assert_eq!(
            filter.contact[0].field,
            ContactField::Custom(CustomFieldId(3))
        );
        assert!(
            serde_json::from_str::<InboxFilter>(
                r#"{"contact":[{"field":"first_name","op":"drop table","value":"x"}]}"#
            )
            .is_err()
        );
        assert!(serde_json::from_str::<InboxFilter>(r#"{"sql":"1=1"}"#).is_err());
    }
}

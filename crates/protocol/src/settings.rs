//! Workspace settings, members and teams (T1, T5, N7's cutoff).

use crate::ids::*;
use crate::model::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::model::string_enum! {
    /// Whether closing a conversation asks for a note (T5, A1).
    pub enum ClosingNotes {
        /// A plain confirmation.
        Off = "off",
        /// "Close without closing notes" is allowed.
        Optional = "optional",
        /// A note is required.
        Mandatory = "mandatory",
    }
}

/// `GET/PATCH /api/v1/workspaces/{ws}/settings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceSettings {
    pub name: String,
    pub closing_notes: ClosingNotes,
    /// Only messages from this day on count for the unreplied filter (N7).
    pub unreplied_cutoff: NaiveDate,
}

/// Body of `PATCH …/settings` (owners and managers only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub name: Option<String>,
    pub closing_notes: Option<ClosingNotes>,
    pub unreplied_cutoff: Option<NaiveDate>,
}

/// A member of the workspace as the members list shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user: User,
    pub role: Role,
    pub permissions: Permissions,
    pub teams: Vec<TeamId>,
}

/// Body of `PATCH …/members/{user}` (owners and managers only; only owners touch owners).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    pub role: Option<Role>,
    pub permissions: Option<Permissions>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub members: Vec<UserId>,
}

/// Body of creating or renaming a team and setting its members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamRequest {
    pub name: String,
    #[serde(default)]
    pub members: Vec<UserId>,
}

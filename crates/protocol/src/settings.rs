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
    /// Whether a snoozed conversation's end is pushed to its assignees (A2, O3).
    pub snooze_push: bool,
}

/// Body of `PATCH …/settings` (owners and managers only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub name: Option<String>,
    pub closing_notes: Option<ClosingNotes>,
    pub unreplied_cutoff: Option<NaiveDate>,
    pub snooze_push: Option<bool>,
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

/// The longest snippet name, in characters.
pub const MAX_SNIPPET_NAME_CHARS: usize = 60;

/// A saved reply (K5, T3): agents insert it with `/` in the composer. Its text may hold
/// `{{variables}}`, filled in at send time like typed ones; its files go with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Snippet {
    pub id: SnippetId,
    /// What agents type after `/` to find it ("refund-policy"); unique in the workspace,
    /// compared without regard to case.
    pub name: String,
    pub text: String,
    /// Files sent with it, in order (readable by every member of the workspace).
    #[serde(default)]
    pub files: Vec<crate::model::Attachment>,
}

/// Body of creating or changing a snippet: a name of 1–60 characters without line breaks,
/// and a text that is a valid message (1–4096 characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SnippetRequest {
    pub name: String,
    pub text: String,
    /// Its files, in order, at most [`MAX_SNIPPET_FILES`]: the snippet's own, or files the
    /// caller uploaded and has not sent. Files left out are deleted.
    #[serde(default)]
    pub files: Vec<AttachmentId>,
}

/// The most files a snippet carries (as many as one message may, K3).
pub const MAX_SNIPPET_FILES: usize = crate::validation::MAX_ATTACHMENTS;

/// How long an invitation link works, in days.
pub const INVITATION_DAYS: i64 = 7;
/// The shortest password a new account takes, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A pending invitation to join the workspace (T1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: InvitationId,
    pub email: String,
    pub role: Role,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Body of `POST …/invitations` (owners and managers; only owners invite owners).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    pub email: String,
    pub role: Role,
}

/// A new invitation and its link: shown once, to pass on to the invitee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationCreated {
    pub invitation: Invitation,
    pub link: String,
}

/// `GET /api/v1/invitations/{token}`: what the link invites to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationPreview {
    pub workspace: String,
    pub email: String,
    pub role: Role,
    /// The address has an account already: the invitee signs in with its password.
    pub existing_account: bool,
}

/// Body of `POST /api/v1/invitations/{token}/accept`: a new account's name and password,
/// or an existing account's password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    #[serde(default)]
    pub name: String,
    pub password: String,
}

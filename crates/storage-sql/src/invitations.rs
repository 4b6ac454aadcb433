//! Invitations to a workspace (T1): made by managers, found by their link's token hash while
//! they work (seven days, once, until revoked), and used by the one account of their address,
//! who becomes a member with the invitation's role in the same transaction.

use crate::SqlStore;
use crate::backend::{Backend, Conn, Sql};
use crate::queries::lock_workspace;
use crate::rows::{self, micros};
use chrono::{DateTime, Utc};
use switchboard_protocol::events::{Event, EventPayload, WorkspacePart};
use switchboard_protocol::settings::Invitation;
use switchboard_protocol::*;
use switchboard_storage::*;

type InvitationRow = (i64, String, String, i64, i64);
/// A working invitation: workspace, its name, the address's key, then an [`InvitationRow`].
type WorkingRow = (i64, String, String, i64, String, String, i64, i64);

fn invitation((id, email, role, created, expires): InvitationRow) -> StoreResult<Invitation> {
    Ok(Invitation {
        id: InvitationId(id),
        email,
        role: Role::parse(&role).ok_or_else(|| rows::corrupt("role", &role))?,
        created_at: rows::time(created)?,
        expires_at: rows::time(expires)?,
    })
}

const COLUMNS: &str = "i.id, i.email, i.role, i.created_at, i.expires_at";

pub async fn create<B: Backend>(
    store: &SqlStore<B>,
    new: NewInvitation<'_>,
) -> StoreResult<Invitation> {
    let mut tx = store.backend.begin().await?;
    let member: Option<(i64,)> = tx
        .fetch_optional(
            Sql::new(
                "SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.workspace_id = ? AND u.email_key = ?",
            )
            .bind(new.workspace.0)
            .bind(new.email.to_lowercase()),
        )
        .await?;
    if member.is_some() {
        return Err(StoreError::Conflict {
            constraint: "memberships.email".into(),
        });
    }
    let (id,): (i64,) = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO invitations (workspace_id, email, email_key, role, token_hash,
                   invited_by, created_at, expires_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(new.workspace.0)
            .bind(new.email)
            .bind(new.email.to_lowercase())
            .bind(new.role.as_str())
            .bind(new.token_hash)
            .bind(new.invited_by.0)
            .bind(micros(new.created_at))
            .bind(micros(new.expires_at)),
        )
        .await?;
    B::commit(tx).await?;
    Ok(Invitation {
        id: InvitationId(id),
        email: new.email.to_owned(),
        role: new.role,
        created_at: rows::time(micros(new.created_at))?,
        expires_at: rows::time(micros(new.expires_at))?,
    })
}

pub async fn pending(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Invitation>> {
    let rows: Vec<InvitationRow> = conn
        .fetch_all(
            Sql::new(format!(
                "SELECT {COLUMNS} FROM invitations i
                 WHERE i.workspace_id = ? AND i.accepted_at IS NULL AND i.expires_at > ?
                 ORDER BY i.id DESC"
            ))
            .bind(workspace.0)
            .bind(micros(now)),
        )
        .await?;
    rows.into_iter().map(invitation).collect()
}

pub async fn revoke(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    id: InvitationId,
) -> StoreResult<()> {
    let deleted = conn
        .execute(
            Sql::new(
                "DELETE FROM invitations WHERE id = ? AND workspace_id = ? AND accepted_at IS NULL",
            )
            .bind(id.0)
            .bind(workspace.0),
        )
        .await?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The working invitation of a token: its workspace, that workspace's name and the email key.
async fn working(
    conn: &mut impl Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<(OpenInvitation, String)>> {
    let row: Option<WorkingRow> = conn
        .fetch_optional(
            Sql::new(
                "SELECT i.workspace_id, w.name, i.email_key, i.id, i.email, i.role, i.created_at,
                   i.expires_at
                 FROM invitations i JOIN workspaces w ON w.id = i.workspace_id
                 WHERE i.token_hash = ? AND i.accepted_at IS NULL AND i.expires_at > ?",
            )
            .bind(token_hash)
            .bind(micros(now)),
        )
        .await?;
    let Some((workspace, workspace_name, key, id, email, role, created, expires)) = row else {
        return Ok(None);
    };
    Ok(Some((
        OpenInvitation {
            workspace: WorkspaceId(workspace),
            workspace_name,
            invitation: invitation((id, email, role, created, expires))?,
        },
        key,
    )))
}

pub async fn open(
    conn: &mut impl Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<OpenInvitation>> {
    Ok(working(conn, token_hash, now).await?.map(|(open, _)| open))
}

pub async fn accept<B: Backend>(
    store: &SqlStore<B>,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
) -> StoreResult<(WorkspaceId, Event)> {
    let mut tx = store.backend.begin().await?;
    let Some((open, key)) = working(&mut tx, token_hash, now).await? else {
        return Err(StoreError::NotFound);
    };
    let workspace = open.workspace;
    lock_workspace::<B>(&mut tx, workspace).await?;
    let (user_key,): (String,) = tx
        .fetch_one(Sql::new("SELECT email_key FROM users WHERE id = ?").bind(user.0))
        .await?;
    if user_key != key {
        return Err(StoreError::Invalid {
            field: "email",
            reason: "This invitation is for another e-mail address.".into(),
        });
    }
    // Used once: a second acceptance racing this one finds nothing to use.
    let used = tx
        .execute(
            Sql::new("UPDATE invitations SET accepted_at = ? WHERE token_hash = ? AND accepted_at IS NULL")
                .bind(micros(now))
                .bind(token_hash),
        )
        .await?;
    if used == 0 {
        return Err(StoreError::NotFound);
    }
    let role = open.invitation.role;
    let permissions = role.default_permissions();
    let already: Option<(i64,)> = tx
        .fetch_optional(
            Sql::new("SELECT user_id FROM memberships WHERE workspace_id = ? AND user_id = ?")
                .bind(workspace.0)
                .bind(user.0),
        )
        .await?;
    if already.is_none() {
        tx.execute(
            Sql::new(
                "INSERT INTO memberships (workspace_id, user_id, role, view_blocked, phone_masked)
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(workspace.0)
            .bind(user.0)
            .bind(role.as_str())
            .bind(permissions.view_blocked)
            .bind(permissions.phone_masked),
        )
        .await?;
    }
    let event = crate::queries::insert_event(
        &store.backend,
        &mut tx,
        workspace,
        EventPayload::WorkspaceChanged {
            part: WorkspacePart::Members,
        },
    )
    .await?;
    B::commit(tx).await?;
    Ok((workspace, event))
}

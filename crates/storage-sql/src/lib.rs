//! The [`Store`] written once for both SQL databases. [`SqlStore`] runs portable SQL (`?`
//! placeholders, `RETURNING`, `CASE`, no database-specific functions) through a [`Backend`]
//! that supplies connections and the few things the databases do differently: row locks
//! (`FOR NO KEY UPDATE` on PostgreSQL, `FOR UPDATE SKIP LOCKED` for claiming the outbox;
//! SQLite writes are serial anyway) and announcing events to other processes (`NOTIFY` on
//! PostgreSQL).
//!
//! Every write that clients must see commits together with its event: the workspace row is
//! locked first ([`queries::lock_workspace`]), then the change, then the event under the
//! workspace's next sequence number.

mod ai_prompts;
pub mod backend;
pub mod bulk;
mod channels;
mod drivers;
mod group_commit;
mod inbound;
pub mod inbox;
mod integrations;
mod invitations;
mod notify;
mod outbox;
pub mod queries;
mod reach;
pub mod rows;
mod snippet_files;
mod translations;
mod workflows;

pub use backend::{Backend, Bind, Conn, Sql, TextSearch};
pub use drivers::numbered;

use async_trait::async_trait;
use channels::CHANNEL_COLUMNS;
use chrono::{DateTime, Utc};
use inbox::SearchStrategy;
use queries::lock_workspace;
use rows::{ChannelRow, ContactRow, micros};
use std::collections::HashMap;
use switchboard_protocol::ai::{AiPrompt, AiPromptRequest};
use switchboard_protocol::api::Page;
use switchboard_protocol::channels::ContactChannel;
use switchboard_protocol::contacts::{
    Contact, CustomField, CustomFieldRequest, FieldKind, FieldValue,
};
use switchboard_protocol::events::{Event, EventPayload, WorkspacePart};
use switchboard_protocol::inbox::{CustomInbox, CustomInboxRequest, FolderCount, InboxFilter};
use switchboard_protocol::notifications::{NotificationList, NotificationPreferences};
use switchboard_protocol::settings::{
    ClosingNotes, Invitation, Member, MemberPatch, SettingsPatch, Snippet, SnippetRequest, Team,
    TeamRequest, WorkspaceSettings,
};
use switchboard_protocol::workflows::{Workflow, WorkflowRequest, WorkflowRun};
use switchboard_protocol::*;
use switchboard_storage::*;

/// The store over a SQL backend.
#[derive(Clone, Debug)]
pub struct SqlStore<B> {
    pub backend: B,
    tuning: inbox::ListTuning,
    /// Inbound messages waiting to be stored together.
    inbound: std::sync::Arc<group_commit::Queue>,
}

impl<B: Backend> SqlStore<B> {
    pub fn new(backend: B) -> SqlStore<B> {
        SqlStore {
            backend,
            tuning: inbox::ListTuning::with_search(B::LIST_SEARCH),
            inbound: Default::default(),
        }
    }

    /// The same store with other list strategy thresholds (tests use this to take every
    /// path on small data).
    pub fn with_tuning(mut self, tuning: inbox::ListTuning) -> SqlStore<B> {
        self.tuning = tuning;
        self
    }

    async fn event(
        &self,
        tx: &mut B::Tx,
        workspace: WorkspaceId,
        payload: EventPayload,
    ) -> StoreResult<Event> {
        queries::insert_event(&self.backend, tx, workspace, payload).await
    }

    async fn updated(
        &self,
        tx: &mut B::Tx,
        workspace: WorkspaceId,
        id: ConversationId,
    ) -> StoreResult<Event> {
        queries::conversation_updated(&self.backend, tx, workspace, id).await
    }

    /// Appends a message inside `tx`, which holds the workspace's lock (see
    /// [`Store::append_message`]); the caller commits.
    async fn append_locked(&self, tx: &mut B::Tx, message: NewMessage) -> StoreResult<Appended> {
        let workspace = message.workspace;
        if let Some(client_id) = &message.client_id {
            let existing: Option<(i64, i64)> = tx
                .fetch_optional(
                    Sql::new("SELECT id, conversation_id FROM messages WHERE workspace_id = ? AND client_id = ?")
                        .bind(workspace.0)
                        .bind(client_id.as_str()),
                )
                .await?;
            if let Some((id, conversation)) = existing {
                let conversation = ConversationId(conversation);
                if conversation != message.conversation {
                    return Err(StoreError::Conflict {
                        constraint: "messages.client_id".into(),
                    });
                }
                let message = queries::message(tx, workspace, MessageId(id)).await?;
                let conversation = queries::conversation(tx, workspace, conversation).await?;
                return Ok(Appended {
                    message,
                    conversation,
                    event: None,
                });
            }
        }
        // An automation writes only while it still has the conversation: checked under the
        // workspace lock that assignment (Takeover) and the bot's switch take too, so nothing
        // it wrote goes out after it was taken off, on any replica.
        let guard = match message.sender_kind {
            SenderKind::AiAgent => Some((
                "assignee_ai",
                "The AI Agent no longer handles this conversation.",
            )),
            SenderKind::Bot => Some((
                "dialogflow_bot",
                "The Dialogflow bot is off for this conversation.",
            )),
            _ => None,
        };
        if let Some((column, refusal)) = guard {
            let on: Option<(bool,)> = tx
                .fetch_optional(
                    Sql::new(format!(
                        "SELECT {column} FROM conversations WHERE id = ? AND workspace_id = ?"
                    ))
                    .bind(message.conversation.0)
                    .bind(workspace.0),
                )
                .await?;
            match on {
                None => return Err(StoreError::NotFound),
                Some((false,)) => return Err(StoreError::Refused(refusal.into())),
                Some((true,)) => {}
            }
        }
        let id = queries::insert_message(tx, &message, None).await?;
        outbox::queue_new(tx, &message, id).await?;
        let message = queries::message(tx, workspace, id).await?;
        let conversation = queries::conversation(tx, workspace, message.conversation_id).await?;
        notify::message_stored(tx, &message, &conversation).await?;
        let event = self
            .event(
                tx,
                workspace,
                EventPayload::MessageCreated {
                    message: message.clone(),
                    conversation: conversation.clone(),
                },
            )
            .await?;
        Ok(Appended {
            message,
            conversation,
            event: Some(event),
        })
    }

    /// Records that a part of the workspace's configuration changed.
    async fn changed(
        &self,
        tx: &mut B::Tx,
        workspace: WorkspaceId,
        part: WorkspacePart,
    ) -> StoreResult<Event> {
        self.event(tx, workspace, EventPayload::WorkspaceChanged { part })
            .await
    }

    /// Deletes a row of a workspace's configuration (`table` is one of ours, never input) and
    /// records the change; `NotFound` when the workspace has no such row.
    async fn delete_configuration(
        &self,
        workspace: WorkspaceId,
        table: &'static str,
        id: i64,
        part: WorkspacePart,
    ) -> StoreResult<Event> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let done = tx
            .execute(
                Sql::new(format!(
                    "DELETE FROM {table} WHERE id = ? AND workspace_id = ?"
                ))
                .bind(id)
                .bind(workspace.0),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        let event = self.changed(&mut tx, workspace, part).await?;
        B::commit(tx).await?;
        Ok(event)
    }

    async fn read(&self) -> StoreResult<B::Read> {
        self.backend.read().await
    }

    async fn member_of(
        conn: &mut impl Conn,
        workspace: WorkspaceId,
        user: UserId,
    ) -> StoreResult<Member> {
        let row: Option<(i64, String, String, String, bool, bool)> = conn
            .fetch_optional(
                Sql::new(
                    "SELECT u.id, u.name, u.email, m.role, m.view_blocked, m.phone_masked
                     FROM memberships m JOIN users u ON u.id = m.user_id
                     WHERE m.workspace_id = ? AND m.user_id = ?",
                )
                .bind(workspace.0)
                .bind(user.0),
            )
            .await?;
        let (id, name, email, role, view_blocked, phone_masked) =
            row.ok_or(StoreError::NotFound)?;
        let teams: Vec<(i64,)> = conn
            .fetch_all(
                Sql::new(
                    "SELECT t.id FROM team_members tmb JOIN teams t ON t.id = tmb.team_id
                     WHERE t.workspace_id = ? AND tmb.user_id = ? ORDER BY t.id",
                )
                .bind(workspace.0)
                .bind(user.0),
            )
            .await?;
        Ok(Member {
            user: User {
                id: UserId(id),
                name,
                email,
            },
            role: Role::parse(&role).ok_or_else(|| rows::corrupt("role", &role))?,
            permissions: Permissions {
                view_blocked,
                phone_masked,
            },
            teams: teams.into_iter().map(|(t,)| TeamId(t)).collect(),
        })
    }

    async fn team_of(
        conn: &mut impl Conn,
        workspace: WorkspaceId,
        team: TeamId,
    ) -> StoreResult<Team> {
        let (name,): (String,) = conn
            .fetch_optional(
                Sql::new("SELECT name FROM teams WHERE id = ? AND workspace_id = ?")
                    .bind(team.0)
                    .bind(workspace.0),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let members: Vec<(i64,)> = conn
            .fetch_all(
                Sql::new("SELECT user_id FROM team_members WHERE team_id = ? ORDER BY user_id")
                    .bind(team.0),
            )
            .await?;
        Ok(Team {
            id: team,
            name,
            members: members.into_iter().map(|(u,)| UserId(u)).collect(),
        })
    }

    async fn field_of(
        conn: &mut impl Conn,
        workspace: WorkspaceId,
        id: CustomFieldId,
    ) -> StoreResult<CustomField> {
        let row: rows::CustomFieldRow = conn
            .fetch_optional(
                Sql::new("SELECT id, label, kind, options FROM custom_fields WHERE id = ? AND workspace_id = ?")
                    .bind(id.0)
                    .bind(workspace.0),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        rows::custom_field(row)
    }

    async fn snippet_of(
        conn: &mut impl Conn,
        workspace: WorkspaceId,
        id: SnippetId,
    ) -> StoreResult<Snippet> {
        let (id, name, text): (i64, String, String) = conn
            .fetch_optional(
                Sql::new("SELECT id, name, text FROM snippets WHERE id = ? AND workspace_id = ?")
                    .bind(id.0)
                    .bind(workspace.0),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let files = snippet_files::files(conn, workspace, Some(SnippetId(id)))
            .await?
            .remove(&SnippetId(id))
            .unwrap_or_default();
        Ok(Snippet {
            id: SnippetId(id),
            name,
            text,
            files,
        })
    }

    /// `Conflict` when another snippet of the workspace (not `except`) has the name, compared
    /// without regard to case. The caller holds the workspace lock, so the answer stays true
    /// until it commits; the unique index backs it up.
    /// Field labels are unique in a workspace without regard to case (the few labels of a
    /// workspace are compared here, so every database folds case alike).
    async fn check_field_label(
        conn: &mut impl Conn,
        workspace: WorkspaceId,
        label: &str,
        except: Option<CustomFieldId>,
    ) -> StoreResult<()> {
        let labels: Vec<(i64, String)> = conn
            .fetch_all(
                Sql::new("SELECT id, label FROM custom_fields WHERE workspace_id = ?")
                    .bind(workspace.0),
            )
            .await?;
        let key = label.trim().to_lowercase();
        let taken = labels.iter().any(|(id, existing)| {
            except.is_none_or(|e| e.0 != *id) && existing.trim().to_lowercase() == key
        });
        if taken {
            return Err(StoreError::Conflict {
                constraint: "custom_fields.label".into(),
            });
        }
        Ok(())
    }

    async fn check_snippet_name(
        conn: &mut impl Conn,
        workspace: WorkspaceId,
        name_key: &str,
        except: Option<SnippetId>,
    ) -> StoreResult<()> {
        let taken: Option<(i64,)> = conn
            .fetch_optional(
                Sql::new(
                    "SELECT id FROM snippets WHERE workspace_id = ? AND name_key = ? AND id <> ?",
                )
                .bind(workspace.0)
                .bind(name_key)
                .bind(except.map_or(0, |id| id.0)),
            )
            .await?;
        match taken {
            Some(_) => Err(StoreError::Conflict {
                constraint: "snippets.name_key".into(),
            }),
            None => Ok(()),
        }
    }

    async fn contact_of(
        conn: &mut impl Conn,
        workspace: WorkspaceId,
        id: ContactId,
    ) -> StoreResult<Contact> {
        let row: Option<(i64, i64)> = conn
            .fetch_optional(
                Sql::new(
                    "SELECT c.id, ct.created_at FROM contacts ct
                     JOIN conversations c ON c.contact_id = ct.id
                     WHERE ct.id = ? AND ct.workspace_id = ?",
                )
                .bind(id.0)
                .bind(workspace.0),
            )
            .await?;
        let (conversation, created_at) = row.ok_or(StoreError::NotFound)?;
        let summary = conn
            .fetch_one::<ContactRow>(
                Sql::new(format!(
                    "SELECT {} FROM contacts ct WHERE ct.id = ?",
                    rows::CONTACT_COLUMNS
                ))
                .bind(id.0),
            )
            .await?
            .into_summary();
        let values: Vec<(i64, String)> = conn
            .fetch_all(
                Sql::new(
                    "SELECT field_id, value FROM contact_field_values WHERE contact_id = ? ORDER BY field_id",
                )
                .bind(id.0),
            )
            .await?;
        Ok(Contact {
            summary,
            conversation_id: ConversationId(conversation),
            fields: values
                .into_iter()
                .map(|(field, value)| FieldValue {
                    field: CustomFieldId(field),
                    value,
                })
                .collect(),
            created_at: rows::time(created_at)?,
        })
    }

    async fn conversation_of_contact(
        conn: &mut impl Conn,
        workspace: WorkspaceId,
        contact: ContactId,
    ) -> StoreResult<ConversationId> {
        let (id,): (i64,) = conn
            .fetch_optional(
                Sql::new("SELECT id FROM conversations WHERE contact_id = ? AND workspace_id = ?")
                    .bind(contact.0)
                    .bind(workspace.0),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(ConversationId(id))
    }
}

fn field_options(field: &CustomFieldRequest) -> StoreResult<String> {
    serde_json::to_string(&field.options).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[async_trait]
impl<B: Backend> Store for SqlStore<B> {
    async fn create_user(&self, user: NewUser<'_>) -> StoreResult<User> {
        let mut tx = self.backend.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                Sql::new(
                    "INSERT INTO users (name, email, email_key, password_hash, created_at)
                     VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(user.name)
                .bind(user.email)
                .bind(user.email.to_lowercase())
                .bind(user.password_hash)
                .bind(micros(Utc::now())),
            )
            .await?;
        B::commit(tx).await?;
        Ok(User {
            id: UserId(id),
            name: user.name.to_owned(),
            email: user.email.to_owned(),
        })
    }

    async fn user_credentials(&self, email: &str) -> StoreResult<Option<UserCredentials>> {
        let row: Option<(i64, String, String, String)> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new("SELECT id, name, email, password_hash FROM users WHERE email_key = ?")
                    .bind(email.trim().to_lowercase()),
            )
            .await?;
        Ok(row.map(|(id, name, email, password_hash)| UserCredentials {
            user: User {
                id: UserId(id),
                name,
                email,
            },
            password_hash,
        }))
    }

    async fn create_session(&self, session: NewSession<'_>) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        tx.execute(
            Sql::new("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .bind(session.token_hash)
                .bind(session.user.0)
                .bind(micros(session.created_at))
                .bind(micros(session.expires_at)),
        )
        .await?;
        B::commit(tx).await
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<User>> {
        let row: Option<(i64, String, String)> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new(
                    "SELECT u.id, u.name, u.email FROM sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = ? AND s.expires_at > ?",
                )
                .bind(token_hash)
                .bind(micros(now)),
            )
            .await?;
        Ok(row.map(|(id, name, email)| User {
            id: UserId(id),
            name,
            email,
        }))
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        tx.execute(Sql::new("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash))
            .await?;
        B::commit(tx).await
    }

    async fn user_count(&self) -> StoreResult<u64> {
        let (n,): (i64,) = self
            .read()
            .await?
            .fetch_one(Sql::new("SELECT COUNT(*) FROM users"))
            .await?;
        Ok(n as u64)
    }

    async fn create_workspace(&self, name: &str) -> StoreResult<WorkspaceId> {
        let mut tx = self.backend.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                Sql::new("INSERT INTO workspaces (name, created_at) VALUES (?, ?) RETURNING id")
                    .bind(name)
                    .bind(micros(Utc::now())),
            )
            .await?;
        B::commit(tx).await?;
        Ok(WorkspaceId(id))
    }

    async fn add_member(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
    ) -> StoreResult<()> {
        let permissions = role.default_permissions();
        let mut tx = self.backend.begin().await?;
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
        B::commit(tx).await
    }

    async fn memberships(&self, user: UserId) -> StoreResult<Vec<WorkspaceMembership>> {
        let rows: Vec<rows::MembershipRow> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT w.id, w.name, m.role, m.view_blocked, m.phone_masked
                     FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
                     WHERE m.user_id = ? ORDER BY w.id",
                )
                .bind(user.0),
            )
            .await?;
        rows.into_iter().map(rows::membership).collect()
    }

    async fn membership(
        &self,
        workspace: WorkspaceId,
        user: UserId,
    ) -> StoreResult<Option<WorkspaceMembership>> {
        let row: Option<rows::MembershipRow> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new(
                    "SELECT w.id, w.name, m.role, m.view_blocked, m.phone_masked
                     FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
                     WHERE m.workspace_id = ? AND m.user_id = ?",
                )
                .bind(workspace.0)
                .bind(user.0),
            )
            .await?;
        row.map(rows::membership).transpose()
    }

    async fn viewer(&self, workspace: WorkspaceId, user: UserId) -> StoreResult<Option<Viewer>> {
        match Self::member_of(&mut self.read().await?, workspace, user).await {
            Ok(member) => Ok(Some(Viewer {
                user,
                role: member.role,
                permissions: member.permissions,
                teams: member.teams,
            })),
            Err(StoreError::NotFound) => Ok(None),
            Err(other) => Err(other),
        }
    }

    async fn members(&self, workspace: WorkspaceId) -> StoreResult<Vec<Member>> {
        let mut conn = self.read().await?;
        let ids: Vec<(i64,)> = conn
            .fetch_all(
                Sql::new(
                    "SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
                     WHERE m.workspace_id = ? ORDER BY u.name, u.id",
                )
                .bind(workspace.0),
            )
            .await?;
        let mut members = Vec::with_capacity(ids.len());
        for (id,) in ids {
            members.push(Self::member_of(&mut conn, workspace, UserId(id)).await?);
        }
        Ok(members)
    }

    async fn update_member(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        patch: &MemberPatch,
    ) -> StoreResult<(Member, Event)> {
        let mut tx = self.backend.begin().await?;
        // Serialises membership changes of the workspace (PostgreSQL), like event writers.
        lock_workspace::<B>(&mut tx, workspace).await?;
        let current = Self::member_of(&mut tx, workspace, user).await?;
        let role = patch.role.unwrap_or(current.role);
        let permissions = patch.permissions.unwrap_or(current.permissions);
        tx.execute(
            Sql::new(
                "UPDATE memberships SET role = ?, view_blocked = ?, phone_masked = ?
                 WHERE workspace_id = ? AND user_id = ?",
            )
            .bind(role.as_str())
            .bind(permissions.view_blocked)
            .bind(permissions.phone_masked)
            .bind(workspace.0)
            .bind(user.0),
        )
        .await?;
        // Checked inside the transaction, after the change: two owners demoting each other
        // at once cannot both succeed.
        let (owners,): (i64,) = tx
            .fetch_one(
                Sql::new(
                    "SELECT COUNT(*) FROM memberships WHERE workspace_id = ? AND role = 'owner'",
                )
                .bind(workspace.0),
            )
            .await?;
        if owners == 0 && current.role == Role::Owner {
            return Err(StoreError::Refused(
                "A workspace keeps at least one owner.".into(),
            ));
        }
        let member = Self::member_of(&mut tx, workspace, user).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Members)
            .await?;
        B::commit(tx).await?;
        Ok((member, event))
    }

    async fn create_team(&self, workspace: WorkspaceId, name: &str) -> StoreResult<TeamId> {
        let mut tx = self.backend.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                Sql::new("INSERT INTO teams (workspace_id, name) VALUES (?, ?) RETURNING id")
                    .bind(workspace.0)
                    .bind(name),
            )
            .await?;
        B::commit(tx).await?;
        Ok(TeamId(id))
    }

    async fn add_team_member(
        &self,
        workspace: WorkspaceId,
        team: TeamId,
        user: UserId,
    ) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "INSERT INTO team_members (team_id, user_id)
                     SELECT t.id, m.user_id FROM teams t
                     JOIN memberships m ON m.workspace_id = t.workspace_id AND m.user_id = ?
                     WHERE t.id = ? AND t.workspace_id = ?",
                )
                .bind(user.0)
                .bind(team.0)
                .bind(workspace.0),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        B::commit(tx).await
    }

    async fn teams(&self, workspace: WorkspaceId) -> StoreResult<Vec<Team>> {
        let mut conn = self.read().await?;
        let ids: Vec<(i64,)> = conn
            .fetch_all(
                Sql::new("SELECT id FROM teams WHERE workspace_id = ? ORDER BY name, id")
                    .bind(workspace.0),
            )
            .await?;
        let mut teams = Vec::with_capacity(ids.len());
        for (id,) in ids {
            teams.push(Self::team_of(&mut conn, workspace, TeamId(id)).await?);
        }
        Ok(teams)
    }

    async fn update_team(
        &self,
        workspace: WorkspaceId,
        team: TeamId,
        request: &TeamRequest,
    ) -> StoreResult<(Team, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        Self::team_of(&mut tx, workspace, team).await?;
        tx.execute(
            Sql::new("UPDATE teams SET name = ? WHERE id = ? AND workspace_id = ?")
                .bind(request.name.as_str())
                .bind(team.0)
                .bind(workspace.0),
        )
        .await?;
        tx.execute(Sql::new("DELETE FROM team_members WHERE team_id = ?").bind(team.0))
            .await?;
        for user in &request.members {
            let added = tx
                .execute(
                    Sql::new(
                        "INSERT INTO team_members (team_id, user_id)
                         SELECT ?, user_id FROM memberships WHERE workspace_id = ? AND user_id = ?",
                    )
                    .bind(team.0)
                    .bind(workspace.0)
                    .bind(user.0),
                )
                .await?;
            if added == 0 {
                return Err(StoreError::Invalid {
                    field: "members",
                    reason: format!("User {user} is not a member of this workspace."),
                });
            }
        }
        let team = Self::team_of(&mut tx, workspace, team).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Teams)
            .await?;
        B::commit(tx).await?;
        Ok((team, event))
    }

    async fn delete_team(&self, workspace: WorkspaceId, team: TeamId) -> StoreResult<Event> {
        self.delete_configuration(workspace, "teams", team.0, WorkspacePart::Teams)
            .await
    }

    async fn settings(&self, workspace: WorkspaceId) -> StoreResult<WorkspaceSettings> {
        settings_of(&mut self.read().await?, workspace).await
    }

    async fn update_settings(
        &self,
        workspace: WorkspaceId,
        patch: &SettingsPatch,
    ) -> StoreResult<(WorkspaceSettings, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let current = settings_of(&mut tx, workspace).await?;
        tx.execute(
            Sql::new("UPDATE workspaces SET name = ?, closing_notes = ?, unreplied_cutoff = ?, snooze_push = ? WHERE id = ?")
                .bind(patch.name.clone().unwrap_or(current.name))
                .bind(patch.closing_notes.unwrap_or(current.closing_notes).as_str())
                .bind(
                    patch
                        .unreplied_cutoff
                        .unwrap_or(current.unreplied_cutoff)
                        .format("%Y-%m-%d")
                        .to_string(),
                )
                .bind(patch.snooze_push.unwrap_or(current.snooze_push))
                .bind(workspace.0),
        )
        .await?;
        let settings = settings_of(&mut tx, workspace).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Settings)
            .await?;
        B::commit(tx).await?;
        Ok((settings, event))
    }

    async fn create_channel(&self, channel: NewChannel<'_>) -> StoreResult<Channel> {
        let mut tx = self.backend.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                Sql::new(
                    "INSERT INTO channels (workspace_id, kind, name, public_key, created_at)
                     VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(channel.workspace.0)
                .bind(channel.kind.as_str())
                .bind(channel.name)
                .bind(channel.public_key)
                .bind(micros(Utc::now())),
            )
            .await?;
        B::commit(tx).await?;
        Ok(Channel {
            id: ChannelId(id),
            workspace: channel.workspace,
            kind: channel.kind,
            name: channel.name.to_owned(),
            public_key: channel.public_key.map(str::to_owned),
        })
    }

    async fn channel_by_public_key(&self, key: &str) -> StoreResult<Option<Channel>> {
        self.read()
            .await?
            .fetch_optional::<ChannelRow>(
                Sql::new(format!(
                    "SELECT {CHANNEL_COLUMNS} FROM channels
                     WHERE public_key = ? AND disconnected_at IS NULL"
                ))
                .bind(key),
            )
            .await?
            .map(ChannelRow::into_channel)
            .transpose()
    }

    async fn hooked_channel(&self, key: &str) -> StoreResult<Option<(Channel, Option<String>)>> {
        self.read()
            .await?
            .fetch_optional::<rows::HookedRow>(
                Sql::new(format!(
                    "SELECT {CHANNEL_COLUMNS}, credentials FROM channels
                     WHERE public_key = ? AND disconnected_at IS NULL"
                ))
                .bind(key),
            )
            .await?
            .map(|row| Ok((row.channel.into_channel()?, row.credentials)))
            .transpose()
    }

    async fn channels(&self, workspace: WorkspaceId) -> StoreResult<Vec<Channel>> {
        self.read()
            .await?
            .fetch_all::<ChannelRow>(
                Sql::new(format!(
                    "SELECT {CHANNEL_COLUMNS} FROM channels
                     WHERE workspace_id = ? AND disconnected_at IS NULL ORDER BY id"
                ))
                .bind(workspace.0),
            )
            .await?
            .into_iter()
            .map(ChannelRow::into_channel)
            .collect()
    }

    async fn channel(&self, workspace: WorkspaceId, channel: ChannelId) -> StoreResult<Channel> {
        channels::channel(self, workspace, channel).await
    }

    async fn channel_credentials(&self, channel: ChannelId) -> StoreResult<Option<String>> {
        channels::credentials(self, channel).await
    }

    async fn set_channel_credentials(
        &self,
        workspace: WorkspaceId,
        channel: ChannelId,
        credentials: &str,
    ) -> StoreResult<()> {
        channels::set_credentials(self, workspace, channel, credentials).await
    }

    async fn claim_channel_reader(
        &self,
        channel: ChannelId,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        channels::claim_reader(self, channel, holder, now, until).await
    }

    async fn claim_channel_account(&self, channel: ChannelId, account: &str) -> StoreResult<()> {
        channels::claim_account(self, channel, account).await
    }

    async fn connected_channels(&self, kind: ChannelKind) -> StoreResult<Vec<Channel>> {
        channels::connected(self, kind).await
    }

    async fn channel_cursor(&self, channel: ChannelId) -> StoreResult<Option<String>> {
        channels::cursor(self, channel).await
    }

    async fn set_channel_cursor(&self, channel: ChannelId, cursor: &str) -> StoreResult<()> {
        channels::set_cursor(self, channel, cursor).await
    }

    async fn disconnect_channel(
        &self,
        workspace: WorkspaceId,
        channel: ChannelId,
    ) -> StoreResult<Vec<Event>> {
        channels::disconnect(self, workspace, channel).await
    }

    async fn receive_message(&self, inbound: InboundMessage<'_>) -> StoreResult<Received> {
        inbound::receive(self, inbound).await
    }

    async fn edit_received(&self, edit: InboundEdit<'_>) -> StoreResult<Option<Event>> {
        inbound::edit(self, edit).await
    }

    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>> {
        outbox::claim(self, now, lease_until, limit).await
    }

    async fn next_delivery_at(&self) -> StoreResult<Option<DateTime<Utc>>> {
        outbox::next_at(self).await
    }

    async fn delivery_sent(&self, delivery: i64, external_id: &str) -> StoreResult<Option<Event>> {
        outbox::sent(self, delivery, external_id).await
    }

    async fn delivery_retry(
        &self,
        delivery: HeldDelivery,
        at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<bool> {
        outbox::retry(self, delivery, at, error).await
    }

    async fn delivery_failed(
        &self,
        delivery: HeldDelivery,
        reason: &str,
    ) -> StoreResult<Option<Event>> {
        outbox::failed(self, delivery, reason).await
    }

    async fn delivery_progress(
        &self,
        delivery: HeldDelivery,
        parts_sent: u32,
        first_external_id: &str,
    ) -> StoreResult<bool> {
        outbox::progress(self, delivery, parts_sent, first_external_id).await
    }

    async fn retry_message(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        message: MessageId,
    ) -> StoreResult<Event> {
        outbox::retry_message(self, workspace, conversation, message).await
    }

    async fn report_delivery(
        &self,
        channel: ChannelId,
        external_id: &str,
        status: DeliveryStatus,
        error: Option<&str>,
    ) -> StoreResult<Option<Event>> {
        outbox::report(self, channel, external_id, status, error).await
    }

    async fn reply_target(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Option<ReplyTarget>> {
        outbox::reply_target(self, workspace, conversation).await
    }

    async fn create_contact(&self, contact: NewContact<'_>) -> StoreResult<ConversationSummary> {
        let mut tx = self.backend.begin().await?;
        let id = queries::insert_contact(&mut tx, &contact).await?;
        let summary = queries::conversation(&mut tx, contact.workspace, id).await?;
        B::commit(tx).await?;
        Ok(summary)
    }

    async fn contact(&self, workspace: WorkspaceId, contact: ContactId) -> StoreResult<Contact> {
        Self::contact_of(&mut self.read().await?, workspace, contact).await
    }

    async fn update_contact(
        &self,
        workspace: WorkspaceId,
        contact: ContactId,
        changes: &ContactChanges,
    ) -> StoreResult<(Contact, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let current = Self::contact_of(&mut tx, workspace, contact).await?;
        let c = &current.summary;
        tx.execute(
            Sql::new("UPDATE contacts SET first_name = ?, last_name = ?, email = ?, phone = ? WHERE id = ? AND workspace_id = ?")
                .bind(changes.first_name.clone().unwrap_or_else(|| c.first_name.clone()))
                .bind(changes.last_name.clone().unwrap_or_else(|| c.last_name.clone()))
                .bind(changes.email.clone().unwrap_or_else(|| c.email.clone()))
                .bind(changes.phone.clone().unwrap_or_else(|| c.phone.clone()))
                .bind(contact.0)
                .bind(workspace.0),
        )
        .await?;
        queries::refresh_contact_search(&mut tx, contact.0).await?;
        queries::set_field_values(&mut tx, workspace, contact.0, &changes.fields).await?;
        let updated = Self::contact_of(&mut tx, workspace, contact).await?;
        let event = self
            .updated(&mut tx, workspace, updated.conversation_id)
            .await?;
        B::commit(tx).await?;
        Ok((updated, event))
    }

    async fn set_blocked(
        &self,
        workspace: WorkspaceId,
        contact: ContactId,
        blocked: bool,
    ) -> StoreResult<Option<Event>> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let conversation = Self::conversation_of_contact(&mut tx, workspace, contact).await?;
        let changed = tx
            .execute(
                Sql::new("UPDATE contacts SET blocked = ? WHERE id = ? AND workspace_id = ? AND blocked <> ?")
                    .bind(blocked)
                    .bind(contact.0)
                    .bind(workspace.0)
                    .bind(blocked),
            )
            .await?;
        if changed == 0 {
            return Ok(None);
        }
        tx.execute(
            Sql::new("UPDATE conversations SET blocked = ? WHERE id = ?")
                .bind(blocked)
                .bind(conversation.0),
        )
        .await?;
        if blocked {
            tx.execute(
                Sql::new(
                    "UPDATE conversations SET status = 'open', status_since = ?, snoozed_until = NULL
                     WHERE id = ? AND status = 'snoozed'",
                )
                .bind(micros(Utc::now()))
                .bind(conversation.0),
            )
            .await?;
        }
        let event = self.updated(&mut tx, workspace, conversation).await?;
        B::commit(tx).await?;
        Ok(Some(event))
    }

    async fn has_blocked(&self, workspace: WorkspaceId) -> StoreResult<bool> {
        let found: Option<(i64,)> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new("SELECT id FROM contacts WHERE workspace_id = ? AND blocked LIMIT 1")
                    .bind(workspace.0),
            )
            .await?;
        Ok(found.is_some())
    }

    async fn custom_fields(&self, workspace: WorkspaceId) -> StoreResult<Vec<CustomField>> {
        self.read()
            .await?
            .fetch_all::<rows::CustomFieldRow>(
                Sql::new("SELECT id, label, kind, options FROM custom_fields WHERE workspace_id = ? ORDER BY id").bind(workspace.0),
            )
            .await?
            .into_iter()
            .map(rows::custom_field)
            .collect()
    }

    async fn create_custom_field(
        &self,
        workspace: WorkspaceId,
        field: &CustomFieldRequest,
    ) -> StoreResult<(CustomField, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        Self::check_field_label(&mut tx, workspace, &field.label, None).await?;
        let (id,): (i64,) = tx
            .fetch_one(
                Sql::new(
                    "INSERT INTO custom_fields (workspace_id, label, kind, options, created_at)
                     VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(workspace.0)
                .bind(field.label.as_str())
                .bind(field.kind.as_str())
                .bind(field_options(field)?)
                .bind(micros(Utc::now())),
            )
            .await?;
        let created = Self::field_of(&mut tx, workspace, CustomFieldId(id)).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::CustomFields)
            .await?;
        B::commit(tx).await?;
        Ok((created, event))
    }

    async fn update_custom_field(
        &self,
        workspace: WorkspaceId,
        id: CustomFieldId,
        field: &CustomFieldRequest,
    ) -> StoreResult<(CustomField, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let current = Self::field_of(&mut tx, workspace, id).await?;
        Self::check_field_label(&mut tx, workspace, &field.label, Some(id)).await?;
        if current.kind != field.kind {
            return Err(StoreError::Invalid {
                field: "kind",
                reason: "A field's type cannot change; add a new field instead.".into(),
            });
        }
        tx.execute(
            Sql::new(
                "UPDATE custom_fields SET label = ?, options = ? WHERE id = ? AND workspace_id = ?",
            )
            .bind(field.label.as_str())
            .bind(field_options(field)?)
            .bind(id.0)
            .bind(workspace.0),
        )
        .await?;
        let updated = Self::field_of(&mut tx, workspace, id).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::CustomFields)
            .await?;
        B::commit(tx).await?;
        Ok((updated, event))
    }

    async fn delete_custom_field(
        &self,
        workspace: WorkspaceId,
        id: CustomFieldId,
    ) -> StoreResult<Event> {
        self.delete_configuration(
            workspace,
            "custom_fields",
            id.0,
            WorkspacePart::CustomFields,
        )
        .await
    }

    async fn integration(
        &self,
        workspace: WorkspaceId,
        kind: &str,
    ) -> StoreResult<Option<Integration>> {
        integrations::get(&mut self.read().await?, workspace, kind).await
    }

    async fn set_integration(
        &self,
        workspace: WorkspaceId,
        kind: &str,
        settings: &str,
        secret: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<(Integration, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        integrations::set(&mut tx, workspace, kind, settings, secret, now).await?;
        let set = integrations::get(&mut tx, workspace, kind)
            .await?
            .ok_or(StoreError::NotFound)?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Settings)
            .await?;
        B::commit(tx).await?;
        Ok((set, event))
    }

    async fn delete_integration(
        &self,
        workspace: WorkspaceId,
        kind: &str,
    ) -> StoreResult<Option<Event>> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        if !integrations::delete(&mut tx, workspace, kind).await? {
            return Ok(None);
        }
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Settings)
            .await?;
        B::commit(tx).await?;
        Ok(Some(event))
    }

    async fn rate_ai_draft(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        good: bool,
        draft: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(AiRating, u64)> {
        let mut tx = self.backend.begin().await?;
        let rated = integrations::rate(&mut tx, workspace, user, good, draft, now).await?;
        B::commit(tx).await?;
        Ok(rated)
    }

    async fn ai_rating_feedback(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        rating: i64,
        feedback: &str,
    ) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        integrations::feedback(&mut tx, workspace, user, rating, feedback).await?;
        B::commit(tx).await
    }

    async fn ai_ratings(&self, workspace: WorkspaceId) -> StoreResult<Vec<AiRating>> {
        integrations::ratings(&mut self.read().await?, workspace).await
    }

    async fn ai_prompts(&self, workspace: WorkspaceId) -> StoreResult<Vec<AiPrompt>> {
        ai_prompts::list(&mut self.read().await?, workspace).await
    }

    async fn ai_prompt(&self, workspace: WorkspaceId, id: i64) -> StoreResult<AiPrompt> {
        ai_prompts::get(&mut self.read().await?, workspace, id).await
    }

    async fn create_ai_prompt(
        &self,
        workspace: WorkspaceId,
        request: &AiPromptRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<AiPrompt> {
        let mut tx = self.backend.begin().await?;
        let created = ai_prompts::create(&mut tx, workspace, request, now).await?;
        B::commit(tx).await?;
        Ok(created)
    }

    async fn update_ai_prompt(
        &self,
        workspace: WorkspaceId,
        id: i64,
        request: &AiPromptRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<AiPrompt> {
        let mut tx = self.backend.begin().await?;
        let updated = ai_prompts::update(&mut tx, workspace, id, request, now).await?;
        B::commit(tx).await?;
        Ok(updated)
    }

    async fn delete_ai_prompt(&self, workspace: WorkspaceId, id: i64) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        ai_prompts::delete(&mut tx, workspace, id).await?;
        B::commit(tx).await
    }

    async fn workflows(&self, workspace: WorkspaceId) -> StoreResult<Vec<Workflow>> {
        workflows::list(&mut self.read().await?, workspace).await
    }

    async fn workflow(&self, workspace: WorkspaceId, id: i64) -> StoreResult<Workflow> {
        workflows::get(&mut self.read().await?, workspace, id).await
    }

    async fn create_workflow(
        &self,
        workspace: WorkspaceId,
        request: &WorkflowRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<(Workflow, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let created = workflows::create(&mut tx, workspace, request, now).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Settings)
            .await?;
        B::commit(tx).await?;
        Ok((created, event))
    }

    async fn update_workflow(
        &self,
        workspace: WorkspaceId,
        id: i64,
        request: &WorkflowRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<(Workflow, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let updated = workflows::update(&mut tx, workspace, id, request, now).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Settings)
            .await?;
        B::commit(tx).await?;
        Ok((updated, event))
    }

    async fn delete_workflow(
        &self,
        workspace: WorkspaceId,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Event> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        workflows::delete(&mut tx, workspace, id, now).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Settings)
            .await?;
        B::commit(tx).await?;
        Ok(event)
    }

    async fn start_workflow_run(
        &self,
        workspace: WorkspaceId,
        workflow: i64,
        conversation: ConversationId,
        started_by: Option<UserId>,
        trigger_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<WorkflowRun>> {
        let mut tx = self.backend.begin().await?;
        let started = workflows::start(
            &mut tx,
            workspace,
            workflow,
            conversation,
            started_by,
            trigger_key,
            now,
        )
        .await?;
        B::commit(tx).await?;
        Ok(started)
    }

    async fn workflow_runs(
        &self,
        workspace: WorkspaceId,
        contact: ContactId,
        ongoing: bool,
    ) -> StoreResult<Vec<WorkflowRun>> {
        workflows::of_contact(&mut self.read().await?, workspace, contact, ongoing).await
    }

    async fn stop_workflow_runs(
        &self,
        workspace: WorkspaceId,
        contact: ContactId,
        run: Option<i64>,
        by: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<WorkflowRun>> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let name: Option<(String,)> = tx
            .fetch_optional(Sql::new("SELECT name FROM users WHERE id = ?").bind(by.0))
            .await?;
        let name = name.map_or_else(|| "a former member".to_owned(), |(n,)| n);
        let stopped = workflows::stop(&mut tx, workspace, contact, run, &name, now).await?;
        B::commit(tx).await?;
        Ok(stopped)
    }

    async fn claim_workflow_runs(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<HeldRun>> {
        let mut tx = self.backend.begin().await?;
        let held = workflows::claim::<B>(&mut tx, now, lease_until, limit).await?;
        B::commit(tx).await?;
        Ok(held)
    }

    async fn next_workflow_run_at(&self) -> StoreResult<Option<DateTime<Utc>>> {
        workflows::next_due(&mut self.read().await?).await
    }

    async fn workflow_run_held(&self, run: &HeldRun) -> StoreResult<bool> {
        workflows::held(&mut self.read().await?, run).await
    }

    async fn advance_workflow_run(
        &self,
        run: &HeldRun,
        outcome: &str,
        progress: RunProgress,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.backend.begin().await?;
        let moved = workflows::advance::<B>(&mut tx, run, outcome, progress, now).await?;
        if moved {
            B::commit(tx).await?;
        }
        Ok(moved)
    }

    async fn translation(
        &self,
        workspace: WorkspaceId,
        message: MessageId,
        language: &str,
    ) -> StoreResult<Option<String>> {
        translations::get(&mut self.read().await?, workspace, message, language).await
    }

    async fn keep_translation(
        &self,
        workspace: WorkspaceId,
        message: MessageId,
        language: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<String> {
        let mut tx = self.backend.begin().await?;
        let kept = translations::keep(&mut tx, workspace, message, language, text, now).await?;
        B::commit(tx).await?;
        Ok(kept)
    }

    async fn snippets(&self, workspace: WorkspaceId) -> StoreResult<Vec<Snippet>> {
        let mut conn = self.read().await?;
        let rows: Vec<(i64, String, String)> = conn
            .fetch_all(
                Sql::new(
                    "SELECT id, name, text FROM snippets WHERE workspace_id = ? ORDER BY name_key, id",
                )
                .bind(workspace.0),
            )
            .await?;
        let mut files = snippet_files::files(&mut conn, workspace, None).await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, text)| Snippet {
                id: SnippetId(id),
                name,
                text,
                files: files.remove(&SnippetId(id)).unwrap_or_default(),
            })
            .collect())
    }

    async fn create_snippet(
        &self,
        workspace: WorkspaceId,
        request: &SnippetRequest,
        by: UserId,
    ) -> StoreResult<(Snippet, Event)> {
        let name_key = request.name.to_lowercase();
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        Self::check_snippet_name(&mut tx, workspace, &name_key, None).await?;
        let (id,): (i64,) = tx
            .fetch_one(
                Sql::new(
                    "INSERT INTO snippets (workspace_id, name, name_key, text, created_at)
                     VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(workspace.0)
                .bind(request.name.as_str())
                .bind(name_key.as_str())
                .bind(request.text.as_str())
                .bind(micros(Utc::now())),
            )
            .await?;
        snippet_files::set(&mut tx, workspace, SnippetId(id), &request.files, by).await?;
        let created = Self::snippet_of(&mut tx, workspace, SnippetId(id)).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Snippets)
            .await?;
        B::commit(tx).await?;
        Ok((created, event))
    }

    async fn update_snippet(
        &self,
        workspace: WorkspaceId,
        id: SnippetId,
        request: &SnippetRequest,
        by: UserId,
    ) -> StoreResult<(Snippet, Event, Vec<String>)> {
        let name_key = request.name.to_lowercase();
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        Self::snippet_of(&mut tx, workspace, id).await?;
        Self::check_snippet_name(&mut tx, workspace, &name_key, Some(id)).await?;
        tx.execute(
            Sql::new(
                "UPDATE snippets SET name = ?, name_key = ?, text = ? WHERE id = ? AND workspace_id = ?",
            )
            .bind(request.name.as_str())
            .bind(name_key.as_str())
            .bind(request.text.as_str())
            .bind(id.0)
            .bind(workspace.0),
        )
        .await?;
        let removed = snippet_files::set(&mut tx, workspace, id, &request.files, by).await?;
        let updated = Self::snippet_of(&mut tx, workspace, id).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Snippets)
            .await?;
        B::commit(tx).await?;
        Ok((updated, event, removed))
    }

    async fn delete_snippet(
        &self,
        workspace: WorkspaceId,
        id: SnippetId,
    ) -> StoreResult<(Event, Vec<String>)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        // The keys are read first; the rows go with the snippet (ON DELETE CASCADE).
        let keys = snippet_files::keys(&mut tx, workspace, id).await?;
        let done = tx
            .execute(
                Sql::new("DELETE FROM snippets WHERE id = ? AND workspace_id = ?")
                    .bind(id.0)
                    .bind(workspace.0),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::Snippets)
            .await?;
        B::commit(tx).await?;
        Ok((event, keys))
    }

    async fn create_visitor(&self, channel: ChannelId, token_hash: &str) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        tx.execute(
            Sql::new("INSERT INTO visitors (channel_id, token_hash, created_at) VALUES (?, ?, ?)")
                .bind(channel.0)
                .bind(token_hash)
                .bind(micros(Utc::now())),
        )
        .await?;
        B::commit(tx).await
    }

    async fn visitor(&self, token_hash: &str) -> StoreResult<Option<Visitor>> {
        queries::visitor(&mut self.read().await?, token_hash).await
    }

    async fn visitor_conversation(
        &self,
        visitor: &Visitor,
        contact: NewContact<'_>,
    ) -> StoreResult<ConversationSummary> {
        let workspace = visitor.channel.workspace;
        let mut tx = self.backend.begin().await?;
        // A concurrent first use waits here; the read below then sees what it committed.
        let locked: Option<(i64,)> = tx
            .fetch_optional(
                Sql::new(format!(
                    "SELECT id FROM visitors WHERE id = ?{}",
                    B::FOR_UPDATE
                ))
                .bind(visitor.id),
            )
            .await?;
        locked.ok_or(StoreError::NotFound)?;
        let current = queries::visitor_by_id(&mut tx, visitor.id).await?;
        let conversation = match current.conversation {
            Some(id) => id,
            None => {
                let id = queries::insert_contact(&mut tx, &contact).await?;
                tx.execute(
                    Sql::new(
                        "UPDATE visitors SET contact_id = (SELECT contact_id FROM conversations WHERE id = ?) WHERE id = ?",
                    )
                    .bind(id.0)
                    .bind(visitor.id),
                )
                .await?;
                id
            }
        };
        let summary = queries::conversation(&mut tx, workspace, conversation).await?;
        B::commit(tx).await?;
        Ok(summary)
    }

    async fn inbox(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        spec: &InboxSpec,
        page: PageRequest<ActivityCursor>,
    ) -> StoreResult<Page<ConversationSummary>> {
        let mut conn = self.read().await?;
        let kinds = folder_field_kinds(&mut conn, workspace, spec).await?;
        let filter = inbox::Filter {
            workspace,
            viewer,
            spec,
            kinds: &kinds,
        };
        let limit = page.limit.max(1);
        let (column, direction) = inbox::order(spec.sort);
        // A small set (the blocked folder, a search's few matches, a short "within" window)
        // is read from its own index and sorted; `+ 0` keeps both databases from walking a
        // sort-order index instead and filtering almost everything away.
        let sorted = match inbox::window_start(spec) {
            _ if matches!(spec.folder, FolderSpec::Blocked) => true,
            Some(start) => {
                let (n,): (i64,) = conn
                    .fetch_one(
                        Sql::new(
                            "SELECT COUNT(*) FROM (SELECT 1 FROM conversations
                             WHERE workspace_id = ? AND last_incoming_at >= ? LIMIT ?) w",
                        )
                        .bind(workspace.0)
                        .bind(start)
                        .bind(self.tuning.window_sorted + 1)
                        .planned_per_run(),
                    )
                    .await?;
                n <= self.tuning.window_sorted
            }
            None => false,
        };
        // Two steps: pick the page's ids over narrow rows (filtering and sorting need only
        // conversations, and contacts for contact conditions), then read the full rows.
        let mut listed = filter.where_clause();
        if let Some(after) = page.after {
            let op = if direction == "DESC" { "<" } else { ">" };
            let at = micros(after.at);
            listed.push(
                &format!(" AND ({column} {op} ? OR ({column} = ? AND c.id {op} ?))"),
                [Bind::Int(at), Bind::Int(at), Bind::Int(after.id)],
            );
        }
        let select = |columns: &str, condition: Option<Sql>, sorted: bool, rows: i64| {
            let order_by = if sorted { " + 0" } else { "" };
            let mut sql = Sql::new(format!("SELECT {columns}{}", filter.from_clause()));
            sql.push(&listed.text, listed.binds.iter().cloned());
            if let Some(condition) = condition {
                sql.push(" AND ", []);
                sql.push(&condition.text, condition.binds);
            }
            sql.push(
                &format!(" ORDER BY {column}{order_by} {direction}, c.id {direction} LIMIT ?"),
                [Bind::Int(rows)],
            );
            sql.planned_per_run()
        };
        let page_rows = i64::from(limit) + 1;
        let ids: Vec<(i64,)> = match inbox::search_terms(spec, viewer) {
            None => {
                conn.fetch_all(select("c.id", None, sorted, page_rows))
                    .await?
            }
            Some((text, digits)) => {
                let digits = digits.as_deref();
                let walked = match self.tuning.search {
                    SearchStrategy::Walk => {
                        let matched = inbox::conversation_match("c", &text, digits);
                        Some(
                            conn.fetch_all(select("c.id", Some(matched), sorted, page_rows))
                                .await?,
                        )
                    }
                    SearchStrategy::CountFirst(most) => {
                        let candidates = B::search_count(workspace, &text, digits);
                        let mut count = Sql::new("SELECT COUNT(*) FROM (").planned_per_run();
                        count.push(&candidates.text, candidates.binds);
                        count.push(" LIMIT ?) candidates", [Bind::Int(most.saturating_add(1))]);
                        let (n,): (i64,) = conn.fetch_one(count).await?;
                        if n > most {
                            let matched = inbox::conversation_match("c", &text, digits);
                            Some(
                                conn.fetch_all(select("c.id", Some(matched), sorted, page_rows))
                                    .await?,
                            )
                        } else {
                            None
                        }
                    }
                    SearchStrategy::WalkFirst(0) => None,
                    SearchStrategy::WalkFirst(budget) => {
                        // The first `budget` conversations in the list's order, tested one by
                        // one. The outer query has no ORDER BY of its own: a subquery read
                        // without joins yields its rows in order on both databases, and
                        // sorting again would read the whole budget.
                        let walk =
                            select("c.id, c.search_text, c.phone_digits", None, sorted, budget);
                        let matched = inbox::conversation_match("w", &text, digits);
                        let mut sql =
                            Sql::new(format!("SELECT w.id FROM ({}) w WHERE ", walk.text))
                                .planned_per_run();
                        sql.binds = walk.binds;
                        sql.push(&matched.text, matched.binds);
                        sql.push(" LIMIT ?", [Bind::Int(page_rows)]);
                        let ids: Vec<(i64,)> = conn.fetch_all(sql).await?;
                        (ids.len() as i64 >= page_rows).then_some(ids)
                    }
                };
                match walked {
                    Some(ids) => ids,
                    None => {
                        let matched = B::search_sorted(&text, digits);
                        conn.fetch_all(select("c.id", Some(matched), true, page_rows))
                            .await?
                    }
                }
            }
        };
        let mut items = Vec::with_capacity(ids.len());
        if !ids.is_empty() {
            let mut rows = Sql::new(queries::CONVERSATION_SELECT);
            rows.push(
                &format!(" WHERE c.id IN ({})", queries::placeholders(ids.len())),
                ids.iter().map(|(id,)| Bind::Int(*id)),
            );
            let mut found = conn
                .fetch_all::<rows::ConversationRow>(rows)
                .await?
                .into_iter()
                .map(rows::ConversationRow::into_summary)
                .collect::<StoreResult<Vec<_>>>()?;
            for (id,) in &ids {
                if let Some(i) = found.iter().position(|c| c.id.0 == *id) {
                    items.push(found.swap_remove(i));
                }
            }
        }
        Ok(page_of(items, limit, |c| {
            inbox::cursor_of(c, spec.sort).encode()
        }))
    }

    async fn count(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        spec: &InboxSpec,
    ) -> StoreResult<FolderCount> {
        let mut conn = self.read().await?;
        let kinds = folder_field_kinds(&mut conn, workspace, spec).await?;
        let filter = inbox::Filter {
            workspace,
            viewer,
            spec,
            kinds: &kinds,
        };
        let mut sql = Sql::new(format!(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.unread_count > 0 THEN 1 ELSE 0 END), 0){}",
            filter.from_clause()
        ))
        .planned_per_run();
        let condition = filter.where_clause();
        sql.push(&condition.text, condition.binds);
        sql.push(" AND c.status = 'open'", []);
        if let Some((text, digits)) = inbox::search_terms(spec, viewer) {
            let matched = B::search_sorted(&text, digits.as_deref());
            sql.push(" AND ", []);
            sql.push(&matched.text, matched.binds);
        }
        let (open, unread): (i64, i64) = conn.fetch_one(sql).await?;
        Ok(FolderCount {
            open: open as u64,
            unread: unread as u64,
        })
    }

    async fn custom_inboxes(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
    ) -> StoreResult<Vec<CustomInbox>> {
        let mut conn = self.read().await?;
        let mut sql = Sql::new(
            "SELECT i.id FROM custom_inboxes i WHERE i.workspace_id = ? AND (i.owner_user_id = ?
               OR EXISTS (SELECT 1 FROM custom_inbox_user_shares s
                          WHERE s.inbox_id = i.id AND s.user_id = ?)",
        )
        .bind(workspace.0)
        .bind(viewer.user.0)
        .bind(viewer.user.0);
        if !viewer.teams.is_empty() {
            sql.push(
                &format!(
                    " OR EXISTS (SELECT 1 FROM custom_inbox_team_shares s
                                 WHERE s.inbox_id = i.id AND s.team_id IN ({}))",
                    queries::placeholders(viewer.teams.len())
                ),
                viewer.teams.iter().map(|t| Bind::Int(t.0)),
            );
        }
        sql.push(") ORDER BY i.name, i.id", []);
        let ids: Vec<(i64,)> = conn.fetch_all(sql).await?;
        let mut inboxes = Vec::with_capacity(ids.len());
        for (id,) in ids {
            inboxes.push(custom_inbox_of(&mut conn, workspace, CustomInboxId(id)).await?);
        }
        Ok(inboxes)
    }

    async fn custom_inbox(
        &self,
        workspace: WorkspaceId,
        id: CustomInboxId,
    ) -> StoreResult<CustomInbox> {
        custom_inbox_of(&mut self.read().await?, workspace, id).await
    }

    async fn create_custom_inbox(
        &self,
        workspace: WorkspaceId,
        owner: UserId,
        request: &CustomInboxRequest,
    ) -> StoreResult<(CustomInbox, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let (id,): (i64,) = tx
            .fetch_one(
                Sql::new(
                    "INSERT INTO custom_inboxes (workspace_id, owner_user_id, name, filter, created_at)
                     VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(workspace.0)
                .bind(owner.0)
                .bind(request.name.as_str())
                .bind(filter_json(&request.filter)?)
                .bind(micros(Utc::now())),
            )
            .await?;
        set_shares(&mut tx, workspace, id, request).await?;
        let inbox = custom_inbox_of(&mut tx, workspace, CustomInboxId(id)).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::CustomInboxes)
            .await?;
        B::commit(tx).await?;
        Ok((inbox, event))
    }

    async fn update_custom_inbox(
        &self,
        workspace: WorkspaceId,
        id: CustomInboxId,
        request: &CustomInboxRequest,
    ) -> StoreResult<(CustomInbox, Event)> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let changed = tx
            .execute(
                Sql::new(
                    "UPDATE custom_inboxes SET name = ?, filter = ? WHERE id = ? AND workspace_id = ?",
                )
                .bind(request.name.as_str())
                .bind(filter_json(&request.filter)?)
                .bind(id.0)
                .bind(workspace.0),
            )
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        set_shares(&mut tx, workspace, id.0, request).await?;
        let inbox = custom_inbox_of(&mut tx, workspace, id).await?;
        let event = self
            .changed(&mut tx, workspace, WorkspacePart::CustomInboxes)
            .await?;
        B::commit(tx).await?;
        Ok((inbox, event))
    }

    async fn delete_custom_inbox(
        &self,
        workspace: WorkspaceId,
        id: CustomInboxId,
    ) -> StoreResult<Event> {
        self.delete_configuration(
            workspace,
            "custom_inboxes",
            id.0,
            WorkspacePart::CustomInboxes,
        )
        .await
    }

    async fn conversation(
        &self,
        workspace: WorkspaceId,
        id: ConversationId,
    ) -> StoreResult<ConversationSummary> {
        queries::conversation(&mut self.read().await?, workspace, id).await
    }

    async fn contact_channels(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Vec<ContactChannel>> {
        reach::contact_channels(&mut self.read().await?, workspace, conversation).await
    }

    async fn message(&self, workspace: WorkspaceId, message: MessageId) -> StoreResult<Message> {
        queries::message(&mut self.read().await?, workspace, message).await
    }

    async fn messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        page: PageRequest<IdCursor>,
    ) -> StoreResult<Page<Message>> {
        let mut conn = self.read().await?;
        // A foreign conversation is NotFound, not an empty page.
        queries::conversation(&mut conn, workspace, conversation).await?;
        queries::messages(&mut conn, workspace, conversation, page).await
    }

    async fn append_message(&self, message: NewMessage) -> StoreResult<Appended> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, message.workspace).await?;
        let appended = self.append_locked(&mut tx, message).await?;
        B::commit(tx).await?;
        Ok(appended)
    }

    async fn append_workflow_message(
        &self,
        run: &HeldRun,
        message: NewMessage,
    ) -> StoreResult<Appended> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, run.workspace).await?;
        // Under the lock a Stop takes: once it commits, the run writes nothing more.
        if message.workspace != run.workspace
            || message.conversation != run.conversation
            || !workflows::held(&mut tx, run).await?
        {
            return Err(StoreError::Refused("The workflow run was stopped.".into()));
        }
        let appended = self.append_locked(&mut tx, message).await?;
        B::commit(tx).await?;
        Ok(appended)
    }

    async fn mark_read(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Option<Event>> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let changed = tx
            .execute(
                Sql::new("UPDATE conversations SET unread_count = 0 WHERE id = ? AND workspace_id = ? AND unread_count > 0")
                    .bind(conversation.0)
                    .bind(workspace.0),
            )
            .await?;
        if changed == 0 {
            // Unknown (or foreign) conversations are NotFound, read ones need nothing.
            queries::conversation(&mut tx, workspace, conversation).await?;
            return Ok(None);
        }
        let event = self.updated(&mut tx, workspace, conversation).await?;
        B::commit(tx).await?;
        Ok(Some(event))
    }

    async fn release_ai(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> StoreResult<Option<Event>> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let changed = tx
            .execute(
                Sql::new(
                    "UPDATE conversations SET assignee_ai = ?
                     WHERE id = ? AND workspace_id = ? AND assignee_ai",
                )
                .bind(false)
                .bind(conversation.0)
                .bind(workspace.0),
            )
            .await?;
        if changed == 0 {
            queries::conversation(&mut tx, workspace, conversation).await?;
            return Ok(None);
        }
        let event = self.updated(&mut tx, workspace, conversation).await?;
        B::commit(tx).await?;
        Ok(Some(event))
    }

    async fn set_dialogflow_bot(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        on: bool,
    ) -> StoreResult<Option<Event>> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let changed = tx
            .execute(
                Sql::new(
                    "UPDATE conversations SET dialogflow_bot = ?
                     WHERE id = ? AND workspace_id = ? AND dialogflow_bot = ?",
                )
                .bind(on)
                .bind(conversation.0)
                .bind(workspace.0)
                .bind(!on),
            )
            .await?;
        if changed == 0 {
            queries::conversation(&mut tx, workspace, conversation).await?;
            return Ok(None);
        }
        let event = self.updated(&mut tx, workspace, conversation).await?;
        B::commit(tx).await?;
        Ok(Some(event))
    }

    async fn assign_by(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        assignee: Option<AssigneeRef>,
        by: Option<UserId>,
    ) -> StoreResult<Option<Event>> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let current = queries::conversation(&mut tx, workspace, conversation).await?;
        if current.assignee.as_ref().map(Assignee::reference) == assignee {
            return Ok(None);
        }
        let (user, team, ai) = match assignee {
            None => (None, None, false),
            Some(AssigneeRef::User { id }) => {
                let member: Option<(i64,)> = tx
                    .fetch_optional(
                        Sql::new("SELECT user_id FROM memberships WHERE workspace_id = ? AND user_id = ?")
                            .bind(workspace.0)
                            .bind(id.0),
                    )
                    .await?;
                if member.is_none() {
                    return Err(StoreError::Invalid {
                        field: "assignee",
                        reason: "Assign to a member of this workspace.".into(),
                    });
                }
                (Some(id.0), None, false)
            }
            Some(AssigneeRef::Team { id }) => {
                let found: Option<(i64,)> = tx
                    .fetch_optional(
                        Sql::new("SELECT id FROM teams WHERE id = ? AND workspace_id = ?")
                            .bind(id.0)
                            .bind(workspace.0),
                    )
                    .await?;
                if found.is_none() {
                    return Err(StoreError::Invalid {
                        field: "assignee",
                        reason: "Assign to a team of this workspace.".into(),
                    });
                }
                (None, Some(id.0), false)
            }
            Some(AssigneeRef::AiAgent) => (None, None, true),
        };
        tx.execute(
            Sql::new("UPDATE conversations SET assignee_user_id = ?, assignee_team_id = ?, assignee_ai = ? WHERE id = ? AND workspace_id = ?")
                .bind(user)
                .bind(team)
                .bind(ai)
                .bind(conversation.0)
                .bind(workspace.0),
        )
        .await?;
        notify::assigned(&mut tx, workspace, conversation, user, team, by, Utc::now()).await?;
        let event = self.updated(&mut tx, workspace, conversation).await?;
        B::commit(tx).await?;
        Ok(Some(event))
    }

    async fn transition(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        transition: Transition,
        now: DateTime<Utc>,
    ) -> StoreResult<Event> {
        let mut tx = self.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        let current = queries::conversation(&mut tx, workspace, conversation).await?;
        let to =
            domain::check_transition(current.status, current.contact.blocked, &transition, now)?;
        let until = match &transition {
            Transition::Snooze { until } => Some(micros(*until)),
            _ => None,
        };
        tx.execute(
            Sql::new(
                "UPDATE conversations SET
                   status_since = CASE WHEN status <> ? THEN ? ELSE status_since END,
                   status = ?, snoozed_until = ?
                 WHERE id = ? AND workspace_id = ?",
            )
            .bind(to.as_str())
            .bind(micros(now))
            .bind(to.as_str())
            .bind(until)
            .bind(conversation.0)
            .bind(workspace.0),
        )
        .await?;
        if let Transition::Close {
            note: Some(note),
            by,
        } = &transition
        {
            tx.execute(
                Sql::new("INSERT INTO closing_notes (conversation_id, user_id, note, created_at) VALUES (?, ?, ?, ?)")
                    .bind(conversation.0)
                    .bind(by.map(|u| u.0))
                    .bind(note.as_str())
                    .bind(micros(now)),
            )
            .await?;
        }
        let event = self.updated(&mut tx, workspace, conversation).await?;
        B::commit(tx).await?;
        Ok(event)
    }

    async fn wake_snoozed(&self, now: DateTime<Utc>) -> StoreResult<Vec<Event>> {
        let due: Vec<(i64, i64)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT workspace_id, id FROM conversations
                     WHERE status = 'snoozed' AND snoozed_until <= ? ORDER BY snoozed_until LIMIT 500",
                )
                .bind(micros(now)),
            )
            .await?;
        let mut events = Vec::new();
        for (workspace, id) in due {
            let workspace = WorkspaceId(workspace);
            let mut tx = self.backend.begin().await?;
            lock_workspace::<B>(&mut tx, workspace).await?;
            // Another replica may have woken it, or an agent changed it, since the read.
            let woken = tx
                .execute(
                    Sql::new(
                        "UPDATE conversations SET status = 'open', status_since = ?, snoozed_until = NULL
                         WHERE id = ? AND status = 'snoozed' AND snoozed_until <= ?",
                    )
                    .bind(micros(now))
                    .bind(id)
                    .bind(micros(now)),
                )
                .await?;
            if woken == 0 {
                continue;
            }
            notify::snooze_ended(&mut tx, ConversationId(id), now).await?;
            events.push(self.updated(&mut tx, workspace, ConversationId(id)).await?);
            B::commit(tx).await?;
        }
        Ok(events)
    }

    async fn next_snooze_deadline(&self) -> StoreResult<Option<DateTime<Utc>>> {
        let (next,): (Option<i64>,) = self
            .read()
            .await?
            .fetch_one(Sql::new(
                "SELECT MIN(snoozed_until) FROM conversations WHERE status = 'snoozed'",
            ))
            .await?;
        next.map(rows::time).transpose()
    }

    async fn create_attachment(&self, attachment: NewAttachment) -> StoreResult<AttachmentRecord> {
        let size = i64::try_from(attachment.size).map_err(|_| StoreError::Invalid {
            field: "size",
            reason: "The file is too big.".into(),
        })?;
        let mut tx = self.backend.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                Sql::new(
                    "INSERT INTO attachments
                       (workspace_id, uploader_id, name, content_type, size, storage_key, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(attachment.workspace.0)
                .bind(attachment.uploader.0)
                .bind(attachment.name.as_str())
                .bind(attachment.content_type.as_str())
                .bind(size)
                .bind(attachment.storage_key.as_str())
                .bind(micros(attachment.created_at)),
            )
            .await?;
        let record = queries::attachment(&mut tx, attachment.workspace, AttachmentId(id)).await?;
        B::commit(tx).await?;
        Ok(record)
    }

    async fn attachment(
        &self,
        workspace: WorkspaceId,
        id: AttachmentId,
    ) -> StoreResult<AttachmentRecord> {
        queries::attachment(&mut self.read().await?, workspace, id).await
    }

    async fn search_contacts(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        query: &str,
        limit: u32,
    ) -> StoreResult<Vec<ConversationSummary>> {
        if query.trim().is_empty() {
            return Ok(Vec::new());
        }
        let mut folders = vec![FolderSpec::All];
        if viewer.permissions.view_blocked {
            folders.push(FolderSpec::Blocked);
        }
        let mut found = Vec::new();
        for folder in folders {
            let spec = InboxSpec {
                folder,
                search: Some(query.to_owned()),
                ..InboxSpec::all(Utc::now())
            };
            let page = PageRequest { after: None, limit };
            found.extend(self.inbox(workspace, viewer, &spec, page).await?.items);
        }
        found.sort_by_key(|c| std::cmp::Reverse((c.last_activity_at, c.id)));
        found.truncate(limit as usize);
        Ok(found)
    }

    async fn search_messages(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        query: &str,
        conversation: Option<ConversationId>,
        page: PageRequest<IdCursor>,
    ) -> StoreResult<Page<MessageHit>> {
        let terms = switchboard_protocol::search::terms(query);
        if terms.is_empty() {
            return Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        let limit = page.limit.max(1);
        let want = limit as usize + 1;
        let mut before = page.after.map(|c| c.before).unwrap_or(i64::MAX);
        let mut conn = self.read().await?;
        let mut rows = Vec::new();
        // Candidates come in batches (SQLite), or a window of recent messages then the rest
        // (PostgreSQL).
        let bound = before;
        let search = B::text_search(&terms);
        let mut window: Option<(i64, bool)> = None;
        loop {
            let mut sql = Sql::new(queries::MESSAGE_SELECT);
            sql.push(" WHERE m.workspace_id = ?", [Bind::Int(workspace.0)]);
            let mut exhausted = true;
            match &search {
                TextSearch::Windowed { recent, full } => {
                    const WINDOW: i64 = 20_000;
                    let (low, in_window) = match window {
                        None => {
                            let (newest,): (Option<i64>,) = conn
                                .fetch_one(Sql::new("SELECT MAX(id) FROM messages"))
                                .await?;
                            let top = bound.min(newest.unwrap_or(0).saturating_add(1));
                            (top.saturating_sub(WINDOW), true)
                        }
                        Some((low, _)) => (low, false),
                    };
                    let condition = if in_window { recent } else { full };
                    sql.push(" AND ", []);
                    sql.push(&condition.text, condition.binds.clone());
                    if in_window {
                        sql.push(" AND m.id >= ?", [Bind::Int(low)]);
                        exhausted = false;
                    } else {
                        sql.push(" AND m.id < ?", [Bind::Int(low)]);
                    }
                    window = Some((low, in_window));
                }
                TextSearch::Candidates(candidates) => {
                    const BATCH: i64 = 1000;
                    let mut candidates = candidates.clone();
                    candidates
                        .binds
                        .extend([Bind::Int(before), Bind::Int(BATCH)]);
                    let ids: Vec<(i64,)> = conn.fetch_all(candidates).await?;
                    if ids.is_empty() {
                        break;
                    }
                    exhausted = (ids.len() as i64) < BATCH;
                    let lowest = ids.last().map_or(before, |(id,)| *id);
                    sql.push(
                        &format!(" AND m.id IN ({})", queries::placeholders(ids.len())),
                        ids.into_iter().map(|(id,)| Bind::Int(id)),
                    );
                    sql.push(" AND m.id >= ?", [Bind::Int(lowest)]);
                    before = lowest;
                }
            }
            if let Some(conversation) = conversation {
                sql.push(" AND m.conversation_id = ?", [Bind::Int(conversation.0)]);
            }
            if !viewer.permissions.view_blocked {
                sql.push(" AND NOT c.blocked", []);
            }
            let need = (want - rows.len()) as i64;
            sql.push(
                " AND m.id < ? ORDER BY m.id DESC LIMIT ?",
                [Bind::Int(bound), Bind::Int(need)],
            );
            rows.extend(conn.fetch_all::<rows::MessageRow>(sql).await?);
            if rows.len() >= want || exhausted {
                break;
            }
        }
        let items = queries::complete_with_contacts(&mut conn, rows)
            .await?
            .into_iter()
            .map(|(message, contact)| MessageHit { message, contact })
            .collect();
        Ok(page_of(items, limit, |h: &MessageHit| {
            IdCursor {
                before: h.message.id.0,
            }
            .encode()
        }))
    }

    async fn create_invitation(&self, invitation: NewInvitation<'_>) -> StoreResult<Invitation> {
        invitations::create(self, invitation).await
    }

    async fn invitations(
        &self,
        workspace: WorkspaceId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Invitation>> {
        invitations::pending(&mut self.read().await?, workspace, now).await
    }

    async fn revoke_invitation(&self, workspace: WorkspaceId, id: InvitationId) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        invitations::revoke(&mut tx, workspace, id).await?;
        B::commit(tx).await
    }

    async fn open_invitation(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<OpenInvitation>> {
        invitations::open(&mut self.read().await?, token_hash, now).await
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        user: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<(WorkspaceId, Event)> {
        invitations::accept(self, token_hash, user, now).await
    }

    async fn notifications(
        &self,
        workspace: WorkspaceId,
        viewer: &Viewer,
        before: Option<NotificationId>,
        limit: u32,
    ) -> StoreResult<NotificationList> {
        notify::list(&mut self.read().await?, workspace, viewer, before, limit).await
    }

    async fn mark_notifications_read(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        ids: Option<&[NotificationId]>,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let mut tx = self.backend.begin().await?;
        let changed = notify::mark_read(&mut tx, workspace, user, ids, now).await?;
        B::commit(tx).await?;
        Ok(changed)
    }

    async fn notification_preferences(
        &self,
        workspace: WorkspaceId,
        user: UserId,
    ) -> StoreResult<NotificationPreferences> {
        let kinds: Option<(String,)> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new(
                    "SELECT push_kinds FROM memberships WHERE workspace_id = ? AND user_id = ?",
                )
                .bind(workspace.0)
                .bind(user.0),
            )
            .await?;
        let (kinds,) = kinds.ok_or(StoreError::NotFound)?;
        Ok(notify::preferences_from(&kinds))
    }

    async fn set_notification_preferences(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        preferences: NotificationPreferences,
    ) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        let changed = tx
            .execute(
                Sql::new(
                    "UPDATE memberships SET push_kinds = ? WHERE workspace_id = ? AND user_id = ?",
                )
                .bind(notify::preferences_to(preferences))
                .bind(workspace.0)
                .bind(user.0),
            )
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        B::commit(tx).await
    }

    async fn claim_pushes(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<DuePush>> {
        notify::claim(self, now, lease_until, limit).await
    }

    async fn push_finished(
        &self,
        notification: NotificationId,
        leased_until: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        notify::finished(&mut tx, notification, leased_until, retry_at).await?;
        B::commit(tx).await
    }

    async fn next_push_at(&self) -> StoreResult<Option<DateTime<Utc>>> {
        let (next,): (Option<i64>,) = self
            .read()
            .await?
            .fetch_one(Sql::new(
                "SELECT MIN(push_at) FROM notifications WHERE push_at IS NOT NULL",
            ))
            .await?;
        next.map(rows::time).transpose()
    }

    async fn save_push_subscription(
        &self,
        user: UserId,
        subscription: &PushSubscriptionRecord,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.backend.begin().await?;
        tx.execute(
            Sql::new(
                "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, language, created_at)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
                   p256dh = excluded.p256dh, auth = excluded.auth, language = excluded.language,
                   created_at = excluded.created_at",
            )
            .bind(user.0)
            .bind(subscription.endpoint.as_str())
            .bind(subscription.p256dh.as_str())
            .bind(subscription.auth.as_str())
            .bind(subscription.language.as_str())
            .bind(rows::micros(now)),
        )
        .await?;
        B::commit(tx).await
    }

    async fn delete_push_subscription(
        &self,
        endpoint: &str,
        user: Option<UserId>,
    ) -> StoreResult<bool> {
        let mut tx = self.backend.begin().await?;
        let deleted = match user {
            Some(user) => {
                tx.execute(
                    Sql::new("DELETE FROM push_subscriptions WHERE endpoint = ? AND user_id = ?")
                        .bind(endpoint)
                        .bind(user.0),
                )
                .await?
            }
            None => {
                tx.execute(
                    Sql::new("DELETE FROM push_subscriptions WHERE endpoint = ?").bind(endpoint),
                )
                .await?
            }
        };
        B::commit(tx).await?;
        Ok(deleted > 0)
    }

    async fn push_subscriptions(&self, user: UserId) -> StoreResult<Vec<PushSubscriptionRecord>> {
        let rows: Vec<(String, String, String, String)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT endpoint, p256dh, auth, language FROM push_subscriptions
                     WHERE user_id = ? ORDER BY id",
                )
                .bind(user.0),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(endpoint, p256dh, auth, language)| PushSubscriptionRecord {
                    endpoint,
                    p256dh,
                    auth,
                    language,
                },
            )
            .collect())
    }

    async fn server_key(&self, name: &str, fresh: &str) -> StoreResult<String> {
        let mut tx = self.backend.begin().await?;
        tx.execute(
            Sql::new(
                "INSERT INTO server_keys (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(fresh),
        )
        .await?;
        let (value,): (String,) = tx
            .fetch_one(Sql::new("SELECT value FROM server_keys WHERE name = ?").bind(name))
            .await?;
        B::commit(tx).await?;
        Ok(value)
    }

    async fn events_since(
        &self,
        workspace: WorkspaceId,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        let rows: Vec<(i64, i64, String)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new("SELECT seq, at, payload FROM events WHERE workspace_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                    .bind(workspace.0)
                    .bind(i64::try_from(after).unwrap_or(i64::MAX))
                    .bind(i64::from(limit)),
            )
            .await?;
        rows.into_iter()
            .map(|(seq, at, payload)| rows::event(workspace, seq, at, &payload))
            .collect()
    }

    async fn last_seq(&self, workspace: WorkspaceId) -> StoreResult<u64> {
        let seq: Option<(i64,)> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new("SELECT last_seq FROM workspaces WHERE id = ?").bind(workspace.0),
            )
            .await?;
        seq.map(|(s,)| s as u64).ok_or(StoreError::NotFound)
    }

    async fn foreign_events(&self) -> StoreResult<Option<EventFeed>> {
        self.backend.foreign_events().await
    }

    async fn broadcast_signal(&self, workspace: WorkspaceId, payload: &str) -> StoreResult<()> {
        self.backend.broadcast_signal(workspace, payload).await
    }

    async fn foreign_signals(&self) -> StoreResult<Option<SignalFeed>> {
        self.backend.foreign_signals().await
    }
}

/// The custom field types a folder's conditions need: only a custom inbox has any.
async fn folder_field_kinds(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    spec: &InboxSpec,
) -> StoreResult<HashMap<CustomFieldId, FieldKind>> {
    match &spec.folder {
        FolderSpec::Custom(filter) if !filter.contact.is_empty() => {
            field_kinds(conn, workspace).await
        }
        _ => Ok(HashMap::new()),
    }
}

/// The workspace's custom field types, for conditions that compare numbers.
async fn field_kinds(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
) -> StoreResult<HashMap<CustomFieldId, FieldKind>> {
    let rows: Vec<(i64, String)> = conn
        .fetch_all(
            Sql::new("SELECT id, kind FROM custom_fields WHERE workspace_id = ?").bind(workspace.0),
        )
        .await?;
    rows.into_iter()
        .map(|(id, kind)| {
            let kind = FieldKind::parse(&kind).ok_or_else(|| rows::corrupt("field kind", &kind))?;
            Ok((CustomFieldId(id), kind))
        })
        .collect()
}

fn filter_json(filter: &InboxFilter) -> StoreResult<String> {
    serde_json::to_string(filter).map_err(|e| StoreError::Corrupt(e.to_string()))
}

async fn custom_inbox_of(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    id: CustomInboxId,
) -> StoreResult<CustomInbox> {
    let (name, owner, filter): (String, i64, String) = conn
        .fetch_optional(
            Sql::new(
                "SELECT name, owner_user_id, filter FROM custom_inboxes WHERE id = ? AND workspace_id = ?",
            )
            .bind(id.0)
            .bind(workspace.0),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let users: Vec<(i64,)> = conn
        .fetch_all(
            Sql::new(
                "SELECT user_id FROM custom_inbox_user_shares WHERE inbox_id = ? ORDER BY user_id",
            )
            .bind(id.0),
        )
        .await?;
    let teams: Vec<(i64,)> = conn
        .fetch_all(
            Sql::new(
                "SELECT team_id FROM custom_inbox_team_shares WHERE inbox_id = ? ORDER BY team_id",
            )
            .bind(id.0),
        )
        .await?;
    Ok(CustomInbox {
        id,
        name,
        owner: UserId(owner),
        filter: serde_json::from_str(&filter)
            .map_err(|e| StoreError::Corrupt(format!("inbox filter: {e}")))?,
        shared_with_users: users.into_iter().map(|(u,)| UserId(u)).collect(),
        shared_with_teams: teams.into_iter().map(|(t,)| TeamId(t)).collect(),
    })
}

/// Replaces a custom inbox's shares; every user and team must be the workspace's.
async fn set_shares(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    inbox: i64,
    request: &CustomInboxRequest,
) -> StoreResult<()> {
    let users: Vec<i64> = request.shared_with_users.iter().map(|u| u.0).collect();
    let teams: Vec<i64> = request.shared_with_teams.iter().map(|t| t.0).collect();
    share(
        conn,
        workspace,
        inbox,
        users,
        "custom_inbox_user_shares (inbox_id, user_id)
         SELECT ?, user_id FROM memberships WHERE workspace_id = ? AND user_id = ?",
        "custom_inbox_user_shares",
        (
            "shared_with_users",
            "is not a member of this workspace",
            "User",
        ),
    )
    .await?;
    share(
        conn,
        workspace,
        inbox,
        teams,
        "custom_inbox_team_shares (inbox_id, team_id)
         SELECT ?, id FROM teams WHERE workspace_id = ? AND id = ?",
        "custom_inbox_team_shares",
        (
            "shared_with_teams",
            "is not a team of this workspace",
            "Team",
        ),
    )
    .await
}

/// Replaces one share table's rows of an inbox with `ids`, each checked by the `INSERT …
/// SELECT` (which inserts nothing for an id outside the workspace); `refusal` is the field, the
/// reason and what an id names.
async fn share(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    inbox: i64,
    mut ids: Vec<i64>,
    insert: &str,
    table: &str,
    refusal: (&'static str, &str, &str),
) -> StoreResult<()> {
    conn.execute(Sql::new(format!("DELETE FROM {table} WHERE inbox_id = ?")).bind(inbox))
        .await?;
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let added = conn
            .execute(
                Sql::new(format!("INSERT INTO {insert}"))
                    .bind(inbox)
                    .bind(workspace.0)
                    .bind(id),
            )
            .await?;
        if added == 0 {
            let (field, reason, what) = refusal;
            return Err(StoreError::Invalid {
                field,
                reason: format!("{what} {id} {reason}."),
            });
        }
    }
    Ok(())
}

async fn settings_of(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
) -> StoreResult<WorkspaceSettings> {
    let (name, closing_notes, cutoff, snooze_push): (String, String, String, bool) = conn
        .fetch_optional(
            Sql::new("SELECT name, closing_notes, unreplied_cutoff, snooze_push FROM workspaces WHERE id = ?")
                .bind(workspace.0),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(WorkspaceSettings {
        name,
        closing_notes: ClosingNotes::parse(&closing_notes)
            .ok_or_else(|| rows::corrupt("closing notes", &closing_notes))?,
        unreplied_cutoff: chrono::NaiveDate::parse_from_str(&cutoff, "%Y-%m-%d")
            .map_err(|_| rows::corrupt("cutoff date", &cutoff))?,
        snooze_push,
    })
}

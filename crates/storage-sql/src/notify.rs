//! The notification centre (O1) and its pushes (O2, O3): entries written inside the
//! transactions of what they tell of, read per member, and claimed by push workers under a
//! lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so replicas push each entry once).

use crate::SqlStore;
use crate::backend::{Backend, Bind, Conn, Sql};
use crate::queries::placeholders;
use crate::rows::{self, micros};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use switchboard_protocol::notifications::*;
use switchboard_protocol::*;
use switchboard_storage::*;

/// The columns an entry is written with, in this order.
const COLUMNS: &str = "INSERT INTO notifications (workspace_id, user_id, kind, conversation_id,
    message_id, actor_user_id, text, count, created_at, push_at)";

/// The start of a message as an entry quotes it: one line, at most
/// [`NOTIFICATION_TEXT_CHARS`] characters.
pub fn excerpt(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(NOTIFICATION_TEXT_CHARS) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line,
    }
}

/// A message just stored: its mentions (every mentioned member but its author) and, when a
/// contact wrote it in a conversation assigned to a member, that member's new messages.
pub async fn message_stored(
    conn: &mut impl Conn,
    message: &Message,
    conversation: &ConversationSummary,
) -> StoreResult<()> {
    let text = excerpt(&message.preview().text);
    let at = micros(message.created_at);
    for user in &message.mentions {
        if message.sender.user_id == Some(*user) {
            continue;
        }
        conn.execute(
            Sql::new(format!(
                "{COLUMNS} VALUES (?, ?, 'mention', ?, ?, ?, ?, 1, ?, ?)"
            ))
            .bind(conversation.workspace_id.0)
            .bind(user.0)
            .bind(conversation.id.0)
            .bind(message.id.0)
            .bind(message.sender.user_id.map(|u| u.0))
            .bind(text.as_str())
            .bind(at)
            .bind(at),
        )
        .await?;
    }
    incoming(conn, &[(message, conversation)]).await
}

/// Messages contacts wrote in conversations assigned to a member: one statement gathers
/// them into each member's unread `new_message` entry of the conversation.
pub async fn incoming(
    conn: &mut impl Conn,
    stored: &[(&Message, &ConversationSummary)],
) -> StoreResult<()> {
    // Per conversation: its member, newest message, its text and how many arrived.
    let mut gathered: HashMap<ConversationId, (WorkspaceId, UserId, &Message, i64)> =
        HashMap::new();
    for (message, conversation) in stored {
        let Some(Assignee::User { id: user, .. }) = &conversation.assignee else {
            continue;
        };
        if message.direction != Direction::Incoming || message.kind != MessageKind::Message {
            continue;
        }
        let entry = gathered.entry(conversation.id).or_insert((
            conversation.workspace_id,
            *user,
            message,
            0,
        ));
        entry.3 += 1;
        if message.id > entry.2.id {
            entry.2 = message;
        }
    }
    if gathered.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(COLUMNS);
    sql.text.push_str(" VALUES ");
    for (n, (conversation, (workspace, user, message, count))) in gathered.iter().enumerate() {
        let at = micros(message.created_at);
        sql.push(
            if n == 0 {
                "(?, ?, 'new_message', ?, ?, NULL, ?, ?, ?, ?)"
            } else {
                ", (?, ?, 'new_message', ?, ?, NULL, ?, ?, ?, ?)"
            },
            [
                Bind::Int(workspace.0),
                Bind::Int(user.0),
                Bind::Int(conversation.0),
                Bind::Int(message.id.0),
                Bind::Text(excerpt(&message.preview().text)),
                Bind::Int(*count),
                Bind::Int(at),
                Bind::Int(at),
            ],
        );
    }
    sql.text.push_str(
        " ON CONFLICT (user_id, conversation_id) WHERE kind = 'new_message' AND read_at IS NULL
          DO UPDATE SET count = notifications.count + excluded.count,
            message_id = excluded.message_id, text = excluded.text,
            created_at = excluded.created_at, push_at = excluded.push_at, push_attempts = 0",
    );
    conn.execute(sql).await?;
    Ok(())
}

/// A conversation was assigned to `user` or `team` by `by`: the assignee, or the team's
/// members, other than `by`.
pub async fn assigned(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    conversation: ConversationId,
    user: Option<i64>,
    team: Option<i64>,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let by = by.map_or(0, |u| u.0);
    let at = micros(now);
    if let Some(user) = user.filter(|u| *u != by) {
        conn.execute(
            Sql::new(format!(
                "{COLUMNS} VALUES (?, ?, 'assignment', ?, NULL, ?, '', 1, ?, ?)"
            ))
            .bind(workspace.0)
            .bind(user)
            .bind(conversation.0)
            .bind(Some(by).filter(|b| *b != 0))
            .bind(at)
            .bind(at),
        )
        .await?;
    }
    if let Some(team) = team {
        conn.execute(
            Sql::new(format!(
                "{COLUMNS} SELECT ?, tm.user_id, 'assignment', ?, NULL, ?, '', 1, ?, ?
                 FROM team_members tm
                 JOIN memberships m ON m.user_id = tm.user_id AND m.workspace_id = ?
                 WHERE tm.team_id = ? AND tm.user_id <> ?"
            ))
            .bind(workspace.0)
            .bind(conversation.0)
            .bind(Some(by).filter(|b| *b != 0))
            .bind(at)
            .bind(at)
            .bind(workspace.0)
            .bind(team)
            .bind(by),
        )
        .await?;
    }
    Ok(())
}

/// A snoozed conversation came back (⏰): its assignee, or its team's members.
pub async fn snooze_ended(
    conn: &mut impl Conn,
    conversation: ConversationId,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let at = micros(now);
    conn.execute(
        Sql::new(format!(
            "{COLUMNS} SELECT c.workspace_id, c.assignee_user_id, 'snooze_expired', c.id,
               CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), '', 1, ?, ?
             FROM conversations c WHERE c.id = ? AND c.assignee_user_id IS NOT NULL
             UNION ALL
             SELECT c.workspace_id, tm.user_id, 'snooze_expired', c.id, CAST(NULL AS BIGINT),
               CAST(NULL AS BIGINT), '', 1, ?, ?
             FROM conversations c
             JOIN team_members tm ON tm.team_id = c.assignee_team_id
             JOIN memberships m ON m.user_id = tm.user_id AND m.workspace_id = c.workspace_id
             WHERE c.id = ?"
        ))
        .bind(at)
        .bind(at)
        .bind(conversation.0)
        .bind(at)
        .bind(at)
        .bind(conversation.0),
    )
    .await?;
    Ok(())
}

/// `SELECT` of an entry as [`row`] reads it, of `notifications n`.
const ENTRY: &str = "SELECT n.id, n.kind, n.conversation_id, n.message_id, ct.first_name,
    ct.last_name, ct.id, u.name, n.text, n.count, n.created_at, n.read_at
  FROM notifications n
  JOIN conversations c ON c.id = n.conversation_id
  JOIN contacts ct ON ct.id = c.contact_id
  LEFT JOIN users u ON u.id = n.actor_user_id";

type EntryRow = (
    i64,
    String,
    i64,
    Option<i64>,
    String,
    String,
    i64,
    Option<String>,
    String,
    i64,
    i64,
    Option<i64>,
);

fn entry(row: EntryRow) -> StoreResult<Option<Notification>> {
    let (id, kind, conversation, message, first, last, contact, actor, text, count, at, read) = row;
    // A kind written by a newer version is left out rather than shown wrong.
    let Some(kind) = NotificationKind::parse(&kind) else {
        return Ok(None);
    };
    let contact_name = ContactSummary::name_of(ContactId(contact), &first, &last);
    Ok(Some(Notification {
        id: NotificationId(id),
        kind,
        conversation_id: ConversationId(conversation),
        message_id: message.map(MessageId),
        contact_id: ContactId(contact),
        contact_name,
        actor_name: actor,
        text,
        count: u32::try_from(count).unwrap_or(u32::MAX),
        created_at: rows::time(at)?,
        read: read.is_some(),
    }))
}

/// See [`Store::notifications`].
pub async fn list(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    viewer: &Viewer,
    before: Option<NotificationId>,
    limit: u32,
) -> StoreResult<NotificationList> {
    let hidden = if viewer.permissions.view_blocked {
        ""
    } else {
        " AND NOT c.blocked"
    };
    let rows: Vec<EntryRow> = conn
        .fetch_all(
            Sql::new(format!(
                "{ENTRY} WHERE n.workspace_id = ? AND n.user_id = ? AND n.id < ?{hidden}
                 ORDER BY n.id DESC LIMIT ?"
            ))
            .bind(workspace.0)
            .bind(viewer.user.0)
            .bind(before.map_or(i64::MAX, |b| b.0))
            .bind(limit),
        )
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.extend(entry(row)?);
    }
    let (unread,): (i64,) = conn
        .fetch_one(
            Sql::new(format!(
                "SELECT COUNT(*) FROM notifications n
                 JOIN conversations c ON c.id = n.conversation_id
                 WHERE n.workspace_id = ? AND n.user_id = ? AND n.read_at IS NULL{hidden}"
            ))
            .bind(workspace.0)
            .bind(viewer.user.0),
        )
        .await?;
    Ok(NotificationList {
        items,
        unread: u32::try_from(unread).unwrap_or(u32::MAX),
    })
}

/// See [`Store::mark_notifications_read`].
pub async fn mark_read(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    user: UserId,
    ids: Option<&[NotificationId]>,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let mut sql = Sql::new(
        "UPDATE notifications SET read_at = ?
         WHERE workspace_id = ? AND user_id = ? AND read_at IS NULL",
    )
    .bind(micros(now))
    .bind(workspace.0)
    .bind(user.0);
    if let Some(ids) = ids {
        if ids.is_empty() {
            return Ok(0);
        }
        sql.push(
            &format!(" AND id IN ({})", placeholders(ids.len())),
            ids.iter().map(|id| Bind::Int(id.0)),
        );
    }
    conn.execute(sql).await
}

/// The kinds a member wants pushed, as `memberships.push_kinds` keeps them.
pub fn preferences_from(kinds: &str) -> NotificationPreferences {
    let has = |kind: NotificationKind| kinds.split(',').any(|k| k == kind.as_str());
    NotificationPreferences {
        mentions: has(NotificationKind::Mention),
        assignments: has(NotificationKind::Assignment),
        new_messages: has(NotificationKind::NewMessage),
        snooze_expired: has(NotificationKind::SnoozeExpired),
    }
}

pub fn preferences_to(preferences: NotificationPreferences) -> String {
    NotificationKind::ALL
        .iter()
        .filter(|kind| preferences.pushes(**kind))
        .map(|kind| kind.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// See [`Store::claim_pushes`].
pub async fn claim<B: Backend>(
    store: &SqlStore<B>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> StoreResult<Vec<DuePush>> {
    let mut tx = store.backend.begin().await?;
    let ids: Vec<(i64,)> = tx
        .fetch_all(
            Sql::new(format!(
                "SELECT id FROM notifications WHERE push_at IS NOT NULL AND push_at <= ?
                 ORDER BY push_at, id LIMIT ?{}",
                B::FOR_UPDATE_SKIP_LOCKED
            ))
            .bind(micros(now))
            .bind(limit),
        )
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut lease = Sql::new("UPDATE notifications SET push_at = ?").bind(micros(lease_until));
    lease.push(
        &format!(" WHERE id IN ({})", placeholders(ids.len())),
        ids.iter().map(|(id,)| Bind::Int(*id)),
    );
    tx.execute(lease).await?;
    let mut due = Vec::with_capacity(ids.len());
    for (id,) in ids {
        due.extend(due_push(&mut tx, id).await?);
    }
    B::commit(tx).await?;
    Ok(due)
}

/// Entry `id` with what its push needs.
async fn due_push(conn: &mut impl Conn, id: i64) -> StoreResult<Option<DuePush>> {
    let row: Option<EntryRow> = conn
        .fetch_optional(Sql::new(format!("{ENTRY} WHERE n.id = ?")).bind(id))
        .await?;
    let Some(notification) = row.map(entry).transpose()?.flatten() else {
        return Ok(None);
    };
    type Facts = (
        i64,
        i64,
        String,
        i64,
        Option<String>,
        Option<bool>,
        bool,
        bool,
    );
    let (workspace, user, workspace_name, attempts, kinds, view_blocked, blocked, snooze_push): Facts =
        conn.fetch_one(
            Sql::new(
                "SELECT n.workspace_id, n.user_id, w.name, n.push_attempts, m.push_kinds,
                   m.view_blocked, c.blocked, w.snooze_push
                 FROM notifications n
                 JOIN workspaces w ON w.id = n.workspace_id
                 JOIN conversations c ON c.id = n.conversation_id
                 LEFT JOIN memberships m ON m.workspace_id = n.workspace_id AND m.user_id = n.user_id
                 WHERE n.id = ?",
            )
            .bind(id),
        )
        .await?;
    let image: Option<(i64,)> = match notification.message_id {
        Some(message) if notification.kind == NotificationKind::NewMessage => {
            conn.fetch_optional(
                Sql::new(
                    "SELECT id FROM attachments WHERE message_id = ? AND content_type LIKE 'image/%'
                     ORDER BY position LIMIT 1",
                )
                .bind(message.0),
            )
            .await?
        }
        _ => None,
    };
    let wanted = kinds.as_deref().map(preferences_from).is_some_and(|p| {
        p.pushes(notification.kind)
            && (notification.kind != NotificationKind::SnoozeExpired || snooze_push)
    });
    Ok(Some(DuePush {
        workspace: WorkspaceId(workspace),
        workspace_name,
        user: UserId(user),
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        wanted,
        visible: view_blocked.is_some_and(|view| view || !blocked),
        image: image.map(|(id,)| AttachmentId(id)),
        notification,
    }))
}

/// See [`Store::push_finished`].
pub async fn finished(
    conn: &mut impl Conn,
    notification: NotificationId,
    leased_until: DateTime<Utc>,
    retry_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    // Only while the lease is ours: an entry that gathered a message meanwhile is due anew.
    conn.execute(
        Sql::new(
            "UPDATE notifications SET push_at = ?,
               push_attempts = CASE WHEN ? THEN push_attempts + 1 ELSE 0 END
             WHERE id = ? AND push_at = ?",
        )
        .bind(retry_at.map(micros))
        .bind(retry_at.is_some())
        .bind(notification.0)
        .bind(micros(leased_until)),
    )
    .await?;
    Ok(())
}

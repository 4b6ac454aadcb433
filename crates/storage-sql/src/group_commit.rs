//! Group commit of inbound messages (CH): webhooks that arrive together are stored in one
//! transaction with a few set-wise statements, instead of a dozen round trips each, and each
//! caller gets what storing its message alone would have answered. A lone message, and any
//! batch the database refuses as a whole (a provider id stored meanwhile by another replica),
//! take the one-at-a-time path in `inbound`.

use crate::SqlStore;
use crate::backend::{Backend, Bind, Conn, Sql};
use crate::inbound;
use crate::queries::{self, lock_workspace, placeholders};
use crate::rows::{self, ConversationRow, MessageRow, content_to_json, micros};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet, VecDeque};
use switchboard_protocol::events::{Event, EventPayload};
use switchboard_protocol::*;
use switchboard_storage::*;
use tokio::sync::oneshot;

/// At most this many messages share a transaction.
const MAX_BATCH: usize = 64;

/// Inbound messages waiting for the next group commit, and the turn to store them.
#[derive(Default)]
pub struct Queue {
    waiting: std::sync::Mutex<VecDeque<Waiting>>,
    turn: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("waiting", &waiting(self).len())
            .finish()
    }
}

/// A message waiting to be stored, and where its answer goes.
struct Waiting {
    message: OwnedInbound,
    answer: oneshot::Sender<StoreResult<Received>>,
}

/// An [`InboundMessage`] kept while it waits.
struct OwnedInbound {
    workspace: WorkspaceId,
    channel: ChannelId,
    sender: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    email: Option<String>,
    external_id: String,
    reply_to: Option<String>,
    content: Content,
    received_at: DateTime<Utc>,
    files: Vec<InboundFile>,
}

impl OwnedInbound {
    fn new(m: InboundMessage<'_>) -> OwnedInbound {
        OwnedInbound {
            workspace: m.workspace,
            channel: m.channel,
            sender: m.sender.to_owned(),
            first_name: m.first_name.to_owned(),
            last_name: m.last_name.to_owned(),
            phone: m.phone.map(str::to_owned),
            email: m.email.map(str::to_owned),
            external_id: m.external_id.to_owned(),
            reply_to: m.reply_to.map(str::to_owned),
            content: m.content,
            received_at: m.received_at,
            files: m.files,
        }
    }

    fn borrowed(&self) -> InboundMessage<'_> {
        InboundMessage {
            workspace: self.workspace,
            channel: self.channel,
            sender: &self.sender,
            first_name: &self.first_name,
            last_name: &self.last_name,
            phone: self.phone.as_deref(),
            email: self.email.as_deref(),
            external_id: &self.external_id,
            reply_to: self.reply_to.as_deref(),
            content: self.content.clone(),
            received_at: self.received_at,
            files: self.files.clone(),
        }
    }
}

fn waiting(queue: &Queue) -> std::sync::MutexGuard<'_, VecDeque<Waiting>> {
    // The list stays consistent even if a holder panicked: pushes and drains are whole.
    queue
        .waiting
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// See [`Store::receive_message`]: queues the message; whoever holds the turn stores
/// everything queued so far together, and the others are answered from that.
pub async fn receive<B: Backend>(
    store: &SqlStore<B>,
    inbound: InboundMessage<'_>,
) -> StoreResult<Received> {
    let queue = &store.inbound;
    let (answer, mut answered) = oneshot::channel();
    waiting(queue).push_back(Waiting {
        message: OwnedInbound::new(inbound.clone()),
        answer,
    });
    // No answer means whoever was storing it stopped first (its request was dropped): its
    // transaction either committed, and the message then reads as a repeat, or it did not.
    let _turn = tokio::select! {
        biased;
        answer = &mut answered => return match answer {
            Ok(answer) => answer,
            Err(_) => inbound::receive_one(store, inbound).await,
        },
        turn = queue.turn.lock() => turn,
    };
    loop {
        match answered.try_recv() {
            Ok(answer) => return answer,
            Err(oneshot::error::TryRecvError::Closed) => {
                return inbound::receive_one(store, inbound).await;
            }
            Err(oneshot::error::TryRecvError::Empty) => {}
        }
        let batch: Vec<Waiting> = {
            let mut queued = waiting(queue);
            let n = queued.len().min(MAX_BATCH);
            queued.drain(..n).collect()
        };
        store_batch(store, batch).await;
    }
}

/// Stores a batch and answers each of its messages.
async fn store_batch<B: Backend>(store: &SqlStore<B>, batch: Vec<Waiting>) {
    let messages: Vec<InboundMessage<'_>> = batch.iter().map(|w| w.message.borrowed()).collect();
    let answers = match messages.len() {
        0 => return,
        1 => None,
        _ => store_together(store, &messages).await.ok(),
    };
    let answers = match answers {
        Some(answers) => answers,
        None => {
            let mut answers = Vec::with_capacity(messages.len());
            for message in &messages {
                answers.push(inbound::receive_one(store, message.clone()).await);
            }
            answers
        }
    };
    drop(messages);
    for (waiting, answer) in batch.into_iter().zip(answers) {
        let _ = waiting.answer.send(answer);
    }
}

/// What to do with one message of a batch.
enum Plan {
    /// Its channel is not connected (or not the workspace's).
    NoChannel,
    /// Stored already, or earlier in the batch.
    Repeat,
    Store(ConversationId),
}

/// What the batch lookup finds for a message: its connected channel, the message if stored
/// already, and its sender's conversation.
type Found = (Option<i64>, Option<i64>, Option<i64>);
/// [`Found`] after the message's position in the batch.
type FoundRow = (i64, Option<i64>, Option<i64>, Option<i64>);

/// Stores a batch in one transaction. An error means nothing was stored.
async fn store_together<B: Backend>(
    store: &SqlStore<B>,
    messages: &[InboundMessage<'_>],
) -> StoreResult<Vec<StoreResult<Received>>> {
    let mut tx = store.backend.begin().await?;
    let mut workspaces: Vec<WorkspaceId> = messages.iter().map(|m| m.workspace).collect();
    workspaces.sort();
    workspaces.dedup();
    // In id order, so replicas storing batches of the same workspaces cannot deadlock.
    for workspace in &workspaces {
        lock_workspace::<B>(&mut tx, *workspace).await?;
    }
    let plans = plan(&mut tx, messages).await?;
    let stored: Vec<(usize, ConversationId)> = plans
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Plan::Store(conversation) => Some((i, *conversation)),
            Plan::NoChannel | Plan::Repeat => None,
        })
        .collect();
    let mut ids: HashMap<usize, i64> = HashMap::new();
    if !stored.is_empty() {
        ids = insert_messages(&mut tx, messages, &stored).await?;
        for &(i, conversation) in &stored {
            let m = &messages[i];
            let id = ids[&i];
            if let Some(reply_to) = m.reply_to {
                // Any earlier message of the conversation, this batch's included.
                tx.execute(
                    Sql::new(
                        "UPDATE messages SET reply_to_id = (SELECT r.id FROM messages r
                           WHERE r.channel_id = ? AND r.external_id = ? AND r.conversation_id = ?
                             AND r.id < ?)
                         WHERE id = ?",
                    )
                    .bind(m.channel.0)
                    .bind(reply_to)
                    .bind(conversation.0)
                    .bind(id)
                    .bind(id),
                )
                .await?;
            }
            inbound::insert_files(&mut tx, m, id).await?;
        }
        update_conversations(&mut tx, messages, &stored, &ids).await?;
    }
    let appended = read_back(&mut tx, messages, &stored, &ids).await?;
    let told: Vec<_> = appended.iter().map(|(m, c)| (m, c)).collect();
    crate::notify::incoming(&mut tx, &told).await?;
    let mut events = insert_events(store, &mut tx, &appended).await?.into_iter();
    B::commit(tx).await?;

    let mut appended = appended.into_iter();
    Ok(plans
        .into_iter()
        .map(|plan| match plan {
            Plan::NoChannel => Err(StoreError::NotFound),
            Plan::Repeat => Ok(Received::Duplicate),
            Plan::Store(_) => match (appended.next(), events.next()) {
                (Some((message, conversation)), Some(event)) => Ok(Received::Stored(Appended {
                    message,
                    conversation,
                    event: Some(event),
                })),
                _ => Err(StoreError::NotFound),
            },
        })
        .collect())
}

/// Finds each message's channel, whether it is stored already (before or earlier in the
/// batch), and its sender's conversation, adding contacts seen for the first time.
async fn plan(tx: &mut impl Conn, messages: &[InboundMessage<'_>]) -> StoreResult<Vec<Plan>> {
    let mut sql = Sql::new("WITH input (i, workspace, channel, external, sender) AS (VALUES ");
    for (i, m) in messages.iter().enumerate() {
        let row = if i == 0 {
            "(?, ?, ?, ?, ?)"
        } else {
            ", (?, ?, ?, ?, ?)"
        };
        sql.push(
            row,
            [
                Bind::Int(i as i64),
                Bind::Int(m.workspace.0),
                Bind::Int(m.channel.0),
                Bind::Text(m.external_id.to_owned()),
                Bind::Text(m.sender.to_owned()),
            ],
        );
    }
    sql.push(
        ") SELECT input.i, ch.id,
             (SELECT m.id FROM messages m WHERE m.channel_id = ch.id AND m.external_id = input.external),
             (SELECT c.id FROM contact_identities ci
              JOIN conversations c ON c.contact_id = ci.contact_id
              WHERE ci.channel_id = ch.id AND ci.external_id = input.sender
                AND c.workspace_id = ch.workspace_id
              ORDER BY c.id LIMIT 1)
           FROM input
           LEFT JOIN channels ch ON ch.id = input.channel AND ch.workspace_id = input.workspace
             AND ch.disconnected_at IS NULL",
        [],
    );
    let rows: Vec<FoundRow> = tx.fetch_all(sql).await?;
    let found: HashMap<i64, Found> = rows
        .into_iter()
        .map(|(i, channel, stored, sender)| (i, (channel, stored, sender)))
        .collect();
    let mut seen: HashSet<(ChannelId, &str)> = HashSet::new();
    let mut senders: HashMap<(ChannelId, &str), ConversationId> = HashMap::new();
    let mut plans = Vec::with_capacity(messages.len());
    for (i, m) in messages.iter().enumerate() {
        let Some(&(channel, stored, sender)) = found.get(&(i as i64)) else {
            return Err(StoreError::Corrupt("a batch lookup lost a row".into()));
        };
        if channel.is_none() {
            plans.push(Plan::NoChannel);
            continue;
        }
        if stored.is_some() || !seen.insert((m.channel, m.external_id)) {
            plans.push(Plan::Repeat);
            continue;
        }
        let conversation = match (sender, senders.get(&(m.channel, m.sender))) {
            (Some(conversation), _) => ConversationId(conversation),
            (None, Some(conversation)) => *conversation,
            (None, None) => inbound::sender_conversation(tx, m).await?,
        };
        senders.insert((m.channel, m.sender), conversation);
        plans.push(Plan::Store(conversation));
    }
    Ok(plans)
}

/// Inserts the messages to store in one statement; returns their ids by batch position.
async fn insert_messages(
    tx: &mut impl Conn,
    messages: &[InboundMessage<'_>],
    stored: &[(usize, ConversationId)],
) -> StoreResult<HashMap<usize, i64>> {
    let mut sql = Sql::new(
        "INSERT INTO messages (workspace_id, conversation_id, kind, direction, sender_kind,
           channel_id, content, created_at, search_text, external_id) VALUES ",
    );
    for (n, &(i, conversation)) in stored.iter().enumerate() {
        let m = &messages[i];
        let row = if n == 0 {
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        } else {
            ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        };
        sql.push(
            row,
            [
                Bind::Int(m.workspace.0),
                Bind::Int(conversation.0),
                MessageKind::Message.as_str().into(),
                Direction::Incoming.as_str().into(),
                SenderKind::Contact.as_str().into(),
                Bind::Int(m.channel.0),
                Bind::Text(content_to_json(&m.content)?),
                Bind::Int(micros(m.received_at)),
                Bind::Text(queries::searchable_text(&m.content)),
                m.external_id.into(),
            ],
        );
    }
    sql.push(" RETURNING id, channel_id, external_id", []);
    let rows: Vec<(i64, i64, Option<String>)> = tx.fetch_all(sql).await?;
    let by_provider_id: HashMap<(i64, String), i64> = rows
        .into_iter()
        .filter_map(|(id, channel, external)| Some(((channel, external?), id)))
        .collect();
    stored
        .iter()
        .map(|&(i, _)| {
            let m = &messages[i];
            by_provider_id
                .get(&(m.channel.0, m.external_id.to_owned()))
                .map(|id| (i, *id))
                .ok_or_else(|| StoreError::Corrupt("an inserted message was not returned".into()))
        })
        .collect()
}

/// Gives each conversation the effects of its new messages, as storing them one by one
/// would: the last one is its latest and sets its channel and last incoming time, the first
/// reopens it, and each counts as unread.
async fn update_conversations(
    tx: &mut impl Conn,
    messages: &[InboundMessage<'_>],
    stored: &[(usize, ConversationId)],
    ids: &HashMap<usize, i64>,
) -> StoreResult<()> {
    struct Effect {
        workspace: i64,
        channel: i64,
        first_at: i64,
        last_at: i64,
        latest_at: i64,
        last_id: i64,
        count: i64,
    }
    let mut effects: Vec<(ConversationId, Effect)> = Vec::new();
    for &(i, conversation) in stored {
        let m = &messages[i];
        let at = micros(m.received_at);
        let id = ids[&i];
        match effects.iter_mut().find(|(c, _)| *c == conversation) {
            Some((_, e)) => {
                e.channel = m.channel.0;
                e.last_at = at;
                e.latest_at = e.latest_at.max(at);
                e.last_id = id;
                e.count += 1;
            }
            None => effects.push((
                conversation,
                Effect {
                    workspace: m.workspace.0,
                    channel: m.channel.0,
                    first_at: at,
                    last_at: at,
                    latest_at: at,
                    last_id: id,
                    count: 1,
                },
            )),
        }
    }
    let mut sql = Sql::new(
        "WITH v (id, workspace, channel, first_at, last_at, latest_at, last_id, n) AS (VALUES ",
    );
    for (n, (conversation, e)) in effects.iter().enumerate() {
        let row = if n == 0 {
            "(?, ?, ?, ?, ?, ?, ?, ?)"
        } else {
            ", (?, ?, ?, ?, ?, ?, ?, ?)"
        };
        sql.push(
            row,
            [
                conversation.0,
                e.workspace,
                e.channel,
                e.first_at,
                e.last_at,
                e.latest_at,
                e.last_id,
                e.count,
            ]
            .map(Bind::Int),
        );
    }
    sql.push(
        ") UPDATE conversations SET
             channel_id = v.channel,
             last_activity_at = CASE WHEN conversations.last_activity_at > v.latest_at
               THEN conversations.last_activity_at ELSE v.latest_at END,
             last_message_id = v.last_id,
             unread_count = conversations.unread_count + v.n,
             last_incoming_at = v.last_at,
             status_since = CASE WHEN conversations.status <> 'open' THEN v.first_at
               ELSE conversations.status_since END,
             snoozed_until = NULL,
             status = 'open'
           FROM v WHERE conversations.id = v.id AND conversations.workspace_id = v.workspace",
        [],
    );
    tx.execute(sql).await?;
    Ok(())
}

/// The stored messages and their conversations as they now are, in batch order.
async fn read_back(
    tx: &mut impl Conn,
    messages: &[InboundMessage<'_>],
    stored: &[(usize, ConversationId)],
    ids: &HashMap<usize, i64>,
) -> StoreResult<Vec<(Message, ConversationSummary)>> {
    if stored.is_empty() {
        return Ok(Vec::new());
    }
    let message_ids: Vec<i64> = stored.iter().map(|(i, _)| ids[i]).collect();
    let rows: Vec<MessageRow> = tx
        .fetch_all(in_list(
            &format!("{} WHERE m.id IN ", queries::MESSAGE_SELECT),
            &message_ids,
        ))
        .await?;
    let with_files = stored.iter().any(|(i, _)| !messages[*i].files.is_empty());
    let read: Vec<Message> = if with_files {
        queries::complete(tx, rows).await?
    } else {
        rows.into_iter()
            .map(|row| Ok(row.into_message_and_contact(Vec::new(), Vec::new())?.0))
            .collect::<StoreResult<_>>()?
    };
    let mut read: HashMap<MessageId, Message> = read.into_iter().map(|m| (m.id, m)).collect();

    let mut conversation_ids: Vec<i64> = stored.iter().map(|(_, c)| c.0).collect();
    conversation_ids.sort_unstable();
    conversation_ids.dedup();
    let rows: Vec<ConversationRow> = tx
        .fetch_all(in_list(
            &format!("{} WHERE c.id IN ", queries::CONVERSATION_SELECT),
            &conversation_ids,
        ))
        .await?;
    let conversations: HashMap<ConversationId, ConversationSummary> = rows
        .into_iter()
        .map(|row| row.into_summary().map(|c| (c.id, c)))
        .collect::<StoreResult<_>>()?;
    stored
        .iter()
        .map(|(i, conversation)| {
            let message = read.remove(&MessageId(ids[i]));
            match (message, conversations.get(conversation)) {
                (Some(message), Some(conversation)) => Ok((message, conversation.clone())),
                _ => Err(StoreError::NotFound),
            }
        })
        .collect()
}

/// `prefix (?, ?, …)` with the ids bound.
fn in_list(prefix: &str, ids: &[i64]) -> Sql {
    let mut sql = Sql::new(prefix);
    sql.push(
        &format!("({})", placeholders(ids.len())),
        ids.iter().map(|id| Bind::Int(*id)),
    );
    sql
}

/// Stores a `MessageCreated` event for each stored message under the next sequence numbers of
/// its workspace, in batch order, and has the backend announce them.
async fn insert_events<B: Backend>(
    store: &SqlStore<B>,
    tx: &mut B::Tx,
    appended: &[(Message, ConversationSummary)],
) -> StoreResult<Vec<Event>> {
    if appended.is_empty() {
        return Ok(Vec::new());
    }
    let mut counts: Vec<(WorkspaceId, i64)> = Vec::new();
    for (_, conversation) in appended {
        match counts
            .iter_mut()
            .find(|(w, _)| *w == conversation.workspace_id)
        {
            Some((_, n)) => *n += 1,
            None => counts.push((conversation.workspace_id, 1)),
        }
    }
    // The first sequence number each workspace's events take.
    let mut next: HashMap<WorkspaceId, i64> = HashMap::new();
    for (workspace, n) in &counts {
        let (last,): (i64,) = tx
            .fetch_optional(
                Sql::new(
                    "UPDATE workspaces SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq",
                )
                .bind(*n)
                .bind(workspace.0),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        next.insert(*workspace, last - n + 1);
    }
    let at = micros(Utc::now());
    let mut events = Vec::with_capacity(appended.len());
    let mut sql = Sql::new("INSERT INTO events (workspace_id, seq, at, payload) VALUES ");
    for (n, (message, conversation)) in appended.iter().enumerate() {
        let workspace = conversation.workspace_id;
        let seq = next.get_mut(&workspace).ok_or(StoreError::NotFound)?;
        let payload = EventPayload::MessageCreated {
            message: message.clone(),
            conversation: conversation.clone(),
        };
        let json =
            serde_json::to_string(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sql.push(
            if n == 0 {
                "(?, ?, ?, ?)"
            } else {
                ", (?, ?, ?, ?)"
            },
            [
                Bind::Int(workspace.0),
                Bind::Int(*seq),
                Bind::Int(at),
                Bind::Text(json),
            ],
        );
        events.push(Event {
            seq: *seq as u64,
            workspace_id: workspace,
            at: rows::time(at)?,
            payload,
        });
        *seq += 1;
    }
    tx.execute(sql).await?;
    for (workspace, _) in &counts {
        let seqs: Vec<u64> = events
            .iter()
            .filter(|e| e.workspace_id == *workspace)
            .map(|e| e.seq)
            .collect();
        store.backend.announce_all(tx, *workspace, &seqs).await?;
    }
    Ok(events)
}

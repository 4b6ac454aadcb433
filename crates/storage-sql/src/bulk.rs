//! Bulk loading for benchmarks (`cargo xtask bench`): many contacts, conversations and
//! messages written in large multi-row statements, without events. The server never uses it.
//! The data is generated deterministically (names in Latin and Cyrillic, phones, e-mails,
//! statuses, assignees, incoming and outgoing messages and comments) from a seed.

use crate::SqlStore;
use crate::backend::{Backend, Bind, Conn, Sql};
use crate::queries::searchable_text;
use crate::rows::{content_to_json, micros};
use chrono::{DateTime, Duration, Utc};
use switchboard_protocol::*;
use switchboard_storage::StoreResult;

/// What to load into an existing workspace.
#[derive(Clone, Debug)]
pub struct BulkSpec {
    pub workspace: WorkspaceId,
    pub channel: ChannelId,
    /// Members to assign conversations to and to send replies as.
    pub users: Vec<UserId>,
    pub teams: Vec<TeamId>,
    pub contacts: usize,
    pub messages_per_contact: usize,
    /// The newest message is shortly before this.
    pub now: DateTime<Utc>,
    pub seed: u64,
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Sofia",
    "Lucas",
    "Mia",
    "Hugo",
    "Anna",
    "Ivan",
    "Дмитрий",
    "Ольга",
    "Сергей",
    "Мария",
    "Алексей",
    "Юлия",
    "Priya",
    "Chen",
    "Fatima",
    "Kenji",
];
const LAST: &[&str] = &[
    "Smith",
    "Garcia",
    "Müller",
    "Rossi",
    "Dubois",
    "Kim",
    "Nowak",
    "Silva",
    "Brown",
    "Lopez",
    "Иванов",
    "Смирнова",
    "Кузнецов",
    "Попова",
    "Соколов",
    "Волкова",
    "Patel",
    "Wang",
    "Khan",
    "Sato",
];
const SENTENCES: &[&str] = &[
    "Hi, where is my order?",
    "Can I change the delivery address?",
    "The parcel arrived damaged, please help",
    "Do you ship to Norway and Sweden?",
    "Thanks, that solved it!",
    "Which roast is the least acidic?",
    "I was charged twice for the subscription",
    "Здравствуйте! Когда будет доставка?",
    "Можно заказать зерно помолотым для турки?",
    "Спасибо, всё пришло вовремя",
    "Please send the invoice with our VAT number",
    "Is the grinder back in stock next week?",
];
const REPLIES: &[&str] = &[
    "Your order left the warehouse this morning.",
    "I've refunded the duplicate charge.",
    "We ship to all of Europe within five days.",
    "Добрый день! Доставка завтра до 18:00.",
    "The invoice is on its way by e-mail.",
];
const WORDS: &[&str] = &[
    "espresso",
    "filter",
    "latte",
    "tracking",
    "refund",
    "voucher",
    "grinder",
    "kettle",
    "beans",
    "подарок",
    "скидка",
    "заказ",
    "курьер",
    "чек",
];

struct Row {
    first: &'static str,
    last: &'static str,
    email: Option<String>,
    phone: Option<String>,
    blocked: bool,
    status: &'static str,
    status_since: i64,
    snoozed_until: Option<i64>,
    assignee_user: Option<i64>,
    assignee_team: Option<i64>,
    assignee_ai: bool,
    messages: Vec<(MessageKind, Direction, Option<i64>, String, i64)>,
    unread: i64,
    last_activity: i64,
    last_incoming: Option<i64>,
    last_reply: Option<i64>,
    created: i64,
}

impl Row {
    fn search_text(&self) -> String {
        crate::rows::search_text(&[Some(self.first), Some(self.last), self.email.as_deref()])
    }

    fn phone_digits(&self) -> String {
        self.phone
            .as_deref()
            .map(contacts::phone_digits)
            .unwrap_or_default()
    }
}

fn generate(spec: &BulkSpec, rng: &mut Rng, n: usize) -> Row {
    let first = *rng.pick(FIRST);
    let last = *rng.pick(LAST);
    let email = (rng.below(10) < 7).then(|| format!("{}.{n}@example.com", first.to_lowercase()));
    let phone =
        (rng.below(2) == 0).then(|| format!("+44 20 {:04} {:04}", rng.below(10_000), n % 10_000));
    let span = Duration::days(60).num_minutes() as usize;
    let start = spec.now - Duration::minutes(rng.below(span) as i64 + 60);
    let mut at = start;
    let mut messages = Vec::with_capacity(spec.messages_per_contact);
    let (mut last_incoming, mut last_reply, mut unread) = (None, None, 0);
    for i in 0..spec.messages_per_contact {
        at += Duration::minutes(rng.below(240) as i64 + 1);
        let comment = rng.below(10) == 0;
        let incoming = !comment && (i % 2 == 0 || rng.below(4) == 0);
        let text = if incoming {
            format!("{} {}", rng.pick(SENTENCES), rng.pick(WORDS))
        } else {
            format!("{} {}", rng.pick(REPLIES), rng.pick(WORDS))
        };
        let time = micros(at.min(spec.now));
        let (kind, direction, sender) = if comment {
            (
                MessageKind::Comment,
                Direction::Outgoing,
                Some(rng.pick(&spec.users).0),
            )
        } else if incoming {
            last_incoming = Some(time);
            unread += 1;
            (MessageKind::Message, Direction::Incoming, None)
        } else {
            last_reply = Some(time);
            unread = 0;
            (
                MessageKind::Message,
                Direction::Outgoing,
                Some(rng.pick(&spec.users).0),
            )
        };
        messages.push((kind, direction, sender, text, time));
    }
    let last_activity = messages.last().map_or(micros(start), |m| m.4);
    let (status, snoozed_until) = match rng.below(10) {
        0..=3 => ("open", None),
        4..=8 => ("closed", None),
        _ => (
            "snoozed",
            Some(micros(spec.now + Duration::hours(rng.below(72) as i64 + 1))),
        ),
    };
    let assign = rng.below(20);
    Row {
        first,
        last,
        email,
        phone,
        blocked: rng.below(100) == 0,
        status,
        status_since: last_activity,
        snoozed_until,
        assignee_user: (assign < 6).then(|| rng.pick(&spec.users).0),
        assignee_team: (6..10)
            .contains(&assign)
            .then(|| spec.teams.first().map(|t| t.0))
            .flatten(),
        assignee_ai: assign == 10,
        messages,
        unread,
        last_activity,
        last_incoming,
        last_reply,
        created: micros(start),
    }
}

/// Loads `spec.contacts` contacts with their conversations and messages.
pub async fn load<B: Backend>(store: &SqlStore<B>, spec: &BulkSpec) -> StoreResult<()> {
    let mut rng = Rng(spec.seed);
    const CHUNK: usize = 400;
    let mut done = 0;
    while done < spec.contacts {
        let count = CHUNK.min(spec.contacts - done);
        let rows: Vec<Row> = (done..done + count)
            .map(|n| generate(spec, &mut rng, n))
            .collect();
        let mut tx = store.backend.begin().await?;
        let mut contacts = Sql::new(
            "INSERT INTO contacts (workspace_id, first_name, last_name, email, phone, created_at, blocked,
               search_text, first_name_key, last_name_key, email_key, phone_digits) VALUES ",
        );
        for (i, r) in rows.iter().enumerate() {
            contacts.push(
                if i == 0 {
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                } else {
                    ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                },
                [
                    Bind::Int(spec.workspace.0),
                    Bind::Text(r.first.into()),
                    Bind::Text(r.last.into()),
                    Bind::OptText(r.email.clone()),
                    Bind::OptText(r.phone.clone()),
                    Bind::Int(r.created),
                    Bind::Bool(r.blocked),
                    Bind::Text(r.search_text()),
                    Bind::Text(r.first.to_lowercase()),
                    Bind::Text(r.last.to_lowercase()),
                    Bind::Text(r.email.as_deref().unwrap_or("").to_lowercase()),
                    Bind::Text(r.phone_digits()),
                ],
            );
        }
        contacts.push(
            " RETURNING id, created_at, email_key, first_name_key, last_name_key",
            [],
        );
        let mut ids: Vec<(i64, i64, String, String, String)> = tx.fetch_all(contacts).await?;
        // RETURNING order is not promised: match rows back by what they hold.
        ids.sort_by_key(|r| r.0);
        let mut conversations = Sql::new(
            "INSERT INTO conversations (workspace_id, contact_id, channel_id, status, status_since,
               last_activity_at, unread_count, snoozed_until, assignee_user_id, assignee_team_id,
               assignee_ai, last_incoming_at, last_reply_at, created_at, blocked, search_text,
               phone_digits) VALUES ",
        );
        let mut used = vec![false; ids.len()];
        let mut order = Vec::with_capacity(rows.len());
        for r in &rows {
            let email = r.email.as_deref().unwrap_or("").to_lowercase();
            let position = ids
                .iter()
                .enumerate()
                .position(|(i, (_, created, e, f, l))| {
                    !used[i]
                        && *created == r.created
                        && *e == email
                        && *f == r.first.to_lowercase()
                        && *l == r.last.to_lowercase()
                })
                .unwrap_or(0);
            used[position] = true;
            order.push(ids[position].0);
        }
        for (i, (r, contact)) in rows.iter().zip(&order).enumerate() {
            conversations.push(
                if i == 0 {
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                } else {
                    ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                },
                [
                    Bind::Int(spec.workspace.0),
                    Bind::Int(*contact),
                    Bind::Int(spec.channel.0),
                    Bind::Text(r.status.into()),
                    Bind::Int(r.status_since),
                    Bind::Int(r.last_activity),
                    Bind::Int(r.unread),
                    Bind::OptInt(r.snoozed_until),
                    Bind::OptInt(r.assignee_user),
                    Bind::OptInt(r.assignee_team),
                    Bind::Bool(r.assignee_ai),
                    Bind::OptInt(r.last_incoming),
                    Bind::OptInt(r.last_reply),
                    Bind::Int(r.created),
                    Bind::Bool(r.blocked),
                    Bind::Text(r.search_text()),
                    Bind::Text(r.phone_digits()),
                ],
            );
        }
        conversations.push(" RETURNING id, contact_id", []);
        let conversation_ids: Vec<(i64, i64)> = tx.fetch_all(conversations).await?;
        let conversation_of = |contact: i64| {
            conversation_ids
                .iter()
                .find(|(_, c)| *c == contact)
                .map(|(id, _)| *id)
        };
        let mut batch = Sql::new("");
        let mut in_batch = 0;
        for (r, contact) in rows.iter().zip(&order) {
            let conversation = conversation_of(*contact).unwrap_or_default();
            for (kind, direction, sender, text, time) in &r.messages {
                let content = content_to_json(&Content::Text { text: text.clone() })?;
                let sender_kind = if sender.is_some() { "agent" } else { "contact" };
                let status = (*kind == MessageKind::Message && *direction == Direction::Outgoing)
                    .then(|| "read".to_owned());
                batch.push(
                    if in_batch == 0 {
                        "INSERT INTO messages (workspace_id, conversation_id, kind, direction, sender_kind,
                           sender_user_id, channel_id, content, delivery_status, created_at, search_text)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    } else {
                        ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    },
                    [
                        Bind::Int(spec.workspace.0),
                        Bind::Int(conversation),
                        Bind::Text(kind.as_str().into()),
                        Bind::Text(direction.as_str().into()),
                        Bind::Text(sender_kind.into()),
                        Bind::OptInt(*sender),
                        Bind::Int(spec.channel.0),
                        Bind::Text(content),
                        Bind::OptText(status),
                        Bind::Int(*time),
                        Bind::Text(searchable_text(&Content::Text { text: text.clone() })),
                    ],
                );
                in_batch += 1;
                if in_batch == 500 {
                    tx.execute(std::mem::replace(&mut batch, Sql::new("")))
                        .await?;
                    in_batch = 0;
                }
            }
        }
        if in_batch > 0 {
            tx.execute(batch).await?;
        }
        B::commit(tx).await?;
        done += count;
    }
    let mut tx = store.backend.begin().await?;
    tx.execute(
        Sql::new(
            "UPDATE conversations SET last_message_id =
               (SELECT MAX(m.id) FROM messages m WHERE m.conversation_id = conversations.id)
             WHERE workspace_id = ? AND last_message_id IS NULL",
        )
        .bind(spec.workspace.0),
    )
    .await?;
    B::commit(tx).await?;
    store.backend.settle().await
}

//! The demo workspace: seeded into an empty database on first start (unless `--no-demo`),
//! so a newcomer can log in and chat at once. Its logins are printed at every start.

use crate::auth::hash_password;
use crate::tokens;
use chrono::{DateTime, Duration, Utc};
use switchboard_protocol::inbox::{AgeCondition, CustomInboxRequest, InboxFilter};
use switchboard_protocol::settings::{MemberPatch, SnippetRequest};
use switchboard_protocol::*;
use switchboard_storage::*;

/// Every demo user's password.
pub const DEMO_PASSWORD: &str = "switchboard-demo";

/// (name, e-mail, role) of the demo users.
/// (name, e-mail, role in the first workspace) of the demo users. Anna also belongs to the
/// second workspace (N1); Li only to the second.
pub const DEMO_USERS: [(&str, &str, Role); 4] = [
    ("Anna Petrova", "anna@northwind.example", Role::Agent),
    ("Boris Kim", "boris@northwind.example", Role::Agent),
    ("Maria Lopez", "maria@northwind.example", Role::Manager),
    ("Li Wei", "li@aurora.example", Role::Owner),
];

const WORKSPACE: &str = "Northwind Coffee";
const SECOND_WORKSPACE: &str = "Aurora Books";

/// Who writes a demo message.
#[derive(Clone, Copy)]
enum By {
    Contact,
    /// Index into the demo users.
    Agent(usize),
    /// An internal comment by a demo user.
    Comment(usize),
    Image,
}

/// (minutes ago, author, text).
type Line = (i64, By, &'static str);

struct DemoContact {
    first: &'static str,
    last: &'static str,
    email: Option<&'static str>,
    phone: Option<&'static str>,
    lines: &'static [Line],
    /// Incoming messages still unread.
    unread: bool,
    end: End,
}

#[derive(Clone, Copy, PartialEq)]
enum End {
    Open,
    Closed,
    SnoozedForDays(i64),
}

use By::{Agent, Comment, Contact, Image};

/// Who handles a demo conversation: a demo user (index) or the Support team.
enum Who {
    User(usize),
    Team,
}

/// The first workspace's assignments, by contact first name (the rest are unassigned).
const ASSIGNED: &[(&str, Who)] = &[
    ("Grace", Who::User(0)),
    ("Chloé", Who::User(0)),
    ("Ahmed", Who::User(1)),
    ("James", Who::Team),
    ("Noah", Who::Team),
];

/// A blocked contact, so the Blocked folder has something to show managers.
const SPAMMER: DemoContact = DemoContact {
    first: "Crypto",
    last: "Deals",
    email: Some("win-big@spam.example"),
    phone: None,
    lines: &[(900, Contact, "🚀 Earn 500% in a week! Click my link!!!")],
    unread: false,
    end: End::Open,
};

/// The second workspace's conversations (Anna is `Agent(0)`, Li is `Agent(3)`).
const SECOND_CONTACTS: &[DemoContact] = &[
    DemoContact {
        first: "Hugo",
        last: "Laurent",
        email: Some("hugo.laurent@example.fr"),
        phone: Some("+33 1 55 50 98 76"),
        lines: &[
            (
                50,
                Contact,
                "Do you have the new translation of *Anna Karenina* in hardback?",
            ),
            (
                45,
                Agent(3),
                "We do: two copies left. Shall I put one aside for you?",
            ),
            (3, Contact, "Yes please, I'll pick it up on Saturday."),
        ],
        unread: true,
        end: End::Open,
    },
    DemoContact {
        first: "Мария",
        last: "Волкова",
        email: Some("m.volkova@example.ru"),
        phone: None,
        lines: &[(
            600,
            Contact,
            "Здравствуйте! Есть ли у вас книги на русском языке?",
        )],
        unread: false,
        end: End::Open,
    },
    DemoContact {
        first: "Sam",
        last: "Okafor",
        email: Some("sam.okafor@example.com"),
        phone: None,
        lines: &[
            (3000, Contact, "My order arrived, thank you!"),
            (2990, Agent(0), "Happy reading, Sam!"),
        ],
        unread: false,
        end: End::Closed,
    },
];

const CONTACTS: &[DemoContact] = &[
    DemoContact {
        first: "Olivia",
        last: "Bennett",
        email: Some("olivia.bennett@example.com"),
        phone: Some("+44 20 7946 0321"),
        lines: &[
            (
                95,
                Contact,
                "Hi! I ordered the Ethiopia Yirgacheffe beans on Monday. Any idea when they ship?",
            ),
            (
                90,
                Agent(0),
                "Hi Olivia! Your order left the roastery this morning. The tracking link arrives by e-mail within the hour.",
            ),
            (
                4,
                Contact,
                "Got it, thank you! Could I add a second bag to the same parcel?",
            ),
        ],
        unread: true,
        end: End::Open,
    },
    DemoContact {
        first: "Дмитрий",
        last: "Соколов",
        email: Some("d.sokolov@example.ru"),
        phone: Some("+7 912 555-01-23"),
        lines: &[
            (
                300,
                Contact,
                "Здравствуйте! Можно заказать зерно, смолотое для турки?",
            ),
            (
                290,
                Agent(1),
                "Добрый день, Дмитрий! Да: в корзине выберите помол **«очень мелкий»**.",
            ),
            (
                12,
                Contact,
                "Отлично, спасибо! А доставка в Казань бесплатная?",
            ),
        ],
        unread: true,
        end: End::Open,
    },
    DemoContact {
        first: "Priya",
        last: "Raman",
        email: Some("priya.raman@example.com"),
        phone: None,
        lines: &[
            (45, Image, "My first rosetta with your Colombia blend!"),
            (
                44,
                Contact,
                "The milk steamed so much better with the tips from your blog.",
            ),
        ],
        unread: true,
        end: End::Open,
    },
    DemoContact {
        first: "Marco",
        last: "Rossi",
        email: Some("marco@caffe-rossi.example"),
        phone: Some("+39 02 5550 1234"),
        lines: &[
            (
                1500,
                Contact,
                "Buongiorno! We run a small café in Milan. Do you offer wholesale prices for 20 kg a month?",
            ),
            (
                1440,
                Comment(2),
                "He is a wholesale lead: loop in sales before offering any discount.",
            ),
            (
                1430,
                Agent(0),
                "Buongiorno Marco! We do. I've asked our wholesale team to send you the price list today.",
            ),
        ],
        unread: false,
        end: End::Open,
    },
    DemoContact {
        first: "Emma",
        last: "Schultz",
        email: Some("emma.schultz@example.de"),
        phone: None,
        lines: &[
            (
                4000,
                Contact,
                "The bag arrived torn open, half the beans spilled.",
            ),
            (
                3990,
                Agent(1),
                "I'm so sorry, Emma! I've refunded the bag in full and a new one ships tomorrow.",
            ),
            (3900, Contact, "That was quick. Thank you!"),
        ],
        unread: false,
        end: End::Closed,
    },
    DemoContact {
        first: "Lucas",
        last: "Martin",
        email: Some("lucas.martin@example.fr"),
        phone: Some("+33 1 55 50 12 34"),
        lines: &[
            (
                200,
                Contact,
                "Is the Comandante grinder back in stock next week?",
            ),
            (
                190,
                Agent(0),
                "Our warehouse confirms deliveries on Mondays. I'll check then and write back to you.",
            ),
        ],
        unread: false,
        end: End::SnoozedForDays(2),
    },
    DemoContact {
        first: "Sofia",
        last: "Hernández",
        email: Some("sofia.h@example.es"),
        phone: None,
        lines: &[(
            30,
            Contact,
            "Which of your roasts is the least acidic? My stomach is sensitive.",
        )],
        unread: true,
        end: End::Open,
    },
    DemoContact {
        first: "Анна",
        last: "Кузнецова",
        email: None,
        phone: Some("+7 903 555-44-11"),
        lines: &[
            (
                720,
                Contact,
                "Добрый вечер! Подарочные сертификаты у вас есть?",
            ),
            (
                700,
                Agent(1),
                "Есть! Номиналы от 1 000 до 10 000 ₽, сертификат приходит на почту сразу после оплаты.",
            ),
            (690, Contact, "Супер, беру 🙂"),
        ],
        unread: false,
        end: End::Open,
    },
    DemoContact {
        first: "James",
        last: "O'Connor",
        email: Some("james.oconnor@example.ie"),
        phone: None,
        lines: &[
            (
                60,
                Contact,
                "My subscription charged twice this month: order #4821 and #4822.",
            ),
            (
                55,
                Comment(0),
                "Checked the payment provider: the second charge is a pending authorisation, it drops off in 3 days.",
            ),
        ],
        unread: true,
        end: End::Open,
    },
    DemoContact {
        first: "Yuki",
        last: "Tanaka",
        email: Some("yuki.tanaka@example.jp"),
        phone: None,
        lines: &[
            (2000, Contact, "Do you ship to Osaka?"),
            (1990, Agent(0), "We do! Shipping to Japan takes 5–7 days."),
        ],
        unread: false,
        end: End::Open,
    },
    DemoContact {
        first: "Chloé",
        last: "Dubois",
        email: Some("chloe.dubois@example.fr"),
        phone: None,
        lines: &[(8, Contact, "Bonjour ! Is the decaf Swiss Water processed?")],
        unread: true,
        end: End::Open,
    },
    DemoContact {
        first: "Ahmed",
        last: "Hassan",
        email: Some("ahmed.hassan@example.com"),
        phone: Some("+20 2 5550 9876"),
        lines: &[
            (
                5000,
                Contact,
                "Can I change my delivery address after ordering?",
            ),
            (
                4990,
                Agent(1),
                "Yes, until the order is packed. I've updated it for you.",
            ),
        ],
        unread: false,
        end: End::Open,
    },
    DemoContact {
        first: "Ольга",
        last: "Смирнова",
        email: Some("olga.smirnova@example.ru"),
        phone: None,
        lines: &[(
            150,
            Contact,
            "Подскажите, сколько дней хранится молотый кофе после вскрытия?",
        )],
        unread: false,
        end: End::Open,
    },
    DemoContact {
        first: "Noah",
        last: "Williams",
        email: Some("noah.w@example.com"),
        phone: None,
        lines: &[
            (
                400,
                Contact,
                "What's the difference between your espresso and filter roasts?",
            ),
            (
                380,
                Agent(0),
                "Espresso roasts are developed longer for body and sweetness under pressure; filter roasts are lighter to keep the fruit notes.",
            ),
            (370, Contact, "Makes sense, I'll try the filter one."),
        ],
        unread: false,
        end: End::Open,
    },
    DemoContact {
        first: "Lena",
        last: "Fischer",
        email: Some("lena.fischer@example.de"),
        phone: None,
        lines: &[(
            20,
            Contact,
            "Hallo! Could you send me the invoice for order #5110 with our VAT number?",
        )],
        unread: true,
        end: End::Open,
    },
    DemoContact {
        first: "Mateo",
        last: "García",
        email: None,
        phone: Some("+34 91 555 0147"),
        lines: &[
            (3000, Contact, "Thanks for the sample pack!"),
            (
                2990,
                Agent(1),
                "Enjoy it, Mateo! Tell us which one you liked most.",
            ),
        ],
        unread: false,
        end: End::Closed,
    },
    DemoContact {
        first: "Grace",
        last: "Lee",
        email: Some("grace.lee@example.com"),
        phone: None,
        lines: &[(240, Contact, "Is the Kenya AA available in 1 kg bags?")],
        unread: false,
        end: End::Open,
    },
    DemoContact {
        first: "Илья",
        last: "Морозов",
        email: None,
        phone: Some("+7 921 555-19-84"),
        lines: &[(600, Contact, "Добрый день! Вы принимаете оплату по СБП?")],
        unread: false,
        end: End::Open,
    },
    DemoContact {
        first: "Hannah",
        last: "Novak",
        email: Some("hannah.novak@example.cz"),
        phone: None,
        lines: &[],
        unread: false,
        end: End::Closed,
    },
    DemoContact {
        first: "Oscar",
        last: "Lindqvist",
        email: Some("oscar.lindqvist@example.se"),
        phone: None,
        lines: &[],
        unread: false,
        end: End::Closed,
    },
];

/// (name, text) of the first workspace's snippets. `{{key|fallback}}` variables are filled in
/// by the app when the reply is sent.
pub const SNIPPETS: [(&str, &str); 5] = [
    (
        "greeting",
        "Hi {{first_name|there}}! Thanks for writing to Northwind Coffee — how can I help?",
    ),
    (
        "shipping",
        "We ship within the EU in 2–3 working days. As soon as your order leaves our roastery, \
         you get an e-mail with its tracking link.",
    ),
    (
        "refund",
        "No problem: you can return any order within 30 days of delivery for a full refund. \
         Reply here with your order number and we will take care of it.",
    ),
    (
        "closing",
        "Glad I could help, {{first_name|}}! Have a great day.",
    ),
    (
        "callback",
        "I will call you back at {{phone}} within the hour.",
    ),
];

/// Seeds the demo workspace when the database has no users yet.
pub async fn seed_if_empty(store: &dyn Store) -> StoreResult<()> {
    if store.user_count().await? > 0 {
        return Ok(());
    }
    let now = Utc::now();
    let workspace = store.create_workspace(WORKSPACE).await?;
    let hash =
        hash_password(DEMO_PASSWORD).map_err(|e| StoreError::Backend(e.to_string().into()))?;
    let second = store.create_workspace(SECOND_WORKSPACE).await?;
    let mut users = Vec::new();
    for (name, email, role) in DEMO_USERS {
        let user = store
            .create_user(NewUser {
                name,
                email,
                password_hash: &hash,
            })
            .await?;
        if email.ends_with("@northwind.example") {
            store.add_member(workspace, user.id, role).await?;
        }
        users.push(user.id);
    }
    // Anna works for both; Li owns the second. Boris does not see phone numbers (P4).
    store.add_member(second, users[0], Role::Agent).await?;
    store.add_member(second, users[3], Role::Owner).await?;
    store
        .update_member(
            workspace,
            users[1],
            &MemberPatch {
                role: None,
                permissions: Some(Permissions {
                    view_blocked: false,
                    phone_masked: true,
                }),
            },
        )
        .await?;
    let team = store.create_team(workspace, "Support").await?;
    for user in &users[..2] {
        store.add_team_member(workspace, team, *user).await?;
    }
    let channel = store
        .create_channel(NewChannel {
            workspace,
            kind: ChannelKind::WebsiteChat,
            name: WORKSPACE,
            public_key: Some(&tokens::new_public_key()),
        })
        .await?;
    for contact in CONTACTS {
        let conversation = seed_contact(store, workspace, channel.id, &users, contact, now).await?;
        let assignee = ASSIGNED
            .iter()
            .find(|(first, _)| *first == contact.first)
            .map(|(_, who)| match who {
                Who::User(i) => AssigneeRef::User { id: users[*i] },
                Who::Team => AssigneeRef::Team { id: team },
            });
        if assignee.is_some() {
            store.assign(workspace, conversation.id, assignee).await?;
        }
    }
    let spam = seed_contact(store, workspace, channel.id, &users, &SPAMMER, now).await?;
    store.set_blocked(workspace, spam.contact.id, true).await?;
    // Maria's saved filter, shared with the Support team (T2).
    store
        .create_custom_inbox(
            workspace,
            users[2],
            &CustomInboxRequest {
                name: "Waiting over an hour".into(),
                filter: InboxFilter {
                    statuses: vec![ConversationStatus::Open],
                    last_incoming: Some(AgeCondition::OlderThanMinutes { minutes: 60 }),
                    ..InboxFilter::default()
                },
                shared_with_users: vec![],
                shared_with_teams: vec![team],
            },
        )
        .await?;
    // The saved replies agents insert with `/` (K5); the app fills the variables in.
    for (name, text) in SNIPPETS {
        store
            .create_snippet(
                workspace,
                &SnippetRequest {
                    name: name.into(),
                    text: text.into(),
                    files: vec![],
                },
                users[2],
            )
            .await?;
    }
    let second_channel = store
        .create_channel(NewChannel {
            workspace: second,
            kind: ChannelKind::WebsiteChat,
            name: SECOND_WORKSPACE,
            public_key: Some(&tokens::new_public_key()),
        })
        .await?;
    // In the second workspace, Anna is user 0 and Li user 3 of `users`.
    for contact in SECOND_CONTACTS {
        seed_contact(store, second, second_channel.id, &users, contact, now).await?;
    }
    tracing::info!("seeded the demo workspaces");
    Ok(())
}

async fn seed_contact(
    store: &dyn Store,
    workspace: WorkspaceId,
    channel: ChannelId,
    users: &[UserId],
    contact: &DemoContact,
    now: DateTime<Utc>,
) -> StoreResult<ConversationSummary> {
    let first_at = contact
        .lines
        .first()
        .map_or(3 * 24 * 60, |line| line.0 + 60);
    let conversation = store
        .create_contact(NewContact {
            workspace,
            channel,
            first_name: contact.first,
            last_name: contact.last,
            email: contact.email,
            phone: contact.phone,
            fields: &[],
            created_at: now - Duration::minutes(first_at),
        })
        .await?;
    for &(minutes_ago, by, text) in contact.lines {
        let (kind, direction, sender_kind, sender_user, content) = match by {
            Contact => (
                MessageKind::Message,
                Direction::Incoming,
                SenderKind::Contact,
                None,
                Content::Text { text: text.into() },
            ),
            Image => (
                MessageKind::Message,
                Direction::Incoming,
                SenderKind::Contact,
                None,
                Content::Image {
                    url: "/public/demo/latte-art.svg".into(),
                    caption: Some(text.into()),
                },
            ),
            Agent(i) | Comment(i) => (
                if matches!(by, Agent(_)) {
                    MessageKind::Message
                } else {
                    MessageKind::Comment
                },
                Direction::Outgoing,
                SenderKind::Agent,
                Some(users[i]),
                Content::Text { text: text.into() },
            ),
        };
        store
            .append_message(NewMessage {
                original: None,
                workspace,
                conversation: conversation.id,
                client_id: None,
                kind,
                direction,
                sender_kind,
                sender_user,
                content,
                delivery_status: (kind == MessageKind::Message && direction == Direction::Outgoing)
                    .then_some(DeliveryStatus::Read),
                created_at: now - Duration::minutes(minutes_ago),
                reply_to: None,
                mentions: Vec::new(),
                attachments: Vec::new(),
                channel: None,
            })
            .await?;
    }
    if !contact.unread {
        store.mark_read(workspace, conversation.id).await?;
    }
    match contact.end {
        End::Open => {}
        End::Closed => {
            if !contact.lines.is_empty() {
                store
                    .transition(
                        workspace,
                        conversation.id,
                        Transition::Close {
                            note: None,
                            by: None,
                        },
                        now,
                    )
                    .await?;
            }
        }
        End::SnoozedForDays(days) => {
            let until = now + Duration::days(days);
            store
                .transition(
                    workspace,
                    conversation.id,
                    Transition::Snooze { until },
                    now,
                )
                .await?;
        }
    }
    Ok(conversation)
}

/// The lines printed at start when the demo workspace exists: its logins and its chat URL.
pub async fn describe(store: &dyn Store, base_url: &str) -> StoreResult<Vec<String>> {
    let mut lines = Vec::new();
    let mut workspaces = Vec::new();
    for (_, email, role) in DEMO_USERS {
        let Some(credentials) = store.user_credentials(email).await? else {
            return Ok(Vec::new());
        };
        lines.push(format!(
            "demo login: {email} {DEMO_PASSWORD} ({})",
            role.as_str()
        ));
        for membership in store.memberships(credentials.user.id).await? {
            let demo = membership.name == WORKSPACE || membership.name == SECOND_WORKSPACE;
            if demo && !workspaces.iter().any(|(id, _)| *id == membership.id) {
                workspaces.push((membership.id, membership.name == WORKSPACE));
            }
        }
    }
    // The first workspace's chat first.
    workspaces.sort_by_key(|(_, first)| !first);
    for (workspace, _) in workspaces {
        for channel in store.channels(workspace).await? {
            if let (ChannelKind::WebsiteChat, Some(key)) = (channel.kind, channel.public_key) {
                lines.push(format!("demo website chat: {base_url}/chat/{key}"));
            }
        }
    }
    Ok(lines)
}

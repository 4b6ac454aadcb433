//! Conformance stories of messages arriving together (CH): webhooks delivered at the same
//! moment are stored exactly as storing them one at a time would store them, whatever the
//! store does to keep up (a backend may store them in one transaction).

#![allow(clippy::unwrap_used)] // Test code: a failed step is a failed story.

use super::channel_stories::{inbound, received, telegram};
use super::{Fixture, S, fixture, t};
use crate::*;
use futures_util::future::join_all;
use std::collections::HashMap;

/// A workspace with a Telegram channel, a second one already disconnected, and a contact
/// who wrote once and whose conversation was snoozed since.
struct Setting {
    f: Fixture,
    tg: Channel,
    gone: Channel,
}

async fn setting(store: &S, name: &str) -> Setting {
    let f = fixture(store, name).await;
    let tg = telegram(store, &f).await;
    let gone = store
        .create_channel(NewChannel {
            workspace: f.workspace,
            kind: ChannelKind::Telegram,
            name: "Old bot",
            public_key: Some(&format!("gone-{}", f.workspace)),
        })
        .await
        .unwrap();
    store
        .disconnect_channel(f.workspace, gone.id)
        .await
        .unwrap();
    let first = received(
        store,
        inbound(&tg, "100", "100:1", "Where is my parcel?", t(0)),
    )
    .await;
    store
        .transition(
            f.workspace,
            first.conversation.id,
            Transition::Snooze { until: t(600) },
            t(1),
        )
        .await
        .unwrap();
    Setting { f, tg, gone }
}

/// What arrives: (channel, sender, provider id, text, reply to, e-mail, files).
type Arrival = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    usize,
);

const ARRIVALS: [Arrival; 10] = [
    ("tg", "100", "100:2", "Any news?", None, None, 0),
    ("tg", "200", "200:1", "Hello, new here", None, None, 0),
    (
        "tg",
        "200",
        "200:2",
        "About my first message",
        Some("200:1"),
        None,
        0,
    ),
    ("tg", "100", "100:1", "Where is my parcel?", None, None, 0),
    ("tg", "200", "200:1", "Hello, new here", None, None, 0),
    (
        "tg",
        "100",
        "100:3",
        "Still the parcel",
        Some("100:1"),
        None,
        0,
    ),
    ("gone", "300", "300:1", "Through the old bot", None, None, 0),
    (
        "tg",
        "400",
        "400:1",
        "I am Dana",
        None,
        Some("dana@example.test"),
        0,
    ),
    (
        "tg",
        "401",
        "401:1",
        "Dana again, other chat",
        None,
        Some("DANA@example.test"),
        0,
    ),
    ("tg", "100", "100:4", "Receipt attached", None, None, 2),
];

fn messages(s: &Setting, minute: i64) -> Vec<InboundMessage<'static>> {
    ARRIVALS
        .iter()
        .enumerate()
        .map(
            |(n, &(channel, sender, id, text, reply_to, email, files))| {
                let channel = if channel == "tg" { &s.tg } else { &s.gone };
                let mut m = inbound(channel, sender, id, text, t(minute + n as i64));
                m.reply_to = reply_to;
                m.email = email;
                m.files = (0..files)
                    .map(|i| InboundFile {
                        name: format!("receipt-{i}.png"),
                        content_type: "image/png".into(),
                        size: 100 + i as u64,
                        storage_key: format!("{}-{id}-{i}", s.f.workspace),
                    })
                    .collect();
                m
            },
        )
        .collect()
}

/// What a workspace looks like after the arrivals, without ids: each answer; each
/// conversation an answer named, with its status, unread count and thread (text, the text
/// it quotes, its files); and the events since `after`.
async fn outcome(
    store: &S,
    s: &Setting,
    answers: Vec<StoreResult<Received>>,
    after: u64,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut said = Vec::new();
    let mut conversations: Vec<ConversationId> = Vec::new();
    let mut returned: HashMap<MessageId, Message> = HashMap::new();
    for answer in answers {
        said.push(match answer {
            Ok(Received::Stored(appended)) => {
                if !conversations.contains(&appended.conversation.id) {
                    conversations.push(appended.conversation.id);
                }
                let text = appended.message.content.preview_text();
                // The event carries what the answer carries.
                let event = appended.event.unwrap();
                assert_eq!(
                    event.payload,
                    EventPayload::MessageCreated {
                        message: appended.message.clone(),
                        conversation: appended.conversation.clone(),
                    }
                );
                returned.insert(appended.message.id, appended.message);
                format!("stored {text}")
            }
            Ok(Received::Duplicate) => "repeat".to_owned(),
            Err(StoreError::NotFound) => "no such channel".to_owned(),
            Err(other) => format!("error {other}"),
        });
    }
    let mut threads = Vec::new();
    for c in &conversations {
        let conversation = store.conversation(s.f.workspace, *c).await.unwrap();
        let thread = store
            .messages(
                s.f.workspace,
                *c,
                PageRequest {
                    after: None,
                    limit: 100,
                },
            )
            .await
            .unwrap()
            .items;
        let mut lines = vec![format!(
            "{} {} — {:?} since {} — unread {} — last from {:?}",
            conversation.contact.first_name,
            conversation.contact.email.as_deref().unwrap_or("-"),
            conversation.status,
            conversation.status_since,
            conversation.unread_count,
            conversation.last_incoming_at,
        )];
        for m in thread.iter().rev() {
            if let Some(r) = returned.get(&m.id) {
                assert_eq!(r, m, "the answer shows the message as stored");
            }
            let files: Vec<&str> = m.attachments.iter().map(|a| a.name.as_str()).collect();
            lines.push(format!(
                "  {} at {} quoting {:?} with {files:?}",
                m.content.preview_text(),
                m.created_at,
                m.reply_to.as_ref().map(|r| r.text.as_str()),
            ));
        }
        threads.push(lines.join("\n"));
    }
    let events = store
        .events_since(s.f.workspace, after, 100)
        .await
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(n, e)| {
            assert_eq!(e.seq, after + 1 + n as u64, "sequence numbers without gaps");
            match e.payload {
                EventPayload::MessageCreated { message, .. } => {
                    format!("created {}", message.content.preview_text())
                }
                other => format!("{other:?}"),
            }
        })
        .collect();
    (said, threads, events)
}

/// Messages arriving at the same moment, from several workspaces, are stored as storing them
/// one at a time would: repeats (of stored messages and within the arrivals) store nothing,
/// replies find messages that arrived with them, a sender new to the channel becomes one
/// contact (and joins the contact with the same address), files keep their order, a
/// disconnected channel takes nothing, conversations reopen and count every message, and
/// every stored message has its event, in order, numbered without gaps.
pub async fn messages_arriving_together_are_stored_as_one_at_a_time(store: S) {
    let apart = setting(&store, "Apart").await;
    let together = setting(&store, "Together").await;
    let elsewhere = setting(&store, "Elsewhere").await;
    let (apart_seq, together_seq, elsewhere_seq) = (
        store.last_seq(apart.f.workspace).await.unwrap(),
        store.last_seq(together.f.workspace).await.unwrap(),
        store.last_seq(elsewhere.f.workspace).await.unwrap(),
    );

    let mut one_by_one = Vec::new();
    for m in messages(&apart, 10) {
        one_by_one.push(store.receive_message(m).await);
    }
    // Polled together: all of them are waiting while the first (another workspace's) is
    // stored, then arrive at once.
    let mut arriving = messages(&together, 10);
    arriving.insert(
        0,
        inbound(&elsewhere.tg, "100", "100:9", "From elsewhere", t(9)),
    );
    let mut at_once = join_all(arriving.into_iter().map(|m| store.receive_message(m))).await;
    let from_elsewhere = at_once.remove(0);

    let expected = outcome(&store, &apart, one_by_one, apart_seq).await;
    assert_eq!(
        expected.0,
        [
            "stored Any news?",
            "stored Hello, new here",
            "stored About my first message",
            "repeat",
            "repeat",
            "stored Still the parcel",
            "no such channel",
            "stored I am Dana",
            "stored Dana again, other chat",
            "stored Receipt attached",
        ]
    );
    assert_eq!(
        expected.1.len(),
        3,
        "three conversations: {:#?}",
        expected.1
    );
    assert!(
        expected.1[0].contains("Open since 2026-03-01 09:10:00 UTC — unread 4"),
        "{}",
        expected.1[0]
    );
    assert!(
        expected.1[0].contains(
            "Still the parcel at 2026-03-01 09:15:00 UTC quoting Some(\"Where is my parcel?\")"
        ),
        "{}",
        expected.1[0]
    );
    assert!(
        expected.1[1].contains(
            "About my first message at 2026-03-01 09:12:00 UTC quoting Some(\"Hello, new here\")"
        ),
        "{}",
        expected.1[1]
    );
    assert!(
        expected.1[2].contains("Dana again, other chat"),
        "the second chat joins Dana by her address: {}",
        expected.1[2]
    );
    assert!(
        expected.1[0].contains("[\"receipt-0.png\", \"receipt-1.png\"]"),
        "{}",
        expected.1[0]
    );
    assert_eq!(expected.2.len(), 7, "{:?}", expected.2);
    assert_eq!(
        outcome(&store, &together, at_once, together_seq).await,
        expected
    );

    // The other workspace's message went with them and stayed its own.
    let from_elsewhere = match from_elsewhere.unwrap() {
        Received::Stored(appended) => appended,
        Received::Duplicate => panic!("a new message was taken for a repeat"),
    };
    assert_eq!(
        from_elsewhere.conversation.workspace_id,
        elsewhere.f.workspace
    );
    assert_eq!(from_elsewhere.conversation.unread_count, 2);
    let events = store
        .events_since(elsewhere.f.workspace, elsewhere_seq, 10)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].seq, elsewhere_seq + 1);
    assert_eq!(Some(&events[0]), from_elsewhere.event.as_ref());
}

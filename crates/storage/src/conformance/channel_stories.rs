//! Conformance stories of provider channels (CH) and the outbox (C1): messages received
//! through a provider, stored once per provider id; pending replies queued, claimed under a
//! lease, sent, failed and retried; status reports that only move forward; channels, their
//! credentials and disconnecting them, all scoped to their workspace.

#![allow(clippy::unwrap_used)] // Test code: a failed step is a failed story.

use super::{Fixture, S, contact, fixture, incoming, reply, t, viewer};
use crate::*;
use switchboard_protocol::channels::ContactChannel;

/// A Telegram channel of the fixture's workspace.
pub async fn telegram(store: &S, f: &Fixture) -> Channel {
    store
        .create_channel(NewChannel {
            workspace: f.workspace,
            kind: ChannelKind::Telegram,
            name: "Bot",
            public_key: Some(&format!("tg-{}", f.workspace)),
        })
        .await
        .unwrap()
}

/// A text message from `sender` (a Telegram chat id) with provider id `external_id`.
pub fn inbound<'a>(
    channel: &Channel,
    sender: &'a str,
    external_id: &'a str,
    text: &str,
    at: DateTime<Utc>,
) -> InboundMessage<'a> {
    InboundMessage {
        workspace: channel.workspace,
        channel: channel.id,
        sender,
        first_name: "Tanya",
        last_name: "Gram",
        phone: None,
        email: None,
        external_id,
        reply_to: None,
        content: Content::Text { text: text.into() },
        received_at: at,
        files: Vec::new(),
    }
}

/// Receives a message that must be new; its stored result.
pub async fn received(store: &S, message: InboundMessage<'_>) -> Appended {
    match store.receive_message(message).await.unwrap() {
        Received::Stored(appended) => appended,
        Received::Duplicate => panic!("a new message was taken for a repeat"),
    }
}

/// An agent's reply waiting to be delivered.
pub fn pending(
    f: &Fixture,
    conversation: ConversationId,
    client_id: &str,
    text: &str,
    at: DateTime<Utc>,
) -> NewMessage {
    NewMessage {
        original: None,
        delivery_status: Some(DeliveryStatus::Pending),
        ..reply(f, conversation, client_id, text, at)
    }
}

/// Long after every time the stories use: everything queued is due.
fn later() -> DateTime<Utc> {
    t(10_000_000)
}

fn updated(event: &Event) -> (&Message, &ConversationSummary) {
    match &event.payload {
        EventPayload::MessageUpdated {
            message,
            conversation,
        } => (message, conversation),
        other => panic!("expected MessageUpdated, got {other:?}"),
    }
}

async fn thread(store: &S, workspace: WorkspaceId, c: ConversationId) -> Vec<Message> {
    store
        .messages(
            workspace,
            c,
            PageRequest {
                after: None,
                limit: 100,
            },
        )
        .await
        .unwrap()
        .items
}

async fn status_of(store: &S, f: &Fixture, c: ConversationId, id: MessageId) -> Message {
    thread(store, f.workspace, c)
        .await
        .into_iter()
        .find(|m| m.id == id)
        .expect("the message is in its thread")
}

pub async fn a_first_provider_message_creates_its_contact_and_later_ones_join_it(store: S) {
    let f = fixture(&store, "Inbound").await;
    let tg = telegram(&store, &f).await;
    let mut hello = inbound(&tg, "100", "100:1", "Hi there", t(1));
    hello.phone = Some("+31 6 1234 5678");
    let first = received(&store, hello).await;
    let c = &first.conversation;
    assert_eq!(c.channel, ChannelKind::Telegram);
    assert_eq!(c.channel_id, tg.id);
    assert_eq!(c.status, ConversationStatus::Open);
    assert_eq!(c.unread_count, 1);
    assert_eq!(c.last_incoming_at, Some(t(1)));
    assert!(c.awaiting_reply);
    assert_eq!(c.contact.first_name, "Tanya");
    assert_eq!(c.contact.last_name, "Gram");
    assert_eq!(c.contact.phone.as_deref(), Some("+31 6 1234 5678"));
    let contact = store.contact(f.workspace, c.contact.id).await.unwrap();
    assert_eq!(
        contact.created_at,
        t(1),
        "the contact dates from its first message"
    );
    assert_eq!(contact.conversation_id, c.id);
    let m = &first.message;
    assert_eq!(m.channel, ChannelKind::Telegram);
    assert_eq!(m.kind, MessageKind::Message);
    assert_eq!(m.direction, Direction::Incoming);
    assert_eq!(m.sender.kind, SenderKind::Contact);
    assert_eq!(m.sender.name, "Tanya Gram");
    assert_eq!(m.delivery_status, None);
    assert_eq!(m.reply_to, None);
    let event = first.event.expect("an event");
    assert_eq!(event.seq, 1);
    assert!(matches!(
        &event.payload,
        EventPayload::MessageCreated { message, conversation }
            if message == m && conversation == c
    ));

    // The same sender again: the same contact and conversation, names left as they are.
    let mut again = inbound(&tg, "100", "100:2", "Are you there?", t(2));
    again.first_name = "Renamed";
    let second = received(&store, again).await;
    assert_eq!(second.conversation.id, c.id);
    assert_eq!(second.conversation.unread_count, 2);
    assert_eq!(second.conversation.contact.first_name, "Tanya");
    assert_eq!(second.event.unwrap().seq, 2);
    // Another sender: another contact.
    let other = received(&store, inbound(&tg, "200", "200:1", "Hello", t(3))).await;
    assert_ne!(other.conversation.id, c.id);
    assert_ne!(other.conversation.contact.id, c.contact.id);

    // An incoming message reopens a closed conversation and wakes a snoozed one.
    store
        .transition(
            f.workspace,
            c.id,
            Transition::Close {
                note: None,
                by: None,
            },
            t(4),
        )
        .await
        .unwrap();
    let reopened = received(&store, inbound(&tg, "100", "100:3", "One more", t(5))).await;
    assert_eq!(reopened.conversation.status, ConversationStatus::Open);
    assert_eq!(reopened.conversation.status_since, t(5));
    store
        .transition(
            f.workspace,
            c.id,
            Transition::Snooze { until: t(600) },
            t(6),
        )
        .await
        .unwrap();
    let woken = received(&store, inbound(&tg, "100", "100:4", "Hello?", t(7))).await;
    assert_eq!(woken.conversation.status, ConversationStatus::Open);
    assert_eq!(woken.conversation.snoozed_until, None);
    // A blocked contact's messages are still kept.
    store
        .set_blocked(f.workspace, c.contact.id, true)
        .await
        .unwrap();
    let blocked = received(&store, inbound(&tg, "100", "100:5", "Let me in", t(8))).await;
    assert!(blocked.conversation.contact.blocked);
    assert_eq!(thread(&store, f.workspace, c.id).await.len(), 5);

    let seqs: Vec<u64> = store
        .events_since(f.workspace, 0, 100)
        .await
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, (1..=9).collect::<Vec<_>>(), "gap-free");

    // A channel is received on in its own workspace only.
    let stranger = fixture(&store, "Stranger").await;
    let mut foreign = inbound(&tg, "100", "100:6", "x", t(9));
    foreign.workspace = stranger.workspace;
    let refused = store.receive_message(foreign).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    assert_eq!(store.last_seq(stranger.workspace).await.unwrap(), 0);
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), 9);
}

pub async fn a_repeated_provider_message_is_stored_once(store: S) {
    let f = fixture(&store, "Repeats").await;
    let tg = telegram(&store, &f).await;
    let first = received(&store, inbound(&tg, "100", "100:1", "Hi", t(1))).await;
    let c = first.conversation.id;
    let seq = store.last_seq(f.workspace).await.unwrap();
    let again = store
        .receive_message(inbound(&tg, "100", "100:1", "Hi (resent)", t(2)))
        .await
        .unwrap();
    assert!(matches!(again, Received::Duplicate), "{again:?}");
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), seq);
    let stored = thread(&store, f.workspace, c).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].content, Content::Text { text: "Hi".into() });
    assert_eq!(
        store
            .conversation(f.workspace, c)
            .await
            .unwrap()
            .unread_count,
        1
    );

    // Two deliveries of one new message at once: one is stored.
    let (a, b) = tokio::join!(
        store.receive_message(inbound(&tg, "100", "100:2", "Twice", t(3))),
        store.receive_message(inbound(&tg, "100", "100:2", "Twice", t(3))),
    );
    let stored = [a.unwrap(), b.unwrap()]
        .iter()
        .filter(|r| matches!(r, Received::Stored(_)))
        .count();
    assert_eq!(stored, 1);
    assert_eq!(thread(&store, f.workspace, c).await.len(), 2);
    // Even from a sender seen for the first time: one contact, one conversation.
    let (a, b) = tokio::join!(
        store.receive_message(inbound(&tg, "300", "300:1", "New", t(4))),
        store.receive_message(inbound(&tg, "300", "300:1", "New", t(4))),
    );
    let stored = [a.unwrap(), b.unwrap()]
        .iter()
        .filter(|r| matches!(r, Received::Stored(_)))
        .count();
    assert_eq!(stored, 1);
    let listed = store
        .inbox(
            f.workspace,
            &viewer(&store, &f).await,
            &InboxSpec::all(later()),
            PageRequest {
                after: None,
                limit: 50,
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 2);
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), seq + 2);

    // Provider ids are unique per channel only: another bot's message 100:1 is new.
    let other_bot = store
        .create_channel(NewChannel {
            workspace: f.workspace,
            kind: ChannelKind::Telegram,
            name: "Second bot",
            public_key: Some("tg-second"),
        })
        .await
        .unwrap();
    let elsewhere = received(&store, inbound(&other_bot, "100", "100:1", "Hi", t(5))).await;
    assert_ne!(
        elsewhere.conversation.id, c,
        "a contact per channel identity"
    );
}

pub async fn replies_from_providers_find_the_quoted_message_by_its_provider_id(store: S) {
    let f = fixture(&store, "Quotes").await;
    let tg = telegram(&store, &f).await;
    let quoted = received(&store, inbound(&tg, "100", "100:1", "My order", t(1))).await;
    let mut answer = inbound(&tg, "100", "100:2", "Any news?", t(2));
    answer.reply_to = Some("100:1");
    let answer = received(&store, answer).await;
    let preview = answer.message.reply_to.expect("the quote is found");
    assert_eq!(preview.id, quoted.message.id);
    assert_eq!(preview.text, "My order");
    // Unknown, and in another conversation: stored without a quote.
    let mut unknown = inbound(&tg, "100", "100:3", "?", t(3));
    unknown.reply_to = Some("100:99");
    assert_eq!(received(&store, unknown).await.message.reply_to, None);
    received(&store, inbound(&tg, "200", "200:1", "Other chat", t(4))).await;
    let mut crossed = inbound(&tg, "100", "100:4", "!", t(5));
    crossed.reply_to = Some("200:1");
    assert_eq!(received(&store, crossed).await.message.reply_to, None);
}

pub async fn edits_of_received_messages_replace_their_content(store: S) {
    let f = fixture(&store, "Edits").await;
    let other = fixture(&store, "Others").await;
    let tg = telegram(&store, &f).await;
    let first = received(&store, inbound(&tg, "100", "100:1", "Wrnog word", t(1))).await;
    let c = first.conversation.id;
    let seq = store.last_seq(f.workspace).await.unwrap();
    let edit = |workspace, external_id, text: &str| InboundEdit {
        workspace,
        channel: tg.id,
        external_id,
        content: Content::Text { text: text.into() },
    };
    let event = store
        .edit_received(edit(f.workspace, "100:1", "Right word"))
        .await
        .unwrap()
        .expect("an event");
    assert_eq!(event.seq, seq + 1);
    let (message, conversation) = updated(&event);
    assert_eq!(message.id, first.message.id);
    assert_eq!(
        message.content,
        Content::Text {
            text: "Right word".into()
        }
    );
    assert_eq!(conversation.id, c);
    assert_eq!(
        conversation.last_message.as_ref().map(|p| p.text.as_str()),
        Some("Right word"),
        "the list shows the edited text"
    );
    assert_eq!(
        thread(&store, f.workspace, c).await[0].content,
        message.content
    );
    // Search finds the new words, not the old ones.
    let me = viewer(&store, &f).await;
    let workspace = f.workspace;
    let search = |query: &'static str| {
        let store = store.clone();
        let me = me.clone();
        async move {
            store
                .search_messages(
                    workspace,
                    &me,
                    query,
                    None,
                    PageRequest {
                        after: None,
                        limit: 10,
                    },
                )
                .await
                .unwrap()
                .items
                .len()
        }
    };
    assert_eq!(search("right").await, 1);
    assert_eq!(search("wrnog").await, 0);

    // Nothing changed, nothing stored, or another workspace's: no event.
    for nothing in [
        edit(f.workspace, "100:1", "Right word"),
        edit(f.workspace, "100:404", "Ghost"),
        edit(other.workspace, "100:1", "Hijack"),
    ] {
        assert!(store.edit_received(nothing).await.unwrap().is_none());
    }
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), seq + 1);
    assert_eq!(store.last_seq(other.workspace).await.unwrap(), 0);
}

pub async fn pending_replies_through_providers_are_queued_and_leased(store: S) {
    let f = fixture(&store, "Outbox").await;
    let tg = telegram(&store, &f).await;
    let question = received(&store, inbound(&tg, "100", "100:1", "Price?", t(0))).await;
    let c = question.conversation.id;
    assert_eq!(store.next_delivery_at().await.unwrap(), None);
    let file = store
        .create_attachment(NewAttachment {
            workspace: f.workspace,
            uploader: f.agent.id,
            name: "prices.pdf".into(),
            content_type: "application/pdf".into(),
            size: 10,
            storage_key: "outbox/prices.pdf".into(),
            created_at: t(0),
        })
        .await
        .unwrap();
    let mut answer = pending(&f, c, "a1", "Here you are", t(1));
    answer.reply_to = Some(question.message.id);
    answer.attachments = vec![file.attachment.id];
    let sent = store.append_message(answer).await.unwrap();
    assert_eq!(sent.message.delivery_status, Some(DeliveryStatus::Pending));
    assert_eq!(store.next_delivery_at().await.unwrap(), Some(t(1)));
    let seq = store.last_seq(f.workspace).await.unwrap();

    assert!(
        store
            .claim_deliveries(t(0), t(5), 10)
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    let claimed = store.claim_deliveries(t(2), t(7), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let d = &claimed[0];
    assert_eq!(d.workspace, f.workspace);
    assert_eq!(d.channel, tg.id);
    assert_eq!(d.channel_kind, ChannelKind::Telegram);
    assert_eq!(d.message, sent.message);
    assert_eq!(d.message.attachments.len(), 1);
    assert_eq!(d.recipient.as_deref(), Some("100"));
    assert_eq!(d.reply_to_external.as_deref(), Some("100:1"));
    assert_eq!(d.attempts, 0);
    // Leased: nobody else gets it until the lease ends, then it is due again.
    assert!(
        store
            .claim_deliveries(t(3), t(8), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_delivery_at().await.unwrap(), Some(t(7)));
    let again = store.claim_deliveries(t(7), t(12), 10).await.unwrap();
    assert_eq!(again.iter().map(|d| d.id).collect::<Vec<_>>(), vec![d.id]);
    assert_eq!(again[0].attempts, 0, "a lost lease is not a failed attempt");
    assert_eq!(
        store.last_seq(f.workspace).await.unwrap(),
        seq,
        "claims write no events"
    );

    // In one conversation only the oldest waiting reply goes out: a2..a4 wait behind a1.
    for i in 2..=4 {
        store
            .append_message(pending(&f, c, &format!("a{i}"), "More", t(i)))
            .await
            .unwrap();
    }
    let client_ids = |ds: &[Delivery]| {
        ds.iter()
            .map(|d| d.message.client_id.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    let batch = store.claim_deliveries(t(20), t(30), 10).await.unwrap();
    assert_eq!(client_ids(&batch), ["a1"]);
    // Across conversations: oldest first, at most `limit`.
    for (i, sender) in ["201", "202", "203"].into_iter().enumerate() {
        let external = format!("{sender}:1");
        let conversation = received(&store, inbound(&tg, sender, &external, "Hi", t(35)))
            .await
            .conversation
            .id;
        store
            .append_message(pending(
                &f,
                conversation,
                &format!("b{i}"),
                "Reply",
                t(40 + i as i64),
            ))
            .await
            .unwrap();
    }
    let batch = store.claim_deliveries(t(50), t(60), 2).await.unwrap();
    assert_eq!(client_ids(&batch), ["a1", "b0"], "a1's lease ended at 30");
    let rest = store.claim_deliveries(t(50), t(60), 10).await.unwrap();
    assert_eq!(client_ids(&rest), ["b1", "b2"]);
}

pub async fn only_pending_messages_through_providers_are_queued(store: S) {
    let f = fixture(&store, "NotQueued").await;
    let tg = telegram(&store, &f).await;
    let c = received(&store, inbound(&tg, "100", "100:1", "Hi", t(0)))
        .await
        .conversation
        .id;
    let mut comment = pending(&f, c, "c1", "Internal", t(1));
    comment.kind = MessageKind::Comment;
    store.append_message(comment).await.unwrap();
    let mut imported = pending(&f, c, "c2", "Old reply", t(2));
    imported.delivery_status = Some(DeliveryStatus::Read);
    store.append_message(imported).await.unwrap();
    store
        .append_message(incoming(&f, c, "Typed by hand", t(3)))
        .await
        .unwrap();
    // Website chat is read in Switchboard itself.
    let web = contact(&store, &f, "Webby", t(0)).await;
    let chat = store
        .append_message(pending(&f, web.id, "w1", "Hello", t(4)))
        .await
        .unwrap();
    assert_eq!(chat.message.delivery_status, Some(DeliveryStatus::Pending));
    assert!(
        store
            .claim_deliveries(later(), later(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_delivery_at().await.unwrap(), None);

    // A contact added by hand on a provider's channel has no provider id: it is queued, and
    // the adapter learns there is no one to send to.
    let by_hand = store
        .create_contact(NewContact {
            workspace: f.workspace,
            channel: tg.id,
            first_name: "Manual",
            last_name: "",
            email: None,
            phone: None,
            fields: &[],
            created_at: t(0),
        })
        .await
        .unwrap();
    store
        .append_message(pending(&f, by_hand.id, "m1", "Hi", t(5)))
        .await
        .unwrap();
    let claimed = store.claim_deliveries(later(), later(), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].recipient, None);
    assert_eq!(claimed[0].reply_to_external, None);
}

/// Queues a reply in a new Telegram conversation and claims it: (conversation, delivery).
async fn claimed_reply(
    store: &S,
    f: &Fixture,
    tg: &Channel,
    sender: &str,
    at: DateTime<Utc>,
) -> (ConversationId, Delivery) {
    let external = format!("{sender}:1");
    let c = received(store, inbound(tg, sender, &external, "Hi", at))
        .await
        .conversation
        .id;
    store
        .append_message(pending(f, c, &format!("to-{sender}"), "Hello", at))
        .await
        .unwrap();
    let mut claimed = store.claim_deliveries(at, later(), 1).await.unwrap();
    assert_eq!(claimed.len(), 1);
    (c, claimed.remove(0))
}

pub async fn provider_statuses_only_move_forward(store: S) {
    let f = fixture(&store, "Statuses").await;
    let tg = telegram(&store, &f).await;
    let (c, d) = claimed_reply(&store, &f, &tg, "100", t(1)).await;
    let seq = store.last_seq(f.workspace).await.unwrap();
    let event = store
        .delivery_sent(d.id, "100:2")
        .await
        .unwrap()
        .expect("an event");
    assert_eq!(event.seq, seq + 1);
    let (message, conversation) = updated(&event);
    assert_eq!(message.id, d.message.id);
    assert_eq!(message.delivery_status, Some(DeliveryStatus::Sent));
    assert_eq!(conversation.id, c);
    assert_eq!(
        status_of(&store, &f, c, d.message.id).await.delivery_status,
        Some(DeliveryStatus::Sent)
    );
    // Done: not claimed again, nothing waits.
    assert!(
        store
            .claim_deliveries(later(), later(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_delivery_at().await.unwrap(), None);
    assert!(store.delivery_sent(d.id, "100:2").await.unwrap().is_none());
    assert!(
        store
            .delivery_failed(d.held(), "late")
            .await
            .unwrap()
            .is_none()
    );

    let report = |status, error| store.report_delivery(tg.id, "100:2", status, error);
    let read = report(DeliveryStatus::Read, None)
        .await
        .unwrap()
        .expect("an event");
    assert_eq!(read.seq, seq + 2);
    assert_eq!(updated(&read).0.delivery_status, Some(DeliveryStatus::Read));
    // Late and out of order: nothing moves back, a read message does not fail.
    for late in [
        DeliveryStatus::Delivered,
        DeliveryStatus::Sent,
        DeliveryStatus::Pending,
        DeliveryStatus::Read,
        DeliveryStatus::Failed,
    ] {
        assert!(
            report(late, Some("late")).await.unwrap().is_none(),
            "{late:?}"
        );
    }
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), seq + 2);
    assert_eq!(
        status_of(&store, &f, c, d.message.id).await.delivery_status,
        Some(DeliveryStatus::Read)
    );

    // Delivered, then failed with the provider's reason; a failed message stays failed.
    let (c2, d2) = claimed_reply(&store, &f, &tg, "200", t(2)).await;
    store.delivery_sent(d2.id, "200:2").await.unwrap().unwrap();
    let report2 = |status, error| store.report_delivery(tg.id, "200:2", status, error);
    let delivered = report2(DeliveryStatus::Delivered, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        updated(&delivered).0.delivery_status,
        Some(DeliveryStatus::Delivered)
    );
    assert!(report2(DeliveryStatus::Sent, None).await.unwrap().is_none());
    let failed = report2(DeliveryStatus::Failed, Some("User is deactivated"))
        .await
        .unwrap()
        .unwrap();
    let (message, _) = updated(&failed);
    assert_eq!(message.delivery_status, Some(DeliveryStatus::Failed));
    assert_eq!(
        message.delivery_error.as_deref(),
        Some("User is deactivated")
    );
    assert!(report2(DeliveryStatus::Read, None).await.unwrap().is_none());
    let stored = status_of(&store, &f, c2, d2.message.id).await;
    assert_eq!(
        stored.delivery_error.as_deref(),
        Some("User is deactivated")
    );

    // Unknown provider ids and channels change nothing.
    let before = store.last_seq(f.workspace).await.unwrap();
    assert!(
        store
            .report_delivery(tg.id, "100:404", DeliveryStatus::Read, None)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .report_delivery(ChannelId(i64::MAX), "100:2", DeliveryStatus::Read, None)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), before);

    // The contact's reply quoting the sent message finds it by the provider's id.
    let mut quote = inbound(&tg, "100", "100:3", "Thanks", t(3));
    quote.reply_to = Some("100:2");
    let quote = received(&store, quote).await;
    assert_eq!(quote.message.reply_to.map(|r| r.id), Some(d.message.id));
}

pub async fn failed_deliveries_can_be_retried_by_agents(store: S) {
    let f = fixture(&store, "Retries").await;
    let other = fixture(&store, "Elsewhere").await;
    let tg = telegram(&store, &f).await;
    let (c, d) = claimed_reply(&store, &f, &tg, "100", t(1)).await;
    let seq = store.last_seq(f.workspace).await.unwrap();
    let reason = "Forbidden: bot was blocked by the user";
    let event = store
        .delivery_failed(d.held(), reason)
        .await
        .unwrap()
        .expect("an event");
    assert_eq!(event.seq, seq + 1);
    let (message, conversation) = updated(&event);
    assert_eq!(message.delivery_status, Some(DeliveryStatus::Failed));
    assert_eq!(message.delivery_error.as_deref(), Some(reason));
    assert_eq!(conversation.id, c);
    assert_eq!(
        status_of(&store, &f, c, d.message.id)
            .await
            .delivery_error
            .as_deref(),
        Some(reason)
    );
    assert!(
        store
            .claim_deliveries(later(), later(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .delivery_failed(d.held(), reason)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.delivery_sent(d.id, "100:9").await.unwrap().is_none());

    // Retried: pending again, without the reason, and queued anew.
    let event = store
        .retry_message(f.workspace, c, d.message.id)
        .await
        .unwrap();
    assert_eq!(event.seq, seq + 2);
    let (message, _) = updated(&event);
    assert_eq!(message.delivery_status, Some(DeliveryStatus::Pending));
    assert_eq!(message.delivery_error, None);
    let again = store.claim_deliveries(later(), later(), 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].message.id, d.message.id);
    assert_ne!(again[0].id, d.id, "a new outbox entry");
    assert_eq!(again[0].attempts, 0);

    // Only failed messages are retried, only in their own conversation and workspace.
    let not_failed = store.retry_message(f.workspace, c, d.message.id).await;
    assert!(
        matches!(not_failed, Err(StoreError::Refused(_))),
        "{not_failed:?}"
    );
    let incoming_id = thread(&store, f.workspace, c)
        .await
        .into_iter()
        .find(|m| m.direction == Direction::Incoming)
        .unwrap()
        .id;
    let not_outgoing = store.retry_message(f.workspace, c, incoming_id).await;
    assert!(matches!(not_outgoing, Err(StoreError::Refused(_))));
    store
        .delivery_failed(again[0].held(), reason)
        .await
        .unwrap()
        .unwrap();
    let foreign = store.retry_message(other.workspace, c, d.message.id).await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
    let elsewhere = received(&store, inbound(&tg, "200", "200:1", "Hi", t(2))).await;
    let wrong = store
        .retry_message(f.workspace, elsewhere.conversation.id, d.message.id)
        .await;
    assert!(matches!(wrong, Err(StoreError::NotFound)), "{wrong:?}");
    let unknown = store
        .retry_message(f.workspace, c, MessageId(i64::MAX))
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)));
    assert_eq!(
        status_of(&store, &f, c, d.message.id).await.delivery_status,
        Some(DeliveryStatus::Failed)
    );
    assert_eq!(store.last_seq(other.workspace).await.unwrap(), 0);
}

pub async fn transient_failures_push_the_next_attempt(store: S) {
    let f = fixture(&store, "Transient").await;
    let tg = telegram(&store, &f).await;
    let c = received(&store, inbound(&tg, "100", "100:1", "Hi", t(0)))
        .await
        .conversation
        .id;
    store
        .append_message(pending(&f, c, "p1", "Hello", t(1)))
        .await
        .unwrap();
    let d = store
        .claim_deliveries(t(1), t(6), 10)
        .await
        .unwrap()
        .remove(0);
    let seq = store.last_seq(f.workspace).await.unwrap();
    store
        .delivery_retry(d.held(), t(30), "Too Many Requests: retry after 29")
        .await
        .unwrap();
    assert_eq!(store.next_delivery_at().await.unwrap(), Some(t(30)));
    assert!(
        store
            .claim_deliveries(t(29), t(35), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = store.claim_deliveries(t(30), t(35), 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, d.id);
    assert_eq!(again[0].attempts, 1);
    assert_eq!(
        again[0].message.delivery_status,
        Some(DeliveryStatus::Pending)
    );
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), seq, "no events");
    // An entry that is gone already (sent, failed) is left alone.
    store.delivery_sent(d.id, "100:2").await.unwrap().unwrap();
    store.delivery_retry(d.held(), t(40), "late").await.unwrap();
    assert_eq!(store.next_delivery_at().await.unwrap(), None);
}

pub async fn disconnecting_a_channel_fails_its_queued_deliveries(store: S) {
    let f = fixture(&store, "Disconnect").await;
    let tg = telegram(&store, &f).await;
    store
        .set_channel_credentials(f.workspace, tg.id, r#"{"token":"123:abc"}"#)
        .await
        .unwrap();
    let (c, leased) = claimed_reply(&store, &f, &tg, "100", t(1)).await;
    store
        .append_message(pending(&f, c, "queued", "Second", t(2)))
        .await
        .unwrap();
    let seq = store.last_seq(f.workspace).await.unwrap();
    let other = fixture(&store, "NotMine").await;
    let foreign = store.disconnect_channel(other.workspace, tg.id).await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");

    let events = store.disconnect_channel(f.workspace, tg.id).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![seq + 1, seq + 2]
    );
    for event in &events {
        let (message, conversation) = updated(event);
        assert_eq!(message.delivery_status, Some(DeliveryStatus::Failed));
        assert_eq!(
            message.delivery_error.as_deref(),
            Some("The channel was disconnected.")
        );
        assert_eq!(conversation.id, c);
    }
    assert!(
        store
            .claim_deliveries(later(), later(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_delivery_at().await.unwrap(), None);
    // A worker that was sending finds its entry gone.
    assert!(
        store
            .delivery_sent(leased.id, "100:2")
            .await
            .unwrap()
            .is_none()
    );

    // Gone from settings and lookups, its credentials dropped; its history stays readable.
    assert_eq!(
        store.channels(f.workspace).await.unwrap(),
        vec![f.channel.clone()]
    );
    let gone = store.channel(f.workspace, tg.id).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
    let key = tg.public_key.as_deref().unwrap();
    assert_eq!(store.channel_by_public_key(key).await.unwrap(), None);
    assert_eq!(store.hooked_channel(key).await.unwrap(), None);
    assert_eq!(store.channel_credentials(tg.id).await.unwrap(), None);
    let set = store
        .set_channel_credentials(f.workspace, tg.id, "{}")
        .await;
    assert!(matches!(set, Err(StoreError::NotFound)), "{set:?}");
    let history = thread(&store, f.workspace, c).await;
    assert_eq!(history.len(), 3);
    assert!(history.iter().all(|m| m.channel == ChannelKind::Telegram));
    assert_eq!(
        store.conversation(f.workspace, c).await.unwrap().channel,
        ChannelKind::Telegram
    );
    // Nothing more comes in or goes out through it.
    let refused = store
        .receive_message(inbound(&tg, "100", "100:5", "Hello?", t(3)))
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    let late = store
        .append_message(pending(&f, c, "late", "Anyone?", t(4)))
        .await
        .unwrap();
    assert_eq!(late.message.delivery_status, Some(DeliveryStatus::Failed));
    assert_eq!(
        late.message.delivery_error.as_deref(),
        Some("The channel was disconnected.")
    );
    assert!(
        store
            .claim_deliveries(later(), later(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let retry = store.retry_message(f.workspace, c, late.message.id).await;
    assert!(matches!(retry, Err(StoreError::Refused(_))), "{retry:?}");
    let twice = store.disconnect_channel(f.workspace, tg.id).await;
    assert!(matches!(twice, Err(StoreError::NotFound)), "{twice:?}");
}

pub async fn channels_and_their_credentials_belong_to_their_workspace(store: S) {
    let f = fixture(&store, "Owners").await;
    let other = fixture(&store, "Outsiders").await;
    let tg = telegram(&store, &f).await;
    assert_eq!(store.channel(f.workspace, tg.id).await.unwrap(), tg);
    let foreign = store.channel(other.workspace, tg.id).await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
    let unknown = store.channel(f.workspace, ChannelId(i64::MAX)).await;
    assert!(matches!(unknown, Err(StoreError::NotFound)));
    assert_eq!(
        store.channels(f.workspace).await.unwrap(),
        vec![f.channel.clone(), tg.clone()]
    );
    assert_eq!(
        store.channels(other.workspace).await.unwrap(),
        vec![other.channel]
    );

    assert_eq!(store.channel_credentials(tg.id).await.unwrap(), None);
    store
        .set_channel_credentials(f.workspace, tg.id, r#"{"token":"1"}"#)
        .await
        .unwrap();
    store
        .set_channel_credentials(f.workspace, tg.id, r#"{"token":"2"}"#)
        .await
        .unwrap();
    let hijack = store
        .set_channel_credentials(other.workspace, tg.id, r#"{"token":"evil"}"#)
        .await;
    assert!(matches!(hijack, Err(StoreError::NotFound)), "{hijack:?}");
    assert_eq!(
        store.channel_credentials(tg.id).await.unwrap().as_deref(),
        Some(r#"{"token":"2"}"#)
    );
    let missing = store.channel_credentials(ChannelId(i64::MAX)).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    // A webhook finds the channel and its current credentials by its key in one read.
    let key = tg.public_key.clone().unwrap();
    assert_eq!(
        store.hooked_channel(&key).await.unwrap(),
        Some((tg.clone(), Some(r#"{"token":"2"}"#.to_owned())))
    );
    assert_eq!(store.hooked_channel("no-such-key").await.unwrap(), None);
    // Settings list channels as they were; credentials are not part of them.
    assert_eq!(
        store.channels(f.workspace).await.unwrap(),
        vec![f.channel.clone(), tg]
    );
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), 0);
}

pub async fn a_conversation_is_reached_where_its_contact_wrote(store: S) {
    let f = fixture(&store, "Reach").await;
    let other = fixture(&store, "Elsewhere").await;
    let tg = telegram(&store, &f).await;
    let first = received(&store, inbound(&tg, "777", "777:1", "Hi", t(10))).await;
    received(&store, inbound(&tg, "777", "777:2", "Anyone?", t(20))).await;
    let conversation = first.conversation.id;
    assert_eq!(
        store.reply_target(f.workspace, conversation).await.unwrap(),
        Some(ReplyTarget {
            channel: tg.id,
            channel_kind: ChannelKind::Telegram,
            recipient: "777".into(),
            last_incoming: Some("777:2".into()),
        })
    );
    // An agent's reply is not the contact's newest message.
    store
        .append_message(pending(&f, conversation, "r-1", "Yes?", t(30)))
        .await
        .unwrap();
    let target = store.reply_target(f.workspace, conversation).await.unwrap();
    assert_eq!(
        target.and_then(|t| t.last_incoming).as_deref(),
        Some("777:2")
    );
    // Website chat is reached through Switchboard itself; a contact added by hand on it has
    // no provider id.
    let visitor = contact(&store, &f, "Walk", t(40)).await;
    assert_eq!(
        store.reply_target(f.workspace, visitor.id).await.unwrap(),
        None
    );
    // Another workspace's conversation is not found.
    let foreign = store.reply_target(other.workspace, conversation).await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
    // A disconnected channel reaches nobody.
    store.disconnect_channel(f.workspace, tg.id).await.unwrap();
    assert_eq!(
        store.reply_target(f.workspace, conversation).await.unwrap(),
        None
    );
}

pub async fn files_contacts_send_arrive_with_their_message(store: S) {
    let f = fixture(&store, "Files").await;
    let tg = telegram(&store, &f).await;
    let file = |name: &str, key: &str, size: u64| InboundFile {
        name: name.into(),
        content_type: "image/png".into(),
        size,
        storage_key: key.into(),
    };
    let mut message = inbound(&tg, "888", "888:1", "Two receipts", t(10));
    message.files = vec![file("a.png", "in-a", 120), file("b.png", "in-b", 340)];
    let stored = received(&store, message).await;
    let names: Vec<&str> = stored
        .message
        .attachments
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["a.png", "b.png"], "in the order sent");
    let record = store
        .attachment(f.workspace, stored.message.attachments[1].id)
        .await
        .unwrap();
    assert_eq!(record.uploader, None, "no member uploaded it");
    assert_eq!(record.conversation, Some(stored.conversation.id));
    assert_eq!(record.kind, Some(MessageKind::Message));
    assert_eq!(record.storage_key, "in-b");
    assert_eq!(record.attachment.size, 340);
    // The thread shows them too.
    let thread = thread(&store, f.workspace, stored.conversation.id).await;
    assert_eq!(thread[0].attachments, stored.message.attachments);
}

pub async fn replies_in_one_conversation_go_out_in_order(store: S) {
    let f = fixture(&store, "Order").await;
    let tg = telegram(&store, &f).await;
    let first = received(&store, inbound(&tg, "901", "901:1", "Hi", t(10))).await;
    let second = received(&store, inbound(&tg, "902", "902:1", "Hello", t(11))).await;
    let (a, b) = (first.conversation.id, second.conversation.id);
    let a1 = store
        .append_message(pending(&f, a, "a-1", "One", t(20)))
        .await
        .unwrap();
    let a2 = store
        .append_message(pending(&f, a, "a-2", "Two", t(21)))
        .await
        .unwrap();
    let b1 = store
        .append_message(pending(&f, b, "b-1", "Other", t(22)))
        .await
        .unwrap();
    let ids = |ds: &[Delivery]| ds.iter().map(|d| d.message.id).collect::<Vec<_>>();
    // The second reply to A waits for the first; B's goes alongside.
    let claimed = store.claim_deliveries(t(30), t(90), 10).await.unwrap();
    assert_eq!(ids(&claimed), [a1.message.id, b1.message.id]);
    // Even once the first's lease ends, the second still waits behind it.
    let again = store.claim_deliveries(t(100), t(160), 10).await.unwrap();
    assert_eq!(ids(&again), [a1.message.id, b1.message.id]);
    store.delivery_sent(again[0].id, "901:50").await.unwrap();
    // Now A's second is due (it waited since 21; B's lease ended at 160).
    let next = store.claim_deliveries(t(170), t(230), 10).await.unwrap();
    assert_eq!(ids(&next), [a2.message.id, b1.message.id]);
}

/// Mailboxes (e-mail channels) are read by polling: the poller lists them in every
/// workspace and remembers where it stopped in each; an answer's delivery carries the
/// thread it belongs to (C9), newest first.
pub async fn polled_channels_keep_their_cursor_and_answers_carry_their_thread(store: S) {
    let f = fixture(&store, "Mail").await;
    let other = fixture(&store, "OtherMail").await;
    let mailbox = |f: &Fixture, name: &'static str| {
        let store = store.clone();
        let workspace = f.workspace;
        async move {
            store
                .create_channel(NewChannel {
                    workspace,
                    kind: ChannelKind::Email,
                    name,
                    public_key: None,
                })
                .await
                .unwrap()
        }
    };
    let ours = mailbox(&f, "Support").await;
    let theirs = mailbox(&other, "Sales").await;
    telegram(&store, &f).await;
    let listed: Vec<ChannelId> = store
        .connected_channels(ChannelKind::Email)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert!(
        listed.contains(&ours.id) && listed.contains(&theirs.id),
        "{listed:?}"
    );
    assert!(
        store
            .connected_channels(ChannelKind::Email)
            .await
            .unwrap()
            .iter()
            .all(|c| c.kind == ChannelKind::Email)
    );

    assert_eq!(store.channel_cursor(ours.id).await.unwrap(), None);
    store.set_channel_cursor(ours.id, "7:41").await.unwrap();
    store.set_channel_cursor(ours.id, "7:42").await.unwrap();
    assert_eq!(
        store.channel_cursor(ours.id).await.unwrap().as_deref(),
        Some("7:42")
    );
    assert_eq!(
        store.channel_cursor(theirs.id).await.unwrap(),
        None,
        "each its own"
    );

    // Olga wrote twice; the answer's delivery names both, newest first.
    let mut first = inbound(
        &ours,
        "olga@example.com",
        "m1@example.com",
        "Where is it?",
        t(0),
    );
    first.content = Content::Email {
        subject: "Order 42".into(),
        text: "Where is it?".into(),
        html: None,
        remote_images: false,
    };
    let c = received(&store, first).await.conversation.id;
    received(
        &store,
        inbound(&ours, "olga@example.com", "m2@example.com", "Hello?", t(1)),
    )
    .await;
    store
        .append_message(pending(&f, c, "mail-1", "On its way", t(2)))
        .await
        .unwrap();
    let claimed = store.claim_deliveries(t(2), later(), 10).await.unwrap();
    let delivery = claimed
        .iter()
        .find(|d| d.channel == ours.id)
        .expect("the answer is queued");
    assert_eq!(delivery.recipient.as_deref(), Some("olga@example.com"));
    let ids: Vec<&str> = delivery
        .thread
        .iter()
        .map(|e| e.external_id.as_str())
        .collect();
    assert_eq!(ids, vec!["m2@example.com", "m1@example.com"]);
    assert!(
        matches!(&delivery.thread[1].content, Content::Email { subject, .. } if subject == "Order 42")
    );
    assert!(
        delivery
            .thread
            .iter()
            .all(|e| e.direction == Direction::Incoming)
    );

    store
        .disconnect_channel(f.workspace, ours.id)
        .await
        .unwrap();
    assert!(
        !store
            .connected_channels(ChannelKind::Email)
            .await
            .unwrap()
            .iter()
            .any(|c| c.id == ours.id),
        "a disconnected mailbox is no longer read"
    );
    assert!(matches!(
        store.set_channel_cursor(ours.id, "7:43").await,
        Err(StoreError::NotFound)
    ));
}

/// A provider account (a bot, a number, a mailbox) belongs to one connected channel at a
/// time across every workspace; disconnecting frees it.
pub async fn a_provider_account_is_connected_once(store: S) {
    let a = fixture(&store, "AccountA").await;
    let b = fixture(&store, "AccountB").await;
    let first = telegram(&store, &a).await;
    let second = telegram(&store, &b).await;
    store
        .claim_channel_account(first.id, "123456")
        .await
        .unwrap();
    let taken = store.claim_channel_account(second.id, "123456").await;
    assert!(
        matches!(taken, Err(StoreError::Conflict { .. })),
        "{taken:?}"
    );
    // Another bot, or the same id of another kind of channel, is free.
    store
        .claim_channel_account(second.id, "654321")
        .await
        .unwrap();
    let mail = store
        .create_channel(NewChannel {
            workspace: b.workspace,
            kind: ChannelKind::Email,
            name: "Mail",
            public_key: None,
        })
        .await
        .unwrap();
    store
        .claim_channel_account(mail.id, "123456")
        .await
        .unwrap();

    store
        .disconnect_channel(a.workspace, first.id)
        .await
        .unwrap();
    assert!(matches!(
        store.claim_channel_account(first.id, "123456").await,
        Err(StoreError::NotFound)
    ));
    let third = store
        .create_channel(NewChannel {
            workspace: b.workspace,
            kind: ChannelKind::Telegram,
            name: "Bot again",
            public_key: Some("tg-again"),
        })
        .await
        .unwrap();
    store
        .claim_channel_account(third.id, "123456")
        .await
        .unwrap();
}

/// A channel of `kind` in the fixture's workspace, named `name`.
async fn channel_of(store: &S, f: &Fixture, kind: ChannelKind, name: &str) -> Channel {
    store
        .create_channel(NewChannel {
            workspace: f.workspace,
            kind,
            name,
            public_key: Some(&format!("{}-{name}-{}", kind.as_str(), f.workspace)),
        })
        .await
        .unwrap()
}

pub async fn a_contact_is_reached_on_every_channel_they_use(store: S) {
    let f = fixture(&store, "Channels").await;
    let other = fixture(&store, "Elsewhere").await;
    let tg = telegram(&store, &f).await;
    let wa = channel_of(&store, &f, ChannelKind::Whatsapp, "Sales").await;
    let mail = channel_of(&store, &f, ChannelKind::Email, "Support").await;
    let ids = |list: &[ContactChannel]| list.iter().map(|c| c.id).collect::<Vec<_>>();

    // A Telegram contact who shared their number and address.
    let mut hello = inbound(&tg, "501", "501:1", "Hi", t(1));
    hello.phone = Some("+31 6 1234 5678");
    hello.email = Some("Tanya@Example.com");
    let c = received(&store, hello).await.conversation;
    // Reachable on Telegram, and by e-mail through the e-mail channel (the address is known).
    let listed = store.contact_channels(f.workspace, c.id).await.unwrap();
    assert_eq!(ids(&listed), vec![tg.id, mail.id]);
    assert_eq!(listed[0].kind, ChannelKind::Telegram);
    assert_eq!(listed[0].name, "Bot");
    assert_eq!(listed[0].last_incoming_at, Some(t(1)));
    assert_eq!(listed[1].last_incoming_at, None);

    // Writing from WhatsApp with the same number joins the contact: one conversation, now on
    // WhatsApp, the message through WhatsApp.
    let mut wa_hello = inbound(&wa, "31612345678", "wamid.1", "Me again", t(2));
    wa_hello.phone = Some("+31612345678");
    let joined = received(&store, wa_hello).await;
    assert_eq!(joined.conversation.id, c.id);
    assert_eq!(joined.conversation.channel, ChannelKind::Whatsapp);
    assert_eq!(joined.conversation.channel_id, wa.id);
    assert_eq!(joined.message.channel, ChannelKind::Whatsapp);
    assert_eq!(joined.conversation.unread_count, 2);
    let listed = store.contact_channels(f.workspace, c.id).await.unwrap();
    assert_eq!(ids(&listed), vec![tg.id, wa.id, mail.id]);
    assert_eq!(listed[1].last_incoming_at, Some(t(2)));
    // An e-mail from the same address (any case) joins them too.
    let mut mail_hello = inbound(
        &mail,
        "tanya@example.com",
        "<m1@example.com>",
        "By mail",
        t(3),
    );
    mail_hello.email = Some("tanya@example.com");
    let by_mail = received(&store, mail_hello).await;
    assert_eq!(by_mail.conversation.id, c.id);
    assert_eq!(by_mail.conversation.channel_id, mail.id);

    // An agent picks Telegram: the message goes through it and the conversation follows; its
    // outbox entry names the Telegram chat.
    let mut through_tg = pending(&f, c.id, "k2-1", "Answering on Telegram", t(4));
    through_tg.channel = Some(tg.id);
    let sent = store.append_message(through_tg).await.unwrap();
    assert_eq!(sent.message.channel, ChannelKind::Telegram);
    assert_eq!(sent.conversation.channel_id, tg.id);
    let claimed = store.claim_deliveries(t(100), t(105), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].channel, tg.id);
    assert_eq!(claimed[0].recipient.as_deref(), Some("501"));
    store
        .delivery_sent(claimed[0].id, "tg-out-1")
        .await
        .unwrap();
    // A comment stays where the conversation is, whatever it names.
    let mut comment = reply(&f, c.id, "k2-2", "Internal", t(5));
    comment.kind = MessageKind::Comment;
    comment.delivery_status = None;
    comment.channel = Some(wa.id);
    let noted = store.append_message(comment).await.unwrap();
    assert_eq!(noted.message.channel, ChannelKind::Telegram);
    assert_eq!(noted.conversation.channel_id, tg.id);

    // Another workspace's channel, or one the contact never used (and not e-mail), is refused
    // and stores nothing.
    let stranger = received(&store, inbound(&tg, "777", "777:1", "Hello", t(6))).await;
    let tiktok = channel_of(&store, &f, ChannelKind::Tiktok, "Shop").await;
    let foreign = telegram(&store, &other).await;
    for channel in [tiktok.id, foreign.id, wa.id] {
        let mut wrong = pending(
            &f,
            stranger.conversation.id,
            &format!("bad-{channel}"),
            "No",
            t(7),
        );
        wrong.channel = Some(channel);
        let refused = store.append_message(wrong).await;
        assert!(
            matches!(
                refused,
                Err(StoreError::Invalid {
                    field: "channel",
                    ..
                })
            ),
            "{channel}: {refused:?}"
        );
    }
    assert_eq!(
        thread(&store, f.workspace, stranger.conversation.id)
            .await
            .len(),
        1,
        "nothing stored"
    );
    // Another workspace cannot list the contact's channels.
    let hidden = store.contact_channels(other.workspace, c.id).await;
    assert!(matches!(hidden, Err(StoreError::NotFound)), "{hidden:?}");

    // A contact added by hand with an address is e-mailed through the e-mail channel: the
    // first e-mail records the address as their identity there, and the outbox finds it.
    let added = store
        .create_contact(NewContact {
            workspace: f.workspace,
            channel: f.channel.id,
            first_name: "Ivo",
            last_name: "Hand",
            email: Some("ivo@example.org"),
            phone: None,
            fields: &[],
            created_at: t(8),
        })
        .await
        .unwrap();
    let listed = store.contact_channels(f.workspace, added.id).await.unwrap();
    assert_eq!(ids(&listed), vec![f.channel.id, mail.id]);
    let mut first_mail = pending(&f, added.id, "k2-3", "Welcome", t(9));
    first_mail.channel = Some(mail.id);
    first_mail.content = Content::Email {
        subject: "Welcome".into(),
        text: "Welcome".into(),
        html: None,
        remote_images: false,
    };
    store.append_message(first_mail).await.unwrap();
    let claimed = store.claim_deliveries(t(200), t(205), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].recipient.as_deref(), Some("ivo@example.org"));
    // Their answer by e-mail finds them by that identity.
    let mut answer = inbound(
        &mail,
        "ivo@example.org",
        "<a1@example.org>",
        "Thanks",
        t(10),
    );
    answer.email = Some("ivo@example.org");
    assert_eq!(received(&store, answer).await.conversation.id, added.id);

    // Two contacts with one number (added by hand): a newcomer with it joins neither.
    for name in ["Twin", "Other twin"] {
        store
            .create_contact(NewContact {
                workspace: f.workspace,
                channel: f.channel.id,
                first_name: name,
                last_name: "",
                email: None,
                phone: Some("+44 20 7946 0000"),
                fields: &[],
                created_at: t(11),
            })
            .await
            .unwrap();
    }
    let mut third = inbound(&wa, "442079460000", "wamid.twin", "Which one?", t(12));
    third.phone = Some("+442079460000");
    let newcomer = received(&store, third).await.conversation;
    let listed = store
        .contact_channels(f.workspace, newcomer.id)
        .await
        .unwrap();
    assert_eq!(ids(&listed), vec![wa.id]);

    // A disconnected channel is no longer offered.
    store.disconnect_channel(f.workspace, tg.id).await.unwrap();
    let listed = store.contact_channels(f.workspace, c.id).await.unwrap();
    assert_eq!(ids(&listed), vec![wa.id, mail.id]);
}

pub async fn a_worker_that_lost_its_lease_changes_nothing_and_parts_are_not_sent_twice(store: S) {
    let f = fixture(&store, "Leases").await;
    let tg = telegram(&store, &f).await;
    let c = received(&store, inbound(&tg, "300", "300:1", "Hi", t(1)))
        .await
        .conversation
        .id;
    let message = store
        .append_message(pending(&f, c, "parts-1", "Two files", t(2)))
        .await
        .unwrap()
        .message
        .id;
    let first = store
        .claim_deliveries(t(3), t(4), 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(first.lease, t(4));
    assert_eq!(
        (first.parts_sent, first.first_external_id.clone()),
        (0, None)
    );
    // The first worker's lease runs out and another claims the entry.
    let second = store
        .claim_deliveries(t(5), t(9), 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(second.id, first.id);
    // Whatever the first worker reports late changes nothing.
    assert!(
        !store
            .delivery_retry(first.held(), t(50), "late")
            .await
            .unwrap()
    );
    assert!(
        store
            .delivery_failed(first.held(), "late")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        !store
            .delivery_progress(first.held(), 1, "300:90")
            .await
            .unwrap()
    );
    assert_eq!(
        store.next_delivery_at().await.unwrap(),
        Some(t(9)),
        "still leased"
    );
    assert_eq!(
        status_of(&store, &f, c, message).await.delivery_status,
        Some(DeliveryStatus::Pending)
    );
    // The second worker got two parts out before the third failed: the next attempt knows.
    assert!(
        store
            .delivery_progress(second.held(), 1, "300:11")
            .await
            .unwrap()
    );
    assert!(
        store
            .delivery_progress(second.held(), 2, "300:12")
            .await
            .unwrap()
    );
    assert!(
        store
            .delivery_retry(second.held(), t(10), "busy")
            .await
            .unwrap()
    );
    let third = store
        .claim_deliveries(t(10), t(11), 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(third.attempts, 1);
    assert_eq!(third.parts_sent, 2);
    assert_eq!(
        third.first_external_id.as_deref(),
        Some("300:11"),
        "the first part's id"
    );
    // Refused for good, then retried by an agent: the parts sent still count.
    store
        .delivery_failed(third.held(), "Bad Request: file too big")
        .await
        .unwrap()
        .expect("failed");
    store.retry_message(f.workspace, c, message).await.unwrap();
    let fourth = store
        .claim_deliveries(later(), later(), 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(fourth.message.id, message);
    assert_eq!(fourth.parts_sent, 2);
    assert_eq!(fourth.first_external_id.as_deref(), Some("300:11"));
    store.delivery_sent(fourth.id, "300:11").await.unwrap();
    assert_eq!(
        status_of(&store, &f, c, message).await.delivery_status,
        Some(DeliveryStatus::Sent)
    );
}

pub async fn a_polled_channel_is_read_by_one_server_at_a_time(store: S) {
    let f = fixture(&store, "Readers").await;
    let mailbox = store
        .create_channel(NewChannel {
            workspace: f.workspace,
            kind: ChannelKind::Email,
            name: "Mail",
            public_key: None,
        })
        .await
        .unwrap();
    let claim = |holder: &'static str, now: i64, until: i64| {
        let store = store.clone();
        async move {
            store
                .claim_channel_reader(mailbox.id, holder, t(now), t(until))
                .await
                .unwrap()
        }
    };
    assert!(claim("a", 0, 10).await, "nobody held it");
    assert!(!claim("b", 1, 11).await, "a holds it");
    assert!(claim("a", 5, 15).await, "the holder renews");
    assert!(!claim("b", 14, 24).await, "renewed until 15");
    assert!(claim("b", 15, 25).await, "a's lease ran out");
    assert!(!claim("a", 16, 26).await, "b holds it now");
    // Another channel's lease is its own.
    let other = store
        .create_channel(NewChannel {
            workspace: f.workspace,
            kind: ChannelKind::Email,
            name: "Other mail",
            public_key: None,
        })
        .await
        .unwrap();
    assert!(
        store
            .claim_channel_reader(other.id, "a", t(16), t(26))
            .await
            .unwrap()
    );
    // Nobody reads a disconnected or unknown channel.
    store
        .disconnect_channel(f.workspace, mailbox.id)
        .await
        .unwrap();
    assert!(!claim("b", 17, 27).await);
    assert!(
        !store
            .claim_channel_reader(ChannelId(i64::MAX), "a", t(0), t(10))
            .await
            .unwrap()
    );
}

//! Conformance stories of the notification centre (O1) and its pushes (O2, O3): who is told
//! of mentions, assignments, contacts' messages and snoozes ending; entries read per member
//! and workspace; pushes claimed once under a lease; devices' subscriptions; server keys.

#![allow(clippy::unwrap_used)] // Test code: a failed step is a failed story.

use super::channel_stories::{inbound, telegram};
use super::{S, contact, fixture, incoming, t, viewer};
use crate::*;
use chrono::Duration;
use futures_util::future::join_all;
use switchboard_protocol::notifications::*;

async fn user(store: &S, name: &str) -> User {
    store
        .create_user(NewUser {
            name,
            email: &format!("{}@notify.test", name.to_lowercase()),
            password_hash: "hash",
        })
        .await
        .unwrap()
}

async fn centre(store: &S, workspace: WorkspaceId, user: UserId) -> NotificationList {
    let viewer = store.viewer(workspace, user).await.unwrap().unwrap();
    store
        .notifications(workspace, &viewer, None, 50)
        .await
        .unwrap()
}

fn comment(
    f: &super::Fixture,
    conversation: ConversationId,
    text: &str,
    mentions: Vec<UserId>,
    at: DateTime<Utc>,
) -> NewMessage {
    NewMessage {
        original: None,
        workspace: f.workspace,
        conversation,
        client_id: None,
        kind: MessageKind::Comment,
        direction: Direction::Outgoing,
        sender_kind: SenderKind::Agent,
        sender_user: Some(f.agent.id),
        content: Content::Text { text: text.into() },
        delivery_status: None,
        created_at: at,
        reply_to: None,
        mentions,
        attachments: Vec::new(),
        channel: None,
    }
}

pub async fn members_are_told_of_mentions_assignments_messages_and_snoozes_ending(store: S) {
    let f = fixture(&store, "Notify").await;
    let anna = f.agent.clone();
    let boris = user(&store, "Boris").await;
    store
        .add_member(f.workspace, boris.id, Role::Agent)
        .await
        .unwrap();
    let c = contact(&store, &f, "Olga", t(0)).await;

    // A mention tells the mentioned member, never the author.
    let long = format!("@Boris please look   at\nthis {}", "x".repeat(300));
    let mention = store
        .append_message(comment(&f, c.id, &long, vec![boris.id, anna.id], t(1)))
        .await
        .unwrap()
        .message;
    assert!(centre(&store, f.workspace, anna.id).await.items.is_empty());
    let told = centre(&store, f.workspace, boris.id).await;
    assert_eq!(told.unread, 1);
    let entry = &told.items[0];
    assert_eq!(entry.kind, NotificationKind::Mention);
    assert_eq!(entry.conversation_id, c.id);
    assert_eq!(entry.message_id, Some(mention.id));
    assert_eq!(entry.contact_name, "Olga Tester");
    assert_eq!(entry.actor_name.as_deref(), Some(anna.name.as_str()));
    assert!(entry.text.starts_with("@Boris please look at this xxx"));
    assert_eq!(
        entry.text.chars().count(),
        NOTIFICATION_TEXT_CHARS + 1,
        "one line, cut with an ellipsis"
    );
    assert!(!entry.read);

    // Assigning tells the assignee unless they assigned themselves.
    store
        .assign_by(
            f.workspace,
            c.id,
            Some(AssigneeRef::User { id: anna.id }),
            Some(anna.id),
        )
        .await
        .unwrap();
    assert!(centre(&store, f.workspace, anna.id).await.items.is_empty());
    store
        .assign_by(
            f.workspace,
            c.id,
            Some(AssigneeRef::User { id: boris.id }),
            Some(anna.id),
        )
        .await
        .unwrap();
    let told = centre(&store, f.workspace, boris.id).await;
    assert_eq!(told.unread, 2);
    assert_eq!(told.items[0].kind, NotificationKind::Assignment);
    assert_eq!(
        told.items[0].actor_name.as_deref(),
        Some(anna.name.as_str())
    );
    assert_eq!(told.items[0].count, 1);

    // A contact's messages in Boris's conversation gather in one unread entry; replies and
    // comments do not count.
    let mut newest = None;
    for (n, text) in ["Hello?", "Anyone there?", "I need help"]
        .iter()
        .enumerate()
    {
        newest = Some(
            store
                .append_message(incoming(&f, c.id, text, t(10 + n as i64)))
                .await
                .unwrap()
                .message,
        );
    }
    store
        .append_message(comment(&f, c.id, "on it", Vec::new(), t(20)))
        .await
        .unwrap();
    let told = centre(&store, f.workspace, boris.id).await;
    assert_eq!(told.unread, 3);
    let gathered = &told.items[0];
    assert_eq!(gathered.kind, NotificationKind::NewMessage);
    assert_eq!(gathered.count, 3);
    assert_eq!(gathered.text, "I need help");
    assert_eq!(gathered.message_id, newest.map(|m| m.id));
    assert_eq!(gathered.created_at, t(12));
    assert!(centre(&store, f.workspace, anna.id).await.items.is_empty());

    // Read, the entry stays read; the next message starts a new one.
    let other_members = store
        .mark_notifications_read(f.workspace, anna.id, Some(&[gathered.id]), t(21))
        .await
        .unwrap();
    assert_eq!(
        other_members, 0,
        "another member's entry is not anna's to read"
    );
    assert_eq!(
        store
            .mark_notifications_read(f.workspace, boris.id, Some(&[gathered.id]), t(21))
            .await
            .unwrap(),
        1
    );
    store
        .append_message(incoming(&f, c.id, "Hello again", t(22)))
        .await
        .unwrap();
    let told = centre(&store, f.workspace, boris.id).await;
    assert_eq!(told.unread, 3);
    assert_eq!((told.items[0].count, told.items[0].read), (1, false));
    assert_eq!((told.items[1].count, told.items[1].read), (3, true));

    // Messages arriving together through a provider gather the same way.
    let tg = telegram(&store, &f).await;
    let first = store
        .receive_message(inbound(&tg, "700", "700:1", "Hi from Telegram", t(30)))
        .await
        .unwrap();
    let Received::Stored(first) = first else {
        panic!("a new message was taken for a repeat")
    };
    let tc = first.conversation.id;
    store
        .assign_by(
            f.workspace,
            tc,
            Some(AssigneeRef::User { id: boris.id }),
            None,
        )
        .await
        .unwrap();
    let ids: Vec<String> = (2..=6).map(|n| format!("700:{n}")).collect();
    join_all(
        ids.iter().enumerate().map(|(n, id)| {
            store.receive_message(inbound(&tg, "700", id, "more", t(31 + n as i64)))
        }),
    )
    .await
    .into_iter()
    .for_each(|r| assert!(matches!(r.unwrap(), Received::Stored(_))));
    let told = centre(&store, f.workspace, boris.id).await;
    let from_telegram: Vec<&Notification> = told
        .items
        .iter()
        .filter(|n| n.conversation_id == tc && n.kind == NotificationKind::NewMessage)
        .collect();
    assert_eq!(from_telegram.len(), 1, "{told:?}");
    assert_eq!(from_telegram[0].count, 5);

    // A team assignment tells its members but the one who assigned.
    let team = store.create_team(f.workspace, "Support").await.unwrap();
    for member in [anna.id, boris.id] {
        store
            .add_team_member(f.workspace, team, member)
            .await
            .unwrap();
    }
    let d = contact(&store, &f, "Pavel", t(40)).await;
    store
        .assign_by(
            f.workspace,
            d.id,
            Some(AssigneeRef::Team { id: team }),
            Some(anna.id),
        )
        .await
        .unwrap();
    assert!(centre(&store, f.workspace, anna.id).await.items.is_empty());
    let told = centre(&store, f.workspace, boris.id).await;
    assert_eq!(
        (told.items[0].kind, told.items[0].conversation_id),
        (NotificationKind::Assignment, d.id)
    );

    // A snooze that ends tells the assignees (the team's members, here).
    store
        .transition(
            f.workspace,
            d.id,
            Transition::Snooze { until: t(50) },
            t(41),
        )
        .await
        .unwrap();
    store.wake_snoozed(t(50)).await.unwrap();
    for member in [anna.id, boris.id] {
        let told = centre(&store, f.workspace, member).await;
        assert_eq!(
            (
                told.items[0].kind,
                told.items[0].conversation_id,
                told.items[0].created_at
            ),
            (NotificationKind::SnoozeExpired, d.id, t(50)),
            "⏰ for every member of the team"
        );
    }

    // Reading everything leaves nothing unread; pages go back by id.
    let all = store
        .mark_notifications_read(f.workspace, boris.id, None, t(60))
        .await
        .unwrap();
    assert!(all >= 4);
    let told = centre(&store, f.workspace, boris.id).await;
    assert_eq!(told.unread, 0);
    let viewer = store.viewer(f.workspace, boris.id).await.unwrap().unwrap();
    let older = store
        .notifications(f.workspace, &viewer, Some(told.items[1].id), 50)
        .await
        .unwrap();
    assert_eq!(older.items, told.items[2..].to_vec());
}

pub async fn notifications_stay_with_their_member_workspace_and_permissions(store: S) {
    let f = fixture(&store, "Mine").await;
    let g = fixture(&store, "Theirs").await;
    let c = contact(&store, &f, "Olga", t(0)).await;
    store
        .assign_by(
            f.workspace,
            c.id,
            Some(AssigneeRef::User { id: f.agent.id }),
            None,
        )
        .await
        .unwrap();
    store
        .append_message(incoming(&f, c.id, "secret plans", t(1)))
        .await
        .unwrap();
    assert_eq!(centre(&store, f.workspace, f.agent.id).await.unread, 2);
    // Another workspace's member sees nothing of it, and cannot read it.
    assert_eq!(
        centre(&store, g.workspace, g.agent.id).await,
        NotificationList {
            items: Vec::new(),
            unread: 0
        }
    );
    let ids: Vec<NotificationId> = centre(&store, f.workspace, f.agent.id)
        .await
        .items
        .iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(
        store
            .mark_notifications_read(g.workspace, g.agent.id, Some(&ids), t(2))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .mark_notifications_read(g.workspace, f.agent.id, None, t(2))
            .await
            .unwrap(),
        0,
        "read in another workspace changes nothing here"
    );
    // Blocking the contact hides its entries from members who may not see blocked contacts.
    store
        .set_blocked(f.workspace, c.contact.id, true)
        .await
        .unwrap();
    let hidden = store
        .notifications(f.workspace, &viewer(&store, &f).await, None, 50)
        .await
        .unwrap();
    assert_eq!(
        hidden,
        NotificationList {
            items: Vec::new(),
            unread: 0
        }
    );
}

pub async fn pushes_are_claimed_once_and_follow_preferences(store: S) {
    let f = fixture(&store, "Push").await;
    let c = contact(&store, &f, "Olga", t(0)).await;
    assert_eq!(store.next_push_at().await.unwrap(), None);
    assert_eq!(
        store
            .notification_preferences(f.workspace, f.agent.id)
            .await
            .unwrap(),
        NotificationPreferences::default()
    );
    store
        .assign_by(
            f.workspace,
            c.id,
            Some(AssigneeRef::User { id: f.agent.id }),
            None,
        )
        .await
        .unwrap();
    let now = Utc::now();
    assert!(
        store
            .next_push_at()
            .await
            .unwrap()
            .is_some_and(|at| at <= now)
    );
    let lease = now + Duration::seconds(30);
    let due = store.claim_pushes(now, lease, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    let push = &due[0];
    assert_eq!(push.notification.kind, NotificationKind::Assignment);
    assert_eq!((push.workspace, push.user), (f.workspace, f.agent.id));
    assert_eq!(push.workspace_name, "Push");
    assert!(push.wanted && push.visible);
    assert_eq!((push.attempts, push.image), (0, None));
    assert!(
        store.claim_pushes(now, lease, 10).await.unwrap().is_empty(),
        "leased: no second worker pushes it"
    );
    // The lease ends: it is claimed again; a retry counts the attempt; done is done.
    let later = lease + Duration::seconds(1);
    let again = store
        .claim_pushes(later, later + Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    store
        .push_finished(
            again[0].notification.id,
            later + Duration::seconds(30),
            Some(later + Duration::seconds(5)),
        )
        .await
        .unwrap();
    let retried = store
        .claim_pushes(
            later + Duration::seconds(5),
            later + Duration::seconds(60),
            10,
        )
        .await
        .unwrap();
    assert_eq!(retried[0].attempts, 1);
    store
        .push_finished(
            retried[0].notification.id,
            later + Duration::seconds(60),
            None,
        )
        .await
        .unwrap();
    assert_eq!(store.next_push_at().await.unwrap(), None);

    // A message gathered while its entry was being pushed keeps it due: the worker's
    // "done" for the older lease changes nothing.
    store
        .append_message(incoming(&f, c.id, "first", t(1)))
        .await
        .unwrap();
    let far = Utc::now() + Duration::days(1);
    let claimed = store.claim_pushes(far, far, 10).await.unwrap();
    assert_eq!(claimed[0].notification.kind, NotificationKind::NewMessage);
    store
        .append_message(incoming(&f, c.id, "second", t(2)))
        .await
        .unwrap();
    store
        .push_finished(claimed[0].notification.id, far, None)
        .await
        .unwrap();
    let regathered = store.claim_pushes(far, far, 10).await.unwrap();
    assert_eq!(regathered.len(), 1);
    assert_eq!(regathered[0].notification.count, 2);
    assert_eq!(regathered[0].notification.text, "second");
    store
        .push_finished(regathered[0].notification.id, far, None)
        .await
        .unwrap();

    // Preferences: a kind switched off is not wanted; snoozes follow the workspace too.
    let quiet = NotificationPreferences {
        new_messages: false,
        ..NotificationPreferences::default()
    };
    store
        .set_notification_preferences(f.workspace, f.agent.id, quiet)
        .await
        .unwrap();
    assert_eq!(
        store
            .notification_preferences(f.workspace, f.agent.id)
            .await
            .unwrap(),
        quiet
    );
    store
        .mark_notifications_read(f.workspace, f.agent.id, None, t(3))
        .await
        .unwrap();
    store
        .append_message(incoming(&f, c.id, "third", t(3)))
        .await
        .unwrap();
    let unwanted = store.claim_pushes(far, far, 10).await.unwrap();
    assert!(!unwanted[0].wanted);
    store
        .push_finished(unwanted[0].notification.id, far, None)
        .await
        .unwrap();
    store
        .update_settings(
            f.workspace,
            &switchboard_protocol::settings::SettingsPatch {
                snooze_push: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    store
        .transition(f.workspace, c.id, Transition::Snooze { until: t(10) }, t(4))
        .await
        .unwrap();
    store.wake_snoozed(t(10)).await.unwrap();
    let snooze = store.claim_pushes(far, far, 10).await.unwrap();
    assert_eq!(snooze[0].notification.kind, NotificationKind::SnoozeExpired);
    assert!(!snooze[0].wanted, "the workspace pushes no snooze ends");
    assert!(matches!(
        store
            .set_notification_preferences(WorkspaceId(i64::MAX), f.agent.id, quiet)
            .await,
        Err(StoreError::NotFound)
    ));
}

pub async fn push_subscriptions_belong_to_one_user_and_server_keys_are_kept(store: S) {
    let f = fixture(&store, "Devices").await;
    let other = user(&store, "Vera").await;
    let phone = PushSubscriptionRecord {
        endpoint: "https://push.example/send/abc".into(),
        p256dh: "key".into(),
        auth: "auth".into(),
        language: "en".into(),
    };
    store
        .save_push_subscription(f.agent.id, &phone, t(0))
        .await
        .unwrap();
    assert_eq!(
        store.push_subscriptions(f.agent.id).await.unwrap(),
        vec![phone.clone()]
    );
    // Someone else logs in on that browser and uses it in Russian: the device is theirs now,
    // and its pushes are in Russian.
    let renewed = PushSubscriptionRecord {
        p256dh: "key2".into(),
        language: "ru".into(),
        ..phone.clone()
    };
    store
        .save_push_subscription(other.id, &renewed, t(1))
        .await
        .unwrap();
    assert!(
        store
            .push_subscriptions(f.agent.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.push_subscriptions(other.id).await.unwrap(),
        vec![renewed]
    );
    assert!(
        !store
            .delete_push_subscription(&phone.endpoint, Some(f.agent.id))
            .await
            .unwrap(),
        "not theirs to drop"
    );
    assert!(
        store
            .delete_push_subscription(&phone.endpoint, None)
            .await
            .unwrap()
    );
    assert!(store.push_subscriptions(other.id).await.unwrap().is_empty());

    assert_eq!(store.server_key("vapid", "first").await.unwrap(), "first");
    assert_eq!(store.server_key("vapid", "second").await.unwrap(), "first");
}

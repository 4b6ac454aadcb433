//! Story tests every backend must pass, written once against `dyn Store`.
//!
//! A backend's test suite instantiates them all with
//! `switchboard_storage::conformance_tests!(async { /* a fresh, empty store */ });`
//! which expands to one `#[tokio::test]` per story, so each shows up by name.

#![allow(clippy::unwrap_used)] // Test code: a failed step is a failed story.

use crate::*;
use chrono::{Duration, TimeZone};
use std::sync::Arc;

pub mod arrival_stories;
pub mod channel_stories;
pub mod notification_stories;

pub use crate::reference::inbox_lists_match_the_reference_model;
pub use crate::search_stories::{
    contact_search_respects_masking_and_blocking,
    full_text_search_finds_word_starts_in_any_case_and_script, list_search_follows_contact_edits,
};
pub use arrival_stories::messages_arriving_together_are_stored_as_one_at_a_time;
pub use channel_stories::{
    a_contact_is_reached_on_every_channel_they_use,
    a_conversation_is_reached_where_its_contact_wrote,
    a_first_provider_message_creates_its_contact_and_later_ones_join_it,
    a_polled_channel_is_read_by_one_server_at_a_time, a_provider_account_is_connected_once,
    a_repeated_provider_message_is_stored_once,
    a_worker_that_lost_its_lease_changes_nothing_and_parts_are_not_sent_twice,
    channels_and_their_credentials_belong_to_their_workspace,
    disconnecting_a_channel_fails_its_queued_deliveries,
    edits_of_received_messages_replace_their_content, failed_deliveries_can_be_retried_by_agents,
    files_contacts_send_arrive_with_their_message,
    only_pending_messages_through_providers_are_queued,
    pending_replies_through_providers_are_queued_and_leased,
    polled_channels_keep_their_cursor_and_answers_carry_their_thread,
    provider_statuses_only_move_forward,
    replies_from_providers_find_the_quoted_message_by_its_provider_id,
    replies_in_one_conversation_go_out_in_order, transient_failures_push_the_next_attempt,
};
pub use notification_stories::{
    members_are_told_of_mentions_assignments_messages_and_snoozes_ending,
    notifications_stay_with_their_member_workspace_and_permissions,
    push_subscriptions_belong_to_one_user_and_server_keys_are_kept,
    pushes_are_claimed_once_and_follow_preferences,
};

/// Expands to one test per story for the backend built by `$make` (an expression evaluating
/// to a future of some `Arc<dyn Store>`-convertible store; it is awaited fresh per test).
#[macro_export]
macro_rules! conformance_tests {
    ($make:expr) => {
        $crate::conformance_tests!(@each $make;
            users_are_found_by_email_whatever_its_case,
            sessions_end_when_expired_or_deleted,
            members_see_only_their_workspaces,
            team_members_must_belong_to_the_workspace,
            new_contact_starts_in_the_closed_tab,
            a_send_repeated_with_the_same_client_id_is_stored_once,
            incoming_messages_count_as_unread_until_read,
            messages_reopen_a_closed_conversation_but_comments_do_not,
            another_workspaces_conversation_is_not_found,
            events_are_numbered_without_gaps_and_resumable,
            concurrent_sends_get_distinct_gap_free_sequence_numbers,
            conversation_list_pages_newest_first_without_repeats,
            thread_pages_newest_first,
            visitor_gets_one_conversation_even_when_racing,
            website_chat_is_found_by_its_public_key,
            message_content_kinds_survive_the_round_trip,
            status_changes_are_recorded_with_events,
            illegal_moves_are_refused_and_change_nothing,
            snoozed_conversations_wake_when_their_time_comes,
            blocked_contacts_cannot_be_snoozed_and_blocking_wakes_them,
            assignment_reaches_members_teams_and_the_ai_agent_only,
            replies_quote_the_same_conversation_and_mentions_name_members,
            awaiting_reply_follows_incoming_messages_and_replies,
            members_permissions_teams_and_settings_can_be_changed,
            contacts_with_custom_fields_can_be_edited,
            inbox_lists_match_the_reference_model,
            full_text_search_finds_word_starts_in_any_case_and_script,
            contact_search_respects_masking_and_blocking,
            list_search_follows_contact_edits,
            configuration_changes_are_announced,
            snippets_are_kept_per_workspace_with_unique_names,
            snippets_carry_files_their_editors_uploaded,
            integrations_keep_their_secret_until_replaced,
            ai_ratings_count_each_members_thumbs_down,
            ai_prompts_are_the_workspaces_with_unique_names,
            translations_are_kept_once_per_message_and_language,
            a_translated_reply_keeps_the_agents_own_words,
            the_ai_agent_writes_only_while_it_handles_the_conversation,
            the_dialogflow_bot_writes_only_while_it_is_on,
            workflow_runs_are_leased_logged_and_stopped_for_good,
            attachments_are_sent_in_order_by_their_uploader_only,
            a_first_provider_message_creates_its_contact_and_later_ones_join_it,
            a_repeated_provider_message_is_stored_once,
            replies_from_providers_find_the_quoted_message_by_its_provider_id,
            edits_of_received_messages_replace_their_content,
            pending_replies_through_providers_are_queued_and_leased,
            only_pending_messages_through_providers_are_queued,
            provider_statuses_only_move_forward,
            failed_deliveries_can_be_retried_by_agents,
            transient_failures_push_the_next_attempt,
            disconnecting_a_channel_fails_its_queued_deliveries,
            polled_channels_keep_their_cursor_and_answers_carry_their_thread,
            a_provider_account_is_connected_once,
            a_worker_that_lost_its_lease_changes_nothing_and_parts_are_not_sent_twice,
            a_contact_is_reached_on_every_channel_they_use,
            channels_and_their_credentials_belong_to_their_workspace,
            a_conversation_is_reached_where_its_contact_wrote,
            replies_in_one_conversation_go_out_in_order,
            files_contacts_send_arrive_with_their_message,
            messages_arriving_together_are_stored_as_one_at_a_time,
            a_polled_channel_is_read_by_one_server_at_a_time,
            members_are_told_of_mentions_assignments_messages_and_snoozes_ending,
            notifications_stay_with_their_member_workspace_and_permissions,
            pushes_are_claimed_once_and_follow_preferences,
            push_subscriptions_belong_to_one_user_and_server_keys_are_kept,
            invitations_are_used_once_by_their_address,
        );
    };
    (@each $make:expr; $($story:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $story() {
            let store: ::std::sync::Arc<dyn $crate::Store> = ::std::sync::Arc::new($make.await);
            $crate::conformance::$story(store).await;
        }
    )*};
}

type S = Arc<dyn Store>;

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

/// A workspace with one agent, one website-chat channel.
pub struct Fixture {
    pub workspace: WorkspaceId,
    pub agent: User,
    pub channel: Channel,
}

pub async fn fixture(store: &S, name: &str) -> Fixture {
    let workspace = store.create_workspace(name).await.unwrap();
    let agent = store
        .create_user(NewUser {
            name: &format!("Agent of {name}"),
            email: &format!("agent@{}.test", name.to_lowercase()),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        })
        .await
        .unwrap();
    store
        .add_member(workspace, agent.id, Role::Agent)
        .await
        .unwrap();
    let channel = store
        .create_channel(NewChannel {
            workspace,
            kind: ChannelKind::WebsiteChat,
            name: "Website",
            public_key: Some(&format!("key-{}", name.to_lowercase())),
        })
        .await
        .unwrap();
    Fixture {
        workspace,
        agent,
        channel,
    }
}

/// The fixture's agent as a viewer.
pub async fn viewer(store: &S, f: &Fixture) -> Viewer {
    store
        .viewer(f.workspace, f.agent.id)
        .await
        .unwrap()
        .expect("the agent is a member")
}

pub async fn contact(
    store: &S,
    f: &Fixture,
    first: &str,
    at: DateTime<Utc>,
) -> ConversationSummary {
    store
        .create_contact(NewContact {
            workspace: f.workspace,
            channel: f.channel.id,
            first_name: first,
            last_name: "Tester",
            email: Some(&format!("{}@example.com", first.to_lowercase())),
            phone: None,
            fields: &[],
            created_at: at,
        })
        .await
        .unwrap()
}

pub fn incoming(
    f: &Fixture,
    conversation: ConversationId,
    text: &str,
    at: DateTime<Utc>,
) -> NewMessage {
    NewMessage {
        original: None,
        workspace: f.workspace,
        conversation,
        client_id: None,
        kind: MessageKind::Message,
        direction: Direction::Incoming,
        sender_kind: SenderKind::Contact,
        sender_user: None,
        content: Content::Text { text: text.into() },
        delivery_status: None,
        created_at: at,
        reply_to: None,
        mentions: Vec::new(),
        attachments: Vec::new(),
        channel: None,
    }
}

pub fn reply(
    f: &Fixture,
    conversation: ConversationId,
    client_id: &str,
    text: &str,
    at: DateTime<Utc>,
) -> NewMessage {
    NewMessage {
        original: None,
        workspace: f.workspace,
        conversation,
        client_id: Some(client_id.into()),
        kind: MessageKind::Message,
        direction: Direction::Outgoing,
        sender_kind: SenderKind::Agent,
        sender_user: Some(f.agent.id),
        content: Content::Text { text: text.into() },
        delivery_status: Some(DeliveryStatus::Sent),
        created_at: at,
        reply_to: None,
        mentions: Vec::new(),
        attachments: Vec::new(),
        channel: None,
    }
}

pub async fn users_are_found_by_email_whatever_its_case(store: S) {
    let user = store
        .create_user(NewUser {
            name: "Anna",
            email: "Anna.Smith@Example.com",
            password_hash: "hash",
        })
        .await
        .unwrap();
    let found = store
        .user_credentials("anna.smith@example.COM")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.user, user);
    assert_eq!(found.password_hash, "hash");
    assert!(
        store
            .user_credentials("nobody@example.com")
            .await
            .unwrap()
            .is_none()
    );
    let again = store
        .create_user(NewUser {
            name: "Other Anna",
            email: "anna.smith@example.com",
            password_hash: "other",
        })
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    assert_eq!(store.user_count().await.unwrap(), 1);
}

pub async fn sessions_end_when_expired_or_deleted(store: S) {
    let f = fixture(&store, "Sessions").await;
    store
        .create_session(NewSession {
            token_hash: "h1",
            user: f.agent.id,
            created_at: t(0),
            expires_at: t(60),
        })
        .await
        .unwrap();
    assert_eq!(
        store.session_user("h1", t(59)).await.unwrap(),
        Some(f.agent.clone())
    );
    assert_eq!(store.session_user("h1", t(60)).await.unwrap(), None);
    assert_eq!(store.session_user("other", t(1)).await.unwrap(), None);
    store.delete_session("h1").await.unwrap();
    assert_eq!(store.session_user("h1", t(1)).await.unwrap(), None);
}

pub async fn members_see_only_their_workspaces(store: S) {
    let a = fixture(&store, "Alpha").await;
    let b = fixture(&store, "Beta").await;
    store
        .add_member(b.workspace, a.agent.id, Role::Manager)
        .await
        .unwrap();
    let mine = store.memberships(a.agent.id).await.unwrap();
    assert_eq!(
        mine.iter()
            .map(|m| (m.name.as_str(), m.role))
            .collect::<Vec<_>>(),
        vec![("Alpha", Role::Agent), ("Beta", Role::Manager)]
    );
    let theirs = store.memberships(b.agent.id).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert!(
        store
            .membership(a.workspace, b.agent.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store
            .membership(b.workspace, a.agent.id)
            .await
            .unwrap()
            .map(|m| m.role),
        Some(Role::Manager)
    );
    let twice = store.add_member(b.workspace, a.agent.id, Role::Agent).await;
    assert!(matches!(twice, Err(StoreError::Conflict { .. })));
}

pub async fn team_members_must_belong_to_the_workspace(store: S) {
    let a = fixture(&store, "Alpha").await;
    let b = fixture(&store, "Beta").await;
    let team = store.create_team(a.workspace, "Support").await.unwrap();
    store
        .add_team_member(a.workspace, team, a.agent.id)
        .await
        .unwrap();
    let outsider = store.add_team_member(a.workspace, team, b.agent.id).await;
    assert!(
        matches!(outsider, Err(StoreError::NotFound)),
        "{outsider:?}"
    );
    let wrong_workspace = store.add_team_member(b.workspace, team, b.agent.id).await;
    assert!(matches!(wrong_workspace, Err(StoreError::NotFound)));
}

pub async fn new_contact_starts_in_the_closed_tab(store: S) {
    let f = fixture(&store, "Contacts").await;
    let c = contact(&store, &f, "Olga", t(0)).await;
    assert_eq!(c.status, ConversationStatus::Closed);
    assert_eq!(c.unread_count, 0);
    assert_eq!(c.last_message, None);
    assert_eq!(c.contact.email.as_deref(), Some("olga@example.com"));
    assert_eq!(c.channel, ChannelKind::WebsiteChat);
    assert_eq!(store.conversation(f.workspace, c.id).await.unwrap(), c);
}

pub async fn a_send_repeated_with_the_same_client_id_is_stored_once(store: S) {
    let f = fixture(&store, "Idem").await;
    let c = contact(&store, &f, "Ivan", t(0)).await;
    let first = store
        .append_message(reply(&f, c.id, "abc-1", "Hello", t(1)))
        .await
        .unwrap();
    assert!(first.event.is_some());
    let again = store
        .append_message(reply(&f, c.id, "abc-1", "Hello", t(2)))
        .await
        .unwrap();
    assert!(
        again.event.is_none(),
        "a repeated send must not emit an event"
    );
    assert_eq!(again.message, first.message);
    let page = store
        .messages(
            f.workspace,
            c.id,
            PageRequest {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), 1);
    // The same client id in another conversation is refused, not silently merged.
    let other = contact(&store, &f, "Petr", t(0)).await;
    let clash = store
        .append_message(reply(&f, other.id, "abc-1", "Hi", t(3)))
        .await;
    assert!(
        matches!(clash, Err(StoreError::Conflict { .. })),
        "{clash:?}"
    );
}

pub async fn incoming_messages_count_as_unread_until_read(store: S) {
    let f = fixture(&store, "Unread").await;
    let c = contact(&store, &f, "Vera", t(0)).await;
    for i in 1..=3 {
        store
            .append_message(incoming(&f, c.id, &format!("m{i}"), t(i)))
            .await
            .unwrap();
    }
    let after_reply = store
        .append_message(reply(&f, c.id, "r1", "On it", t(4)))
        .await
        .unwrap();
    assert_eq!(
        after_reply.conversation.unread_count, 3,
        "replies do not clear unread"
    );
    let event = store
        .mark_read(f.workspace, c.id)
        .await
        .unwrap()
        .expect("an event");
    match &event.payload {
        EventPayload::ConversationUpdated { conversation } => {
            assert_eq!(conversation.unread_count, 0)
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .unread_count,
        0
    );
    assert!(store.mark_read(f.workspace, c.id).await.unwrap().is_none());
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), event.seq);
}

pub async fn messages_reopen_a_closed_conversation_but_comments_do_not(store: S) {
    let f = fixture(&store, "Reopen").await;
    let c = contact(&store, &f, "Gleb", t(0)).await;
    let mut comment = reply(&f, c.id, "c1", "Internal note", t(1));
    comment.kind = MessageKind::Comment;
    comment.delivery_status = None;
    let after_comment = store.append_message(comment).await.unwrap();
    assert_eq!(
        after_comment.conversation.status,
        ConversationStatus::Closed
    );
    assert_eq!(after_comment.conversation.unread_count, 0);
    let after_message = store
        .append_message(incoming(&f, c.id, "Hi", t(2)))
        .await
        .unwrap();
    assert_eq!(after_message.conversation.status, ConversationStatus::Open);
    assert_eq!(after_message.conversation.last_activity_at, t(2));
    assert_eq!(
        after_message
            .conversation
            .last_message
            .as_ref()
            .map(|p| p.text.as_str()),
        Some("Hi")
    );
}

pub async fn another_workspaces_conversation_is_not_found(store: S) {
    let a = fixture(&store, "Alpha").await;
    let b = fixture(&store, "Beta").await;
    let theirs = contact(&store, &b, "Secret", t(0)).await;
    store
        .append_message(incoming(&b, theirs.id, "private", t(1)))
        .await
        .unwrap();
    let not_found = |r: &StoreResult<_>| matches!(r, Err(StoreError::NotFound));
    assert!(not_found(
        &store.conversation(a.workspace, theirs.id).await.map(|_| ())
    ));
    assert!(not_found(
        &store
            .messages(
                a.workspace,
                theirs.id,
                PageRequest {
                    after: None,
                    limit: 10
                }
            )
            .await
            .map(|_| ())
    ));
    assert!(not_found(
        &store
            .append_message(incoming(&a, theirs.id, "x", t(2)))
            .await
            .map(|_| ())
    ));
    assert!(not_found(
        &store.mark_read(a.workspace, theirs.id).await.map(|_| ())
    ));
    let listed = store
        .inbox(
            a.workspace,
            &viewer(&store, &a).await,
            &InboxSpec::all(t(10_000)),
            PageRequest {
                after: None,
                limit: 50,
            },
        )
        .await
        .unwrap();
    assert!(listed.items.is_empty());
    assert!(
        store
            .events_since(a.workspace, 0, 100)
            .await
            .unwrap()
            .is_empty()
    );
    // Contacts cannot be created on another workspace's channel either.
    let foreign_channel = store
        .create_contact(NewContact {
            workspace: a.workspace,
            channel: b.channel.id,
            first_name: "X",
            last_name: "",
            email: None,
            phone: None,
            fields: &[],
            created_at: t(0),
        })
        .await;
    assert!(matches!(foreign_channel, Err(StoreError::NotFound)));
    // Nothing of b's changed.
    assert_eq!(
        store
            .conversation(b.workspace, theirs.id)
            .await
            .unwrap()
            .unread_count,
        1
    );
}

pub async fn events_are_numbered_without_gaps_and_resumable(store: S) {
    let f = fixture(&store, "Events").await;
    let c = contact(&store, &f, "Eva", t(0)).await;
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), 0);
    for i in 1..=5 {
        store
            .append_message(incoming(&f, c.id, &format!("m{i}"), t(i)))
            .await
            .unwrap();
    }
    store.mark_read(f.workspace, c.id).await.unwrap();
    let all = store.events_since(f.workspace, 0, 100).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6]
    );
    assert!(all.iter().all(|e| e.workspace_id == f.workspace));
    let rest = store.events_since(f.workspace, 4, 100).await.unwrap();
    assert_eq!(rest.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![5, 6]);
    assert_eq!(rest[..], all[4..]);
    let limited = store.events_since(f.workspace, 1, 2).await.unwrap();
    assert_eq!(
        limited.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![2, 3]
    );
    match &all[0].payload {
        EventPayload::MessageCreated {
            message,
            conversation,
        } => {
            assert_eq!(message.content, Content::Text { text: "m1".into() });
            assert_eq!(conversation.unread_count, 1);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), 6);
    let other = fixture(&store, "Other").await;
    assert_eq!(
        store.last_seq(other.workspace).await.unwrap(),
        0,
        "sequences are per workspace"
    );
}

pub async fn concurrent_sends_get_distinct_gap_free_sequence_numbers(store: S) {
    let f = Arc::new(fixture(&store, "Race").await);
    let c = contact(&store, &f, "Rita", t(0)).await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = store.clone();
            let f = f.clone();
            tokio::spawn(async move {
                store
                    .append_message(reply(&f, c.id, &format!("race-{i}"), "hi", t(i)))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for task in tasks {
        seqs.push(task.await.unwrap().event.unwrap().seq);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=20).collect::<Vec<u64>>());
}

pub async fn conversation_list_pages_newest_first_without_repeats(store: S) {
    let f = fixture(&store, "Paging").await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let c = contact(&store, &f, &format!("C{i}"), t(0)).await;
        // Two conversations share an activity time to exercise the id tie-break.
        let at = if i == 3 { t(2) } else { t(i) };
        store
            .append_message(incoming(&f, c.id, "hi", at))
            .await
            .unwrap();
        ids.push((at, c.id));
    }
    ids.sort_by(|a, b| b.cmp(a));
    let expected: Vec<_> = ids.into_iter().map(|(_, id)| id).collect();
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .inbox(
                f.workspace,
                &viewer(&store, &f).await,
                &InboxSpec::all(t(10_000)),
                PageRequest {
                    after: cursor,
                    limit: 3,
                },
            )
            .await
            .unwrap();
        assert!(page.items.len() <= 3);
        seen.extend(page.items.iter().map(|c| c.id));
        match page.next_cursor {
            Some(next) => cursor = Some(ActivityCursor::decode(&next).expect("a valid cursor")),
            None => break,
        }
    }
    assert_eq!(seen, expected);
}

pub async fn thread_pages_newest_first(store: S) {
    let f = fixture(&store, "Thread").await;
    let c = contact(&store, &f, "Tom", t(0)).await;
    for i in 1..=5 {
        store
            .append_message(incoming(&f, c.id, &format!("m{i}"), t(i)))
            .await
            .unwrap();
    }
    let first = store
        .messages(
            f.workspace,
            c.id,
            PageRequest {
                after: None,
                limit: 2,
            },
        )
        .await
        .unwrap();
    let texts = |p: &Page<Message>| {
        p.items
            .iter()
            .map(|m| m.content.preview_text())
            .collect::<Vec<_>>()
    };
    assert_eq!(texts(&first), vec!["m5", "m4"]);
    let cursor = IdCursor::decode(first.next_cursor.as_deref().unwrap()).unwrap();
    let second = store
        .messages(
            f.workspace,
            c.id,
            PageRequest {
                after: Some(cursor),
                limit: 3,
            },
        )
        .await
        .unwrap();
    assert_eq!(texts(&second), vec!["m3", "m2", "m1"]);
    assert_eq!(second.next_cursor, None);
    assert_eq!(first.items[0].sender.kind, SenderKind::Contact);
    assert_eq!(first.items[0].sender.name, "Tom Tester");
    // One message by its id, in its own workspace only.
    let one = &second.items[1];
    assert_eq!(&store.message(f.workspace, one.id).await.unwrap(), one);
    let other = fixture(&store, "Thread elsewhere").await;
    let foreign = store.message(other.workspace, one.id).await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
}

pub async fn visitor_gets_one_conversation_even_when_racing(store: S) {
    let f = fixture(&store, "Visitors").await;
    store.create_visitor(f.channel.id, "vh").await.unwrap();
    let visitor = store.visitor("vh").await.unwrap().unwrap();
    assert_eq!(visitor.conversation, None);
    assert_eq!(visitor.channel, f.channel);
    let new = |v: &Fixture| NewContact {
        workspace: v.workspace,
        channel: v.channel.id,
        first_name: "Visitor",
        last_name: "42",
        email: None,
        phone: None,
        fields: &[],
        created_at: t(0),
    };
    let (a, b) = tokio::join!(
        store.visitor_conversation(&visitor, new(&f)),
        store.visitor_conversation(&visitor, new(&f))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.id, b.id);
    let listed = store
        .inbox(
            f.workspace,
            &viewer(&store, &f).await,
            &InboxSpec::all(t(10_000)),
            PageRequest {
                after: None,
                limit: 50,
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    let again = store.visitor("vh").await.unwrap().unwrap();
    assert_eq!(again.conversation, Some(a.id));
    assert!(store.visitor("unknown").await.unwrap().is_none());
}

pub async fn website_chat_is_found_by_its_public_key(store: S) {
    let f = fixture(&store, "Keys").await;
    assert_eq!(
        store.channel_by_public_key("key-keys").await.unwrap(),
        Some(f.channel.clone())
    );
    assert_eq!(
        store.channel_by_public_key("key-other").await.unwrap(),
        None
    );
    assert_eq!(
        store.channels(f.workspace).await.unwrap(),
        vec![f.channel.clone()]
    );
}

pub async fn message_content_kinds_survive_the_round_trip(store: S) {
    let f = fixture(&store, "Content").await;
    let c = contact(&store, &f, "Kim", t(0)).await;
    let contents = [
        Content::Text {
            text: "<img src=x onerror=alert(1)> **bold** Привет".into(),
        },
        Content::Image {
            url: "/demo/receipt.svg".into(),
            caption: Some("Receipt".into()),
        },
        Content::Unsupported {
            description: Some("poll".into()),
        },
        Content::CustomPayload {
            payload: "{\"a\":1}".into(),
        },
    ];
    for (i, content) in contents.iter().enumerate() {
        let mut m = incoming(&f, c.id, "", t(i as i64));
        m.content = content.clone();
        let appended = store.append_message(m).await.unwrap();
        assert_eq!(&appended.message.content, content);
    }
    let page = store
        .messages(
            f.workspace,
            c.id,
            PageRequest {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    let mut stored: Vec<_> = page.items.into_iter().map(|m| m.content).collect();
    stored.reverse();
    assert_eq!(stored, contents);

    // The list's preview shows a message's words without its Markdown syntax, read afresh
    // from the store as well as from the append.
    let appended = store
        .append_message(incoming(&f, c.id, "Can I grind it **for a cezve**?", t(9)))
        .await
        .unwrap();
    let want = "Can I grind it for a cezve?";
    let preview = |s: &ConversationSummary| s.last_message.as_ref().map(|p| p.text.clone());
    assert_eq!(preview(&appended.conversation).as_deref(), Some(want));
    let read = store.conversation(f.workspace, c.id).await.unwrap();
    assert_eq!(preview(&read).as_deref(), Some(want));
}

pub async fn status_changes_are_recorded_with_events(store: S) {
    let f = fixture(&store, "Status").await;
    let other = fixture(&store, "Other").await;
    let c = contact(&store, &f, "Sam", t(0)).await;
    let until = t(600);
    let event = store
        .transition(f.workspace, c.id, Transition::Snooze { until }, t(1))
        .await
        .unwrap();
    let snoozed = store.conversation(f.workspace, c.id).await.unwrap();
    assert_eq!(snoozed.status, ConversationStatus::Snoozed);
    assert_eq!(snoozed.snoozed_until, Some(until));
    assert_eq!(snoozed.status_since, t(1));
    assert_eq!(
        event.payload,
        EventPayload::ConversationUpdated {
            conversation: snoozed
        }
    );
    // A contact's message wakes the conversation up and clears the deadline.
    let woke = store
        .append_message(incoming(&f, c.id, "Any news?", t(5)))
        .await
        .unwrap();
    assert_eq!(woke.conversation.status, ConversationStatus::Open);
    assert_eq!(woke.conversation.snoozed_until, None);
    assert_eq!(woke.conversation.status_since, t(5));
    store
        .transition(f.workspace, c.id, close(), t(6))
        .await
        .unwrap();
    assert_eq!(
        store.conversation(f.workspace, c.id).await.unwrap().status,
        ConversationStatus::Closed
    );
    let foreign = store
        .transition(other.workspace, c.id, Transition::Reopen, t(7))
        .await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
    assert_eq!(store.last_seq(other.workspace).await.unwrap(), 0);
}

fn close() -> Transition {
    Transition::Close {
        note: None,
        by: None,
    }
}

pub async fn illegal_moves_are_refused_and_change_nothing(store: S) {
    let f = fixture(&store, "Moves").await;
    let c = contact(&store, &f, "Mia", t(0)).await;
    let before = store.last_seq(f.workspace).await.unwrap();
    // A new contact is closed: closing again and unsnoozing are refused.
    let again = store.transition(f.workspace, c.id, close(), t(1)).await;
    assert!(matches!(again, Err(StoreError::Refused(_))), "{again:?}");
    let unsnooze = store
        .transition(f.workspace, c.id, Transition::Unsnooze, t(1))
        .await;
    assert!(
        matches!(unsnooze, Err(StoreError::Refused(_))),
        "{unsnooze:?}"
    );
    let past = store
        .transition(f.workspace, c.id, Transition::Snooze { until: t(0) }, t(1))
        .await;
    assert!(
        matches!(past, Err(StoreError::Invalid { field: "until", .. })),
        "{past:?}"
    );
    assert_eq!(store.conversation(f.workspace, c.id).await.unwrap(), c);
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), before);
    // Reopen, then close with a note.
    store
        .transition(f.workspace, c.id, Transition::Reopen, t(2))
        .await
        .unwrap();
    let reopen_again = store
        .transition(f.workspace, c.id, Transition::Reopen, t(3))
        .await;
    assert!(matches!(reopen_again, Err(StoreError::Refused(_))));
    let closed = store
        .transition(
            f.workspace,
            c.id,
            Transition::Close {
                note: Some("Refunded".into()),
                by: Some(f.agent.id),
            },
            t(4),
        )
        .await
        .unwrap();
    match closed.payload {
        EventPayload::ConversationUpdated { conversation } => {
            assert_eq!(conversation.status, ConversationStatus::Closed);
            assert_eq!(conversation.status_since, t(4));
        }
        other => panic!("{other:?}"),
    }
}

pub async fn snoozed_conversations_wake_when_their_time_comes(store: S) {
    let f = fixture(&store, "Snooze").await;
    let early = contact(&store, &f, "Early", t(0)).await;
    let late = contact(&store, &f, "Late", t(0)).await;
    assert_eq!(store.next_snooze_deadline().await.unwrap(), None);
    store
        .transition(
            f.workspace,
            early.id,
            Transition::Snooze { until: t(10) },
            t(1),
        )
        .await
        .unwrap();
    store
        .transition(
            f.workspace,
            late.id,
            Transition::Snooze { until: t(20) },
            t(1),
        )
        .await
        .unwrap();
    assert_eq!(store.next_snooze_deadline().await.unwrap(), Some(t(10)));
    assert!(
        store.wake_snoozed(t(9)).await.unwrap().is_empty(),
        "nothing is due yet"
    );
    let woken = store.wake_snoozed(t(10)).await.unwrap();
    assert_eq!(woken.len(), 1);
    let woke = store.conversation(f.workspace, early.id).await.unwrap();
    assert_eq!(woke.status, ConversationStatus::Open);
    assert_eq!(woke.snoozed_until, None);
    assert_eq!(woke.status_since, t(10));
    assert_eq!(
        woken[0].payload,
        EventPayload::ConversationUpdated { conversation: woke }
    );
    assert_eq!(
        store
            .conversation(f.workspace, late.id)
            .await
            .unwrap()
            .status,
        ConversationStatus::Snoozed
    );
    assert_eq!(store.next_snooze_deadline().await.unwrap(), Some(t(20)));
    assert!(
        store.wake_snoozed(t(10)).await.unwrap().is_empty(),
        "woken once"
    );
}

pub async fn blocked_contacts_cannot_be_snoozed_and_blocking_wakes_them(store: S) {
    let f = fixture(&store, "Block").await;
    let c = contact(&store, &f, "Bob", t(0)).await;
    assert!(!store.has_blocked(f.workspace).await.unwrap());
    store
        .transition(f.workspace, c.id, Transition::Snooze { until: t(60) }, t(1))
        .await
        .unwrap();
    let event = store
        .set_blocked(f.workspace, c.contact.id, true)
        .await
        .unwrap()
        .expect("an event");
    match event.payload {
        EventPayload::ConversationUpdated { conversation } => {
            assert!(conversation.contact.blocked);
            assert_eq!(
                conversation.status,
                ConversationStatus::Open,
                "blocking wakes it"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(store.has_blocked(f.workspace).await.unwrap());
    assert!(
        store
            .set_blocked(f.workspace, c.contact.id, true)
            .await
            .unwrap()
            .is_none(),
        "no change"
    );
    let snooze = store
        .transition(f.workspace, c.id, Transition::Snooze { until: t(90) }, t(2))
        .await;
    assert!(matches!(snooze, Err(StoreError::Refused(_))), "{snooze:?}");
    store
        .set_blocked(f.workspace, c.contact.id, false)
        .await
        .unwrap()
        .expect("an event");
    assert!(!store.has_blocked(f.workspace).await.unwrap());
    let other = fixture(&store, "Other").await;
    let foreign = store.set_blocked(other.workspace, c.contact.id, true).await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
}

pub async fn assignment_reaches_members_teams_and_the_ai_agent_only(store: S) {
    let f = fixture(&store, "Assign").await;
    let other = fixture(&store, "Other").await;
    let c = contact(&store, &f, "Ada", t(0)).await;
    assert_eq!(c.assignee, None);
    let me = Some(AssigneeRef::User { id: f.agent.id });
    let event = store
        .assign(f.workspace, c.id, me)
        .await
        .unwrap()
        .expect("an event");
    match event.payload {
        EventPayload::ConversationUpdated { conversation } => assert_eq!(
            conversation.assignee,
            Some(Assignee::User {
                id: f.agent.id,
                name: f.agent.name.clone()
            })
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        store.assign(f.workspace, c.id, me).await.unwrap().is_none(),
        "no change"
    );
    let team = store.create_team(f.workspace, "Billing").await.unwrap();
    store
        .assign(f.workspace, c.id, Some(AssigneeRef::Team { id: team }))
        .await
        .unwrap();
    assert_eq!(
        store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .assignee,
        Some(Assignee::Team {
            id: team,
            name: "Billing".into()
        })
    );
    store
        .assign(f.workspace, c.id, Some(AssigneeRef::AiAgent))
        .await
        .unwrap();
    assert_eq!(
        store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .assignee,
        Some(Assignee::AiAgent)
    );
    let seq = store.last_seq(f.workspace).await.unwrap();
    let outsider = store
        .assign(
            f.workspace,
            c.id,
            Some(AssigneeRef::User { id: other.agent.id }),
        )
        .await;
    assert!(
        matches!(
            outsider,
            Err(StoreError::Invalid {
                field: "assignee",
                ..
            })
        ),
        "{outsider:?}"
    );
    let their_team = store.create_team(other.workspace, "Theirs").await.unwrap();
    let foreign_team = store
        .assign(
            f.workspace,
            c.id,
            Some(AssigneeRef::Team { id: their_team }),
        )
        .await;
    assert!(
        matches!(foreign_team, Err(StoreError::Invalid { .. })),
        "{foreign_team:?}"
    );
    assert_eq!(
        store.last_seq(f.workspace).await.unwrap(),
        seq,
        "refusals record nothing"
    );
    store.assign(f.workspace, c.id, None).await.unwrap();
    assert_eq!(
        store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .assignee,
        None
    );
}

pub async fn replies_quote_the_same_conversation_and_mentions_name_members(store: S) {
    let f = fixture(&store, "Replies").await;
    let other = fixture(&store, "Other").await;
    let c = contact(&store, &f, "Rita", t(0)).await;
    let d = contact(&store, &f, "Dan", t(0)).await;
    let question = store
        .append_message(incoming(&f, c.id, "Where is **my** order?", t(1)))
        .await
        .unwrap();
    let elsewhere = store
        .append_message(incoming(&f, d.id, "Hi", t(1)))
        .await
        .unwrap();
    let mut answer = reply(&f, c.id, "q1", "It ships today", t(2));
    answer.reply_to = Some(question.message.id);
    let answered = store.append_message(answer).await.unwrap();
    let quote = answered.message.reply_to.expect("a quote");
    assert_eq!(quote.id, question.message.id);
    assert_eq!(quote.direction, Direction::Incoming);
    assert_eq!(quote.sender_name, "Rita Tester");
    // The quote carries the words as previews do, without Markdown syntax.
    assert_eq!(quote.text, "Where is my order?");
    let mut wrong = reply(&f, c.id, "q2", "Cross-thread", t(3));
    wrong.reply_to = Some(elsewhere.message.id);
    let refused = store.append_message(wrong).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "reply_to",
                ..
            })
        ),
        "{refused:?}"
    );
    let mut comment = reply(&f, c.id, "m1", "Can you check?", t(4));
    comment.kind = MessageKind::Comment;
    comment.mentions = vec![f.agent.id, f.agent.id];
    let noted = store.append_message(comment).await.unwrap();
    assert_eq!(noted.message.mentions, vec![f.agent.id]);
    let mut outsider = reply(&f, c.id, "m2", "Hey", t(5));
    outsider.mentions = vec![other.agent.id];
    let refused = store.append_message(outsider).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "mentions",
                ..
            })
        ),
        "{refused:?}"
    );
    // Nothing of the refused sends was stored.
    let page = store
        .messages(
            f.workspace,
            c.id,
            PageRequest {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(
        page.items[0].mentions,
        vec![f.agent.id],
        "mentions come back with the thread"
    );
}

pub async fn awaiting_reply_follows_incoming_messages_and_replies(store: S) {
    let f = fixture(&store, "Replied").await;
    let c = contact(&store, &f, "Ida", t(0)).await;
    assert!(!c.awaiting_reply);
    let asked = store
        .append_message(incoming(&f, c.id, "Hello?", t(1)))
        .await
        .unwrap();
    assert!(asked.conversation.awaiting_reply);
    assert_eq!(asked.conversation.last_incoming_at, Some(t(1)));
    let mut comment = reply(&f, c.id, "c", "note", t(2));
    comment.kind = MessageKind::Comment;
    assert!(
        store
            .append_message(comment)
            .await
            .unwrap()
            .conversation
            .awaiting_reply,
        "a comment is no reply"
    );
    assert!(
        !store
            .append_message(reply(&f, c.id, "r", "Hi!", t(3)))
            .await
            .unwrap()
            .conversation
            .awaiting_reply
    );
    assert!(
        store
            .append_message(incoming(&f, c.id, "Still there?", t(4)))
            .await
            .unwrap()
            .conversation
            .awaiting_reply
    );
}

pub async fn members_permissions_teams_and_settings_can_be_changed(store: S) {
    let f = fixture(&store, "People").await;
    let members = store.members(f.workspace).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].role, Role::Agent);
    assert_eq!(members[0].permissions, Role::Agent.default_permissions());
    let masked = Permissions {
        view_blocked: true,
        phone_masked: true,
    };
    let changed = store
        .update_member(
            f.workspace,
            f.agent.id,
            &settings::MemberPatch {
                role: Some(Role::Manager),
                permissions: Some(masked),
            },
        )
        .await
        .unwrap()
        .0;
    assert_eq!((changed.role, changed.permissions), (Role::Manager, masked));
    let viewer = store
        .viewer(f.workspace, f.agent.id)
        .await
        .unwrap()
        .expect("a member");
    assert_eq!(viewer.permissions, masked);
    assert_eq!(
        store
            .membership(f.workspace, f.agent.id)
            .await
            .unwrap()
            .unwrap()
            .permissions,
        masked
    );
    let other = fixture(&store, "Other").await;
    assert!(
        store
            .viewer(f.workspace, other.agent.id)
            .await
            .unwrap()
            .is_none()
    );
    let foreign = store
        .update_member(
            f.workspace,
            other.agent.id,
            &settings::MemberPatch::default(),
        )
        .await;
    assert!(matches!(foreign, Err(StoreError::NotFound)));

    let team = store.create_team(f.workspace, "Sales").await.unwrap();
    let team = store
        .update_team(
            f.workspace,
            team,
            &settings::TeamRequest {
                name: "Sales EU".into(),
                members: vec![f.agent.id],
            },
        )
        .await
        .unwrap()
        .0;
    assert_eq!(team.name, "Sales EU");
    assert_eq!(team.members, vec![f.agent.id]);
    assert_eq!(
        store
            .viewer(f.workspace, f.agent.id)
            .await
            .unwrap()
            .unwrap()
            .teams,
        vec![team.id]
    );
    let outsider = store
        .update_team(
            f.workspace,
            team.id,
            &settings::TeamRequest {
                name: "X".into(),
                members: vec![other.agent.id],
            },
        )
        .await;
    assert!(
        matches!(
            outsider,
            Err(StoreError::Invalid {
                field: "members",
                ..
            })
        ),
        "{outsider:?}"
    );
    assert_eq!(
        store.teams(f.workspace).await.unwrap(),
        vec![team.clone()],
        "a refused change leaves the team as it was"
    );
    assert!(matches!(
        store.delete_team(other.workspace, team.id).await,
        Err(StoreError::NotFound)
    ));
    store.delete_team(f.workspace, team.id).await.unwrap();
    assert!(store.teams(f.workspace).await.unwrap().is_empty());

    let defaults = store.settings(f.workspace).await.unwrap();
    assert_eq!(defaults.closing_notes, settings::ClosingNotes::Optional);
    assert_eq!(defaults.unreplied_cutoff, inbox::default_unreplied_cutoff());
    let cutoff = chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let updated = store
        .update_settings(
            f.workspace,
            &settings::SettingsPatch {
                closing_notes: Some(settings::ClosingNotes::Mandatory),
                unreplied_cutoff: Some(cutoff),
                name: None,
                snooze_push: Some(false),
            },
        )
        .await
        .unwrap()
        .0;
    assert_eq!(updated.closing_notes, settings::ClosingNotes::Mandatory);
    assert_eq!(updated.unreplied_cutoff, cutoff);
    assert_eq!(updated.name, "People");
    assert!(defaults.snooze_push && !updated.snooze_push);
    assert_eq!(
        store.settings(other.workspace).await.unwrap().closing_notes,
        settings::ClosingNotes::Optional
    );
}

pub async fn contacts_with_custom_fields_can_be_edited(store: S) {
    use switchboard_protocol::contacts::*;
    let f = fixture(&store, "Fields").await;
    let other = fixture(&store, "Other").await;
    let plan = store
        .create_custom_field(
            f.workspace,
            &CustomFieldRequest {
                label: "Plan".into(),
                kind: FieldKind::List,
                options: vec!["Basic".into(), "Pro".into()],
            },
        )
        .await
        .unwrap()
        .0;
    let seats = store
        .create_custom_field(
            f.workspace,
            &CustomFieldRequest {
                label: "Seats".into(),
                kind: FieldKind::Number,
                options: vec![],
            },
        )
        .await
        .unwrap()
        .0;
    let theirs = store
        .create_custom_field(
            other.workspace,
            &CustomFieldRequest {
                label: "Secret".into(),
                kind: FieldKind::Text,
                options: vec![],
            },
        )
        .await
        .unwrap()
        .0;
    assert_eq!(
        store.custom_fields(f.workspace).await.unwrap(),
        vec![plan.clone(), seats.clone()]
    );
    let values = [FieldValue {
        field: plan.id,
        value: "Pro".into(),
    }];
    let created = store
        .create_contact(NewContact {
            workspace: f.workspace,
            channel: f.channel.id,
            first_name: "Юлия",
            last_name: "Орлова",
            email: None,
            phone: Some("+7 912 555-01-23"),
            fields: &values,
            created_at: t(0),
        })
        .await
        .unwrap();
    let contact_id = created.contact.id;
    let found = store.contact(f.workspace, contact_id).await.unwrap();
    assert_eq!(found.fields, values);
    assert_eq!(found.conversation_id, created.id);
    assert!(matches!(
        store.contact(other.workspace, contact_id).await,
        Err(StoreError::NotFound)
    ));
    let (changed, event) = store
        .update_contact(
            f.workspace,
            contact_id,
            &ContactChanges {
                first_name: Some("Yulia".into()),
                email: Some(Some("yulia@example.com".into())),
                phone: Some(None),
                fields: vec![(plan.id, None), (seats.id, Some("12".into()))],
                ..ContactChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.summary.first_name, "Yulia");
    assert_eq!(changed.summary.last_name, "Орлова", "absent parts stay");
    assert_eq!(changed.summary.phone, None);
    assert_eq!(
        changed.fields,
        vec![FieldValue {
            field: seats.id,
            value: "12".into()
        }]
    );
    match event.payload {
        EventPayload::ConversationUpdated { conversation } => {
            assert_eq!(conversation.contact, changed.summary)
        }
        other => panic!("{other:?}"),
    }
    let seq = store.last_seq(f.workspace).await.unwrap();
    let foreign_field = store
        .update_contact(
            f.workspace,
            contact_id,
            &ContactChanges {
                fields: vec![(theirs.id, Some("x".into()))],
                ..ContactChanges::default()
            },
        )
        .await;
    assert!(
        matches!(
            foreign_field,
            Err(StoreError::Invalid {
                field: "fields",
                ..
            })
        ),
        "{foreign_field:?}"
    );
    assert_eq!(
        store.contact(f.workspace, contact_id).await.unwrap(),
        changed,
        "a refused change changes nothing"
    );
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), seq);
    let renamed = store
        .update_custom_field(
            f.workspace,
            seats.id,
            &CustomFieldRequest {
                label: "Licences".into(),
                kind: FieldKind::Number,
                options: vec![],
            },
        )
        .await
        .unwrap()
        .0;
    assert_eq!(renamed.label, "Licences");
    let retyped = store
        .update_custom_field(
            f.workspace,
            seats.id,
            &CustomFieldRequest {
                label: "Seats".into(),
                kind: FieldKind::Text,
                options: vec![],
            },
        )
        .await;
    assert!(matches!(
        retyped,
        Err(StoreError::Invalid { field: "kind", .. })
    ));
    assert!(matches!(
        store.delete_custom_field(other.workspace, seats.id).await,
        Err(StoreError::NotFound)
    ));
    store
        .delete_custom_field(f.workspace, seats.id)
        .await
        .unwrap();
    assert!(
        store
            .contact(f.workspace, contact_id)
            .await
            .unwrap()
            .fields
            .is_empty(),
        "values go with their field"
    );
}

pub async fn configuration_changes_are_announced(store: S) {
    use switchboard_protocol::events::WorkspacePart;
    let f = fixture(&store, "Config").await;
    let part = |e: &Event| match &e.payload {
        EventPayload::WorkspaceChanged { part } => *part,
        other => panic!("{other:?}"),
    };
    let (_, event) = store
        .update_settings(f.workspace, &settings::SettingsPatch::default())
        .await
        .unwrap();
    assert_eq!(part(&event), WorkspacePart::Settings);
    let (_, event) = store
        .update_member(f.workspace, f.agent.id, &settings::MemberPatch::default())
        .await
        .unwrap();
    assert_eq!(part(&event), WorkspacePart::Members);
    let team = store.create_team(f.workspace, "Ops").await.unwrap();
    let request = settings::TeamRequest {
        name: "Ops".into(),
        members: vec![],
    };
    let (_, event) = store
        .update_team(f.workspace, team, &request)
        .await
        .unwrap();
    assert_eq!(part(&event), WorkspacePart::Teams);
    assert_eq!(
        part(&store.delete_team(f.workspace, team).await.unwrap()),
        WorkspacePart::Teams
    );
    let field = contacts::CustomFieldRequest {
        label: "Tier".into(),
        kind: contacts::FieldKind::Text,
        options: vec![],
    };
    let (created, event) = store
        .create_custom_field(f.workspace, &field)
        .await
        .unwrap();
    assert_eq!(part(&event), WorkspacePart::CustomFields);
    // A second field of the same label, in any case, is refused and announces nothing.
    let same = contacts::CustomFieldRequest {
        label: "TIER".into(),
        ..field.clone()
    };
    assert!(matches!(
        store.create_custom_field(f.workspace, &same).await,
        Err(StoreError::Conflict { .. })
    ));
    // Keeping its own label while changing options is fine.
    store
        .update_custom_field(f.workspace, created.id, &same)
        .await
        .unwrap();
    let removed = store
        .delete_custom_field(f.workspace, created.id)
        .await
        .unwrap();
    assert_eq!(part(&removed), WorkspacePart::CustomFields);
    let inbox = inbox::CustomInboxRequest {
        name: "Mine".into(),
        filter: inbox::InboxFilter::default(),
        shared_with_users: vec![],
        shared_with_teams: vec![],
    };
    let (made, event) = store
        .create_custom_inbox(f.workspace, f.agent.id, &inbox)
        .await
        .unwrap();
    assert_eq!(part(&event), WorkspacePart::CustomInboxes);
    store
        .delete_custom_inbox(f.workspace, made.id)
        .await
        .unwrap();
    // Every change took the next sequence number; the events are there to replay.
    let events = store.events_since(f.workspace, 0, 100).await.unwrap();
    assert_eq!(events.len(), 9);
    assert_eq!(events.last().map(|e| e.seq), Some(9));
}

pub async fn snippets_are_kept_per_workspace_with_unique_names(store: S) {
    use settings::SnippetRequest;
    use switchboard_protocol::events::WorkspacePart;
    let f = fixture(&store, "Snippets").await;
    let other = fixture(&store, "Elsewhere").await;
    let request = |name: &str, text: &str| SnippetRequest {
        name: name.into(),
        text: text.into(),
        files: vec![],
    };
    let part = |e: &Event| match &e.payload {
        EventPayload::WorkspaceChanged { part } => *part,
        other => panic!("{other:?}"),
    };
    let (shipping, first) = store
        .create_snippet(
            f.workspace,
            &request("shipping", "2–3 working days in the EU."),
            f.agent.id,
        )
        .await
        .unwrap();
    assert_eq!(part(&first), WorkspacePart::Snippets);
    let (greeting, second) = store
        .create_snippet(
            f.workspace,
            &request("Greeting", "Hi {{first_name|there}}!"),
            f.agent.id,
        )
        .await
        .unwrap();
    assert_eq!(part(&second), WorkspacePart::Snippets);
    assert!(second.seq > first.seq);
    assert_eq!(greeting.name, "Greeting");
    assert_eq!(greeting.text, "Hi {{first_name|there}}!");
    assert_ne!(greeting.id, shipping.id);
    assert_eq!(
        store.snippets(f.workspace).await.unwrap(),
        vec![greeting.clone(), shipping.clone()],
        "sorted by name without regard to case"
    );

    let (renamed, third, _) = store
        .update_snippet(
            f.workspace,
            shipping.id,
            &request("delivery", "Delivery takes 2–3 working days."),
            f.agent.id,
        )
        .await
        .unwrap();
    assert_eq!(part(&third), WorkspacePart::Snippets);
    assert!(third.seq > second.seq);
    assert_eq!(renamed.id, shipping.id);
    assert_eq!(renamed.name, "delivery");
    assert_eq!(renamed.text, "Delivery takes 2–3 working days.");
    // Keeping its own name (in another case) is no clash.
    let (recased, fourth, _) = store
        .update_snippet(
            f.workspace,
            greeting.id,
            &request("GREETING", "Hi {{first_name|there}}!"),
            f.agent.id,
        )
        .await
        .unwrap();
    assert_eq!(recased.name, "GREETING");
    assert!(fourth.seq > third.seq);
    assert_eq!(
        store.snippets(f.workspace).await.unwrap(),
        vec![renamed.clone(), recased.clone()]
    );

    // A name taken in the workspace, in any case, is refused and changes nothing.
    let seq = store.last_seq(f.workspace).await.unwrap();
    for clash in ["delivery", "Delivery", "greeting"] {
        let created = store
            .create_snippet(f.workspace, &request(clash, "Again"), f.agent.id)
            .await;
        assert!(
            matches!(created, Err(StoreError::Conflict { .. })),
            "{clash}: {created:?}"
        );
    }
    let moved = store
        .update_snippet(
            f.workspace,
            renamed.id,
            &request("Greeting", "Clash"),
            f.agent.id,
        )
        .await;
    assert!(
        matches!(moved, Err(StoreError::Conflict { .. })),
        "{moved:?}"
    );
    assert_eq!(
        store.snippets(f.workspace).await.unwrap(),
        vec![renamed.clone(), recased.clone()],
        "a refused change changes nothing"
    );
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), seq);

    // Another workspace neither sees nor touches them, and may use the same names.
    assert!(store.snippets(other.workspace).await.unwrap().is_empty());
    let updated = store
        .update_snippet(
            other.workspace,
            renamed.id,
            &request("mine", "Mine"),
            other.agent.id,
        )
        .await;
    assert!(matches!(updated, Err(StoreError::NotFound)), "{updated:?}");
    let deleted = store.delete_snippet(other.workspace, renamed.id).await;
    assert!(matches!(deleted, Err(StoreError::NotFound)), "{deleted:?}");
    assert_eq!(store.last_seq(other.workspace).await.unwrap(), 0);
    let (theirs, _) = store
        .create_snippet(
            other.workspace,
            &request("delivery", "Theirs"),
            other.agent.id,
        )
        .await
        .unwrap();
    assert_eq!(
        store.snippets(other.workspace).await.unwrap(),
        vec![theirs.clone()]
    );
    assert_eq!(
        store.snippets(f.workspace).await.unwrap(),
        vec![renamed.clone(), recased.clone()]
    );

    // Deleting removes it once; a missing id is not found.
    let (removed, _) = store.delete_snippet(f.workspace, renamed.id).await.unwrap();
    assert_eq!(part(&removed), WorkspacePart::Snippets);
    assert!(removed.seq > fourth.seq);
    assert_eq!(store.snippets(f.workspace).await.unwrap(), vec![recased]);
    let again = store.delete_snippet(f.workspace, renamed.id).await;
    assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
    let missing = store
        .update_snippet(
            f.workspace,
            renamed.id,
            &request("gone", "Gone"),
            f.agent.id,
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    assert_eq!(
        store.snippets(other.workspace).await.unwrap(),
        vec![theirs],
        "the other workspace's snippet stays"
    );

    // Every change took the next sequence number; the events are there to replay.
    let events = store.events_since(f.workspace, 0, 100).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    assert!(events.iter().all(|e| part(e) == WorkspacePart::Snippets));
}

pub async fn snippets_carry_files_their_editors_uploaded(store: S) {
    use settings::SnippetRequest;
    let f = fixture(&store, "Snippet files").await;
    let other = fixture(&store, "Other files").await;
    let colleague = store
        .create_user(NewUser {
            name: "Editor",
            email: "editor@snippet-files.test",
            password_hash: "hash",
        })
        .await
        .unwrap();
    store
        .add_member(f.workspace, colleague.id, Role::Manager)
        .await
        .unwrap();
    let c = contact(&store, &f, "Sam", t(0)).await;
    let brochure = upload(&store, f.workspace, f.agent.id, "brochure.pdf", 300).await;
    let photo = upload(&store, f.workspace, f.agent.id, "beans.png", 200).await;
    let request = |name: &str, files: Vec<AttachmentId>| SnippetRequest {
        name: name.into(),
        text: "Our catalogue".into(),
        files,
    };
    let names =
        |s: &settings::Snippet| -> Vec<String> { s.files.iter().map(|a| a.name.clone()).collect() };

    // The files go with the snippet in the order given, listed with it.
    let (snippet, _) = store
        .create_snippet(
            f.workspace,
            &request(
                "catalogue",
                vec![photo.attachment.id, brochure.attachment.id],
            ),
            f.agent.id,
        )
        .await
        .unwrap();
    assert_eq!(names(&snippet), ["beans.png", "brochure.pdf"]);
    assert_eq!(snippet.files[0], photo.attachment);
    assert_eq!(
        store.snippets(f.workspace).await.unwrap(),
        vec![snippet.clone()]
    );
    // A snippet's file is no longer the uploader's to send by itself.
    let record = store
        .attachment(f.workspace, photo.attachment.id)
        .await
        .unwrap();
    assert_eq!(record.snippet, Some(snippet.id));
    assert_eq!(record.conversation, None);
    let mut send = reply(&f, c.id, "snippet-file", "Here", t(1));
    send.attachments = vec![photo.attachment.id];
    let refused = store.append_message(send).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "attachments",
                ..
            })
        ),
        "{refused:?}"
    );

    // Files that are not the editor's uploads, nor the snippet's own, are refused; nothing
    // changes.
    let colleagues = upload(&store, f.workspace, colleague.id, "colleague.pdf", 10).await;
    let theirs = upload(&store, other.workspace, other.agent.id, "theirs.pdf", 10).await;
    let sent = upload(&store, f.workspace, f.agent.id, "sent.pdf", 10).await;
    let mut message = reply(&f, c.id, "sent-file", "Sent", t(1));
    message.attachments = vec![sent.attachment.id];
    store.append_message(message).await.unwrap();
    let elsewhere = upload(&store, f.workspace, f.agent.id, "elsewhere.pdf", 10).await;
    store
        .create_snippet(
            f.workspace,
            &request("second", vec![elsewhere.attachment.id]),
            f.agent.id,
        )
        .await
        .unwrap();
    let before = store.snippets(f.workspace).await.unwrap();
    let seq = store.last_seq(f.workspace).await.unwrap();
    let bad_lists = [
        vec![brochure.attachment.id, colleagues.attachment.id],
        vec![brochure.attachment.id, theirs.attachment.id],
        vec![brochure.attachment.id, sent.attachment.id],
        vec![brochure.attachment.id, elsewhere.attachment.id],
        vec![brochure.attachment.id, AttachmentId(i64::MAX)],
        vec![brochure.attachment.id, brochure.attachment.id],
    ];
    for files in bad_lists {
        let updated = store
            .update_snippet(
                f.workspace,
                snippet.id,
                &request("catalogue", files.clone()),
                f.agent.id,
            )
            .await;
        assert!(
            matches!(updated, Err(StoreError::Invalid { field: "files", .. })),
            "{files:?}: {updated:?}"
        );
        let created = store
            .create_snippet(f.workspace, &request("third", files.clone()), f.agent.id)
            .await;
        assert!(
            matches!(created, Err(StoreError::Invalid { field: "files", .. })),
            "{files:?}: {created:?}"
        );
    }
    assert_eq!(store.snippets(f.workspace).await.unwrap(), before);
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), seq);

    // Another editor reorders, adds their upload and drops a file: the dropped file's row
    // goes and its key is handed back for its bytes.
    let (changed, _, removed) = store
        .update_snippet(
            f.workspace,
            snippet.id,
            &request(
                "catalogue",
                vec![colleagues.attachment.id, brochure.attachment.id],
            ),
            colleague.id,
        )
        .await
        .unwrap();
    assert_eq!(names(&changed), ["colleague.pdf", "brochure.pdf"]);
    assert_eq!(removed, vec![photo.storage_key.clone()]);
    let gone = store.attachment(f.workspace, photo.attachment.id).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");

    // Deleting the snippet deletes its files and hands back their keys.
    let (_, mut keys) = store.delete_snippet(f.workspace, snippet.id).await.unwrap();
    keys.sort();
    let mut expected = vec![brochure.storage_key.clone(), colleagues.storage_key.clone()];
    expected.sort();
    assert_eq!(keys, expected);
    let gone = store.attachment(f.workspace, brochure.attachment.id).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
    // What was sent stays.
    assert!(
        store
            .attachment(f.workspace, sent.attachment.id)
            .await
            .is_ok()
    );
}

pub async fn integrations_keep_their_secret_until_replaced(store: S) {
    let f = fixture(&store, "Integrations").await;
    let other = fixture(&store, "Other integrations").await;
    assert!(
        store
            .integration(f.workspace, "ai")
            .await
            .unwrap()
            .is_none()
    );
    let first = store
        .set_integration(f.workspace, "ai", r#"{"model":"a"}"#, Some("sk-1"), t(0))
        .await
        .unwrap();
    assert_eq!(
        first.1.payload,
        EventPayload::WorkspaceChanged {
            part: switchboard_protocol::events::WorkspacePart::Settings
        }
    );
    let first = first.0;
    assert_eq!(first.settings, r#"{"model":"a"}"#);
    assert_eq!(first.secret.as_deref(), Some("sk-1"));
    assert_eq!(first.updated_at, t(0));
    assert_eq!(
        store.integration(f.workspace, "ai").await.unwrap(),
        Some(first)
    );
    // New settings without a secret keep the secret.
    let second = store
        .set_integration(f.workspace, "ai", r#"{"model":"b"}"#, None, t(1))
        .await
        .unwrap()
        .0;
    assert_eq!(
        (second.settings.as_str(), second.secret.as_deref()),
        (r#"{"model":"b"}"#, Some("sk-1"))
    );
    let third = store
        .set_integration(f.workspace, "ai", r#"{"model":"b"}"#, Some("sk-2"), t(2))
        .await
        .unwrap()
        .0;
    assert_eq!(third.secret.as_deref(), Some("sk-2"));
    assert!(
        !format!("{third:?}").contains("sk-2"),
        "the secret is never printed"
    );
    // Per workspace and per kind.
    assert!(
        store
            .integration(other.workspace, "ai")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .integration(f.workspace, "hubspot")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .delete_integration(other.workspace, "ai")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .delete_integration(f.workspace, "ai")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .integration(f.workspace, "ai")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .delete_integration(f.workspace, "ai")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn ai_ratings_count_each_members_thumbs_down(store: S) {
    let f = fixture(&store, "Ratings").await;
    let other = fixture(&store, "Other ratings").await;
    let colleague = store
        .create_user(NewUser {
            name: "Rater",
            email: "rater@ratings.test",
            password_hash: "hash",
        })
        .await
        .unwrap();
    store
        .add_member(f.workspace, colleague.id, Role::Agent)
        .await
        .unwrap();
    let (up, downs) = store
        .rate_ai_draft(f.workspace, f.agent.id, true, "Great draft", t(0))
        .await
        .unwrap();
    assert!(up.good);
    assert_eq!(downs, 0);
    let mut counts = vec![];
    for i in 1..=3 {
        let (_, downs) = store
            .rate_ai_draft(f.workspace, f.agent.id, false, &format!("Bad {i}"), t(i))
            .await
            .unwrap();
        counts.push(downs);
    }
    assert_eq!(counts, [1, 2, 3]);
    // Another member's and another workspace's thumbs-down are counted apart.
    let (theirs, downs) = store
        .rate_ai_draft(f.workspace, colleague.id, false, "Meh", t(5))
        .await
        .unwrap();
    assert_eq!(downs, 1);
    let (_, downs) = store
        .rate_ai_draft(other.workspace, other.agent.id, false, "x", t(5))
        .await
        .unwrap();
    assert_eq!(downs, 1);

    // Feedback goes on one's own thumbs-down only.
    let ratings = store.ai_ratings(f.workspace).await.unwrap();
    assert_eq!(ratings.len(), 5);
    assert_eq!(ratings[0], theirs, "newest first");
    let mine = ratings
        .iter()
        .find(|r| r.user == f.agent.id && !r.good)
        .unwrap();
    store
        .ai_rating_feedback(
            f.workspace,
            f.agent.id,
            mine.id,
            "It ignored the order number",
        )
        .await
        .unwrap();
    for (workspace, user, id) in [
        (f.workspace, colleague.id, mine.id),
        (f.workspace, f.agent.id, up.id),
        (other.workspace, f.agent.id, mine.id),
    ] {
        let refused = store.ai_rating_feedback(workspace, user, id, "x").await;
        assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    }
    let after = store.ai_ratings(f.workspace).await.unwrap();
    let kept = after.iter().find(|r| r.id == mine.id).unwrap();
    assert_eq!(
        kept.feedback.as_deref(),
        Some("It ignored the order number")
    );
    assert_eq!(after.iter().filter(|r| r.feedback.is_some()).count(), 1);
}

/// Records an upload of `name` by `uploader` (K3); the bytes are the caller's business.
async fn upload(
    store: &S,
    workspace: WorkspaceId,
    uploader: UserId,
    name: &str,
    size: u64,
) -> AttachmentRecord {
    let content_type = if name.ends_with(".png") {
        "image/png"
    } else {
        "application/pdf"
    };
    store
        .create_attachment(NewAttachment {
            workspace,
            uploader,
            name: name.into(),
            content_type: content_type.into(),
            size,
            storage_key: format!("ws{workspace}/{name}-{uploader}-{size}"),
            created_at: t(0),
        })
        .await
        .unwrap()
}

pub async fn attachments_are_sent_in_order_by_their_uploader_only(store: S) {
    let f = fixture(&store, "Files").await;
    let other = fixture(&store, "Strangers").await;
    let colleague = store
        .create_user(NewUser {
            name: "Colleague",
            email: "colleague@files.test",
            password_hash: "hash",
        })
        .await
        .unwrap();
    store
        .add_member(f.workspace, colleague.id, Role::Agent)
        .await
        .unwrap();
    let c = contact(&store, &f, "Fiona", t(0)).await;
    let page = || PageRequest::<IdCursor> {
        after: None,
        limit: 50,
    };

    // An upload is recorded unsent, readable in its workspace only.
    let photo = upload(&store, f.workspace, f.agent.id, "photo.png", 120).await;
    let invoice = upload(&store, f.workspace, f.agent.id, "Счёт №5.pdf", 4096).await;
    assert_eq!(photo.uploader, Some(f.agent.id));
    assert_eq!(photo.conversation, None);
    assert_eq!(photo.kind, None);
    assert_eq!(photo.attachment.name, "photo.png");
    assert_eq!(photo.attachment.content_type, "image/png");
    assert_eq!(photo.attachment.size, 120);
    assert!(photo.attachment.is_image());
    assert_eq!(
        photo.attachment.url,
        format!(
            "/api/v1/workspaces/{}/attachments/{}",
            f.workspace, photo.attachment.id
        )
    );
    assert_eq!(invoice.attachment.name, "Счёт №5.pdf");
    assert_ne!(photo.attachment.id, invoice.attachment.id);
    assert_eq!(
        store
            .attachment(f.workspace, photo.attachment.id)
            .await
            .unwrap(),
        photo
    );
    let foreign = store.attachment(other.workspace, photo.attachment.id).await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
    let missing = store.attachment(f.workspace, AttachmentId(i64::MAX)).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    // Storage keys are unique.
    let twice = store
        .create_attachment(NewAttachment {
            workspace: f.workspace,
            uploader: f.agent.id,
            name: "copy.pdf".into(),
            content_type: "application/pdf".into(),
            size: 1,
            storage_key: photo.storage_key.clone(),
            created_at: t(0),
        })
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict { .. })),
        "{twice:?}"
    );

    // Files that are not the sender's to send are refused, and nothing is stored.
    let theirs = upload(&store, other.workspace, other.agent.id, "theirs.pdf", 10).await;
    let colleagues = upload(&store, f.workspace, colleague.id, "colleague.pdf", 10).await;
    let before = store.last_seq(f.workspace).await.unwrap();
    let refused_ids = [
        theirs.attachment.id,
        colleagues.attachment.id,
        AttachmentId(i64::MAX),
        photo.attachment.id,
    ];
    for (i, bad) in refused_ids.into_iter().enumerate() {
        let mut send = reply(&f, c.id, &format!("bad-{i}"), "Files", t(1));
        // A good file before the bad one: it must stay unsent too. The last case names one
        // file twice.
        send.attachments = vec![photo.attachment.id, bad];
        let refused = store.append_message(send).await;
        assert!(
            matches!(
                refused,
                Err(StoreError::Invalid {
                    field: "attachments",
                    ..
                })
            ),
            "{bad}: {refused:?}"
        );
    }
    // Incoming messages have no uploader, so they carry no uploaded files.
    let mut incoming_files = incoming(&f, c.id, "Here", t(1));
    incoming_files.attachments = vec![photo.attachment.id];
    let refused = store.append_message(incoming_files).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "attachments",
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(store.last_seq(f.workspace).await.unwrap(), before);
    let thread = store.messages(f.workspace, c.id, page()).await.unwrap();
    assert!(thread.items.is_empty(), "{thread:?}");
    for file in [&photo, &colleagues] {
        assert_eq!(
            store
                .attachment(f.workspace, file.attachment.id)
                .await
                .unwrap(),
            *file,
            "still unsent"
        );
    }
    assert_eq!(
        store
            .attachment(other.workspace, theirs.attachment.id)
            .await
            .unwrap(),
        theirs
    );

    // Sent in the order given, with the text; the thread, the event and search agree.
    let mut send = reply(&f, c.id, "files-1", "Here is the paperwork", t(2));
    send.attachments = vec![invoice.attachment.id, photo.attachment.id];
    let sent = store.append_message(send.clone()).await.unwrap();
    let files = vec![invoice.attachment.clone(), photo.attachment.clone()];
    assert_eq!(sent.message.attachments, files);
    assert_eq!(sent.conversation.last_message, Some(sent.message.preview()));
    assert_eq!(sent.message.preview().text, "📎 Here is the paperwork");
    let thread = store.messages(f.workspace, c.id, page()).await.unwrap();
    assert_eq!(thread.items, vec![sent.message.clone()]);
    let event = sent.event.clone().expect("an event");
    let replayed = store.events_since(f.workspace, before, 10).await.unwrap();
    assert_eq!(replayed, vec![event.clone()]);
    match &event.payload {
        EventPayload::MessageCreated {
            message,
            conversation,
        } => {
            assert_eq!(message.attachments, files);
            assert_eq!(conversation.last_message, Some(message.preview()));
        }
        other => panic!("unexpected {other:?}"),
    }
    let found = store
        .search_messages(
            f.workspace,
            &viewer(&store, &f).await,
            "paperwork",
            None,
            PageRequest {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].message, sent.message);
    for file in [&invoice, &photo] {
        let record = store
            .attachment(f.workspace, file.attachment.id)
            .await
            .unwrap();
        assert_eq!(record.conversation, Some(c.id));
        assert_eq!(record.kind, Some(sent.message.kind));
        assert_eq!(record.attachment, file.attachment);
    }

    // A retry of the stored send answers it unchanged, whatever files it names.
    let again = store.append_message(send).await.unwrap();
    assert!(again.event.is_none());
    assert_eq!(again.message, sent.message);
    let spare = upload(&store, f.workspace, f.agent.id, "spare.pdf", 3).await;
    let mut retry = reply(&f, c.id, "files-1", "Here is the paperwork", t(3));
    retry.attachments = vec![spare.attachment.id];
    let again = store.append_message(retry).await.unwrap();
    assert!(again.event.is_none());
    assert_eq!(again.message, sent.message);
    assert_eq!(
        store
            .attachment(f.workspace, spare.attachment.id)
            .await
            .unwrap()
            .conversation,
        None
    );
    // A sent file cannot be sent again.
    let mut resend = reply(&f, c.id, "files-2", "Once more", t(4));
    resend.attachments = vec![photo.attachment.id];
    let refused = store.append_message(resend).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "attachments",
                ..
            })
        ),
        "{refused:?}"
    );

    // Files without text: the preview names the file, or counts them. Comments carry files.
    let mut only = reply(&f, c.id, "files-3", "", t(5));
    only.attachments = vec![spare.attachment.id];
    let sent_only = store.append_message(only).await.unwrap();
    assert_eq!(sent_only.message.preview().text, "📎 spare.pdf");
    assert_eq!(
        store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .last_message,
        Some(sent_only.message.preview())
    );
    let one = upload(&store, f.workspace, f.agent.id, "one.png", 5).await;
    let two = upload(&store, f.workspace, f.agent.id, "two.png", 6).await;
    let mut note = reply(&f, c.id, "files-4", "", t(6));
    note.kind = MessageKind::Comment;
    note.attachments = vec![two.attachment.id, one.attachment.id];
    let noted = store.append_message(note).await.unwrap();
    assert_eq!(
        noted.message.attachments,
        vec![two.attachment.clone(), one.attachment.clone()]
    );
    assert_eq!(noted.message.preview().text, "📎 2 files");
    assert_eq!(
        store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .last_message,
        Some(noted.message.preview())
    );
    let thread = store.messages(f.workspace, c.id, page()).await.unwrap();
    assert_eq!(
        thread.items,
        vec![noted.message, sent_only.message, sent.message],
        "each message with its own files, in order"
    );
}

pub async fn invitations_are_used_once_by_their_address(store: S) {
    let f = fixture(&store, "Invites").await;
    let other = fixture(&store, "Elsewhere").await;
    let expires = t(60 * 24 * 7);
    let invite = |email: &'static str, token: &'static str, role: Role| NewInvitation {
        workspace: f.workspace,
        email,
        role,
        token_hash: token,
        invited_by: f.agent.id,
        created_at: t(0),
        expires_at: expires,
    };
    let made = store
        .create_invitation(invite("Vera@Example.com", "hash-vera", Role::Manager))
        .await
        .unwrap();
    assert_eq!(
        (made.email.as_str(), made.role),
        ("Vera@Example.com", Role::Manager)
    );
    // A member's address is not invited again.
    assert!(matches!(
        store
            .create_invitation(invite("AGENT@invites.test", "hash-agent", Role::Agent))
            .await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        store.invitations(f.workspace, t(1)).await.unwrap(),
        vec![made.clone()]
    );
    assert!(
        store
            .invitations(other.workspace, t(1))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .invitations(f.workspace, expires)
            .await
            .unwrap()
            .is_empty(),
        "expired"
    );
    let open = store
        .open_invitation("hash-vera", t(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (open.workspace, open.workspace_name.as_str()),
        (f.workspace, "Invites")
    );
    assert_eq!(
        store.open_invitation("hash-vera", expires).await.unwrap(),
        None
    );
    assert_eq!(store.open_invitation("nope", t(1)).await.unwrap(), None);

    // Only the invited address's account may use it; once.
    let vera = store
        .create_user(NewUser {
            name: "Vera",
            email: "vera@example.com",
            password_hash: "hash",
        })
        .await
        .unwrap();
    assert!(matches!(
        store
            .accept_invitation("hash-vera", other.agent.id, t(2))
            .await,
        Err(StoreError::Invalid { field: "email", .. })
    ));
    let (workspace, event) = store
        .accept_invitation("hash-vera", vera.id, t(2))
        .await
        .unwrap();
    assert_eq!(workspace, f.workspace);
    assert_eq!(
        event.payload,
        EventPayload::WorkspaceChanged {
            part: switchboard_protocol::events::WorkspacePart::Members
        }
    );
    let viewer = store.viewer(f.workspace, vera.id).await.unwrap().unwrap();
    assert_eq!(viewer.role, Role::Manager);
    assert!(matches!(
        store.accept_invitation("hash-vera", vera.id, t(3)).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store
            .invitations(f.workspace, t(3))
            .await
            .unwrap()
            .is_empty()
    );

    // Revoked: the link stops working; another workspace cannot revoke it.
    let later = store
        .create_invitation(invite("li@example.com", "hash-li", Role::Agent))
        .await
        .unwrap();
    assert!(matches!(
        store.revoke_invitation(other.workspace, later.id).await,
        Err(StoreError::NotFound)
    ));
    store
        .revoke_invitation(f.workspace, later.id)
        .await
        .unwrap();
    assert_eq!(store.open_invitation("hash-li", t(4)).await.unwrap(), None);
}

pub async fn ai_prompts_are_the_workspaces_with_unique_names(store: S) {
    use switchboard_protocol::ai::AiPromptRequest;
    let f = fixture(&store, "Prompts").await;
    let other = fixture(&store, "Other prompts").await;
    let request = |name: &str, instructions: &str| AiPromptRequest {
        name: name.into(),
        instructions: instructions.into(),
    };
    let pirate = store
        .create_ai_prompt(f.workspace, &request("Pirate", "Talk like a pirate."), t(0))
        .await
        .unwrap();
    let brief = store
        .create_ai_prompt(
            f.workspace,
            &request("brief", "Two sentences at most."),
            t(0),
        )
        .await
        .unwrap();
    assert_eq!(pirate.name, "Pirate");
    assert_eq!(pirate.instructions, "Talk like a pirate.");
    // Names are unique without regard to case, in one workspace only.
    assert!(matches!(
        store
            .create_ai_prompt(f.workspace, &request("PIRATE", "x"), t(1))
            .await,
        Err(StoreError::Conflict { .. })
    ));
    store
        .create_ai_prompt(other.workspace, &request("Pirate", "Arr."), t(1))
        .await
        .unwrap();
    // Listed by name without regard to case.
    let names: Vec<String> = store
        .ai_prompts(f.workspace)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["brief", "Pirate"]);
    // Another workspace's prompt is not found, read, changed nor deleted.
    for id in [pirate.id, brief.id] {
        assert!(matches!(
            store.ai_prompt(other.workspace, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .update_ai_prompt(other.workspace, id, &request("Mine", "x"), t(2))
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.delete_ai_prompt(other.workspace, id).await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(matches!(
        store
            .update_ai_prompt(f.workspace, brief.id, &request("pirate", "x"), t(2))
            .await,
        Err(StoreError::Conflict { .. })
    ));
    let renamed = store
        .update_ai_prompt(
            f.workspace,
            brief.id,
            &request("Short", "One sentence."),
            t(2),
        )
        .await
        .unwrap();
    assert_eq!(
        store.ai_prompt(f.workspace, brief.id).await.unwrap(),
        renamed
    );
    assert_eq!(renamed.instructions, "One sentence.");
    store
        .delete_ai_prompt(f.workspace, pirate.id)
        .await
        .unwrap();
    assert_eq!(store.ai_prompts(f.workspace).await.unwrap(), vec![renamed]);
    assert_eq!(store.ai_prompts(other.workspace).await.unwrap().len(), 1);
}

pub async fn translations_are_kept_once_per_message_and_language(store: S) {
    let f = fixture(&store, "Translations").await;
    let other = fixture(&store, "Other translations").await;
    let c = contact(&store, &f, "Hans", t(0)).await;
    let message = store
        .append_message(incoming(&f, c.id, "Wo ist mein Paket?", t(1)))
        .await
        .unwrap()
        .message;
    assert_eq!(
        store
            .translation(f.workspace, message.id, "en")
            .await
            .unwrap(),
        None
    );
    let kept = store
        .keep_translation(f.workspace, message.id, "en", "Where is my parcel?", t(2))
        .await
        .unwrap();
    assert_eq!(kept, "Where is my parcel?");
    // A second translation into the same language (two agents at once) gets the first.
    let again = store
        .keep_translation(f.workspace, message.id, "en", "Where's my package?", t(3))
        .await
        .unwrap();
    assert_eq!(again, "Where is my parcel?");
    store
        .keep_translation(f.workspace, message.id, "ru", "Где моя посылка?", t(3))
        .await
        .unwrap();
    assert_eq!(
        store
            .translation(f.workspace, message.id, "ru")
            .await
            .unwrap()
            .as_deref(),
        Some("Где моя посылка?")
    );
    // Another workspace neither reads nor writes it.
    assert!(matches!(
        store.translation(other.workspace, message.id, "en").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .keep_translation(other.workspace, message.id, "de", "x", t(4))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .translation(f.workspace, MessageId(i64::MAX), "en")
            .await,
        Err(StoreError::NotFound)
    ));
}

pub async fn a_translated_reply_keeps_the_agents_own_words(store: S) {
    let f = fixture(&store, "Originals").await;
    let c = contact(&store, &f, "Marta", t(0)).await;
    let mut translated = reply(&f, c.id, "tr-1", "Ihr Paket kommt morgen.", t(1));
    translated.original = Some("Your parcel arrives tomorrow.".into());
    let sent = store.append_message(translated).await.unwrap().message;
    assert_eq!(
        sent.original.as_deref(),
        Some("Your parcel arrives tomorrow.")
    );
    assert_eq!(
        sent.content,
        Content::Text {
            text: "Ihr Paket kommt morgen.".into()
        }
    );
    let plain = store
        .append_message(reply(&f, c.id, "tr-2", "Bis bald!", t(2)))
        .await
        .unwrap()
        .message;
    assert_eq!(plain.original, None);
    let page = store
        .messages(
            f.workspace,
            c.id,
            PageRequest {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    let read = page.items.iter().find(|m| m.id == sent.id).unwrap();
    assert_eq!(
        read.original.as_deref(),
        Some("Your parcel arrives tomorrow.")
    );
}

pub async fn the_ai_agent_writes_only_while_it_handles_the_conversation(store: S) {
    let f = fixture(&store, "AI Agent").await;
    let c = contact(&store, &f, "Nina", t(0)).await;
    let by_ai = |client_id: &str, kind: MessageKind| {
        let mut message = reply(&f, c.id, client_id, "Hello from the AI Agent", t(1));
        message.sender_kind = SenderKind::AiAgent;
        message.sender_user = None;
        message.kind = kind;
        message
    };
    // Not its conversation: refused, nothing stored.
    assert!(matches!(
        store
            .append_message(by_ai("ai-1", MessageKind::Message))
            .await,
        Err(StoreError::Refused(_))
    ));
    store
        .assign(f.workspace, c.id, Some(AssigneeRef::AiAgent))
        .await
        .unwrap();
    let sent = store
        .append_message(by_ai("ai-1", MessageKind::Message))
        .await
        .unwrap()
        .message;
    assert_eq!(sent.sender.kind, SenderKind::AiAgent);
    // Taken over: the AI Agent writes nothing more, and releasing changes nothing.
    store
        .assign(
            f.workspace,
            c.id,
            Some(AssigneeRef::User { id: f.agent.id }),
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .append_message(by_ai("ai-2", MessageKind::Message))
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        store
            .append_message(by_ai("ai-3", MessageKind::Comment))
            .await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(store.release_ai(f.workspace, c.id).await.unwrap(), None);
    assert!(matches!(
        store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .assignee,
        Some(Assignee::User { .. })
    ));
    let page = store
        .messages(
            f.workspace,
            c.id,
            PageRequest {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    // Handed back while it handles it: unassigned, with the event.
    store
        .assign(f.workspace, c.id, Some(AssigneeRef::AiAgent))
        .await
        .unwrap();
    assert!(store.release_ai(f.workspace, c.id).await.unwrap().is_some());
    assert_eq!(
        store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .assignee,
        None
    );
    let other = fixture(&store, "Other AI Agent").await;
    assert!(matches!(
        store.release_ai(other.workspace, c.id).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn the_dialogflow_bot_writes_only_while_it_is_on(store: S) {
    let f = fixture(&store, "Dialogflow").await;
    let c = contact(&store, &f, "Nina", t(0)).await;
    let by_bot = |client_id: &str| {
        let mut message = reply(&f, c.id, client_id, "Our shop opens at nine.", t(1));
        message.sender_kind = SenderKind::Bot;
        message.sender_user = None;
        message
    };
    assert!(!c.dialogflow_bot);
    // Off: refused, nothing stored.
    assert!(matches!(
        store.append_message(by_bot("bot-1")).await,
        Err(StoreError::Refused(_))
    ));
    let event = store
        .set_dialogflow_bot(f.workspace, c.id, true)
        .await
        .unwrap()
        .expect("turned on");
    assert!(matches!(
        &event.payload,
        EventPayload::ConversationUpdated { conversation } if conversation.dialogflow_bot
    ));
    // Turned on again: nothing changes.
    assert_eq!(
        store
            .set_dialogflow_bot(f.workspace, c.id, true)
            .await
            .unwrap(),
        None
    );
    assert!(
        store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .dialogflow_bot
    );
    let sent = store.append_message(by_bot("bot-1")).await.unwrap().message;
    assert_eq!(sent.sender.kind, SenderKind::Bot);
    // Off again: the bot writes nothing more.
    assert!(
        store
            .set_dialogflow_bot(f.workspace, c.id, false)
            .await
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        store.append_message(by_bot("bot-2")).await,
        Err(StoreError::Refused(_))
    ));
    let page = store
        .messages(
            f.workspace,
            c.id,
            PageRequest {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    // Another workspace's conversation is not found.
    let other = fixture(&store, "Other Dialogflow").await;
    assert!(matches!(
        store.set_dialogflow_bot(other.workspace, c.id, true).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        !store
            .conversation(f.workspace, c.id)
            .await
            .unwrap()
            .dialogflow_bot
    );
}

pub async fn workflow_runs_are_leased_logged_and_stopped_for_good(store: S) {
    use switchboard_protocol::workflows::*;
    let f = fixture(&store, "Workflows").await;
    let c = contact(&store, &f, "Nina", t(0)).await;
    let request = WorkflowRequest {
        name: "Follow up".into(),
        trigger: WorkflowTrigger::Shortcut,
        steps: vec![
            WorkflowStep::SendMessage {
                text: "Thanks for writing!".into(),
            },
            WorkflowStep::Wait { seconds: 3600 },
            WorkflowStep::AddComment {
                text: "Followed up.".into(),
            },
        ],
        enabled: true,
    };
    let (workflow, event) = store
        .create_workflow(f.workspace, &request, t(0))
        .await
        .unwrap();
    assert!(matches!(
        event.payload,
        EventPayload::WorkspaceChanged {
            part: switchboard_protocol::events::WorkspacePart::Settings
        }
    ));
    assert_eq!(workflow.steps, request.steps);
    let mut same = request.clone();
    same.name = "FOLLOW UP".into();
    assert!(matches!(
        store.create_workflow(f.workspace, &same, t(0)).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        store.workflows(f.workspace).await.unwrap(),
        vec![workflow.clone()]
    );

    let run = store
        .start_workflow_run(f.workspace, workflow.id, c.id, Some(f.agent.id), None, t(1))
        .await
        .unwrap()
        .expect("started");
    assert_eq!(
        (run.status, run.step, run.steps_total),
        (RunStatus::Running, 0, 3)
    );
    assert_eq!(run.contact_id, c.contact.id);
    // A trigger starts one run per occurrence.
    let keyed = store
        .start_workflow_run(f.workspace, workflow.id, c.id, None, Some("closed:1"), t(1))
        .await
        .unwrap()
        .expect("started once");
    assert_eq!(
        store
            .start_workflow_run(f.workspace, workflow.id, c.id, None, Some("closed:1"), t(1))
            .await
            .unwrap(),
        None
    );

    // Claimed under a lease: nobody else gets them meanwhile.
    let held = store.claim_workflow_runs(t(2), t(7), 10).await.unwrap();
    assert_eq!(held.len(), 2);
    assert!(
        store
            .claim_workflow_runs(t(3), t(8), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let mut mine = held.into_iter().find(|h| h.id == run.id).expect("the run");
    assert_eq!(mine.steps, request.steps);
    assert!(store.workflow_run_held(&mine).await.unwrap());
    assert!(
        store
            .advance_workflow_run(
                &mine,
                "Sent.",
                RunProgress::Next { step: 1, due: t(3) },
                t(3)
            )
            .await
            .unwrap()
    );
    mine.step = 1;
    // A wait gives the lease up until it ends.
    assert!(
        store
            .advance_workflow_run(
                &mine,
                "Waiting 1 hour.",
                RunProgress::Next {
                    step: 2,
                    due: t(63)
                },
                t(3)
            )
            .await
            .unwrap()
    );
    assert!(!store.workflow_run_held(&mine).await.unwrap());
    assert_eq!(
        store.next_workflow_run_at().await.unwrap(),
        Some(t(7)),
        "the keyed run's lease"
    );
    let later = store.claim_workflow_runs(t(64), t(69), 10).await.unwrap();
    let again = later.iter().find(|h| h.id == run.id).expect("due again");
    assert_eq!(again.step, 2);
    let by_workflow = |client_id: &str| {
        let mut message = reply(&f, c.id, client_id, "Followed up.", t(64));
        message.kind = MessageKind::Comment;
        message.delivery_status = None;
        message.sender_kind = SenderKind::Workflow;
        message.sender_user = None;
        message
    };
    let written = store
        .append_workflow_message(again, by_workflow("workflow-1-2"))
        .await
        .unwrap();
    assert_eq!(written.message.sender.kind, SenderKind::Workflow);

    // Stop all: no further step is recorded, and nothing is claimed.
    let stopped = store
        .stop_workflow_runs(f.workspace, c.contact.id, None, f.agent.id, t(65))
        .await
        .unwrap();
    assert_eq!(stopped.len(), 2);
    assert!(stopped.iter().all(|r| r.status == RunStatus::Stopped));
    assert_eq!(
        stopped[0].outcome.as_deref(),
        Some("Stopped by Agent of Workflows.")
    );
    assert!(
        !store
            .advance_workflow_run(again, "Commented.", RunProgress::Done, t(66))
            .await
            .unwrap()
    );
    // Nor is anything it would write.
    assert!(matches!(
        store
            .append_workflow_message(again, by_workflow("workflow-1-3"))
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(
        store
            .claim_workflow_runs(t(500), t(505), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.next_workflow_run_at().await.unwrap(), None);
    assert!(
        store
            .workflow_runs(f.workspace, c.contact.id, true)
            .await
            .unwrap()
            .is_empty()
    );
    let all = store
        .workflow_runs(f.workspace, c.contact.id, false)
        .await
        .unwrap();
    let logged = all.iter().find(|r| r.id == run.id).expect("the run");
    assert_eq!(
        logged
            .log
            .iter()
            .map(|l| l.outcome.as_str())
            .collect::<Vec<_>>(),
        ["Sent.", "Waiting 1 hour."]
    );
    assert!(matches!(
        store
            .stop_workflow_runs(f.workspace, c.contact.id, Some(keyed.id), f.agent.id, t(66))
            .await,
        Err(StoreError::NotFound)
    ));

    // Another workspace reaches none of it.
    let other = fixture(&store, "Other Workflows").await;
    assert!(matches!(
        store
            .start_workflow_run(other.workspace, workflow.id, c.id, None, None, t(70))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store
            .workflow_runs(other.workspace, c.contact.id, false)
            .await
            .unwrap()
            .is_empty()
    );

    // Deleting a workflow stops its ongoing runs.
    let run = store
        .start_workflow_run(f.workspace, workflow.id, c.id, None, None, t(80))
        .await
        .unwrap()
        .expect("started");
    store
        .delete_workflow(f.workspace, workflow.id, t(81))
        .await
        .unwrap();
    assert!(matches!(
        store.workflow(f.workspace, workflow.id).await,
        Err(StoreError::NotFound)
    ));
    let all = store
        .workflow_runs(f.workspace, c.contact.id, false)
        .await
        .unwrap();
    let gone = all.iter().find(|r| r.id == run.id).expect("the run");
    assert_eq!(gone.status, RunStatus::Stopped);
    assert_eq!(gone.workflow_id, None);
}

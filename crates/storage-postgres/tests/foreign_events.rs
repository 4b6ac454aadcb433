//! Event announcements between stores sharing one database (server replicas).

#![allow(clippy::unwrap_used)] // Test code: a failed step is a failed test.

use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use switchboard_storage::conformance::{contact, fixture, incoming, reply};
use switchboard_storage::{EventFeed, EventNotice, Store, StoreError};
use switchboard_storage_postgres::PgBackend;
use switchboard_storage_postgres::testing::fresh_database;

/// Two stores on one fresh database, as two replicas would have.
async fn two_replicas() -> (Arc<dyn Store>, Arc<dyn Store>) {
    let url = fresh_database().await;
    let a = PgBackend::open(&url).await.expect("the first store opens");
    let b = PgBackend::open(&url).await.expect("the second store opens");
    (Arc::new(a), Arc::new(b))
}

async fn feed(store: &Arc<dyn Store>) -> EventFeed {
    store
        .foreign_events()
        .await
        .unwrap()
        .expect("PostgreSQL announces events")
}

async fn next(feed: &mut EventFeed, within: Duration) -> Option<EventNotice> {
    tokio::time::timeout(within, feed.recv())
        .await
        .ok()
        .flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_instance_hears_of_committed_events_but_not_of_its_own() {
    let (a, b) = two_replicas().await;
    let mut heard_by_b = feed(&b).await;
    let mut heard_by_a = feed(&a).await;
    let f = fixture(&a, "Replicas").await;
    let c = contact(&a, &f, "Rene", Utc::now()).await;
    let appended = a
        .append_message(incoming(&f, c.id, "Hello", Utc::now()))
        .await
        .unwrap();
    let seq = appended.event.unwrap().seq;
    assert_eq!(
        next(&mut heard_by_b, Duration::from_secs(5)).await,
        Some(EventNotice {
            workspace: f.workspace,
            seq
        })
    );
    assert_eq!(
        next(&mut heard_by_a, Duration::from_millis(500)).await,
        None,
        "a store is not told of its own events"
    );
    // And the other way round, through another kind of event.
    let event = b.mark_read(f.workspace, c.id).await.unwrap().unwrap();
    assert_eq!(
        next(&mut heard_by_a, Duration::from_secs(5)).await,
        Some(EventNotice {
            workspace: f.workspace,
            seq: event.seq
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_and_repeated_writes_announce_nothing() {
    let (a, b) = two_replicas().await;
    let mut heard_by_b = feed(&b).await;
    let mine = fixture(&a, "Mine").await;
    let theirs = fixture(&a, "Theirs").await;
    let their_conversation = contact(&a, &theirs, "Secret", Utc::now()).await;
    let my_conversation = contact(&a, &mine, "Mia", Utc::now()).await;
    // Into another workspace's conversation: refused, rolled back.
    let refused = a
        .append_message(incoming(&mine, their_conversation.id, "x", Utc::now()))
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    // Nothing unread: no event.
    assert!(
        a.mark_read(mine.workspace, my_conversation.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        next(&mut heard_by_b, Duration::from_millis(500)).await,
        None,
        "nothing was committed"
    );
    // A stored send, then its repetition: only the first is announced.
    let first = a
        .append_message(reply(&mine, my_conversation.id, "c-1", "Hi", Utc::now()))
        .await
        .unwrap();
    let again = a
        .append_message(reply(&mine, my_conversation.id, "c-1", "Hi", Utc::now()))
        .await
        .unwrap();
    assert!(again.event.is_none());
    assert_eq!(
        next(&mut heard_by_b, Duration::from_secs(5)).await,
        Some(EventNotice {
            workspace: mine.workspace,
            seq: first.event.unwrap().seq
        })
    );
    assert_eq!(
        next(&mut heard_by_b, Duration::from_millis(500)).await,
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_call_gets_its_own_feed_and_dropping_one_leaves_the_others() {
    let (a, b) = two_replicas().await;
    let first = feed(&b).await;
    let mut second = feed(&b).await;
    drop(first);
    let f = fixture(&a, "Feeds").await;
    let c = contact(&a, &f, "Fay", Utc::now()).await;
    let seq = a
        .append_message(incoming(&f, c.id, "Hello", Utc::now()))
        .await
        .unwrap()
        .event
        .unwrap()
        .seq;
    assert_eq!(
        next(&mut second, Duration::from_secs(5)).await,
        Some(EventNotice {
            workspace: f.workspace,
            seq
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_announcements_are_skipped() {
    use sqlx::Connection;
    let url = fresh_database().await;
    let store: Arc<dyn Store> = Arc::new(PgBackend::open(&url).await.unwrap());
    let mut heard = feed(&store).await;
    let mut other = sqlx::PgConnection::connect(&url).await.unwrap();
    for garbage in ["", "hello", "1:2", "1:x:3", "1:2:3:4"] {
        sqlx::query("SELECT pg_notify('switchboard_events', $1)")
            .bind(garbage)
            .execute(&mut other)
            .await
            .unwrap();
    }
    // Another process's well-formed announcement still comes through, and first.
    sqlx::query("SELECT pg_notify('switchboard_events', '7:42:12345')")
        .execute(&mut other)
        .await
        .unwrap();
    assert_eq!(
        next(&mut heard, Duration::from_secs(5)).await,
        Some(EventNotice {
            workspace: switchboard_protocol::WorkspaceId(7),
            seq: 42
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signals_reach_the_other_replicas_only_and_are_not_stored() {
    let (a, b) = two_replicas().await;
    let mut heard_by_b = b.foreign_signals().await.unwrap().expect("signals");
    let mut heard_by_a = a.foreign_signals().await.unwrap().expect("signals");
    let f = fixture(&a, "Signals").await;
    let before = a.last_seq(f.workspace).await.unwrap();
    a.broadcast_signal(f.workspace, r#"{"typing":"a:b"}"#)
        .await
        .unwrap();
    let heard = tokio::time::timeout(Duration::from_secs(5), heard_by_b.recv())
        .await
        .expect("b hears the signal")
        .expect("the feed is open");
    assert_eq!(heard.workspace, f.workspace);
    assert_eq!(heard.payload, r#"{"typing":"a:b"}"#);
    assert!(
        tokio::time::timeout(Duration::from_millis(500), heard_by_a.recv())
            .await
            .is_err(),
        "a store is not told of its own signals"
    );
    assert_eq!(
        a.last_seq(f.workspace).await.unwrap(),
        before,
        "a signal is not an event"
    );
    let too_big = "x".repeat(8_000);
    assert!(matches!(
        a.broadcast_signal(f.workspace, &too_big).await,
        Err(StoreError::Invalid { .. })
    ));
}

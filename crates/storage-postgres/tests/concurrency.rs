//! Races particular to a database with many writers, beyond the shared conformance stories.

#![allow(clippy::unwrap_used)] // Test code: a failed step is a failed test.

use chrono::Utc;
use std::sync::Arc;
use switchboard_storage::Store;
use switchboard_storage::conformance::{contact, fixture, reply};
use switchboard_storage_postgres::PgBackend;
use switchboard_storage_postgres::testing::fresh_database;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_repeated_concurrently_through_two_replicas_is_stored_once() {
    let url = fresh_database().await;
    let a: Arc<dyn Store> = Arc::new(PgBackend::open(&url).await.unwrap());
    let b: Arc<dyn Store> = Arc::new(PgBackend::open(&url).await.unwrap());
    let f = fixture(&a, "Twice").await;
    let c = contact(&a, &f, "Tess", Utc::now()).await;
    for round in 0..10 {
        let client_id = format!("dup-{round}");
        let (x, y) = tokio::join!(
            a.append_message(reply(&f, c.id, &client_id, "Hi", Utc::now())),
            b.append_message(reply(&f, c.id, &client_id, "Hi", Utc::now())),
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x.message, y.message);
        assert_eq!(
            usize::from(x.event.is_some()) + usize::from(y.event.is_some()),
            1,
            "exactly one of the two sends is stored and announced"
        );
    }
    assert_eq!(a.last_seq(f.workspace).await.unwrap(), 10);
    let events = a.events_since(f.workspace, 0, 100).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<u64>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_claiming_deliveries_at_once_never_claim_the_same_one() {
    use switchboard_storage::conformance::channel_stories::{inbound, pending, received, telegram};
    let url = fresh_database().await;
    let a: Arc<dyn Store> = Arc::new(PgBackend::open(&url).await.unwrap());
    let b: Arc<dyn Store> = Arc::new(PgBackend::open(&url).await.unwrap());
    let f = fixture(&a, "Claims").await;
    let tg = telegram(&a, &f).await;
    let now = Utc::now();
    // Forty contacts with a reply each (within one conversation replies go out one by one).
    for i in 0..40 {
        let (sender, external) = (format!("{}", 100 + i), format!("{}:1", 100 + i));
        let c = received(&a, inbound(&tg, &sender, &external, "Hi", now))
            .await
            .conversation
            .id;
        a.append_message(pending(&f, c, &format!("p{i}"), "Hello", now))
            .await
            .unwrap();
    }
    let lease = now + chrono::Duration::minutes(5);
    let mut seen = Vec::new();
    loop {
        let (x, y) = tokio::join!(
            a.claim_deliveries(now, lease, 3),
            b.claim_deliveries(now, lease, 3),
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        if x.is_empty() && y.is_empty() {
            break;
        }
        seen.extend(x.iter().chain(&y).map(|d| d.id));
    }
    let count = seen.len();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), count, "no delivery was claimed twice");
    assert_eq!(count, 40, "every delivery was claimed");
}

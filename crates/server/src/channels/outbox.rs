//! The outbox worker: delivers agents' messages through their channels' providers.
//!
//! A send is committed first (`pending`, with an outbox entry in the same transaction); this
//! worker then claims due entries with a lease, hands each to its adapter and records the
//! outcome: `sent` with the provider's id; a transient failure is tried again with
//! exponential backoff (or exactly when the provider said, Telegram's `retry_after`); a
//! refusal, or too many failures, makes the message `failed` with the reason agents see
//! (C1). A worker that dies mid-send leaves the entry leased; when the lease ends, this
//! process after a restart (or another replica) sends it again.

use super::SendError;
use crate::state::AppState;
use chrono::Utc;
use std::time::Duration;
use switchboard_storage::Delivery;
use tokio::task::JoinHandle;

/// The longest nap between looks at the outbox (entries queued by other replicas are
/// picked up by then).
pub const MAX_SLEEP: Duration = Duration::from_secs(1);
/// Entries claimed at once.
const BATCH: u32 = 16;
/// After this many failed attempts a message is failed for good.
pub const MAX_ATTEMPTS: u32 = 8;
/// The longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(600);

pub fn spawn(state: AppState) -> JoinHandle<()> {
    let worker = crate::due_work::Worker {
        name: "the outbox",
        batch: BATCH as usize,
        max_sleep: MAX_SLEEP,
        wake: state.outbox.clone(),
    };
    crate::due_work::spawn(
        worker,
        state,
        |state| async move { run_once(&state).await },
        |state| async move { state.store.next_delivery_at().await },
    )
}

/// Claims the due entries and delivers them, concurrently; how many there were.
async fn run_once(state: &AppState) -> switchboard_storage::StoreResult<usize> {
    let now = Utc::now();
    let lease = chrono::Duration::seconds(state.config.outbox_lease_secs.max(1) as i64);
    let due = state
        .store
        .claim_deliveries(now, now + lease, BATCH)
        .await?;
    let count = due.len();
    let attempts = due.iter().map(|delivery| attempt(state, delivery));
    futures_util::future::join_all(attempts).await;
    Ok(count)
}

/// One delivery attempt and its outcome, recorded.
async fn attempt(state: &AppState, delivery: &Delivery) {
    let outcome = super::deliver(state, delivery).await;
    let recorded = match outcome {
        Ok(external_id) => state
            .store
            .delivery_sent(delivery.id, &external_id)
            .await
            .map(|event| state.publish(event)),
        Err(SendError::Permanent { reason }) => {
            tracing::info!(delivery = delivery.id, %reason, "delivery refused");
            fail(state, delivery, &reason).await
        }
        Err(SendError::Retry { reason, after }) => {
            let attempts = delivery.attempts + 1;
            if attempts >= MAX_ATTEMPTS {
                let reason = format!("Gave up after {attempts} attempts: {reason}");
                fail(state, delivery, &reason).await
            } else {
                let wait = after
                    .unwrap_or_else(|| backoff(state, delivery.attempts))
                    .min(MAX_BACKOFF);
                tracing::info!(delivery = delivery.id, %reason, ?wait, "delivery will be retried");
                let at = Utc::now()
                    + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(600));
                state
                    .store
                    .delivery_retry(delivery.held(), at, &reason)
                    .await
                    .map(|held| {
                        if !held {
                            tracing::info!(
                                delivery = delivery.id,
                                "the lease ran out before the retry was recorded"
                            );
                        }
                    })
            }
        }
    };
    if let Err(error) = recorded {
        // The lease runs out and the entry is tried again: nothing is lost.
        tracing::warn!(delivery = delivery.id, %error, "a delivery outcome was not recorded");
    }
}

async fn fail(
    state: &AppState,
    delivery: &Delivery,
    reason: &str,
) -> switchboard_storage::StoreResult<()> {
    let event = state.store.delivery_failed(delivery.held(), reason).await?;
    state.publish(event);
    Ok(())
}

/// The wait before attempt `attempts + 1`: the base doubled per earlier failure, capped.
fn backoff(state: &AppState, attempts: u32) -> Duration {
    let base = Duration::from_millis(state.config.outbox_retry_base_ms);
    base.saturating_mul(1 << attempts.min(16)).min(MAX_BACKOFF)
}

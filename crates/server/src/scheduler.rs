//! The snooze scheduler (A2): wakes snoozed conversations when their time comes. Deadlines
//! live in the database, so a restart (or another replica) wakes whatever came due meanwhile.
//! It sleeps until the next deadline, at most [`MAX_SLEEP`] (deadlines set on another replica
//! are picked up by then), and wakes early when this process snoozes something.

use crate::state::AppState;
use chrono::Utc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The longest nap between checks.
pub const MAX_SLEEP: Duration = Duration::from_secs(5);

pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match state.store.wake_snoozed(Utc::now()).await {
                Ok(events) => {
                    for event in events {
                        state.publish(Some(event));
                    }
                }
                Err(error) => tracing::warn!(%error, "waking snoozed conversations failed"),
            }
            let nap = match state.store.next_snooze_deadline().await {
                Ok(Some(deadline)) => (deadline - Utc::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(MAX_SLEEP),
                Ok(None) => MAX_SLEEP,
                Err(error) => {
                    tracing::warn!(%error, "reading the next snooze deadline failed");
                    MAX_SLEEP
                }
            };
            tokio::select! {
                () = tokio::time::sleep(nap) => {}
                () = state.snoozes.notified() => {}
            }
        }
    })
}

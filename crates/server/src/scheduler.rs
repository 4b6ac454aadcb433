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
    let worker = crate::due_work::Worker {
        name: "snoozes",
        // Each pass wakes everything due.
        batch: usize::MAX,
        max_sleep: MAX_SLEEP,
        wake: state.snoozes.clone(),
    };
    crate::due_work::spawn(
        worker,
        state,
        |state| async move {
            let events = state.store.wake_snoozed(Utc::now()).await?;
            let woken = events.len();
            for event in events {
                state.publish(Some(event));
            }
            Ok(woken)
        },
        |state| async move { state.store.next_snooze_deadline().await },
    )
}

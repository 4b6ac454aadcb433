//! The loop shared by the background workers of due work (the outbox, pushes, workflow runs,
//! snoozes). Each pass does what is due and goes again at once while a whole batch came back;
//! then the worker sleeps until the next due time, at most `max_sleep` (another replica may
//! add work it was not told of), or until this process wakes it.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use switchboard_storage::StoreResult;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// What a worker is, for its loop.
pub struct Worker {
    /// What it works on, for the log ("the outbox").
    pub name: &'static str,
    /// The most items one pass takes; a pass that took this many goes again at once.
    pub batch: usize,
    pub max_sleep: Duration,
    /// Woken when this process adds work.
    pub wake: Arc<Notify>,
}

/// Runs `pass` (how many items it handled) and naps until `next` (the next due time); each
/// is given the app's state.
pub fn spawn<P, PF, N, NF>(worker: Worker, state: AppState, pass: P, next: N) -> JoinHandle<()>
where
    P: Fn(AppState) -> PF + Send + 'static,
    PF: Future<Output = StoreResult<usize>> + Send,
    N: Fn(AppState) -> NF + Send + 'static,
    NF: Future<Output = StoreResult<Option<DateTime<Utc>>>> + Send,
{
    tokio::spawn(async move {
        let Worker {
            name,
            batch,
            max_sleep,
            wake,
        } = worker;
        loop {
            match pass(state.clone()).await {
                Ok(n) if n >= batch => continue,
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, worker = name, "due work could not be done"),
            }
            let nap = match next(state.clone()).await {
                Ok(Some(at)) => (at - Utc::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(max_sleep),
                Ok(None) => max_sleep,
                Err(error) => {
                    tracing::warn!(%error, worker = name, "the next due time could not be read");
                    max_sleep
                }
            };
            tokio::select! {
                () = tokio::time::sleep(nap) => {}
                () = wake.notified() => {}
            }
        }
    })
}

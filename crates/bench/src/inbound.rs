//! Inbound webhook throughput end to end: Telegram updates posted to the server's webhook
//! (secret checked, parsed, stored with contact and conversation, fanned out to connected
//! agent sockets) as fast as concurrent senders can, until every socket has every message;
//! and, for scale, the raw rate of single-row SQLite insert transactions at the store's
//! durability (`SqliteBackend::baseline_insert_rate`) on the same machine in the same run.
//! Each is measured [`ROUNDS`] times, alternating, and the medians compared.

use crate::{Bench, Fail};
use futures_util::StreamExt;
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use switchboard_protocol::ChannelKind;
use switchboard_storage::NewChannel;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Updates posted per run.
const MESSAGES: usize = 4000;
/// Distinct Telegram chats they come from (contacts created on first contact).
const CHATS: usize = 400;
/// Concurrent senders (Telegram opens up to 40 webhook connections per bot).
const SENDERS: usize = 32;
/// Agent sockets every message is fanned out to.
const SOCKETS: usize = 10;
/// Each rate is measured this many times, alternating with the others, and its median kept.
pub const ROUNDS: usize = 3;

/// One throughput figure.
#[derive(Clone, Debug, Serialize)]
pub struct Rate {
    pub backend: String,
    pub what: String,
    pub messages: usize,
    pub seconds: f64,
    /// The median of the rounds.
    pub per_second: f64,
    /// Each round's rate.
    pub rounds: Vec<f64>,
}

impl Rate {
    fn new(backend: &str, what: &str, messages: usize, took: Duration) -> Rate {
        Rate {
            backend: backend.to_owned(),
            what: what.to_owned(),
            messages,
            seconds: took.as_secs_f64(),
            per_second: messages as f64 / took.as_secs_f64().max(1e-9),
            rounds: Vec::new(),
        }
    }

    /// The round with the median rate, listing every round.
    pub fn median(mut rounds: Vec<Rate>) -> Option<Rate> {
        rounds.sort_by(|a, b| a.per_second.total_cmp(&b.per_second));
        let all: Vec<f64> = rounds.iter().map(|r| r.per_second).collect();
        let mut median = rounds.get(rounds.len() / 2)?.clone();
        median.rounds = all;
        Some(median)
    }
}

/// Posts [`MESSAGES`] updates to a fresh Telegram channel of the bench workspace and waits
/// until each of [`SOCKETS`] agent sockets has received every one.
pub async fn webhooks(b: &Bench, backend: &str, round: usize) -> Result<Rate, Fail> {
    let data = tempfile::tempdir()?;
    let config = switchboard_server::Config {
        bind: "127.0.0.1:0".parse()?,
        data_dir: data.path().to_owned(),
        dist_dir: data.path().join("no-app"),
        demo: false,
        ..switchboard_server::Config::default()
    };
    let key = format!("bench-telegram-{}-{round}", backend.to_lowercase());
    let secret = "bench-webhook-secret";
    let channel = b
        .store
        .create_channel(NewChannel {
            workspace: b.workspace,
            kind: ChannelKind::Telegram,
            name: "Bench bot",
            public_key: Some(&key),
        })
        .await?;
    b.store
        .set_channel_credentials(
            b.workspace,
            channel.id,
            &serde_json::json!({ "bot_token": "1:bench", "webhook_secret": secret }).to_string(),
        )
        .await?;
    let server = switchboard_server::start_with_store(config, b.store.clone()).await?;
    let url = server.url();
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": b.agent_email, "password": "bench-password"}))
        .send()
        .await?;
    let cookie = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();

    // Agents' sockets count the messages they are handed.
    let received = Arc::new(AtomicUsize::new(0));
    let ws_url = format!(
        "{}/api/v1/ws?workspace={}",
        url.replacen("http", "ws", 1),
        b.workspace
    );
    let mut readers = Vec::new();
    for _ in 0..SOCKETS {
        let mut request = ws_url.as_str().into_client_request()?;
        request.headers_mut().insert("cookie", cookie.parse()?);
        let config = WebSocketConfig::default().read_buffer_size(4 * 1024);
        let (mut socket, _) =
            tokio_tungstenite::connect_async_with_config(request, Some(config), false).await?;
        socket.next().await; // hello
        let received = received.clone();
        readers.push(tokio::spawn(async move {
            while let Some(Ok(frame)) = socket.next().await {
                if frame
                    .to_text()
                    .is_ok_and(|t| t.contains("\"message_created\""))
                {
                    received.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }

    let hook = format!("{url}/api/v1/hooks/telegram/{key}");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut senders = Vec::new();
    for _ in 0..SENDERS {
        let (http, hook, next) = (http.clone(), hook.clone(), next.clone());
        senders.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= MESSAGES {
                    return Ok::<(), reqwest::Error>(());
                }
                let chat = 1_000_000 + (n % CHATS) as i64;
                let update = serde_json::json!({
                    "update_id": n,
                    "message": {
                        "message_id": n, "date": 1_790_000_000,
                        "from": { "id": chat, "is_bot": false, "first_name": "Bench", "last_name": format!("Chat {chat}") },
                        "chat": { "id": chat, "type": "private", "first_name": "Bench" },
                        "text": format!("Inbound message {n}: is my order on its way?"),
                    }
                });
                let answer = http
                    .post(&hook)
                    .header("X-Telegram-Bot-Api-Secret-Token", "bench-webhook-secret")
                    .json(&update)
                    .send()
                    .await?;
                assert!(answer.status().is_success(), "update {n}: {}", answer.status());
            }
        }));
    }
    for sender in senders {
        sender.await??;
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while received.load(Ordering::Relaxed) < MESSAGES * SOCKETS {
        if Instant::now() > deadline {
            return Err("the sockets did not receive every message".into());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let took = started.elapsed();
    for reader in readers {
        reader.abort();
    }
    server.stop().await?;
    Ok(Rate::new(
        backend,
        &format!("webhook → stored → {SOCKETS} sockets"),
        MESSAGES,
        took,
    ))
}

/// Single-row insert transactions into a fresh SQLite file at the store's durability.
pub async fn raw_sqlite_inserts(dir: &std::path::Path, round: usize) -> Result<Rate, Fail> {
    let took = switchboard_storage_sqlite::SqliteBackend::baseline_insert_rate(
        &dir.join(format!("baseline-{round}.db")),
        MESSAGES,
    )
    .await?;
    Ok(Rate::new(
        "SQLite",
        "raw single-row insert transactions",
        MESSAGES,
        took,
    ))
}

/// The store's share: [`MESSAGES`] `receive_message` calls from [`SENDERS`] tasks, without
/// HTTP, parsing or sockets.
pub async fn store_only(b: &Bench, backend: &str, round: usize) -> Result<Rate, Fail> {
    let key = format!("bench-store-{}-{round}", backend.to_lowercase());
    let channel = b
        .store
        .create_channel(NewChannel {
            workspace: b.workspace,
            kind: ChannelKind::Telegram,
            name: "Bench store bot",
            public_key: Some(&key),
        })
        .await?;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..SENDERS {
        let (store, next, workspace) = (b.store.clone(), next.clone(), b.workspace);
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= MESSAGES {
                    return Ok::<(), switchboard_storage::StoreError>(());
                }
                let chat = (2_000_000 + n % CHATS).to_string();
                let external = format!("{chat}:{n}");
                store
                    .receive_message(switchboard_storage::InboundMessage {
                        workspace,
                        channel: channel.id,
                        sender: &chat,
                        first_name: "Bench",
                        last_name: "Store",
                        phone: None,
                        email: None,
                        external_id: &external,
                        reply_to: None,
                        content: switchboard_protocol::Content::Text {
                            text: format!("Inbound message {n}: is my order on its way?"),
                        },
                        received_at: chrono::Utc::now(),
                        files: Vec::new(),
                    })
                    .await?;
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(Rate::new(
        backend,
        "store.receive_message alone",
        MESSAGES,
        started.elapsed(),
    ))
}

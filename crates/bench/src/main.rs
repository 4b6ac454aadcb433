//! `cargo xtask bench`: loads 100 000 contacts and 1 000 000 messages into each storage
//! backend and measures, as medians and tails of many runs (these machines are noisy):
//! every inbox list (folder × status tab × sort), list search, full-text search, and the
//! live fan-out of one action to 1 000 connected agent sockets; and inbound webhook
//! throughput end to end against the raw SQLite insert rate (`inbound.rs`). Prints tables and
//! writes JSON to `target/bench/inbox.json` and `target/bench/inbound.json`.
//!
//! `SWITCHBOARD_BENCH_POSTGRES` (an admin URL) adds the PostgreSQL run; `cargo xtask bench`
//! starts a throwaway server for it. `SWITCHBOARD_BENCH_SCALE` (default 1.0) scales the data;
//! `SWITCHBOARD_BENCH_KEEP=1` keeps the SQLite database and prints its path;
//! `SWITCHBOARD_BENCH_SOCKETS` sets the number of sockets; `SWITCHBOARD_BENCH_ONLY=fan-out`
//! measures the fan-out alone and `SWITCHBOARD_BENCH_ONLY=lists` the lists and searches alone.

mod inbound;

use chrono::Utc;
use futures_util::StreamExt;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_protocol::inbox::{AgeCondition, CustomInboxRequest, InboxFilter, Sort};
use switchboard_protocol::*;
use switchboard_storage::*;
use switchboard_storage_sql::bulk::{self, BulkSpec};
use switchboard_storage_sql::{Backend, SqlStore};
use tokio::io::AsyncBufReadExt;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Results of one measurement.
#[derive(Clone, Debug, Serialize)]
struct Figure {
    backend: String,
    what: String,
    runs: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
}

fn figure(backend: &str, what: String, mut samples: Vec<Duration>) -> Figure {
    samples.sort();
    let pick = |q: f64| {
        let i = ((samples.len().saturating_sub(1)) as f64 * q).round() as usize;
        samples.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Figure {
        backend: backend.to_owned(),
        what,
        runs: samples.len(),
        p50_ms: pick(0.5),
        p95_ms: pick(0.95),
        p99_ms: pick(0.99),
    }
}

type Fail = Box<dyn std::error::Error + Send + Sync>;

/// The workspace the bench measures.
struct Bench {
    store: Arc<dyn Store>,
    workspace: WorkspaceId,
    agent: Viewer,
    manager: Viewer,
    team: TeamId,
    custom: InboxFilter,
    agent_email: String,
}

async fn prepare<B: Backend>(
    store: SqlStore<B>,
    contacts: usize,
    name: &str,
) -> Result<Bench, Fail> {
    let hash = switchboard_server::hash_password("bench-password")?;
    let workspace = store.create_workspace(name).await?;
    let mut users = Vec::new();
    for (i, role) in [Role::Agent, Role::Agent, Role::Manager]
        .into_iter()
        .enumerate()
    {
        let email = format!("user{i}@{}.bench", name.to_lowercase());
        let user = store
            .create_user(NewUser {
                name: &format!("User {i}"),
                email: &email,
                password_hash: &hash,
            })
            .await?;
        store.add_member(workspace, user.id, role).await?;
        users.push(user.id);
    }
    let team = store.create_team(workspace, "Support").await?;
    store.add_team_member(workspace, team, users[0]).await?;
    let channel = store
        .create_channel(NewChannel {
            workspace,
            kind: ChannelKind::WebsiteChat,
            name: "Website",
            public_key: Some(&format!("bench-{}", name.to_lowercase())),
        })
        .await?;
    let started = Instant::now();
    bulk::load(
        &store,
        &BulkSpec {
            workspace,
            channel: channel.id,
            users: users.clone(),
            teams: vec![team],
            contacts,
            messages_per_contact: 10,
            now: Utc::now(),
            seed: 7,
        },
    )
    .await?;
    println!(
        "{name}: loaded {contacts} contacts, {} messages in {:.0?}",
        contacts * 10,
        started.elapsed()
    );
    let store: Arc<dyn Store> = Arc::new(store);
    let agent = store.viewer(workspace, users[0]).await?.ok_or("no agent")?;
    let manager = store
        .viewer(workspace, users[2])
        .await?
        .ok_or("no manager")?;
    let custom = InboxFilter {
        channels: vec![ChannelKind::WebsiteChat],
        statuses: vec![ConversationStatus::Open],
        last_incoming: Some(AgeCondition::WithinMinutes {
            minutes: 7 * 24 * 60,
        }),
        ..InboxFilter::default()
    };
    store
        .create_custom_inbox(
            workspace,
            users[0],
            &CustomInboxRequest {
                name: "Recent open".into(),
                filter: custom.clone(),
                shared_with_users: vec![],
                shared_with_teams: vec![],
            },
        )
        .await?;
    Ok(Bench {
        store,
        workspace,
        agent,
        manager,
        team,
        custom,
        agent_email: format!("user0@{}.bench", name.to_lowercase()),
    })
}

const RUNS: usize = 15;

async fn time<F, Fut, T>(runs: usize, mut f: F) -> Result<Vec<Duration>, Fail>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = StoreResult<T>>,
{
    f().await?; // warm up
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await?;
        samples.push(started.elapsed());
    }
    Ok(samples)
}

async fn lists(b: &Bench, backend: &str, figures: &mut Vec<Figure>) -> Result<(), Fail> {
    let folders: Vec<(&str, FolderSpec, &Viewer)> = vec![
        ("all", FolderSpec::All, &b.agent),
        ("mine", FolderSpec::Mine, &b.agent),
        ("unassigned", FolderSpec::Unassigned, &b.agent),
        ("team", FolderSpec::Team(b.team), &b.agent),
        ("custom", FolderSpec::Custom(b.custom.clone()), &b.agent),
        ("blocked", FolderSpec::Blocked, &b.manager),
    ];
    let tabs = [
        None,
        Some(ConversationStatus::Open),
        Some(ConversationStatus::Closed),
        Some(ConversationStatus::Snoozed),
    ];
    for (name, folder, viewer) in &folders {
        for tab in tabs {
            for sort in Sort::ALL.iter().copied() {
                let spec = InboxSpec {
                    folder: folder.clone(),
                    status: tab,
                    sort,
                    ..InboxSpec::all(Utc::now())
                };
                let samples = time(RUNS, || {
                    b.store.inbox(
                        b.workspace,
                        viewer,
                        &spec,
                        PageRequest {
                            after: None,
                            limit: 50,
                        },
                    )
                })
                .await?;
                let tab = tab.map_or("all", ConversationStatus::as_str);
                figures.push(figure(
                    backend,
                    format!("list {name}/{tab}/{}", sort.as_str()),
                    samples,
                ));
            }
        }
    }
    for q in ["olivia", "дмитрий", "smith", "example.com", "7946", "20 12"] {
        let spec = InboxSpec {
            search: Some(q.to_owned()),
            ..InboxSpec::all(Utc::now())
        };
        let samples = time(RUNS, || {
            b.store.inbox(
                b.workspace,
                &b.agent,
                &spec,
                PageRequest {
                    after: None,
                    limit: 50,
                },
            )
        })
        .await?;
        figures.push(figure(backend, format!("list search {q:?}"), samples));
    }
    for q in [
        "order",
        "доставка",
        "refund voucher",
        "grinder stock",
        "zzzz",
    ] {
        let samples = time(RUNS, || {
            b.store.search_messages(
                b.workspace,
                &b.agent,
                q,
                None,
                PageRequest {
                    after: None,
                    limit: 50,
                },
            )
        })
        .await?;
        figures.push(figure(backend, format!("full-text {q:?}"), samples));
    }
    Ok(())
}

/// One action (a visitor's message) fanned out to `sockets` agent sockets; latency from just
/// before the request to each socket's receipt, over several actions.
async fn fan_out(
    b: &Bench,
    backend: &str,
    sockets: usize,
    figures: &mut Vec<Figure>,
) -> Result<(), Fail> {
    let data = tempfile::tempdir()?;
    let config = switchboard_server::Config {
        bind: "127.0.0.1:0".parse()?,
        data_dir: data.path().to_owned(),
        dist_dir: data.path().join("no-app"),
        demo: false,
        ..switchboard_server::Config::default()
    };
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
    let key = format!("bench-{}", backend.to_lowercase());
    let visitor: serde_json::Value = http
        .post(format!("{url}/api/v1/chat/{key}/visitors"))
        .send()
        .await?
        .json()
        .await?;
    let token = visitor["token"]
        .as_str()
        .ok_or("no visitor token")?
        .to_owned();
    let ws_url = format!(
        "{}/api/v1/ws?workspace={}",
        url.replacen("http", "ws", 1),
        b.workspace
    );
    // The agents' sockets live in a process of their own, as they would on their own
    // machines: the server's runtime does only the server's work.
    let mut clients = tokio::process::Command::new(std::env::current_exe()?)
        .args(["--sockets", &ws_url, &cookie, &sockets.to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut arrivals =
        tokio::io::BufReader::new(clients.stdout.take().ok_or("no client output")?).lines();
    if arrivals.next_line().await?.as_deref() != Some("ready") {
        return Err("the socket clients did not start".into());
    }
    let (mut samples, mut answered, mut firsts) = (Vec::new(), Vec::new(), Vec::new());
    // The first sends warm up (the first creates the visitor's conversation, and each
    // database connection plans its statements once); the rest are measured.
    const WARM_UP: usize = 5;
    for action in 0..WARM_UP + 50 {
        let tag = format!("fanout-{action}");
        let started = std::time::SystemTime::now();
        let since = |nanos: u128| {
            let at = std::time::UNIX_EPOCH + Duration::from_nanos(nanos as u64);
            at.duration_since(started).unwrap_or_default()
        };
        http.post(format!("{url}/api/v1/chat/{key}/messages"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"client_id": tag, "text": tag}))
            .send()
            .await?;
        let answer = started.elapsed()?;
        let mut received = Vec::with_capacity(sockets);
        while received.len() < sockets {
            let line = tokio::time::timeout(Duration::from_secs(30), arrivals.next_line())
                .await??
                .ok_or("the socket clients stopped")?;
            if let Some((got, nanos)) = line.split_once(' ')
                && got == tag
            {
                received.push(since(nanos.parse()?));
            }
        }
        if action >= WARM_UP {
            answered.push(answer);
            firsts.extend(received.iter().min().copied());
            samples.extend(received);
        }
    }
    // The action's own time (the visitor's send answered) and the first socket's, to tell
    // the store's share from the fan-out's.
    figures.push(figure(backend, "fan-out: send answered".into(), answered));
    figures.push(figure(backend, "fan-out: first socket".into(), firsts));
    figures.push(figure(
        backend,
        format!("fan-out to {sockets} sockets"),
        samples,
    ));
    drop(clients);
    server.stop().await?;
    Ok(())
}

/// The agents' side of the fan-out, run as `--sockets <ws url> <cookie> <count>`: opens the
/// sockets, prints `ready`, then a line `<tag> <arrival, ns since the epoch>` for every
/// fan-out frame each socket receives, until its input closes.
async fn socket_clients(url: &str, cookie: &str, count: usize) -> Result<(), Fail> {
    use tokio::io::AsyncWriteExt;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, u128)>();
    for _ in 0..count {
        let mut request = url.into_client_request()?;
        request.headers_mut().insert("cookie", cookie.parse()?);
        // A browser's socket does not zero-fill a 128 KiB buffer on every read, as
        // tungstenite's default does; a small buffer keeps this stand-in for a thousand
        // browsers from taking the server's share of the machine.
        let config = WebSocketConfig::default().read_buffer_size(4 * 1024);
        let (mut socket, _) =
            tokio_tungstenite::connect_async_with_config(request, Some(config), false).await?;
        socket.next().await; // hello
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(Ok(frame)) = socket.next().await {
                let at = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_nanos();
                if let Ok(text) = frame.to_text()
                    && let Some(start) = text.find("fanout-")
                {
                    let tag: String = text[start..].chars().take_while(|c| *c != '"').collect();
                    if tx.send((tag, at)).is_err() {
                        return;
                    }
                }
            }
        });
    }
    drop(tx);
    let mut out = tokio::io::stdout();
    out.write_all(b"ready\n").await?;
    out.flush().await?;
    let mut input = tokio::io::stdin();
    let mut sink = [0u8; 64];
    loop {
        tokio::select! {
            got = rx.recv() => match got {
                Some((tag, at)) => {
                    // Everything already received goes out in one write, so reporting
                    // arrivals costs this process (sharing the machine with the server)
                    // one system call per burst rather than one per socket.
                    let mut lines = format!("{tag} {at}\n");
                    while let Ok((tag, at)) = rx.try_recv() {
                        lines.push_str(&format!("{tag} {at}\n"));
                    }
                    out.write_all(lines.as_bytes()).await?;
                    out.flush().await?;
                }
                None => return Ok(()),
            },
            read = tokio::io::AsyncReadExt::read(&mut input, &mut sink) => {
                if read? == 0 {
                    return Ok(());
                }
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Fail> {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, url, cookie, count] = args.as_slice()
        && flag == "--sockets"
    {
        return socket_clients(url, cookie, count.parse()?).await;
    }
    let scale: f64 = std::env::var("SWITCHBOARD_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let contacts = ((100_000.0 * scale) as usize).max(100);
    let sockets = std::env::var("SWITCHBOARD_BENCH_SOCKETS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(((1000.0 * scale.min(1.0)) as usize).max(10));
    let figures = Vec::new();
    let dir = tempfile::tempdir()?;
    if std::env::var_os("SWITCHBOARD_BENCH_KEEP").is_some() {
        // Kept for reading query plans afterwards (`sqlite3 <path>`).
        let kept = dir.keep();
        println!(
            "SQLite database kept at {}",
            kept.join("bench.db").display()
        );
        return run(&kept, contacts, sockets, figures).await;
    }
    run(dir.path(), contacts, sockets, figures).await
}

/// `SWITCHBOARD_BENCH_ONLY=fan-out` skips the list and search measurements.
fn lists_wanted() -> bool {
    std::env::var("SWITCHBOARD_BENCH_ONLY").as_deref() != Ok("fan-out")
}

/// `SWITCHBOARD_BENCH_ONLY=lists` skips the fan-out and the inbound throughput.
fn lists_only() -> bool {
    std::env::var("SWITCHBOARD_BENCH_ONLY").as_deref() == Ok("lists")
}

async fn run(
    dir: &std::path::Path,
    contacts: usize,
    sockets: usize,
    mut figures: Vec<Figure>,
) -> Result<(), Fail> {
    let sqlite = switchboard_storage_sqlite::SqliteBackend::open(&dir.join("bench.db")).await?;
    let bench = prepare(sqlite, contacts, "SQLite").await?;
    if lists_wanted() {
        lists(&bench, "SQLite", &mut figures).await?;
    }
    let mut rates = Vec::new();
    if !lists_only() {
        fan_out(&bench, "SQLite", sockets, &mut figures).await?;
        let (mut hooks, mut raw, mut store) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..inbound::ROUNDS {
            hooks.push(inbound::webhooks(&bench, "SQLite", round).await?);
            raw.push(inbound::raw_sqlite_inserts(dir, round).await?);
            store.push(inbound::store_only(&bench, "SQLite", round).await?);
        }
        rates.extend(
            [hooks, raw, store]
                .into_iter()
                .filter_map(inbound::Rate::median),
        );
    }

    if std::env::var_os("SWITCHBOARD_BENCH_POSTGRES").is_some() {
        let admin = std::env::var("SWITCHBOARD_BENCH_POSTGRES")?;
        let url = switchboard_storage_postgres::testing::fresh_database_at(&admin).await;
        let postgres = switchboard_storage_postgres::PgBackend::open(&url).await?;
        let bench = prepare(postgres, contacts, "PostgreSQL").await?;
        if lists_wanted() {
            lists(&bench, "PostgreSQL", &mut figures).await?;
        }
        if !lists_only() {
            fan_out(&bench, "PostgreSQL", sockets, &mut figures).await?;
            let (mut hooks, mut store) = (Vec::new(), Vec::new());
            for round in 0..inbound::ROUNDS {
                hooks.push(inbound::webhooks(&bench, "PostgreSQL", round).await?);
                store.push(inbound::store_only(&bench, "PostgreSQL", round).await?);
            }
            rates.extend([hooks, store].into_iter().filter_map(inbound::Rate::median));
        }
    } else {
        println!(
            "(set SWITCHBOARD_BENCH_POSTGRES, or run `cargo xtask bench`, for the PostgreSQL figures)"
        );
    }

    println!(
        "\n{:<12} {:<44} {:>6} {:>9} {:>9} {:>9}",
        "backend", "measurement", "runs", "p50 ms", "p95 ms", "p99 ms"
    );
    for f in &figures {
        println!(
            "{:<12} {:<44} {:>6} {:>9.2} {:>9.2} {:>9.2}",
            f.backend, f.what, f.runs, f.p50_ms, f.p95_ms, f.p99_ms
        );
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    std::fs::create_dir_all(&out)?;
    std::fs::write(
        out.join("inbox.json"),
        serde_json::to_string_pretty(&figures)?,
    )?;
    println!(
        "\n{:<12} {:<44} {:>8} {:>12}  (median; every round)",
        "backend", "inbound throughput", "messages", "messages/s"
    );
    for r in &rates {
        let rounds: Vec<String> = r.rounds.iter().map(|x| format!("{x:.0}")).collect();
        println!(
            "{:<12} {:<44} {:>8} {:>12.0}  ({})",
            r.backend,
            r.what,
            r.messages,
            r.per_second,
            rounds.join(", ")
        );
    }
    if rates.len() < 2 {
        return Ok(());
    }
    let ratio = rates[0].per_second / rates[1].per_second.max(1e-9);
    println!(
        "SQLite webhook rate / raw insert rate, medians: {ratio:.2} (target ≥ 0.5; and ≥ 2000 messages/s)"
    );
    std::fs::write(
        out.join("inbound.json"),
        serde_json::to_string_pretty(
            &serde_json::json!({ "rates": rates, "sqlite_ratio": ratio }),
        )?,
    )?;
    println!("\nwritten to target/bench/inbox.json and target/bench/inbound.json");
    Ok(())
}

//! Server benchmarks, run by `cargo xtask bench` (release build): a real server on loopback
//! with the demo workspace, measured from outside over HTTP and WebSocket.
//!
//! - live delivery: a visitor's message posted over REST → the agent socket's event;
//! - inbox list: `GET /conversations` (first page of 50);
//! - login: argon2 verification included.
//!
//! Medians and 90th percentiles of many runs; compare them across commits as ratios, since
//! these machines are noisy.

use futures_util::StreamExt;
use std::time::{Duration, Instant};
use switchboard_server::Config;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name}: median {:.2} ms, p90 {:.2} ms ({} runs)",
        pick(0.5).as_secs_f64() * 1000.0,
        pick(0.9).as_secs_f64() * 1000.0,
        samples.len()
    );
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = tempfile::tempdir()?;
    let config = Config {
        bind: "127.0.0.1:0".parse()?,
        data_dir: data.path().to_owned(),
        dist_dir: data.path().join("no-app"),
        ..Config::default()
    };
    let server = switchboard_server::start(config).await?;
    let url = server.url();
    let lines = switchboard_server::demo::describe(server.state.store.as_ref(), &url).await?;
    let key = lines
        .iter()
        .find_map(|l| l.split("/chat/").nth(1))
        .ok_or("no demo chat")?
        .to_owned();
    let api = format!("{url}/api/v1");
    let http = reqwest::Client::builder().cookie_store(true).build()?;
    let login =
        serde_json::json!({"email": "anna@northwind.example", "password": "switchboard-demo"});

    let mut logins = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let response = http
            .post(format!("{api}/auth/login"))
            .json(&login)
            .send()
            .await?;
        logins.push(started.elapsed());
        assert!(response.status().is_success());
    }
    let response = http
        .post(format!("{api}/auth/login"))
        .json(&login)
        .send()
        .await?;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no cookie")?
        .to_owned();

    let mut lists = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let response = http
            .get(format!("{api}/workspaces/1/conversations?limit=50"))
            .send()
            .await?;
        let _ = response.bytes().await?;
        lists.push(started.elapsed());
    }

    let visitor: serde_json::Value = http
        .post(format!("{api}/chat/{key}/visitors"))
        .send()
        .await?
        .json()
        .await?;
    let token = visitor["token"].as_str().ok_or("no token")?.to_owned();
    let mut request =
        format!("{}/api/v1/ws?workspace=1", url.replace("http", "ws")).into_client_request()?;
    request.headers_mut().insert("cookie", cookie.parse()?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    socket.next().await; // hello
    let mut deliveries = Vec::new();
    for i in 0..300 {
        let started = Instant::now();
        let sent = http
            .post(format!("{api}/chat/{key}/messages"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"client_id": format!("bench-{i}"), "text": "How much is shipping?"}))
            .send()
            .await?;
        assert!(sent.status().is_success());
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(5), socket.next())
                .await?
                .ok_or("socket closed")??;
            if frame.to_text().unwrap_or("").contains("message_created") {
                break;
            }
        }
        deliveries.push(started.elapsed());
    }

    summary("login (argon2id)", logins);
    summary("inbox list, 50 rows", lists);
    summary("visitor message → agent socket event", deliveries);
    server.stop().await?;
    Ok(())
}

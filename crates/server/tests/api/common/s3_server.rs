//! A real S3-compatible server for the attachments' bucket tests: moto's server (installed by
//! `cargo xtask test`, which names it in `SWITCHBOARD_TEST_S3_SERVER`), on a free port,
//! stopped when dropped or when the test process dies (its standard input ends).

use super::mail_servers::{Process, free_port};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs `$1` (moto_server) on port `$2` until it exits or the standard input ends.
const UNTIL_EOF: &str = r#"exec 3<&0
"$1" -H 127.0.0.1 -p "$2" &
pid=$!
(read -r _ <&3; kill -TERM "$pid" 2>/dev/null) &
wait "$pid""#;

pub struct S3Server {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    _server: Process,
}

impl S3Server {
    /// Starts the server with one empty bucket called `bucket`.
    pub async fn start(bucket: &str) -> S3Server {
        let program = std::env::var("SWITCHBOARD_TEST_S3_SERVER").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../target/tools/moto/bin/moto_server"
            )
            .to_owned()
        });
        assert!(
            std::path::Path::new(&program).exists(),
            "no S3 test server at {program}: `cargo xtask test` (or `cargo xtask setup`) installs it"
        );
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = free_port();
        let mut command = Command::new("/bin/sh");
        command
            .args(["-c", UNTIL_EOF, "sh", &program])
            .arg(port.to_string());
        let mut server = Process::spawn("moto_server", dir, command);
        let endpoint = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        // moto takes any credentials; creating the bucket is the readiness check.
        loop {
            if let Ok(answer) = http.put(format!("{endpoint}/{bucket}")).send().await
                && answer.status().is_success()
            {
                break;
            }
            server.check(deadline, "create a bucket");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        S3Server {
            endpoint,
            _server: server,
        }
    }

    /// The keys of the objects in `bucket` (its `ListObjectsV2` answer's `Key`s).
    pub async fn keys(&self, bucket: &str) -> Vec<String> {
        let xml = reqwest::get(format!("{}/{bucket}?list-type=2", self.endpoint))
            .await
            .expect("the bucket is listed")
            .text()
            .await
            .expect("a listing");
        xml.split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</Key>").map(|(key, _)| key.to_owned()))
            .collect()
    }
}

//! `cargo xtask bench`: reports the app's size, measures the app in headless Chromium
//! (`crates/e2e/src/bin/browser-bench.rs`: list painted, thread open, heap growth, first-load
//! size), runs the server's quick benchmarks, then the inbox benchmarks at scale on SQLite and
//! on a throwaway PostgreSQL (`crates/bench`).
//! Figures are medians and tails; these machines are noisy.

use crate::setup::Tools;
use crate::{Failure, Result, build_app, step};

pub fn run(tools: &Tools) -> Result {
    tools.ensure_build_tools()?;
    build_app(tools)?;
    report_app_size(tools)?;
    tools.ensure_browser()?;
    step(
        "the app in headless Chromium (release)",
        tools
            .cargo()
            .args([
                "run",
                "--release",
                "--package",
                "switchboard-e2e",
                "--bin",
                "browser-bench",
            ])
            .env("SWITCHBOARD_E2E_DIST", tools.root.join("dist")),
    )?;
    step(
        "server benchmarks (release)",
        tools.cargo().args([
            "run",
            "--release",
            "--package",
            "switchboard-server",
            "--example",
            "bench",
        ]),
    )?;
    let postgres = crate::postgres::Postgres::start()?;
    step(
        "inbox benchmarks at scale (release; several minutes)",
        tools
            .cargo()
            .args(["run", "--release", "--package", "switchboard-bench"])
            .env("SWITCHBOARD_BENCH_POSTGRES", &postgres.url),
    )
}

/// The first-load module and, together, the chunks fetched later (`src/chunks.rs`).
fn report_app_size(tools: &Tools) -> Result {
    let dist = tools.root.join("dist");
    let entries =
        std::fs::read_dir(&dist).map_err(|e| Failure(format!("cannot read dist/: {e}")))?;
    let (mut first, mut later) = (Vec::new(), Vec::new());
    for path in entries.flatten().map(|e| e.path()) {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with("_bg.wasm") {
            first.push(path);
        } else if name.ends_with(".wasm") {
            later.push(path);
        }
    }
    for (what, files) in [("first-load wasm", first), ("chunks", later)] {
        let mut bytes = Vec::new();
        for file in &files {
            bytes.extend(std::fs::read(file).map_err(|e| Failure(format!("{file:?}: {e}")))?);
        }
        let raw = bytes.len();
        let compressed = brotli_size(tools, &bytes);
        match compressed {
            Some(br) => println!(
                "app {what}: {} files, {} kB raw, {} kB brotli",
                files.len(),
                raw / 1000,
                br / 1000
            ),
            None => println!("app {what}: {} kB raw (brotli not installed)", raw / 1000),
        }
    }
    Ok(())
}

/// The size of `bytes` after `brotli -q 11`, if brotli runs.
fn brotli_size(tools: &Tools, bytes: &[u8]) -> Option<usize> {
    use std::io::Write;
    let mut child = tools
        .command("brotli")
        .args(["-c", "-q", "11"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    output.status.success().then_some(output.stdout.len())
}

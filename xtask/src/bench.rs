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

fn report_app_size(tools: &Tools) -> Result {
    let dist = tools.root.join("dist");
    let entries =
        std::fs::read_dir(&dist).map_err(|e| Failure(format!("cannot read dist/: {e}")))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let raw = entry.metadata().map(|m| m.len()).unwrap_or(0);
            let compressed = tools
                .command("brotli")
                .args(["-c", "-q", "11"])
                .arg(&path)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| o.stdout.len());
            match compressed {
                Some(br) => println!("app wasm: {} kB raw, {} kB brotli", raw / 1000, br / 1000),
                None => println!("app wasm: {} kB raw (brotli not installed)", raw / 1000),
            }
        }
    }
    Ok(())
}

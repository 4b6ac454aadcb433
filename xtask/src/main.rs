//! `cargo xtask`: the front door of Switchboard.
//!
//! - `cargo xtask run [--port N] [--data-dir DIR] [--no-demo]`: installs what is missing,
//!   builds the app and the server in release mode, and starts the server.
//! - `cargo xtask test`: installs what is missing (also Chromium, chromedriver and the mail
//!   servers the e-mail tests talk to), then runs
//!   formatting and lint checks, every native test, the component tests in headless Chromium
//!   and the end-to-end browser suite.
//! - `cargo xtask setup`: only the installs.
//! - `cargo xtask bench`: the benchmarks.
//!
//! Every install step checks first and is silent when the right version is present.

mod bench;
mod postgres;
mod setup;
mod split;
#[cfg(test)]
mod tidy;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const HELP: &str = "\
cargo xtask <command>

  run [--port N] [--data-dir DIR] [--no-demo]
                build everything and start Switchboard (http://127.0.0.1:8080)
  build         build the release app into dist/ (what `run` serves)
  test          run every check and test (what CI runs)
  setup         install the build and test tools that are missing
  bench         run the benchmarks
";

/// A failed step: its message is printed and the exit code is 1.
pub struct Failure(pub String);

pub type Result<T = ()> = std::result::Result<T, Failure>;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result {
    let mut args = std::env::args_os().skip(1);
    let command = args
        .next()
        .and_then(|a| a.into_string().ok())
        .unwrap_or_default();
    let rest: Vec<OsString> = args.collect();
    let root = workspace_root();
    std::env::set_current_dir(&root)
        .map_err(|e| Failure(format!("cannot enter {}: {e}", root.display())))?;
    let tools = setup::Tools::new(&root);
    match command.as_str() {
        "run" => run_app(&tools, rest),
        "build" => tools.ensure_build_tools().and_then(|()| build_app(&tools)),
        "test" => test(&tools),
        "setup" => tools
            .ensure_build_tools()
            .and_then(|()| tools.ensure_browser())
            .and_then(|()| tools.ensure_mail_servers())
            .and_then(|()| tools.ensure_s3_server().map(|_| ())),
        "bench" => bench::run(&tools),
        "" | "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(Failure(format!("unknown command {other:?}\n\n{HELP}"))),
    }
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command to completion; a non-zero exit is a failure naming the step.
pub fn step(name: &str, command: &mut Command) -> Result {
    let started = Instant::now();
    eprintln!("xtask: {name}");
    // Everything a step prints goes to stderr: stdout carries only what the server prints.
    command.stdout(std::process::Stdio::from(std::io::stderr()));
    let status = command.status().map_err(|e| {
        Failure(format!(
            "{name}: cannot start {:?}: {e}",
            command.get_program()
        ))
    })?;
    if status.success() {
        eprintln!("xtask: {name}: done in {:.0?}", started.elapsed());
        Ok(())
    } else {
        Err(Failure(format!("{name} failed ({status})")))
    }
}

fn run_app(tools: &setup::Tools, args: Vec<OsString>) -> Result {
    use lexopt::prelude::*;
    let mut server_args: Vec<OsString> = Vec::new();
    let mut parser = lexopt::Parser::from_args(args);
    let mut data_dir = OsString::from("data");
    while let Some(arg) = parser.next().map_err(|e| Failure(e.to_string()))? {
        match arg {
            Long("port") => {
                let port = parser.value().map_err(|e| Failure(e.to_string()))?;
                server_args.extend([OsString::from("--port"), port]);
            }
            Long("data-dir") => data_dir = parser.value().map_err(|e| Failure(e.to_string()))?,
            Long("no-demo") => server_args.push("--no-demo".into()),
            other => return Err(Failure(format!("run: {}\n\n{HELP}", other.unexpected()))),
        }
    }
    tools.ensure_build_tools()?;
    build_app(tools)?;
    step(
        "build the server (release)",
        tools.cargo().args([
            "build",
            "--release",
            "--package",
            "switchboard-server",
            "--bin",
            "switchboard-server",
        ]),
    )?;
    let server = tools.root.join("target/release/switchboard-server");
    let mut command = Command::new(server);
    command
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--dist")
        .arg(tools.root.join("dist"))
        .args(server_args);
    // The server takes this process's place: Ctrl-C goes straight to it.
    use std::os::unix::process::CommandExt;
    let error = command.exec();
    Err(Failure(format!("cannot start the server: {error}")))
}

/// Builds the app into `dist/`: release, cut into its first load and chunks, with wasm-opt.
/// Trunk's integrity hashes are left out because the split step replaces its module.
pub fn build_app(tools: &setup::Tools) -> Result {
    step(
        "build the app (trunk build --release)",
        tools
            .command("trunk")
            .args([
                "build",
                "--release",
                "--no-sri",
                "--features",
                split::TRUNK_FEATURES,
            ])
            .env("RUSTFLAGS", split::RUSTFLAGS)
            .envs(split::BUILD_STD),
    )?;
    split::split_app(tools)
}

fn test(tools: &setup::Tools) -> Result {
    let started = Instant::now();
    tools.ensure_build_tools()?;
    tools.ensure_browser()?;
    tools.ensure_mail_servers()?;
    let s3_server = tools.ensure_s3_server()?;
    step(
        "check formatting",
        tools.cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    step(
        "lint (clippy, host)",
        tools.cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "lint (clippy, wasm32 app, as split for release)",
        tools.cargo().args([
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--package",
            "switchboard",
            "--features",
            split::TRUNK_FEATURES,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    build_app(tools)?;
    // Stopped and removed when this function returns, whatever happened.
    let postgres = postgres::Postgres::start()?;
    step(
        "native tests (both storage backends, end-to-end browser suite included)",
        tools
            .cargo()
            .args(["test", "--workspace"])
            .env("SWITCHBOARD_E2E_DIST", tools.root.join("dist"))
            .env("SWITCHBOARD_TEST_POSTGRES", &postgres.url)
            .env("SWITCHBOARD_TEST_S3_SERVER", &s3_server),
    )?;
    drop(postgres);
    // Chromium keeps its profile in TMPDIR; the runner does not always remove it.
    let scratch = tools.root.join("target/tmp/component-chromium");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)
        .map_err(|e| Failure(format!("cannot create {}: {e}", scratch.display())))?;
    let components = step(
        "component tests in headless Chromium (wasm-bindgen-test)",
        tools
            .cargo()
            .args([
                "test",
                "--target",
                "wasm32-unknown-unknown",
                "--package",
                "switchboard",
            ])
            .env("TMPDIR", &scratch),
    );
    let _ = std::fs::remove_dir_all(&scratch);
    components?;
    eprintln!(
        "xtask: all checks and tests passed in {:.0?}",
        started.elapsed()
    );
    Ok(())
}

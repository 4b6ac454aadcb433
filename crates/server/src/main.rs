//! `switchboard-server`: starts Switchboard and prints where to reach it.

use std::path::PathBuf;
use std::process::ExitCode;
use switchboard_server::{Config, demo};

const HELP: &str = "\
switchboard-server: the Switchboard team inbox

USAGE: switchboard-server [OPTIONS]

OPTIONS:
  --port N          listen on 127.0.0.1:N (default 8080)
  --bind ADDR       listen on ADDR, e.g. 0.0.0.0:8080
  --data-dir DIR    where the SQLite database lives (default ./data)
  --database-url U  sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB instead
  --dist DIR        the built app to serve (default ./dist)
  --config FILE     read settings from a TOML file
  --no-demo         do not seed the demo workspace into an empty database
  -h, --help        show this help

Settings are read from defaults, then the TOML file, then SWITCHBOARD_* variables
(SWITCHBOARD_BIND, SWITCHBOARD_DATA_DIR, SWITCHBOARD_DIST_DIR, SWITCHBOARD_DEMO,
SWITCHBOARD_PUBLIC_URL, SWITCHBOARD_DATABASE_URL, SWITCHBOARD_SESSION_DAYS, SWITCHBOARD_SECURE_COOKIES), then options.
Logs go to stderr; SWITCHBOARD_LOG filters them (default: info).
";

#[derive(Default)]
struct Args {
    config: Option<PathBuf>,
    port: Option<u16>,
    bind: Option<std::net::SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    dist: Option<PathBuf>,
    no_demo: bool,
}

fn parse_args() -> Result<Option<Args>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = Args::default();
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("port") => args.port = Some(parser.value()?.parse()?),
            Long("bind") => args.bind = Some(parser.value()?.parse()?),
            Long("data-dir") => args.data_dir = Some(parser.value()?.into()),
            Long("database-url") => args.database_url = Some(parser.value()?.string()?),
            Long("dist") => args.dist = Some(parser.value()?.into()),
            Long("config") => args.config = Some(parser.value()?.into()),
            Long("no-demo") => args.no_demo = true,
            Short('h') | Long("help") => return Ok(None),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Some(args))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SWITCHBOARD_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("error: {error}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let mut config = match Config::load(args.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if let Some(bind) = args.bind {
        config.bind = bind;
    }
    if let Some(port) = args.port {
        config.bind.set_port(port);
    }
    if let Some(dir) = args.data_dir {
        config.data_dir = dir;
    }
    if let Some(url) = args.database_url {
        config.database_url = Some(url);
    }
    if let Some(dir) = args.dist {
        config.dist_dir = dir;
    }
    if args.no_demo {
        config.demo = false;
    }
    let running = match switchboard_server::start(config).await {
        Ok(running) => running,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let url = running.url();
    println!("Switchboard is running at {url}");
    match demo::describe(running.state.store.as_ref(), &url).await {
        Ok(lines) => lines.iter().for_each(|line| println!("{line}")),
        Err(error) => tracing::warn!(%error, "cannot describe the demo workspace"),
    }
    wait_for_signal().await;
    tracing::info!("shutting down");
    match running.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C or SIGTERM.
async fn wait_for_signal() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

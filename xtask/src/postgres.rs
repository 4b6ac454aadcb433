//! A throwaway PostgreSQL for the test run: Debian's `postgresql` package (installed when
//! missing), a fresh cluster in a temporary directory on a free port, run as the `postgres`
//! user when we are root (PostgreSQL refuses to run as root), stopped and removed when the
//! guard is dropped, also when a step failed.

use crate::setup::apt_install;
use crate::{Failure, Result};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub struct Postgres {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    /// The admin URL (`postgres` database); tests create their own databases from it.
    pub url: String,
}

/// The newest installed server's `bin/` directory.
fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Postgres {
    pub fn start() -> Result<Postgres> {
        let bin = match find_bin() {
            Some(bin) => bin,
            None => {
                apt_install(&["postgresql"])?;
                find_bin()
                    .ok_or_else(|| Failure("PostgreSQL installed but initdb not found".into()))?
            }
        };
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!("switchboard-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Failure(format!("cannot create {}: {e}", dir.display())))?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| Failure(format!("no free port: {e}")))?;
        let guard = Postgres {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            dir,
            bin,
            as_postgres,
        };
        if as_postgres {
            guard.run(
                Command::new("chown").arg("postgres").arg(&guard.dir),
                "chown",
            )?;
        }
        let data = guard.dir.join("data");
        guard.run(
            guard.pg("initdb").arg("-D").arg(&data).args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                // Whatever the caller's locale: full-text search needs UTF-8 text.
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]),
            "initdb",
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
            guard.dir.display()
        );
        guard.run(
            guard
                .pg("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(guard.dir.join("log"))
                .args(["-w", "start"]),
            "pg_ctl start",
        )?;
        eprintln!("xtask: PostgreSQL for the tests at 127.0.0.1:{port}");
        Ok(guard)
    }

    /// A PostgreSQL program, as the `postgres` user when we are root.
    fn pg(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            // `runuser` lives in an sbin directory, which a minimal PATH may leave out.
            let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
                .into_iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
                .unwrap_or_else(|| PathBuf::from("runuser"));
            let mut command = Command::new(runuser);
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    fn run(&self, command: &mut Command, what: &str) -> Result {
        let output = command
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Failure(format!("{what}: {e}")))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(Failure(format!(
                "{what} failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )))
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self
            .pg("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "fast", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

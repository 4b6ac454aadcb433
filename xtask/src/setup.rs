//! Installs what building and testing need, each step skipped when already satisfied:
//! the wasm32 target, the standard library's source (rust-src, for the release app's
//! `build-std`), Trunk 0.21.14, wasm-bindgen-cli at Cargo.lock's wasm-bindgen version,
//! wasm-split (`wasm_split_cli_support`) for the release app's chunks,
//! wasm-opt from npm's binaryen 132 (never Debian's) and esbuild, and for tests Debian's Chromium,
//! chromedriver, dovecot and aiosmtpd, OpenSSL's headers (libssl-dev), and moto's S3-compatible server (PyPI, in a virtual
//! environment under `target/tools`). Tools are found through a PATH that puts `node_modules/.bin` and Cargo's
//! bin directory first.

use crate::{Failure, Result, step};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
/// wasm-split, which cuts the release app into its first load and chunks; its version goes
/// with the `wasm_split_helpers` that Leptos's `#[lazy]` uses (Cargo.lock).
pub const WASM_SPLIT_VERSION: &str = "0.2.4";
/// moto, whose server speaks S3 for the attachments' bucket tests.
pub const MOTO_VERSION: &str = "5.2.5";

pub struct Tools {
    pub root: PathBuf,
    path: OsString,
}

impl Tools {
    pub fn new(root: &Path) -> Tools {
        let cargo_bin = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .map(|home| home.join("bin"));
        let mut dirs = vec![root.join("node_modules/.bin")];
        dirs.extend(cargo_bin);
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs).unwrap_or_default();
        Tools {
            root: root.to_owned(),
            path,
        }
    }

    /// A command that finds the project's tools first.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        command
    }

    /// Cargo, without incremental compilation unless asked for: its caches grew to tens of
    /// gigabytes here, and a fresh CI clone builds everything once anyway.
    pub fn cargo(&self) -> Command {
        let mut cargo =
            self.command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
        if std::env::var_os("CARGO_INCREMENTAL").is_none() {
            cargo.env("CARGO_INCREMENTAL", "0");
        }
        cargo
    }

    /// The first line a tool prints for `--version`, if it runs.
    fn version_of(&self, program: &str) -> Option<String> {
        let output = self
            .command(program)
            .arg("--version")
            .stderr(Stdio::null())
            .output()
            .ok()?;
        output.status.success().then(|| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned()
        })
    }

    pub fn ensure_build_tools(&self) -> Result {
        ensure_openssl()?;
        self.ensure_wasm_target()?;
        self.ensure_std_source()?;
        self.ensure_trunk()?;
        self.ensure_wasm_bindgen()?;
        self.ensure_wasm_split()?;
        self.ensure_wasm_opt()
    }

    fn ensure_wasm_split(&self) -> Result {
        let installed = self
            .cargo()
            .args(["install", "--list"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let wanted = format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:");
        if installed.lines().any(|l| l.starts_with(&wanted)) {
            return Ok(());
        }
        step(
            &format!("install wasm-split {WASM_SPLIT_VERSION} (a few minutes, once)"),
            self.cargo().args([
                "install",
                "--locked",
                "--features",
                "build-binary",
                &format!("wasm_split_cli_support@{WASM_SPLIT_VERSION}"),
            ]),
        )
    }

    fn ensure_wasm_target(&self) -> Result {
        let output = self
            .command("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .map_err(|e| Failure(format!("rustup is needed: {e}")))?;
        if String::from_utf8_lossy(&output.stdout)
            .lines()
            .any(|l| l.trim() == "wasm32-unknown-unknown")
        {
            return Ok(());
        }
        step(
            "install the wasm32-unknown-unknown target",
            self.command("rustup")
                .args(["target", "add", "wasm32-unknown-unknown"]),
        )
    }

    /// The standard library's source and the crates it depends on, for the release app's
    /// `build-std` (`split::BUILD_STD`). Trunk builds offline, so they are fetched here.
    fn ensure_std_source(&self) -> Result {
        let output = self
            .command("rustc")
            .args(["--print", "sysroot"])
            .output()
            .map_err(|e| Failure(format!("rustc is needed: {e}")))?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        let library = sysroot.join("lib/rustlib/src/rust/library/Cargo.toml");
        if !library.is_file() {
            step(
                "install the standard library's source (rust-src)",
                self.command("rustup")
                    .args(["component", "add", "rust-src"]),
            )?;
        }
        // Its manifest uses unstable Cargo features; this only reads and downloads.
        step(
            "fetch the standard library's dependencies",
            self.cargo()
                .env("RUSTC_BOOTSTRAP", "1")
                .args(["fetch", "--manifest-path"])
                .arg(&library),
        )
    }

    fn ensure_trunk(&self) -> Result {
        if self
            .version_of("trunk")
            .is_some_and(|v| v == format!("trunk {TRUNK_VERSION}"))
        {
            return Ok(());
        }
        // 0.22 needs a newer compiler than these machines have.
        step(
            &format!("install Trunk {TRUNK_VERSION} (several minutes, once)"),
            self.cargo()
                .args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]),
        )
    }

    fn ensure_wasm_bindgen(&self) -> Result {
        let version = locked_version(&self.root.join("Cargo.lock"), "wasm-bindgen")?;
        let wanted = format!("wasm-bindgen {version}");
        let have_cli = self.version_of("wasm-bindgen").is_some_and(|v| v == wanted);
        let have_runner = self
            .version_of("wasm-bindgen-test-runner")
            .is_some_and(|v| v.ends_with(&version));
        if have_cli && have_runner {
            return Ok(());
        }
        // Without --locked: its lockfile asks for a crate version the registry lacks.
        step(
            &format!("install wasm-bindgen-cli {version} (a few minutes, once)"),
            self.cargo()
                .args(["install", "--force", &format!("wasm-bindgen-cli@{version}")]),
        )
    }

    fn ensure_wasm_opt(&self) -> Result {
        let wasm_opt = self.root.join("node_modules/.bin/wasm-opt");
        let current = Command::new(&wasm_opt)
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        // axe-core, for the browser suite's accessibility checks, comes with the same install.
        let axe = self.root.join("node_modules/axe-core/axe.min.js").is_file();
        let esbuild = self.root.join("node_modules/.bin/esbuild").is_file();
        if axe
            && esbuild
            && current.is_some_and(|v| v.contains(&format!("version {BINARYEN_VERSION}")))
        {
            return Ok(());
        }
        if self.version_of("npm").is_none() {
            apt_install(&["nodejs", "npm"])?;
        }
        step(
            &format!("install wasm-opt (npm binaryen {BINARYEN_VERSION}), esbuild and axe-core"),
            self.command("npm").args(["ci", "--no-audit", "--no-fund"]),
        )
    }

    /// Debian's Chromium and chromedriver, for the browser tests.
    pub fn ensure_browser(&self) -> Result {
        if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
            return Ok(());
        }
        apt_install(&["chromium", "chromium-driver"])
    }

    /// Real local mail servers for the e-mail channel's tests: Debian's dovecot (IMAP) and
    /// aiosmtpd (SMTP, run by Debian's Python).
    pub fn ensure_mail_servers(&self) -> Result {
        let aiosmtpd = Command::new("/usr/bin/python3")
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if Path::new("/usr/sbin/dovecot").exists() && aiosmtpd {
            return Ok(());
        }
        apt_install(&["dovecot-imapd", "python3-aiosmtpd"])
    }

    /// moto's S3-compatible server, installed from PyPI into `target/tools/moto` (Debian's
    /// Python with its `venv` module); the path of its `moto_server`.
    pub fn ensure_s3_server(&self) -> Result<PathBuf> {
        let venv = self.root.join("target/tools/moto");
        let server = venv.join("bin/moto_server");
        let marker = venv.join(format!("moto-{MOTO_VERSION}"));
        if server.exists() && marker.exists() {
            return Ok(server);
        }
        let has_venv = Command::new("/usr/bin/python3")
            .args(["-c", "import ensurepip, venv"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !has_venv {
            apt_install(&["python3-venv"])?;
        }
        step(
            "create a Python environment for moto",
            Command::new("/usr/bin/python3")
                .args(["-m", "venv", "--clear"])
                .arg(&venv),
        )?;
        step(
            &format!("install moto {MOTO_VERSION} (S3-compatible test server)"),
            Command::new(venv.join("bin/pip"))
                .args(["install", "-q", "--disable-pip-version-check"])
                .arg(format!("moto[s3,server]=={MOTO_VERSION}")),
        )?;
        std::fs::write(&marker, MOTO_VERSION)
            .map_err(|e| Failure(format!("cannot write {}: {e}", marker.display())))?;
        Ok(server)
    }
}

/// OpenSSL's headers, for the server's Web Push encryption (the web-push crate encrypts
/// with OpenSSL).
fn ensure_openssl() -> Result {
    let found = Command::new("pkg-config")
        .args(["--exists", "openssl"])
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return Ok(());
    }
    apt_install(&["libssl-dev", "pkg-config"])
}

/// `apt-get install` (as root, or through sudo).
pub fn apt_install(packages: &[&str]) -> Result {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let apt = |args: &[&str]| {
        let mut command = if root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    step(
        "apt-get update",
        apt(&["update", "-qq"]).stdout(Stdio::null()),
    )?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    step(
        &format!("install {}", packages.join(" ")),
        apt(&args).stdout(Stdio::null()),
    )
}

/// The version of `package` recorded in a Cargo.lock.
pub fn locked_version(lock: &Path, package: &str) -> Result<String> {
    let text = std::fs::read_to_string(lock)
        .map_err(|e| Failure(format!("cannot read {}: {e}", lock.display())))?;
    let name = format!("name = \"{package}\"");
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err(Failure(format!("{package} is not in {}", lock.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locked_wasm_bindgen_version_is_found() {
        let version = locked_version(&crate::workspace_root().join("Cargo.lock"), "wasm-bindgen")
            .unwrap_or_else(|Failure(m)| panic!("{m}"));
        assert_eq!(version.split('.').count(), 3, "{version}");
        assert!(
            locked_version(&crate::workspace_root().join("Cargo.lock"), "no-such-crate").is_err()
        );
    }
}

//! Checks of the project's written rules, run as plain tests (`cargo test --workspace`).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && name != "dist" && name != ".git" {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<PathBuf> {
    let root = crate::workspace_root();
    let mut files = Vec::new();
    for dir in ["src", "tests", "crates", "xtask"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(
        files.len() > 20,
        "the source walk found too little: {files:?}"
    );
    files
}

#[test]
fn every_module_says_what_it_is_for() {
    let missing: Vec<_> = sources()
        .into_iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading //! doc comment: {missing:#?}"
    );
}

#[test]
fn no_trailing_whitespace() {
    let root = crate::workspace_root();
    let mut files = sources();
    for dir in ["style", "public", "crates"] {
        let mut more = Vec::new();
        collect(
            &root.join(dir),
            &mut more,
            &["css", "js", "sql", "html", "toml", "md"],
        );
        files.extend(more);
    }
    for name in [
        "README.md",
        "ARCHITECTURE.md",
        "index.html",
        "Cargo.toml",
        "Trunk.toml",
    ] {
        files.push(root.join(name));
    }
    let mut bad = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if line.ends_with(' ') || line.ends_with('\t') {
                bad.push(format!("{}:{}", file.display(), i + 1));
            }
        }
    }
    assert!(bad.is_empty(), "trailing whitespace at {bad:#?}");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, extensions: &[&str]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if entry.file_name() != "target" {
                collect(&path, out, extensions);
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
}

#[test]
fn only_storage_crates_contain_sql() {
    // Test suites may hold SQL as hostile input (injection attempts); the rule is for code.
    let offenders: Vec<_> = sources()
        .into_iter()
        .filter(|f| !f.to_string_lossy().contains("crates/storage"))
        .filter(|f| !f.to_string_lossy().contains("/tests/"))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            [
                "sqlx::query",
                "SELECT ",
                "INSERT INTO",
                "UPDATE conversations",
            ]
            .iter()
            .any(|needle| text.contains(needle))
        })
        .filter(|f| !f.ends_with("tidy.rs"))
        // SOQL, Salesforce's query language, sent to Salesforce (and read by its stand-in).
        .filter(|f| !f.ends_with("crm/salesforce.rs") && !f.ends_with("fake_salesforce.rs"))
        .collect();
    assert!(
        offenders.is_empty(),
        "SQL outside the storage crates: {offenders:#?}"
    );
}

/// The wire types compile for the wasm app with serde and chrono alone, plus pulldown-cmark
/// for a message's plain text (`plain.rs`: previews the server writes; the app already
/// depends on it). utoipa (their OpenAPI schemas) is optional, behind the `openapi` feature
/// that only the server turns on.
#[test]
fn the_protocol_crate_depends_on_serde_chrono_and_pulldown_cmark_only() {
    let root = crate::workspace_root();
    let manifest = std::fs::read_to_string(root.join("crates/protocol/Cargo.toml"))
        .expect("the protocol manifest");
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or("");
    let (optional, required): (Vec<&str>, Vec<&str>) = dependencies
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .partition(|l| l.contains("optional = true"));
    let name = |l: &&str| l.split(['=', '.']).next().unwrap_or("").trim().to_owned();
    assert_eq!(
        required.iter().map(name).collect::<Vec<_>>(),
        vec!["serde", "chrono", "pulldown-cmark"]
    );
    assert_eq!(
        optional.iter().map(name).collect::<Vec<_>>(),
        vec!["utoipa"]
    );
    assert!(
        manifest.contains("openapi = [\"dep:utoipa\"]"),
        "utoipa comes with the `openapi` feature only"
    );
    let app = std::fs::read_to_string(root.join("Cargo.toml")).expect("the app manifest");
    assert!(
        app.lines()
            .filter(|l| l.starts_with("switchboard-protocol"))
            .all(|l| !l.contains("openapi")),
        "the wasm app must not build utoipa"
    );
}

#[test]
fn ci_runs_exactly_the_test_command_and_the_readme_shows_both() {
    let root = crate::workspace_root();
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    let commands: Vec<&str> = ci
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with('#') && !l.starts_with("set ") && !l.starts_with("cd ")
        })
        .collect();
    assert_eq!(commands, vec!["cargo xtask test"]);
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let run = readme
        .find("cargo xtask run")
        .expect("README shows cargo xtask run");
    let test = readme
        .find("cargo xtask test")
        .expect("README shows cargo xtask test");
    assert!(
        run < 1500 && test < 1500,
        "the two commands come first in the README"
    );
}

#[test]
fn both_backends_have_the_same_migrations() {
    let root = crate::workspace_root();
    let names = |backend: &str| -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(root.join(format!("crates/{backend}/migrations")))
                .unwrap_or_else(|e| panic!("{backend} migrations: {e}"))
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
        names.sort();
        names
    };
    let sqlite = names("storage-sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite,
        names("storage-postgres"),
        "every migration exists for both backends"
    );
}

//! The storage conformance stories, run against SQLite in a fresh temporary file each.

/// Where this run's databases live: the directory is emptied when a run starts, so each run
/// leaves only its own files behind (a store must outlive its test, and stories own stores).
fn databases() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sqlite-conformance");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the databases' directory");
        dir
    })
}

async fn fresh() -> switchboard_storage_sqlite::SqliteStore {
    let dir = tempfile::tempdir_in(databases()).expect("a temp dir");
    let store = switchboard_storage_sqlite::SqliteBackend::open(&dir.path().join("test.db"))
        .await
        .expect("the store opens");
    let _ = dir.keep();
    store
}

switchboard_storage::conformance_tests!(fresh());

// The list stories again under every list strategy.
switchboard_storage_sql::list_strategy_tests!(fresh, switchboard_storage_sqlite::SqliteStore);

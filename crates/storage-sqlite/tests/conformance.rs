//! The storage conformance stories, run against SQLite in a fresh temporary file each.

async fn fresh() -> switchboard_storage_sqlite::SqliteStore {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = switchboard_storage_sqlite::SqliteBackend::open(&dir.path().join("test.db"))
        .await
        .expect("the store opens");
    // The directory must outlive the store; the OS cleans up /tmp.
    let _ = dir.keep();
    store
}

switchboard_storage::conformance_tests!(fresh());

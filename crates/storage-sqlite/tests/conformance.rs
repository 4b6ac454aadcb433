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

/// The list stories again with every list strategy threshold at zero, so searches walk the
/// list and "within" windows are never sorted on their own: both paths give the same lists.
mod walking {
    async fn fresh() -> switchboard_storage_sqlite::SqliteStore {
        super::fresh()
            .await
            .with_tuning(switchboard_storage_sql::inbox::ListTuning {
                search_candidates: 0,
                window_sorted: 0,
            })
    }

    switchboard_storage::conformance_tests!(@each fresh();
        inbox_lists_match_the_reference_model,
        contact_search_respects_masking_and_blocking,
    );
}

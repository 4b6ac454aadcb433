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

use switchboard_storage_sql::inbox::{ListTuning, SearchStrategy};

/// The list stories again with other list strategies: searches that walk the whole list
/// and "within" windows never sorted on their own; searches that always sort their
/// matches; walks so short that most searches fall back to sorting after them; and counts
/// so low that most searches walk. Every strategy gives the same lists.
mod walking {
    use super::*;

    async fn fresh() -> switchboard_storage_sqlite::SqliteStore {
        super::fresh()
            .await
            .with_tuning(switchboard_storage_sql::inbox::ListTuning {
                search: SearchStrategy::Walk,
                window_sorted: 0,
            })
    }

    switchboard_storage::conformance_tests!(@each fresh();
        inbox_lists_match_the_reference_model,
        contact_search_respects_masking_and_blocking,
        list_search_follows_contact_edits,
    );
}

mod sorting {
    use super::*;

    async fn fresh() -> switchboard_storage_sqlite::SqliteStore {
        super::fresh()
            .await
            .with_tuning(ListTuning::with_search(SearchStrategy::WalkFirst(0)))
    }

    switchboard_storage::conformance_tests!(@each fresh();
        inbox_lists_match_the_reference_model,
        list_search_follows_contact_edits,
    );
}

mod short_walks {
    use super::*;

    async fn fresh() -> switchboard_storage_sqlite::SqliteStore {
        super::fresh()
            .await
            .with_tuning(ListTuning::with_search(SearchStrategy::WalkFirst(3)))
    }

    switchboard_storage::conformance_tests!(@each fresh();
        inbox_lists_match_the_reference_model,
        list_search_follows_contact_edits,
    );
}

mod few_candidates {
    use super::*;

    async fn fresh() -> switchboard_storage_sqlite::SqliteStore {
        super::fresh()
            .await
            .with_tuning(ListTuning::with_search(SearchStrategy::CountFirst(2)))
    }

    switchboard_storage::conformance_tests!(@each fresh();
        inbox_lists_match_the_reference_model,
        list_search_follows_contact_edits,
    );
}

//! The storage conformance stories, run against PostgreSQL in a fresh database each.

async fn fresh() -> switchboard_storage_postgres::PgStore {
    let url = switchboard_storage_postgres::testing::fresh_database().await;
    switchboard_storage_postgres::PgBackend::open(&url)
        .await
        .expect("the store opens")
}

switchboard_storage::conformance_tests!(fresh());

use switchboard_storage_sql::inbox::{ListTuning, SearchStrategy};

/// The list stories again with other list strategies: searches that walk the whole list
/// and "within" windows never sorted on their own; searches that always sort their
/// matches; walks so short that most searches fall back to sorting after them; and counts
/// so low that most searches walk. Every strategy gives the same lists.
mod walking {
    use super::*;

    async fn fresh() -> switchboard_storage_postgres::PgStore {
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

    async fn fresh() -> switchboard_storage_postgres::PgStore {
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

    async fn fresh() -> switchboard_storage_postgres::PgStore {
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

    async fn fresh() -> switchboard_storage_postgres::PgStore {
        super::fresh()
            .await
            .with_tuning(ListTuning::with_search(SearchStrategy::CountFirst(2)))
    }

    switchboard_storage::conformance_tests!(@each fresh();
        inbox_lists_match_the_reference_model,
        list_search_follows_contact_edits,
    );
}

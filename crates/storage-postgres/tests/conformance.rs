//! The storage conformance stories, run against PostgreSQL in a fresh database each.

async fn fresh() -> switchboard_storage_postgres::PgStore {
    let url = switchboard_storage_postgres::testing::fresh_database().await;
    switchboard_storage_postgres::PgBackend::open(&url)
        .await
        .expect("the store opens")
}

switchboard_storage::conformance_tests!(fresh());

/// The list stories again with every list strategy threshold at zero, so searches walk the
/// list and "within" windows are never sorted on their own: both paths give the same lists.
mod walking {
    async fn fresh() -> switchboard_storage_postgres::PgStore {
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

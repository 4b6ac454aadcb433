//! The storage conformance stories, run against PostgreSQL in a fresh database each.

async fn fresh() -> switchboard_storage_postgres::PgStore {
    let url = switchboard_storage_postgres::testing::fresh_database().await;
    switchboard_storage_postgres::PgBackend::open(&url)
        .await
        .expect("the store opens")
}

switchboard_storage::conformance_tests!(fresh());

// The list stories again under every list strategy.
switchboard_storage_sql::list_strategy_tests!(fresh, switchboard_storage_postgres::PgStore);

//! Throwaway databases for test suites (feature `testing`).

use sqlx::{Connection, PgConnection};

/// The environment variable holding the URL of a PostgreSQL server's admin database
/// (e.g. `postgres://postgres@127.0.0.1:55432/postgres`), set by `cargo xtask test`.
pub const ADMIN_URL_VAR: &str = "SWITCHBOARD_TEST_POSTGRES";

/// Creates a new, empty, uniquely named database on the test server and returns its URL.
/// Panics (it is for tests) when the server is not configured or refuses.
pub async fn fresh_database() -> String {
    let Ok(admin) = std::env::var(ADMIN_URL_VAR) else {
        panic!(
            "{ADMIN_URL_VAR} is not set: run the tests through `cargo xtask test`, which starts a throwaway PostgreSQL"
        );
    };
    fresh_database_at(&admin).await
}

/// [`fresh_database`] on the server of the admin URL `admin`.
pub async fn fresh_database_at(admin: &str) -> String {
    let random = getrandom::u64().expect("random bytes for a database name");
    let name = format!("sbtest_{random:016x}");
    let mut conn = PgConnection::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {ADMIN_URL_VAR} ({admin}): {e}"));
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
    let _ = conn.close().await;
    let mut url = url::Url::parse(admin)
        .unwrap_or_else(|e| panic!("{ADMIN_URL_VAR} is not a URL ({admin}): {e}"));
    url.set_path(&name);
    url.into()
}

//! [`Conn`] for sqlx's SQLite and PostgreSQL connections and transactions. PostgreSQL numbers
//! its placeholders (`$1`, `$2`, …), so statements are rewritten from `?` before they run.

use crate::backend::{Bind, Conn, Sql};
use crate::rows::{Row, db_err};
use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::{Postgres, Sqlite, Transaction};
use switchboard_storage::StoreResult;

/// `?` → `$1`, `$2`, … outside string literals.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut in_string = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                in_string = !in_string;
                out.push(c);
            }
            '?' if !in_string => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

fn same(sql: &str) -> String {
    sql.to_owned()
}

macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                Bind::Int(v) => query.bind(v),
                Bind::OptInt(v) => query.bind(v),
                Bind::Text(v) => query.bind(v),
                Bind::OptText(v) => query.bind(v),
                Bind::Bool(v) => query.bind(v),
            };
        }
        query
    }};
}

macro_rules! impl_conn {
    ($db:ty, $conn:ty, $rewrite:path) => {
        #[async_trait]
        impl Conn for $conn {
            async fn execute(&mut self, sql: Sql) -> StoreResult<u64> {
                let text = $rewrite(&sql.text);
                let query = bind_all!(sqlx::query::<$db>(&text), sql.binds)
                    .persistent(!sql.planned_per_run);
                Ok(query
                    .execute(&mut **self)
                    .await
                    .map_err(db_err)?
                    .rows_affected())
            }

            async fn fetch_all<T: Row>(&mut self, sql: Sql) -> StoreResult<Vec<T>> {
                let text = $rewrite(&sql.text);
                let query = bind_all!(sqlx::query_as::<$db, T>(&text), sql.binds)
                    .persistent(!sql.planned_per_run);
                query.fetch_all(&mut **self).await.map_err(db_err)
            }

            async fn fetch_optional<T: Row>(&mut self, sql: Sql) -> StoreResult<Option<T>> {
                let text = $rewrite(&sql.text);
                let query = bind_all!(sqlx::query_as::<$db, T>(&text), sql.binds)
                    .persistent(!sql.planned_per_run);
                query.fetch_optional(&mut **self).await.map_err(db_err)
            }
        }
    };
}

impl_conn!(Sqlite, Transaction<'static, Sqlite>, same);
impl_conn!(Sqlite, PoolConnection<Sqlite>, same);
impl_conn!(Postgres, Transaction<'static, Postgres>, numbered);
impl_conn!(Postgres, PoolConnection<Postgres>, numbered);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_strings() {
        assert_eq!(numbered("SELECT ? , '?' , ?"), "SELECT $1 , '?' , $2");
        assert_eq!(
            numbered("a = 'it''s ?' AND b = ?"),
            "a = 'it''s ?' AND b = $1"
        );
        assert_eq!(numbered("no placeholders"), "no placeholders");
    }
}

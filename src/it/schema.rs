//! The SQLite and PostgreSQL migrations produce the same schema: tables, columns, types (up to
//! each backend's names), nullability, primary and foreign keys, and indexes. Runs in the
//! PostgreSQL pass of the suite, which has both backends at hand.

use super::*;
use std::collections::BTreeSet;

/// One line per fact of a schema, comparable across the backends.
type Schema = BTreeSet<String>;

/// The backends' type names as one vocabulary.
fn type_class(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "smallint" | "int" => "integer",
        "real" | "double precision" => "real",
        "text" | "character varying" => "text",
        "blob" | "bytea" => "bytes",
        _ => "other",
    }
}

/// SQLite's and PostgreSQL's names for what a deleted parent does to its children.
fn on_delete(action: &str) -> &'static str {
    match action.to_ascii_lowercase().as_str() {
        "cascade" | "c" => "cascade",
        "set null" | "n" => "set null",
        "restrict" | "r" => "restrict",
        "set default" | "d" => "set default",
        _ => "no action",
    }
}

async fn sqlite_schema(db: &Db) -> Schema {
    let mut schema = Schema::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for table in tables {
        schema.insert(format!("table {table}"));
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let mut key: Vec<(i64, String)> = Vec::new();
        for (name, declared, not_null, pk) in columns {
            // A primary key column is never null, whether SQLite's pragma says so or not.
            let nullable = if not_null == 1 || pk > 0 {
                "not null"
            } else {
                "null"
            };
            schema.insert(format!(
                "column {table}.{name} {} {nullable}",
                type_class(&declared)
            ));
            if pk > 0 {
                key.push((pk, name));
            }
        }
        key.sort();
        let key: Vec<String> = key.into_iter().map(|(_, name)| name).collect();
        schema.insert(format!("primary key {table} ({})", key.join(", ")));
        let foreign: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1)",
        )
        .bind(&table)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        for (parent, from, to, action) in foreign {
            schema.insert(format!(
                "foreign key {table}.{from} -> {parent}.{to} on delete {}",
                on_delete(&action)
            ));
        }
        let indexes: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT name, \"unique\", origin FROM pragma_index_list($1) WHERE origin <> 'pk'",
        )
        .bind(&table)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        for (index, unique, _) in indexes {
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&db.pool)
                    .await
                    .unwrap();
            let kind = if unique == 1 { "unique index" } else { "index" };
            schema.insert(format!("{kind} {table} ({})", columns.join(", ")));
        }
    }
    schema
}

async fn postgres_schema(db: &Db) -> Schema {
    let mut schema = Schema::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for table in &tables {
        schema.insert(format!("table {table}"));
    }
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for (table, name, declared, nullable) in columns {
        let nullable = if nullable == "NO" { "not null" } else { "null" };
        schema.insert(format!(
            "column {table}.{name} {} {nullable}",
            type_class(&declared)
        ));
    }
    // Index and key columns in their order; expression columns are not used by the schema.
    let indexes: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT t.relname::text, ix.indisunique::int::int8, ix.indisprimary::int::int8, \
                string_agg(a.attname::text, ', ' ORDER BY k.n) \
         FROM pg_index ix \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace ns ON ns.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n) \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
         WHERE ns.nspname = current_schema() AND t.relname <> '_sqlx_migrations' \
         GROUP BY t.relname, ix.indexrelid, ix.indisunique, ix.indisprimary",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for (table, unique, primary, columns) in indexes {
        let line = match (primary, unique) {
            (1, _) => format!("primary key {table} ({columns})"),
            (_, 1) => format!("unique index {table} ({columns})"),
            _ => format!("index {table} ({columns})"),
        };
        schema.insert(line);
    }
    let foreign: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT child.relname::text, a.attname::text, parent.relname::text, pa.attname::text, \
                c.confdeltype::text \
         FROM pg_constraint c \
         JOIN pg_class child ON child.oid = c.conrelid \
         JOIN pg_class parent ON parent.oid = c.confrelid \
         JOIN pg_namespace ns ON ns.oid = child.relnamespace \
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, parent_col) \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col \
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent_col \
         WHERE c.contype = 'f' AND ns.nspname = current_schema()",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for (table, from, parent, to, action) in foreign {
        schema.insert(format!(
            "foreign key {table}.{from} -> {parent}.{to} on delete {}",
            on_delete(&action)
        ));
    }
    schema
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgresql_migrations_make_the_same_schema() {
    let postgres_url = database_url().await;
    if !postgres_url.starts_with("postgres") {
        // The SQLite pass has no PostgreSQL server; the PostgreSQL pass runs this.
        return;
    }
    let postgres = Db::connect(&postgres_url).await.unwrap();
    postgres.migrate().await.unwrap();
    let (_folder, _, sqlite) = crate::testing::fresh_database("schema").await;
    let (lite, pg) = (
        sqlite_schema(&sqlite).await,
        postgres_schema(&postgres).await,
    );
    assert!(lite.iter().filter(|l| l.starts_with("table ")).count() > 20);
    assert!(
        !lite.iter().any(|line| line.contains(" other ")),
        "{lite:#?}"
    );
    let only_sqlite: Vec<&String> = lite.difference(&pg).collect();
    let only_postgres: Vec<&String> = pg.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ.\nonly SQLite:\n{only_sqlite:#?}\nonly PostgreSQL:\n{only_postgres:#?}"
    );
}

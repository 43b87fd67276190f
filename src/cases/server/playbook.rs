//! The playbook (its texts, the published stories in order, the one-file export) and the Atom feed.

use crate::cases::server::history::touch;
use crate::cases::server::images::image;
use crate::cases::server::read::articles;
use crate::cases::server::read::list_published;
use crate::cases::server::read::StudyRow;
use crate::cases::server::read::STUDY_COLUMNS;
use crate::cases::*;
use crate::config::Config;
use crate::db::{now_secs, Db};
use crate::domain::date::parse_date;
use crate::domain::validation::Problem;
use crate::error::AppError;
use std::collections::HashMap;

/// The playbook's introduction, method and version.
pub(super) async fn playbook_texts(db: &Db) -> Result<(String, String, i64), AppError> {
    Ok(
        sqlx::query_as("SELECT intro, method, version FROM playbook WHERE id = 1")
            .fetch_one(&db.pool)
            .await?,
    )
}

pub async fn playbook(db: &Db) -> Result<Playbook, AppError> {
    let (intro, method, version) = playbook_texts(db).await?;
    let chosen: Vec<StudyRow> = sqlx::query_as(&format!(
        "SELECT {STUDY_COLUMNS} JOIN playbook_entries pe ON pe.case_study_id = case_studies.id \
         WHERE status = 'published' ORDER BY pe.position"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(Playbook {
        intro,
        method,
        version,
        studies: articles(db, &chosen).await?,
    })
}

/// The booklet as the reader's page shows and prints it.
pub async fn booklet(db: &Db, locale: crate::i18n::Locale) -> Result<String, AppError> {
    Ok(crate::cases::render::booklet_html(
        &playbook(db).await?,
        locale,
    ))
}

pub async fn playbook_editor(db: &Db) -> Result<PlaybookEditorData, AppError> {
    let (intro, method, version) = playbook_texts(db).await?;
    let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT cs.slug, cs.title, pe.position FROM case_studies cs \
         LEFT JOIN playbook_entries pe ON pe.case_study_id = cs.id WHERE cs.status = 'published' \
         ORDER BY CASE WHEN pe.position IS NULL THEN 1 ELSE 0 END, pe.position, cs.title",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(PlaybookEditorData {
        intro,
        method,
        version,
        published: rows
            .into_iter()
            .map(|(slug, title, position)| (slug, title, position.is_some()))
            .collect(),
    })
}

pub async fn save_playbook(
    db: &Db,
    intro: &str,
    method: &str,
    chosen: &[String],
    base_version: i64,
) -> Result<i64, AppError> {
    for (field, text) in [("intro", intro), ("method", method)] {
        if text.chars().count() > crate::domain::case_study::SECTION_MAX {
            return Err(AppError::invalid(
                field,
                Problem::TooLong {
                    max: crate::domain::case_study::SECTION_MAX,
                },
            ));
        }
    }
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE playbook SET intro = $1, method = $2, version = version + 1, updated_at = $3 \
         WHERE id = 1 AND version = $4",
    )
    .bind(intro.trim())
    .bind(method.trim())
    .bind(now_secs())
    .bind(base_version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Err(AppError::Conflict(Problem::EditedMeanwhile));
    }
    sqlx::query("DELETE FROM playbook_entries")
        .execute(&mut *tx)
        .await?;
    for (position, slug) in chosen.iter().enumerate() {
        let inserted = sqlx::query(
            "INSERT INTO playbook_entries (case_study_id, position) \
             SELECT id, $1 FROM case_studies WHERE slug = $2 AND status = 'published' \
             ON CONFLICT (case_study_id) DO NOTHING",
        )
        .bind(position as i64)
        .bind(slug)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(AppError::invalid("studies", Problem::NotEditable));
        }
    }
    touch(&mut tx).await?;
    tx.commit().await?;
    Ok(base_version + 1)
}

/// The Atom feed of published stories, newest first.
pub async fn feed(db: &Db, config: &Config) -> Result<String, AppError> {
    use atom_syndication::{Entry, Feed, Link, Person, Text};
    let list = list_published(db, &CaseFilter::default()).await?;
    let base = config.base_url();
    let date = |day: &Option<String>| {
        let day = day.as_deref().and_then(parse_date).unwrap_or_default();
        day.and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .fixed_offset()
    };
    let entries: Vec<Entry> = list
        .studies
        .iter()
        .map(|study| {
            let url = format!("{base}/fallstudien/{}", study.slug);
            let mut entry = Entry::default();
            entry.set_id(url.clone());
            entry.set_title(Text::plain(study.title.clone()));
            entry.set_summary(Some(Text::plain(study.teaser.clone())));
            entry.set_updated(date(&study.published_on));
            entry.set_published(Some(date(&study.published_on)));
            entry.set_links(vec![Link {
                href: url,
                rel: "alternate".into(),
                ..Default::default()
            }]);
            entry.set_authors(
                study
                    .partners
                    .iter()
                    .map(|(_, name)| Person {
                        name: name.clone(),
                        ..Default::default()
                    })
                    .collect::<Vec<_>>(),
            );
            entry
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_id(format!("{base}/fallstudien"));
    feed.set_title(Text::plain("Tandem – Fallstudien"));
    feed.set_updated(
        list.studies
            .first()
            .map(|s| date(&s.published_on))
            .unwrap_or_else(|| date(&None)),
    );
    feed.set_links(vec![
        Link {
            href: format!("{base}/fallstudien/feed.xml"),
            rel: "self".into(),
            ..Default::default()
        },
        Link {
            href: format!("{base}/fallstudien"),
            rel: "alternate".into(),
            ..Default::default()
        },
    ]);
    feed.set_entries(entries);
    Ok(feed.to_string())
}

/// The playbook as one HTML file: styles inline, images as data URIs, nothing fetched.
pub async fn playbook_export(
    db: &Db,
    config: &Config,
    locale: crate::i18n::Locale,
) -> Result<String, AppError> {
    use base64::Engine;
    let base = config.base_url();
    let mut body = booklet(db, locale).await?;
    // Every image (covers, galleries and those placed in the sections' markdown) becomes a data
    // URI; one that cannot be read is dropped rather than left pointing at the server.
    let marker = format!("src=\"{}", crate::domain::case_study::IMAGE_PATH);
    let mut data_uris: HashMap<String, String> = HashMap::new();
    let mut inlined = String::with_capacity(body.len());
    let mut rest = body.as_str();
    // One pass over the page: each image is read and encoded once, however often it appears.
    while let Some(at) = rest.find(&marker) {
        let after = &rest[at + marker.len()..];
        let Some(end) = after.find('"') else { break };
        let name = &after[..end];
        if !data_uris.contains_key(name) {
            let data = match image(db, name).await {
                Ok((content_type, bytes)) => format!(
                    "data:{content_type};base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                ),
                Err(_) => String::new(),
            };
            data_uris.insert(name.to_owned(), data);
        }
        inlined.push_str(&rest[..at]);
        inlined.push_str("src=\"");
        inlined.push_str(&data_uris[name]);
        inlined.push('"');
        rest = &after[end + 1..];
    }
    inlined.push_str(rest);
    body = inlined;
    // Links to the partners' profiles point back to this instance.
    let body = body.replace("href=\"/", &format!("href=\"{base}/"));
    Ok(format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{css}</style></head><body><main class=\"booklet\">{body}</main></body></html>",
        lang = locale.code(),
        title = crate::i18n::Msg::PlaybookTitle.text(locale),
        css = include_str!("../../../public/booklet.css"),
    ))
}

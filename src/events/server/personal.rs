//! A registrant's personal page, assembled above rounds and bookings: their meetings and
//! requests, the other registrants and their wishes.

use crate::db::today;
use crate::db::{now_secs, Db};
use crate::domain::actor::ActorKind;
use crate::domain::event::{registrants_visible, EventFormat};
use crate::domain::meeting::Wish;
use crate::domain::registrant_list;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::events::server::events::event_row;
use crate::events::server::events::topics;
use crate::events::server::registrations::event_people;
use crate::events::server::registrations::registration_by_token;
use crate::events::server::registrations::EventPeople;
use crate::events::{MyMeeting, MyRegistration, Registrant, Registrants, Suggestion, SUGGESTIONS};

/// The personal page. The token is the only key: a wrong one finds nothing.
pub async fn my_registration(
    db: &Db,
    slug: &str,
    token: &str,
    public_origin: &str,
) -> Result<MyRegistration, AppError> {
    let event = event_row(db, slug, true).await?;
    let row = registration_by_token(db, &event, token).await?;
    let chosen: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.vocabulary, t.slug FROM registration_terms x \
         JOIN taxonomy_terms t ON t.id = x.term_id WHERE x.registration_id = $1",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    let chosen: Vec<String> = chosen
        .into_iter()
        .map(|(v, s)| format!("{v}:{s}"))
        .collect();
    let format = event.record.format;
    let requests = super::booking::my_requests(db, &event, row.id).await?;
    let all_topics = topics(db).await?;
    let link = format!(
        "{public_origin}/veranstaltungen/{}/ich/{}",
        event.slug,
        token.trim()
    );
    let qr_svg = qrcode::QrCode::new(link.as_bytes())
        .map_err(|_| AppError::Internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    Ok(MyRegistration {
        event_slug: event.slug,
        event_title: event.record.title,
        starts_at: event.record.starts_at,
        venue: event.record.venue,
        town: event.record.town,
        person_name: row.person_name,
        email: row.email,
        organisation: row.organisation,
        kind: row
            .kind
            .as_deref()
            .and_then(ActorKind::from_code)
            .unwrap_or(ActorKind::Mittelstand),
        offers: row.offers,
        seeks: row.seeks,
        topics: all_topics
            .iter()
            .filter(|t| chosen.contains(&t.code))
            .cloned()
            .collect(),
        checked_in: row.checked_in_at.is_some() && row.checked_out_at.is_none(),
        at_the_door: row.at_the_door == 1,
        link,
        qr_svg,
        format,
        requests,
        all_topics,
    })
}

/// Every round the owner of a personal link has a place in up to the current one, newest first,
/// with table, partners and talking points as stored when the round was planned: what a phone
/// reads again when the round moves on, without scoring anything.
pub async fn my_rounds(db: &Db, slug: &str, token: &str) -> Result<Vec<MyMeeting>, AppError> {
    let event = event_row(db, slug, true).await?;
    let row = registration_by_token(db, &event, token).await?;
    super::seats::my_meetings(db, &event, row.id).await
}

/// Everyone else registered for the event, what the viewer wishes about them, and the best
/// suggestions for the viewer with their reasons.
pub async fn registrants(
    db: &Db,
    slug: &str,
    token: &str,
    search: &str,
    page: u32,
) -> Result<Registrants, AppError> {
    let event = event_row(db, slug, true).await?;
    let me = registration_by_token(db, &event, token).await?;
    // Only around the event: before it opens and once it lies back, nobody's details show.
    if !registrants_visible(event.status, &event.record, today()) {
        return Err(AppError::Conflict(Problem::RegistrantsHidden));
    }
    let EventPeople {
        people,
        topics,
        topics_of,
        mut pool,
    } = event_people(db, &event, false).await?;
    let wishes: Vec<(i64, String)> =
        sqlx::query_as("SELECT to_registration, wish FROM wishes WHERE from_registration = $1")
            .bind(me.id)
            .fetch_all(&db.pool)
            .await?;
    let index_of = |id: i64| people.iter().position(|p| p.id == id).map(|i| i as u32);
    // The wishes are only the viewer's own (see the query): what others wish or refuse is
    // theirs to tell, so it must not show in the suggestions, their points or their reasons.
    let mut my_wishes = Vec::new();
    for (to, wish) in &wishes {
        let (Some(a), Some(b), Some(wish)) =
            (index_of(me.id), index_of(*to), Wish::from_code(wish))
        else {
            continue;
        };
        pool.wish(a, b, wish);
        my_wishes.push((*to, wish));
    }
    let Some(mine) = index_of(me.id) else {
        return Err(AppError::NotFound);
    };
    let mut suggestions: Vec<Suggestion> = (0..people.len() as u32)
        .filter_map(|other| {
            let explanation = pool.explain(mine, other).ok()?;
            let person = &people[other as usize];
            Some(Suggestion {
                id: person.id,
                person_name: person.person_name.clone(),
                organisation: person.organisation.clone(),
                points: explanation.points,
                reasons: explanation.reasons,
            })
        })
        .collect();
    suggestions.sort_by(|a, b| b.points.cmp(&a.points).then(a.id.cmp(&b.id)));
    suggestions.truncate(SUGGESTIONS);
    let wish_of = |id: i64| my_wishes.iter().find(|(to, _)| *to == id).map(|(_, w)| *w);
    let words = registrant_list::search_words(search);
    let mut listed: Vec<Registrant> = people
        .into_iter()
        .zip(topics_of)
        .filter(|(person, _)| {
            person.id != me.id
                && registrant_list::matches(
                    &[
                        &person.person_name,
                        &person.organisation,
                        &person.offers,
                        &person.seeks,
                    ],
                    &words,
                )
        })
        .map(|(person, mut topics)| {
            topics.sort_unstable();
            Registrant {
                wish: wish_of(person.id),
                id: person.id,
                kind: person.kind.as_deref().and_then(ActorKind::from_code),
                person_name: person.person_name,
                organisation: person.organisation,
                offers: person.offers,
                seeks: person.seeks,
                topics,
            }
        })
        .collect();
    // By name alone: a card stays in its place when its wish changes.
    listed.sort_by_cached_key(|person| registrant_list::sort_key(&person.person_name));
    let matching = u32::try_from(listed.len()).unwrap_or(u32::MAX);
    let (listed, page) = registrant_list::page_of(listed, page);
    Ok(Registrants {
        bookable: event.record.format == EventFormat::Slots,
        requested: super::booking::requested_with(db, event.id, me.id).await?,
        people: listed,
        matching,
        page,
        suggestions,
        topics,
    })
}

/// Sets (or, with an empty `wish`, clears) what the owner of `token` wishes about `other`.
pub async fn set_wish(
    db: &Db,
    slug: &str,
    token: &str,
    other: i64,
    wish: &str,
) -> Result<(), AppError> {
    let event = event_row(db, slug, true).await?;
    let me = registration_by_token(db, &event, token).await?;
    let wish = match wish.trim() {
        "" => None,
        code => Some(Wish::from_code(code).ok_or(AppError::invalid("wish", Problem::KindUnknown))?),
    };
    let registered: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE id = $1 AND event_id = $2")
            .bind(other)
            .bind(event.id)
            .fetch_one(&db.pool)
            .await?;
    if registered == 0 {
        return Err(AppError::NotFound);
    }
    if other == me.id {
        return Err(AppError::invalid("wish", Problem::NotYourself));
    }
    match wish {
        None => {
            sqlx::query("DELETE FROM wishes WHERE from_registration = $1 AND to_registration = $2")
                .bind(me.id)
                .bind(other)
                .execute(&db.pool)
                .await?;
        }
        Some(wish) => {
            sqlx::query(
                "INSERT INTO wishes (from_registration, to_registration, wish, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (from_registration, to_registration) \
                 DO UPDATE SET wish = excluded.wish",
            )
            .bind(me.id)
            .bind(other)
            .bind(wish.code())
            .bind(now_secs())
            .execute(&db.pool)
            .await?;
        }
    }
    Ok(())
}

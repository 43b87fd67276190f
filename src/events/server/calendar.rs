//! A participant's schedule as iCalendar, assembled above rounds and bookings.

use super::events::event_row;
use super::registrations::registration_by_token;
use crate::db::{now_secs, Db};
use crate::domain::date::format_date_time;
use crate::domain::event::slot_start;
use crate::domain::ical::{calendar as ical, Entry, When};
use crate::error::AppError;
use crate::events::Seated;

/// The event and each of the person's meetings that has started, as iCalendar.
pub async fn calendar(db: &Db, slug: &str, token: &str, host: &str) -> Result<String, AppError> {
    let event = event_row(db, slug, false).await?;
    let me = registration_by_token(db, &event, token).await?;
    let record = &event.record;
    let location = format!("{}, {}", record.venue, record.town);
    let mut entries = vec![Entry {
        uid: format!("veranstaltung-{}@{host}", event.id),
        summary: record.title.clone(),
        location: location.clone(),
        description: record.description.clone(),
        when: When::Local {
            starts: record.starts_at.clone(),
            ends: record.ends_at.clone(),
        },
    }];
    let meetings = super::seats::my_meetings(db, &event, me.id).await?;
    let rounds = super::live::rounds_of(db, event.id).await?;
    for meeting in meetings.iter().rev() {
        let Some((table, round)) = meeting.table.as_ref().zip(
            rounds
                .iter()
                .find(|round| round.number == i64::from(meeting.round)),
        ) else {
            continue;
        };
        let Some(started) = round.started_at else {
            continue;
        };
        let partners = meeting
            .partners
            .iter()
            .map(Seated::display_name)
            .collect::<Vec<_>>()
            .join(", ");
        entries.push(Entry {
            uid: format!(
                "gespraech-{}-{}@{host}",
                meeting.meeting_id.unwrap_or_default(),
                me.id
            ),
            summary: format!("Runde {}, {}: {partners}", meeting.round, table.with_area()),
            location: location.clone(),
            description: meeting
                .partners
                .iter()
                .map(|p| format!("{}: {} / {}", p.person_name, p.offers, p.seeks))
                .collect::<Vec<_>>()
                .join("\n"),
            when: When::Utc {
                starts: started,
                ends: round.ended_at.unwrap_or(started + round.minutes * 60),
            },
        });
    }
    // Booked slots: the venue's local time, like the event.
    for request in super::booking::my_requests(db, &event, me.id).await? {
        let Some(place) = request.place else {
            continue;
        };
        let slot = |n| slot_start(&record.starts_at, record.round_minutes, n).map(format_date_time);
        let (Some(starts), Some(ends)) = (slot(place.slot), slot(place.slot + 1)) else {
            continue;
        };
        entries.push(Entry {
            uid: format!("termin-{}@{host}", request.id),
            summary: format!(
                "Termin, {}: {}",
                place.table.with_area(),
                request.other.display_name()
            ),
            location: location.clone(),
            description: format!("{} / {}", request.other.offers, request.other.seeks),
            when: When::Local { starts, ends },
        });
    }
    Ok(ical(&entries, now_secs()))
}

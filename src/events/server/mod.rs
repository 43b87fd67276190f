//! The events' server side, one concern per file. Dependencies run downwards in this list:
//! the personal page and the calendar assemble rounds and bookings, which build on events and
//! registrations; the live hub announces what they changed.

pub mod after;
pub mod booking;
pub mod calendar;
pub mod desk;
pub mod events;
pub mod live;
pub mod organisations;
pub mod personal;
pub mod registrations;
pub mod replan;
pub mod rounds;
pub mod seating;
pub mod seats;

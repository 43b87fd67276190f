//! The case studies' server side, one concern per file: reading at the bottom, editing and the
//! workflow above it; images, the playbook and feed, and the public pages' render cache.

pub mod cache;
pub mod edit;
pub mod history;
pub mod images;
pub mod playbook;
pub mod read;
pub mod workflow;

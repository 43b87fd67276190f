//! Event lifecycle: draft → open → live → finished.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Draft,
    Open,
    Live,
    Finished,
}

impl EventStatus {
    pub const ALL: [EventStatus; 4] = [
        EventStatus::Draft,
        EventStatus::Open,
        EventStatus::Live,
        EventStatus::Finished,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Open => "open",
            EventStatus::Live => "live",
            EventStatus::Finished => "finished",
        }
    }

    pub fn from_code(code: &str) -> Option<EventStatus> {
        EventStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for status in EventStatus::ALL {
            assert_eq!(EventStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(EventStatus::from_code("cancelled"), None);
    }
}

//! Actors and connections of the regional innovation network.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    Mittelstand,
    Startup,
    Forschung,
    Intermediaer,
    Initiative,
    Coworking,
}

impl ActorKind {
    pub const ALL: [ActorKind; 6] = [
        ActorKind::Mittelstand,
        ActorKind::Startup,
        ActorKind::Forschung,
        ActorKind::Intermediaer,
        ActorKind::Initiative,
        ActorKind::Coworking,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActorKind::Mittelstand => "mittelstand",
            ActorKind::Startup => "startup",
            ActorKind::Forschung => "forschung",
            ActorKind::Intermediaer => "intermediaer",
            ActorKind::Initiative => "initiative",
            ActorKind::Coworking => "coworking",
        }
    }

    pub fn from_code(code: &str) -> Option<ActorKind> {
        ActorKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    Tandem,
    Forschungskooperation,
    Mentoring,
    Mitgliedschaft,
    KundeLieferant,
}

impl ConnectionKind {
    pub const ALL: [ConnectionKind; 5] = [
        ConnectionKind::Tandem,
        ConnectionKind::Forschungskooperation,
        ConnectionKind::Mentoring,
        ConnectionKind::Mitgliedschaft,
        ConnectionKind::KundeLieferant,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConnectionKind::Tandem => "tandem",
            ConnectionKind::Forschungskooperation => "forschungskooperation",
            ConnectionKind::Mentoring => "mentoring",
            ConnectionKind::Mitgliedschaft => "mitgliedschaft",
            ConnectionKind::KundeLieferant => "kunde_lieferant",
        }
    }

    pub fn from_code(code: &str) -> Option<ConnectionKind> {
        ConnectionKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// Whether a WGS84 position is on the globe (finite, latitude ±90°, longitude ±180°).
pub fn position_in_range(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kind_codes_round_trip() {
        for kind in ActorKind::ALL {
            assert_eq!(ActorKind::from_code(kind.code()), Some(kind));
        }
        for kind in ConnectionKind::ALL {
            assert_eq!(ConnectionKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(ActorKind::from_code("konzern"), None);
    }

    proptest! {
        #[test]
        fn positions_are_in_range_or_refused(lat in -200.0f64..200.0, lon in -400.0f64..400.0) {
            let expected = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
            prop_assert_eq!(position_in_range(lat, lon), expected);
        }
    }

    #[test]
    fn non_finite_positions_are_refused() {
        assert!(!position_in_range(f64::NAN, 8.0));
        assert!(!position_in_range(49.0, f64::INFINITY));
    }
}

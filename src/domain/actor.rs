//! Actors and connections of the regional innovation network.

use serde::{Deserialize, Serialize};

crate::domain::coded::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum ActorKind {
        Mittelstand = "mittelstand",
        Startup = "startup",
        Forschung = "forschung",
        Intermediaer = "intermediaer",
        Initiative = "initiative",
        Coworking = "coworking",
    }
}

crate::domain::coded::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ConnectionKind {
        Tandem = "tandem",
        Forschungskooperation = "forschungskooperation",
        Mentoring = "mentoring",
        Mitgliedschaft = "mitgliedschaft",
        KundeLieferant = "kunde_lieferant",
    }
}

/// Whether a WGS84 position is on the globe (finite, latitude ±90°, longitude ±180°).
pub fn position_in_range(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
}

impl Default for Region {
    fn default() -> Region {
        Region::GERMANY
    }
}

/// An actor as one choice among all: a story's partner, an account's organisation, a
/// connection's other end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorOption {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: ActorKind,
    pub town: String,
    /// Only public actors are linked from published pages.
    pub public: bool,
}

/// The area a platform's actors lie in, in degrees. Positions outside it are refused: 0/0 from an
/// empty spreadsheet cell, latitude and longitude swapped, a digit lost.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Region {
    /// Germany with a small margin: the default of a German-first platform.
    pub const GERMANY: Region = Region {
        south: 47.2,
        west: 5.8,
        north: 55.1,
        east: 15.1,
    };

    /// Reads `south,west,north,east` (`47.2,5.8,55.1,15.1`).
    pub fn parse(text: &str) -> Result<Region, String> {
        let numbers: Vec<f64> = text
            .split(',')
            .map(|part| part.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| {
                format!("the region `{text}` is not four numbers south,west,north,east")
            })?;
        let [south, west, north, east] = numbers[..] else {
            return Err(format!(
                "the region `{text}` is not four numbers south,west,north,east"
            ));
        };
        if !(position_in_range(south, west) && position_in_range(north, east))
            || south >= north
            || west >= east
        {
            return Err(format!(
                "the region `{text}` must run from south-west to north-east on the globe"
            ));
        }
        Ok(Region {
            south,
            west,
            north,
            east,
        })
    }

    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn regions_are_read_and_checked() {
        assert_eq!(Region::parse("47.2, 5.8, 55.1, 15.1"), Ok(Region::GERMANY));
        for bad in ["", "47,5,55", "55.1,5.8,47.2,15.1", "47,5,95,15", "a,b,c,d"] {
            assert!(Region::parse(bad).is_err(), "{bad}");
        }
        assert!(Region::GERMANY.contains(49.25, 8.88));
        assert!(!Region::GERMANY.contains(0.0, 0.0));
        assert!(!Region::GERMANY.contains(8.88, 49.25));
    }

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

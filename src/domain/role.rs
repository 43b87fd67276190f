//! Account roles and what each may do is decided in `crate::guard`; this is just the vocabulary.

use serde::{Deserialize, Serialize};

crate::domain::coded::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Role {
        Participant = "participant",
        Partner = "partner",
        Organizer = "organizer",
        Admin = "admin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
        assert_eq!(Role::from_code("Admin"), None);
    }
}

//! Account roles and what each may do is decided in `crate::guard`; this is just the vocabulary.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Participant,
    Partner,
    Organizer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Participant,
        Role::Partner,
        Role::Organizer,
        Role::Admin,
    ];

    /// The stable code stored in the database and used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::Partner => "partner",
            Role::Organizer => "organizer",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
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

//! What a proposal changes: the fields the proposer changed against the actor they saw, applied
//! alone onto the actor as it is when a moderator accepts, with the fields that touch consent and
//! contact set apart for an explicit confirmation.

use super::actor_input::ActorInput;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorField {
    Name,
    Kind,
    Town,
    Lat,
    Lon,
    Website,
    Description,
    FoundedYear,
    SizeBand,
    Sectors,
    Technologies,
    LogoUrl,
    ContactEmail,
    ContactPublic,
    IsPublic,
}

/// The longest note a proposal may carry.
pub const MESSAGE_MAX: usize = 1000;

impl ActorField {
    pub const ALL: [ActorField; 15] = [
        ActorField::Name,
        ActorField::Kind,
        ActorField::Town,
        ActorField::Lat,
        ActorField::Lon,
        ActorField::Website,
        ActorField::Description,
        ActorField::FoundedYear,
        ActorField::SizeBand,
        ActorField::Sectors,
        ActorField::Technologies,
        ActorField::LogoUrl,
        ActorField::ContactEmail,
        ActorField::ContactPublic,
        ActorField::IsPublic,
    ];

    /// The form field's name, as the actor form and the import name it.
    pub fn code(self) -> &'static str {
        match self {
            ActorField::Name => "name",
            ActorField::Kind => "kind",
            ActorField::Town => "town",
            ActorField::Lat => "lat",
            ActorField::Lon => "lon",
            ActorField::Website => "website",
            ActorField::Description => "description",
            ActorField::FoundedYear => "founded_year",
            ActorField::SizeBand => "size_band",
            ActorField::Sectors => "sectors",
            ActorField::Technologies => "technologies",
            ActorField::LogoUrl => "logo_url",
            ActorField::ContactEmail => "contact_email",
            ActorField::ContactPublic => "contact_public",
            ActorField::IsPublic => "is_public",
        }
    }

    /// Changes a moderator must confirm on their own: an address the site will load images from,
    /// someone's contact, and what the organisation agreed to show.
    pub fn needs_confirmation(self) -> bool {
        matches!(
            self,
            ActorField::LogoUrl
                | ActorField::ContactEmail
                | ActorField::ContactPublic
                | ActorField::IsPublic
        )
    }

    /// The field's value as text, for comparing and showing.
    pub fn value(self, input: &ActorInput) -> String {
        let checked = |value: &Option<String>| {
            if is_on(value) {
                "ja".to_owned()
            } else {
                "nein".to_owned()
            }
        };
        match self {
            ActorField::Name => input.name.clone(),
            ActorField::Kind => input.kind.clone(),
            ActorField::Town => input.town.clone(),
            ActorField::Lat => input.lat.clone(),
            ActorField::Lon => input.lon.clone(),
            ActorField::Website => input.website.clone(),
            ActorField::Description => input.description.clone(),
            ActorField::FoundedYear => input.founded_year.clone(),
            ActorField::SizeBand => input.size_band.clone(),
            ActorField::Sectors => input.sectors.join(", "),
            ActorField::Technologies => input.technologies.join(", "),
            ActorField::LogoUrl => input.logo_url.clone(),
            ActorField::ContactEmail => input.contact_email.clone(),
            ActorField::ContactPublic => checked(&input.contact_public),
            ActorField::IsPublic => checked(&input.is_public),
        }
    }

    fn copy(self, from: &ActorInput, to: &mut ActorInput) {
        match self {
            ActorField::Name => to.name = from.name.clone(),
            ActorField::Kind => to.kind = from.kind.clone(),
            ActorField::Town => to.town = from.town.clone(),
            ActorField::Lat => to.lat = from.lat.clone(),
            ActorField::Lon => to.lon = from.lon.clone(),
            ActorField::Website => to.website = from.website.clone(),
            ActorField::Description => to.description = from.description.clone(),
            ActorField::FoundedYear => to.founded_year = from.founded_year.clone(),
            ActorField::SizeBand => to.size_band = from.size_band.clone(),
            ActorField::Sectors => to.sectors = from.sectors.clone(),
            ActorField::Technologies => to.technologies = from.technologies.clone(),
            ActorField::LogoUrl => to.logo_url = from.logo_url.clone(),
            ActorField::ContactEmail => to.contact_email = from.contact_email.clone(),
            ActorField::ContactPublic => to.contact_public = from.contact_public.clone(),
            ActorField::IsPublic => to.is_public = from.is_public.clone(),
        }
    }
}

fn is_on(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| matches!(v.trim(), "on" | "1" | "ja" | "true"))
}

/// The fields `proposed` changes against `base`, the actor as the proposer saw it (for a new
/// actor: an empty one).
pub fn changed_fields(base: &ActorInput, proposed: &ActorInput) -> Vec<ActorField> {
    ActorField::ALL
        .into_iter()
        .filter(|field| field.value(base) != field.value(proposed))
        .collect()
}

/// `current` with the proposal's `changes` applied and nothing else: edits made since the
/// proposal stay, and consent withdrawn since stays withdrawn.
pub fn apply_changes(
    current: &ActorInput,
    proposed: &ActorInput,
    changes: &[ActorField],
) -> ActorInput {
    let mut applied = current.clone();
    for field in changes {
        field.copy(proposed, &mut applied);
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn actor() -> ActorInput {
        ActorInput {
            name: "Kraichbach Landmaschinen KG".into(),
            kind: "mittelstand".into(),
            town: "Eppingen".into(),
            lat: "49.13".into(),
            lon: "8.9".into(),
            description: "Landmaschinen".into(),
            contact_email: "info@kraichbach.example".into(),
            is_public: Some("on".into()),
            contact_public: Some("on".into()),
            ..ActorInput::default()
        }
    }

    #[test]
    fn only_the_proposers_changes_are_applied() {
        let base = actor();
        let mut proposed = base.clone();
        proposed.description = "Landmaschinen und Sensorik".into();
        let changes = changed_fields(&base, &proposed);
        assert_eq!(changes, vec![ActorField::Description]);
        // Meanwhile an editor moved the actor and the organisation withdrew its consent.
        let mut current = base.clone();
        current.town = "Sinsheim".into();
        current.is_public = None;
        let applied = apply_changes(&current, &proposed, &changes);
        assert_eq!(applied.description, "Landmaschinen und Sensorik");
        assert_eq!(applied.town, "Sinsheim", "a later edit is not reverted");
        assert_eq!(
            applied.is_public, None,
            "a withdrawn consent is not reverted"
        );
    }

    #[test]
    fn contact_logo_and_consent_need_confirmation() {
        let base = actor();
        let mut proposed = base.clone();
        proposed.contact_email = "neu@kraichbach.example".into();
        proposed.logo_url = "https://cdn.example/logo.png".into();
        let changes = changed_fields(&base, &proposed);
        assert!(changes.iter().all(|f| f.needs_confirmation()));
        assert_eq!(changes.len(), 2);
    }

    #[test]
    fn consent_for_a_new_actor_is_a_change_to_confirm() {
        let mut proposed = actor();
        proposed.contact_email = String::new();
        proposed.contact_public = None;
        let changes = changed_fields(&ActorInput::default(), &proposed);
        assert!(changes.contains(&ActorField::IsPublic));
        assert!(changes.iter().any(|f| f.needs_confirmation()));
        let applied = apply_changes(&ActorInput::default(), &proposed, &changes);
        assert_eq!(applied.is_public.as_deref(), Some("on"));
    }

    proptest! {
        #[test]
        fn untouched_fields_keep_their_current_value(
            description in "[a-z ]{0,20}",
            town in "[A-Z][a-z]{0,10}",
            public in any::<bool>(),
        ) {
            let base = actor();
            let mut proposed = base.clone();
            proposed.description = description.clone();
            let mut current = base.clone();
            current.town = town.clone();
            current.is_public = public.then(|| "on".to_owned());
            let applied = apply_changes(&current, &proposed, &changed_fields(&base, &proposed));
            prop_assert_eq!(applied.town, town);
            prop_assert_eq!(applied.description, description);
            prop_assert_eq!(applied.is_public.is_some(), public);
        }
    }
}

//! Input validation shared by server functions and forms. Every problem is a value of [`Problem`],
//! which the UI turns into a sentence in the reader's language.

use serde::{Deserialize, Serialize};

/// What is wrong with an input, independent of language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    EmailInvalid,
    EmailTaken,
    PasswordTooShort {
        min: usize,
    },
    PasswordTooLong {
        max: usize,
    },
    PasswordIsEmail,
    RoleUnknown,
    LastAdmin,
    InviteInvalid,
    NotYourself,
    Unreadable,
    NumberInvalid,
    CoordinatesOutOfRange,
    /// On the globe, but outside the platform's region.
    OutsideRegion,
    /// Outside the region, but inside it with latitude and longitude swapped.
    CoordinatesSwapped,
    UrlInvalid,
    KindUnknown,
    YearOutOfRange {
        max: usize,
    },
    SizeBandUnknown,
    TermUnknown,
    ConsentMissing,
    SameActor,
    DateInvalid,
    EndBeforeStart,
    DuplicateActor,
    ActorUnknown,
    ConnectionExists,
    ColumnMissing,
    FileTooLarge {
        max: usize,
    },
    NothingToImport,
    TermExists,
    DateTimeInvalid,
    NumberOutOfRange {
        min: usize,
        max: usize,
    },
    ConsentRequired,
    RegistrationClosed,
    AlreadyRegistered,
    StatusStepInvalid,
    EventNotLive,
    AllRoundsPlanned,
    RoundPlannedMeanwhile,
    RoundStepInvalid,
    RoundStillOpen,
    NoRound,
    RoundAlreadyStarted,
    SwapInvalid,
    NobodyWaiting,
    MeetingNotOver,
    FollowUpNotMutual,
    FollowUpConfirmed,
    NotBookable,
    AlreadyRequested,
    SlotsEvent,
    PartnersTooFew,
    ConnectionNotBetweenPartners,
    KeyFigureInvalid {
        line: usize,
    },
    TooMany {
        max: usize,
    },
    ImageTypeRefused,
    ImageTooLarge {
        max: usize,
    },
    AltMissing,
    ApprovalsMissing,
    NotEditable,
    ApprovalInvalid,
    NotAPartner,
    EditedMeanwhile,
    ChangedSinceShown,
    ApprovalExpired,
    UploadQuotaReached {
        max: usize,
    },
    FormExpired,
    FormRefused,
    ConfirmationNeeded,
    LinkExpired,
    RegistrantsHidden,
    SeatingChangedMeanwhile,
    /// Every round that could be planned anew is locked (or has started).
    RoundLocked,
    /// Another organiser (or the automatic re-plan) changed the plan while this one was computed.
    PlanChangedMeanwhile,
    /// A row of the table list without a valid count or seats, or with too long a text.
    TableRowInvalid {
        row: usize,
    },
    /// A row of the table list whose name another table already has.
    TableNameTaken {
        row: usize,
    },
    /// A weight that is not one of the form's choices.
    WeightUnknown,
    /// A meeting request the other side answered before its sender took it back.
    RequestAnswered,
}

pub const NAME_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;
pub const PASSWORD_MIN: usize = 10;
/// Argon2 accepts more, but a cap keeps a single login request cheap.
pub const PASSWORD_MAX: usize = 256;

/// Trims and checks a person's display name.
pub fn display_name(input: &str) -> Result<String, Problem> {
    let name = input.trim();
    if name.is_empty() {
        return Err(Problem::Required);
    }
    if name.chars().count() > NAME_MAX {
        return Err(Problem::TooLong { max: NAME_MAX });
    }
    if name.chars().any(char::is_control) {
        return Err(Problem::Required);
    }
    Ok(name.to_owned())
}

/// Normalises an email address (trimmed, lower-case) and checks its shape.
///
/// Deliberately simple: one `@`, a non-empty local part, a dotted domain, no spaces. Whether the
/// address exists is the invite link's job.
pub fn email(input: &str) -> Result<String, Problem> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err(Problem::Required);
    }
    if email.len() > EMAIL_MAX {
        return Err(Problem::TooLong { max: EMAIL_MAX });
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(Problem::EmailInvalid);
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    let local_ok = !local.is_empty()
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '@');
    if domain_ok && local_ok {
        Ok(email)
    } else {
        Err(Problem::EmailInvalid)
    }
}

/// Checks a new password against the length rules of NIST SP 800-63B.
pub fn new_password(password: &str, email: &str) -> Result<(), Problem> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        return Err(Problem::PasswordTooShort { min: PASSWORD_MIN });
    }
    if length > PASSWORD_MAX {
        return Err(Problem::PasswordTooLong { max: PASSWORD_MAX });
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(Problem::PasswordIsEmail);
    }
    Ok(())
}

/// Only local paths are followed after login, so a link cannot send people to another site.
pub fn local_redirect(target: Option<&str>, fallback: &'static str) -> String {
    match target {
        Some(path) if is_local_path(path) => path.to_owned(),
        _ => fallback.to_owned(),
    }
}

/// Whether `target` can only lead to a path on this site. Browsers forgive a lot: they drop tabs
/// and line breaks, read `\` as `/`, and a redirect may be decoded once more on its way, so
/// every decoding of `target` must be a plain path: one leading `/` not followed by `/`, and no
/// backslash, control character or white space but the plain space anywhere (a search such as
/// `/karte?q=Bad%20Rappenau` stays a place to return to).
pub fn is_local_path(target: &str) -> bool {
    const MAX_LEN: usize = 2_000;
    if target.len() > MAX_LEN {
        return false;
    }
    let plain = |path: &str| {
        path.starts_with('/')
            && !path[1..].starts_with('/')
            && !path
                .chars()
                .any(|c| c == '\\' || c.is_control() || (c.is_whitespace() && c != ' '))
    };
    let mut current = target.to_owned();
    // A few layers of percent-encoding are all a browser or proxy undoes; more is refused.
    for _ in 0..4 {
        if !plain(&current) {
            return false;
        }
        let decoded = percent_encoding::percent_decode_str(&current)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == current {
            return true;
        }
        current = decoded;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        assert_eq!(
            email("  Anna.Mueller@Example.DE "),
            Ok("anna.mueller@example.de".into())
        );
        assert_eq!(email(""), Err(Problem::Required));
        for bad in [
            "anna",
            "anna@",
            "@example.de",
            "anna@example",
            "an na@example.de",
            "a@b..de",
            "a@.b.de",
            "a@b@c.de",
        ] {
            assert_eq!(email(bad), Err(Problem::EmailInvalid), "{bad}");
        }
        assert_eq!(
            email(&format!("{}@example.de", "a".repeat(250))),
            Err(Problem::TooLong { max: EMAIL_MAX })
        );
    }

    #[test]
    fn names() {
        assert_eq!(display_name("  Jonas Weber "), Ok("Jonas Weber".into()));
        assert_eq!(display_name("   "), Err(Problem::Required));
        assert_eq!(
            display_name(&"x".repeat(101)),
            Err(Problem::TooLong { max: NAME_MAX })
        );
        assert_eq!(display_name("a\u{0}b"), Err(Problem::Required));
    }

    #[test]
    fn passwords() {
        assert_eq!(
            new_password("kurz", "a@b.de"),
            Err(Problem::PasswordTooShort { min: PASSWORD_MIN })
        );
        assert_eq!(
            new_password("anna@example.de", "anna@example.de"),
            Err(Problem::PasswordIsEmail)
        );
        assert_eq!(
            new_password(&"x".repeat(257), "a@b.de"),
            Err(Problem::PasswordTooLong { max: PASSWORD_MAX })
        );
        assert_eq!(new_password("lange-genug-123", "a@b.de"), Ok(()));
    }

    #[test]
    fn redirects_stay_local() {
        assert_eq!(local_redirect(Some("/admin"), "/konto"), "/admin");
        for good in ["/karte?art=startup&q=K%C3%B6ln", "/karte?q=Bad%20Rappenau"] {
            assert_eq!(local_redirect(Some(good), "/"), good);
        }
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/%09/evil.example",
            "/\t/evil.example",
            "/%2F%2Fevil.example",
            "/%2fevil.example",
            "%2F%2Fevil.example",
            "/%5Cevil.example",
            "/%255C%255Cevil.example",
            "/%25252F/evil.example",
            "/\r\n/evil.example",
            " //evil.example",
            "/\u{3000}/evil.example",
            "konto",
            "",
        ] {
            assert_eq!(local_redirect(Some(bad), "/konto"), "/konto", "{bad}");
        }
        assert_eq!(local_redirect(None, "/konto"), "/konto");
    }

    /// Where a browser would go from `https://tandem.example/seite` when told to go to `target`.
    #[cfg(feature = "ssr")]
    fn followed_host(target: &str) -> Option<String> {
        let base = url::Url::parse("https://tandem.example/seite").unwrap();
        base.join(target).ok()?.host_str().map(str::to_owned)
    }

    #[cfg(feature = "ssr")]
    proptest! {
        #[test]
        fn redirects_never_leave_the_site(
            prefix in prop::sample::select(vec![
                "", "/", "//", "/\\", "\\", "/%2F", "/%2f", "/%5C", "/%09/", "/\t/", "%2F",
                "/%252F", "/\n/", "http:", "https://", "/.", "/..", "/%E3%80%80/",
            ]),
            middle in "[/\\\\%a-f0-9.:@\t\n ]{0,12}",
            host in prop::sample::select(vec!["evil.example", "@evil.example", "evil.example:80"]),
        ) {
            let target = format!("{prefix}{middle}{host}");
            let chosen = local_redirect(Some(&target), "/konto");
            // Whatever is accepted stays on this site, however often it is decoded.
            let mut layer = chosen.clone();
            for _ in 0..4 {
                let host = followed_host(&layer);
                prop_assert_eq!(host.as_deref(), Some("tandem.example"), "{} from {}", layer, target);
                layer = percent_encoding::percent_decode_str(&layer).decode_utf8_lossy().into_owned();
            }
        }
    }

    proptest! {
        #[test]
        fn accepted_emails_are_normalised(input in "\\PC{0,80}") {
            if let Ok(normalised) = email(&input) {
                prop_assert_eq!(normalised.clone(), normalised.trim().to_lowercase());
                prop_assert_eq!(normalised.matches('@').count(), 1);
            }
        }
    }
}

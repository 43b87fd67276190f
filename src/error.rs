//! The one application error type: every server function returns it, it maps to an HTTP status,
//! and it carries no internals to the browser (those go to the log).

use crate::domain::validation::Problem;
use crate::i18n::{Locale, Msg};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("the caller's role does not allow this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input in field `{field}`: {problem:?}")]
    Invalid { field: String, problem: Problem },
    /// Several fields at once, so a form shows every problem after one submit.
    #[error("invalid input in several fields: {0:?}")]
    InvalidFields(Vec<(String, Problem)>),
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("too many failed attempts, retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("conflicts with the current state: {0:?}")]
    Conflict(Problem),
    #[error("cross-site request refused")]
    CrossSite,
    #[error("the server is busy, retry in {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    #[error("internal error (details in the server log)")]
    Internal,
    #[error("the request could not be read: {0}")]
    Request(String),
}

impl AppError {
    pub fn invalid(field: &str, problem: Problem) -> AppError {
        AppError::Invalid {
            field: field.to_owned(),
            problem,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden | AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::Invalid { .. } | AppError::InvalidFields(_) => 422,
            AppError::RateLimited { .. } => 429,
            AppError::Request(_) => 400,
            AppError::Internal => 500,
            AppError::Busy { .. } => 503,
        }
    }

    /// A sentence for the person in front of the screen.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            AppError::Unauthenticated => Msg::ErrUnauthenticated.text(locale).to_owned(),
            AppError::Forbidden => Msg::ErrForbidden.text(locale).to_owned(),
            AppError::NotFound => Msg::ErrNotFound.text(locale).to_owned(),
            AppError::Invalid { problem, .. } | AppError::Conflict(problem) => problem.text(locale),
            AppError::InvalidFields(problems) => problems
                .iter()
                .map(|(_, problem)| problem.text(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::InvalidCredentials => Msg::ErrInvalidCredentials.text(locale).to_owned(),
            AppError::RateLimited { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60);
                Msg::ErrRateLimited
                    .text(locale)
                    .replace("{minutes}", &minutes.to_string())
            }
            AppError::CrossSite => Msg::ErrCrossSite.text(locale).to_owned(),
            AppError::Busy { .. } => Msg::ErrBusy.text(locale).to_owned(),
            AppError::Internal => Msg::ErrInternal.text(locale).to_owned(),
            AppError::Request(_) => Msg::ErrRequest.text(locale).to_owned(),
        }
    }

    /// Seconds after which a retry may succeed, for a `Retry-After` header.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    /// The form field the error belongs to (the first, when there are several), if any.
    pub fn field(&self) -> Option<&str> {
        self.problems().into_iter().next().map(|(field, _)| field)
    }

    /// Every field with its problem.
    pub fn problems(&self) -> Vec<(&str, &Problem)> {
        match self {
            AppError::Invalid { field, problem } => vec![(field.as_str(), problem)],
            AppError::InvalidFields(problems) => problems
                .iter()
                .map(|(field, problem)| (field.as_str(), problem))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The errors of several checks as one, so a form shows them all: every field problem
    /// together; an error that is not about a field (busy, internal) wins as it is.
    pub fn combine(errors: impl IntoIterator<Item = AppError>) -> Option<AppError> {
        let mut problems = Vec::new();
        for error in errors {
            match error {
                AppError::Invalid { field, problem } => problems.push((field, problem)),
                AppError::InvalidFields(more) => problems.extend(more),
                other => return Some(other),
            }
        }
        match problems.len() {
            0 => None,
            1 => {
                let (field, problem) = problems.remove(0);
                Some(AppError::Invalid { field, problem })
            }
            _ => Some(AppError::InvalidFields(problems)),
        }
    }

    /// What is wrong with `field`, for the message next to it.
    pub fn problem_for(&self, field: &str) -> Option<&Problem> {
        self.problems()
            .into_iter()
            .find(|(f, _)| *f == field)
            .map(|(_, problem)| problem)
    }
}

/// A form's problems, all of them, each for its field.
impl From<Vec<crate::domain::actor_input::FieldProblem>> for AppError {
    fn from(problems: Vec<crate::domain::actor_input::FieldProblem>) -> AppError {
        AppError::combine(
            problems
                .into_iter()
                .map(|p| AppError::invalid(p.field, p.problem)),
        )
        .unwrap_or(AppError::Internal)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

/// Writing a CSV into memory fails only on a bug.
#[cfg(feature = "ssr")]
impl From<csv::Error> for AppError {
    fn from(error: csv::Error) -> Self {
        tracing::error!(%error, "writing a CSV failed");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// Contention is foreseeable on an event day: a full pool, SQLite's busy timeout running out
    /// or PostgreSQL giving up a serialization or deadlock become "busy, retry shortly" (503 with
    /// `Retry-After`), not an internal error.
    fn from(error: sqlx::Error) -> Self {
        let contended = match &error {
            sqlx::Error::PoolTimedOut => true,
            sqlx::Error::Database(e) => e.code().is_some_and(|code| {
                if e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLITE_BUSY (5) and its extended codes (…+256·n), SQLITE_LOCKED (6).
                    code.parse::<i64>()
                        .is_ok_and(|code| matches!(code & 0xff, 5 | 6))
                } else {
                    // serialization_failure, deadlock_detected, lock_not_available.
                    matches!(code.as_ref(), "40001" | "40P01" | "55P03")
                }
            }),
            _ => false,
        };
        if contended {
            tracing::warn!(%error, "database contended");
            AppError::Busy {
                retry_after_secs: 2,
            }
        } else {
            tracing::error!(%error, "database error");
            AppError::Internal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_status_and_a_message_in_both_languages() {
        let errors = [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::invalid("email", Problem::EmailInvalid),
            AppError::InvalidCredentials,
            AppError::RateLimited {
                retry_after_secs: 61,
            },
            AppError::Conflict(Problem::LastAdmin),
            AppError::CrossSite,
            AppError::Busy {
                retry_after_secs: 2,
            },
            AppError::Internal,
            AppError::Request("x".into()),
        ];
        for error in errors {
            assert!((400..600).contains(&error.status_code()));
            let de = error.message(Locale::De);
            let en = error.message(Locale::En);
            assert!(!de.is_empty() && !en.is_empty());
            assert!(!de.contains('{'), "unfilled placeholder in {de}");
        }
        assert!(AppError::RateLimited {
            retry_after_secs: 61
        }
        .message(Locale::De)
        .contains("2 Minuten"));
    }

    #[test]
    fn errors_survive_the_wire() {
        let error = AppError::invalid("password", Problem::PasswordTooShort { min: 10 });
        let bytes = error.ser();
        assert_eq!(AppError::de(bytes), error);
    }
}

//! Limits that stop a script but not a crowd, counted in memory per instance: failed logins, and
//! what anyone may send without signing in (event registrations, map proposals).
//!
//! A venue's Wi-Fi puts 300 people behind one public address, so no limit on anonymous
//! submissions is tight per address alone. A submission must carry the form token of a page
//! this server rendered (signed, bound to its purpose, valid for a day, good for a few
//! submissions, so one person can register colleagues) and leave the honeypot field empty; on
//! top, generous caps per address and tighter ones per address *and* email stop a script that
//! fetches fresh tokens. Logins are counted before the password is checked, per address, per
//! account *and* address, and per account from anywhere; a device the account signed in from
//! before (a signed cookie) is counted on its own, so an attacker failing on an organiser's
//! email cannot lock the organiser out.

use crate::domain::signed;
use crate::domain::throttle::Throttle;
use crate::domain::validation::Problem;
use crate::error::AppError;
use std::sync::Mutex;
use std::time::Instant;

const LOGIN_WINDOW_SECS: u64 = 15 * 60;
const LOGIN_FAILURES_PER_ADDRESS: usize = 20;
const LOGIN_FAILURES_PER_ACCOUNT_AT_ADDRESS: usize = 5;
/// Guessing spread over many addresses; a trusted device is not held up by it.
const LOGIN_FAILURES_PER_ACCOUNT: usize = 50;
const LOGIN_FAILURES_PER_DEVICE: usize = 10;

const HOUR: u64 = 60 * 60;
/// A hall of 300 plus walk-ups behind one address registers for one event within the hour.
const REGISTRATIONS_PER_EVENT_AND_ADDRESS: usize = 500;
const REGISTRATIONS_PER_ADDRESS_A_DAY: usize = 1_000;
const PROPOSALS_PER_ADDRESS: usize = 100;
const PROPOSALS_PER_ADDRESS_AND_EMAIL: usize = 10;
/// Submissions one rendered form may carry within the hour (a person registering colleagues).
const SUBMISSIONS_PER_FORM: usize = 10;
/// A form token is good for a day after the page was rendered.
pub const FORM_TOKEN_VALID_SECS: i64 = 24 * 60 * 60;

pub struct Limits {
    counters: Mutex<Counters>,
}

struct Counters {
    started: Instant,
    login_addresses: Throttle,
    login_accounts_at_addresses: Throttle,
    login_accounts: Throttle,
    login_devices: Throttle,
    registrations: Throttle,
    registrations_daily: Throttle,
    proposals: Throttle,
    proposals_by_email: Throttle,
    forms: Throttle,
}

/// Which login counters an attempt was counted in.
pub struct LoginAttempt {
    address: String,
    account: String,
    account_at_address: String,
    device: Option<String>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            counters: Mutex::new(Counters {
                started: Instant::now(),
                login_addresses: Throttle::new(LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW_SECS),
                login_accounts_at_addresses: Throttle::new(
                    LOGIN_FAILURES_PER_ACCOUNT_AT_ADDRESS,
                    LOGIN_WINDOW_SECS,
                ),
                login_accounts: Throttle::new(LOGIN_FAILURES_PER_ACCOUNT, LOGIN_WINDOW_SECS),
                login_devices: Throttle::new(LOGIN_FAILURES_PER_DEVICE, LOGIN_WINDOW_SECS),
                registrations: Throttle::new(REGISTRATIONS_PER_EVENT_AND_ADDRESS, HOUR),
                registrations_daily: Throttle::new(REGISTRATIONS_PER_ADDRESS_A_DAY, 24 * HOUR),
                proposals: Throttle::new(PROPOSALS_PER_ADDRESS, HOUR),
                proposals_by_email: Throttle::new(PROPOSALS_PER_ADDRESS_AND_EMAIL, HOUR),
                forms: Throttle::new(SUBMISSIONS_PER_FORM, HOUR),
            }),
        }
    }
}

/// Admits one event into every `(throttle, key)` or into none: all are checked first.
fn admit_all(entries: &mut [(&mut Throttle, &str)], now: u64) -> Result<(), AppError> {
    let wait = entries
        .iter_mut()
        .filter_map(|(throttle, key)| throttle.check(key, now).err())
        .max();
    if let Some(retry_after_secs) = wait {
        return Err(AppError::RateLimited { retry_after_secs });
    }
    for (throttle, key) in entries.iter_mut() {
        throttle.record_failure(key, now);
    }
    Ok(())
}

impl Limits {
    fn with<T>(&self, f: impl FnOnce(&mut Counters, u64) -> T) -> T {
        let mut counters = self
            .counters
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = counters.started.elapsed().as_secs();
        f(&mut counters, now)
    }

    /// Counts a login attempt as failed before its password is checked (so a thousand parallel
    /// attempts cannot all pass the check first), or refuses it while a counter is full.
    /// `device` is the id of a trusted-device cookie issued to this account.
    pub fn begin_login(
        &self,
        account: &str,
        address: &str,
        device: Option<&str>,
    ) -> Result<LoginAttempt, AppError> {
        let attempt = LoginAttempt {
            address: address.to_owned(),
            account: account.to_owned(),
            account_at_address: format!("{account}\n{address}"),
            device: device.map(str::to_owned),
        };
        self.with(|c, now| match &attempt.device {
            Some(device) => admit_all(&mut [(&mut c.login_devices, device)], now),
            None => admit_all(
                &mut [
                    (&mut c.login_addresses, &attempt.address),
                    (
                        &mut c.login_accounts_at_addresses,
                        &attempt.account_at_address,
                    ),
                    (&mut c.login_accounts, &attempt.account),
                ],
                now,
            ),
        })?;
        Ok(attempt)
    }

    /// The password was right: the attempt was no failure, and the account's counters start over.
    pub fn login_succeeded(&self, attempt: LoginAttempt) {
        self.with(|c, _| match &attempt.device {
            Some(device) => c.login_devices.reset(device),
            None => {
                c.login_addresses.forgive(&attempt.address);
                c.login_accounts_at_addresses
                    .reset(&attempt.account_at_address);
                c.login_accounts.reset(&attempt.account);
            }
        })
    }

    /// The password could not be checked (the server was busy): the attempt does not count.
    pub fn login_unchecked(&self, attempt: LoginAttempt) {
        self.with(|c, _| match &attempt.device {
            Some(device) => c.login_devices.forgive(device),
            None => {
                c.login_addresses.forgive(&attempt.address);
                c.login_accounts_at_addresses
                    .forgive(&attempt.account_at_address);
                c.login_accounts.forgive(&attempt.account);
            }
        })
    }

    /// Counts a public registration for `event` from `address` on the form `form_id`.
    pub fn admit_registration(
        &self,
        event: &str,
        address: &str,
        form_id: &str,
    ) -> Result<(), AppError> {
        let per_event = format!("{event}\n{address}");
        self.with(|c, now| {
            admit_all(
                &mut [
                    (&mut c.registrations, &per_event),
                    (&mut c.registrations_daily, address),
                    (&mut c.forms, form_id),
                ],
                now,
            )
        })
    }

    /// Counts a map proposal from `address` with the proposer's `email` on the form `form_id`.
    pub fn admit_proposal(
        &self,
        address: &str,
        email: &str,
        form_id: &str,
    ) -> Result<(), AppError> {
        let by_email = format!("{address}\n{}", email.trim().to_lowercase());
        self.with(|c, now| {
            admit_all(
                &mut [
                    (&mut c.proposals, address),
                    (&mut c.proposals_by_email, &by_email),
                    (&mut c.forms, form_id),
                ],
                now,
            )
        })
    }
}

/// What a public form carries besides its fields: the token of the page that rendered it and the
/// honeypot field people never see.
pub struct PublicForm<'a> {
    pub token: &'a str,
    pub honeypot: &'a str,
}

/// A token for a form of `purpose` (e.g. `anmeldung:<event>`), rendered at `now`.
pub fn form_token(key: &[u8], purpose: &str, now: i64) -> String {
    let mut nonce = [0u8; 6];
    argon2::password_hash::rand_core::RngCore::fill_bytes(
        &mut argon2::password_hash::rand_core::OsRng,
        &mut nonce,
    );
    signed::sign(
        key,
        purpose,
        &format!("{now}:{}", crate::domain::hex::hex(&nonce)),
    )
}

impl PublicForm<'_> {
    /// Checks the token and the honeypot; the answer is the form's id to count submissions by.
    pub fn check(&self, key: &[u8], purpose: &str, now: i64) -> Result<String, AppError> {
        if !self.honeypot.is_empty() {
            tracing::info!(purpose, "honeypot field filled, submission refused");
            return Err(AppError::Conflict(Problem::FormRefused));
        }
        let payload = signed::verify(key, purpose, self.token.trim())
            .ok_or(AppError::Conflict(Problem::FormExpired))?;
        let issued: i64 = payload
            .split(':')
            .next()
            .and_then(|t| t.parse().ok())
            .ok_or(AppError::Conflict(Problem::FormExpired))?;
        if !(0..=FORM_TOKEN_VALID_SECS).contains(&(now - issued)) {
            return Err(AppError::Conflict(Problem::FormExpired));
        }
        Ok(payload.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crowd_behind_one_address_registers() {
        let limits = Limits::default();
        for person in 0..300 {
            let form = format!("form-{}", person / SUBMISSIONS_PER_FORM);
            assert!(
                limits
                    .admit_registration("kickoff", "203.0.113.1", &form)
                    .is_ok(),
                "{person}"
            );
        }
    }

    #[test]
    fn a_script_is_stopped() {
        let limits = Limits::default();
        let mut admitted = 0;
        for n in 0..2_000 {
            if limits
                .admit_registration("kickoff", "203.0.113.1", &format!("form-{n}"))
                .is_ok()
            {
                admitted += 1;
            }
        }
        assert_eq!(admitted, REGISTRATIONS_PER_EVENT_AND_ADDRESS);
        for _ in 0..SUBMISSIONS_PER_FORM {
            limits
                .admit_proposal("198.51.100.1", "a@b.de", "one-form")
                .unwrap();
        }
        assert!(limits
            .admit_proposal("198.51.100.1", "c@d.de", "one-form")
            .is_err());
    }

    #[test]
    fn failing_on_someones_email_locks_only_that_address() {
        let limits = Limits::default();
        for _ in 0..LOGIN_FAILURES_PER_ACCOUNT_AT_ADDRESS {
            limits.begin_login("orga@x.de", "6.6.6.6", None).unwrap();
        }
        assert!(limits.begin_login("orga@x.de", "6.6.6.6", None).is_err());
        let at_the_venue = limits
            .begin_login("orga@x.de", "203.0.113.1", None)
            .unwrap();
        limits.login_succeeded(at_the_venue);
        // Spread over many addresses the account locks for new devices, not for a trusted one.
        for n in 0..LOGIN_FAILURES_PER_ACCOUNT {
            let _ = limits.begin_login("orga@x.de", &format!("10.0.{}.{}", n / 200, n % 200), None);
        }
        assert!(limits
            .begin_login("orga@x.de", "203.0.113.9", None)
            .is_err());
        assert!(limits
            .begin_login("orga@x.de", "203.0.113.9", Some("device-1"))
            .is_ok());
    }

    #[test]
    fn form_tokens_are_bound_to_purpose_and_time() {
        let key = b"instance key";
        let token = form_token(key, "anmeldung:kickoff", 1_000);
        let form = |token: &str, honeypot: &str| {
            PublicForm { token, honeypot }.check(key, "anmeldung:kickoff", 2_000)
        };
        assert!(form(&token, "").is_ok());
        assert_eq!(
            form(&token, "http://spam"),
            Err(AppError::Conflict(Problem::FormRefused))
        );
        assert_eq!(form("", ""), Err(AppError::Conflict(Problem::FormExpired)));
        let other = form_token(key, "anmeldung:other", 1_000);
        assert!(form(&other, "").is_err(), "another event's form");
        let old = form_token(key, "anmeldung:kickoff", 2_000 - FORM_TOKEN_VALID_SECS - 1);
        assert!(form(&old, "").is_err(), "expired");
    }
}

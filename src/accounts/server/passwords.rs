//! Password hashing (Argon2) behind a gate that lets only a few hashes run at once, so a crowd
//! signing in together cannot exhaust the server's memory.

use crate::error::AppError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

/// Argon2id with OWASP's minimum: 19 MiB memory, two passes, one lane.
pub(super) fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Verified against when an email is unknown, so timing does not reveal which accounts exist.
pub(super) static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hasher()
        .hash_password(
            b"no account has this password",
            &SaltString::generate(&mut OsRng),
        )
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Each password hash holds 19 MiB for a fraction of a second: they run on as many dedicated
/// threads as there are cores (so the allocator keeps that many hashes' memory, not one per
/// short-lived blocking thread), only [`PASSWORD_QUEUE`] more wait (at most [`PASSWORD_WAIT`]),
/// and beyond that the answer is "busy, retry shortly" at once. A thousand parallel logins thus
/// cost a few dozen waiting requests, not a thousand hashes in memory.
pub(super) struct PasswordGate {
    pub(super) running: Arc<tokio::sync::Semaphore>,
    pub(super) waiting: AtomicUsize,
    pub(super) hashers: Mutex<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>>,
}

pub(super) const PASSWORD_QUEUE: usize = 32;

pub(super) const PASSWORD_WAIT: Duration = Duration::from_secs(10);

pub(super) static PASSWORD_GATE: LazyLock<PasswordGate> = LazyLock::new(|| {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let (hashers, jobs) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
    let jobs = Arc::new(Mutex::new(jobs));
    for n in 0..threads {
        let jobs = jobs.clone();
        std::thread::Builder::new()
            .name(format!("password-{n}"))
            .spawn(move || loop {
                let job = jobs.lock().unwrap_or_else(|p| p.into_inner()).recv();
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            })
            .expect("a password thread starts");
    }
    PasswordGate {
        running: Arc::new(tokio::sync::Semaphore::new(threads)),
        waiting: AtomicUsize::new(0),
        hashers: Mutex::new(hashers),
    }
});

/// Leaves the queue when dropped, also when the waiting request is abandoned.
pub(super) struct InQueue;

impl Drop for InQueue {
    fn drop(&mut self) {
        PASSWORD_GATE.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs password work on a password thread when its turn comes.
pub(super) async fn through_password_gate<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let busy = AppError::Busy {
        retry_after_secs: 5,
    };
    let gate = &*PASSWORD_GATE;
    if gate.waiting.fetch_add(1, Ordering::SeqCst) >= PASSWORD_QUEUE {
        gate.waiting.fetch_sub(1, Ordering::SeqCst);
        tracing::warn!("password queue full, login answered busy");
        return Err(busy);
    }
    let queued = InQueue;
    let permit = tokio::time::timeout(PASSWORD_WAIT, gate.running.clone().acquire_owned()).await;
    drop(queued);
    let Ok(Ok(permit)) = permit else {
        return Err(busy);
    };
    let (done, result) = tokio::sync::oneshot::channel();
    // The permit goes with the work: a client that hangs up does not free it while the hash
    // still runs.
    let job = Box::new(move || {
        let _ = done.send(work());
        drop(permit);
    });
    gate.hashers
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .send(job)
        .map_err(|_| AppError::Internal)?;
    result.await.map_err(|_| AppError::Internal)
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    through_password_gate(move || {
        hasher()
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .map(|hash| hash.to_string())
    })
    .await?
    .map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        AppError::Internal
    })
}

/// Checks a password against a stored hash (or the dummy hash when there is none); `Err` when
/// the server is too busy to check it now.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    through_password_gate(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&hash).is_ok_and(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        matches && hash != *DUMMY_HASH
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("richtig-und-lang".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify_password("richtig-und-lang".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!verify_password("falsch-und-lang".into(), Some(hash))
            .await
            .unwrap());
        assert!(
            !verify_password("no account has this password".into(), None)
                .await
                .unwrap()
        );
        assert!(!verify_password("x".into(), Some("not a hash".into()))
            .await
            .unwrap());
    }
}

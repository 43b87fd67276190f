//! Failed-login throttling as a pure sliding window, so the policy is testable without clocks.

use std::collections::{HashMap, VecDeque};

/// Counts failures per key (an account or an address) within a window of `window_secs`.
#[derive(Debug)]
pub struct Throttle {
    max_failures: usize,
    window_secs: u64,
    failures: HashMap<String, VecDeque<u64>>,
}

impl Throttle {
    pub fn new(max_failures: usize, window_secs: u64) -> Throttle {
        Throttle {
            max_failures: max_failures.max(1),
            window_secs,
            failures: HashMap::new(),
        }
    }

    /// `Err(seconds until the next attempt is allowed)` while the key is locked out.
    pub fn check(&mut self, key: &str, now: u64) -> Result<(), u64> {
        let Some(times) = self.failures.get_mut(key) else {
            return Ok(());
        };
        Self::forget_old(times, now, self.window_secs);
        if times.is_empty() {
            self.failures.remove(key);
            return Ok(());
        }
        if times.len() >= self.max_failures {
            let oldest = times[times.len() - self.max_failures];
            return Err((oldest + self.window_secs).saturating_sub(now).max(1));
        }
        Ok(())
    }

    pub fn record_failure(&mut self, key: &str, now: u64) {
        let times = self.failures.entry(key.to_owned()).or_default();
        Self::forget_old(times, now, self.window_secs);
        times.push_back(now);
        // Only the newest `max_failures` entries can matter for a lock-out.
        while times.len() > self.max_failures {
            times.pop_front();
        }
        if self.failures.len() > 100_000 {
            // Bound memory under a spray of distinct keys: drop keys whose window has passed.
            let window = self.window_secs;
            self.failures
                .retain(|_, times| times.back().is_some_and(|last| last + window > now));
        }
    }

    /// Takes back the newest count of `key` (an attempt counted in advance that succeeded).
    pub fn forgive(&mut self, key: &str) {
        if let Some(times) = self.failures.get_mut(key) {
            times.pop_back();
            if times.is_empty() {
                self.failures.remove(key);
            }
        }
    }

    pub fn reset(&mut self, key: &str) {
        self.failures.remove(key);
    }

    fn forget_old(times: &mut VecDeque<u64>, now: u64, window: u64) {
        while times.front().is_some_and(|&t| t + window <= now) {
            times.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn locks_after_max_failures_and_unlocks_after_window() {
        let mut throttle = Throttle::new(3, 60);
        for t in 0..3 {
            assert_eq!(throttle.check("a", t), Ok(()));
            throttle.record_failure("a", t);
        }
        assert_eq!(throttle.check("a", 3), Err(57));
        assert_eq!(throttle.check("b", 3), Ok(()), "other keys are unaffected");
        assert_eq!(
            throttle.check("a", 60),
            Ok(()),
            "the first failure left the window"
        );
    }

    #[test]
    fn reset_clears_a_key() {
        let mut throttle = Throttle::new(1, 60);
        throttle.record_failure("a", 0);
        assert!(throttle.check("a", 1).is_err());
        throttle.reset("a");
        assert_eq!(throttle.check("a", 1), Ok(()));
    }

    #[test]
    fn forgive_takes_back_the_newest_count() {
        let mut throttle = Throttle::new(2, 60);
        throttle.record_failure("a", 0);
        throttle.record_failure("a", 0);
        assert!(throttle.check("a", 0).is_err());
        throttle.forgive("a");
        assert_eq!(throttle.check("a", 1), Ok(()));
    }

    proptest! {
        #[test]
        fn never_more_than_max_failures_pass_in_a_window(
            max in 1usize..6,
            gaps in proptest::collection::vec(0u64..20, 1..60),
        ) {
            let window = 60;
            let mut throttle = Throttle::new(max, window);
            let mut now = 0;
            let mut admitted: Vec<u64> = Vec::new();
            for gap in gaps {
                now += gap;
                if throttle.check("k", now).is_ok() {
                    admitted.push(now);
                    throttle.record_failure("k", now);
                }
                let in_window = admitted.iter().filter(|&&t| t + window > now).count();
                prop_assert!(in_window <= max);
            }
        }
    }
}

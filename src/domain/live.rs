//! A live round's clock: planned, running, paused or over, and how much time is left. The
//! database keeps the moments (seconds since the epoch); everything else follows from them here.

use crate::domain::validation::Problem;
use serde::{Deserialize, Serialize};

/// What the live socket sends besides states: a heartbeat, and (to a phone whose personal link
/// opened it) word that one of its meeting requests changed.
pub const HEARTBEAT_TEXT: &str = "ping";
pub const REQUESTS_TEXT: &str = "anfragen";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundPhase {
    /// Tables are known, the clock has not started: people find their table.
    Planned,
    Running,
    Paused,
    Ended,
}

crate::domain::coded::coded_enum! {
    /// What an organiser does with the current round from the console.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum RoundCommand {
        Start = "start",
        Pause = "pause",
        Resume = "weiter",
        End = "ende",
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundClock {
    pub started_at: Option<i64>,
    pub paused_at: Option<i64>,
    /// Seconds spent in earlier pauses.
    pub paused_secs: i64,
    pub ended_at: Option<i64>,
}

impl RoundClock {
    pub fn phase(&self) -> RoundPhase {
        match (self.started_at, self.paused_at, self.ended_at) {
            (_, _, Some(_)) => RoundPhase::Ended,
            (None, _, _) => RoundPhase::Planned,
            (Some(_), Some(_), _) => RoundPhase::Paused,
            (Some(_), None, _) => RoundPhase::Running,
        }
    }

    /// Seconds the meetings have had so far (pauses do not count).
    pub fn elapsed_secs(&self, now: i64) -> i64 {
        let Some(started) = self.started_at else {
            return 0;
        };
        let until = self.ended_at.or(self.paused_at).unwrap_or(now);
        (until - started - self.paused_secs).max(0)
    }

    /// Seconds left of a round of `minutes`; negative once time is up and the round still runs,
    /// so the screens can say by how much it is over.
    pub fn remaining_secs(&self, minutes: u32, now: i64) -> i64 {
        i64::from(minutes) * 60 - self.elapsed_secs(now)
    }

    /// The clock after `command` at `now`, or why the command does not fit the phase.
    pub fn apply(&self, command: RoundCommand, now: i64) -> Result<RoundClock, Problem> {
        let mut next = *self;
        match (command, self.phase()) {
            (RoundCommand::Start, RoundPhase::Planned) => next.started_at = Some(now),
            (RoundCommand::Pause, RoundPhase::Running) => next.paused_at = Some(now),
            (RoundCommand::Resume, RoundPhase::Paused) => {
                let paused_at = self.paused_at.unwrap_or(now);
                next.paused_secs += (now - paused_at).max(0);
                next.paused_at = None;
            }
            (RoundCommand::End, RoundPhase::Running | RoundPhase::Paused) => {
                if let Some(paused_at) = self.paused_at {
                    next.paused_secs += (now - paused_at).max(0);
                    next.paused_at = None;
                }
                next.ended_at = Some(now);
            }
            _ => return Err(Problem::RoundStepInvalid),
        }
        Ok(next)
    }
}

/// `mm:ss`, with a minus sign once time is up.
pub fn format_countdown(secs: i64) -> String {
    let sign = if secs < 0 { "−" } else { "" };
    let secs = secs.abs();
    format!("{sign}{}:{:02}", secs / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_round_runs_pauses_and_ends() {
        let planned = RoundClock::default();
        assert_eq!(planned.phase(), RoundPhase::Planned);
        assert_eq!(planned.remaining_secs(8, 1_000), 480);
        let running = planned.apply(RoundCommand::Start, 1_000).unwrap();
        assert_eq!(running.phase(), RoundPhase::Running);
        assert_eq!(running.remaining_secs(8, 1_100), 380);
        let paused = running.apply(RoundCommand::Pause, 1_100).unwrap();
        assert_eq!(paused.phase(), RoundPhase::Paused);
        assert_eq!(
            paused.remaining_secs(8, 5_000),
            380,
            "a pause stops the clock"
        );
        let resumed = paused.apply(RoundCommand::Resume, 1_160).unwrap();
        assert_eq!(resumed.paused_secs, 60);
        assert_eq!(resumed.remaining_secs(8, 1_200), 340);
        assert_eq!(resumed.remaining_secs(8, 1_600), -60, "overtime shows");
        let ended = resumed.apply(RoundCommand::End, 1_600).unwrap();
        assert_eq!(ended.phase(), RoundPhase::Ended);
        assert_eq!(ended.elapsed_secs(9_999), 540);
    }

    #[test]
    fn ending_a_paused_round_does_not_count_the_pause() {
        let clock = RoundClock::default()
            .apply(RoundCommand::Start, 0)
            .unwrap()
            .apply(RoundCommand::Pause, 100)
            .unwrap()
            .apply(RoundCommand::End, 400)
            .unwrap();
        assert_eq!(clock.elapsed_secs(1_000), 100);
        assert_eq!(clock.paused_at, None);
    }

    #[test]
    fn commands_out_of_order_are_refused() {
        let planned = RoundClock::default();
        for command in [RoundCommand::Pause, RoundCommand::Resume, RoundCommand::End] {
            assert_eq!(
                planned.apply(command, 5),
                Err(Problem::RoundStepInvalid),
                "{command:?}"
            );
        }
        let running = planned.apply(RoundCommand::Start, 5).unwrap();
        assert!(running.apply(RoundCommand::Start, 6).is_err());
        assert!(running.apply(RoundCommand::Resume, 6).is_err());
        let ended = running.apply(RoundCommand::End, 7).unwrap();
        for command in [
            RoundCommand::Start,
            RoundCommand::Pause,
            RoundCommand::Resume,
            RoundCommand::End,
        ] {
            assert!(ended.apply(command, 8).is_err(), "{command:?}");
        }
    }

    #[test]
    fn codes_round_trip_and_countdowns_read_well() {
        for command in [
            RoundCommand::Start,
            RoundCommand::Pause,
            RoundCommand::Resume,
            RoundCommand::End,
        ] {
            assert_eq!(RoundCommand::from_code(command.code()), Some(command));
        }
        assert_eq!(RoundCommand::from_code("los"), None);
        assert_eq!(format_countdown(480), "8:00");
        assert_eq!(format_countdown(65), "1:05");
        assert_eq!(format_countdown(0), "0:00");
        assert_eq!(format_countdown(-75), "−1:15");
    }

    proptest! {
        /// Whatever the organiser presses when, the meeting time never exceeds the wall-clock time
        /// since the start and never goes backwards.
        #[test]
        fn elapsed_time_is_monotone_and_bounded(
            steps in proptest::collection::vec((0usize..4, 0i64..500), 0..20)
        ) {
            let commands = [RoundCommand::Start, RoundCommand::Pause, RoundCommand::Resume, RoundCommand::End];
            let mut clock = RoundClock::default();
            let mut now = 1_000;
            let mut last_elapsed = 0;
            for (command, wait) in steps {
                now += wait;
                if let Ok(next) = clock.apply(commands[command], now) {
                    clock = next;
                }
                let elapsed = clock.elapsed_secs(now);
                prop_assert!(elapsed >= last_elapsed);
                if let Some(started) = clock.started_at {
                    prop_assert!(elapsed <= now - started);
                }
                last_elapsed = elapsed;
            }
        }
    }
}

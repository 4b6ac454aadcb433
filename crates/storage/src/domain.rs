//! Rules of the inbox's state that every backend applies inside its transactions.

use crate::{StoreError, StoreResult, Transition};
use chrono::{DateTime, Utc};
use switchboard_protocol::ConversationStatus;

/// Whether a conversation in `from` (of a contact `blocked` or not) may make `transition` at
/// `now`; returns the status it ends in.
pub fn check_transition(
    from: ConversationStatus,
    blocked: bool,
    transition: &Transition,
    now: DateTime<Utc>,
) -> StoreResult<ConversationStatus> {
    use ConversationStatus::*;
    let refuse = |reason: &str| Err(StoreError::Refused(reason.to_owned()));
    match (transition, from) {
        (Transition::Close { .. }, Closed) => refuse("The conversation is already closed."),
        (Transition::Close { .. }, Open | Snoozed) => Ok(Closed),
        (Transition::Snooze { .. }, _) if blocked => refuse("Blocked contacts cannot be snoozed."),
        (Transition::Snooze { until }, _) if *until <= now => Err(StoreError::Invalid {
            field: "until",
            reason: "Choose a time in the future.".into(),
        }),
        (Transition::Snooze { .. }, Open | Closed | Snoozed) => Ok(Snoozed),
        (Transition::Unsnooze, Snoozed) => Ok(Open),
        (Transition::Unsnooze, Open | Closed) => refuse("The conversation is not snoozed."),
        (Transition::Reopen, Closed | Snoozed) => Ok(Open),
        (Transition::Reopen, Open) => refuse("The conversation is already open."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConversationStatus::*;
    use chrono::Duration;

    #[test]
    fn the_state_machine_allows_only_sensible_moves() {
        let now = Utc::now();
        let later = Transition::Snooze {
            until: now + Duration::hours(1),
        };
        let close = Transition::Close {
            note: None,
            by: None,
        };
        let ok = |from, t: &Transition| check_transition(from, false, t, now).ok();
        assert_eq!(ok(Open, &close), Some(Closed));
        assert_eq!(ok(Snoozed, &close), Some(Closed));
        assert_eq!(ok(Closed, &close), None);
        assert_eq!(ok(Open, &later), Some(Snoozed));
        assert_eq!(ok(Closed, &later), Some(Snoozed));
        assert_eq!(ok(Snoozed, &later), Some(Snoozed), "a new deadline");
        assert_eq!(ok(Snoozed, &Transition::Unsnooze), Some(Open));
        assert_eq!(ok(Open, &Transition::Unsnooze), None);
        assert_eq!(ok(Closed, &Transition::Reopen), Some(Open));
        assert_eq!(ok(Open, &Transition::Reopen), None);
    }

    #[test]
    fn blocked_contacts_and_past_times_cannot_be_snoozed() {
        let now = Utc::now();
        let later = Transition::Snooze {
            until: now + Duration::hours(1),
        };
        assert!(matches!(
            check_transition(Open, true, &later, now),
            Err(StoreError::Refused(_))
        ));
        let past = Transition::Snooze {
            until: now - Duration::seconds(1),
        };
        assert!(matches!(
            check_transition(Open, false, &past, now),
            Err(StoreError::Invalid { field: "until", .. })
        ));
    }
}

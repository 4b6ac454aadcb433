//! Rules of the inbox's state that every backend applies inside its transactions.

use crate::{StoreError, StoreResult, Transition};
use chrono::{DateTime, Utc};
use switchboard_protocol::{ConversationStatus, DeliveryStatus};

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

/// Whether a provider's report of `to` moves a message's delivery status on from `from`
/// (C1): statuses only move forward (pending → sent → delivered → read), `failed` comes from
/// any of them but read, and a failed message stays failed. Reports arriving out of order
/// then never move a status back.
pub fn delivery_moves_forward(from: DeliveryStatus, to: DeliveryStatus) -> bool {
    use DeliveryStatus::*;
    let rank = |status| match status {
        Pending => Some(0),
        Sent => Some(1),
        Delivered => Some(2),
        Read => Some(3),
        Failed => None,
    };
    match (rank(from), rank(to)) {
        (None, _) => false,
        (Some(from), None) => from < 3,
        (Some(from), Some(to)) => to > from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConversationStatus::*;
    use chrono::Duration;

    #[test]
    fn delivery_statuses_only_move_forward() {
        use DeliveryStatus::*;
        let forward = |from, to| delivery_moves_forward(from, to);
        assert!(forward(Pending, Sent));
        assert!(forward(Sent, Read), "a skipped step is still forward");
        assert!(forward(Delivered, Read));
        assert!(!forward(Read, Delivered), "a late report never moves back");
        assert!(!forward(Sent, Sent));
        assert!(!forward(Sent, Pending));
        assert!(forward(Pending, Failed));
        assert!(forward(Sent, Failed));
        assert!(forward(Delivered, Failed));
        assert!(!forward(Read, Failed), "a read message was delivered");
        assert!(!forward(Failed, Failed));
        assert!(!forward(Failed, Delivered), "a failed message stays failed");
    }

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

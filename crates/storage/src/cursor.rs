//! Keyset pagination cursors, opaque strings on the wire.

use chrono::{DateTime, Utc};

/// Position in a list ordered by (activity time, id), newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActivityCursor {
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl ActivityCursor {
    pub fn encode(&self) -> String {
        format!("{}_{}", self.at.timestamp_micros(), self.id)
    }

    /// `None` for anything that is not a cursor this server produced.
    pub fn decode(s: &str) -> Option<ActivityCursor> {
        let (at, id) = s.split_once('_')?;
        let at = DateTime::from_timestamp_micros(at.parse().ok()?)?;
        Some(ActivityCursor {
            at,
            id: id.parse().ok()?,
        })
    }
}

/// Position in a list ordered by id, newest first: the next page holds ids below `before`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdCursor {
    pub before: i64,
}

impl IdCursor {
    pub fn encode(&self) -> String {
        self.before.to_string()
    }

    pub fn decode(s: &str) -> Option<IdCursor> {
        Some(IdCursor {
            before: s.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let at = DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap();
        let cursor = ActivityCursor { at, id: 42 };
        assert_eq!(ActivityCursor::decode(&cursor.encode()), Some(cursor));
        for bad in ["", "_", "12", "x_1", "1_x", "1_2_3"] {
            assert_eq!(ActivityCursor::decode(bad), None, "{bad}");
        }
        assert_eq!(IdCursor::decode("17"), Some(IdCursor { before: 17 }));
        assert_eq!(IdCursor::decode("1 7"), None);
    }
}

//! Keyset pagination cursors, opaque strings on the wire.

use chrono::{DateTime, Utc};
use switchboard_protocol::ConversationSummary;
use switchboard_protocol::api::Page;

/// Makes a page from up to `limit + 1` rows fetched in order: the extra row, if present, only
/// says that there is a next page, which starts after the last row kept.
pub fn page_of<T>(mut rows: Vec<T>, limit: u32, cursor: impl Fn(&T) -> String) -> Page<T> {
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(cursor)
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}

/// Position in a list ordered by (activity time, id), newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActivityCursor {
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl ActivityCursor {
    /// The position of a conversation in the inbox list.
    pub fn of(conversation: &ConversationSummary) -> ActivityCursor {
        ActivityCursor {
            at: conversation.last_activity_at,
            id: conversation.id.0,
        }
    }

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
    fn a_page_keeps_limit_rows_and_points_past_the_last() {
        let page = page_of(vec![5, 4, 3], 2, |n| n.to_string());
        assert_eq!(page.items, vec![5, 4]);
        assert_eq!(page.next_cursor.as_deref(), Some("4"));
        let last = page_of(vec![2, 1], 2, |n| n.to_string());
        assert_eq!(last.items, vec![2, 1]);
        assert_eq!(last.next_cursor, None);
    }

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

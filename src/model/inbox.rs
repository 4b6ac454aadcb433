//! The inbox list: the rows of one [`InboxView`] in its order, kept current by realtime
//! events (a conversation that no longer belongs leaves, one that now does arrives).
//!
//! Loading and events interleave safely: [`InboxList::begin_load`] is called once the socket
//! says hello, events arriving while the page loads are queued, and
//! [`InboxList::finish_load`] applies them on top of the loaded rows. Every event carries the
//! whole row as it became, so replaying events in order over a snapshot taken later than the
//! hello converges on the newest state.

use super::view::InboxView;
use std::cmp::Ordering;
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::{ConversationId, ConversationSummary, UserId};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct InboxList {
    pub rows: Vec<ConversationSummary>,
    pub loaded: bool,
    pub next_cursor: Option<String>,
    /// A live change this list cannot judge arrived (a custom inbox's conditions are the
    /// server's): the first page should be read again.
    pub stale: bool,
    queued: Vec<EventPayload>,
    view: InboxView,
    me: Option<UserId>,
}

impl InboxList {
    /// Starts over with another view, seen by user `me`.
    pub fn show(&mut self, view: InboxView, me: UserId) {
        self.view = view;
        self.me = Some(me);
        self.rows.clear();
        self.next_cursor = None;
        self.begin_load();
    }

    /// Reads `view` again: if it is the view shown, its rows stay on screen until the new
    /// first page replaces them (events meanwhile wait, as for a first load).
    pub fn refresh(&mut self, view: InboxView, me: UserId) {
        if self.view == view && self.me == Some(me) {
            self.begin_load();
        } else {
            self.show(view, me);
        }
    }

    pub fn view(&self) -> &InboxView {
        &self.view
    }

    pub fn begin_load(&mut self) {
        self.loaded = false;
        self.stale = false;
        self.queued.clear();
    }

    pub fn finish_load(&mut self, rows: Vec<ConversationSummary>, next_cursor: Option<String>) {
        self.rows = rows;
        self.next_cursor = next_cursor;
        self.loaded = true;
        for payload in std::mem::take(&mut self.queued) {
            self.apply(&payload);
        }
        self.sort();
    }

    /// Appends an older page (the rows below the current ones).
    pub fn append_page(&mut self, rows: Vec<ConversationSummary>, next_cursor: Option<String>) {
        for row in rows {
            if !self.rows.iter().any(|r| r.id == row.id) {
                self.rows.push(row);
            }
        }
        self.next_cursor = next_cursor;
        self.sort();
    }

    pub fn apply(&mut self, payload: &EventPayload) {
        if !self.loaded {
            self.queued.push(payload.clone());
            return;
        }
        if let EventPayload::ConversationHidden { conversation_id } = payload {
            self.rows.retain(|r| r.id != *conversation_id);
        } else if let Some(conversation) = payload.conversation() {
            self.upsert(conversation.clone());
        }
    }

    pub fn get(&self, id: ConversationId) -> Option<&ConversationSummary> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// Clears a row's unread badge at once, before the server confirms.
    pub fn clear_unread(&mut self, id: ConversationId) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.id == id) {
            row.unread_count = 0;
        }
    }

    fn upsert(&mut self, row: ConversationSummary) {
        let present = self.rows.iter().position(|r| r.id == row.id);
        // A row sorting below the last one loaded belongs to a page not read yet.
        let beyond_loaded = self.next_cursor.is_some()
            && self
                .rows
                .iter()
                .rfind(|r| r.id != row.id)
                .is_some_and(|last| self.view.compare(&row, last).is_gt());
        match (self.view.admits(&row, self.me), present) {
            (Some(true), _) if beyond_loaded => {
                self.rows.retain(|r| r.id != row.id);
            }
            (Some(true) | None, Some(i)) => {
                self.rows.remove(i);
                self.place(row);
            }
            (Some(true), None) => self.place(row),
            (Some(false), _) => self.rows.retain(|r| r.id != row.id),
            (None, None) => self.stale = true,
        }
    }

    /// Inserts `row` where the view's order puts it (the other rows are in order), after the
    /// rows it ties with, as a stable sort would.
    fn place(&mut self, row: ConversationSummary) {
        let view = &self.view;
        let at = self
            .rows
            .partition_point(|r| view.compare(r, &row) != Ordering::Greater);
        self.rows.insert(at, row);
    }

    fn sort(&mut self) {
        let view = &self.view;
        self.rows.sort_by(|a, b| view.compare(a, b));
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use chrono::{TimeZone, Utc};
    use switchboard_protocol::*;

    pub fn row_at(id: i64, minute: u32, unread: u32) -> ConversationSummary {
        ConversationSummary {
            id: ConversationId(id),
            workspace_id: WorkspaceId(1),
            contact: ContactSummary {
                id: ContactId(id),
                first_name: format!("C{id}"),
                last_name: String::new(),
                email: None,
                phone: None,
                phone_masked: false,
                blocked: false,
            },
            status: ConversationStatus::Open,
            channel: ChannelKind::WebsiteChat,
            channel_id: ChannelId(1),
            last_message: None,
            last_activity_at: Utc.with_ymd_and_hms(2026, 1, 1, 10, minute, 0).unwrap(),
            unread_count: unread,
            snoozed_until: None,
            status_since: Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap(),
            assignee: None,
            last_incoming_at: None,
            awaiting_reply: false,
            dialogflow_bot: false,
        }
    }

    pub fn row(id: i64) -> ConversationSummary {
        row_at(id, 0, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::row_at as row;
    use super::*;

    fn updated(row: ConversationSummary) -> EventPayload {
        EventPayload::ConversationUpdated { conversation: row }
    }

    fn ids(list: &InboxList) -> Vec<i64> {
        list.rows.iter().map(|r| r.id.0).collect()
    }

    #[test]
    fn rows_are_newest_first_and_events_move_them_up() {
        let mut list = InboxList::default();
        list.begin_load();
        list.finish_load(vec![row(1, 5, 0), row(2, 9, 0), row(3, 1, 0)], None);
        assert_eq!(ids(&list), vec![2, 1, 3]);
        list.apply(&updated(row(3, 30, 1)));
        assert_eq!(ids(&list), vec![3, 2, 1]);
        assert_eq!(list.get(ConversationId(3)).unwrap().unread_count, 1);
        list.apply(&updated(row(4, 31, 1)));
        assert_eq!(
            ids(&list),
            vec![4, 3, 2, 1],
            "a new conversation appears on top"
        );
    }

    #[test]
    fn a_changed_row_takes_its_place_among_equal_times_by_id() {
        let mut list = InboxList::default();
        list.begin_load();
        list.finish_load(
            vec![
                row(5, 20, 0),
                row(4, 10, 0),
                row(3, 10, 0),
                row(2, 10, 0),
                row(1, 0, 0),
            ],
            None,
        );
        // Newest first; the same time orders by the newer id first.
        list.apply(&updated(row(1, 10, 1)));
        assert_eq!(ids(&list), vec![5, 4, 3, 2, 1]);
        list.apply(&updated(row(6, 10, 1)));
        assert_eq!(ids(&list), vec![5, 6, 4, 3, 2, 1]);
        list.apply(&updated(row(5, 5, 0)));
        assert_eq!(
            ids(&list),
            vec![6, 4, 3, 2, 1, 5],
            "an older time moves it down"
        );
    }

    #[test]
    fn events_during_loading_are_applied_after_the_snapshot() {
        let mut list = InboxList::default();
        list.begin_load();
        // The snapshot was taken before this event; the event must not be lost.
        list.apply(&updated(row(1, 40, 3)));
        assert!(list.rows.is_empty());
        list.finish_load(vec![row(1, 5, 0), row(2, 9, 0)], None);
        assert_eq!(ids(&list), vec![1, 2]);
        assert_eq!(list.get(ConversationId(1)).unwrap().unread_count, 3);
    }

    #[test]
    fn reading_the_shown_view_again_keeps_its_rows_until_the_answer() {
        use crate::model::view::InboxView;
        let me = UserId(1);
        let mut list = InboxList::default();
        list.show(InboxView::default(), me);
        list.finish_load(vec![row(1, 5, 0), row(2, 9, 0)], Some("c".into()));
        // The socket connected: the same view is read again, the rows stay meanwhile and an
        // event in between is not lost.
        list.refresh(InboxView::default(), me);
        assert!(!list.loaded);
        assert_eq!(ids(&list), vec![2, 1]);
        list.apply(&updated(row(3, 40, 1)));
        list.finish_load(vec![row(1, 5, 0), row(2, 9, 0)], None);
        assert_eq!(ids(&list), vec![3, 2, 1]);
        assert_eq!(list.next_cursor, None);
        // Another view starts empty.
        let closed = InboxView::from_query([("status", "closed")]);
        list.refresh(closed, me);
        assert!(list.rows.is_empty());
    }

    #[test]
    fn a_hidden_conversation_leaves_the_list() {
        let mut list = InboxList::default();
        list.begin_load();
        list.finish_load(vec![row(1, 5, 0), row(2, 9, 0)], None);
        list.apply(&EventPayload::ConversationHidden {
            conversation_id: ConversationId(2),
        });
        assert_eq!(ids(&list), vec![1]);
    }

    #[test]
    fn older_pages_append_without_duplicates() {
        let mut list = InboxList::default();
        list.begin_load();
        list.finish_load(vec![row(5, 50, 0), row(4, 40, 0)], Some("c".into()));
        list.append_page(vec![row(4, 40, 0), row(3, 30, 0)], None);
        assert_eq!(ids(&list), vec![5, 4, 3]);
        assert_eq!(list.next_cursor, None);
    }

    #[test]
    fn rows_leaving_the_view_are_removed_and_arrivals_follow_its_order() {
        use crate::model::view::InboxView;
        use switchboard_protocol::inbox::{Folder, Sort};
        use switchboard_protocol::{ConversationStatus, CustomInboxId};
        let mut list = InboxList::default();
        list.show(
            InboxView {
                status: Some(ConversationStatus::Open),
                sort: Sort::Oldest,
                ..InboxView::default()
            },
            UserId(1),
        );
        list.finish_load(vec![row(1, 5, 0), row(2, 9, 0)], None);
        let mut closed = row(1, 20, 0);
        closed.status = ConversationStatus::Closed;
        list.apply(&updated(closed));
        assert_eq!(ids(&list), vec![2], "closed leaves the Open tab");
        list.apply(&updated(row(3, 1, 0)));
        assert_eq!(ids(&list), vec![3, 2], "oldest first");

        // With more pages to read, a row that sorts after the loaded ones waits for them.
        list.next_cursor = Some("more".into());
        list.apply(&updated(row(4, 50, 0)));
        assert_eq!(ids(&list), vec![3, 2]);

        // A custom inbox's rows are updated in place; arrivals make the list stale.
        list.show(
            InboxView {
                folder: Folder::Custom(CustomInboxId(1)),
                ..InboxView::default()
            },
            UserId(1),
        );
        list.finish_load(vec![row(1, 5, 0)], None);
        list.apply(&updated(row(1, 6, 2)));
        assert_eq!(list.rows[0].unread_count, 2);
        assert!(!list.stale);
        list.apply(&updated(row(9, 7, 0)));
        assert_eq!(ids(&list), vec![1]);
        assert!(list.stale);
    }

    #[test]
    fn clearing_unread_is_immediate() {
        let mut list = InboxList::default();
        list.begin_load();
        list.finish_load(vec![row(1, 5, 4)], None);
        list.clear_unread(ConversationId(1));
        assert_eq!(list.rows[0].unread_count, 0);
    }
}

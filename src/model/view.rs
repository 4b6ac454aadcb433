//! What the conversation list shows: folder (N2), status tab (N3), sort (N4), search (N5)
//! and the unreplied filter (N7). The view lives in the URL's query, so every list has its
//! own address and back/forward and reload land on the same list; it also decides, for a
//! conversation that changed live, whether it belongs in the list on screen.

use std::cmp::Ordering;
use switchboard_protocol::inbox::{Folder, InboxQuery, Sort};
use switchboard_protocol::{Assignee, ConversationStatus, ConversationSummary, UserId, contacts};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboxView {
    pub folder: Folder,
    /// `None` is the All tab.
    pub status: Option<ConversationStatus>,
    pub sort: Sort,
    pub search: String,
    pub unreplied: bool,
}

impl InboxView {
    /// Reads a view from query pairs; unknown or malformed values fall back to the default.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> InboxView {
        let mut view = InboxView::default();
        for (key, value) in pairs {
            match key {
                "folder" => view.folder = value.parse().unwrap_or_default(),
                "status" => view.status = ConversationStatus::parse(value),
                "sort" => view.sort = Sort::parse(value).unwrap_or_default(),
                "q" => view.search = value.to_owned(),
                "unreplied" => view.unreplied = value == "true" || value == "1",
                _ => {}
            }
        }
        view
    }

    /// The view as query pairs, defaults left out (the plain inbox has no query at all).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.folder != Folder::All {
            pairs.push(("folder", self.folder.to_string()));
        }
        if let Some(status) = self.status {
            pairs.push(("status", status.as_str().to_owned()));
        }
        if self.sort != Sort::Newest {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if !self.search.trim().is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        if self.unreplied {
            pairs.push(("unreplied", "true".to_owned()));
        }
        pairs
    }

    /// The REST query for a page of this view.
    pub fn query(&self, cursor: Option<String>) -> InboxQuery {
        InboxQuery {
            folder: self.folder,
            status: self.status,
            sort: self.sort,
            q: Some(self.search.trim().to_owned()).filter(|q| !q.is_empty()),
            unreplied: self.unreplied,
            cursor,
            limit: None,
        }
    }

    /// Whether a conversation belongs in this list, when that can be told here; `None` for
    /// a custom inbox, whose conditions only the server knows.
    pub fn admits(&self, row: &ConversationSummary, me: Option<UserId>) -> Option<bool> {
        let in_folder = match self.folder {
            Folder::All => !row.contact.blocked,
            Folder::Blocked => row.contact.blocked,
            Folder::Mine => {
                !row.contact.blocked
                    && matches!(&row.assignee, Some(Assignee::User { id, .. }) if Some(*id) == me)
            }
            Folder::Unassigned => !row.contact.blocked && row.assignee.is_none(),
            Folder::Team(team) => {
                !row.contact.blocked
                    && matches!(&row.assignee, Some(Assignee::Team { id, .. }) if *id == team)
            }
            Folder::Custom(_) => return None,
        };
        Some(
            in_folder
                && self.status.is_none_or(|s| s == row.status)
                && (!self.unreplied || row.awaiting_reply)
                && search_matches(&self.search, row),
        )
    }

    /// The list's order: its sort, then newest id first (as the server pages it).
    pub fn compare(&self, a: &ConversationSummary, b: &ConversationSummary) -> Ordering {
        let by = match self.sort {
            Sort::Newest => b.last_activity_at.cmp(&a.last_activity_at),
            Sort::Oldest => a.last_activity_at.cmp(&b.last_activity_at),
            Sort::Longest => a.status_since.cmp(&b.status_since),
            Sort::Shortest => b.status_since.cmp(&a.status_since),
        };
        let ascending = matches!(self.sort, Sort::Oldest | Sort::Longest);
        by.then(if ascending {
            a.id.cmp(&b.id)
        } else {
            b.id.cmp(&a.id)
        })
    }
}

/// The list search as the server applies it: the text is found in the contact's name or
/// e-mail, or (three digits or more) in the phone number the viewer may see.
pub fn search_matches(search: &str, row: &ConversationSummary) -> bool {
    let search = search.trim();
    if search.is_empty() {
        return true;
    }
    let c = &row.contact;
    let text = [c.first_name.as_str(), c.last_name.as_str()]
        .into_iter()
        .chain(c.email.as_deref())
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if crate::text::lower(&text).contains(&crate::text::lower(search)) {
        return true;
    }
    let digits = contacts::phone_digits(search);
    digits.len() >= 3
        && c.phone
            .as_deref()
            .is_some_and(|p| contacts::phone_digits(p).contains(&digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inbox::tests_support::row;
    use switchboard_protocol::TeamId;

    #[test]
    fn a_view_survives_the_round_trip_through_its_query() {
        let view = InboxView {
            folder: Folder::Team(TeamId(4)),
            status: Some(ConversationStatus::Snoozed),
            sort: Sort::Longest,
            search: "Анна & co".into(),
            unreplied: true,
        };
        let pairs = view.to_pairs();
        let back = InboxView::from_query(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, view);
        assert!(InboxView::default().to_pairs().is_empty());
    }

    #[test]
    fn malformed_query_values_fall_back_to_defaults() {
        let view = InboxView::from_query([
            ("folder", "team:abc"),
            ("status", "deleted"),
            ("sort", "random"),
            ("unreplied", "yes"),
            ("other", "x"),
        ]);
        assert_eq!(view, InboxView::default());
    }

    #[test]
    fn live_rows_are_admitted_by_folder_tab_search_and_unreplied() {
        let me = Some(UserId(7));
        let mut r = row(1);
        r.contact.first_name = "Olivia".into();
        r.contact.phone = Some("+44 20 7946 0018".into());
        let all = InboxView::default();
        assert_eq!(all.admits(&r, me), Some(true));
        let mine = InboxView {
            folder: Folder::Mine,
            ..InboxView::default()
        };
        assert_eq!(mine.admits(&r, me), Some(false));
        r.assignee = Some(Assignee::User {
            id: UserId(7),
            name: "Me".into(),
        });
        assert_eq!(mine.admits(&r, me), Some(true));
        let closed = InboxView {
            status: Some(ConversationStatus::Closed),
            ..InboxView::default()
        };
        assert_eq!(closed.admits(&r, me), Some(false));
        let by_name = InboxView {
            search: "OLIV".into(),
            ..InboxView::default()
        };
        assert_eq!(by_name.admits(&r, me), Some(true));
        let by_phone = InboxView {
            search: "7946".into(),
            ..InboxView::default()
        };
        assert_eq!(by_phone.admits(&r, me), Some(true));
        let unreplied = InboxView {
            unreplied: true,
            ..InboxView::default()
        };
        assert_eq!(unreplied.admits(&r, me), Some(false));
        r.contact.blocked = true;
        assert_eq!(all.admits(&r, me), Some(false));
        let custom = InboxView {
            folder: Folder::Custom(switchboard_protocol::CustomInboxId(2)),
            ..InboxView::default()
        };
        assert_eq!(custom.admits(&r, me), None);
    }

    #[test]
    fn sorts_order_rows_like_the_server() {
        use chrono::Duration;
        let mut a = row(1);
        let mut b = row(2);
        b.last_activity_at = a.last_activity_at + Duration::minutes(5);
        a.status_since = b.status_since - Duration::hours(1);
        let newest = InboxView::default();
        assert_eq!(newest.compare(&b, &a), Ordering::Less);
        let oldest = InboxView {
            sort: Sort::Oldest,
            ..InboxView::default()
        };
        assert_eq!(oldest.compare(&a, &b), Ordering::Less);
        let longest = InboxView {
            sort: Sort::Longest,
            ..InboxView::default()
        };
        assert_eq!(longest.compare(&a, &b), Ordering::Less);
        let shortest = InboxView {
            sort: Sort::Shortest,
            ..InboxView::default()
        };
        assert_eq!(shortest.compare(&b, &a), Ordering::Less);
    }
}

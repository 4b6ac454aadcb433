//! The inbox list query (N2–N7, T2), built once for both databases: the folder's rule, the
//! status tab, list search, the unreplied filter and a custom inbox's conditions become one
//! `WHERE` clause whose values are all bound; operators come from closed enums, never from
//! the request's text.

use crate::backend::{Bind, Sql};
use crate::rows::micros;
use chrono::Duration;
use std::collections::HashMap;
use switchboard_protocol::contacts::FieldKind;
use switchboard_protocol::inbox::*;
use switchboard_protocol::*;
use switchboard_storage::{ActivityCursor, FolderSpec, InboxSpec, Viewer};

/// `%`, `_` and `\\` escaped for `LIKE … ESCAPE '\\'`.
pub fn like_pattern(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

/// The sort column and direction of a sort.
pub fn order(sort: Sort) -> (&'static str, &'static str) {
    match sort {
        Sort::Newest => ("c.last_activity_at", "DESC"),
        Sort::Oldest => ("c.last_activity_at", "ASC"),
        Sort::Longest => ("c.status_since", "ASC"),
        Sort::Shortest => ("c.status_since", "DESC"),
    }
}

/// Where a conversation stands in a list of this sort (the cursor of the page after it).
pub fn cursor_of(conversation: &ConversationSummary, sort: Sort) -> ActivityCursor {
    let at = match sort {
        Sort::Newest | Sort::Oldest => conversation.last_activity_at,
        Sort::Longest | Sort::Shortest => conversation.status_since,
    };
    ActivityCursor {
        at,
        id: conversation.id.0,
    }
}

/// How a list search (N5) finds its page. A common name is found by walking the list in its
/// order and testing each conversation (a page turns up early); a rare one by finding its
/// few matches from an index and sorting them. The two strategies tell them apart
/// differently, each where it is cheap: SQLite counts matches in its FTS5 index, while
/// PostgreSQL's trigram counts must recheck every row, so it walks a little first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SearchStrategy {
    /// Count the matches by index, up to this many plus one: at most this many are sorted,
    /// more walk the list.
    CountFirst(i64),
    /// Walk this many conversations of the list; when they do not fill the page, sort the
    /// matches (`WalkFirst(0)` always sorts).
    WalkFirst(i64),
    /// Walk the whole list.
    Walk,
}

/// Where a list changes strategy.
#[derive(Clone, Debug)]
pub struct ListTuning {
    pub search: SearchStrategy,
    /// At most this many conversations in a custom inbox's "within" window are sorted; a
    /// larger window walks the sort order instead.
    pub window_sorted: i64,
}

impl ListTuning {
    /// The tuning for a backend whose list searches use `search`.
    pub fn with_search(search: SearchStrategy) -> ListTuning {
        ListTuning {
            search,
            window_sorted: 20_000,
        }
    }
}

/// The list search's text (lower-cased) and phone digits (none for masked viewers, who learn
/// nothing about numbers); `None` without a search.
pub fn search_terms(spec: &InboxSpec, viewer: &Viewer) -> Option<(String, Option<String>)> {
    let search = spec
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())?;
    let digits = contacts::phone_digits(search);
    let digits = (digits.len() >= 3 && !viewer.permissions.phone_masked).then_some(digits);
    Some((search.to_lowercase(), digits))
}

/// The start of a custom inbox's "within" window, if it has one.
pub fn window_start(spec: &InboxSpec) -> Option<i64> {
    match &spec.folder {
        FolderSpec::Custom(InboxFilter {
            last_incoming: Some(AgeCondition::WithinMinutes { minutes }),
            ..
        }) => Some(micros(spec.now - Duration::minutes(i64::from(*minutes)))),
        _ => None,
    }
}

/// Builds the condition of a list; `kinds` are the workspace's custom field types.
pub struct Filter<'a> {
    pub workspace: WorkspaceId,
    pub viewer: &'a Viewer,
    pub spec: &'a InboxSpec,
    pub kinds: &'a HashMap<CustomFieldId, FieldKind>,
}

/// `column LIKE '%text%'`, with an `ESCAPE` clause only when the text holds wildcards (so
/// trigram indexes, which do not read escaped patterns, serve the common case).
pub fn contains(column: &str, text: &str) -> Sql {
    if text.contains(['%', '_', '\\']) {
        Sql::new(format!("{column} LIKE ? ESCAPE '\\'")).bind(like_pattern(text))
    } else {
        Sql::new(format!("{column} LIKE ?")).bind(format!("%{text}%"))
    }
}

/// The portable list-search condition on the search columns conversations copy from their
/// contacts (`alias.search_text`, `alias.phone_digits`): a test per row for a walk, and
/// the sorted search on PostgreSQL, whose trigram indexes answer it.
pub fn conversation_match(alias: &str, text: &str, digits: Option<&str>) -> Sql {
    let mut sql = Sql::new("(");
    let by_text = contains(&format!("{alias}.search_text"), text);
    sql.push(&by_text.text, by_text.binds);
    if let Some(digits) = digits {
        let by_phone = contains(&format!("{alias}.phone_digits"), digits);
        sql.push(" OR ", []);
        sql.push(&by_phone.text, by_phone.binds);
    }
    sql.push(")", []);
    sql
}

impl Filter<'_> {
    /// `FROM …` for the conversation list: conversations `c`, joined with their contacts `ct`
    /// only when a condition reads them.
    pub fn from_clause(&self) -> &'static str {
        let contact_conditions = matches!(&self.spec.folder,
            FolderSpec::Custom(filter) if !filter.contact.is_empty());
        if contact_conditions {
            " FROM conversations c JOIN contacts ct ON ct.id = c.contact_id"
        } else {
            " FROM conversations c"
        }
    }

    /// ` WHERE …` for the conversation list (`c` and `ct` as in [`Filter::from_clause`]),
    /// all but the list search.
    pub fn where_clause(&self) -> Sql {
        let mut sql = Sql::new(" WHERE c.workspace_id = ?");
        sql.binds.push(Bind::Int(self.workspace.0));
        let spec = self.spec;
        match &spec.folder {
            FolderSpec::Blocked => sql.push(" AND c.blocked", []),
            _ => sql.push(" AND NOT c.blocked", []),
        }
        match &spec.folder {
            FolderSpec::All | FolderSpec::Blocked => {}
            FolderSpec::Mine => sql.push(" AND c.assignee_user_id = ?", [Bind::Int(self.viewer.user.0)]),
            FolderSpec::Unassigned => sql.push(
                " AND c.assignee_user_id IS NULL AND c.assignee_team_id IS NULL AND NOT c.assignee_ai",
                [],
            ),
            FolderSpec::Team(team) => sql.push(" AND c.assignee_team_id = ?", [Bind::Int(team.0)]),
            FolderSpec::Custom(filter) => self.custom(&mut sql, filter),
        }
        if let Some(status) = spec.status {
            sql.push(" AND c.status = ?", [Bind::Text(status.as_str().into())]);
        }
        if let Some(since) = spec.unreplied_since {
            sql.push(
                " AND c.last_incoming_at >= ? AND (c.last_reply_at IS NULL OR c.last_reply_at < c.last_incoming_at)",
                [Bind::Int(micros(since))],
            );
        }
        sql
    }

    fn custom(&self, sql: &mut Sql, filter: &InboxFilter) {
        if !filter.channels.is_empty() {
            let marks = vec!["?"; filter.channels.len()].join(", ");
            sql.push(
                &format!(
                    " AND c.channel_id IN (SELECT id FROM channels WHERE workspace_id = ? AND kind IN ({marks}))"
                ),
                std::iter::once(Bind::Int(self.workspace.0)).chain(filter
                    .channels
                    .iter()
                    .map(|k| Bind::Text(k.as_str().into()))),
            );
        }
        if !filter.statuses.is_empty() {
            let marks = vec!["?"; filter.statuses.len()].join(", ");
            sql.push(
                &format!(" AND c.status IN ({marks})"),
                filter
                    .statuses
                    .iter()
                    .map(|s| Bind::Text(s.as_str().into())),
            );
        }
        match filter.assignee {
            None => {}
            Some(AssigneeCondition::Unassigned) => sql.push(
                " AND c.assignee_user_id IS NULL AND c.assignee_team_id IS NULL AND NOT c.assignee_ai",
                [],
            ),
            Some(AssigneeCondition::Me) => sql.push(" AND c.assignee_user_id = ?", [Bind::Int(self.viewer.user.0)]),
            Some(AssigneeCondition::User { id }) => sql.push(" AND c.assignee_user_id = ?", [Bind::Int(id.0)]),
            Some(AssigneeCondition::Team { id }) => sql.push(" AND c.assignee_team_id = ?", [Bind::Int(id.0)]),
            Some(AssigneeCondition::AiAgent) => sql.push(" AND c.assignee_ai", []),
        }
        for condition in &filter.contact {
            self.field(sql, condition);
        }
        match filter.last_incoming {
            None => {}
            Some(AgeCondition::WithinMinutes { minutes }) => sql.push(
                " AND c.last_incoming_at >= ?",
                [Bind::Int(micros(
                    self.spec.now - Duration::minutes(i64::from(minutes)),
                ))],
            ),
            Some(AgeCondition::OlderThanMinutes { minutes }) => sql.push(
                " AND c.last_incoming_at < ?",
                [Bind::Int(micros(
                    self.spec.now - Duration::minutes(i64::from(minutes)),
                ))],
            ),
        }
    }

    fn field(&self, sql: &mut Sql, condition: &FieldCondition) {
        let value = condition.value.clone().unwrap_or_default();
        let column = match condition.field {
            ContactField::FirstName => "ct.first_name_key",
            ContactField::LastName => "ct.last_name_key",
            ContactField::Email => "ct.email_key",
            ContactField::Phone if self.viewer.permissions.phone_masked => {
                // Masked viewers learn nothing about phone numbers, not even whether one is set.
                sql.push(" AND 1 = 0", []);
                return;
            }
            ContactField::Phone => "ct.phone_digits",
            ContactField::Custom(id) => {
                self.custom_field(sql, id, condition.op, value);
                return;
            }
        };
        let value = if condition.field == ContactField::Phone {
            contacts::phone_digits(&value)
        } else {
            value.trim().to_lowercase()
        };
        match condition.op {
            FieldOp::Equals => sql.push(&format!(" AND {column} = ?"), [Bind::Text(value)]),
            FieldOp::Contains => sql.push(
                &format!(" AND {column} LIKE ? ESCAPE '\\'"),
                [Bind::Text(like_pattern(&value))],
            ),
            FieldOp::IsSet => sql.push(&format!(" AND {column} <> ''"), []),
            FieldOp::IsNotSet => sql.push(&format!(" AND {column} = ''"), []),
            FieldOp::GreaterThan => sql.push(&format!(" AND {column} > ?"), [Bind::Text(value)]),
            FieldOp::LessThan => sql.push(&format!(" AND {column} < ?"), [Bind::Text(value)]),
        }
    }

    fn custom_field(&self, sql: &mut Sql, id: CustomFieldId, op: FieldOp, value: String) {
        let exists = "EXISTS (SELECT 1 FROM contact_field_values v WHERE v.contact_id = ct.id AND v.field_id = ?";
        let number = self.kinds.get(&id) == Some(&FieldKind::Number);
        let (test, binds): (&str, Vec<Bind>) = match op {
            FieldOp::Equals if number => (
                " AND CAST(v.value AS NUMERIC) = CAST(? AS NUMERIC))",
                vec![Bind::Text(value)],
            ),
            FieldOp::Equals => (
                " AND v.value_key = ?)",
                vec![Bind::Text(value.trim().to_lowercase())],
            ),
            FieldOp::Contains => (
                " AND v.value_key LIKE ? ESCAPE '\\')",
                vec![Bind::Text(like_pattern(&value.trim().to_lowercase()))],
            ),
            FieldOp::IsSet => (")", vec![]),
            FieldOp::IsNotSet => {
                sql.push(&format!(" AND NOT {exists})"), [Bind::Int(id.0)]);
                return;
            }
            FieldOp::GreaterThan if number => (
                " AND CAST(v.value AS NUMERIC) > CAST(? AS NUMERIC))",
                vec![Bind::Text(value)],
            ),
            FieldOp::LessThan if number => (
                " AND CAST(v.value AS NUMERIC) < CAST(? AS NUMERIC))",
                vec![Bind::Text(value)],
            ),
            FieldOp::GreaterThan => (" AND v.value > ?)", vec![Bind::Text(value)]),
            FieldOp::LessThan => (" AND v.value < ?)", vec![Bind::Text(value)]),
        };
        sql.push(
            &format!(" AND {exists}{test}"),
            std::iter::once(Bind::Int(id.0)).chain(binds),
        );
    }
}

/// The list stories again under every list strategy, for a backend's conformance tests:
/// searches that walk the whole list and "within" windows never sorted on their own;
/// searches that always sort their matches; walks so short that most searches fall back to
/// sorting after them; and counts so low that most searches walk. Every strategy gives the
/// same lists. `$fresh` makes a fresh store of type `$store`.
#[macro_export]
macro_rules! list_strategy_tests {
    ($fresh:ident, $store:ty) => {
        $crate::list_strategy_tests!(@one walking, $fresh, $store,
            $crate::inbox::ListTuning {
                search: $crate::inbox::SearchStrategy::Walk,
                window_sorted: 0,
            };
            inbox_lists_match_the_reference_model,
            contact_search_respects_masking_and_blocking,
            list_search_follows_contact_edits,
        );
        $crate::list_strategy_tests!(@one sorting, $fresh, $store,
            $crate::inbox::ListTuning::with_search($crate::inbox::SearchStrategy::WalkFirst(0));
            inbox_lists_match_the_reference_model,
            list_search_follows_contact_edits,
        );
        $crate::list_strategy_tests!(@one short_walks, $fresh, $store,
            $crate::inbox::ListTuning::with_search($crate::inbox::SearchStrategy::WalkFirst(3));
            inbox_lists_match_the_reference_model,
            list_search_follows_contact_edits,
        );
        $crate::list_strategy_tests!(@one few_candidates, $fresh, $store,
            $crate::inbox::ListTuning::with_search($crate::inbox::SearchStrategy::CountFirst(2));
            inbox_lists_match_the_reference_model,
            list_search_follows_contact_edits,
        );
    };
    (@one $name:ident, $fresh:ident, $store:ty, $tuning:expr; $($story:ident),+ $(,)?) => {
        mod $name {
            async fn fresh() -> $store {
                super::$fresh().await.with_tuning($tuning)
            }

            switchboard_storage::conformance_tests!(@each fresh(); $($story),+);
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_pattern("анна"), "%анна%");
    }
}

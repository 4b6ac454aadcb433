//! A property test of the inbox list against a plain in-memory reference model: random small
//! workspaces are built through the real [`Store`], then random list queries (folder × status
//! tab × sort × search × unreplied filter × viewer permissions) are walked page by page and
//! counted, and must give exactly what the model computes.
//!
//! The model follows the documented rules (N2–N7, T2), written here in plain Rust and
//! independently of the SQL:
//! - the state of each conversation (status and since when, assignee, blocked, unread,
//!   newest activity, newest incoming message, awaiting a reply) is simulated from the steps
//!   the case takes and checked against `Store::conversation` before any list is queried;
//! - folders: every folder but Blocked leaves blocked contacts out; Mine is assigned to the
//!   viewer, Unassigned to nobody, Team to the team, Custom holds the filter's conditions;
//! - search: the trimmed text, case-insensitively, in "first last e-mail" (the parts that are
//!   present, joined by spaces), or, when it has at least three digits and the viewer's phone
//!   numbers are not masked, its digits in the phone number's digits;
//! - unreplied: awaiting a reply, with the newest incoming message at or after the cutoff;
//! - order: newest/oldest by last activity, longest/shortest by time in the current status,
//!   ties by conversation id in the same direction; pages are consecutive slices of the list;
//! - custom inboxes: names and e-mail compare case-insensitively, phones by their digits and
//!   never for masked viewers, custom numbers as numbers, dates as dates, list values
//!   case-insensitively; the newest incoming message's age is measured from the query's time;
//! - counts: the list's open conversations, and those of them with unread messages.
//!
//! Inputs stay within what the server passes on: one conversation's steps come at increasing
//! times (the server stamps them with its clock), conditions are checked and canonical as
//! `check_inbox` leaves them, and the Blocked folder is asked for only by viewers who may view
//! blocked contacts (the store leaves that check to its caller).
//!
//! The run is deterministic: [`CASES`] cases from [`SEED`], no failure files. To explore,
//! `SWITCHBOARD_REFERENCE_CASES` and `SWITCHBOARD_REFERENCE_SEED` override them.

#![allow(clippy::unwrap_used)] // Test code: a failed step is a failed story.

use crate::*;
use chrono::{Duration, NaiveDate, TimeZone};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestCaseError, TestRunner};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use switchboard_protocol::contacts::{
    self, CustomField, CustomFieldRequest, FieldKind, FieldValue,
};
use switchboard_protocol::inbox::{
    AgeCondition, AssigneeCondition, ContactField, FieldCondition, FieldOp, FolderCount,
    InboxFilter, Sort,
};
use switchboard_protocol::settings::MemberPatch;

/// Generated workspaces per run.
pub const CASES: u32 = 48;
/// The seed of the run's random source.
pub const SEED: u64 = 0x5b1d_2026_0301;

type S = Arc<dyn Store>;
type CaseResult = Result<(), TestCaseError>;

// --- the generated plan ------------------------------------------------------------------------

const FIRST_NAMES: &[&str] = &[
    "Anna",
    "Ann",
    "Ivan",
    "Иван",
    "Юлия",
    "Ольга",
    "Olga",
    "Zoë",
    "Пётр",
    "Mc_Gee",
    "",
];
const LAST_NAMES: &[&str] = &[
    "Smith",
    "Иванова",
    "O'Neil",
    "Petrov",
    "Петров",
    "50%Off",
    "Back\\Slash",
    "Ann-Marie",
    "\"Star\" Shop",
    "",
];
const EMAILS: &[&str] = &[
    "anna@example.com",
    "IVAN.Petrov@Mail.RU",
    "юлия@пример.рф",
    "o'neil@ex.org",
    "mc_gee@x.io",
    "100%off@pct.net",
    "ann@example.com",
];
const PHONES: &[&str] = &[
    "+7 912 555-01-23",
    "+44 20 7946 0321",
    "8 (800) 555-35-35",
    "12345",
    "+1-202-555-0199",
    "7912555",
];
const NUMBERS: &[&str] = &[
    "-3", "0", "2", "2.5", "7", "007", "10", "1e2", "100", "-0.5",
];
const DATES: &[&str] = &[
    "2025-12-31",
    "2026-01-15",
    "2026-02-28",
    "2026-03-01",
    "2026-10-05",
];
const OPTIONS: &[&str] = &["Basic", "Pro", "Enterprise", "Про"];
const SEARCHES: &[&str] = &[
    "%", "_", "'", "\\", "%_", "a%", "o'n", "O'NEIL", "  ", "ANN", "иван", "ИВА", "ё", "@", ".com",
    "xyz", "100%", "mc_", "55", "555", "8 (800", "+7 912", "anna 912", "ann 555", "n s", "back\\s",
    "ova o",
];
const CONDITION_TEXTS: &[&str] = &["a", "AN", "ив", "%", "_", "'", "555", "x", "ПРО", "e"];

#[derive(Clone, Copy, Debug)]
enum Case {
    AsIs,
    Lower,
    Upper,
}

impl Case {
    fn apply(self, text: &str) -> String {
        match self {
            Case::AsIs => text.to_owned(),
            Case::Lower => text.to_lowercase(),
            Case::Upper => text.to_uppercase(),
        }
    }
}

/// Who an assignment step names.
#[derive(Clone, Copy, Debug)]
enum Target {
    Viewer,
    Member(Index),
    Team(Index),
    Ai,
    Nobody,
}

/// One thing that happens to a conversation.
#[derive(Clone, Copy, Debug)]
enum Step {
    Incoming,
    Reply,
    Comment,
    Read,
    Assign(Target),
    Close,
    /// Until this many minutes after the step.
    Snooze(i64),
    Reopen,
    Block(bool),
}

#[derive(Clone, Debug)]
struct ContactPlan {
    first: String,
    last: String,
    email: Option<String>,
    phone: Option<String>,
    by_email: bool,
    /// Minutes after the base time.
    created: i64,
    /// A value (an index into the kind's pool) per custom field, if set.
    fields: Vec<Option<Index>>,
    /// Each step comes this many minutes (≥ 1) after the one before.
    steps: Vec<(i64, Step)>,
}

#[derive(Clone, Copy, Debug)]
enum Part {
    First,
    Last,
    Email,
    Full,
}

#[derive(Clone, Debug)]
enum SearchPlan {
    /// A piece of a contact's name or e-mail.
    Name {
        contact: Index,
        part: Part,
        start: Index,
        len: usize,
        case: Case,
    },
    /// A run of a contact's phone digits, maybe formatted.
    Phone {
        contact: Index,
        start: Index,
        len: usize,
        formatted: bool,
    },
    Text(String),
}

#[derive(Clone, Copy, Debug)]
enum FieldPlan {
    First,
    Last,
    Email,
    Phone,
    Custom(Index),
}

#[derive(Clone, Debug)]
struct ConditionPlan {
    field: FieldPlan,
    op: FieldOp,
    /// The contact (or pool value) the value is taken from.
    source: Index,
    start: Index,
    len: usize,
    case: Case,
    literal: Option<&'static str>,
}

#[derive(Clone, Copy, Debug)]
enum AssigneePlan {
    Unassigned,
    Me,
    Member(Index),
    Team(Index),
    Ai,
}

#[derive(Clone, Debug)]
struct FilterPlan {
    channels: Vec<ChannelKind>,
    statuses: Vec<ConversationStatus>,
    assignee: Option<AssigneePlan>,
    contact: Vec<ConditionPlan>,
    /// Within (true) or older than that many minutes.
    last_incoming: Option<(bool, u32)>,
}

#[derive(Clone, Debug)]
enum FolderPlan {
    All,
    Mine,
    Unassigned,
    Team(Index),
    Custom(FilterPlan),
    Blocked,
}

#[derive(Clone, Debug)]
struct QueryPlan {
    folder: FolderPlan,
    status: Option<ConversationStatus>,
    sort: Sort,
    search: Option<SearchPlan>,
    /// The unreplied cutoff, minutes after the base time.
    unreplied: Option<i64>,
    permissions: Permissions,
    page_size: u32,
    /// The query's time, minutes after the base time.
    now: i64,
}

#[derive(Clone, Debug)]
struct WorkspacePlan {
    /// Members besides the viewer.
    others: usize,
    /// A team each; whether the viewer is in it.
    teams: Vec<bool>,
    fields: Vec<FieldKind>,
    contacts: Vec<ContactPlan>,
    queries: Vec<QueryPlan>,
}

fn case() -> impl Strategy<Value = Case> {
    prop_oneof![Just(Case::AsIs), Just(Case::Lower), Just(Case::Upper)]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        3 => Just(Target::Viewer),
        1 => any::<Index>().prop_map(Target::Member),
        3 => any::<Index>().prop_map(Target::Team),
        1 => Just(Target::Ai),
        1 => Just(Target::Nobody),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        10 => Just(Step::Incoming),
        6 => Just(Step::Reply),
        4 => Just(Step::Comment),
        3 => Just(Step::Read),
        8 => target().prop_map(Step::Assign),
        5 => Just(Step::Close),
        4 => (1i64..=600).prop_map(Step::Snooze),
        3 => Just(Step::Reopen),
        3 => Just(Step::Block(true)),
        1 => Just(Step::Block(false)),
    ]
}

fn contact_plan() -> impl Strategy<Value = ContactPlan> {
    (
        (select(FIRST_NAMES), case()).prop_map(|(n, c)| c.apply(n)),
        (select(LAST_NAMES), case()).prop_map(|(n, c)| c.apply(n)),
        option::weighted(0.7, (select(EMAILS), case()).prop_map(|(e, c)| c.apply(e))),
        option::weighted(0.6, select(PHONES).prop_map(str::to_owned)),
        any::<bool>(),
        0i64..30,
        vec(option::of(any::<Index>()), 2),
        vec((1i64..=4, step()), 0..=8),
    )
        .prop_map(
            |(first, last, email, phone, by_email, created, fields, steps)| ContactPlan {
                first,
                last,
                email,
                phone,
                by_email,
                created,
                fields,
                steps,
            },
        )
}

fn search_plan() -> impl Strategy<Value = SearchPlan> {
    let part = prop_oneof![
        Just(Part::First),
        Just(Part::Last),
        Just(Part::Email),
        Just(Part::Full)
    ];
    prop_oneof![
        5 => (any::<Index>(), part, any::<Index>(), 1usize..=6, case()).prop_map(
            |(contact, part, start, len, case)| SearchPlan::Name { contact, part, start, len, case }
        ),
        2 => (any::<Index>(), any::<Index>(), 2usize..=6, any::<bool>()).prop_map(
            |(contact, start, len, formatted)| SearchPlan::Phone { contact, start, len, formatted }
        ),
        2 => select(SEARCHES).prop_map(|s| SearchPlan::Text(s.to_owned())),
        1 => "[a-zA-Zа-яА-ЯёЁ0-9 %_'\"*:()@.\\\\-]{1,5}".prop_map(SearchPlan::Text),
    ]
}

fn condition_plan() -> impl Strategy<Value = ConditionPlan> {
    let field = prop_oneof![
        1 => Just(FieldPlan::First),
        1 => Just(FieldPlan::Last),
        1 => Just(FieldPlan::Email),
        1 => Just(FieldPlan::Phone),
        2 => any::<Index>().prop_map(FieldPlan::Custom),
    ];
    (
        field,
        select(FieldOp::ALL),
        any::<Index>(),
        any::<Index>(),
        1usize..=5,
        case(),
        option::weighted(0.2, select(CONDITION_TEXTS)),
    )
        .prop_map(
            |(field, op, source, start, len, case, literal)| ConditionPlan {
                field,
                op,
                source,
                start,
                len,
                case,
                literal,
            },
        )
}

fn filter_plan() -> impl Strategy<Value = FilterPlan> {
    let assignee = prop_oneof![
        Just(AssigneePlan::Unassigned),
        Just(AssigneePlan::Me),
        any::<Index>().prop_map(AssigneePlan::Member),
        any::<Index>().prop_map(AssigneePlan::Team),
        Just(AssigneePlan::Ai),
    ];
    (
        option::weighted(
            0.4,
            subsequence(
                vec![
                    ChannelKind::WebsiteChat,
                    ChannelKind::Email,
                    ChannelKind::Telegram,
                ],
                1..=2,
            ),
        ),
        option::weighted(0.4, subsequence(ConversationStatus::ALL, 1..=2)),
        option::weighted(0.3, assignee),
        vec(condition_plan(), 0..=2),
        option::weighted(0.25, (any::<bool>(), 1u32..=60)),
    )
        .prop_map(
            |(channels, statuses, assignee, contact, last_incoming)| FilterPlan {
                channels: channels.unwrap_or_default(),
                statuses: statuses.unwrap_or_default(),
                assignee,
                contact,
                last_incoming,
            },
        )
}

fn folder_plan() -> impl Strategy<Value = FolderPlan> {
    prop_oneof![
        3 => Just(FolderPlan::All),
        2 => Just(FolderPlan::Mine),
        2 => Just(FolderPlan::Unassigned),
        2 => any::<Index>().prop_map(FolderPlan::Team),
        4 => filter_plan().prop_map(FolderPlan::Custom),
        2 => Just(FolderPlan::Blocked),
    ]
}

fn query_plan() -> impl Strategy<Value = QueryPlan> {
    (
        folder_plan(),
        option::weighted(0.5, select(ConversationStatus::ALL)),
        select(Sort::ALL),
        option::weighted(0.4, search_plan()),
        option::weighted(0.2, 0i64..60),
        (any::<bool>(), any::<bool>()),
        1u32..=4,
        0i64..90,
    )
        .prop_map(
            |(
                folder,
                status,
                sort,
                search,
                unreplied,
                (view_blocked, phone_masked),
                page_size,
                now,
            )| {
                QueryPlan {
                    folder,
                    status,
                    sort,
                    search,
                    unreplied,
                    permissions: Permissions {
                        view_blocked,
                        phone_masked,
                    },
                    page_size,
                    now,
                }
            },
        )
}

fn workspace_plan() -> impl Strategy<Value = WorkspacePlan> {
    (
        1usize..=2,
        vec(any::<bool>(), 1..=2),
        vec(
            select(vec![FieldKind::Number, FieldKind::Date, FieldKind::List]),
            0..=2,
        ),
        vec(contact_plan(), 3..=12),
        vec(query_plan(), 1..=32),
    )
        .prop_map(|(others, teams, fields, contacts, queries)| WorkspacePlan {
            others,
            teams,
            fields,
            contacts,
            queries,
        })
}

// --- the reference model -----------------------------------------------------------------------

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn pool(kind: FieldKind) -> &'static [&'static str] {
    match kind {
        FieldKind::Number => NUMBERS,
        FieldKind::Date => DATES,
        FieldKind::List | FieldKind::Text => OPTIONS,
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Up to `len` characters of `text` from a position picked by `start`.
fn piece(text: &str, start: Index, len: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    chars
        .iter()
        .skip(start.index(chars.len()))
        .take(len)
        .collect()
}

/// A conversation as the model sees it, simulated step by step.
#[derive(Clone, Debug)]
struct Sim {
    status: ConversationStatus,
    /// `None` after blocking woke it: the store takes that time from its own clock.
    status_since: Option<DateTime<Utc>>,
    blocked: bool,
    assignee: Option<AssigneeRef>,
    unread: u32,
    last_activity_at: DateTime<Utc>,
    last_incoming_at: Option<DateTime<Utc>>,
    awaiting_reply: bool,
}

impl Sim {
    fn new(created: DateTime<Utc>) -> Sim {
        Sim {
            status: ConversationStatus::Closed,
            status_since: Some(created),
            blocked: false,
            assignee: None,
            unread: 0,
            last_activity_at: created,
            last_incoming_at: None,
            awaiting_reply: false,
        }
    }

    fn enter(&mut self, status: ConversationStatus, now: DateTime<Utc>) {
        if self.status != status {
            self.status = status;
            self.status_since = Some(now);
        }
    }
}

/// One conversation of the model: what the simulation says, with the contact as created.
#[derive(Clone, Debug)]
struct Row {
    /// The row as `Store::conversation` returned it; list items must equal it.
    stored: ConversationSummary,
    id: i64,
    first: String,
    last: String,
    email: Option<String>,
    phone: Option<String>,
    channel: ChannelKind,
    fields: Vec<(CustomFieldId, String)>,
    status: ConversationStatus,
    status_since: DateTime<Utc>,
    blocked: bool,
    assignee: Option<AssigneeRef>,
    unread: u32,
    last_activity_at: DateTime<Utc>,
    last_incoming_at: Option<DateTime<Utc>>,
    awaiting_reply: bool,
}

impl Row {
    /// The row in a line, for failure messages.
    fn describe(&self) -> String {
        format!(
            "#{} {:?} {:?} email={:?} phone={:?} {:?} fields={:?} {}{} since={} activity={} \
             assignee={:?} unread={} incoming={:?} awaiting={}",
            self.id,
            self.first,
            self.last,
            self.email,
            self.phone,
            self.channel,
            self.fields,
            self.status.as_str(),
            if self.blocked { " blocked" } else { "" },
            self.status_since.format("%d %H:%M:%S"),
            self.last_activity_at.format("%d %H:%M"),
            self.assignee,
            self.unread,
            self.last_incoming_at
                .map(|t| t.format("%d %H:%M").to_string()),
            self.awaiting_reply,
        )
    }
}

struct Model {
    rows: Vec<Row>,
    fields: Vec<CustomField>,
}

impl Model {
    /// The list a query must return, in order.
    fn list(&self, viewer: &Viewer, spec: &InboxSpec) -> Vec<&Row> {
        let mut rows: Vec<&Row> = self
            .rows
            .iter()
            .filter(|row| self.holds(row, viewer, spec))
            .collect();
        rows.sort_by(|a, b| match spec.sort {
            Sort::Newest => (b.last_activity_at, b.id).cmp(&(a.last_activity_at, a.id)),
            Sort::Oldest => (a.last_activity_at, a.id).cmp(&(b.last_activity_at, b.id)),
            Sort::Longest => (a.status_since, a.id).cmp(&(b.status_since, b.id)),
            Sort::Shortest => (b.status_since, b.id).cmp(&(a.status_since, a.id)),
        });
        rows
    }

    fn count(&self, viewer: &Viewer, spec: &InboxSpec) -> FolderCount {
        let open: Vec<&Row> = self
            .list(viewer, spec)
            .into_iter()
            .filter(|r| r.status == ConversationStatus::Open)
            .collect();
        FolderCount {
            open: open.len() as u64,
            unread: open.iter().filter(|r| r.unread > 0).count() as u64,
        }
    }

    fn holds(&self, row: &Row, viewer: &Viewer, spec: &InboxSpec) -> bool {
        let me = Some(AssigneeRef::User { id: viewer.user });
        let in_folder = match &spec.folder {
            FolderSpec::Blocked => row.blocked,
            _ if row.blocked => false,
            FolderSpec::All => true,
            FolderSpec::Mine => row.assignee == me,
            FolderSpec::Unassigned => row.assignee.is_none(),
            FolderSpec::Team(team) => row.assignee == Some(AssigneeRef::Team { id: *team }),
            FolderSpec::Custom(filter) => self.filter_holds(row, viewer, spec.now, filter),
        };
        in_folder
            && spec.status.is_none_or(|s| row.status == s)
            && spec
                .search
                .as_deref()
                .is_none_or(|s| search_holds(row, viewer, s))
            && spec.unreplied_since.is_none_or(|since| {
                row.awaiting_reply && row.last_incoming_at.is_some_and(|t| t >= since)
            })
    }

    fn filter_holds(
        &self,
        row: &Row,
        viewer: &Viewer,
        now: DateTime<Utc>,
        filter: &InboxFilter,
    ) -> bool {
        let assignee_holds = |condition: &AssigneeCondition| match condition {
            AssigneeCondition::Unassigned => row.assignee.is_none(),
            AssigneeCondition::Me => row.assignee == Some(AssigneeRef::User { id: viewer.user }),
            AssigneeCondition::User { id } => row.assignee == Some(AssigneeRef::User { id: *id }),
            AssigneeCondition::Team { id } => row.assignee == Some(AssigneeRef::Team { id: *id }),
            AssigneeCondition::AiAgent => row.assignee == Some(AssigneeRef::AiAgent),
        };
        let age_holds = |condition: &AgeCondition| {
            let Some(incoming) = row.last_incoming_at else {
                return false;
            };
            let age = now - incoming;
            match *condition {
                AgeCondition::WithinMinutes { minutes } => {
                    age <= Duration::minutes(i64::from(minutes))
                }
                AgeCondition::OlderThanMinutes { minutes } => {
                    age > Duration::minutes(i64::from(minutes))
                }
            }
        };
        (filter.channels.is_empty() || filter.channels.contains(&row.channel))
            && (filter.statuses.is_empty() || filter.statuses.contains(&row.status))
            && filter.assignee.as_ref().is_none_or(assignee_holds)
            && filter
                .contact
                .iter()
                .all(|c| self.condition_holds(row, viewer, c))
            && filter.last_incoming.as_ref().is_none_or(age_holds)
    }

    fn condition_holds(&self, row: &Row, viewer: &Viewer, condition: &FieldCondition) -> bool {
        let wanted = condition.value.as_deref().unwrap_or("").trim();
        let op = condition.op;
        let text = |value: &str| {
            let (value, wanted) = (value.to_lowercase(), wanted.to_lowercase());
            match op {
                FieldOp::Equals => value == wanted,
                FieldOp::Contains => value.contains(&wanted),
                FieldOp::IsSet => !value.is_empty(),
                FieldOp::IsNotSet => value.is_empty(),
                FieldOp::GreaterThan | FieldOp::LessThan => false,
            }
        };
        match condition.field {
            ContactField::FirstName => text(&row.first),
            ContactField::LastName => text(&row.last),
            ContactField::Email => text(row.email.as_deref().unwrap_or("")),
            // Masked viewers learn nothing about phone numbers, not even whether one is set.
            ContactField::Phone if viewer.permissions.phone_masked => false,
            ContactField::Phone => {
                let have = digits(row.phone.as_deref().unwrap_or(""));
                let want = digits(wanted);
                match op {
                    FieldOp::Equals => have == want,
                    FieldOp::Contains => have.contains(&want),
                    FieldOp::IsSet => !have.is_empty(),
                    FieldOp::IsNotSet => have.is_empty(),
                    FieldOp::GreaterThan | FieldOp::LessThan => false,
                }
            }
            ContactField::Custom(id) => {
                let kind = self.fields.iter().find(|f| f.id == id).map(|f| f.kind);
                let value = row.fields.iter().find(|(f, _)| *f == id).map(|(_, v)| v);
                let number = |s: &str| s.trim().parse::<f64>().ok();
                let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
                let compare = |v: &str| -> Option<std::cmp::Ordering> {
                    match kind? {
                        FieldKind::Number => number(v)?.partial_cmp(&number(wanted)?),
                        FieldKind::Date => Some(date(v)?.cmp(&date(wanted)?)),
                        FieldKind::Text | FieldKind::List => None,
                    }
                };
                match (op, value) {
                    (FieldOp::IsSet, value) => value.is_some(),
                    (FieldOp::IsNotSet, value) => value.is_none(),
                    (_, None) => false,
                    (FieldOp::Equals, Some(v)) => match kind {
                        Some(FieldKind::Number | FieldKind::Date) => {
                            compare(v) == Some(std::cmp::Ordering::Equal)
                        }
                        _ => text(v),
                    },
                    (FieldOp::Contains, Some(v)) => text(v),
                    (FieldOp::GreaterThan, Some(v)) => {
                        compare(v) == Some(std::cmp::Ordering::Greater)
                    }
                    (FieldOp::LessThan, Some(v)) => compare(v) == Some(std::cmp::Ordering::Less),
                }
            }
        }
    }
}

/// List search (N5): the text in "first last e-mail", or its digits in the phone's.
fn search_holds(row: &Row, viewer: &Viewer, search: &str) -> bool {
    let search = search.trim();
    if search.is_empty() {
        return true;
    }
    let haystack = [
        row.first.as_str(),
        row.last.as_str(),
        row.email.as_deref().unwrap_or(""),
    ]
    .iter()
    .map(|p| p.trim())
    .filter(|p| !p.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase();
    if haystack.contains(&search.to_lowercase()) {
        return true;
    }
    let wanted = digits(search);
    wanted.len() >= 3
        && !viewer.permissions.phone_masked
        && row
            .phone
            .as_deref()
            .is_some_and(|p| digits(p).contains(&wanted))
}

// --- running a case ----------------------------------------------------------------------------

/// Counts of what the run did, for its summary line.
#[derive(Default)]
struct Stats {
    cases: AtomicU64,
    queries: AtomicU64,
    pages: AtomicU64,
    rows: AtomicU64,
    /// Queries whose list was not empty.
    nonempty: AtomicU64,
}

static NEXT_CASE: AtomicU64 = AtomicU64::new(1);

/// The workspace a case built.
struct Built {
    workspace: WorkspaceId,
    /// The viewer first.
    members: Vec<UserId>,
    teams: Vec<TeamId>,
    fields: Vec<CustomField>,
}

impl Built {
    fn viewer(&self) -> UserId {
        self.members[0]
    }

    fn assignee(&self, target: Target) -> Option<AssigneeRef> {
        match target {
            Target::Viewer => Some(AssigneeRef::User { id: self.viewer() }),
            Target::Member(i) => Some(AssigneeRef::User {
                id: *i.get(&self.members),
            }),
            Target::Team(i) => Some(AssigneeRef::Team {
                id: *i.get(&self.teams),
            }),
            Target::Ai => Some(AssigneeRef::AiAgent),
            Target::Nobody => None,
        }
    }
}

async fn build(store: &S, plan: &WorkspacePlan, n: u64) -> (Built, ChannelId, ChannelId) {
    let workspace = store
        .create_workspace(&format!("Reference {n}"))
        .await
        .unwrap();
    let mut members = Vec::new();
    for i in 0..=plan.others {
        let user = store
            .create_user(NewUser {
                name: &format!("Member {i} of case {n}"),
                email: &format!("member{i}.case{n}@reference.test"),
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            })
            .await
            .unwrap();
        store
            .add_member(workspace, user.id, Role::Agent)
            .await
            .unwrap();
        members.push(user.id);
    }
    let mut teams = Vec::new();
    for (i, viewer_joins) in plan.teams.iter().enumerate() {
        let team = store
            .create_team(workspace, &format!("Team {i}"))
            .await
            .unwrap();
        let member = if *viewer_joins {
            members[0]
        } else {
            members[1]
        };
        store
            .add_team_member(workspace, team, member)
            .await
            .unwrap();
        teams.push(team);
    }
    let website = store
        .create_channel(NewChannel {
            workspace,
            kind: ChannelKind::WebsiteChat,
            name: "Website",
            public_key: Some(&format!("reference-{n}")),
        })
        .await
        .unwrap();
    let mail = store
        .create_channel(NewChannel {
            workspace,
            kind: ChannelKind::Email,
            name: "Mail",
            public_key: None,
        })
        .await
        .unwrap();
    let mut fields = Vec::new();
    for (i, kind) in plan.fields.iter().enumerate() {
        let options = match kind {
            FieldKind::List => OPTIONS.iter().map(|o| o.to_string()).collect(),
            _ => Vec::new(),
        };
        let field = store
            .create_custom_field(
                workspace,
                &CustomFieldRequest {
                    label: format!("{} {i}", kind.as_str()),
                    kind: *kind,
                    options,
                },
            )
            .await
            .unwrap()
            .0;
        fields.push(field);
    }
    let built = Built {
        workspace,
        members,
        teams,
        fields,
    };
    (built, website.id, mail.id)
}

/// Takes one step through the store and in the simulation; the store must accept exactly the
/// steps the model allows.
async fn take_step(
    store: &S,
    built: &Built,
    conversation: ConversationId,
    contact: ContactId,
    sim: &mut Sim,
    step: Step,
    now: DateTime<Utc>,
) -> CaseResult {
    let workspace = built.workspace;
    let refused = |result: &StoreResult<_>| matches!(result, Err(StoreError::Refused(_)));
    match step {
        Step::Incoming | Step::Reply | Step::Comment => {
            let incoming = matches!(step, Step::Incoming);
            store
                .append_message(NewMessage {
                    original: None,
                    workspace,
                    conversation,
                    client_id: None,
                    kind: if matches!(step, Step::Comment) {
                        MessageKind::Comment
                    } else {
                        MessageKind::Message
                    },
                    direction: if incoming {
                        Direction::Incoming
                    } else {
                        Direction::Outgoing
                    },
                    sender_kind: if incoming {
                        SenderKind::Contact
                    } else {
                        SenderKind::Agent
                    },
                    sender_user: (!incoming).then(|| built.viewer()),
                    content: Content::Text {
                        text: format!("{step:?} at {now}"),
                    },
                    delivery_status: matches!(step, Step::Reply).then_some(DeliveryStatus::Sent),
                    created_at: now,
                    reply_to: None,
                    mentions: Vec::new(),
                    attachments: Vec::new(),
                    channel: None,
                })
                .await
                .unwrap();
            sim.last_activity_at = sim.last_activity_at.max(now);
            match step {
                Step::Incoming => {
                    sim.unread += 1;
                    sim.last_incoming_at = Some(now);
                    sim.awaiting_reply = true;
                }
                Step::Reply => sim.awaiting_reply = false,
                _ => {}
            }
            if !matches!(step, Step::Comment) {
                sim.enter(ConversationStatus::Open, now);
            }
        }
        Step::Read => {
            let event = store.mark_read(workspace, conversation).await.unwrap();
            prop_assert_eq!(event.is_some(), sim.unread > 0, "mark_read's event");
            sim.unread = 0;
        }
        Step::Assign(target) => {
            let assignee = built.assignee(target);
            let event = store
                .assign(workspace, conversation, assignee)
                .await
                .unwrap();
            prop_assert_eq!(event.is_some(), sim.assignee != assignee, "assign's event");
            sim.assignee = assignee;
        }
        Step::Close | Step::Snooze(_) | Step::Reopen => {
            let (transition, to, allowed) = match step {
                Step::Close => (
                    Transition::Close {
                        note: None,
                        by: Some(built.viewer()),
                    },
                    ConversationStatus::Closed,
                    sim.status != ConversationStatus::Closed,
                ),
                Step::Snooze(minutes) => (
                    Transition::Snooze {
                        until: now + Duration::minutes(minutes),
                    },
                    ConversationStatus::Snoozed,
                    !sim.blocked,
                ),
                _ => (
                    Transition::Reopen,
                    ConversationStatus::Open,
                    sim.status != ConversationStatus::Open,
                ),
            };
            let result = store
                .transition(workspace, conversation, transition, now)
                .await;
            if allowed {
                prop_assert!(result.is_ok(), "{step:?} from {sim:?}: {result:?}");
                sim.enter(to, now);
            } else {
                prop_assert!(refused(&result), "{step:?} from {sim:?}: {result:?}");
            }
        }
        Step::Block(blocked) => {
            let event = store
                .set_blocked(workspace, contact, blocked)
                .await
                .unwrap();
            prop_assert_eq!(
                event.is_some(),
                sim.blocked != blocked,
                "set_blocked's event"
            );
            if blocked && !sim.blocked && sim.status == ConversationStatus::Snoozed {
                sim.status = ConversationStatus::Open;
                sim.status_since = None;
            }
            sim.blocked = blocked;
        }
    }
    Ok(())
}

/// Creates a contact, takes its conversation's steps, and checks the stored row against the
/// simulation.
async fn conversation_of(
    store: &S,
    built: &Built,
    channels: (ChannelId, ChannelId),
    plan: &ContactPlan,
) -> Result<Row, TestCaseError> {
    let fields: Vec<(CustomFieldId, String)> = built
        .fields
        .iter()
        .zip(&plan.fields)
        .filter_map(|(field, value)| {
            let value = value.as_ref()?.get(pool(field.kind));
            Some((field.id, (*value).to_owned()))
        })
        .collect();
    let values: Vec<FieldValue> = fields
        .iter()
        .map(|(field, value)| FieldValue {
            field: *field,
            value: value.clone(),
        })
        .collect();
    let created = store
        .create_contact(NewContact {
            workspace: built.workspace,
            channel: if plan.by_email {
                channels.1
            } else {
                channels.0
            },
            first_name: &plan.first,
            last_name: &plan.last,
            email: plan.email.as_deref(),
            phone: plan.phone.as_deref(),
            fields: &values,
            created_at: at(plan.created),
        })
        .await
        .unwrap();
    let mut sim = Sim::new(at(plan.created));
    let mut minute = plan.created;
    for (gap, step) in &plan.steps {
        minute += gap;
        take_step(
            store,
            built,
            created.id,
            created.contact.id,
            &mut sim,
            *step,
            at(minute),
        )
        .await?;
    }
    let stored = store
        .conversation(built.workspace, created.id)
        .await
        .unwrap();
    let contact = &stored.contact;
    let agrees = stored.status == sim.status
        && sim.status_since.is_none_or(|t| t == stored.status_since)
        && contact.blocked == sim.blocked
        && stored.assignee.as_ref().map(Assignee::reference) == sim.assignee
        && stored.unread_count == sim.unread
        && stored.last_activity_at == sim.last_activity_at
        && stored.last_incoming_at == sim.last_incoming_at
        && stored.awaiting_reply == sim.awaiting_reply
        && (contact.first_name.as_str(), contact.last_name.as_str()) == (&plan.first, &plan.last)
        && (contact.email.as_ref(), contact.phone.as_ref())
            == (plan.email.as_ref(), plan.phone.as_ref());
    prop_assert!(
        agrees,
        "after {:?} the store has {stored:?}, the model {sim:?}",
        plan.steps
    );
    Ok(Row {
        id: stored.id.0,
        first: plan.first.clone(),
        last: plan.last.clone(),
        email: plan.email.clone(),
        phone: plan.phone.clone(),
        channel: if plan.by_email {
            ChannelKind::Email
        } else {
            ChannelKind::WebsiteChat
        },
        fields,
        status: sim.status,
        status_since: sim.status_since.unwrap_or(stored.status_since),
        blocked: sim.blocked,
        assignee: sim.assignee,
        unread: sim.unread,
        last_activity_at: sim.last_activity_at,
        last_incoming_at: sim.last_incoming_at,
        awaiting_reply: sim.awaiting_reply,
        stored,
    })
}

fn search_text(plan: &SearchPlan, contacts: &[ContactPlan]) -> String {
    match plan {
        SearchPlan::Name {
            contact,
            part,
            start,
            len,
            case,
        } => {
            let c = contact.get(contacts);
            let whole = match part {
                Part::First => c.first.clone(),
                Part::Last => c.last.clone(),
                Part::Email => c.email.clone().unwrap_or_default(),
                Part::Full => format!("{} {}", c.first, c.last),
            };
            case.apply(&piece(&whole, *start, *len))
        }
        SearchPlan::Phone {
            contact,
            start,
            len,
            formatted,
        } => {
            let phone = contact.get(contacts).phone.as_deref().unwrap_or("912555");
            let run = piece(&digits(phone), *start, *len);
            if *formatted && run.len() > 1 {
                format!("+{}-{}", &run[..1], &run[1..])
            } else {
                run
            }
        }
        SearchPlan::Text(text) => text.clone(),
    }
}

/// A condition as the server would pass it on: checked against the workspace's fields, values
/// trimmed, non-empty, and canonical for custom fields (except `contains`).
fn condition(plan: &ConditionPlan, built: &Built, contacts: &[ContactPlan]) -> FieldCondition {
    let custom = match plan.field {
        FieldPlan::Custom(i) if !built.fields.is_empty() => Some(i.get(&built.fields)),
        _ => None,
    };
    let field = match (plan.field, custom) {
        (_, Some(f)) => ContactField::Custom(f.id),
        (FieldPlan::Last, _) => ContactField::LastName,
        (FieldPlan::Email, _) => ContactField::Email,
        (FieldPlan::Phone, _) => ContactField::Phone,
        _ => ContactField::FirstName,
    };
    let ordered_kind =
        custom.is_some_and(|f| matches!(f.kind, FieldKind::Number | FieldKind::Date));
    let op = match plan.op {
        FieldOp::GreaterThan | FieldOp::LessThan if !ordered_kind => FieldOp::Equals,
        op => op,
    };
    if matches!(op, FieldOp::IsSet | FieldOp::IsNotSet) {
        return FieldCondition {
            field,
            op,
            value: None,
        };
    }
    let contact = plan.source.get(contacts);
    let whole = match (plan.literal, field) {
        (Some(text), ContactField::Custom(_)) if op == FieldOp::Contains => text.to_owned(),
        (Some(text), ContactField::FirstName | ContactField::LastName | ContactField::Email) => {
            text.to_owned()
        }
        (_, ContactField::FirstName) => contact.first.clone(),
        (_, ContactField::LastName) => contact.last.clone(),
        (_, ContactField::Email) => contact.email.clone().unwrap_or_default(),
        (_, ContactField::Phone) => contact.phone.clone().unwrap_or_else(|| "555".into()),
        (_, ContactField::Custom(_)) => {
            let kind = custom.map(|f| f.kind).unwrap_or(FieldKind::List);
            (*plan.source.get(pool(kind))).to_owned()
        }
    };
    let mut value = match (op, field) {
        (FieldOp::Contains, ContactField::Phone) => piece(&digits(&whole), plan.start, plan.len),
        (FieldOp::Contains, _) => plan.case.apply(&piece(&whole, plan.start, plan.len)),
        _ => plan.case.apply(&whole),
    };
    value = value.trim().to_owned();
    if let Some(f) = custom.filter(|_| op != FieldOp::Contains) {
        value = match contacts::field_value(f, &value) {
            Ok(Some(canonical)) => canonical,
            _ => (*plan.source.get(pool(f.kind))).to_owned(),
        };
    }
    if field == ContactField::Phone && digits(&value).is_empty() {
        value = "555".into();
    }
    if value.is_empty() {
        value = "a".into();
    }
    FieldCondition {
        field,
        op,
        value: Some(value),
    }
}

fn folder(plan: &FolderPlan, built: &Built, contacts: &[ContactPlan]) -> FolderSpec {
    match plan {
        FolderPlan::All => FolderSpec::All,
        FolderPlan::Mine => FolderSpec::Mine,
        FolderPlan::Unassigned => FolderSpec::Unassigned,
        FolderPlan::Blocked => FolderSpec::Blocked,
        FolderPlan::Team(i) => FolderSpec::Team(*i.get(&built.teams)),
        FolderPlan::Custom(f) => FolderSpec::Custom(InboxFilter {
            channels: f.channels.clone(),
            statuses: f.statuses.clone(),
            assignee: f.assignee.map(|a| match a {
                AssigneePlan::Unassigned => AssigneeCondition::Unassigned,
                AssigneePlan::Me => AssigneeCondition::Me,
                AssigneePlan::Member(i) => AssigneeCondition::User {
                    id: *i.get(&built.members),
                },
                AssigneePlan::Team(i) => AssigneeCondition::Team {
                    id: *i.get(&built.teams),
                },
                AssigneePlan::Ai => AssigneeCondition::AiAgent,
            }),
            contact: f
                .contact
                .iter()
                .map(|c| condition(c, built, contacts))
                .collect(),
            last_incoming: f.last_incoming.map(|(within, minutes)| {
                if within {
                    AgeCondition::WithinMinutes { minutes }
                } else {
                    AgeCondition::OlderThanMinutes { minutes }
                }
            }),
        }),
    }
}

/// Walks every page of one query and counts it; both must match the model.
async fn check_query(
    store: &S,
    model: &Model,
    built: &Built,
    viewer: &Viewer,
    spec: &InboxSpec,
    page_size: u32,
    stats: &Stats,
) -> CaseResult {
    let want: Vec<&Row> = model.list(viewer, spec);
    let want_ids: Vec<i64> = want.iter().map(|r| r.id).collect();
    let explain = |got: &[i64]| {
        let mut lines = format!(
            "\nquery {spec:?}\nviewer {:?}, page size {page_size}\nwant {want_ids:?}\ngot  {got:?}\nrows:",
            viewer.permissions
        );
        for row in &model.rows {
            lines.push_str("\n  ");
            lines.push_str(&row.describe());
        }
        lines
    };
    let mut got: Vec<i64> = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = store
            .inbox(
                built.workspace,
                viewer,
                spec,
                PageRequest {
                    after,
                    limit: page_size,
                },
            )
            .await
            .unwrap();
        stats.pages.fetch_add(1, Ordering::Relaxed);
        pages += 1;
        let ids: Vec<i64> = page.items.iter().map(|c| c.id.0).collect();
        let expected: Vec<i64> = want_ids
            .iter()
            .skip(got.len())
            .take(page_size as usize)
            .copied()
            .collect();
        got.extend(&ids);
        prop_assert!(
            ids == expected,
            "page {pages} differs from the model's slice {expected:?}{}",
            explain(&got)
        );
        for item in &page.items {
            let row = model.rows.iter().find(|r| r.id == item.id.0).unwrap();
            prop_assert_eq!(
                item,
                &row.stored,
                "a list row differs from the conversation"
            );
        }
        match page.next_cursor {
            None => break,
            Some(cursor) => {
                prop_assert!(
                    got.len() < want_ids.len(),
                    "a next page after the whole list{}",
                    explain(&got)
                );
                after = Some(ActivityCursor::decode(&cursor).unwrap());
            }
        }
    }
    prop_assert!(got == want_ids, "the list ended early{}", explain(&got));
    let unique: HashSet<i64> = got.iter().copied().collect();
    prop_assert_eq!(unique.len(), got.len(), "a conversation listed twice");
    let count = store.count(built.workspace, viewer, spec).await.unwrap();
    let expected = model.count(viewer, spec);
    prop_assert!(
        count == expected,
        "count {count:?}, the model's {expected:?}{}",
        explain(&got)
    );
    stats.queries.fetch_add(1, Ordering::Relaxed);
    stats.rows.fetch_add(got.len() as u64, Ordering::Relaxed);
    if !got.is_empty() {
        stats.nonempty.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

async fn run_case(store: &S, plan: &WorkspacePlan, stats: &Stats) -> CaseResult {
    let n = NEXT_CASE.fetch_add(1, Ordering::Relaxed);
    stats.cases.fetch_add(1, Ordering::Relaxed);
    let (built, website, mail) = build(store, plan, n).await;
    let mut rows = Vec::new();
    for contact in &plan.contacts {
        rows.push(conversation_of(store, &built, (website, mail), contact).await?);
    }
    let model = Model {
        rows,
        fields: built.fields.clone(),
    };
    let viewer_id = built.viewer();
    let mut permissions = None;
    let mut viewer = None;
    for query in &plan.queries {
        // The server opens the Blocked folder only for members who may view blocked contacts.
        let wanted = Permissions {
            view_blocked: query.permissions.view_blocked
                || matches!(query.folder, FolderPlan::Blocked),
            ..query.permissions
        };
        if permissions != Some(wanted) {
            store
                .update_member(
                    built.workspace,
                    viewer_id,
                    &MemberPatch {
                        role: None,
                        permissions: Some(wanted),
                    },
                )
                .await
                .unwrap();
            viewer = store.viewer(built.workspace, viewer_id).await.unwrap();
            permissions = Some(wanted);
        }
        let viewer = viewer.as_ref().unwrap();
        let spec = InboxSpec {
            folder: folder(&query.folder, &built, &plan.contacts),
            status: query.status,
            sort: query.sort,
            search: query
                .search
                .as_ref()
                .map(|s| search_text(s, &plan.contacts)),
            unreplied_since: query.unreplied.map(at),
            now: at(query.now),
        };
        check_query(store, &model, &built, viewer, &spec, query.page_size, stats).await?;
    }
    Ok(())
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Random workspaces, each built through the store; every list query of them, walked page by
/// page, and its counts equal the reference model's.
pub async fn inbox_lists_match_the_reference_model(store: Arc<dyn Store>) {
    let config = Config {
        cases: setting("SWITCHBOARD_REFERENCE_CASES", u64::from(CASES)) as u32,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(setting("SWITCHBOARD_REFERENCE_SEED", SEED)),
        fork: false,
        timeout: 0,
        max_shrink_iters: 400,
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let stats = Stats::default();
    let started = std::time::Instant::now();
    let handle = tokio::runtime::Handle::current();
    let result = tokio::task::block_in_place(|| {
        runner
            .run(&workspace_plan(), |plan| {
                handle.block_on(run_case(&store, &plan, &stats))
            })
            .map_err(|error| error.to_string())
    });
    eprintln!(
        "reference model: {} workspaces, {} queries ({} not empty), {} pages, {} rows in {:.1?}",
        stats.cases.load(Ordering::Relaxed),
        stats.queries.load(Ordering::Relaxed),
        stats.nonempty.load(Ordering::Relaxed),
        stats.pages.load(Ordering::Relaxed),
        stats.rows.load(Ordering::Relaxed),
        started.elapsed()
    );
    if let Err(error) = result {
        panic!("{error}");
    }
}

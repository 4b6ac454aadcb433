//! The composer's pickers and send-time filling: `@` mentions (K7) and `$` variables (K6).
//!
//! A variable is written `{{first_name}}`, or `{{first_name|there}}` with a fallback; at send
//! time each is replaced by the contact's (or agent's, or workspace's) value, else by its
//! fallback; one with neither stops the send with a message naming it.

use crate::tr;
use switchboard_protocol::UserId;

/// The variables `$` offers, by key.
pub const VARIABLES: [&str; 6] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "agent_name",
    "workspace_name",
];

/// A variable's name as the picker and the errors show it ("Contact's first name"); the key
/// itself for one that is not offered.
pub fn variable_label(key: &str) -> String {
    match key {
        "first_name" => tr!("composer-variable-first-name"),
        "last_name" => tr!("composer-variable-last-name"),
        "email" => tr!("composer-variable-email"),
        "phone" => tr!("composer-variable-phone"),
        "agent_name" => tr!("composer-variable-agent-name"),
        "workspace_name" => tr!("composer-variable-workspace-name"),
        other => other.to_owned(),
    }
}

/// The values variables take for one conversation (empty when unknown or hidden: a masked
/// phone number is never in the app).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Values {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub agent_name: String,
    pub workspace_name: String,
}

impl Values {
    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "first_name" => &self.first_name,
            "last_name" => &self.last_name,
            "email" => &self.email,
            "phone" => &self.phone,
            "agent_name" => &self.agent_name,
            "workspace_name" => &self.workspace_name,
            _ => return None,
        })
    }
}

/// Why a text cannot be sent as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FillError {
    Missing { key: String, label: String },
    Unknown(String),
}

impl std::fmt::Display for FillError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            FillError::Missing { key, label } => {
                tr!("composer-variable-missing", label = label, key = key)
            }
            FillError::Unknown(key) => tr!("composer-variable-unknown", key = key),
        })
    }
}

impl std::error::Error for FillError {}

/// Replaces every `{{key}}` / `{{key|fallback}}`; text without variables is returned as is.
pub fn fill(text: &str, values: &Values) -> Result<String, FillError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..start + 2 + len];
        let (key, fallback) = match inner.split_once('|') {
            Some((k, f)) => (k.trim(), Some(f.trim())),
            None => (inner.trim(), None),
        };
        let value = values
            .get(key)
            .ok_or_else(|| FillError::Unknown(key.to_owned()))?
            .trim();
        match (value.is_empty(), fallback) {
            (false, _) => out.push_str(value),
            (true, Some(fallback)) => out.push_str(fallback),
            (true, None) => {
                return Err(FillError::Missing {
                    key: key.to_owned(),
                    label: variable_label(key),
                });
            }
        }
        rest = &rest[start + 2 + len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// What the text just before the caret asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// `@` and what follows it: a mention of a member.
    Mention { at: usize, filter: String },
    /// `$` and what follows it: a variable.
    Variable { at: usize, filter: String },
    /// `/` and what follows it: a snippet (K5).
    Snippet { at: usize, filter: String },
}

impl Trigger {
    /// Where the trigger's sign is.
    pub fn at(&self) -> usize {
        match self {
            Trigger::Mention { at, .. }
            | Trigger::Variable { at, .. }
            | Trigger::Snippet { at, .. } => *at,
        }
    }
}

/// The trigger ending at byte `caret` of `text`, if any: `@` or `$` at the start or after
/// whitespace, followed by letters, digits or `_` only; or `/` there, followed by those
/// and `-` (snippet names are like "refund-policy").
pub fn trigger(text: &str, caret: usize) -> Option<Trigger> {
    let before = text.get(..caret)?;
    let sign_at = |also_dash: bool| {
        let (at, sign) = before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || (also_dash && *c == '-')))?;
        let preceded_ok = before[..at]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        preceded_ok.then(|| (at, sign, before[at + sign.len_utf8()..].to_owned()))
    };
    match sign_at(false) {
        Some((at, '@', filter)) => return Some(Trigger::Mention { at, filter }),
        Some((at, '$', filter)) => return Some(Trigger::Variable { at, filter }),
        _ => {}
    }
    match sign_at(true) {
        Some((at, '/', filter)) => Some(Trigger::Snippet { at, filter }),
        _ => None,
    }
}

/// `text` with the trigger from byte `at` to `caret` replaced by `insert`; the new caret.
pub fn replace_trigger(text: &str, at: usize, caret: usize, insert: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..at]);
    out.push_str(insert);
    let caret_after = out.len();
    out.push_str(&text[caret..]);
    (out, caret_after)
}

/// Members picked for a mention whose `@Name` is still in the text.
pub fn mentioned(text: &str, picked: &[(UserId, String)]) -> Vec<UserId> {
    let mut ids: Vec<UserId> = picked
        .iter()
        .filter(|(_, name)| text.contains(&format!("@{name}")))
        .map(|(id, _)| *id)
        .collect();
    ids.sort_by_key(|id| id.0);
    ids.dedup();
    ids
}

/// Case-insensitive word-start match, for the pickers' filters: every word typed starts a
/// word of the label ("search ev" finds "Search everything"; "first_n" finds "first_name").
pub fn matches_filter(label: &str, filter: &str) -> bool {
    let label = crate::text::lower(label);
    let filter = crate::text::lower(filter);
    let words: Vec<&str> = label.split(|c: char| !c.is_alphanumeric()).collect();
    filter
        .split_whitespace()
        .all(|f| words.iter().any(|w| w.starts_with(f)) || label.starts_with(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn olivia() -> Values {
        Values {
            first_name: "Olivia".into(),
            last_name: "Bennett".into(),
            email: String::new(),
            phone: String::new(),
            agent_name: "Anna Petrova".into(),
            workspace_name: "Northwind Coffee".into(),
        }
    }

    #[test]
    fn variables_take_values_or_fallbacks() {
        assert_eq!(
            fill(
                "Hi {{first_name}}, {{agent_name}} of {{ workspace_name }} here.",
                &olivia()
            ),
            Ok("Hi Olivia, Anna Petrova of Northwind Coffee here.".into())
        );
        assert_eq!(
            fill("Write to {{email|our support address}}", &olivia()),
            Ok("Write to our support address".into())
        );
        assert_eq!(
            fill("No variables {here}", &olivia()),
            Ok("No variables {here}".into())
        );
        assert_eq!(
            fill("Unclosed {{first_name", &olivia()),
            Ok("Unclosed {{first_name".into())
        );
    }

    #[test]
    fn a_missing_value_without_fallback_stops_the_send() {
        let error = fill("Call {{phone}}", &olivia()).unwrap_err();
        assert_eq!(
            error,
            FillError::Missing {
                key: "phone".into(),
                label: "Contact's phone".into()
            }
        );
        assert_eq!(
            error.to_string(),
            "Contact's phone is empty for this contact: write it yourself or give a fallback, like {{phone|there}}."
        );
        assert_eq!(
            fill("{{password}}", &olivia()),
            Err(FillError::Unknown("password".into()))
        );
    }

    #[test]
    fn variables_and_their_errors_read_in_russian() {
        use crate::i18n::{Lang, set_lang};
        set_lang(Lang::Ru);
        let label = variable_label("first_name");
        let error = fill("Call {{phone}}", &olivia()).unwrap_err().to_string();
        let unknown = FillError::Unknown("password".into()).to_string();
        set_lang(Lang::En);
        assert_eq!(label, "Имя контакта");
        assert_eq!(
            error,
            "У этого контакта не заполнено «Телефон контакта»: впишите значение сами или задайте запасное, например {{phone|текст}}."
        );
        assert_eq!(unknown, "Переменной {{password}} нет.");
        assert_eq!(
            FillError::Unknown("password".into()).to_string(),
            "{{password}} is not a variable."
        );
    }

    #[test]
    fn triggers_are_found_before_the_caret() {
        let text = "Thanks @an";
        assert_eq!(
            trigger(text, text.len()),
            Some(Trigger::Mention {
                at: 7,
                filter: "an".into()
            })
        );
        assert_eq!(
            trigger("$", 1),
            Some(Trigger::Variable {
                at: 0,
                filter: String::new()
            })
        );
        assert_eq!(trigger("mail@host", 9), None, "not after a letter");
        assert_eq!(trigger("costs 5$", 8), None);
        assert_eq!(trigger("@an more", 8), None, "a space ended it");
        assert_eq!(
            trigger("Привет @Бор", "Привет @Бор".len()),
            Some(Trigger::Mention {
                at: 13,
                filter: "Бор".into()
            })
        );
    }

    #[test]
    fn a_slash_opens_snippets_only_where_a_word_starts() {
        let snippet = |at: usize, filter: &str| {
            Some(Trigger::Snippet {
                at,
                filter: filter.to_owned(),
            })
        };
        assert_eq!(trigger("/", 1), snippet(0, ""));
        assert_eq!(trigger("/refund-po", 10), snippet(0, "refund-po"));
        assert_eq!(trigger("Hi!\n/gr", 7), snippet(4, "gr"));
        assert_eq!(trigger("see /ship", 9), snippet(4, "ship"));
        assert_eq!(
            trigger("https://example.com/a", 21),
            None,
            "not inside a link"
        );
        assert_eq!(trigger("and/or", 6), None, "not after a letter");
        assert_eq!(trigger("/ship now", 9), None, "a space ended it");
        assert_eq!(trigger("@bo-x", 5), None, "a mention still ends at a dash");
        assert_eq!(trigger("/x", 2).map(|t| t.at()), Some(0));
    }

    #[test]
    fn choosing_replaces_the_trigger_and_mentions_follow_the_text() {
        let (text, caret) = replace_trigger("Ask @bo please", 4, 7, "@Boris Kim ");
        assert_eq!(text, "Ask @Boris Kim  please");
        assert_eq!(caret, 15);
        let picked = vec![
            (UserId(2), "Boris Kim".into()),
            (UserId(3), "Maria Lopez".into()),
        ];
        assert_eq!(mentioned(&text, &picked), vec![UserId(2)]);
        assert!(
            mentioned("Ask him", &picked).is_empty(),
            "a deleted mention is not sent"
        );
    }

    #[test]
    fn filters_match_word_starts() {
        assert!(matches_filter("Maria Lopez", "lo"));
        assert!(matches_filter("Contact's first name", "first"));
        assert!(matches_filter("first_name", "first_n"));
        assert!(!matches_filter("Maria Lopez", "z"));
        assert!(matches_filter("Search everything", "search ev"));
        assert!(!matches_filter("Search everything", "search z"));
        assert!(matches_filter("Anything", ""));
    }
}

//! What the AI provider is shown of a conversation: its messages and comments in order, each
//! with who wrote it, phone numbers and e-mail addresses taken out (they never go to the
//! provider), cut into parts small enough to summarise one at a time.

use chrono::{DateTime, Utc};
use switchboard_protocol::*;

/// The most characters of transcript one request carries.
pub const PART_CHARS: usize = 12_000;

/// A transcript line per message, oldest first.
pub fn lines(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| {
            let text = redact(&message_text(&m.content));
            if text.trim().is_empty() {
                return None;
            }
            let who = match (m.kind, m.direction) {
                (MessageKind::Comment, _) => format!("Internal comment by {}", m.sender.name),
                (_, Direction::Incoming) => format!("Contact ({})", m.sender.name),
                (_, Direction::Outgoing) => format!("Agent ({})", m.sender.name),
            };
            Some(format!("[{}] {who}: {}", stamp(m.created_at), text.trim()))
        })
        .collect()
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The words of a message as the provider should read them.
pub fn message_text(content: &Content) -> String {
    match content {
        Content::Text { text } => text.clone(),
        Content::Image { caption, .. } => {
            format!("[image] {}", caption.as_deref().unwrap_or_default())
        }
        Content::Email { subject, text, .. } => format!("Subject: {subject}\n{text}"),
        Content::Template { text, .. } => text.clone(),
        other => format!("[{}]", other.preview_text()),
    }
}

/// Lines grouped into parts of at most [`PART_CHARS`] (a longer line is cut).
pub fn parts(lines: &[String]) -> Vec<String> {
    let mut parts = vec![String::new()];
    for line in lines {
        let line: String = line.chars().take(PART_CHARS).collect();
        let last = parts.last_mut().expect("one part at least");
        if !last.is_empty() && last.chars().count() + line.chars().count() + 1 > PART_CHARS {
            parts.push(line);
        } else {
            if !last.is_empty() {
                last.push('\n');
            }
            last.push_str(&line);
        }
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// The text with e-mail addresses replaced by `[e-mail]` and phone numbers (7 or more digits,
/// with spaces, dots, dashes, parentheses and a leading `+`) by `[phone]`.
pub fn redact(text: &str) -> String {
    let words: Vec<String> = text
        .split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            let core = trimmed.trim_matches(|c: char| "<>()[],;:!?.\"'".contains(c));
            if is_email(core) {
                word.replacen(core, "[e-mail]", 1)
            } else {
                word.to_owned()
            }
        })
        .collect();
    redact_phones(&words.concat())
}

fn is_email(word: &str) -> bool {
    let Some((local, domain)) = word.split_once('@') else {
        return false;
    };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

/// Whether a run of digits reads as a date (12.03.2026, 2026-03-12, 1/2/2026) rather than
/// a phone number.
fn is_date(run: &str) -> bool {
    let separators: Vec<char> = run.chars().filter(|c| !c.is_ascii_digit()).collect();
    let groups: Vec<usize> = run
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .collect();
    let one_kind = separators.len() == 2
        && separators[0] == separators[1]
        && matches!(separators[0], '.' | '-' | '/');
    one_kind
        && matches!(
            groups.as_slice(),
            [1 | 2, 1 | 2, 4] | [4, 1 | 2, 1 | 2] | [1 | 2, 1 | 2, 2]
        )
}

/// Replaces runs that read as phone numbers.
fn redact_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (chars[i] == '+' || chars[i] == '(')
                && chars
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '(');
        let after_letter = i > 0 && chars[i - 1].is_alphanumeric();
        if starts && !after_letter {
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() {
                let c = chars[j];
                if c.is_ascii_digit() {
                    digits += 1;
                } else if !(c == ' '
                    || c == '-'
                    || c == '.'
                    || c == '('
                    || c == ')'
                    || (c == '+' && j == i))
                {
                    break;
                }
                j += 1;
            }
            // Trailing separators are not part of the number.
            while j > i && !chars[j - 1].is_ascii_digit() && chars[j - 1] != ')' {
                j -= 1;
            }
            let glued_to_letter = chars.get(j).is_some_and(|c| c.is_alphabetic());
            let run: String = chars[i..j].iter().collect();
            if digits >= 7 && !glued_to_letter && !is_date(&run) {
                out.push_str("[phone]");
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_addresses_never_reach_the_provider() {
        assert_eq!(
            redact("Call me at +1 (415) 555-0132 or write to olivia.bennett@example.com!"),
            "Call me at [phone] or write to [e-mail]!"
        );
        assert_eq!(redact("Мой номер 8 916 123-45-67."), "Мой номер [phone].");
        assert_eq!(redact("<anna@northwind.example>"), "<[e-mail]>");
        // Order numbers, prices, dates and times stay.
        assert_eq!(
            redact("Order 5110 of 12.03.2026 at 14:05 costs 24.90 €"),
            "Order 5110 of 12.03.2026 at 14:05 costs 24.90 €"
        );
        assert_eq!(redact("no@tld and @handle"), "no@tld and @handle");
        assert_eq!(
            redact("Since 2026-03-12, tel. 123-456-7890"),
            "Since 2026-03-12, tel. [phone]"
        );
    }

    #[test]
    fn long_transcripts_are_cut_into_parts_at_line_ends() {
        let line = "x".repeat(5_000);
        let lines = vec![line.clone(), line.clone(), line.clone()];
        let parts = parts(&lines);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], format!("{line}\n{line}"));
        assert_eq!(parts[1], line);
        let huge = vec!["y".repeat(PART_CHARS * 2)];
        assert_eq!(super::parts(&huge)[0].chars().count(), PART_CHARS);
        assert!(super::parts(&[]).is_empty());
    }
}

//! Rules both sides check: the app before sending, the server before storing.

use serde::{Deserialize, Serialize};

/// The longest message or comment, in characters (Unicode scalar values).
///
/// 4096 is the smallest limit among the channels Switchboard speaks (Telegram's and
/// WhatsApp's text messages), so a message that passes here can go out on any of them.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// The longest `client_id` a sender may attach to a send.
pub const MAX_CLIENT_ID_CHARS: usize = 64;

/// Why a message text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageTextError {
    Empty,
    TooLong {
        chars: usize,
    },
    /// Invisible control characters (NUL and the like); line breaks and tabs are fine.
    ControlCharacter,
}

impl std::fmt::Display for MessageTextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MessageTextError::Empty => f.write_str("The message is empty."),
            MessageTextError::TooLong { chars } => write!(
                f,
                "The message is {chars} characters long; the limit is {MAX_MESSAGE_CHARS}."
            ),
            MessageTextError::ControlCharacter => {
                f.write_str("The message contains invisible control characters.")
            }
        }
    }
}

/// Checks a message text and returns it without surrounding blank lines and spaces.
pub fn message_text(text: &str) -> Result<&str, MessageTextError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(MessageTextError::Empty);
    }
    let chars = trimmed.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(MessageTextError::TooLong { chars });
    }
    if has_control(trimmed, true) {
        return Err(MessageTextError::ControlCharacter);
    }
    Ok(trimmed)
}

/// Whether `text` holds control characters (NUL, escape, …); line breaks and tabs count only
/// when `multiline` is false.
pub fn has_control(text: &str, multiline: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

/// A `client_id` is 1–64 characters of ASCII letters, digits, `-` and `_` (a UUID fits).
pub fn client_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_CLIENT_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_text_is_trimmed_and_bounded() {
        assert_eq!(message_text("  hi \n"), Ok("hi"));
        assert_eq!(message_text(""), Err(MessageTextError::Empty));
        assert_eq!(message_text(" \n\t "), Err(MessageTextError::Empty));
        let at_limit = "я".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(message_text(&at_limit), Ok(at_limit.as_str()));
        let over = "я".repeat(MAX_MESSAGE_CHARS + 1);
        assert_eq!(
            message_text(&over),
            Err(MessageTextError::TooLong {
                chars: MAX_MESSAGE_CHARS + 1
            })
        );
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_are_text() {
        assert_eq!(
            message_text("a\u{0}b"),
            Err(MessageTextError::ControlCharacter)
        );
        assert_eq!(
            message_text("a\u{1b}[31mb"),
            Err(MessageTextError::ControlCharacter)
        );
        assert_eq!(
            message_text("line one\n\tline two"),
            Ok("line one\n\tline two")
        );
        assert!(has_control("tab\there", false));
        assert!(!has_control("tab\there", true));
    }

    #[test]
    fn limit_counts_characters_not_bytes() {
        // 4096 Cyrillic letters are 8192 bytes and still allowed.
        let text = "ж".repeat(MAX_MESSAGE_CHARS);
        assert!(text.len() > MAX_MESSAGE_CHARS);
        assert!(message_text(&text).is_ok());
    }

    #[test]
    fn client_ids_are_short_and_plain() {
        assert!(client_id("0b7c2a8e-6f1d-4c49-9a53-3f0a1c2b9d10"));
        assert!(client_id("a_1"));
        assert!(!client_id(""));
        assert!(!client_id("has space"));
        assert!(!client_id("<script>"));
        assert!(!client_id(&"a".repeat(MAX_CLIENT_ID_CHARS + 1)));
    }
}

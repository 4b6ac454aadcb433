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

/// The largest file a message may carry (K3): 20 MB.
pub const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

/// The most files one message may carry (K3).
pub const MAX_ATTACHMENTS: usize = 50;

/// The file types a message may carry (K3), by extension, with the type they are served as.
pub const ATTACHMENT_TYPES: &[(&str, &str)] = &[
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("bmp", "image/bmp"),
    ("png", "image/png"),
    ("txt", "text/plain"),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("csv", "text/csv"),
    ("ppt", "application/vnd.ms-powerpoint"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("mp3", "audio/mpeg"),
    ("mp4", "video/mp4"),
    // Voice messages recorded in the composer (K4).
    ("m4a", "audio/mp4"),
    ("mov", "video/quicktime"),
    ("wav", "audio/wav"),
    ("mpg", "video/mpeg"),
    ("mpeg", "video/mpeg"),
    ("zip", "application/zip"),
    ("tar", "application/x-tar"),
    ("tgz", "application/gzip"),
    ("gz", "application/gzip"),
    ("pdf", "application/pdf"),
    ("log", "text/plain"),
    ("xml", "application/xml"),
];

/// The longest file name, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// Why a file cannot be sent; the message names the file and the rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum AttachmentError {
    /// Not one of the allowed types.
    Type {
        name: String,
    },
    TooBig {
        name: String,
        size: u64,
    },
    Empty {
        name: String,
    },
    /// No name, a name with a path or control characters, or longer than 200 characters.
    Name {
        name: String,
    },
    TooMany {
        count: usize,
    },
}

impl std::fmt::Display for AttachmentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttachmentError::Type { name } => {
                let kinds: Vec<String> = ATTACHMENT_TYPES
                    .iter()
                    .map(|(ext, _)| ext.to_ascii_uppercase())
                    .collect();
                write!(
                    f,
                    "\"{name}\" cannot be sent: files must be {}.",
                    kinds.join(", ")
                )
            }
            AttachmentError::TooBig { name, size } => write!(
                f,
                "\"{name}\" is {:.1} MB; a file may be at most {} MB.",
                *size as f64 / (1024.0 * 1024.0),
                MAX_ATTACHMENT_BYTES / (1024 * 1024)
            ),
            AttachmentError::Empty { name } => write!(f, "\"{name}\" is empty."),
            AttachmentError::Name { name } => write!(
                f,
                "\"{name}\" is not a usable file name (at most {MAX_FILE_NAME_CHARS} characters, no folders)."
            ),
            AttachmentError::TooMany { count } => write!(
                f,
                "A message may carry at most {MAX_ATTACHMENTS} files; this one would have {count}."
            ),
        }
    }
}

/// The type a file of this name is served as, if its extension is allowed (case ignored).
pub fn attachment_type(name: &str) -> Option<&'static str> {
    let (_, extension) = name.rsplit_once('.')?;
    ATTACHMENT_TYPES
        .iter()
        .find(|(ext, _)| ext.eq_ignore_ascii_case(extension))
        .map(|(_, content_type)| *content_type)
}

/// Checks one file by name and size; returns its content type.
pub fn attachment(name: &str, size: u64) -> Result<&'static str, AttachmentError> {
    let owned = || name.to_owned();
    if name.trim().is_empty()
        || name.chars().count() > MAX_FILE_NAME_CHARS
        || name.contains(['/', '\\'])
        || has_control(name, false)
    {
        return Err(AttachmentError::Name { name: owned() });
    }
    let content_type =
        attachment_type(name).ok_or_else(|| AttachmentError::Type { name: owned() })?;
    if size == 0 {
        return Err(AttachmentError::Empty { name: owned() });
    }
    if size > MAX_ATTACHMENT_BYTES {
        return Err(AttachmentError::TooBig {
            name: owned(),
            size,
        });
    }
    Ok(content_type)
}

/// Checks how many files one message carries.
pub fn attachment_count(count: usize) -> Result<(), AttachmentError> {
    if count > MAX_ATTACHMENTS {
        return Err(AttachmentError::TooMany { count });
    }
    Ok(())
}

#[cfg(test)]
mod attachment_rules {
    use super::*;

    #[test]
    fn allowed_files_pass_with_their_type() {
        assert_eq!(attachment("invoice.PDF", 1), Ok("application/pdf"));
        assert_eq!(
            attachment("photo.jpeg", MAX_ATTACHMENT_BYTES),
            Ok("image/jpeg")
        );
        assert_eq!(attachment("backup.tar.gz", 10), Ok("application/gzip"));
        assert_eq!(attachment("Счёт №5.xlsx", 10).map(|_| ()), Ok(()));
    }

    #[test]
    fn each_rule_names_the_file() {
        let exe = attachment("setup.exe", 10).unwrap_err();
        assert_eq!(
            exe,
            AttachmentError::Type {
                name: "setup.exe".into()
            }
        );
        let text = exe.to_string();
        assert!(
            text.starts_with("\"setup.exe\" cannot be sent: files must be JPG, JPEG"),
            "{text}"
        );
        assert!(text.ends_with("LOG, XML."), "{text}");
        for no_type in ["README", "archive.", ".png.exe", "x.svg", "x.html"] {
            assert!(
                matches!(attachment(no_type, 1), Err(AttachmentError::Type { .. })),
                "{no_type}"
            );
        }
        let big = attachment("film.mp4", 25 * 1024 * 1024).unwrap_err();
        assert_eq!(
            big.to_string(),
            "\"film.mp4\" is 25.0 MB; a file may be at most 20 MB."
        );
        assert_eq!(
            attachment("x.png", MAX_ATTACHMENT_BYTES + 1),
            Err(AttachmentError::TooBig {
                name: "x.png".into(),
                size: MAX_ATTACHMENT_BYTES + 1
            })
        );
        assert_eq!(
            attachment("x.png", 0),
            Err(AttachmentError::Empty {
                name: "x.png".into()
            })
        );
        for bad in [
            "",
            "  ",
            "../etc/passwd.txt",
            "a\\b.txt",
            "a\nb.txt",
            &"x".repeat(201),
        ] {
            assert!(
                matches!(attachment(bad, 1), Err(AttachmentError::Name { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(attachment_count(MAX_ATTACHMENTS), Ok(()));
        assert_eq!(
            attachment_count(60).unwrap_err().to_string(),
            "A message may carry at most 50 files; this one would have 60."
        );
    }
}

//! E-mails in the thread (C9): the new text of a message apart from the history it quotes,
//! which the view collapses ("On Mon, Olga wrote:" and the `>` lines after it, or a
//! forwarded/original-message block) — and the subject an answer starts with.

use switchboard_protocol::Content;

/// The subject an e-mail answer starts with (C9): "Re: " and the thread's newest subject
/// (never "Re: Re: "), or nothing when the thread has none. `newest_first`: the thread's
/// contents, newest first.
pub fn reply_subject<'a>(newest_first: impl IntoIterator<Item = &'a Content>) -> String {
    let subject = newest_first.into_iter().find_map(|content| match content {
        Content::Email { subject, .. } if !subject.trim().is_empty() => Some(subject.trim()),
        _ => None,
    });
    match subject {
        Some(s) if s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("re:")) => s.to_owned(),
        Some(s) => format!("Re: {s}"),
        None => String::new(),
    }
}

/// How the server marks a remote image's `src` in an e-mail's sanitized HTML: no browser
/// loads it, and the server fetches the picture when the agent asks.
const REMOTE_IMAGE: &str = "src=\"remote-image:";

/// Whether an e-mail's HTML holds remote images the server can fetch on request.
pub fn has_remote_images(html: &str) -> bool {
    html.contains(REMOTE_IMAGE)
}

/// The HTML as the frame shows it before the agent asks for images: marked images keep no
/// `src` at all, so the browser does not even try (and report) an address it must not load.
pub fn hold_back_images(html: &str) -> String {
    html.replace(REMOTE_IMAGE, "data-remote-image=\"")
}

/// An e-mail's text split for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailText {
    /// What the sender wrote this time.
    pub fresh: String,
    /// The earlier messages it quotes, if any.
    pub quoted: Option<String>,
}

/// Whether a line opens quoted history: an attribution line ("On … wrote:", "… написал:"),
/// an "Original Message" separator, or the first of the `>` lines.
fn opens_history(line: &str, next: Option<&str>) -> bool {
    let line = line.trim();
    let lower = crate::text::lower(line);
    let attribution = (lower.starts_with("on ") && lower.ends_with("wrote:"))
        || lower.ends_with("написал:")
        || lower.ends_with("написала:")
        || (lower.starts_with("am ") && lower.ends_with("schrieb:"))
        || (lower.starts_with("le ") && lower.ends_with("a écrit :"));
    let separator = lower.starts_with("-----original message")
        || lower.starts_with("----- original message")
        || lower.starts_with("-----исходное сообщение")
        || lower.starts_with("---------- forwarded message");
    let quote_starts = line.starts_with('>')
        && next.is_none_or(|n| n.trim().starts_with('>') || n.trim().is_empty());
    attribution || separator || quote_starts
}

/// Splits an e-mail's text at its quoted history (the first opening line followed only by
/// quoted or blank lines, or a separator); text with nothing quoted is all fresh.
pub fn split(text: &str) -> EmailText {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if !opens_history(line, lines.get(i + 1).copied()) {
            continue;
        }
        let fresh = lines[..i].join("\n").trim_end().to_owned();
        let quoted = lines[i..].join("\n").trim().to_owned();
        if fresh.is_empty() {
            // A message that is only a quote shows it.
            break;
        }
        return EmailText {
            fresh,
            quoted: Some(quoted),
        };
    }
    EmailText {
        fresh: text.trim_end().to_owned(),
        quoted: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(subject: &str) -> Content {
        Content::Email {
            subject: subject.into(),
            text: "x".into(),
            html: None,
            remote_images: false,
        }
    }

    #[test]
    fn remote_images_are_held_back_until_asked_for() {
        let html = "<p>src=&quot;remote-image:x&quot;</p><img src=\"remote-image:https%3A%2F%2Fa%2Ex\" alt=\"A\">";
        assert!(has_remote_images(html));
        let held = hold_back_images(html);
        assert_eq!(
            held,
            "<p>src=&quot;remote-image:x&quot;</p><img data-remote-image=\"https%3A%2F%2Fa%2Ex\" alt=\"A\">"
        );
        assert!(!has_remote_images(&held));
        assert!(!has_remote_images("<p>Plain</p>"));
    }

    #[test]
    fn answers_start_with_the_newest_subject_once() {
        let text = Content::Text { text: "hi".into() };
        let thread = [text.clone(), mail(""), mail("Order 42"), mail("Older")];
        assert_eq!(reply_subject(&thread), "Re: Order 42");
        assert_eq!(reply_subject(&[mail("RE: Order 42")]), "RE: Order 42");
        assert_eq!(
            reply_subject(&[text]),
            "",
            "a thread without e-mail has no subject"
        );
    }

    #[test]
    fn replies_keep_their_new_text_and_fold_the_quote() {
        let text = "Thanks, that works!\n\nOn Tue, 3 Mar 2026 at 10:00, Shop <help@shop.example> wrote:\n> Your order left today.\n> Regards";
        let split = split(text);
        assert_eq!(split.fresh, "Thanks, that works!");
        assert_eq!(
            split.quoted.as_deref(),
            Some(
                "On Tue, 3 Mar 2026 at 10:00, Shop <help@shop.example> wrote:\n> Your order left today.\n> Regards"
            )
        );
    }

    #[test]
    fn russian_attributions_and_outlook_separators_fold_too() {
        let ru =
            split("Спасибо!\n\nВт, 3 мар. 2026 г. в 10:00, Магазин написал:\n> Заказ отправлен");
        assert_eq!(ru.fresh, "Спасибо!");
        assert!(ru.quoted.is_some());
        let outlook = split("See below.\n-----Original Message-----\nFrom: Shop\nSubject: Order");
        assert_eq!(outlook.fresh, "See below.");
        assert!(
            outlook
                .quoted
                .unwrap()
                .starts_with("-----Original Message-----")
        );
    }

    #[test]
    fn inline_answers_between_quotes_are_not_hidden() {
        // A single quoted line answered below it is part of the conversation.
        let text = "> Can you ship to Norway?\nYes, within five days.\n> And Sweden?\nAlso yes.";
        let split = split(text);
        assert_eq!(split.quoted, None);
        assert_eq!(split.fresh, text);
    }

    #[test]
    fn a_message_without_history_or_only_a_quote_is_shown_whole() {
        assert_eq!(split("Hello\nthere\n").fresh, "Hello\nthere");
        assert_eq!(split("Hello\nthere\n").quoted, None);
        let only = split("> quoted\n> only");
        assert_eq!(only.fresh, "> quoted\n> only");
        assert_eq!(only.quoted, None);
    }
}

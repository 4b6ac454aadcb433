//! Channels that take free text only for a while after the contact's last message
//! (WhatsApp: 24 hours): whether that window is open, and what the composer says when it is
//! not. The server refuses such sends anyway; this tells the agent before they type.

use chrono::{DateTime, Duration, Utc};
use switchboard_protocol::ChannelKind;

/// Why a message cannot be sent through `channel` now, or `None` when it can; `last_incoming`
/// is when the contact last wrote through it, `first_name` theirs.
pub fn closed_notice(
    channel: ChannelKind,
    last_incoming: Option<DateTime<Utc>>,
    first_name: &str,
    now: DateTime<Utc>,
) -> Option<String> {
    let hours = channel.capabilities().reply_window_hours?;
    let open = last_incoming.is_some_and(|at| now - at < Duration::hours(i64::from(hours)));
    if open {
        return None;
    }
    let name = first_name.trim();
    let who = if name.is_empty() { "the contact" } else { name };
    Some(format!(
        "{} takes messages only within {hours} hours of the contact's last message, and {who} \
         last wrote longer ago. You can reply when they write again; comments still work.",
        channel.label()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whatsapp_closes_24_hours_after_the_contacts_last_message() {
        let now = Utc::now();
        let whatsapp = ChannelKind::Whatsapp;
        let recent = Some(now - Duration::hours(23));
        assert_eq!(closed_notice(whatsapp, recent, "Kerry", now), None);
        let old = Some(now - Duration::hours(25));
        let notice = closed_notice(whatsapp, old, "Kerry", now).expect("closed");
        assert!(notice.starts_with("WhatsApp takes messages only within 24 hours"));
        assert!(notice.contains("Kerry last wrote"));
        assert!(
            closed_notice(whatsapp, old, " ", now)
                .expect("closed")
                .contains("the contact last wrote")
        );
        // A contact who never wrote (added by hand) cannot be written to freely either.
        assert!(closed_notice(whatsapp, None, "Kerry", now).is_some());
    }

    #[test]
    fn channels_without_a_window_are_always_open() {
        let now = Utc::now();
        let long_ago = Some(now - Duration::days(30));
        for channel in [
            ChannelKind::WebsiteChat,
            ChannelKind::Telegram,
            ChannelKind::Email,
        ] {
            assert_eq!(
                closed_notice(channel, long_ago, "Kerry", now),
                None,
                "{channel:?}"
            );
            assert_eq!(
                closed_notice(channel, None, "Kerry", now),
                None,
                "{channel:?}"
            );
        }
    }
}

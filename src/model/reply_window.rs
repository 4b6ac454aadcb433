//! Channels that take free text only for a while after the contact's last message
//! (WhatsApp: 24 hours): whether that window is open, and what the composer says when it is
//! not. The server refuses such sends anyway; this tells the agent before they type.

use chrono::{DateTime, Duration, Utc};
use switchboard_protocol::ConversationSummary;

/// Why a message cannot be sent in this conversation now, or `None` when it can.
pub fn closed_notice(conversation: &ConversationSummary, now: DateTime<Utc>) -> Option<String> {
    let hours = conversation.channel.capabilities().reply_window_hours?;
    let open = conversation
        .last_incoming_at
        .is_some_and(|at| now - at < Duration::hours(i64::from(hours)));
    if open {
        return None;
    }
    let name = conversation.contact.first_name.trim();
    let who = if name.is_empty() { "the contact" } else { name };
    Some(format!(
        "{} takes messages only within {hours} hours of the contact's last message, and {who} \
         last wrote longer ago. You can reply when they write again; comments still work.",
        conversation.channel.label()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inbox::tests_support::row;
    use switchboard_protocol::ChannelKind;

    #[test]
    fn whatsapp_closes_24_hours_after_the_contacts_last_message() {
        let now = Utc::now();
        let mut c = row(1);
        c.channel = ChannelKind::Whatsapp;
        c.contact.first_name = "Kerry".into();
        c.last_incoming_at = Some(now - Duration::hours(23));
        assert_eq!(closed_notice(&c, now), None);
        c.last_incoming_at = Some(now - Duration::hours(25));
        let notice = closed_notice(&c, now).expect("closed");
        assert!(notice.starts_with("WhatsApp takes messages only within 24 hours"));
        assert!(notice.contains("Kerry last wrote"));
        // A contact who never wrote (added by hand) cannot be written to freely either.
        c.last_incoming_at = None;
        assert!(closed_notice(&c, now).is_some());
    }

    #[test]
    fn channels_without_a_window_are_always_open() {
        let now = Utc::now();
        for channel in [
            ChannelKind::WebsiteChat,
            ChannelKind::Telegram,
            ChannelKind::Email,
        ] {
            let mut c = row(1);
            c.channel = channel;
            c.last_incoming_at = Some(now - Duration::days(30));
            assert_eq!(closed_notice(&c, now), None, "{channel:?}");
        }
    }
}

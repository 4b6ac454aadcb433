//! Channels that take free text only for a while after the contact's last message
//! (WhatsApp: 24 hours): whether that window is open, and what the composer says when it is
//! not. The server refuses such sends anyway; this tells the agent before they type.

use crate::tr;
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
    let channel = crate::model::channels::kind_name(channel);
    Some(if name.is_empty() {
        tr!(
            "thread-window-closed-unnamed",
            channel = channel,
            hours = hours
        )
    } else {
        tr!(
            "thread-window-closed",
            channel = channel,
            hours = hours,
            name = name
        )
    })
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
    fn the_notice_reads_in_russian_with_hours_in_the_genitive() {
        use crate::i18n::{Lang, set_lang};
        let now = Utc::now();
        let old = Some(now - Duration::hours(25));
        set_lang(Lang::Ru);
        let named = closed_notice(ChannelKind::Whatsapp, old, "Kerry", now);
        let unnamed = closed_notice(ChannelKind::Whatsapp, old, "", now);
        set_lang(Lang::En);
        let named = named.expect("closed");
        assert!(
            named.starts_with("WhatsApp принимает сообщения только в течение 24 часов"),
            "{named}"
        );
        assert!(named.contains("Kerry в последний раз писал(а)"), "{named}");
        assert!(
            unnamed
                .expect("closed")
                .contains("а контакт в последний раз")
        );
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

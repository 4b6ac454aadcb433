//! The contact's channels above the composer (K2): which one a message goes through, how
//! each is named, and whether the list needs reading again.

use switchboard_protocol::channels::ContactChannel;
use switchboard_protocol::{ChannelId, ChannelKind};

/// The channel a message goes through: the agent's choice while the contact still has it,
/// else the conversation's current channel; `None` when neither is listed (the list is not
/// loaded yet, or the current channel was disconnected).
pub fn sending(
    channels: &[ContactChannel],
    choice: Option<ChannelId>,
    current: ChannelId,
) -> Option<&ContactChannel> {
    choice
        .and_then(|id| channels.iter().find(|c| c.id == id))
        .or_else(|| channels.iter().find(|c| c.id == current))
}

/// A channel's own name when it says more than its kind ("Support bot" of a Telegram bot).
pub fn name(channel: &ContactChannel) -> Option<&str> {
    let name = channel.name.trim();
    (!name.is_empty() && !name.eq_ignore_ascii_case(channel.kind.label())).then_some(name)
}

/// A channel kind's name in the language in use (product names stay as they are).
pub fn kind_name(kind: ChannelKind) -> String {
    match kind {
        ChannelKind::WebsiteChat => crate::tr!("channel-website-chat"),
        ChannelKind::Email => crate::tr!("channel-email"),
        other => other.label().to_owned(),
    }
}

/// Whether the switcher is worth showing: the contact has more than one channel.
pub fn has_choice(channels: &[ContactChannel]) -> bool {
    channels.len() > 1
}

/// Whether the list was read before the conversation moved to a channel it lacks (the
/// contact wrote from a new one): then it is read again, once per such channel.
pub fn stale(
    channels: &[ContactChannel],
    current: ChannelId,
    asked_for: Option<ChannelId>,
) -> bool {
    !channels.is_empty() && !channels.iter().any(|c| c.id == current) && asked_for != Some(current)
}

/// What happens to a quote when the agent switches to `kind` (C4): channels without quotes
/// drop it, with this notice.
pub fn quote_dropped_notice(kind: ChannelKind) -> Option<String> {
    (!crate::model::reply::replies_supported(kind))
        .then(|| crate::tr!("composer-quote-dropped", channel = kind_name(kind)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(id: i64, kind: ChannelKind, name: &str) -> ContactChannel {
        ContactChannel {
            id: ChannelId(id),
            kind,
            name: name.into(),
            last_incoming_at: None,
        }
    }

    #[test]
    fn the_choice_wins_while_the_contact_has_it_then_the_current_channel() {
        let list = [
            channel(1, ChannelKind::Telegram, "Bot"),
            channel(2, ChannelKind::Email, "Support"),
        ];
        let current = ChannelId(1);
        assert_eq!(
            sending(&list, None, current).map(|c| c.id),
            Some(ChannelId(1))
        );
        assert_eq!(
            sending(&list, Some(ChannelId(2)), current).map(|c| c.id),
            Some(ChannelId(2))
        );
        // A choice no longer listed (disconnected) falls back to the current channel.
        assert_eq!(
            sending(&list, Some(ChannelId(9)), current).map(|c| c.id),
            Some(ChannelId(1))
        );
        assert_eq!(sending(&[], Some(ChannelId(2)), current), None);
        assert_eq!(sending(&list, None, ChannelId(7)), None);
    }

    #[test]
    fn a_name_is_shown_when_it_says_more_than_the_kind() {
        assert_eq!(
            name(&channel(1, ChannelKind::Telegram, " Support bot ")),
            Some("Support bot")
        );
        assert_eq!(name(&channel(1, ChannelKind::Email, "e-mail")), None);
        assert_eq!(name(&channel(1, ChannelKind::Whatsapp, "  ")), None);
    }

    #[test]
    fn one_channel_needs_no_switcher() {
        assert!(!has_choice(&[channel(1, ChannelKind::Telegram, "")]));
        assert!(has_choice(&[
            channel(1, ChannelKind::Telegram, ""),
            channel(2, ChannelKind::Email, "")
        ]));
    }

    #[test]
    fn the_list_is_read_again_once_when_the_contact_writes_from_a_new_channel() {
        let list = [channel(1, ChannelKind::Telegram, "")];
        assert!(!stale(&list, ChannelId(1), None));
        assert!(stale(&list, ChannelId(2), None));
        assert!(
            !stale(&list, ChannelId(2), Some(ChannelId(2))),
            "asked already"
        );
        assert!(!stale(&[], ChannelId(2), None), "not loaded yet");
    }

    #[test]
    fn channels_without_quotes_drop_them() {
        assert!(quote_dropped_notice(ChannelKind::Telegram).is_none());
        assert_eq!(
            quote_dropped_notice(ChannelKind::Email).as_deref(),
            Some("E-mail does not show quotes: the quote was removed.")
        );
    }
}

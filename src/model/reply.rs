//! Replies (C4) and message links (C5): which channels carry a quote, what the composer's
//! preview says, and the link that opens a message.

use crate::tr;
use switchboard_protocol::*;

/// Channels whose messages can quote an earlier one.
pub fn replies_supported(channel: ChannelKind) -> bool {
    matches!(
        channel,
        ChannelKind::WebsiteChat | ChannelKind::Telegram | ChannelKind::Whatsapp
    )
}

/// The quote of a stored message, as a reply carries it.
pub fn quote_of(message: &Message) -> ReplyPreview {
    let text = match &message.content {
        Content::Text { text } => text.clone(),
        Content::Image { caption, .. } => caption.clone().unwrap_or_else(|| tr!("thread-image")),
        Content::Email { .. } => message.content.preview_text(),
        _ => tr!("thread-quote-message"),
    };
    ReplyPreview {
        id: message.id,
        direction: message.direction,
        sender_name: message.sender.name.clone(),
        text: crate::markdown::plain_text(&crate::markdown::parse(&text)).replace('\n', " "),
    }
}

/// Who the preview names: the contact for their own messages, the recipient (the same
/// contact) for the team's.
pub fn preview_title(quote: &ReplyPreview, contact: &str) -> String {
    match quote.direction {
        Direction::Incoming => tr!("thread-replying-to", name = &quote.sender_name),
        Direction::Outgoing => tr!("thread-replying-to-own", contact = contact),
    }
}

/// The path of a message link; the page opens the thread at that message.
pub use switchboard_protocol::notifications::message_path;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_go_where_the_channel_carries_them() {
        assert!(replies_supported(ChannelKind::Whatsapp));
        assert!(replies_supported(ChannelKind::Telegram));
        assert!(replies_supported(ChannelKind::WebsiteChat));
        assert!(!replies_supported(ChannelKind::Email));
        assert!(!replies_supported(ChannelKind::Tiktok));
    }

    #[test]
    fn the_preview_names_the_contact_either_way() {
        let mut quote = ReplyPreview {
            id: MessageId(3),
            direction: Direction::Incoming,
            sender_name: "Olivia Bennett".into(),
            text: "Hi".into(),
        };
        assert_eq!(
            preview_title(&quote, "Olivia Bennett"),
            "Replying to Olivia Bennett"
        );
        quote.direction = Direction::Outgoing;
        quote.sender_name = "Anna".into();
        assert_eq!(
            preview_title(&quote, "Olivia Bennett"),
            "Replying to your message to Olivia Bennett"
        );
    }

    #[test]
    fn the_preview_reads_in_russian() {
        use crate::i18n::{Lang, set_lang};
        let quote = ReplyPreview {
            id: MessageId(3),
            direction: Direction::Incoming,
            sender_name: "Olivia Bennett".into(),
            text: "Hi".into(),
        };
        set_lang(Lang::Ru);
        let title = preview_title(&quote, "Olivia Bennett");
        set_lang(Lang::En);
        assert_eq!(title, "Ответ контакту Olivia Bennett");
    }

    #[test]
    fn links_name_workspace_conversation_and_message() {
        assert_eq!(
            message_path(WorkspaceId(2), ConversationId(5), MessageId(99)),
            "/w/2/c/5?m=99"
        );
    }
}

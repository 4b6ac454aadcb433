//! The visitor page's conversation: messages oldest first, optimistic sends confirmed by the
//! server's copy (by `client_id`), socket duplicates ignored.

use crate::tr;
use switchboard_protocol::validation::{MAX_MESSAGE_CHARS, MessageTextError};
use switchboard_protocol::visitor::VisitorMessage;

/// Why the visitor's message cannot go, in the language in use.
pub fn text_refusal(error: MessageTextError) -> String {
    match error {
        MessageTextError::Empty => tr!("chat-message-empty"),
        MessageTextError::TooLong { chars } => {
            tr!(
                "chat-message-too-long",
                chars = chars,
                limit = MAX_MESSAGE_CHARS
            )
        }
        MessageTextError::ControlCharacter => tr!("chat-message-control-characters"),
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct VisitorChat {
    /// Oldest first.
    pub messages: Vec<VisitorEntry>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VisitorEntry {
    pub message: VisitorMessage,
    pub state: SendState,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SendState {
    Stored,
    Pending,
    Failed(String),
}

impl VisitorEntry {
    pub fn key(&self) -> String {
        match &self.message.client_id {
            Some(client_id) => format!("c:{client_id}"),
            None => format!("m:{}", self.message.id),
        }
    }
}

impl VisitorChat {
    /// Merges a page (newest first) from the API.
    pub fn merge_page(&mut self, newest_first: Vec<VisitorMessage>) {
        for message in newest_first.into_iter().rev() {
            self.confirm(message);
        }
        self.messages.sort_by_key(|e| {
            (
                e.state != SendState::Stored,
                e.message.created_at,
                e.message.id,
            )
        });
    }

    pub fn add_pending(&mut self, message: VisitorMessage) {
        self.messages.push(VisitorEntry {
            message,
            state: SendState::Pending,
        });
    }

    /// The server's copy replaces the pending entry with the same `client_id`, or is added
    /// once.
    pub fn confirm(&mut self, message: VisitorMessage) {
        let same = |e: &VisitorEntry| {
            (e.state == SendState::Stored && e.message.id == message.id)
                || (e.message.client_id.is_some() && e.message.client_id == message.client_id)
        };
        match self.messages.iter_mut().find(|e| same(e)) {
            Some(entry) => {
                entry.message = message;
                entry.state = SendState::Stored;
            }
            None => self.messages.push(VisitorEntry {
                message,
                state: SendState::Stored,
            }),
        }
    }

    pub fn fail(&mut self, client_id: &str, reason: String) {
        for entry in &mut self.messages {
            if entry.message.client_id.as_deref() == Some(client_id)
                && entry.state == SendState::Pending
            {
                entry.state = SendState::Failed(reason.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use switchboard_protocol::MessageId;
    use switchboard_protocol::visitor::VisitorAuthor;

    fn m(id: i64, client_id: Option<&str>, minute: u32) -> VisitorMessage {
        VisitorMessage {
            id: MessageId(id),
            client_id: client_id.map(Into::into),
            author: VisitorAuthor::Visitor,
            author_name: None,
            text: format!("m{id}"),
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 10, minute, 0).unwrap(),
            files: Vec::new(),
        }
    }

    #[test]
    fn pending_sends_are_confirmed_once() {
        let mut chat = VisitorChat::default();
        chat.add_pending(m(-1, Some("a"), 5));
        chat.confirm(m(10, Some("a"), 5));
        chat.confirm(m(10, Some("a"), 5));
        assert_eq!(chat.messages.len(), 1);
        assert_eq!(chat.messages[0].state, SendState::Stored);
        assert_eq!(chat.messages[0].message.id, MessageId(10));
    }

    #[test]
    fn pages_merge_in_time_order_without_duplicates() {
        let mut chat = VisitorChat::default();
        chat.confirm(m(3, None, 3));
        chat.merge_page(vec![m(3, None, 3), m(2, None, 2), m(1, None, 1)]);
        let ids: Vec<i64> = chat.messages.iter().map(|e| e.message.id.0).collect();
        assert_eq!(ids, vec![1, 2, 3]);
    }

    #[test]
    fn a_long_message_is_refused_in_the_visitors_language() {
        use crate::i18n::{Lang, set_lang};
        let english = text_refusal(MessageTextError::TooLong { chars: 5000 });
        set_lang(Lang::Ru);
        let russian =
            [4101, 4102, 5000].map(|chars| text_refusal(MessageTextError::TooLong { chars }));
        set_lang(Lang::En);
        assert_eq!(
            english,
            "The message is 5000 characters long; the limit is 4096."
        );
        assert_eq!(
            russian,
            [
                "В сообщении 4101 символ, а можно не больше 4096.",
                "В сообщении 4102 символа, а можно не больше 4096.",
                "В сообщении 5000 символов, а можно не больше 4096.",
            ]
        );
    }

    #[test]
    fn failures_mark_only_that_send() {
        let mut chat = VisitorChat::default();
        chat.add_pending(m(-1, Some("a"), 1));
        chat.add_pending(m(-2, Some("b"), 2));
        chat.fail("a", "offline".into());
        assert_eq!(chat.messages[0].state, SendState::Failed("offline".into()));
        assert_eq!(chat.messages[1].state, SendState::Pending);
    }
}

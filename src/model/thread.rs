//! One conversation's thread: messages oldest first, optimistic sends replaced by the
//! server's copy (matched by `client_id`), duplicates from events ignored.

use chrono::{DateTime, Utc};
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Thread {
    pub conversation: ConversationId,
    /// Oldest first.
    pub messages: Vec<Entry>,
    /// A page has arrived (what is shown is the thread, not a placeholder).
    pub loaded: bool,
    /// Older messages exist beyond this cursor.
    pub older_cursor: Option<String>,
    /// Pages requested and not yet arrived.
    loading: u32,
    /// Events applied since the oldest page in flight was requested: each arriving page was
    /// read before some of them, so they are applied again on top of it.
    queued: Vec<EventPayload>,
}

/// What one send carries (and a failed send taken back to go again).
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub kind: MessageKind,
    pub text: String,
    /// The message it quotes (C4).
    pub reply_to: Option<ReplyPreview>,
    /// Members a comment mentions (K7).
    pub mentions: Vec<UserId>,
    /// Files already uploaded for it (K3).
    pub attachments: Vec<Attachment>,
    /// An e-mail's subject (C9).
    pub subject: Option<String>,
    /// The contact's channel it goes through (K2); `None`: the conversation's current one.
    pub channel: Option<ChannelId>,
    /// An approved WhatsApp template instead of free text; `text` is then its filled text.
    pub template: Option<switchboard_protocol::templates::TemplateSend>,
    /// The agent's own words when `text` is their translation (C10).
    pub original: Option<String>,
}

/// A message of the thread, or a send still on its way.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Stored(Message),
    /// Sent by this client, not yet confirmed.
    Pending {
        client_id: String,
        send: Outgoing,
        at: DateTime<Utc>,
        failed: Option<String>,
    },
}

impl Entry {
    /// A key stable across the pending → stored switch.
    pub fn key(&self) -> String {
        match self {
            Entry::Stored(m) => match &m.client_id {
                Some(client_id) => format!("c:{client_id}"),
                None => format!("m:{}", m.id),
            },
            Entry::Pending { client_id, .. } => format!("c:{client_id}"),
        }
    }

    fn client_id(&self) -> Option<&str> {
        match self {
            Entry::Stored(m) => m.client_id.as_deref(),
            Entry::Pending { client_id, .. } => Some(client_id),
        }
    }
}

impl Thread {
    pub fn new(conversation: ConversationId) -> Thread {
        Thread {
            conversation,
            messages: Vec::new(),
            loaded: false,
            older_cursor: None,
            loading: 1,
            queued: Vec::new(),
        }
    }

    /// The thread is read again (the socket reconnected): what is shown stays, and events
    /// arriving meanwhile are applied again on top of the new page, so a page read before
    /// them cannot undo them.
    pub fn begin_reload(&mut self) {
        self.loading += 1;
    }

    /// `newest_first` is a page as the API returns it.
    pub fn finish_load(&mut self, newest_first: Vec<Message>, older_cursor: Option<String>) {
        let pending: Vec<Entry> = self
            .messages
            .drain(..)
            .filter(|e| matches!(e, Entry::Pending { .. }))
            .collect();
        self.messages = newest_first.into_iter().rev().map(Entry::Stored).collect();
        self.older_cursor = older_cursor;
        self.loaded = true;
        self.loading = self.loading.saturating_sub(1);
        for entry in pending {
            if let Entry::Pending { client_id, .. } = &entry
                && !self.has_client_id(client_id)
            {
                self.messages.push(entry);
            }
        }
        let queued = std::mem::take(&mut self.queued);
        for payload in &queued {
            self.apply_now(payload);
        }
        if self.loading > 0 {
            self.queued = queued;
        }
    }

    /// Prepends an older page (newest first, as the API returns it).
    pub fn prepend_older(&mut self, newest_first: Vec<Message>, older_cursor: Option<String>) {
        let mut older: Vec<Entry> = newest_first
            .into_iter()
            .rev()
            .filter(|m| !self.has_id(m.id))
            .map(Entry::Stored)
            .collect();
        older.append(&mut self.messages);
        self.messages = older;
        self.older_cursor = older_cursor;
    }

    pub fn apply(&mut self, payload: &EventPayload) {
        if self.loading > 0 {
            self.queued.push(payload.clone());
        }
        if self.loaded {
            self.apply_now(payload);
        }
    }

    fn apply_now(&mut self, payload: &EventPayload) {
        match payload {
            // A replayed event of a message older than the first one shown, with older pages
            // still unread, comes with those pages; it is not put at the end.
            EventPayload::MessageCreated { message, .. }
                if message.conversation_id == self.conversation
                    && !self.before_the_window(message) =>
            {
                self.confirm(message.clone());
            }
            EventPayload::MessageUpdated { message, .. }
                if message.conversation_id == self.conversation =>
            {
                self.replace(message.clone());
            }
            _ => {}
        }
    }

    /// A stored message changed (its delivery status, an edit): shown as it is now.
    pub fn replace(&mut self, message: Message) {
        for entry in &mut self.messages {
            if let Entry::Stored(m) = entry
                && m.id == message.id
            {
                *m = message;
                return;
            }
        }
    }

    /// When the contact last wrote through a channel of `kind`, as far as the loaded pages
    /// tell (a channel's reply window, K2).
    pub fn newest_incoming(&self, kind: ChannelKind) -> Option<DateTime<Utc>> {
        self.messages.iter().rev().find_map(|entry| match entry {
            Entry::Stored(m)
                if m.direction == Direction::Incoming
                    && m.kind == MessageKind::Message
                    && m.channel == kind =>
            {
                Some(m.created_at)
            }
            _ => None,
        })
    }

    /// The stored message sent with `client_id`, if it failed at its provider (C1).
    pub fn undelivered(&self, client_id: &str) -> Option<MessageId> {
        self.messages.iter().find_map(|e| match e {
            Entry::Stored(m)
                if m.client_id.as_deref() == Some(client_id)
                    && m.delivery_status == Some(DeliveryStatus::Failed) =>
            {
                Some(m.id)
            }
            _ => None,
        })
    }

    /// Shows a send at once, before the server answers.
    pub fn add_pending(&mut self, client_id: String, send: Outgoing, at: DateTime<Utc>) {
        self.messages.push(Entry::Pending {
            client_id,
            send,
            at,
            failed: None,
        });
    }

    /// Whether `message` belongs to an older page not read yet.
    fn before_the_window(&self, message: &Message) -> bool {
        self.older_cursor.is_some()
            && self
                .messages
                .iter()
                .find_map(|e| match e {
                    Entry::Stored(m) => Some(m.id),
                    _ => None,
                })
                .is_some_and(|first| message.id < first)
    }

    /// The server's copy of a message replaces its pending entry, or is added once.
    pub fn confirm(&mut self, message: Message) {
        if self.has_id(message.id) {
            return;
        }
        let position = message
            .client_id
            .as_deref()
            .and_then(|id| self.messages.iter().position(|e| e.client_id() == Some(id)));
        match position {
            Some(i) => self.messages[i] = Entry::Stored(message),
            None => self.messages.push(Entry::Stored(message)),
        }
    }

    pub fn fail(&mut self, client_id: &str, reason: String) {
        for entry in &mut self.messages {
            if let Entry::Pending {
                client_id: id,
                failed,
                ..
            } = entry
                && id == client_id
            {
                *failed = Some(reason.clone());
            }
        }
    }

    /// Takes a failed send back out (to retry it).
    pub fn take_failed(&mut self, client_id: &str) -> Option<Outgoing> {
        let i = self.messages.iter().position(|e| {
            matches!(e, Entry::Pending { client_id: id, failed: Some(_), .. } if id == client_id)
        })?;
        match self.messages.remove(i) {
            Entry::Pending { send, .. } => Some(send),
            Entry::Stored(_) => None,
        }
    }

    /// Whether the stored message is loaded.
    pub fn has_id(&self, id: MessageId) -> bool {
        self.messages
            .iter()
            .any(|e| matches!(e, Entry::Stored(m) if m.id == id))
    }

    fn has_client_id(&self, client_id: &str) -> bool {
        self.messages
            .iter()
            .any(|e| matches!(e, Entry::Stored(m) if m.client_id.as_deref() == Some(client_id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn message(id: i64, client_id: Option<&str>, text: &str) -> Message {
        Message {
            original: None,
            id: MessageId(id),
            conversation_id: ConversationId(1),
            client_id: client_id.map(Into::into),
            kind: MessageKind::Message,
            direction: Direction::Outgoing,
            sender: Sender {
                kind: SenderKind::Agent,
                name: "Anna".into(),
                user_id: Some(UserId(1)),
            },
            channel: ChannelKind::WebsiteChat,
            content: Content::Text { text: text.into() },
            delivery_status: Some(DeliveryStatus::Sent),
            delivery_error: None,
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap(),
            reply_to: None,
            mentions: Vec::new(),
            attachments: Vec::new(),
        }
    }

    #[test]
    fn the_newest_incoming_message_of_a_channel_kind_is_found() {
        let mut thread = Thread::new(ConversationId(1));
        let at = |minute| Utc.with_ymd_and_hms(2026, 1, 1, 10, minute, 0).unwrap();
        let incoming = |id, channel, minute| Message {
            direction: Direction::Incoming,
            channel,
            created_at: at(minute),
            ..message(id, None, "hi")
        };
        thread.finish_load(
            vec![
                incoming(3, ChannelKind::Email, 30),
                message(2, None, "answer"),
                incoming(1, ChannelKind::Whatsapp, 10),
            ],
            None,
        );
        assert_eq!(thread.newest_incoming(ChannelKind::Whatsapp), Some(at(10)));
        assert_eq!(thread.newest_incoming(ChannelKind::Email), Some(at(30)));
        assert_eq!(thread.newest_incoming(ChannelKind::Telegram), None);
        // An agent's own message is not the contact writing.
        assert_eq!(thread.newest_incoming(ChannelKind::WebsiteChat), None);
    }

    fn created(message: Message) -> EventPayload {
        let conversation = crate::model::inbox::tests_support::row(1);
        EventPayload::MessageCreated {
            message,
            conversation,
        }
    }

    fn keys(thread: &Thread) -> Vec<String> {
        thread.messages.iter().map(Entry::key).collect()
    }

    #[test]
    fn a_replayed_message_from_an_unread_older_page_is_not_put_at_the_end() {
        let mut thread = Thread::new(ConversationId(1));
        thread.finish_load(
            vec![message(12, None, "b"), message(11, None, "a")],
            Some("older".into()),
        );
        let before = keys(&thread);
        thread.apply(&created(message(5, None, "old")));
        assert_eq!(keys(&thread), before, "it comes with the older page");
        // A new one still goes at the end.
        thread.apply(&created(message(13, None, "new")));
        assert_eq!(keys(&thread).len(), 3);
        // With every page read, nothing is older than the window.
        let mut all = Thread::new(ConversationId(1));
        all.finish_load(vec![message(12, None, "b")], None);
        all.apply(&created(message(5, None, "old")));
        assert_eq!(keys(&all).len(), 2);
    }

    #[test]
    fn pages_arrive_newest_first_and_show_oldest_first() {
        let mut thread = Thread::new(ConversationId(1));
        thread.finish_load(
            vec![message(3, None, "c"), message(2, None, "b")],
            Some("2".into()),
        );
        assert_eq!(keys(&thread), vec!["m:2", "m:3"]);
        thread.prepend_older(vec![message(2, None, "b"), message(1, None, "a")], None);
        assert_eq!(keys(&thread), vec!["m:1", "m:2", "m:3"]);
    }

    #[test]
    fn a_pending_send_is_replaced_once_by_its_stored_copy() {
        let mut thread = Thread::new(ConversationId(1));
        thread.finish_load(vec![], None);
        let at = Utc::now();
        thread.add_pending(
            "x1".into(),
            Outgoing {
                kind: MessageKind::Message,
                text: "Hi".into(),
                reply_to: None,
                mentions: Vec::new(),
                attachments: Vec::new(),
                subject: None,
                channel: None,
                template: None,
                original: None,
            },
            at,
        );
        // The event and the HTTP answer both confirm it; it is shown once.
        thread.apply(&created(message(7, Some("x1"), "Hi")));
        thread.confirm(message(7, Some("x1"), "Hi"));
        assert_eq!(thread.messages.len(), 1);
        assert!(matches!(&thread.messages[0], Entry::Stored(m) if m.id == MessageId(7)));
    }

    #[test]
    fn a_delivery_update_replaces_the_stored_message_and_failures_can_be_retried() {
        let mut thread = Thread::new(ConversationId(1));
        let mut pending = message(7, Some("x1"), "Hi");
        pending.delivery_status = Some(DeliveryStatus::Pending);
        thread.finish_load(vec![pending.clone()], None);
        assert_eq!(thread.undelivered("x1"), None, "pending is not failed");
        let mut failed = pending.clone();
        failed.delivery_status = Some(DeliveryStatus::Failed);
        failed.delivery_error = Some("Forbidden: bot was blocked by the user".into());
        thread.apply(&EventPayload::MessageUpdated {
            message: failed,
            conversation: crate::model::inbox::tests_support::row(1),
        });
        assert_eq!(thread.messages.len(), 1);
        assert!(matches!(&thread.messages[0],
            Entry::Stored(m) if m.delivery_error.as_deref() == Some("Forbidden: bot was blocked by the user")));
        assert_eq!(thread.undelivered("x1"), Some(MessageId(7)));
        assert_eq!(thread.undelivered("other"), None);
        // Another conversation's update changes nothing here.
        let mut elsewhere = message(7, Some("x1"), "Hi");
        elsewhere.conversation_id = ConversationId(2);
        thread.apply(&EventPayload::MessageUpdated {
            message: elsewhere,
            conversation: crate::model::inbox::tests_support::row(2),
        });
        assert_eq!(thread.undelivered("x1"), Some(MessageId(7)));
    }

    #[test]
    fn an_update_arriving_during_a_reload_is_not_undone_by_the_older_page() {
        let mut thread = Thread::new(ConversationId(1));
        let mut pending = message(7, Some("x1"), "Hi");
        pending.delivery_status = Some(DeliveryStatus::Pending);
        thread.finish_load(vec![pending.clone()], None);
        thread.begin_reload();
        let mut failed = pending.clone();
        failed.delivery_status = Some(DeliveryStatus::Failed);
        thread.apply(&EventPayload::MessageUpdated {
            message: failed,
            conversation: crate::model::inbox::tests_support::row(1),
        });
        // The page was read before the failure.
        thread.finish_load(vec![pending.clone()], None);
        assert_eq!(thread.undelivered("x1"), Some(MessageId(7)));

        // Two reloads overlap (the thread opened as the socket connected): the second page,
        // read before a send that arrived in between, does not take the send away.
        thread.begin_reload();
        thread.begin_reload();
        thread.finish_load(vec![pending.clone()], None);
        let mut later = message(8, Some("x2"), "Later");
        later.delivery_status = Some(DeliveryStatus::Failed);
        thread.apply(&created(later));
        assert_eq!(thread.undelivered("x2"), Some(MessageId(8)));
        thread.finish_load(vec![pending], None);
        assert_eq!(thread.undelivered("x2"), Some(MessageId(8)), "kept");
        assert_eq!(thread.messages.len(), 2);
        // With nothing in flight, nothing is kept for later.
        assert!(thread.queued.is_empty());
    }

    #[test]
    fn events_for_other_conversations_are_ignored() {
        let mut thread = Thread::new(ConversationId(2));
        thread.finish_load(vec![], None);
        thread.apply(&created(message(7, None, "elsewhere")));
        assert!(thread.messages.is_empty());
    }

    #[test]
    fn events_during_loading_are_kept() {
        let mut thread = Thread::new(ConversationId(1));
        thread.apply(&created(message(9, None, "late")));
        thread.finish_load(vec![message(8, None, "early")], None);
        assert_eq!(keys(&thread), vec!["m:8", "m:9"]);
        // The snapshot already held the event's message: still once.
        let mut again = Thread::new(ConversationId(1));
        again.apply(&created(message(9, None, "late")));
        again.finish_load(vec![message(9, None, "late")], None);
        assert_eq!(keys(&again), vec!["m:9"]);
    }

    #[test]
    fn a_failed_send_can_be_taken_back_for_retry() {
        let mut thread = Thread::new(ConversationId(1));
        thread.finish_load(vec![], None);
        let quote = ReplyPreview {
            id: MessageId(7),
            direction: Direction::Incoming,
            sender_name: "Olivia".into(),
            text: "Hi".into(),
        };
        let send = Outgoing {
            kind: MessageKind::Comment,
            text: "note".into(),
            reply_to: Some(quote),
            mentions: vec![UserId(4)],
            attachments: Vec::new(),
            subject: None,
            channel: None,
            template: None,
            original: None,
        };
        thread.add_pending("x2".into(), send.clone(), Utc::now());
        assert_eq!(thread.take_failed("x2"), None, "not failed yet");
        thread.fail("x2", "offline".into());
        assert_eq!(thread.take_failed("x2"), Some(send));
        assert!(thread.messages.is_empty());
    }
}

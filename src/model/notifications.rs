//! The notification centre's model (O1): which live events may have added an entry for this
//! member (the centre is read again then), and how an entry reads.

use crate::tr;
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::notifications::*;
use switchboard_protocol::*;

/// Whether `payload` may have written an entry for member `me` of `teams`: a mention of
/// them, a contact's message in a conversation of theirs, or a change of one of their
/// conversations (an assignment, a snooze ending).
pub fn may_concern(payload: &EventPayload, me: UserId, teams: &[TeamId]) -> bool {
    let mine = |conversation: &ConversationSummary| match &conversation.assignee {
        Some(Assignee::User { id, .. }) => *id == me,
        Some(Assignee::Team { id, .. }) => teams.contains(id),
        Some(Assignee::AiAgent) | None => false,
    };
    match payload {
        EventPayload::MessageCreated {
            message,
            conversation,
        } => {
            message.mentions.contains(&me)
                || (message.direction == Direction::Incoming && mine(conversation))
        }
        EventPayload::ConversationUpdated { conversation } => mine(conversation),
        _ => false,
    }
}

/// What an entry says under the contact's name.
/// The member's name in it, if any, is [`Notification::actor_name`].
pub fn headline(n: &Notification) -> String {
    match (n.kind, &n.actor_name) {
        (NotificationKind::Mention, Some(actor)) => {
            tr!("inbox-notification-mention", actor = actor)
        }
        (NotificationKind::Mention, None) => tr!("inbox-notification-mention-colleague"),
        (NotificationKind::Assignment, Some(actor)) => {
            tr!("inbox-notification-assigned-by", actor = actor)
        }
        (NotificationKind::Assignment, None) => tr!("inbox-notification-assigned"),
        (NotificationKind::NewMessage, _) if n.count > 1 => {
            tr!("inbox-notification-new-messages", count = n.count)
        }
        (NotificationKind::NewMessage, _) => tr!("inbox-notification-new-message"),
        (NotificationKind::SnoozeExpired, _) => tr!("inbox-notification-snooze-over"),
    }
}

/// The icon of an entry's kind.
pub fn icon(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Mention => "at",
        NotificationKind::Assignment => "user",
        NotificationKind::NewMessage => "chat",
        NotificationKind::SnoozeExpired => "clock",
    }
}

/// Where an entry opens: its message (C5), else its conversation.
pub fn link(workspace: WorkspaceId, n: &Notification) -> String {
    match n.message_id {
        Some(message) => message_path(workspace, n.conversation_id, message),
        None => conversation_path(workspace, n.conversation_id),
    }
}

/// The centre after the member read `ids` here (before the server says so).
pub fn read_locally(list: &mut NotificationList, ids: &[NotificationId]) {
    for n in list.items.iter_mut().filter(|n| ids.contains(&n.id)) {
        if !n.read {
            n.read = true;
            list.unread = list.unread.saturating_sub(1);
        }
    }
}

/// The unread entries about a conversation (read when it is opened).
pub fn unread_about(list: &NotificationList, conversation: ConversationId) -> Vec<NotificationId> {
    list.items
        .iter()
        .filter(|n| !n.read && n.conversation_id == conversation)
        .map(|n| n.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn conversation(assignee: Option<Assignee>) -> ConversationSummary {
        ConversationSummary {
            id: ConversationId(7),
            workspace_id: WorkspaceId(1),
            contact: ContactSummary {
                id: ContactId(3),
                first_name: "Olga".into(),
                last_name: String::new(),
                email: None,
                phone: None,
                phone_masked: false,
                blocked: false,
            },
            status: ConversationStatus::Open,
            channel: ChannelKind::WebsiteChat,
            channel_id: ChannelId(1),
            last_message: None,
            last_activity_at: Utc::now(),
            unread_count: 0,
            snoozed_until: None,
            status_since: Utc::now(),
            assignee,
            last_incoming_at: None,
            awaiting_reply: false,
            dialogflow_bot: false,
        }
    }

    fn message(direction: Direction, mentions: Vec<UserId>) -> Message {
        Message {
            original: None,
            id: MessageId(9),
            conversation_id: ConversationId(7),
            client_id: None,
            kind: MessageKind::Comment,
            direction,
            sender: Sender {
                kind: SenderKind::Agent,
                name: "Anna".into(),
                user_id: Some(UserId(1)),
            },
            content: Content::Text { text: "hi".into() },
            delivery_status: None,
            delivery_error: None,
            created_at: Utc::now(),
            reply_to: None,
            mentions,
            attachments: Vec::new(),
            channel: ChannelKind::WebsiteChat,
        }
    }

    #[test]
    fn only_events_about_me_refresh_the_centre() {
        let me = UserId(5);
        let mine = Some(Assignee::User {
            id: me,
            name: "Boris".into(),
        });
        let my_team = Some(Assignee::Team {
            id: TeamId(2),
            name: "Support".into(),
        });
        let created = |direction, mentions, assignee| EventPayload::MessageCreated {
            message: message(direction, mentions),
            conversation: conversation(assignee),
        };
        assert!(may_concern(
            &created(Direction::Outgoing, vec![me], None),
            me,
            &[]
        ));
        assert!(may_concern(
            &created(Direction::Incoming, vec![], mine.clone()),
            me,
            &[]
        ));
        assert!(!may_concern(
            &created(Direction::Outgoing, vec![], mine.clone()),
            me,
            &[]
        ));
        assert!(!may_concern(
            &created(Direction::Incoming, vec![UserId(6)], None),
            me,
            &[]
        ));
        let updated = |assignee| EventPayload::ConversationUpdated {
            conversation: conversation(assignee),
        };
        assert!(may_concern(&updated(mine), me, &[]));
        assert!(may_concern(&updated(my_team.clone()), me, &[TeamId(2)]));
        assert!(!may_concern(&updated(my_team), me, &[TeamId(3)]));
        assert!(!may_concern(&updated(None), me, &[]));
    }

    fn entry(kind: NotificationKind, count: u32, read: bool) -> Notification {
        Notification {
            id: NotificationId(i64::from(count) + 100 * kind as i64),
            kind,
            conversation_id: ConversationId(7),
            message_id: Some(MessageId(9)),
            contact_id: ContactId(3),
            contact_name: "Olga".into(),
            actor_name: Some("Anna Petrova".into()),
            text: "hi".into(),
            count,
            created_at: Utc::now(),
            read,
        }
    }

    #[test]
    fn entries_read_as_what_happened() {
        assert_eq!(
            headline(&entry(NotificationKind::Mention, 1, false)),
            "Anna Petrova mentioned you"
        );
        assert_eq!(
            headline(&entry(NotificationKind::NewMessage, 3, false)),
            "3 new messages"
        );
        assert_eq!(
            headline(&entry(NotificationKind::NewMessage, 1, false)),
            "New message"
        );
        let mut unassigned = entry(NotificationKind::Assignment, 1, false);
        unassigned.actor_name = None;
        assert_eq!(
            headline(&unassigned),
            "The conversation was assigned to you"
        );
        assert!(headline(&entry(NotificationKind::SnoozeExpired, 1, false)).starts_with('⏰'));
        assert_eq!(
            link(WorkspaceId(1), &entry(NotificationKind::Mention, 1, false)),
            "/w/1/c/7?m=9"
        );
        let mut snooze = entry(NotificationKind::SnoozeExpired, 1, false);
        snooze.message_id = None;
        assert_eq!(link(WorkspaceId(1), &snooze), "/w/1/c/7");
    }

    #[test]
    fn russian_counts_of_new_messages_agree_with_the_number() {
        use crate::i18n::{Lang, set_lang};
        set_lang(Lang::Ru);
        let said: Vec<String> = [2, 5, 21, 11]
            .into_iter()
            .map(|count| headline(&entry(NotificationKind::NewMessage, count, false)))
            .collect();
        set_lang(Lang::En);
        assert_eq!(
            said,
            [
                "2 новых сообщения",
                "5 новых сообщений",
                "21 новое сообщение",
                "11 новых сообщений"
            ]
        );
    }

    #[test]
    fn reading_here_lowers_the_count_once() {
        let a = entry(NotificationKind::Mention, 1, false);
        let b = entry(NotificationKind::NewMessage, 2, true);
        let mut list = NotificationList {
            items: vec![a.clone(), b.clone()],
            unread: 1,
        };
        assert_eq!(unread_about(&list, ConversationId(7)), vec![a.id]);
        read_locally(&mut list, &[a.id, b.id]);
        read_locally(&mut list, &[a.id]);
        assert_eq!(list.unread, 0);
        assert!(list.items.iter().all(|n| n.read));
        assert!(unread_about(&list, ConversationId(7)).is_empty());
    }
}

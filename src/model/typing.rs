//! Typing indicators (C7): who else is typing where ([`Typists`]), and when this agent's
//! composer should say so ([`Announcer`]). Times are milliseconds on any one clock.

use crate::tr;
use switchboard_protocol::events::{TYPING_EXPIRES_MS, TYPING_RENEW_MS, Typing};
use switchboard_protocol::{ConversationId, MessageKind, UserId};

/// Other agents typing now, each until they stop or their signal expires.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Typists {
    entries: Vec<(Typing, f64)>,
}

impl Typists {
    /// Takes a signal received at `now`.
    pub fn apply(&mut self, mut typing: Typing, now: f64) {
        if typing.user_id == switchboard_protocol::ai::AI_AGENT_TYPIST {
            typing.name = tr!("actions-ai-agent");
        }
        self.entries.retain(|(t, _)| {
            t.user_id != typing.user_id || t.conversation_id != typing.conversation_id
        });
        if typing.active {
            self.entries
                .push((typing, now + f64::from(TYPING_EXPIRES_MS)));
        }
    }

    /// A message of `user` arrived in `conversation`: what they typed is sent.
    pub fn sent(&mut self, conversation: ConversationId, user: UserId) {
        self.entries
            .retain(|(t, _)| t.user_id != user || t.conversation_id != conversation);
    }

    /// Forgets expired signals; whether anything changed.
    pub fn prune(&mut self, now: f64) -> bool {
        let before = self.entries.len();
        self.entries.retain(|(_, until)| *until > now);
        before != self.entries.len()
    }

    /// The soonest expiry, to know when to look again.
    pub fn next_expiry(&self) -> Option<f64> {
        self.entries
            .iter()
            .map(|(_, until)| *until)
            .reduce(f64::min)
    }

    /// "Anna is typing…", "Anna is writing a comment…", "Anna and Boris are typing…",
    /// "Anna, Boris and 2 others are typing…"; `None` when nobody is.
    pub fn label(&self, conversation: ConversationId, now: f64) -> Option<String> {
        let here: Vec<&Typing> = self
            .entries
            .iter()
            .filter(|(t, until)| t.conversation_id == conversation && *until > now)
            .map(|(t, _)| t)
            .collect();
        match here.as_slice() {
            [] => None,
            [one] if one.kind == MessageKind::Comment => {
                Some(tr!("inbox-typing-comment", name = &one.name))
            }
            [one] => Some(tr!("inbox-typing-one", name = &one.name)),
            [a, b] => Some(tr!("inbox-typing-two", first = &a.name, second = &b.name)),
            [a, b, rest @ ..] => Some(tr!(
                "inbox-typing-more",
                first = &a.name,
                second = &b.name,
                count = rest.len()
            )),
        }
    }
}

/// What the composer should tell the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Announce {
    Typing(MessageKind),
    Stopped,
}

/// Turns composer edits into typing signals: one when typing starts, a renewal every
/// [`TYPING_RENEW_MS`] while it goes on, one stop when the text is sent or emptied.
#[derive(Clone, Debug, Default)]
pub struct Announcer {
    /// The kind last announced and when; `None` when not typing.
    last: Option<(MessageKind, f64)>,
}

impl Announcer {
    /// The text is now `text` in `kind` mode at `now`.
    pub fn edited(&mut self, text: &str, kind: MessageKind, now: f64) -> Option<Announce> {
        if text.trim().is_empty() {
            return self.stopped();
        }
        match self.last {
            Some((k, at)) if k == kind && now - at < f64::from(TYPING_RENEW_MS) => None,
            _ => {
                self.last = Some((kind, now));
                Some(Announce::Typing(kind))
            }
        }
    }

    /// The text was sent, or the composer is going away.
    pub fn stopped(&mut self) -> Option<Announce> {
        self.last.take().map(|_| Announce::Stopped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typing(user: i64, conversation: i64, name: &str, kind: MessageKind, active: bool) -> Typing {
        Typing {
            conversation_id: ConversationId(conversation),
            user_id: UserId(user),
            name: name.to_owned(),
            kind,
            active,
        }
    }

    #[test]
    fn typists_show_until_they_stop_send_or_expire() {
        let mut t = Typists::default();
        let c = ConversationId(7);
        assert_eq!(t.label(c, 0.0), None);
        t.apply(typing(1, 7, "Anna", MessageKind::Message, true), 0.0);
        assert_eq!(t.label(c, 10.0).as_deref(), Some("Anna is typing…"));
        assert_eq!(
            t.label(ConversationId(8), 10.0),
            None,
            "only where they type"
        );
        // A renewal replaces, never duplicates.
        t.apply(typing(1, 7, "Anna", MessageKind::Comment, true), 3_000.0);
        assert_eq!(
            t.label(c, 3_001.0).as_deref(),
            Some("Anna is writing a comment…")
        );
        t.apply(typing(2, 7, "Boris", MessageKind::Message, true), 3_000.0);
        assert_eq!(
            t.label(c, 3_001.0).as_deref(),
            Some("Anna and Boris are typing…")
        );
        t.apply(typing(3, 7, "Maria", MessageKind::Message, true), 3_000.0);
        t.apply(typing(4, 7, "Li", MessageKind::Message, true), 3_000.0);
        assert_eq!(
            t.label(c, 3_001.0).as_deref(),
            Some("Anna, Boris and 2 others are typing…")
        );
        t.apply(typing(4, 7, "Li", MessageKind::Message, false), 3_100.0);
        t.sent(c, UserId(3));
        assert_eq!(
            t.label(c, 3_200.0).as_deref(),
            Some("Anna and Boris are typing…")
        );
        // Six seconds without a renewal and they are gone, even if the stop was lost.
        let expiry = t.next_expiry().expect("an expiry");
        assert_eq!(expiry, 3_000.0 + f64::from(TYPING_EXPIRES_MS));
        assert_eq!(t.label(c, expiry + 1.0), None);
        assert!(t.prune(expiry + 1.0));
        assert!(!t.prune(expiry + 2.0));
        assert_eq!(t.next_expiry(), None);
    }

    #[test]
    fn russian_typing_uses_russian_plurals() {
        use crate::i18n::{Lang, set_lang};
        let mut t = Typists::default();
        let c = ConversationId(7);
        let names = ["Анна", "Борис", "Мария", "Ли", "Олег", "Ира", "Пётр"];
        let mut said = Vec::new();
        set_lang(Lang::Ru);
        for (i, name) in names.iter().enumerate() {
            t.apply(
                typing(i as i64 + 1, 7, name, MessageKind::Message, true),
                0.0,
            );
            said.push(t.label(c, 1.0).unwrap_or_default());
        }
        let mut one = Typists::default();
        one.apply(typing(1, 7, "Анна", MessageKind::Comment, true), 0.0);
        said.push(one.label(c, 1.0).unwrap_or_default());
        set_lang(Lang::En);
        assert_eq!(said[0], "Анна печатает…");
        assert_eq!(said[1], "Анна и Борис печатают…");
        assert_eq!(said[2], "Анна, Борис и ещё 1 человек печатают…");
        assert_eq!(said[3], "Анна, Борис и ещё 2 человека печатают…");
        assert_eq!(said[6], "Анна, Борис и ещё 5 человек печатают…");
        assert_eq!(said[7], "Анна пишет комментарий…");
    }

    #[test]
    fn the_composer_announces_start_renewals_and_one_stop() {
        let mut a = Announcer::default();
        assert_eq!(a.stopped(), None, "nothing to stop before typing");
        assert_eq!(a.edited("   ", MessageKind::Message, 0.0), None);
        assert_eq!(
            a.edited("H", MessageKind::Message, 0.0),
            Some(Announce::Typing(MessageKind::Message))
        );
        assert_eq!(a.edited("He", MessageKind::Message, 1_000.0), None);
        assert_eq!(
            a.edited("Hel", MessageKind::Message, 3_000.0),
            Some(Announce::Typing(MessageKind::Message)),
            "renewed before the others' indicator expires"
        );
        assert_eq!(
            a.edited("Hel", MessageKind::Comment, 3_100.0),
            Some(Announce::Typing(MessageKind::Comment)),
            "switching to a comment says so at once"
        );
        assert_eq!(
            a.edited("", MessageKind::Comment, 3_200.0),
            Some(Announce::Stopped)
        );
        assert_eq!(a.edited("", MessageKind::Comment, 3_300.0), None);
        assert_eq!(
            a.edited("x", MessageKind::Comment, 3_400.0),
            Some(Announce::Typing(MessageKind::Comment))
        );
        assert_eq!(a.stopped(), Some(Announce::Stopped));
        assert_eq!(a.stopped(), None);
    }
}

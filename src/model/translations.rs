//! Translations of a thread's messages (C10), as the agent toggles them: the provider is asked
//! once per message; afterwards "View original" and "View translation" only switch what is
//! shown. A failure is said and the next try asks again.

use std::collections::HashMap;
use switchboard_protocol::MessageId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Asking,
    Ready { text: String, showing: bool },
    Failed(String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Translations(HashMap<MessageId, State>);

impl Translations {
    /// The agent asked for the translation (or to switch back): whether the provider must be
    /// asked now.
    pub fn toggle(&mut self, id: MessageId) -> bool {
        match self.0.get_mut(&id) {
            Some(State::Ready { showing, .. }) => {
                *showing = !*showing;
                false
            }
            Some(State::Asking) => false,
            None | Some(State::Failed(_)) => {
                self.0.insert(id, State::Asking);
                true
            }
        }
    }

    /// The provider's answer: the translation is shown at once, or the reason it is not.
    pub fn arrived(&mut self, id: MessageId, answer: Result<String, String>) {
        let state = match answer {
            Ok(text) => State::Ready {
                text,
                showing: true,
            },
            Err(reason) => State::Failed(reason),
        };
        self.0.insert(id, state);
    }

    pub fn get(&self, id: MessageId) -> Option<&State> {
        self.0.get(&id)
    }

    /// The translation when it is the one shown.
    pub fn shown(&self, id: MessageId) -> Option<&str> {
        match self.0.get(&id) {
            Some(State::Ready {
                text,
                showing: true,
            }) => Some(text),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_is_asked_once_and_toggles_only_switch() {
        let mut t = Translations::default();
        let id = MessageId(7);
        assert!(t.toggle(id), "the first asks");
        assert!(
            !t.toggle(id),
            "a second click while asking does not ask again"
        );
        t.arrived(id, Ok("Where is my parcel?".into()));
        assert_eq!(t.shown(id), Some("Where is my parcel?"));
        for _ in 0..5 {
            assert!(!t.toggle(id));
        }
        // Five switches from the translation: the original is shown.
        assert_eq!(t.shown(id), None);
        assert!(!t.toggle(id));
        assert_eq!(t.shown(id), Some("Where is my parcel?"));
        // Another message is its own.
        assert!(t.toggle(MessageId(8)));
    }

    #[test]
    fn a_failure_is_said_and_the_next_try_asks_again() {
        let mut t = Translations::default();
        let id = MessageId(1);
        t.toggle(id);
        t.arrived(id, Err("The AI provider is busy.".into()));
        assert_eq!(
            t.get(id),
            Some(&State::Failed("The AI provider is busy.".into()))
        );
        assert_eq!(t.shown(id), None);
        assert!(t.toggle(id));
        assert_eq!(t.get(id), Some(&State::Asking));
    }
}

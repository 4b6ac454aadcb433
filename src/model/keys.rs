//! Desktop keyboard shortcuts (K11): which key does what, and the commands the ⌘K / Ctrl-K
//! palette lists. Letters work only outside text fields, so typing is never hijacked.

use crate::tr;
use switchboard_protocol::inbox::Folder;

/// Something the agent can do from the keyboard or the palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    NextConversation,
    PreviousConversation,
    FocusListSearch,
    SearchEverything,
    GoTo(Folder),
    ToggleUnreplied,
    AssignToMe,
    CloseConversation,
    Snooze,
    Reply,
    ShowHelp,
    OpenPalette,
}

impl Command {
    /// What the palette and the help call it.
    pub fn label(self) -> String {
        match self {
            Command::NextConversation => tr!("inbox-command-next"),
            Command::PreviousConversation => tr!("inbox-command-previous"),
            Command::FocusListSearch => tr!("inbox-command-search-list"),
            Command::SearchEverything => tr!("inbox-command-search-everything"),
            Command::GoTo(Folder::Mine) => tr!("inbox-command-go-mine"),
            Command::GoTo(Folder::Unassigned) => tr!("inbox-command-go-unassigned"),
            Command::GoTo(_) => tr!("inbox-command-go-all"),
            Command::ToggleUnreplied => tr!("inbox-command-unreplied"),
            Command::AssignToMe => tr!("inbox-command-assign-me"),
            Command::CloseConversation => tr!("inbox-command-close"),
            Command::Snooze => tr!("inbox-command-snooze"),
            Command::Reply => tr!("inbox-command-reply"),
            Command::ShowHelp => tr!("inbox-command-help"),
            Command::OpenPalette => tr!("inbox-command-palette"),
        }
    }

    /// The key that does it, as the help shows it (key names are not translated).
    pub fn keys(self) -> String {
        let then = |second: &str| tr!("inbox-keys-then", first = "G", second = second);
        match self {
            Command::NextConversation => "J".to_owned(),
            Command::PreviousConversation => "K".to_owned(),
            Command::FocusListSearch => "/".to_owned(),
            Command::SearchEverything => then("S"),
            Command::GoTo(Folder::Mine) => then("M"),
            Command::GoTo(Folder::Unassigned) => then("U"),
            Command::GoTo(_) => then("A"),
            Command::ToggleUnreplied => "U".to_owned(),
            Command::AssignToMe => "I".to_owned(),
            Command::CloseConversation => "E".to_owned(),
            Command::Snooze => "H".to_owned(),
            Command::Reply => "R".to_owned(),
            Command::ShowHelp => "?".to_owned(),
            Command::OpenPalette => "Ctrl K / ⌘ K".to_owned(),
        }
    }
}

/// Every command, in the order the palette and the help list them.
pub const ALL: [Command; 14] = [
    Command::NextConversation,
    Command::PreviousConversation,
    Command::Reply,
    Command::CloseConversation,
    Command::Snooze,
    Command::AssignToMe,
    Command::FocusListSearch,
    Command::ToggleUnreplied,
    Command::GoTo(Folder::All),
    Command::GoTo(Folder::Mine),
    Command::GoTo(Folder::Unassigned),
    Command::SearchEverything,
    Command::ShowHelp,
    Command::OpenPalette,
];

/// A key press as the shortcuts see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Press {
    pub key: String,
    pub ctrl_or_meta: bool,
    pub alt: bool,
    /// The focus is in a text field.
    pub typing: bool,
    /// The previous press was a lone `g` (for two-key shortcuts).
    pub after_g: bool,
}

/// What a key press does; `None` leaves it to the page.
pub fn command(press: &Press) -> Option<Command> {
    let key = crate::text::lower(&press.key);
    if press.ctrl_or_meta && !press.alt && key == "k" {
        return Some(Command::OpenPalette);
    }
    if press.typing || press.ctrl_or_meta || press.alt {
        return None;
    }
    if press.after_g {
        return match key.as_str() {
            "a" => Some(Command::GoTo(Folder::All)),
            "m" => Some(Command::GoTo(Folder::Mine)),
            "u" => Some(Command::GoTo(Folder::Unassigned)),
            "s" => Some(Command::SearchEverything),
            _ => None,
        };
    }
    match key.as_str() {
        "j" => Some(Command::NextConversation),
        "k" => Some(Command::PreviousConversation),
        "/" => Some(Command::FocusListSearch),
        "?" => Some(Command::ShowHelp),
        "u" => Some(Command::ToggleUnreplied),
        "i" => Some(Command::AssignToMe),
        "e" => Some(Command::CloseConversation),
        "h" => Some(Command::Snooze),
        "r" => Some(Command::Reply),
        _ => None,
    }
}

/// The palette's commands whose label has a word starting with `filter`.
pub fn palette(filter: &str) -> Vec<Command> {
    ALL.into_iter()
        .filter(|c| crate::model::compose::matches_filter(&c.label(), filter.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: &str) -> Press {
        Press {
            key: key.into(),
            ..Press::default()
        }
    }

    #[test]
    fn letters_act_outside_text_fields_only() {
        assert_eq!(command(&press("j")), Some(Command::NextConversation));
        assert_eq!(command(&press("E")), Some(Command::CloseConversation));
        assert_eq!(command(&press("?")), Some(Command::ShowHelp));
        let typing = Press {
            typing: true,
            ..press("j")
        };
        assert_eq!(command(&typing), None);
        assert_eq!(command(&press("x")), None);
    }

    #[test]
    fn the_palette_opens_from_anywhere() {
        let ctrl_k = Press {
            ctrl_or_meta: true,
            typing: true,
            ..press("k")
        };
        assert_eq!(command(&ctrl_k), Some(Command::OpenPalette));
        let ctrl_j = Press {
            ctrl_or_meta: true,
            ..press("j")
        };
        assert_eq!(
            command(&ctrl_j),
            None,
            "browser shortcuts stay the browser's"
        );
    }

    #[test]
    fn g_starts_a_go_to() {
        let after_g = |key: &str| Press {
            after_g: true,
            ..press(key)
        };
        assert_eq!(command(&after_g("m")), Some(Command::GoTo(Folder::Mine)));
        assert_eq!(command(&after_g("s")), Some(Command::SearchEverything));
        assert_eq!(command(&after_g("j")), None);
    }

    #[test]
    fn the_palette_filters_by_word_start_and_every_command_has_a_key() {
        assert_eq!(palette("sno"), vec![Command::Snooze]);
        assert!(palette("").len() == ALL.len());
        assert!(palette("go").contains(&Command::GoTo(Folder::Mine)));
        for c in ALL {
            assert!(!c.keys().is_empty() && !c.label().is_empty());
        }
    }

    #[test]
    fn russian_commands_are_found_by_their_russian_words() {
        use crate::i18n::{Lang, set_lang};
        set_lang(Lang::Ru);
        let found = palette("отл");
        let keys = Command::GoTo(Folder::Mine).keys();
        set_lang(Lang::En);
        assert_eq!(found, vec![Command::Snooze]);
        assert_eq!(keys, "G, затем M");
    }
}

//! Desktop keyboard shortcuts (K11): which key does what, and the commands the ⌘K / Ctrl-K
//! palette lists. Letters work only outside text fields, so typing is never hijacked.

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
    pub fn label(self) -> &'static str {
        match self {
            Command::NextConversation => "Next conversation",
            Command::PreviousConversation => "Previous conversation",
            Command::FocusListSearch => "Search the list",
            Command::SearchEverything => "Search everything",
            Command::GoTo(Folder::Mine) => "Go to Mine",
            Command::GoTo(Folder::Unassigned) => "Go to Unassigned",
            Command::GoTo(_) => "Go to All conversations",
            Command::ToggleUnreplied => "Show only unreplied / show all",
            Command::AssignToMe => "Assign to me",
            Command::CloseConversation => "Close conversation",
            Command::Snooze => "Snooze conversation",
            Command::Reply => "Write a reply",
            Command::ShowHelp => "Keyboard shortcuts",
            Command::OpenPalette => "Command palette",
        }
    }

    /// The key that does it, as the help shows it.
    pub fn keys(self) -> &'static str {
        match self {
            Command::NextConversation => "J",
            Command::PreviousConversation => "K",
            Command::FocusListSearch => "/",
            Command::SearchEverything => "G then S",
            Command::GoTo(Folder::Mine) => "G then M",
            Command::GoTo(Folder::Unassigned) => "G then U",
            Command::GoTo(_) => "G then A",
            Command::ToggleUnreplied => "U",
            Command::AssignToMe => "I",
            Command::CloseConversation => "E",
            Command::Snooze => "H",
            Command::Reply => "R",
            Command::ShowHelp => "?",
            Command::OpenPalette => "Ctrl K / ⌘ K",
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
    let key = press.key.to_lowercase();
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
        .filter(|c| crate::model::compose::matches_filter(c.label(), filter.trim()))
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
}

//! Domain widgets used by more than one screen (and tested as components in a browser).

pub mod conversation_row;
pub mod highlighted;
pub mod language_picker;
pub mod markdown_view;
pub mod message_bubble;
pub mod picker;
pub mod translation;

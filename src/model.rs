//! Plain Rust models behind the screens: they take REST pages and realtime events and keep
//! the state the views show. No Leptos here, so everything is unit-tested natively.

pub mod ai_writing;
pub mod attachments;
pub mod channels;
pub mod compose;
pub mod connect_form;
pub mod contact_form;
pub mod email;
pub mod inbox;
pub mod inbox_form;
pub mod keys;
pub mod media;
pub mod notifications;
pub mod recording;
pub mod reply;
pub mod reply_window;
pub mod snooze;
pub mod thread;
pub mod time;
pub mod translations;
pub mod typing;
pub mod view;
pub mod visitor_chat;
pub mod window;

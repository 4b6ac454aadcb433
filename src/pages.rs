//! One module per screen.

pub mod channels;
pub mod chat;
pub mod home;
pub mod inbox;
pub mod invite;
pub mod login;
pub mod settings;

//! The browser stories: every feature as an agent or a visitor uses it, in headless Chromium
//! against a real server. One test binary; the stories take turns (`switchboard_e2e::SERIAL`).

mod accessibility;
mod actions;
mod ai;
mod attachments;
mod channel_settings;
mod channel_switcher;
mod code_splitting;
mod composer;
mod contacts;
mod crm;
mod deliveries;
mod dialogflow;
mod email;
mod languages;
mod live_chat;
mod long_list;
mod navigation;
mod notifications;
mod recordings;
mod replies_and_links;
mod search;
mod settings;
mod shortcuts;
mod templates;
mod typing;
mod widget;
mod workflows;

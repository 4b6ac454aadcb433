//! The server over HTTP and WebSocket: every endpoint, channel webhook and realtime path,
//! against real local fakes of the providers. One test binary; `common` holds its helpers.

mod common;

mod actions;
mod ai;
mod ai_agent;
mod attachments;
mod auth;
mod bad_input;
mod channel_switch;
mod crm;
mod dialogflow;
mod email;
mod inbox;
mod inbox_views;
mod invitations;
mod isolation;
mod masking;
mod openapi;
mod permissions;
mod push;
mod realtime;
mod replicas;
mod service_worker;
mod snippets;
mod telegram;
mod tiktok;
mod typing;
mod website_chat;
mod whatsapp;
mod workflows;

//! The website-chat visitor's client: its REST calls (authorised by the visitor token) and
//! its socket.

use super::ClientError;
use super::http::{error_of, json_body};
use super::live::{Backoff, LiveHandle, socket_url};
use crate::tr;
use futures::StreamExt;
use futures::future::{AbortHandle, Abortable};
use gloo_net::http::Request;
use gloo_net::websocket::Message as WsMessage;
use gloo_net::websocket::futures::WebSocket;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;
use switchboard_protocol::api::Page;
use switchboard_protocol::visitor::*;

fn base(key: &str) -> String {
    format!("/api/v1/chat/{key}")
}

async fn send<T: DeserializeOwned>(
    request: Result<Request, ClientError>,
) -> Result<T, ClientError> {
    let response = request?
        .send()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    if response.ok() {
        response
            .json()
            .await
            .map_err(|e| ClientError::Unexpected(e.to_string()))
    } else {
        Err(error_of(response).await)
    }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub async fn info(key: &str) -> Result<ChatInfo, ClientError> {
    send(Ok(Request::get(&base(key))
        .build()
        .map_err(|e| ClientError::Unexpected(e.to_string()))?))
    .await
}

pub async fn new_visitor(key: &str) -> Result<VisitorSession, ClientError> {
    send(
        Request::post(&format!("{}/visitors", base(key)))
            .build()
            .map_err(|e| ClientError::Unexpected(e.to_string())),
    )
    .await
}

/// A file the team sent, fetched with the visitor's token; answers a `blob:` address for a
/// download link (the caller revokes it).
pub async fn file_url(
    key: &str,
    token: &str,
    id: switchboard_protocol::AttachmentId,
) -> Result<String, ClientError> {
    let response = Request::get(&format!("{}/attachments/{id}", base(key)))
        .header("Authorization", &bearer(token))
        .send()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(error_of(response).await);
    }
    let bytes = response
        .binary()
        .await
        .map_err(|e| ClientError::Unexpected(e.to_string()))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)
        .map_err(|_| ClientError::Unexpected(tr!("chat-file-hold-failed")))?;
    web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| ClientError::Unexpected(tr!("chat-file-offer-failed")))
}

pub async fn messages(key: &str, token: &str) -> Result<Page<VisitorMessage>, ClientError> {
    send(
        Request::get(&format!("{}/messages", base(key)))
            .header("Authorization", &bearer(token))
            .build()
            .map_err(|e| ClientError::Unexpected(e.to_string())),
    )
    .await
}

pub async fn post_message(
    key: &str,
    token: &str,
    request: &VisitorSendRequest,
) -> Result<VisitorMessage, ClientError> {
    send(json_body(
        Request::post(&format!("{}/messages", base(key))).header("Authorization", &bearer(token)),
        request,
    ))
    .await
}

/// What the visitor socket reports.
#[derive(Clone, Debug)]
pub enum VisitorSignal {
    /// (Re)connected: reload the messages to catch up.
    Connected,
    Message(VisitorMessage),
    Disconnected,
}

pub fn follow(key: String, token: String, on: impl Fn(VisitorSignal) + 'static) -> LiveHandle {
    let (abort, registration) = AbortHandle::new_pair();
    let task = async move {
        let mut backoff = Backoff::new();
        loop {
            let url = socket_url(&format!("{}/ws?token={token}", base(&key)));
            if let Ok(socket) = WebSocket::open(&url) {
                let (_write, mut read) = socket.split();
                while let Some(Ok(frame)) = read.next().await {
                    let WsMessage::Text(text) = frame else {
                        continue;
                    };
                    match serde_json::from_str(&text) {
                        Ok(VisitorFrame::Hello) => {
                            backoff.reset();
                            on(VisitorSignal::Connected);
                        }
                        Ok(VisitorFrame::Message { message }) => {
                            on(VisitorSignal::Message(message))
                        }
                        Err(_) => {}
                    }
                }
            }
            on(VisitorSignal::Disconnected);
            backoff.wait().await;
        }
    };
    spawn_local(async move {
        let _ = Abortable::new(task, registration).await;
    });
    LiveHandle::listening(abort)
}

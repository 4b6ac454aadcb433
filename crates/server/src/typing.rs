//! Typing indicators (C7): what an agent's socket says about its composer, checked and
//! handed to the other agents' sockets of the workspace, on this replica through the
//! [`Hub`](crate::realtime::Hub) and on the others through the store's signals; and, while
//! an agent types a message to a contact of a provider channel that shows typing, to the
//! contact through [`crate::channels::show_typing`].
//!
//! Nothing is stored: a signal missed is simply not shown, and every indicator expires on
//! its own unless renewed.

use crate::state::AppState;
use axum::extract::ws::Utf8Bytes;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use switchboard_protocol::events::{ClientFrame, ServerFrame, Typing};
use switchboard_protocol::{ConversationId, MessageKind, Permissions, User, UserId, WorkspaceId};
use switchboard_storage::{StoreError, StoreResult};

/// A socket's renewals closer together than this are dropped (clients renew every 3 s).
const MIN_RENEWAL: Duration = Duration::from_millis(1_000);

/// Client frames are tiny; anything longer is not one.
const MAX_CLIENT_FRAME: usize = 512;

/// A typing signal as replicas pass it on: the frame plus who may see it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TypingSignal {
    pub typing: Typing,
    /// The conversation's contact is blocked: only members who may view blocked contacts
    /// hear of it.
    pub contact_blocked: bool,
    #[serde(skip)]
    frame: Option<Utf8Bytes>,
}

impl TypingSignal {
    pub(crate) fn new(typing: Typing, contact_blocked: bool) -> TypingSignal {
        let mut signal = TypingSignal {
            typing,
            contact_blocked,
            frame: None,
        };
        signal.frame = serde_json::to_string(&ServerFrame::Typing(signal.typing.clone()))
            .ok()
            .map(Utf8Bytes::from);
        signal
    }

    /// The frame for a socket of `user` with `permissions`, if they may have it (nobody is
    /// told about their own typing).
    pub fn frame_for(&self, user: UserId, permissions: Permissions) -> Option<Utf8Bytes> {
        if self.typing.user_id == user || (self.contact_blocked && !permissions.view_blocked) {
            return None;
        }
        self.frame.clone()
    }
}

#[derive(Clone, Copy)]
struct Current {
    conversation: ConversationId,
    kind: MessageKind,
    contact_blocked: bool,
    renewed: Instant,
}

/// One socket's typing state: where its agent is typing, and when it last said so.
#[derive(Default)]
pub struct Composer {
    current: Option<Current>,
}

impl Composer {
    /// Acts on a frame the agent's app sent. Unknown or malformed frames, conversations
    /// outside the workspace and ones the member may not see are ignored.
    pub async fn receive(
        &mut self,
        state: &AppState,
        workspace: WorkspaceId,
        user: &User,
        permissions: Permissions,
        text: &str,
    ) -> StoreResult<()> {
        if text.len() > MAX_CLIENT_FRAME {
            return Ok(());
        }
        let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
            return Ok(());
        };
        match frame {
            ClientFrame::Typing {
                conversation_id,
                kind,
            } => {
                let now = Instant::now();
                if let Some(current) = self.current
                    && current.conversation == conversation_id
                    && current.kind == kind
                    && now.duration_since(current.renewed) < MIN_RENEWAL
                {
                    return Ok(());
                }
                // Typing somewhere else ends the previous indicator.
                if self
                    .current
                    .is_some_and(|c| c.conversation != conversation_id)
                {
                    self.stop(state, workspace, user).await?;
                }
                let conversation = match state.store.conversation(workspace, conversation_id).await
                {
                    Ok(conversation) if conversation.visible_to(permissions) => conversation,
                    Ok(_) | Err(StoreError::NotFound) => return Ok(()),
                    Err(error) => return Err(error),
                };
                let blocked = conversation.contact.blocked;
                // The contact sees an agent typing a message (never a comment) where their
                // channel shows it.
                if kind == MessageKind::Message
                    && conversation.channel.delivers_through_provider()
                    && conversation.channel.capabilities().typing
                    && !blocked
                {
                    let state = state.clone();
                    let channel = conversation.channel;
                    tokio::spawn(async move {
                        crate::channels::show_typing(&state, workspace, conversation_id, channel)
                            .await;
                    });
                }
                self.current = Some(Current {
                    conversation: conversation_id,
                    kind,
                    contact_blocked: blocked,
                    renewed: now,
                });
                let typing = Typing {
                    conversation_id,
                    user_id: user.id,
                    name: user.name.clone(),
                    kind,
                    active: true,
                };
                publish(state, workspace, TypingSignal::new(typing, blocked)).await
            }
            ClientFrame::TypingStopped { conversation_id } => {
                if self
                    .current
                    .is_some_and(|c| c.conversation == conversation_id)
                {
                    self.stop(state, workspace, user).await?;
                }
                Ok(())
            }
        }
    }

    /// The agent stopped typing (or their socket closed): tell the others at once.
    pub async fn stop(
        &mut self,
        state: &AppState,
        workspace: WorkspaceId,
        user: &User,
    ) -> StoreResult<()> {
        let Some(current) = self.current.take() else {
            return Ok(());
        };
        let typing = Typing {
            conversation_id: current.conversation,
            user_id: user.id,
            name: user.name.clone(),
            kind: current.kind,
            active: false,
        };
        publish(
            state,
            workspace,
            TypingSignal::new(typing, current.contact_blocked),
        )
        .await
    }
}

pub(crate) async fn publish(
    state: &AppState,
    workspace: WorkspaceId,
    signal: TypingSignal,
) -> StoreResult<()> {
    if let Ok(payload) = serde_json::to_string(&signal) {
        state.store.broadcast_signal(workspace, &payload).await?;
    }
    state.hub.signal(workspace, signal);
    Ok(())
}

/// Hands the typing signals of other replicas to this process's sockets. `None` when the
/// store has no other writers.
pub async fn relay_foreign_signals(
    state: &AppState,
) -> StoreResult<Option<tokio::task::JoinHandle<()>>> {
    let Some(mut feed) = state.store.foreign_signals().await? else {
        return Ok(None);
    };
    let state = state.clone();
    Ok(Some(tokio::spawn(async move {
        while let Some(notice) = feed.recv().await {
            match serde_json::from_str::<TypingSignal>(&notice.payload) {
                Ok(signal) => state.hub.signal(
                    notice.workspace,
                    TypingSignal::new(signal.typing, signal.contact_blocked),
                ),
                Err(error) => tracing::warn!(%error, "skipping a malformed typing signal"),
            }
        }
    })))
}

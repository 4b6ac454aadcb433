//! Reading the agent socket's frames ([`ServerFrame`]) the way the app does: as one struct
//! of every field a frame may have, read straight from the JSON, then put together. The
//! derived reader of an internally tagged enum first buffers the frame, which compiles every
//! reader of a message and a conversation a second time into the app's first load. Same
//! wire format and same answers: a kind this build does not know is `Unknown`, a known kind
//! missing a field is an error.

use crate::events::{Event, EventPayload, ServerFrame, Typing, WorkspacePart};
use crate::ids::*;
use crate::model::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};

/// A [`ServerFrame`] read without buffering: `serde_json::from_str::<ReadFrame>(text)`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadFrame(pub ServerFrame);

#[derive(Deserialize)]
struct FrameFields {
    #[serde(rename = "type")]
    frame: String,
    seq: Option<u64>,
    event: Option<EventFields>,
    // A typing frame's own fields.
    conversation_id: Option<ConversationId>,
    user_id: Option<UserId>,
    name: Option<String>,
    kind: Option<MessageKind>,
    active: Option<bool>,
}

#[derive(Deserialize)]
struct EventFields {
    seq: u64,
    workspace_id: WorkspaceId,
    #[serde(deserialize_with = "crate::time::rfc3339")]
    at: DateTime<Utc>,
    payload: PayloadFields,
}

#[derive(Deserialize)]
struct PayloadFields {
    #[serde(rename = "type")]
    payload: String,
    message: Option<Message>,
    conversation: Option<ConversationSummary>,
    conversation_id: Option<ConversationId>,
    part: Option<WorkspacePart>,
}

/// The value, or serde's "missing field" error.
fn needed<T, E: serde::de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

impl PayloadFields {
    fn payload<E: serde::de::Error>(self) -> Result<EventPayload, E> {
        Ok(match self.payload.as_str() {
            "message_created" => EventPayload::MessageCreated {
                message: needed(self.message, "message")?,
                conversation: needed(self.conversation, "conversation")?,
            },
            "message_updated" => EventPayload::MessageUpdated {
                message: needed(self.message, "message")?,
                conversation: needed(self.conversation, "conversation")?,
            },
            "conversation_updated" => EventPayload::ConversationUpdated {
                conversation: needed(self.conversation, "conversation")?,
            },
            "conversation_hidden" => EventPayload::ConversationHidden {
                conversation_id: needed(self.conversation_id, "conversation_id")?,
            },
            "workspace_changed" => EventPayload::WorkspaceChanged {
                part: needed(self.part, "part")?,
            },
            _ => EventPayload::Unknown,
        })
    }
}

impl<'de> Deserialize<'de> for ReadFrame {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = FrameFields::deserialize(deserializer)?;
        Ok(ReadFrame(match f.frame.as_str() {
            "hello" => ServerFrame::Hello {
                seq: needed(f.seq, "seq")?,
            },
            "reset" => ServerFrame::Reset {
                seq: needed(f.seq, "seq")?,
            },
            "event" => {
                let e = needed(f.event, "event")?;
                ServerFrame::Event {
                    event: Box::new(Event {
                        seq: e.seq,
                        workspace_id: e.workspace_id,
                        at: e.at,
                        payload: e.payload.payload::<D::Error>()?,
                    }),
                }
            }
            "typing" => ServerFrame::Typing(Typing {
                conversation_id: needed(f.conversation_id, "conversation_id")?,
                user_id: needed(f.user_id, "user_id")?,
                name: needed(f.name, "name")?,
                kind: needed(f.kind, "kind")?,
                active: needed(f.active, "active")?,
            }),
            _ => ServerFrame::Unknown,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conversation() -> serde_json::Value {
        json!({
            "id": 7, "workspace_id": 1,
            "contact": {"id": 3, "first_name": "Olivia", "last_name": "Bennett", "email": null, "phone": null},
            "status": "open", "channel": "telegram", "channel_id": 2,
            "last_message": {"kind": "message", "direction": "incoming", "text": "Hello"},
            "last_activity_at": "2026-11-20T10:00:00Z", "unread_count": 1, "snoozed_until": null,
            "status_since": "2026-11-20T09:00:00Z",
            "assignee": {"kind": "user", "id": 5, "name": "Maria"},
            "last_incoming_at": "2026-11-20T10:00:00Z", "awaiting_reply": true
        })
    }

    fn message() -> serde_json::Value {
        json!({
            "id": 11, "conversation_id": 7, "client_id": null, "kind": "message",
            "direction": "incoming",
            "sender": {"kind": "contact", "name": "Olivia Bennett", "user_id": null},
            "channel": "telegram", "content": {"type": "text", "text": "Hello **there**"},
            "delivery_status": null, "created_at": "2026-11-20T10:00:00Z",
            "attachments": [{"id": 4, "name": "a.png", "content_type": "image/png", "size": 10, "url": "/f/4"}]
        })
    }

    fn event(payload: serde_json::Value) -> serde_json::Value {
        json!({"type": "event", "event": {"seq": 42, "workspace_id": 1, "at": "2026-11-20T10:00:01Z", "payload": payload}})
    }

    /// Both readers' answers for the same text.
    fn both(frame: &serde_json::Value) -> (Option<ServerFrame>, Option<ServerFrame>) {
        let text = frame.to_string();
        (
            serde_json::from_str::<ServerFrame>(&text).ok(),
            serde_json::from_str::<ReadFrame>(&text).ok().map(|r| r.0),
        )
    }

    #[test]
    fn every_frame_reads_as_the_derived_reader_reads_it() {
        let frames = [
            json!({"type": "hello", "seq": 3}),
            json!({"type": "reset", "seq": 9}),
            json!({"type": "typing", "conversation_id": 7, "user_id": 5, "name": "Maria", "kind": "comment", "active": true}),
            event(
                json!({"type": "message_created", "message": message(), "conversation": conversation()}),
            ),
            event(
                json!({"type": "message_updated", "message": message(), "conversation": conversation()}),
            ),
            event(json!({"type": "conversation_updated", "conversation": conversation()})),
            event(json!({"type": "conversation_hidden", "conversation_id": 7})),
            event(json!({"type": "workspace_changed", "part": "snippets"})),
            // Kinds added after this build.
            json!({"type": "presence", "user_id": 5}),
            event(json!({"type": "reaction_added", "emoji": "👍"})),
        ];
        for frame in &frames {
            let (derived, read) = both(frame);
            assert!(derived.is_some(), "a valid frame: {frame}");
            assert_eq!(read, derived, "{frame}");
        }
        let (_, read) = both(&frames[3]);
        let Some(ServerFrame::Event { event }) = read else {
            panic!("an event");
        };
        let EventPayload::MessageCreated {
            message,
            conversation,
        } = event.payload
        else {
            panic!("a new message");
        };
        assert_eq!(message.attachments.len(), 1);
        assert_eq!(conversation.contact.first_name, "Olivia");
        assert_eq!(event.seq, 42);
    }

    #[test]
    fn a_known_frame_missing_a_field_or_with_a_wrong_one_is_refused() {
        let bad = [
            json!({"type": "hello"}),
            json!({"type": "typing", "conversation_id": 7, "user_id": 5, "name": "Maria", "kind": "comment"}),
            json!({"type": "typing", "conversation_id": 7, "user_id": 5, "name": "Maria", "kind": "shout", "active": true}),
            json!({"type": "event"}),
            event(json!({"type": "message_created", "message": message()})),
            event(json!({"type": "workspace_changed", "part": "weather"})),
            json!({"seq": 3}),
            json!("hello"),
        ];
        for frame in &bad {
            let (derived, read) = both(frame);
            assert_eq!(derived, None, "the derived reader refuses {frame}");
            assert_eq!(read, None, "so does this one: {frame}");
        }
    }
}

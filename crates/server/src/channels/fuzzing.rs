//! Property tests ("fuzz targets") for every inbound parser: whatever bytes or JSON a
//! provider — or someone pretending to be one after the signature check failed to stop
//! them — sends, parsing answers an error or well-formed items, and never panics.

use super::{Inbound, email, telegram, tiktok, whatsapp};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A value that is usually of the documented type and sometimes anything at all.
fn or_any(usual: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![4 => usual, 1 => any_json()].boxed()
}

fn id() -> BoxedStrategy<Value> {
    or_any(any::<i64>().prop_map(Value::from))
}

fn text() -> BoxedStrategy<Value> {
    or_any("\\PC{0,60}".prop_map(Value::from))
}

/// A Telegram `Message` with any subset of the fields Switchboard reads.
fn telegram_message() -> impl Strategy<Value = Value> {
    (
        id(),
        id(),
        id(),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(or_any(Just(json!([{ "file_id": "x", "width": 1, "height": 1 }])))),
        prop::option::of(or_any(
            (any::<f64>(), any::<f64>())
                .prop_filter("finite", |(a, b)| a.is_finite() && b.is_finite())
                .prop_map(|(a, b)| json!({ "latitude": a, "longitude": b })),
        )),
        prop::option::of(or_any(
            (text(), text()).prop_map(|(p, n)| json!({ "phone_number": p, "first_name": n })),
        )),
        prop::option::of(or_any(text().prop_map(|e| json!({ "emoji": e })))),
    )
        .prop_map(
            |(message_id, chat, date, body, caption, photo, location, contact, sticker)| {
                let mut m = json!({ "message_id": message_id, "chat": { "id": chat, "type": "private" }, "date": date });
                for (key, value) in [
                    ("text", body),
                    ("caption", caption),
                    ("photo", photo),
                    ("location", location),
                    ("contact", contact),
                    ("sticker", sticker),
                ] {
                    if let Some(value) = value {
                        m[key] = value;
                    }
                }
                m
            },
        )
}

fn telegram_update() -> impl Strategy<Value = Value> {
    (
        id(),
        prop::option::of(telegram_message()),
        prop::option::of(telegram_message()),
        prop::option::of(telegram_message()),
    )
        .prop_map(|(update_id, message, edited, reply)| {
            let mut u = json!({ "update_id": update_id });
            if let Some(mut message) = message {
                if let Some(reply) = reply {
                    message["reply_to_message"] = reply;
                }
                u["message"] = message;
            }
            if let Some(edited) = edited {
                u["edited_message"] = edited;
            }
            u
        })
}

/// A WhatsApp message object of any documented type (or none).
fn whatsapp_message() -> impl Strategy<Value = Value> {
    let kind = or_any(
        prop::sample::select(vec![
            "text",
            "image",
            "video",
            "audio",
            "document",
            "sticker",
            "location",
            "contacts",
            "interactive",
            "button",
            "reaction",
            "unsupported",
            "order",
        ])
        .prop_map(Value::from),
    );
    (kind, text(), text(), text(), any_json(), prop::option::of(text()))
        .prop_map(|(kind, from, id, body, detail, context)| {
            let mut m = json!({
                "from": from, "id": id, "timestamp": "1750263700", "type": kind,
                "text": { "body": body },
                "image": { "caption": body.clone() }, "document": { "filename": body.clone() },
                "location": { "latitude": 1.5, "longitude": -2.25, "name": detail.clone() },
                "contacts": [{ "name": { "formatted_name": body.clone() }, "phones": [{ "phone": detail.clone() }] }],
                "interactive": { "type": "button_reply", "button_reply": { "id": "x", "title": body.clone() } },
                "button": { "text": body.clone(), "payload": detail },
                "reaction": { "message_id": "wamid.X", "emoji": body },
            });
            if let Some(context) = context {
                m["context"] = json!({ "id": context });
            }
            m
        })
}

fn whatsapp_notification() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(or_any(whatsapp_message()), 0..3),
        prop::collection::vec(
            or_any(
                (text(), or_any(prop::sample::select(vec!["sent", "delivered", "read", "failed", "deleted"]).prop_map(Value::from)), any_json())
                    .prop_map(|(id, status, errors)| json!({ "id": id, "status": status, "errors": [errors] })),
            ),
            0..3,
        ),
        text(),
    )
        .prop_map(|(messages, statuses, name)| {
            json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{
                "field": "messages",
                "value": { "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
                           "contacts": [{ "profile": { "name": name }, "wa_id": "16505551234" }],
                           "messages": messages, "statuses": statuses }
            }]}]})
        })
}

/// The business account the TikTok events below are for.
const TIKTOK_BUSINESS: &str = "-000m4JH_b1JiHPxoOSKii9FmQCeIA2fZ7Jw";

/// The `content` of a TikTok direct-message event, of any documented type (or none), to
/// this business or another, with any field sometimes of any shape.
fn tiktok_content() -> impl Strategy<Value = Value> {
    let kind = or_any(
        prop::sample::select(vec![
            "text",
            "image",
            "share_post",
            "sticker",
            "video",
            "emoji",
        ])
        .prop_map(Value::from),
    );
    let to = or_any(
        prop::sample::select(vec![TIKTOK_BUSINESS, "another-business", ""]).prop_map(Value::from),
    );
    (
        kind,
        to,
        text(),
        text(),
        text(),
        text(),
        or_any(any::<i64>().prop_map(Value::from)),
        any_json(),
    )
        .prop_map(
            |(kind, to, conversation, message, from, body, timestamp, extra)| {
                json!({
                    "timestamp": timestamp, "unique_identifier": "+ZMM6I2kBFMY",
                    "from_user": { "id": "+ZMM6I2kBFMY", "role": "personal_account" },
                    "to_user": { "id": to, "role": "business_account" },
                    "from": from, "to": "northwind", "conversation_id": conversation,
                    "message_id": message, "type": kind, "text": { "body": body },
                    "image": { "media_id": extra.clone() },
                    "referenced_message_info": { "referenced_message_id": extra },
                })
            },
        )
}

/// A TikTok webhook event: `content` usually a JSON string of [`tiktok_content`].
fn tiktok_event() -> impl Strategy<Value = Value> {
    let event = or_any(
        prop::sample::select(vec![
            "im_receive_msg",
            "im_send_msg",
            "im_mark_read_msg",
            "im_receive_msg_eu",
        ])
        .prop_map(Value::from),
    );
    let content = or_any(tiktok_content().prop_map(|c| Value::from(c.to_string())));
    (event, content, or_any(any::<i64>().prop_map(Value::from))).prop_map(
        |(event, content, create_time)| {
            json!({ "client_key": "7623241219121414161", "event": event,
                    "create_time": create_time, "user_openid": TIKTOK_BUSINESS,
                    "content": content })
        },
    )
}

/// What every parsed item must be, whatever came in.
fn well_formed(items: &[Inbound]) -> Result<(), TestCaseError> {
    for item in items {
        match item {
            Inbound::Message(m) => {
                // Without both there is nothing to find the contact or deduplicate by.
                prop_assert!(!m.external_id.is_empty());
                prop_assert!(!m.sender.is_empty());
            }
            Inbound::Edit { .. } => {}
            Inbound::Status { error, status, .. } => {
                prop_assert_eq!(
                    error.is_some(),
                    *status == switchboard_protocol::DeliveryStatus::Failed
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn telegram_reads_any_bytes_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = telegram::parse(&bytes);
    }

    #[test]
    fn telegram_updates_of_any_shape_parse_into_well_formed_items(update in telegram_update()) {
        let bytes = serde_json::to_vec(&update).expect("json");
        if let Ok(items) = telegram::parse(&bytes) {
            well_formed(&items)?;
            prop_assert!(items.len() <= 1);
            for item in &items {
                if let Inbound::Message(m) = item {
                    prop_assert_eq!(Some(m.sender.as_str()), m.external_id.split(':').next());
                }
            }
        }
    }

    #[test]
    fn whatsapp_reads_any_bytes_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = whatsapp::parse(&bytes, "106540352242922");
    }

    #[test]
    fn whatsapp_notifications_of_any_shape_parse_into_well_formed_items(n in whatsapp_notification()) {
        let bytes = serde_json::to_vec(&n).expect("json");
        // Another number's notifications (the same app's callback) are not read here.
        let elsewhere = whatsapp::parse(&bytes, "999").unwrap_or_default();
        prop_assert!(elsewhere.is_empty());
        let items = whatsapp::parse(&bytes, "106540352242922");
        prop_assert!(items.is_ok(), "a notification of the documented shape is read");
        let items = items.unwrap_or_default();
        well_formed(&items)?;
        // Every message that names its sender and its id is kept, whatever else it holds.
        let named = n["entry"][0]["changes"][0]["value"]["messages"]
            .as_array()
            .map_or(0, |messages| {
                messages
                    .iter()
                    .filter(|m| {
                        let present = |k: &str| m[k].as_str().is_some_and(|s| !s.trim().is_empty());
                        present("from") && present("id")
                    })
                    .count()
            });
        let kept = items.iter().filter(|i| matches!(i, Inbound::Message(_))).count();
        prop_assert_eq!(kept, named);
        for item in &items {
            if let Inbound::Message(m) = item {
                prop_assert_eq!(m.phone.clone(), Some(format!("+{}", m.sender)));
            }
        }
    }

    #[test]
    fn tiktok_reads_any_bytes_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = tiktok::parse(&bytes, TIKTOK_BUSINESS);
    }

    #[test]
    fn tiktok_events_of_any_shape_parse_into_well_formed_items(e in tiktok_event()) {
        let bytes = serde_json::to_vec(&e).expect("json");
        let Ok(items) = tiktok::parse(&bytes, TIKTOK_BUSINESS) else {
            return Ok(());
        };
        well_formed(&items)?;
        prop_assert!(items.len() <= 1);
        // Another business's events are not read here.
        let elsewhere = tiktok::parse(&bytes, "999").unwrap_or_default();
        prop_assert!(elsewhere.is_empty());
        let content: Option<Value> = e["content"].as_str().and_then(|c| serde_json::from_str(c).ok());
        let present = |c: &Value, k: &str| c[k].as_str().is_some_and(|s| !s.trim().is_empty());
        // A contact's message to this business that names its conversation and itself is
        // kept, whatever else it holds; nothing else is.
        let kept = e["event"] == "im_receive_msg"
            && content.as_ref().is_some_and(|c| {
                c["to_user"]["id"] == TIKTOK_BUSINESS
                    && present(c, "conversation_id")
                    && present(c, "message_id")
            });
        prop_assert_eq!(items.len(), usize::from(kept));
        for item in &items {
            let Inbound::Message(m) = item else {
                return Err(TestCaseError::fail("only messages come from TikTok"));
            };
            let c = content.clone().unwrap_or_default();
            // Answers go to the conversation.
            prop_assert_eq!(Some(m.sender.as_str()), c["conversation_id"].as_str());
            prop_assert_eq!(Some(m.external_id.as_str()), c["message_id"].as_str());
            // A picture is fetched by its media id, within its conversation and message;
            // nothing else carries a file.
            if c["type"] == "image" && present(&c["image"], "media_id") {
                prop_assert_eq!(m.files.len(), 1);
                let id: Value = serde_json::from_str(&m.files[0].id).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(id, serde_json::json!([c["conversation_id"], c["message_id"], c["image"]["media_id"]]));
            } else {
                prop_assert!(m.files.is_empty());
            }
            if c["type"] == "text" && c["text"]["body"].is_string() {
                prop_assert_eq!(&m.content, &switchboard_protocol::Content::Text {
                    text: c["text"]["body"].as_str().unwrap_or_default().to_owned()
                });
            } else {
                let unsupported = matches!(m.content, switchboard_protocol::Content::Unsupported { .. });
                prop_assert!(unsupported);
            }
        }
    }

    #[test]
    fn email_reads_any_bytes_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = email::parse(&bytes);
    }

    #[test]
    fn email_reads_damaged_mime_without_panicking(mail in mime_message(), cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6)) {
        let mut bytes = mail.into_bytes();
        for (at, byte) in cuts {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
        }
        if let Some(parsed) = email::parse(&bytes) {
            well_formed(&[Inbound::Message(Box::new(parsed.incoming.clone()))])?;
            prop_assert_eq!(parsed.files.0.len(), parsed.incoming.files.len());
            if let switchboard_protocol::Content::Email { html: Some(html), .. } = &parsed.incoming.content {
                for tag in tags(html) {
                    let lower = tag.to_lowercase();
                    // Text may say anything; tags may not run or fetch anything.
                    prop_assert!(!lower.starts_with("<script") && !lower.starts_with("<iframe"), "{}", html);
                    prop_assert!(!lower.contains("javascript:") && !lower.contains(" src="), "{}", html);
                    prop_assert!(!lower.split_whitespace().skip(1).any(|a| a.starts_with("on")), "{}", html);
                }
            }
        }
    }
}

/// The tags of sanitized HTML (`<` up to `>`; sanitized text has its `<` escaped).
fn tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start..];
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        tags.push(&after[..end]);
        rest = &after[end..];
    }
    tags
}

/// A MIME message of the shapes mail programs send: headers in any case and encoding,
/// multipart bodies (nested or not) with text, HTML and files, charsets old and new.
fn mime_message() -> impl Strategy<Value = String> {
    let charset = prop_oneof![
        Just("utf-8"),
        Just("iso-8859-1"),
        Just("koi8-r"),
        Just("windows-1251"),
        Just("x-unknown"),
    ];
    let encoding = prop_oneof![
        Just("7bit"),
        Just("8bit"),
        Just("base64"),
        Just("quoted-printable")
    ];
    let html = prop_oneof![
        Just("<p>Hello <b>there</b></p>".to_owned()),
        Just("<script>alert(1)</script><img src=x onerror=alert(2)><a href='javascript:alert(3)'>x</a>".to_owned()),
        Just("<p style=\"x\">unterminated <a href=\"JaVaScRiPt:alert(1)\"".to_owned()),
        "\\PC{0,80}",
    ];
    (
        "\\PC{0,30}",
        "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}",
        charset,
        encoding,
        "\\PC{0,120}",
        html,
        prop::option::of("[\\PC&&[^\"]]{0,20}"),
        any::<bool>(),
    )
        .prop_map(|(name, from, charset, encoding, text, html, file, nested)| {
            let alternative = format!(
                "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{text}\r\n--alt\r\nContent-Type: text/html; charset={charset}\r\n\r\n{html}\r\n--alt--\r\n"
            );
            let body = match (&file, nested) {
                (Some(file), _) => format!(
                    "Content-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n--mix\r\n{alternative}--mix\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"{file}\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n--mix--\r\n"
                ),
                (None, true) => alternative,
                (None, false) => format!("Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{text}\r\n"),
            };
            format!("From: \"{name}\" <{from}>\r\nSubject: =?{charset}?Q?{text}?=\r\nMessage-ID: <{from}>\r\nMIME-Version: 1.0\r\n{body}")
        })
}

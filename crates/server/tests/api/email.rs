//! The e-mail channel end to end against real local mail servers (Debian's dovecot for
//! IMAP, aiosmtpd for SMTP): connecting a mailbox (both logins checked, mail already in the
//! inbox left alone), new mail read into conversations (charsets, HTML sanitized, files
//! kept, a repeat stored once, the contact's answers threaded into the same conversation),
//! and agents' answers sent over SMTP with C9's subject rule and threading headers.

use crate::common;

use common::mail_servers::{Certificates, Imap, Smtp};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use switchboard_protocol::channels::{ChannelCheck, ChannelInfo};
use switchboard_protocol::*;

const ADDRESS: &str = "help@shop.test";

struct Setup {
    server: Server,
    imap: Imap,
    smtp: Smtp,
    ws: WorkspaceId,
    maria: Agent,
}

fn settings(imap: &Imap, smtp: &Smtp, password: &str) -> Value {
    json!({
        "name": "Support mail",
        "address": ADDRESS,
        "username": imap.user,
        "password": password,
        "imap": { "host": "127.0.0.1", "port": imap.port, "security": "none" },
        "smtp": { "host": "127.0.0.1", "port": smtp.port, "security": "none" },
    })
}

/// A demo server (configured by `change`) with a mailbox connected by Maria (a manager);
/// the inbox already held `already_there` when it was connected.
async fn connected_with(
    change: impl FnOnce(&mut switchboard_server::Config),
    already_there: &[Vec<u8>],
) -> Setup {
    let imap = Imap::start().await;
    let smtp = Smtp::start().await;
    for raw in already_there {
        imap.append(raw).await;
    }
    let server = Server::start_configured(change).await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let response = maria
        .post(
            &server.api(&format!("/workspaces/{ws}/channels/email")),
            settings(&imap, &smtp, &imap.password),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let channel: ChannelInfo = response.json().await.expect("a channel");
    assert_eq!(channel.kind, ChannelKind::Email);
    assert_eq!(channel.name, "Support mail");
    assert!(channel.capabilities.subject);
    Setup {
        server,
        imap,
        smtp,
        ws,
        maria,
    }
}

/// A mailbox read every 100 ms, whose inbox already held one old message.
async fn connected() -> Setup {
    let old = mail(
        "old@example.com",
        "Old Sender",
        "old-1@example.com",
        "Last year",
        "An old message",
        None,
    );
    connected_with(
        |config| {
            config.email_poll_ms = 100;
            config.outbox_retry_base_ms = 200;
        },
        &[old],
    )
    .await
}

/// The field a 422 answer names.
async fn invalid_field(response: reqwest::Response) -> Option<String> {
    expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await
    .0
    .field
}

/// A plain UTF-8 message.
fn mail(
    from: &str,
    name: &str,
    id: &str,
    subject: &str,
    body: &str,
    in_reply_to: Option<&str>,
) -> Vec<u8> {
    let mut headers = format!(
        "From: \"{name}\" <{from}>\r\nTo: {ADDRESS}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Tue, 3 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
    );
    if let Some(parent) = in_reply_to {
        headers.push_str(&format!(
            "In-Reply-To: <{parent}>\r\nReferences: <{parent}>\r\n"
        ));
    }
    format!("{headers}\r\n{body}\r\n").into_bytes()
}

impl Setup {
    /// Waits until the named contact's conversation holds `n` messages; its messages, oldest
    /// first.
    async fn wait_messages(
        &self,
        first_name: &str,
        n: usize,
    ) -> (ConversationSummary, Vec<Message>) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let found = self
                .server
                .all_conversations(self.ws)
                .await
                .into_iter()
                .find(|c| c.contact.first_name == first_name);
            if let Some(conversation) = found {
                let mut messages = self.server.thread(self.ws, conversation.id).await;
                if messages.len() >= n {
                    messages.reverse();
                    return (conversation, messages);
                }
            }
            assert!(
                Instant::now() < deadline,
                "{first_name}'s conversation did not reach {n} messages"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn email_of(message: &Message) -> (String, String, Option<String>, bool) {
    match &message.content {
        Content::Email {
            subject,
            text,
            html,
            remote_images,
        } => (subject.clone(), text.clone(), html.clone(), *remote_images),
        other => panic!("not an e-mail: {other:?}"),
    }
}

/// A header of a raw message, unfolded.
fn header(raw: &[u8], name: &str) -> Option<String> {
    let message = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("the sent mail parses");
    message
        .header_raw(name)
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[tokio::test]
async fn new_mail_becomes_a_conversation_and_answers_thread_back() {
    let s = connected().await;
    // Latin-1 text, as many mail programs still send it.
    let mut raw = b"From: \"Olga Petrova\" <olga@example.com>\r\nTo: help@shop.test\r\nSubject: Where is my order?\r\nMessage-ID: <m1@example.com>\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\nHello, where is order 42?\r\nGr".to_vec();
    raw.extend_from_slice(&[0xfc, 0xdf, 0x65]);
    raw.extend_from_slice(b", Olga\r\n");
    s.imap.append(&raw).await;
    let (olga, messages) = s.wait_messages("Olga", 1).await;
    assert_eq!(olga.contact.last_name, "Petrova");
    assert_eq!(olga.contact.email.as_deref(), Some("olga@example.com"));
    assert_eq!(olga.channel, ChannelKind::Email);
    let (subject, text, html, _) = email_of(&messages[0]);
    assert_eq!(subject, "Where is my order?");
    assert!(text.contains("Grüße, Olga"), "{text}");
    assert_eq!(html, None);
    assert!(
        !s.server
            .all_conversations(s.ws)
            .await
            .iter()
            .any(|c| c.contact.email.as_deref() == Some("old@example.com")),
        "mail already in the inbox when it was connected is left alone"
    );

    // The same message again (a second copy in the mailbox) is stored once.
    s.imap.append(&raw).await;

    let answer = s
        .maria
        .reply(
            &s.server,
            s.ws,
            olga.id,
            "a1",
            "message",
            "It left the warehouse today.",
        )
        .await;
    let sent = s.smtp.wait_for(1).await;
    let first = &sent[0];
    assert_eq!(first.to, vec!["olga@example.com".to_owned()]);
    assert_eq!(first.from, ADDRESS);
    assert_eq!(
        header(&first.raw, "Subject").as_deref(),
        Some("Re: Where is my order?")
    );
    assert_eq!(
        header(&first.raw, "In-Reply-To").as_deref(),
        Some("<m1@example.com>")
    );
    assert_eq!(
        header(&first.raw, "References").as_deref(),
        Some("<m1@example.com>")
    );
    let body = String::from_utf8_lossy(&first.raw);
    assert!(body.contains("It left the warehouse today."), "{body}");
    let our_id = header(&first.raw, "Message-ID").expect("a Message-ID");
    let our_id = our_id.trim_matches(['<', '>']).to_owned();
    assert!(our_id.ends_with("@shop.test"), "{our_id}");

    // Olga answers our message: the same conversation, threaded by our Message-ID.
    s.imap
        .append(&mail(
            "olga@example.com",
            "Olga Petrova",
            "m2@example.com",
            "Re: Where is my order?",
            "Thank you!\r\n\r\nOn Tue, Support wrote:\r\n> It left the warehouse today.",
            Some(&our_id),
        ))
        .await;
    let (again, messages) = s.wait_messages("Olga", 3).await;
    assert_eq!(again.id, olga.id);
    assert_eq!(messages.len(), 3, "the repeated copy added nothing");
    assert_eq!(messages[1].id, answer.id);
    assert_eq!(messages[1].delivery_status, Some(DeliveryStatus::Sent));
    assert_eq!(
        messages[2].reply_to.as_ref().map(|r| r.id),
        Some(answer.id),
        "In-Reply-To names our answer"
    );

    // The next answer keeps the subject and carries the whole thread in References.
    s.maria
        .reply(
            &s.server,
            s.ws,
            olga.id,
            "a2",
            "message",
            "You are welcome.",
        )
        .await;
    let sent = s.smtp.wait_for(2).await;
    assert_eq!(
        header(&sent[1].raw, "Subject").as_deref(),
        Some("Re: Where is my order?")
    );
    assert_eq!(
        header(&sent[1].raw, "In-Reply-To").as_deref(),
        Some("<m2@example.com>")
    );
    assert_eq!(
        header(&sent[1].raw, "References"),
        Some(format!("<m1@example.com> <{our_id}> <m2@example.com>"))
    );
}

#[tokio::test]
async fn html_mail_is_sanitized_and_its_files_are_kept() {
    let s = connected().await;
    let raw = "From: Ivan <ivan@example.com>\r\n\
To: help@shop.test\r\n\
Subject: =?UTF-8?B?0KHRh9GR0YI=?=\r\n\
Message-ID: <h1@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"m\"\r\n\
\r\n\
--m\r\n\
Content-Type: multipart/alternative; boundary=\"a\"\r\n\
\r\n\
--a\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Invoice attached\r\n\
--a\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p onmouseover=\"alert(1)\">Invoice <b>attached</b></p><script>alert(2)</script>\
<img src=\"https://tracker.example/p.gif\" onerror=\"alert(3)\"><a href=\"javascript:alert(4)\">x</a>\r\n\
--a--\r\n\
--m\r\n\
Content-Type: application/pdf\r\n\
Content-Disposition: attachment; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82.pdf\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDw+PgplbmRvYmoKdHJhaWxlcgo8PD4+CiUlRU9GCg==\r\n\
--m--\r\n";
    s.imap.append(raw.as_bytes()).await;
    let (_, messages) = s.wait_messages("Ivan", 1).await;
    let (subject, text, html, remote_images) = email_of(&messages[0]);
    assert_eq!(subject, "Счёт");
    assert_eq!(text.trim(), "Invoice attached");
    let html = html.expect("the HTML part");
    for banned in [
        "script",
        "alert",
        "onmouseover",
        "onerror",
        "javascript:",
        "tracker.example",
    ] {
        assert!(!html.contains(banned), "{banned} in {html}");
    }
    assert!(html.contains("<b>attached</b>"), "{html}");
    assert!(remote_images);
    let files = &messages[0].attachments;
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].name, "счёт.pdf");
    assert_eq!(files[0].content_type, "application/pdf");
    let bytes = s
        .maria
        .get(&s.server.api(files[0].url.trim_start_matches("/api/v1")))
        .await;
    assert_eq!(bytes.status(), StatusCode::OK);
    assert!(bytes.bytes().await.expect("bytes").starts_with(b"%PDF-1.4"));
}

#[tokio::test]
async fn a_mailbox_is_kept_only_when_both_logins_work() {
    let imap = Imap::start().await;
    let smtp = Smtp::start().await;
    let server = Server::start().await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let url = server.api(&format!("/workspaces/{ws}/channels/email"));
    let before = server.store().channels(ws).await.expect("channels").len();

    let wrong = invalid_field(
        maria
            .post(&url, settings(&imap, &smtp, "not-the-password"))
            .await,
    )
    .await;
    assert_eq!(wrong.as_deref(), Some("password"), "{wrong:?}");

    let mut unreachable = settings(&imap, &smtp, &imap.password);
    unreachable["imap"]["port"] = json!(free_port());
    let refused = invalid_field(maria.post(&url, unreachable).await).await;
    assert_eq!(refused.as_deref(), Some("imap"), "{refused:?}");

    let mut no_smtp = settings(&imap, &smtp, &imap.password);
    no_smtp["smtp"]["port"] = json!(free_port());
    let refused = invalid_field(maria.post(&url, no_smtp).await).await;
    assert_eq!(refused.as_deref(), Some("smtp"), "{refused:?}");

    let mut bad_address = settings(&imap, &smtp, &imap.password);
    bad_address["address"] = json!("not an address");
    let refused = invalid_field(maria.post(&url, bad_address).await).await;
    assert_eq!(refused.as_deref(), Some("address"));

    let anna = server.login(ANNA).await;
    let response = anna
        .post(&url, settings(&imap, &smtp, &imap.password))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "agents do not connect channels"
    );

    assert_eq!(
        server.store().channels(ws).await.expect("channels").len(),
        before,
        "nothing was kept"
    );
}

#[tokio::test]
async fn a_connected_mailbox_is_checked_by_logging_in_again() {
    let setup = connected().await;
    let channel = setup
        .server
        .store()
        .channels(setup.ws)
        .await
        .expect("channels")
        .into_iter()
        .find(|c| c.kind == ChannelKind::Email)
        .expect("the mailbox");
    let url = setup.server.api(&format!(
        "/workspaces/{}/channels/{}/check",
        setup.ws, channel.id
    ));
    let check: ChannelCheck = json_body(setup.maria.post(&url, json!({})).await).await;
    assert_eq!(
        check,
        ChannelCheck {
            ok: true,
            message: "The IMAP and SMTP servers took the login.".into()
        }
    );
    // The password was changed at the mail server: the check says so, without it.
    let mut stored: Value = serde_json::from_str(
        &setup
            .server
            .store()
            .channel_credentials(channel.id)
            .await
            .expect("credentials")
            .expect("kept"),
    )
    .expect("json");
    stored["password"] = json!("changed-elsewhere");
    setup
        .server
        .store()
        .set_channel_credentials(setup.ws, channel.id, &stored.to_string())
        .await
        .expect("credentials");
    let response = setup.maria.post(&url, json!({})).await;
    let text = response.text().await.expect("a body");
    let check: ChannelCheck = serde_json::from_str(&text).expect("a check");
    assert_eq!(
        check,
        ChannelCheck {
            ok: false,
            message: "Refused: The IMAP server refused the login.".into()
        }
    );
    assert!(!text.contains("changed-elsewhere"), "{text}");
}

#[tokio::test]
async fn mail_shows_at_once_where_the_server_offers_idle() {
    // Polling alone would take a minute.
    let s = connected_with(|config| config.email_poll_ms = 60_000, &[]).await;
    // The reader starts within a few seconds of the connection and waits in IDLE.
    tokio::time::sleep(Duration::from_secs(6)).await;
    s.imap
        .append(&mail(
            "kim@example.com",
            "Kim Lee",
            "idle-1@example.com",
            "Quick question",
            "Are you open today?",
            None,
        ))
        .await;
    // Waited for well under the minute between polls: the server was told.
    let (_, messages) = s.wait_messages("Kim", 1).await;
    assert_eq!(email_of(&messages[0]).0, "Quick question");
}

#[tokio::test]
async fn an_agents_subject_goes_out_and_only_e_mail_takes_one() {
    let s = connected().await;
    s.imap
        .append(&mail(
            "greta@example.com",
            "Greta Holm",
            "l-1@example.com",
            "Invoice",
            "Could you resend it?",
            None,
        ))
        .await;
    let (greta, _) = s.wait_messages("Greta", 1).await;
    let url = s.server.api(&format!(
        "/workspaces/{}/conversations/{}/messages",
        s.ws, greta.id
    ));
    let response = s
        .maria
        .post(&url, json!({ "client_id": "s1", "kind": "message", "text": "Here it is.", "subject": "  Your invoice 2026-042 " }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let stored: Message = response.json().await.expect("a message");
    assert!(
        matches!(&stored.content, Content::Email { subject, text, .. } if subject == "Your invoice 2026-042" && text == "Here it is."),
        "{:?}",
        stored.content
    );
    let sent = s.smtp.wait_for(1).await;
    assert_eq!(
        header(&sent[0].raw, "Subject").as_deref(),
        Some("Your invoice 2026-042")
    );
    assert_eq!(
        header(&sent[0].raw, "In-Reply-To").as_deref(),
        Some("<l-1@example.com>")
    );

    let two_lines = invalid_field(
        s.maria
            .post(
                &url,
                json!({ "client_id": "s2", "kind": "message", "text": "x", "subject": "a\nb" }),
            )
            .await,
    )
    .await;
    assert_eq!(two_lines.as_deref(), Some("subject"));
    let on_a_comment = invalid_field(
        s.maria
            .post(
                &url,
                json!({ "client_id": "s3", "kind": "comment", "text": "x", "subject": "Note" }),
            )
            .await,
    )
    .await;
    assert_eq!(on_a_comment.as_deref(), Some("subject"));
    // A website-chat conversation of the demo workspace.
    let chat = s
        .server
        .all_conversations(s.ws)
        .await
        .into_iter()
        .find(|c| c.channel == ChannelKind::WebsiteChat)
        .expect("a chat conversation");
    let elsewhere = invalid_field(
        s.maria
            .post(
                &s.server.api(&format!(
                    "/workspaces/{}/conversations/{}/messages",
                    s.ws, chat.id
                )),
                json!({ "client_id": "s4", "kind": "message", "text": "x", "subject": "Hi" }),
            )
            .await,
    )
    .await;
    assert_eq!(elsewhere.as_deref(), Some("subject"));
    assert_eq!(
        s.server.thread(s.ws, greta.id).await.len(),
        2,
        "refused sends stored nothing"
    );
}

#[tokio::test]
async fn a_backlog_is_read_in_order_and_an_oversized_mail_arrives_as_a_note() {
    let s = connected_with(
        |config| {
            config.email_poll_ms = 100;
            config.email_max_bytes = 4096;
        },
        &[],
    )
    .await;
    for i in 1..=3 {
        s.imap
            .append(&mail(
                "nina@example.com",
                "Nina Berg",
                &format!("n-{i}@example.com"),
                &format!("Part {i}"),
                "Hello",
                None,
            ))
            .await;
    }
    let big = "A long line of the attached report.\r\n".repeat(400);
    let mut raw = String::from(
        "From: Nina Berg <nina@example.com>\r\nSubject: The full report\r\nMessage-ID: <n-big@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n boundary=\"z\"\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\n",
    );
    raw.push_str(&big);
    raw.push_str("\r\n--z--\r\n");
    s.imap.append(raw.as_bytes()).await;
    let (_, messages) = s.wait_messages("Nina", 4).await;
    let subjects: Vec<String> = messages.iter().map(|m| email_of(m).0).collect();
    assert_eq!(
        subjects,
        vec!["Part 1", "Part 2", "Part 3", "The full report"],
        "in the mailbox's order"
    );
    let (_, text, _, _) = email_of(&messages[3]);
    assert!(text.contains("larger than Switchboard shows"), "{text}");
    assert!(!text.contains("long line"), "the body was not read");
}

#[tokio::test]
async fn a_mailbox_connected_in_one_workspace_cannot_be_connected_in_another() {
    let s = connected().await;
    let aurora = s.server.workspace_named("Aurora Books").await;
    let li = s.server.login("li@aurora.example").await;
    let url = s
        .server
        .api(&format!("/workspaces/{aurora}/channels/email"));
    let theirs = s
        .server
        .store()
        .channels(aurora)
        .await
        .expect("channels")
        .len();
    let taken = expect_error(
        li.post(&url, settings(&s.imap, &s.smtp, &s.imap.password))
            .await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await
    .0;
    assert!(taken.message.contains("already connected"), "{taken:?}");
    assert!(
        s.server
            .store()
            .channels(aurora)
            .await
            .expect("channels")
            .len()
            == theirs,
        "nothing was kept in the second workspace"
    );
    // The first workspace goes on reading it, alone.
    s.imap
        .append(&mail(
            "ola@example.com",
            "Ola Nordmann",
            "o-1@example.com",
            "Hei",
            "Hei!",
            None,
        ))
        .await;
    s.wait_messages("Ola", 1).await;
    assert!(
        s.server
            .all_conversations(aurora)
            .await
            .iter()
            .all(|c| c.contact.first_name != "Ola")
    );

    // Once disconnected there, it may be connected here.
    let ours = s.server.store().channels(s.ws).await.expect("channels");
    let mailbox = ours
        .iter()
        .find(|c| c.kind == ChannelKind::Email)
        .expect("the mailbox");
    let response = s
        .maria
        .delete(
            &s.server
                .api(&format!("/workspaces/{}/channels/{}", s.ws, mailbox.id)),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = li
        .post(&url, settings(&s.imap, &s.smtp, &s.imap.password))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// Waits for a message's delivery status.
async fn wait_status(
    s: &Setup,
    first_name: &str,
    message: MessageId,
    status: DeliveryStatus,
) -> Message {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (_, messages) = s.wait_messages(first_name, 1).await;
        if let Some(found) = messages
            .into_iter()
            .find(|m| m.id == message && m.delivery_status == Some(status))
        {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "message {message} never became {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_refused_recipient_fails_with_the_servers_reason_and_a_deferred_one_is_retried() {
    let s = connected().await;
    s.imap
        .append(&mail(
            "gone@bounce.test",
            "Gone Away",
            "b-1@bounce.test",
            "Hello",
            "Anyone there?",
            None,
        ))
        .await;
    s.imap
        .append(&mail(
            "kai@busy.test",
            "Kai Busy",
            "k-1@busy.test",
            "Hello",
            "Is it in stock?",
            None,
        ))
        .await;
    let (gone, _) = s.wait_messages("Gone", 1).await;
    let (kai, _) = s.wait_messages("Kai", 1).await;

    let refused = s
        .maria
        .reply(&s.server, s.ws, gone.id, "r1", "message", "Yes!")
        .await;
    let failed = wait_status(&s, "Gone", refused.id, DeliveryStatus::Failed).await;
    let reason = failed.delivery_error.unwrap_or_default();
    assert!(
        reason.contains("No such user here"),
        "the server's words are shown: {reason}"
    );

    let deferred = s
        .maria
        .reply(&s.server, s.ws, kai.id, "r2", "message", "In stock.")
        .await;
    wait_status(&s, "Kai", deferred.id, DeliveryStatus::Sent).await;
    let sent = s.smtp.wait_for(1).await;
    assert_eq!(
        sent.len(),
        1,
        "the refused one never arrived, the deferred one once"
    );
    assert_eq!(sent[0].to, vec!["kai@busy.test".to_owned()]);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A web server of pictures for e-mails to point at: `/logo.png` a real PNG, `/page.png` an
/// HTML page under a picture's name. Counts the requests it gets.
async fn image_server() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use axum::routing::get;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let hits = std::sync::Arc::new(AtomicUsize::new(0));
    let (logo_hits, page_hits) = (hits.clone(), hits.clone());
    let app = axum::Router::new()
        .route(
            "/logo.png",
            get(move || async move {
                logo_hits.fetch_add(1, Ordering::SeqCst);
                ([("content-type", "image/png")], PNG)
            }),
        )
        .route(
            "/page.png",
            get(move || async move {
                page_hits.fetch_add(1, Ordering::SeqCst);
                (
                    [("content-type", "image/png")],
                    "<html><script>x</script></html>",
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let port = listener.local_addr().expect("an address").port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, hits)
}

/// An HTML mail showing two pictures of the image server (by address and by name), and one
/// attached picture it refers to by `cid:`.
fn mail_with_pictures(id: &str, port: u16) -> Vec<u8> {
    format!(
        "From: Olga <olga@example.com>\r\n\
To: help@shop.test\r\n\
Subject: Our new logo\r\n\
Message-ID: <{id}>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Look:</p><img src=\"http://127.0.0.1:{port}/logo.png\" alt=\"Logo\">\
<img src=\"http://localhost:{port}/page.png\"><img src=\"cid:part1\">\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn remote_images_are_fetched_by_the_server_only_when_an_agent_asks() {
    use base64::Engine;
    use std::sync::atomic::Ordering;
    let (port, hits) = image_server().await;
    let s = connected_with(
        |config| {
            config.email_poll_ms = 100;
            // The image server is on this machine.
            config.email_images_from_private_addresses = true;
        },
        &[],
    )
    .await;
    s.imap
        .append(&mail_with_pictures("logo-1@example.com", port))
        .await;
    let (_, messages) = s.wait_messages("Olga", 1).await;
    let (_, _, html, remote_images) = email_of(&messages[0]);
    let html = html.expect("the HTML part");
    assert!(remote_images);
    // No address a browser would load.
    assert!(
        !html.contains("src=\"http") && !html.contains("127.0.0.1"),
        "{html}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0, "reading fetches nothing");

    let url = s.server.api(&format!(
        "/workspaces/{}/messages/{}/remote-images",
        s.ws, messages[0].id
    ));
    let response = s.maria.get(&url).await;
    assert_eq!(response.status(), StatusCode::OK);
    let loaded: channels::RemoteImages = response.json().await.expect("images");
    assert_eq!((loaded.loaded, loaded.failed), (1, 1), "{loaded:?}");
    let inline = format!(
        "src=\"data:image/png;base64,{}\"",
        base64::engine::general_purpose::STANDARD.encode(PNG)
    );
    assert!(loaded.html.contains(&inline), "{}", loaded.html);
    assert!(loaded.html.contains("alt=\"Logo\""), "{}", loaded.html);
    assert!(
        !loaded.html.contains("<script"),
        "an HTML page is no picture"
    );
    assert!(!loaded.html.contains("remote-image:"), "{}", loaded.html);
    assert_eq!(hits.load(Ordering::SeqCst), 2, "each picture fetched once");

    // Only for members who may read the e-mail, and only for e-mails.
    let outsider = s.server.login(LI).await;
    assert_eq!(outsider.get(&url).await.status(), StatusCode::NOT_FOUND);
    let anonymous = reqwest::get(&url).await.expect("answered");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let text = s.server.api(&format!(
        "/workspaces/{}/messages/{}/remote-images",
        s.ws,
        MessageId(i64::MAX)
    ));
    assert_eq!(s.maria.get(&text).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(hits.load(Ordering::SeqCst), 2, "refusals fetch nothing");
}

#[tokio::test]
async fn remote_images_on_private_addresses_are_never_fetched_by_default() {
    use std::sync::atomic::Ordering;
    let (port, hits) = image_server().await;
    let s = connected_with(|config| config.email_poll_ms = 100, &[]).await;
    s.imap
        .append(&mail_with_pictures("logo-2@example.com", port))
        .await;
    let (_, messages) = s.wait_messages("Olga", 1).await;
    let response = s
        .maria
        .get(&s.server.api(&format!(
            "/workspaces/{}/messages/{}/remote-images",
            s.ws, messages[0].id
        )))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let loaded: channels::RemoteImages = response.json().await.expect("images");
    // Neither the address written out nor a name resolving to this machine is reached.
    assert_eq!((loaded.loaded, loaded.failed), (0, 2), "{loaded:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    assert!(!loaded.html.contains("src="), "{}", loaded.html);
}

/// Settings of a mailbox whose servers speak TLS: IMAP `imap_security` on `imap_port`, SMTP
/// `smtp_security` on `smtp_port`, both at `127.0.0.1`.
fn tls_settings(
    imap: &Imap,
    imap_security: &str,
    imap_port: u16,
    smtp_security: &str,
    smtp_port: u16,
) -> Value {
    json!({
        "name": "Secure mail",
        "address": ADDRESS,
        "username": imap.user,
        "password": imap.password,
        "imap": { "host": "127.0.0.1", "port": imap_port, "security": imap_security },
        "smtp": { "host": "127.0.0.1", "port": smtp_port, "security": smtp_security },
    })
}

#[tokio::test]
async fn mail_servers_speaking_tls_and_starttls_are_checked_against_the_operators_authority() {
    let certificates = Certificates::make();
    let imap = Imap::start_tls(&certificates).await;
    let imaps = imap.tls_port.expect("an IMAP-over-TLS port");
    let submission = Smtp::start_tls("starttls", &certificates).await;
    let smtps = Smtp::start_tls("tls", &certificates).await;

    // Certificates of an authority the server does not know are refused, whichever way
    // TLS starts: nothing is kept.
    let stranger = Server::start_configured(|config| config.email_poll_ms = 100).await;
    let ws = stranger.workspace().await;
    let maria = stranger.login(MARIA).await;
    let url = stranger.api(&format!("/workspaces/{ws}/channels/email"));
    for (security, port) in [("tls", imaps), ("start_tls", imap.port)] {
        let response = maria
            .post(
                &url,
                tls_settings(&imap, security, port, "start_tls", submission.port),
            )
            .await;
        let (body, _) = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(body.field.as_deref(), Some("imap"), "{security}");
        assert!(body.message.contains("certificate"), "{}", body.message);
    }
    assert!(
        stranger
            .store()
            .channels(ws)
            .await
            .expect("channels")
            .iter()
            .all(|c| c.kind != ChannelKind::Email)
    );

    // With the authority in `email_ca_file`: IMAP over TLS and SMTP after STARTTLS.
    let ca = certificates.ca.clone();
    let server = Server::start_configured(move |config| {
        config.email_poll_ms = 100;
        config.email_ca_file = Some(ca);
    })
    .await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let url = server.api(&format!("/workspaces/{ws}/channels/email"));
    let response = maria
        .post(
            &url,
            tls_settings(&imap, "tls", imaps, "start_tls", submission.port),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let first: ChannelInfo = response.json().await.expect("a channel");
    let s = Setup {
        server,
        imap,
        smtp: submission,
        ws,
        maria,
    };
    s.imap
        .append(&mail(
            "nina@example.com",
            "Nina",
            "tls-1@example.com",
            "Over TLS",
            "Hello",
            None,
        ))
        .await;
    let (nina, _) = s.wait_messages("Nina", 1).await;
    s.maria
        .reply(&s.server, s.ws, nina.id, "tls-a1", "message", "Hello back")
        .await;
    let sent = s.smtp.wait_for(1).await;
    assert!(String::from_utf8_lossy(&sent[0].raw).contains("Hello back"));

    // The other way round: IMAP with STARTTLS, SMTP over TLS from the first byte.
    let response = s
        .maria
        .delete(
            &s.server
                .api(&format!("/workspaces/{}/channels/{}", s.ws, first.id)),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = s
        .maria
        .post(
            &url,
            tls_settings(&s.imap, "start_tls", s.imap.port, "tls", smtps.port),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    s.imap
        .append(&mail(
            "omar@example.com",
            "Omar",
            "tls-2@example.com",
            "Via STARTTLS",
            "Hi",
            None,
        ))
        .await;
    let (omar, _) = s.wait_messages("Omar", 1).await;
    s.maria
        .reply(&s.server, s.ws, omar.id, "tls-a2", "message", "Hi Omar")
        .await;
    let sent = smtps.wait_for(1).await;
    assert!(String::from_utf8_lossy(&sent[0].raw).contains("Hi Omar"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_read_a_mailbox_one_at_a_time_and_take_over_from_a_stopped_one() {
    let url = switchboard_storage_postgres::testing::fresh_database().await;
    let imap = Imap::start().await;
    let smtp = Smtp::start().await;
    let on_a = url.clone();
    let a = Server::start_configured(move |config| {
        config.database_url = Some(on_a);
        config.email_poll_ms = 100;
    })
    .await;
    let ws = a.workspace().await;
    let maria = a.login(MARIA).await;
    let response = maria
        .post(
            &a.api(&format!("/workspaces/{ws}/channels/email")),
            settings(&imap, &smtp, &imap.password),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    // A's reader logs in and waits in IDLE.
    let checked = imap.logins();
    let deadline = Instant::now() + Duration::from_secs(10);
    while imap.logins() == checked {
        assert!(
            Instant::now() < deadline,
            "A never read the mailbox:\n{}",
            imap.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let reading = imap.logins();

    // A second replica on the same database leaves the mailbox to A.
    let b = Server::start_configured(move |config| {
        config.database_url = Some(url);
        config.demo = false;
        config.email_poll_ms = 100;
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        imap.logins(),
        reading,
        "B does not read it too:\n{}",
        imap.log()
    );

    // A stops; B takes the mailbox over once A's lease runs out, and nothing is missed.
    a.stop_keeping_data().await;
    imap.append(&mail(
        "pia@example.com",
        "Pia",
        "pia-1@example.com",
        "Still there?",
        "Hello",
        None,
    ))
    .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let found = b
            .all_conversations(ws)
            .await
            .into_iter()
            .any(|c| c.contact.first_name == "Pia");
        if found {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "B did not take over:\n{}",
            imap.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(imap.logins() > reading + 1, "B logged in to read it");
}

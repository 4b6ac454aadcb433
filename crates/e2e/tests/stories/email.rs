//! E-mail in a real browser (C9): the subject leads, the quoted history is folded, and the
//! formatting — hostile HTML that went through the server's parser and sanitizer — is shown
//! on request in a sandboxed frame where nothing it carried runs: no `<script>`, no
//! `onerror`, no `javascript:` link, no remote image.

use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;
use switchboard_protocol::*;
use switchboard_storage::{InboundMessage, NewChannel};

const HOSTILE: &str = "From: \"Olga Petrova\" <olga@example.com>\r\n\
To: help@northwind.example\r\n\
Subject: Invoice for order 42\r\n\
Message-ID: <invoice-42@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b\"\r\n\
\r\n\
--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
The invoice is attached.\r\n\
\r\n\
On Mon, Northwind <help@northwind.example> wrote:\r\n\
> Could you send the invoice again?\r\n\
--b\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>The invoice is <b>attached</b>.</p>\
<script>parent.pwned = 'script'; top.pwned = 'script';</script>\
<img src=\"x\" onerror=\"parent.pwned = 'onerror'\">\
<img src=\"https://tracker.example/open.gif\">\
<a href=\"javascript:parent.pwned='link'\">Pay now</a>\
<svg onload=\"parent.pwned = 'svg'\"></svg>\r\n\
--b--\r\n";

/// Stores a raw e-mail as the server's mailbox reader would (parsed and sanitized by the
/// server) in Northwind's mailbox; its conversation.
async fn email_conversation(h: &Harness, raw: &str) -> ConversationId {
    let store = &h.server.state.store;
    let workspace = WorkspaceId(1);
    let channels = store.channels(workspace).await.expect("channels");
    let channel = match channels.into_iter().find(|c| c.kind == ChannelKind::Email) {
        Some(channel) => channel,
        None => store
            .create_channel(NewChannel {
                workspace,
                kind: ChannelKind::Email,
                name: "Support mail",
                public_key: None,
            })
            .await
            .expect("a channel"),
    };
    let parsed = switchboard_server::parse_email(raw.as_bytes()).expect("the mail parses");
    let m = parsed.incoming;
    receive(
        store.as_ref(),
        InboundMessage {
            workspace,
            channel: channel.id,
            sender: &m.sender,
            first_name: &m.first_name,
            last_name: &m.last_name,
            phone: None,
            email: m.email.as_deref(),
            external_id: &m.external_id,
            reply_to: None,
            content: m.content,
            received_at: m.received_at,
            files: Vec::new(),
        },
    )
    .await
    .id
}

const EMAIL: &str = "//article[contains(@class,'message')][.//p[contains(@class,'email-subject')]]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_shows_its_text_and_its_formatting_runs_nothing() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let store = &h.server.state.store;
    let workspace = WorkspaceId(1);
    let conversation = email_conversation(&h, HOSTILE).await;

    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1/c/{conversation}", h.url))
        .await
        .expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    let subject = wait_text(
        &anna,
        &format!("{EMAIL}//p[contains(@class,'email-subject')]"),
    )
    .await;
    assert_eq!(subject, "Invoice for order 42");
    let fresh = wait_text(
        &anna,
        &format!("{EMAIL}/descendant::p[contains(@class,'email-text')][1]"),
    )
    .await;
    assert_eq!(fresh, "The invoice is attached.");
    let quoted = wait_xpath(
        &anna,
        &format!("{EMAIL}//details[contains(@class,'email-quoted')]"),
    )
    .await;
    assert_eq!(
        quoted.attr("open").await.expect("an attribute"),
        None,
        "the quoted history starts folded"
    );
    let note = wait_text(&anna, &format!("{EMAIL}//p[contains(@class,'email-note')]")).await;
    assert!(note.contains("Remote images"), "{note}");
    screenshot(&anna, "email-text").await;

    click(
        &anna,
        &format!("{EMAIL}//button[normalize-space()='Show formatting']"),
    )
    .await;
    let frame = wait_xpath(
        &anna,
        &format!("{EMAIL}//iframe[contains(@class,'email-html')]"),
    )
    .await;
    let sandbox = frame
        .attr("sandbox")
        .await
        .expect("an attribute")
        .unwrap_or_default();
    assert!(
        !sandbox.contains("allow-scripts") && !sandbox.contains("allow-same-origin"),
        "{sandbox}"
    );
    frame.enter_frame().await.expect("into the frame");
    let bold = wait_xpath(&anna, "//b[normalize-space()='attached']").await;
    assert_eq!(bold.text().await.expect("text"), "attached");
    assert!(
        anna.find_all(By::Tag("script"))
            .await
            .expect("a query")
            .is_empty()
    );
    for img in anna.find_all(By::Tag("img")).await.expect("a query") {
        assert_eq!(
            img.attr("src").await.expect("an attribute"),
            None,
            "no image source is kept"
        );
        assert_eq!(img.attr("onerror").await.expect("an attribute"), None);
    }
    if let Ok(link) = anna
        .find(By::XPath("//a[normalize-space()='Pay now']"))
        .await
    {
        assert_eq!(
            link.attr("href").await.expect("an attribute"),
            None,
            "the script link lost its target"
        );
        let _ = link.click().await;
    }
    anna.enter_default_frame().await.expect("back out");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let pwned = anna
        .execute(
            "return window.pwned === undefined ? null : String(window.pwned);",
            Vec::new(),
        )
        .await
        .expect("the script runs")
        .convert::<Option<String>>()
        .expect("a value");
    assert_eq!(pwned, None, "nothing from the e-mail ran in the app");
    screenshot(&anna, "email-formatted").await;

    // The answer starts with "Re: " and the subject, which the agent may change (C9).
    let subject = wait_xpath(&anna, "//input[@name='subject']").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while subject.prop("value").await.expect("a value").as_deref()
        != Some("Re: Invoice for order 42")
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the subject is prefilled"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    subject.send_keys(" (paid)").await.expect("typed");
    let field = wait_xpath(&anna, "//textarea").await;
    field
        .send_keys("Thank you, received.")
        .await
        .expect("typed");
    screenshot(&anna, "email-composer").await;
    field.send_keys(Key::Enter).await.expect("sent");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let thread = store
            .messages(
                workspace,
                conversation,
                switchboard_storage::PageRequest {
                    after: None,
                    limit: 10,
                },
            )
            .await
            .expect("the thread");
        let sent = thread
            .items
            .iter()
            .find(|m| m.direction == Direction::Outgoing);
        if let Some(sent) = sent {
            assert!(
                matches!(&sent.content, Content::Email { subject, text, .. }
                    if subject == "Re: Invoice for order 42 (paid)" && text == "Thank you, received."),
                "{:?}",
                sent.content
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the answer was stored"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// A web server with one picture (its address); counts the requests it gets.
async fn picture_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let hits = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = axum::Router::new().route(
        "/logo.png",
        axum::routing::get(move || async move {
            counted.fetch_add(1, Ordering::SeqCst);
            ([("content-type", "image/png")], PNG.as_slice())
        }),
    );
    (serve(app).await, hits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_images_load_only_when_the_agent_asks() {
    use std::sync::atomic::Ordering;
    let _serial = SERIAL.lock().await;
    let (pictures, hits) = picture_server().await;
    // The picture server is on this machine, which the server refuses by default.
    let h =
        Harness::start_configured(|config| config.email_images_from_private_addresses = true).await;
    let raw = format!(
        "From: \"Olga Petrova\" <olga@example.com>\r\n\
To: help@northwind.example\r\n\
Subject: Our new logo\r\n\
Message-ID: <logo-1@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Here is the <b>new logo</b>:</p><img src=\"{pictures}/logo.png\" alt=\"Logo\" width=\"40\">\r\n"
    );
    let conversation = email_conversation(&h, &raw).await;

    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1/c/{conversation}", h.url))
        .await
        .expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    let note = wait_text(&anna, &format!("{EMAIL}//p[contains(@class,'email-note')]")).await;
    assert!(note.contains("Remote images are not loaded"), "{note}");
    click(
        &anna,
        &format!("{EMAIL}//button[normalize-space()='Show formatting']"),
    )
    .await;
    let frame = wait_xpath(
        &anna,
        &format!("{EMAIL}//iframe[contains(@class,'email-html')]"),
    )
    .await;
    frame.enter_frame().await.expect("into the frame");
    wait_xpath(&anna, "//b[normalize-space()='new logo']").await;
    let img = wait_xpath(&anna, "//img[@alt='Logo']").await;
    assert_eq!(img.attr("src").await.expect("an attribute"), None);
    anna.enter_default_frame().await.expect("back out");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing fetched before asking"
    );
    screenshot(&anna, "email-images-held-back").await;

    click(
        &anna,
        &format!("{EMAIL}//button[normalize-space()='Load images']"),
    )
    .await;
    let frame = wait_xpath(
        &anna,
        &format!("{EMAIL}//iframe[contains(@class,'email-html')]"),
    )
    .await;
    frame.enter_frame().await.expect("into the frame");
    let img = wait_xpath(&anna, "//img[@alt='Logo'][@src]").await;
    let src = img
        .attr("src")
        .await
        .expect("an attribute")
        .unwrap_or_default();
    assert!(src.starts_with("data:image/png;base64,"), "{src}");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let width = anna
            .execute(
                "return document.querySelector('img[alt=Logo]').naturalWidth;",
                Vec::new(),
            )
            .await
            .expect("the script runs")
            .convert::<i64>()
            .expect("a number");
        if width > 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the picture shows");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    anna.enter_default_frame().await.expect("back out");
    assert_eq!(hits.load(Ordering::SeqCst), 1, "the server fetched it once");
    let notes = anna
        .find_all(By::XPath(format!(
            "{EMAIL}//p[contains(@class,'email-note')]"
        )))
        .await
        .expect("a query");
    assert!(notes.is_empty(), "every image loaded, nothing to say");
    screenshot(&anna, "email-images-loaded").await;
}

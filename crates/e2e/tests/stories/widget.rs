//! The embeddable widget: a page of another site includes `widget.js`; its button opens the
//! chat in a frame, and a message written there reaches the team's inbox.

use std::time::Duration;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;
use switchboard_protocol::Content;
use switchboard_storage::{InboxSpec, PageRequest};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_embeds_the_chat_and_its_messages_reach_the_inbox() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let page = format!(
        "<!doctype html><title>Shop</title><h1>Northwind shop</h1>\
         <script src=\"{}/widget.js\" data-key=\"{}\" async></script>",
        h.url, h.chat_key
    );
    let site = serve_html(page).await;

    let visitor = h.browser(1000, 800).await;
    visitor.goto(&site).await.expect("goto");
    wait_xpath(&visitor, "//h1[normalize-space()='Northwind shop']").await;
    let button = wait_xpath(&visitor, "//button[@aria-label='Open chat']").await;
    let frame = visitor
        .find(By::Css("iframe[data-switchboard='frame']"))
        .await
        .expect("the chat frame");
    assert!(
        !frame.is_displayed().await.expect("displayed"),
        "closed until asked"
    );
    button.click().await.expect("click");
    assert!(frame.is_displayed().await.expect("displayed"));
    assert_eq!(
        button.attr("aria-expanded").await.expect("attr").as_deref(),
        Some("true")
    );
    screenshot(&visitor, "widget").await;

    frame.enter_frame().await.expect("into the frame");
    wait_xpath(&visitor, "//h1[normalize-space()='Northwind Coffee']").await;
    let field = wait_xpath(&visitor, "//textarea").await;
    field
        .send_keys("Do you ship to Norway?")
        .await
        .expect("typing");
    field.send_keys(Key::Enter).await.expect("enter");
    wait_xpath(
        &visitor,
        "//*[@role='log']//p[normalize-space()='Do you ship to Norway?']",
    )
    .await;

    // The team's inbox has it, from a new website-chat contact.
    let store = h.server.state.store.clone();
    let workspace = switchboard_protocol::WorkspaceId(1);
    let anna = store
        .user_credentials("anna@northwind.example")
        .await
        .expect("the store answers")
        .expect("the demo agent");
    let viewer = store
        .viewer(workspace, anna.user.id)
        .await
        .expect("the store answers")
        .expect("a member");
    let mut found = false;
    for _ in 0..50 {
        let page = store
            .inbox(
                workspace,
                &viewer,
                &InboxSpec::all(chrono::Utc::now()),
                PageRequest {
                    after: None,
                    limit: 5,
                },
            )
            .await
            .expect("the list");
        let newest = &page.items[0];
        if newest.contact.first_name == "Visitor"
            && newest.last_message.as_ref().map(|m| m.text.as_str())
                == Some("Do you ship to Norway?")
        {
            let thread = store
                .messages(
                    workspace,
                    newest.id,
                    PageRequest {
                        after: None,
                        limit: 5,
                    },
                )
                .await
                .expect("the thread");
            assert_eq!(
                thread.items[0].content,
                Content::Text {
                    text: "Do you ship to Norway?".into()
                }
            );
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(found, "the embedded chat's message did not reach the inbox");

    visitor.quit().await.expect("quit");
    h.server.stop().await.expect("the server stops");
}

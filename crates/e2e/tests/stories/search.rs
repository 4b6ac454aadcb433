//! Search in real browsers: search everything (S1) finds contacts, messages and comments with
//! their matches marked and opens a message where it is; a query is text, never markup; and
//! search inside one conversation (C6) brings a match into view.

use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_everything_marks_matches_and_opens_the_message() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&anna, &row("Olivia Bennett")).await;

    click(&anna, "//a[contains(@class,'search-link')]").await;
    wait_xpath(&anna, "//h1[normalize-space()='Search everything']").await;
    let field = wait_xpath(
        &anna,
        "//input[@aria-label='Search contacts, messages and comments']",
    )
    .await;
    field.send_keys("yirgacheffe").await.expect("typing");
    let hit = "//ul[@aria-label='Messages found']//a[contains(@class,'hit')][.//span[@class='hit-title'][contains(.,'Olivia Bennett')]]";
    let marked = wait_text(&anna, &format!("{hit}//mark")).await;
    assert_eq!(marked.to_lowercase(), "yirgacheffe");
    let url = anna.current_url().await.expect("url");
    assert_eq!(
        (url.path(), url.query()),
        ("/w/1/search", Some("q=yirgacheffe"))
    );
    screenshot(&anna, "search-desktop").await;

    // The search survives a reload; a hit opens the thread at its message.
    anna.refresh().await.expect("reload");
    click(&anna, hit).await;
    assert!(blinks(&anna, &bubble("Ethiopia Yirgacheffe")).await);
    let url = anna.current_url().await.expect("url");
    assert!(url.path().starts_with("/w/1/c/"), "{url}");
    assert!(url.query().is_some_and(|q| q.starts_with("m=")), "{url}");

    // Contacts are found by name; markup in a query is shown as typed, never run.
    anna.goto(format!("{}/w/1/search?q=olivia", h.url))
        .await
        .expect("goto");
    wait_xpath(
        &anna,
        "//ul[@aria-label='Contacts found']//span[@class='hit-title'][normalize-space()='Olivia Bennett']",
    )
    .await;
    anna.goto(format!(
        "{}/w/1/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        h.url
    ))
    .await
    .expect("goto");
    let nothing = wait_text(
        &anna,
        "//p[contains(@class,'empty-list')][starts-with(normalize-space(),'Nothing matches')]",
    )
    .await;
    assert!(
        nothing.contains("<img src=x onerror=alert(1)>"),
        "{nothing}"
    );
    assert!(anna.get_alert_text().await.is_err(), "nothing ran");
    anna.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_inside_a_conversation_brings_the_match_into_view() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let phone = h.phone().await;
    phone.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&phone, "anna@northwind.example", PASSWORD).await;
    click(&phone, &row("Olivia Bennett")).await;
    click(&phone, "//button[@aria-label='Search this conversation']").await;
    let field = wait_xpath(&phone, "//input[@aria-label='Search this conversation']").await;
    field.send_keys("bag").await.expect("typing");
    field.send_keys(Key::Enter).await.expect("enter");
    let hit = "//ul[@aria-label='Matches in this conversation']//button[contains(@class,'hit')]";
    assert_eq!(
        wait_text(&phone, &format!("{hit}//mark"))
            .await
            .to_lowercase(),
        "bag"
    );
    screenshot(&phone, "thread-search-mobile").await;
    click(&phone, hit).await;
    assert!(blinks(&phone, &bubble("second bag")).await);
    // Words that are not there say so.
    field.clear().await.expect("cleared");
    field.send_keys("zzzz").await.expect("typing");
    field.send_keys(Key::Enter).await.expect("enter");
    wait_xpath(&phone, "//p[normalize-space()='No message here matches.']").await;
    phone.quit().await.expect("quit");
}

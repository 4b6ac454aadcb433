//! The composer in a real browser: `$` variables (K6) are chosen from a list and filled in at
//! send time, an empty one without a fallback stops the send with a clear message; in a
//! comment, `@` mentions a member (K7) and the mention is stored; Escape closes a list.

use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const PICKER: &str = "//ul[contains(@class,'picker-list')]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn variables_fill_in_at_send_and_comments_mention_members() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Lena Fischer")).await;
    let field = wait_xpath(&anna, "//textarea").await;

    // `$` lists the variables with this conversation's values; Enter inserts one.
    field.send_keys("Hi $fir").await.expect("typing");
    let option = wait_xpath(
        &anna,
        &format!("{PICKER}//li[@role='option'][@aria-selected='true'][.//span[normalize-space()=\"Contact's first name\"]]"),
    )
    .await;
    assert_eq!(
        option
            .find(By::Css(".picker-hint"))
            .await
            .expect("a hint")
            .text()
            .await
            .expect("text"),
        "Lena"
    );
    screenshot(&anna, "variables-desktop").await;
    field.send_keys(Key::Enter).await.expect("enter");
    wait_gone(&anna, PICKER).await;
    assert_eq!(composer_text(&anna).await, "Hi {{first_name}} ");
    field.send_keys("and welcome").await.expect("typing");
    field.send_keys(Key::Enter).await.expect("send");
    wait_xpath(&anna, &bubble("Hi Lena and welcome")).await;

    // Lena has no phone: without a fallback nothing is sent and the message says why.
    let before = count(&anna, "article.message").await;
    field.send_keys("Call {{phone}}").await.expect("typing");
    field.send_keys(Key::Enter).await.expect("send");
    let error = wait_text(
        &anna,
        "//form[contains(@class,'composer')]//p[@role='alert'][normalize-space()!='']",
    )
    .await;
    assert!(
        error.starts_with("Contact's phone is empty for this contact"),
        "{error}"
    );
    assert_eq!(composer_text(&anna).await, "Call {{phone}}", "nothing lost");
    assert_eq!(
        count(&anna, "article.message").await,
        before,
        "nothing sent"
    );
    for _ in 0.."{{phone}}".len() {
        field.send_keys(Key::Backspace).await.expect("deleting");
    }
    field.send_keys("{{phone|us}}").await.expect("typing");
    field.send_keys(Key::Enter).await.expect("send");
    wait_xpath(&anna, &bubble("Call us")).await;

    // In a message, `@` is just a character; Escape closes the variable list.
    field.send_keys("@bo").await.expect("typing");
    assert_eq!(count(&anna, "ul.picker-list").await, 0);
    field.send_keys(" $").await.expect("typing");
    wait_xpath(&anna, PICKER).await;
    field.send_keys(Key::Escape).await.expect("escape");
    wait_gone(&anna, PICKER).await;
    field.clear().await.expect("cleared");

    // A comment mentions Boris from the `@` list; the mention is stored with the comment.
    click(
        &anna,
        "//button[@role='radio'][normalize-space()='Comment']",
    )
    .await;
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("@bo").await.expect("typing");
    wait_xpath(
        &anna,
        &format!("{PICKER}[@aria-label='Mention']//li[@aria-selected='true'][.//span[normalize-space()='Boris Kim']]"),
    )
    .await;
    field.send_keys(Key::Tab).await.expect("tab");
    // The chosen name is in the comment before anything more is typed.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let text = composer_text(&anna).await;
        if text == "@Boris Kim " {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "Tab puts the mention in: {text:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    field
        .send_keys("please check the VAT number")
        .await
        .expect("typing");
    field.send_keys(Key::Enter).await.expect("send");
    wait_xpath(&anna, &bubble("@Boris Kim please check the VAT number")).await;
    let mentioned = anna
        .execute(
            "const id = location.pathname.split('/').pop();
             return Promise.all([
               fetch('/api/v1/workspaces/1/members').then(r => r.json()),
               fetch(`/api/v1/workspaces/1/conversations/${id}/messages`).then(r => r.json()),
             ]).then(([members, page]) => {
               const boris = members.find(m => m.user.email === 'boris@northwind.example').user.id;
               const comment = page.items.find(m => m.kind === 'comment');
               return comment.mentions.length === 1 && comment.mentions[0] === boris;
             });",
            Vec::new(),
        )
        .await
        .expect("the script runs")
        .convert::<bool>()
        .expect("a boolean");
    assert!(mentioned, "the comment mentions Boris");
    anna.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slash_inserts_a_snippet_previewed_with_this_contacts_values() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Lena Fischer")).await;
    let field = wait_xpath(&anna, "//textarea").await;

    // `/` lists the workspace's snippets; typing filters them by name or text.
    field.send_keys("/").await.expect("typing");
    let snippets = format!("{PICKER}[@aria-label='Snippet']");
    wait_xpath(
        &anna,
        &format!("{snippets}//li[@role='option']//span[normalize-space()='/greeting']"),
    )
    .await;
    field.send_keys("refu").await.expect("typing");
    wait_xpath(
        &anna,
        &format!("{snippets}//li[@aria-selected='true'][.//span[normalize-space()='/refund']]"),
    )
    .await;
    field.send_keys(Key::Backspace).await.expect("deleting");
    for _ in 0.."ref".len() {
        field.send_keys(Key::Backspace).await.expect("deleting");
    }
    field.send_keys("greet").await.expect("typing");
    // The preview shows the whole text as it will read for Lena.
    let preview = wait_text(&anna, "//div[contains(@class,'picker-preview')]/p[2]").await;
    assert!(
        preview.starts_with("Hi Lena! Thanks for writing"),
        "{preview}"
    );
    screenshot(&anna, "snippets-desktop").await;

    // Enter inserts it (variables stay variables until the send), and it goes out filled in.
    field.send_keys(Key::Enter).await.expect("choose");
    wait_gone(&anna, PICKER).await;
    let value = composer_text(&anna).await;
    assert!(value.starts_with("Hi {{first_name|there}}!"), "{value}");
    field.send_keys(Key::Enter).await.expect("send");
    wait_xpath(&anna, &bubble(&preview)).await;

    // A snippet whose variable has no value here and no fallback is not sent; nothing is lost.
    field.send_keys("/callb").await.expect("typing");
    field.send_keys(Key::Enter).await.expect("choose");
    let before = count(&anna, "article.message").await;
    field.send_keys(Key::Enter).await.expect("send");
    let error = wait_text(
        &anna,
        "//form[contains(@class,'composer')]//p[@role='alert'][normalize-space()!='']",
    )
    .await;
    assert!(
        error.starts_with("Contact's phone is empty for this contact"),
        "{error}"
    );
    assert!(
        composer_text(&anna).await.contains("{{phone}}"),
        "the text stays in the field"
    );
    assert_eq!(count(&anna, "article.message").await, before);
    anna.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snippets_files_go_out_with_it_as_copies() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let terms_bytes = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let terms = dir.path().join("refund terms.pdf");
    std::fs::write(&terms, &terms_bytes).expect("a test file");
    let h = Harness::start().await;

    // A manager adds a file to the refund snippet in settings (T3).
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    click(&maria, "//button[@aria-label='Edit snippet refund']").await;
    let form = "//form[@aria-label='Snippet']";
    maria
        .find(By::XPath(format!("{form}//input[@type='file']")))
        .await
        .expect("the file input")
        .send_keys(terms.display().to_string())
        .await
        .expect("file chosen");
    wait_xpath(
        &maria,
        &format!("{form}//li[contains(@class,'pending-file')][contains(@class,'ready')][.//span[.='refund terms.pdf']]"),
    )
    .await;
    maria
        .execute(
            "document.querySelector(\"form[aria-label='Snippet']\").scrollIntoView({ block: 'center' });",
            Vec::new(),
        )
        .await
        .expect("scrolled");
    screenshot(&maria, "snippet-files-settings").await;
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Save snippet']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//li[contains(@class,'settings-item')][.//strong[.='/refund']]//ul[contains(@class,'snippet-files')]//a[.='refund terms.pdf']",
    )
    .await;

    // An agent inserts the snippet: the preview names the file, the file joins the message
    // (ready once its copy is made) and goes out with it.
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Lena Fischer")).await;
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("/refund").await.expect("typing");
    let preview = wait_text(&anna, "//div[contains(@class,'picker-preview')]/p[2]").await;
    assert!(
        preview.ends_with("📎 1 file: refund terms.pdf"),
        "{preview}"
    );
    field.send_keys(Key::Enter).await.expect("choose");
    wait_xpath(
        &anna,
        "//form[contains(@class,'composer')]//li[contains(@class,'pending-file')][contains(@class,'ready')][.//span[.='refund terms.pdf']]",
    )
    .await;
    field.send_keys(Key::Enter).await.expect("send");
    let sent = format!("{}[starts-with(@id,'m-')]", bubble("No problem"));
    let link = wait_xpath(
        &anna,
        &format!("{sent}//a[contains(@class,'file-chip')][.//span[.='refund terms.pdf']]"),
    )
    .await;
    let href = link.attr("href").await.expect("attr").expect("an address");
    let same = anna
        .execute(
            "return fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => Array.from(new Uint8Array(b)));",
            vec![serde_json::json!(href)],
        )
        .await
        .expect("the script runs")
        .convert::<Vec<u8>>()
        .expect("bytes");
    assert_eq!(same, terms_bytes);
    maria.quit().await.expect("quit");
    anna.quit().await.expect("quit");
}

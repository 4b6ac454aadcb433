//! Files in a real browser (K3): the paperclip attaches files that upload at once and go out
//! with the message (or alone); a picture opens in the viewer, other files download under
//! their names. Wrong types, files over 20 MB and a 60-file choice are refused before any
//! upload with a message naming the file and the rule, and a file the server refuses shows
//! why and holds the send; nothing typed is lost.

use std::path::{Path, PathBuf};
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

/// The composer's alert once it says something (it is always there, empty until then).
const ALERT: &str = "//form[contains(@class,'composer')]//p[@role='alert'][normalize-space()!='']";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("a test file");
    path
}

async fn attach(driver: &WebDriver, paths: &[PathBuf]) {
    // The conversation's code may still be arriving when it has just been opened.
    let input = wait_xpath(
        driver,
        "//form[contains(@class,'composer')]//input[@type='file']",
    )
    .await;
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    input
        .send_keys(list.join("\n"))
        .await
        .expect("files chosen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_go_out_with_a_message_and_bad_ones_are_refused_by_name() {
    let _serial = SERIAL.lock().await;
    let files = tempfile::tempdir().expect("a temp dir");
    let pdf_bytes = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let pdf = write(files.path(), "invoice 5110.pdf", &pdf_bytes);
    let png = write(files.path(), "latte.png", &PNG);
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Lena Fischer")).await;
    let field = wait_xpath(&anna, "//textarea").await;

    // Two files upload at once and show as ready; the message goes out with both.
    attach(&anna, &[pdf.clone(), png.clone()]).await;
    wait_xpath(&anna, "//li[contains(@class,'pending-file')][contains(@class,'ready')][.//span[.='invoice 5110.pdf']]").await;
    wait_xpath(
        &anna,
        "//li[contains(@class,'pending-file')][contains(@class,'ready')][.//span[.='latte.png']]",
    )
    .await;
    screenshot(&anna, "attachments-composer").await;
    field
        .send_keys("Here is the invoice")
        .await
        .expect("typing");
    field.send_keys(Key::Enter).await.expect("send");
    // The stored copy (not the pending one it replaces).
    let sent = format!("{}[starts-with(@id,'m-')]", bubble("Here is the invoice"));
    let link = wait_xpath(
        &anna,
        &format!("{sent}//a[contains(@class,'file-chip')][.//span[.='invoice 5110.pdf']]"),
    )
    .await;
    assert_eq!(
        link.attr("download").await.expect("attr").as_deref(),
        Some("invoice 5110.pdf")
    );
    wait_xpath(
        &anna,
        &format!("{sent}//button[@aria-label='Open image latte.png']/img"),
    )
    .await;
    assert_eq!(
        count(&anna, "li.pending-file").await,
        0,
        "the chips are cleared"
    );
    // The link gives back the very bytes.
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
    assert_eq!(same, pdf_bytes);
    screenshot(&anna, "attachments-sent").await;

    // A program and a 25 MB film are refused before upload, each by name.
    let exe = write(files.path(), "setup.exe", b"MZ\x90\x00");
    let film = files.path().join("film.mp4");
    std::fs::File::create(&film)
        .and_then(|f| f.set_len(25 * 1024 * 1024))
        .expect("a large file");
    field.send_keys("Draft kept").await.expect("typing");
    attach(&anna, &[exe, film]).await;
    let refusal = wait_text(&anna, ALERT).await;
    assert!(
        refusal.contains("\"setup.exe\" cannot be sent: files must be JPG"),
        "{refusal}"
    );
    assert!(
        refusal.contains("\"film.mp4\" is 25.0 MB; a file may be at most 20 MB."),
        "{refusal}"
    );
    assert_eq!(count(&anna, "li.pending-file").await, 0);

    // Sixty files at once are refused as a whole.
    let sixty: Vec<PathBuf> = (1..=60)
        .map(|i| write(files.path(), &format!("scan-{i}.pdf"), &pdf_bytes))
        .collect();
    attach(&anna, &sixty).await;
    let refusal = wait_text(&anna, ALERT).await;
    assert_eq!(
        refusal,
        "A message may carry at most 50 files; this one would have 60."
    );
    assert_eq!(count(&anna, "li.pending-file").await, 0);
    assert_eq!(
        composer_text(&anna).await,
        "Draft kept",
        "nothing typed is lost"
    );

    // A "picture" that is not one passes the name rules but the server refuses it: the chip
    // says why and the send waits until it is removed.
    let fake = write(files.path(), "photo.png", b"just some text");
    attach(&anna, &[fake]).await;
    let failed = wait_text(
        &anna,
        "//li[contains(@class,'pending-file')][contains(@class,'failed')]",
    )
    .await;
    assert!(failed.contains("photo.png"), "{failed}");
    let before = count(&anna, "article.message").await;
    field.send_keys(Key::Enter).await.expect("send");
    let refusal = wait_text(&anna, ALERT).await;
    assert!(
        refusal.starts_with("Remove the files that could not be uploaded"),
        "{refusal}"
    );
    assert_eq!(
        count(&anna, "article.message").await,
        before,
        "nothing sent"
    );
    click(&anna, "//button[@aria-label='Remove photo.png']").await;
    wait_gone(&anna, "//li[contains(@class,'pending-file')]").await;

    // Files may go alone, without words.
    for _ in 0.."Draft kept".len() {
        field.send_keys(Key::Backspace).await.expect("deleting");
    }
    assert_eq!(composer_text(&anna).await, "");
    attach(&anna, &[pdf]).await;
    wait_xpath(
        &anna,
        "//li[contains(@class,'pending-file')][contains(@class,'ready')]",
    )
    .await;
    click(&anna, "//button[@aria-label='Send']").await;
    wait_xpath(
        &anna,
        &format!("{}[contains(.,'📎 invoice 5110.pdf')]", row("Lena Fischer")),
    )
    .await;
    anna.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_website_visitor_downloads_the_file_an_agent_sent() {
    let _serial = SERIAL.lock().await;
    let files = tempfile::tempdir().expect("a temp dir");
    let pdf_bytes = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let menu = write(files.path(), "menu.pdf", &pdf_bytes);
    let h = Harness::start().await;
    let visitor = h.browser(400, 780).await;
    visitor.goto(h.chat_url()).await.expect("goto");
    let field = wait_xpath(&visitor, "//textarea").await;
    field
        .send_keys("May I see the menu?")
        .await
        .expect("typing");
    field.send_keys(Key::Enter).await.expect("send");

    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Visitor #")).await;
    attach(&anna, &[menu]).await;
    wait_xpath(
        &anna,
        "//li[contains(@class,'pending-file')][contains(@class,'ready')]",
    )
    .await;
    click(&anna, "//button[@aria-label='Send']").await;

    // The visitor sees it live and saves it under its name.
    let chip = "//div[contains(@class,'visitor-message')]//button[contains(@class,'file-chip')][contains(.,'menu.pdf')]";
    wait_xpath(&visitor, chip).await;
    visitor
        .execute(
            "window.saved = null;
             HTMLAnchorElement.prototype.click = function () {
               window.saved = { href: this.href, name: this.getAttribute('download') };
             };",
            Vec::new(),
        )
        .await
        .expect("the script runs");
    click(&visitor, chip).await;

    // The page's own policy keeps scripts from reading `blob:` addresses, so the bytes are
    // checked where they come from (the server tests); here: a saved file of that name.
    let saved = visitor
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const look = () => window.saved ? done([window.saved.name, window.saved.href]) : setTimeout(look, 20);
             look();",
            Vec::new(),
        )
        .await
        .expect("the file is saved")
        .convert::<(String, String)>()
        .expect("a name and an address");
    assert_eq!(saved.0, "menu.pdf");
    assert!(saved.1.starts_with("blob:"), "{}", saved.1);
    assert_eq!(
        count(&visitor, "ul.visitor-files [role='alert']").await,
        0,
        "no error shown"
    );
    screenshot(&visitor, "visitor-file").await;
    anna.quit().await.expect("quit");
    visitor.quit().await.expect("quit");
}

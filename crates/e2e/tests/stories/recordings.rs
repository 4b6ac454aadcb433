//! Voice and video messages (K4) in a real browser with Chromium's fake microphone and
//! camera: Anna records a voice message, previews it at 1.5×, finds it downloadable, records
//! again, deletes it, records once more and attaches it; it uploads as an `.m4a` and goes
//! with her message, playable in the thread at a chosen speed. A video message goes the
//! same way.

use std::time::Duration;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const RECORDED: &str = "//div[contains(@class,'recorder') and contains(@class,'recorded')]";

/// Records for a moment with the button labelled `label`; waits for the preview.
async fn record(driver: &WebDriver, label: &str) {
    click(driver, &format!("//button[@aria-label={}]", literal(label))).await;
    let stop = "//div[contains(@class,'recording')]//button[normalize-space()='Stop']";
    wait_xpath(driver, stop).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    click(driver, stop).await;
    wait_xpath(driver, RECORDED).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voice_and_video_messages_are_recorded_previewed_and_sent() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Olivia Bennett")).await;
    record(&anna, "Record a voice message").await;
    let audio = format!("{RECORDED}//audio");
    let source = wait_xpath(&anna, &audio)
        .await
        .attr("src")
        .await
        .expect("an attribute")
        .unwrap_or_default();
    assert!(source.starts_with("blob:"), "{source}");
    // Any speed: the preview plays at it.
    let speed = wait_xpath(
        &anna,
        &format!("{RECORDED}//select[@aria-label='Playback speed']"),
    )
    .await;
    switchboard_e2e::thirtyfour::components::SelectElement::new(&speed)
        .await
        .expect("a select")
        .select_by_value("1.5")
        .await
        .expect("a speed");
    let rate = anna
        .execute(
            "return document.querySelector('.recorder audio').playbackRate;",
            vec![],
        )
        .await
        .expect("script")
        .convert::<f64>()
        .expect("a number");
    assert!((rate - 1.5).abs() < 1e-9, "{rate}");
    let download = wait_xpath(
        &anna,
        &format!("{RECORDED}//a[normalize-space()='Download']"),
    )
    .await;
    let name = download
        .attr("download")
        .await
        .expect("attr")
        .unwrap_or_default();
    assert!(
        name.starts_with("voice-") && name.ends_with(".m4a"),
        "{name}"
    );
    screenshot(&anna, "recorder-voice-preview").await;
    // Again, then delete: nothing is attached.
    click(
        &anna,
        &format!("{RECORDED}//button[normalize-space()='Record again']"),
    )
    .await;
    let stop = "//div[contains(@class,'recording')]//button[normalize-space()='Stop']";
    wait_xpath(&anna, stop).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    click(&anna, stop).await;
    click(
        &anna,
        &format!("{RECORDED}//button[normalize-space()='Delete']"),
    )
    .await;
    wait_gone(&anna, RECORDED).await;
    assert_eq!(count(&anna, ".file-chips li").await, 0);

    // Once more, attached: it uploads and goes with the message.
    record(&anna, "Record a voice message").await;
    click(
        &anna,
        &format!("{RECORDED}//button[normalize-space()='Attach']"),
    )
    .await;
    wait_xpath(
        &anna,
        "//li[contains(@class,'pending-file') and contains(@class,'ready')]",
    )
    .await;
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("Listen to this").await.expect("typed");
    field.send_keys(Key::Enter).await.expect("sent");
    let sent_audio = format!("{}//audio", bubble("Listen to this"));
    // The bubble is drawn again when the server confirms the send: read it once it holds.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let src = loop {
        let player = wait_xpath(&anna, &sent_audio).await;
        match player.attr("src").await {
            Ok(Some(src)) if src.contains("/attachments/") => break src,
            other => assert!(
                tokio::time::Instant::now() < deadline,
                "the sent recording has no file address: {other:?}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // The stored file is an MP4 container the server serves as audio.
    let (content_type, head) = anna
        .execute(
            "return fetch(arguments[0]).then(r => r.arrayBuffer().then(b =>
               [r.headers.get('content-type'), Array.from(new Uint8Array(b).slice(0, 8))]));",
            vec![serde_json::json!(src)],
        )
        .await
        .expect("the script runs")
        .convert::<(String, Vec<u8>)>()
        .expect("a type and bytes");
    assert_eq!(content_type, "audio/mp4");
    assert_eq!(&head[4..8], b"ftyp", "an MP4 container");
    // In the thread too: any speed, and a download link.
    wait_xpath(
        &anna,
        &format!(
            "{}//select[@aria-label='Playback speed']",
            bubble("Listen to this")
        ),
    )
    .await;
    wait_xpath(
        &anna,
        &format!(
            "{}//a[starts-with(@download, 'voice-')]",
            bubble("Listen to this")
        ),
    )
    .await;

    // A video message the same way.
    record(&anna, "Record a video message").await;
    wait_xpath(&anna, &format!("{RECORDED}//video")).await;
    screenshot(&anna, "recorder-video-preview").await;
    click(
        &anna,
        &format!("{RECORDED}//button[normalize-space()='Attach']"),
    )
    .await;
    wait_xpath(
        &anna,
        "//li[contains(@class,'pending-file') and contains(@class,'ready')]",
    )
    .await;
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("And a video").await.expect("typed");
    field.send_keys(Key::Enter).await.expect("sent");
    wait_xpath(&anna, &format!("{}//video", bubble("And a video"))).await;
    screenshot(&anna, "recorder-sent").await;
    anna.quit().await.expect("quit");
}

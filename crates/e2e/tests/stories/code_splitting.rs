//! The release app loads in parts (`src/chunks.rs`, cut by `cargo xtask`'s wasm-split step):
//! the first load carries the conversation list; a screen's code arrives when it is first
//! opened, and a conversation's and the realtime socket's once the list is shown, with the words only parts use
//! (`i18n::LATER_AREAS`) in the language in use. These stories need the app that
//! `cargo xtask` builds (`dist/`), not a plain `trunk build`.

use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

/// The paths this page began to fetch before the answer to `answer` (a path) had arrived
/// (waiting for that answer).
async fn fetched_before_answer(driver: &WebDriver, answer: &str) -> Vec<String> {
    let paths = driver
        .execute_async(
            "const [path, done] = arguments;
             const look = () => {
               const entries = performance.getEntriesByType('resource');
               const answer = entries.find((e) => new URL(e.name).pathname === path);
               if (!answer || !answer.responseEnd) return setTimeout(look, 5);
               done(entries
                 .filter((e) => e.startTime < answer.responseEnd)
                 .map((e) => new URL(e.name).pathname));
             };
             look();",
            vec![serde_json::json!(answer)],
        )
        .await
        .expect("the script runs");
    serde_json::from_value(paths.json().clone()).expect("a list of paths")
}

fn any_named(paths: &[String], part: &str) -> bool {
    paths.iter().any(|p| p.contains(part))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screens_code_arrives_when_it_is_first_opened() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let maria = h.browser(1440, 900).await;
    maria.goto(format!("{}/w/1", h.url)).await.expect("goto");
    maria
        .execute(
            "performance.setResourceTimingBufferSize(100000);",
            Vec::new(),
        )
        .await
        .expect("a larger timing buffer");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    wait_xpath(&maria, "(//a[contains(@class,'conversation-row')])[1]").await;

    let first = fetched(&maria).await;
    assert!(
        any_named(&first, "-split.js"),
        "the app was built in parts (cargo xtask), fetched: {first:?}"
    );
    for later in [
        "split_settings_page",
        "split_channels_page",
        "split_chat_page",
    ] {
        assert!(
            !any_named(&first, later),
            "{later} is not part of the first load: {first:?}"
        );
    }

    // The list is read on its own; the socket's code is asked for once its answer is in, and
    // then the list is live (the navigation stories show changes arriving).
    let before_list = fetched_before_answer(&maria, "/api/v1/workspaces/1/conversations").await;
    for part in [
        "split_inbox_live",
        "split_centre_reader",
        "split_keyboard_shortcuts",
    ] {
        assert!(
            !any_named(&before_list, part),
            "{part} waits for the list: {before_list:?}"
        );
    }
    for _ in 0..200 {
        if any_named(&fetched(&maria).await, "split_inbox_live") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(any_named(&fetched(&maria).await, "split_inbox_live"));

    // The conversation's code comes while the list is shown; opening one needs nothing more.
    click(&maria, &row("Olivia Bennett")).await;
    wait_xpath(&maria, "//section[@aria-label='Conversation']//article").await;
    let now = fetched(&maria).await;
    assert!(any_named(&now, "split_thread_view"));
    // With it, the words of the parts, in English only.
    assert!(any_named(&now, "/locales/en/thread.ftl"), "{now:?}");
    assert!(!any_named(&now, "/locales/ru/"), "{now:?}");

    // Settings arrive when opened, and work.
    click(&maria, "//a[@aria-label='Settings']").await;
    wait_xpath(&maria, "//h1[normalize-space()='Workspace settings']").await;
    wait_xpath(&maria, "//input[@name='name']").await;
    assert!(any_named(&fetched(&maria).await, "split_settings_page"));
    maria.quit().await.expect("quit");
}

/// Copies the built app into `to`, folders included.
fn copy_app(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("the built app").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("a folder");
            copy_app(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a file");
        }
    }
}

/// A copy of the built app with one file set aside, as when the connection drops while it
/// is fetched: the copy, the file's place and where it was put.
fn app_without(
    file: impl Fn(&std::path::Path) -> bool,
) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let app = tempfile::tempdir().expect("a folder for the app");
    copy_app(&dist_dir(), app.path());
    let found = std::fs::read_dir(app.path())
        .expect("the copy")
        .flatten()
        .map(|e| e.path())
        .chain(
            std::fs::read_dir(app.path().join("locales/en"))
                .expect("the fetched words (an app built by cargo xtask)")
                .flatten()
                .map(|e| e.path()),
        )
        .find(|p| file(p))
        .expect("the file (an app built by cargo xtask)");
    let aside = app.path().join("aside");
    std::fs::rename(&found, &aside).expect("set aside");
    (app, found, aside)
}

/// The server serving `app`, and Maria signed in to it with her list shown.
async fn maria_signed_in_to(app: &tempfile::TempDir) -> (Harness, WebDriver) {
    let dir = app.path().to_owned();
    let h = Harness::start_configured(move |config| config.dist_dir = dir).await;
    let maria = h.browser(1440, 900).await;
    maria.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    wait_xpath(&maria, "(//a[contains(@class,'conversation-row')])[1]").await;
    (h, maria)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_that_cannot_be_fetched_says_so_and_comes_on_try_again() {
    let _serial = SERIAL.lock().await;
    let (app, chunk, aside) = app_without(|p| p.to_string_lossy().contains("-split_settings_page"));
    let (_h, maria) = maria_signed_in_to(&app).await;

    click(&maria, "//a[@aria-label='Settings']").await;
    wait_xpath(
        &maria,
        "//div[@role='alert'][contains(normalize-space(),'could not be loaded')]",
    )
    .await;
    screenshot(&maria, "part-unavailable").await;
    // The app goes on (nothing stopped it); with the connection back, Try again brings them.
    std::fs::rename(&aside, &chunk).expect("put back");
    click(&maria, "//button[normalize-space()='Try again']").await;
    wait_xpath(&maria, "//h1[normalize-space()='Workspace settings']").await;
    wait_xpath(&maria, "//input[@name='name']").await;
    maria.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn words_that_cannot_be_fetched_are_said_like_code_and_come_on_try_again() {
    let _serial = SERIAL.lock().await;
    let (app, words, aside) = app_without(|p| p.ends_with("locales/en/thread.ftl"));
    let (_h, maria) = maria_signed_in_to(&app).await;

    // No conversation drawn with keys instead of words: it says what happened.
    click(&maria, &row("Olivia Bennett")).await;
    wait_xpath(
        &maria,
        "//section[@aria-label='Conversation']//div[@role='alert'][contains(normalize-space(),'could not be loaded')]",
    )
    .await;
    std::fs::rename(&aside, &words).expect("put back");
    click(&maria, "//button[normalize-space()='Try again']").await;
    wait_xpath(&maria, "//section[@aria-label='Conversation']//article").await;
    let text = maria
        .find(By::Css("section.thread-pane"))
        .await
        .expect("the thread")
        .text()
        .await
        .expect("its text");
    assert!(!text.contains("thread-"), "no message keys: {text}");
    maria.quit().await.expect("quit");
}

//! The harness of Switchboard's end-to-end suite: a real server (SQLite in a temporary
//! directory, demo workspace seeded, serving the built app from `dist/`), Debian's
//! chromedriver on a free port, and headless Chromium sessions driven over WebDriver.
//!
//! The app must be built first (`cargo xtask test` does it: `trunk build --release`).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use switchboard_server::{Config, Running};
use thirtyfour::ChromeCapabilities;
use thirtyfour::prelude::*;

pub mod fake_dialogflow;
pub mod fake_hubspot;
pub mod fake_openai;
pub mod fake_salesforce;
pub mod test_keys;

pub use thirtyfour;

/// A 1×1 PNG.
pub const PNG: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2,
    135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// Browser tests run one at a time: two cores do not run several Chromiums well.
pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long a query waits for the app to show something.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the built app is: `SWITCHBOARD_E2E_DIST` or the workspace's `dist/`.
pub fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("SWITCHBOARD_E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"));
    assert!(
        dist.join("index.html").is_file(),
        "the app is not built at {}: run `cargo xtask test` (or `trunk build --release`) first",
        dist.display()
    );
    dist
}

/// Screenshots land here for people to look at.
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let dir = target.join("e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot directory can be created");
    dir
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// chromedriver, killed on drop.
pub struct Chromedriver {
    child: Child,
    pub url: String,
}

impl Chromedriver {
    pub fn start() -> Chromedriver {
        let port = free_port();
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {binary} ({e}): run `cargo xtask test`, which installs it")
            });
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server with the demo workspace and a chromedriver, both private to one test.
pub struct Harness {
    pub server: Running,
    pub url: String,
    /// The demo website chat's key.
    pub chat_key: String,
    pub driver: Chromedriver,
    /// Chromium profiles live here too, so a failed test leaves nothing behind in /tmp.
    _data: tempfile::TempDir,
    profiles: std::sync::atomic::AtomicUsize,
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_in(tempfile::tempdir().expect("a temp dir")).await
    }

    /// A harness whose server keeps its data in `data` (which may hold a database already;
    /// the demo is seeded only into an empty one).
    pub async fn start_in(data: tempfile::TempDir) -> Harness {
        Harness::start_with(data, |_| {}).await
    }

    /// A harness whose server configuration `change` adjusts (providers' addresses).
    pub async fn start_configured(change: impl FnOnce(&mut Config)) -> Harness {
        Harness::start_with(tempfile::tempdir().expect("a temp dir"), change).await
    }

    async fn start_with(data: tempfile::TempDir, change: impl FnOnce(&mut Config)) -> Harness {
        let mut config = Config {
            bind: "127.0.0.1:0".parse().expect("an address"),
            data_dir: data.path().to_owned(),
            dist_dir: dist_dir(),
            demo: true,
            ..Config::default()
        };
        change(&mut config);
        let server = switchboard_server::start(config)
            .await
            .expect("the server starts");
        let url = server.url();
        let lines = switchboard_server::demo::describe(server.state.store.as_ref(), &url)
            .await
            .expect("the demo workspace is described");
        let chat_key = lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("demo website chat: {url}/chat/")))
            .expect("the demo has a website chat")
            .to_owned();
        Harness {
            server,
            url,
            chat_key,
            driver: Chromedriver::start(),
            _data: data,
            profiles: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// A new headless Chromium window of the given size.
    pub async fn browser(&self, width: u32, height: u32) -> WebDriver {
        self.chromium(width, height, false).await
    }

    /// A phone: a 390×844 touch screen at three device pixels per CSS pixel (the window
    /// itself cannot be that narrow; the page sees exactly this screen).
    pub async fn phone(&self) -> WebDriver {
        self.chromium(390, 844, true).await
    }

    async fn chromium(&self, width: u32, height: u32, phone: bool) -> WebDriver {
        self.chromium_with(width, height, phone, &[]).await
    }

    /// A Chromium session with extra command-line flags (the benchmarks measure memory).
    pub async fn chromium_with(
        &self,
        width: u32,
        height: u32,
        phone: bool,
        extra: &[&str],
    ) -> WebDriver {
        let mut caps = ChromeCapabilities::new();
        if phone {
            caps.add_experimental_option(
                "mobileEmulation",
                serde_json::json!({
                    "deviceMetrics": { "width": width, "height": height, "pixelRatio": 3.0, "touch": true },
                    "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
                }),
            )
            .expect("mobile emulation");
        }
        // The browser's preferred languages (`navigator.languages`): English unless a story
        // asks for another with `--lang=…`; headless Chromium takes them from this setting.
        let lang = extra
            .iter()
            .find_map(|a| a.strip_prefix("--lang="))
            .unwrap_or("en-US");
        caps.add_experimental_option(
            "prefs",
            serde_json::json!({ "intl.accept_languages": lang }),
        )
        .expect("languages");
        caps.set_binary(
            &std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
        )
        .expect("binary");
        let profile = self._data.path().join(format!(
            "chromium-{}",
            self.profiles
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let profile = format!("--user-data-dir={}", profile.display());
        for arg in [
            profile.as_str(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Recording (K4) gets a test pattern and a tone, without asking.
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            &format!("--window-size={width},{height}"),
        ]
        .into_iter()
        // The stories read the English UI unless one asks for another language.
        .chain((!extra.iter().any(|a| a.starts_with("--lang="))).then_some("--lang=en-US"))
        .chain(extra.iter().copied())
        {
            caps.add_arg(arg).expect("arg");
        }
        WebDriver::new(&self.driver.url, caps)
            .await
            .expect("a Chromium session starts")
    }

    pub fn chat_url(&self) -> String {
        format!("{}/chat/{}", self.url, self.chat_key)
    }
}

/// Finds an element by XPath, waiting for the app to render it.
pub async fn wait_xpath(driver: &WebDriver, xpath: &str) -> WebElement {
    driver
        .query(By::XPath(xpath))
        .wait(WAIT, Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("nothing matches {xpath} within {WAIT:?}: {e}"))
}

/// The text of the first element matching the XPath, waiting for it. Elements the app
/// re-renders (a send confirmed, say) are found again instead of going stale.
pub async fn wait_text(driver: &WebDriver, xpath: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let element = wait_xpath(driver, xpath).await;
        match element.text().await {
            Ok(text) => return text,
            Err(error) if std::time::Instant::now() < deadline => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("cannot read the text of {xpath}: {error}"),
        }
    }
}

/// Waits until the select found by XPath shows the option `want`. A select the app draws
/// again (its options arrive, the conversation is read again) is found again.
pub async fn wait_selected(driver: &WebDriver, xpath: &str, want: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    let mut seen = None;
    while std::time::Instant::now() < deadline {
        let select = wait_xpath(driver, xpath).await;
        let shown = driver
            .execute(
                "const o = arguments[0].selectedOptions[0]; return o ? o.text : null;",
                vec![select.to_json().expect("an element")],
            )
            .await
            .ok()
            .and_then(|r| r.convert::<Option<String>>().ok())
            .flatten();
        if shown.as_deref() == Some(want) {
            return;
        }
        seen = shown;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{xpath} shows {seen:?}, not {want:?}, after {WAIT:?}");
}

/// What the composer's text field holds now.
pub async fn composer_text(driver: &WebDriver) -> String {
    wait_xpath(driver, "//textarea")
        .await
        .prop("value")
        .await
        .expect("a value")
        .unwrap_or_default()
}

/// Waits until nothing matches the XPath.
pub async fn wait_gone(driver: &WebDriver, xpath: &str) {
    let gone = driver
        .query(By::XPath(xpath))
        .wait(WAIT, Duration::from_millis(50))
        .not_exists()
        .await
        .expect("the query runs");
    assert!(gone, "{xpath} is still there after {WAIT:?}");
}

/// An XPath string literal for `text` (which may contain quotes).
pub fn literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// Signs in on the login page the browser is showing.
pub async fn sign_in(driver: &WebDriver, email: &str, password: &str) {
    wait_xpath(driver, "//input[@name='email']")
        .await
        .send_keys(email)
        .await
        .expect("typing");
    driver
        .find(By::XPath("//input[@name='password']"))
        .await
        .expect("a password field")
        .send_keys(password)
        .await
        .expect("typing");
    driver
        .find(By::XPath("//button[normalize-space()='Sign in']"))
        .await
        .expect("a sign-in button")
        .click()
        .await
        .expect("clicking");
}

/// The paths this page has fetched so far.
pub async fn fetched(driver: &WebDriver) -> Vec<String> {
    let answer = driver
        .execute(
            "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);",
            Vec::new(),
        )
        .await
        .expect("the script runs");
    serde_json::from_value(answer.json().clone()).expect("a list of paths")
}

/// Runs `script` (which returns true or false, given `args`) until it returns true, for up to
/// five seconds; answers whether it did.
pub async fn comes_true(driver: &WebDriver, script: &str, args: Vec<serde_json::Value>) -> bool {
    for _ in 0..100 {
        let answer = driver
            .execute(script, args.clone())
            .await
            .expect("the script runs")
            .convert::<bool>()
            .expect("a boolean");
        if answer {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Counts the elements matching a CSS selector in the page.
pub async fn count(driver: &WebDriver, css: &str) -> u64 {
    let script = format!(
        "return document.querySelectorAll({}).length;",
        js_string(css)
    );
    driver
        .execute(script, Vec::new())
        .await
        .expect("the script runs")
        .convert::<u64>()
        .expect("a number")
}

fn js_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Serves `app` (a provider's stand-in, a page of another origin) on a port of its own for
/// as long as the test runs; returns `http://127.0.0.1:PORT`.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

/// Serves one HTML page on a port of its own (another origin than the server's), for as long
/// as the test runs; returns its URL.
pub async fn serve_html(html: String) -> String {
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move || async move { axum::response::Html(html) }),
    );
    format!("{}/", serve(app).await)
}

pub async fn screenshot(driver: &WebDriver, name: &str) -> PathBuf {
    let path = screenshot_dir().join(format!("{name}.png"));
    driver.screenshot(&path).await.expect("a screenshot");
    path
}

/// Dispatches a touch gesture on the element found by XPath (the page must emulate a touch
/// screen, as [`Harness::phone`] does): from its centre, moving `dx` pixels right (left when
/// negative), held for `hold_ms`.
pub async fn touch(driver: &WebDriver, xpath: &str, dx: i32, hold_ms: u64) {
    let element = wait_xpath(driver, xpath).await;
    let script = "const el = arguments[0]; const r = el.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const t = (cx) => new Touch({ identifier: 1, target: el, clientX: cx, clientY: y });
        const fire = (type, cx, list) => el.dispatchEvent(new TouchEvent(type,
            { bubbles: true, cancelable: true, touches: list ? [t(cx)] : [], changedTouches: [t(cx)] }));
        fire('touchstart', x, true);
        if (arguments[1] !== 0) { fire('touchmove', x + arguments[1] / 2, true); fire('touchmove', x + arguments[1], true); }
        window.__touchEnd = () => fire('touchend', x + arguments[1], false);";
    driver
        .execute(
            script,
            vec![
                element.to_json().expect("an element"),
                serde_json::json!(dx),
            ],
        )
        .await
        .expect("the touch starts");
    tokio::time::sleep(std::time::Duration::from_millis(hold_ms)).await;
    driver
        .execute("window.__touchEnd();", Vec::new())
        .await
        .expect("the touch ends");
}

/// The demo users' password.
pub const PASSWORD: &str = "switchboard-demo";

/// The inbox list row of a contact (its name starts with `name`).
pub fn row(name: &str) -> String {
    format!(
        "//a[contains(@class,'conversation-row')][.//span[contains(@class,'conversation-row-name')][starts-with(normalize-space(),{})]]",
        literal(name)
    )
}

/// The agent thread's message or comment whose text contains `text`.
pub fn bubble(text: &str) -> String {
    format!(
        "//article[contains(@class,'message')][.//div[contains(@class,'markdown')][contains(normalize-space(.),{})]]",
        literal(text)
    )
}

/// Clicks the element found by XPath, waiting for it. An element replaced between being found
/// and clicked (a list row redrawn by a live update) is found again, as a person's click lands
/// on whatever is drawn there.
pub async fn click(driver: &WebDriver, xpath: &str) {
    for _ in 0..10 {
        match wait_xpath(driver, xpath).await.click().await {
            Ok(()) => return,
            Err(e)
                if matches!(
                    *e,
                    thirtyfour::error::WebDriverErrorInner::StaleElementReference(_)
                ) =>
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("cannot click {xpath}: {e}"),
        }
    }
    panic!("cannot click {xpath}: it is redrawn all the time");
}

/// A text `sender` (named `first last`) sent through `channel`, `ago` before now, as its
/// provider's webhook gives it; without phone or e-mail (set them as needed).
pub fn text_from<'a>(
    channel: &switchboard_storage::Channel,
    sender: &'a str,
    (first_name, last_name): (&'a str, &'a str),
    external_id: &'a str,
    text: &str,
    ago: chrono::Duration,
) -> switchboard_storage::InboundMessage<'a> {
    switchboard_storage::InboundMessage {
        workspace: channel.workspace,
        channel: channel.id,
        sender,
        first_name,
        last_name,
        phone: None,
        email: None,
        external_id,
        reply_to: None,
        content: switchboard_protocol::Content::Text { text: text.into() },
        received_at: chrono::Utc::now() - ago,
        files: Vec::new(),
    }
}

/// Stores a message a contact sent through a provider (what its webhook does); it must be
/// new. Its conversation as it became.
pub async fn receive(
    store: &dyn switchboard_storage::Store,
    message: switchboard_storage::InboundMessage<'_>,
) -> switchboard_protocol::ConversationSummary {
    match store.receive_message(message).await.expect("stored") {
        switchboard_storage::Received::Stored(appended) => appended.conversation,
        switchboard_storage::Received::Duplicate => panic!("a new message is stored"),
    }
}

/// Hovers a message (its menu shows on hover) and clicks one of its actions.
pub async fn message_action(driver: &WebDriver, text: &str, action: &str) {
    let article = wait_xpath(driver, &bubble(text)).await;
    driver
        .action_chain()
        .move_to_element_center(&article)
        .perform()
        .await
        .expect("hover");
    click(
        driver,
        &format!("{}//button[@aria-label={}]", bubble(text), literal(action)),
    )
    .await;
}

/// Whether the element has the CSS class.
pub async fn has_class(element: &WebElement, class: &str) -> bool {
    element
        .class_name()
        .await
        .expect("a class")
        .unwrap_or_default()
        .split_whitespace()
        .any(|c| c == class)
}

/// Whether the element found by XPath starts blinking (a highlighted message) within 3 s.
pub async fn blinks(driver: &WebDriver, xpath: &str) -> bool {
    let element = wait_xpath(driver, xpath).await;
    for _ in 0..60 {
        if has_class(&element, "blink").await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Waits until the page's address satisfies `check`, then returns it (or fails with it).
pub async fn wait_url(driver: &WebDriver, check: impl Fn(&url::Url) -> bool) -> url::Url {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = driver.current_url().await.expect("an address");
        if check(&url) {
            return url;
        }
        assert!(Instant::now() < deadline, "the address stayed {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the page's path is `want`.
pub async fn wait_path(driver: &WebDriver, want: &str) {
    wait_url(driver, |u| u.path() == want).await;
}

/// Waits until the page's query (without `?`) is `want`.
pub async fn wait_query(driver: &WebDriver, want: &str) {
    wait_url(driver, |u| u.query().unwrap_or_default() == want).await;
}

/// Prepares `data` (a server's data directory) with the demo workspace plus `conversations`
/// generated conversations from a day ago in the first workspace and, when `thread` > 0, one
/// conversation of `thread` messages that is the newest of all.
pub async fn seed_large(data: &Path, conversations: usize, thread: usize) {
    use switchboard_storage::Store;
    use switchboard_storage_sql::bulk::{self, BulkSpec};
    let store = switchboard_storage_sqlite::SqliteBackend::open(&data.join("switchboard.db"))
        .await
        .expect("the store opens");
    switchboard_server::demo::seed_if_empty(&store)
        .await
        .expect("the demo is seeded");
    let workspace = switchboard_protocol::WorkspaceId(1);
    let users = store
        .members(workspace)
        .await
        .expect("members")
        .into_iter()
        .map(|m| m.user.id)
        .collect::<Vec<_>>();
    let teams = store
        .teams(workspace)
        .await
        .expect("teams")
        .into_iter()
        .map(|t| t.id)
        .collect::<Vec<_>>();
    let channel = store.channels(workspace).await.expect("channels")[0].id;
    let spec = |contacts, messages_per_contact, now, seed| BulkSpec {
        workspace,
        channel,
        users: users.clone(),
        teams: teams.clone(),
        contacts,
        messages_per_contact,
        now,
        seed,
    };
    let now = chrono::Utc::now();
    bulk::load(
        &store,
        &spec(conversations, 1, now - chrono::Duration::days(1), 11),
    )
    .await
    .expect("the conversations load");
    if thread > 0 {
        bulk::load(&store, &spec(1, thread, now, 12))
            .await
            .expect("the big thread loads");
    }
}

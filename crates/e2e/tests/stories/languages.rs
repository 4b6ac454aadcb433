//! Languages (X3) in a real browser: the UI starts in the browser's language, the member
//! switches it from the sidebar and every visible string changes, the choice survives a
//! reload, and a signed-out person can switch on the login page.
//!
//! "Visible string" means every text node, `placeholder`, `aria-label`, `title` and `alt` of
//! a shown element (and screen-reader-only text), except what users and contacts wrote
//! (marked `translate="no"`, as HTML says for content not to translate) and words shown in
//! their own language (`lang` attributes, as in the language picker).

use serde_json::Value;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

/// Collects the visible UI strings with where they are.
const COLLECT: &str = r#"
const out = [];
const docLang = document.documentElement.lang;
const excluded = (el) =>
  el.closest('[translate="no"]') ||
  [...ancestors(el)].some((a) => a.hasAttribute('lang') && a !== document.documentElement && a.getAttribute('lang') !== docLang);
function* ancestors(el) { for (let e = el; e; e = e.parentElement) yield e; }
const shown = (el) => {
  if (el.closest('.visually-hidden')) return true;
  if (el.tagName === 'OPTION') return shown(el.closest('select'));
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
};
const where = (el) => {
  const parts = [];
  for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
    parts.unshift(e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
  }
  return parts.join(' > ');
};
// Words of what people wrote (names, snippets) on this page: a label or an option may hold
// them inside a translated sentence ("Роль участника Anna Petrova"), where no element can
// mark them.
const dataWords = new Set();
for (const el of document.querySelectorAll('[translate="no"]')) {
  for (const w of (el.textContent.match(/[A-Za-z][A-Za-z-]+/g) || [])) dataWords.add(w);
}
const withoutData = (text) => text.replace(/[A-Za-z][A-Za-z-]+/g, (w) => (dataWords.has(w) ? '' : w));
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const el = n.parentElement;
  const text = n.textContent.trim();
  if (!text || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
  if (excluded(el) || !shown(el)) continue;
  out.push({ text: el.tagName === 'OPTION' ? withoutData(text) : text, where: where(el) });
}
for (const el of document.body.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
  if (excluded(el) || !shown(el)) continue;
  for (const a of ['placeholder', 'aria-label', 'title', 'alt']) {
    const v = (el.getAttribute(a) || '').trim();
    if (v) out.push({ text: withoutData(v), where: where(el) + ' @' + a });
  }
}
return out;
"#;

/// Names and notations that read the same in both languages.
const SAME_IN_BOTH: &[&str] = &[
    "Switchboard",
    "WhatsApp",
    "Telegram",
    "TikTok",
    "Markdown",
    "Ctrl",
    "Shift",
    "Alt",
    "Esc",
    "Enter",
    "Tab",
    "Cmd",
    "PNG",
    "JPG",
    "PDF",
    "IMAP",
    "SMTP",
    "URL",
    "API",
    "HTTPS",
    "E-mail",
    "OpenAI",
    "Ollama",
    "llama",
    "cpp",
    "vLLM",
    "HubSpot",
    "Salesforce",
    "Dialogflow",
    "JWT",
    "JSON",
    "HTTP",
    "PEM",
];

/// The visible strings that are not in `lang` ("ru": has Latin words beyond the names above;
/// "en": has Cyrillic letters).
async fn foreign_strings(driver: &WebDriver, lang: &str) -> Vec<String> {
    let found = driver
        .execute(COLLECT, Vec::new())
        .await
        .expect("strings collected");
    let strings = found.json().as_array().cloned().unwrap_or_default();
    assert!(!strings.is_empty(), "the page shows some text");
    strings
        .iter()
        .filter_map(|s: &Value| {
            let text = s["text"].as_str()?;
            let foreign = if lang == "ru" {
                latin_words(&without_notation(text))
                    .into_iter()
                    .any(|w| !SAME_IN_BOTH.contains(&w))
            } else {
                text.chars()
                    .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
            };
            foreign.then(|| format!("{text:?} at {}", s["where"].as_str().unwrap_or("?")))
        })
        .collect()
}

/// The text without notation that reads the same in every language: snippet variables
/// (`{{first_name}}`) and example e-mail addresses.
fn without_notation(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.contains('@') && !w.contains("{{"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words of two or more Latin letters.
fn latin_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphabetic() && c != '-')
        .map(|w| w.trim_matches('-'))
        .filter(|w| w.len() >= 2)
        .collect()
}

/// Checks the screen is wholly in `lang`; collects what is not under its name.
async fn check(driver: &WebDriver, lang: &str, screen: &str, problems: &mut Vec<String>) {
    for s in foreign_strings(driver, lang).await {
        problems.push(format!("{screen}: {s}"));
    }
}

fn assert_none(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} strings in the wrong language:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Signs in by submitting the form, whatever its button says.
async fn sign_in_any_language(driver: &WebDriver, email: &str) {
    wait_xpath(driver, "//input[@name='email']")
        .await
        .send_keys(email)
        .await
        .expect("typing");
    let password = wait_xpath(driver, "//input[@name='password']").await;
    password.send_keys(PASSWORD).await.expect("typing");
    click(driver, "//form//button[@type='submit']").await;
}

/// Picks a language in the picker on screen.
async fn pick(driver: &WebDriver, code: &str) {
    click(
        driver,
        &format!("//label[contains(@class,'language-picker')]//option[@value='{code}']"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_russian_browser_gets_russian_and_every_screen_is_wholly_russian() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let mut problems = Vec::new();
    let driver = h.chromium_with(1440, 900, false, &["--lang=ru-RU"]).await;

    driver.goto(format!("{}/w/1", h.url)).await.expect("goto");
    wait_xpath(&driver, "//input[@name='email']").await;
    let html_lang = driver
        .execute("return document.documentElement.lang;", Vec::new())
        .await
        .expect("lang");
    assert_eq!(html_lang.json(), "ru", "the page says it is in Russian");
    // The release build compiles in English only: the first screens' Russian is fetched
    // before the app starts, and no English file is.
    let fetched = fetched(&driver).await;
    if fetched.iter().any(|p| p.ends_with("-split.js")) {
        assert!(
            fetched.iter().any(|p| p == "/locales/ru/login.ftl"),
            "{fetched:?}"
        );
        assert!(
            !fetched.iter().any(|p| p.starts_with("/locales/en/")),
            "{fetched:?}"
        );
    }
    check(&driver, "ru", "login", &mut problems).await;
    screenshot(&driver, "ru-login").await;

    sign_in_any_language(&driver, "maria@northwind.example").await;
    let first = wait_xpath(&driver, "(//a[contains(@class,'conversation-row')])[1]").await;
    check(&driver, "ru", "inbox", &mut problems).await;
    screenshot(&driver, "ru-inbox").await;

    click(&driver, "//button[contains(@class,'bell')]").await;
    wait_xpath(
        &driver,
        "//a[contains(@class,'centre-entry')] | //p[contains(@class,'centre-empty')]",
    )
    .await;
    check(&driver, "ru", "notification centre", &mut problems).await;
    click(&driver, "//button[@aria-label='Закрыть уведомления']").await;

    first.click().await.expect("open a conversation");
    wait_xpath(
        &driver,
        "//section[contains(@class,'thread-pane')]//article",
    )
    .await;
    check(&driver, "ru", "conversation", &mut problems).await;
    screenshot(&driver, "ru-conversation").await;

    driver
        .goto(format!("{}/w/1/search", h.url))
        .await
        .expect("goto");
    let search = wait_xpath(&driver, "//input[@type='search']").await;
    search.send_keys("order").await.expect("typing");
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    check(&driver, "ru", "search", &mut problems).await;

    driver
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    wait_xpath(&driver, "//th//span[normalize-space()='Maria Lopez']").await;
    check(&driver, "ru", "settings", &mut problems).await;
    screenshot(&driver, "ru-settings").await;

    driver
        .goto(format!("{}/w/1/settings/channels", h.url))
        .await
        .expect("goto");
    wait_xpath(&driver, "//ul[contains(@class,'channel-cards')]").await;
    check(&driver, "ru", "channels", &mut problems).await;

    driver.goto(h.chat_url()).await.expect("goto");
    wait_xpath(&driver, "//textarea | //input[@type='text']").await;
    check(&driver, "ru", "visitor chat", &mut problems).await;
    screenshot(&driver, "ru-visitor-chat").await;

    assert_none(&problems);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_language_changes_every_visible_string_and_is_remembered() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    for (size, driver) in [
        ("desktop", h.browser(1440, 900).await),
        ("phone", h.phone().await),
    ] {
        let mut problems = Vec::new();
        driver.goto(format!("{}/w/1", h.url)).await.expect("goto");
        // A signed-out person switches on the login page.
        wait_xpath(&driver, "//input[@name='email']").await;
        check(&driver, "en", &format!("{size} login"), &mut problems).await;
        pick(&driver, "ru").await;
        wait_xpath(&driver, "//html[@lang='ru']").await;
        check(
            &driver,
            "ru",
            &format!("{size} login switched"),
            &mut problems,
        )
        .await;
        pick(&driver, "en").await;
        wait_xpath(&driver, "//html[@lang='en']").await;

        sign_in(&driver, "maria@northwind.example", PASSWORD).await;
        let first = wait_xpath(&driver, "(//a[contains(@class,'conversation-row')])[1]").await;
        // On a desktop the conversation stays open while the language changes; a phone
        // switches from the folders drawer over the list.
        let (screen, shown) = if size == "desktop" {
            first.click().await.expect("open a conversation");
            (
                "conversation",
                "//section[contains(@class,'thread-pane')]//article",
            )
        } else {
            ("list", "(//a[contains(@class,'conversation-row')])[1]")
        };
        let open_picker = async || {
            if size == "phone" {
                click(&driver, "//button[contains(@class,'menu-button')]").await;
            }
        };
        wait_xpath(&driver, shown).await;
        check(&driver, "en", &format!("{size} {screen}"), &mut problems).await;

        open_picker().await;
        pick(&driver, "ru").await;
        wait_xpath(&driver, "//html[@lang='ru']").await;
        wait_xpath(&driver, shown).await;
        check(
            &driver,
            "ru",
            &format!("{size} {screen} switched"),
            &mut problems,
        )
        .await;
        screenshot(&driver, &format!("ru-switched-{size}")).await;

        driver.refresh().await.expect("reload");
        wait_xpath(&driver, shown).await;
        wait_xpath(&driver, "//html[@lang='ru']").await;
        check(
            &driver,
            "ru",
            &format!("{size} {screen} after reload"),
            &mut problems,
        )
        .await;

        open_picker().await;
        pick(&driver, "en").await;
        wait_xpath(&driver, "//html[@lang='en']").await;
        wait_xpath(&driver, shown).await;
        check(
            &driver,
            "en",
            &format!("{size} {screen} back in English"),
            &mut problems,
        )
        .await;
        assert_none(&problems);
    }
}

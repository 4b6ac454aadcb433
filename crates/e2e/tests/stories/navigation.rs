//! Inbox navigation in real browsers (N1–N7, N8 for the list): folders with counts, status
//! tabs, sorts, list search and the unreplied toggle, each its own URL that survives reload
//! and back/forward; the workspace switcher; live changes leaving a filtered list; and the
//! one-pane mobile layout with its folders menu.

use switchboard_e2e::thirtyfour::components::SelectElement;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

/// A folder link in the sidebar, by its name.
fn folder(name: &str) -> String {
    format!(
        "//nav[@aria-label='Folders']//a[contains(@class,'folder')][.//span[@class='folder-name'][normalize-space()={}]]",
        literal(name)
    )
}

fn tab(name: &str) -> String {
    format!(
        "//*[@role='tablist'][@aria-label='Status']//a[@role='tab'][normalize-space()={}]",
        literal(name)
    )
}

const SEARCH: &str = "//input[@aria-label='Search conversations']";
const SORT: &str = "//select[@aria-label='Sort']";
const UNREPLIED: &str = "//button[contains(@class,'unreplied-toggle')]";

/// The names of the rows the list shows, top to bottom, once it has loaded.
async fn names(driver: &WebDriver) -> Vec<String> {
    let script = "const list = document.querySelector('.conversation-list');
        if (!list || list.getAttribute('aria-busy') !== 'false') return null;
        return [...list.querySelectorAll('.conversation-row-name')].map(e => e.textContent);";
    for _ in 0..200 {
        let names = driver
            .execute(script, Vec::new())
            .await
            .expect("the script runs")
            .convert::<Option<Vec<String>>>()
            .expect("names");
        if let Some(names) = names {
            return names;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let url = driver.current_url().await.expect("url");
    let html = driver
        .execute(
            "const l = document.querySelector('.conversation-list'); return l ? l.outerHTML.slice(0, 400) : 'no list';",
            Vec::new(),
        )
        .await
        .expect("the script runs")
        .convert::<String>()
        .expect("text");
    panic!("the list at {url} did not finish loading: {html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folders_tabs_sorts_search_and_unreplied_are_urls_that_survive_reload() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&anna, &row("Olivia Bennett")).await;

    // The sidebar lists the folders with counts; Anna's team and the inbox shared with it.
    for name in [
        "All conversations",
        "Mine",
        "Unassigned",
        "Support",
        "Waiting over an hour",
    ] {
        wait_xpath(&anna, &folder(name)).await;
    }
    wait_xpath(
        &anna,
        &format!("{}//span[@class='folder-count']", folder("Mine")),
    )
    .await;
    wait_xpath(
        &anna,
        "//h2[@class='folder-heading'][normalize-space()='Shared with me']",
    )
    .await;
    // Anna may not view blocked contacts: no Blocked folder.
    assert_eq!(count(&anna, "a.folder[data-folder='blocked']").await, 0);
    screenshot(&anna, "inbox-desktop").await;

    // Mine: only Anna's conversations.
    wait_xpath(&anna, &folder("Mine"))
        .await
        .click()
        .await
        .expect("click");
    wait_query(&anna, "folder=mine").await;
    wait_xpath(&anna, "//h1[normalize-space()='Mine']").await;
    let mine = names(&anna).await;
    assert!(
        mine.iter().any(|n| n.starts_with("Grace")),
        "Grace is Anna's: {mine:?}"
    );
    assert!(
        !mine.iter().any(|n| n.starts_with("Olivia")),
        "Olivia is unassigned: {mine:?}"
    );

    // The Closed tab of Mine; back returns to all of Mine.
    wait_xpath(&anna, &tab("Closed"))
        .await
        .click()
        .await
        .expect("click");
    wait_query(&anna, "folder=mine&status=closed").await;
    wait_xpath(&anna, &format!("{}[@aria-selected='true']", tab("Closed"))).await;

    assert!(!names(&anna).await.iter().any(|n| n.starts_with("Grace")));
    anna.back().await.expect("back");
    wait_query(&anna, "folder=mine").await;
    wait_xpath(&anna, &row("Grace Lee")).await;

    // Search from All: only matching contacts; the search survives a reload.
    wait_xpath(&anna, &folder("All conversations"))
        .await
        .click()
        .await
        .expect("click");
    wait_query(&anna, "").await;
    wait_xpath(&anna, SEARCH)
        .await
        .send_keys("olivia")
        .await
        .expect("typing");
    wait_query(&anna, "q=olivia").await;
    wait_gone(&anna, &row("Grace Lee")).await;
    assert_eq!(names(&anna).await, vec!["Olivia Bennett".to_owned()]);
    anna.refresh().await.expect("reload");
    wait_xpath(&anna, &row("Olivia Bennett")).await;
    let field = wait_xpath(&anna, SEARCH).await;
    assert_eq!(
        field.prop("value").await.expect("value").as_deref(),
        Some("olivia")
    );
    assert_eq!(names(&anna).await.len(), 1);
    // A search nobody matches says so.
    wait_xpath(&anna, "//button[@aria-label='Clear search']")
        .await
        .click()
        .await
        .expect("click");
    wait_query(&anna, "").await;
    field.send_keys("zzz-nobody").await.expect("typing");
    wait_xpath(
        &anna,
        "//p[contains(@class,'empty-list')][contains(.,'zzz-nobody')]",
    )
    .await;
    wait_xpath(&anna, "//button[@aria-label='Clear search']")
        .await
        .click()
        .await
        .expect("click");
    wait_query(&anna, "").await;

    // Sorts: oldest first reverses newest first (the demo fits one page).
    let newest = names(&anna).await;
    assert!(newest.len() > 10, "{newest:?}");
    SelectElement::new(&wait_xpath(&anna, SORT).await)
        .await
        .expect("a select")
        .select_by_exact_text("Oldest first")
        .await
        .expect("chosen");
    wait_query(&anna, "sort=oldest").await;
    let mut oldest = names(&anna).await;
    oldest.reverse();
    assert_eq!(oldest, newest);

    // Unreplied: blue and pressed, only conversations awaiting a reply, and off again.
    let toggle = wait_xpath(&anna, UNREPLIED).await;
    toggle.click().await.expect("click");
    wait_query(&anna, "sort=oldest&unreplied=true").await;
    wait_xpath(
        &anna,
        "//button[contains(@class,'unreplied-toggle')][@aria-pressed='true']",
    )
    .await;
    let unreplied = names(&anna).await;
    assert!(
        !unreplied.is_empty() && unreplied.len() < newest.len(),
        "{unreplied:?}"
    );
    // Mateo's last word was an agent's reply.
    assert!(!unreplied.iter().any(|n| n.starts_with("Mateo")));
    screenshot(&anna, "inbox-desktop-unreplied").await;
    wait_xpath(&anna, UNREPLIED)
        .await
        .click()
        .await
        .expect("click");
    wait_query(&anna, "sort=oldest").await;

    // Opening a conversation keeps the list's view in the URL.
    wait_xpath(&anna, &row("Olivia Bennett"))
        .await
        .click()
        .await
        .expect("click");
    let url = anna.current_url().await.expect("url");
    assert!(url.path().starts_with("/w/1/c/"), "{url}");
    assert_eq!(url.query(), Some("sort=oldest"));

    // The workspace switcher goes to Aurora Books.
    let switcher = wait_xpath(
        &anna,
        "//label[contains(@class,'workspace-switcher')]//select",
    )
    .await;
    SelectElement::new(&switcher)
        .await
        .expect("a select")
        .select_by_exact_text("Aurora Books")
        .await
        .expect("chosen");
    wait_xpath(&anna, &row("Hugo Laurent")).await;
    assert_eq!(anna.current_url().await.expect("url").path(), "/w/2");
    wait_gone(&anna, &row("Olivia Bennett")).await;
    anna.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_assigned_away_leaves_the_unassigned_list_live() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1?folder=unassigned", h.url))
        .await
        .expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    let olivia = wait_xpath(&anna, &row("Olivia Bennett")).await;
    // Back where the link pointed.
    wait_query(&anna, "folder=unassigned").await;
    let id = olivia
        .attr("data-conversation")
        .await
        .expect("an attribute")
        .expect("an id");
    let unassigned_count = format!("{}//span[@class='folder-count']", folder("Unassigned"));
    let before: u64 = wait_text(&anna, &unassigned_count)
        .await
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a count");

    // Maria, in her own browser, assigns Olivia's conversation to Boris.
    let maria = h.browser(1280, 800).await;
    maria.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    wait_xpath(&maria, &row("Olivia Bennett")).await;
    let status = maria
        .execute(
            &format!(
                "return fetch('/api/v1/workspaces/1/members').then(r => r.json()).then(ms => {{
                    const b = ms.find(m => m.user.email === 'boris@northwind.example');
                    return fetch('/api/v1/workspaces/1/conversations/{id}/assign', {{
                        method: 'POST', headers: {{ 'content-type': 'application/json' }},
                        body: JSON.stringify({{ assignee: {{ kind: 'user', id: b.user.id }} }})
                    }}).then(r => r.status);
                }});"
            ),
            Vec::new(),
        )
        .await
        .expect("the script runs")
        .convert::<u16>()
        .expect("a status");
    assert_eq!(status, 200);

    // Anna's Unassigned list loses the row and its count drops, without a reload.
    wait_gone(&anna, &row("Olivia Bennett")).await;
    let mut after = before;
    for _ in 0..100 {
        after = wait_text(&anna, &unassigned_count)
            .await
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .expect("a count");
        if after < before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(after, before - 1);
    anna.quit().await.expect("quit");
    maria.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_folders_open_from_the_menu_and_close_on_choice() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let phone = h.phone().await;
    phone.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&phone, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&phone, &row("Olivia Bennett")).await;
    // One pane: the list, with the folders behind the menu button.
    let sidebar = phone
        .find(By::XPath("//nav[@aria-label='Folders']"))
        .await
        .expect("a sidebar");
    assert!(!sidebar.is_displayed().await.expect("displayed"));
    screenshot(&phone, "inbox-mobile").await;
    wait_xpath(&phone, "//button[@aria-label='Folders']")
        .await
        .click()
        .await
        .expect("click");
    wait_xpath(&phone, &folder("Mine")).await;
    assert!(sidebar.is_displayed().await.expect("displayed"));
    screenshot(&phone, "inbox-mobile-folders").await;
    wait_xpath(&phone, &folder("Mine"))
        .await
        .click()
        .await
        .expect("click");
    wait_query(&phone, "folder=mine").await;
    wait_xpath(&phone, "//h1[normalize-space()='Mine']").await;
    assert!(!sidebar.is_displayed().await.expect("displayed"));
    wait_xpath(&phone, &row("Grace Lee")).await;
    phone.quit().await.expect("quit");
}

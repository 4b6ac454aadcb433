//! Accessibility (X4): axe-core (from npm, installed by `cargo xtask`) checks every main
//! screen in a real browser, at a desktop and a phone size: no serious or critical
//! violation (contrast AA, names of controls, roles, landmarks, focus order rules).

use serde_json::Value;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

/// The serious and critical violations axe-core finds in the page as it is now.
async fn violations(driver: &WebDriver) -> Vec<String> {
    let axe = std::fs::read_to_string(workspace_root().join("node_modules/axe-core/axe.min.js"))
        .expect("axe-core is installed (cargo xtask setup)");
    driver
        .execute(&axe, Vec::new())
        .await
        .expect("axe-core loads");
    let found = driver
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(
               (r) => done(r.violations
                 .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                 .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + n.failureSummary) }))),
               (e) => done([{ id: 'axe-error', help: String(e), nodes: [] }]));",
            Vec::new(),
        )
        .await
        .expect("axe-core runs");
    found
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v: &Value| {
            format!(
                "{} ({}): {}\n    {}",
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or_default(),
                v["help"].as_str().unwrap_or_default(),
                v["nodes"]
                    .as_array()
                    .map(|n| n
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("\n    "))
                    .unwrap_or_default()
            )
        })
        .collect()
}

/// Checks the screen; collects what is wrong under its name.
async fn check(driver: &WebDriver, screen: &str, problems: &mut Vec<String>) {
    for v in violations(driver).await {
        problems.push(format!("{screen}: {v}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_screen_passes_axe_at_both_sizes() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let mut problems = Vec::new();
    for (size, driver) in [
        ("desktop", h.browser(1440, 900).await),
        ("phone", h.phone().await),
    ] {
        driver.goto(format!("{}/w/1", h.url)).await.expect("goto");
        wait_xpath(&driver, "//input[@name='email']").await;
        check(&driver, &format!("{size} login"), &mut problems).await;
        sign_in(&driver, "maria@northwind.example", PASSWORD).await;
        let first = wait_xpath(&driver, "(//a[contains(@class,'conversation-row')])[1]").await;
        check(&driver, &format!("{size} inbox"), &mut problems).await;

        click(&driver, "//button[contains(@class,'bell')]").await;
        wait_xpath(
            &driver,
            "//a[contains(@class,'centre-entry')] | //p[contains(@class,'centre-empty')]",
        )
        .await;
        check(
            &driver,
            &format!("{size} notification centre"),
            &mut problems,
        )
        .await;
        click(&driver, "//button[@aria-label='Close notifications']").await;

        first.click().await.expect("open a conversation");
        wait_xpath(&driver, "//section[@aria-label='Conversation']//article").await;
        check(&driver, &format!("{size} conversation"), &mut problems).await;

        click(&driver, "//button[@aria-label='Contact details']").await;
        wait_xpath(&driver, "//aside[contains(@class,'contact-panel')]//dl").await;
        check(&driver, &format!("{size} contact panel"), &mut problems).await;
        click(&driver, "//button[@aria-label='Close contact details']").await;

        driver
            .goto(format!("{}/w/1/search", h.url))
            .await
            .expect("goto");
        let search = wait_xpath(&driver, "//input[@type='search']").await;
        search.send_keys("order").await.expect("typing");
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        check(&driver, &format!("{size} search"), &mut problems).await;

        driver
            .goto(format!("{}/w/1/settings", h.url))
            .await
            .expect("goto");
        wait_xpath(&driver, "//th//span[normalize-space()='Maria Lopez']").await;
        check(&driver, &format!("{size} settings"), &mut problems).await;
        click(&driver, "//button[normalize-space()='New custom inbox']").await;
        wait_xpath(&driver, "//form[@aria-label='Custom inbox']").await;
        click(&driver, "//button[normalize-space()='Add a condition']").await;
        check(
            &driver,
            &format!("{size} custom inbox builder"),
            &mut problems,
        )
        .await;
        let invited = format!("axe-{size}@example.com");
        wait_xpath(&driver, "//input[@name='invite_email']")
            .await
            .send_keys(&invited)
            .await
            .expect("typing");
        click(
            &driver,
            "//form[@aria-label='Invite']//button[normalize-space()='Invite']",
        )
        .await;
        let link = wait_xpath(&driver, "//input[@name='invite_link']")
            .await
            .prop("value")
            .await
            .expect("a value")
            .expect("the link");
        driver.goto(&link).await.expect("goto");
        wait_xpath(&driver, "//input[@name='password']").await;
        check(&driver, &format!("{size} invitation"), &mut problems).await;

        driver
            .goto(format!("{}/w/1/settings/channels", h.url))
            .await
            .expect("goto");
        wait_xpath(&driver, "//ul[contains(@class,'channel-cards')]").await;
        check(&driver, &format!("{size} channels"), &mut problems).await;

        driver.goto(h.chat_url()).await.expect("goto");
        wait_xpath(&driver, "//textarea | //input[@type='text']").await;
        check(&driver, &format!("{size} visitor chat"), &mut problems).await;
    }
    assert!(
        problems.is_empty(),
        "{} serious or critical problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

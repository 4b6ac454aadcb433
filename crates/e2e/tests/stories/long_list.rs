//! A long conversation list (hundreds of rows loaded) keeps only a screenful of rows in the
//! page: scrolling shows the rows where they belong, the scrollbar spans them all, and a row
//! far down opens as any other.

use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const LOADED_PAGES: usize = 9;

async fn scroll_list(driver: &WebDriver, to: &str) -> (f64, f64) {
    driver
        .execute(
            &format!(
                "const l = document.querySelector('.conversation-list');
                 l.scrollTop = {to};
                 l.dispatchEvent(new Event('scroll'));
                 return [l.scrollTop, l.scrollHeight];"
            ),
            Vec::new(),
        )
        .await
        .expect("the script runs")
        .convert::<(f64, f64)>()
        .expect("numbers")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_list_renders_only_what_is_in_view() {
    let _serial = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("a temp dir");
    seed_large(data.path(), 500, 0).await;
    let h = Harness::start_in(data).await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&anna, "//a[contains(@class,'conversation-row')]").await;
    let height = "return document.querySelector('.conversation-list').scrollHeight;";
    for _ in 0..LOADED_PAGES {
        let before = anna
            .execute(height, Vec::new())
            .await
            .expect("height")
            .convert::<f64>()
            .expect("a number");
        click(&anna, "//button[normalize-space()='Load more']").await;
        // Whether the new rows are in the page or stood in for, the list grows.
        let deadline = std::time::Instant::now() + WAIT;
        while anna
            .execute(height, Vec::new())
            .await
            .expect("height")
            .convert::<f64>()
            .expect("a number")
            <= before
        {
            assert!(std::time::Instant::now() < deadline, "a page did not load");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    let loaded = anna
        .execute(
            "return document.querySelector('.conversation-list').scrollHeight;",
            Vec::new(),
        )
        .await
        .expect("height")
        .convert::<f64>()
        .expect("a number");
    let in_page = count(&anna, "a.conversation-row").await;
    assert!(in_page < 80, "{in_page} rows in the page");
    let row_px = anna
        .execute(
            "return document.querySelector('.swipe-row').offsetHeight;",
            Vec::new(),
        )
        .await
        .expect("height")
        .convert::<f64>()
        .expect("a number");
    // The rows standing in for unseen ones are as high as the rows themselves.
    let heights = anna
        .execute(
            "return [...document.querySelectorAll('.swipe-row')].map(r => r.offsetHeight);",
            Vec::new(),
        )
        .await
        .expect("heights")
        .convert::<Vec<f64>>()
        .expect("numbers");
    assert!(
        heights.iter().all(|h| *h == row_px),
        "rows differ in height: {heights:?}"
    );
    let rows_loaded = (LOADED_PAGES + 1) * 50;
    assert!(
        loaded >= row_px * rows_loaded as f64,
        "the scrollbar spans every loaded row: {loaded} px for {rows_loaded} rows of {row_px} px"
    );

    // Far down the list, the rows there are rendered where they belong.
    let (top, _) = scroll_list(&anna, "l.scrollHeight / 2").await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let visible = anna
        .execute(
            "const l = document.querySelector('.conversation-list').getBoundingClientRect();
             const rows = [...document.querySelectorAll('a.conversation-row')];
             const seen = rows.filter(r => { const b = r.getBoundingClientRect(); return b.bottom > l.top && b.top < l.bottom; });
             return seen.length;",
            Vec::new(),
        )
        .await
        .expect("rows")
        .convert::<u64>()
        .expect("a count");
    assert!(visible >= 8, "{visible} rows visible at {top} px");
    assert!(count(&anna, "a.conversation-row").await < 80);
    screenshot(&anna, "long-list").await;

    // A row down there opens like any other.
    let label = anna
        .execute(
            "const l = document.querySelector('.conversation-list').getBoundingClientRect();
             const row = [...document.querySelectorAll('a.conversation-row')]
               .find(r => r.getBoundingClientRect().top > l.top + 100);
             row.click();
             return row.querySelector('.conversation-row-name').textContent;",
            Vec::new(),
        )
        .await
        .expect("a row")
        .convert::<String>()
        .expect("a label");
    let name = label.trim().to_owned();
    wait_xpath(
        &anna,
        &format!(
            "//header[contains(@class,'thread-header')]//h2[normalize-space()={}]",
            literal(&name)
        ),
    )
    .await;
    anna.quit().await.expect("quit");
}

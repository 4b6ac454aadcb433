//! The app's benchmark in headless Chromium (part of `cargo xtask bench`): with the demo
//! workspace plus 10 000 conversations and one 10 000-message thread, it measures the time
//! from navigation to the inbox list painted, to open the big thread and an ordinary
//! conversation from the list (click to painted, INP-like), the JavaScript heap's growth
//! over 20 open/close cycles of the big thread, and the size of the first load (the wasm, JS
//! and CSS the page fetched before its list was painted; brotli and gzip) beside that of the
//! parts fetched later. The app marks "painted" itself (`src/ui/perf.rs`).
//!
//! Figures are medians and 95th percentiles of repeated runs on a noisy machine; JSON goes to
//! `target/bench/browser.json`.

use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::time::Duration;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const RUNS: usize = 15;
const CYCLES: usize = 20;
const CONVERSATIONS: usize = 10_000;
const THREAD: usize = 10_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let data = tempfile::tempdir().expect("a temp dir");
    seed_large(data.path(), CONVERSATIONS, THREAD).await;
    let h = Harness::start_in(data).await;
    let browser = h
        .chromium_with(
            1440,
            900,
            false,
            &["--enable-precise-memory-info", "--js-flags=--expose-gc"],
        )
        .await;
    browser.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&browser, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&browser, "//a[contains(@class,'conversation-row')]").await;

    let mut list = Vec::new();
    let mut first_files = Vec::new();
    for _ in 0..RUNS {
        browser.goto(format!("{}/w/1", h.url)).await.expect("goto");
        list.push(mark_since_navigation(&browser, "list-painted").await);
        if first_files.is_empty() {
            first_files = fetched_before(&browser, "list-painted").await;
        }
    }
    // The big thread is the newest conversation; the second row is an ordinary one.
    open_row(&browser, 1).await;
    let older = count(&browser, "button.load-older").await;
    assert_eq!(
        older, 1,
        "the first row is the 10 000-message thread, with earlier pages"
    );
    back_to_list(&browser).await;
    let mut big = Vec::new();
    let mut ordinary = Vec::new();
    for _ in 0..RUNS {
        big.push(open_row(&browser, 1).await);
        back_to_list(&browser).await;
        ordinary.push(open_row(&browser, 2).await);
        back_to_list(&browser).await;
    }
    let heap_before = heap_after_gc(&browser).await;
    for _ in 0..CYCLES {
        open_row(&browser, 1).await;
        back_to_list(&browser).await;
    }
    let heap_after = heap_after_gc(&browser).await;
    browser.quit().await.expect("quit");

    let sizes = sizes_of(&dist_dir(), |name| first_files.iter().any(|f| f == name));
    let chunks = sizes_of(&dist_dir(), |name| !first_files.iter().any(|f| f == name));
    assert!(
        first_files.iter().any(|f| f.ends_with("_bg.wasm")) && sizes.raw > 0,
        "the first load holds the app's module: {first_files:?}"
    );
    let mut counted: Vec<&String> = first_files
        .iter()
        .filter(|f| f.ends_with(".wasm") || f.ends_with(".js") || f.ends_with(".css"))
        .collect();
    counted.sort();
    counted.dedup();
    eprintln!("first load: {counted:?}");
    let growth_kb = (heap_after - heap_before) / 1024.0;
    let rows = [
        (
            "inbox list painted after navigation",
            stats(&mut list),
            300.0,
        ),
        (
            "open the 10 000-message thread (click to painted)",
            stats(&mut big),
            100.0,
        ),
        (
            "open a conversation from the list (click to painted)",
            stats(&mut ordinary),
            100.0,
        ),
    ];
    println!(
        "browser benchmark ({RUNS} runs each; headless Chromium on this machine, which is noisy):"
    );
    println!("| measurement | median ms | p95 ms | target ms |");
    println!("|---|---|---|---|");
    for (name, (median, p95), target) in &rows {
        println!("| {name} | {median:.1} | {p95:.1} | {target:.0} |");
    }
    println!(
        "| JS heap growth over {CYCLES} open/close cycles of the big thread | {growth_kb:.0} kB | | 1024 kB |"
    );
    println!(
        "| first load (wasm + js + css) | {:.0} kB brotli, {:.0} kB gzip, {:.0} kB raw | | 250 kB brotli |",
        sizes.brotli as f64 / 1000.0,
        sizes.gzip as f64 / 1000.0,
        sizes.raw as f64 / 1000.0
    );
    println!(
        "| later parts (chunks and styles, fetched when first needed) | {:.0} kB brotli, {:.0} kB gzip, {:.0} kB raw | | |",
        chunks.brotli as f64 / 1000.0,
        chunks.gzip as f64 / 1000.0,
        chunks.raw as f64 / 1000.0
    );
    let report = json!({
        "runs": RUNS,
        "list_painted_ms": { "median": rows[0].1.0, "p95": rows[0].1.1 },
        "open_big_thread_ms": { "median": rows[1].1.0, "p95": rows[1].1.1 },
        "open_conversation_ms": { "median": rows[2].1.0, "p95": rows[2].1.1 },
        "heap_growth_bytes": heap_after - heap_before,
        "first_load_bytes": { "raw": sizes.raw, "gzip": sizes.gzip, "brotli": sizes.brotli },
        "chunk_bytes": { "raw": chunks.raw, "gzip": chunks.gzip, "brotli": chunks.brotli },
    });
    let dir = workspace_root().join("target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    std::fs::write(dir.join("browser.json"), report.to_string()).expect("the report");
}

/// The files of `dist/` this page fetched (from the network or the service worker's cache)
/// before its mark `name`, up to the answer of its conversation list: what a first visit
/// needs to paint the list. (The parts the inbox asks for once the list has arrived may
/// start within the same frame as the mark; they are not needed to paint it.)
async fn fetched_before(driver: &WebDriver, name: &str) -> Vec<String> {
    driver
        .execute(
            "const mark = performance.getEntriesByName(arguments[0], 'mark')[0].startTime;
             const all = performance.getEntriesByType('resource');
             const list = all.find(e => new URL(e.name).pathname.endsWith('/conversations'));
             const until = Math.min(mark, list ? list.responseEnd : mark);
             return all
               .filter(e => e.startTime <= until)
               .map(e => new URL(e.name).pathname);",
            vec![json!(name)],
        )
        .await
        .expect("the resources")
        .convert::<Vec<String>>()
        .expect("file names")
}

/// Milliseconds from navigation start to the first mark `name` of this page.
async fn mark_since_navigation(driver: &WebDriver, name: &str) -> f64 {
    driver
        .execute_async(
            "const [name, done] = arguments;
             const look = () => {
               const m = performance.getEntriesByName(name, 'mark')[0];
               if (m) done(m.startTime); else setTimeout(look, 5);
             };
             look();",
            vec![json!(name)],
        )
        .await
        .expect("the mark is set")
        .convert::<f64>()
        .expect("a time")
}

/// Clicks the `nth` row of the list (1-based) and waits for its thread to be painted;
/// milliseconds from the click.
async fn open_row(driver: &WebDriver, nth: usize) -> f64 {
    driver
        .execute_async(
            "const [nth, done] = arguments;
             const row = document.querySelectorAll('a.conversation-row')[nth - 1];
             const before = performance.getEntriesByName('thread-painted', 'mark').length;
             const t0 = performance.now();
             row.click();
             const look = () => {
               const marks = performance.getEntriesByName('thread-painted', 'mark');
               if (marks.length > before) done(marks[marks.length - 1].startTime - t0);
               else setTimeout(look, 2);
             };
             look();",
            vec![json!(nth)],
        )
        .await
        .expect("the thread opens")
        .convert::<f64>()
        .expect("a time")
}

async fn back_to_list(driver: &WebDriver) {
    driver.back().await.expect("back");
    wait_gone(driver, "//div[contains(@class,'thread-scroller')]").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
}

async fn heap_after_gc(driver: &WebDriver) -> f64 {
    driver
        .execute(
            "for (let i = 0; i < 3; i++) window.gc(); return performance.memory.usedJSHeapSize;",
            Vec::new(),
        )
        .await
        .expect("the heap is read")
        .convert::<f64>()
        .expect("bytes")
}

/// Median and 95th percentile.
fn stats(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}

struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

/// The sizes of the app's wasm, JavaScript and CSS files in `dist/` that `counted` names.
/// The embeddable chat button (`widget.js`) is for other sites, and the service worker is
/// fetched by the browser after the page has loaded: neither is counted.
fn sizes_of(dist: &Path, counted: impl Fn(&str) -> bool) -> Sizes {
    let mut sizes = Sizes {
        raw: 0,
        gzip: 0,
        brotli: 0,
    };
    for path in files_under(dist) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // As the page asks for it: `/snippets/…/inline0.js`, `/switchboard-…_bg.wasm`.
        let served = format!(
            "/{}",
            path.strip_prefix(dist)
                .expect("under dist/")
                .to_string_lossy()
        );
        let app_file = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "wasm" | "js" | "css"))
            && name != "widget.js"
            && name != "sw.js";
        if !app_file || !counted(&served) {
            continue;
        }
        let bytes = std::fs::read(&path).expect("a dist file");
        sizes.raw += bytes.len();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes).expect("gzip");
        sizes.gzip += gz.finish().expect("gzip").len();
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut br, &params).expect("brotli");
        sizes.brotli += br.len();
    }
    sizes
}

/// Every file under `dir`, folders included.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a dist folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

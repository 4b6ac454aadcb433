//! Code splitting of the release app (`src/chunks.rs`). Trunk builds the app with the
//! `split` feature and wasm relocations; this step then cuts the linked wasm with wasm-split
//! (from `wasm_split_cli_support`) into the first-load module and one chunk per lazily loaded
//! part, runs wasm-bindgen and wasm-opt on them, and puts them in `dist/` in place of Trunk's
//! unsplit module; it also minifies the scripts and stylesheets (esbuild). Every file is named
//! after Trunk's hashed stem, so a new build never meets a cached chunk of an older one.

use crate::setup::Tools;
use crate::{Failure, Result, step};
use std::path::{Path, PathBuf};

/// What Trunk is asked for: the `split` feature, and relocations wasm-split reads.
pub const TRUNK_FEATURES: &str = "split";
/// Besides the relocations: a panic aborts at once, with no message or source location
/// compiled in (a panic ends the app either way, and its message was never shown to anyone).
pub const RUSTFLAGS: &str = "--cfg erase_components -Clink-args=--emit-relocs \
    -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none";
/// The standard library is rebuilt with the app (Cargo's `build-std`), so that the flags
/// above shape it too: about 20 kB less brotli in the first load. Its `optimize_for_size`
/// feature takes another 3 kB: smaller sorts and number formatting (the list places a
/// changed row instead of sorting again, `model::inbox`). Stable Rust allows these unstable
/// flags only with `RUSTC_BOOTSTRAP=1`, which is set for this one build.
pub const BUILD_STD: [(&str, &str); 3] = [
    ("RUSTC_BOOTSTRAP", "1"),
    ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"),
    ("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size"),
];

/// Replaces Trunk's module in `dist/` with the split one.
pub fn split_app(tools: &Tools) -> Result {
    let dist = tools.root.join("dist");
    let stem = trunk_stem(&dist)?;
    let linked = tools
        .root
        .join("target/wasm32-unknown-unknown/wasm-release/switchboard.wasm");
    let work = tools.root.join("target/wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| Failure(format!("cannot create {work:?}: {e}")))?;
    step(
        "split the app's wasm into its first load and chunks (wasm-split)",
        tools
            .command("wasm-split-cli")
            .arg(&linked)
            .arg(&work)
            .args(["--target", "web", "--out-name", &stem]),
    )?;
    step(
        "bind the first-load module (wasm-bindgen)",
        tools
            .command("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--keep-lld-exports",
                "--out-name",
                &stem,
            ])
            .arg("--out-dir")
            .arg(&dist)
            .arg(work.join(format!("{stem}.wasm"))),
    )?;
    let link = format!("{stem}-split.js");
    let mut chunks = Vec::new();
    for entry in read_dir(&work)? {
        let name = file_name(&entry);
        if name.ends_with(".wasm") && name != format!("{stem}.wasm") {
            let renamed = format!("{stem}-{name}");
            copy(&entry, &dist.join(&renamed))?;
            chunks.push((name, renamed));
        }
    }
    let mut linker = read(&work.join("__wasm_split.js"))?;
    for (name, renamed) in &chunks {
        linker = linker.replace(&format!("\"./{name}\""), &format!("\"./{renamed}\""));
    }
    write(&dist.join(&link), &linker)?;
    let script = dist.join(format!("{stem}.js"));
    let bound = read(&script)?;
    // The imports (`from "./__wasm_split.js"`) name the renamed file; the wasm's import
    // module, the key of wasm-bindgen's imports object, keeps its name.
    let import = "from \"./__wasm_split.js\"";
    if !bound.contains(import) {
        return Err(Failure(format!(
            "{script:?} does not import ./__wasm_split.js: was the app built with the split feature?"
        )));
    }
    write(
        &script,
        &bound.replace(import, &format!("from \"./{link}\"")),
    )?;
    let mut sources = vec![script, dist.join(&link)];
    sources.extend(
        read_dir(&dist)?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "css")),
    );
    minify(tools, &dist, &sources)?;
    let mut modules = vec![dist.join(format!("{stem}_bg.wasm"))];
    modules.extend(chunks.iter().map(|(_, renamed)| dist.join(renamed)));
    let started = std::time::Instant::now();
    eprintln!(
        "xtask: optimise {} modules (wasm-opt: -Os for the first load, -Oz for chunks)",
        modules.len()
    );
    for (n, module) in modules.iter().enumerate() {
        // -Os leaves the first-load module a little larger raw but smaller in brotli (about
        // 1 kB less, measured); the small chunks come out smaller with -Oz.
        let level = if n == 0 { "-Os" } else { "-Oz" };
        // Leptos always brings `server_fn`'s browser client, whose `wasm-streams` exports its
        // stream adapters to JavaScript; the app has no server functions and never makes
        // one, so the first-load module drops these exports and the code only they reach
        // (about 1 kB brotli). Their JavaScript classes stay, unused.
        let unused_exports: &[&str] = if n == 0 {
            &[
                "--remove-exports",
                "--pass-arg=remove-exports@*intounderlying*",
            ]
        } else {
            &[]
        };
        // Its warnings about wasm-split's name sections are noise; its errors are shown.
        let output = tools
            .command("wasm-opt")
            .args(unused_exports)
            .arg(level)
            .arg(module)
            .arg("-o")
            .arg(module)
            .output()
            .map_err(|e| Failure(format!("cannot start wasm-opt: {e}")))?;
        if !output.status.success() {
            return Err(Failure(format!(
                "wasm-opt failed on {} ({}): {}",
                file_name(module),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )));
        }
    }
    eprintln!("xtask: optimise: done in {:.0?}", started.elapsed());
    Ok(())
}

/// Minifies the first load's scripts and the stylesheets in place (esbuild, from npm).
/// Trunk's own minifier breaks wasm-bindgen's output, so Trunk is told not to minify.
fn minify(tools: &Tools, dist: &Path, files: &[PathBuf]) -> Result {
    step(
        &format!("minify {} scripts and stylesheets (esbuild)", files.len()),
        tools
            .command("esbuild")
            .args(files)
            .arg("--minify")
            .arg("--allow-overwrite")
            // wasm-bindgen's import object names a module more than once, always with the same
            // value; esbuild would warn of every one.
            .arg("--log-level=error")
            .arg(format!("--outdir={}", dist.display())),
    )
}

/// `switchboard-<hash>`, from the script Trunk wrote.
fn trunk_stem(dist: &Path) -> Result<String> {
    read_dir(dist)?
        .iter()
        .map(|p| file_name(p))
        .find_map(|n| {
            n.strip_suffix(".js")
                .filter(|s| s.starts_with("switchboard-") && !s.ends_with("-split"))
                .map(str::to_owned)
        })
        .ok_or_else(|| Failure(format!("no switchboard-*.js in {dist:?}")))
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)
        .map_err(|e| Failure(format!("cannot read {dir:?}: {e}")))?
        .flatten()
        .map(|e| e.path())
        .collect())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Failure(format!("cannot read {path:?}: {e}")))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| Failure(format!("cannot write {path:?}: {e}")))
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Failure(format!("cannot copy {from:?} to {to:?}: {e}")))
}

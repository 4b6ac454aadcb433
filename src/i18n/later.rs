//! The words the release build fetches: the later areas' in the language in use, once, by
//! the first part that needs them (`crate::chunks` waits for them with the part's code), and
//! the first areas' Russian, before the app starts in Russian (`src/main.rs`). Each is added
//! to its language's bundle. A failed fetch is not kept: the part says it could not be
//! loaded, and Try again fetches afresh.

use super::{
    FIRST_AREAS, FIRST_VERSION, LATER_AREAS, LATER_VERSION, Lang, add_source, with_bundle,
};
use crate::chunks::{Once, Unavailable, fetch_text};
use futures::future::FutureExt;

thread_local! {
    /// Per language: the fetch of the first areas (Russian only) under way or done.
    static FIRST_LOADING: [Once; 2] = const { [Once::new(), Once::new()] };
    /// Per language: the fetch of the later areas under way or done.
    static LOADING: [Once; 2] = const { [Once::new(), Once::new()] };
}

/// Whether `lang` has every area already.
pub fn is_complete(lang: Lang) -> bool {
    has_first(lang) && LOADING.with(|l| l[lang.index()].is_done())
}

fn has_first(lang: Lang) -> bool {
    lang == Lang::En || FIRST_LOADING.with(|l| l[lang.index()].is_done())
}

/// Gives `lang` the first screens' words: English has them compiled in; Russian's are
/// fetched the first time.
pub async fn first(lang: Lang) -> Result<(), Unavailable> {
    if has_first(lang) {
        return Ok(());
    }
    once(&FIRST_LOADING, lang, FIRST_AREAS, FIRST_VERSION).await
}

/// Gives `lang` every area, fetching what it lacks the first time.
pub async fn complete(lang: Lang) -> Result<(), Unavailable> {
    first(lang).await?;
    once(&LOADING, lang, LATER_AREAS, LATER_VERSION).await
}

async fn once(
    slots: &'static std::thread::LocalKey<[Once; 2]>,
    lang: Lang,
    areas: &'static [&'static str],
    version: u64,
) -> Result<(), Unavailable> {
    let loading =
        slots.with(|l| l[lang.index()].loading(|| fetch(lang, areas, version).boxed_local()));
    let done = loading.await;
    slots.with(|l| l[lang.index()].forget_failure());
    done
}

async fn fetch(
    lang: Lang,
    areas: &'static [&'static str],
    version: u64,
) -> Result<(), Unavailable> {
    let texts = futures::future::try_join_all(
        areas
            .iter()
            .map(|area| fetch_text(format!("/locales/{}/{area}.ftl?v={version:x}", lang.code()))),
    )
    .await?;
    with_bundle(lang, |bundle| {
        for text in &texts {
            add_source(bundle, text);
        }
    });
    Ok(())
}

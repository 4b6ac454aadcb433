//! The later areas' words in the release build: fetched from `locales/<lang>/<area>.ftl` in
//! the language in use, once, by the first part that needs them (`crate::chunks` waits for
//! them with the part's code), and added to that language's bundle. A failed fetch is not
//! kept: the part says it could not be loaded, and Try again fetches afresh.

use super::{LATER_AREAS, LATER_VERSION, Lang, add_source, with_bundle};
use crate::chunks::{Once, Unavailable, fetch_text};
use futures::future::FutureExt;

thread_local! {
    /// Per language: the fetch under way or done.
    static LOADING: [Once; 2] = const { [Once::new(), Once::new()] };
}

/// Whether `lang` has every area already.
pub fn is_complete(lang: Lang) -> bool {
    LOADING.with(|l| l[lang.index()].is_done())
}

/// Gives `lang` every area, fetching the later ones the first time.
pub async fn complete(lang: Lang) -> Result<(), Unavailable> {
    let loading = LOADING.with(|l| l[lang.index()].loading(|| fetch(lang).boxed_local()));
    let done = loading.await;
    LOADING.with(|l| l[lang.index()].forget_failure());
    done
}

async fn fetch(lang: Lang) -> Result<(), Unavailable> {
    let texts = futures::future::try_join_all(LATER_AREAS.iter().map(|area| {
        fetch_text(format!(
            "/locales/{}/{area}.ftl?v={LATER_VERSION:x}",
            lang.code()
        ))
    }))
    .await?;
    with_bundle(lang, |bundle| {
        for text in &texts {
            add_source(bundle, text);
        }
    });
    Ok(())
}

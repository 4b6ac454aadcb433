//! The later areas' words in the release build: fetched from `locales/<lang>/<area>.ftl` in
//! the language in use, once, by the first part that needs them (`crate::chunks` waits for
//! them with the part's code), and added to that language's bundle. A failed fetch is not
//! kept: the part says it could not be loaded, and Try again fetches afresh.

use super::{LATER_AREAS, LATER_VERSION, Lang, add_source, with_bundle};
use crate::chunks::Unavailable;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use std::cell::RefCell;

type Loading = Shared<LocalBoxFuture<'static, Result<(), Unavailable>>>;

thread_local! {
    /// Per language: the fetch under way or done.
    static LOADING: RefCell<[Option<Loading>; 2]> = const { RefCell::new([None, None]) };
}

/// Whether `lang` has every area already.
pub fn is_complete(lang: Lang) -> bool {
    LOADING.with(|l| {
        l.borrow()[lang.index()]
            .as_ref()
            .and_then(|f| f.peek().cloned())
            == Some(Ok(()))
    })
}

/// Gives `lang` every area, fetching the later ones the first time.
pub async fn complete(lang: Lang) -> Result<(), Unavailable> {
    let loading = LOADING.with(|l| {
        l.borrow_mut()[lang.index()]
            .get_or_insert_with(|| fetch(lang).boxed_local().shared())
            .clone()
    });
    let done = loading.await;
    if done.is_err() {
        LOADING.with(|l| l.borrow_mut()[lang.index()] = None);
    }
    done
}

async fn fetch(lang: Lang) -> Result<(), Unavailable> {
    let texts = futures::future::try_join_all(LATER_AREAS.iter().map(|area| async move {
        let url = format!("/locales/{}/{area}.ftl?v={LATER_VERSION:x}", lang.code());
        let response = gloo_net::http::Request::get(&url)
            .send()
            .await
            .map_err(|_| Unavailable)?;
        if !response.ok() {
            return Err(Unavailable);
        }
        response.text().await.map_err(|_| Unavailable)
    }))
    .await?;
    with_bundle(lang, |bundle| {
        for text in &texts {
            add_source(bundle, text);
        }
    });
    Ok(())
}

//! The stylesheets only the app's parts use (a conversation, settings, the website chat).
//! The first load links the others (`index.html`); these are fetched once, with the first
//! part that is shown (`crate::chunks` waits for them with the part's code and words), and
//! added after the first load's sheets, in this order, so the cascade is the same as if all
//! were linked. A failed fetch is not kept: the part says it could not be loaded, and Try
//! again fetches afresh.

use crate::chunks::{Once, Unavailable, fetch_text};
use futures::future::FutureExt;

macro_rules! later_sheets {
    ($($name:literal),+ $(,)?) => {
        /// The later sheets, by name (`style/<name>.css`, copied to the root of `dist/`).
        pub const LATER_SHEETS: &[&str] = &[$($name),+];

        /// Changes whenever a later sheet does: the fetched files' version, so a cached old
        /// sheet never meets a newer app (only the number is compiled in).
        pub const LATER_VERSION: u64 = crate::i18n::fnv1a(&[
            $(include_str!(concat!("../style/", $name, ".css"))),+
        ]);
    };
}

later_sheets!("thread", "chat", "settings");

/// The first load's sheets, linked by `index.html`.
pub const FIRST_SHEETS: &[&str] = &["tokens", "base", "inbox"];

thread_local! {
    static LOADING: Once = const { Once::new() };
}

/// Adds the later sheets to the page, fetching them the first time.
pub async fn later() -> Result<(), Unavailable> {
    let loading = LOADING.with(|l| l.loading(|| fetch().boxed_local()));
    let done = loading.await;
    LOADING.with(Once::forget_failure);
    done
}

async fn fetch() -> Result<(), Unavailable> {
    let texts = futures::future::try_join_all(
        LATER_SHEETS
            .iter()
            .map(|name| fetch_text(format!("/{name}.css?v={LATER_VERSION:x}"))),
    )
    .await?;
    let document = leptos::prelude::document();
    let head = document.head().ok_or(Unavailable)?;
    for text in texts {
        let style = document.create_element("style").map_err(|_| Unavailable)?;
        style.set_text_content(Some(&text));
        head.append_child(&style).map_err(|_| Unavailable)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    /// The classes a stylesheet's selectors name.
    fn classes_styled_by(sheet: &str) -> BTreeSet<String> {
        let text = std::fs::read_to_string(root().join(format!("style/{sheet}.css")))
            .expect("a stylesheet");
        let mut classes = BTreeSet::new();
        let mut rest = text.as_str();
        // Comments may hold dots; declarations' numbers (`0.5s`) start with a digit.
        while let Some(start) = rest.find("/*") {
            let end = rest[start..]
                .find("*/")
                .map_or(rest.len(), |e| start + e + 2);
            collect_classes(&rest[..start], &mut classes);
            rest = &rest[end..];
        }
        collect_classes(rest, &mut classes);
        classes
    }

    fn collect_classes(css: &str, into: &mut BTreeSet<String>) {
        for piece in css.split('.').skip(1) {
            let name: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                into.insert(name);
            }
        }
    }

    /// The classes a source file puts on elements: `class="a b"` and `class:a=`.
    fn classes_used_in(file: &str) -> BTreeSet<String> {
        let text = std::fs::read_to_string(root().join("src").join(file)).expect("a source file");
        let mut classes = BTreeSet::new();
        for piece in text.split("class=\"").skip(1) {
            let value = piece.split('"').next().unwrap_or_default();
            classes.extend(value.split_whitespace().map(str::to_owned));
        }
        for piece in text.split("class:").skip(1) {
            let name: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            classes.insert(name);
        }
        classes
    }

    #[test]
    fn the_first_screens_are_styled_before_any_part_arrives() {
        let first: BTreeSet<String> = FIRST_SHEETS
            .iter()
            .flat_map(|s| classes_styled_by(s))
            .collect();
        let later: BTreeSet<String> = LATER_SHEETS
            .iter()
            .flat_map(|s| classes_styled_by(s))
            .collect();
        assert!(
            later.contains("message-bubble"),
            "the later sheets are read"
        );
        for file in crate::chunks::FIRST_SCREENS {
            for class in classes_used_in(file) {
                assert!(
                    first.contains(&class) || !later.contains(&class),
                    "{file} uses `.{class}`, which only a later sheet styles: move its rules to {FIRST_SHEETS:?}"
                );
            }
        }
    }

    #[test]
    fn index_html_links_the_first_sheets_and_copies_the_later_ones() {
        let index = std::fs::read_to_string(root().join("index.html")).expect("index.html");
        let mut sheets: Vec<&str> = FIRST_SHEETS.iter().chain(LATER_SHEETS).copied().collect();
        for sheet in FIRST_SHEETS {
            assert!(
                index.contains(&format!(r#"rel="css" href="style/{sheet}.css""#)),
                "index.html links {sheet}.css"
            );
        }
        for sheet in LATER_SHEETS {
            assert!(
                index.contains(&format!(r#"rel="copy-file" href="style/{sheet}.css""#)),
                "index.html copies {sheet}.css for the parts to fetch"
            );
        }
        let mut files: Vec<String> = std::fs::read_dir(root().join("style"))
            .expect("style/")
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".css")
                    .map(str::to_owned)
            })
            .collect();
        files.sort();
        sheets.sort();
        assert_eq!(files, sheets, "every stylesheet is either first or later");
    }
}

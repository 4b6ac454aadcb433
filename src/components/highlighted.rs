//! Text with its search matches marked (`<mark>`), built from text nodes only: whatever the
//! text holds, it stays text. Also a translated sentence with a name in it, the name marked
//! as not to be translated.

use leptos::prelude::*;
use switchboard_protocol::search::Highlighted;

#[component]
pub fn HighlightedText(text: Highlighted) -> impl IntoView {
    text.parts()
        .into_iter()
        .map(|(piece, matched)| {
            let piece = piece.to_owned();
            if matched {
                view! { <mark>{piece}</mark> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

/// Splits a finished sentence around the first occurrence of `name` (what a person or a
/// contact wrote, placed into it): `(before, name, after)`; `None` when it is not there.
pub fn around_name<'a>(text: &'a str, name: &str) -> Option<(&'a str, &'a str, &'a str)> {
    if name.is_empty() {
        return None;
    }
    let start = text.find(name)?;
    let end = start + name.len();
    Some((&text[..start], &text[start..end], &text[end..]))
}

/// A sentence in the UI's language holding `name` (a member's or contact's name, a message's
/// text): the name is marked `translate="no"`, as HTML says for words not to translate.
#[component]
pub fn NamedText(#[prop(into)] text: String, #[prop(into)] name: String) -> impl IntoView {
    match around_name(&text, &name) {
        Some((before, name, after)) => {
            let (before, name, after) = (before.to_owned(), name.to_owned(), after.to_owned());
            view! { {before}<span translate="no">{name}</span>{after} }.into_any()
        }
        None => text.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_found_where_the_sentence_put_it() {
        assert_eq!(
            around_name("Вас упомянул(а) Anna", "Anna"),
            Some(("Вас упомянул(а) ", "Anna", ""))
        );
        assert_eq!(around_name("You: hi", "hi"), Some(("You: ", "hi", "")));
        assert_eq!(around_name("New message", ""), None);
        assert_eq!(around_name("New message", "Olga"), None);
    }
}

//! Text with its search matches marked (`<mark>`), built from text nodes only: whatever the
//! text holds, it stays text.

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

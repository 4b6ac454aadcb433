//! Inline SVG icons (stroke icons, 24×24 grid, coloured by `currentColor`).

use leptos::prelude::*;

#[component]
pub fn Icon(
    /// One of the names below.
    name: &'static str,
    #[prop(optional)] label: Option<&'static str>,
) -> impl IntoView {
    let path = match name {
        "send" => "M4 12l16-8-6 16-2.5-6.5L4 12z",
        "back" => "M15 5l-7 7 7 7",
        "check" => "M5 12.5l4.5 4.5L19 7",
        "double-check" => "M2 12.5l4.5 4.5L16 7M9 15l2 2 10-10",
        "clock" => "M12 7v5l3 2M12 21a9 9 0 1 1 0-18 9 9 0 0 1 0 18z",
        "alert" => "M12 8v5M12 16.5v.5M12 21a9 9 0 1 1 0-18 9 9 0 0 1 0 18z",
        "inbox" => "M4 13l2.5-8h11L20 13v6H4v-6zm0 0h5l1 2h4l1-2h5",
        "logout" => "M15 12H4m4-4l-4 4 4 4M13 5h6v14h-6",
        "comment" => "M5 5h14v10H9l-4 4V5z",
        "message" => "M4 20l1.5-4.5A8 8 0 1 1 8.5 18.5L4 20z",
        "chat" => "M4 5h16v11H8l-4 4V5z",
        _ => "M12 12h.01",
    };
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
            role=if label.is_some() { "img" } else { "presentation" }
            aria-label=label
            aria-hidden=if label.is_some() { "false" } else { "true" }
        >
            <path d=path></path>
        </svg>
    }
}

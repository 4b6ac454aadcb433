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
        "thumb-up" => {
            "M7 11v9H4v-9h3zM7 11l4-7c1.1 0 2 .9 2 2v4h5.5a2 2 0 0 1 2 2.3l-1.2 6.5A2 2 0 0 1 17.3 20H7"
        }
        "thumb-down" => {
            "M17 13V4h3v9h-3zM17 13l-4 7c-1.1 0-2-.9-2-2v-4H5.5a2 2 0 0 1-2-2.3l1.2-6.5A2 2 0 0 1 6.7 4H17"
        }
        "sparkles" => {
            "M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8L12 3zM19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8L19 15z"
        }
        "translate" => {
            "M4 5h8M8 3v2M10.5 5c-1 4-3.5 7-6.5 9M6 9c1.2 2.2 3.2 4 6 5M13 21l4-10 4 10M14.5 17.5h5"
        }
        "wand" => "M4 20L15 9l2 2L6 22zM15 3v3M20 8h3M18.5 4.5l-1.5 1.5M12 5.5l1 1",
        "undo" => "M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3",
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
        "user" => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 20c1.5-3.5 4.5-5 8-5s6.5 1.5 8 5",
        "users" => {
            "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 19c1.2-3 3.6-4.5 6.5-4.5s5.3 1.5 6.5 4.5M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14.5c1.6.6 2.8 2 3.5 4.5"
        }
        "tray" => "M4 4h16v16H4zM4 14h4l1.5 2h5L16 14h4",
        "filter" => "M4 5h16l-6 7.5V19l-4-2v-4.5L4 5z",
        "block" => "M12 21a9 9 0 1 1 0-18 9 9 0 0 1 0 18zM5.6 5.6l12.8 12.8",
        "search" => "M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zM16 16l4.5 4.5",
        "x" => "M6 6l12 12M18 6L6 18",
        "menu" => "M4 7h16M4 12h16M4 17h16",
        "reply" => "M10 7L4 12l6 5M4 12h10a6 6 0 0 1 6 6",
        "file" => "M7 3h7l5 5v13H7V3zM14 3v5h5",
        "paperclip" => {
            "M20 11.5l-8.5 8.5a5 5 0 0 1-7-7L13 4.5a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L14 7.5"
        }
        "mic" => "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM6 11a6 6 0 0 0 12 0M12 17v4",
        "video" => "M4 7h11v10H4zM15 10.5l5-3v9l-5-3",
        "channels" => "M4 6h10M4 12h16M4 18h7M17 4v4M20 16v4M14 18h6",
        "link" => {
            "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"
        }
        "phone" => {
            "M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z"
        }
        "plus" => "M12 5v14M5 12h14",
        "more" => {
            "M12 6.5a1 1 0 1 1 0-2 1 1 0 0 1 0 2zM12 13a1 1 0 1 1 0-2 1 1 0 0 1 0 2zM12 19.5a1 1 0 1 1 0-2 1 1 0 0 1 0 2z"
        }
        "bolt" => "M13 3L5 13.5h6L10 21l8-10.5h-6L13 3z",
        "bot" => "M6 9h12v10H6zM12 5v4M9.5 13.5v.01M14.5 13.5v.01M3 13v3M21 13v3",
        "settings" => {
            "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12a7 7 0 0 0-.1-1.2l2-1.5-2-3.4-2.3.9a7 7 0 0 0-2-1.2L14.2 3h-4l-.4 2.6a7 7 0 0 0-2 1.2l-2.4-.9-2 3.4 2 1.5a7 7 0 0 0 0 2.4l-2 1.5 2 3.4 2.4-.9a7 7 0 0 0 2 1.2l.4 2.6h4l.4-2.6a7 7 0 0 0 2-1.2l2.3.9 2-3.4-2-1.5c.1-.4.1-.8.1-1.2z"
        }
        "bell" => "M6 16V11a6 6 0 0 1 12 0v5l2 2H4l2-2zM10 20a2 2 0 0 0 4 0",
        "at" => {
            "M16 12a4 4 0 1 1-8 0 4 4 0 0 1 8 0zM16 12v1.5a2.5 2.5 0 0 0 5 0V12a9 9 0 1 0-3.5 7.1"
        }
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

//! The plain text of a message's Markdown, as the inbox list's previews and notifications
//! show it: the words people see in the thread, without the syntax. Raw HTML stays as the
//! text it is (the app never interprets it). The server writes previews with it, so the
//! app's first load needs no Markdown parser.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// `text`'s words without Markdown syntax; line breaks are kept as `\n`.
pub fn markdown_to_plain(text: &str) -> String {
    let mut out = String::new();
    // An image shows as its alt text, or its address when it has none.
    let mut image: Option<(String, usize)> = None;
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) | Event::Code(t) => {
                out.push_str(&t)
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((dest_url.into_string(), out.len()))
            }
            Event::End(TagEnd::Image) => {
                if let Some((address, start)) = image.take()
                    && out.len() == start
                {
                    out.push_str(&address);
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => out.push('\n'),
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(name) => out.push_str(&format!("[^{name}]")),
            Event::Start(_) | Event::End(_) | Event::Rule => {}
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::markdown_to_plain;

    #[test]
    fn syntax_goes_and_the_words_stay() {
        assert_eq!(
            markdown_to_plain("Можно **помолоть** для _турки_?"),
            "Можно помолоть для турки?"
        );
        assert_eq!(
            markdown_to_plain("See [the menu](https://example.com) and `decaf`, ~~not~~ now"),
            "See the menu and decaf, not now"
        );
        assert_eq!(markdown_to_plain("- one\n- two"), "one\ntwo");
        assert_eq!(
            markdown_to_plain("line one\nline two"),
            "line one\nline two"
        );
        assert_eq!(
            markdown_to_plain(
                "![receipt](https://example.com/r.png) ![](https://example.com/x.png)"
            ),
            "receipt https://example.com/x.png"
        );
    }

    #[test]
    fn raw_html_stays_text() {
        assert_eq!(
            markdown_to_plain("Hi <b>there</b> <script>alert(1)</script>"),
            "Hi <b>there</b> <script>alert(1)</script>"
        );
    }
}

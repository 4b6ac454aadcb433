//! Message Markdown → a small tree of safe nodes, rendered by `components::markdown_view`.
//!
//! Raw HTML in a message is shown as text, never interpreted; links keep only `http`,
//! `https`, `mailto` and `tel` targets; images become links (remote images are not loaded
//! into an agent's browser); soft line breaks are kept, as people type them in chats.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A piece of rendered Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Text(String),
    LineBreak,
    Rule,
    Element(Block, Vec<Node>),
    Link { href: String, children: Vec<Node> },
}

/// The elements a message may contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph,
    /// Headings are shown as strong paragraphs: a chat bubble has no document outline.
    Heading,
    Quote,
    CodeBlock,
    List {
        ordered: bool,
        start: u64,
    },
    Item,
    Strong,
    Emphasis,
    Strike,
    Code,
}

/// Parses a message's Markdown.
pub fn parse(text: &str) -> Vec<Node> {
    let mut stack: Vec<(Frame, Vec<Node>)> = vec![(Frame::Root, Vec::new())];
    let parser = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH);
    for event in parser {
        match event {
            Event::Start(tag) => stack.push((Frame::from_tag(tag), Vec::new())),
            Event::End(TagEnd::Image) => {
                // An image becomes a link whose text is the alt text (or the address).
                let (frame, children) = stack.pop().unwrap_or((Frame::Root, Vec::new()));
                if let Frame::Image(href) = frame {
                    let children = if children.is_empty() {
                        vec![Node::Text(href.clone())]
                    } else {
                        children
                    };
                    for node in link_or_text(href, children) {
                        push(&mut stack, node);
                    }
                }
            }
            Event::End(_) => {
                if stack.len() > 1 {
                    let (frame, children) = stack.pop().unwrap_or((Frame::Root, Vec::new()));
                    let nodes = match frame {
                        Frame::Root | Frame::Image(_) => continue,
                        Frame::Transparent => children,
                        Frame::Element(block) => vec![Node::Element(block, children)],
                        Frame::Link(href) => link_or_text(href, children),
                    };
                    for node in nodes {
                        push(&mut stack, node);
                    }
                }
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                push_text(&mut stack, &text)
            }
            Event::Code(code) => push(
                &mut stack,
                Node::Element(Block::Code, vec![Node::Text(code.into_string())]),
            ),
            Event::SoftBreak | Event::HardBreak => push(&mut stack, Node::LineBreak),
            Event::Rule => push(&mut stack, Node::Rule),
            Event::TaskListMarker(done) => {
                push_text(&mut stack, if done { "[x] " } else { "[ ] " })
            }
            Event::FootnoteReference(name) => push_text(&mut stack, &format!("[^{name}]")),
            Event::InlineMath(t) | Event::DisplayMath(t) => push_text(&mut stack, &t),
        }
    }
    // Close anything left open (the parser always balances, this is belt and braces).
    while stack.len() > 1 {
        let (_, children) = stack.pop().unwrap_or((Frame::Root, Vec::new()));
        for child in children {
            push(&mut stack, child);
        }
    }
    stack.pop().map(|(_, nodes)| nodes).unwrap_or_default()
}

/// The plain text of nodes (for previews and accessibility labels).
pub fn plain_text(nodes: &[Node]) -> String {
    let mut out = String::new();
    fn walk(nodes: &[Node], out: &mut String) {
        for node in nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::LineBreak => out.push('\n'),
                Node::Rule => {}
                Node::Element(_, children) | Node::Link { children, .. } => walk(children, out),
            }
        }
    }
    walk(nodes, &mut out);
    out
}

enum Frame {
    Root,
    /// A container whose children are lifted into the parent (tables, footnotes, …).
    Transparent,
    Element(Block),
    Link(String),
    Image(String),
}

impl Frame {
    fn from_tag(tag: Tag<'_>) -> Frame {
        match tag {
            Tag::Paragraph => Frame::Element(Block::Paragraph),
            Tag::Heading { .. } => Frame::Element(Block::Heading),
            Tag::BlockQuote(_) => Frame::Element(Block::Quote),
            Tag::CodeBlock(_) => Frame::Element(Block::CodeBlock),
            Tag::List(start) => Frame::Element(Block::List {
                ordered: start.is_some(),
                start: start.unwrap_or(1),
            }),
            Tag::Item => Frame::Element(Block::Item),
            Tag::Strong => Frame::Element(Block::Strong),
            Tag::Emphasis => Frame::Element(Block::Emphasis),
            Tag::Strikethrough => Frame::Element(Block::Strike),
            Tag::Link { dest_url, .. } => Frame::Link(dest_url.into_string()),
            Tag::Image { dest_url, .. } => Frame::Image(dest_url.into_string()),
            _ => Frame::Transparent,
        }
    }
}

fn push(stack: &mut [(Frame, Vec<Node>)], node: Node) {
    if let Some((_, children)) = stack.last_mut() {
        children.push(node);
    }
}

fn push_text(stack: &mut [(Frame, Vec<Node>)], text: &str) {
    if let Some((_, children)) = stack.last_mut() {
        if let Some(Node::Text(previous)) = children.last_mut() {
            previous.push_str(text);
        } else {
            children.push(Node::Text(text.to_owned()));
        }
    }
}

/// A link when the target is safe to open, else its content alone.
fn link_or_text(href: String, children: Vec<Node>) -> Vec<Node> {
    if safe_href(&href) {
        vec![Node::Link { href, children }]
    } else {
        children
    }
}

/// Only web, mail and phone links.
pub fn safe_href(href: &str) -> bool {
    let lower = href.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Block::*;
    use Node::*;

    fn text(s: &str) -> Node {
        Text(s.into())
    }

    #[test]
    fn raw_html_is_kept_as_text() {
        let nodes = parse("<img src=x onerror=alert(1)>");
        assert_eq!(plain_text(&nodes), "<img src=x onerror=alert(1)>");
        assert!(!format!("{nodes:?}").contains("Link"));
        let inline = parse("hi <b>there</b>");
        assert_eq!(
            inline,
            vec![Element(Paragraph, vec![text("hi <b>there</b>")])]
        );
        let script = parse("<script>alert(1)</script>");
        assert_eq!(plain_text(&script), "<script>alert(1)</script>");
    }

    #[test]
    fn emphasis_code_and_line_breaks() {
        assert_eq!(
            parse("**bold** and _it_\nnext `x<y`"),
            vec![Element(
                Paragraph,
                vec![
                    Element(Strong, vec![text("bold")]),
                    text(" and "),
                    Element(Emphasis, vec![text("it")]),
                    LineBreak,
                    text("next "),
                    Element(Code, vec![text("x<y")]),
                ]
            )]
        );
    }

    #[test]
    fn only_safe_links_are_links() {
        assert_eq!(
            parse("[site](https://example.com)"),
            vec![Element(
                Paragraph,
                vec![Link {
                    href: "https://example.com".into(),
                    children: vec![text("site")]
                }]
            )]
        );
        let evil = parse("[click](javascript:alert(1))");
        assert_eq!(evil, vec![Element(Paragraph, vec![text("click")])]);
        let data = parse("[x](data:text/html,<script>alert(1)</script>)");
        assert!(!format!("{data:?}").contains("Link"));
    }

    #[test]
    fn images_become_links_and_are_not_loaded() {
        let nodes = parse("![cat](https://example.com/cat.png)");
        assert_eq!(
            nodes,
            vec![Element(
                Paragraph,
                vec![Link {
                    href: "https://example.com/cat.png".into(),
                    children: vec![text("cat")]
                }]
            )]
        );
        let evil = parse("![x](javascript:alert(1))");
        assert!(!format!("{evil:?}").contains("Link"));
    }

    #[test]
    fn lists_and_quotes_nest() {
        let nodes = parse("> quoted\n\n1. one\n2. two");
        assert_eq!(nodes.len(), 2);
        assert!(matches!(&nodes[0], Element(Quote, _)));
        match &nodes[1] {
            Element(
                List {
                    ordered: true,
                    start: 1,
                },
                items,
            ) => assert_eq!(items.len(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cyrillic_and_emoji_survive() {
        assert_eq!(plain_text(&parse("Привет 🙂")), "Привет 🙂");
    }
}

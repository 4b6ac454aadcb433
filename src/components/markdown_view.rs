//! Renders [`crate::markdown`] nodes as elements. Text is always text: no HTML is injected.
//! What it shows was written by people, so it is marked `translate="no"`.

use crate::markdown::{self, Block, Node};
use leptos::prelude::*;

#[component]
pub fn MarkdownView(text: String) -> impl IntoView {
    let nodes = markdown::parse(&text);
    view! { <div class="markdown" translate="no">{render(nodes)}</div> }
}

fn render(nodes: Vec<Node>) -> Vec<AnyView> {
    nodes.into_iter().map(render_node).collect()
}

fn render_node(node: Node) -> AnyView {
    match node {
        Node::Text(text) => text.into_any(),
        Node::LineBreak => view! { <br/> }.into_any(),
        Node::Rule => view! { <hr/> }.into_any(),
        Node::Link { href, children } => view! {
            <a href=href target="_blank" rel="noopener noreferrer nofollow">{render(children)}</a>
        }
        .into_any(),
        Node::Element(block, children) => {
            let children = render(children);
            match block {
                Block::Paragraph => view! { <p>{children}</p> }.into_any(),
                Block::Heading => view! { <p><strong>{children}</strong></p> }.into_any(),
                Block::Quote => view! { <blockquote>{children}</blockquote> }.into_any(),
                Block::CodeBlock => view! { <pre><code>{children}</code></pre> }.into_any(),
                Block::List {
                    ordered: true,
                    start,
                } => view! { <ol start=start.to_string()>{children}</ol> }.into_any(),
                Block::List { ordered: false, .. } => view! { <ul>{children}</ul> }.into_any(),
                Block::Item => view! { <li>{children}</li> }.into_any(),
                Block::Strong => view! { <strong>{children}</strong> }.into_any(),
                Block::Emphasis => view! { <em>{children}</em> }.into_any(),
                Block::Strike => view! { <del>{children}</del> }.into_any(),
                Block::Code => view! { <code>{children}</code> }.into_any(),
            }
        }
    }
}

//! Above the composer of a conversation the AI Agent handles (A5): Takeover, which stops it
//! at once and makes the conversation the agent's; or, while something else keeps anyone
//! from writing to the contact (blocked, no connected channel, the channel's reply window
//! closed), that reason instead.

use super::Inbox;
use crate::tr;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use switchboard_protocol::{ConversationId, WorkspaceId};

#[component]
pub fn TakeoverBar(
    workspace: WorkspaceId,
    conversation: ConversationId,
    inbox: Inbox,
    /// The AI Agent handles the conversation.
    #[prop(into)]
    handled: Signal<bool>,
    /// Why nobody can write to the contact now, if so.
    #[prop(into)]
    restriction: Signal<Option<String>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let take = move |_| {
        inbox.run(
            crate::api::take_over(workspace, conversation),
            Some(&tr!("thread-taken-over")),
            Some(busy),
        );
    };
    view! {
        <Show when=move || handled.get()>
            <div class="takeover-bar" role="status">
                <Icon name="sparkles"/>
                {move || match restriction.get() {
                    Some(reason) => view! { <span>{reason}</span> }.into_any(),
                    None => view! {
                        <span>{tr!("thread-ai-agent-handles")}</span>
                        <button type="button" class="button primary small" disabled=move || busy.get() on:click=take>
                            {tr!("thread-takeover")}
                        </button>
                    }.into_any(),
                }}
            </div>
        </Show>
    }
}

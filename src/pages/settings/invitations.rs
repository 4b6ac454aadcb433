//! Invitations (T1): owners and managers invite an e-mail address with a role and pass on
//! the link (shown once, with a copy button); pending invitations can be withdrawn.

use super::use_settings;
use crate::api::{self, ClientError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::Role;
use switchboard_protocol::settings::*;

#[component]
pub fn Invitations() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let pending = RwSignal::new(Vec::<Invitation>::new());
    let reload = move || {
        spawn_local(async move {
            if let Ok(list) = api::invitations(ws).await {
                pending.set(list);
            }
        });
    };
    Effect::new(move |_| {
        if context.manager.get() {
            reload();
        }
    });
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Agent);
    let problem = RwSignal::new(None::<String>);
    let link = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = InvitationRequest {
            email: email.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
        };
        if request.email.is_empty() {
            problem.set(Some("Enter the e-mail address to invite.".into()));
            return;
        }
        spawn_local(async move {
            match api::invite(ws, &request).await {
                Ok(created) => {
                    problem.set(None);
                    email.set(String::new());
                    link.set(Some(created.link));
                    context.saved(format!("{} is invited.", created.invitation.email));
                    reload();
                }
                Err(ClientError::Server(body)) => problem.set(Some(body.message)),
                Err(e) => context.failed(e),
            }
        });
    };
    let copy = move |_| {
        if let (Some(link), Some(window)) = (link.get_untracked(), web_sys::window()) {
            let _ = window.navigator().clipboard().write_text(&link);
            context.saved("Link copied.");
        }
    };
    let revoke = move |invitation: Invitation| {
        spawn_local(async move {
            match api::revoke_invitation(ws, invitation.id).await {
                Ok(()) => context.saved(format!(
                    "The invitation of {} is withdrawn.",
                    invitation.email
                )),
                Err(e) => context.failed(e),
            }
            reload();
        });
    };
    view! {
        <Show when=move || context.manager.get()>
            <div class="invitations">
                <h3>"Invite someone"</h3>
                <form class="inline-form" on:submit=submit aria-label="Invite">
                    <input type="email" name="invite_email" aria-label="E-mail address to invite" placeholder="name@example.com"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                    <select aria-label="Role of the invited member" on:change=move |ev| {
                        if let Some(r) = Role::parse(&event_target_value(&ev)) {
                            role.set(r);
                        }
                    }>
                        <option value="agent" selected=true>"Agent"</option>
                        <option value="manager">"Manager"</option>
                        <option value="owner">"Owner"</option>
                    </select>
                    <button type="submit" class="button subtle">"Invite"</button>
                </form>
                {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
                {move || link.get().map(|l| view! {
                    <div class="invite-link">
                        <label class="field">
                            <span>"Send this link to them (it works for 7 days, once)"</span>
                            <input type="text" readonly=true name="invite_link" prop:value=l/>
                        </label>
                        <button type="button" class="button subtle small" on:click=copy>"Copy link"</button>
                    </div>
                })}
                <ul class="settings-list">
                    <For each=move || pending.get() key=|i| i.id let:invitation>
                        {
                            let for_revoke = invitation.clone();
                            view! {
                                <li class="settings-item">
                                    <div class="settings-item-head">
                                        <span>
                                            <strong>{invitation.email.clone()}</strong>
                                            <span class="muted small">{format!(" · invited as {}", invitation.role.as_str())}</span>
                                        </span>
                                        <button type="button" class="button subtle small"
                                            aria-label=format!("Withdraw the invitation of {}", invitation.email)
                                            on:click=move |_| revoke(for_revoke.clone())>"Withdraw"</button>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </div>
        </Show>
    }
}

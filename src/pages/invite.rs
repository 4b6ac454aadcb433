//! `/invite/:token`: an invitation's link (T1). It says which workspace and role it invites
//! to; a newcomer picks a name and a password, an existing account gives its password; then
//! they are signed in and land in the workspace's inbox.

use crate::api;
use crate::components::highlighted::NamedText;
use crate::components::language_picker::LanguagePicker;
use crate::routes;
use crate::state::session::use_session;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};
use switchboard_protocol::Role;
use switchboard_protocol::settings::{AcceptInvitation, InvitationPreview, MIN_PASSWORD_CHARS};

/// A role's name as it reads in "You are invited as …".
fn role_name(role: Role) -> String {
    match role {
        Role::Owner => tr!("login-role-owner"),
        Role::Manager => tr!("login-role-manager"),
        Role::Agent => tr!("login-role-agent"),
    }
}

#[component]
pub fn InvitePage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let navigate = use_navigate();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let preview = RwSignal::new(None::<Result<InvitationPreview, String>>);
    spawn_local(async move {
        let answer = api::invitation(&token()).await;
        preview.set(Some(answer.map_err(|e| {
            if e.code() == Some(switchboard_protocol::ErrorCode::NotFound) {
                tr!("login-invite-expired")
            } else {
                e.to_string()
            }
        })));
    });
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let existing = preview.with_untracked(|p| {
            p.as_ref()
                .and_then(|p| p.as_ref().ok())
                .is_some_and(|p| p.existing_account)
        });
        if !existing && name.get_untracked().trim().is_empty() {
            error.set(Some(tr!("login-invite-name-required")));
            return;
        }
        if !existing && password.get_untracked().chars().count() < MIN_PASSWORD_CHARS {
            error.set(Some(tr!(
                "login-invite-password-too-short",
                count = MIN_PASSWORD_CHARS
            )));
            return;
        }
        busy.set(true);
        let request = AcceptInvitation {
            name: name.get_untracked(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::accept_invitation(&token(), &request).await {
                Ok(me) => {
                    let target = me.workspaces.last().map(|w| routes::inbox(w.id));
                    session.set(Some(me));
                    navigate(
                        &target.unwrap_or_else(|| "/".into()),
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
                Err(e) => {
                    error.set(Some(if e.is_unauthorized() {
                        tr!("login-invite-wrong-password")
                    } else {
                        e.to_string()
                    }));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <main class="login-page">
            {move || match preview.get() {
                None => view! { <p class="muted">{tr!("login-loading")}</p> }.into_any(),
                Some(Err(e)) => view! {
                    <div class="login-card">
                        <h1>{tr!("login-invite-title")}</h1>
                        <p class="form-error" role="alert">{e}</p>
                        <a class="button subtle" href="/login">{tr!("login-submit")}</a>
                    </div>
                }
                .into_any(),
                Some(Ok(p)) => {
                    let existing = p.existing_account;
                    view! {
                        <form class="login-card" on:submit=submit.clone() novalidate>
                            <div class="brand">
                                <span class="brand-mark" aria-hidden="true"></span>
                                <span class="brand-name">"Switchboard"</span>
                            </div>
                            <h1><NamedText text=tr!("login-invite-join", workspace = &p.workspace) name=p.workspace.clone()/></h1>
                            <p class="muted"><NamedText text=tr!("login-invite-as", role = role_name(p.role), email = &p.email) name=p.email.clone()/></p>
                            {(!existing).then(|| view! {
                                <label class="field">
                                    <span>{tr!("login-invite-your-name")}</span>
                                    <input type="text" name="name" autocomplete="name"
                                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                                </label>
                            })}
                            <label class="field">
                                <span>{if existing { tr!("login-invite-your-password") } else { tr!("login-invite-choose-password") }}</span>
                                <input type="password" name="password"
                                    autocomplete=if existing { "current-password" } else { "new-password" }
                                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                            </label>
                            <p class="form-error" role="alert">{move || error.get()}</p>
                            <button type="submit" class="button primary" disabled=move || busy.get()>
                                <NamedText text=tr!("login-invite-join", workspace = &p.workspace) name=p.workspace.clone()/>
                            </button>
                        </form>
                    }
                    .into_any()
                }
            }}
            <LanguagePicker/>
        </main>
    }
}

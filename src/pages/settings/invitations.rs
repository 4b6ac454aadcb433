//! Invitations (T1): owners and managers invite an e-mail address with a role and pass on
//! the link (shown once, with a copy button); pending invitations can be withdrawn.

use super::members::role_label;
use super::use_settings;
use crate::api::{self, ClientError};
use crate::model::time::{day_month, local_offset};
use crate::tr;
use chrono::{DateTime, Datelike, FixedOffset, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::Role;
use switchboard_protocol::settings::*;

/// When a pending invitation's link stops working: "expires 19 Mar" (the viewer's day).
fn expiry(expires_at: DateTime<Utc>, offset: FixedOffset) -> String {
    let local = expires_at.with_timezone(&offset);
    tr!(
        "settings-invite-expires",
        date = day_month(local.day(), local.month())
    )
}

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
            problem.set(Some(tr!("settings-invite-email-needed")));
            return;
        }
        spawn_local(async move {
            match api::invite(ws, &request).await {
                Ok(created) => {
                    problem.set(None);
                    email.set(String::new());
                    link.set(Some(created.link));
                    context.saved(tr!("settings-invited", email = &created.invitation.email));
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
            context.saved(tr!("settings-invite-link-copied"));
        }
    };
    let revoke = move |invitation: Invitation| {
        spawn_local(async move {
            match api::revoke_invitation(ws, invitation.id).await {
                Ok(()) => {
                    context.saved(tr!("settings-invite-withdrawn", email = &invitation.email))
                }
                Err(e) => context.failed(e),
            }
            reload();
        });
    };
    view! {
        <Show when=move || context.manager.get()>
            <div class="invitations">
                <h3>{tr!("settings-invite-title")}</h3>
                <form class="inline-form" on:submit=submit aria-label=tr!("settings-invite-form")>
                    <input type="email" name="invite_email" aria-label=tr!("settings-invite-email") placeholder="name@example.com"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                    <select aria-label=tr!("settings-invite-role") on:change=move |ev| {
                        if let Some(r) = Role::parse(&event_target_value(&ev)) {
                            role.set(r);
                        }
                    }>
                        <option value="agent" selected=true>{role_label(Role::Agent)}</option>
                        <option value="manager">{role_label(Role::Manager)}</option>
                        <option value="owner">{role_label(Role::Owner)}</option>
                    </select>
                    <button type="submit" class="button subtle">{tr!("settings-invite-submit")}</button>
                </form>
                {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
                {move || link.get().map(|l| view! {
                    <div class="invite-link">
                        <label class="field">
                            <span>{tr!("settings-invite-link", days = INVITATION_DAYS)}</span>
                            <input type="text" readonly=true name="invite_link" prop:value=l/>
                        </label>
                        <button type="button" class="button subtle small" on:click=copy>{tr!("settings-invite-copy")}</button>
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
                                            <strong translate="no">{invitation.email.clone()}</strong>
                                            <span class="muted small">{format!(
                                                " · {} · {}",
                                                tr!("settings-invite-invited-as", role = invitation.role.as_str()),
                                                expiry(invitation.expires_at, local_offset()),
                                            )}</span>
                                        </span>
                                        <button type="button" class="button subtle small"
                                            aria-label=tr!("settings-invite-withdraw-label", email = &invitation.email)
                                            on:click=move |_| revoke(for_revoke.clone())>{tr!("settings-invite-withdraw")}</button>
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_invitation_tells_its_role_and_last_day_in_the_language_in_use() {
        let at = Utc.with_ymd_and_hms(2026, 3, 19, 22, 30, 0).unwrap();
        let moscow = FixedOffset::east_opt(3 * 3600).unwrap();
        assert_eq!(expiry(at, moscow), "expires 20 Mar");
        assert_eq!(
            tr!("settings-invite-invited-as", role = Role::Manager.as_str()),
            "invited as manager"
        );
        crate::i18n::set_lang(crate::i18n::Lang::Ru);
        let (date, role, link) = (
            expiry(at, moscow),
            tr!("settings-invite-invited-as", role = Role::Agent.as_str()),
            tr!("settings-invite-link", days = INVITATION_DAYS),
        );
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert_eq!(date, "действует до 20 мар.");
        assert_eq!(role, "роль: оператор");
        assert_eq!(
            link,
            "Отправьте эту ссылку приглашённому (она действует 7 дней и только один раз)"
        );
        assert_eq!(
            tr!("settings-invite-link", days = INVITATION_DAYS),
            "Send this link to them (it works for 7 days, once)"
        );
    }
}

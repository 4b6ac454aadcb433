//! Members with their roles and permissions (T1), and teams with their members.

use super::use_settings;
use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::settings::*;
use switchboard_protocol::*;

/// A role's name, as the role pickers show it.
pub(super) fn role_label(role: Role) -> String {
    match role {
        Role::Owner => tr!("settings-role-owner"),
        Role::Manager => tr!("settings-role-manager"),
        Role::Agent => tr!("settings-role-agent"),
    }
}

#[component]
pub fn Members() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let members = context.members;
    let change = move |user: UserId, patch: MemberPatch| {
        spawn_local(async move {
            match api::update_member(ws, user, &patch).await {
                Ok(updated) => {
                    members.update(|list| {
                        if let Some(m) = list.iter_mut().find(|m| m.user.id == user) {
                            *m = updated.clone();
                        }
                    });
                    context.saved(tr!("settings-member-updated", name = &updated.user.name));
                }
                Err(e) => {
                    context.failed(e);
                    // Show what the server kept, not what was asked.
                    context.reload();
                }
            }
        });
    };
    view! {
        <section class="settings-section" aria-labelledby="members-title">
            <h2 id="members-title">{tr!("settings-members-title")}</h2>
            <table class="settings-table">
                <thead>
                    <tr>
                        <th scope="col">{tr!("settings-members-member")}</th>
                        <th scope="col">{tr!("settings-members-role")}</th>
                        <th scope="col">{tr!("settings-members-sees-blocked")}</th>
                        <th scope="col">{tr!("settings-members-phones-hidden")}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || members.get() key=|m| (m.user.id, m.role, m.permissions) let:member>
                        {
                            let user = member.user.id;
                            let name = member.user.name.clone();
                            let permissions = member.permissions;
                            let disabled = move || !context.manager.get();
                            view! {
                                <tr>
                                    <th scope="row">
                                        <span class="member-name" translate="no">{member.user.name.clone()}</span>
                                        <span class="muted small" translate="no">{member.user.email.clone()}</span>
                                    </th>
                                    <td data-label=tr!("settings-members-role")>
                                        <select
                                            aria-label=tr!("settings-members-role-of", name = &name)
                                            disabled=disabled
                                            prop:value=member.role.as_str()
                                            on:change=move |ev| {
                                                if let Some(role) = Role::parse(&event_target_value(&ev)) {
                                                    change(user, MemberPatch { role: Some(role), permissions: None });
                                                }
                                            }
                                        >
                                            {Role::ALL.iter().map(|r| view! {
                                                <option value=r.as_str() selected=*r == member.role>{role_label(*r)}</option>
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td data-label=tr!("settings-members-sees-blocked")>
                                        <input
                                            type="checkbox"
                                            aria-label=tr!("settings-members-sees-blocked-of", name = &name)
                                            disabled=disabled
                                            prop:checked=permissions.view_blocked
                                            on:change=move |ev| change(user, MemberPatch {
                                                role: None,
                                                permissions: Some(Permissions { view_blocked: event_target_checked(&ev), ..permissions }),
                                            })
                                        />
                                    </td>
                                    <td data-label=tr!("settings-members-phones-hidden")>
                                        <input
                                            type="checkbox"
                                            aria-label=tr!("settings-members-phones-hidden-of", name = &member.user.name)
                                            disabled=disabled
                                            prop:checked=permissions.phone_masked
                                            on:change=move |ev| change(user, MemberPatch {
                                                role: None,
                                                permissions: Some(Permissions { phone_masked: event_target_checked(&ev), ..permissions }),
                                            })
                                        />
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
    }
}

#[component]
pub fn Teams() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let (teams, members) = (context.teams, context.members);
    let reload = move || context.reload();
    let new_name = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        if name.is_empty() {
            context.failed(tr!("settings-team-name-needed"));
            return;
        }
        spawn_local(async move {
            match api::create_team(
                ws,
                &TeamRequest {
                    name,
                    members: Vec::new(),
                },
            )
            .await
            {
                Ok(team) => {
                    new_name.set(String::new());
                    context.saved(tr!("settings-team-added", name = &team.name));
                    reload();
                }
                Err(e) => context.failed(e),
            }
        });
    };
    let update = move |team: Team| {
        spawn_local(async move {
            let request = TeamRequest {
                name: team.name.clone(),
                members: team.members.clone(),
            };
            match api::update_team(ws, team.id, &request).await {
                Ok(_) => context.saved(tr!("settings-team-saved", name = &team.name)),
                Err(e) => context.failed(e),
            }
            reload();
        });
    };
    let remove = move |team: Team| {
        spawn_local(async move {
            match api::delete_team(ws, team.id).await {
                Ok(()) => context.saved(tr!("settings-team-deleted", name = &team.name)),
                Err(e) => context.failed(e),
            }
            reload();
        });
    };
    view! {
        <section class="settings-section" aria-labelledby="teams-title">
            <h2 id="teams-title">{tr!("settings-teams-title")}</h2>
            <ul class="settings-list">
                <For each=move || teams.get() key=|t| (t.id, t.name.clone(), t.members.clone()) let:team>
                    {
                        let disabled = move || !context.manager.get();
                        let team_for_members = team.clone();
                        let team_for_delete = team.clone();
                        view! {
                            <li class="settings-item">
                                <div class="settings-item-head">
                                    <strong translate="no">{team.name.clone()}</strong>
                                    <Show when=move || context.manager.get()>
                                        {
                                            let team = team_for_delete.clone();
                                            view! {
                                                <button type="button" class="button subtle small"
                                                    aria-label=tr!("settings-team-delete-label", name = &team.name)
                                                    on:click=move |_| remove(team.clone())>{tr!("settings-delete")}</button>
                                            }
                                        }
                                    </Show>
                                </div>
                                <div class="team-members" role="group" aria-label=tr!("settings-team-members-of", name = &team.name)>
                                    {move || members.get().into_iter().map(|m| {
                                        let team = team_for_members.clone();
                                        let id = m.user.id;
                                        let is_in = team.members.contains(&id);
                                        view! {
                                            <label class="choice">
                                                <input type="checkbox" disabled=disabled prop:checked=is_in
                                                    on:change=move |ev| {
                                                        let mut team = team.clone();
                                                        if event_target_checked(&ev) {
                                                            team.members.push(id);
                                                        } else {
                                                            team.members.retain(|u| *u != id);
                                                        }
                                                        update(team);
                                                    }/>
                                                <span translate="no">{m.user.name.clone()}</span>
                                            </label>
                                        }
                                    }).collect_view()}
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || context.manager.get()>
                <form class="inline-form" on:submit=create>
                    <input type="text" aria-label=tr!("settings-team-new-name") placeholder=tr!("settings-team-new-name")
                        prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/>
                    <button type="submit" class="button subtle">{tr!("settings-team-add")}</button>
                </form>
            </Show>
        </section>
    }
}

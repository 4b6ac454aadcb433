//! `/w/:ws/settings/channels`: the workspace's channels (T6). Every member sees them; owners
//! and managers connect a Telegram bot, a WhatsApp number, a mailbox or a TikTok business
//! account (the server checks the credentials with the provider first and names a refused
//! field), see where WhatsApp and TikTok must send their notifications, check that a
//! channel's provider still takes its credentials, and disconnect a channel after confirming.

use crate::api;
use crate::components::highlighted::NamedText;
use crate::model::connect_form::{self, Field, Input};
use crate::routes;
use crate::state::session::use_session;
use crate::tr;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::channels::{ChannelCheck, ChannelInfo};
use switchboard_protocol::{ChannelId, ChannelKind, WorkspaceId};

/// The kinds connected from this screen, in the order offered.
const CONNECTABLE: [ChannelKind; 4] = [
    ChannelKind::Telegram,
    ChannelKind::Whatsapp,
    ChannelKind::Email,
    ChannelKind::Tiktok,
];

#[component]
pub fn ChannelsPage() -> impl IntoView {
    let session = use_session();
    let (workspace, manager) = super::workspace_settings_screen();
    let manager = move || manager.get();
    let channels = RwSignal::new(None::<Result<Vec<ChannelInfo>, String>>);
    let reload = move || {
        let Some(ws) = workspace.get_untracked() else {
            return;
        };
        spawn_local(async move {
            channels.set(Some(api::channels(ws).await.map_err(|e| e.to_string())));
        });
    };
    Effect::new(move |_| {
        if workspace.get().is_some() && session.signed_in().is_some() {
            reload();
        }
    });
    let adding = RwSignal::new(None::<ChannelKind>);
    // What was done, and the channel's name in it.
    let notice = RwSignal::new(None::<(String, String)>);
    let on_connected = Callback::new(move |channel: ChannelInfo| {
        adding.set(None);
        notice.set(Some((
            tr!("channels-now-connected", name = &channel.name),
            channel.name,
        )));
        reload();
    });
    view! {
        <main class="settings-page">
            <header class="settings-header">
                {move || workspace.get().map(|ws| view! {
                    <a class="icon-button" href=routes::inbox(ws) aria-label=tr!("channels-back")>
                        <Icon name="back"/>
                    </a>
                })}
                <h1>{tr!("channels-title")}</h1>
            </header>
            <p class="muted">{tr!("channels-intro")}</p>
            {move || notice.get().map(|(text, name)| view! { <p class="settings-notice" role="status"><NamedText text=text name=name/></p> })}
            <section aria-label=tr!("channels-connected-label")>
                {move || match channels.get() {
                    None => view! { <p class="muted">{tr!("channels-loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="channel-cards">
                            {list.into_iter().map(|channel| view! {
                                <ChannelCard channel=channel manager=manager() workspace=workspace notice=notice reload=Callback::new(move |_: ()| reload())/>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                }}
            </section>
            <Show when=manager fallback=|| view! {
                <p class="muted small">{tr!("channels-managers-only")}</p>
            }>
                <section class="connect-section" aria-label=tr!("channels-connect-heading")>
                    <h2>{tr!("channels-connect-heading")}</h2>
                    <div class="connect-choices">
                        {CONNECTABLE.into_iter().map(|kind| view! {
                            <button
                                type="button"
                                class="channel-chip"
                                class:selected=move || adding.get() == Some(kind)
                                aria-pressed=move || (adding.get() == Some(kind)).to_string()
                                on:click=move |_| {
                                    notice.set(None);
                                    adding.set(Some(kind));
                                }
                            >
                                <span class=format!("channel-dot channel-{}", kind.as_str()) aria-hidden="true"></span>
                                {crate::model::channels::kind_name(kind)}
                            </button>
                        }).collect_view()}
                    </div>
                    {move || {
                        let kind = adding.get()?;
                        let ws = workspace.get()?;
                        let fields = connect_form::fields(kind)?;
                        Some(view! {
                            <ConnectForm workspace=ws kind=kind fields=fields on_connected=on_connected on_cancel=Callback::new(move |_: ()| adding.set(None))/>
                        })
                    }}
                </section>
            </Show>
        </main>
    }
}

/// A connected channel: its kind and name, WhatsApp's callback URL for managers, and
/// Disconnect (confirmed first).
#[component]
fn ChannelCard(
    channel: ChannelInfo,
    manager: bool,
    workspace: Memo<Option<WorkspaceId>>,
    notice: RwSignal<Option<(String, String)>>,
    reload: Callback<()>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id: ChannelId = channel.id;
    let checked = RwSignal::new(None::<ChannelCheck>);
    let checking = RwSignal::new(false);
    let check = move || {
        let Some(ws) = workspace.get_untracked() else {
            return;
        };
        checking.set(true);
        checked.set(None);
        spawn_local(async move {
            let answer = api::check_channel(ws, id).await;
            checking.set(false);
            match answer {
                Ok(found) => checked.set(Some(found)),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let id: ChannelId = channel.id;
    let name = channel.name.clone();
    let disconnect = move || {
        let Some(ws) = workspace.get_untracked() else {
            return;
        };
        let name = name.clone();
        spawn_local(async move {
            match api::disconnect_channel(ws, id).await {
                Ok(()) => {
                    notice.set(Some((tr!("channels-now-disconnected", name = &name), name)));
                    reload.run(());
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let kind = channel.kind;
    view! {
        <li class="channel-card">
            <span class=format!("channel-dot channel-{}", kind.as_str()) aria-hidden="true"></span>
            <div class="channel-card-main">
                <strong translate="no">{channel.name.clone()}</strong>
                <span class="muted small">{crate::model::channels::kind_name(kind)}</span>
                {channel.webhook_url.clone().map(|url| view! {
                    <label class="webhook-url">
                        <span class="small">{match kind { ChannelKind::Tiktok => tr!("channels-webhook-tiktok"), _ => tr!("channels-webhook-meta") }}</span>
                        <input type="text" readonly prop:value=url/>
                    </label>
                })}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                {move || checked.get().map(|c| view! {
                    <p class="channel-check" class:ok=c.ok role="status" translate="no">{c.message}</p>
                })}
            </div>
            {(manager && kind != ChannelKind::WebsiteChat).then(|| view! {
                <div class="channel-card-actions">
                    <Show
                        when=move || confirming.get()
                        fallback=move || view! {
                            <button type="button" class="button subtle" disabled=move || checking.get() on:click=move |_| check()>
                                {move || if checking.get() { tr!("channels-checking") } else { tr!("channels-check") }}
                            </button>
                            <button type="button" class="button subtle" on:click=move |_| confirming.set(true)>{tr!("channels-disconnect")}</button>
                        }
                    >
                        <span class="small">{tr!("channels-disconnect-warning")}</span>
                        <button type="button" class="button subtle" on:click=move |_| confirming.set(false)>{tr!("channels-keep")}</button>
                        <button type="button" class="button danger" on:click={
                            let disconnect = disconnect.clone();
                            move |_| disconnect()
                        }>{tr!("channels-disconnect")}</button>
                    </Show>
                </div>
            })}
        </li>
    }
}

/// A provider's connect form: a field per credential, checked here first, then by the
/// server with the provider; a refusal shows under the field it names.
#[component]
fn ConnectForm(
    workspace: WorkspaceId,
    kind: ChannelKind,
    fields: &'static [Field],
    on_connected: Callback<ChannelInfo>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let values = RwSignal::new(
        fields
            .iter()
            .map(|f| f.initial.to_owned())
            .collect::<Vec<_>>(),
    );
    // The field a refusal names (or none: the whole form) and what to fix.
    let refusal = RwSignal::new(None::<(Option<String>, String)>);
    let busy = RwSignal::new(false);
    let submit = move || {
        let body = match connect_form::body(fields, &values.get_untracked()) {
            Ok(body) => body,
            Err(r) => {
                refusal.set(Some((Some(r.field.to_owned()), r.message)));
                return;
            }
        };
        refusal.set(None);
        busy.set(true);
        spawn_local(async move {
            let answer = api::connect_channel(workspace, connect_form::endpoint(kind), &body).await;
            busy.set(false);
            match answer {
                Ok(channel) => on_connected.run(channel),
                Err(api::ClientError::Server(body)) => {
                    refusal.set(Some((body.field, body.message)))
                }
                Err(e) => refusal.set(Some((None, e.to_string()))),
            }
        });
    };
    let general = move || {
        refusal.get().and_then(|(field, message)| {
            let placed = field
                .as_deref()
                .is_some_and(|f| fields.iter().any(|spec| connect_form::refers_to(f, spec)));
            (!placed).then_some(message)
        })
    };
    view! {
        <form
            class="connect-form"
            aria-label=tr!("channels-form-label", channel = crate::model::channels::kind_name(kind))
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                submit();
            }
        >
            {fields.iter().enumerate().map(|(i, spec)| {
                let spec = *spec;
                let error = move || {
                    refusal.get().and_then(|(field, message)| {
                        field.filter(|f| connect_form::refers_to(f, &spec)).map(|_| message)
                    })
                };
                let value = move || values.with(|v| v.get(i).cloned().unwrap_or_default());
                // Typing in a field takes its refusal away.
                let set = move |value: String| {
                    values.update(|v| if let Some(slot) = v.get_mut(i) { *slot = value; });
                    if refusal.with_untracked(|r| r.as_ref().and_then(|(f, _)| f.as_deref()).is_some_and(|f| connect_form::refers_to(f, &spec))) {
                        refusal.set(None);
                    }
                };
                let input = match spec.input {
                    Input::Security => view! {
                        <select prop:value=value on:change=move |ev| set(event_target_value(&ev))>
                            <option value="tls">"TLS"</option>
                            <option value="start_tls">"STARTTLS"</option>
                            <option value="none">{tr!("channels-security-none")}</option>
                        </select>
                    }
                    .into_any(),
                    Input::Secret => view! {
                        <input type="password" autocomplete="off" placeholder=spec.hint() prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
                    }
                    .into_any(),
                    Input::Port => view! {
                        <input type="text" inputmode="numeric" placeholder=spec.hint() prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
                    }
                    .into_any(),
                    Input::Text => view! {
                        <input type="text" placeholder=spec.hint() prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
                    }
                    .into_any(),
                };
                view! {
                    <label class="field" class:invalid=move || error().is_some()>
                        <span>{spec.label()}</span>
                        {input}
                        {move || error().map(|e| view! { <span class="form-error" role="alert">{e}</span> })}
                    </label>
                }
            }).collect_view()}
            {move || general().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <div class="modal-buttons">
                <button type="button" class="button subtle" on:click=move |_| on_cancel.run(())>{tr!("channels-cancel")}</button>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr!("channels-checking") } else { tr!("channels-connect") }}
                </button>
            </div>
        </form>
    }
}

//! `/w/:ws` and `/w/:ws/c/:conversation`: the inbox. Folders sidebar, conversation list, and
//! the open conversation's thread with its composer. On narrow screens one pane shows at a
//! time. The list's view (folder, tab, sort, search, unreplied) is the URL's query.
//!
//! The realtime socket feeds both the list and the thread through their models
//! ([`InboxList`], [`Thread`]); a fresh connection reloads them, a resumed one replays.

mod actions;
mod ai;
mod ai_prompts;
pub mod attachments;
mod channel_switcher;
mod composer;
pub(crate) mod contact_panel;
mod crm_panel;
mod list_pane;
pub(crate) mod notification_centre;
mod ongoing_workflows;
mod recorder;
pub(crate) mod search_pane;
pub(crate) mod shortcuts;
mod sidebar;
mod takeover;
mod templates;
mod thread_search;
pub(crate) mod thread_view;

use crate::api::{self, ClientError, live};
use crate::chunks;
use crate::model::inbox::InboxList;
use crate::model::thread::{Outgoing, Thread};
use crate::model::typing::{Announce, Typists};
use crate::model::view::InboxView;
use crate::routes;
use crate::state::session::{Session, use_session};
use crate::tr;
use crate::ui::icons::Icon;
use crate::ui::perf;
use chrono::Utc;
use leptos::leptos_dom::helpers::{TimeoutHandle, set_timeout, set_timeout_with_handle};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use list_pane::ConversationList;
use sidebar::Sidebar;
use std::time::Duration;

/// A send keeps trying this long while the server cannot be reached (about half an hour at the
/// backoff's ceiling) before it shows Retry.
const MAX_SEND_ATTEMPTS: u32 = 200;

/// Where the contact panel's state is kept.
const CONTACT_PANEL_KEY: &str = "switchboard.contact-panel";

/// At most this many older pages are read to reach a linked or quoted message.
const MAX_JUMP_PAGES: usize = 400;
use switchboard_protocol::api::SendMessageRequest;
use switchboard_protocol::channels::ContactChannel;
use switchboard_protocol::crm::CrmProvider;
use switchboard_protocol::events::{ClientFrame, EventPayload, Typing};
use switchboard_protocol::*;

/// The inbox screen's shared state, provided to its parts.
#[derive(Clone, Copy)]
pub struct Inbox {
    pub workspace: Memo<Option<WorkspaceId>>,
    pub selected: Memo<Option<ConversationId>>,
    /// What the list shows, read from the URL's query.
    pub view: Memo<InboxView>,
    pub list: RwSignal<InboxList>,
    /// The sidebar's folders and counts; `None` until loaded.
    pub folders: RwSignal<Option<inbox::Folders>>,
    /// The sidebar is open over the list (narrow screens).
    pub folders_open: RwSignal<bool>,
    /// The open conversation as it is now (it may be outside the list's view).
    pub open: RwSignal<Option<ConversationSummary>>,
    /// Members, teams and the closing-notes rule, for the actions; `None` until loaded.
    pub directory: RwSignal<Option<Directory>>,
    /// The message the composer's next message quotes (C4).
    pub reply: RwSignal<Option<ReplyPreview>>,
    /// The open conversation's contact's channels (K2); empty until read.
    pub channels: RwSignal<Vec<ContactChannel>>,
    /// Whether `channels` was read for the open conversation.
    pub channels_loaded: RwSignal<bool>,
    /// The channel the agent picked for this conversation's messages, if they did (K2).
    pub channel_choice: RwSignal<Option<ChannelId>>,
    /// A short confirmation shown for a moment ("Link copied").
    pub notice: RwSignal<Option<String>>,
    /// Bumped when a workflow run starts here (the contact's ongoing runs are read again).
    pub runs_changed: RwSignal<u32>,
    /// The message to bring into view and highlight, once it is loaded (C4, C5).
    pub highlight: RwSignal<Option<MessageId>>,
    /// The open conversation's action dialog, if one is showing.
    pub dialog: RwSignal<Option<actions::Dialog>>,
    /// Pending refreshes after live changes (counts; a custom inbox's first page).
    refresh: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    pub thread: RwSignal<Option<Thread>>,
    /// Other agents typing (C7).
    pub typists: RwSignal<Typists>,
    /// The workspace's socket, also for saying what this agent types.
    live: StoredValue<Option<live::LiveHandle>, LocalStorage>,
    /// The newest event when the list's first page was last read: the socket follows from it.
    list_seq: StoredValue<Option<u64>, LocalStorage>,
    /// Live events applied so far: an answer read before the newest of them may be older
    /// than what they said.
    events_applied: StoredValue<u64, LocalStorage>,
    /// The pending look at typing indicators' expiry.
    typing_expiry: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    pub connected: RwSignal<bool>,
    pub error: RwSignal<Option<ClientError>>,
    /// The member's notification centre (O1); `None` until read.
    pub centre: RwSignal<Option<notifications::NotificationList>>,
    pub centre_open: RwSignal<bool>,
    /// The contact panel beside the thread is open (kept across reloads).
    pub contact_open: RwSignal<bool>,
    /// The open conversation's search (C6) is showing.
    pub thread_search: RwSignal<bool>,
    /// What screen readers are told of live (X4): a message in a conversation not on screen
    /// (the open thread is a live log itself).
    pub announcement: RwSignal<String>,
    /// A live event may have added an entry: the centre is read again with the counts.
    centre_stale: StoredValue<bool, LocalStorage>,
    /// The signed-in member's role here, for what only managers may change.
    role: Memo<Option<Role>>,
}

/// What the actions need to know of the workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct Directory {
    pub members: Vec<settings::Member>,
    pub teams: Vec<settings::Team>,
    pub closing_notes: settings::ClosingNotes,
    /// Saved replies for the composer's `/` (K5).
    pub snippets: Vec<settings::Snippet>,
    /// Whether snoozes that end are pushed to their assignees (A2, O3).
    pub snooze_push: bool,
    /// Whether the AI Agent answers the conversations given to it (A5).
    pub ai_agent: bool,
    /// The CRMs connected (the contact panel shows their records, P5, P6).
    pub crm: Vec<CrmProvider>,
    /// Whether a Dialogflow agent is connected (the ⋮ menu offers the bot, A6).
    pub dialogflow: bool,
    /// The enabled Shortcut workflows, by name (the ⚡ menu runs them, A7): id and name.
    pub shortcuts: Vec<(i64, String)>,
}

impl Inbox {
    /// Takes the conversation as an action left it (its event follows and changes nothing).
    pub fn accept(self, summary: ConversationSummary) {
        if self.selected.get_untracked() == Some(summary.id) {
            set_if_changed(self.open, Some(summary.clone()));
        }
        self.list.update(|l| {
            l.apply(&EventPayload::ConversationUpdated {
                conversation: summary,
            })
        });
    }

    /// Reads the open conversation again (after a change that answers with something else).
    pub fn refresh_open(self, workspace: WorkspaceId) {
        let Some(id) = self.selected.get_untracked() else {
            return;
        };
        let asked = self.events_applied.get_value();
        spawn_local(async move {
            match api::conversation(workspace, id).await {
                // Events since the question carry newer rows than this answer may hold.
                Ok(_) if self.selected.get_untracked() != Some(id) => {}
                Ok(detail) if self.events_applied.get_value() != asked => {
                    set_if_changed(self.channels, detail.channels);
                    set_if_changed(self.channels_loaded, true);
                    if self.open.with_untracked(Option::is_none) {
                        self.open.set(Some(detail.conversation));
                    }
                }
                Ok(detail) => {
                    set_if_changed(self.channels, detail.channels);
                    set_if_changed(self.channels_loaded, true);
                    self.accept(detail.conversation);
                }
                Err(e) if e.code() == Some(ErrorCode::NotFound) => {
                    if self.selected.get_untracked() == Some(id) {
                        self.open.set(None);
                    }
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Reads what the actions need, with the code that reads it (a part of its own).
    fn load_directory(self, workspace: WorkspaceId) {
        spawn_local(async move {
            match chunks::directory().await {
                Ok(read) => read(self, workspace),
                Err(_) => self.error.set(Some(ClientError::Network(String::new()))),
            }
        });
    }

    /// Reads the workspace's members, teams, rules and connections into `directory`.
    pub(crate) fn read_directory(self, workspace: WorkspaceId) {
        spawn_local(async move {
            let (
                members,
                teams,
                settings,
                snippets,
                ai_agent,
                hubspot,
                salesforce,
                dialogflow,
                workflows,
            ) = futures::join!(
                api::members(workspace),
                api::teams(workspace),
                api::settings(workspace),
                api::snippets(workspace),
                api::ai_agent(workspace),
                api::hubspot_status(workspace),
                api::salesforce_status(workspace),
                api::dialogflow_status(workspace),
                api::shortcuts(workspace)
            );
            match (members, teams, settings, snippets) {
                (Ok(members), Ok(teams), Ok(settings), Ok(snippets)) => {
                    if self.workspace.get_untracked() == Some(workspace) {
                        self.directory.set(Some(Directory {
                            members,
                            teams,
                            closing_notes: settings.closing_notes,
                            snooze_push: settings.snooze_push,
                            snippets,
                            // Without it the AI Agent is simply not offered.
                            ai_agent: ai_agent.is_ok_and(|a| a.enabled),
                            crm: [
                                (
                                    CrmProvider::Hubspot,
                                    hubspot.is_ok_and(|h| h.hubspot.is_some()),
                                ),
                                (
                                    CrmProvider::Salesforce,
                                    salesforce.is_ok_and(|s| s.salesforce.is_some()),
                                ),
                            ]
                            .into_iter()
                            .filter_map(|(crm, on)| on.then_some(crm))
                            .collect(),
                            dialogflow: dialogflow.is_ok_and(|d| d.dialogflow.is_some()),
                            shortcuts: workflows.unwrap_or_default(),
                        }));
                    }
                }
                (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
                    self.error.set(Some(e))
                }
            }
        });
    }

    /// Reads the notification centre afresh, with its reader (a part, `chunks::centre_reader`:
    /// the list is painted without it).
    fn reload_centre(self, workspace: WorkspaceId) {
        self.centre_stale.set_value(false);
        spawn_local(async move {
            if let Ok(reader) = chunks::centre_reader().await {
                (reader.reload)(self, workspace);
            }
        });
    }

    /// The centre reader's: reads the centre from the server.
    pub(crate) fn read_centre(self, workspace: WorkspaceId) {
        spawn_local(async move {
            if let Ok(list) = api::notifications(workspace).await
                && self.workspace.get_untracked() == Some(workspace)
            {
                self.centre.set(Some(list));
            }
        });
    }

    /// Marks centre entries read, here at once and then at the server.
    pub fn read_entries(self, workspace: WorkspaceId, ids: Vec<NotificationId>) {
        if ids.is_empty() {
            return;
        }
        self.centre.update(|c| {
            if let Some(c) = c {
                crate::model::notifications::read_locally(c, &ids);
            }
        });
        spawn_local(async move {
            if let Ok(reader) = chunks::centre_reader().await {
                (reader.mark_read)(self, workspace, ids);
            }
        });
    }

    /// The centre reader's: tells the server entries were read, and shows its centre.
    pub(crate) fn tell_read(self, workspace: WorkspaceId, ids: Vec<NotificationId>) {
        spawn_local(async move {
            if let Ok(list) = api::read_notifications(workspace, Some(ids)).await
                && self.workspace.get_untracked() == Some(workspace)
            {
                self.centre.set(Some(list));
            }
        });
    }

    /// Opens or closes the contact panel, and remembers it.
    pub fn set_contact_open(self, open: bool) {
        self.contact_open.set(open);
        if let Some(storage) = crate::state::local_storage() {
            let _ = storage.set_item(CONTACT_PANEL_KEY, if open { "open" } else { "closed" });
        }
    }

    /// Whether the signed-in member may change the workspace's settings.
    pub fn is_manager(self) -> bool {
        matches!(self.role.get(), Some(Role::Owner | Role::Manager))
    }

    /// Reads the first page of the current view afresh.
    fn reload_list(self, workspace: WorkspaceId, me: UserId) {
        let view = self.view.get_untracked();
        self.list.update(|l| l.show(view.clone(), me));
        self.read_first_page(workspace, view);
    }

    /// Reads the first page of the current view again, keeping the rows on screen meanwhile.
    fn reread_list(self, workspace: WorkspaceId, me: UserId) {
        let view = self.view.get_untracked();
        self.list.update(|l| l.refresh(view.clone(), me));
        self.read_first_page(workspace, view);
    }

    fn read_first_page(self, workspace: WorkspaceId, view: InboxView) {
        spawn_local(async move {
            match api::conversations(workspace, &view, None).await {
                // A newer view may have been asked for meanwhile; its answer will follow.
                Ok((page, seq)) if self.list.with_untracked(|l| *l.view() == view) => {
                    self.list_seq.set_value(seq);
                    self.list
                        .update(|l| l.finish_load(page.items, page.next_cursor));
                    perf::mark_after_paint(perf::LIST_PAINTED);
                }
                Ok(_) => {}
                Err(e) => {
                    // Not loading any more: the error banner says why the list is empty.
                    self.list.update(|l| l.finish_load(Vec::new(), None));
                    self.error.set(Some(e));
                }
            }
        });
    }

    fn reload_folders(self, workspace: WorkspaceId) {
        spawn_local(async move {
            match api::folders(workspace).await {
                Ok(folders) if self.workspace.get_untracked() == Some(workspace) => {
                    self.folders.set(Some(folders))
                }
                Ok(_) => {}
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// After live changes: counts, and a custom inbox's first page when the list could not
    /// place a change itself; once the changes pause.
    fn refresh_soon(self, workspace: WorkspaceId, me: UserId) {
        if let Some(pending) = self.refresh.get_value() {
            pending.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                if self.workspace.get_untracked() != Some(workspace) {
                    return;
                }
                // Not when older pages were read: reading the first again would drop them.
                let stale = self.list.with_untracked(|l| l.stale && l.rows.len() <= 50);
                if stale {
                    self.reload_list(workspace, me);
                }
                self.reload_folders(workspace);
                if self.centre_stale.get_value() {
                    self.reload_centre(workspace);
                }
            },
            Duration::from_millis(400),
        )
        .ok();
        self.refresh.set_value(handle);
    }

    fn load_more(self, workspace: WorkspaceId) {
        let Some(cursor) = self.list.with_untracked(|l| l.next_cursor.clone()) else {
            return;
        };
        let view = self.view.get_untracked();
        spawn_local(async move {
            match api::conversations(workspace, &view, Some(&cursor)).await {
                Ok((page, _)) if self.list.with_untracked(|l| *l.view() == view) => self
                    .list
                    .update(|l| l.append_page(page.items, page.next_cursor)),
                Ok(_) => {}
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    pub(crate) fn reload_thread(self, workspace: WorkspaceId, conversation: ConversationId) {
        self.thread.update(|t| match t {
            Some(t) if t.conversation == conversation => t.begin_reload(),
            _ => {
                *t = Some(Thread::new(conversation));
                self.channels.set(Vec::new());
                self.channels_loaded.set(false);
                self.channel_choice.set(None);
            }
        });
        self.show_row(conversation);
        self.refresh_open(workspace);
        spawn_local(async move {
            match api::messages(workspace, conversation, None).await {
                Ok(page) => {
                    self.thread.update(|t| {
                        if let Some(t) = t.as_mut().filter(|t| t.conversation == conversation) {
                            t.finish_load(page.items, page.next_cursor);
                        }
                    });
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
        self.mark_read(workspace, conversation);
    }

    pub fn load_older(self, workspace: WorkspaceId, conversation: ConversationId) {
        let Some(cursor) = self
            .thread
            .with_untracked(|t| t.as_ref().and_then(|t| t.older_cursor.clone()))
        else {
            return;
        };
        spawn_local(async move {
            match api::messages(workspace, conversation, Some(&cursor)).await {
                Ok(page) => self.thread.update(|t| {
                    if let Some(t) = t.as_mut().filter(|t| t.conversation == conversation) {
                        t.prepend_older(page.items, page.next_cursor);
                    }
                }),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    fn mark_read(self, workspace: WorkspaceId, conversation: ConversationId) {
        let unread = self
            .list
            .with_untracked(|l| l.get(conversation).map(|r| r.unread_count))
            .unwrap_or(1);
        if unread == 0 {
            return;
        }
        self.list.update(|l| l.clear_unread(conversation));
        spawn_local(async move {
            if let Err(e) = api::mark_read(workspace, conversation).await {
                self.error.set(Some(e));
            }
        });
    }

    /// Tells the other agents what this one is doing in `conversation`'s composer.
    pub fn announce(self, conversation: ConversationId, announce: Announce) {
        let frame = match announce {
            Announce::Typing(kind) => ClientFrame::Typing {
                conversation_id: conversation,
                kind,
            },
            Announce::Stopped => ClientFrame::TypingStopped {
                conversation_id: conversation,
            },
        };
        // The page may be going away (then nothing is said: its socket closes anyway).
        let _ = self.live.try_with_value(|live| {
            if let Some(live) = live {
                live.say(frame);
            }
        });
    }

    fn heard_typing(self, typing: Typing) {
        self.typists
            .update(|t| t.apply(typing, js_sys::Date::now()));
        self.look_at_typing_expiry();
    }

    /// Drops typing indicators as they expire.
    fn look_at_typing_expiry(self) {
        if let Some(pending) = self.typing_expiry.get_value() {
            pending.clear();
        }
        let Some(next) = self.typists.with_untracked(Typists::next_expiry) else {
            return;
        };
        let wait = (next - js_sys::Date::now()).max(0.0) as u64 + 50;
        let handle = set_timeout_with_handle(
            move || {
                let now = js_sys::Date::now();
                // Views hear of it only when someone's indicator actually went.
                if self
                    .typists
                    .try_update_untracked(|t| t.prune(now))
                    .unwrap_or(false)
                {
                    self.typists.notify();
                }
                self.look_at_typing_expiry();
            },
            Duration::from_millis(wait),
        )
        .ok();
        self.typing_expiry.set_value(handle);
    }

    fn apply(self, workspace: WorkspaceId, me: UserId, payload: &EventPayload) {
        self.events_applied.update_value(|n| *n += 1);
        if let EventPayload::MessageCreated { message, .. } = payload
            && let Some(user) = message.sender.user_id
        {
            self.typists
                .update(|t| t.sent(message.conversation_id, user));
        }
        self.list.update(|l| l.apply(payload));
        let teams = self.directory.with_untracked(|d| {
            d.as_ref()
                .and_then(|d| d.members.iter().find(|m| m.user.id == me))
                .map(|m| m.teams.clone())
                .unwrap_or_default()
        });
        if crate::model::notifications::may_concern(payload, me, &teams) {
            self.centre_stale.set_value(true);
        }
        let selected = self.selected.get_untracked();
        if let EventPayload::MessageCreated {
            message,
            conversation,
        } = payload
            && message.direction == Direction::Incoming
            && Some(conversation.id) != selected
        {
            self.announcement.set(tr!(
                "inbox-new-message-from",
                name = conversation.contact.display_name()
            ));
        }
        match payload {
            EventPayload::ConversationHidden { conversation_id }
                if Some(*conversation_id) == selected =>
            {
                self.open.set(None)
            }
            EventPayload::WorkspaceChanged { .. } => self.load_directory(workspace),
            _ => {
                if let Some(c) = payload.conversation().filter(|c| Some(c.id) == selected) {
                    self.open.set(Some(c.clone()));
                }
            }
        }
        self.refresh_soon(workspace, me);
        self.thread.update(|t| {
            if let Some(t) = t {
                t.apply(payload);
            }
        });
        // A message arriving in the conversation on screen is read at once.
        if let EventPayload::MessageCreated { message, .. } = payload
            && Some(message.conversation_id) == self.selected.get_untracked()
            && message.direction == Direction::Incoming
            && crate::pwa::visible()
        {
            self.mark_read(workspace, message.conversation_id);
        }
    }

    /// Sends (or re-sends, with the same client id) a message or comment, retrying while the
    /// server cannot be reached.
    pub fn deliver(self, conversation: ConversationId, client_id: String, send: Outgoing) {
        let Some(workspace) = self.workspace.get_untracked() else {
            return;
        };
        let request = SendMessageRequest {
            client_id: client_id.clone(),
            kind: send.kind,
            text: send.text.clone(),
            reply_to: send.reply_to.as_ref().map(|r| r.id),
            mentions: send.mentions.clone(),
            attachments: send.attachments.iter().map(|a| a.id).collect(),
            subject: send.subject.clone(),
            channel: send.channel,
            template: send.template.clone(),
            original: send.original.clone(),
        };
        self.thread.update(|t| {
            if let Some(t) = t.as_mut().filter(|t| t.conversation == conversation) {
                t.add_pending(client_id.clone(), send, Utc::now());
            }
        });
        spawn_local(async move {
            let mut backoff = live::Backoff::new();
            let mut attempts = 0;
            loop {
                attempts += 1;
                match api::send_message(workspace, conversation, &request).await {
                    Ok(message) => {
                        self.thread.update(|t| {
                            if let Some(t) = t.as_mut().filter(|t| t.conversation == conversation) {
                                t.confirm(message);
                            }
                        });
                        return;
                    }
                    // Offline: the send waits (clock shown) and goes out when the server is back.
                    Err(e) if e.is_transient() && attempts < MAX_SEND_ATTEMPTS => {
                        backoff.wait().await
                    }
                    Err(e) => {
                        self.thread.update(|t| {
                            if let Some(t) = t.as_mut() {
                                t.fail(&client_id, e.to_string());
                            }
                        });
                        return;
                    }
                }
            }
        });
    }

    pub fn retry(self, client_id: String) {
        let Some(conversation) = self.selected.get_untracked() else {
            return;
        };
        let failed = self
            .thread
            .try_update(|t| t.as_mut().and_then(|t| t.take_failed(&client_id)))
            .flatten();
        if let Some(again) = failed {
            self.deliver(conversation, client_id, again);
            return;
        }
        // A stored message its provider refused: the server queues it again (C1).
        let undelivered = self
            .thread
            .with_untracked(|t| t.as_ref().and_then(|t| t.undelivered(&client_id)));
        let (Some(message), Some(workspace)) = (undelivered, self.workspace.get_untracked()) else {
            return;
        };
        // The message changes through its events (pending, then sent or failed again); the
        // answer may arrive after them, so it is not applied over them.
        spawn_local(async move {
            if let Err(error) = crate::api::retry_message(workspace, conversation, message).await {
                self.notify(tr!("inbox-retry-failed", error = error.to_string()));
            }
        });
    }

    /// Runs an action on a conversation that answers with the conversation as it became;
    /// confirms with `done` when given, or shows why it failed. `busy` is set meanwhile.
    pub fn run<F>(self, action: F, done: Option<&str>, busy: Option<RwSignal<bool>>)
    where
        F: std::future::Future<Output = Result<ConversationSummary, ClientError>> + 'static,
    {
        let done = done.map(str::to_owned);
        if let Some(busy) = busy {
            busy.set(true);
        }
        spawn_local(async move {
            match action.await {
                Ok(summary) => {
                    self.accept(summary);
                    if let Some(done) = done {
                        self.notify(done);
                    }
                }
                Err(e) => self.error.set(Some(e)),
            }
            if let Some(busy) = busy {
                busy.set(false);
            }
        });
    }

    /// Shows a short confirmation for a few seconds.
    pub fn notify(self, text: impl Into<String>) {
        let text = text.into();
        self.notice.set(Some(text.clone()));
        set_timeout(
            move || {
                if self.notice.get_untracked().as_deref() == Some(text.as_str()) {
                    self.notice.set(None);
                }
            },
            Duration::from_millis(2500),
        );
    }

    /// Brings a message of the open thread into view, reading older pages until it is
    /// loaded (a bounded number of them); says so when it cannot be found.
    pub fn jump_to(self, workspace: WorkspaceId, conversation: ConversationId, id: MessageId) {
        spawn_local(async move {
            for _ in 0..MAX_JUMP_PAGES {
                let (found, cursor) = self.thread.with_untracked(|t| match t {
                    Some(t) if t.conversation == conversation && t.loaded => {
                        (Some(t.has_id(id)), t.older_cursor.clone())
                    }
                    _ => (None, None),
                });
                match (found, cursor) {
                    (Some(true), _) => {
                        self.highlight.set(Some(id));
                        return;
                    }
                    (Some(false), Some(cursor)) => {
                        match api::messages(workspace, conversation, Some(&cursor)).await {
                            Ok(page) => self.thread.update(|t| {
                                if let Some(t) =
                                    t.as_mut().filter(|t| t.conversation == conversation)
                                {
                                    t.prepend_older(page.items, page.next_cursor);
                                }
                            }),
                            Err(e) => {
                                self.error.set(Some(e));
                                return;
                            }
                        }
                    }
                    (Some(false), None) => break,
                    // Still loading: look again shortly.
                    (None, _) => gloo_timers::future::TimeoutFuture::new(50).await,
                }
            }
            self.notify(tr!("inbox-message-gone"));
        });
    }
}

impl Inbox {
    /// Shows `conversation`'s row from the list until it is read (if another is shown).
    fn show_row(self, conversation: ConversationId) {
        if self.open.with_untracked(|o| o.as_ref().map(|o| o.id)) != Some(conversation) {
            self.open
                .set(self.list.with_untracked(|l| l.get(conversation).cloned()));
        }
    }

    /// Drops another conversation's thread at once, so that its messages are never drawn
    /// under this one's header while the reader's code is called.
    fn leave_other_thread(self, conversation: ConversationId) {
        if self
            .thread
            .with_untracked(|t| t.as_ref().is_some_and(|t| t.conversation != conversation))
        {
            self.thread.set(None);
        }
    }

    /// Runs `then` with the thread's reader (`chunks::thread_reader`, a part) once its code
    /// is there, if `conversation` is still the one selected.
    fn read_thread(
        self,
        conversation: ConversationId,
        then: impl FnOnce(chunks::ThreadReader) + 'static,
    ) {
        spawn_local(async move {
            match chunks::thread_reader().await {
                Ok(reader) if self.selected.get_untracked() == Some(conversation) => then(reader),
                Ok(_) => {}
                Err(_) => self.error.set(Some(ClientError::Network(String::new()))),
            }
        });
    }

    /// Fetches the socket's code (`chunks::inbox_live`) and connects; while the code cannot be
    /// fetched, the list says it is not live and the fetch is tried again.
    fn connect(self, workspace: WorkspaceId, me: UserId, session: Session) {
        spawn_local(async move {
            let mut backoff = live::Backoff::new();
            loop {
                let follow = chunks::inbox_live().await;
                if self.workspace.get_untracked() != Some(workspace) {
                    return;
                }
                match follow {
                    Ok(follow) => {
                        let since = self.list_seq.get_value();
                        self.live
                            .set_value(Some(follow(self, workspace, me, session, since)));
                        return;
                    }
                    Err(_) => {
                        self.connected.set(false);
                        backoff.wait().await;
                    }
                }
            }
        });
    }
}

/// Follows the workspace's socket (a part: `chunks::inbox_live`) from `since`, the newest
/// event when the list was read: each event updates the list, the open thread and the
/// counts; a fresh connection (no `since`, or the server could not replay) reads them again.
pub(crate) fn follow_live(
    inbox: Inbox,
    ws: WorkspaceId,
    me: UserId,
    session: Session,
    since: Option<u64>,
) -> live::LiveHandle {
    live::follow(ws, since, move |signal| match signal {
        live::LiveSignal::Ready { fresh } => {
            inbox.connected.set(true);
            if fresh {
                inbox.reread_list(ws, me);
                inbox.reload_folders(ws);
                inbox.reload_centre(ws);
                if let Some(conversation) = inbox.selected.get_untracked() {
                    inbox.reload_thread(ws, conversation);
                }
            }
        }
        live::LiveSignal::Event(event) => inbox.apply(ws, me, &event.payload),
        live::LiveSignal::Typing(typing) => inbox.heard_typing(typing),
        live::LiveSignal::Disconnected => {
            inbox.connected.set(false);
            inbox.typists.set(Typists::default());
            // The server cannot be reached now: show what was loaded before (the service
            // worker keeps the last answers), until the socket is back.
            if inbox
                .list
                .with_untracked(|l| !l.loaded && l.rows.is_empty())
            {
                inbox.reload_list(ws, me);
                inbox.reload_folders(ws);
                inbox.reload_centre(ws);
            }
        }
        live::LiveSignal::SignedOut => session.set(None),
    })
}

/// Sets `signal` only when `value` differs, so that reading the same again (when the socket
/// connects) does not draw the views that show it afresh.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    signal.maybe_update(|current| {
        let changed = *current != value;
        if changed {
            *current = value;
        }
        changed
    });
}

pub fn use_inbox() -> Inbox {
    expect_context::<Inbox>()
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    // One page for the list, a conversation and search: moving between them keeps the
    // socket, the list and the thread (the routes only name which pane is in front).
    let at = Memo::new(move |_| routes::parse_inbox(&location.pathname.get()));
    let workspace = Memo::new(move |_| at.get().map(|p| p.workspace));
    let selected = Memo::new(move |_| at.get().and_then(|p| p.conversation));
    // The router's location, not the route's own URL: `FlatRoutes` leaves that one behind
    // when the path moves within this route (`/w/1/search` → `/w/1/c/7?m=…`).
    let query = location.query;
    let view = Memo::new(move |_| {
        query.with(|q| {
            InboxView::from_query(
                ["folder", "status", "sort", "q", "unreplied"]
                    .into_iter()
                    .filter_map(|k| q.get_str(k).map(|v| (k, v))),
            )
        })
    });
    let searching = Memo::new(move |_| at.get().is_some_and(|p| p.search));
    let thread_code: chunks::Arrival<chunks::ThreadFn> = RwSignal::new(None);
    let contact_code: chunks::Arrival<chunks::ContactFn> = RwSignal::new(None);
    let shortcuts_code: chunks::Arrival<chunks::PageFn> = RwSignal::new(None);
    let linked = Memo::new(move |_| {
        query.with(|q| q.get_str("m").and_then(|m| m.parse().ok()).map(MessageId))
    });
    let inbox = Inbox {
        workspace,
        selected,
        view,
        list: RwSignal::new(InboxList::default()),
        folders: RwSignal::new(None),
        folders_open: RwSignal::new(false),
        open: RwSignal::new(None),
        directory: RwSignal::new(None),
        reply: RwSignal::new(None),
        channels: RwSignal::new(Vec::new()),
        channels_loaded: RwSignal::new(false),
        channel_choice: RwSignal::new(None),
        notice: RwSignal::new(None),
        runs_changed: RwSignal::new(0),
        highlight: RwSignal::new(None),
        dialog: RwSignal::new(None),
        refresh: StoredValue::new_local(None),
        thread: RwSignal::new(None),
        typists: RwSignal::new(Typists::default()),
        live: StoredValue::new_local(None),
        typing_expiry: StoredValue::new_local(None),
        events_applied: StoredValue::new_local(0),
        list_seq: StoredValue::new_local(None),
        connected: RwSignal::new(true),
        error: RwSignal::new(None),
        centre: RwSignal::new(None),
        centre_open: RwSignal::new(false),
        contact_open: RwSignal::new(
            crate::state::local_storage()
                .and_then(|s| s.get_item(CONTACT_PANEL_KEY).ok().flatten())
                .is_some_and(|v| v == "open"),
        ),
        thread_search: RwSignal::new(false),
        announcement: RwSignal::new(String::new()),
        centre_stale: StoredValue::new_local(false),
        role: Memo::new(move |_| {
            workspace
                .get()
                .and_then(|ws| session.workspace(ws))
                .map(|m| m.role)
        }),
    };
    provide_context(inbox);
    // The other parts' code and words come once the list is shown (at once for a
    // conversation opened by its link), so they do not hold up the list's own request.
    let parts_asked = StoredValue::new(false);
    Effect::new(move || {
        let ready = inbox.list.with(|l| l.loaded) || selected.get().is_some();
        if ready && !parts_asked.get_value() {
            parts_asked.set_value(true);
            chunks::fetch_into(thread_code, chunks::thread_view());
            chunks::fetch_into(contact_code, chunks::contact_panel());
            chunks::fetch_into(shortcuts_code, chunks::keyboard_shortcuts());
            chunks::prefetch(chunks::thread_reader());
            chunks::prefetch(chunks::notification_centre());
            chunks::prefetch(chunks::new_contact_dialog());
            chunks::prefetch(chunks::palette());
        }
    });

    // Signed out (or never signed in): log in, then come back here.
    Effect::new(move |_| {
        if session.checked() && session.signed_in().is_none() {
            // Untracked: the navigation below changes the location, which must not re-run this.
            let search = location.search.get_untracked();
            let here = match search.trim_start_matches('?') {
                "" => location.pathname.get_untracked(),
                query => format!("{}?{query}", location.pathname.get_untracked()),
            };
            navigate(
                &routes::login_then(&here),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let membership = Memo::new(move |_| workspace.get().and_then(|ws| session.workspace(ws)));
    let me = Memo::new(move |_| session.signed_in().map(|me| me.user.id));

    // Another workspace starts with its own folders.
    Effect::new(move |previous: Option<Option<WorkspaceId>>| {
        let ws = membership.get().map(|m| m.id);
        if previous.is_some_and(|p| p != ws) {
            inbox.folders.set(None);
            inbox.directory.set(None);
            inbox.centre.set(None);
        }
        ws
    });
    // Its directory (only the conversation's actions use it) and its notification centre
    // once the list is shown, like the other parts.
    Effect::new(move |read_for: Option<Option<WorkspaceId>>| {
        let ws = membership.get().map(|m| m.id);
        let shown = inbox.list.with(|l| l.loaded) || selected.get().is_some();
        let read_for = read_for.flatten();
        match ws {
            Some(ws) if shown && read_for != Some(ws) => {
                inbox.load_directory(ws);
                inbox.reload_centre(ws);
                Some(ws)
            }
            _ => read_for,
        }
    });
    // Another view of the same workspace reads its list (the effect below reads the first).
    Effect::new(move |previous: Option<InboxView>| {
        let current = view.get();
        if previous.is_some_and(|p| p != current)
            && let (Some(ws), Some(me)) =
                (membership.get_untracked().map(|m| m.id), me.get_untracked())
        {
            inbox.reload_list(ws, me);
        }
        current
    });

    // The list and folders are read at once. The socket's code is a part, asked for once the
    // list is read; it follows from the list's answer (`events::SEQ_HEADER`), so the changes
    // made meanwhile are replayed. One socket per workspace; replacing the handle closes the
    // previous one.
    Effect::new(move |_| {
        inbox.typists.set(Typists::default());
        inbox.live.set_value(None);
        if let (Some(ws), Some(me)) = (membership.get().map(|m| m.id), me.get()) {
            inbox.reload_list(ws, me);
            inbox.reload_folders(ws);
        }
    });
    Effect::new(move |followed: Option<Option<(WorkspaceId, UserId)>>| {
        let who = membership.get().map(|m| m.id).zip(me.get());
        // Once the list is read, so that the socket follows from where the list was read.
        let shown = inbox.list.with(|l| l.loaded);
        let followed = followed.flatten();
        match who {
            Some((ws, me)) if shown && followed != who => {
                inbox.connect(ws, me, session);
                who
            }
            Some(_) => followed,
            None => None,
        }
    });

    // Opening a conversation loads its thread and clears its unread badge.
    Effect::new(
        move |_| match (membership.get().map(|m| m.id), selected.get()) {
            (Some(ws), Some(conversation)) => {
                inbox.reply.set(None);
                inbox.dialog.set(None);
                inbox.thread_search.set(false);
                // Its row is known at once (the actions and shortcuts use it); its messages
                // come with the reader's code.
                inbox.show_row(conversation);
                inbox.leave_other_thread(conversation);
                inbox.read_thread(conversation, move |read| {
                    (read.reload)(inbox, ws, conversation)
                });
            }
            _ => {
                inbox.reply.set(None);
                inbox.thread.set(None);
                inbox.open.set(None);
            }
        },
    );

    // Entries about the conversation on screen are read (also those arriving while it is).
    Effect::new(move |_| {
        let (Some(ws), Some(conversation)) = (membership.get().map(|m| m.id), selected.get())
        else {
            return;
        };
        let unread = inbox.centre.with(|c| {
            c.as_ref()
                .map(|c| crate::model::notifications::unread_about(c, conversation))
                .unwrap_or_default()
        });
        if !unread.is_empty() && crate::pwa::visible() {
            inbox.read_entries(ws, unread);
        }
    });

    // A message link (C5): once its thread is open, bring the message into view.
    Effect::new(move |_| {
        if let (Some(ws), Some(conversation), Some(id)) =
            (membership.get().map(|m| m.id), selected.get(), linked.get())
        {
            inbox.read_thread(conversation, move |read| {
                (read.jump_to)(inbox, ws, conversation, id)
            });
        }
    });

    // The panel is made again only for another contact, not when the row changes.
    let open_contact = Memo::new(move |_| inbox.open.with(|o| o.as_ref().map(|c| c.contact.id)));

    view! {
        // The keys work once their part has arrived; should it not, the app works without.
        {move || shortcuts_code.get().and_then(Result::ok).map(|draw| draw())}
        <p class="visually-hidden" role="status" aria-live="polite">{move || inbox.announcement.get()}</p>
        <Show when=move || inbox.notice.get().is_some()>
            <p class="toast" role="status">{move || inbox.notice.get()}</p>
        </Show>
        <Show
            when=move || membership.get().is_some()
            fallback=move || {
                view! {
                    <main class="centered-page">
                        {move || {
                            if session.signed_in().is_some() {
                                view! {
                                    <h1>{tr!("inbox-workspace-not-found")}</h1>
                                    <p><a href="/">{tr!("inbox-go-home")}</a></p>
                                }
                                    .into_any()
                            } else {
                                view! { <p class="muted">{tr!("inbox-loading")}</p> }.into_any()
                            }
                        }}
                    </main>
                }
            }
        >
            <div
                class="inbox"
                class:has-selection=move || selected.get().is_some()
                class:folders-open=move || inbox.folders_open.get()
                class:contact-open=move || inbox.contact_open.get() && selected.get().is_some()
            >
                <Sidebar/>
                <div class="sidebar-scrim" aria-hidden="true" on:click=move |_| inbox.folders_open.set(false)></div>
                {move || if searching.get() {
                    chunks::page(chunks::search_pane).into_any()
                } else {
                    view! { <ConversationList/> }.into_any()
                }}
                <section class="thread-pane" aria-label=tr!("inbox-thread-pane")>
                    {move || match (workspace.get(), selected.get()) {
                        (Some(ws), Some(id)) => match thread_code.get() {
                            Some(Ok(draw)) => draw(ws, id),
                            Some(Err(_)) => chunks::unavailable(move || {
                                chunks::fetch_into(thread_code, chunks::thread_view())
                            })
                            .into_any(),
                            None => view! { <p class="muted pane-loading" role="status">{tr!("inbox-loading")}</p> }.into_any(),
                        },
                        _ => view! {
                            <div class="empty-thread">
                                <Icon name="chat"/>
                                <p>{tr!("inbox-pick-conversation")}</p>
                            </div>
                        }
                            .into_any(),
                    }}
                </section>
                {move || {
                    let ws = workspace.get()?;
                    selected.get()?;
                    if !inbox.contact_open.get() {
                        return None;
                    }
                    let contact = open_contact.get()?;
                    Some(match contact_code.get()? {
                        Ok(draw) => draw(ws, contact),
                        Err(_) => chunks::unavailable(move || {
                            chunks::fetch_into(contact_code, chunks::contact_panel())
                        })
                        .into_any(),
                    })
                }}
            </div>
        </Show>
    }
}

//! The state every handler shares.

use crate::config::Config;
use crate::realtime::Hub;
use object_store::ObjectStore;
use std::collections::HashMap;
use std::sync::Arc;
use switchboard_protocol::ConversationId;
use switchboard_protocol::events::Event;
use switchboard_storage::Store;

/// Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Arc<dyn Store>,
    /// Attachments' bytes (K3), under `<data_dir>/attachments`.
    pub files: Arc<dyn ObjectStore>,
    pub hub: Arc<Hub>,
    /// Wakes the snooze scheduler when a conversation is snoozed here.
    pub snoozes: Arc<tokio::sync::Notify>,
    /// Wakes the workflow worker when a run is started here.
    pub workflows: Arc<tokio::sync::Notify>,
    /// Wakes the outbox worker when a message is queued here.
    pub outbox: Arc<tokio::sync::Notify>,
    /// The HTTP client for providers' APIs (one connection pool).
    pub http: reqwest::Client,
    /// The HTTP client for e-mails' remote images (public addresses only, no cookies).
    pub remote_images: reqwest::Client,
    /// What mail servers' certificates are checked against (`email_ca_file`).
    pub mail_trust: crate::channels::email::MailTrust,
    /// When this process last showed each conversation's contact an agent typing.
    pub provider_typing: Arc<std::sync::Mutex<HashMap<ConversationId, std::time::Instant>>>,
    /// Wakes the push worker when something was committed here (O2).
    pub pushes: Arc<tokio::sync::Notify>,
    /// The HTTP client for push services: public addresses only, unless configured.
    pub push_client: reqwest::Client,
    /// The VAPID key pair, read (or made) once.
    pub vapid: Arc<tokio::sync::OnceCell<crate::push::Vapid>>,
    /// The HTTP client for workspaces' AI providers: public addresses only, unless
    /// configured.
    pub ai_client: reqwest::Client,
    /// The AI Agent's answers being written here, for Takeover to stop (A5).
    pub ai_agent: crate::ai::agent::Running,
    /// Contacts' CRM records read recently (P5).
    pub crm_cache: crate::crm::Cache,
    /// Google access tokens of workspaces' Dialogflow agents.
    pub dialogflow_tokens: crate::dialogflow::client::Tokens,
    /// Workflow trigger occurrences this replica already acted on.
    pub workflow_triggers: crate::workflows::triggers::Seen,
}

impl AppState {
    pub fn new(config: Config, store: Arc<dyn Store>, files: Arc<dyn ObjectStore>) -> AppState {
        let remote_images =
            crate::remote_images::client(config.email_images_from_private_addresses);
        let push_client = crate::remote_images::client(config.push_to_private_addresses);
        let ai_client = crate::remote_images::builder(config.ai_on_private_addresses)
            .connect_timeout(std::time::Duration::from_millis(config.ai_timeout_ms))
            .build()
            .unwrap_or_default();
        AppState {
            remote_images,
            mail_trust: Default::default(),
            config: Arc::new(config),
            store,
            files,
            hub: Arc::new(Hub::default()),
            snoozes: Arc::new(tokio::sync::Notify::new()),
            workflows: Arc::new(tokio::sync::Notify::new()),
            outbox: Arc::new(tokio::sync::Notify::new()),
            http: reqwest::Client::builder()
                .user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
                .build()
                .unwrap_or_default(),
            provider_typing: Arc::default(),
            pushes: Arc::new(tokio::sync::Notify::new()),
            push_client,
            vapid: Arc::default(),
            ai_client,
            ai_agent: Default::default(),
            crm_cache: Default::default(),
            dialogflow_tokens: Default::default(),
            workflow_triggers: Default::default(),
        }
    }

    /// Publishes the event of a change and gives back what changed.
    pub fn published<T>(&self, (value, event): (T, Event)) -> T {
        self.publish(Some(event));
        value
    }

    /// Hands a committed event to every connected client of its workspace, and wakes the
    /// push worker (what was committed may have written notifications).
    pub fn publish(&self, event: Option<Event>) {
        if let Some(event) = event {
            crate::ai::agent::observe(self, &event);
            crate::dialogflow::bot::observe(self, &event);
            crate::workflows::triggers::observe(self, &event);
            self.hub.publish(event);
            self.pushes.notify_one();
        }
    }
}

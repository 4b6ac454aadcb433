//! Switchboard's server: the REST API under `/api/v1`, the agent and visitor WebSockets, the
//! website-chat channel, and the built single-page app with its SPA fallback.
//!
//! Only this crate knows HTTP. Handlers are thin: extract, check access, call the
//! [`switchboard_storage::Store`], publish the resulting event, map errors to [`ApiError`].

pub mod config;
pub mod demo;
pub mod error;
pub mod state;

mod access;
mod ai;
mod attachments;
mod auth;
mod automations;
mod channels;
mod contacts;
mod conversations;
mod crm;
mod dialogflow;
mod due_work;
mod extract;
mod inbox;
mod invitations;
mod notifications;
mod openapi;
mod push;
mod push_texts;
mod realtime;
mod remote_images;
mod scheduler;
mod search;
mod snippets;
mod spa;
mod tokens;
mod typing;
mod website_chat;
mod workflows;
mod workspace;

/// E-mail as the server reads it (MIME in, the one message model out), for tools and tests
/// that hold raw mail.
pub use channels::email::{Parsed as ParsedEmail, parse as parse_email};

pub use auth::hash_password;
pub use config::Config;
pub use error::ApiError;
pub use state::AppState;

use axum::{Extension, Router};
use std::net::SocketAddr;
use std::sync::Arc;
use switchboard_storage::Store;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

/// Every `/api/v1` route (without the prefix), each with its OpenAPI operation: the router
/// modules register handlers only through `utoipa_axum::routes!`, so the document cannot
/// miss a route.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::router())
        .merge(conversations::router())
        .merge(attachments::router())
        .merge(contacts::router())
        .merge(inbox::router())
        .merge(search::router())
        .merge(workspace::router())
        .merge(invitations::router())
        .merge(snippets::router())
        .merge(ai::router())
        .merge(crm::router())
        .merge(dialogflow::router())
        .merge(workflows::router())
        .merge(realtime::router())
        .merge(notifications::router())
        .merge(push::router())
        .merge(website_chat::router())
        .merge(channels::settings::router())
        .merge(channels::telegram::router())
        .merge(channels::whatsapp::router())
        .merge(channels::tiktok::router())
        .merge(remote_images::router())
        .merge(openapi::router())
}

/// The OpenAPI document served at `GET /api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    openapi::document(api().into_openapi())
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let (api, operations) = api().split_for_parts();
    let document = Arc::new(openapi::document(operations));
    let api = api
        .layer(Extension(document))
        .fallback(access::api_fallback)
        .method_not_allowed_fallback(access::api_method_not_allowed);
    Router::new()
        .nest(openapi::PREFIX, api)
        .merge(spa::router(&state.config.dist_dir))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                // The path only: query strings may carry visitor tokens.
                tracing::info_span!("http", method = %request.method(), path = %request.uri().path())
            }),
        )
        .with_state(state)
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Store(#[from] switchboard_storage::StoreError),
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read the mail servers' certificates (email_ca_file): {0}")]
    MailTrust(String),
    #[error("cannot open where attachments are kept: {0}")]
    Files(std::io::Error),
}

/// A running server; dropping it does not stop it, [`Running::stop`] does.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// `http://ADDR`, or the configured public URL.
    pub fn url(&self) -> String {
        self.state.config.public_url(self.addr)
    }

    /// Stops accepting requests and waits for the server to finish.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.shutdown.send(());
        self.state.hub.close_all();
        match self.task.await {
            Ok(result) => result,
            Err(join) => Err(std::io::Error::other(join)),
        }
    }
}

/// Opens the configured store, seeds the demo workspace when configured and the database
/// is empty, binds, and serves in the background.
pub async fn start(config: Config) -> Result<Running, StartError> {
    let store: Arc<dyn Store> = match config.database()? {
        config::Database::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| StartError::DataDir {
                    path: dir.to_owned(),
                    source,
                })?;
            }
            Arc::new(switchboard_storage_sqlite::SqliteBackend::open(&path).await?)
        }
        config::Database::Postgres(url) => {
            Arc::new(switchboard_storage_postgres::PgBackend::open(&url).await?)
        }
    };
    start_with_store(config, store).await
}

/// [`start`] with a store of the caller's choosing.
pub async fn start_with_store(
    config: Config,
    store: Arc<dyn Store>,
) -> Result<Running, StartError> {
    // rustls's process-wide provider, for the clients that use the default one (S3's).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mail_trust = match &config.email_ca_file {
        Some(path) => channels::email::MailTrust::load(path).map_err(StartError::MailTrust)?,
        None => channels::email::MailTrust::default(),
    };
    if config.demo {
        demo::seed_if_empty(store.as_ref()).await?;
    }
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.bind,
        source,
    })?;
    let files_dir = config.data_dir.join("attachments");
    let files =
        attachments::open_files(config.files_s3.as_ref(), &files_dir).map_err(StartError::Files)?;
    // Addresses the server gives out (webhook URLs) name the port it really listens on.
    let mut config = config;
    config.bind = addr;
    let mut state = AppState::new(config, store, files);
    state.mail_trust = mail_trust;
    let relay = realtime::relay_foreign_events(&state).await?;
    let signals = typing::relay_foreign_signals(&state).await?;
    let scheduler = scheduler::spawn(state.clone());
    // Made on the first start and kept: subscriptions are made with its public half.
    push::vapid(&state).await?;
    let pushes = push::spawn(state.clone());
    let outbox = channels::outbox::spawn(state.clone());
    let workflows = workflows::engine::spawn(state.clone());
    let mail = tokio::spawn(channels::email::run_readers(
        state.clone(),
        std::time::Duration::from_millis(state.config.email_poll_ms.max(50)),
    ));
    let app = router(state.clone());
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
        for relay in [relay, signals].into_iter().flatten() {
            relay.abort();
        }
        scheduler.abort();
        outbox.abort();
        workflows.abort();
        pushes.abort();
        mail.abort();
        served
    });
    Ok(Running {
        addr,
        state,
        shutdown,
        task,
    })
}

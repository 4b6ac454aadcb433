//! Server configuration: defaults < TOML file < `SWITCHBOARD_*` environment < command line.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Everything the server reads at start.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where to listen.
    pub bind: SocketAddr,
    /// The URL users reach the server at, when it differs from `http://BIND` (a proxy).
    pub public_url: Option<String>,
    /// `sqlite:PATH` or `postgres://…`; by default SQLite in `data_dir`. Several servers
    /// sharing one PostgreSQL act as one system.
    pub database_url: Option<String>,
    /// Holds the SQLite database (when no other database is configured) and, in
    /// `attachments/`, the bytes of uploaded files (replicas sharing a database must share
    /// it too).
    pub data_dir: PathBuf,
    /// The built app (Trunk's output).
    pub dist_dir: PathBuf,
    /// Seed the demo workspace into an empty database.
    pub demo: bool,
    /// How long a login lasts.
    pub session_days: u32,
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// The Telegram Bot API's base URL (a test server or a local Bot API server instead).
    pub telegram_api_url: String,
    /// The Graph API's base URL with its version, for WhatsApp.
    pub whatsapp_api_url: String,
    /// HubSpot's API base URL (P5).
    pub hubspot_api_url: String,
    /// Salesforce's login URL for production orgs (P6): OAuth tokens come from here.
    pub salesforce_login_url: String,
    /// Salesforce's login URL for sandboxes.
    pub salesforce_sandbox_login_url: String,
    /// Google's OAuth 2.0 token endpoint, where a service account's signed JWT becomes an
    /// access token (Dialogflow, A6).
    pub google_token_url: String,
    /// Dialogflow ES's API base URL with its version.
    pub dialogflow_api_url: String,
    /// TikTok API for Business's base URL with its version, for TikTok Business Messaging.
    pub tiktok_api_url: String,
    /// How old (or how far ahead) the time in a TikTok webhook's signature may be before the
    /// call is refused as a replay.
    pub tiktok_signature_tolerance_secs: u64,
    /// How long a delivery attempt may take before another worker (or this one after a
    /// restart) sends the message again: longer than the slowest attempt (uploads of files
    /// may take minutes), or two replicas could both send it.
    pub outbox_lease_secs: u64,
    /// The first retry's delay after a transient failure; each further one doubles it.
    pub outbox_retry_base_ms: u64,
    /// How often connected mailboxes are read for new mail (IMAP) where the server offers
    /// no IDLE.
    pub email_poll_ms: u64,
    /// The largest e-mail read whole; a larger one arrives as its headers with a note to read
    /// it in the mailbox (25 MB, what the big providers accept).
    pub email_max_bytes: u64,
    /// Whether an e-mail's remote images may be fetched from private and local addresses
    /// (an intranet's mail, or tests). Off by default: the addresses are the sender's to
    /// choose, and must not reach this server's own network.
    pub email_images_from_private_addresses: bool,
    /// Whether push subscriptions may name push services on private and local addresses,
    /// over plain http too (tests, or a push service inside the company). Off by default:
    /// the address is the browser's to name, and must not reach this server's own network.
    pub push_to_private_addresses: bool,
    /// Who push services can write to about this server's pushes (VAPID's `sub`: a
    /// `mailto:` or `https:` address); by default the public URL when it is https.
    pub push_contact: Option<String>,
    /// PEM certificates trusted for mail servers' TLS besides the web's roots: the authority
    /// of a company's internal IMAP and SMTP servers.
    pub email_ca_file: Option<PathBuf>,
    /// Where attachments' bytes are kept (K3): local files under `<data_dir>/attachments`
    /// when `None`, else this S3-compatible bucket.
    pub files_s3: Option<S3Files>,
    /// Whether a workspace's AI provider may be on a private or local address (a
    /// self-hosted model in the company's network, or tests). Off by default: the address is
    /// a manager's to name, and must not reach this server's own network otherwise.
    pub ai_on_private_addresses: bool,
    /// The private or local hosts (`host` or `host:port`) workflows' HTTP request steps may
    /// call besides public addresses (an intranet's own services). None by default.
    pub workflow_http_private_hosts: Vec<String>,
    /// How long the AI provider may take to start answering, and between two parts of an
    /// answer, before the agent is told it did not answer.
    pub ai_timeout_ms: u64,
}

/// An S3-compatible bucket for attachments (Amazon S3, MinIO, Ceph, …).
#[derive(Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct S3Files {
    pub bucket: String,
    /// The service's address (`https://s3.example.com`); `None` for Amazon S3 itself.
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default = "S3Files::default_region")]
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl S3Files {
    fn default_region() -> String {
        "us-east-1".into()
    }
}

impl std::fmt::Debug for S3Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Files")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            database_url: None,
            data_dir: PathBuf::from("data"),
            dist_dir: PathBuf::from("dist"),
            demo: true,
            session_days: 30,
            secure_cookies: false,
            telegram_api_url: "https://api.telegram.org".into(),
            whatsapp_api_url: "https://graph.facebook.com/v21.0".into(),
            hubspot_api_url: "https://api.hubapi.com".into(),
            salesforce_login_url: "https://login.salesforce.com".into(),
            salesforce_sandbox_login_url: "https://test.salesforce.com".into(),
            google_token_url: "https://oauth2.googleapis.com/token".into(),
            dialogflow_api_url: "https://dialogflow.googleapis.com/v2".into(),
            tiktok_api_url: "https://business-api.tiktok.com/open_api/v1.3".into(),
            tiktok_signature_tolerance_secs: 300,
            outbox_lease_secs: 300,
            outbox_retry_base_ms: 1000,
            email_poll_ms: 30_000,
            email_max_bytes: 25 * 1024 * 1024,
            email_images_from_private_addresses: false,
            push_to_private_addresses: false,
            push_contact: None,
            email_ca_file: None,
            files_s3: None,
            ai_on_private_addresses: false,
            workflow_http_private_hosts: Vec::new(),
            ai_timeout_ms: 60_000,
        }
    }
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration file {path}: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("invalid value for {name}: {value:?}")]
    Env { name: String, value: String },
}

impl Config {
    /// Defaults, then the TOML file (if any), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| ConfigError::Parse {
                    path: path.to_owned(),
                    source: Box::new(source),
                })?
            }
            None => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    /// Applies `SWITCHBOARD_*` variables from `get`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &str, value: String) -> Result<T, ConfigError> {
            value.parse().map_err(|_| ConfigError::Env {
                name: name.to_owned(),
                value,
            })
        }
        if let Some(v) = get("SWITCHBOARD_BIND") {
            self.bind = parse("SWITCHBOARD_BIND", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_PUBLIC_URL") {
            self.public_url = Some(v);
        }
        if let Some(v) = get("SWITCHBOARD_DATABASE_URL") {
            self.database_url = Some(v);
        }
        if let Some(v) = get("SWITCHBOARD_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = get("SWITCHBOARD_DIST_DIR") {
            self.dist_dir = PathBuf::from(v);
        }
        if let Some(v) = get("SWITCHBOARD_DEMO") {
            self.demo = parse("SWITCHBOARD_DEMO", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_SESSION_DAYS") {
            self.session_days = parse("SWITCHBOARD_SESSION_DAYS", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_SECURE_COOKIES") {
            self.secure_cookies = parse("SWITCHBOARD_SECURE_COOKIES", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_TELEGRAM_API_URL") {
            self.telegram_api_url = v;
        }
        if let Some(v) = get("SWITCHBOARD_WHATSAPP_API_URL") {
            self.whatsapp_api_url = v;
        }
        if let Some(v) = get("SWITCHBOARD_HUBSPOT_API_URL") {
            self.hubspot_api_url = v;
        }
        if let Some(v) = get("SWITCHBOARD_SALESFORCE_LOGIN_URL") {
            self.salesforce_login_url = v;
        }
        if let Some(v) = get("SWITCHBOARD_SALESFORCE_SANDBOX_LOGIN_URL") {
            self.salesforce_sandbox_login_url = v;
        }
        if let Some(v) = get("SWITCHBOARD_GOOGLE_TOKEN_URL") {
            self.google_token_url = v;
        }
        if let Some(v) = get("SWITCHBOARD_DIALOGFLOW_API_URL") {
            self.dialogflow_api_url = v;
        }
        if let Some(v) = get("SWITCHBOARD_TIKTOK_API_URL") {
            self.tiktok_api_url = v;
        }
        if let Some(v) = get("SWITCHBOARD_TIKTOK_SIGNATURE_TOLERANCE_SECS") {
            self.tiktok_signature_tolerance_secs =
                parse("SWITCHBOARD_TIKTOK_SIGNATURE_TOLERANCE_SECS", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_OUTBOX_LEASE_SECS") {
            self.outbox_lease_secs = parse("SWITCHBOARD_OUTBOX_LEASE_SECS", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_OUTBOX_RETRY_BASE_MS") {
            self.outbox_retry_base_ms = parse("SWITCHBOARD_OUTBOX_RETRY_BASE_MS", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_EMAIL_POLL_MS") {
            self.email_poll_ms = parse("SWITCHBOARD_EMAIL_POLL_MS", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_EMAIL_MAX_BYTES") {
            self.email_max_bytes = parse("SWITCHBOARD_EMAIL_MAX_BYTES", v)?;
        }
        // An S3 bucket takes all four of bucket, keys (and optionally endpoint, region).
        if let Some(bucket) = get("SWITCHBOARD_S3_BUCKET") {
            let key = |name: &str| {
                get(name).ok_or_else(|| ConfigError::Env {
                    name: name.to_owned(),
                    value: String::new(),
                })
            };
            self.files_s3 = Some(S3Files {
                bucket,
                endpoint: get("SWITCHBOARD_S3_ENDPOINT"),
                region: get("SWITCHBOARD_S3_REGION").unwrap_or_else(S3Files::default_region),
                access_key_id: key("SWITCHBOARD_S3_ACCESS_KEY_ID")?,
                secret_access_key: key("SWITCHBOARD_S3_SECRET_ACCESS_KEY")?,
            });
        }
        if let Some(v) = get("SWITCHBOARD_EMAIL_CA_FILE") {
            self.email_ca_file = Some(PathBuf::from(v));
        }
        if let Some(v) = get("SWITCHBOARD_PUSH_TO_PRIVATE_ADDRESSES") {
            self.push_to_private_addresses = parse("SWITCHBOARD_PUSH_TO_PRIVATE_ADDRESSES", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_WORKFLOW_HTTP_PRIVATE_HOSTS") {
            self.workflow_http_private_hosts = v
                .split(',')
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect();
        }
        if let Some(v) = get("SWITCHBOARD_AI_ON_PRIVATE_ADDRESSES") {
            self.ai_on_private_addresses = parse("SWITCHBOARD_AI_ON_PRIVATE_ADDRESSES", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_AI_TIMEOUT_MS") {
            self.ai_timeout_ms = parse("SWITCHBOARD_AI_TIMEOUT_MS", v)?;
        }
        if let Some(v) = get("SWITCHBOARD_PUSH_CONTACT") {
            self.push_contact = Some(v);
        }
        if let Some(v) = get("SWITCHBOARD_EMAIL_IMAGES_FROM_PRIVATE_ADDRESSES") {
            self.email_images_from_private_addresses =
                parse("SWITCHBOARD_EMAIL_IMAGES_FROM_PRIVATE_ADDRESSES", v)?;
        }
        Ok(())
    }

    /// VAPID's `sub`: the configured contact, else the public URL when it is https, else a
    /// placeholder push services accept.
    pub fn push_contact(&self) -> String {
        match (&self.push_contact, &self.public_url) {
            (Some(contact), _) => contact.clone(),
            (None, Some(url)) if url.starts_with("https://") => url.clone(),
            _ => "mailto:push@switchboard.invalid".to_owned(),
        }
    }

    /// Where the data lives.
    pub fn database(&self) -> Result<Database, ConfigError> {
        let Some(url) = self.database_url.as_deref() else {
            return Ok(Database::Sqlite(self.data_dir.join("switchboard.db")));
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(url.to_owned()))
        } else if let Some(path) = url.strip_prefix("sqlite:") {
            Ok(Database::Sqlite(PathBuf::from(
                path.trim_start_matches("//"),
            )))
        } else {
            Err(ConfigError::Env {
                name: "database_url".into(),
                value: redact_url(url),
            })
        }
    }

    /// The base URL to print and to put in links.
    pub fn public_url(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }
}

/// The configured database.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "Sqlite({})", path.display()),
            Database::Postgres(url) => write!(f, "Postgres({})", redact_url(url)),
        }
    }
}

/// A database URL without its password.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or("");
            if credentials.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_owned(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("data_dir", &self.data_dir)
            .field("dist_dir", &self.dist_dir)
            .field("demo", &self.demo)
            .field("session_days", &self.session_days)
            .field("secure_cookies", &self.secure_cookies)
            .field("telegram_api_url", &self.telegram_api_url)
            .field("whatsapp_api_url", &self.whatsapp_api_url)
            .field("hubspot_api_url", &self.hubspot_api_url)
            .field("salesforce_login_url", &self.salesforce_login_url)
            .field(
                "salesforce_sandbox_login_url",
                &self.salesforce_sandbox_login_url,
            )
            .field("google_token_url", &self.google_token_url)
            .field("dialogflow_api_url", &self.dialogflow_api_url)
            .field("tiktok_api_url", &self.tiktok_api_url)
            .field(
                "tiktok_signature_tolerance_secs",
                &self.tiktok_signature_tolerance_secs,
            )
            .field("outbox_lease_secs", &self.outbox_lease_secs)
            .field("outbox_retry_base_ms", &self.outbox_retry_base_ms)
            .field("email_poll_ms", &self.email_poll_ms)
            .field("email_max_bytes", &self.email_max_bytes)
            .field(
                "email_images_from_private_addresses",
                &self.email_images_from_private_addresses,
            )
            .field("push_to_private_addresses", &self.push_to_private_addresses)
            .field("push_contact", &self.push_contact)
            .field("ai_on_private_addresses", &self.ai_on_private_addresses)
            .field(
                "workflow_http_private_hosts",
                &self.workflow_http_private_hosts,
            )
            .field("ai_timeout_ms", &self.ai_timeout_ms)
            .field("email_ca_file", &self.email_ca_file)
            .field("files_s3", &self.files_s3)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file_and_bad_values_are_named() {
        let mut config: Config = toml::from_str("data_dir = \"/srv/sb\"\ndemo = false").unwrap();
        assert_eq!(config.data_dir, PathBuf::from("/srv/sb"));
        assert!(!config.demo);
        assert_eq!(config.bind, Config::default().bind);
        config
            .apply_env(|name| (name == "SWITCHBOARD_BIND").then(|| "0.0.0.0:9000".to_owned()))
            .unwrap();
        assert_eq!(config.bind.port(), 9000);
        let err = config
            .apply_env(|name| (name == "SWITCHBOARD_DEMO").then(|| "maybe".to_owned()))
            .unwrap_err();
        assert!(err.to_string().contains("SWITCHBOARD_DEMO"), "{err}");
    }

    #[test]
    fn the_database_follows_the_url_and_passwords_stay_out_of_debug() {
        let mut config = Config {
            data_dir: PathBuf::from("/srv/sb"),
            ..Config::default()
        };
        assert_eq!(
            config.database().unwrap(),
            Database::Sqlite("/srv/sb/switchboard.db".into())
        );
        config.database_url = Some("sqlite:///var/lib/sb.db".into());
        assert_eq!(
            config.database().unwrap(),
            Database::Sqlite("/var/lib/sb.db".into())
        );
        config.database_url = Some("postgres://inbox:s3cret@db:5432/inbox".into());
        assert!(matches!(config.database().unwrap(), Database::Postgres(_)));
        let shown = format!("{config:?} {:?}", config.database().unwrap());
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.contains("postgres://inbox:***@db:5432/inbox"),
            "{shown}"
        );
        config.database_url = Some("mysql://x".into());
        assert!(config.database().is_err());
    }

    #[test]
    fn an_s3_bucket_needs_its_keys_and_its_secret_stays_out_of_debug() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let mut config = Config::default();
        let missing = config
            .apply_env(env(&[("SWITCHBOARD_S3_BUCKET", "files")]))
            .unwrap_err();
        assert!(
            missing.to_string().contains("SWITCHBOARD_S3_ACCESS_KEY_ID"),
            "{missing}"
        );
        config
            .apply_env(env(&[
                ("SWITCHBOARD_S3_BUCKET", "files"),
                ("SWITCHBOARD_S3_ENDPOINT", "http://127.0.0.1:9000"),
                ("SWITCHBOARD_S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
                ("SWITCHBOARD_S3_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-secret"),
            ]))
            .unwrap();
        let s3 = config.files_s3.clone().unwrap();
        assert_eq!(
            (s3.bucket.as_str(), s3.region.as_str()),
            ("files", "us-east-1")
        );
        assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        let shown = format!("{config:?}");
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(shown.contains("AKIAEXAMPLE"), "{shown}");
    }

    #[test]
    fn tiktok_settings_have_defaults_and_follow_the_environment() {
        let mut config = Config::default();
        assert_eq!(
            config.tiktok_api_url,
            "https://business-api.tiktok.com/open_api/v1.3"
        );
        assert_eq!(config.tiktok_signature_tolerance_secs, 300);
        config
            .apply_env(|name| match name {
                "SWITCHBOARD_TIKTOK_API_URL" => Some("http://127.0.0.1:9/v1.3".to_owned()),
                "SWITCHBOARD_TIKTOK_SIGNATURE_TOLERANCE_SECS" => Some("60".to_owned()),
                _ => None,
            })
            .unwrap();
        assert_eq!(config.tiktok_api_url, "http://127.0.0.1:9/v1.3");
        assert_eq!(config.tiktok_signature_tolerance_secs, 60);
        let err = config
            .apply_env(|name| {
                (name == "SWITCHBOARD_TIKTOK_SIGNATURE_TOLERANCE_SECS").then(|| "soon".to_owned())
            })
            .unwrap_err();
        assert!(err.to_string().contains("TOLERANCE"), "{err}");
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        assert!(toml::from_str::<Config>("dmeo = true").is_err());
    }

    #[test]
    fn public_url_defaults_to_the_bound_address() {
        let config = Config::default();
        let addr = SocketAddr::from(([127, 0, 0, 1], 8080));
        assert_eq!(config.public_url(addr), "http://127.0.0.1:8080");
        let proxied = Config {
            public_url: Some("https://inbox.example.com/".into()),
            ..Config::default()
        };
        assert_eq!(proxied.public_url(addr), "https://inbox.example.com");
    }
}

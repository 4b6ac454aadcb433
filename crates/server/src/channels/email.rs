//! E-mail (CH, C9): a mailbox whose inbox is read over IMAP and whose answers go out over
//! SMTP with the same login.
//!
//! [`parse`] turns one raw message (MIME, any charset, however malformed) into the one
//! message model: the sender's address finds the contact, the subject and text are kept,
//! the HTML part is sanitized here ([`sanitize_html`]: no scripts, event handlers,
//! `javascript:` links, styles or remote images) and files become attachments. Threading
//! needs no lookup: a contact has one conversation per channel, and the answer's headers
//! come from the messages already in it ([`Mailbox::send`]: "Re: " the last subject,
//! `In-Reply-To` the newest message, `References` the thread). [`poll`] reads the inbox by
//! UID, remembering where it stopped; a mailbox connected with old mail starts at its next
//! message.

use super::{
    Adapter, FileSource, Inbound, Incoming, OutgoingFile, Progress, RemoteFile, SendError,
};
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox as MailAddress, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials as SmtpLogin;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use mail_parser::{MessageParser, MimeHeaders};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use switchboard_protocol::channels::{MailSecurity, MailServer};
use switchboard_protocol::{ChannelKind, Content};
use switchboard_storage::{Channel, Delivery, ReplyTarget, ThreadEntry};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long one connection step (connect, TLS, login, a command) may take.
const STEP: Duration = Duration::from_secs(30);

/// A mailbox's settings as stored (never sent to clients or logged).
#[derive(Clone, Serialize, Deserialize)]
pub struct Credentials {
    pub address: String,
    pub username: String,
    pub password: String,
    pub imap: MailServer,
    pub smtp: MailServer,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("address", &self.address)
            .field("imap", &self.imap)
            .field("smtp", &self.smtp)
            .finish_non_exhaustive()
    }
}

/// One received e-mail in the message model, with its files' bytes.
#[derive(Debug)]
pub struct Parsed {
    pub incoming: Incoming,
    pub files: MailFiles,
}

/// The bytes of an e-mail's files, in order (their ids are positions here).
#[derive(Debug)]
pub struct MailFiles(pub Vec<Bytes>);

impl FileSource for MailFiles {
    async fn fetch(&self, file: &RemoteFile) -> Result<Bytes, SendError> {
        file.id
            .parse::<usize>()
            .ok()
            .and_then(|i| self.0.get(i).cloned())
            .ok_or_else(|| SendError::Permanent {
                reason: format!("The e-mail has no file {}.", file.name),
            })
    }
}

/// An address worth answering: one `@` with text on both sides, no spaces or controls.
pub fn plausible_address(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.contains('@')
        && address.len() <= 254
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A display name split into first and last name; the address's local part without one.
fn names(display: Option<&str>, address: &str) -> (String, String) {
    let display: String = display
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .trim_matches(['"', '\''])
        .trim()
        .to_owned();
    if display.is_empty() || display.eq_ignore_ascii_case(address) {
        let local = address.split('@').next().unwrap_or(address);
        return (local.to_owned(), String::new());
    }
    match display.rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_owned(), last.trim().to_owned()),
        None => (display, String::new()),
    }
}

/// Reads one raw message; `None` when it names no sender to answer (it is then skipped).
/// A message without a `Message-ID` gets one from its bytes, so a repeat is still a repeat.
pub fn parse(raw: &[u8]) -> Option<Parsed> {
    let message = MessageParser::default().parse(raw)?;
    let from = message.from()?.first()?;
    let address = from.address()?.trim().to_lowercase();
    if !plausible_address(&address) {
        return None;
    }
    let (first_name, last_name) = names(from.name(), &address);
    let external_id = match message.message_id().map(str::trim) {
        Some(id) if !id.is_empty() && id.len() <= 500 => id.to_owned(),
        _ => format!("sha256-{}", hex::encode(Sha256::digest(raw))),
    };
    let subject: String = message
        .subject()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(1000)
        .collect::<String>()
        .trim()
        .to_owned();
    let text = message
        .body_text(0)
        .map(|t| t.replace("\r\n", "\n"))
        .unwrap_or_default();
    // `body_html` turns a text-only message into HTML; only a real HTML part is kept.
    let (html, remote_images) = match message.html_part(0).filter(|p| p.is_text_html()) {
        Some(_) => match message.body_html(0) {
            Some(html) => {
                let (clean, remote) = sanitize_html(&html);
                (Some(clean), remote)
            }
            None => (None, false),
        },
        None => (None, false),
    };
    let mut files = Vec::new();
    let mut remote_files = Vec::new();
    for (i, part) in message.attachments().enumerate() {
        let contents = part.contents();
        if contents.is_empty() {
            continue;
        }
        let name = part
            .attachment_name()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("attachment-{}", i + 1));
        remote_files.push(RemoteFile {
            id: files.len().to_string(),
            name,
        });
        files.push(Bytes::copy_from_slice(contents));
    }
    let received_at = message
        .date()
        .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0))
        .filter(|at| *at <= Utc::now())
        .unwrap_or_else(Utc::now);
    let reply_to = message
        .in_reply_to()
        .as_text_list()
        .and_then(|ids| ids.last())
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty());
    let email = Content::Email {
        subject,
        text,
        html,
        remote_images,
    };
    Some(Parsed {
        incoming: Incoming {
            sender: address.clone(),
            first_name,
            last_name,
            phone: None,
            email: Some(address),
            external_id,
            reply_to,
            content: email.clone(),
            received_at,
            files: remote_files,
            with_files: email,
        },
        files: MailFiles(files),
    })
}

/// The HTML of an e-mail made safe to show: ammonia's allow-list (no scripts, event
/// handlers, styles, forms or frames; links only to absolute http, https and mailto
/// addresses, opened apart with `noopener noreferrer`). Remote images keep their address
/// only as a `remote-image:` marker no browser loads ([`crate::remote_images`] fetches them
/// when an agent asks), so nothing is fetched from a sender's server when the agent reads
/// it; other image sources are dropped. The flag says the e-mail has remote images.
pub fn sanitize_html(html: &str) -> (String, bool) {
    let remote = Arc::new(AtomicBool::new(false));
    let seen = remote.clone();
    let clean = ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        // A relative link would resolve against this app's own address.
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .set_tag_attribute_value("a", "target", "_blank")
        .attribute_filter(move |element, attribute, value| {
            if element == "img" && attribute == "src" {
                // Only absolute http and https addresses get here (the URL checks ran).
                let v = value.trim();
                let lower = v.to_ascii_lowercase();
                if lower.starts_with("http:") || lower.starts_with("https:") {
                    seen.store(true, Ordering::Relaxed);
                    return Some(crate::remote_images::mark(v).into());
                }
                return None;
            }
            if element == "img" && attribute == "srcset" {
                return None;
            }
            Some(value.into())
        })
        .clean(html)
        .to_string();
    (clean, remote.load(Ordering::Relaxed))
}

/// The subject of an answer (C9): "Re: " and the thread's last subject (once, whatever its
/// case), or the first line of the answer itself when the thread has none.
pub fn reply_subject(previous: Option<&str>, text: &str) -> String {
    let previous = previous.map(str::trim).filter(|s| !s.is_empty());
    match previous {
        Some(subject) => {
            let already = subject
                .get(..3)
                .is_some_and(|p| p.eq_ignore_ascii_case("re:"));
            if already {
                subject.to_owned()
            } else {
                format!("Re: {subject}")
            }
        }
        None => {
            let line: String = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("")
                .chars()
                .take(80)
                .collect();
            if line.is_empty() {
                "Message".to_owned()
            } else {
                line
            }
        }
    }
}

/// `<id>` as headers carry message ids.
fn bracketed(id: &str) -> String {
    format!("<{}>", id.trim_matches(['<', '>']))
}

/// The message id of an answer at the mailbox's domain: the same for every attempt to send
/// it, so a resend after a failure or a restart is the same mail to the recipient's
/// program (which drops the copy) and threads the same way.
fn message_id_of(delivery: &Delivery, address: &str) -> String {
    let domain = address.rsplit('@').next().unwrap_or("switchboard.invalid");
    let message = &delivery.message;
    let seed = format!(
        "{}:{}:{}:{}",
        delivery.channel,
        message.id,
        message.client_id.as_deref().unwrap_or(""),
        message.created_at.timestamp_micros()
    );
    let digest = hex::encode(Sha256::digest(seed.as_bytes()));
    format!("sb.{}.{}@{domain}", message.id, &digest[..20])
}

/// The text an answer carries.
fn text_of(content: &Content) -> String {
    match content {
        Content::Text { text } => text.clone(),
        Content::Email { text, .. } => text.clone(),
        Content::Image { caption, .. } => caption.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The certificates mail servers' TLS is checked against: the web's roots, and those of
/// `email_ca_file` (a company's own authority, for its internal mail servers).
#[derive(Clone, Debug, Default)]
pub struct MailTrust {
    extra: Arc<Vec<rustls::pki_types::CertificateDer<'static>>>,
}

impl MailTrust {
    /// Reads the PEM certificates of `path`; an unreadable file or one without a certificate
    /// is an error (the server then does not start).
    pub fn load(path: &std::path::Path) -> Result<MailTrust, String> {
        use rustls::pki_types::pem::PemObject;
        let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let certificates = rustls::pki_types::CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{}: {e:?}", path.display()))?;
        if certificates.is_empty() {
            return Err(format!("{} holds no certificate", path.display()));
        }
        Ok(MailTrust {
            extra: Arc::new(certificates),
        })
    }

    fn roots(&self) -> rustls::RootCertStore {
        let mut roots =
            rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        roots.add_parsable_certificates(self.extra.iter().cloned());
        roots
    }

    /// lettre's TLS settings for an SMTP server called `host`.
    fn smtp(&self, host: &str) -> Result<TlsParameters, lettre::transport::smtp::Error> {
        let mut builder = TlsParameters::builder(host.to_owned());
        for certificate in self.extra.iter() {
            builder = builder.add_root_certificate(
                lettre::transport::smtp::client::Certificate::from_der(certificate.to_vec())?,
            );
        }
        builder.build_rustls()
    }
}

/// The connected mailbox, sending over SMTP.
pub struct Mailbox {
    credentials: Credentials,
    trust: MailTrust,
}

impl Mailbox {
    pub fn new(credentials: Credentials, trust: MailTrust) -> Mailbox {
        Mailbox { credentials, trust }
    }

    pub fn from_credentials(stored: &str, trust: MailTrust) -> Result<Mailbox, ApiError> {
        serde_json::from_str(stored)
            .map(|credentials| Mailbox::new(credentials, trust))
            .map_err(|e| ApiError::Internal(format!("e-mail settings: {e}")))
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, SendError> {
        let server = &self.credentials.smtp;
        let tls = |required: bool| {
            self.trust
                .smtp(&server.host)
                .map(|p| {
                    if required {
                        Tls::Required(p)
                    } else {
                        Tls::Wrapper(p)
                    }
                })
                .map_err(|e| SendError::Permanent {
                    reason: format!("The SMTP server's TLS settings are unusable ({e})."),
                })
        };
        let tls = match server.security {
            MailSecurity::Tls => tls(false)?,
            MailSecurity::StartTls => tls(true)?,
            MailSecurity::None => Tls::None,
        };
        Ok(
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(server.host.as_str())
                .port(server.port)
                .tls(tls)
                .timeout(Some(STEP))
                .credentials(SmtpLogin::new(
                    self.credentials.username.clone(),
                    self.credentials.password.clone(),
                ))
                .build(),
        )
    }

    /// Connects and logs in to the SMTP server (T6's check before a mailbox is kept).
    pub async fn check_smtp(&self) -> Result<(), SendError> {
        match self.transport()?.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(SendError::Permanent {
                reason: "The SMTP server did not accept the connection.".into(),
            }),
            Err(error) => Err(smtp_error(&error)),
        }
    }

    /// The message an answer becomes; its id without brackets as the second value.
    fn compose(
        &self,
        delivery: &Delivery,
        files: &[OutgoingFile],
    ) -> Result<(lettre::Message, String), SendError> {
        let permanent = |reason: String| SendError::Permanent { reason };
        let to = delivery
            .recipient
            .as_deref()
            .ok_or_else(|| permanent("The contact has no address on this mailbox.".into()))?;
        let to: MailAddress = to
            .parse()
            .map_err(|_| permanent(format!("{to} is not an e-mail address.")))?;
        let from: MailAddress = self.credentials.address.parse().map_err(|_| {
            permanent("The mailbox's own address is not valid; connect it again.".into())
        })?;
        let text = text_of(&delivery.message.content);
        // The agent's own subject, else "Re: " the thread's.
        let subject = match &delivery.message.content {
            Content::Email { subject, .. } if !subject.trim().is_empty() => subject.clone(),
            _ => reply_subject(last_subject(&delivery.thread).as_deref(), &text),
        };
        let id = message_id_of(delivery, &self.credentials.address);
        let mut builder = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .message_id(Some(bracketed(&id)));
        // The reply's target when the agent chose one, else the newest message.
        let parent = delivery
            .reply_to_external
            .clone()
            .or_else(|| delivery.thread.first().map(|e| e.external_id.clone()));
        if let Some(parent) = parent {
            builder = builder.in_reply_to(bracketed(&parent));
            let references: Vec<String> = delivery
                .thread
                .iter()
                .rev()
                .map(|e| bracketed(&e.external_id))
                .collect();
            builder = builder.references(references.join(" "));
        }
        let body = SinglePart::plain(text);
        let message = if files.is_empty() {
            builder.singlepart(body)
        } else {
            let mut parts = MultiPart::mixed().singlepart(body);
            for file in files {
                let kind = ContentType::parse(&file.content_type).unwrap_or(
                    ContentType::parse("application/octet-stream")
                        .map_err(|e| permanent(format!("content type: {e}")))?,
                );
                parts = parts
                    .singlepart(Attachment::new(file.name.clone()).body(file.bytes.to_vec(), kind));
            }
            builder.multipart(parts)
        }
        .map_err(|e| permanent(format!("The e-mail could not be composed ({e}).")))?;
        Ok((message, id))
    }
}

/// The subject the thread last carried.
fn last_subject(thread: &[ThreadEntry]) -> Option<String> {
    thread.iter().find_map(|e| match &e.content {
        Content::Email { subject, .. } if !subject.trim().is_empty() => Some(subject.clone()),
        _ => None,
    })
}

/// An SMTP failure as the outbox reads it: a permanent (5xx) answer is final, the rest is
/// worth another try.
fn smtp_error(error: &lettre::transport::smtp::Error) -> SendError {
    let reason = format!("The mail server answered: {error}");
    if error.is_permanent() {
        SendError::Permanent { reason }
    } else {
        SendError::Retry {
            reason,
            after: None,
        }
    }
}

impl Adapter for Mailbox {
    /// One e-mail carries the text and every file: there are no parts to resume.
    async fn send(
        &self,
        delivery: &Delivery,
        files: &[OutgoingFile],
        _progress: &mut Progress<'_>,
    ) -> Result<String, SendError> {
        let (message, id) = self.compose(delivery, files)?;
        self.transport()?
            .send(message)
            .await
            .map_err(|e| smtp_error(&e))?;
        Ok(id)
    }

    async fn typing(&self, _: &ReplyTarget) -> Result<(), SendError> {
        Ok(())
    }
}

/// Where a mailbox's reading stopped: the inbox's UIDVALIDITY and the last UID read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub validity: u32,
    pub last_uid: u32,
}

/// What went wrong talking to an IMAP server, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("could not reach {0}")]
    Connect(String),
    #[error("the server refused the login")]
    Login,
    #[error("the server broke off: {0}")]
    Protocol(String),
    #[error("a received message could not be stored: {0}")]
    Store(String),
}

trait Stream: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Stream for T {}

/// TLS to `host` over `tcp`, checked against `trust`.
async fn tls(host: &str, tcp: TcpStream, trust: &MailTrust) -> Result<Box<dyn Stream>, MailError> {
    let roots = trust.roots();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| MailError::Connect(format!("{host} ({e})")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|_| MailError::Connect(format!("{host} (not a host name)")))?;
    let stream = tokio::time::timeout(
        STEP,
        tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp),
    )
    .await
    .map_err(|_| MailError::Connect(format!("{host} (TLS timed out)")))?
    .map_err(|e| MailError::Connect(format!("{host} (TLS: {e})")))?;
    Ok(Box::new(stream))
}

type Session = async_imap::Session<Box<dyn Stream>>;

/// One CRLF-ended line from the server, read a byte at a time (nothing after it is
/// consumed, so TLS can start right after).
async fn read_line(tcp: &mut TcpStream) -> Result<String, MailError> {
    let mut line = Vec::new();
    loop {
        let byte = tokio::time::timeout(STEP, tcp.read_u8())
            .await
            .map_err(|_| MailError::Protocol("no answer".into()))?
            .map_err(|e| MailError::Protocol(e.to_string()))?;
        line.push(byte);
        if line.ends_with(b"\r\n") || line.len() > 8192 {
            return Ok(String::from_utf8_lossy(&line).into_owned());
        }
    }
}

/// Upgrades a plain IMAP connection with STARTTLS (after its greeting), or refuses.
async fn start_tls(
    host: &str,
    mut tcp: TcpStream,
    trust: &MailTrust,
) -> Result<Box<dyn Stream>, MailError> {
    let greeting = read_line(&mut tcp).await?;
    if !greeting.starts_with("* OK") {
        return Err(MailError::Protocol(format!(
            "greeting: {}",
            greeting.trim()
        )));
    }
    tcp.write_all(b"s1 STARTTLS\r\n")
        .await
        .map_err(|e| MailError::Protocol(e.to_string()))?;
    loop {
        let line = read_line(&mut tcp).await?;
        if let Some(status) = line.strip_prefix("s1 ") {
            if status.starts_with("OK") {
                return tls(host, tcp, trust).await;
            }
            return Err(MailError::Connect(format!(
                "{host} (STARTTLS refused: {})",
                status.trim()
            )));
        }
    }
}

/// A logged-in IMAP session with the mailbox.
async fn login(credentials: &Credentials, trust: &MailTrust) -> Result<Session, MailError> {
    let server = &credentials.imap;
    let place = format!("{}:{}", server.host, server.port);
    let tcp = tokio::time::timeout(
        STEP,
        TcpStream::connect((server.host.as_str(), server.port)),
    )
    .await
    .map_err(|_| MailError::Connect(format!("{place} (timed out)")))?
    .map_err(|e| MailError::Connect(format!("{place} ({e})")))?;
    let stream: Box<dyn Stream> = match server.security {
        MailSecurity::Tls => tls(&server.host, tcp, trust).await?,
        MailSecurity::StartTls => start_tls(&server.host, tcp, trust).await?,
        MailSecurity::None => Box::new(tcp),
    };
    let mut client = async_imap::Client::new(stream);
    // After STARTTLS the server does not greet again.
    if server.security != MailSecurity::StartTls {
        tokio::time::timeout(STEP, client.read_response())
            .await
            .map_err(|_| MailError::Protocol("no greeting".into()))?
            .map_err(|e| MailError::Protocol(format!("greeting: {e}")))?
            .ok_or_else(|| MailError::Protocol("closed before its greeting".into()))?;
    }
    tokio::time::timeout(
        STEP,
        client.login(&credentials.username, &credentials.password),
    )
    .await
    .map_err(|_| MailError::Protocol("login timed out".into()))?
    .map_err(|(error, _)| match error {
        async_imap::error::Error::No(_) | async_imap::error::Error::Bad(_) => MailError::Login,
        other => MailError::Protocol(other.to_string()),
    })
}

/// Logs in and selects the inbox: its UIDVALIDITY and next UID.
async fn open_inbox(
    credentials: &Credentials,
    trust: &MailTrust,
) -> Result<(Session, Cursor), MailError> {
    let mut session = login(credentials, trust).await?;
    let inbox = command(session.select("INBOX"), "opening the inbox").await?;
    let cursor = Cursor {
        validity: inbox.uid_validity.unwrap_or(0),
        last_uid: inbox.uid_next.unwrap_or(1).saturating_sub(1),
    };
    Ok((session, cursor))
}

/// Logs in to the IMAP server and reads where its inbox stands: a newly connected mailbox
/// starts reading after the mail it already holds (T6's check, too).
pub async fn check_imap(credentials: &Credentials, trust: &MailTrust) -> Result<Cursor, MailError> {
    let (mut session, cursor) = open_inbox(credentials, trust).await?;
    let _ = session.logout().await;
    Ok(cursor)
}

/// Keeps where reading stopped, for the next pass and after a restart.
async fn save_cursor(state: &AppState, channel: &Channel, cursor: Cursor) -> Result<(), MailError> {
    let text = serde_json::to_string(&cursor).map_err(|e| MailError::Store(e.to_string()))?;
    state
        .store
        .set_channel_cursor(channel.id, &text)
        .await
        .map_err(|e| MailError::Store(e.to_string()))
}

/// Reads the mailbox's new mail into the inbox once: every message after `cursor`, in UID
/// order, the cursor moving past each as it is stored (a message that cannot be stored stops
/// the pass; the next pass tries it again). The session stays open in the inbox, for the
/// wait that follows.
async fn read_new(
    state: &AppState,
    channel: &Channel,
    credentials: &Credentials,
    cursor: &mut Option<Cursor>,
) -> Result<Session, MailError> {
    let (mut session, now) = open_inbox(credentials, &state.mail_trust).await?;
    let mut at = match *cursor {
        // The same inbox: go on after the last message read.
        Some(saved) if saved.validity == now.validity => saved,
        // UIDs were renumbered: read all again (Message-IDs keep repeats out).
        Some(_) => Cursor {
            validity: now.validity,
            last_uid: 0,
        },
        None => now,
    };
    if *cursor != Some(at) {
        save_cursor(state, channel, at).await?;
        *cursor = Some(at);
    }
    if now.last_uid > at.last_uid {
        let mut uids: Vec<u32> = command(
            session.uid_search(format!("UID {}:*", at.last_uid + 1)),
            "SEARCH",
        )
        .await?
        .into_iter()
        .filter(|uid| *uid > at.last_uid)
        .collect();
        uids.sort_unstable();
        // One message at a time, so a backlog never sits in memory at once.
        for uid in uids {
            let raw = fetch_one(&mut session, uid, state.config.email_max_bytes).await?;
            match raw.as_deref().and_then(parse) {
                Some(Parsed { incoming, files }) => {
                    let items = vec![Inbound::Message(Box::new(incoming))];
                    super::store_inbound(state, channel, &files, items)
                        .await
                        .map_err(|e| MailError::Store(e.to_string()))?;
                }
                None => {
                    tracing::warn!(channel = %channel.id, uid, "an e-mail without a sender to answer was skipped");
                }
            }
            at.last_uid = uid;
            save_cursor(state, channel, at).await?;
            *cursor = Some(at);
        }
    }
    Ok(session)
}

/// Runs one IMAP command with the step's time limit.
async fn command<T>(
    run: impl std::future::Future<Output = async_imap::error::Result<T>>,
    what: &str,
) -> Result<T, MailError> {
    tokio::time::timeout(STEP * 4, run)
        .await
        .map_err(|_| MailError::Protocol(format!("{what} timed out")))?
        .map_err(|e| MailError::Protocol(format!("{what}: {e}")))
}

/// The message with this UID as it should be read: whole, or — over `largest` bytes — its
/// headers with a note in place of the body. `None` when it is gone (expunged).
async fn fetch_one(
    session: &mut Session,
    uid: u32,
    largest: u64,
) -> Result<Option<Vec<u8>>, MailError> {
    let id = uid.to_string();
    let sizes: Vec<async_imap::types::Fetch> = command(
        async {
            session
                .uid_fetch(&id, "(UID RFC822.SIZE)")
                .await?
                .try_collect()
                .await
        },
        "FETCH",
    )
    .await?;
    let Some(size) = sizes
        .iter()
        .find(|f| f.uid == Some(uid))
        .and_then(|f| f.size)
    else {
        return Ok(None);
    };
    let whole = u64::from(size) <= largest;
    let query = if whole {
        "(UID BODY.PEEK[])"
    } else {
        "(UID BODY.PEEK[HEADER])"
    };
    let fetched: Vec<async_imap::types::Fetch> = command(
        async { session.uid_fetch(&id, query).await?.try_collect().await },
        "FETCH",
    )
    .await?;
    let Some(found) = fetched.iter().find(|f| f.uid == Some(uid)) else {
        return Ok(None);
    };
    if whole {
        return Ok(found.body().map(<[u8]>::to_vec));
    }
    // The headers keep the sender, subject and threading; the body says where the rest is.
    let headers = found.header().unwrap_or_default();
    let mut dropping = false;
    let headers = headers
        .split(|b| *b == b'\n')
        .filter(|line| {
            // A folded line belongs to the header above it.
            if !line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
                let lower = String::from_utf8_lossy(line).to_ascii_lowercase();
                dropping = lower.starts_with("content-") || lower.starts_with("mime-version");
            }
            !dropping
        })
        .collect::<Vec<_>>()
        .join(&b'\n');
    let mut raw = String::from_utf8_lossy(&headers)
        .trim_end()
        .to_owned()
        .into_bytes();
    raw.extend_from_slice(
        format!(
            "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThis e-mail is {} MB, larger than Switchboard shows; read it in the mailbox.\r\n",
            size.div_ceil(1024 * 1024)
        )
        .as_bytes(),
    );
    Ok(Some(raw))
}

/// The longest one IMAP IDLE lasts before it is renewed (servers drop idle clients after
/// 30 minutes, RFC 2177).
const IDLE_RENEWAL: Duration = Duration::from_secs(25 * 60);

/// Waits, on the session a pass left open, until the mailbox may hold new mail: in IMAP
/// IDLE where the server offers it (the server tells at once), otherwise `every`. Returns
/// at once when mail after `last_uid` came while the pass ended.
async fn wait_for_mail(mut session: Session, last_uid: u32, every: Duration) {
    let idled = async {
        let inbox = command(session.select("INBOX"), "opening the inbox").await?;
        if inbox.uid_next.unwrap_or(1).saturating_sub(1) > last_uid {
            let _ = session.logout().await;
            return Ok(true);
        }
        if !command(session.capabilities(), "CAPABILITY")
            .await?
            .has_str("IDLE")
        {
            let _ = session.logout().await;
            return Ok(false);
        }
        let mut idle = session.idle();
        command(idle.init(), "IDLE").await?;
        let (news, _stop) = idle.wait_with_timeout(IDLE_RENEWAL);
        news.await
            .map_err(|e| MailError::Protocol(format!("IDLE: {e}")))?;
        if let Ok(Ok(mut session)) = tokio::time::timeout(STEP, idle.done()).await {
            let _ = session.logout().await;
        }
        Ok::<bool, MailError>(true)
    };
    match idled.await {
        Ok(true) => {}
        Ok(false) => tokio::time::sleep(every).await,
        Err(error) => {
            tracing::debug!(%error, "waiting for mail in IMAP IDLE failed; polling");
            tokio::time::sleep(every).await;
        }
    }
}

/// Reads one mailbox for as long as it stays connected: a pass over new mail, then a wait
/// for more on the same connection (IDLE or `every`); a failed pass is tried again after
/// `every`. Its settings and cursor are read from the store once, when it starts.
async fn read_mailbox(state: AppState, channel: Channel, every: Duration) {
    let stored = state.store.channel_credentials(channel.id).await;
    let Some(credentials) = stored
        .ok()
        .flatten()
        .and_then(|c| serde_json::from_str::<Credentials>(&c).ok())
    else {
        tracing::warn!(channel = %channel.id, "the mailbox has no usable settings");
        return;
    };
    let mut cursor = match state.store.channel_cursor(channel.id).await {
        Ok(saved) => saved.and_then(|c| serde_json::from_str::<Cursor>(&c).ok()),
        Err(error) => {
            tracing::warn!(channel = %channel.id, %error, "the mailbox's cursor could not be read");
            return;
        }
    };
    loop {
        match read_new(&state, &channel, &credentials, &mut cursor).await {
            Ok(session) => {
                let last_uid = cursor.map_or(0, |c| c.last_uid);
                wait_for_mail(session, last_uid, every).await;
            }
            Err(error) => {
                tracing::warn!(channel = %channel.id, %error, "the mailbox could not be read");
                tokio::time::sleep(every).await;
            }
        }
    }
}

/// A mailbox's reader task, stopped when dropped.
struct Reader(tokio::task::JoinHandle<()>);

impl Drop for Reader {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Reads every connected mailbox for as long as the server runs: one reader per mailbox,
/// started when it is connected and stopped when it is disconnected (checked every few
/// seconds at most). Several servers on one database read each mailbox one at a time: a
/// server reads it only while it holds the mailbox's lease (`claim_channel_reader`),
/// renewed on every check; one that stopped is taken over once its lease runs out.
pub async fn run_readers(state: AppState, every: Duration) {
    let holder = hex::encode(crate::tokens::random_bytes::<12>());
    let tick = every.min(Duration::from_secs(5));
    let lease = chrono::Duration::from_std(tick * 6).unwrap_or(chrono::Duration::seconds(30));
    // Dropped with this task (when the server stops): every reader stops with it.
    let mut readers: std::collections::HashMap<switchboard_protocol::ChannelId, Reader> =
        std::collections::HashMap::new();
    loop {
        match state.store.connected_channels(ChannelKind::Email).await {
            Ok(channels) => {
                let connected: std::collections::HashSet<_> =
                    channels.iter().map(|c| c.id).collect();
                readers.retain(|id, reader| connected.contains(id) && !reader.0.is_finished());
                for channel in channels {
                    let now = Utc::now();
                    let held = state
                        .store
                        .claim_channel_reader(channel.id, &holder, now, now + lease)
                        .await;
                    match held {
                        Ok(true) => {
                            readers.entry(channel.id).or_insert_with(|| {
                                Reader(tokio::spawn(read_mailbox(state.clone(), channel, every)))
                            });
                        }
                        // Another server reads it (or took it over while this one stalled).
                        Ok(false) => {
                            readers.remove(&channel.id);
                        }
                        // Read only while the lease is known to be held.
                        Err(error) => {
                            readers.remove(&channel.id);
                            tracing::warn!(channel = %channel.id, %error, "a mailbox's lease could not be renewed");
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "mailboxes could not be listed"),
        }
        tokio::time::sleep(tick).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(parsed: &Parsed) -> (&str, &str, Option<&str>, bool) {
        match &parsed.incoming.content {
            Content::Email {
                subject,
                text,
                html,
                remote_images,
            } => (subject, text, html.as_deref(), *remote_images),
            other => panic!("not an e-mail: {other:?}"),
        }
    }

    #[test]
    fn an_authority_file_must_hold_certificates() {
        let dir = tempfile::tempdir().expect("a directory");
        let missing = MailTrust::load(&dir.path().join("none.pem"));
        assert!(missing.is_err());
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("written");
        let refused = MailTrust::load(&empty).map(|_| ()).unwrap_err();
        assert!(refused.contains("no certificate"), "{refused}");
    }

    #[test]
    fn plain_mail_names_its_sender_and_threads_by_its_headers() {
        let raw = b"From: \"Olga Petrova\" <Olga.Petrova@Example.com>\r\n\
To: help@shop.test\r\n\
Subject: Where is my order?\r\n\
Message-ID: <m2@example.com>\r\n\
In-Reply-To: <m1@shop.test>\r\n\
References: <m0@example.com> <m1@shop.test>\r\n\
Date: Tue, 3 Mar 2026 10:00:00 +0100\r\n\
\r\n\
Hello,\r\nwhere is it?\r\n";
        let parsed = parse(raw).expect("parsed");
        let m = &parsed.incoming;
        assert_eq!(m.sender, "olga.petrova@example.com");
        assert_eq!(m.email.as_deref(), Some("olga.petrova@example.com"));
        assert_eq!(
            (m.first_name.as_str(), m.last_name.as_str()),
            ("Olga", "Petrova")
        );
        assert_eq!(m.external_id, "m2@example.com");
        assert_eq!(m.reply_to.as_deref(), Some("m1@shop.test"));
        assert_eq!(m.received_at.to_rfc3339(), "2026-03-03T09:00:00+00:00");
        let (subject, text, html, _) = email(&parsed);
        assert_eq!(subject, "Where is my order?");
        assert_eq!(text.trim(), "Hello,\nwhere is it?", "line ends are \\n");
        assert_eq!(html, None, "a text-only mail has no HTML to show");
    }

    #[test]
    fn legacy_charsets_are_decoded() {
        // "Привет" in KOI8-R and Windows-1251, "Grüße" in ISO-8859-1.
        let cases: [(&str, &[u8], &str); 3] = [
            ("koi8-r", &[0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4], "Привет"),
            (
                "windows-1251",
                &[0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2],
                "Привет",
            ),
            ("iso-8859-1", &[0x47, 0x72, 0xfc, 0xdf, 0x65], "Grüße"),
        ];
        for (charset, body, want) in cases {
            let mut raw = format!(
                "From: a@example.com\r\nSubject: =?{charset}?B?{}?=\r\nContent-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, body)
            )
            .into_bytes();
            raw.extend_from_slice(body);
            let parsed = parse(&raw).expect(charset);
            let (subject, text, _, _) = email(&parsed);
            assert_eq!(subject, want, "{charset} subject");
            assert_eq!(text.trim(), want, "{charset} body");
        }
    }

    #[test]
    fn html_loses_scripts_handlers_script_links_and_remote_images() {
        let raw = b"From: x@example.com\r\n\
Subject: Offer\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Plain offer\r\n\
--b1\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<html><head><style>body{background:url(https://t.example/bg)}</style></head><body>\
<p onclick=\"steal()\">Hi <b>there</b></p><script>alert(1)</script>\
<img src=\"https://tracker.example/pixel.gif\" onerror=\"alert(2)\">\
<a href=\"javascript:alert(3)\">bad</a> <a href=\"/api/v1/me\">relative</a> <a href=\"https://shop.example/x\">good</a>\
<iframe src=\"https://evil.example\"></iframe><form action=\"https://evil.example\"><input></form>\
</body></html>\r\n\
--b1--\r\n";
        let parsed = parse(raw).expect("parsed");
        let (_, text, html, remote) = email(&parsed);
        assert_eq!(text.trim(), "Plain offer");
        let html = html.expect("the HTML part is kept");
        for banned in [
            "<script",
            "alert",
            "onclick",
            "onerror",
            "javascript:",
            "<iframe",
            "<form",
            "<style",
            "tracker.example",
            "t.example",
            "/api/v1",
        ] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        assert!(html.contains("<b>there</b>"), "{html}");
        assert!(
            html.contains("href=\"https://shop.example/x\"") && html.contains("noopener"),
            "{html}"
        );
        assert!(remote, "the remote image was noticed");
    }

    #[test]
    fn attachments_keep_their_names_in_any_script() {
        let raw = "From: x@example.com\r\n\
Subject: Invoice\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"m\"\r\n\
\r\n\
--m\r\n\
Content-Type: multipart/related; boundary=\"r\"\r\n\
\r\n\
--r\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>See the invoice <img src=\"cid:logo\"></p>\r\n\
--r\r\n\
Content-Type: image/png\r\n\
Content-ID: <logo>\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
iVBORw0KGgo=\r\n\
--r--\r\n\
--m\r\n\
Content-Type: application/pdf\r\n\
Content-Disposition: attachment; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82.pdf\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQK\r\n\
--m--\r\n";
        let parsed = parse(raw.as_bytes()).expect("parsed");
        let names: Vec<&str> = parsed
            .incoming
            .files
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert!(names.contains(&"счёт.pdf"), "{names:?}");
        let pdf = names
            .iter()
            .position(|n| *n == "счёт.pdf")
            .expect("the pdf");
        assert_eq!(&parsed.files.0[pdf][..], b"%PDF-1.4\n");
        let (_, text, html, remote) = email(&parsed);
        assert!(text.contains("See the invoice"), "{text}");
        assert!(
            !html.expect("html").contains("cid:"),
            "no image source is kept"
        );
        assert!(!remote, "an inline image is not a remote one");
    }

    #[test]
    fn mail_without_an_answerable_sender_is_skipped_and_ids_are_stable() {
        assert!(parse(b"Subject: no sender\r\n\r\nbody").is_none());
        assert!(parse(b"From: not an address\r\n\r\nbody").is_none());
        let raw = b"From: x@example.com\r\nSubject: no id\r\n\r\nbody";
        let a = parse(raw).expect("parsed").incoming.external_id;
        let b = parse(raw).expect("parsed").incoming.external_id;
        assert_eq!(
            a, b,
            "a repeat of a message without Message-ID is still a repeat"
        );
        assert!(a.starts_with("sha256-"));
    }

    #[test]
    fn answers_take_the_threads_subject_once() {
        assert_eq!(reply_subject(Some("Order 42"), "x"), "Re: Order 42");
        assert_eq!(reply_subject(Some("RE: Order 42"), "x"), "RE: Order 42");
        assert_eq!(
            reply_subject(Some("  "), "\n  Hello there\nmore"),
            "Hello there"
        );
        assert_eq!(reply_subject(None, ""), "Message");
    }
}

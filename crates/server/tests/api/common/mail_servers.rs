//! Real local mail servers for the e-mail channel's tests: Debian's dovecot (IMAP) and
//! aiosmtpd (SMTP), each on a free port in a temporary directory, stopped when dropped;
//! plain, or speaking TLS with a certificate of a test authority ([`Certificates`], made
//! with openssl, which dovecot depends on).
//!
//! Each server stops when its standard input ends, a pipe only the test process writes to:
//! on drop, and also when the test process dies without dropping it.

use serde_json::Value;
use std::fs::{self, File, Permissions};
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The account both servers know.
pub const MAIL_USER: &str = "agent@shop.test";
pub const MAIL_PASSWORD: &str = "mail-secret";

/// How long a server may take to start, and an IMAP exchange to finish.
const PATIENCE: Duration = Duration::from_secs(15);

/// Dovecot's whole configuration: IMAP (TLS as `$SSL` says), one user in a password file.
const DOVECOT_CONF: &str = r#"protocols = imap
listen = 127.0.0.1
base_dir = $DIR/run
state_dir = $DIR/state
log_path = $DIR/log
$SSL
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $OWNER
default_internal_group = $GROUP
default_login_user = $LOGIN_USER
first_valid_uid = 1
mail_location = maildir:$DIR/mail/%u
passdb {
  driver = passwd-file
  args = $DIR/passwd
}
userdb {
  driver = passwd-file
  args = $DIR/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $TLS_PORT
    ssl = yes
  }
  chroot =
}
service anvil {
  chroot =
}
"#;

/// Runs dovecot in the foreground with the configuration `$1` until it exits or the
/// standard input ends, which stops it with SIGTERM.
const DOVECOT_UNTIL_EOF: &str = r#"exec 3<&0
/usr/sbin/dovecot -F -c "$1" &
pid=$!
(read -r _ <&3; kill -TERM "$pid" 2>/dev/null) &
wait "$pid""#;

/// aiosmtpd (arguments: directory, port, user, password, then `none`, or `starttls` or
/// `tls` with a certificate and its key) requiring AUTH PLAIN or LOGIN — after STARTTLS in
/// `starttls`, over TLS from the first byte in `tls` — until the standard input ends. Message N goes to `N.eml`, then its envelope
/// to `N.json`. Recipients at `bounce.test` are refused for good (550); one at `busy.test`
/// is deferred (451) the first time it is tried.
const AIOSMTPD: &str = r#"import json, logging, os, sys
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

logging.getLogger("mail.log").setLevel(logging.ERROR)
directory, port = sys.argv[1], int(sys.argv[2])
user, password = sys.argv[3].encode(), sys.argv[4].encode()
mode = sys.argv[5]
tls = {}
if mode != "none":
    import ssl
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[6], sys.argv[7])
    tls = {"tls_context": context, "require_starttls": True} if mode == "starttls" else {"ssl_context": context}

def authenticate(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login == user and data.password == password
    return AuthResult(success=ok, handled=False)

class Store:
    count = 0
    deferred = set()
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@bounce.test"):
            return "550 5.1.1 No such user here"
        if address.endswith("@busy.test") and address not in self.deferred:
            self.deferred.add(address)
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"
    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(directory, str(self.count))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".tmp", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        os.rename(base + ".tmp", base + ".json")
        return "250 OK"

controller = Controller(Store(), hostname="127.0.0.1", port=port, authenticator=authenticate,
                        auth_required=True, auth_require_tls=(mode == "starttls"), **tls)
controller.start()
sys.stdin.buffer.read()
controller.stop()
"#;

/// A test certificate authority, and a certificate it signed for `localhost` and
/// `127.0.0.1` with its key.
pub struct Certificates {
    _dir: tempfile::TempDir,
    /// The authority's certificate (what `email_ca_file` names).
    pub ca: std::path::PathBuf,
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
}

impl Certificates {
    pub fn make() -> Certificates {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = |name: &str| dir.path().join(name);
        fs::write(
            path("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .expect("an extensions file");
        let openssl = |args: &[&str]| {
            let output = Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .output()
                .expect("openssl runs");
            assert!(
                output.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ];
        openssl(
            &[
                &["req", "-x509"][..],
                &ec,
                &[
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.pem",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=Switchboard test authority",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign",
                ],
            ]
            .concat(),
        );
        openssl(
            &[
                &["req"][..],
                &ec,
                &[
                    "-keyout",
                    "key.pem",
                    "-out",
                    "server.csr",
                    "-subj",
                    "/CN=localhost",
                ],
            ]
            .concat(),
        );
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        // Dovecot's unprivileged processes need not read them; the master reads them as root.
        Certificates {
            ca: path("ca.pem"),
            cert: path("cert.pem"),
            key: path("key.pem"),
            _dir: dir,
        }
    }
}

/// Dovecot serving `user`'s mailbox over IMAP on `127.0.0.1:port` (and over TLS on
/// `tls_port` when started with certificates, which also offer STARTTLS on `port`).
pub struct Imap {
    pub port: u16,
    /// The IMAP-over-TLS port, when started with certificates.
    pub tls_port: Option<u16>,
    pub user: String,
    pub password: String,
    server: Process,
}

impl Imap {
    /// Starts dovecot without TLS and waits until the user can log in.
    pub async fn start() -> Imap {
        Imap::start_with(None).await
    }

    /// Starts dovecot offering TLS with `certificates`: implicit on `tls_port`, STARTTLS on
    /// `port` (where logging in without it stays allowed, for appending mail).
    pub async fn start_tls(certificates: &Certificates) -> Imap {
        Imap::start_with(Some(certificates)).await
    }

    async fn start_with(certificates: Option<&Certificates>) -> Imap {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().to_str().expect("a UTF-8 path").to_owned();
        // Dovecot's unprivileged processes read the password file and the mail in here.
        fs::set_permissions(&path, Permissions::from_mode(0o755)).expect("an open directory");
        // As root, dovecot switches to its own users; otherwise all of it runs as the caller.
        let root = id(&["-u"]) == "0";
        let me = if root { String::new() } else { id(&["-un"]) };
        let (owner, login_user) = if root {
            ("dovecot", "dovenull")
        } else {
            (&*me, &*me)
        };
        let (uid, gid) = (id(&["-u", owner]), id(&["-g", owner]));
        let mail = dir.path().join("mail");
        fs::create_dir(&mail).expect("a mail directory");
        if root {
            let number = |text: &str| Some(text.parse::<u32>().expect("a numeric id"));
            std::os::unix::fs::chown(&mail, number(&uid), number(&gid)).expect("a mail owner");
        }
        let passwd = format!("{MAIL_USER}:{{PLAIN}}{MAIL_PASSWORD}:{uid}:{gid}::{path}/mail::\n");
        fs::write(dir.path().join("passwd"), passwd).expect("a password file");
        let port = free_port();
        let tls_port = certificates.map(|_| free_port());
        let ssl = match certificates {
            Some(c) => format!(
                "ssl = yes\nssl_cert = <{}\nssl_key = <{}",
                c.cert.display(),
                c.key.display()
            ),
            None => "ssl = no".to_owned(),
        };
        let conf = DOVECOT_CONF
            .replace("$SSL", &ssl)
            .replace("$TLS_PORT", &tls_port.unwrap_or(0).to_string())
            .replace("$DIR", &path)
            .replace("$OWNER", owner)
            .replace("$GROUP", &id(&["-gn", owner]))
            .replace("$LOGIN_USER", login_user)
            .replace("$PORT", &port.to_string());
        fs::write(dir.path().join("dovecot.conf"), conf).expect("a dovecot configuration");
        let mut command = Command::new("/bin/sh");
        command.args(["-c", DOVECOT_UNTIL_EOF, "sh"]);
        command.arg(dir.path().join("dovecot.conf"));
        let mut imap = Imap {
            port,
            tls_port,
            user: MAIL_USER.to_owned(),
            password: MAIL_PASSWORD.to_owned(),
            server: Process::spawn("dovecot", dir, command),
        };
        let deadline = Instant::now() + PATIENCE;
        loop {
            let login = tokio::time::timeout(PATIENCE, imap.session()).await;
            let error = match login {
                Ok(Ok(mut session)) => {
                    let _ = session.command("a9", "LOGOUT").await;
                    return imap;
                }
                Ok(Err(error)) => error,
                Err(_) => "no answer".to_owned(),
            };
            imap.server
                .check(deadline, &format!("let {MAIL_USER} log in ({error})"));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many IMAP logins dovecot has logged (every client's, this harness's too).
    pub fn logins(&self) -> usize {
        self.server
            .output()
            .lines()
            .filter(|line| line.contains("imap-login: Info: Login: user="))
            .count()
    }

    /// Dovecot's output and log, for failure messages.
    pub fn log(&self) -> String {
        self.server.output()
    }

    /// Appends a message to the user's INBOX, as a mail server delivering it would.
    pub async fn append(&self, raw: &[u8]) {
        match tokio::time::timeout(PATIENCE, self.try_append(raw)).await {
            Ok(Ok(())) => {}
            Ok(Err(answer)) => panic!("dovecot refused the APPEND: {answer}"),
            Err(_) => panic!("dovecot did not answer the APPEND within {PATIENCE:?}"),
        }
    }

    /// Logs in, sends the message as a synchronizing literal, and logs out.
    async fn try_append(&self, raw: &[u8]) -> Result<(), String> {
        let mut session = self.session().await?;
        let command = format!("a2 APPEND INBOX {{{}}}\r\n", raw.len());
        session.send(command.as_bytes()).await?;
        let go_ahead = session.line().await?;
        if !go_ahead.starts_with('+') {
            return Err(go_ahead);
        }
        session.send(&[raw, b"\r\n"].concat()).await?;
        session.finish("a2").await?;
        session.command("a3", "LOGOUT").await
    }

    /// A connection on which the user has logged in.
    async fn session(&self) -> Result<ImapSession, String> {
        let stream = TcpStream::connect(("127.0.0.1", self.port))
            .await
            .map_err(|e| e.to_string())?;
        let mut session = ImapSession(BufReader::new(stream));
        let greeting = session.line().await?;
        if !greeting.starts_with("* OK") {
            return Err(greeting);
        }
        let login = format!("LOGIN {} {}", quoted(&self.user), quoted(&self.password));
        session.command("a1", &login).await?;
        Ok(session)
    }
}

/// Just enough IMAP to log in and append; errors are dovecot's answers.
struct ImapSession(BufReader<TcpStream>);

impl ImapSession {
    async fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        let stream = self.0.get_mut();
        stream.write_all(bytes).await.map_err(|e| e.to_string())
    }

    async fn line(&mut self) -> Result<String, String> {
        let mut line = String::new();
        match self.0.read_line(&mut line).await {
            Ok(0) => Err("dovecot closed the connection".to_owned()),
            Ok(_) => Ok(line),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Sends a tagged command and reads its answer, which must end in OK.
    async fn command(&mut self, tag: &str, command: &str) -> Result<(), String> {
        self.send(format!("{tag} {command}\r\n").as_bytes()).await?;
        self.finish(tag).await
    }

    /// Reads up to the tagged status line, which must be OK.
    async fn finish(&mut self, tag: &str) -> Result<(), String> {
        let mut answer = String::new();
        loop {
            let line = self.line().await?;
            answer.push_str(&line);
            match line.strip_prefix(tag).and_then(|s| s.strip_prefix(' ')) {
                Some(status) if status.starts_with("OK") => return Ok(()),
                Some(_) => return Err(answer),
                None => {}
            }
        }
    }
}

/// aiosmtpd on `127.0.0.1:port`, requiring AUTH as `user` and keeping every message.
pub struct Smtp {
    pub port: u16,
    server: Process,
}

/// A message the SMTP server accepted: its envelope and its bytes as sent.
#[derive(Clone, Debug)]
pub struct Received {
    /// The envelope's sender (`<>` for a null sender).
    pub from: String,
    pub to: Vec<String>,
    pub raw: Vec<u8>,
}

impl Smtp {
    /// Starts aiosmtpd without TLS and waits until it accepts connections.
    pub async fn start() -> Smtp {
        Smtp::start_with("none", None).await
    }

    /// Starts aiosmtpd speaking TLS with `certificates`: after STARTTLS (`starttls`, which
    /// it then requires) or from the first byte (`tls`).
    pub async fn start_tls(mode: &str, certificates: &Certificates) -> Smtp {
        Smtp::start_with(mode, Some(certificates)).await
    }

    async fn start_with(mode: &str, certificates: Option<&Certificates>) -> Smtp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let received = dir.path().join("received");
        fs::create_dir(&received).expect("a directory for received mail");
        let port = free_port();
        // Debian's interpreter, which has aiosmtpd (a `python3` on `PATH` may not).
        let mut command = Command::new("/usr/bin/python3");
        command
            .args(["-W", "ignore", "-c", AIOSMTPD])
            .arg(&received);
        command
            .arg(port.to_string())
            .args([MAIL_USER, MAIL_PASSWORD, mode]);
        if let Some(c) = certificates {
            command.arg(&c.cert).arg(&c.key);
        }
        let mut smtp = Smtp {
            port,
            server: Process::spawn("aiosmtpd", dir, command),
        };
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            smtp.server.check(deadline, "listen");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        smtp
    }

    /// Every message accepted so far, in arrival order.
    pub async fn received(&self) -> Vec<Received> {
        let dir = self.server.dir.path().join("received");
        let mut numbers: Vec<u64> = fs::read_dir(&dir)
            .expect("the received mail")
            .filter_map(|entry| {
                let name = entry.expect("a received file").file_name();
                name.to_str()?.strip_suffix(".json")?.parse().ok()
            })
            .collect();
        numbers.sort_unstable();
        let text = |value: &Value| value.as_str().expect("an address").to_owned();
        let read = |name: String| fs::read(dir.join(name)).expect("a received file");
        numbers
            .into_iter()
            .map(|n| {
                let envelope: Value =
                    serde_json::from_slice(&read(format!("{n}.json"))).expect("an envelope");
                let to = envelope["to"].as_array().expect("recipients");
                Received {
                    from: text(&envelope["from"]),
                    to: to.iter().map(text).collect(),
                    raw: read(format!("{n}.eml")),
                }
            })
            .collect()
    }

    /// Waits up to 20 s until at least `count` messages arrived, and returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let received = self.received().await;
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {count} messages reached the SMTP server within 20 s:\n{}",
                received.len(),
                self.server.output()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A server's process and its temporary directory, where its output goes too.
pub struct Process {
    name: &'static str,
    child: Child,
    dir: tempfile::TempDir,
}

impl Process {
    pub fn spawn(name: &'static str, dir: tempfile::TempDir, mut command: Command) -> Process {
        let output = || {
            let path = dir.path().join("output");
            File::options()
                .create(true)
                .append(true)
                .open(path)
                .expect("an output file")
        };
        let child = command
            .stdin(Stdio::piped())
            .stdout(output())
            .stderr(output())
            .spawn()
            .unwrap_or_else(|e| panic!("{name} does not start: {e}"));
        Process { name, child, dir }
    }

    /// Panics with the server's output if it exited, or if `deadline` passed before it could
    /// do what it is waited for.
    pub fn check(&mut self, deadline: Instant, waited_for: &str) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("{} exited ({status}):\n{}", self.name, self.output());
        }
        assert!(
            Instant::now() < deadline,
            "{} did not {waited_for} within {PATIENCE:?}:\n{}",
            self.name,
            self.output()
        );
    }

    /// What the server wrote, and dovecot's log.
    pub fn output(&self) -> String {
        let read = |name: &str| fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        format!("{}{}", read("output"), read("log"))
    }
}

impl Drop for Process {
    /// Ends the server's input, which stops it; it gets 10 s before being killed.
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on (until someone else takes it).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

/// What `id` answers with these arguments: the current or a named user's ids and names.
fn id(args: &[&str]) -> String {
    let output = Command::new("id").args(args).output().expect("`id` runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim().to_owned();
    assert!(
        output.status.success(),
        "id {args:?}: {}",
        text(&output.stderr)
    );
    text(&output.stdout)
}

/// An IMAP quoted string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

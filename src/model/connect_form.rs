//! The forms that connect a channel in settings (T6): which fields each provider asks for,
//! the JSON body they make (dotted keys nest: `imap.port`), the checks made before sending
//! (required, ports), and which field a server's refusal belongs to.

use serde_json::{Map, Value};
use switchboard_protocol::ChannelKind;

/// How a field is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Text,
    /// Never shown back (tokens, secrets, passwords).
    Secret,
    /// A TCP port, sent as a number.
    Port,
    /// A mail server's security: `tls`, `start_tls` or `none`.
    Security,
}

/// One field of a connect form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Its key in the request body; dots nest (`imap.host`).
    pub key: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub required: bool,
    /// What goes in it, shown in the empty field.
    pub hint: &'static str,
    /// What it starts with.
    pub initial: &'static str,
}

const fn field(key: &'static str, label: &'static str, input: Input, hint: &'static str) -> Field {
    Field {
        key,
        label,
        input,
        required: true,
        hint,
        initial: "",
    }
}

const fn optional(field: Field) -> Field {
    Field {
        required: false,
        ..field
    }
}

const fn starting(field: Field, initial: &'static str) -> Field {
    Field { initial, ..field }
}

const NAME: Field = optional(field("name", "Name agents see", Input::Text, "Optional"));

const TELEGRAM: &[Field] = &[
    field(
        "bot_token",
        "Bot token",
        Input::Secret,
        "123456789:AA… from @BotFather",
    ),
    NAME,
];

const WHATSAPP: &[Field] = &[
    field(
        "phone_number_id",
        "Phone number id",
        Input::Text,
        "Digits, from API Setup in Meta's app dashboard",
    ),
    field(
        "access_token",
        "Access token",
        Input::Secret,
        "A system user's permanent token",
    ),
    field(
        "app_secret",
        "App secret",
        Input::Secret,
        "Signs Meta's notifications",
    ),
    field(
        "verify_token",
        "Verify token",
        Input::Text,
        "Any phrase; enter the same at Meta",
    ),
    optional(field(
        "business_account_id",
        "WhatsApp Business Account id",
        Input::Text,
        "For templates outside the 24-hour window",
    )),
    NAME,
];

const TIKTOK: &[Field] = &[
    field(
        "business_id",
        "Business id",
        Input::Text,
        "The account's open_id from TikTok's authorization",
    ),
    field(
        "access_token",
        "Access token",
        Input::Secret,
        "The account's access token",
    ),
    field(
        "app_secret",
        "App secret",
        Input::Secret,
        "Signs TikTok's webhook calls",
    ),
    optional(field(
        "app_id",
        "App id",
        Input::Text,
        "With a refresh token, renews the day-long token",
    )),
    optional(field(
        "refresh_token",
        "Refresh token",
        Input::Secret,
        "Optional",
    )),
    NAME,
];

const EMAIL: &[Field] = &[
    field("address", "Address", Input::Text, "support@example.com"),
    field("username", "Login", Input::Text, "Usually the address"),
    field(
        "password",
        "Password",
        Input::Secret,
        "An app password where offered",
    ),
    field("imap.host", "IMAP server", Input::Text, "imap.example.com"),
    starting(field("imap.port", "IMAP port", Input::Port, "993"), "993"),
    starting(
        field("imap.security", "IMAP security", Input::Security, ""),
        "tls",
    ),
    field("smtp.host", "SMTP server", Input::Text, "smtp.example.com"),
    starting(field("smtp.port", "SMTP port", Input::Port, "465"), "465"),
    starting(
        field("smtp.security", "SMTP security", Input::Security, ""),
        "tls",
    ),
    NAME,
];

/// The fields a channel kind's connect form asks for; `None` for kinds not connected here.
pub fn fields(kind: ChannelKind) -> Option<&'static [Field]> {
    match kind {
        ChannelKind::Telegram => Some(TELEGRAM),
        ChannelKind::Whatsapp => Some(WHATSAPP),
        ChannelKind::Email => Some(EMAIL),
        ChannelKind::Tiktok => Some(TIKTOK),
        ChannelKind::WebsiteChat => None,
    }
}

/// The path segment of a kind's connect endpoint (`…/channels/{segment}`).
pub fn endpoint(kind: ChannelKind) -> &'static str {
    kind.as_str()
}

/// A refusal before sending: the field and what to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

/// The request body made of `values` (one per field, in order), or the first field to fix.
pub fn body(fields: &[Field], values: &[String]) -> Result<Value, Refusal> {
    let mut root = Map::new();
    for (field, value) in fields.iter().zip(values) {
        let value = value.trim();
        if value.is_empty() {
            if field.required {
                return Err(Refusal {
                    field: field.key,
                    message: format!("{} is required.", field.label),
                });
            }
            continue;
        }
        let json = match field.input {
            Input::Port => match value.parse::<u16>() {
                Ok(port) if port > 0 => Value::from(port),
                _ => {
                    return Err(Refusal {
                        field: field.key,
                        message: format!("{}: a number from 1 to 65535.", field.label),
                    });
                }
            },
            _ => Value::from(value),
        };
        let mut target = &mut root;
        let mut parts = field.key.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                target.insert(part.to_owned(), json.clone());
            } else {
                target = match target
                    .entry(part.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()))
                {
                    Value::Object(map) => map,
                    _ => break,
                };
            }
        }
    }
    Ok(Value::Object(root))
}

/// Whether the server's refusal of `refused` (a field name, `imap` for all of `imap.*`)
/// belongs under `field`.
pub fn refers_to(refused: &str, field: &Field) -> bool {
    field.key == refused
        || field
            .key
            .strip_prefix(refused)
            .is_some_and(|rest| rest.starts_with('.'))
            && field.key.ends_with(".host")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(fields: &[Field], given: &[(&str, &str)]) -> Vec<String> {
        fields
            .iter()
            .map(|f| {
                given
                    .iter()
                    .find(|(k, _)| *k == f.key)
                    .map_or(f.initial.to_owned(), |(_, v)| (*v).to_owned())
            })
            .collect()
    }

    #[test]
    fn an_email_form_makes_the_nested_body_the_server_reads() {
        let form = fields(ChannelKind::Email).expect("e-mail is connected here");
        let given = values(
            form,
            &[
                ("address", "help@example.com"),
                ("username", "help@example.com"),
                ("password", "s3cret"),
                ("imap.host", "imap.example.com"),
                ("smtp.host", " smtp.example.com "),
                ("smtp.port", "587"),
                ("smtp.security", "start_tls"),
            ],
        );
        assert_eq!(
            body(form, &given),
            Ok(json!({
                "address": "help@example.com", "username": "help@example.com", "password": "s3cret",
                "imap": { "host": "imap.example.com", "port": 993, "security": "tls" },
                "smtp": { "host": "smtp.example.com", "port": 587, "security": "start_tls" },
            }))
        );
    }

    #[test]
    fn missing_fields_and_bad_ports_are_named_before_sending() {
        let form = fields(ChannelKind::Email).expect("e-mail");
        let mut given = values(form, &[("address", "a@b.c"), ("username", "u")]);
        assert_eq!(body(form, &given).map_err(|r| r.field), Err("password"));
        given = values(
            form,
            &[
                ("address", "a@b.c"),
                ("username", "u"),
                ("password", "p"),
                ("imap.host", "h"),
                ("imap.port", "99999"),
                ("smtp.host", "h"),
            ],
        );
        let refused = body(form, &given).expect_err("a bad port");
        assert_eq!(refused.field, "imap.port");
        assert_eq!(refused.message, "IMAP port: a number from 1 to 65535.");
    }

    #[test]
    fn optional_fields_are_left_out_when_empty() {
        let form = fields(ChannelKind::Telegram).expect("telegram");
        let given = values(form, &[("bot_token", "123:abc")]);
        assert_eq!(body(form, &given), Ok(json!({ "bot_token": "123:abc" })));
        assert!(fields(ChannelKind::WebsiteChat).is_none());
    }

    #[test]
    fn a_refusal_of_a_mail_server_shows_under_its_host() {
        let form = fields(ChannelKind::Email).expect("e-mail");
        let under: Vec<&str> = form
            .iter()
            .filter(|f| refers_to("imap", f))
            .map(|f| f.key)
            .collect();
        assert_eq!(under, ["imap.host"]);
        assert!(refers_to("password", &form[2]));
        assert!(!refers_to("pass", &form[2]));
    }
}

//! The forms that connect a channel in settings (T6): which fields each provider asks for,
//! the JSON body they make (dotted keys nest: `imap.port`), the checks made before sending
//! (required, ports), and which field a server's refusal belongs to.

use crate::tr;
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

/// A text in the language in use (a field's label or hint).
pub type Text = fn() -> String;

/// One field of a connect form.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// Its key in the request body; dots nest (`imap.host`).
    pub key: &'static str,
    pub label: Text,
    pub input: Input,
    pub required: bool,
    /// What goes in it, shown in the empty field.
    pub hint: Text,
    /// What it starts with.
    pub initial: &'static str,
}

impl Field {
    /// Its label in the language in use.
    pub fn label(&self) -> String {
        (self.label)()
    }

    /// Its hint in the language in use.
    pub fn hint(&self) -> String {
        (self.hint)()
    }
}

const fn field(key: &'static str, label: Text, input: Input, hint: Text) -> Field {
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

/// No hint.
fn blank() -> String {
    String::new()
}

const NAME: Field = optional(field(
    "name",
    || tr!("channels-field-name"),
    Input::Text,
    || tr!("channels-hint-optional"),
));

const TELEGRAM: &[Field] = &[
    field(
        "bot_token",
        || tr!("channels-field-bot-token"),
        Input::Secret,
        || tr!("channels-hint-bot-token"),
    ),
    NAME,
];

const WHATSAPP: &[Field] = &[
    field(
        "phone_number_id",
        || tr!("channels-field-phone-number-id"),
        Input::Text,
        || tr!("channels-hint-phone-number-id"),
    ),
    field(
        "access_token",
        || tr!("channels-field-access-token"),
        Input::Secret,
        || tr!("channels-hint-whatsapp-access-token"),
    ),
    field(
        "app_secret",
        || tr!("channels-field-app-secret"),
        Input::Secret,
        || tr!("channels-hint-whatsapp-app-secret"),
    ),
    field(
        "verify_token",
        || tr!("channels-field-verify-token"),
        Input::Text,
        || tr!("channels-hint-verify-token"),
    ),
    optional(field(
        "business_account_id",
        || tr!("channels-field-business-account-id"),
        Input::Text,
        || tr!("channels-hint-business-account-id"),
    )),
    NAME,
];

const TIKTOK: &[Field] = &[
    field(
        "business_id",
        || tr!("channels-field-business-id"),
        Input::Text,
        || tr!("channels-hint-business-id"),
    ),
    field(
        "access_token",
        || tr!("channels-field-access-token"),
        Input::Secret,
        || tr!("channels-hint-tiktok-access-token"),
    ),
    field(
        "app_secret",
        || tr!("channels-field-app-secret"),
        Input::Secret,
        || tr!("channels-hint-tiktok-app-secret"),
    ),
    optional(field(
        "app_id",
        || tr!("channels-field-app-id"),
        Input::Text,
        || tr!("channels-hint-app-id"),
    )),
    optional(field(
        "refresh_token",
        || tr!("channels-field-refresh-token"),
        Input::Secret,
        || tr!("channels-hint-optional"),
    )),
    NAME,
];

const EMAIL: &[Field] = &[
    field(
        "address",
        || tr!("channels-field-address"),
        Input::Text,
        || "support@example.com".to_owned(),
    ),
    field(
        "username",
        || tr!("channels-field-login"),
        Input::Text,
        || tr!("channels-hint-login"),
    ),
    field(
        "password",
        || tr!("channels-field-password"),
        Input::Secret,
        || tr!("channels-hint-password"),
    ),
    field(
        "imap.host",
        || tr!("channels-field-imap-host"),
        Input::Text,
        || "imap.example.com".to_owned(),
    ),
    starting(
        field(
            "imap.port",
            || tr!("channels-field-imap-port"),
            Input::Port,
            || "993".to_owned(),
        ),
        "993",
    ),
    starting(
        field(
            "imap.security",
            || tr!("channels-field-imap-security"),
            Input::Security,
            blank,
        ),
        "tls",
    ),
    field(
        "smtp.host",
        || tr!("channels-field-smtp-host"),
        Input::Text,
        || "smtp.example.com".to_owned(),
    ),
    starting(
        field(
            "smtp.port",
            || tr!("channels-field-smtp-port"),
            Input::Port,
            || "465".to_owned(),
        ),
        "465",
    ),
    starting(
        field(
            "smtp.security",
            || tr!("channels-field-smtp-security"),
            Input::Security,
            blank,
        ),
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
                    message: tr!("channels-field-required", field = field.label()),
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
                        message: tr!("channels-field-port-range", field = field.label()),
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
    fn refusals_before_sending_read_in_russian() {
        use crate::i18n::{Lang, set_lang};
        let form = fields(ChannelKind::Email).expect("e-mail");
        let given = values(form, &[("address", "a@b.c")]);
        set_lang(Lang::Ru);
        let refused = body(form, &given).expect_err("no login");
        set_lang(Lang::En);
        assert_eq!(refused.field, "username");
        assert_eq!(refused.message, "Заполните поле «Логин».");
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

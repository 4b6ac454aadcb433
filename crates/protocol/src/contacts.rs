//! Contacts in full (P1–P4), custom contact fields (T4) and their validation, shared by the
//! app (before sending) and the server (before storing).

use crate::ids::*;
use crate::model::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

crate::model::string_enum! {
    /// The type of a custom contact field.
    pub enum FieldKind {
        Text = "text",
        Number = "number",
        /// `YYYY-MM-DD`.
        Date = "date",
        /// One of the field's options.
        List = "list",
    }
}

/// A custom contact field of a workspace (T4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomField {
    pub id: CustomFieldId,
    pub label: String,
    pub kind: FieldKind,
    /// The choices of a `list` field.
    #[serde(default)]
    pub options: Vec<String>,
}

/// Body of creating or changing a custom field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomFieldRequest {
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub options: Vec<String>,
}

/// A contact with everything a profile shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    #[serde(flatten)]
    pub summary: ContactSummary,
    pub conversation_id: ConversationId,
    /// Values of the workspace's custom fields that are set.
    pub fields: Vec<FieldValue>,
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldValue {
    pub field: CustomFieldId,
    pub value: String,
}

/// Body of adding a contact (P1). It appears in the Closed tab.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewContactRequest {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(default)]
    pub fields: Vec<FieldValue>,
}

/// Body of changing a contact (P2): absent members stay as they are; `Some(None)` (JSON
/// `null`) clears an optional one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactPatch {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Absent: unchanged; `null` or empty: cleared.
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Option<Option<String>>,
    /// Absent: unchanged; `null` or empty: cleared.
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<Option<String>>,
    /// Values to set; an empty value clears the field.
    #[serde(default)]
    pub fields: Vec<FieldValue>,
}

/// Distinguishes an absent member from an explicit `null`.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Option<String>>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}

/// The longest name, e-mail or phone, in characters.
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_FIELD_CHARS: usize = 500;

/// A field of a request that is not acceptable, named for the `ErrorBody`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

impl Invalid {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Invalid {
        Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A trimmed name part, at most [`MAX_NAME_CHARS`].
pub fn name(field: &str, value: &str) -> Result<String, Invalid> {
    let value = value.trim();
    if crate::validation::has_control(value, false) {
        return Err(Invalid::new(
            field,
            "Remove the invisible control characters.",
        ));
    }
    if value.chars().count() > MAX_NAME_CHARS {
        return Err(Invalid::new(
            field,
            format!("At most {MAX_NAME_CHARS} characters."),
        ));
    }
    Ok(value.to_owned())
}

/// An e-mail address: one `@` with something on both sides and a dot in the domain; empty
/// means none.
pub fn email(value: Option<&str>) -> Result<Option<String>, Invalid> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let valid = value.chars().count() <= MAX_NAME_CHARS
        && !value.contains(char::is_whitespace)
        && !crate::validation::has_control(value, false)
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(Some(value.to_owned()))
    } else {
        Err(Invalid::new(
            "email",
            "Enter an e-mail address like name@example.com.",
        ))
    }
}

/// A phone number: digits with optional `+`, spaces, dashes, dots and parentheses, 5 to 20
/// digits; empty means none.
pub fn phone(value: Option<&str>) -> Result<Option<String>, Invalid> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0));
    if allowed && (5..=20).contains(&digits) {
        Ok(Some(value.to_owned()))
    } else {
        Err(Invalid::new(
            "phone",
            "Enter a phone number of 5 to 20 digits, like +44 20 7946 0321.",
        ))
    }
}

/// The digits of a phone number, for search.
pub fn phone_digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// Checks a custom field value against its field and returns it in canonical form (numbers
/// without surrounding spaces, dates as `YYYY-MM-DD`). Empty clears the field.
pub fn field_value(field: &CustomField, value: &str) -> Result<Option<String>, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let name = format!("fields.{}", field.id);
    if crate::validation::has_control(value, false) {
        return Err(Invalid::new(
            name,
            format!("{}: remove the invisible control characters.", field.label),
        ));
    }
    if value.chars().count() > MAX_FIELD_CHARS {
        return Err(Invalid::new(
            name,
            format!("{}: at most {MAX_FIELD_CHARS} characters.", field.label),
        ));
    }
    match field.kind {
        FieldKind::Text => Ok(Some(value.to_owned())),
        FieldKind::Number => value
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|_| Some(value.to_owned()))
            .ok_or_else(|| Invalid::new(name, format!("{}: enter a number.", field.label))),
        FieldKind::Date => NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(|d| Some(d.format("%Y-%m-%d").to_string()))
            .map_err(|_| {
                Invalid::new(
                    name,
                    format!("{}: enter a date as YYYY-MM-DD.", field.label),
                )
            }),
        FieldKind::List => {
            if field.options.iter().any(|o| o == value) {
                Ok(Some(value.to_owned()))
            } else {
                Err(Invalid::new(
                    name,
                    format!(
                        "{}: choose one of {}.",
                        field.label,
                        field.options.join(", ")
                    ),
                ))
            }
        }
    }
}

/// Checks a custom field definition.
pub fn field_definition(request: &CustomFieldRequest) -> Result<CustomFieldRequest, Invalid> {
    let label = request.label.trim();
    if crate::validation::has_control(label, false)
        || request
            .options
            .iter()
            .any(|o| crate::validation::has_control(o, false))
    {
        return Err(Invalid::new(
            "label",
            "Remove the invisible control characters.",
        ));
    }
    if label.is_empty() || label.chars().count() > MAX_NAME_CHARS {
        return Err(Invalid::new(
            "label",
            format!("A label of 1 to {MAX_NAME_CHARS} characters."),
        ));
    }
    let mut options: Vec<String> = Vec::new();
    for option in &request.options {
        let option = option.trim();
        if option.is_empty() || option.chars().count() > MAX_NAME_CHARS {
            return Err(Invalid::new(
                "options",
                "Options must be 1 to 100 characters.",
            ));
        }
        if options.iter().any(|o| o == option) {
            return Err(Invalid::new(
                "options",
                format!("{option:?} is listed twice."),
            ));
        }
        options.push(option.to_owned());
    }
    match (request.kind, options.is_empty()) {
        (FieldKind::List, true) => Err(Invalid::new("options", "A list field needs options.")),
        (FieldKind::List, false) | (_, true) => Ok(CustomFieldRequest {
            label: label.to_owned(),
            kind: request.kind,
            options,
        }),
        (_, false) => Err(Invalid::new("options", "Only list fields have options.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldKind) -> CustomField {
        CustomField {
            id: CustomFieldId(1),
            label: "Plan".into(),
            kind,
            options: vec!["Basic".into(), "Pro".into()],
        }
    }

    #[test]
    fn a_patch_says_only_what_it_changes() {
        let untouched = ContactPatch {
            last_name: Some("Known".into()),
            ..ContactPatch::default()
        };
        let json = serde_json::to_value(&untouched).expect("json");
        assert!(
            json.get("phone").is_none() && json.get("email").is_none(),
            "{json}"
        );
        let back: ContactPatch = serde_json::from_value(json).expect("a patch");
        assert_eq!(back, untouched);
        let cleared = ContactPatch {
            phone: Some(None),
            ..ContactPatch::default()
        };
        let json = serde_json::to_value(&cleared).expect("json");
        assert_eq!(json["phone"], serde_json::Value::Null);
        let back: ContactPatch = serde_json::from_value(json).expect("a patch");
        assert_eq!(back, cleared);
    }

    #[test]
    fn field_values_are_checked_by_kind() {
        let check = |kind, value: &str| field_value(&field(kind), value);
        assert_eq!(check(FieldKind::Text, " hi "), Ok(Some("hi".into())));
        assert_eq!(check(FieldKind::Number, "42.5"), Ok(Some("42.5".into())));
        assert!(check(FieldKind::Number, "forty").is_err());
        assert!(check(FieldKind::Number, "NaN").is_err());
        assert_eq!(
            check(FieldKind::Date, "2026-02-03"),
            Ok(Some("2026-02-03".into()))
        );
        assert!(check(FieldKind::Date, "03.02.2026").is_err());
        assert!(check(FieldKind::Date, "2026-02-30").is_err());
        assert_eq!(check(FieldKind::List, "Pro"), Ok(Some("Pro".into())));
        let wrong = check(FieldKind::List, "Gold").unwrap_err();
        assert_eq!(wrong.field, "fields.1");
        assert!(wrong.message.contains("Basic, Pro"));
        assert_eq!(check(FieldKind::Number, "  "), Ok(None), "empty clears");
    }

    #[test]
    fn emails_and_phones_are_checked() {
        assert_eq!(email(Some(" a@b.co ")), Ok(Some("a@b.co".into())));
        assert_eq!(email(Some("")), Ok(None));
        for bad in ["a", "a@b", "@b.co", "a b@c.de", "a@b@c.de", "a@.co"] {
            assert!(email(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(
            phone(Some("+7 912 555-01-23")),
            Ok(Some("+7 912 555-01-23".into()))
        );
        for bad in [
            "123",
            "+7 912 abc",
            "1+2345678",
            "'; DROP TABLE contacts; --",
        ] {
            assert!(phone(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(phone_digits("+7 (912) 555-01-23"), "79125550123");
    }

    #[test]
    fn field_definitions_need_options_only_for_lists() {
        let request = |kind, options: &[&str]| CustomFieldRequest {
            label: " Tier ".into(),
            kind,
            options: options.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(
            field_definition(&request(FieldKind::Text, &[]))
                .unwrap()
                .label,
            "Tier"
        );
        assert!(field_definition(&request(FieldKind::List, &[])).is_err());
        assert!(field_definition(&request(FieldKind::Text, &["a"])).is_err());
        assert!(field_definition(&request(FieldKind::List, &["a", "a"])).is_err());
    }

    #[test]
    fn a_patch_tells_absent_from_null() {
        let patch: ContactPatch = serde_json::from_str(r#"{"phone":null}"#).unwrap();
        assert_eq!(patch.phone, Some(None));
        assert_eq!(patch.email, None);
    }
}

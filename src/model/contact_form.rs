//! The contact panel's edit form (P2–P4): what the agent typed, checked with the server's
//! own rules before sending, and the patch that changes only what changed. A masked member
//! (phone numbers hidden) never sees the number: the field starts empty and a number they
//! type replaces the hidden one.

use crate::tr;
use std::collections::BTreeMap;
use switchboard_protocol::contacts::{
    self, Contact, ContactPatch, CustomField, FieldKind, FieldValue, Invalid, MAX_FIELD_CHARS,
    MAX_NAME_CHARS,
};
use switchboard_protocol::validation::has_control;
use switchboard_protocol::*;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// Custom fields' values by field, as typed.
    pub fields: BTreeMap<CustomFieldId, String>,
}

impl ContactForm {
    /// The form filled with the contact as it is.
    pub fn of(contact: &Contact) -> ContactForm {
        ContactForm {
            first_name: contact.summary.first_name.clone(),
            last_name: contact.summary.last_name.clone(),
            email: contact.summary.email.clone().unwrap_or_default(),
            phone: contact.summary.phone.clone().unwrap_or_default(),
            fields: contact
                .fields
                .iter()
                .map(|v| (v.field, v.value.clone()))
                .collect(),
        }
    }

    /// The patch from `contact` to this form, or every problem by field (`first_name`,
    /// `email`, `phone`, `fields.<id>`), as the server names them.
    pub fn patch(
        &self,
        contact: &Contact,
        fields: &[CustomField],
    ) -> Result<ContactPatch, BTreeMap<String, String>> {
        let mut problems = BTreeMap::new();
        let mut keep = |result: Result<Option<String>, Invalid>| match result {
            Ok(value) => value,
            Err(invalid) => {
                problems.insert(invalid.field, invalid.message);
                None
            }
        };
        let first = keep(name("first_name", &self.first_name).map(Some));
        let last = keep(name("last_name", &self.last_name).map(Some));
        let email = keep(email(&self.email));
        let phone = keep(phone(&self.phone));
        let mut values = Vec::new();
        for field in fields {
            let typed = self.fields.get(&field.id).map(String::as_str).unwrap_or("");
            let checked = keep(field_value(field, typed));
            let current = contact
                .fields
                .iter()
                .find(|v| v.field == field.id)
                .map(|v| v.value.as_str());
            if checked.as_deref() != current {
                values.push(FieldValue {
                    field: field.id,
                    value: checked.unwrap_or_default(),
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let summary = &contact.summary;
        let changed =
            |new: &Option<String>, old: &str| (new.as_deref() != Some(old)).then(|| new.clone());
        Ok(ContactPatch {
            first_name: changed(&first, &summary.first_name).map(Option::unwrap_or_default),
            last_name: changed(&last, &summary.last_name).map(Option::unwrap_or_default),
            email: (email.as_deref() != summary.email.as_deref()).then(|| email.clone()),
            // Masked, an empty field means "leave the hidden number alone".
            phone: if summary.phone_masked && phone.is_none() {
                None
            } else {
                (phone.as_deref() != summary.phone.as_deref()).then(|| phone.clone())
            },
            fields: values,
        })
    }
}

/// A name part checked as the server checks it ([`contacts::name`]), its problem in the
/// language in use.
pub fn name(field: &str, value: &str) -> Result<String, Invalid> {
    contacts::name(field, value).map_err(|invalid| Invalid {
        message: if has_control(value.trim(), false) {
            tr!("contacts-error-control")
        } else {
            tr!("contacts-error-name-too-long", max = MAX_NAME_CHARS)
        },
        ..invalid
    })
}

/// An e-mail address checked as the server checks it; empty means none.
pub fn email(value: &str) -> Result<Option<String>, Invalid> {
    contacts::email(Some(value)).map_err(|invalid| Invalid {
        message: tr!("contacts-error-email"),
        ..invalid
    })
}

/// A phone number checked as the server checks it; empty means none.
pub fn phone(value: &str) -> Result<Option<String>, Invalid> {
    contacts::phone(Some(value)).map_err(|invalid| Invalid {
        message: tr!("contacts-error-phone"),
        ..invalid
    })
}

/// A custom field's value checked as the server checks it, by the field's type.
pub fn field_value(field: &CustomField, value: &str) -> Result<Option<String>, Invalid> {
    contacts::field_value(field, value).map_err(|invalid| {
        let trimmed = value.trim();
        let label = field.label.as_str();
        let message = if has_control(trimmed, false) {
            tr!("contacts-error-field-control", field = label)
        } else if trimmed.chars().count() > MAX_FIELD_CHARS {
            tr!(
                "contacts-error-field-too-long",
                field = label,
                max = MAX_FIELD_CHARS
            )
        } else {
            match field.kind {
                FieldKind::Number => tr!("contacts-error-field-number", field = label),
                FieldKind::Date => tr!("contacts-error-field-date", field = label),
                FieldKind::List => tr!(
                    "contacts-error-field-list",
                    field = label,
                    options = field.options.join(", ")
                ),
                // A text field fails only on the checks above; keep the server's words.
                _ => invalid.message.clone(),
            }
        };
        Invalid { message, ..invalid }
    })
}

/// Whether a patch changes nothing.
pub fn is_empty(patch: &ContactPatch) -> bool {
    patch == &ContactPatch::default()
}

/// The `tel:` address of a number: its digits, with the leading `+` kept.
pub fn tel_link(phone: &str) -> String {
    let plus = if phone.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    format!("tel:{plus}{}", contacts::phone_digits(phone))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn contact(phone: Option<&str>, masked: bool) -> Contact {
        Contact {
            summary: ContactSummary {
                id: ContactId(4),
                first_name: "Olga".into(),
                last_name: "Petrova".into(),
                email: Some("olga@example.com".into()),
                phone: phone.map(str::to_owned),
                phone_masked: masked,
                blocked: false,
            },
            conversation_id: ConversationId(9),
            fields: vec![FieldValue {
                field: CustomFieldId(1),
                value: "Gold".into(),
            }],
            created_at: Utc::now(),
        }
    }

    fn fields() -> Vec<CustomField> {
        vec![
            CustomField {
                id: CustomFieldId(1),
                label: "Plan".into(),
                kind: FieldKind::List,
                options: vec!["Gold".into(), "Silver".into()],
            },
            CustomField {
                id: CustomFieldId(2),
                label: "Orders".into(),
                kind: FieldKind::Number,
                options: vec![],
            },
            CustomField {
                id: CustomFieldId(3),
                label: "Birthday".into(),
                kind: FieldKind::Date,
                options: vec![],
            },
        ]
    }

    #[test]
    fn only_what_changed_is_sent() {
        let c = contact(Some("+44 20 7946 0321"), false);
        let mut form = ContactForm::of(&c);
        assert!(is_empty(&form.patch(&c, &fields()).expect("valid")));
        form.last_name = " Smirnova ".into();
        form.email = String::new();
        form.fields.insert(CustomFieldId(2), " 12 ".into());
        form.fields.insert(CustomFieldId(1), String::new());
        let patch = form.patch(&c, &fields()).expect("valid");
        assert_eq!(patch.first_name, None);
        assert_eq!(patch.last_name.as_deref(), Some("Smirnova"));
        assert_eq!(patch.email, Some(None), "cleared");
        assert_eq!(patch.phone, None);
        assert_eq!(
            patch.fields,
            vec![
                FieldValue {
                    field: CustomFieldId(1),
                    value: String::new()
                },
                FieldValue {
                    field: CustomFieldId(2),
                    value: "12".into()
                }
            ]
        );
    }

    #[test]
    fn every_bad_value_is_named_by_its_field() {
        let c = contact(None, false);
        let mut form = ContactForm::of(&c);
        form.email = "not an address".into();
        form.phone = "12".into();
        form.fields.insert(CustomFieldId(1), "Platinum".into());
        form.fields.insert(CustomFieldId(2), "twelve".into());
        form.fields.insert(CustomFieldId(3), "31.02.2026".into());
        let problems = form.patch(&c, &fields()).expect_err("invalid");
        assert_eq!(
            problems.keys().map(String::as_str).collect::<Vec<_>>(),
            ["email", "fields.1", "fields.2", "fields.3", "phone"]
        );
        assert!(problems["fields.1"].contains("Gold, Silver"));
        assert_eq!(problems["fields.2"], "Orders: enter a number.");
        assert_eq!(
            problems["fields.3"],
            "Birthday: enter a date as YYYY-MM-DD."
        );
        assert_eq!(
            problems["email"],
            "Enter an e-mail address like name@example.com."
        );
    }

    #[test]
    fn problems_read_in_russian() {
        use crate::i18n::{Lang, set_lang};
        let c = contact(None, false);
        let mut form = ContactForm::of(&c);
        form.first_name = "x".repeat(MAX_NAME_CHARS + 1);
        form.phone = "12".into();
        form.fields.insert(CustomFieldId(1), "Platinum".into());
        form.fields.insert(CustomFieldId(2), "twelve".into());
        form.fields.insert(CustomFieldId(3), "31.02.2026".into());
        set_lang(Lang::Ru);
        let problems = form.patch(&c, &fields()).expect_err("invalid");
        set_lang(Lang::En);
        assert_eq!(problems["first_name"], "Не более 100 символов.");
        assert_eq!(
            problems["fields.1"],
            "Plan: выберите одно из значений — Gold, Silver."
        );
        assert_eq!(problems["fields.2"], "Orders: введите число.");
        assert_eq!(
            problems["fields.3"],
            "Birthday: введите дату в формате ГГГГ-ММ-ДД."
        );
        assert!(problems["phone"].starts_with("Введите номер телефона"));
    }

    #[test]
    fn a_masked_member_adds_a_number_but_never_clears_the_hidden_one() {
        let c = contact(None, true);
        let mut form = ContactForm::of(&c);
        assert_eq!(form.phone, "");
        assert_eq!(form.patch(&c, &fields()).expect("valid").phone, None);
        form.phone = "+1 (555) 010-2030".into();
        assert_eq!(
            form.patch(&c, &fields()).expect("valid").phone,
            Some(Some("+1 (555) 010-2030".into()))
        );
    }

    #[test]
    fn calls_dial_the_digits() {
        assert_eq!(tel_link("+44 20 7946-0321"), "tel:+442079460321");
        assert_eq!(tel_link("(555) 010"), "tel:555010");
    }
}

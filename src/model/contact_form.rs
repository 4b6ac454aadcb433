//! The contact panel's edit form (P2–P4): what the agent typed, checked with the server's
//! own rules before sending, and the patch that changes only what changed. A masked member
//! (phone numbers hidden) never sees the number: the field starts empty and a number they
//! type replaces the hidden one.

use std::collections::BTreeMap;
use switchboard_protocol::contacts::{
    self, Contact, ContactPatch, CustomField, FieldValue, Invalid,
};
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
        let first = keep(contacts::name("first_name", &self.first_name).map(Some));
        let last = keep(contacts::name("last_name", &self.last_name).map(Some));
        let email = keep(contacts::email(Some(&self.email)));
        let phone = keep(contacts::phone(Some(&self.phone)));
        let mut values = Vec::new();
        for field in fields {
            let typed = self.fields.get(&field.id).map(String::as_str).unwrap_or("");
            let checked = keep(contacts::field_value(field, typed));
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
    use switchboard_protocol::contacts::FieldKind;

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

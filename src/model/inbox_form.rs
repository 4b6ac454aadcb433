//! The custom inbox builder's form (T2): the conditions as typed, turned into the request
//! the server takes, with the same rules (a value for every condition that compares one,
//! greater/less only for number and date fields, at least a minute), so mistakes are named
//! before anything is sent.

use crate::tr;
use switchboard_protocol::contacts::{CustomField, FieldKind};
use switchboard_protocol::inbox::*;
use switchboard_protocol::*;

/// How the newest incoming message's age is limited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Age {
    #[default]
    Any,
    Within,
    OlderThan,
}

/// One condition on a contact field, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub field: ContactField,
    pub op: FieldOp,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboxForm {
    pub name: String,
    pub channels: Vec<ChannelKind>,
    pub statuses: Vec<ConversationStatus>,
    pub assignee: Option<AssigneeCondition>,
    pub age: Age,
    pub minutes: String,
    pub conditions: Vec<Condition>,
    pub users: Vec<UserId>,
    pub teams: Vec<TeamId>,
}

/// The operators that make sense for a field.
pub fn ops_for(field: ContactField, fields: &[CustomField]) -> Vec<FieldOp> {
    let ordered = match field {
        ContactField::Custom(id) => fields
            .iter()
            .find(|f| f.id == id)
            .is_some_and(|f| matches!(f.kind, FieldKind::Number | FieldKind::Date)),
        _ => false,
    };
    let mut ops = vec![
        FieldOp::Equals,
        FieldOp::Contains,
        FieldOp::IsSet,
        FieldOp::IsNotSet,
    ];
    if ordered {
        ops.extend([FieldOp::GreaterThan, FieldOp::LessThan]);
    }
    ops
}

pub fn needs_value(op: FieldOp) -> bool {
    !matches!(op, FieldOp::IsSet | FieldOp::IsNotSet)
}

impl InboxForm {
    pub fn of(inbox: &CustomInbox) -> InboxForm {
        let f = &inbox.filter;
        let (age, minutes) = match f.last_incoming {
            None => (Age::Any, String::new()),
            Some(AgeCondition::WithinMinutes { minutes }) => (Age::Within, minutes.to_string()),
            Some(AgeCondition::OlderThanMinutes { minutes }) => {
                (Age::OlderThan, minutes.to_string())
            }
        };
        InboxForm {
            name: inbox.name.clone(),
            channels: f.channels.clone(),
            statuses: f.statuses.clone(),
            assignee: f.assignee,
            age,
            minutes,
            conditions: f
                .contact
                .iter()
                .map(|c| Condition {
                    field: c.field,
                    op: c.op,
                    value: c.value.clone().unwrap_or_default(),
                })
                .collect(),
            users: inbox.shared_with_users.clone(),
            teams: inbox.shared_with_teams.clone(),
        }
    }

    /// The request, or the problem with the field the server would name.
    pub fn request(&self, fields: &[CustomField]) -> Result<CustomInboxRequest, (String, String)> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(("name".into(), tr!("settings-inbox-name-length")));
        }
        let mut contact = Vec::new();
        for c in &self.conditions {
            if !ops_for(c.field, fields).contains(&c.op) {
                return Err(("filter.contact".into(), tr!("settings-inbox-ordered-only")));
            }
            let value = c.value.trim();
            if needs_value(c.op) && value.is_empty() {
                return Err(("filter.contact".into(), tr!("settings-inbox-value-needed")));
            }
            contact.push(FieldCondition {
                field: c.field,
                op: c.op,
                value: needs_value(c.op).then(|| value.to_owned()),
            });
        }
        let last_incoming = match self.age {
            Age::Any => None,
            age => {
                let minutes = self
                    .minutes
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|m| *m > 0)
                    .ok_or_else(|| {
                        (
                            "filter.last_incoming".to_owned(),
                            tr!("settings-inbox-minutes-needed"),
                        )
                    })?;
                Some(match age {
                    Age::Within => AgeCondition::WithinMinutes { minutes },
                    _ => AgeCondition::OlderThanMinutes { minutes },
                })
            }
        };
        Ok(CustomInboxRequest {
            name: name.to_owned(),
            filter: InboxFilter {
                channels: self.channels.clone(),
                statuses: self.statuses.clone(),
                assignee: self.assignee,
                contact,
                last_incoming,
            },
            shared_with_users: self.users.clone(),
            shared_with_teams: self.teams.clone(),
        })
    }
}

/// Adds `item` to `list`, or takes it out (a checkbox).
pub fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T, on: bool) {
    list.retain(|i| *i != item);
    if on {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vec<CustomField> {
        vec![
            CustomField {
                id: CustomFieldId(1),
                label: "Orders".into(),
                kind: FieldKind::Number,
                options: vec![],
            },
            CustomField {
                id: CustomFieldId(2),
                label: "Plan".into(),
                kind: FieldKind::List,
                options: vec!["Gold".into()],
            },
        ]
    }

    #[test]
    fn a_form_becomes_the_filter_and_back() {
        let form = InboxForm {
            name: "  Big buyers ".into(),
            channels: vec![ChannelKind::Telegram],
            statuses: vec![ConversationStatus::Open],
            assignee: Some(AssigneeCondition::Me),
            age: Age::Within,
            minutes: "60".into(),
            conditions: vec![
                Condition {
                    field: ContactField::Custom(CustomFieldId(1)),
                    op: FieldOp::GreaterThan,
                    value: " 10 ".into(),
                },
                Condition {
                    field: ContactField::Email,
                    op: FieldOp::IsSet,
                    value: "ignored".into(),
                },
            ],
            users: vec![UserId(2)],
            teams: vec![TeamId(1)],
        };
        let request = form.request(&fields()).expect("valid");
        assert_eq!(request.name, "Big buyers");
        assert_eq!(
            request.filter.last_incoming,
            Some(AgeCondition::WithinMinutes { minutes: 60 })
        );
        assert_eq!(request.filter.contact[0].value.as_deref(), Some("10"));
        assert_eq!(request.filter.contact[1].value, None);
        let inbox = CustomInbox {
            id: CustomInboxId(5),
            name: request.name.clone(),
            owner: UserId(1),
            filter: request.filter.clone(),
            shared_with_users: request.shared_with_users.clone(),
            shared_with_teams: request.shared_with_teams.clone(),
        };
        let again = InboxForm::of(&inbox).request(&fields()).expect("valid");
        assert_eq!(again, request);
    }

    #[test]
    fn mistakes_are_named_before_sending() {
        let mut form = InboxForm {
            name: "x".into(),
            ..InboxForm::default()
        };
        form.conditions.push(Condition {
            field: ContactField::Custom(CustomFieldId(2)),
            op: FieldOp::GreaterThan,
            value: "Gold".into(),
        });
        assert_eq!(
            form.request(&fields()).expect_err("list").0,
            "filter.contact"
        );
        form.conditions[0].op = FieldOp::Equals;
        form.conditions[0].value = " ".into();
        assert_eq!(
            form.request(&fields()).expect_err("no value").0,
            "filter.contact"
        );
        form.conditions.clear();
        form.age = Age::OlderThan;
        form.minutes = "0".into();
        assert_eq!(
            form.request(&fields()).expect_err("zero").0,
            "filter.last_incoming"
        );
        form.name = " ".into();
        assert_eq!(form.request(&fields()).expect_err("name").0, "name");
        assert_eq!(ops_for(ContactField::Email, &fields()).len(), 4);
        assert_eq!(
            ops_for(ContactField::Custom(CustomFieldId(1)), &fields()).len(),
            6
        );
    }
}

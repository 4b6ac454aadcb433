//! Workflows (A7, A8, T9): a workspace's automations — one trigger and ordered steps — and
//! their runs for conversations, with the rules a workflow must follow to be saved (checked
//! by the server, and by the settings form before it asks).

use crate::{
    AssigneeRef, ChannelKind, ContactId, ConversationId, ConversationStatus, CustomFieldId, UserId,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most steps a workflow has.
pub const MAX_STEPS: usize = 30;
/// The longest wait, in seconds (30 days).
pub const MAX_WAIT_SECS: u64 = 30 * 24 * 3600;
/// The longest text a step writes, in characters.
pub const MAX_STEP_TEXT: usize = 4096;
/// The longest address an HTTP request step calls.
pub const MAX_URL_CHARS: usize = 2000;

/// What starts a workflow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkflowTrigger {
    /// An agent runs it from a conversation (the lightning icon or the ⋮ menu, A7).
    Shortcut,
    /// A conversation is opened (new, or reopened).
    ConversationOpened,
    /// A conversation is closed.
    ConversationClosed,
    /// A member changes a contact's custom field (any field when `field` is `None`).
    ContactFieldUpdated {
        #[serde(default)]
        field: Option<CustomFieldId>,
    },
}

/// A condition on the run's conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkflowCondition {
    Status {
        is: ConversationStatus,
    },
    Assigned {
        assigned: bool,
    },
    Channel {
        is: ChannelKind,
    },
    /// The contact's custom field holds this value (compared without regard to case).
    ContactField {
        field: CustomFieldId,
        equals: String,
    },
}

/// An HTTP request step's method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
}

/// One step of a workflow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkflowStep {
    /// Sends a message to the contact through the conversation's channel.
    SendMessage {
        text: String,
    },
    /// Writes an internal comment.
    AddComment {
        text: String,
    },
    /// Assigns to a member or team, or unassigns (`None`).
    Assign {
        #[serde(default)]
        assignee: Option<AssigneeRef>,
    },
    Close,
    /// Sets the contact's custom field; empty clears it.
    UpdateContactField {
        field: CustomFieldId,
        value: String,
    },
    /// Waits before the next step (survives restarts).
    Wait {
        seconds: u64,
    },
    /// When the condition does not hold, the next `skip` steps are skipped.
    Branch {
        condition: WorkflowCondition,
        skip: u32,
    },
    /// Calls an address on the web (public addresses only unless the operator allows
    /// private ones); a POST sends `body` as JSON.
    HttpRequest {
        method: HttpMethod,
        url: String,
        #[serde(default)]
        body: Option<String>,
    },
}

/// A workflow as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workflow {
    pub id: i64,
    pub name: String,
    pub trigger: WorkflowTrigger,
    pub steps: Vec<WorkflowStep>,
    pub enabled: bool,
    /// When it was last changed: its trigger counts from then.
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

/// Body of creating or changing a workflow (owners and managers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkflowRequest {
    pub name: String,
    pub trigger: WorkflowTrigger,
    pub steps: Vec<WorkflowStep>,
    pub enabled: bool,
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Performing its steps, or waiting for the next.
    Running,
    Done,
    Stopped,
    /// A step failed; the run performs no more.
    Failed,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Done => "done",
            RunStatus::Stopped => "stopped",
            RunStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<RunStatus> {
        [
            RunStatus::Running,
            RunStatus::Done,
            RunStatus::Stopped,
            RunStatus::Failed,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// One step a run performed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunStepLog {
    pub step: u32,
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    pub outcome: String,
}

/// A run of a workflow for a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowRun {
    pub id: i64,
    pub workflow_id: Option<i64>,
    pub workflow_name: String,
    pub conversation_id: ConversationId,
    pub contact_id: ContactId,
    pub status: RunStatus,
    /// The next step to perform (0-based), or the number of steps when finished.
    pub step: u32,
    pub steps_total: u32,
    /// When the next step is due (a wait's end), while running.
    #[serde(default, deserialize_with = "crate::time::rfc3339_option")]
    pub due_at: Option<DateTime<Utc>>,
    pub started_by: Option<UserId>,
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub started_at: DateTime<Utc>,
    #[serde(default, deserialize_with = "crate::time::rfc3339_option")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Why it failed or who stopped it.
    pub outcome: Option<String>,
    /// The steps performed, in order.
    pub log: Vec<RunStepLog>,
}

/// Body of `POST /workspaces/{ws}/conversations/{id}/workflows`: run a Shortcut workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RunWorkflow {
    pub workflow: i64,
}

/// Body of `POST /workspaces/{ws}/contacts/{id}/workflow-runs/stop`: one run, or all the
/// contact's ongoing runs (`run` absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StopRuns {
    #[serde(default)]
    pub run: Option<i64>,
}

/// What is wrong with a workflow: the field (`name`, `steps.2.url`, …) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkflowProblem {
    pub field: String,
    pub message: String,
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> WorkflowProblem {
    WorkflowProblem {
        field: field.into(),
        message: message.into(),
    }
}

/// Checks a workflow before it is saved: a name of 1–80 characters on one line; 1 to
/// [`MAX_STEPS`] steps; texts of 1–[`MAX_STEP_TEXT`] characters; waits of 1 second to
/// 30 days; branches that skip only steps that follow; http(s) addresses.
pub fn check(request: &WorkflowRequest) -> Result<(), WorkflowProblem> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 80 || name.contains(['\n', '\r']) {
        return Err(problem("name", "A name of 1 to 80 characters on one line."));
    }
    if request.steps.is_empty() || request.steps.len() > MAX_STEPS {
        return Err(problem(
            "steps",
            format!("A workflow has 1 to {MAX_STEPS} steps."),
        ));
    }
    let total = request.steps.len();
    for (i, step) in request.steps.iter().enumerate() {
        let at = |part: &str| format!("steps.{i}.{part}");
        match step {
            WorkflowStep::SendMessage { text } | WorkflowStep::AddComment { text } => {
                let n = text.trim().chars().count();
                if n == 0 || n > MAX_STEP_TEXT {
                    return Err(problem(
                        at("text"),
                        format!("A text of 1 to {MAX_STEP_TEXT} characters."),
                    ));
                }
            }
            WorkflowStep::UpdateContactField { value, .. } => {
                if value.chars().count() > MAX_STEP_TEXT {
                    return Err(problem(at("value"), "The value is too long."));
                }
            }
            WorkflowStep::Wait { seconds } => {
                if *seconds == 0 || *seconds > MAX_WAIT_SECS {
                    return Err(problem(at("seconds"), "Wait 1 second to 30 days."));
                }
            }
            WorkflowStep::Branch { skip, .. } => {
                if *skip == 0 || *skip as usize > total - i - 1 {
                    return Err(problem(
                        at("skip"),
                        "A branch skips 1 or more of the steps that follow it.",
                    ));
                }
            }
            WorkflowStep::HttpRequest { url, body, .. } => {
                let lower = url.trim().to_ascii_lowercase();
                if !(lower.starts_with("https://") || lower.starts_with("http://"))
                    || url.chars().count() > MAX_URL_CHARS
                    || url.chars().any(char::is_whitespace)
                {
                    return Err(problem(at("url"), "An http:// or https:// address."));
                }
                if body
                    .as_ref()
                    .is_some_and(|b| b.chars().count() > MAX_STEP_TEXT)
                {
                    return Err(problem(at("body"), "The body is too long."));
                }
            }
            WorkflowStep::Assign { .. } | WorkflowStep::Close => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(steps: Vec<WorkflowStep>) -> WorkflowRequest {
        WorkflowRequest {
            name: "Welcome".into(),
            trigger: WorkflowTrigger::Shortcut,
            steps,
            enabled: true,
        }
    }

    #[test]
    fn workflows_are_checked_step_by_step() {
        let hello = WorkflowStep::SendMessage {
            text: "Hello!".into(),
        };
        assert_eq!(check(&with(vec![hello.clone()])), Ok(()));
        assert_eq!(check(&with(vec![])).unwrap_err().field, "steps");
        let field = |steps| check(&with(steps)).unwrap_err().field;
        assert_eq!(
            field(vec![hello.clone(), WorkflowStep::Wait { seconds: 0 }]),
            "steps.1.seconds"
        );
        assert_eq!(
            field(vec![
                WorkflowStep::Branch {
                    condition: WorkflowCondition::Assigned { assigned: true },
                    skip: 2
                },
                hello.clone()
            ]),
            "steps.0.skip"
        );
        assert_eq!(
            field(vec![WorkflowStep::HttpRequest {
                method: HttpMethod::Get,
                url: "ftp://example.com".into(),
                body: None
            }]),
            "steps.0.url"
        );
        let mut unnamed = with(vec![hello]);
        unnamed.name = " ".into();
        assert_eq!(check(&unnamed).unwrap_err().field, "name");
    }

    #[test]
    fn steps_read_as_tagged_json() {
        let step: WorkflowStep =
            serde_json::from_str(r#"{"kind":"wait","seconds":60}"#).expect("a step");
        assert_eq!(step, WorkflowStep::Wait { seconds: 60 });
        let trigger: WorkflowTrigger =
            serde_json::from_str(r#"{"kind":"contact_field_updated","field":3}"#)
                .expect("a trigger");
        assert_eq!(
            trigger,
            WorkflowTrigger::ContactFieldUpdated {
                field: Some(CustomFieldId(3))
            }
        );
    }
}

//! Workflows (A7, A8, T9): managers keep workflows whose steps are checked; agents run
//! Shortcut workflows from a conversation; runs perform their steps as the workflow and log
//! them; a wait survives a restart; Stop all during a wait prevents the later steps; opened
//! and closed conversations and changed contact fields start their workflows once; HTTP
//! request steps reach public addresses only, redirects included, unless the operator lists
//! a private host.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_protocol::workflows::*;
use switchboard_protocol::*;

fn workflow(name: &str, trigger: Value, steps: Value) -> Value {
    json!({ "name": name, "trigger": trigger, "steps": steps, "enabled": true })
}

async fn create(server: &Server, ws: WorkspaceId, body: Value) -> Workflow {
    let maria = server.login(MARIA).await;
    let response = maria
        .post(&server.api(&format!("/workspaces/{ws}/workflows")), body)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("a workflow")
}

async fn run(
    server: &Server,
    agent: &Agent,
    ws: WorkspaceId,
    conversation: ConversationId,
    workflow: i64,
) -> reqwest::Response {
    agent
        .post(
            &server.api(&format!(
                "/workspaces/{ws}/conversations/{conversation}/workflows"
            )),
            json!({ "workflow": workflow }),
        )
        .await
}

async fn runs(
    server: &Server,
    agent: &Agent,
    ws: WorkspaceId,
    contact: ContactId,
    all: bool,
) -> Vec<WorkflowRun> {
    json_body(
        agent
            .get(&server.api(&format!(
                "/workspaces/{ws}/contacts/{contact}/workflow-runs?all={all}"
            )))
            .await,
    )
    .await
}

/// Waits until the contact's run is no longer running; the run.
async fn finished(
    server: &Server,
    agent: &Agent,
    ws: WorkspaceId,
    contact: ContactId,
    id: i64,
) -> WorkflowRun {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let found = runs(server, agent, ws, contact, true)
            .await
            .into_iter()
            .find(|r| r.id == id)
            .expect("the run is listed");
        if found.status != RunStatus::Running {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the run did not finish: {found:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn by_workflow(thread: &[Message]) -> Vec<(MessageKind, String)> {
    let mut found: Vec<&Message> = thread
        .iter()
        .filter(|m| m.sender.kind == SenderKind::Workflow)
        .collect();
    found.sort_by_key(|m| m.id.0);
    found
        .into_iter()
        .map(|m| (m.kind, m.content.preview_text()))
        .collect()
}

#[tokio::test]
async fn managers_keep_workflows_whose_steps_are_checked() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let url = server.api(&format!("/workspaces/{ws}/workflows"));
    let anna = server.login(ANNA).await;
    let maria = server.login(MARIA).await;
    let hello = json!([{ "kind": "send_message", "text": "Hello!" }]);
    expect_error(
        anna.post(
            &url,
            workflow("Hello", json!({ "kind": "shortcut" }), hello.clone()),
        )
        .await,
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
    )
    .await;
    // Not a member of this workspace.
    let stranger = UserId(999_999);
    for (steps, field) in [
        (json!([]), "steps"),
        (
            json!([{ "kind": "send_message", "text": "Hi" }, { "kind": "wait", "seconds": 0 }]),
            "steps.1.seconds",
        ),
        (
            json!([{ "kind": "branch", "condition": { "kind": "assigned", "assigned": true }, "skip": 1 }]),
            "steps.0.skip",
        ),
        (
            json!([{ "kind": "http_request", "method": "GET", "url": "ftp://example.com/x" }]),
            "steps.0.url",
        ),
        (
            json!([{ "kind": "update_contact_field", "field": 999_999, "value": "Gold" }]),
            "steps.0.field",
        ),
        (
            json!([{ "kind": "assign", "assignee": { "kind": "user", "id": stranger.0 } }]),
            "steps.0.assignee",
        ),
    ] {
        let (error, _) = expect_error(
            maria
                .post(
                    &url,
                    workflow("Broken", json!({ "kind": "shortcut" }), steps),
                )
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{}", error.message);
    }
    let saved = create(
        &server,
        ws,
        workflow("Hello", json!({ "kind": "shortcut" }), hello.clone()),
    )
    .await;
    let (error, _) = expect_error(
        maria
            .post(
                &url,
                workflow("HELLO", json!({ "kind": "shortcut" }), hello.clone()),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("name"));
    // Every member reads them; managers change and delete them.
    let listed: Vec<Workflow> = json_body(anna.get(&url).await).await;
    assert_eq!(listed, vec![saved.clone()]);
    let item = format!("{url}/{}", saved.id);
    let changed: Workflow = json_body(
        maria
            .put(
                &item,
                workflow(
                    "Hello again",
                    json!({ "kind": "conversation_closed" }),
                    hello,
                ),
            )
            .await,
    )
    .await;
    assert_eq!(changed.trigger, WorkflowTrigger::ConversationClosed);
    expect_error(
        anna.delete(&item).await,
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
    )
    .await;
    assert_eq!(maria.delete(&item).await.status(), StatusCode::NO_CONTENT);
    let listed: Vec<Workflow> = json_body(anna.get(&url).await).await;
    assert!(listed.is_empty());
    // Another workspace's workflows are not reached.
    expect_error(
        maria.delete(&format!("{url}/{}", saved.id)).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
}

#[tokio::test]
async fn a_shortcut_run_sends_a_message_as_the_workflow_and_logs_each_step() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let visitor = server.visitor(&server.chat_key().await).await;
    visitor.write("v-1", "Is my order on its way?").await;
    let conversation = anna
        .conversation_with_last_text(&server, ws, "Is my order on its way?")
        .await;
    let shortcut = create(
        &server,
        ws,
        workflow(
            "Order follow-up",
            json!({ "kind": "shortcut" }),
            json!([
                { "kind": "send_message", "text": "Thanks! Your order ships today." },
                { "kind": "branch", "condition": { "kind": "assigned", "assigned": true }, "skip": 1 },
                { "kind": "add_comment", "text": "Skipped: nobody handles it." },
                { "kind": "add_comment", "text": "Followed up by the workflow." },
                { "kind": "close" }
            ]),
        ),
    )
    .await;
    let response = run(&server, &anna, ws, conversation.id, shortcut.id).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let started: WorkflowRun = response.json().await.expect("a run");
    assert_eq!(started.started_by, Some(server.user_id(ANNA).await));
    let done = finished(&server, &anna, ws, conversation.contact.id, started.id).await;
    assert_eq!(done.status, RunStatus::Done, "{done:?}");
    assert_eq!(
        done.log
            .iter()
            .map(|l| l.outcome.as_str())
            .collect::<Vec<_>>(),
        [
            "Message sent.",
            "The condition does not hold: 1 steps skipped.",
            "Comment added.",
            "Closed."
        ]
    );
    assert_eq!(
        by_workflow(&server.thread(ws, conversation.id).await),
        [
            (
                MessageKind::Message,
                "Thanks! Your order ships today.".to_owned()
            ),
            (
                MessageKind::Comment,
                "Followed up by the workflow.".to_owned()
            ),
        ]
    );
    let (page, _) = visitor.thread().await;
    assert!(
        page.items
            .iter()
            .any(|m| m.text == "Thanks! Your order ships today."),
        "the visitor reads the message"
    );
    assert_eq!(
        anna.conversation(&server, ws, conversation.id).await.status,
        ConversationStatus::Closed
    );

    // Only enabled Shortcut workflows run by hand, only on conversations the member sees.
    let closed_trigger = create(
        &server,
        ws,
        workflow(
            "On close",
            json!({ "kind": "conversation_closed" }),
            json!([{ "kind": "add_comment", "text": "Closed." }]),
        ),
    )
    .await;
    expect_error(
        run(&server, &anna, ws, conversation.id, closed_trigger.id).await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    let other = server.other_workspace().await;
    expect_error(
        run(&server, &anna, ws, other.conversation, shortcut.id).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
}

#[tokio::test]
async fn a_wait_survives_a_restart_and_stop_all_prevents_the_later_steps() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let waiting = create(
        &server,
        ws,
        workflow(
            "Check back",
            json!({ "kind": "shortcut" }),
            json!([
                { "kind": "add_comment", "text": "Before the wait." },
                { "kind": "wait", "seconds": 2 },
                { "kind": "add_comment", "text": "After the wait." }
            ]),
        ),
    )
    .await;
    let olivia = server.conversation_of(ws, "Olivia").await;
    let started: WorkflowRun =
        json_body(run(&server, &anna, ws, olivia.id, waiting.id).await).await;
    // Waiting: listed as ongoing with when it goes on.
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    let ongoing = loop {
        let ongoing = runs(&server, &anna, ws, olivia.contact.id, false).await;
        if ongoing.first().is_some_and(|r| r.step == 2) {
            break ongoing;
        }
        assert!(tokio::time::Instant::now() < deadline, "{ongoing:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(ongoing.len(), 1);
    assert!(ongoing[0].due_at.is_some());

    // The server goes down during the wait; after the restart the wait ends on time.
    let stopped = server.stop_keeping_data().await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let server = stopped.restart().await;
    let anna = server.login(ANNA).await;
    let done = finished(&server, &anna, ws, olivia.contact.id, started.id).await;
    assert_eq!(done.status, RunStatus::Done);
    assert_eq!(
        by_workflow(&server.thread(ws, olivia.id).await),
        [
            (MessageKind::Comment, "Before the wait.".to_owned()),
            (MessageKind::Comment, "After the wait.".to_owned()),
        ]
    );

    // Stop all during a wait: the later steps never happen.
    let mateo = server.conversation_of(ws, "Mateo").await;
    let first: WorkflowRun = json_body(run(&server, &anna, ws, mateo.id, waiting.id).await).await;
    let second: WorkflowRun = json_body(run(&server, &anna, ws, mateo.id, waiting.id).await).await;
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    while by_workflow(&server.thread(ws, mateo.id).await).len() < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the runs did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let boris = server.login(BORIS).await;
    let stopped: Vec<WorkflowRun> = json_body(
        boris
            .post(
                &server.api(&format!(
                    "/workspaces/{ws}/contacts/{}/workflow-runs/stop",
                    mateo.contact.id
                )),
                json!({}),
            )
            .await,
    )
    .await;
    let mut ids: Vec<i64> = stopped.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, [first.id, second.id]);
    assert!(stopped.iter().all(|r| r.status == RunStatus::Stopped));
    tokio::time::sleep(Duration::from_millis(3000)).await;
    assert_eq!(
        by_workflow(&server.thread(ws, mateo.id).await),
        [
            (MessageKind::Comment, "Before the wait.".to_owned()),
            (MessageKind::Comment, "Before the wait.".to_owned()),
        ],
        "nothing after the stop"
    );
    assert!(
        runs(&server, &anna, ws, mateo.contact.id, false)
            .await
            .is_empty()
    );
    // Stopping again: nothing ongoing to stop.
    expect_error(
        anna.post(
            &server.api(&format!(
                "/workspaces/{ws}/contacts/{}/workflow-runs/stop",
                mateo.contact.id
            )),
            json!({ "run": first.id }),
        )
        .await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
}

#[tokio::test]
async fn opened_and_closed_conversations_and_changed_fields_start_their_workflows_once() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let maria = server.login(MARIA).await;
    let field: switchboard_protocol::contacts::CustomField = json_body(
        maria
            .post(
                &server.api(&format!("/workspaces/{ws}/custom-fields")),
                json!({ "label": "Plan", "kind": "text" }),
            )
            .await,
    )
    .await;
    create(
        &server,
        ws,
        workflow(
            "Closed",
            json!({ "kind": "conversation_closed" }),
            json!([{ "kind": "add_comment", "text": "Closed: survey sent." }]),
        ),
    )
    .await;
    create(
        &server,
        ws,
        workflow(
            "Opened",
            json!({ "kind": "conversation_opened" }),
            json!([{ "kind": "add_comment", "text": "Opened: welcome." }]),
        ),
    )
    .await;
    create(
        &server,
        ws,
        workflow(
            "Plan changed",
            json!({ "kind": "contact_field_updated", "field": field.id }),
            json!([{ "kind": "add_comment", "text": "The plan changed." }]),
        ),
    )
    .await;
    let olivia = server.conversation_of(ws, "Olivia").await;
    let act = |action: &'static str| {
        let url = server.api(&format!(
            "/workspaces/{ws}/conversations/{}/{action}",
            olivia.id
        ));
        let anna = &anna;
        async move { anna.post(&url, json!({})).await }
    };
    assert_eq!(act("close").await.status(), StatusCode::OK);
    assert_eq!(act("reopen").await.status(), StatusCode::OK);
    let response = anna
        .patch(
            &server.api(&format!("/workspaces/{ws}/contacts/{}", olivia.contact.id)),
            json!({ "fields": [{ "field": field.id, "value": "Gold" }] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // The same value again is no change.
    anna.patch(
        &server.api(&format!("/workspaces/{ws}/contacts/{}", olivia.contact.id)),
        json!({ "fields": [{ "field": field.id, "value": "Gold" }] }),
    )
    .await;
    let want = [
        "Closed: survey sent.".to_owned(),
        "Opened: welcome.".to_owned(),
        "The plan changed.".to_owned(),
    ];
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let mut seen: Vec<String> = by_workflow(&server.thread(ws, olivia.id).await)
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        seen.sort();
        if seen == want {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline && seen.len() <= want.len(),
            "{seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Once each: later events of the same conversation start nothing more.
    anna.post(
        &server.api(&format!(
            "/workspaces/{ws}/conversations/{}/read",
            olivia.id
        )),
        json!({}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(by_workflow(&server.thread(ws, olivia.id).await).len(), 3);
}

/// A local server answering 200 at `/hook` and redirecting `/to?u=…` there; the paths it
/// was asked for.
async fn hooks() -> (String, Arc<Mutex<Vec<String>>>) {
    use axum::extract::{Query, State};
    use axum::response::{IntoResponse, Redirect};
    let asked = Arc::new(Mutex::new(Vec::new()));
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::any(|State(asked): State<Arc<Mutex<Vec<String>>>>| async move {
                asked.lock().expect("the log").push("/hook".into());
                "ok"
            }),
        )
        .route(
            "/to",
            axum::routing::any(
                |State(asked): State<Arc<Mutex<Vec<String>>>>,
                 Query(q): Query<std::collections::HashMap<String, String>>| async move {
                    asked.lock().expect("the log").push("/to".into());
                    Redirect::temporary(q.get("u").map_or("/", String::as_str)).into_response()
                },
            ),
        )
        .with_state(asked.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, asked)
}

#[tokio::test]
async fn http_steps_reach_public_addresses_only_unless_the_operator_lists_a_host() {
    let (hook, asked) = hooks().await;
    let listed = hook.trim_start_matches("http://").to_owned();
    let server = Server::start_configured(move |config| {
        config.workflow_http_private_hosts = vec![listed];
    })
    .await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let olivia = server.conversation_of(ws, "Olivia").await;
    let port = hook.rsplit(':').next().expect("a port").to_owned();
    let other_port: u16 = port.parse::<u16>().expect("a port number").wrapping_add(1);
    for (n, (url, words)) in [
        (format!("{hook}/hook"), None),
        (
            format!("http://127.0.0.1:{other_port}/hook"),
            Some("private and local addresses are not called"),
        ),
        (
            "http://169.254.169.254/latest/meta-data/".to_owned(),
            Some("private and local addresses are not called"),
        ),
        (
            "http://10.0.0.1/admin".to_owned(),
            Some("private and local addresses are not called"),
        ),
        (
            format!("{hook}/to?u=http://169.254.169.254/latest/meta-data/"),
            Some("redirected to an address that is not allowed"),
        ),
        (
            format!("{hook}/to?u=http://127.0.0.1:{other_port}/hook"),
            Some("redirected to an address that is not allowed"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let saved = create(
            &server,
            ws,
            workflow(
                &format!("Call {n}"),
                json!({ "kind": "shortcut" }),
                json!([
                    { "kind": "http_request", "method": "POST", "url": url, "body": "{\"order\":5110}" },
                    { "kind": "add_comment", "text": format!("Called {n}.") }
                ]),
            ),
        )
        .await;
        let started: WorkflowRun =
            json_body(run(&server, &anna, ws, olivia.id, saved.id).await).await;
        let done = finished(&server, &anna, ws, olivia.contact.id, started.id).await;
        match words {
            None => {
                assert_eq!(done.status, RunStatus::Done, "{done:?}");
                assert_eq!(done.log[0].outcome, "HTTP 200");
            }
            Some(words) => {
                assert_eq!(done.status, RunStatus::Failed, "{url}: {done:?}");
                let why = done.outcome.clone().unwrap_or_default();
                assert!(why.contains(words), "{url}: {why}");
                assert!(
                    !why.contains("meta-data"),
                    "the path is not repeated: {why}"
                );
            }
        }
    }
    // Only the listed host was called (twice through its redirect), never the others.
    assert_eq!(
        *asked.lock().expect("the log"),
        ["/hook", "/to", "/to"],
        "what the listed host was asked"
    );
    let comments: Vec<String> = by_workflow(&server.thread(ws, olivia.id).await)
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert_eq!(comments, ["Called 0."], "a failed request ends its run");
}

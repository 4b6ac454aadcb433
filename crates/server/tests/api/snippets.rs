//! Snippets (saved replies, K5/T3) over HTTP and the agent socket: every member lists them,
//! only owners and managers change them, bad input is a 422 naming the field, names are
//! unique without regard to case, other workspaces neither see nor touch them, and every
//! change reaches the sockets as `workspace_changed` with the part `snippets`.

use crate::common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use switchboard_protocol::settings::{MAX_SNIPPET_NAME_CHARS, Snippet, SnippetRequest};
use switchboard_protocol::validation::MAX_MESSAGE_CHARS;
use switchboard_protocol::*;

fn list_url(server: &Server, ws: WorkspaceId) -> String {
    server.api(&format!("/workspaces/{ws}/snippets"))
}

fn snippet_url(server: &Server, ws: WorkspaceId, id: SnippetId) -> String {
    server.api(&format!("/workspaces/{ws}/snippets/{id}"))
}

async fn list(agent: &Agent, server: &Server, ws: WorkspaceId) -> Vec<Snippet> {
    let response = agent.get(&list_url(server, ws)).await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

/// Creates a snippet as `agent` and expects `201 Created`.
async fn create(
    agent: &Agent,
    server: &Server,
    ws: WorkspaceId,
    name: &str,
    text: &str,
) -> Snippet {
    let response = agent
        .post(&list_url(server, ws), json!({ "name": name, "text": text }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "creating {name:?}");
    json_body(response).await
}

fn names(snippets: &[Snippet]) -> Vec<&str> {
    snippets.iter().map(|s| s.name.as_str()).collect()
}

/// The demo snippet called `name`, from the store.
async fn demo_snippet(server: &Server, ws: WorkspaceId, name: &str) -> Snippet {
    server
        .store()
        .snippets(ws)
        .await
        .expect("the store answers")
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no demo snippet {name:?}"))
}

#[tokio::test]
async fn every_member_lists_the_snippets_sorted_by_name() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    for email in [ANNA, BORIS, MARIA] {
        let agent = server.login(email).await;
        let snippets = list(&agent, &server, ws).await;
        assert_eq!(
            names(&snippets),
            ["callback", "closing", "greeting", "refund", "shipping"],
            "{email}"
        );
        let greeting = &snippets[2];
        assert_eq!(
            greeting.text,
            "Hi {{first_name|there}}! Thanks for writing to Northwind Coffee — how can I help?"
        );
        assert_eq!(
            snippets[1].text,
            "Glad I could help, {{first_name|}}! Have a great day."
        );
    }
    // Case does not decide the order.
    let maria = server.login(MARIA).await;
    create(&maria, &server, ws, "Apology", "Sorry for the wait!").await;
    create(&maria, &server, ws, "hours", "We answer 8:00–18:00 CET.").await;
    let anna = server.login(ANNA).await;
    assert_eq!(
        names(&list(&anna, &server, ws).await),
        [
            "Apology", "callback", "closing", "greeting", "hours", "refund", "shipping"
        ]
    );
    // The second demo workspace has none.
    let aurora = server.workspace_named("Aurora Books").await;
    assert!(list(&anna, &server, aurora).await.is_empty());
}

#[tokio::test]
async fn only_managers_and_owners_create_change_and_delete_snippets() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let refund = demo_snippet(&server, ws, "refund").await;
    let before = server.workspace_state(ws).await;

    for email in [ANNA, BORIS] {
        let agent = server.login(email).await;
        let response = agent
            .post(
                &list_url(&server, ws),
                json!({ "name": "mine", "text": "An agent's own reply" }),
            )
            .await;
        expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
        let response = agent
            .put(
                &snippet_url(&server, ws, refund.id),
                json!({ "name": "refund", "text": "Changed by an agent" }),
            )
            .await;
        expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
        let response = agent.delete(&snippet_url(&server, ws, refund.id)).await;
        expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    }
    assert!(
        server.workspace_state(ws).await == before,
        "a refused change changes nothing"
    );

    // A manager does all three; names and texts are stored trimmed.
    let maria = server.login(MARIA).await;
    let response = maria
        .post(
            &list_url(&server, ws),
            json!({ "name": "  beans ", "text": "\n Single-origin, roasted weekly.\n\n" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let beans: Snippet = json_body(response).await;
    assert_eq!(beans.name, "beans");
    assert_eq!(beans.text, "Single-origin, roasted weekly.");
    let response = maria
        .put(
            &snippet_url(&server, ws, beans.id),
            json!({ "name": "Beans", "text": "Roasted every Monday.\n\nAsk for decaf!" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let changed: Snippet = json_body(response).await;
    assert_eq!(
        changed,
        Snippet {
            id: beans.id,
            name: "Beans".into(),
            text: "Roasted every Monday.\n\nAsk for decaf!".into(),
            files: vec![],
        }
    );
    let anna = server.login(ANNA).await;
    assert!(list(&anna, &server, ws).await.contains(&changed));
    let response = maria.delete(&snippet_url(&server, ws, beans.id)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        list(&anna, &server, ws)
            .await
            .iter()
            .all(|s| s.id != beans.id)
    );
    // Gone is gone.
    let response = maria.delete(&snippet_url(&server, ws, beans.id)).await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let response = maria
        .put(
            &snippet_url(&server, ws, beans.id),
            json!({ "name": "beans", "text": "Back?" }),
        )
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;

    // An owner may too (Li owns the second workspace).
    let aurora = server.workspace_named("Aurora Books").await;
    let li = server.login(LI).await;
    let made = create(&li, &server, aurora, "hello", "Welcome to Aurora Books!").await;
    assert_eq!(list(&li, &server, aurora).await, vec![made]);
}

#[tokio::test]
async fn bad_snippets_are_refused_naming_the_field_and_nothing_is_stored() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let refund = demo_snippet(&server, ws, "refund").await;
    let before = server.workspace_state(ws).await;

    let long_name = "n".repeat(MAX_SNIPPET_NAME_CHARS + 1);
    let long_text = "t".repeat(MAX_MESSAGE_CHARS + 1);
    let cases: [(Value, &str); 9] = [
        (json!({ "name": "", "text": "Hello" }), "name"),
        (json!({ "name": "   ", "text": "Hello" }), "name"),
        (json!({ "name": long_name, "text": "Hello" }), "name"),
        (json!({ "name": "two\nlines", "text": "Hello" }), "name"),
        (json!({ "name": "nul\u{0}", "text": "Hello" }), "name"),
        (json!({ "name": "empty", "text": "" }), "text"),
        (json!({ "name": "blank", "text": " \n\t " }), "text"),
        (json!({ "name": "long", "text": long_text }), "text"),
        (json!({ "name": "bell", "text": "Ding\u{7}" }), "text"),
    ];
    for (body, field) in &cases {
        for (method, url) in [
            (Method::POST, list_url(&server, ws)),
            (Method::PUT, snippet_url(&server, ws, refund.id)),
        ] {
            let response = maria.call(method.clone(), &url, Some(body.clone())).await;
            let (error, text) = expect_error(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
            )
            .await;
            assert_eq!(
                error.field.as_deref(),
                Some(*field),
                "{method} {body}: {text}"
            );
        }
    }
    // Unknown fields and missing ones are refused by the body's type, which names them.
    for (body, named) in [
        (
            json!({ "name": "extra", "text": "Hello", "shared": true }),
            "shared",
        ),
        (json!({ "name": "no text" }), "text"),
        (json!({ "text": "no name" }), "name"),
    ] {
        for (method, url) in [
            (Method::POST, list_url(&server, ws)),
            (Method::PUT, snippet_url(&server, ws, refund.id)),
        ] {
            let response = maria.call(method.clone(), &url, Some(body.clone())).await;
            let (error, text) = expect_error(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
            )
            .await;
            assert!(
                error.message.contains(&format!("`{named}`")),
                "{method} {body}: {text}"
            );
        }
    }
    // The longest allowed name and text pass.
    let longest_name = "ü".repeat(MAX_SNIPPET_NAME_CHARS);
    let longest_text = "t".repeat(MAX_MESSAGE_CHARS);
    let before_longest = server.workspace_state(ws).await;
    assert!(before_longest == before, "the refusals changed nothing");
    let made = create(&maria, &server, ws, &longest_name, &longest_text).await;
    assert_eq!(made.name, longest_name);
    assert_eq!(made.text.chars().count(), MAX_MESSAGE_CHARS);
}

#[tokio::test]
async fn a_name_taken_in_any_case_is_a_conflict() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let refund = demo_snippet(&server, ws, "refund").await;
    let before = server.workspace_state(ws).await;

    for name in ["greeting", "Greeting", " GREETING "] {
        let response = maria
            .post(
                &list_url(&server, ws),
                json!({ "name": name, "text": "A second greeting" }),
            )
            .await;
        expect_error(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    }
    let response = maria
        .put(
            &snippet_url(&server, ws, refund.id),
            json!({ "name": "Shipping", "text": "Clash" }),
        )
        .await;
    expect_error(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert!(
        server.workspace_state(ws).await == before,
        "a refused change changes nothing"
    );

    // A snippet may keep its own name in another case.
    let response = maria
        .put(
            &snippet_url(&server, ws, refund.id),
            json!({ "name": "Refund", "text": refund.text }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let renamed: Snippet = json_body(response).await;
    assert_eq!(renamed.name, "Refund");
}

#[tokio::test]
async fn outsiders_get_404_and_another_workspaces_snippet_is_not_found() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let refund = demo_snippet(&server, ws, "refund").await;
    let before = server.workspace_state(ws).await;
    let body = json!({ "name": "stolen", "text": "Mine now" });

    // Li belongs to the second demo workspace only.
    let li = server.login(LI).await;
    let attempts = [
        li.get(&list_url(&server, ws)).await,
        li.post(&list_url(&server, ws), body.clone()).await,
        li.put(&snippet_url(&server, ws, refund.id), body.clone())
            .await,
        li.delete(&snippet_url(&server, ws, refund.id)).await,
    ];
    for response in attempts {
        let (_, text) = expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
        assert!(
            !text.contains("refund") && !text.contains("30 days"),
            "{text}"
        );
    }
    // Her own workspace's path does not reach the first workspace's snippet either.
    let aurora = server.workspace_named("Aurora Books").await;
    let response = li
        .put(&snippet_url(&server, aurora, refund.id), body.clone())
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let response = li.delete(&snippet_url(&server, aurora, refund.id)).await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    assert!(
        server.workspace_state(ws).await == before,
        "nothing changed"
    );

    // A workspace nobody of the demo belongs to, with a snippet of its own.
    let other = server.other_workspace().await;
    let (secret, _) = server
        .store()
        .create_snippet(
            other.workspace,
            &SnippetRequest {
                name: "codes".into(),
                text: "The globex launch codes are 0000".into(),
                files: vec![],
            },
            // Without files, whose snippet it is does not matter.
            UserId(1),
        )
        .await
        .expect("a snippet");
    let maria = server.login(MARIA).await;
    let attempts = [
        maria.get(&list_url(&server, other.workspace)).await,
        maria
            .post(&list_url(&server, other.workspace), body.clone())
            .await,
        maria
            .put(
                &snippet_url(&server, other.workspace, secret.id),
                body.clone(),
            )
            .await,
        maria
            .delete(&snippet_url(&server, other.workspace, secret.id))
            .await,
        // Its id under the manager's own workspace names nothing there.
        maria
            .put(&snippet_url(&server, ws, secret.id), body.clone())
            .await,
        maria.delete(&snippet_url(&server, ws, secret.id)).await,
    ];
    for response in attempts {
        let (_, text) = expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
        for secret in OtherWorkspace::SECRETS {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
    assert_eq!(
        server
            .store()
            .snippets(other.workspace)
            .await
            .expect("the store answers"),
        vec![secret.clone()],
        "the other workspace's snippet is untouched"
    );
    let listed = list(&maria, &server, ws).await;
    assert!(listed.iter().all(|s| s.id != secret.id));
    assert!(
        server.workspace_state(ws).await == before,
        "nothing changed"
    );
}

#[tokio::test]
async fn snippet_changes_reach_agent_sockets_as_workspace_changed() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let maria = server.login(MARIA).await;
    let mut socket = anna.socket(&server, ws, None).await;
    let hello = next_json(&mut socket).await;
    assert_eq!(hello["type"], "hello", "{hello}");
    let head = hello["seq"].as_u64().expect("a seq");
    let changed = json!({ "type": "workspace_changed", "part": "snippets" });

    let made = create(
        &maria,
        &server,
        ws,
        "loyalty",
        "Every tenth coffee is on us.",
    )
    .await;
    let frame = next_json(&mut socket).await;
    event_payload(&frame, head + 1, ws);
    assert_eq!(frame["event"]["payload"], changed);

    let response = maria
        .put(
            &snippet_url(&server, ws, made.id),
            json!({ "name": "loyalty", "text": "Every tenth coffee is free." }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let frame = next_json(&mut socket).await;
    event_payload(&frame, head + 2, ws);
    assert_eq!(frame["event"]["payload"], changed);

    let response = maria.delete(&snippet_url(&server, ws, made.id)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let frame = next_json(&mut socket).await;
    event_payload(&frame, head + 3, ws);
    assert_eq!(frame["event"]["payload"], changed);

    // Refused changes announce nothing.
    let response = anna
        .post(
            &list_url(&server, ws),
            json!({ "name": "agent", "text": "Not allowed" }),
        )
        .await;
    expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let response = maria
        .post(
            &list_url(&server, ws),
            json!({ "name": "greeting", "text": "Taken" }),
        )
        .await;
    expect_error(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert_silent(&mut socket, std::time::Duration::from_millis(300)).await;
    assert_eq!(server.last_seq(ws).await, head + 3);
    close(socket).await;
}

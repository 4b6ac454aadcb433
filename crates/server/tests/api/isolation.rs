//! Workspaces are isolated: a member of one workspace can neither read nor change another's
//! conversations, and learns nothing about them.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use switchboard_protocol::ErrorCode;

#[tokio::test]
async fn another_workspaces_conversation_is_not_found_and_left_untouched() {
    let server = Server::start().await;
    let a = server.workspace().await;
    let other = server.other_workspace().await;
    let b = other.workspace;
    let conversation = other.conversation;
    let agent = server.login(ANNA).await;
    assert!(agent.me.workspaces.iter().all(|m| m.id != b));

    let before_a = server.footprint(a).await;
    let before_b = server.footprint(b).await;
    let unread_before = server
        .store()
        .conversation(b, conversation)
        .await
        .expect("B's conversation")
        .unread_count;
    assert_eq!(unread_before, 1);

    let send = json!({ "client_id": "intruder-1", "kind": "message", "text": "hello from A" });
    let comment = json!({ "client_id": "intruder-2", "kind": "comment", "text": "peek" });
    // B's conversation, named under B's id and smuggled under A's.
    for ws in [b, a] {
        let base = format!("/workspaces/{ws}/conversations/{conversation}");
        let answers = vec![
            agent.get(&server.api(&base)).await,
            agent.get(&server.api(&format!("{base}/messages"))).await,
            agent
                .post(&server.api(&format!("{base}/messages")), send.clone())
                .await,
            agent
                .post(&server.api(&format!("{base}/messages")), comment.clone())
                .await,
            agent
                .post(&server.api(&format!("{base}/read")), json!({}))
                .await,
        ];
        for response in answers {
            let (_, text) =
                expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
            for secret in OtherWorkspace::SECRETS {
                assert!(!text.contains(secret), "{text} reveals {secret}");
            }
        }
    }
    // B's list, and B's paginated list.
    for query in ["", "?limit=1", "?cursor=1_1"] {
        let response = agent
            .get(&server.api(&format!("/workspaces/{b}/conversations{query}")))
            .await;
        let (_, text) = expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
        for secret in OtherWorkspace::SECRETS {
            assert!(!text.contains(secret), "{text} reveals {secret}");
        }
    }
    // A workspace that does not exist answers exactly like one that does.
    let missing = agent
        .get(&server.api("/workspaces/987654/conversations"))
        .await;
    let (missing, _) = expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let existing = agent
        .get(&server.api(&format!("/workspaces/{b}/conversations")))
        .await;
    let (existing, _) = expect_error(existing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    assert_eq!(missing, existing);

    // Nothing was stored in either workspace, and B's conversation is still unread.
    assert_eq!(server.footprint(b).await, before_b);
    assert_eq!(server.footprint(a).await, before_a);
    let after = server
        .store()
        .conversation(b, conversation)
        .await
        .expect("B's conversation");
    assert_eq!(after.unread_count, 1);

    // A's own list never shows B's conversation.
    let page = agent.conversations(&server, a, "?limit=100").await;
    assert!(page.items.iter().all(|c| c.id != conversation));
    let text = serde_json::to_string(&page).expect("serialisable");
    for secret in OtherWorkspace::SECRETS {
        assert!(!text.contains(secret), "A's list reveals {secret}");
    }
}

#[tokio::test]
async fn an_unknown_api_path_with_a_session_is_not_found() {
    let server = Server::start().await;
    let agent = server.login(ANNA).await;
    for path in [
        "/nope",
        "/workspaces/abc/conversations",
        "/workspaces/1/conversations/xyz",
    ] {
        let response = agent.get(&server.api(path)).await;
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
}

//! What members may not see (P4, A4): a masked member (Boris) never receives a phone number,
//! over REST or his socket, and cannot find or filter by one; a member without
//! `view_blocked` (Anna, Boris) never sees a blocked contact's conversation.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard_protocol::api::{ConversationDetail, Page};
use switchboard_protocol::contacts::Contact;
use switchboard_protocol::inbox::{CustomInbox, Folders};
use switchboard_protocol::*;

const MASKED: Permissions = Permissions {
    view_blocked: false,
    phone_masked: true,
};

/// Every phone number of the workspace, as written and as digits.
async fn phone_strings(server: &Server, ws: WorkspaceId) -> Vec<String> {
    let mut phones = Vec::new();
    for c in server.all_conversations(ws).await {
        if let Some(phone) = c.contact.phone {
            phones.push(switchboard_protocol::contacts::phone_digits(&phone));
            phones.push(phone);
        }
    }
    assert!(phones.len() >= 12, "the demo has phone numbers: {phones:?}");
    phones
}

fn assert_no_phone(text: &str, phones: &[String], what: &str) {
    for phone in phones {
        assert!(
            !text.contains(phone.as_str()),
            "{what} reveals {phone}: {text}"
        );
    }
}

/// The row as the store holds it, unmasked.
async fn stored(server: &Server, ws: WorkspaceId, id: ConversationId) -> ConversationSummary {
    server.store().conversation(ws, id).await.expect("a row")
}

fn assert_masked(shown: &ContactSummary, stored: &ContactSummary) {
    assert_eq!(shown.phone, None, "{shown:?}");
    assert_eq!(
        shown.phone_masked,
        stored.phone.is_some(),
        "phone_masked must say whether a number exists: {shown:?}"
    );
    assert_eq!(shown, &stored.clone().masked_for(MASKED));
}

async fn text_of(response: reqwest::Response, status: StatusCode) -> String {
    let url = response.url().clone();
    assert_eq!(response.status(), status, "{url}");
    response.text().await.expect("a body")
}

#[tokio::test]
async fn boris_receives_no_phone_number_in_any_answer() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let phones = phone_strings(&server, ws).await;
    let boris = server.login(BORIS).await;
    let anna = server.login(ANNA).await;
    let membership = boris
        .me
        .workspaces
        .iter()
        .find(|m| m.id == ws)
        .expect("member");
    assert!(membership.permissions.phone_masked);

    // Every list row, in every status tab.
    let list = server.api(&format!("/workspaces/{ws}/conversations"));
    for query in [
        "?limit=100",
        "?status=open&limit=100",
        "?status=closed&limit=100",
        "?status=snoozed&limit=100",
        "?folder=unassigned&sort=oldest&limit=100",
    ] {
        let text = text_of(boris.get(&format!("{list}{query}")).await, StatusCode::OK).await;
        assert_no_phone(&text, &phones, query);
        let page: Page<ConversationSummary> = serde_json::from_str(&text).expect("a page");
        for row in &page.items {
            let truth = stored(&server, ws, row.id).await;
            assert_masked(&row.contact, &truth.contact);
        }
    }
    let all = boris.conversations(&server, ws, "?limit=100").await;
    assert!(all.items.iter().filter(|c| c.contact.phone_masked).count() >= 7);
    // The control: Anna, who is not masked, gets the numbers in the same list.
    let text = text_of(anna.get(&format!("{list}?limit=100")).await, StatusCode::OK).await;
    assert!(text.contains("+44 20 7946 0321"), "{text}");

    // One conversation and one contact, for every contact.
    for row in &all.items {
        let truth = stored(&server, ws, row.id).await;
        let text = text_of(
            boris
                .get(&server.api(&format!("/workspaces/{ws}/conversations/{}", row.id)))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_no_phone(&text, &phones, "a conversation");
        let detail: ConversationDetail = serde_json::from_str(&text).expect("a detail");
        assert_masked(&detail.conversation.contact, &truth.contact);

        let text = text_of(
            boris
                .get(&server.api(&format!("/workspaces/{ws}/contacts/{}", row.contact.id)))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_no_phone(&text, &phones, "a contact");
        let contact: Contact = serde_json::from_str(&text).expect("a contact");
        assert_masked(&contact.summary, &truth.contact);
    }

    // Editing a contact with a number answers without it, and keeps the number.
    let olivia = server.conversation_of(ws, "Olivia").await;
    let contact_url = server.api(&format!("/workspaces/{ws}/contacts/{}", olivia.contact.id));
    let text = text_of(
        boris
            .patch(&contact_url, json!({ "last_name": "Bennett-Smith" }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_no_phone(&text, &phones, "a contact edit");
    let edited: Contact = serde_json::from_str(&text).expect("a contact");
    assert_eq!(edited.summary.last_name, "Bennett-Smith");
    assert!(edited.summary.phone_masked);
    let truth = stored(&server, ws, olivia.id).await;
    assert_eq!(truth.contact.phone.as_deref(), Some("+44 20 7946 0321"));

    // Adding a contact with a number: stored, and not shown back to him.
    let text = text_of(
        boris
            .post(
                &server.api(&format!("/workspaces/{ws}/contacts")),
                json!({ "first_name": "Nadia", "last_name": "Quist", "phone": "+1 415 555 0199" }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        !text.contains("415 555 0199") && !text.contains("14155550199"),
        "{text}"
    );
    let created: Contact = serde_json::from_str(&text).expect("a contact");
    assert_eq!(created.summary.phone, None);
    assert!(created.summary.phone_masked);
    let truth = stored(&server, ws, created.conversation_id).await;
    assert_eq!(truth.contact.phone.as_deref(), Some("+1 415 555 0199"));

    // Blocking one answers without the number either.
    let marco = server.conversation_of(ws, "Marco").await;
    let text = text_of(
        boris
            .post(
                &server.api(&format!(
                    "/workspaces/{ws}/contacts/{}/block",
                    marco.contact.id
                )),
                json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_no_phone(&text, &phones, "a block");
    let blocked: Contact = serde_json::from_str(&text).expect("a contact");
    assert!(blocked.summary.blocked && blocked.summary.phone_masked);
}

/// The contact of a conversation event frame.
fn frame_contact(frame: &Value) -> ContactSummary {
    serde_json::from_value(frame["event"]["payload"]["conversation"]["contact"].clone())
        .unwrap_or_else(|e| panic!("no contact in the frame ({e}): {frame}"))
}

fn is_event(frame: &Value, seq: u64) -> bool {
    frame["type"] == "event" && frame["event"]["seq"] == seq
}

#[tokio::test]
async fn boris_socket_events_carry_no_phone_number() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let mut phones = phone_strings(&server, ws).await;
    phones.push("+44 20 7946 9999".into());
    phones.push("442079469999".into());
    let boris = server.login(BORIS).await;
    let anna = server.login(ANNA).await;
    let boris_id = boris.me.user.id;
    let olivia = server.conversation_of(ws, "Olivia").await;
    let conv = server.api(&format!("/workspaces/{ws}/conversations/{}", olivia.id));
    let mut boris_ws = boris.socket(&server, ws, None).await;
    let mut anna_ws = anna.socket(&server, ws, None).await;
    let head = next_json(&mut boris_ws).await["seq"]
        .as_u64()
        .expect("hello");
    next_json(&mut anna_ws).await;

    let actions: Vec<(&str, reqwest::Response)> = vec![
        (
            "message_created",
            anna.send(
                &server,
                ws,
                olivia.id,
                "mask-1",
                "message",
                "A second bag fits, yes!",
            )
            .await,
        ),
        (
            "conversation_updated",
            anna.post(&format!("{conv}/read"), json!({})).await,
        ),
        (
            "conversation_updated",
            anna.post(
                &format!("{conv}/assign"),
                json!({ "assignee": { "kind": "user", "id": boris_id } }),
            )
            .await,
        ),
        (
            "conversation_updated",
            anna.patch(
                &server.api(&format!("/workspaces/{ws}/contacts/{}", olivia.contact.id)),
                json!({ "phone": "+44 20 7946 9999" }),
            )
            .await,
        ),
        (
            "conversation_updated",
            anna.post(&format!("{conv}/close"), json!({})).await,
        ),
        (
            "message_created",
            anna.send(
                &server,
                ws,
                olivia.id,
                "mask-2",
                "comment",
                "Shipped both bags",
            )
            .await,
        ),
    ];
    for (i, (kind, response)) in actions.into_iter().enumerate() {
        assert!(
            response.status().is_success(),
            "{kind}: {}",
            response.status()
        );
        let seq = head + 1 + i as u64;
        let frame = wait_for_frame(&mut boris_ws, TIMEOUT, |f| is_event(f, seq)).await;
        assert_eq!(frame["event"]["payload"]["type"], kind, "{frame}");
        assert_no_phone(&frame.to_string(), &phones, kind);
        let contact = frame_contact(&frame);
        assert_eq!(contact.phone, None, "{frame}");
        assert!(contact.phone_masked, "{frame}");
        // The control: Anna's socket carries the number.
        let frame = wait_for_frame(&mut anna_ws, TIMEOUT, |f| is_event(f, seq)).await;
        assert!(frame_contact(&frame).phone.is_some(), "{frame}");
    }
    close(boris_ws).await;
    close(anna_ws).await;
}

#[tokio::test]
async fn boris_cannot_find_or_filter_by_a_phone_number() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let boris = server.login(BORIS).await;
    let anna = server.login(ANNA).await;
    let boris_id = boris.me.user.id;
    let dmitry = server.conversation_of(ws, "Дмитрий").await;
    let olivia = server.conversation_of(ws, "Olivia").await;

    for (query, found) in [
        ("q=912555", dmitry.id),
        ("q=79125550123", dmitry.id),
        ("q=%2B7%20912%20555-01-23", dmitry.id),
        ("q=912%20555-01", dmitry.id),
        ("q=7946%200321", olivia.id),
    ] {
        let anna_rows = anna.walk(&server, ws, &format!("?{query}"), 10).await;
        let ids: Vec<_> = anna_rows.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![found], "Anna searching {query}");
        let boris_rows = boris.walk(&server, ws, &format!("?{query}"), 10).await;
        assert!(
            boris_rows.is_empty(),
            "Boris searching {query} found {boris_rows:?}"
        );
    }
    // Names still work for him.
    let rows = boris
        .walk(
            &server,
            ws,
            "?q=%D0%B4%D0%BC%D0%B8%D1%82%D1%80%D0%B8%D0%B9",
            10,
        )
        .await;
    assert_eq!(
        rows.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![dmitry.id]
    );

    // Custom inboxes with phone conditions, shared with Boris: Anna's lists fill, his stay empty.
    let with_phone: Vec<ConversationId> = server
        .all_conversations(ws)
        .await
        .iter()
        .filter(|c| c.contact.phone.is_some() && !c.contact.blocked)
        .map(|c| c.id)
        .collect();
    let conditions = [
        (
            json!({ "field": "phone", "op": "contains", "value": "912" }),
            vec![dmitry.id],
        ),
        (
            json!({ "field": "phone", "op": "equals", "value": "+7 912 555-01-23" }),
            vec![dmitry.id],
        ),
        (
            json!({ "field": "phone", "op": "is_set" }),
            with_phone.clone(),
        ),
    ];
    for (condition, expected) in conditions {
        let response = anna
            .post(
                &server.api(&format!("/workspaces/{ws}/inboxes")),
                json!({
                    "name": format!("Phones {}", condition["op"]),
                    "filter": { "contact": [condition] },
                    "shared_with_users": [boris_id],
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{condition}");
        let inbox: CustomInbox = json_body(response).await;
        let query = format!("?folder=custom:{}", inbox.id);
        let mut anna_ids: Vec<_> = anna
            .walk(&server, ws, &query, 5)
            .await
            .iter()
            .map(|c| c.id)
            .collect();
        anna_ids.sort();
        let mut want = expected.clone();
        want.sort();
        assert_eq!(anna_ids, want, "Anna's {condition}");
        assert!(
            boris.walk(&server, ws, &query, 5).await.is_empty(),
            "Boris's {condition} matched"
        );
        let folders: Folders = json_body(
            boris
                .get(&server.api(&format!("/workspaces/{ws}/folders")))
                .await,
        )
        .await;
        let shared = folders
            .shared_with_me
            .iter()
            .find(|f| f.id == inbox.id)
            .expect("shared with Boris");
        assert_eq!(shared.count.open, 0, "Boris's count of {condition}");
    }
    // "No number" learns nothing either: it does not list every contact for him.
    let response = boris
        .post(
            &server.api(&format!("/workspaces/{ws}/inboxes")),
            json!({ "name": "No phone", "filter": { "contact": [{ "field": "phone", "op": "is_not_set" }] } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let inbox: CustomInbox = json_body(response).await;
    let rows = boris
        .walk(&server, ws, &format!("?folder=custom:{}", inbox.id), 5)
        .await;
    assert!(rows.is_empty(), "{rows:?}");
}

#[tokio::test]
async fn boris_may_add_a_missing_number_but_never_change_a_hidden_one() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let boris = server.login(BORIS).await;
    let priya = server.conversation_of(ws, "Priya").await;
    assert_eq!(priya.contact.phone, None);
    let priya_url = server.api(&format!("/workspaces/{ws}/contacts/{}", priya.contact.id));

    let response = boris
        .patch(&priya_url, json!({ "phone": "+49 30 5550 1234" }))
        .await;
    let text = text_of(response, StatusCode::OK).await;
    assert!(
        !text.contains("5550 1234") && !text.contains("4930"),
        "{text}"
    );
    let shown: Contact = serde_json::from_str(&text).expect("a contact");
    assert_eq!(shown.summary.phone, None);
    assert!(shown.summary.phone_masked);
    let truth = stored(&server, ws, priya.id).await;
    assert_eq!(truth.contact.phone.as_deref(), Some("+49 30 5550 1234"));
    // From now on it is hidden from him like any other.
    let shown: Contact = json_body(boris.get(&priya_url).await).await;
    assert_eq!(shown.summary.phone, None);
    assert!(shown.summary.phone_masked);

    let olivia = server.conversation_of(ws, "Olivia").await;
    let olivia_url = server.api(&format!("/workspaces/{ws}/contacts/{}", olivia.contact.id));
    for (url, id, body) in [
        (&priya_url, priya.id, json!({ "phone": "+49 30 5550 0000" })),
        (&priya_url, priya.id, json!({ "phone": null })),
        (&priya_url, priya.id, json!({ "phone": "" })),
        (
            &olivia_url,
            olivia.id,
            json!({ "phone": "+44 20 0000 0000" }),
        ),
        (
            &olivia_url,
            olivia.id,
            json!({ "phone": null, "first_name": "Liv" }),
        ),
    ] {
        let before = stored(&server, ws, id).await;
        let seq = server.last_seq(ws).await;
        let response = boris.patch(url, body.clone()).await;
        let (_, text) = expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
        assert!(!text.contains("+4"), "{text}");
        assert_eq!(
            stored(&server, ws, id).await,
            before,
            "{body} changed the contact"
        );
        assert_eq!(server.last_seq(ws).await, seq, "{body} announced something");
    }
    // Other edits of a contact with a hidden number are fine and keep the number.
    let response = boris
        .patch(&olivia_url, json!({ "first_name": "Liv" }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let truth = stored(&server, ws, olivia.id).await;
    assert_eq!(truth.contact.first_name, "Liv");
    assert_eq!(truth.contact.phone.as_deref(), Some("+44 20 7946 0321"));
    // The control: Anna may change the number.
    let anna = server.login(ANNA).await;
    let response = anna
        .patch(&olivia_url, json!({ "phone": "+44 20 7946 1111" }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let truth = stored(&server, ws, olivia.id).await;
    assert_eq!(truth.contact.phone.as_deref(), Some("+44 20 7946 1111"));
}

#[tokio::test]
async fn blocked_contacts_are_invisible_to_members_without_view_blocked() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let spam = server.conversation_of(ws, "Crypto").await;
    assert!(spam.contact.blocked);
    let conv = format!("/workspaces/{ws}/conversations/{}", spam.id);
    let contact = format!("/workspaces/{ws}/contacts/{}", spam.contact.id);
    let later = chrono::Utc::now() + chrono::Duration::days(1);

    for email in [ANNA, BORIS] {
        let agent = server.login(email).await;
        let before = (
            server.footprint(ws).await,
            stored(&server, ws, spam.id).await,
        );
        let refused = vec![
            agent.get(&server.api(&conv)).await,
            agent.get(&server.api(&format!("{conv}/messages"))).await,
            agent
                .post(
                    &server.api(&format!("{conv}/messages")),
                    json!({ "client_id": format!("spam-{email}"), "kind": "comment", "text": "peek" }),
                )
                .await,
            agent.post(&server.api(&format!("{conv}/read")), json!({})).await,
            agent.post(&server.api(&format!("{conv}/close")), json!({})).await,
            agent.post(&server.api(&format!("{conv}/snooze")), json!({ "until": later })).await,
            agent
                .post(&server.api(&format!("{conv}/assign")), json!({ "assignee": { "kind": "ai_agent" } }))
                .await,
            agent.get(&server.api(&contact)).await,
            agent.patch(&server.api(&contact), json!({ "first_name": "Legit" })).await,
            agent.post(&server.api(&format!("{contact}/unblock")), json!({})).await,
            agent.post(&server.api(&format!("{contact}/block")), json!({})).await,
            agent.get(&server.api(&format!("/workspaces/{ws}/conversations?folder=blocked"))).await,
        ];
        for response in refused {
            let (_, text) =
                expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
            assert!(!text.contains("Crypto"), "{text}");
        }
        assert_eq!(
            (
                server.footprint(ws).await,
                stored(&server, ws, spam.id).await
            ),
            before,
            "{email} changed the blocked conversation"
        );

        // No folder, tab, sort or search lists it.
        for folder in ["all", "mine", "unassigned"] {
            for status in ["", "&status=open", "&status=closed", "&status=snoozed"] {
                for q in ["", "&q=crypto", "&q=spam.example"] {
                    let rows = agent
                        .walk(&server, ws, &format!("?folder={folder}{status}{q}"), 50)
                        .await;
                    assert!(
                        rows.iter().all(|c| c.id != spam.id && !c.contact.blocked),
                        "{folder}{status}{q}"
                    );
                }
            }
        }
        let text = text_of(
            agent
                .get(&server.api(&format!("/workspaces/{ws}/folders")))
                .await,
            StatusCode::OK,
        )
        .await;
        let folders: Folders = serde_json::from_str(&text).expect("folders");
        assert_eq!(folders.blocked, None, "{email}: {text}");
        let all = agent.walk(&server, ws, "?status=open", 50).await;
        assert_eq!(folders.all.open, all.len() as u64);
    }

    // Maria (view_blocked) sees it, in the Blocked folder only, with its count.
    let maria = server.login(MARIA).await;
    assert_eq!(maria.conversation(&server, ws, spam.id).await.id, spam.id);
    let response = maria.get(&server.api(&contact)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let folders: Folders = json_body(
        maria
            .get(&server.api(&format!("/workspaces/{ws}/folders")))
            .await,
    )
    .await;
    let blocked = folders.blocked.expect("Maria has the Blocked folder");
    let open_blocked = maria
        .walk(&server, ws, "?folder=blocked&status=open", 2)
        .await;
    assert_eq!(blocked.open, open_blocked.len() as u64);
    assert_eq!(
        blocked.unread,
        open_blocked.iter().filter(|c| c.unread_count > 0).count() as u64
    );
    assert_eq!(blocked.open, 1);
    let every_blocked = maria.walk(&server, ws, "?folder=blocked", 2).await;
    assert_eq!(
        every_blocked.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![spam.id]
    );
    let all = maria.walk(&server, ws, "?folder=all", 50).await;
    assert!(
        all.iter().all(|c| c.id != spam.id),
        "blocked contacts stay out of All"
    );
    let found = maria.walk(&server, ws, "?folder=blocked&q=crypto", 2).await;
    assert_eq!(found.len(), 1);

    // Once nobody is blocked any more, even Maria has no Blocked folder.
    let response = maria
        .post(&server.api(&format!("{contact}/unblock")), json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let folders: Folders = json_body(
        maria
            .get(&server.api(&format!("/workspaces/{ws}/folders")))
            .await,
    )
    .await;
    assert_eq!(folders.blocked, None);
    let anna = server.login(ANNA).await;
    assert_eq!(anna.conversation(&server, ws, spam.id).await.id, spam.id);
}

#[tokio::test]
async fn blocking_hides_the_conversation_from_anna_as_it_happens() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let maria = server.login(MARIA).await;
    let olivia = server.conversation_of(ws, "Olivia").await;
    let contact = server.api(&format!("/workspaces/{ws}/contacts/{}", olivia.contact.id));
    let folders_url = server.api(&format!("/workspaces/{ws}/folders"));
    let before: Folders = json_body(anna.get(&folders_url).await).await;

    let mut anna_ws = anna.socket(&server, ws, None).await;
    let mut maria_ws = maria.socket(&server, ws, None).await;
    let head = next_json(&mut anna_ws).await["seq"]
        .as_u64()
        .expect("hello");
    next_json(&mut maria_ws).await;

    let response = maria.post(&format!("{contact}/block"), json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let frame = wait_for_frame(&mut anna_ws, TIMEOUT, |f| is_event(f, head + 1)).await;
    assert_eq!(
        frame["event"]["payload"],
        json!({ "type": "conversation_hidden", "conversation_id": olivia.id })
    );
    let text = frame.to_string();
    assert!(
        !text.contains("Olivia") && !text.contains("Bennett"),
        "{text}"
    );
    let frame = wait_for_frame(&mut maria_ws, TIMEOUT, |f| is_event(f, head + 1)).await;
    assert_eq!(frame["event"]["payload"]["type"], "conversation_updated");
    assert_eq!(
        frame["event"]["payload"]["conversation"]["contact"]["blocked"],
        true
    );

    // What happens in it afterwards stays hidden from her too.
    maria
        .reply(
            &server,
            ws,
            olivia.id,
            "blocked-1",
            "comment",
            "Spam after all",
        )
        .await;
    let frame = wait_for_frame(&mut anna_ws, TIMEOUT, |f| is_event(f, head + 2)).await;
    assert_eq!(frame["event"]["payload"]["type"], "conversation_hidden");
    assert!(!frame.to_string().contains("Spam after all"), "{frame}");

    let response = anna
        .get(&server.api(&format!("/workspaces/{ws}/conversations/{}", olivia.id)))
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let after: Folders = json_body(anna.get(&folders_url).await).await;
    assert_eq!(after.all.open, before.all.open - 1);
    assert_eq!(after.all.unread, before.all.unread - 1);

    // Unblocking brings it back as a row.
    let response = maria.post(&format!("{contact}/unblock"), json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let frame = wait_for_frame(&mut anna_ws, TIMEOUT, |f| is_event(f, head + 3)).await;
    assert_eq!(frame["event"]["payload"]["type"], "conversation_updated");
    assert_eq!(
        frame["event"]["payload"]["conversation"]["id"],
        json!(olivia.id)
    );
    close(anna_ws).await;
    close(maria_ws).await;
}

// A change of a member's permissions reaches their open sockets at once, not at the next
// heartbeat.
#[tokio::test]
async fn a_permission_change_applies_to_an_open_socket_at_once() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let maria = server.login(MARIA).await;
    let olivia = server.conversation_of(ws, "Olivia").await.id;
    let spam = server.conversation_of(ws, "Crypto").await.id;
    let mut anna_ws = anna.socket(&server, ws, None).await;
    let mut maria_ws = maria.socket(&server, ws, None).await;
    let head = next_json(&mut anna_ws).await["seq"]
        .as_u64()
        .expect("hello");
    next_json(&mut maria_ws).await;

    let members = |user: UserId| server.api(&format!("/workspaces/{ws}/members/{user}"));
    let response = maria
        .patch(
            &members(anna.me.user.id),
            json!({ "permissions": { "view_blocked": false, "phone_masked": true } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Maria takes her own view of blocked contacts away (managers may change their own).
    let response = maria
        .patch(
            &members(maria.me.user.id),
            json!({ "permissions": { "view_blocked": false, "phone_masked": false } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // REST follows at once.
    let shown = anna.conversation(&server, ws, olivia).await;
    assert_eq!(
        (shown.contact.phone, shown.contact.phone_masked),
        (None, true)
    );
    let response = maria
        .get(&server.api(&format!("/workspaces/{ws}/conversations/{spam}")))
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;

    // The sockets must too. First they hear that the members changed.
    for seq in [head + 1, head + 2] {
        let frame = wait_for_frame(&mut anna_ws, TIMEOUT, |f| is_event(f, seq)).await;
        assert_eq!(
            frame["event"]["payload"],
            json!({ "type": "workspace_changed", "part": "members" })
        );
    }
    let mut failures = Vec::new();
    maria
        .reply(
            &server,
            ws,
            olivia,
            "perm-live-1",
            "comment",
            "Second bag added",
        )
        .await;
    let frame = wait_for_frame(&mut anna_ws, TIMEOUT, |f| is_event(f, head + 3)).await;
    let contact = frame_contact(&frame);
    if contact.phone.is_some() || !contact.phone_masked {
        failures.push(format!("Anna, now masked, received {contact:?}"));
    }
    // The blocked contact writes again (through the store, as a channel would).
    let appended = server
        .store()
        .append_message(switchboard_storage::NewMessage {
            original: None,
            workspace: ws,
            conversation: spam,
            client_id: None,
            kind: MessageKind::Message,
            direction: Direction::Incoming,
            sender_kind: SenderKind::Contact,
            sender_user: None,
            content: Content::Text {
                text: "More crypto!".into(),
            },
            delivery_status: None,
            created_at: chrono::Utc::now(),
            reply_to: None,
            mentions: Vec::new(),
            attachments: Vec::new(),
            channel: None,
        })
        .await
        .expect("a message");
    assert!(appended.conversation.contact.blocked);
    // The store's event goes out the way the server publishes its own.
    server.running.state.publish(appended.event);
    let frame = wait_for_frame(&mut maria_ws, TIMEOUT, |f| is_event(f, head + 4)).await;
    if frame["event"]["payload"]["type"] != "conversation_hidden" {
        failures.push(format!(
            "Maria, no longer allowed to view blocked contacts, received {}",
            frame["event"]["payload"]["type"]
        ));
    }
    close(anna_ws).await;
    close(maria_ws).await;
    assert!(failures.is_empty(), "{failures:#?}");
}

//! File attachments (K3): uploads checked by name, size and contents; sends that carry
//! them in order; downloads with safe headers, for exactly who may see them.

use crate::common;

use common::*;
use reqwest::StatusCode;
use reqwest::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
};
use serde_json::json;
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::validation::MAX_ATTACHMENT_BYTES;
use switchboard_protocol::*;

/// A small PDF.
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/// The start of a Windows program (DOS stub and PE header).
fn windows_program() -> Vec<u8> {
    let mut bytes = b"MZ".to_vec();
    bytes.resize(512, 0);
    bytes[0x3c] = 0x80;
    bytes[0x80..0x84].copy_from_slice(b"PE\0\0");
    bytes
}

async fn upload_raw(
    agent: &Agent,
    server: &Server,
    ws: WorkspaceId,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    agent
        .client
        .post(server.api(&format!("/workspaces/{ws}/attachments")))
        .query(&[("name", name)])
        .header(CONTENT_TYPE, "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("the upload is answered")
}

/// Uploads and expects `201 Created`.
async fn upload(
    agent: &Agent,
    server: &Server,
    ws: WorkspaceId,
    name: &str,
    bytes: &[u8],
) -> Attachment {
    let response = upload_raw(agent, server, ws, name, bytes.to_vec()).await;
    assert_eq!(response.status(), StatusCode::CREATED, "uploading {name}");
    json_body(response).await
}

async fn send_files(
    agent: &Agent,
    server: &Server,
    ws: WorkspaceId,
    conversation: ConversationId,
    client_id: &str,
    text: &str,
    files: &[AttachmentId],
) -> reqwest::Response {
    agent
        .post(
            &server.api(&format!(
                "/workspaces/{ws}/conversations/{conversation}/messages"
            )),
            json!({ "client_id": client_id, "kind": "message", "text": text, "attachments": files }),
        )
        .await
}

async fn download(agent: &Agent, server: &Server, url: &str) -> reqwest::Response {
    agent.get(&format!("{}{url}", server.url)).await
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> &str {
    response
        .headers()
        .get(&name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .expect("an ASCII header")
}

/// How many files the server keeps in its attachments directory.
fn stored_files(server: &Server) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|entry| {
                        let path = entry.path();
                        if path.is_dir() { count(&path) } else { 1 }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&server.running.state.config.data_dir.join("attachments"))
}

#[tokio::test]
async fn files_are_sent_in_order_and_downloaded_with_safe_headers() {
    files_round_trip(Server::start().await).await;
}

#[tokio::test]
async fn files_are_sent_in_order_and_downloaded_on_postgresql() {
    let url = switchboard_storage_postgres::testing::fresh_database().await;
    files_round_trip(Server::start_on(Some(url), true).await).await;
}

#[tokio::test]
async fn files_are_kept_in_an_s3_compatible_bucket_when_one_is_configured() {
    let s3 = common::s3_server::S3Server::start("switchboard-files").await;
    let endpoint = s3.endpoint.clone();
    let server = Server::start_configured(move |config| {
        config.files_s3 = Some(switchboard_server::config::S3Files {
            bucket: "switchboard-files".into(),
            endpoint: Some(endpoint),
            region: "eu-central-1".into(),
            access_key_id: "switchboard-test".into(),
            secret_access_key: "switchboard-test-secret".into(),
        });
    })
    .await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let photo = upload(&anna, &server, ws, "pixel.png", PNG).await;
    let keys = s3.keys("switchboard-files").await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(stored_files(&server), 0, "nothing is kept on local disk");
    let response = download(&anna, &server, &photo.url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_TYPE), "image/png");
    assert_eq!(response.bytes().await.expect("bytes").as_ref(), PNG);
    // The whole round trip (sending in order, events, downloads) on the bucket.
    files_round_trip(server).await;
    assert_eq!(s3.keys("switchboard-files").await.len(), 3);
}

/// Upload, send in order, see them in the event and the thread, download with the headers.
async fn files_round_trip(server: Server) {
    let ws = server.workspace().await;
    let olivia = server.conversation_of(ws, "Olivia").await.id;
    let anna = server.login(ANNA).await;
    let head = server.last_seq(ws).await;
    let mut socket = anna.socket(&server, ws, None).await;
    assert_eq!(next_json(&mut socket).await["type"], "hello");

    let photo = upload(&anna, &server, ws, "pixel.png", PNG).await;
    let invoice = upload(&anna, &server, ws, "Счёт №5.pdf", PDF).await;
    assert_eq!(photo.name, "pixel.png");
    assert_eq!(photo.content_type, "image/png");
    assert_eq!(photo.size, PNG.len() as u64);
    assert!(photo.is_image());
    assert_eq!(
        photo.url,
        format!("/api/v1/workspaces/{ws}/attachments/{}", photo.id)
    );
    assert_eq!(invoice.name, "Счёт №5.pdf");
    assert_eq!(invoice.content_type, "application/pdf");
    assert_eq!(invoice.size, PDF.len() as u64);
    assert_eq!(server.last_seq(ws).await, head, "uploads are not events");

    let response = send_files(
        &anna,
        &server,
        ws,
        olivia,
        "files-1",
        "The photo and the invoice",
        &[photo.id, invoice.id],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Message = json_body(response).await;
    let files = vec![photo.clone(), invoice.clone()];
    assert_eq!(sent.attachments, files);
    assert_eq!(
        sent.content,
        Content::Text {
            text: "The photo and the invoice".into()
        }
    );

    let frame = next_json(&mut socket).await;
    match event_payload(&frame, head + 1, ws) {
        EventPayload::MessageCreated {
            message,
            conversation,
        } => {
            assert_eq!(message, sent);
            assert_eq!(
                conversation.last_message.map(|m| m.text).as_deref(),
                Some("📎 The photo and the invoice")
            );
        }
        other => panic!("expected message_created, got {other:?}"),
    }
    close(socket).await;
    let page: switchboard_protocol::api::Page<Message> = json_body(
        anna.get(&server.api(&format!("/workspaces/{ws}/conversations/{olivia}/messages")))
            .await,
    )
    .await;
    assert_eq!(page.items[0], sent, "the thread carries the files in order");

    // The photo is shown inline; nothing served can run script or be sniffed.
    for reader in [&anna, &server.login(BORIS).await] {
        let response = download(reader, &server, &photo.url).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, CONTENT_TYPE), "image/png");
        assert_eq!(header(&response, CONTENT_DISPOSITION), "inline");
        assert_eq!(
            header(&response, CONTENT_LENGTH),
            PNG.len().to_string().as_str()
        );
        assert_eq!(header(&response, CACHE_CONTROL), "private, max-age=3600");
        assert_eq!(
            header(&response, reqwest::header::X_CONTENT_TYPE_OPTIONS),
            "nosniff"
        );
        assert_eq!(
            header(&response, CONTENT_SECURITY_POLICY),
            "sandbox; default-src 'none'"
        );
        assert_eq!(&response.bytes().await.expect("the bytes")[..], PNG);
    }
    // The invoice downloads under its name, in ASCII for old clients and in full.
    let response = download(&anna, &server, &invoice.url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_TYPE), "application/pdf");
    assert_eq!(
        header(&response, CONTENT_DISPOSITION),
        "attachment; filename=\"____ _5.pdf\"; \
         filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%20%E2%84%965.pdf"
    );
    assert_eq!(
        header(&response, CONTENT_SECURITY_POLICY),
        "sandbox; default-src 'none'"
    );
    assert_eq!(&response.bytes().await.expect("the bytes")[..], PDF);
}

#[tokio::test]
async fn uploads_that_do_not_fit_their_name_or_size_are_refused() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let refusals: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "setup.exe",
            windows_program(),
            "\"setup.exe\" cannot be sent",
        ),
        (
            "report.pdf",
            windows_program(),
            "\"report.pdf\" looks like a program, not a PDF file.",
        ),
        (
            "photo.png",
            b"just some text".to_vec(),
            "\"photo.png\" is not a PNG image.",
        ),
        ("empty.pdf", Vec::new(), "\"empty.pdf\" is empty."),
        ("../etc/passwd.txt", b"x".to_vec(), "not a usable file name"),
    ];
    for (name, bytes, says) in refusals {
        let response = upload_raw(&anna, &server, ws, name, bytes).await;
        let (body, _) = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(body.field.as_deref(), Some("file"), "{name}");
        assert!(body.message.contains(says), "{name}: {}", body.message);
    }
    // No name at all.
    let nameless = anna
        .client
        .post(server.api(&format!("/workspaces/{ws}/attachments")))
        .body(PDF.to_vec())
        .send()
        .await
        .expect("an answer");
    expect_error(
        nameless,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    // One byte over 20 MB.
    let big = vec![b'a'; MAX_ATTACHMENT_BYTES as usize + 1];
    let response = upload_raw(&anna, &server, ws, "huge.pdf", big).await;
    let (body, _) = expect_error(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Validation,
    )
    .await;
    assert!(body.message.contains("\"huge.pdf\""), "{}", body.message);
    assert!(body.message.contains("over 20 MB"), "{}", body.message);
    // Further over: refused by the body limit before it is read whole.
    let far = vec![b'a'; MAX_ATTACHMENT_BYTES as usize + 1024 * 1024];
    let response = upload_raw(&anna, &server, ws, "huger.pdf", far).await;
    let (body, _) = expect_error(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Validation,
    )
    .await;
    assert!(body.message.contains("over 20 MB"), "{}", body.message);
    assert_eq!(stored_files(&server), 0, "nothing refused was kept");

    // Exactly 20 MB is fine.
    let most = vec![b'a'; MAX_ATTACHMENT_BYTES as usize];
    let response = upload_raw(&anna, &server, ws, "notes.txt", most).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let kept: Attachment = json_body(response).await;
    assert_eq!(kept.size, MAX_ATTACHMENT_BYTES);
    assert_eq!(kept.content_type, "text/plain");
    assert_eq!(stored_files(&server), 1);
}

#[tokio::test]
async fn more_than_fifty_files_are_refused_and_nothing_is_stored() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let olivia = server.conversation_of(ws, "Olivia").await.id;
    let anna = server.login(ANNA).await;
    let file = upload(&anna, &server, ws, "menu.pdf", PDF).await;
    let before = server.footprint(ws).await;
    let response = send_files(&anna, &server, ws, olivia, "many", "Lots", &[file.id; 51]).await;
    let (body, _) = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("attachments"));
    assert!(
        body.message.contains("at most 50 files"),
        "{}",
        body.message
    );
    assert_eq!(server.footprint(ws).await, before);
    // Still unsent: its uploader reads it, nobody else does.
    assert_eq!(
        download(&anna, &server, &file.url).await.status(),
        StatusCode::OK
    );
    let boris = server.login(BORIS).await;
    expect_error(
        download(&boris, &server, &file.url).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
}

#[tokio::test]
async fn an_unsent_file_is_its_uploaders_alone() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let olivia = server.conversation_of(ws, "Olivia").await.id;
    let anna = server.login(ANNA).await;
    let file = upload(&anna, &server, ws, "draft.pdf", PDF).await;
    let before = server.footprint(ws).await;
    for email in [BORIS, MARIA] {
        let other = server.login(email).await;
        expect_error(
            download(&other, &server, &file.url).await,
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
        )
        .await;
        let response = send_files(
            &other,
            &server,
            ws,
            olivia,
            &format!("steal-{}", other.me.user.id),
            "Mine now",
            &[file.id],
        )
        .await;
        let (body, _) = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(body.field.as_deref(), Some("attachments"));
        assert!(
            body.message.contains("not available to send"),
            "{}",
            body.message
        );
    }
    // A file that does not exist is refused the same way.
    let response = send_files(
        &anna,
        &server,
        ws,
        olivia,
        "nothing",
        "Ghost",
        &[AttachmentId(987_654)],
    )
    .await;
    expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(server.footprint(ws).await, before);
    assert_eq!(
        download(&anna, &server, &file.url).await.status(),
        StatusCode::OK
    );
    // Once sent, it cannot be sent again.
    let response = send_files(&anna, &server, ws, olivia, "first", "Here", &[file.id]).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = send_files(&anna, &server, ws, olivia, "second", "Again", &[file.id]).await;
    let (body, _) = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("attachments"));
}

#[tokio::test]
async fn outsiders_and_other_workspaces_files_get_nothing() {
    let server = Server::start().await;
    let northwind = server.workspace().await;
    let aurora = server.workspace_named("Aurora Books").await;
    let olivia = server.conversation_of(northwind, "Olivia").await.id;
    let anna = server.login(ANNA).await;
    let li = server.login(LI).await;
    let file = upload(&anna, &server, northwind, "menu.pdf", PDF).await;
    let response = send_files(
        &anna,
        &server,
        northwind,
        olivia,
        "menu",
        "Menu",
        &[file.id],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // Li is not of Northwind: no upload, no download, nothing revealed.
    let files_before = stored_files(&server);
    let (_, text) = expect_error(
        upload_raw(&li, &server, northwind, "x.pdf", PDF.to_vec()).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    assert!(!text.contains("Northwind"), "{text}");
    assert_eq!(stored_files(&server), files_before);
    let (_, text) = expect_error(
        download(&li, &server, &file.url).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    assert!(!text.contains("menu"), "{text}");

    // Anna's upload to Aurora is Aurora's: not sendable nor readable through Northwind.
    let elsewhere = upload(&anna, &server, aurora, "aurora.pdf", PDF).await;
    let before = server.footprint(northwind).await;
    let response = send_files(
        &anna,
        &server,
        northwind,
        olivia,
        "cross",
        "Cross",
        &[elsewhere.id],
    )
    .await;
    let (body, _) = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("attachments"));
    assert_eq!(server.footprint(northwind).await, before);
    let through_northwind = format!(
        "/api/v1/workspaces/{northwind}/attachments/{}",
        elsewhere.id
    );
    expect_error(
        download(&anna, &server, &through_northwind).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    assert_eq!(
        download(&anna, &server, &elsewhere.url).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn files_of_blocked_conversations_need_view_blocked() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let spam = server.conversation_of(ws, "Crypto").await;
    assert!(spam.contact.blocked);
    let maria = server.login(MARIA).await;
    let file = upload(&maria, &server, ws, "evidence.png", PNG).await;
    let response = maria
        .post(
            &server.api(&format!(
                "/workspaces/{ws}/conversations/{}/messages",
                spam.id
            )),
            json!({ "client_id": "evidence", "kind": "comment", "text": "", "attachments": [file.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let comment: Message = json_body(response).await;
    assert_eq!(comment.kind, MessageKind::Comment);
    assert_eq!(comment.attachments, vec![file.clone()]);

    for email in [ANNA, BORIS] {
        let agent = server.login(email).await;
        expect_error(
            download(&agent, &server, &file.url).await,
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
        )
        .await;
    }
    let response = download(&maria, &server, &file.url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(&response.bytes().await.expect("the bytes")[..], PNG);
}

#[tokio::test]
async fn a_retried_send_is_stored_once_with_its_files() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let olivia = server.conversation_of(ws, "Olivia").await.id;
    let anna = server.login(ANNA).await;
    let a = upload(&anna, &server, ws, "a.pdf", PDF).await;
    let b = upload(&anna, &server, ws, "b.png", PNG).await;
    let (seq, messages) = server.footprint(ws).await;
    let first = send_files(
        &anna,
        &server,
        ws,
        olivia,
        "retry-1",
        "Two files",
        &[b.id, a.id],
    )
    .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Message = json_body(first).await;
    assert_eq!(first.attachments, vec![b.clone(), a.clone()]);
    let again = send_files(
        &anna,
        &server,
        ws,
        olivia,
        "retry-1",
        "Two files",
        &[b.id, a.id],
    )
    .await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Message = json_body(again).await;
    assert_eq!(again, first);
    assert_eq!(server.footprint(ws).await, (seq + 1, messages + 1));
    let thread = server.thread(ws, olivia).await;
    assert_eq!(
        thread.iter().filter(|m| m.id == first.id).count(),
        1,
        "stored once"
    );
    assert_eq!(thread[0].attachments, vec![b, a]);
}

#[tokio::test]
async fn files_may_go_without_text_and_the_preview_names_them() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let olivia = server.conversation_of(ws, "Olivia").await.id;
    let anna = server.login(ANNA).await;
    // Without files an empty text is refused as before.
    let response = send_files(&anna, &server, ws, olivia, "empty", "  ", &[]).await;
    let (body, _) = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("text"));

    let menu = upload(&anna, &server, ws, "menu.pdf", PDF).await;
    let response = send_files(&anna, &server, ws, olivia, "only-file", "  ", &[menu.id]).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Message = json_body(response).await;
    assert_eq!(
        sent.content,
        Content::Text {
            text: String::new()
        }
    );
    assert_eq!(sent.attachments, vec![menu]);
    let row = anna.conversation(&server, ws, olivia).await;
    assert_eq!(
        row.last_message.map(|m| m.text).as_deref(),
        Some("📎 menu.pdf")
    );
    assert_eq!(
        anna.conversation(&server, ws, olivia)
            .await
            .last_message
            .map(|m| m.text),
        Some(sent.preview().text)
    );
}

#[tokio::test]
async fn a_website_visitor_gets_the_files_sent_to_them_and_no_others() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let visitor = server.visitor(&key).await;
    visitor.write("v-files-1", "Can I see the menu?").await;
    let anna = server.login(ANNA).await;
    let conversation = anna
        .conversation_with_last_text(&server, ws, "Can I see the menu?")
        .await
        .id;
    let menu = upload(&anna, &server, ws, "menu.pdf", PDF).await;
    let response = send_files(&anna, &server, ws, conversation, "f-1", "", &[menu.id]).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    // A file in an internal comment is the team's only.
    let notes = upload(&anna, &server, ws, "notes.pdf", PDF).await;
    let response = anna
        .post(
            &server.api(&format!("/workspaces/{ws}/conversations/{conversation}/messages")),
            json!({ "client_id": "f-2", "kind": "comment", "text": "internal", "attachments": [notes.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let unsent = upload(&anna, &server, ws, "draft.pdf", PDF).await;

    let (page, _) = visitor.thread().await;
    let sent = page
        .items
        .iter()
        .find(|m| !m.files.is_empty())
        .expect("the message with the file");
    assert_eq!(sent.text, "");
    assert_eq!(sent.files.len(), 1);
    assert_eq!(sent.files[0].id, menu.id);
    assert_eq!(sent.files[0].name, "menu.pdf");
    assert!(page.items.iter().all(|m| m.text != "internal"));

    let client = reqwest::Client::new();
    let fetch = |id: AttachmentId, token: String| {
        let client = client.clone();
        let url = server.api(&format!("/chat/{key}/attachments/{id}"));
        async move {
            client
                .get(url)
                .header("Authorization", format!("Bearer {token}"))
                .send()
                .await
                .expect("an answer")
        }
    };
    let response = fetch(menu.id, visitor.token.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.bytes().await.expect("bytes").as_ref(), PDF);
    for id in [notes.id, unsent.id, AttachmentId(999_999)] {
        let response = fetch(id, visitor.token.clone()).await;
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
    // Another visitor of the same chat gets nothing of it; no token is refused.
    let stranger = server.visitor(&key).await;
    stranger.write("v-files-2", "Hello").await;
    let response = fetch(menu.id, stranger.token.clone()).await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let response = client
        .get(server.api(&format!("/chat/{key}/attachments/{}", menu.id)))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_snippets_files_are_copied_into_each_message_that_uses_it() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let anna = server.login(ANNA).await;
    let snippets = server.api(&format!("/workspaces/{ws}/snippets"));

    // A manager uploads two files and names them in a new snippet, in order.
    let brochure = upload(&maria, &server, ws, "brochure.pdf", PDF).await;
    let photo = upload(&maria, &server, ws, "beans.png", PNG).await;
    let response = maria
        .post(
            &snippets,
            json!({ "name": "catalogue", "text": "Our catalogue and beans",
                    "files": [photo.id, brochure.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let snippet: settings::Snippet = json_body(response).await;
    assert_eq!(snippet.files, vec![photo.clone(), brochure.clone()]);

    // Every member sees the files with the snippet and may read them.
    let listed: Vec<settings::Snippet> = json_body(anna.get(&snippets).await).await;
    let listed = listed
        .into_iter()
        .find(|s| s.id == snippet.id)
        .expect("the snippet");
    assert_eq!(listed.files, snippet.files);
    let response = download(&anna, &server, &brochure.url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.expect("bytes").as_ref(), PDF);

    // Agents may not change snippets, with or without files.
    let mine = upload(&anna, &server, ws, "mine.pdf", PDF).await;
    let response = anna
        .post(
            &snippets,
            json!({ "name": "agents", "text": "No", "files": [mine.id] }),
        )
        .await;
    expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;

    // Inserting the snippet gives the agent copies to send; the message carries them.
    let copies_url = format!("{snippets}/{}/files", snippet.id);
    let response = anna.post(&copies_url, json!({})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let copies: Vec<Attachment> = json_body(response).await;
    assert_eq!(
        copies
            .iter()
            .map(|a| (a.name.as_str(), a.size))
            .collect::<Vec<_>>(),
        [
            ("beans.png", PNG.len() as u64),
            ("brochure.pdf", PDF.len() as u64)
        ]
    );
    assert!(
        copies
            .iter()
            .all(|c| c.id != photo.id && c.id != brochure.id)
    );
    let conversation = anna.conversations(&server, ws, "?limit=1").await.items[0].id;
    let ids: Vec<AttachmentId> = copies.iter().map(|a| a.id).collect();
    let response = send_files(&anna, &server, ws, conversation, "snip-1", "Here", &ids).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Message = json_body(response).await;
    assert_eq!(sent.attachments, copies);
    // A snippet's own file cannot be sent as it is (it would leave the snippet).
    let response = send_files(
        &maria,
        &server,
        ws,
        conversation,
        "snip-2",
        "x",
        &[photo.id],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Dropping a file from the snippet deletes it, not the copy that was sent.
    let files_before = stored_files(&server);
    let response = maria
        .put(
            &format!("{snippets}/{}", snippet.id),
            json!({ "name": "catalogue", "text": "Our catalogue", "files": [brochure.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let changed: settings::Snippet = json_body(response).await;
    assert_eq!(changed.files, vec![brochure.clone()]);
    assert_eq!(stored_files(&server), files_before - 1);
    let gone = download(&anna, &server, &photo.url).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let kept = download(&anna, &server, &copies[0].url).await;
    assert_eq!(kept.status(), StatusCode::OK);
    assert_eq!(kept.bytes().await.expect("bytes").as_ref(), PNG);

    // Bad input: someone else's upload, too many files; nothing changes.
    let response = maria
        .put(
            &format!("{snippets}/{}", snippet.id),
            json!({ "name": "catalogue", "text": "Ours", "files": [brochure.id, mine.id] }),
        )
        .await;
    let (error, _) = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("files"));
    let too_many: Vec<i64> = (1..=51).collect();
    let response = maria
        .post(
            &snippets,
            json!({ "name": "many", "text": "Many", "files": too_many }),
        )
        .await;
    let (error, _) = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("files"));
    let still: Vec<settings::Snippet> = json_body(maria.get(&snippets).await).await;
    assert_eq!(
        still.iter().find(|s| s.id == snippet.id).map(|s| &s.files),
        Some(&vec![brochure.clone()])
    );
    // Another workspace's path does not reach the snippet's files.
    let other = server.other_workspace().await;
    let response = anna
        .post(
            &server.api(&format!(
                "/workspaces/{}/snippets/{}/files",
                other.workspace, snippet.id
            )),
            json!({}),
        )
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;

    // Deleting the snippet deletes its files.
    let files_before = stored_files(&server);
    let response = maria.delete(&format!("{snippets}/{}", snippet.id)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(stored_files(&server), files_before - 1);
    let gone = download(&anna, &server, &brochure.url).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

//! The OpenAPI document at `GET /api/v1/openapi.json`: public, OpenAPI 3.x, and complete.
//!
//! Completeness has one source: handlers are registered with `utoipa_axum::routes!`, which
//! adds the axum route and its operation together. These tests check that nothing slipped
//! past it: the documented (method, path) pairs equal the routes of the server's real axum
//! router, and the running server confirms each of them over HTTP.

use crate::common;

use common::*;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use switchboard_protocol::inbox::Sort;
use switchboard_protocol::settings::ClosingNotes;
use switchboard_protocol::*;

type Route = (String, String);

/// The methods a route may have; `routes!` cannot register others.
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Operations anyone may call without a session: health, login, logout, this document, an
/// invitation's link, and the website-chat visitor API (visitors have tokens, not sessions).
fn is_public(method: &str, path: &str) -> bool {
    matches!(
        (method, path),
        ("GET", "/api/v1/health")
            | ("POST", "/api/v1/auth/login")
            | ("POST", "/api/v1/auth/logout")
            | ("GET", "/api/v1/openapi.json")
    ) || path.starts_with("/api/v1/chat/")
        // An invitation's link is its own secret.
        || path.starts_with("/api/v1/invitations/")
        // Providers' webhooks: each proves its sender with the provider's own secret.
        || path.starts_with("/api/v1/hooks/")
}

/// Fetches the document without a session.
async fn fetch_document(server: &Server) -> Value {
    let response = reqwest::Client::new()
        .get(server.api("/openapi.json"))
        .send()
        .await
        .expect("the document is answered");
    assert_eq!(response.status(), StatusCode::OK, "no session needed");
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    json_body(response).await
}

/// Every documented operation by (METHOD, path).
fn operations(document: &Value) -> BTreeMap<Route, &Value> {
    let paths = document["paths"].as_object().expect("paths");
    let mut operations = BTreeMap::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            let method = method.to_uppercase();
            assert!(
                METHODS.contains(&method.as_str()),
                "{method} {path}: not an HTTP method the API uses"
            );
            operations.insert((method, path.clone()), operation);
        }
    }
    operations
}

/// The (METHOD, path) pairs the server's real axum router serves under `/api/v1`.
///
/// axum has no public API that lists routes, so this reads the router's `Debug` output:
/// `routes: {RouteId(N): MethodRouter(MethodRouter { get: Route, post: None, … }), …}` and
/// `node: Node { paths: {RouteId(N): "/api/v1/…", …} }`. If a new axum changes that format,
/// this fails loudly rather than passing on nothing.
fn served_routes(router_debug: &str) -> BTreeSet<Route> {
    // `text` split at the first `pattern`, or a failure naming what axum printed.
    let cut = |text: &'_ str, pattern: &str| -> (String, String) {
        match text.split_once(pattern) {
            Some((before, after)) => (before.to_owned(), after.to_owned()),
            None => panic!("no {pattern:?} in axum's Debug output of the router: {router_debug}"),
        }
    };
    let (_, rest) = cut(router_debug, "path_router: PathRouter { routes: {");
    let (routes, rest) = cut(&rest, "}, node: Node { paths: {");
    let (paths, _) = cut(&rest, "} }");
    let mut path_of = HashMap::new();
    for entry in paths.split("RouteId(").skip(1) {
        let (id, rest) = cut(entry, "): \"");
        let (path, _) = cut(&rest, "\"");
        path_of.insert(id, path);
    }
    let mut served = BTreeSet::new();
    for entry in routes.split("RouteId(").skip(1) {
        let (id, endpoint) = cut(entry, "): ");
        let path = &path_of[&id];
        if !path.starts_with("/api/v1/") {
            continue;
        }
        assert!(
            endpoint.starts_with("MethodRouter("),
            "{path} is served by a bare service, so no `routes!` documents it: {endpoint}"
        );
        for method in [
            "get", "head", "delete", "options", "patch", "post", "put", "trace", "connect",
        ] {
            if endpoint.contains(&format!(" {method}: None")) {
                continue;
            }
            assert!(
                endpoint.contains(&format!(" {method}: ")),
                "no `{method}` in {endpoint}"
            );
            served.insert((method.to_uppercase(), path.clone()));
        }
    }
    assert!(
        served.contains(&("GET".into(), "/api/v1/health".into())),
        "the walk found {served:?}"
    );
    served
}

/// `/api/v1/workspaces/{ws}/…` with every parameter filled in. The values name nothing that
/// exists, so no handler changes anything: the probes only ask the router which methods a
/// path has.
fn concrete(path: &str) -> String {
    path.replace("{ws}", "987654")
        .replace("{id}", "987655")
        .replace("{user}", "987656")
        .replace("{team}", "987657")
        .replace("{key}", "no-such-chat")
}

async fn call(agent: &Agent, method: &str, url: &str) -> StatusCode {
    let method = Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    agent
        .client
        .request(method, url)
        .send()
        .await
        .expect("the request is answered")
        .status()
}

#[tokio::test]
async fn the_document_is_public_openapi_3_and_documents_exactly_the_served_routes() {
    let server = Server::start().await;
    let document = fetch_document(&server).await;

    let version = document["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3."), "OpenAPI 3.x, not {version}");
    assert!(document["info"]["title"].as_str().is_some());
    assert_eq!(
        document,
        serde_json::to_value(switchboard_server::openapi_document()).expect("JSON"),
        "the served document is the one the code generates"
    );

    let documented: BTreeSet<Route> = operations(&document).into_keys().collect();
    let router = switchboard_server::router(server.running.state.clone());
    let served = served_routes(&format!("{router:?}"));
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && unserved.is_empty(),
        "served but not documented: {undocumented:?}; documented but not served: {unserved:?}"
    );
    assert!(documented.contains(&("GET".into(), "/api/v1/openapi.json".into())));
    assert!(documented.contains(&("GET".into(), "/api/v1/ws".into())));
    assert!(documented.contains(&("GET".into(), "/api/v1/chat/{key}/ws".into())));
}

/// The running server agrees with the document: on every documented path, the documented
/// methods are served (not 405) and every other method is not (405, which also proves the
/// path itself is routed, since unknown paths answer 404).
#[tokio::test]
async fn the_server_answers_each_documented_method_and_refuses_the_others() {
    let server = Server::start().await;
    let document = fetch_document(&server).await;
    let agent = server.login(ANNA).await;
    let mut by_path: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (method, path) in operations(&document).into_keys() {
        by_path.entry(path).or_default().insert(method);
    }
    for (path, methods) in &by_path {
        let url = format!("{}{}", server.url, concrete(path));
        for method in METHODS {
            // Logging out ends the session the other probes need: use one of its own.
            let throwaway;
            let caller = if path == "/api/v1/auth/logout" {
                throwaway = server.login(ANNA).await;
                &throwaway
            } else {
                &agent
            };
            let status = call(caller, method, &url).await;
            if methods.contains(method) {
                assert_ne!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is documented but not served"
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is served but not documented"
                );
            }
        }
    }
    // Unknown paths still get the API fallback: 401 for strangers, 404 with a session.
    let stranger = reqwest::Client::new()
        .get(server.api("/no-such-thing"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        call(&agent, "GET", &server.api("/no-such-thing")).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn operations_declare_their_security_errors_tags_and_parameters() {
    let server = Server::start().await;
    let document = fetch_document(&server).await;
    let schemes = document["components"]["securitySchemes"]
        .as_object()
        .expect("security schemes");
    assert_eq!(schemes["sb_session"]["type"], "apiKey");
    assert_eq!(schemes["sb_session"]["in"], "cookie");
    assert_eq!(schemes["sb_session"]["name"], "sb_session");
    assert_eq!(schemes["visitor_token"]["type"], "http");
    assert_eq!(schemes["visitor_token"]["scheme"], "bearer");
    let tags: BTreeSet<&str> = document["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();

    let stranger = reqwest::Client::new();
    let mut operation_ids = BTreeSet::new();
    for ((method, path), operation) in operations(&document) {
        let route = format!("{method} {path}");
        let responses = operation["responses"].as_object().expect("responses");
        let public = is_public(&method, &path);
        let requires: Vec<&str> = operation["security"]
            .as_array()
            .map(|list| {
                list.iter()
                    .flat_map(|r| r.as_object().expect("a requirement").keys())
                    .map(String::as_str)
                    .collect()
            })
            .unwrap_or_default();
        for scheme in &requires {
            assert!(
                schemes.contains_key(*scheme),
                "{route}: unknown scheme {scheme}"
            );
        }
        if !public {
            assert!(responses.contains_key("401"), "{route}: no 401 response");
            assert_eq!(requires, ["sb_session"], "{route}: needs the session");
            // And the server does refuse strangers.
            let method = Method::from_bytes(method.as_bytes()).expect("a method");
            let answer = stranger
                .request(method, format!("{}{}", server.url, concrete(&path)))
                .send()
                .await
                .expect("an answer");
            assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "{route}");
        } else {
            assert!(!requires.contains(&"sb_session"), "{route} is public");
            if path.starts_with("/api/v1/hooks/") {
                assert!(
                    !requires.is_empty(),
                    "{route}: says how its sender is verified"
                );
            }
        }
        assert!(
            responses
                .keys()
                .any(|s| s.starts_with('2') || s.as_str() == "101"),
            "{route}: no success response"
        );
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{route}: {status} answers an ErrorBody"
                );
            }
        }
        let operation_tags = operation["tags"].as_array().expect("tags");
        assert_eq!(operation_tags.len(), 1, "{route}: one feature tag");
        let tag = operation_tags[0].as_str().expect("a tag");
        assert!(tags.contains(tag), "{route}: undeclared tag {tag}");
        let id = operation["operationId"].as_str().expect("an operationId");
        assert!(operation_ids.insert(id.to_owned()), "{route}: {id} twice");
        assert!(
            operation["summary"].as_str().is_some(),
            "{route}: no summary"
        );

        // Every `{param}` of the path is a declared path parameter, and nothing else is.
        let in_path: BTreeSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        let declared: BTreeSet<&str> = operation["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "path")
                    .filter_map(|p| p["name"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(in_path, declared, "{route}: path parameters");
    }
}

/// Every `$ref` in the document.
fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => found.push(target),
                    _ => refs(inner, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn referenced_schemas_exist_and_match_the_wire_format() {
    let server = Server::start().await;
    let document = fetch_document(&server).await;
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("component schemas");
    let mut found = Vec::new();
    refs(&document, &mut found);
    assert!(found.len() > 50, "{found:?}");
    for target in found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("a reference outside the schemas: {target}"));
        assert!(schemas.contains_key(name), "{target} does not exist");
    }

    // Bodies refer to their types.
    let operations = operations(&document);
    let schema_of = |method: &str, path: &str, status: &str| -> Value {
        let operation = operations[&(method.to_owned(), path.to_owned())];
        match status {
            "request" => operation["requestBody"]["content"]["application/json"]["schema"].clone(),
            _ => operation["responses"][status]["content"]["application/json"]["schema"].clone(),
        }
    };
    assert_eq!(
        schema_of("POST", "/api/v1/auth/login", "request")["$ref"],
        "#/components/schemas/LoginRequest"
    );
    assert_eq!(
        schema_of("POST", "/api/v1/auth/login", "200")["$ref"],
        "#/components/schemas/Me"
    );
    assert_eq!(
        schema_of("GET", "/api/v1/ws", "101")["$ref"],
        "#/components/schemas/ServerFrame"
    );
    assert_eq!(
        schema_of("GET", "/api/v1/chat/{key}/ws", "101")["$ref"],
        "#/components/schemas/VisitorFrame"
    );
    for (method, path) in operations.keys() {
        let operation = operations[&(method.clone(), path.clone())];
        if let Some(body) = operation.get("requestBody") {
            // Uploads are the file's raw bytes; every other body is JSON.
            let media = if (method.as_str(), path.as_str())
                == ("POST", "/api/v1/workspaces/{ws}/attachments")
            {
                "application/octet-stream"
            } else {
                "application/json"
            };
            let schema = &body["content"][media]["schema"];
            assert!(
                schema.is_object(),
                "{method} {path}: a {media} request body"
            );
        }
    }

    // Typed ids are integers; enums are their snake_case wire strings.
    assert_eq!(schemas["WorkspaceId"]["type"], "integer");
    assert_eq!(schemas["ConversationId"]["format"], "int64");
    fn wire<T: serde::Serialize>(all: &[T]) -> Value {
        all.iter()
            .map(|v| serde_json::to_value(v).expect("JSON"))
            .collect()
    }
    for (name, values) in [
        ("Role", wire(Role::ALL)),
        ("ChannelKind", wire(ChannelKind::ALL)),
        ("ConversationStatus", wire(ConversationStatus::ALL)),
        ("MessageKind", wire(MessageKind::ALL)),
        ("Direction", wire(Direction::ALL)),
        ("SenderKind", wire(SenderKind::ALL)),
        ("DeliveryStatus", wire(DeliveryStatus::ALL)),
        ("ClosingNotes", wire(ClosingNotes::ALL)),
        ("Sort", wire(Sort::ALL)),
        ("FieldKind", wire(contacts::FieldKind::ALL)),
        ("FieldOp", wire(inbox::FieldOp::ALL)),
    ] {
        assert_eq!(schemas[name]["type"], "string", "{name}");
        assert_eq!(schemas[name]["enum"], values, "{name}");
    }
    // `Folder` is a string of a few forms.
    assert_eq!(schemas["Folder"]["type"], "string");
    let description = schemas["Folder"]["description"]
        .as_str()
        .expect("described");
    for form in [
        "`all`",
        "`mine`",
        "`unassigned`",
        "`blocked`",
        "`team:ID`",
        "`custom:ID`",
    ] {
        assert!(description.contains(form), "{form} in {description}");
    }
    // Times are RFC 3339.
    assert_eq!(
        schemas["ConversationSummary"]["properties"]["last_activity_at"]["format"],
        "date-time"
    );
}

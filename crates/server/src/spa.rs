//! Serves the built app (Trunk's `dist/`) with a fallback to `index.html` for client-side
//! routes, and the security headers every page gets.
//!
//! The Content-Security-Policy allows scripts from this origin only, plus the inline loader
//! Trunk writes into `index.html`, admitted by its SHA-256 (read from the file at start), so
//! an injected `<script>` cannot run even if markup ever slipped through. Only the
//! website-chat page may be framed by other sites (that is how the widget embeds it).

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The app's files and shell, for any router state (the server's is `AppState`).
pub fn router<S: Clone + Send + Sync + 'static>(dist: &Path) -> Router<S> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap_or_else(|_| {
        tracing::warn!(path = %index.display(), "the app is not built; only the API is served");
        String::new()
    });
    let policy = Arc::new(Policies::new(&html));
    let shell = ServeFile::new(&index);
    // A client-side route gets the app shell; a missing file (an old build's chunk, say) is
    // a 404, so nothing, the service worker included, takes the shell for a script or wasm.
    let fallback = tower::service_fn(move |request: Request| {
        let shell = shell.clone();
        async move {
            if names_a_file(request.uri().path()) {
                return Ok::<Response, Infallible>(StatusCode::NOT_FOUND.into_response());
            }
            match shell.oneshot(request).await {
                Ok(response) => Ok(response.map(Body::new)),
                Err(never) => match never {},
            }
        }
    });
    let files = ServeDir::new(dist).fallback(fallback);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            let policy = policy.clone();
            async move {
                let embeddable = request.uri().path().starts_with("/chat/");
                let mut response = next.run(request).await;
                let headers = response.headers_mut();
                headers.insert(
                    CONTENT_SECURITY_POLICY,
                    if embeddable {
                        policy.embeddable.clone()
                    } else {
                        policy.app.clone()
                    },
                );
                headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
                headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
                // Revalidate everything: a new deploy must reach every open tab's next load.
                headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                Ok::<Response, std::convert::Infallible>(response)
            }
        }))
}

/// Whether a path names a file (its last segment has an extension) rather than an app route.
fn names_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

struct Policies {
    app: HeaderValue,
    embeddable: HeaderValue,
}

impl Policies {
    fn new(index_html: &str) -> Policies {
        let hashes: String = inline_scripts(index_html)
            .map(|script| {
                format!(
                    " 'sha256-{}'",
                    STANDARD.encode(Sha256::digest(script.as_bytes()))
                )
            })
            .collect();
        let base = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'"
        );
        let header = |frame: &str| {
            HeaderValue::from_str(&format!("{base}; frame-ancestors {frame}"))
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
        };
        Policies {
            app: header("'self'"),
            embeddable: header("*"),
        }
    }
}

/// The bodies of `<script>` elements that have no `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attrs, body) = rest.split_once('>')?;
        let (body, _) = body.split_once("</script>")?;
        (!attrs.contains("src=") && !body.trim().is_empty()).then_some(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn routes_get_the_app_shell_and_missing_files_a_404() {
        let dist = tempfile::tempdir().expect("a dist");
        std::fs::write(dist.path().join("index.html"), "<p>shell</p>").expect("index");
        std::fs::write(dist.path().join("app-1.wasm"), "wasm").expect("a module");
        let app = router::<()>(dist.path());
        let get = |path: &'static str| {
            let app = app.clone();
            async move {
                let response = app
                    .oneshot(Request::get(path).body(Body::empty()).expect("a request"))
                    .await
                    .expect("an answer");
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                    .await
                    .expect("a body");
                (status, String::from_utf8_lossy(&body).into_owned())
            }
        };
        assert_eq!(
            get("/app-1.wasm").await,
            (StatusCode::OK, "wasm".to_owned())
        );
        assert_eq!(
            get("/w/1/c/2").await,
            (StatusCode::OK, "<p>shell</p>".to_owned())
        );
        assert_eq!(get("/chat/abc_DEF-1").await.1, "<p>shell</p>");
        assert_eq!(get("/app-0.wasm").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get("/app-0-split.js").await.0, StatusCode::NOT_FOUND);
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_ignored() {
        let html = r#"<head><script src="/a.js"></script><script type="module">init('/x.wasm');</script></head>"#;
        let found: Vec<_> = inline_scripts(html).collect();
        assert_eq!(found, vec!["init('/x.wasm');"]);
        let policies = Policies::new(html);
        let app = policies.app.to_str().unwrap();
        assert!(app.contains("'sha256-"), "{app}");
        assert!(app.contains("frame-ancestors 'self'"));
        assert!(!app.contains("unsafe-eval'") || app.contains("wasm-unsafe-eval"));
        assert!(
            policies
                .embeddable
                .to_str()
                .unwrap()
                .contains("frame-ancestors *")
        );
    }
}

//! Serves the built app (Trunk's `dist/`) with a fallback to `index.html` for client-side
//! routes, and the security headers every page gets.
//!
//! The Content-Security-Policy allows scripts from this origin only, plus the inline loader
//! Trunk writes into `index.html`, admitted by its SHA-256 (read from the file at start), so
//! an injected `<script>` cannot run even if markup ever slipped through. Only the
//! website-chat page may be framed by other sites (that is how the widget embeds it).

use crate::state::AppState;
use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::middleware::{self, Next};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(dist: &Path) -> Router<AppState> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap_or_else(|_| {
        tracing::warn!(path = %index.display(), "the app is not built; only the API is served");
        String::new()
    });
    let policy = Arc::new(Policies::new(&html));
    let files = ServeDir::new(dist).fallback(ServeFile::new(&index));
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

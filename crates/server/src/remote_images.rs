//! Remote images of e-mails (CH), loaded only when an agent asks. The sanitizer
//! ([`crate::channels::email::sanitize_html`]) leaves each `<img>` with a remote address as
//! `src="remote-image:<percent-encoded address>"`, which no browser loads. On request the
//! server fetches them — never from private, local or link-local addresses (the addresses are
//! the sender's to choose), only real pictures, a limited number of limited size — and
//! answers the e-mail's HTML with them inline as `data:` URLs, so the agent's browser never
//! contacts the sender's servers and the sender learns nothing about who reads.

use crate::access::Member;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use base64::Engine;
use futures_util::StreamExt;
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use switchboard_protocol::channels::RemoteImages;
use switchboard_protocol::{Content, ErrorBody, MessageId, WorkspaceId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What a remote image's `src` becomes in stored HTML.
pub const MARKER: &str = "remote-image:";
/// At most this many images of one e-mail are fetched.
const MAX_IMAGES: usize = 20;
/// The largest image fetched.
const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// How long one image may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
/// Redirects followed per image.
const MAX_REDIRECTS: usize = 3;

/// The `src` a remote image keeps in stored HTML.
pub fn mark(url: &str) -> String {
    format!("{MARKER}{}", utf8_percent_encode(url, NON_ALPHANUMERIC))
}

/// The remote addresses of the images in sanitized HTML, each once, in order.
pub fn marked_urls(html: &str) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    let prefix = format!("src=\"{MARKER}");
    for (at, _) in html.match_indices(&prefix) {
        let rest = &html[at + prefix.len()..];
        let Some(end) = rest.find('"') else { continue };
        let url = percent_decode_str(&rest[..end])
            .decode_utf8_lossy()
            .into_owned();
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    urls
}

/// The HTML with each fetched image inline; images not fetched lose their `src`.
fn inline(html: &str, images: &HashMap<String, String>) -> String {
    let prefix = format!("src=\"{MARKER}");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&prefix) {
        out.push_str(&rest[..at]);
        let after = &rest[at + prefix.len()..];
        let Some(end) = after.find('"') else {
            rest = after;
            break;
        };
        let url = percent_decode_str(&after[..end]).decode_utf8_lossy();
        match images.get(url.as_ref()) {
            Some(data) => {
                out.push_str("src=\"");
                out.push_str(data);
                out.push('"');
            }
            None => out.push_str("data-unloaded=\"\""),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether an address is on the public internet (not loopback, private, link-local, shared,
/// documentation, multicast or otherwise reserved).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_unspecified()
                || v4.is_multicast()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || (a == 198 && (18..20).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// Resolves names to public addresses only, so an image address cannot reach this
/// server's own network whatever its name resolves to.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let public: Vec<SocketAddr> = found.filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{} has no public address", name.as_str()).into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

/// Whether a URL may be fetched: http or https, and not a private address written out.
pub fn allowed(url: &reqwest::Url, private_ok: bool) -> bool {
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let Some(host) = url.host_str() else {
        return false;
    };
    // Names are checked when resolved (`PublicOnly`); addresses written out, here.
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(ip) => private_ok || is_public(ip),
        Err(_) => true,
    }
}

/// The client that fetches remote images: no cookies, few redirects, public addresses only
/// (unless `private_ok`, for tests and intranets).
pub fn client(private_ok: bool) -> reqwest::Client {
    builder(private_ok)
        .timeout(FETCH_TIMEOUT)
        .build()
        .unwrap_or_default()
}

/// A client for addresses someone else names (images, push services, AI providers): no
/// cookies, few redirects and none to a private address, names resolved to public addresses
/// only (unless `private_ok`). Without an overall timeout.
pub fn builder(private_ok: bool) -> reqwest::ClientBuilder {
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if !allowed(attempt.url(), private_ok) {
            attempt.error("redirected to an address that is not allowed")
        } else {
            attempt.follow()
        }
    });
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
        .redirect(redirects);
    if !private_ok {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    builder
}

/// One image as a `data:` URL, or why not.
async fn fetch(client: &reqwest::Client, url: &str, private_ok: bool) -> Result<String, String> {
    let url = reqwest::Url::parse(url).map_err(|e| e.to_string())?;
    if !allowed(&url, private_ok) {
        return Err("not an address images are fetched from".into());
    }
    let answer = client
        .get(url)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .error_for_status()
        .map_err(|e| e.to_string())?;
    if answer
        .content_length()
        .is_some_and(|n| n > MAX_IMAGE_BYTES as u64)
    {
        return Err("too large".into());
    }
    let mut answer = answer;
    let mut bytes = Vec::new();
    while let Some(chunk) = answer.chunk().await.map_err(|e| e.to_string())? {
        if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
            return Err("too large".into());
        }
        bytes.extend_from_slice(&chunk);
    }
    // The type comes from the bytes: only pictures a browser shows, never SVG (scripts).
    let kind = infer::get(&bytes).map(|k| k.mime_type());
    match kind {
        Some(mime @ ("image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/avif")) => {
            Ok(format!(
                "data:{mime};base64,{}",
                base64::engine::general_purpose::STANDARD.encode(&bytes)
            ))
        }
        _ => Err("not a picture".into()),
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(remote_images))
}

/// Fetches the remote images of an e-mail for the agent reading it (CH): the server fetches
/// them (public addresses only, pictures of at most 2 MB, at most 20) and answers the
/// e-mail's HTML with them inline. For members who may see the conversation; 404 otherwise,
/// and for messages that are not e-mails with HTML.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/messages/{id}/remote-images",
    operation_id = "load_remote_images",
    tag = "conversations",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = MessageId, Path, description = "The e-mail."),
    ),
    responses(
        (status = 200, description = "The e-mail's HTML with the images that could be fetched.", body = RemoteImages),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such e-mail with HTML, or not visible to the caller.", body = ErrorBody),
    ),
)]
async fn remote_images(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, MessageId)>,
) -> Result<Json<RemoteImages>, ApiError> {
    let message = state.store.message(member.workspace, id).await?;
    member.conversation(&state, message.conversation_id).await?;
    let Content::Email {
        html: Some(html), ..
    } = message.content
    else {
        return Err(ApiError::NotFound);
    };
    let private_ok = state.config.email_images_from_private_addresses;
    let urls = marked_urls(&html);
    let fetched = futures_util::stream::iter(urls.iter().take(MAX_IMAGES).cloned())
        .map(|url| {
            let client = state.remote_images.clone();
            async move {
                let result = fetch(&client, &url, private_ok).await;
                (url, result)
            }
        })
        .buffer_unordered(4)
        .collect::<Vec<_>>()
        .await;
    let mut images = HashMap::new();
    for (url, result) in fetched {
        match result {
            Ok(data) => {
                images.insert(url, data);
            }
            Err(reason) => tracing::info!(%reason, "an e-mail's remote image was not loaded"),
        }
    }
    let loaded = images.len() as u32;
    Ok(Json(RemoteImages {
        html: inline(&html, &images),
        loaded,
        failed: urls.len() as u32 - loaded,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_images_are_found_and_inlined_once_each() {
        let a = "https://shop.example/logo.png?size=2&x=\"y\"";
        let b = "http://cdn.example/b.gif";
        let html = format!(
            "<p>Hi</p><img src=\"{}\" alt=\"logo\"><img src=\"{}\"><img src=\"{}\">\
             <p>src=&quot;{MARKER}x&quot;</p>",
            mark(a),
            mark(b),
            mark(a)
        );
        assert_eq!(
            marked_urls(&html),
            [a, b],
            "each address once, text ignored"
        );
        let images = HashMap::from([(a.to_owned(), "data:image/png;base64,AAAA".to_owned())]);
        let shown = inline(&html, &images);
        assert_eq!(
            shown.matches("src=\"data:image/png;base64,AAAA\"").count(),
            2
        );
        assert!(!shown.contains(&format!("src=\"{MARKER}")), "{shown}");
        assert!(shown.contains("data-unloaded"), "{shown}");
        assert!(
            shown.contains("src=&quot;remote-image:x&quot;"),
            "text stays text"
        );
    }

    #[test]
    fn only_public_addresses_are_fetched() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
        ] {
            let ip: IpAddr = private.parse().unwrap();
            assert!(!is_public(ip), "{private}");
        }
        for public in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        assert!(!allowed(&url("http://127.0.0.1:8080/x.png"), false));
        assert!(!allowed(&url("http://[::1]/x.png"), false));
        assert!(!allowed(&url("file:///etc/passwd"), false));
        assert!(!allowed(&url("ftp://example.com/x.png"), true));
        assert!(allowed(&url("https://shop.example/x.png"), false));
        assert!(allowed(&url("http://127.0.0.1:8080/x.png"), true));
    }
}

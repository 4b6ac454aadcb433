//! Workflows' HTTP request steps (T9): a manager names the address, so it reaches public
//! addresses only — names resolve to public addresses only, addresses written out must be
//! public, and so must every redirect — unless the operator lists a private host
//! (`SWITCHBOARD_WORKFLOW_HTTP_PRIVATE_HOSTS`, `host` or `host:port`). Errors never repeat
//! the address's path or query (they may hold a key).

use crate::remote_images::is_public;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use switchboard_protocol::workflows::HttpMethod;

/// How long a request may take.
const TIMEOUT: Duration = Duration::from_secs(15);
/// The most redirects followed.
const MAX_REDIRECTS: usize = 5;

/// Whether the operator lists the URL's host (with or without its port).
fn listed(url: &reqwest::Url, hosts: &[String]) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let with_port = url.port_or_known_default().map(|p| format!("{host}:{p}"));
    hosts
        .iter()
        .any(|h| *h == host || Some(h) == with_port.as_ref())
}

/// Whether the URL may be called: http or https, and an address written out is public or
/// listed (names are checked when resolved).
pub fn permitted(url: &reqwest::Url, hosts: &[String]) -> bool {
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let Some(host) = url.host_str() else {
        return false;
    };
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(ip) => is_public(ip) || listed(url, hosts),
        Err(_) => true,
    }
}

/// Resolves listed names freely, others to public addresses only.
struct Guarded(Arc<Vec<String>>);

impl reqwest::dns::Resolve for Guarded {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let hosts = self.0.clone();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let name_listed = hosts
                .iter()
                .any(|h| h.split(':').next() == Some(&name.as_str().to_ascii_lowercase()));
            let usable: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| name_listed || is_public(a.ip()))
                .collect();
            if usable.is_empty() {
                return Err(format!("{} has no public address", name.as_str()).into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(usable.into_iter());
            Ok(addrs)
        })
    }
}

fn client(hosts: &[String]) -> reqwest::Result<reqwest::Client> {
    let for_redirects = hosts.to_vec();
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if !permitted(attempt.url(), &for_redirects) {
            attempt.error("redirected to an address that is not allowed")
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .user_agent(concat!("Switchboard-Workflows/", env!("CARGO_PKG_VERSION")))
        .redirect(redirects)
        .dns_resolver(Arc::new(Guarded(Arc::new(hosts.to_vec()))))
        .timeout(TIMEOUT)
        .build()
}

/// Calls the address; what to log when it answers 2xx, or why the run ends.
pub async fn request(
    hosts: &[String],
    method: HttpMethod,
    url: &str,
    body: Option<&str>,
) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| "The HTTP request's address is not a URL.".to_owned())?;
    let host = parsed.host_str().unwrap_or_default().to_owned();
    if !permitted(&parsed, hosts) {
        return Err(format!(
            "The HTTP request to {host} was refused: private and local addresses are not called."
        ));
    }
    let client = client(hosts).map_err(|e| e.to_string())?;
    let mut call = match method {
        HttpMethod::Get => client.get(parsed),
        HttpMethod::Post => client.post(parsed),
    };
    if let Some(body) = body {
        call = call
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_owned());
    }
    match call.send().await {
        Ok(answer) if answer.status().is_success() => {
            Ok(format!("HTTP {}", answer.status().as_u16()))
        }
        Ok(answer) => Err(format!(
            "The HTTP request to {host} answered {}.",
            answer.status()
        )),
        Err(error) if error.is_redirect() => Err(format!(
            "The HTTP request to {host} was refused: it redirected to an address that is not allowed."
        )),
        Err(error) => Err(format!(
            "The HTTP request to {host} failed: {}",
            error.without_url()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_refused_unless_listed() {
        let url = |u: &str| reqwest::Url::parse(u).expect("a URL");
        let none: Vec<String> = Vec::new();
        for private in [
            "http://127.0.0.1/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/",
            "http://[::1]/",
            "file:///etc/passwd",
        ] {
            assert!(!permitted(&url(private), &none), "{private}");
        }
        assert!(permitted(&url("https://93.184.216.34/x"), &none));
        assert!(permitted(&url("https://hooks.example.com/x"), &none));
        let intranet = vec!["10.0.0.1".to_owned(), "127.0.0.1:8080".to_owned()];
        assert!(permitted(&url("http://10.0.0.1/x"), &intranet));
        assert!(permitted(&url("http://127.0.0.1:8080/x"), &intranet));
        assert!(!permitted(&url("http://127.0.0.1:8081/x"), &intranet));
    }
}

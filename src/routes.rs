//! Every URL of the app, built in one place. Nothing else formats an app URL by hand.

use switchboard_protocol::{ConversationId, WorkspaceId};

pub const LOGIN: &str = "/login";

/// The inbox of a workspace.
pub fn inbox(workspace: WorkspaceId) -> String {
    format!("/w/{workspace}")
}

/// One conversation, open in the inbox.
pub fn conversation(workspace: WorkspaceId, conversation: ConversationId) -> String {
    format!("/w/{workspace}/c/{conversation}")
}

/// The login page, returning to `next` afterwards.
pub fn login_then(next: &str) -> String {
    format!("{LOGIN}?next={}", encode_component(next))
}

/// Where to go after login: `next` when it is a path of this app, else the start page.
/// Refuses absolute and protocol-relative URLs so a crafted link cannot send a user away.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_built_from_ids() {
        assert_eq!(inbox(WorkspaceId(3)), "/w/3");
        assert_eq!(
            conversation(WorkspaceId(3), ConversationId(14)),
            "/w/3/c/14"
        );
        assert_eq!(login_then("/w/3/c/14?x=1"), "/login?next=/w/3/c/14%3Fx%3D1");
    }

    #[test]
    fn next_only_returns_to_this_app() {
        assert_eq!(safe_next(Some("/w/1/c/2")), "/w/1/c/2");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}

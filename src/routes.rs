//! Every URL of the app, built in one place. Nothing else formats an app URL by hand.

use crate::model::view::InboxView;
use switchboard_protocol::{ConversationId, WorkspaceId};

pub const LOGIN: &str = "/login";

/// The inbox of a workspace.
pub fn inbox(workspace: WorkspaceId) -> String {
    format!("/w/{workspace}")
}

/// Search everything in a workspace (S1).
pub fn search(workspace: WorkspaceId) -> String {
    format!("/w/{workspace}/search")
}

/// The workspace's channels in settings (T6).
/// The workspace's settings (T1, T4, T5).
pub fn settings(workspace: WorkspaceId) -> String {
    format!("/w/{workspace}/settings")
}

pub fn channel_settings(workspace: WorkspaceId) -> String {
    format!("/w/{workspace}/settings/channels")
}

/// One conversation, open in the inbox.
pub fn conversation(workspace: WorkspaceId, conversation: ConversationId) -> String {
    switchboard_protocol::notifications::conversation_path(workspace, conversation)
}

/// Which inbox screen a path is: `/w/{ws}`, `/w/{ws}/c/{conversation}` or `/w/{ws}/search`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InboxPath {
    pub workspace: WorkspaceId,
    pub conversation: Option<ConversationId>,
    pub search: bool,
}

/// Reads an inbox path (the inverse of [`inbox`], [`conversation`] and [`search`]).
pub fn parse_inbox(path: &str) -> Option<InboxPath> {
    let mut parts = path.trim_end_matches('/').split('/').skip(1);
    if parts.next()? != "w" {
        return None;
    }
    let workspace = WorkspaceId(parts.next()?.parse().ok()?);
    let (conversation, search) = match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => (None, false),
        (Some("search"), None, _) => (None, true),
        (Some("c"), Some(id), None) => (Some(ConversationId(id.parse().ok()?)), false),
        _ => return None,
    };
    Some(InboxPath {
        workspace,
        conversation,
        search,
    })
}

/// The inbox of a workspace showing `view`.
pub fn inbox_with(workspace: WorkspaceId, view: &InboxView) -> String {
    format!("/w/{workspace}{}", query(&view.to_pairs()))
}

/// One conversation, open beside the list of `view`.
pub fn conversation_with(
    workspace: WorkspaceId,
    conversation: ConversationId,
    view: &InboxView,
) -> String {
    format!("/w/{workspace}/c/{conversation}{}", query(&view.to_pairs()))
}

/// `?k=v&…` with every value percent-encoded; empty without pairs.
pub fn query(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
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
    fn inbox_paths_read_back_what_was_built() {
        let ws = WorkspaceId(3);
        let c = ConversationId(41);
        let read = |p: &str| parse_inbox(p);
        assert_eq!(
            read(&inbox(ws)),
            Some(InboxPath {
                workspace: ws,
                conversation: None,
                search: false
            })
        );
        assert_eq!(
            read(&conversation(ws, c)),
            Some(InboxPath {
                workspace: ws,
                conversation: Some(c),
                search: false
            })
        );
        assert_eq!(
            read(&search(ws)),
            Some(InboxPath {
                workspace: ws,
                conversation: None,
                search: true
            })
        );
        assert_eq!(read("/w/3/"), read("/w/3"));
        for bad in [
            "",
            "/",
            "/w",
            "/w/x",
            "/w/3/c",
            "/w/3/c/x",
            "/w/3/c/4/5",
            "/w/3/other",
            "/x/3",
            "/w/3/search/4",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

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
    fn a_view_is_kept_in_the_query_and_values_are_encoded() {
        use switchboard_protocol::inbox::Folder;
        let view = InboxView {
            folder: Folder::Mine,
            search: "a&b=c #1".into(),
            unreplied: true,
            ..InboxView::default()
        };
        assert_eq!(
            inbox_with(WorkspaceId(2), &view),
            "/w/2?folder=mine&q=a%26b%3Dc%20%231&unreplied=true"
        );
        assert_eq!(
            conversation_with(WorkspaceId(2), ConversationId(5), &InboxView::default()),
            "/w/2/c/5"
        );
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

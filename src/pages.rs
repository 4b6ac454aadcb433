//! One module per screen.

pub mod channels;
pub mod chat;
pub mod home;
pub mod inbox;
pub mod invite;
pub mod login;
pub mod settings;

use crate::routes;
use crate::state::session::use_session;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use switchboard_protocol::{Role, WorkspaceId};

/// A workspace's settings screen (`/w/:ws/settings…`): the workspace its path names, and
/// whether the signed-in member may change settings there. Signed out, it sends them to log
/// in and come back.
pub fn workspace_settings_screen() -> (Memo<Option<WorkspaceId>>, Signal<bool>) {
    let session = use_session();
    let params = use_params_map();
    let location = use_location();
    let navigate = use_navigate();
    let workspace = Memo::new(move |_| {
        params
            .with(|p| p.get("ws"))
            .and_then(|ws| ws.parse().ok())
            .map(WorkspaceId)
    });
    Effect::new(move |_| {
        if session.checked() && session.signed_in().is_none() {
            navigate(
                &routes::login_then(&location.pathname.get_untracked()),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let manager = Signal::derive(move || {
        workspace
            .get()
            .and_then(|ws| session.workspace(ws))
            .is_some_and(|m| matches!(m.role, Role::Owner | Role::Manager))
    });
    (workspace, manager)
}

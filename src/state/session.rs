//! Who is signed in. Loaded once at start from `/api/v1/me`; set by login, cleared by logout
//! or when the server says the session ended.

use leptos::prelude::*;
use switchboard_protocol::api::Me;
use switchboard_protocol::{WorkspaceId, WorkspaceMembership};

#[derive(Clone, Copy)]
pub struct Session {
    /// `None` until checked, then `Some(None)` when signed out.
    pub me: RwSignal<Option<Option<Me>>>,
}

impl Session {
    pub fn checked(&self) -> bool {
        self.me.with(Option::is_some)
    }

    pub fn signed_in(&self) -> Option<Me> {
        self.me.get().flatten()
    }

    pub fn set(&self, me: Option<Me>) {
        self.me.set(Some(me));
    }

    pub fn workspace(&self, id: WorkspaceId) -> Option<WorkspaceMembership> {
        self.me.with(|me| {
            me.as_ref()
                .and_then(Option::as_ref)
                .and_then(|me| me.workspaces.iter().find(|w| w.id == id).cloned())
        })
    }
}

pub fn provide_session() -> Session {
    let session = Session {
        me: RwSignal::new(None),
    };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

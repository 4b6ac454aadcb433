//! Conformance stories of full-text search (S1, C6), run on every backend.

#![allow(clippy::unwrap_used)] // Test code: a failed step is a failed story.

use crate::conformance::{contact, fixture, incoming, reply, viewer};
use crate::*;
use chrono::{Duration, TimeZone};
use std::sync::Arc;

type S = Arc<dyn Store>;

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

async fn found(
    store: &S,
    f: &crate::conformance::Fixture,
    viewer: &Viewer,
    q: &str,
    within: Option<ConversationId>,
) -> Vec<String> {
    let mut texts = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .search_messages(
                f.workspace,
                viewer,
                q,
                within,
                PageRequest { after, limit: 2 },
            )
            .await
            .unwrap();
        texts.extend(page.items.iter().map(|h| h.message.content.preview_text()));
        match page.next_cursor {
            Some(next) => after = Some(IdCursor::decode(&next).unwrap()),
            None => return texts,
        }
    }
}

pub async fn full_text_search_finds_word_starts_in_any_case_and_script(store: S) {
    let f = fixture(&store, "Search").await;
    let other = fixture(&store, "Other").await;
    let olga = contact(&store, &f, "Olga", t(0)).await;
    let ivan = contact(&store, &f, "Ivan", t(0)).await;
    for (i, text) in [
        "Доставка в Казань бесплатная?",
        "Where is my ORDER #4821?",
        "Reordering is easy",
    ]
    .iter()
    .enumerate()
    {
        store
            .append_message(incoming(&f, olga.id, text, t(i as i64 + 1)))
            .await
            .unwrap();
    }
    let mut note = reply(
        &f,
        ivan.id,
        "n1",
        "Казань: refund approved for the order",
        t(5),
    );
    note.kind = MessageKind::Comment;
    store.append_message(note).await.unwrap();
    let theirs = contact(&store, &other, "Secret", t(0)).await;
    store
        .append_message(incoming(
            &other,
            theirs.id,
            "order from another workspace",
            t(6),
        ))
        .await
        .unwrap();
    let me = viewer(&store, &f).await;

    // Words are found by their start, case-insensitively, newest first, comments included.
    assert_eq!(
        found(&store, &f, &me, "ORD", None).await,
        vec![
            "Казань: refund approved for the order",
            "Where is my ORDER #4821?"
        ],
        "'Reordering' does not start with 'ord'; the other workspace's message never shows"
    );
    assert_eq!(
        found(&store, &f, &me, "казань", None).await,
        vec![
            "Казань: refund approved for the order",
            "Доставка в Казань бесплатная?"
        ]
    );
    assert_eq!(
        found(&store, &f, &me, "КАЗ", None).await.len(),
        2,
        "Cyrillic prefixes too"
    );
    // Every word must match.
    assert_eq!(
        found(&store, &f, &me, "order 4821", None).await,
        vec!["Where is my ORDER #4821?"]
    );
    assert!(
        found(&store, &f, &me, "order nothing", None)
            .await
            .is_empty()
    );
    // Inside one conversation only.
    assert_eq!(
        found(&store, &f, &me, "казань", Some(olga.id)).await,
        vec!["Доставка в Казань бесплатная?"]
    );
    // Markup and query syntax are just text.
    assert!(
        found(&store, &f, &me, "\" OR 1=1 -- *", None)
            .await
            .is_empty()
    );
    assert!(
        found(&store, &f, &me, "%", None).await.is_empty(),
        "no words, no results"
    );

    // Blocked contacts' messages are found only by members who may see them.
    store
        .set_blocked(f.workspace, olga.contact.id, true)
        .await
        .unwrap();
    let mut hidden = me.clone();
    hidden.permissions.view_blocked = false;
    assert_eq!(
        found(&store, &f, &hidden, "казань", None).await,
        vec!["Казань: refund approved for the order"]
    );
    let mut allowed = me.clone();
    allowed.permissions.view_blocked = true;
    assert_eq!(found(&store, &f, &allowed, "казань", None).await.len(), 2);
}

pub async fn contact_search_respects_masking_and_blocking(store: S) {
    let f = fixture(&store, "People").await;
    let dmitry = store
        .create_contact(NewContact {
            workspace: f.workspace,
            channel: f.channel.id,
            first_name: "Дмитрий",
            last_name: "Соколов",
            email: Some("d.sokolov@example.ru"),
            phone: Some("+7 912 555-01-23"),
            fields: &[],
            created_at: t(0),
        })
        .await
        .unwrap();
    let me = viewer(&store, &f).await;
    let names = |rows: Vec<ConversationSummary>| {
        rows.into_iter()
            .map(|r| r.contact.first_name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(
            store
                .search_contacts(f.workspace, &me, "дмит", 10)
                .await
                .unwrap()
        ),
        vec!["Дмитрий"]
    );
    assert_eq!(
        names(
            store
                .search_contacts(f.workspace, &me, "SOKOLOV@", 10)
                .await
                .unwrap()
        ),
        vec!["Дмитрий"]
    );
    assert_eq!(
        names(
            store
                .search_contacts(f.workspace, &me, "912 555", 10)
                .await
                .unwrap()
        ),
        vec!["Дмитрий"]
    );
    let mut masked = me.clone();
    masked.permissions.phone_masked = true;
    assert!(
        store
            .search_contacts(f.workspace, &masked, "912555", 10)
            .await
            .unwrap()
            .is_empty(),
        "a masked number finds nothing"
    );
    store
        .set_blocked(f.workspace, dmitry.contact.id, true)
        .await
        .unwrap();
    let mut hidden = me.clone();
    hidden.permissions.view_blocked = false;
    assert!(
        store
            .search_contacts(f.workspace, &hidden, "дмит", 10)
            .await
            .unwrap()
            .is_empty()
    );
    let mut allowed = me.clone();
    allowed.permissions.view_blocked = true;
    assert_eq!(
        store
            .search_contacts(f.workspace, &allowed, "дмит", 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// The conversation list's search (N5) reads a contact's current name, e-mail and phone:
/// an edit is found by its new values at once, and its old ones find nothing.
pub async fn list_search_follows_contact_edits(store: S) {
    let f = fixture(&store, "Renames").await;
    let mut ids = Vec::new();
    for (i, (first, last)) in [("Olga", "Petrova"), ("Oleg", "Petrov"), ("Anna", "Berg")]
        .into_iter()
        .enumerate()
    {
        let created = store
            .create_contact(NewContact {
                workspace: f.workspace,
                channel: f.channel.id,
                first_name: first,
                last_name: last,
                email: None,
                phone: Some(&format!("+49 30 1234 56{i}")),
                fields: &[],
                created_at: t(i as i64),
            })
            .await
            .unwrap();
        ids.push(created);
    }
    let me = viewer(&store, &f).await;
    let listed = |q: &'static str| {
        let store = store.clone();
        let me = me.clone();
        let workspace = f.workspace;
        async move {
            let spec = InboxSpec {
                search: Some(q.to_owned()),
                ..InboxSpec::all(t(60))
            };
            let mut names = Vec::new();
            let mut after = None;
            loop {
                let page = store
                    .inbox(workspace, &me, &spec, PageRequest { after, limit: 1 })
                    .await
                    .unwrap();
                names.extend(page.items.into_iter().map(|c| c.contact.first_name));
                match page.next_cursor.as_deref().and_then(ActivityCursor::decode) {
                    Some(cursor) => after = Some(cursor),
                    None => break,
                }
            }
            names.sort();
            names
        }
    };
    assert_eq!(listed("petrov").await, vec!["Oleg", "Olga"]);
    store
        .update_contact(
            f.workspace,
            ids[1].contact.id,
            &ContactChanges {
                first_name: Some("Igor".into()),
                last_name: Some("Smirnov".into()),
                email: Some(Some("igor@shop.example".into())),
                phone: Some(Some("+49 40 777 888".into())),
                ..ContactChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed("petrov").await, vec!["Olga"], "the old name is gone");
    assert_eq!(listed("SMIRNOV").await, vec!["Igor"]);
    assert_eq!(listed("shop.example").await, vec!["Igor"]);
    assert_eq!(listed("40 777").await, vec!["Igor"], "the new number");
    assert!(listed("1234 561").await.is_empty(), "the old number");
    assert_eq!(listed("1234 56").await, vec!["Anna", "Olga"]);
}

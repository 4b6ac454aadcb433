//! Contacts in a real browser (P1–P4): a manager adds a contact (it lands in the Closed
//! tab), fills in custom fields whose bad values are named before anything is saved, calls
//! through a tel: link and searches the contact's messages; a masked agent sees no number
//! anywhere, cannot call, and a number they add is hidden from them once saved. On a phone
//! the panel is a sheet.

use switchboard_e2e::thirtyfour::components::SelectElement;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;
use switchboard_protocol::contacts::{CustomFieldRequest, FieldKind};
use switchboard_protocol::settings::MemberPatch;
use switchboard_protocol::*;

async fn type_into(driver: &WebDriver, xpath: &str, text: &str) {
    let input = wait_xpath(driver, xpath).await;
    input.clear().await.expect("cleared");
    input.send_keys(text).await.expect("typing");
}

fn field(label: &str) -> String {
    format!(
        "//label[contains(@class,'field')][span[normalize-space()={}]]",
        literal(label)
    )
}

async fn fields(h: &Harness) {
    let store = &h.server.state.store;
    for (label, kind, options) in [
        (
            "Plan",
            FieldKind::List,
            vec!["Gold".to_owned(), "Silver".to_owned()],
        ),
        ("Orders", FieldKind::Number, vec![]),
    ] {
        store
            .create_custom_field(
                WorkspaceId(1),
                &CustomFieldRequest {
                    label: label.into(),
                    kind,
                    options,
                },
            )
            .await
            .expect("a field");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_adds_a_contact_fills_in_fields_calls_and_searches() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    fields(&h).await;
    let maria = h.browser(1440, 900).await;
    maria.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    wait_xpath(&maria, "(//a[contains(@class,'conversation-row')])[1]").await;

    // P1: a bad address is named; nothing is added until it is right.
    click(&maria, "//button[@aria-label='New contact']").await;
    let dialog = "//div[@role='dialog'][.//h2[normalize-space()='New contact']]";
    wait_xpath(&maria, dialog).await;
    type_into(
        &maria,
        &format!("{dialog}{}//input", field("First name")),
        "Irina",
    )
    .await;
    type_into(
        &maria,
        &format!("{dialog}{}//input", field("Last name")),
        "Volkova",
    )
    .await;
    type_into(
        &maria,
        &format!("{dialog}{}//input", field("E-mail")),
        "irina@",
    )
    .await;
    click(
        &maria,
        &format!("{dialog}//button[normalize-space()='Add contact']"),
    )
    .await;
    wait_text(
        &maria,
        &format!("{dialog}{}//p[@role='alert']", field("E-mail")),
    )
    .await;
    type_into(
        &maria,
        &format!("{dialog}{}//input", field("E-mail")),
        "irina@example.com",
    )
    .await;
    click(
        &maria,
        &format!("{dialog}//button[normalize-space()='Add contact']"),
    )
    .await;
    wait_gone(&maria, dialog).await;
    wait_query(&maria, "status=closed").await;
    wait_xpath(&maria, &row("Irina Volkova")).await;
    wait_xpath(
        &maria,
        "//div[contains(@class,'thread-title')]/h2[normalize-space()='Irina Volkova']",
    )
    .await;

    // The contact panel: no number yet, so the call button asks for one.
    click(&maria, "//button[@aria-label='Contact details']").await;
    let panel = "//aside[contains(@class,'contact-panel')]";
    wait_xpath(
        &maria,
        &format!("{panel}//dd[normalize-space()='irina@example.com']"),
    )
    .await;
    click(
        &maria,
        &format!("{panel}//button[normalize-space()='Add a number to call']"),
    )
    .await;
    // The field takes the focus once the editor is drawn (a frame later on a busy machine).
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let active = maria
            .active_element()
            .await
            .expect("focus")
            .attr("name")
            .await
            .expect("attr");
        if active.as_deref() == Some("phone") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the phone field has the focus, not {active:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    maria
        .active_element()
        .await
        .expect("focus")
        .send_keys("+44 20 7946 0321")
        .await
        .expect("typing");
    type_into(
        &maria,
        &format!("{panel}{}//input", field("Orders")),
        "twelve",
    )
    .await;
    click(
        &maria,
        &format!("{panel}//button[normalize-space()='Save']"),
    )
    .await;
    let problem = wait_text(
        &maria,
        &format!("{panel}{}//p[@role='alert']", field("Orders")),
    )
    .await;
    assert_eq!(problem, "Orders: enter a number.");
    type_into(&maria, &format!("{panel}{}//input", field("Orders")), "12").await;
    SelectElement::new(&wait_xpath(&maria, &format!("{panel}{}//select", field("Plan"))).await)
        .await
        .expect("a select")
        .select_by_exact_text("Gold")
        .await
        .expect("chosen");
    click(
        &maria,
        &format!("{panel}//button[normalize-space()='Save']"),
    )
    .await;
    wait_xpath(
        &maria,
        &format!("{panel}//p[@role='status'][normalize-space()='Saved.']"),
    )
    .await;
    wait_xpath(
        &maria,
        &format!("{panel}//div[dt[normalize-space()='Plan']]/dd[normalize-space()='Gold']"),
    )
    .await;
    wait_xpath(
        &maria,
        &format!("{panel}//div[dt[normalize-space()='Orders']]/dd[normalize-space()='12']"),
    )
    .await;
    let call = wait_xpath(&maria, &format!("{panel}//a[normalize-space()='Call']")).await;
    assert_eq!(
        call.attr("href").await.expect("attr").as_deref(),
        Some("tel:+442079460321")
    );
    screenshot(&maria, "contact-panel-desktop").await;

    // Search in messages opens the conversation's search.
    click(
        &maria,
        &format!("{panel}//button[normalize-space()='Search in messages']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//div[@role='search']//input[@placeholder='Search this conversation']",
    )
    .await;

    // Reload: the panel stays open, the values stay.
    maria.refresh().await.expect("reload");
    wait_xpath(
        &maria,
        &format!("{panel}//div[dt[normalize-space()='Plan']]/dd[normalize-space()='Gold']"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_masked_agent_never_sees_a_number_even_one_they_add() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let store = &h.server.state.store;
    let anna = store
        .user_credentials("anna@northwind.example")
        .await
        .expect("the store answers")
        .expect("anna")
        .user
        .id;
    store
        .update_member(
            WorkspaceId(1),
            anna,
            &MemberPatch {
                role: None,
                permissions: Some(Permissions {
                    view_blocked: false,
                    phone_masked: true,
                }),
            },
        )
        .await
        .expect("masked");
    // A contact with a number, and one without.
    let with_number = store
        .create_contact(switchboard_storage::NewContact {
            workspace: WorkspaceId(1),
            channel: store.channels(WorkspaceId(1)).await.expect("channels")[0].id,
            first_name: "Pavel",
            last_name: "Numbered",
            email: None,
            phone: Some("+7 912 345 67 89"),
            fields: &[],
            created_at: chrono::Utc::now(),
        })
        .await
        .expect("a contact");
    let agent = h.phone().await;
    agent
        .goto(format!("{}/w/1/c/{}?status=closed", h.url, with_number.id))
        .await
        .expect("goto");
    sign_in(&agent, "anna@northwind.example", PASSWORD).await;
    click(&agent, "//button[@aria-label='Contact details']").await;
    let panel = "//aside[contains(@class,'contact-panel')]";
    wait_xpath(
        &agent,
        &format!("{panel}//div[dt[normalize-space()='Phone']]/dd[normalize-space()='Hidden']"),
    )
    .await;
    wait_xpath(
        &agent,
        &format!("{panel}//p[contains(normalize-space(),'calling is off')]"),
    )
    .await;
    assert_eq!(
        count(&agent, ".contact-panel a[href^='tel:']").await,
        0,
        "no call link"
    );
    let page = agent.source().await.expect("the page");
    assert!(!page.contains("912"), "the number is nowhere in the page");
    let rect = wait_xpath(&agent, panel)
        .await
        .rect()
        .await
        .expect("a rect");
    assert!(rect.width >= 389.0, "a full-width sheet: {rect:?}");
    screenshot(&agent, "contact-panel-masked-phone").await;

    // Editing: the hidden number cannot be touched; other details can.
    click(
        &agent,
        &format!("{panel}//button[normalize-space()='Edit details']"),
    )
    .await;
    wait_xpath(
        &agent,
        &format!(
            "{panel}//p[contains(normalize-space(),'hidden for you, so it cannot be changed')]"
        ),
    )
    .await;
    assert_eq!(count(&agent, ".contact-panel input[name='phone']").await, 0);
    type_into(
        &agent,
        &format!("{panel}{}//input", field("Last name")),
        "Known",
    )
    .await;
    click(
        &agent,
        &format!("{panel}//button[normalize-space()='Save']"),
    )
    .await;
    wait_xpath(
        &agent,
        &format!("{panel}//p[@role='status'][normalize-space()='Saved.']"),
    )
    .await;
    let kept = store
        .contact(WorkspaceId(1), with_number.contact.id)
        .await
        .expect("the contact");
    assert_eq!(kept.summary.phone.as_deref(), Some("+7 912 345 67 89"));
    assert_eq!(kept.summary.last_name, "Known");

    // A number the agent adds to a contact without one is kept, and hidden from them at once.
    let without = store
        .create_contact(switchboard_storage::NewContact {
            workspace: WorkspaceId(1),
            channel: store.channels(WorkspaceId(1)).await.expect("channels")[0].id,
            first_name: "Lena",
            last_name: "Nonumber",
            email: None,
            phone: None,
            fields: &[],
            created_at: chrono::Utc::now(),
        })
        .await
        .expect("a contact");
    agent
        .goto(format!("{}/w/1/c/{}?status=closed", h.url, without.id))
        .await
        .expect("goto");
    wait_xpath(
        &agent,
        &format!("{panel}//h3[normalize-space()='Lena Nonumber']"),
    )
    .await;
    click(
        &agent,
        &format!("{panel}//button[normalize-space()='Edit details']"),
    )
    .await;
    wait_xpath(
        &agent,
        &format!("{panel}//p[contains(normalize-space(),'hidden once saved')]"),
    )
    .await;
    type_into(
        &agent,
        &format!("{panel}{}//input", field("Phone")),
        "+7 900 000 00 01",
    )
    .await;
    click(
        &agent,
        &format!("{panel}//button[normalize-space()='Save']"),
    )
    .await;
    wait_xpath(
        &agent,
        &format!("{panel}//div[dt[normalize-space()='Phone']]/dd[normalize-space()='Hidden']"),
    )
    .await;
    let page = agent.source().await.expect("the page");
    assert!(!page.contains("900 000"), "the new number is not shown");
    let kept = store
        .contact(WorkspaceId(1), without.contact.id)
        .await
        .expect("the contact");
    assert_eq!(kept.summary.phone.as_deref(), Some("+7 900 000 00 01"));
}

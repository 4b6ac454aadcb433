//! The CRM contact panels (P5 HubSpot, P6 Salesforce, T7) in a real browser, against
//! stand-ins for both: a manager connects each in settings (credentials are never shown
//! again); in an agent's contact panel the record opens in the CRM, a read-only value is
//! copied with a confirmation, an editable one saves on Enter and on leaving the field, a
//! refused value is said under its field, the revert icon restores the value it had; the
//! e-mail address and phone numbers are read-only, and a masked member sees no phone value.

use switchboard_e2e::fake_hubspot::{FakeHubspot, PORTAL};
use switchboard_e2e::fake_salesforce::{CLIENT_ID, FakeSalesforce, USERNAME};
use switchboard_e2e::test_keys::TEST_PRIVATE_KEY;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const TOKEN: &str = "pat-eu1-0b7c1e55-2f8d-4a61-8e0a-9d3c5b7a1f20";
const PANEL: &str = "//section[@aria-labelledby='hubspot-title']";
const SALESFORCE: &str = "//section[@aria-labelledby='salesforce-title']";

fn field_in(panel: &str, label: &str) -> String {
    format!(
        "{panel}//div[contains(@class,'crm-field')][dt[normalize-space()={}]]",
        literal(label)
    )
}

fn field(label: &str) -> String {
    field_in(PANEL, label)
}

/// A tap on the read-only value of the field copies it, with a confirmation.
async fn copies(driver: &WebDriver, field: &str, value: &str) {
    driver
        .execute(
            "window.copied = null; navigator.clipboard.writeText = async (t) => { window.copied = t; };",
            Vec::new(),
        )
        .await
        .expect("the clipboard is watched");
    click(
        driver,
        &format!(
            "{field}//button[contains(@class,'crm-copy')][normalize-space()={}]",
            literal(value)
        ),
    )
    .await;
    wait_xpath(
        driver,
        &format!("{field}//span[@role='status'][normalize-space()='Copied']"),
    )
    .await;
    let copied = driver
        .execute("return window.copied;", Vec::new())
        .await
        .expect("read back");
    assert_eq!(copied.json().as_str(), Some(value));
}

/// Waits until `check` holds, saying `what` did not.
async fn until(what: &str, check: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + WAIT;
    while !check() {
        assert!(std::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn input_value(driver: &WebDriver, label: &str) -> String {
    wait_xpath(driver, &format!("{}//input", field(label)))
        .await
        .prop("value")
        .await
        .expect("a value")
        .unwrap_or_default()
}

/// Waits until HubSpot holds `want` for the property.
async fn wait_hubspot(hubspot: &FakeHubspot, id: &str, name: &str, want: &str) {
    until(&format!("HubSpot's {name} is not {want:?}"), || {
        hubspot.property(id, name).as_deref() == Some(want)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_see_copy_edit_and_revert_the_contacts_hubspot_record() {
    let _serial = SERIAL.lock().await;
    let hubspot = FakeHubspot::start(TOKEN).await;
    let olivia = hubspot.add_contact(&[
        ("email", "olivia.bennett@example.com"),
        ("phone", "+44 20 7946 0321"),
        ("company", "Bennett Bakery"),
        ("lifecyclestage", "customer"),
        ("numemployees", "12"),
    ]);
    let url = hubspot.url.clone();
    let h = Harness::start_configured(move |c| c.hubspot_api_url = url).await;

    // Maria connects HubSpot; the token is written, never shown again.
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    let form = "//form[@aria-label='HubSpot connection']";
    wait_xpath(&maria, &format!("{form}//input[@name='hubspot_token']"))
        .await
        .send_keys(TOKEN)
        .await
        .expect("typing");
    let properties = wait_xpath(
        &maria,
        &format!("{form}//input[@name='hubspot_properties']"),
    )
    .await;
    properties.clear().await.expect("cleared");
    properties
        .send_keys("email, phone, company, lifecyclestage, numemployees")
        .await
        .expect("typing");
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Connect HubSpot']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='HubSpot connected.']",
    )
    .await;
    wait_xpath(
        &maria,
        &format!("{form}//span[contains(.,'Connected to HubSpot account {PORTAL}')]"),
    )
    .await;
    assert!(!maria.source().await.expect("the page").contains(TOKEN));
    maria.quit().await.expect("quit");

    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Olivia Bennett")).await;
    click(&anna, "//button[@aria-label='Contact details']").await;
    let link = wait_xpath(
        &anna,
        &format!("{PANEL}//a[normalize-space()='View in HubSpot']"),
    )
    .await;
    assert_eq!(
        link.attr("href").await.expect("href").as_deref(),
        Some(format!("https://app-eu1.hubspot.com/contacts/{PORTAL}/record/0-1/{olivia}").as_str())
    );
    assert_eq!(
        link.attr("target").await.expect("target").as_deref(),
        Some("_blank")
    );

    // Read-only: the e-mail address and the phone number, copied with a confirmation.
    assert_eq!(count(&anna, ".crm-field input[name='crm.email']").await, 0);
    assert_eq!(count(&anna, ".crm-field input[name='crm.phone']").await, 0);
    copies(&anna, &field("Phone Number"), "+44 20 7946 0321").await;
    screenshot(&anna, "crm-hubspot-panel").await;

    // Edit: Enter saves; leaving the field saves.
    let company = wait_xpath(&anna, &format!("{}//input", field("Company Name"))).await;
    company.clear().await.expect("cleared");
    company
        .send_keys("Bennett & Daughters")
        .await
        .expect("typing");
    company.send_keys(Key::Enter).await.expect("saved");
    wait_hubspot(&hubspot, &olivia, "company", "Bennett & Daughters").await;
    let stage = wait_xpath(&anna, &format!("{}//input", field("Lifecycle Stage"))).await;
    stage.clear().await.expect("cleared");
    stage.send_keys("evangelist").await.expect("typing");
    // Leaving the field saves it (and the other field keeps what it shows).
    wait_xpath(&anna, &format!("{}//input", field("Company Name")))
        .await
        .click()
        .await
        .expect("left the field");
    wait_hubspot(&hubspot, &olivia, "lifecyclestage", "evangelist").await;

    // A value HubSpot refuses is said under its field; nothing changes there.
    let staff = wait_xpath(&anna, &format!("{}//input", field("Number of Employees"))).await;
    staff.clear().await.expect("cleared");
    staff.send_keys("a dozen").await.expect("typing");
    staff.send_keys(Key::Enter).await.expect("saved");
    let said = wait_text(
        &anna,
        &format!("{}//p[@role='alert']", field("Number of Employees")),
    )
    .await;
    assert!(said.contains("a dozen was not a valid number"), "{said}");
    assert_eq!(
        hubspot.property(&olivia, "numemployees").as_deref(),
        Some("12")
    );

    // Revert restores the value it had when the record was opened.
    click(
        &anna,
        &format!(
            "{}//button[@aria-label='Restore the value it had']",
            field("Company Name")
        ),
    )
    .await;
    wait_hubspot(&hubspot, &olivia, "company", "Bennett Bakery").await;
    let deadline = std::time::Instant::now() + WAIT;
    while input_value(&anna, "Company Name").await != "Bennett Bakery" {
        assert!(
            std::time::Instant::now() < deadline,
            "the field was not restored"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    wait_gone(
        &anna,
        &format!(
            "{}//button[@aria-label='Restore the value it had']",
            field("Company Name")
        ),
    )
    .await;
    anna.quit().await.expect("quit");

    // Boris's phone numbers are masked: HubSpot's too.
    let boris = h.browser(1440, 900).await;
    boris.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&boris, "boris@northwind.example", PASSWORD).await;
    click(&boris, &row("Olivia Bennett")).await;
    click(&boris, "//button[@aria-label='Contact details']").await;
    wait_xpath(
        &boris,
        &format!("{}//dd[normalize-space()='Hidden']", field("Phone Number")),
    )
    .await;
    assert!(!boris.source().await.expect("the page").contains("7946"));
    boris.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_see_and_edit_the_contacts_salesforce_record() {
    let _serial = SERIAL.lock().await;
    let salesforce = FakeSalesforce::start().await;
    let olivia = salesforce.add_contact(&[
        ("LastName", serde_json::json!("Bennett")),
        ("Email", serde_json::json!("olivia.bennett@example.com")),
        ("Phone", serde_json::json!("+44 20 7946 0321")),
        ("Title", serde_json::json!("Owner")),
        ("Department", serde_json::json!("Bakery")),
    ]);
    let url = salesforce.url.clone();
    let h = Harness::start_configured(move |c| c.salesforce_login_url = url).await;

    // Maria connects Salesforce with the JWT bearer flow; the key is never shown again.
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    let form = "//form[@aria-label='Salesforce connection']";
    wait_xpath(
        &maria,
        &format!("{form}//input[@name='salesforce_client_id']"),
    )
    .await
    .send_keys(CLIENT_ID)
    .await
    .expect("typing");
    click(&maria, &format!("{form}//input[@value='jwt_bearer']")).await;
    wait_xpath(
        &maria,
        &format!("{form}//input[@name='salesforce_username']"),
    )
    .await
    .send_keys(USERNAME)
    .await
    .expect("typing");
    // The key is pasted (typing 1 700 characters key by key is slow).
    let key = wait_xpath(
        &maria,
        &format!("{form}//textarea[@name='salesforce_private_key']"),
    )
    .await;
    maria
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![key.to_json().expect("an element"), serde_json::json!(TEST_PRIVATE_KEY)],
        )
        .await
        .expect("pasted");
    let fields = wait_xpath(&maria, &format!("{form}//input[@name='salesforce_fields']")).await;
    fields.clear().await.expect("cleared");
    fields
        .send_keys("Email, Phone, Title, Department")
        .await
        .expect("typing");
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Connect Salesforce']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Salesforce connected.']",
    )
    .await;
    wait_xpath(
        &maria,
        &format!(
            "{form}//span[contains(.,'Connected to {}')]",
            salesforce.url
        ),
    )
    .await;
    screenshot(&maria, "crm-salesforce-settings").await;
    let page = maria.source().await.expect("the page");
    assert!(!page.contains("PRIVATE KEY-----\n") && !page.contains(&TEST_PRIVATE_KEY[40..80]));
    maria.quit().await.expect("quit");

    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Olivia Bennett")).await;
    click(&anna, "//button[@aria-label='Contact details']").await;
    let link = wait_xpath(
        &anna,
        &format!("{SALESFORCE}//a[normalize-space()='View in Salesforce']"),
    )
    .await;
    assert_eq!(
        link.attr("href").await.expect("href"),
        Some(format!(
            "{}/lightning/r/Contact/{olivia}/view",
            salesforce.url
        ))
    );
    // HubSpot is not connected: no panel for it.
    assert_eq!(
        count(&anna, "section[aria-labelledby='hubspot-title']").await,
        0
    );
    // Read-only: the e-mail address and the phone number.
    assert_eq!(count(&anna, ".crm-field input[name='crm.Email']").await, 0);
    assert_eq!(count(&anna, ".crm-field input[name='crm.Phone']").await, 0);
    copies(
        &anna,
        &field_in(SALESFORCE, "Business Phone"),
        "+44 20 7946 0321",
    )
    .await;
    screenshot(&anna, "crm-salesforce-panel").await;

    // Edit: Enter saves, even after the session expired (signed in again).
    salesforce.expire_sessions();
    let title = wait_xpath(&anna, &format!("{}//input", field_in(SALESFORCE, "Title"))).await;
    title.clear().await.expect("cleared");
    title.send_keys("Head baker").await.expect("typing");
    title.send_keys(Key::Enter).await.expect("saved");
    until("Salesforce's Title was not saved", || {
        salesforce.field(&olivia, "Title") == Some(serde_json::json!("Head baker"))
    })
    .await;

    // A value a validation rule refuses is said under its field.
    let department = wait_xpath(
        &anna,
        &format!("{}//input", field_in(SALESFORCE, "Department")),
    )
    .await;
    department.clear().await.expect("cleared");
    department.send_keys("Unknown").await.expect("typing");
    department.send_keys(Key::Enter).await.expect("saved");
    let said = wait_text(
        &anna,
        &format!("{}//p[@role='alert']", field_in(SALESFORCE, "Department")),
    )
    .await;
    assert_eq!(said, "Department must be one we serve.");
    assert_eq!(
        salesforce.field(&olivia, "Department"),
        Some(serde_json::json!("Bakery"))
    );

    // Revert restores the title it had.
    click(
        &anna,
        &format!(
            "{}//button[@aria-label='Restore the value it had']",
            field_in(SALESFORCE, "Title")
        ),
    )
    .await;
    until("the title was not restored", || {
        salesforce.field(&olivia, "Title") == Some(serde_json::json!("Owner"))
    })
    .await;
    anna.quit().await.expect("quit");

    // Boris's phone numbers are masked: Salesforce's too.
    let boris = h.browser(1440, 900).await;
    boris.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&boris, "boris@northwind.example", PASSWORD).await;
    click(&boris, &row("Olivia Bennett")).await;
    click(&boris, "//button[@aria-label='Contact details']").await;
    wait_xpath(
        &boris,
        &format!(
            "{}//dd[normalize-space()='Hidden']",
            field_in(SALESFORCE, "Business Phone")
        ),
    )
    .await;
    assert!(!boris.source().await.expect("the page").contains("7946"));
    boris.quit().await.expect("quit");
}

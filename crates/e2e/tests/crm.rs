//! The HubSpot contact panel (P5, T7) in a real browser, against a stand-in for HubSpot: a
//! manager connects it in settings (the token is never shown again); in an agent's contact
//! panel the record opens in HubSpot, a read-only value is copied with a confirmation, an
//! editable one saves on Enter and on leaving the field, a refused value is said under its
//! field, the revert icon restores the value it had; the e-mail address and phone numbers
//! are read-only, and a masked member sees no phone value.

use switchboard_e2e::fake_hubspot::{FakeHubspot, PORTAL};
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const TOKEN: &str = "pat-eu1-0b7c1e55-2f8d-4a61-8e0a-9d3c5b7a1f20";
const PANEL: &str = "//section[contains(@class,'crm-panel')]";

fn field(label: &str) -> String {
    format!(
        "{PANEL}//div[contains(@class,'crm-field')][dt[normalize-space()={}]]",
        literal(label)
    )
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
    let deadline = std::time::Instant::now() + WAIT;
    while hubspot.property(id, name).as_deref() != Some(want) {
        assert!(
            std::time::Instant::now() < deadline,
            "HubSpot's {name} is {:?}, not {want:?}",
            hubspot.property(id, name)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
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
    anna.execute(
        "window.copied = null; navigator.clipboard.writeText = async (t) => { window.copied = t; };",
        Vec::new(),
    )
    .await
    .expect("the clipboard is watched");
    click(
        &anna,
        &format!(
            "{}//button[contains(@class,'crm-copy')]",
            field("Phone Number")
        ),
    )
    .await;
    wait_xpath(
        &anna,
        &format!(
            "{}//span[@role='status'][normalize-space()='Copied']",
            field("Phone Number")
        ),
    )
    .await;
    let copied = anna
        .execute("return window.copied;", Vec::new())
        .await
        .expect("read back");
    assert_eq!(copied.json().as_str(), Some("+44 20 7946 0321"));
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

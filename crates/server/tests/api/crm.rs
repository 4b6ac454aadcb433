//! The HubSpot contact panel (P5, T7) against a stand-in for HubSpot's APIs: managers connect
//! a private app's token (never shown again) and choose the properties; an agent's panel
//! finds the contact's record by e-mail address, else phone number; editable fields are
//! saved back, the e-mail address and phone numbers never; masked members never see a phone
//! value; HubSpot's refusals are said plainly and a value it refuses names its field.

use crate::common;

use common::fake_hubspot::{FakeHubspot, PORTAL};
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use switchboard_protocol::crm::*;
use switchboard_protocol::*;

const TOKEN: &str = "pat-eu1-3f1c0d2e-6a9b-4f1e-9c2d-7b8a6e5d4c3b";
const SHOWN: [&str; 5] = [
    "email",
    "phone",
    "company",
    "lifecyclestage",
    "numemployees",
];

async fn server(hubspot: &FakeHubspot) -> Server {
    let url = hubspot.url.clone();
    Server::start_configured(move |config| config.hubspot_api_url = url).await
}

async fn connect(server: &Server, ws: WorkspaceId) {
    let maria = server.login(MARIA).await;
    let response = maria
        .put(
            &server.api(&format!("/workspaces/{ws}/crm/hubspot")),
            json!({ "access_token": TOKEN, "properties": SHOWN }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

fn olivia(hubspot: &FakeHubspot) -> String {
    hubspot.add_contact(&[
        ("email", "Olivia.Bennett@example.com"),
        ("phone", "+44 20 7946 0321"),
        ("firstname", "Olivia"),
        ("company", "Bennett Bakery"),
        ("lifecyclestage", "customer"),
        ("numemployees", "12"),
    ])
}

fn record_url(server: &Server, ws: WorkspaceId, contact: ContactId) -> String {
    server.api(&format!("/workspaces/{ws}/contacts/{contact}/crm/hubspot"))
}

/// The record's field called `name`.
fn field_of(record: &CrmRecord, name: &str) -> CrmField {
    record
        .fields
        .iter()
        .find(|f| f.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[tokio::test]
async fn managers_connect_hubspot_and_its_token_is_never_shown() {
    let hubspot = FakeHubspot::start(TOKEN).await;
    let server = server(&hubspot).await;
    let ws = server.workspace().await;
    let url = server.api(&format!("/workspaces/{ws}/crm/hubspot"));
    let anna = server.login(ANNA).await;
    let none: HubspotStatus = json_body(anna.get(&url).await).await;
    assert_eq!(none.hubspot, None);
    let response = anna
        .put(&url, json!({ "access_token": TOKEN, "properties": SHOWN }))
        .await;
    expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;

    let maria = server.login(MARIA).await;
    for (body, field) in [
        (
            json!({ "access_token": "pat-wrong", "properties": SHOWN }),
            "access_token",
        ),
        (json!({ "properties": SHOWN }), "access_token"),
        (
            json!({ "access_token": TOKEN, "properties": [] }),
            "properties",
        ),
        (
            json!({ "access_token": TOKEN, "properties": ["email", "favourite_colour"] }),
            "properties",
        ),
    ] {
        let (error, _) = expect_error(
            maria.put(&url, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{}", error.message);
    }
    let none: HubspotStatus = json_body(anna.get(&url).await).await;
    assert_eq!(none.hubspot, None, "nothing was kept");

    connect(&server, ws).await;
    let response = anna.get(&url).await;
    let text = response.text().await.expect("a body");
    assert!(!text.contains(TOKEN), "the token is never sent back");
    let status: HubspotStatus = serde_json::from_str(&text).expect("a status");
    assert_eq!(
        status.hubspot,
        Some(HubspotSettings {
            portal_id: PORTAL,
            properties: SHOWN.iter().map(|p| (*p).to_owned()).collect(),
        })
    );
    // A change without a token keeps it.
    let response = maria
        .put(&url, json!({ "properties": ["email", "company"] }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        hubspot
            .calls("/account-info")
            .last()
            .map(|c| c.method.clone()),
        Some("GET".into())
    );
    expect_error(
        anna.delete(&url).await,
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
    )
    .await;
    assert_eq!(maria.delete(&url).await.status(), StatusCode::NO_CONTENT);
    let none: HubspotStatus = json_body(anna.get(&url).await).await;
    assert_eq!(none.hubspot, None);
}

#[tokio::test]
async fn the_panel_finds_the_record_by_email_or_phone_and_hides_phones_from_masked_members() {
    let hubspot = FakeHubspot::start(TOKEN).await;
    let server = server(&hubspot).await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let olivia_contact = server.conversation_of(ws, "Olivia").await.contact.id;
    // Not connected yet.
    expect_error(
        anna.get(&record_url(&server, ws, olivia_contact)).await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    connect(&server, ws).await;
    let id = olivia(&hubspot);
    let mateo_id = hubspot.add_contact(&[("phone", "+34 91 555 0147"), ("company", "García SL")]);

    let found: CrmLookup =
        json_body(anna.get(&record_url(&server, ws, olivia_contact)).await).await;
    let record = found.record.expect("Olivia's record");
    assert_eq!(record.id, id);
    assert_eq!(
        record.url,
        format!("https://app-eu1.hubspot.com/contacts/{PORTAL}/record/0-1/{id}")
    );
    let field = |name: &str| field_of(&record, name);
    assert_eq!(
        record
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        SHOWN
    );
    assert_eq!(field("company").label, "Company Name");
    assert_eq!(field("company").value.as_deref(), Some("Bennett Bakery"));
    assert!(field("company").editable);
    assert!(!field("email").editable, "the e-mail address is read-only");
    assert!(!field("phone").editable, "phone numbers are read-only");
    assert_eq!(field("phone").value.as_deref(), Some("+44 20 7946 0321"));
    let search = hubspot.calls("/crm/v3/objects/contacts/search");
    assert_eq!(
        search[0].body["filterGroups"][0]["filters"][0],
        json!({ "propertyName": "email", "operator": "EQ", "value": "olivia.bennett@example.com" })
    );

    // By phone when there is no e-mail address.
    let mateo = server.conversation_of(ws, "Mateo").await.contact.id;
    let found: CrmLookup = json_body(anna.get(&record_url(&server, ws, mateo)).await).await;
    assert_eq!(found.record.expect("Mateo's record").id, mateo_id);
    // No record: none.
    let lena = server.conversation_of(ws, "Lena").await.contact.id;
    let found: CrmLookup = json_body(anna.get(&record_url(&server, ws, lena)).await).await;
    assert_eq!(found.record, None);

    // Boris's phone numbers are masked: HubSpot's never reach him either.
    let boris = server.login(BORIS).await;
    let response = boris.get(&record_url(&server, ws, olivia_contact)).await;
    let text = response.text().await.expect("a body");
    assert!(
        !text.contains("7946"),
        "a phone reached a masked member: {text}"
    );
    let found: CrmLookup = serde_json::from_str(&text).expect("a lookup");
    let phone = field_of(&found.record.expect("the record"), "phone");
    assert!(phone.masked);
    assert_eq!(phone.value, None);

    // Another workspace's contact is not found, and HubSpot is not asked.
    let other = server.other_workspace().await;
    let theirs = server
        .store()
        .conversation(other.workspace, other.conversation)
        .await
        .expect("theirs")
        .contact
        .id;
    let asked = hubspot.calls("/crm").len();
    expect_error(
        anna.get(&record_url(&server, ws, theirs)).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    assert_eq!(hubspot.calls("/crm").len(), asked);
}

#[tokio::test]
async fn editable_fields_are_saved_and_a_refused_value_names_its_field() {
    let hubspot = FakeHubspot::start(TOKEN).await;
    let server = server(&hubspot).await;
    let ws = server.workspace().await;
    connect(&server, ws).await;
    let id = olivia(&hubspot);
    let anna = server.login(ANNA).await;
    let contact = server.conversation_of(ws, "Olivia").await.contact.id;
    let url = record_url(&server, ws, contact);

    let first: CrmLookup = json_body(anna.get(&url).await).await;
    assert!(first.record.is_some());
    let reads = hubspot.calls("/crm/v3/").len();
    let response = anna
        .patch(
            &url,
            json!({ "properties": { "company": "Bennett & Daughters" } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // One call: the save (the record is not read again).
    assert_eq!(hubspot.calls("/crm/v3/").len(), reads + 1);
    let record: CrmRecord = response.json().await.expect("a record");
    assert_eq!(
        hubspot.property(&id, "company").as_deref(),
        Some("Bennett & Daughters")
    );
    assert_eq!(
        field_of(&record, "company").value.as_deref(),
        Some("Bennett & Daughters")
    );
    let patch = hubspot.calls(&format!("/crm/v3/objects/contacts/{id}"));
    assert_eq!(patch[0].method, "PATCH");
    assert_eq!(
        patch[0].body,
        json!({ "properties": { "company": "Bennett & Daughters" } })
    );

    // HubSpot's refusal names the field, in its words; nothing changed.
    let (error, _) = expect_error(
        anna.patch(&url, json!({ "properties": { "numemployees": "a dozen" } }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("numemployees"));
    assert!(
        error.message.contains("a dozen was not a valid number"),
        "{}",
        error.message
    );
    assert_eq!(hubspot.property(&id, "numemployees").as_deref(), Some("12"));

    // Read-only fields and fields not shown are refused before HubSpot is asked.
    let patches = hubspot.calls("/crm/v3/objects/contacts/1").len();
    for (name, value) in [
        ("email", "someone@else.example"),
        ("phone", "+1 555 0100"),
        ("firstname", "Liv"),
    ] {
        let (error, _) = expect_error(
            anna.patch(&url, json!({ "properties": { name: value } }))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(name));
    }
    assert_eq!(hubspot.calls("/crm/v3/objects/contacts/1").len(), patches);
    assert_eq!(
        hubspot.property(&id, "email").as_deref(),
        Some("Olivia.Bennett@example.com")
    );
}

#[tokio::test]
async fn hubspots_refusals_are_said_plainly_and_records_are_cached_briefly() {
    let hubspot = FakeHubspot::start(TOKEN).await;
    let server = server(&hubspot).await;
    let ws = server.workspace().await;
    connect(&server, ws).await;
    olivia(&hubspot);
    let anna = server.login(ANNA).await;
    let contact = server.conversation_of(ws, "Olivia").await.contact.id;
    let url = record_url(&server, ws, contact);
    let first: CrmLookup = json_body(anna.get(&url).await).await;
    assert!(first.record.is_some());
    // Read again at once: from memory.
    let searches = hubspot.calls("/crm/v3/objects/contacts/search").len();
    let again: CrmLookup = json_body(anna.get(&url).await).await;
    assert_eq!(again, first);
    assert_eq!(
        hubspot.calls("/crm/v3/objects/contacts/search").len(),
        searches
    );

    // Busy, then the token revoked: said in words; a change asks HubSpot and fails.
    hubspot.set_busy(true);
    let (error, _) = expect_error(
        anna.patch(&url, json!({ "properties": { "company": "X" } }))
            .await,
        StatusCode::BAD_GATEWAY,
        ErrorCode::Unavailable,
    )
    .await;
    assert!(error.message.contains("busy"), "{}", error.message);
    hubspot.set_busy(false);
    hubspot.set_token("pat-rotated");
    let (error, body) = expect_error(
        anna.get(&url).await,
        StatusCode::BAD_GATEWAY,
        ErrorCode::Unavailable,
    )
    .await;
    assert!(
        error.message.contains("reconnect HubSpot in settings"),
        "{}",
        error.message
    );
    assert!(!body.contains(TOKEN));
}

// Salesforce (P6): the same panel through a connected app.

mod salesforce {
    use super::common::fake_salesforce::{
        CLIENT_ID, CLIENT_SECRET, FakeSalesforce, REFRESH_TOKEN, USERNAME,
    };
    use super::common::test_keys::TEST_PRIVATE_KEY;
    use super::common::*;
    use super::field_of;
    use reqwest::StatusCode;
    use serde_json::{Value, json};
    use switchboard_protocol::crm::*;
    use switchboard_protocol::*;

    const SHOWN: [&str; 6] = [
        "Email",
        "Phone",
        "Title",
        "Department",
        "Loyalty_Points__c",
        "Customer_Tier__c",
    ];

    async fn server(salesforce: &FakeSalesforce) -> Server {
        let url = salesforce.url.clone();
        Server::start_configured(move |config| {
            config.salesforce_login_url = url.clone();
            config.salesforce_sandbox_login_url = format!("{url}/sandbox-login-is-elsewhere");
        })
        .await
    }

    fn refresh_token() -> Value {
        json!({ "flow": "refresh_token", "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN })
    }

    async fn connect(server: &Server, ws: WorkspaceId) {
        let maria = server.login(MARIA).await;
        let response = maria
            .put(
                &server.api(&format!("/workspaces/{ws}/crm/salesforce")),
                json!({ "client_id": CLIENT_ID, "credentials": refresh_token(), "fields": SHOWN }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    fn olivia(salesforce: &FakeSalesforce) -> String {
        salesforce.add_contact(&[
            ("FirstName", json!("Olivia")),
            ("LastName", json!("Bennett")),
            ("Email", json!("olivia.bennett@example.com")),
            ("Phone", json!("+44 20 7946 0321")),
            ("Title", json!("Owner")),
            ("Department", json!("Bakery")),
            ("Loyalty_Points__c", json!(120.0)),
            ("Customer_Tier__c", json!("Gold")),
        ])
    }

    fn record_url(server: &Server, ws: WorkspaceId, contact: ContactId) -> String {
        server.api(&format!(
            "/workspaces/{ws}/contacts/{contact}/crm/salesforce"
        ))
    }

    #[tokio::test]
    async fn managers_connect_salesforce_either_way_and_its_credentials_are_never_shown() {
        let salesforce = FakeSalesforce::start().await;
        let server = server(&salesforce).await;
        let ws = server.workspace().await;
        let url = server.api(&format!("/workspaces/{ws}/crm/salesforce"));
        let anna = server.login(ANNA).await;
        let none: SalesforceStatus = json_body(anna.get(&url).await).await;
        assert_eq!(none.salesforce, None);
        expect_error(
            anna.put(
                &url,
                json!({ "client_id": CLIENT_ID, "credentials": refresh_token(), "fields": SHOWN }),
            )
            .await,
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
        )
        .await;

        let maria = server.login(MARIA).await;
        let wrong_secret = json!({ "flow": "refresh_token", "client_secret": "nope", "refresh_token": REFRESH_TOKEN });
        let wrong_user = json!({ "flow": "jwt_bearer", "username": "someone@else.example", "private_key": TEST_PRIVATE_KEY });
        let not_a_key = json!({ "flow": "jwt_bearer", "username": USERNAME, "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" });
        for (body, field) in [
            (
                json!({ "client_id": CLIENT_ID, "credentials": wrong_secret, "fields": SHOWN }),
                "credentials",
            ),
            (
                json!({ "client_id": "3MVG9-unknown", "credentials": refresh_token(), "fields": SHOWN }),
                "credentials",
            ),
            (
                json!({ "client_id": CLIENT_ID, "credentials": wrong_user, "fields": SHOWN }),
                "credentials",
            ),
            (
                json!({ "client_id": CLIENT_ID, "credentials": not_a_key, "fields": SHOWN }),
                "private_key",
            ),
            (
                json!({ "client_id": CLIENT_ID, "fields": SHOWN }),
                "credentials",
            ),
            (
                json!({ "client_id": " ", "credentials": refresh_token(), "fields": SHOWN }),
                "client_id",
            ),
            (
                json!({ "client_id": CLIENT_ID, "credentials": refresh_token(), "fields": [] }),
                "fields",
            ),
            (
                json!({ "client_id": CLIENT_ID, "credentials": refresh_token(), "fields": ["Email", "Favourite_Colour__c"] }),
                "fields",
            ),
        ] {
            let (error, body) = expect_error(
                maria.put(&url, body).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
            )
            .await;
            assert_eq!(error.field.as_deref(), Some(field), "{}", error.message);
            assert!(!body.contains(CLIENT_SECRET) && !body.contains(REFRESH_TOKEN));
        }
        let none: SalesforceStatus = json_body(anna.get(&url).await).await;
        assert_eq!(none.salesforce, None, "nothing was kept");

        // Field names match without regard to case; the org's spelling is kept.
        let response = maria
            .put(
                &url,
                json!({ "client_id": CLIENT_ID, "credentials": refresh_token(), "fields": ["email", "TITLE"] }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let text = anna.get(&url).await.text().await.expect("a body");
        assert!(!text.contains(CLIENT_SECRET) && !text.contains(REFRESH_TOKEN));
        let status: SalesforceStatus = serde_json::from_str(&text).expect("a status");
        assert_eq!(
            status.salesforce,
            Some(SalesforceSettings {
                client_id: CLIENT_ID.into(),
                sandbox: false,
                flow: SalesforceFlow::RefreshToken,
                username: None,
                instance_url: salesforce.url.clone(),
                fields: vec!["Email".into(), "Title".into()],
            })
        );
        // A change without credentials keeps them; the sign-in is tried with them again.
        let issued = salesforce.tokens_issued();
        let response = maria
            .put(&url, json!({ "client_id": CLIENT_ID, "fields": SHOWN }))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(salesforce.tokens_issued(), issued + 1);
        // The sandbox signs in elsewhere: the stand-in is not there.
        let response = maria
            .put(
                &url,
                json!({ "client_id": CLIENT_ID, "sandbox": true, "fields": SHOWN }),
            )
            .await;
        assert!(!response.status().is_success());

        // The JWT bearer flow: a user and the certificate's key.
        let response = maria
            .put(
                &url,
                json!({
                    "client_id": CLIENT_ID,
                    "credentials": { "flow": "jwt_bearer", "username": USERNAME, "private_key": TEST_PRIVATE_KEY },
                    "fields": SHOWN
                }),
            )
            .await;
        let settings: SalesforceSettings = json_body(response).await;
        assert_eq!(settings.flow, SalesforceFlow::JwtBearer);
        assert_eq!(settings.username.as_deref(), Some(USERNAME));
        let text = anna.get(&url).await.text().await.expect("a body");
        assert!(!text.contains("PRIVATE KEY"), "the key is never sent back");

        expect_error(
            anna.delete(&url).await,
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
        )
        .await;
        assert_eq!(maria.delete(&url).await.status(), StatusCode::NO_CONTENT);
        let none: SalesforceStatus = json_body(anna.get(&url).await).await;
        assert_eq!(none.salesforce, None);
    }

    #[tokio::test]
    async fn the_panel_finds_the_contact_by_email_or_phone_and_hides_phones_from_masked_members() {
        let salesforce = FakeSalesforce::start().await;
        let server = server(&salesforce).await;
        let ws = server.workspace().await;
        let anna = server.login(ANNA).await;
        let olivia_contact = server.conversation_of(ws, "Olivia").await.contact.id;
        expect_error(
            anna.get(&record_url(&server, ws, olivia_contact)).await,
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
        )
        .await;
        connect(&server, ws).await;
        // Someone else with Olivia's phone number, changed more recently: the e-mail decides.
        let id = olivia(&salesforce);
        salesforce.add_contact(&[
            ("LastName", json!("Bennett-Shared")),
            ("Phone", json!("+44 20 7946 0321")),
        ]);
        let mateo_id = salesforce.add_contact(&[
            ("LastName", json!("García")),
            ("MobilePhone", json!("+34 91 555 0147")),
            ("Title", json!("Buyer")),
        ]);

        let found: CrmLookup =
            json_body(anna.get(&record_url(&server, ws, olivia_contact)).await).await;
        let record = found.record.expect("Olivia's record");
        assert_eq!(record.id, id);
        assert_eq!(
            record.url,
            format!("{}/lightning/r/Contact/{id}/view", salesforce.url)
        );
        let field = |name: &str| field_of(&record, name);
        assert_eq!(
            record
                .fields
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>(),
            SHOWN
        );
        assert_eq!(field("Loyalty_Points__c").label, "Loyalty Points");
        assert_eq!(field("Loyalty_Points__c").value.as_deref(), Some("120"));
        assert!(field("Title").editable && field("Loyalty_Points__c").editable);
        assert!(!field("Email").editable, "the e-mail address is read-only");
        assert!(!field("Phone").editable, "phone numbers are read-only");
        assert!(
            !field("Customer_Tier__c").editable,
            "a formula is read-only"
        );
        assert_eq!(field("Phone").value.as_deref(), Some("+44 20 7946 0321"));
        let query = salesforce.calls("/services/data/v61.0/query");
        assert!(
            query[0].path.contains("olivia.bennett%40example.com")
                || query[0].path.contains("olivia.bennett@example.com"),
            "{}",
            query[0].path
        );

        // By phone (here the mobile number) when there is no e-mail address.
        let mateo = server.conversation_of(ws, "Mateo").await.contact.id;
        let found: CrmLookup = json_body(anna.get(&record_url(&server, ws, mateo)).await).await;
        assert_eq!(found.record.expect("Mateo's record").id, mateo_id);
        let lena = server.conversation_of(ws, "Lena").await.contact.id;
        let found: CrmLookup = json_body(anna.get(&record_url(&server, ws, lena)).await).await;
        assert_eq!(found.record, None);

        // Boris's phone numbers are masked: Salesforce's never reach him either.
        let boris = server.login(BORIS).await;
        let text = boris
            .get(&record_url(&server, ws, olivia_contact))
            .await
            .text()
            .await
            .expect("a body");
        assert!(
            !text.contains("7946"),
            "a phone reached a masked member: {text}"
        );
        let found: CrmLookup = serde_json::from_str(&text).expect("a lookup");
        let phone = field_of(&found.record.expect("the record"), "Phone");
        assert!(phone.masked && phone.value.is_none());

        // An unknown CRM is not a route.
        let response = anna
            .get(&server.api(&format!(
                "/workspaces/{ws}/contacts/{olivia_contact}/crm/pipedrive"
            )))
            .await;
        assert!(response.status().is_client_error());
    }

    #[tokio::test]
    async fn fields_are_saved_typed_and_refusals_name_their_field() {
        let salesforce = FakeSalesforce::start().await;
        let server = server(&salesforce).await;
        let ws = server.workspace().await;
        connect(&server, ws).await;
        let id = olivia(&salesforce);
        let anna = server.login(ANNA).await;
        let contact = server.conversation_of(ws, "Olivia").await.contact.id;
        let url = record_url(&server, ws, contact);
        let first: CrmLookup = json_body(anna.get(&url).await).await;
        assert!(first.record.is_some());

        let patch_path = format!("/services/data/v61.0/sobjects/Contact/{id}");
        let response = anna
            .patch(
                &url,
                json!({ "properties": { "Title": "Head baker", "Loyalty_Points__c": "135.5" } }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let record: CrmRecord = response.json().await.expect("a record");
        assert_eq!(salesforce.field(&id, "Title"), Some(json!("Head baker")));
        assert_eq!(
            salesforce.field(&id, "Loyalty_Points__c"),
            Some(json!(135.5))
        );
        assert_eq!(
            salesforce.calls(&patch_path)[0].body,
            json!({ "Title": "Head baker", "Loyalty_Points__c": 135.5 })
        );
        assert_eq!(
            field_of(&record, "Title").value.as_deref(),
            Some("Head baker")
        );
        // An emptied field is cleared.
        let response = anna
            .patch(&url, json!({ "properties": { "Department": "" } }))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(salesforce.field(&id, "Department"), None);

        // Refusals name their field; nothing changed.
        for (name, value, words) in [
            ("Department", "Unknown", "Department must be one we serve."),
            ("Title", &"x".repeat(129)[..], "data value too large"),
            ("Loyalty_Points__c", "lots", "Enter a number."),
        ] {
            let (error, _) = expect_error(
                anna.patch(&url, json!({ "properties": { name: value } }))
                    .await,
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
            )
            .await;
            assert_eq!(error.field.as_deref(), Some(name));
            assert!(error.message.contains(words), "{}", error.message);
        }
        assert_eq!(salesforce.field(&id, "Title"), Some(json!("Head baker")));
        assert_eq!(
            salesforce.field(&id, "Loyalty_Points__c"),
            Some(json!(135.5))
        );

        // Read-only fields and fields not shown are refused before Salesforce is asked.
        let patches = salesforce.calls(&patch_path).len();
        for name in ["Email", "Phone", "Customer_Tier__c", "FirstName"] {
            let (error, _) = expect_error(
                anna.patch(&url, json!({ "properties": { name: "Changed" } }))
                    .await,
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
            )
            .await;
            assert_eq!(error.field.as_deref(), Some(name));
        }
        assert_eq!(salesforce.calls(&patch_path).len(), patches);
        assert_eq!(
            salesforce.field(&id, "Email"),
            Some(json!("olivia.bennett@example.com"))
        );
    }

    #[tokio::test]
    async fn an_expired_session_signs_in_again_and_refusals_are_said_plainly() {
        let salesforce = FakeSalesforce::start().await;
        let server = server(&salesforce).await;
        let ws = server.workspace().await;
        connect(&server, ws).await;
        let id = olivia(&salesforce);
        let anna = server.login(ANNA).await;
        let contact = server.conversation_of(ws, "Olivia").await.contact.id;
        let url = record_url(&server, ws, contact);
        let first: CrmLookup = json_body(anna.get(&url).await).await;
        assert!(first.record.is_some());
        // From memory at once.
        let queries = salesforce.calls("/services/data/v61.0/query").len();
        let again: CrmLookup = json_body(anna.get(&url).await).await;
        assert_eq!(again, first);
        assert_eq!(
            salesforce.calls("/services/data/v61.0/query").len(),
            queries
        );

        // The session expires: the save signs in again and goes through.
        let issued = salesforce.tokens_issued();
        salesforce.expire_sessions();
        let response = anna
            .patch(&url, json!({ "properties": { "Title": "Co-owner" } }))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(salesforce.tokens_issued(), issued + 1);
        assert_eq!(salesforce.field(&id, "Title"), Some(json!("Co-owner")));

        // Busy: said in words.
        salesforce.set_busy(true);
        let (error, _) = expect_error(
            anna.patch(&url, json!({ "properties": { "Title": "X" } }))
                .await,
            StatusCode::BAD_GATEWAY,
            ErrorCode::Unavailable,
        )
        .await;
        assert!(error.message.contains("busy"), "{}", error.message);
        salesforce.set_busy(false);

        // The app's access revoked: reconnect.
        salesforce.revoke();
        salesforce.expire_sessions();
        let (error, body) = expect_error(
            anna.patch(&url, json!({ "properties": { "Title": "Y" } }))
                .await,
            StatusCode::BAD_GATEWAY,
            ErrorCode::Unavailable,
        )
        .await;
        assert!(
            error.message.contains("reconnect Salesforce in settings"),
            "{}",
            error.message
        );
        assert!(!body.contains(REFRESH_TOKEN) && !body.contains(CLIENT_SECRET));
        assert_eq!(salesforce.field(&id, "Title"), Some(json!("Co-owner")));
    }
}

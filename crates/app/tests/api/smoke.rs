use crate::db_test;
use crate::helpers::*;
use serde_json::json;

db_test!(sign_in_and_create_a_site, |app| async move {
    let admin = app.admin().await;
    let me = app.get_ok(&admin, "/api/v1/me").await;
    assert_eq!(me["role"], "admin");
    let site = app
        .create(&admin, "/api/v1/sites", &json!({ "name": "North Campus" }))
        .await;
    let list = app.get_ok(&admin, "/api/v1/sites").await;
    assert_eq!(list["items"][0]["id"], site["id"]);
    let f = fixture(&app, &admin).await;
    assert_eq!(f.student["enrollment_status"], "enrolled");
});

//! The OpenAPI document tells the truth about errors (issue 13 point 8): every operation lists
//! every status it can answer with an RFC 9457 problem, as `application/problem+json` with the
//! `Problem` schema, so that a client generated from it handles them.
use utoipa::openapi::{
    ContentBuilder, OpenApi, RefOr,
    path::Operation,
    response::{Response, ResponseBuilder},
    schema::Ref,
};

/// The media type of every error answer (RFC 9457 section 3).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The statuses any operation may answer, and what each means.
const ANY: [(&str, &str); 8] = [
    (
        "400",
        "The body is not JSON, or the query string is malformed (`invalid_json`).",
    ),
    (
        "401",
        "Not signed in, or the session has ended (`unauthenticated`).",
    ),
    ("403", "The role may never take this action (`forbidden`)."),
    (
        "404",
        "No such record, or one outside the caller's scope (`not_found`).",
    ),
    (
        "422",
        "Problems with the input, every one at once (a filter, a field, a rule).",
    ),
    (
        "429",
        "Too many attempts; `Retry-After` says when to try again.",
    ),
    (
        "500",
        "A fault of ours; the answer names the request id to quote.",
    ),
    (
        "503",
        "The server is at capacity; `Retry-After` says when to try again.",
    ),
];

/// And those of an operation that takes a body.
const WITH_BODY: [(&str, &str); 2] = [
    (
        "409",
        "Conflicts with the record's current state (each code says which).",
    ),
    ("413", "The body is larger than allowed (`body_too_large`)."),
];

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

/// An answer documented as the problem schema in `application/json` is really
/// `application/problem+json`: rename its media type.
fn as_problem_json(response: &mut RefOr<Response>) {
    let RefOr::T(r) = response else { return };
    let Some(content) = r.content.shift_remove("application/json") else {
        return;
    };
    let is_problem = matches!(
        &content,
        RefOr::T(c) if matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem"))
    );
    if is_problem {
        r.content.insert(PROBLEM_JSON.to_string(), content);
    } else {
        r.content.insert("application/json".to_string(), content);
    }
}

fn document_operation(op: &mut Operation, has_body: bool) {
    for r in op.responses.responses.values_mut() {
        as_problem_json(r);
    }
    let extra: &[(&str, &str)] = if has_body { &WITH_BODY } else { &[] };
    for (status, description) in ANY.iter().chain(extra) {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| problem(description));
    }
}

/// Adds the error answers to every operation of the document.
pub fn document(openapi: &mut OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        for (op, has_body) in [
            (item.get.as_mut(), false),
            (item.delete.as_mut(), false),
            (item.post.as_mut(), true),
            (item.put.as_mut(), true),
            (item.patch.as_mut(), true),
        ] {
            if let Some(op) = op {
                document_operation(op, has_body);
            }
        }
    }
}

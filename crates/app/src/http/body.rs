//! Request bodies as the server reads them. Each body is a struct of `Field`s declared with
//! `body!`: reading a JSON object (or a page's form, as a map) into it never fails, so the
//! reader can parse every field and report every problem at once (`extract::Input`), and the
//! same struct is the body's schema in the OpenAPI document, each field documented as the type
//! it is parsed into.
use serde_json::{Map, Value};
use std::marker::PhantomData;

/// One field of a body as it was sent: absent, or its raw value (null included). `T` is what
/// the field holds when it is right; it is the field's schema, and the reader parses the raw
/// value into it (or into the domain type it stands for).
pub struct Field<T> {
    key: &'static str,
    raw: Option<Value>,
    schema: PhantomData<fn() -> T>,
}

impl<T> Field<T> {
    /// Takes the field named `key` out of the body.
    pub fn take(map: &mut Map<String, Value>, key: &'static str) -> Self {
        Field {
            key,
            raw: map.remove(key),
            schema: PhantomData,
        }
    }

    /// The field's name in the body, which its problems name too.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The value as sent; `None` when the field is absent.
    pub fn raw(&self) -> Option<&Value> {
        self.raw.as_ref()
    }

    pub fn is_present(&self) -> bool {
        self.raw.is_some()
    }
}

/// A body: its fields' names (anything else is an `unknown_field`) and how to read it.
pub trait Body {
    const FIELDS: &'static [&'static str];
    fn take(map: Map<String, Value>) -> Self;
}

/// Declares a body: `body! { /// doc  pub struct SiteInput { name: String } }` makes a struct
/// whose fields are `Field<T>`, documented in the OpenAPI document as `T`; a field whose type is
/// an `Option` is optional there.
macro_rules! body {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* $field:ident : $t:ty),* $(,)? }) => {
        #[derive(utoipa::ToSchema)]
        $(#[$m])*
        pub struct $name {
            $($(#[$fm])* #[schema(value_type = $t)] pub $field: $crate::http::body::Field<$t>,)*
        }

        impl $crate::http::body::Body for $name {
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn take(mut map: serde_json::Map<String, serde_json::Value>) -> Self {
                $name {
                    $($field: $crate::http::body::Field::take(&mut map, stringify!($field)),)*
                }
            }
        }
    };
}
pub(crate) use body;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ErrorCode;
    use crate::http::extract::{Input, parse};

    body! {
        pub struct Sample {
            name: String,
            count: Option<i64>,
        }
    }

    #[test]
    fn a_body_names_its_own_fields_and_every_problem_is_reported_at_once() {
        assert_eq!(Sample::FIELDS, ["name", "count"]);
        let map = match serde_json::json!({ "name": 7, "count": null, "colour": "red" }) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let (mut i, b) = Input::read::<Sample>(map);
        assert!(b.count.is_present() && b.count.raw() == Some(&Value::Null));
        assert_eq!(i.req(&b.name, None, &parse::text), None);
        assert_eq!(i.opt(&b.count, None, &parse::positive), Some(None));
        let found: Vec<_> = i
            .problems
            .0
            .iter()
            .map(|e| (e.code, e.field.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                (ErrorCode::UnknownField, Some("colour")),
                (ErrorCode::InvalidType, Some("name")),
            ]
        );
    }
}

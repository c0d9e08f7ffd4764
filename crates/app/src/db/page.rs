//! Pages of a list: keyset pagination by id, or an offset for a page sorted by a column, and
//! the page a store function answers (its rows and the next cursor).

/// Keyset pagination: lists are ordered by id (UUID v7, so by creation) and the cursor is
/// the last id of the page. A page that asks for a [`Sort`] (the pages' "sort by column")
/// is ordered by that column, then id, and its cursor is `o:<offset>`: a sorted view reads
/// at most a few thousand rows, where an offset costs nothing and keeps the SQL simple.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub limit: i64,
    pub after: Option<String>,
    pub sort: Option<Sort>,
}

/// A list ordered by one of its columns: `key` is one of the keys the store function
/// offers (see [`Page::order_by`]); anything else falls back to creation order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: String,
    pub descending: bool,
}

impl Page {
    /// The first `limit` rows in creation order.
    pub fn first(limit: i64) -> Page {
        Page {
            limit,
            after: None,
            sort: None,
        }
    }

    /// Fetch one more than asked, to know whether there is a next page.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }

    /// The keyset cursor: the last id of the previous page, or "" (before every id). A
    /// sorted page starts from "" and skips [`Page::offset`] rows instead.
    pub fn after(&self) -> &str {
        match (&self.sort, self.after.as_deref()) {
            (None, Some(a)) => a,
            _ => "",
        }
    }

    /// Rows a sorted page skips (0 for a keyset page or the first page).
    pub fn offset(&self) -> i64 {
        match (&self.sort, self.after.as_deref()) {
            (Some(_), Some(a)) => a
                .strip_prefix("o:")
                .and_then(|n| n.parse::<i64>().ok())
                .filter(|n| *n >= 0)
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// `ORDER BY ... LIMIT $n OFFSET k` for this page: `keys` maps each sortable column's key
    /// to its SQL expression (fixed text from the store, never from the request); the id
    /// breaks ties so the order is total. `limit_param` is the placeholder of the limit.
    pub fn order_by(&self, keys: &[(&str, &str)], limit_param: usize) -> String {
        let order = self
            .sort
            .as_ref()
            .and_then(|s| {
                keys.iter().find(|(k, _)| *k == s.key).map(|(_, expr)| {
                    let dir = if s.descending { "DESC" } else { "ASC" };
                    format!("{expr} {dir}, id {dir}")
                })
            })
            .unwrap_or_else(|| "id".to_string());
        format!(
            "ORDER BY {order} LIMIT ${limit_param} OFFSET {}",
            self.offset()
        )
    }
}

pub struct Paged<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

pub fn paged<T>(mut rows: Vec<T>, page: &Page, id: impl Fn(&T) -> &str) -> Paged<T> {
    let more = rows.len() as i64 > page.limit;
    rows.truncate(page.limit.max(0) as usize);
    let next_cursor = if !more {
        None
    } else if page.sort.is_some() {
        Some(format!("o:{}", page.offset() + page.limit))
    } else {
        rows.last().map(|r| id(r).to_string())
    };
    Paged {
        items: rows,
        next_cursor,
    }
}

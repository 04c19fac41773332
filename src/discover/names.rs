//! Operation names: ids in routes collapsed, and names made into scenario identifiers.

/// Collapses the ids in a span name: `GET /orders/123?x=1` → `GET /orders/{id}`. A path or
/// word segment is an id when it is all digits, a UUID, a hexadecimal string of at least 8
/// characters with a digit, or a token of at least 12 letters and digits mixing both. The
/// query string is dropped.
pub fn normalize(name: &str) -> String {
    let name = name.split('?').next().unwrap_or(name);
    let mut out = String::with_capacity(name.len());
    let mut tok = String::new();
    for c in name.chars() {
        if c == '/' || c == ' ' || c == ':' || c == '=' || c == ',' {
            out.push_str(&collapse(&tok));
            tok.clear();
            out.push(c);
        } else {
            tok.push(c);
        }
    }
    out.push_str(&collapse(&tok));
    out
}

fn collapse(tok: &str) -> String {
    if is_id(tok) {
        "{id}".into()
    } else {
        tok.to_string()
    }
}

fn is_id(t: &str) -> bool {
    if t.is_empty() {
        return false;
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if digits == t.len() {
        return true;
    }
    let hexish = t.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if hexish && digits > 0 && t.chars().filter(|c| *c != '-').count() >= 8 {
        return true;
    }
    let alnum = t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    alnum && digits > 0 && digits < t.len() && t.len() >= 12
}

/// A scenario identifier: lower case, runs of other characters than letters and digits
/// become one `_`, no leading or trailing `_`; `{id}` becomes `id`. Empty → `fallback`.
pub fn ident(s: &str, fallback: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_routes_collapse() {
        assert_eq!(normalize("GET /orders/123"), "GET /orders/{id}");
        assert_eq!(
            normalize("GET /users/550e8400-e29b-41d4-a716-446655440000/cart?x=1"),
            "GET /users/{id}/cart"
        );
        assert_eq!(normalize("GET /blobs/deadbeef42"), "GET /blobs/{id}");
        assert_eq!(normalize("GET /catalog/shoes"), "GET /catalog/shoes");
        assert_eq!(normalize("SELECT orders"), "SELECT orders");
        assert_eq!(ident("GET /orders/{id}", "op"), "get_orders_id");
        assert_eq!(ident("frontend.v2", "m"), "frontend_v2");
        assert_eq!(ident("///", "op"), "op");
    }
}

//! Scopes: which scenarios a rule, a situation of "what to use", a winner
//! map or a not-applicable entry covers. One definition, used by all of
//! them.

/// Whether scenario `id` falls under `scope`: component-wise (`counter/increment`
/// covers `counter/increment/hot`, not `counter/incremental`), or, for a scope ending in `*`, by plain prefix.
pub fn matches(scope: &str, id: &str) -> bool {
    match scope.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => {
            let p = scope.trim_end_matches('/');
            id == p || id.strip_prefix(p).is_some_and(|rest| rest.starts_with('/'))
        }
    }
}

/// The short name of scenario `id` within `scope`: what follows the scope
/// (`99-1/uniform` in `map/read-heavy/`); for a `*` scope, what follows its
/// last `/`; the last component when nothing follows.
pub fn label(scope: &str, id: &str) -> String {
    let prefix = match scope.strip_suffix('*') {
        Some(p) => p.rsplit_once('/').map_or("", |(head, _)| head),
        None => scope.trim_end_matches('/'),
    };
    let rest = id
        .strip_prefix(prefix)
        .unwrap_or(id)
        .trim_start_matches('/');
    if rest.is_empty() {
        id.rsplit('/').next().unwrap_or(id).to_string()
    } else {
        rest.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_matches_whole_components() {
        assert!(matches("counter/increment/", "counter/increment/hot"));
        assert!(!matches("counter/increment/", "counter/incremental"));
        assert!(matches("signal/one-to-many", "signal/one-to-many"));
        assert!(matches("signal/one-to-many", "signal/one-to-many/cap-1"));
        assert!(!matches("signal/one-to-many", "signal/one-to-many-x"));
        assert!(!matches("map/", "mapx/a"));
    }
}

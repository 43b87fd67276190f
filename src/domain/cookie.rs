//! Reading one cookie out of a `Cookie` request header.

/// The value of cookie `name` in a `Cookie` header (`a=1; b=2`), if present.
pub fn cookie_value<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}

#[cfg(test)]
mod tests {
    use super::cookie_value;

    #[test]
    fn finds_the_named_cookie_only() {
        assert_eq!(
            cookie_value("a=1; tandem_session=abc; b=2", "tandem_session"),
            Some("abc")
        );
        assert_eq!(cookie_value("xtandem_session=abc", "tandem_session"), None);
        assert_eq!(cookie_value("", "a"), None);
        assert_eq!(cookie_value("a", "a"), None);
    }
}

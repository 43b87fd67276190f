//! The one configuration of a running instance, from flags and environment, checked at start-up.

pub use crate::domain::actor::Region;
pub use crate::domain::net::TrustProxy;
use std::net::SocketAddr;
use url::Url;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tandem.db";
/// No tiles: the bundled district basemap alone, so nothing leaves the machine unless the operator
/// chooses a tile server (each visitor's browser then fetches tiles from it).
pub const DEFAULT_TILE_URL: &str = "off";
/// What `osm` stands for; OpenStreetMap's tile policy asks for light use and the attribution.
pub const OSM_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CookieSecurity {
    /// `Secure` cookies when the public URL is https.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    pub public_url: Url,
    /// `scheme://host[:port]` of the public URL, as browsers send it in `Origin`; computed once
    /// because every state-changing request is compared against it.
    public_origin: String,
    /// `None` when tiles are off (the default): the offline basemap alone.
    pub tile_url: Option<String>,
    pub secure_cookies: bool,
    /// A session ends after this long without a request …
    pub session_idle_secs: u64,
    /// … and after this long in any case.
    pub session_absolute_secs: u64,
    /// Which `X-Forwarded-For` entries to believe (only those of our own reverse proxies).
    pub trust_proxy: TrustProxy,
    /// Where the actors lie: positions outside are refused (`--region`, Germany by default).
    pub region: Region,
}

impl Config {
    /// Checks every value; the error is one line an operator can act on.
    pub fn new(
        database_url: String,
        bind: SocketAddr,
        public_url: Option<String>,
        tile_url: String,
        cookie_security: CookieSecurity,
        trust_proxy: TrustProxy,
    ) -> Result<Config, String> {
        check_database_url(&database_url)?;
        let public_url = public_url.unwrap_or_else(|| format!("http://{bind}"));
        let public_url = Url::parse(&public_url)
            .map_err(|e| format!("the public URL `{public_url}` is not a URL: {e}"))?;
        if !matches!(public_url.scheme(), "http" | "https") || public_url.host().is_none() {
            return Err(format!(
                "the public URL `{public_url}` must be an http:// or https:// address"
            ));
        }
        let tile_url = match tile_url.trim() {
            "" | "off" => None,
            "osm" => Some(OSM_TILE_URL.to_owned()),
            url => {
                check_tile_url(url)?;
                Some(url.to_owned())
            }
        };
        let secure_cookies = match cookie_security {
            CookieSecurity::Auto => public_url.scheme() == "https",
            CookieSecurity::Always => true,
            CookieSecurity::Never => false,
        };
        Ok(Config {
            database_url,
            bind,
            public_origin: public_url.origin().ascii_serialization(),
            public_url,
            tile_url,
            secure_cookies,
            session_idle_secs: 2 * 60 * 60,
            session_absolute_secs: 12 * 60 * 60,
            trust_proxy,
            region: Region::GERMANY,
        })
    }

    /// The public address without a trailing slash, to prefix absolute links with.
    pub fn base_url(&self) -> &str {
        self.public_url.as_str().trim_end_matches('/')
    }

    /// The origin (`scheme://host[:port]`) browsers send in the `Origin` header for this site.
    pub fn public_origin(&self) -> &str {
        &self.public_origin
    }

    /// A `Set-Cookie` value for the whole site: `SameSite=Lax`, `Secure` as configured.
    /// `__Host-name` over https: the browser then takes the cookie only from this very host,
    /// with `Secure` and `Path=/`, so a sibling subdomain cannot plant or overwrite it.
    pub fn cookie_name(&self, name: &str) -> String {
        if self.secure_cookies {
            format!("__Host-{name}")
        } else {
            name.to_owned()
        }
    }

    pub fn cookie(&self, name: &str, value: &str, max_age_secs: u64, http_only: bool) -> String {
        format!(
            "{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax{}{}",
            if http_only { "; HttpOnly" } else { "" },
            if self.secure_cookies { "; Secure" } else { "" }
        )
    }
}

pub fn check_database_url(url: &str) -> Result<(), String> {
    if url.starts_with("sqlite:")
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://")
    {
        Ok(())
    } else {
        Err(format!(
            "DATABASE_URL `{}` is neither sqlite:… nor postgres://…",
            redact_password(url)
        ))
    }
}

fn check_tile_url(tile_url: &str) -> Result<(), String> {
    let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| tile_url.contains(p));
    let absolute = Url::parse(tile_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if placeholders && (absolute || tile_url.starts_with('/')) {
        Ok(())
    } else {
        Err(format!(
            "the tile URL `{tile_url}` must be an http(s) URL or a local path with {{z}}, {{x}} and {{y}}"
        ))
    }
}

/// Database URLs may carry passwords; messages and logs show them without.
pub fn redact_password(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(db: &str, public: Option<&str>, tiles: &str) -> Result<Config, String> {
        Config::new(
            db.into(),
            "127.0.0.1:3000".parse().unwrap(),
            public.map(Into::into),
            tiles.into(),
            CookieSecurity::Auto,
            TrustProxy::Off,
        )
    }

    #[test]
    fn defaults_are_valid() {
        let config = config(DEFAULT_DATABASE_URL, None, DEFAULT_TILE_URL).unwrap();
        assert_eq!(config.public_origin(), "http://127.0.0.1:3000");
        assert!(!config.secure_cookies);
        assert_eq!(config.tile_url, None, "no tile server unless chosen");
    }

    #[test]
    fn tiles_are_an_explicit_choice() {
        let tiles = |value: &str| config(DEFAULT_DATABASE_URL, None, value).unwrap().tile_url;
        assert_eq!(tiles("off"), None);
        assert_eq!(tiles(""), None);
        assert_eq!(tiles("osm").as_deref(), Some(OSM_TILE_URL));
        let own = "https://tiles.example.de/{z}/{x}/{y}.png";
        assert_eq!(tiles(own).as_deref(), Some(own));
    }

    #[test]
    fn https_public_url_means_secure_cookies() {
        let config = config(
            DEFAULT_DATABASE_URL,
            Some("https://tandem.example.de/"),
            DEFAULT_TILE_URL,
        )
        .unwrap();
        assert!(config.secure_cookies);
        assert_eq!(config.public_origin(), "https://tandem.example.de");
    }

    #[test]
    fn bad_values_give_one_line() {
        for (db, public, tiles) in [
            ("mysql://x", None, DEFAULT_TILE_URL),
            (DEFAULT_DATABASE_URL, Some("not a url"), DEFAULT_TILE_URL),
            (
                DEFAULT_DATABASE_URL,
                Some("ftp://example.de"),
                DEFAULT_TILE_URL,
            ),
            (
                DEFAULT_DATABASE_URL,
                None,
                "https://tiles.example.de/map.png",
            ),
        ] {
            let error = config(db, public, tiles).unwrap_err();
            assert!(!error.contains('\n'), "{error}");
        }
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_password("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert!(!check_database_url("mysql://u:secret@h/db")
            .unwrap_err()
            .contains("secret"));
    }
}

//! The opt-in tile server for the map (issue 12, "an opt-in tile URL").
//!
//! By default the map draws only its bundled offline basemap and fetches
//! nothing. A user may name a tile server; the UI then draws its tiles above
//! the offline countries (which still show wherever a tile does not load) and
//! lets the map zoom deeper. The URL is a Leaflet template.
//!
//! What is accepted follows the desktop's Content Security Policy, which is
//! static (`tauri.conf.json`: `img-src 'self' data: https: http://127.0.0.1:*
//! http://localhost:*`): `https://` anywhere, plain `http://` only to this
//! machine. A URL the CSP would block is refused here with a field error
//! rather than stored and silently never drawn.
//!
//! The trade-off: the CSP cannot follow a setting, so it admits images (only
//! images: `connect-src` and `script-src` are unchanged) from any `https:`
//! host whether or not a tile server is set. The app's own code only loads
//! images it builds from this setting and never writes markup from data, so
//! the wider `img-src` matters only if something injected markup, where it
//! would allow a beacon image out. Plain `http:` stays limited to loopback
//! (a tile cache or server on this machine), since anything on the path
//! could read or change those tiles. Nothing is fetched until a URL is set,
//! so the app works offline as before.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, FieldError};

/// Longest accepted URL template.
pub const MAX_URL_LEN: usize = 2048;
/// Longest accepted attribution text.
pub const MAX_ATTRIBUTION_LEN: usize = 200;
/// The placeholders Leaflet fills in; any other `{name}` makes it throw at draw time.
const PLACEHOLDERS: [&str; 6] = ["{z}", "{x}", "{y}", "{s}", "{r}", "{-y}"];
/// Hosts plain `http://` may name: the CSP admits them (it cannot name 127.0.0.0/8 as a range).
const LOOPBACK_HOSTS: [&str; 2] = ["127.0.0.1", "localhost"];

/// The `mapTiles` setting. An empty `url` (the default) means the offline basemap only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct MapTiles {
    /// A Leaflet URL template with `{z}`, `{x}` and `{y}`, e.g.
    /// `https://tile.example.net/{z}/{x}/{y}.png`; "" for none.
    pub url: String,
    /// Shown in the map's corner while the tiles are drawn (plain text).
    pub attribution: String,
}

impl MapTiles {
    /// Surrounding blanks removed, as a form would send them.
    pub fn trimmed(self) -> Self {
        Self { url: self.url.trim().to_owned(), attribution: self.attribution.trim().to_owned() }
    }

    /// Whether a tile server is configured.
    pub fn enabled(&self) -> bool {
        !self.url.is_empty()
    }

    /// Every broken rule at once, as field errors on `url` and `attribution`.
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut errors = Vec::new();
        if let Err(m) = check_url(&self.url) {
            errors.push(FieldError::new("url", m));
        }
        if let Err(m) = check_attribution(&self.attribution) {
            errors.push(FieldError::new("attribution", m));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(errors))
        }
    }
}

fn check_url(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    if url.len() > MAX_URL_LEN {
        return Err(format!("must be at most {MAX_URL_LEN} characters"));
    }
    // Quotes, angle brackets and blanks have no place in a URL and would only
    // help something that tried to break out of an attribute.
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(*c)) {
        return Err(format!("must not contain {c:?}"));
    }
    let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        return Err(
            "must start with https:// (or http://127.0.0.1 or http://localhost for a tile server on this machine)"
                .into(),
        );
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.contains('@') {
        return Err("must not carry a user name or password".into());
    }
    let host = check_authority(authority)?;
    if !https && !LOOPBACK_HOSTS.contains(&host.to_ascii_lowercase().as_str()) {
        return Err("plain http:// is allowed only to 127.0.0.1 or localhost; use https:// for other servers".into());
    }
    check_placeholders(url)?;
    // `{-y}` is the row counted from the south (TMS), which stands for `{y}`.
    let has = |p: &str| path.contains(p) || (p == "{y}" && path.contains("{-y}"));
    let missing: Vec<&str> = ["{z}", "{x}", "{y}"].into_iter().filter(|p| !has(p)).collect();
    if !missing.is_empty() {
        return Err(format!("must contain {} after the host (the tile's zoom, column and row)", missing.join(", ")));
    }
    Ok(())
}

/// `host[:port]`; returns the host. `{s}` (a subdomain) may stand in the host.
fn check_authority(authority: &str) -> Result<&str, String> {
    let (host, port) = match authority.strip_prefix('[') {
        // An IPv6 literal: `[addr]` or `[addr]:port`.
        Some(inner) => {
            let Some((addr, after)) = inner.split_once(']') else {
                return Err("an IPv6 address must be closed with ']'".into());
            };
            if addr.is_empty() || !addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
                return Err(format!("[{addr}] is not an IPv6 address"));
            }
            match after {
                "" => (&authority[..addr.len() + 2], None),
                _ => match after.strip_prefix(':') {
                    Some(p) => (&authority[..addr.len() + 2], Some(p)),
                    None => return Err(format!("{authority:?} is not host[:port]")),
                },
            }
        }
        None => {
            let (h, p) = match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            };
            let bare = h.replace("{s}", "a");
            let name = !bare.is_empty()
                && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                && !bare.starts_with(['.', '-'])
                && !bare.ends_with('-');
            if !name {
                return Err(format!("host {h:?} is not a host name or address"));
            }
            (h, p)
        }
    };
    if let Some(p) = port {
        if !p.parse::<u16>().is_ok_and(|n| n > 0) {
            return Err(format!("port {p:?} must be a number from 1 to 65535"));
        }
    }
    Ok(host)
}

/// Every `{...}` must be one Leaflet fills in.
fn check_placeholders(url: &str) -> Result<(), String> {
    let mut rest = url;
    while let Some(open) = rest.find(['{', '}']) {
        let tail = &rest[open..];
        match PLACEHOLDERS.iter().find(|p| tail.starts_with(*p)) {
            Some(p) => rest = &tail[p.len()..],
            None => {
                let shown: String = tail.chars().take(12).collect();
                return Err(format!(
                    "{shown:?}: the only placeholders are {{z}}, {{x}}, {{y}}, {{s}}, {{r}} and {{-y}}"
                ));
            }
        }
    }
    Ok(())
}

fn check_attribution(text: &str) -> Result<(), String> {
    if text.chars().count() > MAX_ATTRIBUTION_LEN {
        return Err(format!("must be at most {MAX_ATTRIBUTION_LEN} characters"));
    }
    // The map's attribution corner is markup (Leaflet writes it as HTML):
    // plain text only, so nothing typed here can become an element.
    if let Some(c) = text.chars().find(|c| c.is_control() || *c == '<' || *c == '>') {
        return Err(format!("must be plain text (no {c:?})"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiles(url: &str, attribution: &str) -> MapTiles {
        MapTiles { url: url.into(), attribution: attribution.into() }
    }

    /// The fields a refused setting names, and the first message.
    fn refused(url: &str, attribution: &str) -> (Vec<String>, String) {
        let e = tiles(url, attribution).validate().expect_err("refused");
        let f = e.fields();
        (f.iter().map(|f| f.field.clone()).collect(), f[0].message.clone())
    }

    #[test]
    fn empty_is_the_offline_default_and_valid() {
        assert_eq!(MapTiles::default(), tiles("", ""));
        assert!(!MapTiles::default().enabled());
        MapTiles::default().validate().expect("the default is valid");
        let t = tiles("  https://t.example.net/{z}/{x}/{y}.png ", " (c) Example ").trimmed();
        assert_eq!(t, tiles("https://t.example.net/{z}/{x}/{y}.png", "(c) Example"));
        assert!(t.enabled());
    }

    #[test]
    fn accepts_https_anywhere_and_http_to_this_machine() {
        for url in [
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "https://{s}.tile.example.net:8443/styles/{z}/{x}/{y}{r}.png?key=abc&x=1",
            "https://[2001:db8::1]:443/{z}/{x}/{-y}.png",
            "http://127.0.0.1:8080/{z}/{x}/{y}.png",
            "http://localhost/tiles/{z}/{x}/{y}.webp",
            "http://LOCALHOST:1/{z}/{x}/{y}",
        ] {
            tiles(url, "").validate().unwrap_or_else(|e| panic!("{url}: {e}"));
        }
    }

    #[test]
    fn refuses_what_the_csp_would_block_with_a_field_error() {
        for url in [
            "ftp://t.example.net/{z}/{x}/{y}.png",
            "t.example.net/{z}/{x}/{y}.png",
            "javascript:alert(1)//{z}/{x}/{y}",
            "http://t.example.net/{z}/{x}/{y}.png",
            "http://127.0.0.2/{z}/{x}/{y}.png",
            "http://[::1]/{z}/{x}/{y}.png",
            "http://127.0.0.1.example.net/{z}/{x}/{y}.png",
        ] {
            let (fields, message) = refused(url, "");
            assert_eq!(fields, ["url"], "{url}");
            assert!(message.contains("https://"), "{url}: {message}");
        }
    }

    #[test]
    fn refuses_broken_urls_and_says_why() {
        let cases = [
            ("https://t.example.net/{z}/{x}.png", "{y}"),
            ("https://t.example.net/tiles.png", "{z}, {x}, {y}"),
            ("https://{z}.{x}.{y}/", "host"),
            ("https://t.example.net/{x}/{y}.png?z={q}", "placeholders"),
            ("https://t.example.net/{z}/{x}/{y}/{foo}.png", "placeholders"),
            ("https://t.example.net/{z}/{x}/{y}.png}", "placeholders"),
            ("https://user:pw@t.example.net/{z}/{x}/{y}.png", "password"),
            ("http://example.net@127.0.0.1/{z}/{x}/{y}.png", "password"),
            ("https://t.example.net:0/{z}/{x}/{y}.png", "port"),
            ("https://t.example.net:99999/{z}/{x}/{y}.png", "port"),
            ("https:///{z}/{x}/{y}.png", "host"),
            ("https://-bad/{z}/{x}/{y}.png", "host"),
            ("https://t.example.net/{z}/{x}/{y} .png", "' '"),
            ("https://t.example.net/{z}/{x}/{y}\".png", "'\"'"),
            ("https://t.example.net/{z}/<b>/{x}/{y}.png", "'<'"),
            ("https://[::1/{z}/{x}/{y}.png", "']'"),
        ];
        for (url, says) in cases {
            let (fields, message) = refused(url, "");
            assert_eq!(fields, ["url"], "{url}");
            assert!(message.contains(says), "{url}: {message:?} should say {says:?}");
        }
        let long = format!("https://t.example.net/{}/{{z}}/{{x}}/{{y}}.png", "a".repeat(MAX_URL_LEN));
        assert!(refused(&long, "").1.contains("at most"));
    }

    #[test]
    fn attribution_is_plain_bounded_text_and_errors_come_together() {
        tiles("", "© OpenStreetMap contributors & friends").validate().expect("plain text with & and ©");
        assert_eq!(refused("", "<img src=x>").0, ["attribution"]);
        assert_eq!(refused("", "line\nbreak").0, ["attribution"]);
        assert_eq!(refused("", &"x".repeat(MAX_ATTRIBUTION_LEN + 1)).0, ["attribution"]);
        tiles("", &"é".repeat(MAX_ATTRIBUTION_LEN)).validate().expect("counted in characters");
        assert_eq!(refused("gopher://x", "<b>").0, ["url", "attribution"]);
    }

    /// The rules above and the desktop's CSP must admit the same tile hosts.
    #[test]
    fn the_desktop_csp_admits_exactly_these_image_sources() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../../../tauri.conf.json")).expect("tauri.conf.json");
        let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP string");
        let img = csp.split(';').map(str::trim).find_map(|d| d.strip_prefix("img-src ")).expect("an img-src");
        let sources: Vec<&str> = img.split_whitespace().collect();
        assert_eq!(sources, ["'self'", "data:", "https:", "http://127.0.0.1:*", "http://localhost:*"], "{csp}");
        for host in LOOPBACK_HOSTS {
            assert!(sources.contains(&format!("http://{host}:*").as_str()), "{host}");
        }
        assert!(csp.contains("connect-src ipc: http://ipc.localhost;"), "tiles must not widen connect-src: {csp}");
    }

    #[test]
    fn reads_the_stored_shape_and_refuses_unknown_fields() {
        let t: MapTiles = serde_json::from_str(r#"{"url":"https://t/{z}/{x}/{y}"}"#).expect("attribution defaults");
        assert_eq!(t, tiles("https://t/{z}/{x}/{y}", ""));
        assert!(serde_json::from_str::<MapTiles>(r#"{"url":"","maxZoom":3}"#).is_err());
    }
}

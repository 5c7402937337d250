//! The web console: the desktop's own UI build (`ui/dist`) served at `/`.
//! Static files need no login (the login page must load before anyone is
//! logged in); every `/api` route keeps its own authentication, and a path
//! under `/api` that no route serves stays a JSON `not_found`, never the
//! console's page. Every file goes out with a strict Content-Security-Policy
//! (no inline script, nothing from another origin), so even a string that
//! slipped into the page as markup could not run.

use std::path::{Path, PathBuf};

use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::error::HttpError;
use meridian_service::{ApiError, ApiErrorKind};

/// `'self'` only. `connect-src 'self'` covers the same-origin `wss:` event
/// stream in current browsers; `img-src data: blob:` is for Leaflet's icons.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
                       font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                       frame-ancestors 'none'; form-action 'self'";

/// Where the console's files are, checked once at start.
#[derive(Debug, Clone)]
pub enum UiFiles {
    /// A directory holding `index.html` (canonical path).
    Dir(PathBuf),
    /// None was given and none was found: every page says how to fix that.
    Missing(String),
}

impl UiFiles {
    /// `given` (`--ui-dir`/`MERIDIAN_UI_DIR`) must hold `index.html`, or the
    /// server refuses to start; without it the first of `defaults` that
    /// holds one is used, and with none the console is [`UiFiles::Missing`].
    pub fn resolve(given: Option<&Path>, defaults: &[PathBuf]) -> anyhow::Result<Self> {
        if let Some(dir) = given {
            if !dir.join("index.html").is_file() {
                anyhow::bail!(
                    "--ui-dir {}: no index.html there (build the UI with `cd ui && npm run build`)",
                    dir.display()
                );
            }
            return Ok(Self::Dir(dir.canonicalize()?));
        }
        for d in defaults {
            if d.join("index.html").is_file() {
                if let Ok(c) = d.canonicalize() {
                    return Ok(Self::Dir(c));
                }
            }
        }
        let tried = defaults.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ");
        Ok(Self::Missing(format!("no web console was found (looked in {tried}); start the server with --ui-dir")))
    }

    /// `ui/` beside the binary, `../share/meridian-server/ui` (a package
    /// layout), then the source tree's `ui/dist` (a development build).
    pub fn default_dirs() -> Vec<PathBuf> {
        let mut v = Vec::new();
        if let Some(bin_dir) = std::env::current_exe().ok().and_then(|p| p.parent().map(Path::to_path_buf)) {
            v.push(bin_dir.join("ui"));
            v.push(bin_dir.join("../share/meridian-server/ui"));
        }
        v.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist"));
        v
    }
}

/// The router's fallback: `/api/...` answers JSON 404; GET and HEAD of
/// anything else serve the file, or `index.html` for a path without an
/// extension (the console's own routes); other methods are 405.
pub async fn serve(ui: &UiFiles, method: &Method, uri: &Uri) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return HttpError::from(ApiError::new(ApiErrorKind::NotFound, "no such endpoint")).into_response();
    }
    if *method != Method::GET && *method != Method::HEAD {
        return HttpError(
            ApiError::new(ApiErrorKind::Validation, "method not allowed on this endpoint"),
            Some(StatusCode::METHOD_NOT_ALLOWED),
        )
        .into_response();
    }
    let dir = match ui {
        UiFiles::Dir(d) => d,
        UiFiles::Missing(why) => return page(StatusCode::SERVICE_UNAVAILABLE, why),
    };
    let Some(rel) = safe_relative(path) else { return page(StatusCode::NOT_FOUND, "no such file") };
    let (file, rel) = match rel {
        "" => (dir.join("index.html"), "index.html"),
        r => (dir.join(r), r),
    };
    let (file, rel) = if file.is_file() {
        (file, rel)
    } else if !has_extension(rel) {
        (dir.join("index.html"), "index.html")
    } else {
        return page(StatusCode::NOT_FOUND, "no such file");
    };
    // A symlink out of the directory is not served.
    match file.canonicalize() {
        Ok(c) if c.starts_with(dir) => {}
        _ => return page(StatusCode::NOT_FOUND, "no such file"),
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mut r = (StatusCode::OK, bytes).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(rel)));
            // Vite names everything under assets/ by its content hash: it never
            // changes under one name. index.html names the current hashes, so
            // it is checked with the server every time.
            let cache = if rel.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            secure_headers(h);
            r
        }
        Err(e) => {
            tracing::warn!(file = %file.display(), error = %e, "could not read a web console file");
            page(StatusCode::NOT_FOUND, "no such file")
        }
    }
}

/// The request path without its leading `/`, or `None` for anything that
/// could leave the directory or that Vite never writes: `..`, empty or
/// hidden segments, backslashes, percent escapes, other bytes.
fn safe_relative(path: &str) -> Option<&str> {
    let rel = path.strip_prefix('/')?;
    if rel.is_empty() {
        return Some(rel);
    }
    let ok_bytes = rel.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'));
    let ok_segments = rel.split('/').all(|s| !s.is_empty() && !s.starts_with('.'));
    (ok_bytes && ok_segments).then_some(rel)
}

fn has_extension(rel: &str) -> bool {
    rel.rsplit('/').next().is_some_and(|name| name.contains('.'))
}

fn content_type(rel: &str) -> &'static str {
    let ext = rel.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn secure_headers(h: &mut axum::http::HeaderMap) {
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

/// A plain-text answer (no markup to escape), with the same headers.
fn page(status: StatusCode, text: &str) -> Response {
    let mut r = (status, format!("Meridian team server: {text}\n")).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    secure_headers(h);
    r
}

#[cfg(test)]
mod tests {
    use super::{content_type, has_extension, safe_relative, serve, UiFiles};
    use axum::http::{Method, StatusCode};

    #[test]
    fn only_plain_relative_paths_are_served() {
        assert_eq!(safe_relative("/"), Some(""));
        assert_eq!(safe_relative("/assets/index-AbC_12.js"), Some("assets/index-AbC_12.js"));
        for bad in ["/../etc/passwd", "/assets/../../x", "/.env", "/a//b", "/a%2e%2e/b", "/a\\b", "/ä", "x", "/a/"] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
    }

    #[test]
    fn types_and_routes() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/a.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("assets/a.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
        assert!(has_extension("assets/x.png"));
        assert!(!has_extension("device/123"));
        assert!(!has_extension("v1.2/login"));
    }

    /// No console found: a plain page that says how to fix it, the API's 404s unchanged.
    #[tokio::test]
    async fn a_missing_console_is_a_clear_page() {
        let ui = UiFiles::resolve(None, &[std::path::PathBuf::from("/nonexistent/meridian-ui")]).expect("resolve");
        assert!(matches!(&ui, UiFiles::Missing(w) if w.contains("--ui-dir") && w.contains("/nonexistent/meridian-ui")));
        let r = serve(&ui, &Method::GET, &"/".parse().expect("uri")).await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()["content-type"], "text/plain; charset=utf-8");
        let r = serve(&ui, &Method::GET, &"/api/v1/x".parse().expect("uri")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}

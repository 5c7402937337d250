//! Meridian's team server: REST over TLS on PostgreSQL. Every handler is a
//! one-line call into `meridian-service`; this crate only speaks HTTP:
//! credentials from the request, JSON in and out, status codes, TLS.

mod error;
mod extract;
mod handlers;
mod openapi;
mod routes;
mod serve;
mod static_ui;
mod tls;
mod ws;

pub use error::HttpError;
pub use openapi::document as openapi_document;
pub use routes::{health_router, router, ServerState, MAX_BODY, SESSION_COOKIE};
pub use serve::{serve_health, serve_tls};
pub use static_ui::{UiFiles, CSP};
pub use tls::{load_or_generate, TlsSetup};

//! The OpenAPI 3.1 document, derived by utoipa from the handlers'
//! `#[utoipa::path]` attributes and the request and response types' own
//! `ToSchema` derives (the same types the TypeScript bindings come from).
//! `tests/openapi.rs` fails on a route of the router missing here.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::handlers as h;
use crate::routes::SESSION_COOKIE;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Meridian team server",
        description = "REST over TLS. Send `Authorization: Bearer <API token>`, or the session cookie from \
                       `POST /api/v1/login` plus its `X-CSRF-Token` header on anything but GET. Errors are \
                       `ApiError` bodies."
    ),
    paths(
        h::health, h::login, h::logout, h::me, h::devices, h::add_device, h::device, h::edit_device,
        h::remove_device, h::sites, h::alarms, h::ack_alarm, h::clear_alarm, h::comment_alarm, h::report,
        h::report_file, h::users,
        h::add_user, h::user, h::edit_user, h::remove_user, h::tokens, h::add_token, h::revoke_token, h::audit,
        h::events, h::openapi
    ),
    modifiers(&Credentials),
    security(("bearer" = []), ("session" = []))
)]
struct Doc;

struct Credentials;

impl Modify for Credentials {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        c.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(SESSION_COOKIE))));
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}

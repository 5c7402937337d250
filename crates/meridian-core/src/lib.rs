//! Meridian's pure domain: identifiers, inventory and credential types, and
//! the validation rules every front end shares.
//!
//! Nothing here does I/O or reads the clock: callers pass time in, so the
//! rules are testable without sockets, databases or sleeps.

pub mod address;
pub mod alarm;
pub mod credential;
pub mod error;
pub mod ids;
pub mod inventory;
pub mod sample;
pub mod validate;

pub use address::Address;
pub use error::{CoreError, FieldError};
pub use ids::{CredentialId, DeviceId, SiteId};

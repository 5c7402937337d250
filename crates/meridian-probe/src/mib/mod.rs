//! MIB modules (SMIv1/SMIv2) through the pure-Rust parser `mib-rs`.
//!
//! - [`load`] (`load.rs`) is the only file I/O: it reads the user's MIB
//!   directories and hands their text, after the shipped modules
//!   (`shipped.rs`, built into the binary), to the parser. A file that does
//!   not parse is reported with its path and line and left out; it never
//!   stops the others and never panics.
//! - [`MibSet`] (`lookup.rs`) is the loaded, immutable result: OID to name,
//!   name to OID, an object's syntax, enumerations and description, search
//!   and the tree, and a value shown as its textual convention says
//!   (`display.rs`, over `meridian_core::mib_display`).

mod display;
pub mod invariants;
mod load;
mod lookup;
mod shipped;

pub use load::{load, load_texts, MibText};
pub use lookup::MibSet;
pub use shipped::SHIPPED;

//! SNMP engine: v1, v2c and v3 (USM: noAuthNoPriv, authNoPriv, authPriv
//! with MD5, SHA-1, SHA-224/256/384/512 and DES, AES-128/192/256).
//!
//! ```no_run
//! # async fn demo() -> Result<(), meridian_probe::ProbeError> {
//! use meridian_core::credential::{Secret, SnmpCredential, SnmpVersion};
//! use meridian_probe::snmp::{EngineConfig, Oid, SnmpEngine, Target};
//! let engine = SnmpEngine::new(EngineConfig::default()).await?;
//! let cred = SnmpCredential::Community { version: SnmpVersion::V2c, community: Secret::new("public") };
//! let t = Target::new("127.0.0.1:161".parse().expect("addr"), cred);
//! for vb in engine.get(&t, &["1.3.6.1.2.1.1.1.0".parse()?]).await? {
//!     println!("{vb}"); // .1.3.6.1.2.1.1.1.0 = STRING: "Linux ..."
//! }
//! let table = engine.walk(&t, &"1.3.6.1.2.1.2.2".parse()?).await?;
//! # let _ = table; Ok(()) }
//! ```
//!
//! API: [`SnmpEngine::new`], `get`, `get_next`, `get_bulk`, `walk`,
//! `walk_all` (the `.1` tree) and `stats`; a [`Target`] is an address, a
//! [`meridian_core::credential::SnmpCredential`], a per-attempt timeout and
//! a retry count. Values print as net-snmp `-On` lines ([`VarBind`]'s
//! `Display`). [`decode_message`] is the parser for bytes from the wire,
//! exposed for the fuzz target. [`trap`] is the notification receiver.
//!
//! Design: all targets share `sockets_per_family` UDP sockets. A receive
//! task per socket reads the request id (v1/v2c) or msgID (v3, the same
//! number) and hands the datagram to the waiting request; replies nobody
//! waits for are counted as stray and dropped. The sockets (`transport`) are
//! watched for readability only and read with `recvmmsg` in batches. A
//! semaphore caps requests in flight. v3 engine ids, clocks and localised
//! keys are cached per agent.
//!
//! snmp2 is not used on the wire: its 0.5 API exposes request building and
//! USM only through its own one-socket-per-session types. The BER codec
//! (`ber`) and USM (`usm`) live here, written to return typed errors on
//! any input.

mod ber;
mod engine;
mod oid;
mod pdu;
mod transport;
pub mod trap;
mod usm;
mod value;
mod walk;

pub use ber::DecodeError;
pub use engine::{EngineConfig, EngineStats, SnmpEngine, Target};
pub use oid::Oid;
pub use pdu::{
    decode_message, dispatch_id, encode_community, encode_community_pdu, encode_pdu, Message, Pdu, RequestPdu,
    WireVersion,
};
pub use pdu::{GET, GET_BULK, GET_NEXT, INFORM, REPORT, RESPONSE, TRAP_V1, TRAP_V2};
pub use usm::{
    authenticate, decrypt_scoped, encode_v3_with, open as open_v3, EngineParams, LocalKeys, OpenError, Scoped,
    ScopedPdu, UsmReport, V3Head, V3Message,
};
pub use value::{Value, VarBind};

//! Real lab peers for Meridian's tests. No mocks: a test that needs
//! PostgreSQL gets a real one, started here in a temporary directory.

mod postgres;

pub use postgres::NativePostgres;

#[derive(Debug, thiserror::Error)]
pub enum TestkitError {
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("{0}")]
    Peer(String),
}

//! Datagrams a decoder rejected, by reason: a peer that keeps sending
//! garbage shows up as counts, never as a crash.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// Counts keyed by a decoder error's stable `kind()` name.
#[derive(Debug, Default)]
pub struct DecodeCounters {
    counts: Mutex<BTreeMap<&'static str, u64>>,
}

impl DecodeCounters {
    pub fn record(&self, kind: &'static str) {
        // A poisoned lock only means another thread panicked mid-increment;
        // the counts are still usable.
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *c.entry(kind).or_default() += 1;
    }

    /// (reason, count) for every reason seen so far.
    pub fn snapshot(&self) -> Vec<(&'static str, u64)> {
        let c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.iter().map(|(k, v)| (*k, *v)).collect()
    }

    pub fn total(&self) -> u64 {
        self.snapshot().iter().map(|(_, v)| v).sum()
    }
}

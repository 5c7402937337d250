//! Seeded white phase noise for the timing tests and the benchmark (included
//! with `#[path]`, so core needs no random-number crate).

/// `n` samples uniform in +-`amplitude`, from a 64-bit LCG (Knuth's MMIX
/// constants) seeded with `seed`.
pub fn white_phase(n: usize, seed: u64, amplitude: f64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 2.0 * amplitude
        })
        .collect()
}

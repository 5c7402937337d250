//! Collecting competing answers for one field (vendor, model) and picking the best.
//! Agreeing sources reinforce each other; the loser is kept in the evidence so a person
//! can see what else was considered.

use super::Field;

#[derive(Debug, Default)]
pub struct Votes {
    candidates: Vec<Field<String>>,
    notes: Vec<String>,
}

/// Independent evidence for the same answer: 1 - (1-a)(1-b).
pub fn combine(a: f32, b: f32) -> f32 {
    1.0 - (1.0 - a) * (1.0 - b)
}

impl Votes {
    pub fn add(&mut self, value: &str, confidence: f32, evidence: String) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        match self.candidates.iter_mut().find(|c| c.value.eq_ignore_ascii_case(value)) {
            Some(c) => {
                c.confidence = combine(c.confidence, confidence);
                c.evidence.push(evidence);
            }
            None => self.candidates.push(Field { value: value.to_string(), confidence, evidence: vec![evidence] }),
        }
    }

    /// Context that is not a vote (e.g. "enterprise 8072 is a generic agent").
    pub fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    pub fn winner(mut self) -> Option<Field<String>> {
        // Stable sort keeps table order among equals, so results are deterministic.
        self.candidates.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        let mut it = self.candidates.into_iter();
        let mut best = it.next()?;
        best.confidence = best.confidence.clamp(0.0, 1.0);
        for other in it {
            best.evidence.push(format!("also considered '{}' ({:.2})", other.value, other.confidence));
        }
        best.evidence.extend(self.notes);
        Some(best)
    }
}

//! A report as aligned plain-text tables: what `meridian report` prints and
//! what a scheduled report's e-mail says in its body.

use super::Report;

impl Report {
    /// The heading, the notes, then each table with columns padded to their
    /// widest cell ("(none)" under an empty one).
    pub fn text(&self) -> String {
        let mut s = format!("{} — {}\n{}\n", self.title, self.scope, self.period());
        for n in &self.notes {
            s.push_str(n);
            s.push('\n');
        }
        for t in &self.tables {
            s.push_str(&format!("\n{}\n", t.title));
            let mut widths: Vec<usize> = t.columns.iter().map(|c| c.chars().count()).collect();
            for row in &t.rows {
                for (w, c) in widths.iter_mut().zip(row) {
                    *w = (*w).max(c.chars().count());
                }
            }
            for row in std::iter::once(&t.columns).chain(&t.rows) {
                let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
                s.push_str(cells.join("  ").trim_end());
                s.push('\n');
            }
            if t.rows.is_empty() {
                s.push_str("(none)\n");
            }
        }
        s
    }
}

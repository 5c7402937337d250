//! A small RFC 4180 reader and writer: quoted fields, doubled quotes inside
//! them, line breaks inside quotes, LF or CRLF records, an optional UTF-8
//! byte-order mark (spreadsheets write one). Written here rather than taken
//! from a crate because inventory files are small and this is all they need;
//! the reader is fuzzed (`fuzz/fuzz_targets/device_csv.rs`).

use std::fmt;

/// Why bytes are not a CSV file this reader accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// Not UTF-8; `offset` is the first bad byte.
    Encoding {
        offset: usize,
    },
    /// A quoted field still open at the end of the input.
    UnclosedQuote {
        row: usize,
    },
    /// Text right after a closing quote (`"a"b`).
    AfterQuote {
        row: usize,
    },
    TooManyRows {
        max: usize,
    },
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Encoding { offset } => {
                write!(f, "the file is not UTF-8 (bad byte at offset {offset}); save it as CSV UTF-8")
            }
            Self::UnclosedQuote { row } => write!(f, "row {row}: a quoted field is never closed"),
            Self::AfterQuote { row } => write!(f, "row {row}: text after a closing quote"),
            Self::TooManyRows { max } => write!(f, "more than {max} rows; split the file"),
        }
    }
}

/// One record and the row number a spreadsheet shows for it (the header is
/// row 1; a quoted line break does not start a new row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub row: usize,
    pub fields: Vec<String>,
}

/// Records of `bytes`, blank lines skipped. At most `max_rows` records.
pub fn read(bytes: &[u8], max_rows: usize) -> Result<Vec<Record>, CsvError> {
    let text = std::str::from_utf8(bytes).map_err(|e| CsvError::Encoding { offset: e.valid_up_to() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut row = 1;
    let mut in_quotes = false;
    // The current field was quoted and its closing quote has been read.
    let mut closed = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    in_quotes = false;
                    closed = true;
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !closed => in_quotes = true,
            ',' => {
                fields.push(std::mem::take(&mut field));
                closed = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                fields.push(std::mem::take(&mut field));
                closed = false;
                end_record(&mut out, &mut fields, row, max_rows)?;
                row += 1;
            }
            _ if closed => return Err(CsvError::AfterQuote { row }),
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(CsvError::UnclosedQuote { row });
    }
    if !field.is_empty() || closed || !fields.is_empty() {
        fields.push(field);
        end_record(&mut out, &mut fields, row, max_rows)?;
    }
    Ok(out)
}

fn end_record(out: &mut Vec<Record>, fields: &mut Vec<String>, row: usize, max: usize) -> Result<(), CsvError> {
    let f = std::mem::take(fields);
    if f.len() == 1 && f[0].is_empty() {
        return Ok(());
    }
    if out.len() >= max {
        return Err(CsvError::TooManyRows { max });
    }
    out.push(Record { row, fields: f });
    Ok(())
}

/// One CSV line (with its `\n`), quoting only the fields that need it.
pub fn write_row<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = f.as_ref();
        // A leading byte-order mark would be taken for the file's own and
        // dropped on reading, so it is quoted too (found by the fuzzer).
        let edge = f.starts_with(|c: char| c.is_whitespace() || c == '\u{feff}') || f.ends_with(char::is_whitespace);
        if edge || f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &str) -> Vec<Vec<String>> {
        read(s.as_bytes(), 100).expect("parses").into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn quotes_line_breaks_and_row_numbers() {
        assert!(read(b"", 10).expect("empty").is_empty());
        let r = read(b"a,b\r\n\"x, \"\"y\"\"\",2\n\n\"multi\nline\",3\nlast,", 100).expect("parses");
        assert_eq!(r.len(), 4);
        assert_eq!(r[1].fields, ["x, \"y\"", "2"]);
        assert_eq!((r[2].row, r[2].fields[0].as_str()), (4, "multi\nline"));
        assert_eq!((r[3].row, r[3].fields.clone()), (5, vec!["last".to_owned(), String::new()]));
        assert_eq!(fields("\u{feff}name\n"), [["name"]]);
        assert_eq!(fields("\"\",a"), [["", "a"]]);
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        assert_eq!(read(b"a,\"open\n", 10), Err(CsvError::UnclosedQuote { row: 1 }));
        assert_eq!(read(b"a\n\"q\"x,b", 10), Err(CsvError::AfterQuote { row: 2 }));
        assert_eq!(read(b"name\ncaf\xe9\n", 10), Err(CsvError::Encoding { offset: 8 }));
        assert_eq!(read(b"a\nb\nc\n", 2), Err(CsvError::TooManyRows { max: 2 }));
    }

    #[test]
    fn written_rows_read_back() {
        let row = ["\u{feff}bom", "plain", "a,b", "say \"hi\"", "two\nlines", " padded", ""];
        let mut s = String::new();
        write_row(&mut s, &row);
        write_row(&mut s, &["x"]);
        let back = read(s.as_bytes(), 10).expect("parses");
        assert_eq!(back[0].fields, row);
        assert_eq!(back[1].fields, ["x"]);
    }
}

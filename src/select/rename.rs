//! Rename patterns: a `*` or `?` in the last component of `parm2` gives each source's link a name built from the
//! source's own name, the way a wildcard target renames in TCC's and cmd's COPY (`mklnk *.txt *.bak`).
//!
//! This module owns the editing rules. It works on raw bytes (a Unix name is not necessarily UTF-8) and never
//! touches the file system. A "character" is one UTF-8 encoded scalar, or one byte that is not valid UTF-8.
//!
//! # Rules
//!
//! Names are split into a *name part* and an *extension* at their last `.`, except that a `.` in the first place
//! does not start an extension (`.profile` is all name part, as Unix hidden files go). Then:
//!
//! * A pattern without such a dot (`*`, `new*`, `?x*`) edits the whole source name in one go.
//! * A pattern with one edits the source's name part with its own name part and the source's extension (empty
//!   when it has none) with its own extension, and joins them with a `.`. The `.` is left out when the new
//!   extension is empty, unless the source had an extension and the pattern's extension holds a `*` (so `*.*`
//!   keeps `name.` as it is, and turns `readme` into `readme`, not `readme.`).
//!
//! Editing walks the pattern from left to right with a cursor in the source text:
//!
//! | in the pattern | writes | moves the source cursor |
//! |---|---|---|
//! | a character `c` | `c` | one character on, unless the cursor is at a `.` or at the end |
//! | `?` | the character at the cursor; nothing at a `.` or at the end | one on, unless at a `.` or the end |
//! | `*` last, or before `?` | the rest of the source | to the end |
//! | `*` then a character `c` | the source up to its last `c` after the cursor, then `c` (the pattern's spelling); without such a `c`, the whole rest and then `c` | past that `c`, or to the end |
//! | `.` (only inside a part) | `.` | past the next `.`, or to the end |
//!
//! Several `*` in a row count as one. The `c` after a `*` is found byte for byte, or ignoring ASCII case when
//! the pattern is case-insensitive. The result may be empty or `.`/`..` for odd patterns (`?` applied to
//! `.x`); the caller must refuse such a name.
//!
//! # Examples
//!
//! | pattern | source | result |
//! |---|---|---|
//! | `*` | `a.b.txt` | `a.b.txt` (always the source name) |
//! | `*.*` | `readme`, `a.b.txt` | `readme`, `a.b.txt` (always the source name) |
//! | `*.bak` | `a.txt`, `a.b.txt`, `README`, `.profile` | `a.bak`, `a.b.bak`, `README.bak`, `.profile.bak` |
//! | `*.` | `a.txt` | `a` |
//! | `new*` | `abcdef.txt`, `a.txt` | `newdef.txt`, `new.txt` |
//! | `x*` | `abc.txt` | `xbc.txt` |
//! | `?x*` | `abc.txt`, `a.txt` | `axc.txt`, `ax.txt` |
//! | `a?c.*` | `xyz.txt`, `x.txt`, `xyz` | `ayc.txt`, `ac.txt`, `ayc` |
//! | `*_old.*` | `report.txt`, `README`, `my_file.txt` | `report_old.txt`, `README_old`, `my_old.txt` |
//! | `*.tar.gz` | `x.tgz`, `x.tar.bz2` | `x.tar.gz`, `x.tar.gz` |
//! | `???.*` | `abcdef.txt`, `ab.txt` | `abc.txt`, `ab.txt` |
//! | `*.bak` | `caf\xe9.txt` (Latin-1 bytes) | `caf\xe9.bak` (bytes kept as they are) |

use super::error::SelectError;

/// Whether a final name component is a rename pattern (holds `*` or `?`).
pub fn is_rename_pattern(component: &[u8]) -> bool {
    component.iter().any(|&b| b == b'*' || b == b'?')
}

/// One element of a rename pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// `*`: copy a run of the source.
    Star,
    /// `?`: copy one character of the source.
    Any,
    /// A `.` inside a part.
    Dot,
    /// Any other character, as its bytes.
    Lit(Vec<u8>),
}

/// A parsed rename pattern: the last component of a wildcard `parm2`. See the module documentation for the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenamePattern {
    text: Vec<u8>,
    name: Vec<Token>,
    ext: Option<Vec<Token>>,
    case_insensitive: bool,
}

/// Splits bytes into characters: valid UTF-8 scalars, and single bytes that are not valid UTF-8.
fn chars(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            let (head, tail) = rest.split_at(c.len_utf8());
            out.push(head);
            rest = tail;
        }
        for _ in chunk.invalid() {
            let (head, tail) = rest.split_at(1);
            out.push(head);
            rest = tail;
        }
    }
    out
}

/// Where the extension starts: the index of the last `.` that is not the first character, if any.
fn ext_dot(chars: &[&[u8]]) -> Option<usize> {
    chars.iter().rposition(|&c| c == b".").filter(|&i| i > 0)
}

fn is_dot(c: &[u8]) -> bool {
    c == b"."
}

impl RenamePattern {
    /// Parses the last component of `parm2` (no directory part). Case-sensitive until
    /// [`with_case_insensitive`](Self::with_case_insensitive) says otherwise.
    ///
    /// Fails only for an empty component.
    pub fn parse(component: &[u8]) -> Result<Self, SelectError> {
        if component.is_empty() {
            return Err(SelectError::EmptyPattern);
        }
        let units = chars(component);
        let tokens = |part: &[&[u8]]| -> Vec<Token> {
            let mut out: Vec<Token> = Vec::with_capacity(part.len());
            for &c in part {
                let token = match c {
                    b"*" if out.last() == Some(&Token::Star) => continue,
                    b"*" => Token::Star,
                    b"?" => Token::Any,
                    b"." => Token::Dot,
                    _ => Token::Lit(c.to_vec()),
                };
                out.push(token);
            }
            out
        };
        let (name, ext) = match ext_dot(&units) {
            Some(i) => (tokens(&units[..i]), Some(tokens(&units[i + 1..]))),
            None => (tokens(&units), None),
        };
        Ok(Self { text: component.to_vec(), name, ext, case_insensitive: false })
    }

    /// Returns the pattern with ASCII case ignored (or not) when a `*` looks for the character after it.
    #[must_use]
    pub fn with_case_insensitive(mut self, yes: bool) -> Self {
        self.case_insensitive = yes;
        self
    }

    /// The pattern as written.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// The new name for a source named `source_name` (its final component, raw bytes).
    pub fn apply(&self, source_name: &[u8]) -> Vec<u8> {
        let source = chars(source_name);
        let Some(pattern_ext) = &self.ext else {
            return self.edit(&self.name, &source);
        };
        let (source_name, source_ext) = match ext_dot(&source) {
            Some(i) => (&source[..i], Some(&source[i + 1..])),
            None => (&source[..], None),
        };
        let mut out = self.edit(&self.name, source_name);
        let ext = self.edit(pattern_ext, source_ext.unwrap_or_default());
        if !ext.is_empty() || (source_ext.is_some() && pattern_ext.contains(&Token::Star)) {
            out.push(b'.');
            out.extend_from_slice(&ext);
        }
        out
    }

    /// Whether a source character is the character `c` of the pattern.
    fn same(&self, source: &[u8], c: &[u8]) -> bool {
        source == c || (self.case_insensitive && source.eq_ignore_ascii_case(c))
    }

    /// Edits one part of a source with one part of the pattern (the table in the module documentation).
    fn edit(&self, tokens: &[Token], source: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::with_capacity(source.len() + tokens.len());
        let n = source.len();
        let mut at = 0;
        let steps = |at: usize| at < n && !is_dot(source[at]);
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Any => {
                    if steps(at) {
                        out.extend_from_slice(source[at]);
                        at += 1;
                    }
                }
                Token::Lit(c) => {
                    out.extend_from_slice(c);
                    if steps(at) {
                        at += 1;
                    }
                }
                Token::Dot => {
                    out.push(b'.');
                    at = source[at..].iter().position(|&c| is_dot(c)).map_or(n, |k| at + k + 1);
                }
                Token::Star => {
                    let stop: Option<&[u8]> = match tokens.get(i + 1) {
                        Some(Token::Lit(c)) => Some(c),
                        Some(Token::Dot) => Some(b"."),
                        _ => None,
                    };
                    match stop {
                        Some(c) => {
                            let found = source[at..].iter().rposition(|&s| self.same(s, c)).map(|k| at + k);
                            let end = found.unwrap_or(n);
                            source[at..end].iter().for_each(|s| out.extend_from_slice(s));
                            out.extend_from_slice(c);
                            at = found.map_or(n, |k| k + 1);
                            i += 1;
                        }
                        None => {
                            source[at..].iter().for_each(|s| out.extend_from_slice(s));
                            at = n;
                        }
                    }
                }
            }
            i += 1;
        }
        out
    }
}

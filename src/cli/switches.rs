//! The shared switch reader: turns argv into a stream of [`Token`]s under the `/X` rules both legacy syntaxes
//! share. It never touches the file system and never decides what a switch means.
//!
//! The rules, because `/X` could also be an absolute Unix path:
//! - `/` plus exactly one character (`/D`, `/z`, `/?`) is always a switch; the parser says whether it knows it;
//! - a run of known one-letter switches written together (`/D/J`) is those switches;
//! - with the TCC extensions: `/A`, `/A:…` is the attribute switch, `/[…]` and `/![…]` are ranges (a range
//!   split over several arguments by the shell, `/[!*.bak` `*.tmp]`, is joined back with spaces);
//! - `--name` and `--name=value` are long options; `--` ends switches;
//! - every other argument, including `/tmp/x` and `-x`, is a name.

use std::ffi::{OsStr, OsString};

/// One element of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// `/X`: the character after the slash (as typed) and the argument it came from.
    Switch(char),
    /// `/A:letters` (or bare `/A:`): the text after the colon.
    Attributes(OsString),
    /// `/[body]` or `/![body]`: whether negated, and the text between the brackets (`None` if unclosed).
    Range {
        /// Written `/![…]`.
        negated: bool,
        /// The text between `[` and `]`, or `None` when no closing `]` was found.
        body: Option<OsString>,
        /// The whole range as typed, for messages.
        typed: OsString,
    },
    /// `--name` or `--name=value`.
    Long {
        /// The name after the dashes (lossy UTF-8).
        name: String,
        /// The value after `=`, if any.
        value: Option<OsString>,
    },
    /// Anything else.
    Name(OsString),
}

/// Which switch forms a syntax reads.
#[derive(Debug, Clone, Copy)]
pub struct Syntax {
    /// The one-letter switches (upper case) that may be written together, as in `/D/J`.
    pub letters: &'static str,
    /// Whether `/A:` and the `/[…]` ranges are read (TCC).
    pub tcc: bool,
}

/// Reads tokens from an argument list.
pub struct Reader<I> {
    args: I,
    syntax: Syntax,
    names_only: bool,
    pending: std::vec::IntoIter<Token>,
}

impl<I: Iterator<Item = OsString>> Reader<I> {
    /// A reader over `args` (without the program name).
    pub fn new(args: I, syntax: Syntax) -> Self {
        Reader { args, syntax, names_only: false, pending: Vec::new().into_iter() }
    }

    /// Whether `--` has been read: every name from here on was written as a name on purpose (a name `-s` after
    /// `--` is never an option or an `ln` habit).
    pub fn past_double_dash(&self) -> bool {
        self.names_only
    }

    fn classify(&mut self, arg: OsString) -> Option<Token> {
        let bytes = arg.as_encoded_bytes();
        if self.names_only {
            return Some(Token::Name(arg));
        }
        if bytes == b"--" {
            self.names_only = true;
            return None;
        }
        if let Some(long) = bytes.strip_prefix(b"--") {
            let (name, value) = match long.iter().position(|&b| b == b'=') {
                Some(eq) => (&long[..eq], Some(os_from_tail(&arg, eq + 3))),
                None => (long, None),
            };
            return Some(Token::Long { name: String::from_utf8_lossy(name).into_owned(), value });
        }
        let Some(rest) = bytes.strip_prefix(b"/") else {
            return Some(Token::Name(arg));
        };
        if let Some(ch) = single_char(rest) {
            return Some(Token::Switch(ch));
        }
        if self.syntax.tcc {
            if let Some(letters) = rest.strip_prefix(b"A:").or_else(|| rest.strip_prefix(b"a:")) {
                let _ = letters;
                return Some(Token::Attributes(os_from_tail(&arg, 3)));
            }
            if rest.starts_with(b"[") || rest.starts_with(b"![") {
                return Some(self.range(arg));
            }
        }
        let run: Vec<char> = rest.split(|&b| b == b'/').filter_map(single_char).collect();
        let pieces = rest.split(|&b| b == b'/').count();
        if run.len() == pieces && run.iter().all(|c| self.syntax.letters.contains(c.to_ascii_uppercase())) {
            let tokens: Vec<Token> = run.into_iter().map(Token::Switch).collect();
            self.pending = tokens.into_iter();
            return self.pending.next();
        }
        Some(Token::Name(arg))
    }

    /// Reads a range, joining following arguments with spaces until one closes it.
    fn range(&mut self, first: OsString) -> Token {
        let mut typed = first;
        while !typed.as_encoded_bytes().ends_with(b"]") {
            match self.args.next() {
                Some(more) => {
                    typed.push(" ");
                    typed.push(more);
                }
                None => break,
            }
        }
        let bytes = typed.as_encoded_bytes();
        let negated = bytes.starts_with(b"/!");
        let open = if negated { 3 } else { 2 };
        let body = bytes.ends_with(b"]").then(|| os_slice(&typed, open, bytes.len() - 1));
        Token::Range { negated, body, typed }
    }
}

impl<I: Iterator<Item = OsString>> Iterator for Reader<I> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if let Some(token) = self.pending.next() {
            return Some(token);
        }
        loop {
            let arg = self.args.next()?;
            if let Some(token) = self.classify(arg) {
                return Some(token);
            }
        }
    }
}

/// The one character `bytes` spells, if it spells exactly one.
fn single_char(bytes: &[u8]) -> Option<char> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut chars = text.chars();
    let ch = chars.next()?;
    chars.next().is_none().then_some(ch)
}

/// The part of `arg` from byte `start` on. Split points always sit next to ASCII bytes.
fn os_from_tail(arg: &OsStr, start: usize) -> OsString {
    os_slice(arg, start, arg.len())
}

fn os_slice(arg: &OsStr, start: usize, end: usize) -> OsString {
    let bytes = arg.as_encoded_bytes();
    let start = start.min(bytes.len());
    let end = end.clamp(start, bytes.len());
    crate::platform::os_string_from_bytes(bytes[start..end].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MKLINK: Syntax = Syntax { letters: "DHJ", tcc: false };
    const MKLNK: Syntax = Syntax { letters: "DQ", tcc: true };

    fn tokens(syntax: Syntax, args: &[&str]) -> Vec<Token> {
        Reader::new(args.iter().map(OsString::from), syntax).collect()
    }

    fn name(s: &str) -> Token {
        Token::Name(s.into())
    }

    #[test]
    fn slash_and_one_character_is_a_switch() {
        assert_eq!(
            tokens(MKLINK, &["/d", "/Z", "/?"]),
            vec![Token::Switch('d'), Token::Switch('Z'), Token::Switch('?')]
        );
    }

    #[test]
    fn a_run_of_known_switches_is_split() {
        assert_eq!(tokens(MKLINK, &["/D/J"]), vec![Token::Switch('D'), Token::Switch('J')]);
        assert_eq!(tokens(MKLINK, &["/d/h"]), vec![Token::Switch('d'), Token::Switch('h')]);
    }

    #[test]
    fn other_slash_words_are_names() {
        assert_eq!(
            tokens(MKLINK, &["/tmp/x", "/data", "/D/X", "/"]),
            vec![name("/tmp/x"), name("/data"), name("/D/X"), name("/")]
        );
    }

    #[test]
    fn double_dash_ends_switches() {
        assert_eq!(tokens(MKLINK, &["--", "/D", "--dir"]), vec![name("/D"), name("--dir")]);
    }

    #[test]
    fn long_options_take_values() {
        assert_eq!(
            tokens(MKLINK, &["--dir", "--x=1"]),
            vec![
                Token::Long { name: "dir".into(), value: None },
                Token::Long { name: "x".into(), value: Some("1".into()) }
            ]
        );
    }

    #[test]
    fn tcc_reads_attributes_and_ranges() {
        assert_eq!(
            tokens(MKLNK, &["/A:-h", "/a:", "/A"]),
            vec![Token::Attributes("-h".into()), Token::Attributes("".into()), Token::Switch('A')]
        );
        assert_eq!(
            tokens(MKLNK, &["/[s1k,2k]", "/![d-7]"]),
            vec![
                Token::Range { negated: false, body: Some("s1k,2k".into()), typed: "/[s1k,2k]".into() },
                Token::Range { negated: true, body: Some("d-7".into()), typed: "/![d-7]".into() },
            ]
        );
    }

    #[test]
    fn a_range_split_by_the_shell_is_joined() {
        assert_eq!(
            tokens(MKLNK, &["/[!*.bak", "*.tmp]", "x"]),
            vec![
                Token::Range { negated: false, body: Some("!*.bak *.tmp".into()), typed: "/[!*.bak *.tmp]".into() },
                name("x")
            ]
        );
    }

    #[test]
    fn an_unclosed_range_has_no_body() {
        assert_eq!(tokens(MKLNK, &["/[s1k"]), vec![Token::Range { negated: false, body: None, typed: "/[s1k".into() }]);
    }

    #[test]
    fn mklink_does_not_read_tcc_forms() {
        assert_eq!(tokens(MKLINK, &["/A:h", "/[s1]"]), vec![name("/A:h"), name("/[s1]")]);
    }
}

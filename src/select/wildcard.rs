//! Extended wildcards of the DOS / TCC dialect, matched against one raw file name.
//!
//! This module owns the pattern grammar (`*`, `?`, `[set]`, `[!set]`, `[?]`, `[]`) and the matcher. It works on
//! bytes (a Unix name is not necessarily UTF-8) and never touches the file system.
//!
//! Decisions (the spec leaves them open; the 4OS2 `wild_cmp` quirks are not copied where they contradict the help):
//! * A "character" is one UTF-8 encoded scalar; a byte that is not part of valid UTF-8 counts as one character.
//!   Case folding (when asked for) is ASCII only.
//! * `?` matches exactly one character, any character including `.`. A run of `?` that ends the pattern or is
//!   followed by a `.` is "trailing": each of those `?` matches one character or nothing (`file?.txt` matches
//!   `file.txt` and `file7.txt`, not `file10.txt`).
//! * A `.` in the pattern matches a `.`, or the end of a name that has no dot at all: so `*.*`, `x.*`, `*.` and
//!   `file.???` also match dot-less names, and `*.` matches only dot-less names.
//! * `[abc]`, `[a-f]` need one character from the set; `[!abc]` one character not in it (a character must be
//!   present). A `-` first or last in a set is literal; a reversed range (`[z-a]`) matches no character.
//! * `[?]` and `[!]` match any one character, which must be present; `[]` and `[!?]` match only "no character
//!   here" (zero characters), so `letter[].doc` matches only `letter.doc`. Any set holding `?` acts like `[?]`,
//!   or like `[!?]` when negated.
//! * A `[` without a closing `]` is a literal `[`. `[;]` is a set holding `;`, i.e. a literal `;`.
//! * Double quotes in the pattern are ignored.
//! * The names `.` and `..` are matched as if they were empty, so only patterns that can match nothing
//!   (`*`, `*.*`, …) select them.
//!
//! The matcher simulates the pattern as a small automaton over the name: time is O(name × pattern) and there is no
//! backtracking, so hostile patterns (`*a*a*a*…b`) stay cheap.

use super::error::SelectError;

/// First unit value used for bytes that are not valid UTF-8 (beyond every `char`).
const RAW_BYTE_BASE: u32 = 0x11_0000;

/// The unit value of `.`.
const DOT: u32 = b'.' as u32;

/// One element of a set: a single character or an inclusive range.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SetItem {
    One(u32),
    Span(u32, u32),
}

/// One compiled element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A literal character other than `.`.
    Lit(u32),
    /// A literal `.`; also matches the end of a dot-less name.
    Dot,
    /// Exactly one character, any.
    Any,
    /// One character or nothing (a trailing `?`).
    OptAny,
    /// Any run of characters.
    Star,
    /// Zero characters (`[]`, `[!?]`).
    Nothing,
    /// One character in (or, negated, not in) the set.
    Set { negated: bool, items: Vec<SetItem> },
}

/// A parsed wildcard pattern for one final name component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    tokens: Vec<Token>,
    text: Vec<u8>,
    wild: bool,
    /// `*` or `*.*`: every name matches, and a batch over a large directory need not run the automaton.
    everything: bool,
    case_insensitive: bool,
}

/// Splits bytes into characters: valid UTF-8 scalars, and single invalid bytes mapped above `char::MAX`.
fn units(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.utf8_chunks().flat_map(|chunk| {
        let valid = chunk.valid().chars().map(u32::from);
        valid.chain(chunk.invalid().iter().map(|&b| RAW_BYTE_BASE + u32::from(b)))
    })
}

/// States of the automaton held on the stack up to this many tokens (longer patterns allocate).
const STACK_STATES: usize = 64;

/// ASCII-only case folding of one unit.
fn fold(u: u32) -> u32 {
    match u8::try_from(u) {
        Ok(b) if b.is_ascii_uppercase() => u32::from(b.to_ascii_lowercase()),
        _ => u,
    }
}

/// ASCII-only swap of case, for range tests (`[a-f]` against `C`).
fn other_case(u: u32) -> u32 {
    match u8::try_from(u) {
        Ok(b) if b.is_ascii_uppercase() => u32::from(b.to_ascii_lowercase()),
        Ok(b) if b.is_ascii_lowercase() => u32::from(b.to_ascii_uppercase()),
        _ => u,
    }
}

/// Compiles the inside of `[...]` (without the brackets).
fn compile_set(inner: &[u32]) -> Token {
    let (negated, body) = match inner.split_first() {
        Some((&b, rest)) if b == u32::from(b'!') => (true, rest),
        _ => (false, inner),
    };
    let has_any = body.contains(&u32::from(b'?'));
    match (body.is_empty() || has_any, negated, has_any) {
        (true, false, false) => return Token::Nothing, // []
        (true, true, false) => return Token::Any,      // [!]
        (true, false, true) => return Token::Any,      // [?], [a?]
        (true, true, true) => return Token::Nothing,   // [!?]
        _ => {}
    }
    let mut items = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        if i + 2 < body.len() && body[i + 1] == u32::from(b'-') {
            items.push(SetItem::Span(c, body[i + 2]));
            i += 3;
        } else {
            items.push(SetItem::One(c));
            i += 1;
        }
    }
    Token::Set { negated, items }
}

impl Pattern {
    /// Parses a pattern (one name, no directory part). Matching is case-sensitive until
    /// [`with_case_insensitive`](Self::with_case_insensitive) says otherwise.
    ///
    /// Fails only for an empty pattern (after quotes are removed).
    pub fn parse(text: &[u8]) -> Result<Self, SelectError> {
        let text: Vec<u8> = text.iter().copied().filter(|&b| b != b'"').collect();
        if text.is_empty() {
            return Err(SelectError::EmptyPattern);
        }
        let u: Vec<u32> = units(&text).collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < u.len() {
            let c = u[i];
            i += 1;
            let token = match u8::try_from(c) {
                Ok(b'*') => {
                    if tokens.last() == Some(&Token::Star) {
                        continue;
                    }
                    Token::Star
                }
                Ok(b'?') => Token::OptAny, // made `Any` below unless trailing
                Ok(b'.') => Token::Dot,
                Ok(b'[') => match u[i..].iter().position(|&x| x == u32::from(b']')) {
                    Some(len) => {
                        let token = compile_set(&u[i..i + len]);
                        i += len + 1;
                        token
                    }
                    None => Token::Lit(c),
                },
                _ => Token::Lit(c),
            };
            tokens.push(token);
        }
        // A run of bare `?` that ends the pattern or stands before a `.` may match nothing; any other
        // bare `?` needs a character.
        let mut trailing = true;
        for token in tokens.iter_mut().rev() {
            match token {
                Token::Dot => trailing = true,
                Token::OptAny if !trailing => *token = Token::Any,
                Token::OptAny => {}
                _ => trailing = false,
            }
        }
        let wild = tokens.iter().any(|t| !matches!(t, Token::Lit(_) | Token::Dot));
        let everything = matches!(tokens.as_slice(), [Token::Star] | [Token::Star, Token::Dot, Token::Star]);
        Ok(Self { tokens, text, wild, everything, case_insensitive: false })
    }

    /// Returns the pattern with case-insensitive (ASCII) matching switched on or off.
    #[must_use]
    pub fn with_case_insensitive(mut self, yes: bool) -> Self {
        self.case_insensitive = yes;
        self
    }

    /// Whether matching ignores ASCII case.
    pub fn is_case_insensitive(&self) -> bool {
        self.case_insensitive
    }

    /// Whether the pattern holds any wildcard (`*`, `?`, or a `[…]` set).
    pub fn has_wildcards(&self) -> bool {
        self.wild
    }

    /// The plain name when the pattern has no wildcards (quotes removed), else `None`.
    pub fn literal(&self) -> Option<&[u8]> {
        (!self.wild).then_some(self.text.as_slice())
    }

    /// The pattern text as parsed, quotes removed.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// Whether one character `c` is accepted by a consuming token.
    fn accepts(&self, token: &Token, c: u32) -> bool {
        let ci = self.case_insensitive;
        match token {
            Token::Lit(l) => *l == c || (ci && fold(*l) == fold(c)),
            Token::Dot => c == DOT,
            Token::Any | Token::OptAny => true,
            Token::Star | Token::Nothing => false,
            Token::Set { negated, items } => {
                let hit = items.iter().any(|item| match *item {
                    SetItem::One(x) => x == c || (ci && fold(x) == fold(c)),
                    SetItem::Span(lo, hi) => (lo..=hi).contains(&c) || (ci && (lo..=hi).contains(&other_case(c))),
                });
                hit != *negated
            }
        }
    }

    /// Follows the transitions that consume nothing. `at_end_dotless` enables the `.`-matches-end rule.
    fn close(&self, states: &mut [bool], at_end_dotless: bool) {
        for (i, token) in self.tokens.iter().enumerate() {
            let skippable = match token {
                Token::Star | Token::OptAny | Token::Nothing => true,
                Token::Dot => at_end_dotless,
                _ => false,
            };
            if skippable && states[i] {
                states[i + 1] = true;
            }
        }
    }

    /// Whether the name (one component, raw bytes) matches the pattern.
    pub fn matches(&self, name: &[u8]) -> bool {
        if self.everything {
            return true;
        }
        let name: &[u8] = if name == b"." || name == b".." { b"" } else { name };
        let count = units(name).count();
        let dotless = !name.contains(&b'.');
        let n = self.tokens.len();
        // No allocation per name for the usual short patterns: a batch matches every entry of a directory.
        let (mut cur_stack, mut next_stack) = ([false; STACK_STATES], [false; STACK_STATES]);
        let (mut cur_heap, mut next_heap) = (Vec::new(), Vec::new());
        let (mut cur, mut next): (&mut [bool], &mut [bool]) = if n < STACK_STATES {
            (&mut cur_stack[..=n], &mut next_stack[..=n])
        } else {
            cur_heap.resize(n + 1, false);
            next_heap.resize(n + 1, false);
            (&mut cur_heap, &mut next_heap)
        };
        cur[0] = true;
        self.close(cur, count == 0 && dotless);
        for (pos, c) in units(name).enumerate() {
            next.iter_mut().for_each(|s| *s = false);
            let mut alive = false;
            for (i, token) in self.tokens.iter().enumerate() {
                if !cur[i] {
                    continue;
                }
                if *token == Token::Star {
                    next[i] = true;
                    alive = true;
                } else if self.accepts(token, c) {
                    next[i + 1] = true;
                    alive = true;
                }
            }
            if !alive {
                return false;
            }
            self.close(next, pos + 1 == count && dotless);
            std::mem::swap(&mut cur, &mut next);
        }
        cur[n]
    }
}

#[cfg(test)]
mod shortcut_tests {
    use super::Pattern;

    const NAMES: [&[u8]; 9] = [b"", b"a", b"a.b", b".hidden", b"dotless", b"x.", b"a.b.c", b"\xff\xfe", b"name\n.txt"];

    /// `*` and `*.*` answer without the automaton; the automaton must agree on every kind of name.
    #[test]
    fn match_everything_shortcut_agrees_with_the_automaton() {
        for text in ["*", "*.*", "**", "**.**"] {
            let fast = Pattern::parse(text.as_bytes()).unwrap();
            assert!(fast.everything, "{text}");
            let slow = Pattern { everything: false, ..fast.clone() };
            for name in NAMES {
                assert!(slow.matches(name), "{text} {name:?}");
                assert!(fast.matches(name), "{text} {name:?}");
            }
        }
        assert!(!Pattern::parse(b"*.").unwrap().everything);
        assert!(!Pattern::parse(b"*a").unwrap().everything);
    }

    /// Patterns longer than the states kept on the stack match the same way.
    #[test]
    fn long_patterns_match_as_short_ones_do() {
        let long = format!("{}*z", "?".repeat(70));
        let pattern = Pattern::parse(long.as_bytes()).unwrap();
        assert!(pattern.tokens.len() >= super::STACK_STATES);
        assert!(pattern.matches(format!("{}z", "a".repeat(70)).as_bytes()));
        assert!(pattern.matches(format!("{}bbbz", "a".repeat(70)).as_bytes()));
        assert!(!pattern.matches(format!("{}z", "a".repeat(69)).as_bytes()));
        assert!(!pattern.matches(format!("{}y", "a".repeat(75)).as_bytes()));
    }
}

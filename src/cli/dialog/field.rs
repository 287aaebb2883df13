//! One editable line of text in the form: the characters, the cursor, and the original bytes of a pre-filled
//! name that is not valid UTF-8 (kept as they were until the user edits the field, so such a name reaches the
//! command unchanged).

use std::ffi::{OsStr, OsString};

/// A single-line text field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    text: String,
    /// The cursor as a character index, `0..=len`.
    cursor: usize,
    /// The pre-filled value when it is not UTF-8; dropped on the first edit.
    raw: Option<OsString>,
}

impl TextField {
    /// A field holding `value`, with the cursor at its end.
    pub fn new(value: &OsStr) -> Self {
        let (text, raw) = match value.to_str() {
            Some(text) => (text.to_owned(), None),
            None => (value.to_string_lossy().into_owned(), Some(value.to_owned())),
        };
        let cursor = text.chars().count();
        Self { text, cursor, raw }
    }

    /// The text as shown (a non-UTF-8 name shows with replacement characters).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor position in characters.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether the field holds nothing.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.raw.is_none()
    }

    /// The value that goes on the command line.
    pub fn value(&self) -> OsString {
        self.raw.clone().unwrap_or_else(|| OsString::from(&self.text))
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text.char_indices().nth(chars).map_or(self.text.len(), |(i, _)| i)
    }

    /// Types `c` at the cursor.
    pub fn insert(&mut self, c: char) {
        self.raw = None;
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Removes the character before the cursor.
    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.delete();
        }
    }

    /// Removes the character under the cursor.
    pub fn delete(&mut self) {
        let at = self.byte_at(self.cursor);
        if at < self.text.len() {
            self.raw = None;
            self.text.remove(at);
        }
    }

    /// Moves the cursor one character left.
    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    /// Moves the cursor one character right.
    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    /// Moves the cursor to the start.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Moves the cursor past the end.
    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_and_deleting_follow_the_cursor() {
        let mut f = TextField::new(OsStr::new("ac"));
        f.left();
        f.insert('b');
        assert_eq!((f.text(), f.cursor()), ("abc", 2));
        f.backspace();
        assert_eq!(f.text(), "ac");
        f.home();
        f.delete();
        assert_eq!((f.text(), f.cursor()), ("c", 0));
        f.end();
        f.right();
        assert_eq!(f.cursor(), 1);
    }

    #[test]
    fn multibyte_characters_are_one_step() {
        let mut f = TextField::new(OsStr::new("zé"));
        f.backspace();
        f.insert('ü');
        assert_eq!(f.value(), "zü");
    }

    #[test]
    fn a_non_utf8_name_is_kept_until_edited() {
        let name = crate::platform::sample_non_unicode_name();
        let mut f = TextField::new(&name);
        assert_eq!(f.value(), name);
        f.home();
        assert_eq!(f.value(), name, "moving the cursor is not an edit");
        f.insert('x');
        assert!(f.value().to_str().is_some_and(|v| v.starts_with("xcaf")));
    }
}

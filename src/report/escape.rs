//! How a name is shown in text: the one place that decides it, so listings, success lines, queries, `--verbose`
//! lines, `--siblings`, errors and warnings all agree.
//!
//! A name made only of printable text is shown as it is. Any other name is shown in the shell's ANSI-C quoting,
//! `$'…'`, the form GNU `ls` uses on a terminal: control characters (C0, DEL and C1) and bytes that are not UTF-8
//! become `\xHH` (lower-case hex; `\t`, `\n` and `\r` by their letters), and a backslash or a quote inside becomes
//! `\\` or `\'`. A name that itself begins with `$'` is quoted too. So one printed form belongs to one name only:
//! the byte 0xFF shows as `$'\xff'` and the four characters `\xFF` as `\xFF`, and a newline in a name never
//! starts a new output line. The quoted form can be pasted into a POSIX shell (`bash`, `zsh`, `ksh`) as is.
//!
//! The same form is used on a terminal and in a pipe; `mklink /L --print0` gives raw names for scripts.

use std::ffi::OsStr;
use std::fmt::Write as _;

/// Whether `ch` must never reach the output raw.
fn is_control(ch: char) -> bool {
    ch.is_control()
}

/// Whether `name` is shown as it is.
fn is_plain(bytes: &[u8]) -> bool {
    !bytes.starts_with(b"$'") && std::str::from_utf8(bytes).is_ok_and(|text| !text.chars().any(is_control))
}

/// The `$'…'` form of `bytes`.
fn ansi_c(bytes: &[u8], out: &mut String) {
    out.push_str("$'");
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            match ch {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                ch if is_control(ch) => {
                    let mut utf8 = [0; 4];
                    for byte in ch.encode_utf8(&mut utf8).bytes() {
                        let _ = write!(out, "\\x{byte:02x}");
                    }
                }
                ch => out.push(ch),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out.push('\'');
}

/// Whether `name` is shown as it is (printable UTF-8 text not starting with `$'`), not in its `$'…'` form.
pub fn is_shown_plain(name: &OsStr) -> bool {
    is_plain(name.as_encoded_bytes())
}

/// The characters of an edited line of text as the dialog shows them, each control character as `\xHH`, and
/// where the cursor (a character index into `text`) falls among them.
pub fn field_view(text: &str, cursor: usize) -> (Vec<char>, usize) {
    let mut shown = Vec::with_capacity(text.len());
    let mut shown_cursor = None;
    for (i, ch) in text.chars().enumerate() {
        if i == cursor {
            shown_cursor = Some(shown.len());
        }
        if is_control(ch) {
            let mut utf8 = [0; 4];
            for byte in ch.encode_utf8(&mut utf8).bytes() {
                shown.extend(format!("\\x{byte:02x}").chars());
            }
        } else {
            shown.push(ch);
        }
    }
    let cursor = shown_cursor.unwrap_or(shown.len());
    (shown, cursor)
}

/// A name as shown in line-oriented text: itself when it is printable text, its `$'…'` form otherwise.
pub fn display(name: &OsStr) -> String {
    let mut out = String::with_capacity(name.len());
    write_display(name, &mut out);
    out
}

/// Appends [`display`]'s form of `name` to `out`.
pub fn write_display(name: &OsStr, out: &mut String) {
    let bytes = name.as_encoded_bytes();
    if is_plain(bytes) {
        // `is_plain` proved the bytes are UTF-8.
        out.push_str(&String::from_utf8_lossy(bytes));
    } else {
        ansi_c(bytes, out);
    }
}

/// Appends [`display`]'s form of `name` to a byte buffer (a listing line).
pub fn push_display(name: &OsStr, out: &mut Vec<u8>) {
    let bytes = name.as_encoded_bytes();
    if is_plain(bytes) {
        out.extend_from_slice(bytes);
    } else {
        let mut text = String::new();
        ansi_c(bytes, &mut text);
        out.extend_from_slice(text.as_bytes());
    }
}

/// A name inside a message: in double quotes when it is printable text without a double quote, else its `$'…'`
/// form (which marks itself).
pub fn quote(name: &OsStr) -> String {
    let bytes = name.as_encoded_bytes();
    if is_plain(bytes) && !bytes.contains(&b'"') {
        format!("\"{}\"", String::from_utf8_lossy(bytes))
    } else {
        let mut out = String::new();
        ansi_c(bytes, &mut out);
        out
    }
}

/// Free text for stderr (an OS message, a usage message quoting what was typed): control characters become
/// `\xHH`, bytes are already text. Used where the text is not a single name.
pub fn text(message: &str) -> String {
    if !message.chars().any(|c| is_control(c) && c != '\n') {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len());
    for ch in message.chars() {
        if is_control(ch) && ch != '\n' {
            let mut utf8 = [0; 4];
            for byte in ch.encode_utf8(&mut utf8).bytes() {
                let _ = write!(out, "\\x{byte:02x}");
            }
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(bytes: &[u8]) -> std::ffi::OsString {
        crate::platform::os_string_from_bytes(bytes.to_vec())
    }

    #[test]
    fn printable_names_are_shown_as_they_are() {
        for name in ["notes.txt", "my file", "ünïcode ✓", r"C:\data\x", "it's", "a$'b"] {
            assert_eq!(display(OsStr::new(name)), name);
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(display(OsStr::new("a\nb")), r"$'a\nb'");
        assert_eq!(display(OsStr::new("\x1b]0;title\x07")), r"$'\x1b]0;title\x07'");
        assert_eq!(display(OsStr::new("cr\r\ttab\x7f")), r"$'cr\r\ttab\x7f'");
        assert_eq!(display(OsStr::new("c1\u{9b}")), r"$'c1\xc2\x9b'");
    }

    #[test]
    fn a_byte_and_its_escape_text_print_differently() {
        let byte = display(&os(b"a\xffb"));
        let text = display(OsStr::new(r"a\xffb"));
        assert_eq!(byte, r"$'a\xffb'");
        assert_eq!(text, r"a\xffb");
        assert_ne!(quote(&os(b"\xff")), quote(OsStr::new(r"\xff")));
        assert_ne!(quote(&os(b"\xff")), quote(OsStr::new(r"\xFF")));
    }

    #[test]
    fn backslashes_and_quotes_inside_the_quoted_form_are_escaped() {
        assert_eq!(display(&os(b"it's\\\xff")), r"$'it\'s\\\xff'");
        // A name that looks like the quoted form is quoted itself.
        assert_eq!(display(OsStr::new("$'x'")), r"$'$\'x\''");
    }

    #[test]
    fn messages_quote_names_unambiguously() {
        assert_eq!(quote(OsStr::new("a b")), "\"a b\"");
        assert_eq!(quote(OsStr::new("say \"hi\"")), r#"$'say "hi"'"#);
        assert_eq!(quote(OsStr::new("x\ny")), r"$'x\ny'");
    }

    #[test]
    fn byte_lines_match_text() {
        let mut line = Vec::new();
        push_display(&os(b"\x1b[2J"), &mut line);
        assert_eq!(line, br"$'\x1b[2J'");
        assert!(!line.contains(&0x1b));
    }

    #[test]
    fn the_dialog_shows_control_characters_escaped_and_keeps_the_cursor_on_its_character() {
        let (shown, cursor) = field_view("a\x1bb", 2);
        assert_eq!(shown.iter().collect::<String>(), r"a\x1bb");
        assert_eq!(shown[cursor], 'b');
        assert_eq!(field_view("a\nb", 3).1, 6);
        assert_eq!(field_view("", 0), (Vec::new(), 0));
    }

    #[test]
    fn free_text_keeps_newlines_and_escapes_the_rest() {
        assert_eq!(text("one\ntwo"), "one\ntwo");
        assert_eq!(text("bell\x07"), r"bell\x07");
    }
}

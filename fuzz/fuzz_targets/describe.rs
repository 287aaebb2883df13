//! The `DESCRIPT.ION` reader and editor: any file contents and any name are read and edited without a panic, and
//! the edits keep their promises (a set entry reads back, every other line is kept byte for byte).
//!
//! The input, cut at the first two NUL bytes: the file contents, a name, a description.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mklink::describe::{find_description, is_empty_of_entries, parse_line, remove_description, set_description};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let contents = parts.next().unwrap_or_default();
    let name = parts.next().unwrap_or_default();
    let remainder = parts.next().unwrap_or_default();

    for line in contents.split_inclusive(|&b| b == b'\n') {
        if let Some((n, rest)) = parse_line(line) {
            assert!(!n.is_empty());
            assert!(rest.len() < line.len());
        }
    }
    let _ = is_empty_of_entries(contents);
    let _ = find_description(contents, name);

    let (without, removed) = remove_description(contents, name);
    assert_eq!(removed, without != contents);
    assert!(find_description(&without, name).is_none(), "an entry survived its removal");

    if let Ok(with) = set_description(contents, name, remainder) {
        // Every line that is not the name's is kept, in order, before the new line.
        assert!(with.starts_with(&without), "other lines were changed");
        // The new entry reads back (a reader skips the separators that start a description).
        let expected =
            remainder.iter().position(|&b| !matches!(b, b' ' | b',' | b'\t')).map_or(&[][..], |i| &remainder[i..]);
        assert_eq!(find_description(&with, name).as_deref(), Some(expected), "the entry does not read back");
        let (again, removed) = remove_description(&with, name);
        assert!(removed);
        assert!(without.starts_with(&again) || again.starts_with(&without));
    }
});

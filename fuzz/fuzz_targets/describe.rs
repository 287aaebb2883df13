//! The `DESCRIPT.ION` reader and editor: any file contents and any name are read and edited without a panic, and
//! the edits keep their promises (a set entry reads back, every other line is kept byte for byte).
//!
//! The input, cut at the first two NUL bytes: the file contents, a name, a description.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mklink::describe::{
    Case, Edit, find_description, is_empty_of_entries, parse_line, remove_description, set_description,
};

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
    for case in [Case::Exact, Case::Insensitive] {
        let _ = find_description(contents, name, case);

        let (without, removed) = remove_description(contents, name, case);
        assert_eq!(removed, without != contents);
        assert!(find_description(&without, name, case).is_none(), "an entry survived its removal");

        if let Ok(with) = set_description(contents, name, remainder, case) {
            // Every line that is not the name's is kept, in order, before the new line.
            assert!(with.starts_with(&without), "other lines were changed");
            // The new entry reads back (a reader skips the separators that start a description).
            let expected =
                remainder.iter().position(|&b| !matches!(b, b' ' | b',' | b'\t')).map_or(&[][..], |i| &remainder[i..]);
            assert_eq!(find_description(&with, name, case).as_deref(), Some(expected), "the entry does not read back");
            let (again, removed) = remove_description(&with, name, case);
            assert!(removed);
            assert!(without.starts_with(&again) || again.starts_with(&without));
        }
        // The one-pass edit a batch uses gives the same bytes as the single-entry functions.
        let mut edit = Edit::new(case);
        edit.remove(name);
        assert_eq!(edit.apply(contents), without);
        if edit.set(name, remainder).is_ok() {
            assert_eq!(Ok(edit.apply(contents)), set_description(contents, name, remainder, case));
        }
    }
});

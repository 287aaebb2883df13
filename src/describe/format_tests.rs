//! The line format and the one-pass edit.

use super::format::{Case, Edit, EntryError, Index, encode_line};
use super::*;

const CASES: [Case; 2] = [Case::Exact, Case::Insensitive];

#[test]
fn parse_quoted_and_unquoted() {
    assert_eq!(
        parse_line(b"\"Letter Home.doc\" Memo to Bob\r\n"),
        Some((&b"Letter Home.doc"[..], &b"Memo to Bob"[..]))
    );
    assert_eq!(parse_line(b"FOO.TXT  ,\t Some text\n"), Some((&b"FOO.TXT"[..], &b"Some text"[..])));
    assert_eq!(parse_line(b"foo,bar baz"), Some((&b"foo"[..], &b"bar baz"[..])));
    assert_eq!(parse_line(b"\"a b\""), Some((&b"a b"[..], &b""[..])));
    assert_eq!(parse_line(b"NAME"), Some((&b"NAME"[..], &b""[..])));
    assert_eq!(parse_line(b"x desc\r\r\n"), Some((&b"x"[..], &b"desc\r"[..])));
    for bad in [&b""[..], b"\r\n", b" lead", b"\"unclosed name", b"\"\" empty", b"\x1a"] {
        assert_eq!(parse_line(bad), None, "{bad:?}");
    }
}

#[test]
fn lookup_ignores_case_only_where_the_file_system_does() {
    let data = b"other.txt x\r\n\"Letter Home.doc\" Memo\r\nREADME first\nreadme second\r\nReport r\r\n";
    let ci = Case::Insensitive;
    assert_eq!(find_description(data, b"letter home.DOC", ci), Some(b"Memo".to_vec()));
    assert_eq!(find_description(data, b"ReadMe", ci), Some(b"first".to_vec()));
    assert_eq!(find_description(data, b"Letter", ci), None);
    assert_eq!(find_description(b"last no-newline", b"LAST", ci), Some(b"no-newline".to_vec()));
    // Case-sensitive: `README` and `readme` are two files, `report` has no entry.
    assert_eq!(find_description(data, b"readme", Case::Exact), Some(b"second".to_vec()));
    assert_eq!(find_description(data, b"report", Case::Exact), None);
    assert_eq!(find_description(data, b"letter home.doc", Case::Exact), None);
}

#[test]
fn an_edit_on_a_case_sensitive_system_never_touches_another_case() {
    let data = b"Report the report\r\nother x\r\n";
    let (out, removed) = remove_description(data, b"report", Case::Exact);
    assert!(!removed);
    assert_eq!(out, data);
    let out = set_description(data, b"rEPORT", b"new", Case::Exact).unwrap();
    assert_eq!(out, b"Report the report\r\nother x\r\nrEPORT new\r\n");
    let out = set_description(data, b"rEPORT", b"new", Case::Insensitive).unwrap();
    assert_eq!(out, b"other x\r\nrEPORT new\r\n");
}

#[test]
fn quoting_rules() {
    let line = |n: &[u8]| encode_line(n, b"d").unwrap();
    assert_eq!(line(b"FOO.TXT"), b"FOO.TXT d\r\n");
    assert_eq!(line(b"readme.txt"), b"readme.txt d\r\n");
    assert_eq!(line(b"NOEXT"), b"NOEXT d\r\n");
    for quoted in [&b"a b.txt"[..], b"a=b", b"a|b", b"a<b", b"a>b", b"a,b", b"a\tb", b"readme.markdown"] {
        assert_eq!(line(quoted)[0], b'"', "{quoted:?}");
    }
    for quoted in [&b"longername.txt"[..], b"a.b.c", b".profile", b"foo.", b"caf\xe9.txt", b"\x1aZ"] {
        assert_eq!(line(quoted)[0], b'"', "{quoted:?}");
    }
    assert_eq!(encode_line(b"a\"b", b"d"), Err(EntryError::BadName));
    assert_eq!(encode_line(b"a\nb", b"d"), Err(EntryError::BadName));
    assert_eq!(encode_line(b"", b"d"), Err(EntryError::BadName));
    assert_eq!(encode_line(b"a", b"x\ny"), Err(EntryError::BadText));
}

#[test]
fn set_keeps_other_bytes_and_appends_last() {
    let ci = Case::Insensitive;
    let data = b"FOO old one\r\nkeep\xff\xfe me\nfoo old two\r\nzz.txt \x04Xdata\r\nFoO old three";
    let out = set_description(data, b"foo", b"new \x04Kkept", ci).unwrap();
    assert_eq!(out, b"keep\xff\xfe me\nzz.txt \x04Xdata\r\nfoo new \x04Kkept\r\n");
    // A last line without terminator gets CRLF before the appended line; a lone CR gets its LF.
    assert_eq!(set_description(b"a.txt x", b"b", b"y", ci).unwrap(), b"a.txt x\r\nb y\r\n");
    assert_eq!(set_description(b"a.txt x\r", b"b", b"y", ci).unwrap(), b"a.txt x\r\nb y\r\n");
    assert_eq!(set_description(b"", b"my file", b"y", ci).unwrap(), b"\"my file\" y\r\n");
    let name = b"caf\xe9 \x80.txt";
    for case in CASES {
        let out = set_description(b"", name, b"d\xff", case).unwrap();
        assert_eq!(find_description(&out, name, case), Some(b"d\xff".to_vec()));
    }
    assert_eq!(set_description(data, b"q\"", b"x", ci), Err(EntryError::BadName));
}

#[test]
fn remove_and_emptiness() {
    let data = b"a x\r\nb y\nA z";
    assert_eq!(remove_description(data, b"a", Case::Insensitive), (b"b y\n".to_vec(), true));
    assert_eq!(remove_description(data, b"a", Case::Exact), (b"b y\nA z".to_vec(), true));
    assert_eq!(remove_description(data, b"c", Case::Insensitive), (data.to_vec(), false));
    assert!(is_empty_of_entries(b""));
    assert!(is_empty_of_entries(b"\r\n  \t\n\x1a"));
    assert!(!is_empty_of_entries(b"b y\n"));
    assert!(!is_empty_of_entries(b"\"unclosed\r\n"));
}

#[test]
fn index_answers_as_a_scan_does() {
    let data = b"a first\r\nA second\r\n\"b c\" bee\r\n bad\r\nd\r\n";
    for case in CASES {
        let index = Index::new(data.to_vec(), case);
        for name in [&b"a"[..], b"A", b"b c", b"B C", b"d", b"e", b"bad"] {
            assert_eq!(index.get(name).map(<[u8]>::to_vec), find_description(data, name, case), "{name:?} {case:?}");
        }
    }
    assert_eq!(Index::new(data.to_vec(), Case::Exact).len(), 4);
    assert!(Index::empty(Case::Exact).is_empty());
}

#[test]
fn one_pass_edit_equals_the_changes_applied_in_turn() {
    let data = b"keep me\r\nA old\r\nb old\r\nc old\r\n\"d e\" old\nZ";
    let changes: [(&[u8], Option<&[u8]>); 7] = [
        (b"a", Some(b"one")),
        (b"B", None),
        (b"new", Some(b"\x04Xext")),
        (b"a", Some(b"two")),
        (b"d e", None),
        (b"c", Some(b"three")),
        (b"new", Some(b"again")),
    ];
    for case in CASES {
        let mut edit = Edit::new(case);
        let mut expected = data.to_vec();
        for (name, change) in changes {
            match change {
                Some(text) => {
                    edit.set(name, text).unwrap();
                    expected = set_description(&expected, name, text, case).unwrap();
                }
                None => {
                    edit.remove(name);
                    expected = remove_description(&expected, name, case).0;
                }
            }
        }
        assert_eq!(edit.apply(data), expected, "{case:?}");
    }
}

#[test]
fn an_edit_refuses_an_entry_it_cannot_write_and_stays_unchanged() {
    let mut edit = Edit::new(Case::Exact);
    assert_eq!(edit.set(b"a\"b", b"x"), Err(EntryError::BadName));
    assert_eq!(edit.set(b"ab", b"x\ny"), Err(EntryError::BadText));
    assert!(edit.is_empty() && !edit.sets_any());
    assert_eq!(edit.apply(b"ab old\r\n"), b"ab old\r\n");
    edit.remove(b"ab");
    assert!(!edit.is_empty() && !edit.sets_any());
    assert_eq!(edit.apply(b"ab old\r\n"), b"");
}

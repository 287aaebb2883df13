//! The form without a terminal: pre-filling, keys, the argument vector, the preview and validation.

use super::*;

fn now() -> Zoned {
    match "2024-06-15T12:00:00[UTC]".parse() {
        Ok(now) => now,
        Err(e) => panic!("{e}"),
    }
}

fn prefilled(line: &[&str]) -> Form {
    match parse(line.iter().map(OsString::from)) {
        Parsed::Run(args) => Form::from_args(&args),
        other => panic!("expected arguments, got {other:?}"),
    }
}

fn typed(form: &mut Form, text: &str) {
    for c in text.chars() {
        form.press(Key::Char(c), &now());
    }
}

fn focus_on(form: &mut Form, target: Focus) {
    for _ in 0..Focus::order().len() {
        if form.focus() == target {
            return;
        }
        form.press(Key::Next, &now());
    }
    panic!("{target:?} is not in the Tab order");
}

fn strings(args: &[OsString]) -> Vec<String> {
    args.iter().map(|a| a.to_string_lossy().into_owned()).collect()
}

#[test]
fn an_empty_form_starts_on_the_source_and_needs_one() {
    let mut form = prefilled(&[]);
    assert_eq!(form.focus(), Focus::Source);
    assert_eq!(form.preview(), "mklnk");
    assert_eq!(form.check(&now()).field(Focus::Source), Some("a source name is needed"));
    assert_eq!(form.press(Key::Enter, &now()), Action::Continue);
    assert!(form.refused);
}

#[test]
fn typed_names_become_parm1_and_parm2() {
    let mut form = prefilled(&[]);
    typed(&mut form, "data.db");
    form.press(Key::Next, &now());
    typed(&mut form, "copy.db");
    assert_eq!(form.preview(), "mklnk data.db copy.db");
    assert_eq!(form.press(Key::Enter, &now()), Action::Run(vec!["data.db".into(), "copy.db".into()]));
}

#[test]
fn the_rest_of_the_line_prefills_the_form() {
    let form = prefilled(&["/=", "/A:r-h", "*.txt", "/[s1k,2k]", "/![d-7]", "/[!*.bak]", "/[!*.tmp]", "dst"]);
    assert_eq!(form.source.text(), "*.txt");
    assert_eq!(form.new_name.text(), "dst");
    assert_eq!(form.attrs[0], Tri::Set);
    assert_eq!(form.attrs[1], Tri::Clear);
    assert!(form.attrs[2..].iter().all(|t| *t == Tri::Any));
    assert_eq!(form.ranges[2].text(), "1k,2k");
    assert_eq!((form.ranges[0].text(), form.negated[0]), ("-7", true));
    assert_eq!(form.ranges[3].text(), "*.bak *.tmp");
    assert_eq!(strings(&form.to_args()), ["/A:r-h", "/![d-7]", "/[s1k,2k]", "/[!*.bak *.tmp]", "*.txt", "dst"]);
    assert!(form.check(&now()).is_empty());
}

#[test]
fn delete_quiet_and_reporting_switches_are_kept() {
    let form = prefilled(&["/D", "/Q", "--json", "--dry-run", "old-link", "/="]);
    assert!(form.delete);
    assert_eq!(strings(&form.to_args()), ["/Q", "--json", "--dry-run", "/D", "old-link"]);
}

#[test]
fn several_sources_stay_between_parm1_and_parm2() {
    let form = prefilled(&["/=", "a", "b", "c", "dir"]);
    assert_eq!(strings(&form.to_args()), ["a", "b", "c", "dir"]);
}

#[test]
fn bare_attribute_switch_is_kept_and_can_be_turned_off() {
    let mut form = prefilled(&["/=", "/A:", "a", "d"]);
    assert_eq!(strings(&form.to_args()), ["/A:", "a", "d"]);
    focus_on(&mut form, Focus::AttrSwitch);
    form.press(Key::Char(' '), &now());
    assert_eq!(strings(&form.to_args()), ["a", "d"]);
}

#[test]
fn space_cycles_an_attribute_through_set_clear_any() {
    let mut form = prefilled(&["/=", "a", "d"]);
    focus_on(&mut form, Focus::Attr(1));
    form.press(Key::Char(' '), &now());
    assert_eq!(form.attribute_letters(), "h");
    form.press(Key::Char(' '), &now());
    assert_eq!(form.attribute_letters(), "-h");
    form.press(Key::Right, &now());
    form.press(Key::Char('+'), &now());
    assert_eq!(form.attribute_letters(), "-hs");
    form.press(Key::Left, &now());
    form.press(Key::Char(' '), &now());
    assert_eq!(form.attribute_letters(), "s");
    assert_eq!(strings(&form.to_args()), ["/A:s", "a", "d"]);
}

#[test]
fn tab_and_shift_tab_wrap_around() {
    let mut form = prefilled(&[]);
    form.press(Key::Previous, &now());
    assert_eq!(form.focus(), Focus::Range(RangeSlot::Exclude));
    form.press(Key::Next, &now());
    assert_eq!(form.focus(), Focus::Source);
    form.press(Key::Next, &now());
    form.press(Key::Next, &now());
    assert_eq!(form.focus(), Focus::Delete);
    form.press(Key::Char(' '), &now());
    assert!(form.delete);
}

#[test]
fn a_malformed_size_is_marked_on_its_field_and_enter_is_refused() {
    let mut form = prefilled(&["/=", "a", "d"]);
    focus_on(&mut form, Focus::Range(RangeSlot::Size));
    typed(&mut form, "1x");
    assert_eq!(form.preview(), "mklnk '/[s1x]' a d");
    let problems = form.check(&now());
    assert_eq!(problems.field(Focus::Range(RangeSlot::Size)), Some("invalid size \"1x\""));
    assert_eq!(form.press(Key::Enter, &now()), Action::Continue);
    assert!(form.refused);
    form.press(Key::Backspace, &now());
    assert!(!form.refused, "editing clears the refusal");
    assert_eq!(form.press(Key::Enter, &now()), Action::Run(strings_to_os(&["/[s1]", "a", "d"])));
}

fn strings_to_os(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

#[test]
fn a_bad_date_and_a_bad_time_are_marked() {
    let mut form = prefilled(&["/=", "/[d2024-13-01]", "/[t25:00]", "a", "d"]);
    let problems = form.check(&now());
    assert!(problems.field(Focus::Range(RangeSlot::Date)).is_some_and(|m| m.contains("2024-13-01")));
    assert!(problems.field(Focus::Range(RangeSlot::Time)).is_some_and(|m| m.contains("25:00")));
    assert_eq!(form.press(Key::Enter, &now()), Action::Continue);
}

#[test]
fn an_exclusion_with_a_path_is_marked() {
    let form = prefilled(&["/=", "/[!sub/x]", "a", "d"]);
    assert!(form.check(&now()).field(Focus::Range(RangeSlot::Exclude)).is_some());
}

#[test]
fn delete_with_a_range_is_refused_as_the_command_line_would_be() {
    let mut form = prefilled(&["/=", "a"]);
    focus_on(&mut form, Focus::Delete);
    form.press(Key::Char(' '), &now());
    focus_on(&mut form, Focus::Range(RangeSlot::Size));
    typed(&mut form, "1k");
    let problems = form.check(&now());
    assert!(problems.fields.is_empty());
    assert_eq!(problems.line.as_deref(), Some("The options /D and /A: or a range cannot be used together"));
    assert_eq!(form.press(Key::Enter, &now()), Action::Continue);
}

#[test]
fn include_lists_are_left_to_the_engine() {
    // A name such as `a;;b` may exist literally; only the engine can tell, so the form does not refuse it.
    let form = prefilled(&["/=", "a;;b", "d"]);
    assert_eq!(form.check(&now()).line, None);
}

#[test]
fn names_read_as_switches_go_after_a_double_dash() {
    let mut form = prefilled(&[]);
    typed(&mut form, "/D");
    form.press(Key::Next, &now());
    typed(&mut form, "--json");
    assert_eq!(strings(&form.to_args()), ["--", "/D", "--json"]);
    let plain = prefilled(&["/=", "/srv/data", "x"]);
    assert_eq!(strings(&plain.to_args()), ["/srv/data", "x"], "a path is not a switch");
}

#[test]
fn the_preview_is_quoted_for_a_shell() {
    assert_eq!(shell_quote("plain/name-1.txt"), "plain/name-1.txt");
    assert_eq!(shell_quote("my file"), "'my file'");
    assert_eq!(shell_quote("it's"), r"'it'\''s'");
    assert_eq!(shell_quote(""), "''");
    assert_eq!(shell_quote("*.txt"), "'*.txt'");
}

#[test]
fn negation_applies_only_to_a_filled_range() {
    let mut form = prefilled(&["/=", "a", "d"]);
    focus_on(&mut form, Focus::Negate(RangeSlot::Size));
    form.press(Key::Char(' '), &now());
    assert_eq!(strings(&form.to_args()), ["a", "d"]);
    form.press(Key::Previous, &now());
    typed(&mut form, "100,1000");
    assert_eq!(strings(&form.to_args()), ["/![s100,1000]", "a", "d"]);
}

#[test]
fn escape_cancels() {
    let mut form = prefilled(&["/=", "a", "d"]);
    assert_eq!(form.press(Key::Cancel, &now()), Action::Cancel);
}

#[test]
fn what_the_form_cannot_hold_is_noticed() {
    let form = prefilled(&["/=", "/A:z", "/[s1]", "/[s2]", "a", "d"]);
    assert_eq!(form.notices.len(), 2, "{:?}", form.notices);
    assert_eq!(form.ranges[2].text(), "2");
}

#[test]
fn the_preview_shows_control_characters_escaped() {
    let form = prefilled(&["/=", "evil\x1bc\nname", "copy"]);
    assert_eq!(form.preview(), r"mklnk $'evil\x1bc\nname' copy");
    assert!(!form.preview().contains('\x1b'));
}

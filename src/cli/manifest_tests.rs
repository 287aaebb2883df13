//! Tests of the completions and man pages, and of the agreement between the option tables, the parsers, the
//! help screens, the completions and the man pages.

use super::manifest::*;
use super::options::{self, Opt};
use clap::Command;

#[test]
fn completions_exist_for_every_shell() {
    for shell in SHELLS {
        let mut out = Vec::new();
        assert!(write_completions(mklink(), shell, &mut out).unwrap());
        assert!(String::from_utf8(out).unwrap().contains("mklink"));
    }
    assert!(!write_completions(mklnk(), "tcsh", &mut Vec::new()).unwrap());
}

type Parse = fn(Vec<std::ffi::OsString>) -> Option<crate::model::UsageError>;

fn refusal<T>(parsed: crate::cli::Parsed<T>) -> Option<crate::model::UsageError> {
    match parsed {
        crate::cli::Parsed::Usage(e) => Some(e),
        _ => None,
    }
}

/// One table of a command: its help screen, the words that start its command line and its parser.
struct Case {
    table: &'static [Opt],
    help: String,
    lead: &'static [&'static str],
    parse: Parse,
}

fn cases(program: &str) -> Vec<Case> {
    let (own, help, parse): (&'static [Opt], String, Parse) = match program {
        "mklink" => (options::MKLINK, crate::cli::help::mklink(), |a| refusal(crate::cli::mklink::parse(a))),
        _ => (options::MKLNK, crate::cli::help::mklnk(), |a| refusal(crate::cli::mklnk::parse(a))),
    };
    let upper = program.to_ascii_uppercase();
    vec![
        Case { table: own, help: help.clone(), lead: &["a"], parse },
        Case { table: options::RELINK, help, lead: &["--relink"], parse },
        Case {
            table: options::CLONE,
            help: crate::cli::help::clone(&upper),
            lead: &["--clone"],
            parse: |a| refusal(crate::cli::clone::parse(a)),
        },
        Case {
            table: options::TREE,
            help: crate::cli::help::tree(&upper),
            lead: &["--dedupe"],
            parse: |a| refusal(crate::cli::tree::parse(a)),
        },
    ]
}

/// A command line of `case` with `--name` (and a value it takes) after the lead.
fn line(case: &Case, opt: &Opt) -> Vec<std::ffi::OsString> {
    let mut argv: Vec<std::ffi::OsString> = case.lead.iter().map(Into::into).collect();
    argv.push(format!("--{}", opt.long()).into());
    match (opt.value, opt.choices.first()) {
        (_, Some(first)) => argv.push(first.into()),
        (Some(_), None) if opt.name == crate::model::OptionName::Completions => argv.push("bash".into()),
        (Some(_), None) => argv.push("v".into()),
        (None, None) => {}
    }
    argv.extend(["b".into(), "c".into()]);
    argv
}

/// Every long option (`--name`, at least one letter after the dashes) written in `text`.
fn long_options(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("--") {
        if at > 0 && text.as_bytes()[at - 1] == b'-' {
            continue;
        }
        let name: String =
            text[at + 2..].chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-').collect();
        if name.starts_with(|c: char| c.is_ascii_lowercase()) {
            found.push(name.trim_end_matches('-').to_string());
        }
    }
    found
}

fn generated(command: &Command, shell: &str) -> String {
    let mut out = Vec::new();
    write_completions(command.clone(), shell, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Each option of each table is accepted by that table's parser (and refused as unknown by the other
/// parsers whose table lacks it), has its line on the help screen, is offered by the bash, zsh and fish
/// completions and is described in the man page; and every option those texts name is in the tables.
#[test]
fn the_option_tables_parser_help_completions_and_man_pages_agree() {
    use crate::model::{UsageError, ValueProblem};
    for (program, command) in [("mklink", mklink()), ("mklnk", mklnk())] {
        let (bash, zsh, fish) = (generated(&command, "bash"), generated(&command, "zsh"), generated(&command, "fish"));
        let mut man = Vec::new();
        write_man_page(command, &mut man).unwrap();
        let man = String::from_utf8(man).unwrap();
        let own = if program == "mklink" { options::MKLINK } else { options::MKLNK };
        let everything = options::everything(own);
        for case in cases(program) {
            for (opt, _) in &everything {
                let long = opt.long();
                let refused = (case.parse)(line(&case, opt));
                let unknown = matches!(refused, Some(UsageError::UnknownOption { .. }));
                let bad_value = matches!(refused, Some(UsageError::BadValue { problem, .. }) if problem != ValueProblem::NotOneOf(&["bash"]));
                let listed = case.table.iter().any(|o| o.name == opt.name);
                assert_eq!(listed, !unknown && !bad_value, "{program} {:?} --{long}: {refused:?}", case.lead);
            }
            for opt in case.table {
                let long = opt.long();
                assert!(case.help.contains(&format!("--{long}")), "{program}: --{long} not in the help");
                assert!(bash.contains(&format!("--{long}")), "{program}: --{long} not in the bash completions");
                assert!(zsh.contains(&format!("--{long}")), "{program}: --{long} not in the zsh completions");
                assert!(fish.contains(&format!("-l {long}")), "{program}: --{long} not in the fish completions");
                assert!(man.contains(&roff(&format!("--{long}"))), "{program}: --{long} not in the man page");
                if let Some(short) = opt.short {
                    assert!(bash.contains(&format!("-{short} ")), "{program}: -{short} not in the completions");
                    let mut argv: Vec<std::ffi::OsString> = case.lead.iter().map(Into::into).collect();
                    argv.extend([format!("-{short}").into(), "b".into(), "c".into()]);
                    let refused = (case.parse)(argv);
                    assert!(
                        !matches!(refused, Some(UsageError::UnknownOption { .. })),
                        "{program} {:?} -{short}: {refused:?}",
                        case.lead
                    );
                }
            }
            for named in long_options(&case.help) {
                assert!(everything.iter().any(|(o, _)| o.long() == named), "{program} help names --{named}");
            }
        }
        let man = man.replace("\\-", "-");
        for (what, text) in [("bash", &bash), ("zsh", &zsh), ("man", &man)] {
            for named in long_options(text) {
                assert!(everything.iter().any(|(o, _)| o.long() == named), "{program} {what} names --{named}");
            }
        }
        for named in fish.split("-l ").skip(1).filter_map(|rest| rest.split_whitespace().next()) {
            assert!(everything.iter().any(|(o, _)| o.long() == named), "{program} fish names --{named}");
        }
    }
}

#[test]
fn man_pages_carry_exit_status_examples_and_the_selection_syntax() {
    for (command, extra) in [(mklink(), "mklink /L"), (mklnk(), "/[!pattern")] {
        let mut out = Vec::new();
        write_man_page(command, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(".SH \"EXIT STATUS\"") && text.contains(".SH \"EXAMPLES\""), "{text}");
        assert!(text.contains(".SH \"OPERATIONS\"") && text.contains(&roff("--snapshot SOURCE DEST")), "{text}");
        assert!(text.contains(&roff(extra)), "{extra} missing");
    }
}

#[test]
fn bash_completes_file_names_where_a_name_is_expected() {
    for command in [mklink(), mklnk()] {
        let mut out = Vec::new();
        write_completions(command, "bash", &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("[[ ${cur} == -* ]]") && !text.contains("COMP_CWORD} -eq 1"), "{text}");
        assert!(text.contains("            COMPREPLY=()\n            return 0\n            ;;\n    esac"), "{text}");
        assert!(text.contains("-o default"));
    }
}

#[test]
fn man_page_names_the_command() {
    let mut out = Vec::new();
    write_man_page(mklnk(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(".TH mklnk") && text.contains("summary"));
}

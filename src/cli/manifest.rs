//! A description of both commands' switches as `clap` commands, used only to generate shell completions
//! (`clap_complete`) and man pages (`clap_mangen`). Parsing is done by our own readers: clap cannot read cmd's
//! `/X` forms, so here the slash switches are described by their long equivalents and in the text.

use super::options::{self, Operations, Opt};
use clap::{Arg, ArgAction, Command, ValueHint};
use std::io::{self, Write};

/// The clap argument for one entry of the option tables; `families` are the operations it belongs to (none for
/// the command's own options), said in its description.
fn arg(opt: &Opt, families: &[Operations]) -> Arg {
    let mut help = match opt.classic {
        Some(classic) => format!("{} (also {classic})", opt.help.trim_end_matches('.')),
        None => opt.help.trim_end_matches('.').to_string(),
    };
    let starts = families.iter().any(|f| f.starts.contains(&opt.name));
    if !families.is_empty() && !starts {
        let with: Vec<String> = families.iter().map(Operations::names).collect();
        help.push_str(&format!(" [with {}]", with.join("; ")));
    }
    let mut arg = Arg::new(opt.long()).long(opt.long()).help(help);
    if let Some(short) = opt.short {
        arg = arg.short(short);
    }
    match opt.value {
        Some(value) => {
            let arg = arg.value_name(value).num_args(1).action(ArgAction::Set);
            match value {
                _ if opt.name == crate::model::OptionName::Completions => arg.value_parser(SHELLS),
                _ if !opt.choices.is_empty() => arg.value_parser(opt.choices.to_vec()),
                "FILE" => arg.value_hint(ValueHint::FilePath),
                "DIR" => arg.value_hint(ValueHint::DirPath),
                _ => arg,
            }
        }
        None => arg.action(ArgAction::SetTrue),
    }
}

/// A positional name: completed as a file name.
fn name(id: &'static str, help: &'static str) -> Arg {
    Arg::new(id).help(help).value_hint(ValueHint::AnyPath)
}

/// The command with every option of its own table and of the operation families both commands share.
fn command(name: &'static str, table: &'static [Opt]) -> Command {
    let command = Command::new(name)
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .args_override_self(true);
    options::everything(table).into_iter().fold(command, |command, (opt, families)| command.arg(arg(opt, &families)))
}

/// The `mklink` command as completions and the man page see it, made from [`options::MKLINK`] and the tables of
/// the shared operations.
pub fn mklink() -> Command {
    command("mklink", options::MKLINK)
        .about("Creates a symbolic link, hard link or junction (cmd MKLINK syntax: link first, target second)")
        .long_about(
            "Creates a symbolic link, hard link or directory junction, with cmd's MKLINK syntax: \
             mklink [[/D] | [/H] | [/J]] Link Target. Switches are case-insensitive and may stand anywhere: \
             /D directory symbolic link, /H hard link, /J junction (on Unix an absolute, normalised directory \
             symlink). /L [/S] [path ...] lists the links under each path, recursing with /S. A name that is \
             literally /D or starts with - is written after -- or as ./D. Names holding control characters or \
             bytes that are not UTF-8 are shown in the shell's $'...' quoting; --print0 gives them raw. \
             OPERATIONS (below) starts its own command line.",
        )
        .arg(name("link", "The new link's name (or, with /L, the paths to list)"))
        .arg(name("target", "What the link refers to"))
}

/// The `mklnk` command as completions and the man page see it, made from [`options::MKLNK`] and the tables of
/// the shared operations.
pub fn mklnk() -> Command {
    command("mklnk", options::MKLNK)
        .about("Creates, updates, shows or deletes a link (Take Command MKLNK syntax: existing first, new second)")
        .long_about(
            "Creates or updates a link with Take Command's MKLNK syntax: mklnk [/A:[[-]rhsadecijopt] ranges] \
             parm1 [parm2]. A file gets a hard link, a directory a soft link (junction); an existing soft link at \
             parm2 is retargeted atomically. mklnk parm1 shows where a link points; mklnk /D parm1 deletes a link \
             and never a file's last name; /Q prints errors only. parm1 may hold wildcards, several names and \
             include lists (a;b;*.c), filtered by /A: attributes and ranges anywhere on the line (see SELECTION). \
             /= opens the command dialog. Names holding control characters or bytes that are not UTF-8 are shown \
             in the shell's $'...' quoting. OPERATIONS (below) starts its own command line.",
        )
        .arg(name("parm1", "The existing file or directory, or the link to show or delete"))
        .arg(name("parm2", "The new link, or the directory that receives the links"))
}

/// The shells completions are made for.
pub const SHELLS: [&str; 4] = ["bash", "zsh", "fish", "powershell"];

/// Writes the completion script of `command` for `shell` (one of [`SHELLS`]); `false` for an unknown shell.
///
/// # Errors
/// A write error.
pub fn write_completions(mut command: Command, shell: &str, out: &mut dyn Write) -> io::Result<bool> {
    use clap_complete::Shell;
    let shell = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        "powershell" => Shell::PowerShell,
        _ => return Ok(false),
    };
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    if shell == Shell::Bash {
        script = bash_files_by_default(&String::from_utf8_lossy(&script)).into_bytes();
    }
    out.write_all(&script)?;
    Ok(true)
}

/// clap's bash script offers the option list wherever a word does not start with `-` (the first word too); both
/// commands take file names there. Options are offered for a word starting with `-`, file names (bash's default
/// completion, which the script registers with `-o default`) everywhere else.
fn bash_files_by_default(script: &str) -> String {
    let script = script.replace("[[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]]", "[[ ${cur} == -* ]]");
    let fallback =
        "            COMPREPLY=( $(compgen -W \"${opts}\" -- \"${cur}\") )\n            return 0\n            ;;";
    match script.rfind(fallback) {
        Some(at) => {
            let files = "            COMPREPLY=()\n            return 0\n            ;;";
            format!("{}{files}{}", &script[..at], &script[at + fallback.len()..])
        }
        None => script,
    }
}

/// Writes the man page of `command` (roff): clap's sections, then SELECTION (mklnk), EXIT STATUS and EXAMPLES.
///
/// # Errors
/// A write error.
pub fn write_man_page(command: Command, out: &mut dyn Write) -> io::Result<()> {
    let program = command.get_name().to_string();
    let man = clap_mangen::Man::new(command);
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    for (title, body) in extra_sections(&program) {
        writeln!(out, ".SH \"{title}\"")?;
        out.write_all(body.as_bytes())?;
    }
    man.render_version_section(out)
}

/// Escapes text for roff: backslashes, and a leading dot or quote that would start a request.
pub(crate) fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) { format!("\\&{escaped}") } else { escaped }
}

/// An indented paragraph with a tag (`.TP`).
fn tagged(tag: &str, text: &str) -> String {
    format!(".TP\n\\fB{}\\fR\n{}\n", roff(tag), roff(text))
}

/// The sections clap does not make.
fn extra_sections(program: &str) -> Vec<(&'static str, String)> {
    let mut sections = Vec::new();
    if program == "mklnk" {
        let mut body = String::new();
        body.push_str(&tagged(
            "/A:[[-]letters]",
            "Selects by attribute: each letter requires the attribute set, -letter requires it clear, all must \
             hold. /A: alone selects every file, hidden and system ones too (without /A:, they are left out). \
             r read-only (owner write bit clear or immutable), h hidden (name starts with a dot), s system \
             (never on Unix), a archive (unless nodump), d directory, e encrypted, c compressed, i not content \
             indexed (never on Unix), j junction or reparse point (a symlink), o offline (never on Unix), p sparse, \
             t temporary (never on Unix). Example: /A:-h-s.",
        ));
        for (tag, text) in SELECTION {
            body.push_str(&tagged(tag, text));
        }
        sections.push(("SELECTION", body));
    }
    sections.push(("OPERATIONS", operations(program)));
    let exit = match program {
        "mklink" => [
            ("0", "Every link asked for was made (or, with --dry-run, would be)."),
            ("1", "A usage error (nothing done) or the link could not be made; also a write error on stdout."),
            ("2", "A listing (/L, --siblings) met a path it could not read; the rest was listed."),
        ],
        _ => [
            ("0", "Everything asked was done."),
            ("1", "A usage error: unknown switch, wrong number of names, malformed /A: or range; nothing was done."),
            ("2", "At least one item failed (the others were done); also a write error on stdout."),
        ],
    };
    let body: String = exit.iter().map(|(code, text)| tagged(code, text)).collect();
    sections.push(("EXIT STATUS", body));
    let examples: &[(&str, &str)] = match program {
        "mklink" => MKLINK_EXAMPLES,
        _ => MKLNK_EXAMPLES,
    };
    let body: String = examples.iter().map(|(line, text)| tagged(line, text)).collect();
    sections.push(("EXAMPLES", body));
    sections
}

/// The operations both commands share, from their tables: each starting option with what it does, then the
/// options its command line takes.
fn operations(program: &str) -> String {
    let mut body = String::new();
    for family in options::OPERATIONS {
        for opt in family.options.iter().filter(|o| family.starts.contains(&o.name)) {
            // The table's line starts with the operands ("SOURCE DEST: ..."): they go into the tag.
            let (operands, text) = opt.help.split_once(": ").unwrap_or(("", opt.help));
            body.push_str(&tagged(&format!("{program} --{} {operands}", opt.long()), text));
        }
        let others: Vec<String> = family
            .options
            .iter()
            .filter(|o| !family.starts.contains(&o.name))
            .map(|o| format!("--{}", o.long()))
            .collect();
        body.push_str(&tagged(&format!("with {}", family.names()), &format!("Also {}.", others.join(", "))));
    }
    body
}

/// The range syntax of `mklnk`, for its man page.
const SELECTION: &[(&str, &str)] = &[
    (
        "/[dSTART[@time],END[@time]]",
        "Last-write date within the range, both days included. Dates are ISO (2024-01-31) or in the locale's order; \
         -n is n days before today, +n for the end is n days after the start; END omitted means now. da uses the \
         last access, dc the creation, dw the write date; u reads the dates as UTC.",
    ),
    (
        "/[tSTART,END]",
        "Time of day (hh:mm[:ss], 24-hour or with a/p) on any date; -n and +n are minutes; may wrap past midnight.",
    ),
    (
        "/[sMIN,MAX]",
        "Size in bytes, both ends included; suffixes k 1000, K 1024, m 10^6, M 2^20, g 10^9, G 2^30; +n for MAX \
         means MIN + n.",
    ),
    ("/[!pattern pattern ...]", "Leaves out names matching any of the patterns (names only, no paths)."),
    ("/![...]", "Negates a date, time or size range. Different ranges combine with AND."),
    (
        "Dates in the locale's order",
        "LC_ALL, then LC_TIME, then LANG: /[d31.12.2024] under de_DE, /[d31/12/2024] under en_GB, \
         /[d12-31-2024] under en_US and the C locale; ISO 2024-12-31 always works.",
    ),
    (
        "/C, --ignore-case",
        "Wildcards, exclusions and rename patterns ignore (ASCII) case, as names do on Windows and macOS: \
         mklnk /C 'src/*.JPG' dst takes a.jpg and B.JPG. TCC's MKLNK has no /C.",
    ),
    (
        "What a source name means",
        "Read from the disk when the command runs: a source that exists is that file, even with [ ] ? * ; in \
         its name (mklnk 'photo [1].jpg' copy.jpg); only a name that does not exist is a wildcard pattern or an \
         include list (a*.txt;b.doc). /A: and ranges filter every source, a single one too.",
    ),
    (
        "What parm2 means",
        "A directory that receives the links under their own names when it ends with a separator or is an \
         existing directory (with one directory as parm1, a soft link parm2 is updated and a real directory \
         refused). A * or ? in its last component renames each link as COPY does: '*.bak' turns a.txt into a.bak, \
         'old/*' is old/ with each source's name; two sources giving one name: the second is an error. \
         Otherwise parm2 is the new name, and more than one source is a usage error.",
    ),
];

const MKLINK_EXAMPLES: &[(&str, &str)] = &[
    ("mklink notes.txt ../docs/notes.txt", "A file symbolic link; the target is read from the link's directory."),
    ("mklink /D current releases/2024-06", "A directory symbolic link."),
    ("mklink /H backup.db data.db", "A hard link."),
    ("mklink /J work /srv/projects/work", "A junction: on Unix an absolute, normalised directory symlink."),
    ("mklink /L /S --dangling", "Lists the broken links under the current directory."),
    ("mklink /L /S -0 | xargs -0 ls -ld", "Hands every link's raw name to another command."),
];

const MKLNK_EXAMPLES: &[(&str, &str)] = &[
    ("mklnk data.db backup.db", "Hard-links backup.db to data.db."),
    ("mklnk /srv/releases/v2 current", "Points the soft link current at /srv/releases/v2, atomically."),
    ("mklnk current", "Shows where current points."),
    ("mklnk /D backup.db", "Deletes the name backup.db; data.db keeps the data."),
    ("mklnk \"/[!*.tmp]\" \"logs/*\" archive", "Hard-links every visible file of logs except *.tmp into archive."),
    ("eval \"$(mklnk --vars \"src/*\" dst)\"", "Sets _mklnk_files and _mklnk_errors in the shell."),
    ("mklnk 'photo [1].jpg' copy.jpg", "An existing name is literal, brackets and all."),
    ("mklnk '*.txt' '*.bak'", "Hard-links a.txt as a.bak, b.txt as b.bak."),
    ("mklnk a.txt 'old/*'", "Hard-links a.txt as old/a.txt."),
    ("mklnk /C 'src/*.JPG' dst", "Takes a.jpg and B.JPG on a case-sensitive system too."),
];

//! The help screens, in the shape of cmd's and TCC's: what the command does, the syntax, each switch indented 8
//! spaces with its description from column 17; then the extensions, one line per entry of the command's option
//! table ([`super::options`]), the link-rewriting options from their table, and examples. The tree copies and
//! the whole-tree operations have their own screens, made from their tables the same way.

use super::options::{self, Opt};

/// The classic part of `mklink /?`, as cmd prints it.
const MKLINK_CLASSIC: &str = "\
Creates a symbolic link.

MKLINK [[/D] | [/H] | [/J]] Link Target

        /D      Creates a directory symbolic link.  Default is a file
                symbolic link.
        /H      Creates a hard link instead of a symbolic link.
        /J      Creates a Directory Junction.
        Link    Specifies the new symbolic link name.
        Target  Specifies the path (relative or absolute) that the new link
                refers to.
";

const MKLINK_TAIL: &str = "        --      Ends switches: a name that is literally /D or -s is written
                after -- (or as ./D, ./-s).

Listing: MKLINK /L [/S] [-0] [--dangling | --escaping | --hardlinks |
                 --symlinks] [path ...]
         MKLINK --siblings [-0] FILE [TREE]
Names with control characters or bytes that are not UTF-8 are shown as $'...'
(\\n, \\t, \\r, \\xHH; \\\\ and \\' inside); -0 prints them raw, NUL-ended.

Link rewriting (first on the line; see docs/relink.md):
         MKLINK --relink OLD NEW ROOT... [--to-relative | --to-absolute]
                 [--dangling-only]
         MKLINK --move SOURCE DEST [--scan ROOT...]
         MKLINK --undo JOURNAL
         each also [--journal FILE] [--dry-run] [--json] [--quiet]
";

const MKLINK_OPERATIONS: &str = "
Tree copies, source first: MKLINK --clone SOURCE DEST
                           MKLINK --snapshot SOURCE DEST --ref PREVIOUS
(options: MKLINK --clone --help)
Whole-tree storage: MKLINK --dedupe ROOT... | --unshare PATH... | --du ROOT...
(options: MKLINK --dedupe --help)

Exit status: 0 success, 1 any failure (a listing: 2 when a path could not be read).

Examples:
        mklink notes.txt ../docs/notes.txt      file symbolic link (target read from the link's directory)
        mklink /D current releases/2024-06      directory symbolic link
        mklink /H backup.db data.db             hard link
        mklink /J work /srv/projects/work       junction (an absolute directory link on Unix)
        mklink /L /S --dangling                 broken links under the current directory
";

/// The classic part of `mklnk /?`, in TCC's shape.
const MKLNK_CLASSIC: &str = "\
Create or update a link (hard link to a file, soft link to a directory), show or delete one.

Create or update a link:   MKLNK [/A:[[-]rhsadecijopt] ranges] parm1 [parm2]
Delete a link:             MKLNK /D parm1
Show where a link points:  MKLNK parm1

        parm1   The existing file (makes a hard link) or directory (makes a
                soft link). Wildcards (* ? [a-z] [!a]), several names and
                include lists (dir/a*.txt;b.doc) make a batch into parm2.
        parm2   The new link. An existing soft link to a directory is
                updated to point at parm1; an existing directory receives
                a file under its own name.
        /A:     Selects by attribute: each letter must be set, -letter
                clear. r read-only, h hidden, s system, a archive,
                d directory, e encrypted, c compressed, i not indexed,
                j junction/symlink, o offline, p sparse, t temporary.
                /A: alone selects all files, hidden ones too.
        /D      Deletes the link parm1: a soft link, or one name of a file
                that has other names. Never deletes a file's last name.
        /Q      Quiet: prints errors only.
        /=      Opens the command dialog, pre-filled with the rest of the
                line (MKLNK with no arguments opens it too, on a terminal).
        /C      Wildcards, exclusions and rename patterns ignore case (as
                names do on Windows and macOS); also --ignore-case.

What each name means, read from the disk when the command runs:
        A source that exists is that file, even with [ ] ? * ; in its
        name. Only a name that does not exist is a wildcard pattern or an
        include list (a*.txt;b.doc). /A: and ranges filter every source,
        a single one too.
        parm2 is a directory that receives the links under their own
        names when it ends with / or is an existing directory (but with
        one directory as parm1, a soft link parm2 is updated and a real
        directory refused).
        A * or ? in parm2's last part renames each link as COPY does
        (*.bak turns a.txt into a.bak); two sources giving one name: the
        second is an error. Otherwise parm2 is the new name, and more
        than one source is a usage error.
        Dates in ranges are read in the order of the locale (LC_ALL,
        LC_TIME, LANG: 31.12.24 for de_DE, 12-31-24 for en_US); ISO
        2024-12-31 always works.

Ranges (anywhere on the line, both ends included; /![...] negates d, t, s):
        /[d2024-01-01,2024-01-31]  last write date; -7 = 7 days ago, +n after
                the start, end omitted = now; da access, dc creation, u UTC
        /[t08:00,17:30]  time of day on any date; -n/+n minutes
        /[s1k,2M]  size in bytes: k 1000, K 1024, m, M, g, G; +n = min+n
        /[!*.bak *.tmp]  leaves out names matching any pattern
";

const MKLNK_TAIL: &str = "        --      Ends switches: a name that is literally /D or -s is written
                after -- (or as ./D, ./-s).

Names with control characters or bytes that are not UTF-8 are shown as $'...'.

Link rewriting (first on the line; see docs/relink.md):
         MKLNK --relink OLD NEW ROOT... [--to-relative | --to-absolute]
                 [--dangling-only]
         MKLNK --move SOURCE DEST [--scan ROOT...]
         MKLNK --undo JOURNAL
         each also [--journal FILE] [--dry-run] [--json] [--quiet]
";

const MKLNK_OPERATIONS: &str = "
Tree copies: MKLNK --clone SOURCE DEST
             MKLNK --snapshot SOURCE DEST --ref PREVIOUS  (options: MKLNK --clone --help)
Whole-tree storage: MKLNK --dedupe ROOT... | --unshare PATH... | --du ROOT...
                    (options: MKLNK --dedupe --help)

Exit status: 0 success, 1 usage error (nothing done), 2 when any item failed.

Examples:
        mklnk data.db backup.db         hard link backup.db to data.db
        mklnk /srv/releases/v2 current  soft link current -> /srv/releases/v2 (or update it)
        mklnk current                   show where current points
        mklnk /D backup.db              delete the name backup.db, keeping data.db
        mklnk \"/[!*.tmp]\" \"logs/*\" archive  hard-link every visible file but *.tmp
        mklnk 'photo [1].jpg' copy.jpg  an existing name is taken literally
        mklnk '*.txt' '*.bak'           a.txt -> a.bak, b.txt -> b.bak
        mklnk a.txt 'old/*'             old/a.txt
        mklnk /C 'src/*.JPG' dst        a.jpg and B.JPG into dst
        mklnk /A:-h '/[d31.12.2024,+7]' 'logs/*' archive
                                        visible logs of that week (de_DE dates)
";

/// The width the extension lines are wrapped to.
const WIDTH: usize = 79;
/// Where an extension's description starts.
const DESCRIPTION_COLUMN: usize = 30;

/// How an option is written on the help screen: `-h, --help`, `--completions SHELL`, `--outer keep|drop|follow`.
pub fn label(opt: &Opt) -> String {
    let mut label = String::new();
    if let Some(short) = opt.short {
        label.push_str(&format!("-{short}, "));
    }
    label.push_str("--");
    label.push_str(opt.long());
    if !opt.choices.is_empty() {
        label.push(' ');
        label.push_str(&opt.choices.join("|"));
    } else if let Some(value) = opt.value {
        label.push(' ');
        label.push_str(value);
    }
    label
}

/// One line per option (more when a description wraps at [`WIDTH`]): the label indented 8 spaces, the
/// description from [`DESCRIPTION_COLUMN`].
fn option_lines<'a>(options: impl IntoIterator<Item = &'a Opt>) -> String {
    let mut out = String::new();
    for opt in options {
        let mut line = format!("        {}", label(opt));
        let mut text = opt.help.to_string();
        if let Some(classic) = opt.classic {
            text = format!("{} (also {classic}).", text.trim_end_matches('.'));
        }
        if line.len() + 2 > DESCRIPTION_COLUMN {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        let mut words_on_line = 0;
        for word in text.split(' ') {
            if words_on_line > 0 && line.len() + 1 + word.len() > WIDTH {
                out.push_str(&line);
                out.push('\n');
                line.clear();
                words_on_line = 0;
            }
            if words_on_line == 0 {
                line.push_str(&" ".repeat(DESCRIPTION_COLUMN.saturating_sub(line.len())));
            } else {
                line.push(' ');
            }
            line.push_str(word);
            words_on_line += 1;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The "Extensions:" block made from `table`.
fn extensions(table: &[Opt]) -> String {
    format!("\nExtensions:\n{}", option_lines(table))
}

/// The link-rewriting options a command's own table does not list already.
fn rewriting_lines(table: &[Opt]) -> String {
    option_lines(options::RELINK.iter().filter(|o| table.iter().all(|t| t.name != o.name)))
}

/// `mklink /?`.
pub fn mklink() -> String {
    let own = options::MKLINK;
    format!("{MKLINK_CLASSIC}{}{MKLINK_TAIL}{}{MKLINK_OPERATIONS}", extensions(own), rewriting_lines(own))
}

/// `mklnk /?`.
pub fn mklnk() -> String {
    let own = options::MKLNK;
    format!("{MKLNK_CLASSIC}{}{MKLNK_TAIL}{}{MKLNK_OPERATIONS}", extensions(own), rewriting_lines(own))
}

/// `--clone --help` (and `--snapshot --help`): the tree copies' own help screen; `program` is the command's
/// name as its help screens write it (`MKLNK`).
pub fn clone(program: &str) -> String {
    format!(
        "Copies a tree as hard links (--clone) or as a snapshot against earlier copies (--snapshot). The source comes
first. DEST is built beside itself under a hidden name and appears by one rename only when complete; DEST that
exists is refused.

{program} --clone SOURCE DEST [options]
{program} --snapshot SOURCE DEST --ref PREVIOUS [--ref PREVIOUS ...] [--checksum] [options]

{}
A run with any failed entry, or an interrupted one, publishes nothing and removes its partial tree.
Exit status: 0 published, 1 usage error, 2 (mklink: 1) otherwise.
",
        option_lines(options::CLONE)
    )
}

/// `--dedupe --help` (and the same for `--unshare`, `--du`): the whole-tree operations' own help screen.
pub fn tree(program: &str) -> String {
    format!(
        "Whole-tree operations (the same on mklnk and mklink), the operation first:

{program} --dedupe ROOT... [options]
{program} --unshare PATH... [options]
{program} --du ROOT... [options]

{}
--dedupe also takes the TCC selection: a ROOT may end with a wildcard or an include list (\"photos/*.jpg;*.png\"),
which selects the files of matching names anywhere below its directory; /A:[[-]rhsadecijopt] (any /A: lets
hidden and system files into a wildcard), the ranges /[d...] /[t...] /[s...] /[!...] /![...] as for mklnk,
and /C filter every file.
{program} --undo JOURNAL (as for --relink and --move) gives every merged name its own copy back.
See docs/dedupe.md.
",
        option_lines(options::TREE)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_has_its_line() {
        let cases = [
            (mklink(), options::MKLINK),
            (mklnk(), options::MKLNK),
            (mklink(), options::RELINK),
            (mklnk(), options::RELINK),
            (clone("MKLNK"), options::CLONE),
            (tree("MKLNK"), options::TREE),
        ];
        for (text, table) in cases {
            for opt in table {
                assert!(text.contains(&format!("--{}", opt.long())), "{} missing:\n{text}", opt.long());
            }
        }
    }

    #[test]
    fn extension_lines_stay_within_the_width() {
        for text in [mklink(), mklnk(), clone("MKLINK"), tree("MKLINK")] {
            for line in text.lines().filter(|l| l.starts_with("        --") || l.starts_with("        -")) {
                assert!(line.chars().count() <= WIDTH, "too long: {line}");
            }
        }
    }

    #[test]
    fn the_classic_part_keeps_cmds_shape() {
        assert!(mklink().starts_with("Creates a symbolic link.\n\nMKLINK [[/D] | [/H] | [/J]] Link Target\n\n"));
        assert!(mklink().contains("        /D      Creates a directory symbolic link.  Default is a file\n"));
    }

    #[test]
    fn mklnk_help_explains_attributes_and_ranges() {
        let text = mklnk();
        for needle in ["r read-only", "t temporary", "/[d", "/[t", "/[s", "/[!", "/![...]"] {
            assert!(text.contains(needle), "{needle} missing");
        }
    }
}

//! The help screens, in the shape of cmd's and TCC's: what the command does, the syntax, each switch indented 8
//! spaces with its description from column 17, then our extensions and examples.

/// `mklink /?`.
pub const MKLINK: &str = "\
Creates a symbolic link.

MKLINK [[/D] | [/H] | [/J]] Link Target

        /D      Creates a directory symbolic link.  Default is a file
                symbolic link.
        /H      Creates a hard link instead of a symbolic link.
        /J      Creates a Directory Junction.
        Link    Specifies the new symbolic link name.
        Target  Specifies the path (relative or absolute) that the new link
                refers to.

Extensions:
        --dir, --hard, --junction   The same as /D, /H and /J.
        /L [/S] [path ...]  Lists the links under each path (default .), DIR
                style; /S descends into subdirectories. With
                --dangling, --escaping, --hardlinks or --symlinks: only
                those. --siblings FILE [TREE] lists FILE's other names.
        --relative  Stores the target relative to the link's directory.
        --absolute  Stores the target as an absolute path.
        --dry-run   Says what would be done and changes nothing.
        --json      Writes one JSON object per result and a summary.
        --verbose   Adds the system's own error text and code.
        --quiet     Prints errors only.
        --version   Prints the version.
        --          Ends switches: a name that is literally /D is written -- /D or ./D.

Examples:
        mklink notes.txt ../docs/notes.txt      file symbolic link (target read from the link's directory)
        mklink /D current releases/2024-06      directory symbolic link
        mklink /H backup.db data.db             hard link
        mklink /J work /srv/projects/work       junction (an absolute directory link on Unix)
";

/// `mklnk /?`.
pub const MKLNK: &str = "\
Create or update a link (hard link to a file, soft link to a directory), show or delete one.

Create or update a link:   MKLNK [/A:[[-]rhsadecijopt] ranges] parm1 [parm2]
Delete a link:             MKLNK /D parm1
Show where a link points:  MKLNK parm1

        parm1   The existing file (makes a hard link) or directory (makes a
                soft link).
        parm2   The new link. An existing soft link to a directory is
                updated to point at parm1; an existing directory receives
                a file under its own name.
        /D      Deletes the link parm1: a soft link, or one name of a file
                that has other names. Never deletes a file's last name.
        /Q      Quiet: prints errors only.
        /=      Opens the command dialog, pre-filled with the rest of the
                line (MKLNK with no arguments opens it too, on a terminal).

Extensions:
        --summary   Ends with a line counting links made and errors.
        --vars      Ends with _mklnk_files=N and _mklnk_errors=M lines for eval.
        --json      Writes one JSON object per result and a summary.
        --dry-run   Says what would be done and changes nothing.
        --verbose   Prints one line per link, and the system's error text.
        --version   Prints the version.
        --          Ends switches.

Exit status: 0 success, 1 usage error, 2 when any item failed.

Examples:
        mklnk data.db backup.db         hard link backup.db to data.db
        mklnk /srv/releases/v2 current  soft link current -> /srv/releases/v2 (or update it)
        mklnk current                   show where current points
        mklnk /D backup.db              delete the name backup.db, keeping data.db
";

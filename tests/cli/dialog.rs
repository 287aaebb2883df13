//! The `/=` dialog driven for real: the binary runs in a pseudo-terminal, keys are typed into it, and the screen
//! is read back through a terminal emulator (vt100) before checking what the command did to the tree.

use crate::common::Tree;
use expectrl::process::unix::WaitStatus;
use predicates::str::contains;
use std::io::{ErrorKind, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, Instant};

const TAB: &str = "\t";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";

/// `mklnk` running in a pseudo-terminal, with what it has drawn so far.
struct Screen {
    session: expectrl::session::OsSession,
    parser: vt100::Parser,
    closed: bool,
}

impl Screen {
    fn spawn(tree: &Tree, args: &[&str]) -> Screen {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("mklnk"));
        command.args(args).current_dir(tree.root()).env("LC_ALL", "C").env("TZ", "UTC").env("TERM", "xterm");
        let session = expectrl::Session::spawn(command).expect("spawn mklnk in a pty");
        // ptyprocess opens the pty at 80x24.
        Screen { session, parser: vt100::Parser::new(24, 80, 0), closed: false }
    }

    /// Feeds everything the program has written so far to the emulator.
    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        while !self.closed {
            match self.session.try_read(&mut buf) {
                Ok(0) => self.closed = true,
                Ok(n) => self.parser.process(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                // Linux answers EIO on the master once the child has closed its side.
                Err(_) => self.closed = true,
            }
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until the screen satisfies `ready`, or fails showing the screen.
    fn wait_until(&mut self, what: &str, ready: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            self.pump();
            if ready(self.parser.screen()) {
                return;
            }
            assert!(!self.closed && Instant::now() < deadline, "waited for {what}; the screen shows:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for(&mut self, needle: &str) {
        self.wait_until(needle, |s| s.contents().contains(needle));
    }

    fn keys(&mut self, keys: &str) {
        self.session.write_all(keys.as_bytes()).expect("type into the pty");
        self.session.flush().expect("flush the pty");
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.session.get_process_mut().set_window_size(cols, rows).expect("resize the pty");
        self.parser.set_size(rows, cols);
    }

    /// The program has left the alternate screen, shown the cursor and turned raw mode off (line editing is back).
    fn assert_terminal_restored(&self) {
        let screen = self.parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen:\n{}", self.text());
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
        let modes = rustix::termios::tcgetattr(self.session.get_stream().as_fd()).expect("read the pty's modes");
        assert!(modes.local_modes.contains(rustix::termios::LocalModes::ICANON), "the terminal is still in raw mode");
    }

    fn corner(&self, row: u16, col: u16) -> String {
        self.parser.screen().cell(row, col).map(|c| c.contents()).unwrap_or_default()
    }

    /// Reads the rest of the output and returns the exit code.
    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.closed && Instant::now() < deadline {
            self.pump();
            std::thread::sleep(Duration::from_millis(20));
        }
        match self.session.get_process().wait().expect("wait for mklnk") {
            WaitStatus::Exited(_, code) => code,
            other => panic!("mklnk did not exit normally: {other:?}\n{}", self.text()),
        }
    }
}

#[test]
fn dialog_enter_runs_the_previewed_command() {
    let tree = Tree::new();
    tree.file("data.txt", "payload");
    let mut screen = Screen::spawn(&tree, &[]);
    screen.wait_for("Source (parm1)");
    screen.keys("data.txt");
    screen.keys(TAB);
    screen.keys("copy.txt");
    screen.wait_for("mklnk data.txt copy.txt");
    screen.keys(ENTER);
    assert_eq!(screen.exit_code(), 0);
    let (data, copy) = (tree.path("data.txt").metadata().unwrap(), tree.path("copy.txt").metadata().unwrap());
    assert_eq!((copy.ino(), copy.nlink()), (data.ino(), 2), "copy.txt is a hard link to data.txt");
}

#[test]
fn dialog_escape_cancels_and_changes_nothing() {
    let tree = Tree::new();
    tree.file("data.txt", "payload");
    let before = tree.snapshot();
    let mut screen = Screen::spawn(&tree, &["data.txt", "/=", "copy.txt"]);
    screen.wait_for("mklnk data.txt copy.txt");
    screen.keys(ESC);
    assert_eq!(screen.exit_code(), 0);
    screen.assert_terminal_restored();
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn dialog_refuses_enter_on_a_malformed_size_until_it_is_fixed() {
    let tree = Tree::new();
    tree.file("a", "x").dir("dst");
    let mut screen = Screen::spawn(&tree, &["/=", "a", "dst", "/[s1x]"]);
    screen.wait_for("invalid size \"1x\"");
    screen.keys(ENTER);
    screen.wait_for("Enter refused");
    assert!(!tree.path("dst/a").exists());
    // Shift-Tab from the source wraps to the exclusion field; once more reaches the size's "not" box, and once
    // more the size field itself, where Backspace removes the "x".
    screen.keys("\x1b[Z\x1b[Z\x1b[Z");
    screen.keys("\x7f");
    screen.wait_for("/[s1]'");
    screen.keys(ENTER);
    assert_eq!(screen.exit_code(), 0);
    assert!(tree.path("dst/a").exists());
}

#[test]
fn dialog_redraws_on_resize() {
    let tree = Tree::new();
    tree.file("data.txt", "payload");
    let mut screen = Screen::spawn(&tree, &["/=", "data.txt", "copy.txt"]);
    screen.wait_for("mklnk data.txt copy.txt");
    assert_eq!(screen.corner(0, 79), "┐");
    screen.resize(100, 30);
    screen.wait_until("the frame at 100x30", |s| {
        let at = |r, c| s.cell(r, c).map(|c| c.contents()).unwrap_or_default();
        at(0, 99) == "┐" && at(29, 0) == "└" && s.contents().contains("mklnk data.txt copy.txt")
    });
    screen.resize(60, 20);
    screen.wait_until("the frame at 60x20", |s| {
        let at = |r, c| s.cell(r, c).map(|c| c.contents()).unwrap_or_default();
        at(0, 59) == "┐" && at(19, 59) == "┘" && s.contents().contains("mklnk data.txt copy.txt")
    });
    screen.keys(ENTER);
    assert_eq!(screen.exit_code(), 0);
    assert_eq!(tree.path("copy.txt").metadata().unwrap().nlink(), 2);
}

#[test]
fn dialog_run_reports_and_exits_like_the_command_line() {
    let tree = Tree::new();
    let mut screen = Screen::spawn(&tree, &["/=", "nope", "x"]);
    screen.wait_for("mklnk nope x");
    screen.keys(ENTER);
    screen.wait_for("mklnk: The system cannot find the file specified. \"nope\"");
    assert!(!screen.text().contains("Source (parm1)"), "the message is on the normal screen, not the form");
    assert_eq!(screen.exit_code(), 2);
    screen.assert_terminal_restored();
    assert!(!tree.exists("x"));
}

#[test]
fn dialog_switch_without_a_terminal_never_waits() {
    let tree = Tree::new();
    tree.file("a", "x");
    tree.mklnk(["/=", "a", "b"]).write_stdin("\r").assert().code(1).stdout("").stderr(contains("Usage: mklnk"));
    assert!(!tree.exists("b"));
}

#[test]
fn dialog_shows_control_characters_in_names_escaped() {
    let tree = Tree::new();
    let mut screen = Screen::spawn(&tree, &["/=", "evil\x1bc\x07name", "copy"]);
    screen.wait_for(r"mklnk $'evil\x1bc\x07name' copy");
    // The source field shows the same escapes.
    assert!(screen.text().contains(r"evil\x1bc\x07name "), "{}", screen.text());
    screen.keys(ESC);
    assert_eq!(screen.exit_code(), 0);
}

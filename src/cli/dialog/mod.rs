//! The `/=` command dialog of `mklnk`: a full-screen terminal form (ratatui on crossterm) that builds the
//! command line and hands it back as arguments. It runs nothing itself: `main` parses and runs the returned
//! arguments exactly as if they had been typed, so output and exit code are the command line's own.
//!
//! Without a terminal on both stdin and stdout it never waits for input and returns [`Choice::NoTerminal`].
//! The terminal is restored (raw mode off, alternate screen left, cursor shown) on every way out: a normal
//! return, an error, and a panic (a guard's `Drop` plus a panic hook, which also runs under `panic = "abort"`).

mod controls;
mod field;
pub mod form;
mod view;

use super::mklnk::Args;
use form::{Action, Form, Key};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::crossterm::{cursor, execute, terminal};
use std::ffi::OsString;
use std::io::{self, IsTerminal};
use std::panic::{self, PanicHookInfo};
use std::sync::Arc;

/// How the dialog ended.
#[derive(Debug)]
pub enum Choice {
    /// Enter on a valid form: run these arguments (without the program name).
    Run(Vec<OsString>),
    /// Esc: do nothing.
    Cancel,
    /// stdin or stdout is not a terminal, so no dialog was shown.
    NoTerminal,
    /// The terminal could not be driven; nothing was done.
    Failed(io::Error),
}

/// Opens the dialog pre-filled from `args` and waits until the user runs or cancels it.
pub fn open(args: &Args) -> Choice {
    if !(io::stdin().is_terminal() && io::stdout().is_terminal()) {
        return Choice::NoTerminal;
    }
    match run_form(Form::from_args(args)) {
        Ok(Some(argv)) => Choice::Run(argv),
        Ok(None) => Choice::Cancel,
        Err(error) => Choice::Failed(error),
    }
}

/// The event loop: draw, read one event, repeat. Returns the arguments to run, or `None` on cancel.
fn run_form(mut form: Form) -> io::Result<Option<Vec<OsString>>> {
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;
    loop {
        let now = jiff::Zoned::now();
        let problems = form.check(&now);
        terminal.draw(|frame| view::draw(frame, &form, &problems))?;
        match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                let Some(key) = translate(key) else { continue };
                match form.press(key, &jiff::Zoned::now()) {
                    Action::Continue => {}
                    Action::Run(argv) => return Ok(Some(argv)),
                    Action::Cancel => return Ok(None),
                }
            }
            Event::Resize(..) => {
                // Forget what is on the screen: the next draw repaints every cell at the new size.
                terminal.autoresize()?;
                terminal.clear()?;
            }
            _ => {}
        }
    }
}

/// A terminal key event as a form key; `None` for keys the form ignores.
fn translate(key: KeyEvent) -> Option<Key> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c' | 'd') if ctrl => Key::Cancel,
        KeyCode::Char(_) if ctrl => return None,
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Tab | KeyCode::Down => Key::Next,
        KeyCode::BackTab | KeyCode::Up => Key::Previous,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Cancel,
        _ => return None,
    })
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Send + Sync + 'static>;

/// Raw mode and the alternate screen, undone when dropped and by a panic hook installed for as long as it lives.
struct TerminalGuard {
    previous_hook: Option<Arc<Hook>>,
}

impl TerminalGuard {
    fn enter() -> io::Result<Self> {
        let previous: Arc<Hook> = Arc::new(panic::take_hook());
        let chained = Arc::clone(&previous);
        panic::set_hook(Box::new(move |info| {
            restore();
            chained(info);
        }));
        // From here on, dropping the guard (also on the error returns below) restores the terminal.
        let guard = TerminalGuard { previous_hook: Some(previous) };
        terminal::enable_raw_mode()?;
        execute!(io::stdout(), terminal::EnterAlternateScreen)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        // The hook cannot be changed while panicking; ours only restores the terminal again, which is harmless.
        if std::thread::panicking() {
            return;
        }
        if let Some(previous) = self.previous_hook.take() {
            drop(panic::take_hook());
            panic::set_hook(Box::new(move |info| previous(info)));
        }
    }
}

/// Leaves the alternate screen, shows the cursor and turns raw mode off; errors are ignored because this runs
/// on the way out, when there is nothing better to do.
fn restore() {
    let _ = execute!(io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

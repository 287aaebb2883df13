//! The state of the `/=` form and what it turns into: the argument vector that Enter runs and the preview line
//! that shows it. Pure logic: no terminal, no drawing, no file system (except what [`Args::job`]
//! checks when validating a batch). Keys arrive as [`Key`] values so the whole form is testable without a
//! terminal.
//!
//! The argument vector is what a user would have typed; validation runs it through the project's own parser and
//! selection parsers, so the form accepts exactly what the command line accepts.

pub use super::controls::{Action, Focus, Key, LETTERS, Problems, RangeSlot, Tri};
use super::field::TextField;
use crate::cli::Parsed;
use crate::cli::mklnk::{Args, Job, is_read_as_name, parse};
use crate::report::{Front, usage};
use crate::report::{Options, Verbosity};
use crate::select::{AttrFilter, Attributes, ParseContext, Range};
use jiff::Zoned;
use std::ffi::{OsStr, OsString};

/// The whole form.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// `parm1`: the existing file or directory (or pattern, or include list).
    pub source: TextField,
    /// `parm2`: the new name (empty: show where `parm1` points, or delete it).
    pub new_name: TextField,
    /// Further sources from the command line, kept in place between `parm1` and `parm2`.
    pub extra_sources: Vec<OsString>,
    /// `/D`: delete the link named by `parm1`.
    pub delete: bool,
    /// Bare `/A:` given: select by attributes even with every letter "any".
    pub attr_switch: bool,
    /// One condition per letter of [`LETTERS`].
    pub attrs: [Tri; 12],
    /// The range texts, indexed like [`RangeSlot::ALL`].
    pub ranges: [TextField; 4],
    /// Whether each range is negated, indexed like [`RangeSlot::ALL`].
    pub negated: [bool; 4],
    /// Reporting switches from the command line, passed through unchanged.
    pub options: Options,
    /// Parts of the command line the form could not take over (shown once, then the user decides).
    pub notices: Vec<String>,
    /// Enter was pressed while something was wrong.
    pub refused: bool,
    focus: usize,
}

impl Form {
    /// A form pre-filled from the command line that opened it.
    pub fn from_args(args: &Args) -> Self {
        let mut form = Form { delete: args.delete, options: args.options, ..Form::default() };
        let mut names = args.names.iter();
        if let Some(first) = names.next() {
            form.source = TextField::new(first);
        }
        let mut rest: Vec<OsString> = names.cloned().collect();
        if let Some(last) = rest.pop() {
            form.new_name = TextField::new(&last);
        }
        form.extra_sources = rest;
        if let Some(letters) = &args.attributes {
            form.attr_switch = true;
            match AttrFilter::parse(letters.as_encoded_bytes()) {
                Ok(filter) => form.set_attributes(&filter),
                Err(e) => form.notices.push(format!("/A:{} left out: {e}", letters.to_string_lossy())),
            }
        }
        let mut exclusions = Vec::new();
        for range in &args.ranges {
            let Some(body) = &range.body else { continue };
            let text = body.to_string_lossy();
            let slot = match text.chars().next().map(|c| c.to_ascii_lowercase()) {
                Some('d') => RangeSlot::Date,
                Some('t') => RangeSlot::Time,
                Some('s') => RangeSlot::Size,
                Some('!') if !range.negated => {
                    exclusions.push(text[1..].to_string());
                    continue;
                }
                _ => {
                    form.notices.push(format!(
                        "{} left out: not a date, time, size or exclusion range",
                        range.typed.to_string_lossy()
                    ));
                    continue;
                }
            };
            if !form.ranges[slot.index()].is_empty() {
                form.notices.push(format!(
                    "{} replaces an earlier {} range",
                    range.typed.to_string_lossy(),
                    slot.name()
                ));
            }
            form.ranges[slot.index()] = TextField::new(OsStr::new(&text[1..]));
            form.negated[slot.index()] = range.negated;
        }
        if !exclusions.is_empty() {
            form.ranges[RangeSlot::Exclude.index()] = TextField::new(OsStr::new(&exclusions.join(" ")));
        }
        form
    }

    fn set_attributes(&mut self, filter: &AttrFilter) {
        for (tri, &letter) in self.attrs.iter_mut().zip(&LETTERS) {
            let attr = Attributes::from_letter(letter).unwrap_or(Attributes::NONE);
            *tri = if filter.required().contains(attr) {
                Tri::Set
            } else if filter.forbidden().contains(attr) {
                Tri::Clear
            } else {
                Tri::Any
            };
        }
    }

    /// The control that has the focus.
    pub fn focus(&self) -> Focus {
        Focus::order()[self.focus]
    }

    /// The text field of a control, if it is one.
    pub fn field(&self, focus: Focus) -> Option<&TextField> {
        match focus {
            Focus::Source => Some(&self.source),
            Focus::NewName => Some(&self.new_name),
            Focus::Range(slot) => Some(&self.ranges[slot.index()]),
            _ => None,
        }
    }

    fn field_mut(&mut self, focus: Focus) -> Option<&mut TextField> {
        match focus {
            Focus::Source => Some(&mut self.source),
            Focus::NewName => Some(&mut self.new_name),
            Focus::Range(slot) => Some(&mut self.ranges[slot.index()]),
            _ => None,
        }
    }

    /// Whether `/A:` goes on the command line: asked for bare, or any letter has a condition.
    pub fn selects_by_attributes(&self) -> bool {
        self.attr_switch || self.attrs.iter().any(|t| *t != Tri::Any)
    }

    /// The text after `/A:`.
    pub fn attribute_letters(&self) -> String {
        let mut text = String::new();
        for (tri, &letter) in self.attrs.iter().zip(&LETTERS) {
            match tri {
                Tri::Any => {}
                Tri::Set => text.push(char::from(letter)),
                Tri::Clear => text.extend(['-', char::from(letter)]),
            }
        }
        text
    }

    /// The arguments the form runs, without the program name: switches first, then the names (after `--` when
    /// a name would otherwise be read as a switch, like `/D` or `--json`).
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = Vec::new();
        match self.options.verbosity {
            Verbosity::Quiet => args.push("/Q".into()),
            Verbosity::Normal => {}
            Verbosity::Verbose => args.push("--verbose".into()),
        }
        for (on, name) in [
            (self.options.json, "--json"),
            (self.options.summary, "--summary"),
            (self.options.vars, "--vars"),
            (self.options.dry_run, "--dry-run"),
        ] {
            if on {
                args.push(name.into());
            }
        }
        if self.delete {
            args.push("/D".into());
        }
        if self.selects_by_attributes() {
            args.push(format!("/A:{}", self.attribute_letters()).into());
        }
        for slot in RangeSlot::ALL {
            if let Some(range) = self.range_arg(slot) {
                args.push(range.into());
            }
        }
        let mut names = vec![self.source.value()];
        names.extend(self.extra_sources.iter().cloned());
        if !self.new_name.is_empty() {
            names.push(self.new_name.value());
        }
        names.retain(|n| !n.is_empty());
        if names.iter().any(|n| !is_read_as_name(n)) {
            args.push("--".into());
        }
        args.extend(names);
        args
    }

    /// One range as an argument (`/[s1k]`, `/![d-7]`), or `None` when its field is empty.
    fn range_arg(&self, slot: RangeSlot) -> Option<String> {
        let text = self.ranges[slot.index()].text();
        if text.is_empty() {
            return None;
        }
        let bang = if self.negated[slot.index()] && slot.negatable() { "!" } else { "" };
        Some(format!("/{bang}[{}{text}]", slot.letter()))
    }

    /// The command line [`Form::to_args`] stands for, quoted for a POSIX shell (bash, zsh or ksh for a name
    /// that needs `$'…'`).
    pub fn preview(&self) -> String {
        let mut line = String::from("mklnk");
        for arg in self.to_args() {
            line.push(' ');
            // A name with control characters or bytes that are not UTF-8 is shown in the shell's `$'…'` form,
            // which is exact and never sends them to the terminal.
            if crate::report::escape::is_shown_plain(&arg) {
                line.push_str(&shell_quote(&arg.to_string_lossy()));
            } else {
                line.push_str(&crate::report::escape::display(&arg));
            }
        }
        line
    }

    /// What is wrong, checked with the project's own parsers; `now` anchors relative dates and times.
    pub fn check(&self, now: &Zoned) -> Problems {
        let mut problems = Problems::default();
        if self.source.is_empty() {
            problems.fields.push((Focus::Source, "a source name is needed".into()));
        }
        for slot in RangeSlot::ALL {
            let text = self.ranges[slot.index()].text();
            if text.is_empty() {
                continue;
            }
            let body = format!("{}{text}", slot.letter());
            let negated = self.negated[slot.index()] && slot.negatable();
            if let Err(e) =
                Range::parse(body.as_bytes(), negated, ParseContext::new(now, super::super::date_order_from_env()))
            {
                problems.fields.push((Focus::Range(slot), e.to_string()));
            }
        }
        if problems.is_empty() {
            problems.line = whole_line_problem(self.to_args(), now);
        }
        problems
    }

    /// Handles one key; `now` is used to validate when Enter is pressed.
    pub fn press(&mut self, key: Key, now: &Zoned) -> Action {
        let order_len = Focus::order().len();
        match key {
            Key::Cancel => return Action::Cancel,
            Key::Enter => {
                if self.check(now).is_empty() {
                    return Action::Run(self.to_args());
                }
                self.refused = true;
                return Action::Continue;
            }
            Key::Next => self.focus = (self.focus + 1) % order_len,
            Key::Previous => self.focus = (self.focus + order_len - 1) % order_len,
            _ => self.edit(key),
        }
        Action::Continue
    }

    fn edit(&mut self, key: Key) {
        let focus = self.focus();
        if let Some(field) = self.field_mut(focus) {
            match key {
                Key::Char(c) => field.insert(c),
                Key::Backspace => field.backspace(),
                Key::Delete => field.delete(),
                Key::Left => field.left(),
                Key::Right => field.right(),
                Key::Home => field.home(),
                Key::End => field.end(),
                _ => {}
            }
            self.refused = false;
            return;
        }
        match (focus, key) {
            (_, Key::Left) => self.focus = self.focus.saturating_sub(1),
            (_, Key::Right) => self.focus = (self.focus + 1).min(Focus::order().len() - 1),
            (Focus::Delete, Key::Char(' ')) => self.delete = !self.delete,
            (Focus::AttrSwitch, Key::Char(' ')) => {
                let on = !self.selects_by_attributes();
                self.attr_switch = on;
                if !on {
                    self.attrs = [Tri::Any; 12];
                }
            }
            (Focus::Attr(i), Key::Char(' ')) => self.attrs[i] = self.attrs[i].next(),
            (Focus::Attr(i), Key::Char('+')) => self.attrs[i] = Tri::Set,
            (Focus::Attr(i), Key::Char('-')) => self.attrs[i] = Tri::Clear,
            (Focus::Attr(i), Key::Char('.')) => self.attrs[i] = Tri::Any,
            (Focus::Negate(slot), Key::Char(' ')) => self.negated[slot.index()] ^= true,
            _ => return,
        }
        self.refused = false;
    }
}

/// Runs the arguments through the parser and, for a batch, builds its request: the same checks the command line
/// gets, so Enter is refused exactly when the command would be a usage error.
fn whole_line_problem(args: Vec<OsString>, now: &Zoned) -> Option<String> {
    match parse(args) {
        Parsed::Run(args) => match args.job(|| now.clone()) {
            Ok(Job::Run(_)) => None,
            Ok(Job::Dialog) => Some("a source name is needed".into()),
            Err(e) => Some(usage::message(Front::Mklnk, &e)),
        },
        Parsed::Usage(e) => Some(usage::message(Front::Mklnk, &e)),
        Parsed::Help | Parsed::Version | Parsed::Generate(_) => Some("the names would be read as /? or --help".into()),
    }
}

/// Quotes `word` for a POSIX shell when it holds anything but plainly safe characters.
pub fn shell_quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:,=+@%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;

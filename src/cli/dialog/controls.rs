//! The controls of the form and the words the form and the terminal loop speak: the attribute tri-states, the
//! range slots, which control has the focus, the keys, what a key leads to, and what is wrong with the form.
//! Plain values only.

use std::ffi::OsString;

/// The attribute letters of `/A:`, in TCC's order.
pub const LETTERS: [u8; 12] = *b"rhsadecijopt";

/// One attribute letter's condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tri {
    /// No condition.
    #[default]
    Any,
    /// The attribute must be set (`/A:x`).
    Set,
    /// The attribute must be clear (`/A:-x`).
    Clear,
}

impl Tri {
    /// The next state on Space: any, set, clear, any.
    pub(super) fn next(self) -> Self {
        match self {
            Tri::Any => Tri::Set,
            Tri::Set => Tri::Clear,
            Tri::Clear => Tri::Any,
        }
    }
}

/// The four range fields, each written `/[` + its letter + the field's text + `]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeSlot {
    /// `/[d…]`
    Date,
    /// `/[t…]`
    Time,
    /// `/[s…]`
    Size,
    /// `/[!…]`
    Exclude,
}

impl RangeSlot {
    /// All slots, in form order.
    pub const ALL: [RangeSlot; 4] = [RangeSlot::Date, RangeSlot::Time, RangeSlot::Size, RangeSlot::Exclude];

    /// The character after `[`.
    pub fn letter(self) -> char {
        match self {
            RangeSlot::Date => 'd',
            RangeSlot::Time => 't',
            RangeSlot::Size => 's',
            RangeSlot::Exclude => '!',
        }
    }

    /// The range's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            RangeSlot::Date => "date",
            RangeSlot::Time => "time",
            RangeSlot::Size => "size",
            RangeSlot::Exclude => "exclusion",
        }
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }

    /// Whether the range may be negated (`/![…]`); exclusions may not.
    pub fn negatable(self) -> bool {
        self != RangeSlot::Exclude
    }
}

/// A control of the form that can have the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// `parm1`.
    Source,
    /// `parm2`.
    NewName,
    /// `/D`.
    Delete,
    /// Bare `/A:` (select by attributes, hidden and system files included).
    AttrSwitch,
    /// One attribute letter, by index into [`LETTERS`].
    Attr(usize),
    /// A range's text.
    Range(RangeSlot),
    /// A range's negation (`/![…]`).
    Negate(RangeSlot),
}

impl Focus {
    /// Every control, in Tab order.
    pub fn order() -> Vec<Focus> {
        let mut order = vec![Focus::Source, Focus::NewName, Focus::Delete, Focus::AttrSwitch];
        order.extend((0..LETTERS.len()).map(Focus::Attr));
        for slot in RangeSlot::ALL {
            order.push(Focus::Range(slot));
            if slot.negatable() {
                order.push(Focus::Negate(slot));
            }
        }
        order
    }
}

/// A key the form understands (the terminal loop translates real key events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character (Space included).
    Char(char),
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Left arrow.
    Left,
    /// Right arrow.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Tab or Down: the next control.
    Next,
    /// Shift-Tab or Up: the previous control.
    Previous,
    /// Enter: run.
    Enter,
    /// Esc (or Ctrl-C): cancel.
    Cancel,
}

/// What the terminal loop does after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Keep the form open.
    Continue,
    /// Close the form and run these arguments (without the program name).
    Run(Vec<OsString>),
    /// Close the form and do nothing.
    Cancel,
}

/// What is wrong with the form, for inline display; empty when Enter may run it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// Messages attached to one control.
    pub fields: Vec<(Focus, String)>,
    /// A message about the command as a whole (name count, conflicting switches, a bad pattern).
    pub line: Option<String>,
}

impl Problems {
    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.line.is_none()
    }

    /// The message attached to `focus`, if any.
    pub fn field(&self, focus: Focus) -> Option<&str> {
        self.fields.iter().find(|(f, _)| *f == focus).map(|(_, m)| m.as_str())
    }
}

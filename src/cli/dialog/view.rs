//! Draws the form with ratatui: one row per control, problems in red under the control they belong to, the
//! command preview, and the keys. Drawing only reads the form; it is redone from scratch on every key and every
//! resize, so a smaller or larger terminal simply gets the same rows laid out again (scrolled to keep the
//! focused control visible when the terminal is too short).

use super::form::{Focus, Form, LETTERS, Problems, RangeSlot, Tri};
use ratatui::Frame;
use ratatui::layout::Position;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Width of the label column.
const LABEL: usize = 22;

/// The rows being laid out, with where the cursor and the focused control ended up.
struct Rows {
    lines: Vec<Line<'static>>,
    width: usize,
    focus_row: usize,
    cursor: Option<(usize, usize)>,
}

/// Draws `form` with its `problems` over the whole frame.
pub fn draw(frame: &mut Frame<'_>, form: &Form, problems: &Problems) {
    let area = frame.area();
    let block = Block::bordered().title(" mklnk /= ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let rows = layout(form, problems, usize::from(inner.width));
    let height = usize::from(inner.height);
    let scroll = (rows.focus_row + 1).saturating_sub(height);
    let scroll_u16 = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(rows.lines).scroll((scroll_u16, 0)), inner);
    if let Some((row, col)) = rows.cursor {
        let (Ok(row), Ok(col)) = (u16::try_from(row.saturating_sub(scroll)), u16::try_from(col)) else { return };
        if row < inner.height && col < inner.width {
            frame.set_cursor_position(Position { x: inner.x + col, y: inner.y + row });
        }
    }
}

fn layout(form: &Form, problems: &Problems, width: usize) -> Rows {
    let mut rows = Rows { lines: Vec::new(), width, focus_row: 0, cursor: None };
    let focus = form.focus();
    rows.text(form, Focus::Source, "Source (parm1)", None, focus, problems);
    rows.text(form, Focus::NewName, "New name (parm2)", None, focus, problems);
    rows.toggle(Focus::Delete, "Delete the link", "/D", form.delete, focus);
    rows.toggle(
        Focus::AttrSwitch,
        "Attributes",
        "/A: (hidden and system files too)",
        form.selects_by_attributes(),
        focus,
    );
    rows.attributes(form, focus);
    for slot in RangeSlot::ALL {
        let label = format!("{} /[{}…]", capitalised(slot.name()), slot.letter());
        let negate = slot.negatable().then(|| form.negated[slot.index()]);
        rows.text(form, Focus::Range(slot), &label, negate, focus, problems);
    }
    rows.lines.push(Line::default());
    rows.lines.push(Line::from(Span::styled("Command", Style::new().add_modifier(Modifier::BOLD))));
    for chunk in wrap(&form.preview(), width.saturating_sub(2).max(1)) {
        rows.lines.push(Line::from(format!("  {chunk}")).style(Style::new().fg(Color::Green)));
    }
    rows.lines.push(Line::default());
    let red = Style::new().fg(Color::Red);
    if let Some(line) = &problems.line {
        for part in line.lines() {
            rows.lines.push(Line::styled(part.to_string(), red));
        }
    }
    if form.refused && !problems.is_empty() {
        rows.lines.push(Line::styled("Enter refused: fix what is marked first.", red.add_modifier(Modifier::BOLD)));
    }
    for notice in &form.notices {
        rows.lines.push(Line::styled(notice.clone(), Style::new().fg(Color::Yellow)));
    }
    rows.lines.push(Line::styled(
        "Tab/Shift-Tab move · Space toggles · Enter runs · Esc cancels",
        Style::new().add_modifier(Modifier::DIM),
    ));
    rows
}

impl Rows {
    fn label(&self, text: &str, focused: bool) -> Span<'static> {
        let style = if focused { Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { Style::new() };
        Span::styled(format!("{text:<LABEL$}"), style)
    }

    fn mark_focus(&mut self, focused: bool) {
        if focused {
            self.focus_row = self.lines.len();
        }
    }

    /// A text field, optionally followed by a "not" box, and its problem on the next row.
    fn text(&mut self, form: &Form, control: Focus, label: &str, negate: Option<bool>, focus: Focus, p: &Problems) {
        let Some(field) = form.field(control) else { return };
        let focused = control == focus;
        let negate_focused = matches!((control, focus), (Focus::Range(a), Focus::Negate(b)) if a == b);
        self.mark_focus(focused || negate_focused);
        let tail = if negate.is_some() { "  [ ] not".len() } else { 0 };
        let room = self.width.saturating_sub(LABEL + tail).max(4);
        // Control characters in a name are shown escaped, never sent to the terminal.
        let (chars, cursor) = crate::report::escape::field_view(field.text(), field.cursor());
        let start = (cursor + 1).saturating_sub(room);
        let shown: String = chars.iter().skip(start).take(room).collect();
        let mut spans = vec![
            self.label(label, focused || negate_focused),
            Span::styled(format!("{shown:<room$}"), Style::new().add_modifier(Modifier::UNDERLINED)),
        ];
        if let Some(on) = negate {
            spans.push(Span::raw("  "));
            spans.push(check_box(on, negate_focused));
            spans.push(Span::raw(" not"));
        }
        if focused {
            self.cursor = Some((self.lines.len(), LABEL + cursor - start));
        }
        self.lines.push(Line::from(spans));
        if let Some(problem) = p.field(control) {
            self.lines.push(Line::styled(format!("{:LABEL$}↳ {problem}", ""), Style::new().fg(Color::Red)));
        }
    }

    fn toggle(&mut self, control: Focus, label: &str, what: &str, on: bool, focus: Focus) {
        let focused = control == focus;
        self.mark_focus(focused);
        let spans = vec![self.label(label, focused), check_box(on, focused), Span::raw(format!(" {what}"))];
        self.lines.push(Line::from(spans));
    }

    /// The twelve letters on one row, then what the focused letter means.
    fn attributes(&mut self, form: &Form, focus: Focus) {
        let focused_letter = match focus {
            Focus::Attr(i) => Some(i),
            _ => None,
        };
        if focused_letter.is_some() {
            self.mark_focus(true);
        }
        let mut spans = vec![Span::raw("  ")];
        for (i, (tri, &letter)) in form.attrs.iter().zip(&LETTERS).enumerate() {
            let sign = match tri {
                Tri::Any => ' ',
                Tri::Set => '+',
                Tri::Clear => '-',
            };
            let style =
                if Some(i) == focused_letter { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
            spans.push(Span::styled(format!("[{sign}{}]", char::from(letter)), style));
            spans.push(Span::raw(" "));
        }
        self.lines.push(Line::from(spans));
        let help = match focused_letter {
            Some(i) => format!("  {}: Space cycles any → must be set (+) → must be clear (-)", letter_name(i)),
            None => "  + must be set   - must be clear   blank: any".to_string(),
        };
        self.lines.push(Line::styled(help, Style::new().add_modifier(Modifier::DIM)));
    }
}

fn check_box(on: bool, focused: bool) -> Span<'static> {
    let style = if focused { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
    Span::styled(if on { "[x]" } else { "[ ]" }, style)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn letter_name(index: usize) -> &'static str {
    const NAMES: [&str; 12] = [
        "r read-only",
        "h hidden",
        "s system",
        "a archive",
        "d directory",
        "e encrypted",
        "c compressed",
        "i not content-indexed",
        "j junction or symbolic link",
        "o offline",
        "p sparse",
        "t temporary",
    ];
    NAMES.get(index).copied().unwrap_or("")
}

/// Cuts `text` into pieces of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(width).map(|c| c.iter().collect()).collect()
}

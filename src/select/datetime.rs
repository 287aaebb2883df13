//! Date ranges `/[d…]` and time-of-day ranges `/[t…]`: parsing and the predicates.
//!
//! This module owns the date and time grammar of docs/spec/reference.md §3.5–3.6 (as decided in docs/spec/selection.md). It never
//! touches the file system and never reads the clock: "now" is passed in, and its time zone is the local zone
//! (UTC when the range has `u`).
//!
//! Decisions the spec leaves open:
//! * Range letters and their modifiers (`d`, `t`, `a`, `c`, `w`, `u`) are accepted in either case and the
//!   modifiers in any order; a repeated or conflicting modifier is a bad range. `u` is also accepted for time
//!   ranges (time of day in UTC).
//! * A date has exactly three numeric fields separated by `-`, `/` or `.` (mixing them is allowed). ISO
//!   `yyyy-mm-dd` when the first field has four digits (the year must be after 1900), in every locale; otherwise
//!   the [`DateOrder`] of the user's locale: `mm-dd-yy` (US, C locale), `dd-mm-yy` (`31.12.2023` in de_DE) or
//!   `yy-mm-dd`. A year that is not first takes one, two or four digits; month and day one or two. In the year-first
//!   order a date ending in a four-digit year (`31.12.2023`) is read day-month-year, since it cannot be
//!   year-first. Short years: 80–99 are 1980–1999, 0–79 are 2000–2079. Examples: `01.02.24` is 1 February
//!   2024 read day first and 2 January 2024 read month first; `2024-01-31` is 31 January 2024 everywhere.
//! * A time is `h:mm` or `h:mm:ss`, optionally followed by `a`/`p`/`am`/`pm` (any case; the hour is then
//!   1–12). An end time includes its whole second (up to 23:59:59.999999999 for a day end).
//! * `/[d]` is today; `/[t]`, and an empty value before or after the `,`, are bad ranges.
//! * Date ranges: with an explicit end, the two dates are put in order first, then the earlier gets its time or
//!   00:00:00 and the later its time or 23:59:59; if the two instants are still reversed (same day, explicit
//!   times) they are swapped. Without an end, the range runs from the start to now (swapped if the start is in
//!   the future).
//! * Time ranges: two clock times whose end is before their start wrap past midnight (`/[t23:00,1:00]` is 23:00
//!   to 01:00 of the next day; date and size ranges are swapped instead); `,+n` covers start … start+n and `,-n` covers
//!   start−n … start; without an end the range runs from the start to now, wrapping past midnight when the start
//!   is a clock time later than now (`/[t22:00]` at 10:00 means since 22:00 yesterday). Offset ranges wrap past
//!   midnight as needed; 24 hours or more covers the whole day.
//! * A range on the creation time matches nothing (negated or not) when the creation time is unknown.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp, Zoned};

use super::candidate::Candidate;
use super::date_order::DateOrder;
use super::error::SelectError;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Which timestamp of a file a date or time range tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// Last write (`w`, the default).
    Modified,
    /// Last access (`a`).
    Accessed,
    /// Creation (`c`).
    Created,
}

impl Stamp {
    /// The candidate's timestamp of this kind, if known.
    fn of(self, c: &Candidate<'_>) -> Option<Timestamp> {
        match self {
            Self::Modified => Some(c.modified),
            Self::Accessed => Some(c.accessed),
            Self::Created => c.created,
        }
    }
}

/// A parsed `/[d…]` range: an inclusive interval of instants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateRange {
    /// The timestamp tested.
    pub stamp: Stamp,
    /// First instant selected.
    pub start: Timestamp,
    /// Last instant selected.
    pub end: Timestamp,
    /// `/![…]`: select what is outside.
    pub negated: bool,
}

/// A parsed `/[t…]` range: a stretch of the clock, possibly across midnight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRange {
    /// The timestamp tested.
    pub stamp: Stamp,
    /// The zone whose clock is read (local, or UTC with `u`).
    pub tz: TimeZone,
    /// First second of the day selected (0 … 86399).
    pub start: u32,
    /// Length in seconds after `start` also selected (inclusive); 86399 or more is the whole day.
    pub len: u32,
    /// `/![…]`: select what is outside.
    pub negated: bool,
}

/// What range parsing needs from outside the command line: the current instant with the local time zone, and
/// the order in which the user's locale writes dates. Both are parameters so that parsing stays pure.
#[derive(Debug, Clone, Copy)]
pub struct ParseContext<'a> {
    /// "Now": anchors relative dates and times, and its zone is the local zone.
    pub now: &'a Zoned,
    /// How a date that is not ISO is read.
    pub date_order: DateOrder,
}

impl<'a> ParseContext<'a> {
    /// A context from "now" and the locale's date order.
    pub fn new(now: &'a Zoned, date_order: DateOrder) -> Self {
        Self { now, date_order }
    }
}

fn bad_range(body: &[u8]) -> SelectError {
    SelectError::BadRange { text: body.to_vec() }
}

fn overflow(text: &[u8]) -> SelectError {
    SelectError::Overflow { text: text.to_vec() }
}

/// Reads the modifiers after `d`/`t`: returns the stamp, the UTC flag and the rest.
fn modifiers<'a>(mut text: &'a [u8], body: &[u8]) -> Result<(Stamp, bool, &'a [u8]), SelectError> {
    let (mut stamp, mut utc) = (None, false);
    while let Some((&b, rest)) = text.split_first() {
        let s = match b.to_ascii_lowercase() {
            b'w' => Stamp::Modified,
            b'a' => Stamp::Accessed,
            b'c' => Stamp::Created,
            b'u' if !utc => {
                utc = true;
                text = rest;
                continue;
            }
            b'u' => return Err(bad_range(body)),
            _ => break,
        };
        if stamp.replace(s).is_some() {
            return Err(bad_range(body));
        }
        text = rest;
    }
    Ok((stamp.unwrap_or(Stamp::Modified), utc, text))
}

/// Splits `start[,end]`; `None` end when there is no comma. Empty parts after a comma are bad ranges.
fn split_pair<'a>(text: &'a [u8], body: &[u8]) -> Result<(&'a [u8], Option<&'a [u8]>), SelectError> {
    match text.iter().position(|&b| b == b',') {
        None => Ok((text.trim_ascii(), None)),
        Some(i) => {
            let (a, b) = (text[..i].trim_ascii(), text[i + 1..].trim_ascii());
            if a.is_empty() || b.is_empty() {
                return Err(bad_range(body));
            }
            Ok((a, Some(b)))
        }
    }
}

/// Parses an unsigned decimal number (digits only).
fn number(digits: &[u8], on_error: impl Fn() -> SelectError) -> Result<u64, SelectError> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(on_error());
    }
    digits.iter().try_fold(0u64, |acc, &d| {
        acc.checked_mul(10).and_then(|v| v.checked_add(u64::from(d - b'0'))).ok_or_else(|| overflow(digits))
    })
}

/// Parses a signed offset `+n` / `-n`; `None` when the text does not start with a sign.
fn offset(text: &[u8], on_error: impl Fn() -> SelectError) -> Result<Option<i64>, SelectError> {
    let (neg, digits) = match text.split_first() {
        Some((b'+', rest)) => (false, rest),
        Some((b'-', rest)) => (true, rest),
        _ => return Ok(None),
    };
    let n = i64::try_from(number(digits, on_error)?).map_err(|_| overflow(text))?;
    Ok(Some(if neg { -n } else { n }))
}

/// Parses a clock time `h:mm[:ss][a|p|am|pm]`.
pub fn parse_clock(text: &[u8]) -> Result<Time, SelectError> {
    let bad = || SelectError::BadTime { text: text.to_vec() };
    let lower = text.trim_ascii().to_ascii_lowercase();
    let (clock, meridiem) = if let Some(c) = lower.strip_suffix(b"am").or(lower.strip_suffix(b"a")) {
        (c, Some(false))
    } else if let Some(c) = lower.strip_suffix(b"pm").or(lower.strip_suffix(b"p")) {
        (c, Some(true))
    } else {
        (lower.as_slice(), None)
    };
    let fields: Vec<&[u8]> = clock.split(|&b| b == b':').collect();
    let field = |i: usize, max: u64| -> Result<i8, SelectError> {
        match fields.get(i) {
            None => Ok(0),
            Some(f) if f.is_empty() || f.len() > 2 => Err(bad()),
            Some(f) => match number(f, bad)? {
                v if v > max => Err(bad()),
                v => i8::try_from(v).map_err(|_| bad()),
            },
        }
    };
    if !(2..=3).contains(&fields.len()) {
        return Err(bad());
    }
    let (mut h, m, s) = (field(0, 23)?, field(1, 59)?, field(2, 59)?);
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&h) {
            return Err(bad());
        }
        h = h % 12 + if pm { 12 } else { 0 };
    }
    Time::new(h, m, s, 0).map_err(|_| bad())
}

/// Parses an absolute date: ISO `yyyy-mm-dd` in any order, else the fields in `order`; separators `-`, `/` or `.`
/// (see the module documentation for the rules and examples).
pub fn parse_date(text: &[u8], order: DateOrder) -> Result<Date, SelectError> {
    let bad = || SelectError::BadDate { text: text.to_vec() };
    let fields: Vec<&[u8]> = text.split(|&b| matches!(b, b'-' | b'/' | b'.')).collect();
    let [a, b, c] = fields.as_slice() else {
        return Err(bad());
    };
    let num = |f: &[u8], max_len: usize| -> Result<i16, SelectError> {
        if f.len() > max_len {
            return Err(bad());
        }
        i16::try_from(number(f, bad)?).map_err(|_| bad())
    };
    // A year of one, two or four digits; two digits pivot at 80.
    let year = |f: &[u8]| -> Result<i16, SelectError> {
        match f.len() {
            1 | 2 => Ok(match num(f, 2)? {
                y @ 80..=99 => 1900 + y,
                y => 2000 + y,
            }),
            4 => num(f, 4),
            _ => Err(bad()),
        }
    };
    let (year, month, day) = if a.len() == 4 {
        let y = num(a, 4)?;
        if y <= 1900 {
            return Err(bad());
        }
        (y, num(b, 2)?, num(c, 2)?)
    } else {
        match order {
            DateOrder::MonthDayYear => (year(c)?, num(a, 2)?, num(b, 2)?),
            DateOrder::DayMonthYear => (year(c)?, num(b, 2)?, num(a, 2)?),
            DateOrder::YearMonthDay if c.len() == 4 => (year(c)?, num(b, 2)?, num(a, 2)?),
            DateOrder::YearMonthDay if a.len() <= 2 => (year(a)?, num(b, 2)?, num(c, 2)?),
            DateOrder::YearMonthDay => return Err(bad()),
        }
    };
    let m = i8::try_from(month).map_err(|_| bad())?;
    let d = i8::try_from(day).map_err(|_| bad())?;
    Date::new(year, m, d).map_err(|_| bad())
}

/// Parses one date value `date[@time]` or `±days[@time]`, offsets relative to `base`.
fn date_value(text: &[u8], base: Date, order: DateOrder) -> Result<(Date, Option<Time>), SelectError> {
    let (date_text, time_text) = match text.iter().position(|&b| b == b'@') {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let bad = || SelectError::BadDate { text: date_text.to_vec() };
    let date = match offset(date_text, bad)? {
        Some(days) => {
            let span = Span::new().try_days(days).map_err(|_| overflow(date_text))?;
            base.checked_add(span).map_err(|_| overflow(date_text))?
        }
        None => parse_date(date_text, order)?,
    };
    let time = time_text.map(parse_clock).transpose()?;
    Ok((date, time))
}

/// The instant of a civil date-time in `tz`.
fn instant(dt: DateTime, tz: &TimeZone, text: &[u8]) -> Result<Timestamp, SelectError> {
    dt.to_zoned(tz.clone()).map(|z| z.timestamp()).map_err(|_| overflow(text))
}

impl DateRange {
    /// Parses the text after the `d` of a range body (`body` is the whole body, for error messages). `ctx` gives
    /// "now", the local time zone and the order of the fields of a date.
    pub fn parse(text: &[u8], body: &[u8], negated: bool, ctx: ParseContext<'_>) -> Result<Self, SelectError> {
        let (now, order) = (ctx.now, ctx.date_order);
        let (stamp, utc, rest) = modifiers(text, body)?;
        let tz = if utc { TimeZone::UTC } else { now.time_zone().clone() };
        let today = now.with_time_zone(tz.clone()).date();
        let (first, second) = split_pair(rest, body)?;
        let (d1, t1) = if first.is_empty() { (today, None) } else { date_value(first, today, order)? };
        let midnight = Time::midnight();
        let day_end = Time::constant(23, 59, 59, 0);
        let (start, end) = match second {
            None => {
                let start = instant(d1.to_datetime(t1.unwrap_or(midnight)), &tz, first)?;
                let now = now.timestamp();
                (start.min(now), start.max(now))
            }
            Some(second) => {
                let (d2, t2) = date_value(second, d1, order)?;
                let ((dlo, tlo), (dhi, thi)) = if d2 < d1 { ((d2, t2), (d1, t1)) } else { ((d1, t1), (d2, t2)) };
                let lo = dlo.to_datetime(tlo.unwrap_or(midnight));
                let hi = dhi.to_datetime(thi.unwrap_or(day_end));
                let (lo, hi) = (lo.min(hi), lo.max(hi));
                let end = instant(hi, &tz, body)?;
                let end = end.checked_add(SignedDuration::from_nanos(999_999_999)).unwrap_or(Timestamp::MAX);
                (instant(lo, &tz, body)?, end)
            }
        };
        Ok(Self { stamp, start, end, negated })
    }

    /// Whether the candidate passes (its timestamp inside the range, or outside when negated).
    pub fn admits(&self, c: &Candidate<'_>) -> bool {
        match self.stamp.of(c) {
            Some(t) => (self.start <= t && t <= self.end) != self.negated,
            None => false,
        }
    }
}

/// Seconds since midnight of a clock time.
fn seconds(t: Time) -> i64 {
    i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second())
}

/// Parses a minute offset `±n` into seconds, or `None` for a clock time.
fn minutes(text: &[u8]) -> Result<Option<i64>, SelectError> {
    let bad = || SelectError::BadTime { text: text.to_vec() };
    match offset(text, bad)? {
        Some(m) => m.checked_mul(60).map(Some).ok_or_else(|| overflow(text)),
        None => Ok(None),
    }
}

impl TimeRange {
    /// Parses the text after the `t` of a range body (`body` is the whole body, for error messages). Only
    /// `ctx.now` matters: the current time of day and the local time zone.
    pub fn parse(text: &[u8], body: &[u8], negated: bool, ctx: ParseContext<'_>) -> Result<Self, SelectError> {
        let now = ctx.now;
        let (stamp, utc, rest) = modifiers(text, body)?;
        let tz = if utc { TimeZone::UTC } else { now.time_zone().clone() };
        let now_s = seconds(now.with_time_zone(tz.clone()).time());
        let (first, second) = split_pair(rest, body)?;
        if first.is_empty() {
            return Err(bad_range(body));
        }
        let start_offset = minutes(first)?;
        let start = match start_offset {
            Some(off) => now_s.checked_add(off).ok_or_else(|| overflow(first))?,
            None => seconds(parse_clock(first)?),
        };
        let (lo, hi) = match second {
            None if start_offset.is_some() => (start.min(now_s), start.max(now_s)),
            None if start <= now_s => (start, now_s),
            None => (start, now_s + DAY),
            Some(second) => match minutes(second)? {
                Some(off) => {
                    let other = start.checked_add(off).ok_or_else(|| overflow(second))?;
                    (start.min(other), start.max(other))
                }
                None => {
                    // An end before the start wraps past midnight: 23:00,1:00 is 23:00 to 01:00 next day.
                    let (a, b) = (start.rem_euclid(DAY), seconds(parse_clock(second)?));
                    if b < a { (a, b + DAY) } else { (a, b) }
                }
            },
        };
        let len = hi.saturating_sub(lo).min(DAY - 1);
        Ok(Self {
            stamp,
            tz,
            start: u32::try_from(lo.rem_euclid(DAY)).map_err(|_| overflow(body))?,
            len: u32::try_from(len).map_err(|_| overflow(body))?,
            negated,
        })
    }

    /// Whether the candidate passes (its time of day inside the range, or outside when negated).
    pub fn admits(&self, c: &Candidate<'_>) -> bool {
        let Some(t) = self.stamp.of(c) else {
            return false;
        };
        let tod = seconds(self.tz.to_datetime(t).time());
        let inside = (tod - i64::from(self.start)).rem_euclid(DAY) <= i64::from(self.len);
        inside != self.negated
    }
}

//! Unit tests of date `/[d…]` and time `/[t…]` ranges (docs/spec/reference.md §3.5, §3.6, §3.12), with a fixed "now":
//! Friday 2024-03-15 12:34:56 at UTC−05:00. Pure; no file system, no clock.

use jiff::civil::date;
use jiff::tz::{TimeZone, offset};
use jiff::{Timestamp, Zoned};

use super::candidate::Candidate;
use super::date_order::DateOrder;
use super::datetime::{DateRange, ParseContext, Stamp, TimeRange, parse_date};
use super::error::SelectError;
use super::range::Range;

fn local() -> TimeZone {
    TimeZone::fixed(offset(-5))
}

fn now() -> Zoned {
    match date(2024, 3, 15).at(12, 34, 56, 0).to_zoned(local()) {
        Ok(z) => z,
        Err(e) => panic!("{e}"),
    }
}

/// A local instant (UTC−5), with `ns` nanoseconds.
fn at(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8, ns: i32) -> Timestamp {
    match date(y, mo, d).at(h, mi, s, ns).to_zoned(local()) {
        Ok(z) => z.timestamp(),
        Err(e) => panic!("{e}"),
    }
}

const END: i32 = 999_999_999;

fn parse(body: &str) -> Result<Range, SelectError> {
    Range::parse(body.as_bytes(), false, ParseContext::new(&now(), DateOrder::MonthDayYear))
}

fn date_range(body: &str) -> DateRange {
    match parse(body) {
        Ok(Range::Date(r)) => r,
        other => panic!("{body}: {other:?}"),
    }
}

fn time_range(body: &str) -> TimeRange {
    match parse(body) {
        Ok(Range::Time(r)) => r,
        other => panic!("{body}: {other:?}"),
    }
}

fn span(body: &str) -> (Timestamp, Timestamp) {
    let r = date_range(body);
    (r.start, r.end)
}

#[test]
fn relative_dates() {
    let now = now().timestamp();
    assert_eq!(span("d-7"), (at(2024, 3, 8, 0, 0, 0, 0), now));
    assert_eq!(span("d"), (at(2024, 3, 15, 0, 0, 0, 0), now));
    assert_eq!(span("d-0"), (at(2024, 3, 15, 0, 0, 0, 0), now));
    assert_eq!(span("d-1"), (at(2024, 3, 14, 0, 0, 0, 0), now));
    let yesterday = (at(2024, 3, 14, 0, 0, 0, 0), at(2024, 3, 14, 23, 59, 59, END));
    assert_eq!(span("d-1,+0"), yesterday);
    assert_eq!(span("d-7,+0").1, at(2024, 3, 8, 23, 59, 59, END));
    let want = (at(2024, 3, 13, 15, 0, 0, 0), at(2024, 3, 14, 23, 59, 59, END));
    assert_eq!(span("d-2@15:00,+1"), want);
    // A start in the future is swapped with "now".
    assert_eq!(span("d+1"), (now, at(2024, 3, 16, 0, 0, 0, 0)));
}

#[test]
fn absolute_dates_and_offsets() {
    let want = (at(1997, 10, 27, 0, 0, 0, 0), at(1997, 10, 30, 23, 59, 59, END));
    assert_eq!(span("d10-27-97,+3"), want);
    let want = (at(1997, 10, 24, 0, 0, 0, 0), at(1997, 10, 27, 23, 59, 59, END));
    assert_eq!(span("d10-27-97,-3"), want);
    let want = (at(2024, 1, 1, 0, 0, 0, 0), at(2024, 1, 11, 23, 59, 59, END));
    assert_eq!(span("d2024-01-01,+10"), want);
    assert_eq!(span("d2024-01-11,2024-01-01"), want);
    assert_eq!(span("d2024-01-01,2024-01-11"), want);
    assert_eq!(span("d1-2-24"), (at(2024, 1, 2, 0, 0, 0, 0), now().timestamp()));
    let want = (at(1980, 1, 1, 0, 0, 0, 0), at(2024, 3, 12, 23, 59, 59, END));
    assert_eq!(span("d-3,1/1/80"), want);
    let want = (at(2010, 7, 1, 8, 0, 0, 0), at(2010, 7, 3, 18, 0, 0, END));
    assert_eq!(span("d2010-7-01@8:00a,2010-7-03@6:00p"), want);
    let want = (at(2024, 1, 1, 8, 0, 0, 0), at(2024, 1, 1, 18, 0, 0, END));
    assert_eq!(span("d2024-01-01@18:00,2024-01-01@08:00"), want);
}

#[test]
fn separators_and_year_pivot() {
    let day = |s: &str| span(&format!("d{s},+0")).0;
    assert_eq!(day("2024.01.05"), at(2024, 1, 5, 0, 0, 0, 0));
    assert_eq!(day("2024/1/5"), at(2024, 1, 5, 0, 0, 0, 0));
    assert_eq!(day("01/05/2024"), at(2024, 1, 5, 0, 0, 0, 0));
    assert_eq!(day("1.5.24"), at(2024, 1, 5, 0, 0, 0, 0));
    assert_eq!(day("1-1-79"), at(2079, 1, 1, 0, 0, 0, 0));
    assert_eq!(day("1-1-80"), at(1980, 1, 1, 0, 0, 0, 0));
    assert_eq!(day("1-1-99"), at(1999, 1, 1, 0, 0, 0, 0));
    assert_eq!(day("1-1-00"), at(2000, 1, 1, 0, 0, 0, 0));
    assert_eq!(day("2-29-2024"), at(2024, 2, 29, 0, 0, 0, 0));
}

#[test]
fn stamps_modifiers_and_utc() {
    assert_eq!(date_range("d-1").stamp, Stamp::Modified);
    assert_eq!(date_range("dw-1").stamp, Stamp::Modified);
    assert_eq!(date_range("da-1").stamp, Stamp::Accessed);
    assert_eq!(date_range("dc-30").stamp, Stamp::Created);
    assert_eq!(date_range("DCU-30").stamp, Stamp::Created);
    let r = date_range("du2024-01-01,+0");
    let utc = |h, m, s, ns| date(2024, 1, 1).at(h, m, s, ns).to_zoned(TimeZone::UTC);
    assert_eq!(Some(r.start), utc(0, 0, 0, 0).ok().map(|z| z.timestamp()));
    assert_eq!(Some(r.end), utc(23, 59, 59, END).ok().map(|z| z.timestamp()));
    assert_eq!(date_range("dau").stamp, Stamp::Accessed);
}

#[test]
fn date_predicate() {
    let r = date_range("d2024-01-01,2024-01-02");
    let mut c = Candidate::file(b"x");
    c.modified = at(2024, 1, 2, 23, 59, 59, 500);
    assert!(r.admits(&c));
    c.modified = at(2024, 1, 3, 0, 0, 0, 0);
    assert!(!r.admits(&c));
    c.modified = at(2024, 1, 1, 0, 0, 0, 0);
    assert!(r.admits(&c));
    let neg = Range::parse(b"d2024-01-01,2024-01-02", true, ParseContext::new(&now(), DateOrder::MonthDayYear));
    assert!(neg.is_ok_and(|n| !n.admits(&c)));
    // Access and creation times.
    let r = date_range("da2024-01-01,+0");
    c.accessed = at(2024, 1, 1, 12, 0, 0, 0);
    assert!(r.admits(&c));
    let r = date_range("dc2024-01-01,+0");
    assert!(!r.admits(&c), "unknown creation time matches nothing");
    let neg = Range::parse(b"dc2024-01-01,+0", true, ParseContext::new(&now(), DateOrder::MonthDayYear));
    assert!(neg.is_ok_and(|n| !n.admits(&c)), "even when negated");
    c.created = Some(at(2024, 1, 1, 1, 0, 0, 0));
    assert!(r.admits(&c));
}

#[test]
fn bad_dates() {
    let bad_date = |s: &str| SelectError::BadDate { text: s.as_bytes().to_vec() };
    for (body, text) in [
        ("d13-01-2024", "13-01-2024"),
        ("d2024-13-01", "2024-13-01"),
        ("d2024-01-32", "2024-01-32"),
        ("d01-32-24", "01-32-24"),
        ("d2023-02-29", "2023-02-29"),
        ("d1900-01-01", "1900-01-01"),
        ("d2024-01", "2024-01"),
        ("d2024-01-01-01", "2024-01-01-01"),
        ("d1-1-124", "1-1-124"),
        ("d001-1-24", "001-1-24"),
        ("d2024--01", "2024--01"),
        ("dx", "x"),
        ("d-", "-"),
        ("d-x", "-x"),
        ("d@8:00", ""),
        ("d2024-01-01,+x", "+x"),
    ] {
        assert_eq!(parse(body).err(), Some(bad_date(text)), "{body}");
    }
}

#[test]
fn bad_date_ranges() {
    for body in ["d2024-01-01,", "d,2024-01-01", "d,", "dcc-1", "duu", "dac-1", "dwu,"] {
        let want = SelectError::BadRange { text: body.as_bytes().to_vec() };
        assert_eq!(parse(body).err(), Some(want), "{body}");
    }
    let bad_time = SelectError::BadTime { text: b"25:00".to_vec() };
    assert_eq!(parse("d2024-01-01@25:00").err(), Some(bad_time));
    assert!(matches!(parse("d-1@"), Err(SelectError::BadTime { .. })));
    assert!(matches!(parse("d-1@8:00x"), Err(SelectError::BadTime { .. })));
    for body in ["d-99999999999", "d+99999999999999999999999", "d2024-01-01,+9999999"] {
        assert!(matches!(parse(body), Err(SelectError::Overflow { .. })), "{body}");
    }
}

// ---- time ranges ----

const NOW_S: u32 = 12 * 3600 + 34 * 60 + 56;

fn clock(body: &str) -> (u32, u32) {
    let r = time_range(body);
    (r.start, r.len)
}

#[test]
fn time_examples() {
    assert_eq!(clock("t12:00p,+120"), (12 * 3600, 7200));
    assert_eq!(clock("t-120,+120"), (NOW_S - 7200, 7200));
    assert_eq!(clock("t0:00,11:59"), (0, 11 * 3600 + 59 * 60));
    assert_eq!(clock("t9:00,17:00"), (9 * 3600, 8 * 3600));
    assert_eq!(clock("t17:00,9:00"), (17 * 3600, 16 * 3600), "evening to morning, not swapped");
    assert_eq!(clock("t-60"), (NOW_S - 3600, 3600));
    assert_eq!(clock("t+60"), (NOW_S, 3600));
    assert_eq!(clock("t12:00,-60"), (11 * 3600, 3600));
    assert_eq!(clock("t9:00:30,9:00:40"), (9 * 3600 + 30, 10));
    assert_eq!(clock("t10:00"), (10 * 3600, NOW_S - 10 * 3600));
}

#[test]
fn time_wraps_past_midnight() {
    assert_eq!(clock("t23:00,1:00"), (23 * 3600, 2 * 3600));
    assert_eq!(clock("t23:59:59,0:00"), (86_399, 1));
    assert_eq!(clock("t9:00,9:00"), (9 * 3600, 0));
    assert_eq!(clock("t9:00:01,9:00"), (9 * 3600 + 1, 86_399), "back to the same second: the whole day");
    assert_eq!(clock("t23:00,+120"), (23 * 3600, 7200));
    assert_eq!(clock("t22:00"), (22 * 3600, NOW_S + 2 * 3600));
    assert_eq!(clock("t1:00,-120"), (23 * 3600, 7200));
    assert_eq!(clock("t0:00,+1440").1, 86_399);
    assert_eq!(clock("t0:00,+99999").1, 86_399);
    assert_eq!(clock("t-1440").1, 86_399);
}

#[test]
fn twelve_hour_clock() {
    assert_eq!(clock("t12:00a,+0").0, 0);
    assert_eq!(clock("t12:30p,+0").0, 12 * 3600 + 1800);
    assert_eq!(clock("t1:15pm,+0").0, 13 * 3600 + 900);
    assert_eq!(clock("t1:15AM,+0").0, 3600 + 900);
    assert_eq!(clock("t11:59:59P,+0").0, 23 * 3600 + 59 * 60 + 59);
}

#[test]
fn time_predicate() {
    let utc = |h, m| date(2020, 1, 1).at(h, m, 0, 0).to_zoned(TimeZone::UTC);
    let mut c = Candidate::file(b"x");
    let set = |c: &mut Candidate<'_>, h, m| {
        if let Ok(z) = utc(h, m) {
            c.modified = z.timestamp();
        }
    };
    let r = time_range("t9:00,17:00");
    set(&mut c, 14, 30); // 09:30 local
    assert!(r.admits(&c));
    set(&mut c, 22, 0); // 17:00 local, inclusive
    assert!(r.admits(&c));
    set(&mut c, 23, 30); // 18:30 local
    assert!(!r.admits(&c));
    assert!(time_range("tu9:00,17:00").admits(&{
        let mut d = c;
        set(&mut d, 14, 30);
        d
    }));
    assert!(!time_range("tu9:00,17:00").admits(&c));
    let neg = Range::parse(b"t9:00,17:00", true, ParseContext::new(&now(), DateOrder::MonthDayYear));
    assert!(neg.is_ok_and(|n| n.admits(&c)));
    let night = time_range("t23:00,1:00");
    for (h, m, inside) in [(4, 0, true), (5, 30, true), (6, 0, true), (6, 1, false), (3, 59, false), (17, 0, false)] {
        set(&mut c, h, m); // UTC; local is five hours earlier
        assert_eq!(night.admits(&c), inside, "{h}:{m:02} UTC");
    }
    let wrap = time_range("t23:00,+120");
    set(&mut c, 5, 30); // 00:30 local
    assert!(wrap.admits(&c));
    set(&mut c, 7, 1); // 02:01 local
    assert!(!wrap.admits(&c));
    let access = time_range("ta9:00,17:00");
    assert_eq!(access.stamp, Stamp::Accessed);
    assert!(!time_range("tc0:00,+1440").admits(&c), "no creation time");
}

#[test]
fn bad_times() {
    let bad_time = |s: &str| Some(SelectError::BadTime { text: s.as_bytes().to_vec() });
    for (body, text) in [
        ("t25:00", "25:00"),
        ("t24:00", "24:00"),
        ("t12:60", "12:60"),
        ("t12:00:60", "12:00:60"),
        ("t12", "12"),
        ("t1:2:3:4", "1:2:3:4"),
        ("t0:00a", "0:00a"),
        ("t13:00p", "13:00p"),
        ("t123:00", "123:00"),
        ("t:30", ":30"),
        ("t9:00,x", "x"),
        ("t-", "-"),
        ("t9:00,+", "+"),
    ] {
        assert_eq!(parse(body).err(), bad_time(text), "{body}");
    }
    for body in ["t", "ta", "t9:00,", "t,9:00", "tcc9:00"] {
        let want = SelectError::BadRange { text: body.as_bytes().to_vec() };
        assert_eq!(parse(body).err(), Some(want), "{body}");
    }
    for body in ["t-999999999999999999", "t+99999999999999999999", "t9:00,+999999999999999999"] {
        assert!(matches!(parse(body), Err(SelectError::Overflow { .. })), "{body}");
    }
}

// ---- the locale's date order ----

fn date_in(text: &str, order: DateOrder) -> Option<(i16, i8, i8)> {
    parse_date(text.as_bytes(), order).ok().map(|d| (d.year(), d.month(), d.day()))
}

#[test]
fn iso_dates_are_read_in_every_order() {
    for order in [DateOrder::MonthDayYear, DateOrder::DayMonthYear, DateOrder::YearMonthDay] {
        assert_eq!(date_in("2024-01-31", order), Some((2024, 1, 31)), "{order:?}");
        assert_eq!(date_in("2024.1.5", order), Some((2024, 1, 5)), "{order:?}");
        assert_eq!(date_in("2024/12/01", order), Some((2024, 12, 1)), "{order:?}");
    }
}

#[test]
fn day_month_year_locales() {
    let dmy = DateOrder::DayMonthYear;
    assert_eq!(date_in("31.12.2023", dmy), Some((2023, 12, 31)));
    assert_eq!(date_in("01.02.24", dmy), Some((2024, 2, 1)));
    assert_eq!(date_in("1/2/99", dmy), Some((1999, 2, 1)));
    assert_eq!(date_in("29-02-2024", dmy), Some((2024, 2, 29)));
    assert_eq!(date_in("12.31.2023", dmy), None, "month 31");
    assert_eq!(date_in("31.12.2023", DateOrder::MonthDayYear), None, "refused read month first");
}

#[test]
fn month_day_year_locales() {
    let mdy = DateOrder::MonthDayYear;
    assert_eq!(date_in("01.02.24", mdy), Some((2024, 1, 2)));
    assert_eq!(date_in("12/31/2023", mdy), Some((2023, 12, 31)));
}

#[test]
fn year_month_day_locales() {
    let ymd = DateOrder::YearMonthDay;
    assert_eq!(date_in("24.02.01", ymd), Some((2024, 2, 1)));
    assert_eq!(date_in("99-12-31", ymd), Some((1999, 12, 31)));
    assert_eq!(date_in("31.12.2023", ymd), Some((2023, 12, 31)), "a four-digit year last: day first");
    assert_eq!(date_in("24.13.01", ymd), None);
    assert_eq!(date_in("124.1.1", ymd), None);
}

#[test]
fn ranges_use_the_given_order() {
    let now = now();
    let ctx = |order| ParseContext::new(&now, order);
    let dmy = |body: &str| match Range::parse(body.as_bytes(), false, ctx(DateOrder::DayMonthYear)) {
        Ok(Range::Date(r)) => (r.start, r.end),
        other => panic!("{body}: {other:?}"),
    };
    let want = (at(2023, 12, 31, 0, 0, 0, 0), at(2024, 1, 1, 23, 59, 59, END));
    assert_eq!(dmy("d31.12.2023,01.01.24"), want);
    assert_eq!(dmy("d31.12.2023,+1"), want);
    let mdy = Range::parse(b"d31.12.2023", false, ctx(DateOrder::MonthDayYear));
    assert_eq!(mdy.err(), Some(SelectError::BadDate { text: b"31.12.2023".to_vec() }));
}

//! The order of day, month and year in a typed date, and how the user's locale chooses it.
//!
//! This module owns the locale table. It is pure: the caller reads `LC_ALL`, `LC_TIME` and `LANG` and hands their
//! values in; nothing here reads the environment.
//!
//! The table follows the date format (`d_fmt`, what `date +%x` prints) of the GNU C library's locale data, keyed by
//! language and, where a language's countries differ, by territory:
//!
//! | locale | order | example (31 December 2023) |
//! |---|---|---|
//! | `C`, `POSIX`, empty, unset, not of the form `ll[_TT]` | month-day-year | `12/31/23` |
//! | `en` and `en_US`, `en_HK`, or `en` with a territory not listed below | month-day-year | `12/31/23` |
//! | `en_GB`, `en_IE`, `en_AU`, `en_NZ`, `en_IN`, `en_ZA`, `en_SG`, `en_PH`, `en_IL`, `en_NG`, `en_BW`, `en_ZM`, `en_ZW`, `en_AG`, `en_SC` | day-month-year | `31/12/23` |
//! | `en_CA`, `en_DK`, `fr_CA`, `az_IR` | year-month-day | `23-12-31` |
//! | `fil`, `tl`, `hy`, `ka`, `ab`, `chr`, `iu`, `kl`, `ks`, `brx`, `bem` (any territory) | month-day-year | `12/31/23` |
//! | `ja`, `zh`, `ko`, `hu`, `lt`, `lv`, `mn`, `sv` (but `sv_FI`), `eu`, `fa`, `si`, `ne`, `ps`, `se`, `my`, `bo`, `dz`, … | year-month-day | `23.12.31` |
//! | `de`, `fr`, `es`, `it`, `pt`, `nl`, `ru`, `pl`, `cs`, `da`, `nb`, `fi`, `tr`, `el`, `ar`, `he`, `hi`, `vi`, `th`, `sv_FI`, … (most of Europe, Latin America, Africa and South Asia) | day-month-year | `31.12.23` |
//! | a language in none of the lists | month-day-year | `12/31/23` |
//!
//! One deliberate difference from the C library: it gives `de_AT`, `de_BE` and `de_LU` the ISO format, but people
//! there type the day first like the rest of the German-speaking world, and ISO dates are accepted in every order
//! anyway, so every `de` locale reads day-month-year.
//!
//! A locale name is `language[_TERRITORY][.codeset][@modifier]`; `-` is accepted in place of `_`, and case does not
//! matter.

use std::ffi::OsStr;

/// How a date whose first field is not a four-digit year is read (an ISO `yyyy-mm-dd` date is read the same way in
/// every order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DateOrder {
    /// `mm-dd-yy`: the United States and the C locale.
    #[default]
    MonthDayYear,
    /// `dd-mm-yy`: most of Europe, Latin America, Africa and South Asia.
    DayMonthYear,
    /// `yy-mm-dd`: East Asia, Hungary, Lithuania, Sweden, …
    YearMonthDay,
}

/// Languages read day first, whatever the territory (sorted, for the binary search).
const DAY_FIRST: &[&str] = &[
    "aa", "af", "agr", "am", "an", "anp", "ar", "as", "ast", "ayc", "az", "be", "ber", "bg", "bhb", "bho", "bi", "bn",
    "br", "bs", "byn", "ca", "ckb", "crh", "cs", "cv", "cy", "da", "de", "doi", "dsb", "dv", "el", "es", "et", "ff",
    "fi", "fo", "fr", "fur", "fy", "ga", "gd", "gez", "gl", "gu", "gv", "ha", "he", "hi", "hif", "hne", "hr", "hsb",
    "ht", "ia", "id", "ig", "ik", "is", "it", "kab", "kk", "km", "kn", "kok", "ku", "kw", "ky", "lb", "lg", "li",
    "lij", "ln", "lo", "mag", "mai", "mfe", "mg", "mi", "miq", "mjw", "mk", "ml", "mni", "mr", "ms", "mt", "nb", "nds",
    "nhn", "niu", "nl", "nn", "no", "nr", "nso", "oc", "om", "or", "os", "pa", "pap", "pl", "pt", "quz", "raj", "rif",
    "ro", "ru", "rw", "sa", "sat", "sc", "sd", "shs", "sid", "sk", "sl", "sm", "so", "sq", "sr", "ss", "st", "sw",
    "szl", "ta", "tcy", "te", "tg", "th", "the", "ti", "tig", "tk", "tn", "to", "tpi", "tr", "ts", "tt", "ug", "uk",
    "unm", "ur", "uz", "ve", "vi", "wa", "wal", "wo", "xh", "yi", "yo", "yuw", "zu",
];

/// Languages read year first, whatever the territory (sorted).
const YEAR_FIRST: &[&str] = &[
    "ak", "bo", "cmn", "csb", "dz", "eu", "fa", "hak", "hu", "ja", "ko", "lt", "lv", "lzh", "mhr", "mn", "mnw", "my",
    "nan", "ne", "ps", "sah", "se", "sgs", "shn", "si", "sv", "wae", "yue", "zh",
];

/// Territories of `en` that read day first (sorted).
const EN_DAY_FIRST: &[&str] =
    &["AG", "AU", "BW", "GB", "IE", "IL", "IN", "NG", "NZ", "PH", "SC", "SG", "ZA", "ZM", "ZW"];

/// Language and territory pairs that differ from their language's order.
const TERRITORY_EXCEPTIONS: &[(&str, &str, DateOrder)] = &[
    ("az", "IR", DateOrder::YearMonthDay),
    ("en", "CA", DateOrder::YearMonthDay),
    ("en", "DK", DateOrder::YearMonthDay),
    ("fr", "CA", DateOrder::YearMonthDay),
    ("sv", "FI", DateOrder::DayMonthYear),
];

impl DateOrder {
    /// The order of one locale name (the value of `LC_ALL`, `LC_TIME` or `LANG`), by the table in the module
    /// documentation. Anything that is not a locale name gives [`MonthDayYear`](Self::MonthDayYear).
    pub fn from_locale(name: &OsStr) -> Self {
        Self::from_locale_bytes(name.as_encoded_bytes())
    }

    /// [`from_locale`](Self::from_locale) on the raw bytes of the name.
    fn from_locale_bytes(name: &[u8]) -> Self {
        let end = name.iter().position(|&b| b == b'.' || b == b'@').unwrap_or(name.len());
        let mut parts = name[..end].splitn(2, |&b| b == b'_' || b == b'-');
        let language = parts.next().unwrap_or_default().to_ascii_lowercase();
        let territory = parts.next().map(<[u8]>::to_ascii_uppercase);
        // `ll` or `lll` letters; a territory of two letters or three digits (`es_419`).
        let language_ok = (2..=3).contains(&language.len()) && language.iter().all(u8::is_ascii_alphabetic);
        let territory_ok = |t: &[u8]| (2..=3).contains(&t.len()) && t.iter().all(u8::is_ascii_alphanumeric);
        if !language_ok || territory.as_deref().is_some_and(|t| !territory_ok(t)) {
            return Self::MonthDayYear;
        }
        let territory = territory.unwrap_or_default();
        // Both are short ASCII now.
        let (Ok(language), Ok(territory)) = (std::str::from_utf8(&language), std::str::from_utf8(&territory)) else {
            return Self::MonthDayYear;
        };
        if let Some(&(_, _, order)) = TERRITORY_EXCEPTIONS.iter().find(|(l, t, _)| *l == language && *t == territory) {
            return order;
        }
        if language == "en" {
            return if EN_DAY_FIRST.binary_search(&territory).is_ok() {
                Self::DayMonthYear
            } else {
                Self::MonthDayYear
            };
        }
        if DAY_FIRST.binary_search(&language).is_ok() {
            Self::DayMonthYear
        } else if YEAR_FIRST.binary_search(&language).is_ok() {
            Self::YearMonthDay
        } else {
            // The month-first languages of the table, and every language it does not know.
            Self::MonthDayYear
        }
    }

    /// The order for the environment's values of `LC_ALL`, `LC_TIME` and `LANG` (in that order of precedence, as
    /// POSIX ranks them): the first one that is set and not empty decides. None set gives
    /// [`MonthDayYear`](Self::MonthDayYear), the C locale's order.
    pub fn from_env_values(lc_all: Option<&OsStr>, lc_time: Option<&OsStr>, lang: Option<&OsStr>) -> Self {
        [lc_all, lc_time, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty())
            .map_or(Self::MonthDayYear, Self::from_locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(name: &str) -> DateOrder {
        DateOrder::from_locale(OsStr::new(name))
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for table in [DAY_FIRST, YEAR_FIRST, EN_DAY_FIRST] {
            assert!(table.windows(2).all(|w| w[0] < w[1]), "{table:?}");
        }
        for lang in DAY_FIRST {
            assert!(YEAR_FIRST.binary_search(lang).is_err(), "{lang}");
        }
    }

    #[test]
    fn c_posix_empty_and_garbage_read_month_first() {
        for name in
            ["C", "POSIX", "", "C.UTF-8", "c", "x", "1234", "_DE", "de_", "de__DE", "toolong_XX", "de_D", "d1_DE"]
        {
            assert_eq!(order(name), DateOrder::MonthDayYear, "{name:?}");
        }
    }

    #[test]
    fn english_depends_on_the_territory() {
        assert_eq!(order("en_US.UTF-8"), DateOrder::MonthDayYear);
        assert_eq!(order("en"), DateOrder::MonthDayYear);
        assert_eq!(order("en_HK"), DateOrder::MonthDayYear);
        assert_eq!(order("en_GB"), DateOrder::DayMonthYear);
        assert_eq!(order("en_GB.UTF-8"), DateOrder::DayMonthYear);
        assert_eq!(order("en_AU.utf8"), DateOrder::DayMonthYear);
        assert_eq!(order("en_IN"), DateOrder::DayMonthYear);
        assert_eq!(order("en_CA"), DateOrder::YearMonthDay);
        assert_eq!(order("en_DK.UTF-8"), DateOrder::YearMonthDay);
        assert_eq!(order("en_XX"), DateOrder::MonthDayYear);
    }

    #[test]
    fn europe_and_latin_america_read_day_first() {
        for name in [
            "de_DE.UTF-8",
            "de_AT",
            "de_CH",
            "fr_FR",
            "fr_BE.UTF-8@euro",
            "es_MX",
            "es_AR",
            "pt_BR",
            "it_IT",
            "nl_NL",
            "ru_RU.KOI8-R",
            "pl_PL",
            "sv_FI",
            "tr_TR",
            "de",
            "DE_de",
            "de-DE",
            "nb_NO",
            "no_NO",
            "es_419.UTF-8",
        ] {
            assert_eq!(order(name), DateOrder::DayMonthYear, "{name}");
        }
    }

    #[test]
    fn east_asia_hungary_lithuania_sweden_read_year_first() {
        for name in ["ja_JP.UTF-8", "zh_CN", "zh_TW.Big5", "ko_KR", "hu_HU", "lt_LT", "lv_LV", "sv_SE", "fr_CA", "mn"] {
            assert_eq!(order(name), DateOrder::YearMonthDay, "{name}");
        }
    }

    #[test]
    fn month_first_languages() {
        for name in
            ["fil_PH", "tl_PH", "hy_AM", "ka_GE", "chr_US", "ab_GE", "bem_ZM", "brx_IN", "iu_CA", "kl_GL", "ks_IN"]
        {
            assert_eq!(order(name), DateOrder::MonthDayYear, "{name}");
        }
        assert_eq!(order("qq_QQ"), DateOrder::MonthDayYear, "an unknown language");
    }

    #[test]
    fn non_utf8_bytes_outside_the_codeset_are_not_a_locale() {
        assert_eq!(DateOrder::from_locale_bytes(b"de_\xffE"), DateOrder::MonthDayYear);
        assert_eq!(DateOrder::from_locale_bytes(b"\xc3\xa9s_ES"), DateOrder::MonthDayYear);
        assert_eq!(DateOrder::from_locale_bytes(b"de_DE.\xff"), DateOrder::DayMonthYear);
        assert_eq!(DateOrder::from_locale_bytes(b"de_DE@\xff"), DateOrder::DayMonthYear);
    }

    #[test]
    fn posix_precedence_lc_all_lc_time_lang() {
        let v = |s: &'static str| Some(OsStr::new(s));
        let pick = DateOrder::from_env_values;
        assert_eq!(pick(v("de_DE"), v("ja_JP"), v("en_US")), DateOrder::DayMonthYear);
        assert_eq!(pick(None, v("ja_JP"), v("de_DE")), DateOrder::YearMonthDay);
        assert_eq!(pick(v(""), v(""), v("de_DE")), DateOrder::DayMonthYear, "empty values do not count");
        assert_eq!(pick(None, None, v("en_GB.UTF-8")), DateOrder::DayMonthYear);
        assert_eq!(pick(None, None, None), DateOrder::MonthDayYear);
        assert_eq!(pick(v("C"), v("de_DE"), None), DateOrder::MonthDayYear, "LC_ALL=C wins");
    }
}

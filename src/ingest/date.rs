//! Dates as clerks enter them: real date cells (1900 and 1904 systems), serial numbers
//! in General cells, 8-digit numbers (20210305), and text in five styles
//! (2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日, 20210305), each with or without a
//! time. A date must exist: 2021-02-30 is unreadable, never rolled over.

use chrono::{Datelike, NaiveDate};

use super::workbook::Value;
use crate::text;

/// What a date column holds: a date, blank (empty, or a placeholder meaning "no date
/// yet": 未公开, 待定, /, — …) or unreadable. Four bytes (a day number, two values below
/// every date for blank and unreadable): a million records hold three each.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DateCell(i32);

impl DateCell {
    pub const BLANK: DateCell = DateCell(i32::MIN);
    pub const UNREADABLE: DateCell = DateCell(i32::MIN + 1);

    /// A date (chrono's dates are days −262 143 to 262 142 years from year 1: far from
    /// the two values kept for blank and unreadable).
    pub fn on(d: NaiveDate) -> DateCell {
        DateCell(d.num_days_from_ce())
    }

    pub fn date(self) -> Option<NaiveDate> {
        if self == DateCell::BLANK || self == DateCell::UNREADABLE {
            return None;
        }
        NaiveDate::from_num_days_from_ce_opt(self.0)
    }
}

impl std::fmt::Debug for DateCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.date() {
            Some(d) => write!(f, "Date({d})"),
            None if *self == DateCell::BLANK => f.write_str("Blank"),
            None => f.write_str("Unreadable"),
        }
    }
}

/// Dates outside these years are typing errors, not dates.
const MIN_YEAR: i32 = 1950;
const MAX_YEAR: i32 = 2100;

fn plausible(d: NaiveDate) -> Option<NaiveDate> {
    (MIN_YEAR..=MAX_YEAR).contains(&d.year()).then_some(d)
}

/// Reads a date column's cell. `no_date_words` are the placeholders of the rules.
pub fn parse_cell(v: &Value, no_date_words: &[String]) -> DateCell {
    match v {
        Value::Empty => DateCell::BLANK,
        Value::Date(dt) => plausible(dt.date()).map_or(DateCell::UNREADABLE, DateCell::on),
        Value::Number(n) => from_number(*n).map_or(DateCell::UNREADABLE, DateCell::on),
        Value::Text(s) => parse_cell_text(s, no_date_words),
        Value::Shared(s) => parse_cell_text(s.as_str(), no_date_words),
        Value::Bool(_) | Value::Error(_) | Value::NoResult(_) => DateCell::UNREADABLE,
    }
}

/// Reads a date column's text cell (what `parse_cell` does with `Value::Text`).
pub fn parse_cell_text(s: &str, no_date_words: &[String]) -> DateCell {
    let s = text::clean(s);
    if s.is_empty() || no_date_words.iter().any(|w| w == s) {
        DateCell::BLANK
    } else {
        parse_text(s).map_or(DateCell::UNREADABLE, DateCell::on)
    }
}

/// A number in a date column: an 8-digit yyyymmdd, else an Excel serial (1900 system).
pub fn from_number(n: f64) -> Option<NaiveDate> {
    if !n.is_finite() || n < 1.0 {
        return None;
    }
    let whole = n.trunc();
    if (10_000_000.0..100_000_000.0).contains(&whole) {
        if whole != n {
            return None;
        }
        return yyyymmdd(whole as u32);
    }
    from_serial(n)
}

/// An Excel 1900-system serial day number (time fraction ignored). Serial 60 is the
/// non-existent 1900-02-29 and is rejected.
pub fn from_serial(n: f64) -> Option<NaiveDate> {
    let days = n.trunc() as i64;
    if days == 60 || days < 1 {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let offset = if days < 60 { days + 1 } else { days };
    plausible(epoch.checked_add_signed(chrono::Duration::days(offset))?)
}

fn yyyymmdd(v: u32) -> Option<NaiveDate> {
    plausible(NaiveDate::from_ymd_opt((v / 10_000) as i32, (v / 100) % 100, v % 100)?)
}

/// Parses a text date in any accepted style, with an optional trailing time.
pub fn parse_text(s: &str) -> Option<NaiveDate> {
    let s = text::half(text::clean(s));
    let b = s.as_bytes();
    // Leading digits: either an 8-digit date or a 4-digit year.
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let (date, rest) = if digits == 8 {
        let v: u32 = s[..8].parse().ok()?;
        (yyyymmdd(v)?, &s[8..])
    } else if digits == 4 {
        let year: i32 = s[..4].parse().ok()?;
        let mut rest = &s[4..];
        rest = strip_sep(rest, &["-", "/", ".", "年"])?;
        let (month, r) = take_number(rest)?;
        rest = strip_sep(r, &["-", "/", ".", "月"])?;
        let (day, r) = take_number(rest)?;
        rest = match r.strip_prefix('日').or_else(|| r.strip_prefix('号')) {
            // 2021年3月5日10时: the day mark separates the time.
            Some(after) => {
                return is_time(&format!(" {after}"))
                    .then(|| plausible(NaiveDate::from_ymd_opt(year, month, day)?))
                    .flatten()
            }
            None => r,
        };
        (plausible(NaiveDate::from_ymd_opt(year, month, day)?)?, rest)
    } else {
        return None;
    };
    is_time(rest).then_some(date)
}

fn strip_sep<'a>(s: &'a str, seps: &[&str]) -> Option<&'a str> {
    seps.iter().find_map(|p| s.strip_prefix(p))
}

/// One or two digits.
fn take_number(s: &str) -> Option<(u32, &str)> {
    let n = s.bytes().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 2 {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// What may follow a date: nothing, or a separator (whitespace or T) and a time of
/// day (10:30, 10:30:00, 10时30分, 上午10:30, 10:30 AM).
fn is_time(rest: &str) -> bool {
    if rest.is_empty() {
        return true;
    }
    let t = match rest.strip_prefix('T') {
        Some(r) => r,
        None => {
            let tr = rest.trim_start();
            if tr.len() == rest.len() {
                return false;
            }
            tr
        }
    };
    if t.is_empty() {
        return true;
    }
    let t = t.strip_prefix("上午").or_else(|| t.strip_prefix("下午")).unwrap_or(t);
    t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || c == ' '
                || matches!(
                    c,
                    ':' | '.' | '时' | '分' | '秒' | '点' | 'A' | 'P' | 'M' | 'a' | 'p' | 'm'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_date_cell_is_a_date_blank_or_unreadable() {
        for d in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            d(1900, 1, 1),
            d(2021, 2, 28),
            d(1, 1, 1),
        ] {
            let c = DateCell::on(d);
            assert_eq!(c.date(), Some(d));
            assert!(c != DateCell::BLANK && c != DateCell::UNREADABLE);
        }
        assert_eq!((DateCell::BLANK.date(), DateCell::UNREADABLE.date()), (None, None));
        assert_ne!(DateCell::BLANK, DateCell::UNREADABLE);
        assert_eq!(format!("{:?}", DateCell::on(d(2021, 3, 5))), "Date(2021-03-05)");
    }

    #[test]
    fn five_text_styles_with_and_without_time() {
        for s in [
            "2021-03-05",
            "2021/3/5",
            "2021.3.5",
            "2021年3月5日",
            "20210305",
            "2021-03-05 10:30",
            "2021/3/5 10:30:00",
            "2021-03-05T10:30:00",
            "2021年3月5日 10时30分",
            "2021年03月05日",
            "２０２１－０３－０５",
            " 2021-3-5 ",
            "2021年3月5号",
        ] {
            assert_eq!(parse_text(s), Some(d(2021, 3, 5)), "{s}");
        }
    }

    #[test]
    fn impossible_and_garbage_dates_are_unreadable() {
        for s in [
            "2021-02-30",
            "2021-13-01",
            "20210230",
            "2021-3",
            "3/5/2021",
            "明天",
            "2021-03-05号码",
            "21-3-5",
            "2021-003-05",
        ] {
            assert_eq!(parse_text(s), None, "{s}");
        }
    }

    #[test]
    fn numbers_are_yyyymmdd_or_serials() {
        assert_eq!(from_number(20210305.0), Some(d(2021, 3, 5)));
        assert_eq!(from_number(44260.0), Some(d(2021, 3, 5)));
        assert_eq!(from_number(44260.75), Some(d(2021, 3, 5)));
        assert_eq!(from_number(20210230.0), None);
        assert_eq!(from_number(0.0), None);
        assert_eq!(from_number(-3.0), None);
        assert_eq!(from_number(60.0), None);
        // Serial 1 is 1900-01-01, outside the plausible years.
        assert_eq!(from_number(1.0), None);
    }

    #[test]
    fn placeholders_mean_blank() {
        let words: Vec<String> = ["未公开", "待定", "/", "—"].iter().map(|s| s.to_string()).collect();
        assert_eq!(parse_cell(&Value::Text("未公开".into()), &words), DateCell::BLANK);
        assert_eq!(parse_cell(&Value::Text(" / ".into()), &words), DateCell::BLANK);
        assert_eq!(parse_cell(&Value::Empty, &words), DateCell::BLANK);
        assert_eq!(
            parse_cell(&Value::Text("2021-3-5".into()), &words),
            DateCell::on(d(2021, 3, 5))
        );
        assert_eq!(
            parse_cell(&Value::Text("2021-2-30".into()), &words),
            DateCell::UNREADABLE
        );
        assert_eq!(parse_cell(&Value::Bool(true), &words), DateCell::UNREADABLE);
    }
}

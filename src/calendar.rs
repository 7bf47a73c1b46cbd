//! Working-day arithmetic over the official calendar: weekends are off, the
//! 国务院办公厅 holidays are off, the 调休 weekend days are worked. A date in a year
//! with no calendar file is an error, never a Mon–Fri guess.

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One `rules/calendar/YYYY.toml` file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearCalendar {
    pub year: i32,
    /// The notices the file follows, each with its document number.
    pub notices: Vec<String>,
    #[serde(rename = "holiday", default)]
    pub holidays: Vec<HolidayRange>,
    #[serde(rename = "workday", default)]
    pub workdays: Vec<MakeupDay>,
}

/// Days off, both ends included.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayRange {
    pub name: String,
    pub from: String,
    pub to: String,
}

/// A weekend day that is worked (调休上班).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MakeupDay {
    pub name: String,
    pub date: String,
}

/// A date fell in a year that has no calendar file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingYear {
    pub year: i32,
}

impl fmt::Display for MissingYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "没有 {y} 年的节假日安排：请在规则目录中添加 calendar/{y}.toml（按国务院办公厅当年的放假通知填写），再用 --rules 目录 运行",
            y = self.year
        )
    }
}

impl std::error::Error for MissingYear {}

#[derive(Debug, Clone)]
struct Year {
    /// Working day flag by day of year (0-based).
    work: Vec<bool>,
    file: String,
    notices: Vec<String>,
    holidays: Vec<HolidayRange>,
    makeup: Vec<MakeupDay>,
}

/// The calendar of every year that has a file.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
}

fn parse_day(s: &str, file: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("日历文件 {file}：日期“{s}”应写作 YYYY-MM-DD"))
}

/// Day `ordinal0` (0-based) of year `y`, which has a calendar (so it exists).
fn day_of(y: i32, ordinal0: usize) -> Result<NaiveDate, MissingYear> {
    NaiveDate::from_yo_opt(y, ordinal0 as u32 + 1).ok_or(MissingYear { year: y })
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// Builds the calendar from parsed files (name, contents). Checks that every date
    /// lies in the file's year, that 调休 days are weekend days and that no day is
    /// both off and worked.
    pub fn new(files: Vec<(String, YearCalendar)>) -> Result<Calendar> {
        let mut years = BTreeMap::new();
        for (file, yc) in files {
            let y = yc.year;
            let Some(first) = NaiveDate::from_ymd_opt(y, 1, 1) else {
                bail!("日历文件 {file}：年份 {y} 无效");
            };
            let len = if NaiveDate::from_ymd_opt(y, 2, 29).is_some() {
                366
            } else {
                365
            };
            let mut work: Vec<bool> = (0..len)
                .map(|i| !is_weekend(first + chrono::Duration::days(i)))
                .collect();
            let mut off = vec![false; len as usize];
            for h in &yc.holidays {
                let (a, b) = (parse_day(&h.from, &file)?, parse_day(&h.to, &file)?);
                if a.year() != y || b.year() != y || b < a {
                    bail!(
                        "日历文件 {file}：假期“{}”{}至{} 不在 {y} 年内或起止颠倒",
                        h.name,
                        h.from,
                        h.to
                    );
                }
                let mut d = a;
                while d <= b {
                    let i = d.ordinal0() as usize;
                    work[i] = false;
                    off[i] = true;
                    d = d.succ_opt().context("日期溢出")?;
                }
            }
            for m in &yc.workdays {
                let d = parse_day(&m.date, &file)?;
                if d.year() != y {
                    bail!("日历文件 {file}：调休上班日 {} 不在 {y} 年内", m.date);
                }
                if !is_weekend(d) {
                    bail!("日历文件 {file}：调休上班日 {} 不是周末，请核对通知", m.date);
                }
                if off[d.ordinal0() as usize] {
                    bail!("日历文件 {file}：{} 同时是假期和调休上班日", m.date);
                }
                work[d.ordinal0() as usize] = true;
            }
            if years
                .insert(
                    y,
                    Year {
                        work,
                        file: file.clone(),
                        notices: yc.notices,
                        holidays: yc.holidays,
                        makeup: yc.workdays,
                    },
                )
                .is_some()
            {
                bail!("日历：{y} 年有两个文件（{file}）");
            }
        }
        Ok(Calendar { years })
    }

    /// Years that have a calendar file.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The file and notices of a year, for `rules show`.
    #[allow(clippy::type_complexity)]
    pub fn describe(&self, year: i32) -> Option<(&str, &[String], &[HolidayRange], &[MakeupDay])> {
        self.years.get(&year).map(|y| {
            (
                y.file.as_str(),
                y.notices.as_slice(),
                y.holidays.as_slice(),
                y.makeup.as_slice(),
            )
        })
    }

    /// The calendar of a date's year.
    fn year_of(&self, d: NaiveDate) -> Result<(i32, &Year), MissingYear> {
        let y = d.year();
        self.years.get(&y).map(|c| (y, c)).ok_or(MissingYear { year: y })
    }

    pub fn is_workday(&self, d: NaiveDate) -> Result<bool, MissingYear> {
        let y = self.years.get(&d.year()).ok_or(MissingYear { year: d.year() })?;
        Ok(y.work[d.ordinal0() as usize])
    }

    /// The `n`th working day after `d` (`d` itself not counted). `n = 0` gives `d`.
    /// Walks the days in order, a year's flags at a time (one map lookup per year, not
    /// per day); the error names the first year without a calendar that the walk enters.
    pub fn add_workdays(&self, d: NaiveDate, n: u32) -> Result<NaiveDate, MissingYear> {
        let mut left = n;
        let mut cur = d;
        while left > 0 {
            let next = cur.succ_opt().ok_or(MissingYear { year: cur.year() + 1 })?;
            let (y, year) = self.year_of(next)?;
            let start = next.ordinal0() as usize;
            for (i, &w) in year.work.iter().enumerate().skip(start) {
                if w {
                    left -= 1;
                    if left == 0 {
                        return day_of(y, i);
                    }
                }
            }
            cur = day_of(y, year.work.len() - 1)?;
        }
        Ok(cur)
    }

    /// Working days in (from, to]: `from` not counted, `to` counted. The interval is
    /// empty, and the count 0, when `to` is not after `from`.
    pub fn count_workdays(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, MissingYear> {
        if to <= from {
            // Still refuse a year without a calendar, as for any other pair.
            self.is_workday(from)?;
            self.is_workday(to)?;
            return Ok(0);
        }
        let mut n = 0i64;
        let mut cur = from;
        while cur < to {
            let next = cur.succ_opt().ok_or(MissingYear { year: cur.year() + 1 })?;
            let (y, year) = self.year_of(next)?;
            let last = if to.year() == y {
                to.ordinal0() as usize
            } else {
                year.work.len() - 1
            };
            let start = next.ordinal0() as usize;
            n += year.work[start..=last].iter().filter(|w| **w).count() as i64;
            cur = day_of(y, last)?;
        }
        Ok(n)
    }

    /// Working days in [from, to], both counted (征求意见 periods).
    pub fn count_workdays_inclusive(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, MissingYear> {
        if to < from {
            return Ok(0);
        }
        let first = i64::from(self.is_workday(from)?);
        Ok(first + self.count_workdays(from, to)?)
    }
}

#[cfg(test)]
mod tests;

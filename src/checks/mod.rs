//! Pure checks: records + calendar + rules → occurrences of rubric standards, each with
//! its evidence. Nothing here reads files or formats output.

pub mod annual;
pub mod annual_tables;
pub mod columns;
pub mod consultations;
pub mod deadline;
pub mod findings;
pub mod frequency;
pub mod inquiries;
pub mod meetings;
pub mod newmedia;
pub mod publication;
pub mod requests;
mod support;

pub use support::{Charges, Evidence};
#[cfg(test)]
pub(crate) mod testutil;

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

use crate::ingest::{Dataset, Source, UnitId};
use crate::rules::Rules;

/// The assessment period: [1 January (or the rules' `period_start`), as-of]. The start
/// governs every check: rows, months and deadlines before it are not charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub start: NaiveDate,
    pub as_of: NaiveDate,
}

impl Period {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && self.known(d)
    }

    /// Whether something dated `d` is known at as-of (on or before it): an answer or a
    /// publication dated later had not happened yet when the assessment looks.
    pub fn known(&self, d: NaiveDate) -> bool {
        d <= self.as_of
    }

    /// The date if it is known at as-of.
    pub fn known_date(&self, d: Option<NaiveDate>) -> Option<NaiveDate> {
        d.filter(|d| self.known(*d))
    }

    /// Months of the year that ended on or before as-of, from the month the period
    /// starts in (months wholly before `period_start` are not assessed).
    pub fn ended_months(&self) -> Vec<u32> {
        (1..=12)
            .filter(|&m| last_day_of_month(self.year, m).is_some_and(|d| d >= self.start && self.known(d)))
            .collect()
    }
}

pub fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// One occurrence of a rubric standard for a unit.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub unit: UnitId,
    /// Standard id (C3.3) — or an item id for a bonus/penalty standard found by id.
    pub standard: String,
    /// Multiplier (检查记录 次数); 1 for everything a ledger row shows.
    pub count: u32,
    /// Chinese: why.
    pub reason: String,
    pub src: Option<Source>,
    /// The row's title or number, for the evidence column.
    pub label: String,
}

/// Everything the checks found.
#[derive(Debug, Default)]
pub struct Checked {
    pub occurrences: Vec<Occurrence>,
    pub publications: publication::Report,
    pub frequency: frequency::Report,
    /// Items some ledger fed (the others keep their points with no data behind them).
    pub fed: BTreeSet<String>,
    pub meetings: meetings::Report,
    pub requests: requests::Report,
    pub inquiries: inquiries::Report,
    pub newmedia: newmedia::Report,
    pub annual: annual::Report,
    pub consultations: consultations::Report,
    /// C1, C2, F3 from the publication ledger's columns.
    pub columns: columns::Report,
    pub findings: findings::Report,
}

impl Checked {
    /// Data problems the checks found (findings that match no standard, rows whose
    /// deadline cannot be computed …), to be listed with the ingest problems.
    pub fn problems(&self) -> impl Iterator<Item = &crate::ingest::Problem> {
        self.requests
            .problems
            .iter()
            .chain(&self.inquiries.problems)
            .chain(&self.newmedia.problems)
            .chain(&self.findings.problems)
    }
}

/// What the command line adds to the checks.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// `--checkpoints`: new-media monitoring dates (override the rules' default).
    pub checkpoints: Vec<NaiveDate>,
}

/// Runs every check over the dataset.
pub fn run(ds: &Dataset, rules: &Rules, period: &Period, extra: &Extra) -> Checked {
    let mut out = Checked::default();
    let ch = &mut Charges::new(rules, &mut out.occurrences, &mut out.fed);
    out.publications = publication::check(ds, rules, period, ch);
    out.frequency = frequency::check(ds, rules, period, &out.publications, ch);
    out.columns = columns::check(ds, rules, period, ch);
    out.meetings = meetings::check(ds, rules, period, ch);
    out.requests = requests::check(ds, rules, period, ch);
    out.inquiries = inquiries::check(ds, rules, period, ch);
    out.newmedia = newmedia::check(ds, rules, period, extra, ch);
    out.annual = annual::check(ds, rules, period, ch);
    out.consultations = consultations::check(ds, rules, period, ch);
    out.findings = findings::check(ds, rules, period, ch);
    out
}

/// The year most dates in the publication ledger fall in (publication dates, else
/// formation dates); None without any.
pub fn dominant_year(ds: &Dataset) -> Option<i32> {
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for p in &ds.publications {
        if let Some(d) = p.published.date() {
            *counts.entry(d.year()).or_default() += 1;
        }
    }
    if counts.is_empty() {
        for p in &ds.publications {
            if let Some(d) = p.formed.date() {
                *counts.entry(d.year()).or_default() += 1;
            }
        }
    }
    counts.into_iter().max_by_key(|(y, n)| (*n, *y)).map(|(y, _)| y)
}

#[cfg(test)]
mod period_tests {
    use super::testutil::d;
    use super::*;

    #[test]
    fn known_and_months_follow_start_and_as_of() {
        let p = Period {
            year: 2021,
            start: d("2021-03-01"),
            as_of: d("2021-06-15"),
        };
        assert!(p.known(d("2021-06-15")) && !p.known(d("2021-06-16")));
        assert_eq!(p.known_date(Some(d("2021-07-01"))), None);
        assert!(!p.contains(d("2021-02-28")) && p.contains(d("2021-03-01")));
        // March–May ended; January and February are before the start, June not over.
        assert_eq!(p.ended_months(), vec![3, 4, 5]);
    }
}

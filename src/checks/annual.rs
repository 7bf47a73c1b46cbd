//! 年报与指南 → G1: the annual report for the previous year submitted and published by
//! the rules' dates, in the standard format, and the 公开指南 updated in the assessment
//! year. A unit missing from the sheet has missed everything but the format.

use chrono::{Datelike, NaiveDate};

use super::{Charges, Evidence, Period};
use crate::ingest::{AnnualReport, Dataset, Source, UnitId};
use crate::rules::{LedgerKind, Rules};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Done in time (按时 / 规范 / 已更新).
    Ok,
    /// Done after the due date.
    Late,
    /// Not done and the due date passed (or the guide not updated this year).
    Missing,
    /// Not done yet, due date not passed.
    Pending,
    /// Nothing to judge (格式 not filled).
    Unknown,
}

impl Mark {
    pub fn charged(self) -> bool {
        matches!(self, Mark::Late | Mark::Missing)
    }
}

/// One unit's row (merged when it has several) and the four marks.
#[derive(Debug, Clone)]
pub struct Entry {
    pub unit: UnitId,
    /// Its first row in the sheet; None when the unit is missing from it.
    pub src: Option<Source>,
    pub submitted: Option<NaiveDate>,
    pub published: Option<NaiveDate>,
    pub format_ok: Option<bool>,
    pub guide_updated: Option<NaiveDate>,
    pub submit: Mark,
    pub publish: Mark,
    pub format: Mark,
    pub guide: Mark,
    /// 格式 judged from the unit's annual report tables (`--annual-tables`): the
    /// reasons it is not standard (empty: 规范). None: from the ledger, or not judged.
    pub format_from_tables: Option<Vec<String>>,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Every assessed unit, in registry order.
    pub entries: Vec<Entry>,
    /// The year the report is for (Y + offset).
    pub report_year: i32,
    pub submit_by: Option<NaiveDate>,
    pub publish_by: Option<NaiveDate>,
    pub checked: bool,
    /// `--annual-tables` was given.
    pub tables_given: bool,
}

/// An MM-DD date in a year.
pub fn month_day(year: i32, md: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{year}-{}", md.trim()), "%Y-%m-%d").ok()
}

/// Done by the due date, late, missing or pending at as-of.
fn mark(done: Option<NaiveDate>, due: Option<NaiveDate>, as_of: NaiveDate) -> Mark {
    let Some(due) = due else { return Mark::Unknown };
    match done.filter(|d| *d <= as_of) {
        Some(d) if d <= due => Mark::Ok,
        Some(_) => Mark::Late,
        None if due < as_of => Mark::Missing,
        None => Mark::Pending,
    }
}

fn earliest(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

pub fn check(ds: &Dataset, rules: &Rules, period: &Period, ch: &mut Charges) -> Report {
    let w = &rules.rubric.params.wiring;
    let standards = [&w.annual_submit, &w.annual_publish, &w.annual_format, &w.annual_guide].map(|s| s.as_str());
    let [submit_std, publish_std, format_std, guide_std] = standards;
    let mut rep = Report {
        checked: ch.start(ds, &[LedgerKind::AnnualReport], &standards),
        ..Default::default()
    };
    if !rep.checked {
        return rep;
    }
    let p = &rules.rubric.params;
    let y = period.year;
    rep.report_year = y + p.annual_report_year_offset;
    rep.submit_by = month_day(y, &p.annual_report_submit_by);
    rep.publish_by = month_day(y, &p.annual_report_publish_by);
    let ry = rep.report_year;
    let reg = ds.registry();
    let verdicts = ds
        .annual_tables
        .as_ref()
        .map(|r| super::annual_tables::format_verdicts(rules, r))
        .unwrap_or_default();
    rep.tables_given = ds.annual_tables.is_some();
    for unit in reg.assessed() {
        let rows: Vec<&AnnualReport> = ds.reports.iter().filter(|r| r.unit == Some(unit)).collect();
        let mut e = Entry {
            unit,
            src: rows.first().map(|r| r.src.clone()),
            submitted: None,
            published: None,
            format_ok: None,
            guide_updated: None,
            submit: Mark::Unknown,
            publish: Mark::Unknown,
            format: Mark::Unknown,
            guide: Mark::Unknown,
            format_from_tables: None,
        };
        for r in &rows {
            e.submitted = earliest(e.submitted, r.submitted);
            e.published = earliest(e.published, r.published);
            e.format_ok = match (e.format_ok, r.format_ok) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (a, b) => a.or(b),
            };
        }
        let in_year = |d: &&NaiveDate| d.year() == y && period.known(**d);
        let guides: Vec<NaiveDate> = rows.iter().filter_map(|r| r.guide_updated).collect();
        // The latest update in the year, else the latest one written.
        e.guide_updated = guides.iter().filter(in_year).max().or(guides.iter().max()).copied();
        e.submit = mark(e.submitted, rep.submit_by, period.as_of);
        e.publish = mark(e.published, rep.publish_by, period.as_of);
        if e.format_ok.is_none() {
            if let Some((_, reasons)) = verdicts.iter().find(|(u, _)| *u == unit) {
                e.format_ok = Some(reasons.is_empty());
                e.format_from_tables = Some(reasons.clone());
            }
        }
        e.format = match e.format_ok {
            Some(true) => Mark::Ok,
            Some(false) => Mark::Missing,
            None => Mark::Unknown,
        };
        // The guide is a yearly duty: like a month under the monthly minimum, it is
        // judged once the year has ended on or before as-of; before that it is pending.
        let year_ended = NaiveDate::from_ymd_opt(y, 12, 31).is_some_and(|end| period.known(end));
        e.guide = if e.guide_updated.as_ref().is_some_and(|d| in_year(&d)) {
            Mark::Ok
        } else if year_ended {
            Mark::Missing
        } else {
            Mark::Pending
        };
        let missing = rows.is_empty();
        let where_ = if missing {
            "（年报与指南表中没有本单位）"
        } else {
            ""
        };
        let when = |d: Option<NaiveDate>| d.map(|d| format!("{d}")).unwrap_or_else(|| "未填".into());
        let mut push = |s: &str, reason: String| {
            let evidence = Evidence {
                src: e.src.clone(),
                label: format!("{ry}年度政府信息公开工作年度报告"),
            };
            ch.charge(unit, s, format!("{reason}{where_}"), evidence);
        };
        if e.submit.charged() {
            push(
                submit_std,
                format!(
                    "{ry}年度年报未及时上报：应于 {} 前上报，上报日期 {}",
                    when(rep.submit_by),
                    when(e.submitted)
                ),
            );
        }
        if e.publish.charged() {
            push(
                publish_std,
                format!(
                    "{ry}年度年报未及时发布：应于 {} 前在网站公布，发布日期 {}",
                    when(rep.publish_by),
                    when(e.published)
                ),
            );
        }
        if e.format.charged() {
            let why = match &e.format_from_tables {
                Some(reasons) => format!("（按年报统计表核对：{}）", reasons.join("；")),
                None => String::new(),
            };
            push(format_std, format!("{ry}年度年报格式不规范{why}"));
        }
        if e.guide.charged() {
            push(
                guide_std,
                format!(
                    "公开指南未按年度更新：{y} 年内没有更新（指南更新日期 {}）",
                    when(e.guide_updated)
                ),
            );
        }
        rep.entries.push(e);
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::checks::Checked;

    fn row(unit: UnitId, sub: &str, publ: &str, fmt: Option<bool>, guide: &str, n: u32) -> AnnualReport {
        AnnualReport {
            unit: Some(unit),
            submitted: od(sub),
            published: od(publ),
            format_ok: fmt,
            guide_updated: od(guide),
            src: src(n),
        }
    }

    fn run(ds: &Dataset, rules: &Rules, as_of: &str) -> Checked {
        let mut c = Checked::default();
        c.annual = check(
            ds,
            rules,
            &period(as_of),
            &mut Charges::new(rules, &mut c.occurrences, &mut c.fed),
        );
        c
    }

    fn charged(c: &Checked, rules: &Rules, unit: UnitId) -> Vec<&'static str> {
        let mut v = Vec::new();
        for (k, name) in [
            ("annual_submit", "submit"),
            ("annual_publish", "publish"),
            ("annual_format", "format"),
            ("annual_guide", "guide"),
        ] {
            if of(&c.occurrences, rules, k).iter().any(|o| o.unit == unit) {
                v.push(name);
            }
        }
        v
    }

    #[test]
    fn dates_format_guide_and_missing_units() {
        let (rules, mut ds, u) = setup(&["东山镇", "卫健局", "人社局", "教体局", "章华镇"]);
        ds.present.insert(LedgerKind::AnnualReport);
        ds.reports = vec![
            // All in time: due 31 January and 10 February.
            row(u[0], "2021-01-31", "2021-02-10", Some(true), "2021-03-01", 2),
            // Late submission and publication, bad format, guide last updated in 2020.
            row(u[1], "2021-02-01", "2021-02-11", Some(false), "2020-12-30", 3),
            // Never submitted or published, format not filled, no guide date.
            row(u[2], "", "", None, "", 4),
            // Two rows: the earlier submission counts; one says the format is wrong.
            row(u[3], "2021-02-05", "2021-02-09", Some(true), "2021-05-01", 5),
            row(u[3], "2021-01-20", "", Some(false), "", 6),
        ];
        // 章华镇 is not in the sheet.
        let c = run(&ds, &rules, "2021-12-31");
        assert!(charged(&c, &rules, u[0]).is_empty());
        assert_eq!(charged(&c, &rules, u[1]), ["submit", "publish", "format", "guide"]);
        assert_eq!(charged(&c, &rules, u[2]), ["submit", "publish", "guide"]);
        assert_eq!(charged(&c, &rules, u[3]), ["format"]);
        assert_eq!(charged(&c, &rules, u[4]), ["submit", "publish", "guide"]);
        assert_eq!(c.annual.report_year, 2020);
        assert_eq!(c.annual.entries.len(), 5);
        assert!(c.fed.contains("G1"));
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let g1 = |u: UnitId| {
            let s = scores.iter().find(|s| s.unit == u).unwrap();
            s.items.iter().find(|i| i.id == "G1").unwrap().score
        };
        assert_eq!(g1(u[0]), 10.0);
        assert_eq!(g1(u[1]), 0.0);
        assert_eq!(g1(u[4]), 2.0, "missing: all but the format");
    }

    #[test]
    fn before_the_due_dates_nothing_is_late_yet() {
        let (rules, mut ds, u) = setup(&["东山镇", "卫健局"]);
        ds.present.insert(LedgerKind::AnnualReport);
        ds.reports = vec![row(u[0], "2021-01-20", "", Some(true), "2021-01-15", 2)];
        let c = run(&ds, &rules, "2021-02-05");
        assert!(charged(&c, &rules, u[0]).is_empty(), "publication due 10 February");
        let e = c.annual.entries.iter().find(|e| e.unit == u[0]).unwrap();
        assert_eq!(e.publish, Mark::Pending);
        assert_eq!(
            charged(&c, &rules, u[1]),
            ["submit"],
            "the guide is judged when the year has ended"
        );
        let missing = c.annual.entries.iter().find(|e| e.unit == u[1]).unwrap();
        assert_eq!(missing.guide, Mark::Pending);
        // Without the ledger, G1 keeps its points.
        ds.present.clear();
        let c = run(&ds, &rules, "2021-12-31");
        assert!(c.occurrences.is_empty() && !c.fed.contains("G1"));
    }
}

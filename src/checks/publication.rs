//! The proactive-publication ledger: the 20-working-day rule, the monthly minimum and
//! 台账不规范 rows (C3).

use chrono::{Datelike, NaiveDate};

use super::{Charges, Evidence, Period};
use crate::ingest::{Dataset, DateCell, Publication, UnitId};
use crate::rules::{LedgerKind, Rules};

/// A checked row that is late or pending.
#[derive(Debug, Clone)]
pub struct Timed {
    /// Index into `Dataset::publications`.
    pub index: usize,
    pub unit: UnitId,
    pub formed: NaiveDate,
    /// The last day to publish; when `deadline_after` is set, not known (it runs past
    /// the last calendar year) and this is `deadline_after`.
    pub deadline: NaiveDate,
    /// The deadline runs past the last year with a calendar: it falls on or after this
    /// day (1 January of the first year without one), so after any as-of.
    pub deadline_after: Option<NaiveDate>,
    /// Publication date, when published on or before as-of.
    pub published: Option<NaiveDate>,
    /// Working days in (formed, published], or to as-of when unpublished.
    pub workdays_taken: i64,
    /// Calendar days after the deadline (to as-of when unpublished); 0 when pending.
    pub days_late: i64,
}

#[derive(Debug, Clone)]
pub struct MonthCount {
    pub unit: UnitId,
    pub month: u32,
    pub count: u32,
}

#[derive(Debug, Default)]
pub struct Report {
    pub late: Vec<Timed>,
    pub pending: Vec<Timed>,
    /// Every assessed unit × every month that ended on or before as-of.
    pub monthly: Vec<MonthCount>,
    /// Every assessed unit's count so far in the month of as-of, when that month has
    /// not ended (`hrgk due`); counted exactly as the ended months.
    pub current: Vec<MonthCount>,
    /// Rows checked against the 20-day rule.
    pub checked: usize,
    /// Rows dated outside the period (not checked).
    pub out_of_period: usize,
    /// Rows not proactive (依申请公开 / 不予公开): no 20-day check, no monthly count.
    pub non_proactive: usize,
}

/// Where a row stands against the 20-day rule at as-of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    OnTime,
    Late,
    Pending,
    /// Not checked: dated outside the period.
    Outside,
    /// Not checked: its dates cannot be judged (a data problem says why).
    Unknown,
}

/// Judges one row: its deadline and status at as-of.
pub fn judge(p: &Publication, rules: &Rules, period: &Period) -> (Status, Option<Timed>) {
    let Some(formed) = p.formed.date() else {
        return (Status::Unknown, None);
    };
    let cal = &rules.calendar;
    // A deadline that runs past the last calendar year is after as-of (as-of lies in a
    // year with a calendar): lateness at as-of is known without it.
    let (deadline, deadline_after) = match cal.add_workdays(formed, rules.rubric.params.publish_workdays) {
        Ok(d) => (d, None),
        Err(e) if e.year > formed.year() => match NaiveDate::from_ymd_opt(e.year, 1, 1) {
            Some(after) if after > period.as_of => (after, Some(after)),
            _ => return (Status::Unknown, None),
        },
        Err(_) => return (Status::Unknown, None),
    };
    let published = period.known_date(p.published.date());
    if p.published == DateCell::UNREADABLE {
        return (Status::Unknown, None);
    }
    if let Some(d) = published {
        if d < period.start {
            return (Status::Outside, None);
        }
        if d < formed {
            return (Status::Unknown, None);
        }
        let Ok(taken) = cal.count_workdays(formed, d) else {
            return (Status::Unknown, None);
        };
        let t = Timed {
            index: 0,
            unit: p.unit.unwrap_or(UnitId::MAX),
            formed,
            deadline,
            deadline_after,
            published: Some(d),
            workdays_taken: taken,
            days_late: (d - deadline).num_days().max(0),
        };
        return (if d > deadline { Status::Late } else { Status::OnTime }, Some(t));
    }
    // Not published at as-of.
    if formed > period.as_of || deadline < period.start {
        return (Status::Outside, None);
    }
    let taken = cal.count_workdays(formed, period.as_of).unwrap_or(0);
    let late = deadline < period.as_of;
    let t = Timed {
        index: 0,
        unit: p.unit.unwrap_or(UnitId::MAX),
        formed,
        deadline,
        deadline_after,
        published: None,
        workdays_taken: taken,
        days_late: if late { (period.as_of - deadline).num_days() } else { 0 },
    };
    (if late { Status::Late } else { Status::Pending }, Some(t))
}

/// Whether a problem row belongs to the period, judged as at the end of as-of: by its
/// publication date when published by then; otherwise (not published at as-of, or the
/// publication date unreadable) by its formation date, like an unpublished row. A row
/// published after as-of whose formation date is unknown was not known at as-of; a row
/// with no readable date at all does belong.
fn problem_in_period(p: &Publication, rules: &Rules, period: &Period) -> bool {
    let published = p.published.date();
    if let Some(d) = period.known_date(published) {
        return d >= period.start;
    }
    match p.formed.date() {
        Some(f) => {
            period.known(f)
                && match rules.calendar.add_workdays(f, rules.rubric.params.publish_workdays) {
                    Ok(dl) => dl >= period.start,
                    Err(_) => f.year() >= period.year,
                }
        }
        None => published.is_none(),
    }
}

pub fn check(ds: &Dataset, rules: &Rules, period: &Period, ch: &mut Charges) -> Report {
    let mut r = Report::default();
    let w = &rules.rubric.params.wiring;
    let standards = [&w.publication_late, &w.publication_problem, &w.publication_monthly].map(|s| s.as_str());
    if !ch.start(ds, &[LedgerKind::Publication], &standards) {
        return r;
    }
    let [late_std, problem_std, monthly_std] = standards;
    let reg = ds.registry();
    let months = period.ended_months();
    let assessed = reg.assessed();
    // counts[unit position][month-1]; a unit's position in `assessed`, by unit id.
    let mut positions = vec![None; reg.units.len()];
    for (ui, &u) in assessed.iter().enumerate() {
        positions[u as usize] = Some(ui);
    }
    let pos_of = |u: UnitId| positions.get(u as usize).copied().flatten();
    let mut counts = vec![[0u32; 12]; assessed.len()];
    for (i, p) in ds.publications.iter().enumerate() {
        if p.duplicate {
            continue;
        }
        let Some(unit) = p.unit else { continue };
        let label = ds.title(p);
        if p.non_proactive {
            r.non_proactive += 1;
        } else {
            if let Some(d) = p.published.date().filter(|d| period.contains(*d)) {
                if let Some(ui) = pos_of(unit) {
                    counts[ui][d.month0() as usize] += 1;
                }
            }
            let (status, timed) = judge(p, rules, period);
            if !matches!(status, Status::Outside | Status::Unknown) {
                r.checked += 1;
            }
            match (status, timed) {
                (Status::Late, Some(mut t)) => {
                    t.index = i;
                    let reason = match t.published {
                        Some(d) => format!(
                            "逾期公开：{} 形成，最迟应于 {} 公开，实际 {} 公开（超期 {} 天）",
                            t.formed, t.deadline, d, t.days_late
                        ),
                        None => format!(
                            "未公开且已超期：{} 形成，最迟应于 {} 公开，截至 {} 仍未公开",
                            t.formed, t.deadline, period.as_of
                        ),
                    };
                    ch.charge(unit, late_std, reason, Evidence::row(&p.src, label));
                    r.late.push(t);
                    continue;
                }
                (Status::Pending, Some(mut t)) => {
                    t.index = i;
                    r.pending.push(t);
                }
                (Status::Outside, _) => r.out_of_period += 1,
                _ => {}
            }
        }
        if p.problem && problem_in_period(p, rules, period) {
            let reason = "台账不规范：该行有数据问题（见“数据问题”表）".into();
            ch.charge(unit, problem_std, reason, Evidence::row(&p.src, label));
        }
    }
    let min = rules.rubric.params.monthly_minimum;
    let now = period.as_of.month();
    if !months.contains(&now) {
        for (ui, &unit) in assessed.iter().enumerate() {
            let count = counts[ui][(now - 1) as usize];
            r.current.push(MonthCount {
                unit,
                month: now,
                count,
            });
        }
    }
    for (ui, &unit) in assessed.iter().enumerate() {
        for &m in &months {
            let count = counts[ui][(m - 1) as usize];
            r.monthly.push(MonthCount { unit, month: m, count });
            if count < min {
                let reason = format!("{}年{}月公开 {} 条，少于 {} 条", period.year, m, count, min);
                let evidence = Evidence::none(format!("{}-{:02}", period.year, m));
                ch.charge(unit, monthly_std, reason, evidence);
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn row(formed: DateCell, published: DateCell) -> Publication {
        Publication {
            formed,
            published,
            problem: true,
            ..crate::checks::testutil::publication(&mut Default::default(), 0, "t", 2)
        }
    }

    fn mid_year() -> Period {
        Period {
            year: 2021,
            start: d("2021-01-01"),
            as_of: d("2021-06-30"),
        }
    }

    #[test]
    fn problem_rows_count_only_when_known_at_as_of() {
        let rules = Rules::embedded().unwrap();
        let p = mid_year();
        let date = |s: &str| DateCell::on(d(s));
        // Published in the period.
        assert!(problem_in_period(
            &row(DateCell::UNREADABLE, date("2021-03-01")),
            &rules,
            &p
        ));
        // Published last year, or after as-of with no known formation: not known / not ours.
        assert!(!problem_in_period(
            &row(DateCell::UNREADABLE, date("2020-12-01")),
            &rules,
            &p
        ));
        assert!(!problem_in_period(
            &row(DateCell::BLANK, date("2021-07-05")),
            &rules,
            &p
        ));
        // Published after as-of but formed before it: an unpublished row at as-of.
        assert!(problem_in_period(
            &row(date("2021-06-01"), DateCell::UNREADABLE),
            &rules,
            &p
        ));
        assert!(!problem_in_period(
            &row(date("2021-07-01"), DateCell::BLANK),
            &rules,
            &p
        ));
        // No readable date at all.
        assert!(problem_in_period(
            &row(DateCell::UNREADABLE, DateCell::UNREADABLE),
            &rules,
            &p
        ));
    }

    #[test]
    fn judge_follows_the_as_of_rule() {
        let rules = Rules::embedded().unwrap();
        let p = mid_year();
        let date = |s: &str| DateCell::on(d(s));
        // 2021-05-31 + 20 working days = 2021-06-29 (端午 06-14 off).
        let (s, t) = judge(&row(date("2021-05-31"), DateCell::BLANK), &rules, &p);
        assert_eq!((s, t.unwrap().deadline), (Status::Late, d("2021-06-29")));
        let (s, _) = judge(&row(date("2021-06-01"), DateCell::BLANK), &rules, &p);
        assert_eq!(s, Status::Pending, "deadline 06-30 is as-of itself");
        let (s, t) = judge(&row(date("2021-05-31"), date("2021-07-02")), &rules, &p);
        let t = t.unwrap();
        assert_eq!(
            (s, t.published, t.days_late),
            (Status::Late, None, 1),
            "published after as-of"
        );
        let (s, t) = judge(&row(date("2020-12-20"), date("2021-01-05")), &rules, &p);
        assert_eq!((s, t.unwrap().workdays_taken), (Status::OnTime, 11));
        let (s, _) = judge(&row(date("2020-10-01"), DateCell::BLANK), &rules, &p);
        assert_eq!(s, Status::Outside, "deadline before 1 January");
    }
}

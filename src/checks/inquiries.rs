//! 网上问政台账 → E1: a late or overdue-unanswered message costs `inquiry_late`'s
//! amount, a 上访/重访 `inquiry_petition`'s. The deadline is the row's own 回复期限 (a
//! date or a number of working days), else `inquiry_workdays` working days after receipt.

use chrono::NaiveDate;

use super::deadline::{self, Status};
use super::{Charges, Evidence, Period};
use crate::ingest::{Dataset, Inquiry, Limit, Problem, UnitId};
use crate::rules::{LedgerKind, Rules};

#[derive(Debug, Clone)]
pub struct Row {
    /// Index into `Dataset::inquiries`.
    pub index: usize,
    pub unit: UnitId,
    pub deadline: Option<NaiveDate>,
    /// Where the deadline came from, in Chinese (回复期限 2021-05-20, 5个工作日 …).
    pub basis: String,
    pub status: Status,
    pub days_late: i64,
    pub petition: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Every message received in the period, in reading order.
    pub rows: Vec<Row>,
    /// Rows that could not be judged (no calendar for the year, answer before receipt).
    pub problems: Vec<Problem>,
    pub checked: bool,
}

/// The deadline of a message and how it was set.
pub fn deadline_of(
    q: &Inquiry,
    received: NaiveDate,
    rules: &Rules,
) -> Result<(NaiveDate, String), crate::calendar::MissingYear> {
    match q.limit {
        Limit::Date(d) => Ok((d, format!("回复期限 {d}"))),
        Limit::Workdays(n) => Ok((
            rules.calendar.add_workdays(received, n)?,
            format!("回复期限 {n} 个工作日"),
        )),
        Limit::None => {
            let n = rules.rubric.params.inquiry_workdays;
            Ok((rules.calendar.add_workdays(received, n)?, format!("默认 {n} 个工作日")))
        }
    }
}

pub fn check(ds: &Dataset, rules: &Rules, period: &Period, ch: &mut Charges) -> Report {
    let w = &rules.rubric.params.wiring;
    let (late_std, petition_std) = (w.inquiry_late.as_str(), w.inquiry_petition.as_str());
    let mut rep = Report {
        checked: ch.start(ds, &[LedgerKind::Inquiry], &[late_std, petition_std]),
        ..Default::default()
    };
    if !rep.checked {
        return rep;
    }
    let k = LedgerKind::Inquiry;
    for (index, q) in ds.inquiries.iter().enumerate() {
        let (Some(unit), Some(received)) = (q.unit, q.received) else {
            continue;
        };
        if !period.contains(received) {
            continue;
        }
        let label = if q.number.is_empty() {
            format!("{received} 收到的留言")
        } else {
            format!("留言 {}", q.number)
        };
        let mut row = Row {
            index,
            unit,
            deadline: None,
            basis: String::new(),
            status: Status::Unknown,
            days_late: 0,
            petition: q.petition,
        };
        let answered = deadline::answered_by(q.answered, period.as_of);
        let dated = deadline::Answered {
            kind: k,
            src: &q.src,
            unit,
            received,
            answered,
            verb: "回复",
        };
        match deadline::judgeable(rules, &dated, deadline_of(q, received, rules), &mut rep.problems) {
            Err((note, status)) => {
                row.basis = note;
                if let Some(s) = status {
                    row.status = s;
                }
            }
            Ok((dl, basis)) => {
                row.deadline = Some(dl);
                row.status = deadline::judge(dl, q.answered, period.as_of);
                row.basis = basis;
                if row.status == Status::Late {
                    row.days_late = deadline::days_late(dl, q.answered, period.as_of);
                    let reason = match answered {
                        Some(a) => format!(
                            "逾期回复：{received} 收到，{}，最迟 {dl} 回复，实际 {a} 回复",
                            row.basis
                        ),
                        None => format!(
                            "逾期未回复：{received} 收到，{}，最迟 {dl} 回复，截至 {} 仍未回复",
                            row.basis, period.as_of
                        ),
                    };
                    ch.charge(unit, late_std, reason, Evidence::row(&q.src, &label));
                }
            }
        }
        if q.petition {
            let reason = format!("{received} 收到的留言因办理出现信访人上访或重访");
            ch.charge(unit, petition_std, reason, Evidence::row(&q.src, &label));
        }
        rep.rows.push(row);
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::checks::Checked;

    fn q(unit: UnitId, n: u32, received: &str, limit: Limit, answered: &str, petition: bool) -> Inquiry {
        Inquiry {
            unit: Some(unit),
            number: format!("WZ{n}"),
            received: od(received),
            limit,
            answered: od(answered),
            petition,
            src: src(n),
        }
    }

    fn run(ds: &Dataset, rules: &Rules, as_of: &str) -> Checked {
        let mut c = Checked::default();
        c.inquiries = check(
            ds,
            rules,
            &period(as_of),
            &mut Charges::new(rules, &mut c.occurrences, &mut c.fed),
        );
        c
    }

    fn rows(c: &Checked, rules: &Rules, check: &str) -> Vec<u32> {
        rows_of(&c.occurrences, rules, check)
    }

    #[test]
    fn default_and_own_limits() {
        let (rules, mut ds, u) = setup(&["住建局"]);
        ds.present.insert(LedgerKind::Inquiry);
        ds.inquiries = vec![
            // Thu 2021-04-01 + 5 working days → Fri 9 April (清明 5 April off).
            q(u[0], 2, "2021-04-01", Limit::None, "2021-04-09", false),
            q(u[0], 3, "2021-04-01", Limit::None, "2021-04-12", false),
            // Own limit of 2 working days → Tue 6 April.
            q(u[0], 4, "2021-04-01", Limit::Workdays(2), "2021-04-07", false),
            // Own date limit.
            q(u[0], 5, "2021-04-01", Limit::Date(d("2021-04-30")), "2021-04-29", false),
            // Unanswered, deadline passed at as-of; unanswered, not yet due.
            q(u[0], 6, "2021-06-01", Limit::None, "", false),
            q(u[0], 7, "2021-12-30", Limit::None, "", false),
            // On time but a petition followed; before the period.
            q(u[0], 8, "2021-05-10", Limit::None, "2021-05-11", true),
            q(u[0], 9, "2020-12-28", Limit::None, "", true),
        ];
        let c = run(&ds, &rules, "2021-12-31");
        assert_eq!(rows(&c, &rules, "inquiry_late"), [3, 4, 6]);
        assert_eq!(rows(&c, &rules, "inquiry_petition"), [8]);
        assert_eq!(c.inquiries.rows.len(), 7);
        let r2 = &c.inquiries.rows[0];
        assert_eq!((r2.deadline, r2.status), (od("2021-04-09"), Status::OnTime));
        assert_eq!(c.inquiries.rows[5].status, Status::Pending);
        assert!(c.fed.contains("E1"));
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let e1 = scores[0].items.iter().find(|i| i.id == "E1").unwrap();
        assert_eq!(e1.score, 0.0, "3 + 2 = 5");
    }

    #[test]
    fn capped_at_five() {
        let (rules, mut ds, u) = setup(&["住建局"]);
        ds.present.insert(LedgerKind::Inquiry);
        for n in 0..4 {
            ds.inquiries.push(q(u[0], 2 + n, "2021-03-01", Limit::None, "", true));
        }
        let c = run(&ds, &rules, "2021-12-31");
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let e1 = scores[0].items.iter().find(|i| i.id == "E1").unwrap();
        assert_eq!(e1.score, 0.0);
        assert_eq!(e1.lines.len(), 8);
        assert_eq!(scores[0].total, 95.0);
    }
}

#[cfg(test)]
mod problem_tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::checks::Checked;

    #[test]
    fn answer_before_receipt_is_a_problem_not_a_deduction() {
        let (rules, mut ds, u) = setup(&["住建局"]);
        ds.present.insert(LedgerKind::Inquiry);
        ds.inquiries = vec![Inquiry {
            unit: Some(u[0]),
            number: "WZ1".into(),
            received: od("2021-04-01"),
            limit: Limit::None,
            answered: od("2021-03-30"),
            petition: false,
            src: src(2),
        }];
        let mut c = Checked::default();
        c.inquiries = check(
            &ds,
            &rules,
            &period("2021-12-31"),
            &mut Charges::new(&rules, &mut c.occurrences, &mut c.fed),
        );
        assert!(c.occurrences.is_empty());
        assert_eq!(c.inquiries.rows[0].status, Status::Unknown);
        let p = &c.inquiries.problems[0];
        assert_eq!(
            (p.code(), p.row, p.column.as_str()),
            ("answered-before-received", Some(2), "回复日期")
        );
        assert_eq!(c.problems().count(), 1);
    }
}

//! 会议培训签到 → A3: 迟到 and 缺席 each cost a deduction, 请假 nothing.

use super::{Charges, Evidence, Period};
use crate::ingest::{Dataset, UnitId};
use crate::rules::{LedgerKind, Rules};

/// Canonical 签到情况 values (the first of each value list in ledgers.toml).
pub const LATE: &str = "迟到";
pub const ABSENT: &str = "缺席";

#[derive(Debug, Clone)]
pub struct Row {
    /// Index into `Dataset::meetings`.
    pub index: usize,
    pub unit: UnitId,
    /// Whether the row cost a deduction (迟到 / 缺席).
    pub charged: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Every meeting row of the period with a unit, in reading order.
    pub rows: Vec<Row>,
    /// Whether the ledger was present (else A3 was not checked).
    pub checked: bool,
}

pub fn check(ds: &Dataset, rules: &Rules, period: &Period, ch: &mut Charges) -> Report {
    let w = &rules.rubric.params.wiring;
    let (late, absent) = (w.meeting_late.as_str(), w.meeting_absent.as_str());
    let mut r = Report {
        checked: ch.start(ds, &[LedgerKind::Meeting], &[late, absent]),
        ..Default::default()
    };
    if !r.checked {
        return r;
    }
    for (index, m) in ds.meetings.iter().enumerate() {
        let (Some(unit), Some(date)) = (m.unit, m.date) else {
            continue;
        };
        if !period.contains(date) {
            continue;
        }
        let standard = match m.status.as_str() {
            LATE => Some(late),
            ABSENT => Some(absent),
            _ => None,
        };
        if let Some(s) = standard {
            let reason = format!("{date}“{}”{}", m.name, m.status);
            ch.charge(unit, s, reason, Evidence::row(&m.src, &m.name));
        }
        r.rows.push(Row {
            index,
            unit,
            charged: standard.is_some(),
        });
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::checks::Checked;
    use crate::ingest::Meeting;

    fn row(unit: UnitId, date: &str, status: &str, n: u32) -> Meeting {
        Meeting {
            unit: Some(unit),
            name: format!("会议{n}"),
            date: od(date),
            status: status.into(),
            src: src(n),
        }
    }

    #[test]
    fn late_and_absent_cost_half_a_point_leave_nothing_cap_one() {
        let (rules, mut ds, u) = setup(&["卫健局", "章华镇"]);
        ds.present.insert(LedgerKind::Meeting);
        ds.meetings = vec![
            row(u[0], "2021-03-01", "迟到", 2),
            row(u[0], "2021-04-01", "缺席", 3),
            row(u[0], "2021-05-01", "请假", 4),
            row(u[0], "2021-06-01", "出席", 5),
            row(u[0], "2020-12-01", "缺席", 6),
            row(u[0], "2022-01-05", "缺席", 7),
            row(u[1], "2021-03-01", "缺席", 8),
            row(u[1], "2021-04-01", "缺席", 9),
            row(u[1], "2021-05-01", "迟到", 10),
            row(u[1], "", "缺席", 11),
        ];
        let mut c = Checked::default();
        c.meetings = check(
            &ds,
            &rules,
            &period("2021-12-31"),
            &mut Charges::new(&rules, &mut c.occurrences, &mut c.fed),
        );
        assert_eq!(of(&c.occurrences, &rules, "meeting_late").len(), 2);
        assert_eq!(of(&c.occurrences, &rules, "meeting_absent").len(), 3);
        assert_eq!(
            c.meetings.rows.len(),
            7,
            "out-of-period and undated rows are not listed"
        );
        assert!(c.fed.contains("A3"));
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let a3 = |u: UnitId| {
            let s = scores.iter().find(|s| s.unit == u).unwrap();
            s.items.iter().find(|i| i.id == "A3").unwrap().score
        };
        assert_eq!(a3(u[0]), 0.0);
        assert_eq!(a3(u[1]), 0.0, "three deductions of 0.5 capped at 1");
        let lines = scores
            .iter()
            .find(|s| s.unit == u[1])
            .unwrap()
            .lines()
            .filter(|l| l.absorbed())
            .count();
        assert_eq!(lines, 1);
    }

    #[test]
    fn absent_ledger_feeds_nothing() {
        let (rules, mut ds, u) = setup(&["卫健局"]);
        ds.meetings = vec![row(u[0], "2021-03-01", "迟到", 2)];
        let mut c = Checked::default();
        check(
            &ds,
            &rules,
            &period("2021-12-31"),
            &mut Charges::new(&rules, &mut c.occurrences, &mut c.fed),
        );
        assert!(c.occurrences.is_empty());
        assert!(!c.fed.contains("A3"));
    }
}

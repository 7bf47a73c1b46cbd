//! 意见征集 → H1: a consultation whose result (analysis, 采纳情况, survey report) was
//! published in the period earns the bonus. The bonus is for publishing the result, so
//! that is the event that places a row in a year (a consultation opened in December
//! and answered in January counts in January's year).

use chrono::NaiveDate;

use super::{Charges, Evidence, Period};
use crate::ingest::{Dataset, UnitId};
use crate::rules::{LedgerKind, Rules};

#[derive(Debug, Clone)]
pub struct Row {
    /// Index into `Dataset::consultations`.
    pub index: usize,
    pub unit: UnitId,
    /// The result publication date, when on or before as-of.
    pub result: Option<NaiveDate>,
    pub counted: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Every consultation started or answered in the period.
    pub rows: Vec<Row>,
    pub checked: bool,
}

pub fn check(ds: &Dataset, rules: &Rules, period: &Period, ch: &mut Charges) -> Report {
    let std = rules.rubric.params.wiring.consultation.as_str();
    let mut rep = Report {
        checked: ch.start(ds, &[LedgerKind::Consultation], &[std]),
        ..Default::default()
    };
    if !rep.checked {
        return rep;
    }
    for (index, c) in ds.consultations.iter().enumerate() {
        let Some(unit) = c.unit else {
            continue;
        };
        let result = c.result_published.filter(|d| period.contains(*d));
        let started = c.start.is_some_and(|d| period.contains(d));
        if result.is_none() && !started {
            continue;
        }
        let start = c
            .start
            .map(|d| d.to_string())
            .unwrap_or_else(|| "（未填开始日期）".into());
        let counted = result.is_some();
        if let Some(r) = result {
            let reason = format!("“{}”{start} 开始征集，{r} 发布结果", c.topic);
            ch.charge(unit, std, reason, Evidence::row(&c.src, &c.topic));
        }
        rep.rows.push(Row {
            index,
            unit,
            result,
            counted,
        });
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::checks::Checked;
    use crate::ingest::Consultation;

    fn row(unit: UnitId, start: &str, result: &str, n: u32) -> Consultation {
        Consultation {
            unit: Some(unit),
            topic: format!("主题{n}"),
            start: od(start),
            result_published: od(result),
            src: src(n),
        }
    }

    #[test]
    fn published_results_earn_five_capped_at_ten() {
        let (rules, mut ds, u) = setup(&["教体局", "章华镇"]);
        ds.present.insert(LedgerKind::Consultation);
        ds.consultations = vec![
            row(u[0], "2021-03-01", "2021-03-20", 2),
            row(u[0], "2021-04-01", "2021-04-20", 3),
            row(u[0], "2021-05-01", "2021-05-20", 4),
            row(u[1], "2021-06-01", "", 5),
            row(u[1], "2020-12-01", "2021-01-10", 6),
            row(u[1], "2021-12-01", "2022-01-10", 7),
            row(u[1], "2021-07-01", "2021-07-30", 8),
        ];
        let mut c = Checked::default();
        c.consultations = check(
            &ds,
            &rules,
            &period("2021-12-31"),
            &mut Charges::new(&rules, &mut c.occurrences, &mut c.fed),
        );
        let rows = rows_of(&c.occurrences, &rules, "consultation");
        // Row 6 opened in 2020 and published its result in 2021: it counts in 2021.
        assert_eq!(rows, [2, 3, 4, 6, 8]);
        assert_eq!(c.consultations.rows.len(), 7);
        assert!(c.fed.contains("H1"));
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let h1 = |u: UnitId| {
            let s = scores.iter().find(|s| s.unit == u).unwrap();
            (s.items.iter().find(|i| i.id == "H1").unwrap().score, s.total)
        };
        assert_eq!(h1(u[0]), (10.0, 110.0));
        assert_eq!(h1(u[1]), (10.0, 110.0));
    }
}

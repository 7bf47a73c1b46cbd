//! 依申请公开台账 → D2 (no ledger; late or lost), H3 (answered on time), P3 (lost in
//! 复议 or 诉讼).
//!
//! The clock starts on 补正收到日期 when there is one, else on 收到日期; the deadline is
//! `request_workdays` working days later (`request_extended_workdays` when 是否延期 is
//! 是), pushed out by the working days of 征求意见 (both ends counted).

use chrono::NaiveDate;
use std::collections::BTreeMap;

use super::deadline::{self, Status};
use super::support::{problem, words};
use super::{Charges, Evidence, Period};
use crate::ingest::{Dataset, Problem, ProblemKind, Request, UnitId};
use crate::rules::{LedgerKind, Rules};
use crate::text;

#[derive(Debug, Clone)]
pub struct Row {
    /// Index into `Dataset::requests`.
    pub index: usize,
    pub unit: UnitId,
    /// Where the clock started (补正收到日期, else 收到日期).
    pub start: NaiveDate,
    /// Working days allowed (20, or 40 when extended), before 征求意见.
    pub workdays: u32,
    /// Working days of 征求意见 that pushed the deadline out.
    pub consult_workdays: i64,
    pub deadline: Option<NaiveDate>,
    pub status: Status,
    /// Calendar days past the deadline (to as-of when unanswered).
    pub days_late: i64,
    /// Lost in 复议 or 诉讼: which result says so.
    pub lost: Option<String>,
    /// Why the status is what it is, in Chinese.
    pub note: String,
}

/// A unit charged with 未建立台账: its own files, none holding a request ledger.
#[derive(Debug, Clone)]
pub struct NoLedger {
    pub unit: UnitId,
    pub files: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Every request received in the period, in reading order.
    pub rows: Vec<Row>,
    pub no_ledger: Vec<NoLedger>,
    /// Data problems found while judging rows (no calendar, answer before receipt,
    /// 征求意见 without its end).
    pub problems: Vec<Problem>,
    pub checked: bool,
}

/// Whether a 复议/诉讼 result reads as lost: a `lost` word remains once every `not_lost`
/// phrase (不予纠正, 维持 …) is taken out.
pub fn is_lost(result: &str, lost: &[String], not_lost: &[String]) -> bool {
    let mut f = text::fold(result);
    if f.is_empty() {
        return false;
    }
    for w in not_lost.iter().filter(|w| !w.is_empty()) {
        f = f.replace(w.as_str(), "|");
    }
    lost.iter().any(|w| !w.is_empty() && f.contains(w.as_str()))
}

/// Deadline of a request: (start, allowed working days, 征求意见 working days, deadline).
pub fn deadline_of(
    r: &Request,
    received: NaiveDate,
    rules: &Rules,
) -> Result<(NaiveDate, u32, i64, NaiveDate), crate::calendar::MissingYear> {
    let p = &rules.rubric.params;
    let start = r.correction_received.unwrap_or(received);
    let n = if r.extended {
        p.request_extended_workdays
    } else {
        p.request_workdays
    };
    let cal = &rules.calendar;
    let consult = match (r.consult_start, r.consult_end) {
        (Some(a), Some(b)) => cal.count_workdays_inclusive(a, b)?,
        _ => 0,
    };
    let dl = cal.add_workdays(cal.add_workdays(start, n)?, consult.max(0) as u32)?;
    Ok((start, n, consult, dl))
}

pub fn check(ds: &Dataset, rules: &Rules, period: &Period, ch: &mut Charges) -> Report {
    let w = &rules.rubric.params.wiring;
    let standards = [
        &w.request_no_ledger,
        &w.request_late_or_lost,
        &w.request_on_time,
        &w.request_lost,
    ]
    .map(|s| s.as_str());
    let [no_ledger, late_or_lost, on_time, lost_std] = standards;
    let mut rep = Report {
        checked: ch.start(ds, &[LedgerKind::Request], &standards),
        ..Default::default()
    };
    if !rep.checked {
        return rep;
    }
    let k = LedgerKind::Request;
    let (rl, rn) = (words(rules, k, "review", "lost"), words(rules, k, "review", "not_lost"));
    let (ll, ln) = (
        words(rules, k, "lawsuit", "lost"),
        words(rules, k, "lawsuit", "not_lost"),
    );
    let mut push = |unit: UnitId, s: &str, reason: String, r: &Request, label: &str| {
        ch.charge(unit, s, reason, Evidence::row(&r.src, label));
    };
    for (index, r) in ds.requests.iter().enumerate() {
        let (Some(unit), Some(received)) = (r.unit, r.received) else {
            continue;
        };
        if !period.contains(received) {
            continue;
        }
        let label = if r.number.is_empty() {
            format!("{received} 收到的申请")
        } else {
            format!("申请 {}", r.number)
        };
        let lost = if is_lost(&r.review, &rl, &rn) {
            Some(format!("行政复议结果“{}”", r.review))
        } else if is_lost(&r.lawsuit, &ll, &ln) {
            Some(format!("行政诉讼结果“{}”", r.lawsuit))
        } else {
            None
        };
        let mut row = Row {
            index,
            unit,
            start: r.correction_received.unwrap_or(received),
            workdays: 0,
            consult_workdays: 0,
            deadline: None,
            status: Status::Unknown,
            days_late: 0,
            lost: lost.clone(),
            note: String::new(),
        };
        if r.consult_start.is_some() && r.consult_end.is_none() {
            rep.problems.push(problem(
                rules,
                k,
                &r.src,
                "consult_end",
                "",
                ProblemKind::ConsultEndMissing,
                "填了“征求意见开始日期”但没有“征求意见结束日期”：征求意见期间未从答复期限中扣除，请补填结束日期".into(),
                Some(unit),
            ));
        }
        let answered = deadline::answered_by(r.answered, period.as_of);
        let dated = deadline::Answered {
            kind: k,
            src: &r.src,
            unit,
            received,
            answered,
            verb: "答复",
        };
        match deadline::judgeable(rules, &dated, deadline_of(r, received, rules), &mut rep.problems) {
            Err((note, status)) => {
                row.note = note;
                if let Some(s) = status {
                    row.status = s;
                }
            }
            Ok((start, n, consult, dl)) => {
                row.workdays = n;
                row.consult_workdays = consult;
                row.deadline = Some(dl);
                let given_up = r.correction_notice.is_some() && r.correction_received.is_none() && answered.is_none();
                row.status = if given_up {
                    Status::GivenUp
                } else {
                    deadline::judge(dl, r.answered, period.as_of)
                };
                row.days_late = if row.status == Status::Late {
                    deadline::days_late(dl, r.answered, period.as_of)
                } else {
                    0
                };
                let from = if r.correction_received.is_some() {
                    format!("自补正收到日 {start} 起")
                } else {
                    format!("自收到日 {start} 起")
                };
                let consult_text = if consult > 0 {
                    format!("，征求意见 {consult} 个工作日顺延")
                } else {
                    String::new()
                };
                let basis = format!("{from} {n} 个工作日{consult_text}，最迟 {dl} 答复");
                row.note = match (row.status, answered) {
                    (Status::GivenUp, _) => format!(
                        "{} 告知补正，申请人未补正，视为放弃申请",
                        r.correction_notice.map(|d| d.to_string()).unwrap_or_default()
                    ),
                    (Status::Late, Some(a)) => format!("逾期答复：{basis}，实际 {a} 答复（超期 {} 天）", row.days_late),
                    (Status::Late, None) => format!("逾期未答复：{basis}，截至 {} 仍未答复", period.as_of),
                    (Status::OnTime, Some(a)) => format!("按时答复：{basis}，{a} 答复"),
                    _ => format!("尚未答复，未到期：{basis}"),
                };
                if row.status == Status::Late {
                    push(unit, late_or_lost, row.note.clone(), r, &label);
                }
                if row.status == Status::OnTime && lost.is_none() {
                    push(unit, on_time, row.note.clone(), r, &label);
                }
            }
        }
        if let Some(l) = &lost {
            let reason = format!("因办理不当被纠错或败诉：{l}");
            if row.status != Status::Late {
                push(unit, late_or_lost, reason.clone(), r, &label);
            }
            push(unit, lost_std, reason, r, &label);
        }
        rep.rows.push(row);
    }
    // 未建立台账: units with own files, none of which holds a request ledger.
    let mut own: BTreeMap<UnitId, (Vec<String>, bool)> = BTreeMap::new();
    for f in &ds.files {
        let has = f.sheets.iter().any(|s| s.ledger == Some(LedgerKind::Request));
        for &u in &f.own_units {
            let e = own.entry(u).or_default();
            e.0.push(f.path.clone());
            e.1 |= has;
        }
    }
    for (unit, (files, has)) in own {
        if has || !ds.registry().units[unit].assessed {
            continue;
        }
        let reason = format!("本单位报送的文件（{}）中没有依申请公开台账", files.join("、"));
        let evidence = Evidence::none(files.first().cloned().unwrap_or_default());
        ch.charge(unit, no_ledger, reason, evidence);
        rep.no_ledger.push(NoLedger { unit, files });
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::checks::Checked;

    fn req(unit: UnitId, n: u32, received: &str, answered: &str) -> Request {
        Request {
            answered: od(answered),
            result: "予以公开".into(),
            ..request(unit, format!("2021-{n:03}"), received, n)
        }
    }

    fn run(ds: &Dataset, rules: &Rules, as_of: &str) -> Checked {
        let mut c = Checked::default();
        c.requests = check(
            ds,
            rules,
            &period(as_of),
            &mut Charges::new(rules, &mut c.occurrences, &mut c.fed),
        );
        c
    }

    fn status(c: &Checked, n: u32, ds: &Dataset) -> (Status, Option<NaiveDate>) {
        let r = c
            .requests
            .rows
            .iter()
            .find(|r| ds.requests[r.index].src.row == n)
            .unwrap();
        (r.status, r.deadline)
    }

    #[test]
    fn deadlines_follow_the_regulation() {
        let (rules, mut ds, u) = setup(&["自然资源局"]);
        ds.present.insert(LedgerKind::Request);
        // Received Thu 2021-03-04: 20 working days → Thu 2021-04-01 (清明 3–5 April is later).
        let plain = req(u[0], 2, "2021-03-04", "2021-04-01");
        let late = req(u[0], 3, "2021-03-04", "2021-04-02");
        // 补正 received Mon 2021-03-15 restarts the clock: 20 working days → 2021-04-13
        // (Fri 2 April, then Tue 6 April after 清明).
        let mut restart = req(u[0], 4, "2021-03-04", "2021-04-13");
        restart.correction_notice = od("2021-03-05");
        restart.correction_received = od("2021-03-15");
        // Extended: 40 working days from 2021-03-04 → 2021-04-29 (清明 5 April off,
        // 调休 Sun 25 April worked).
        let mut ext = req(u[0], 5, "2021-03-04", "2021-04-29");
        ext.extended = true;
        // 征求意见 Mon 8 – Wed 10 March: 3 working days push 1 April to 7 April
        // (2, 6, 7 April; 5 April is 清明).
        let mut consult = req(u[0], 6, "2021-03-04", "2021-04-07");
        consult.consult_start = od("2021-03-08");
        consult.consult_end = od("2021-03-10");
        let mut consult_late = consult.clone();
        consult_late.src = src(7);
        consult_late.answered = od("2021-04-08");
        ds.requests = vec![plain, late, restart, ext, consult, consult_late];
        let c = run(&ds, &rules, "2021-12-31");
        assert_eq!(status(&c, 2, &ds), (Status::OnTime, od("2021-04-01")));
        assert_eq!(status(&c, 3, &ds), (Status::Late, od("2021-04-01")));
        assert_eq!(status(&c, 4, &ds), (Status::OnTime, od("2021-04-13")));
        assert_eq!(status(&c, 5, &ds), (Status::OnTime, od("2021-04-29")));
        assert_eq!(status(&c, 6, &ds), (Status::OnTime, od("2021-04-07")));
        assert_eq!(status(&c, 7, &ds), (Status::Late, od("2021-04-07")));
        assert_eq!(of(&c.occurrences, &rules, "request_on_time").len(), 4);
        assert_eq!(of(&c.occurrences, &rules, "request_late_or_lost").len(), 2);
        assert!(c.fed.contains("D2") && c.fed.contains("H3") && c.fed.contains("P3"));
    }

    #[test]
    fn pending_late_unanswered_and_given_up() {
        let (rules, mut ds, u) = setup(&["自然资源局"]);
        ds.present.insert(LedgerKind::Request);
        let pending = req(u[0], 2, "2021-12-20", "");
        let overdue = req(u[0], 3, "2021-03-04", "");
        let mut gave_up = req(u[0], 4, "2021-03-04", "");
        gave_up.correction_notice = od("2021-03-05");
        // 补正 notice but answered anyway: judged normally from receipt.
        let mut answered = req(u[0], 5, "2021-03-04", "2021-04-02");
        answered.correction_notice = od("2021-03-05");
        // Answered after as-of: not known at as-of.
        let after = req(u[0], 6, "2021-12-01", "2022-01-05");
        // Received before the period: not listed.
        let old = req(u[0], 7, "2020-11-02", "2021-01-20");
        ds.requests = vec![pending, overdue, gave_up, answered, after, old];
        let c = run(&ds, &rules, "2021-12-31");
        assert_eq!(status(&c, 2, &ds).0, Status::Pending);
        assert_eq!(status(&c, 3, &ds).0, Status::Late);
        assert_eq!(status(&c, 4, &ds).0, Status::GivenUp);
        assert_eq!(Status::GivenUp.label(), "其他处理");
        assert_eq!(status(&c, 5, &ds).0, Status::Late);
        assert_eq!(
            status(&c, 6, &ds).0,
            Status::Late,
            "deadline 2021-12-29 passed at as-of"
        );
        assert_eq!(c.requests.rows.len(), 5);
        let late = of(&c.occurrences, &rules, "request_late_or_lost");
        assert_eq!(
            late.iter()
                .filter_map(|o| o.src.as_ref().map(|s| s.row))
                .collect::<Vec<_>>(),
            [3, 5, 6]
        );
        assert!(of(&c.occurrences, &rules, "request_on_time").is_empty());
    }

    #[test]
    fn lost_in_review_or_lawsuit() {
        let rules = Rules::embedded().unwrap();
        let k = LedgerKind::Request;
        let (rl, rn) = (
            words(&rules, k, "review", "lost"),
            words(&rules, k, "review", "not_lost"),
        );
        assert!(is_lost("责令改正", &rl, &rn));
        assert!(is_lost("撤销原答复", &rl, &rn));
        assert!(is_lost("确认违法", &rl, &rn));
        assert!(!is_lost("不予纠正", &rl, &rn));
        assert!(!is_lost("维持", &rl, &rn));
        assert!(!is_lost("", &rl, &rn));
        let (ll, ln) = (
            words(&rules, k, "lawsuit", "lost"),
            words(&rules, k, "lawsuit", "not_lost"),
        );
        assert!(is_lost("败诉", &ll, &ln));
        assert!(!is_lost("胜诉", &ll, &ln));
        assert!(!is_lost("驳回起诉", &ll, &ln));

        let (rules, mut ds, u) = setup(&["自然资源局"]);
        ds.present.insert(LedgerKind::Request);
        let mut a = req(u[0], 2, "2021-03-04", "2021-03-10");
        a.review = "责令改正".into();
        let mut b = req(u[0], 3, "2021-03-04", "2021-03-10");
        b.review = "不予纠正".into();
        let mut c2 = req(u[0], 4, "2021-03-04", "2021-03-10");
        c2.review = "维持".into();
        c2.lawsuit = "败诉".into();
        let mut d2 = req(u[0], 5, "2021-03-04", "2021-03-10");
        d2.lawsuit = "撤销".into();
        ds.requests = vec![a, b, c2, d2];
        let c = run(&ds, &rules, "2021-12-31");
        let lost = rows_of(&c.occurrences, &rules, "request_lost");
        assert_eq!(lost, [2, 4, 5]);
        let bonus = rows_of(&c.occurrences, &rules, "request_on_time");
        assert_eq!(bonus, [3], "on time but lost afterwards earns nothing");
        // D2.2 counts once, P3 10 each capped at 20, H3 2 each uncapped.
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let s = &scores[0];
        let item = |id: &str| s.items.iter().find(|i| i.id == id).unwrap();
        assert_eq!(item("D2").score, 2.0);
        assert_eq!(item("D2").lines.len(), 3);
        assert_eq!(item("P3").score, 20.0);
        assert_eq!(item("H3").score, 2.0);
    }

    #[test]
    fn fixed_once_and_uncapped_bonus() {
        let (rules, mut ds, u) = setup(&["自然资源局"]);
        ds.present.insert(LedgerKind::Request);
        for n in 0..8 {
            ds.requests.push(req(u[0], 2 + n, "2021-03-04", "2021-03-10"));
        }
        ds.requests.push(req(u[0], 20, "2021-03-04", ""));
        ds.requests.push(req(u[0], 21, "2021-03-04", "2021-06-01"));
        let c = run(&ds, &rules, "2021-12-31");
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let s = &scores[0];
        let item = |id: &str| s.items.iter().find(|i| i.id == id).unwrap();
        assert_eq!(item("H3").score, 16.0, "no cap on H3");
        assert_eq!(item("D2").score, 2.0, "4 once however many late");
        assert_eq!(item("D2").lines.iter().filter(|l| l.repeated).count(), 1);
        assert_eq!(item("D2").lines.iter().filter(|l| l.absorbed()).count(), 0);
    }

    #[test]
    fn no_ledger_only_for_units_with_own_files() {
        let (rules, mut ds, u) = setup(&["自然资源局", "卫健局", "章华镇", "人社局"]);
        ds.present.insert(LedgerKind::Request);
        // 自然资源局: own file with a publication ledger only → charged.
        ds.files
            .push(file("自然资源局.xlsx", u[0], Some(LedgerKind::Publication)));
        // 卫健局: two own files, one holds an empty request ledger → not charged.
        ds.files
            .push(file("卫健局主动公开.xlsx", u[1], Some(LedgerKind::Publication)));
        ds.files
            .push(file("卫健局依申请.xlsx", u[1], Some(LedgerKind::Request)));
        // 章华镇: no own file (rows only in a combined sheet) → never charged.
        ds.requests.push(req(u[2], 2, "2021-03-04", "2021-03-10"));
        // 人社局: own file holds an unrecognised sheet only → charged.
        ds.files.push(file("人社局.xlsx", u[3], None));
        let c = run(&ds, &rules, "2021-12-31");
        let mut charged: Vec<UnitId> = of(&c.occurrences, &rules, "request_no_ledger")
            .iter()
            .map(|o| o.unit)
            .collect();
        charged.sort();
        let mut want = vec![u[0], u[3]];
        want.sort();
        assert_eq!(charged, want);
        assert_eq!(c.requests.no_ledger.len(), 2);
        // Absent from all inputs: nothing is charged and D2 is not fed.
        ds.present.clear();
        let c = run(&ds, &rules, "2021-12-31");
        assert!(c.occurrences.is_empty());
        assert!(!c.fed.contains("D2"));
    }

    #[test]
    fn unjudgeable_rows_become_problems() {
        let (rules, mut ds, u) = setup(&["自然资源局"]);
        ds.present.insert(LedgerKind::Request);
        let bad = req(u[0], 2, "2021-03-04", "2021-03-01");
        let mut open = req(u[0], 3, "2021-03-04", "2021-04-01");
        open.consult_start = od("2021-03-08");
        ds.requests = vec![bad, open];
        let c = run(&ds, &rules, "2021-12-31");
        let codes: Vec<&str> = c.requests.problems.iter().map(|p| p.code()).collect();
        assert_eq!(codes, ["answered-before-received", "consult-end-missing"]);
        assert_eq!(c.requests.problems[0].column, "答复日期");
        assert_eq!(c.requests.problems[0].row, Some(2));
        assert_eq!(status(&c, 2, &ds).0, Status::Unknown);
        assert_eq!(status(&c, 3, &ds).0, Status::OnTime, "no end: not pushed");
        assert!(of(&c.occurrences, &rules, "request_late_or_lost").is_empty());
        // No calendar for the year: a problem, never a guess.
        let mut rules = rules;
        rules.calendar = crate::calendar::Calendar::default();
        let c = run(&ds, &rules, "2021-12-31");
        assert!(c.requests.problems.iter().any(|p| p.code() == "calendar-missing"));
        assert!(c.requests.rows.iter().all(|r| r.status == Status::Unknown));
        assert!(c.occurrences.is_empty());
    }
}

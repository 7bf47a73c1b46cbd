use super::*;
use crate::checks::{Checked, Occurrence};
use crate::rules::Rules;

fn setup() -> (Rules, UnitRegistry, UnitId, UnitId, UnitId) {
    let rules = Rules::embedded().unwrap();
    let mut reg = UnitRegistry::new(&rules.units);
    let (a, _) = reg.resolve("卫健局");
    let (b, _) = reg.resolve("人社局");
    let (t, _) = reg.resolve("章华镇");
    (rules, reg, a, b, t)
}

fn occ(unit: UnitId, standard: &str, count: u32) -> Occurrence {
    Occurrence {
        unit,
        standard: standard.into(),
        count,
        reason: "测试".into(),
        src: None,
        label: String::new(),
    }
}

fn item<'a>(s: &'a UnitScore, id: &str) -> &'a ItemScore {
    s.items.iter().find(|i| i.id == id).unwrap()
}

fn find(scores: &[UnitScore], u: UnitId) -> &UnitScore {
    scores.iter().find(|s| s.unit == u).unwrap()
}

#[test]
fn deductions_are_capped_at_the_item_points() {
    let (rules, reg, a, _, _) = setup();
    let mut c = Checked::default();
    for _ in 0..12 {
        c.occurrences.push(occ(a, "C3.3", 1));
    }
    let scores = score(&reg, &rules, &c);
    let s = find(&scores, a);
    let c3 = item(s, "C3");
    assert_eq!(c3.score, 0.0);
    assert_eq!(c3.lines.len(), 12);
    assert_eq!(c3.lines.iter().filter(|l| l.absorbed()).count(), 2);
    assert_eq!(s.total, 90.0);
}

#[test]
fn fixed_standards_count_once_and_occurrences_multiply() {
    let (rules, reg, a, _, _) = setup();
    let mut c = Checked::default();
    c.occurrences.push(occ(a, "A1.1", 1));
    c.occurrences.push(occ(a, "A1.1", 3));
    c.occurrences.push(occ(a, "A2.2", 3));
    let scores = score(&reg, &rules, &c);
    let s = find(&scores, a);
    assert_eq!(item(s, "A1").score, 1.0);
    assert_eq!(item(s, "A2").score, 0.5);
    assert_eq!(s.total, 97.5);
}

#[test]
fn group_only_items_score_full_for_the_other_group() {
    let (rules, reg, a, _, t) = setup();
    let mut c = Checked::default();
    c.occurrences.push(occ(t, "F1.1", 1));
    c.occurrences.push(occ(a, "F1.1", 1));
    c.occurrences.push(occ(a, "F2.2", 1));
    let scores = score(&reg, &rules, &c);
    let town = find(&scores, t);
    assert_eq!(item(town, "F1").score, 5.0);
    assert!(!item(town, "F1").applicable);
    assert_eq!(town.total, 100.0);
    let dept = find(&scores, a);
    assert_eq!(item(dept, "F1").score, 4.0);
    assert_eq!(item(dept, "F2").score, 15.0);
    assert_eq!(dept.total, 99.0);
}

#[test]
fn bonuses_and_penalties_have_their_own_caps_and_p1_zeroes() {
    let (rules, reg, a, b, _) = setup();
    let mut c = Checked::default();
    for _ in 0..3 {
        c.occurrences.push(occ(a, "H1.1", 1));
    }
    for _ in 0..4 {
        c.occurrences.push(occ(a, "H3.1", 1));
    }
    c.occurrences.push(occ(a, "P2.1", 3));
    c.occurrences.push(occ(b, "P1.1", 1));
    let scores = score(&reg, &rules, &c);
    let s = find(&scores, a);
    assert_eq!(s.bonus, 18.0);
    assert_eq!(s.penalty, 20.0);
    assert_eq!(s.total, 98.0);
    let z = find(&scores, b);
    assert_eq!(z.total, 0.0);
    assert!(z.zeroed.is_some());
}

#[test]
fn equal_totals_share_a_rank() {
    let (rules, mut reg, a, b, _) = setup();
    let (d, _) = reg.resolve("财政局");
    let (e, _) = reg.resolve("教体局");
    let mut c = Checked::default();
    c.occurrences.push(occ(b, "C3.3", 1));
    c.occurrences.push(occ(d, "C3.3", 1));
    c.occurrences.push(occ(e, "C3.3", 2));
    let scores = score(&reg, &rules, &c);
    assert_eq!(find(&scores, a).rank, 1);
    assert_eq!(find(&scores, b).rank, 2);
    assert_eq!(find(&scores, d).rank, 2);
    assert_eq!(find(&scores, e).rank, 4);
    assert_eq!(find(&scores, e).group_size, 4);
}

mod review {
    use super::*;
    use crate::ingest::{ProblemKind, Review, ReviewAction};
    use crate::score::review::Status;
    use chrono::NaiveDate;

    fn src(file: &str, row: u32) -> Source {
        Source::new(file, "台账", row)
    }

    fn at(unit: UnitId, standard: &str, row: u32) -> Occurrence {
        Occurrence {
            src: Some(src("in/台账.xlsx", row)),
            ..occ(unit, standard, 1)
        }
    }

    fn decision(unit: UnitId, action: ReviewAction, target: &str, row: Option<u32>, points: Option<f64>) -> Review {
        Review {
            unit_name: String::new(),
            unit: Some(unit),
            action: Some(action),
            target: target.into(),
            src_file: if row.is_some() {
                "台账.xlsx".into()
            } else {
                String::new()
            },
            src_sheet: String::new(),
            src_row: row,
            points,
            reason: "复核".into(),
            date: NaiveDate::from_ymd_opt(2021, 12, 20),
            by: String::new(),
            problem: false,
            src: src("复核调整.xlsx", 2),
        }
    }

    fn as_of() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2021, 12, 31)
    }

    #[test]
    fn a_withdrawn_fixed_line_leaves_the_next_one_to_count_and_a_withdrawn_p1_does_not_zero() {
        let (rules, reg, a, b, _) = setup();
        let mut c = Checked::default();
        c.occurrences.push(at(a, "A1.1", 3));
        c.occurrences.push(at(a, "A1.1", 4));
        c.occurrences.push(at(b, "P1.1", 9));
        let reviews = vec![
            decision(a, ReviewAction::WithdrawDeduction, "", Some(3), None),
            decision(b, ReviewAction::WithdrawDeduction, "P1", Some(9), None),
        ];
        let (scores, out) = score_reviewed(&reg, &rules, &c, &reviews, as_of());
        let s = find(&scores, a);
        let a1 = item(s, "A1");
        assert_eq!(a1.score, 1.0);
        assert!(a1.lines[0].withdrawn() && a1.lines[0].counted == 0.0 && !a1.lines[0].absorbed());
        assert!(!a1.lines[1].repeated && a1.lines[1].counted == 1.0);
        assert_eq!((s.total, s.total_before_review), (99.0, 99.0));
        let z = find(&scores, b);
        assert_eq!((z.total, z.total_before_review), (100.0, 0.0));
        assert!(z.zeroed.is_none());
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(out.decisions[1].before, Some(0.0));
        assert_eq!(out.decisions[1].after, Some(100.0));
    }

    #[test]
    fn several_lines_without_a_way_to_tell_them_apart_change_nothing() {
        let (rules, reg, a, _, _) = setup();
        let mut c = Checked::default();
        c.occurrences.push(at(a, "C3.3", 5));
        c.occurrences.push(at(a, "C3.3", 6));
        let reviews = vec![decision(a, ReviewAction::WithdrawDeduction, "C3.3", None, None)];
        let (scores, out) = score_reviewed(&reg, &rules, &c, &reviews, as_of());
        assert_eq!(find(&scores, a).total, 98.0);
        assert!(item(find(&scores, a), "C3").lines.iter().all(|l| l.adjusted.is_none()));
        assert_eq!(out.problems.len(), 1);
        let p = &out.problems[0];
        assert_eq!(p.kind, ProblemKind::ReviewAmbiguous);
        assert!(
            p.message.contains("第5行") && p.message.contains("第6行"),
            "{}",
            p.message
        );
        assert!(matches!(out.decisions[0].status, Status::Refused(_)));
    }

    #[test]
    fn set_and_add_are_checked_against_the_rubric_and_dates() {
        let (rules, reg, a, _, _) = setup();
        let c = Checked::default();
        let mut late = decision(a, ReviewAction::SetScore, "A2", None, Some(0.0));
        late.date = NaiveDate::from_ymd_opt(2022, 1, 4);
        let reviews = vec![
            decision(a, ReviewAction::SetScore, "A1", None, Some(3.0)),
            decision(a, ReviewAction::AddBonus, "C3.3", None, None),
            decision(a, ReviewAction::SetScore, "H1", None, Some(5.0)),
            decision(a, ReviewAction::AddDeduction, "C3.3", None, Some(0.5)),
            late,
        ];
        let (scores, out) = score_reviewed(&reg, &rules, &c, &reviews, as_of());
        let kinds: Vec<ProblemKind> = out.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, vec![ProblemKind::ReviewPoints, ProblemKind::ReviewTarget]);
        let s = find(&scores, a);
        assert_eq!(item(s, "A1").score, 2.0);
        assert_eq!(item(s, "A2").score, 2.0);
        let h1 = item(s, "H1");
        assert_eq!((h1.score, h1.set.as_ref().map(|x| x.check_score)), (5.0, Some(0.0)));
        assert_eq!(item(s, "C3").lines[0].counted, 0.5);
        assert_eq!((s.total, s.total_before_review), (104.5, 100.0));
        assert_eq!(out.decisions.last().map(|d| &d.status), Some(&Status::AfterAsOf));
    }
}

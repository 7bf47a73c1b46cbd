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

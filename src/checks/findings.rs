//! 检查记录 → any standard of the rubric, H2 (recognitions) and P2 (通报) by 级别, P1
//! (a confirmed security or secrecy incident zeroes the total).
//!
//! 考核项目 names a standard by its id (A1.1), by its item's id when the item has one
//! standard (or 级别 picks among H2 / P2), by a standard's text or alias, or by an
//! item's name, all after normalising. When several standards match, 级别 and then the
//! unit's group narrow them; what still matches several, or none, is a data problem.

use chrono::NaiveDate;

use super::support::{header, present};
use super::{Charges, Evidence, Period};
use crate::ingest::{Dataset, Finding, Problem, ProblemKind, UnitId};
use crate::rules::{LedgerKind, Rules, Standard, Wiring};
use crate::text;

/// How a finding was matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// Exactly one standard.
    One(String),
    /// Several standards apply to the unit: the candidate ids.
    Ambiguous(Vec<String>),
    /// No standard: the closest ones ("A1.1 未有工作规划").
    Unmatched(Vec<String>),
    /// One standard, of an item that does not apply to the unit's group.
    NotApplicable(String),
}

#[derive(Debug, Clone)]
pub struct Row {
    /// Index into `Dataset::findings`.
    pub index: usize,
    pub unit: UnitId,
    pub matched: Match,
    /// Dated outside the period: listed, not counted.
    pub outside: bool,
    /// Counted as an occurrence.
    pub counted: bool,
}

impl Row {
    /// Chinese status for output.
    pub fn status(&self) -> &'static str {
        if self.outside {
            return "考核期外";
        }
        match self.matched {
            Match::One(_) => "已计入",
            Match::Ambiguous(_) => "对应多个标准，未计",
            Match::Unmatched(_) => "未找到对应标准，未计",
            Match::NotApplicable(_) => "不适用于本单位，未计",
        }
    }

    /// The standard it counted under, or "".
    pub fn standard(&self) -> &str {
        match &self.matched {
            Match::One(s) | Match::NotApplicable(s) => s,
            _ => "",
        }
    }
}

#[derive(Debug, Default)]
pub struct Report {
    /// Every finding with a unit, in reading order.
    pub rows: Vec<Row>,
    /// Findings that match no standard, several, or one that does not apply.
    pub problems: Vec<Problem>,
    pub checked: bool,
}

/// The standards a 级别 value points at (H2 and P2).
fn level_standards<'a>(w: &'a Wiring, level: &str) -> Vec<&'a str> {
    let v: Vec<&String> = match text::fold(level).as_str() {
        "国家" | "国家级" => vec![&w.notice_national, &w.recognition_above_county],
        "省" | "省级" => vec![&w.notice_province, &w.recognition_above_county],
        "市" | "市级" => vec![&w.notice_city, &w.recognition_above_county],
        "县" => vec![&w.notice_county, &w.recognition_county],
        "县级以上" => vec![&w.recognition_above_county],
        "县级" => vec![&w.recognition_county, &w.notice_county],
        _ => vec![],
    };
    v.into_iter().map(String::as_str).collect()
}

/// Every standard 考核项目 could mean, in rubric order.
pub fn candidates(rules: &Rules, written: &str) -> Vec<String> {
    let rubric = &rules.rubric;
    let id = text::fold(written).to_uppercase();
    if let Some((_, s)) = rubric.standard(&id) {
        return vec![s.id.clone()];
    }
    if let Some(item) = rubric.item(&id) {
        return item.standards.iter().map(|s| s.id.clone()).collect();
    }
    let w = text::fold_punct(written);
    if w.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for item in &rubric.items {
        let by_name = text::fold_punct(&item.name) == w;
        for s in &item.standards {
            let hit = by_name || text::fold_punct(&s.text) == w || s.aliases.iter().any(|a| text::fold_punct(a) == w);
            if hit && !out.contains(&s.id) {
                out.push(s.id.clone());
            }
        }
    }
    out
}

/// Whether a standard applies to a group (its own groups, else its item's; empty: all).
fn applies(rules: &Rules, id: &str, group: &str) -> bool {
    let Some((item, s)) = rules.rubric.standard(id) else {
        return false;
    };
    let groups = if s.groups.is_empty() { &item.groups } else { &s.groups };
    groups.is_empty() || groups.iter().any(|g| g == group)
}

/// "A1.1 未有工作规划".
fn describe(rules: &Rules, id: &str) -> String {
    match rules.rubric.standard(id) {
        Some((_, s)) => format!("{} {}", s.id, s.text),
        None => id.to_string(),
    }
}

/// Matches a finding for a unit of `group`.
pub fn resolve(rules: &Rules, written: &str, level: &str, group: &str) -> Match {
    let mut c = candidates(rules, written);
    if c.is_empty() {
        let mut texts: Vec<(&str, &Standard)> = Vec::new();
        for it in &rules.rubric.items {
            for s in &it.standards {
                texts.push((&s.text, s));
                texts.extend(s.aliases.iter().map(|a| (a.as_str(), s)));
            }
        }
        let mut near: Vec<String> = Vec::new();
        for t in text::closest(written, texts.iter().map(|(t, _)| *t), texts.len()) {
            if let Some((_, s)) = texts.iter().find(|(x, _)| *x == t) {
                let d = format!("{} {}", s.id, s.text);
                if !near.contains(&d) {
                    near.push(d);
                }
            }
            if near.len() == 3 {
                break;
            }
        }
        return Match::Unmatched(near);
    }
    if c.len() > 1 {
        let by_level = level_standards(&rules.rubric.params.wiring, level);
        let picked: Vec<String> = c.iter().filter(|s| by_level.contains(&s.as_str())).cloned().collect();
        if !picked.is_empty() {
            c = picked;
        }
    }
    if c.len() > 1 {
        let picked: Vec<String> = c.iter().filter(|s| applies(rules, s, group)).cloned().collect();
        if !picked.is_empty() {
            c = picked;
        }
    }
    match c.len() {
        1 if applies(rules, &c[0], group) => Match::One(c.remove(0)),
        1 => Match::NotApplicable(c.remove(0)),
        _ => Match::Ambiguous(c),
    }
}

fn in_period(date: Option<NaiveDate>, period: &Period) -> bool {
    date.is_none_or(|d| period.contains(d))
}

pub fn check(ds: &Dataset, rules: &Rules, period: &Period, ch: &mut Charges) -> Report {
    let mut rep = Report::default();
    if !present(ds, &[LedgerKind::Finding]) {
        return rep;
    }
    rep.checked = true;
    let reg = ds.registry();
    let w = &rules.rubric.params.wiring;
    let level_ids: Vec<String> = [
        &w.recognition_above_county,
        &w.recognition_county,
        &w.notice_national,
        &w.notice_province,
        &w.notice_city,
        &w.notice_county,
    ]
    .map(String::clone)
    .to_vec();
    let column = header(rules, LedgerKind::Finding, "item");
    for (index, f) in ds.findings.iter().enumerate() {
        let Some(unit) = f.unit else { continue };
        if text::clean(&f.item).is_empty() {
            continue;
        }
        let group = reg.group_name(reg.units[unit].group);
        let matched = resolve(rules, &f.item, &f.level, group);
        let outside = !in_period(f.date, period);
        let mut row = Row {
            index,
            unit,
            matched: matched.clone(),
            outside,
            counted: false,
        };
        let problem = |kind: ProblemKind, message: String| Problem {
            file: f.src.file.to_string(),
            sheet: f.src.sheet.to_string(),
            row: Some(f.src.row),
            column: column.clone(),
            cell: String::new(),
            value: f.item.clone(),
            kind,
            message,
            unit: Some(unit),
            ledger: Some(LedgerKind::Finding),
        };
        match &matched {
            Match::One(id) if !outside => {
                ch.feed(&[id]);
                row.counted = true;
                charge(ch, f, unit, id);
            }
            Match::One(_) => {}
            Match::Ambiguous(ids) => {
                let list: Vec<String> = ids.iter().map(|s| describe(rules, s)).collect();
                let level_hint = if ids.iter().any(|s| level_ids.contains(s)) && f.level.is_empty() {
                    "填写“级别”，或"
                } else {
                    ""
                };
                rep.problems.push(problem(
                    ProblemKind::FindingAmbiguous,
                    format!(
                        "考核项目“{}”对应多个扣分标准（{}）：请{level_hint}把考核项目改为其中一个标准编号",
                        f.item,
                        list.join("；")
                    ),
                ));
            }
            Match::Unmatched(near) => {
                rep.problems.push(problem(
                    ProblemKind::FindingUnmatched,
                    format!(
                        "考核项目“{}”与考核细则中的标准都不对应，未计分：请改为评分标准原文或编号（相近的有：{}）",
                        f.item,
                        near.join("；")
                    ),
                ));
            }
            Match::NotApplicable(id) => {
                let groups = rules
                    .rubric
                    .standard(id)
                    .map(|(i, s)| {
                        if s.groups.is_empty() {
                            i.groups.join("、")
                        } else {
                            s.groups.join("、")
                        }
                    })
                    .unwrap_or_default();
                rep.problems.push(problem(
                    ProblemKind::FindingNotApplicable,
                    format!(
                        "考核项目“{}”（{}）只考核{groups}，{}属于{group}，未计分：请核对单位或考核项目",
                        f.item,
                        describe(rules, id),
                        reg.name(unit)
                    ),
                ));
            }
        }
        rep.rows.push(row);
    }
    rep
}

/// Charges a finding (its 次数 times).
fn charge(ch: &mut Charges, f: &Finding, unit: UnitId, id: &str) {
    let mut reason = format!("检查记录：{}", text::clean(&f.item));
    if !f.level.is_empty() {
        reason.push_str(&format!("（{}）", f.level));
    }
    if let Some(d) = f.date {
        reason.push_str(&format!("，{d}"));
    }
    if !f.note.is_empty() {
        reason.push_str(&format!("，{}", f.note));
    }
    if f.count > 1 {
        reason.push_str(&format!("，{} 次", f.count));
    }
    let label = if f.note.is_empty() { &f.item } else { &f.note };
    ch.charge_times(unit, id, f.count.max(1), reason, Evidence::row(&f.src, label));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::checks::Checked;

    const TOWN: &str = "乡镇";
    const DEPT: &str = "县直部门";

    fn one(s: &str) -> Match {
        Match::One(s.into())
    }

    #[test]
    fn matches_by_id_item_text_alias_and_name() {
        let r = Rules::embedded().unwrap();
        assert_eq!(resolve(&r, "A1.1", "", DEPT), one("A1.1"));
        assert_eq!(resolve(&r, " a1．1 ", "", DEPT), one("A1.1"));
        assert_eq!(resolve(&r, "C1", "", DEPT), one("C1.1"), "item with one standard");
        assert_eq!(
            resolve(&r, "A1", "", DEPT),
            Match::Ambiguous(vec!["A1.1".into(), "A1.2".into()]),
            "item with two standards"
        );
        assert_eq!(resolve(&r, "未有工作规划", "", TOWN), one("A1.1"));
        assert_eq!(resolve(&r, "未有工作规划。", "", TOWN), one("A1.1"));
        assert_eq!(resolve(&r, "无工作规划", "", TOWN), one("A1.1"));
        assert_eq!(resolve(&r, "制度未公开", "", TOWN), one("B1.1"));
        assert_eq!(resolve(&r, "未设立专区", "", TOWN), one("F2.2"));
        assert_eq!(resolve(&r, "政务新媒体", "", TOWN), one("F4.1"), "item name");
    }

    #[test]
    fn the_group_picks_among_equal_texts() {
        let r = Rules::embedded().unwrap();
        assert_eq!(resolve(&r, "台账不健全", "", TOWN), one("B1.2"));
        assert_eq!(
            resolve(&r, "台账不健全", "", DEPT),
            Match::Ambiguous(vec!["B1.2".into(), "F1.4".into()])
        );
        assert_eq!(resolve(&r, "F1.4", "", DEPT), one("F1.4"));
        assert_eq!(resolve(&r, "未设立专区", "", DEPT), Match::NotApplicable("F2.2".into()));
    }

    #[test]
    fn levels_pick_recognitions_and_notices() {
        let r = Rules::embedded().unwrap();
        let w = |k: &str| one(r.rubric.wired(k).unwrap());
        assert_eq!(resolve(&r, "创新创优", "县级以上", DEPT), w("recognition_above_county"));
        assert_eq!(resolve(&r, "H2", "县级", DEPT), w("recognition_county"));
        assert_eq!(resolve(&r, "H2", "省", DEPT), w("recognition_above_county"));
        assert_eq!(resolve(&r, "P2", "国家", DEPT), w("notice_national"));
        assert_eq!(resolve(&r, "被通报", "省", TOWN), w("notice_province"));
        assert_eq!(resolve(&r, "被通报", "市", TOWN), w("notice_city"));
        assert_eq!(resolve(&r, "P2", "县", TOWN), w("notice_county"));
        assert_eq!(resolve(&r, "P2", "县级", TOWN), w("notice_county"));
        assert!(matches!(resolve(&r, "被通报", "", TOWN), Match::Ambiguous(v) if v.len() == 4));
        // A standard's own text wins over the level.
        assert_eq!(resolve(&r, "被市通报", "省", TOWN), one("P2.3"));
    }

    #[test]
    fn unmatched_names_the_closest() {
        let r = Rules::embedded().unwrap();
        let Match::Unmatched(near) = resolve(&r, "未有年度工作规划", "", TOWN) else {
            panic!("should not match")
        };
        assert!(near.len() <= 3 && !near.is_empty());
        assert!(near.iter().any(|s| s.starts_with("A1.1")), "{near:?}");
    }

    fn finding(unit: UnitId, item: &str, count: u32, level: &str, date: &str, n: u32) -> Finding {
        Finding {
            unit: Some(unit),
            item: item.into(),
            count,
            level: level.into(),
            note: String::new(),
            date: od(date),
            src: src(n),
        }
    }

    #[test]
    fn findings_score_fixed_once_per_occurrence_and_caps() {
        let (rules, mut ds, u) = setup(&["卫健局", "章华镇"]);
        ds.present.insert(LedgerKind::Finding);
        ds.findings = vec![
            finding(u[0], "未有工作规划", 1, "", "", 2),
            finding(u[0], "A1.1", 3, "", "2021-05-01", 3),
            finding(u[0], "信息公开日常维护不及时", 3, "", "", 4),
            finding(u[0], "台账不健全", 1, "", "", 5),
            finding(u[0], "被通报", 2, "省", "", 6),
            finding(u[0], "P2", 2, "国家", "", 7),
            finding(u[0], "创新创优", 1, "县级以上", "", 8),
            finding(u[0], "创新创优", 3, "县级", "", 9),
            finding(u[0], "未有工作规划", 1, "", "2020-12-01", 10),
            finding(u[1], "台账不健全", 1, "", "", 11),
            finding(u[1], "不知所云", 1, "", "", 12),
            finding(u[1], "未规范阵地", 1, "", "", 13),
        ];
        let mut c = Checked::default();
        c.findings = check(
            &ds,
            &rules,
            &period("2021-12-31"),
            &mut Charges::new(&rules, &mut c.occurrences, &mut c.fed),
        );
        let codes: Vec<(&str, Option<u32>)> = c.findings.problems.iter().map(|p| (p.code(), p.row)).collect();
        assert_eq!(
            codes,
            [
                ("finding-ambiguous", Some(5)),
                ("finding-unmatched", Some(12)),
                ("finding-not-applicable", Some(13))
            ]
        );
        assert!(c.findings.problems[0].message.contains("B1.2") && c.findings.problems[0].message.contains("F1.4"));
        assert_eq!(c.findings.problems[0].column, "考核项目");
        assert_eq!(c.findings.rows.len(), 12);
        assert_eq!(c.findings.rows[8].status(), "考核期外");
        let fed: Vec<&str> = c.fed.iter().map(|s| s.as_str()).collect();
        assert_eq!(fed, ["A1", "A2", "B1", "H2", "P2"]);
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let s = scores.iter().find(|s| s.unit == u[0]).unwrap();
        let item = |id: &str| s.items.iter().find(|i| i.id == id).unwrap().score;
        assert_eq!(item("A1"), 1.0, "fixed: once however often");
        assert_eq!(item("A2"), 0.5, "0.5 × 3");
        assert_eq!(item("P2"), 20.0, "5×2 + 10×2 capped at 20");
        assert_eq!(item("H2"), 10.0, "5 + 3×3 capped at 10");
        assert_eq!(s.total, 100.0 - 1.0 - 1.5 + 10.0 - 20.0);
        let t = scores.iter().find(|s| s.unit == u[1]).unwrap();
        assert_eq!(t.items.iter().find(|i| i.id == "B1").unwrap().score, 1.0);
    }

    #[test]
    fn a_confirmed_incident_zeroes_the_total() {
        let (rules, mut ds, u) = setup(&["卫健局"]);
        ds.present.insert(LedgerKind::Finding);
        let mut f = finding(u[0], "泄密事故", 1, "", "2021-06-01", 2);
        f.note = "网站公开涉密文件".into();
        ds.findings = vec![f, finding(u[0], "创新创优", 1, "县级以上", "", 3)];
        let mut c = Checked::default();
        c.findings = check(
            &ds,
            &rules,
            &period("2021-12-31"),
            &mut Charges::new(&rules, &mut c.occurrences, &mut c.fed),
        );
        let scores = crate::score::score(ds.registry(), &rules, &c);
        assert_eq!(scores[0].total, 0.0);
        let why = scores[0].zeroed.as_deref().unwrap();
        assert!(why.contains("网站公开涉密文件"), "{why}");
        // Without the ledger nothing counts.
        ds.present.clear();
        let mut c = Checked::default();
        check(
            &ds,
            &rules,
            &period("2021-12-31"),
            &mut Charges::new(&rules, &mut c.occurrences, &mut c.fed),
        );
        assert!(c.occurrences.is_empty());
    }
}

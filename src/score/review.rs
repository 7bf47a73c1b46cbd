//! 复核调整: the assessment office's decisions on the units' appeals, applied to a unit's
//! lines in date order before the caps. 撤销扣分 / 撤销加分 withdraw the line(s) of one
//! piece of evidence (unit + standard + 出处文件/工作表/行); 补扣 / 补加 add a line that
//! the caps and per-unit rules treat like a check's; 改分 sets an item's score. A decision
//! that matches nothing, or several pieces of evidence, changes nothing and is a problem
//! naming the candidates. Decisions dated after as-of are listed, not applied.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

use super::{round2, score_unit, Adjusted, Entry, UnitScore};
use crate::checks::findings::{self, Match};
use crate::ingest::{Problem, ProblemKind, Review, ReviewAction, UnitId, UnitRegistry};
use crate::rules::{ItemKind, LedgerKind, Rules};
use crate::text;

/// What became of a decision.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Applied,
    /// Dated after as-of: listed, not applied.
    AfterAsOf,
    /// Not applied: why (also listed as a data problem).
    Refused(String),
}

impl Status {
    /// Chinese, for the 复核调整 sheet.
    pub fn text(&self) -> String {
        match self {
            Status::Applied => "已执行".into(),
            Status::AfterAsOf => "决定日期在截止日期之后，未执行".into(),
            Status::Refused(why) => format!("未执行：{why}"),
        }
    }
}

/// One 复核调整 row and its effect on the unit's total.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Index into `Dataset::reviews`.
    pub index: usize,
    pub unit: Option<UnitId>,
    pub status: Status,
    /// What it changed (the lines withdrawn or added, the item set), in Chinese.
    pub effect: String,
    /// The unit's total just before and after it (None: the unit is unknown).
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// Every decision (chronological) and the problems of those that could not be applied.
#[derive(Debug, Default)]
pub struct Outcome {
    pub decisions: Vec<Decision>,
    pub problems: Vec<Problem>,
}

impl Outcome {
    /// Lists the decisions no unit handled (unknown unit, unreadable row) and puts every
    /// decision in date order.
    pub(crate) fn finish(&mut self, reviews: &[Review], reg: &UnitRegistry) {
        let seen: BTreeSet<usize> = self.decisions.iter().map(|d| d.index).collect();
        for (index, r) in reviews.iter().enumerate().filter(|(i, _)| !seen.contains(i)) {
            let assessed = r.unit.is_some_and(|u| reg.units[u].assessed);
            let why = if assessed {
                "该行有数据问题（见“数据问题”）"
            } else {
                "单位不是参加考核的单位（见“数据问题”）"
            };
            self.decisions.push(Decision {
                index,
                unit: r.unit.filter(|_| assessed),
                status: Status::Refused(why.into()),
                effect: String::new(),
                before: None,
                after: None,
            });
        }
        let date = |i: usize| reviews.get(i).and_then(|r| r.date);
        self.decisions
            .sort_by_key(|d| (date(d.index).is_none(), date(d.index), d.index));
    }
}

/// Why a decision was refused: problem code, the field it concerns, the message.
type Refusal = (ProblemKind, &'static str, String);

/// A 考核项目或标准 that names no usable standard or item.
fn bad_target(message: String) -> Refusal {
    (ProblemKind::ReviewTarget, "target", message)
}

/// Scores one unit, then applies its decisions one by one in date order (then reading
/// order), rescoring after each so that its effect on the total can be shown.
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply(
    unit: UnitId,
    reg: &UnitRegistry,
    rules: &Rules,
    fed: &BTreeSet<String>,
    mut entries: Vec<Entry>,
    reviews: &[Review],
    as_of: NaiveDate,
    out: &mut Outcome,
) -> UnitScore {
    let mut set: BTreeMap<String, (f64, Adjusted)> = BTreeMap::new();
    let mut current = score_unit(unit, reg, rules, fed, &entries, &set);
    let before_review = current.total;
    let mut mine: Vec<(usize, &Review, ReviewAction, NaiveDate)> = reviews
        .iter()
        .enumerate()
        .filter(|(_, r)| r.unit == Some(unit) && !r.problem)
        .filter_map(|(i, r)| Some((i, r, r.action?, r.date?)))
        .collect();
    mine.sort_by_key(|(i, _, _, date)| (*date, *i));
    for (index, r, action, date) in mine {
        let before = current.total;
        let mut decision = Decision {
            index,
            unit: Some(unit),
            status: Status::Applied,
            effect: String::new(),
            before: Some(before),
            after: Some(before),
        };
        if date > as_of {
            decision.status = Status::AfterAsOf;
            out.decisions.push(decision);
            continue;
        }
        let adjusted = Adjusted {
            action,
            reason: r.reason.clone(),
            date,
            by: r.by.clone(),
            src: r.src.clone(),
        };
        let group = reg.group_name(reg.units[unit].group);
        let result = match action {
            ReviewAction::WithdrawDeduction | ReviewAction::WithdrawBonus => {
                withdraw(rules, group, &mut entries, r, adjusted)
            }
            ReviewAction::AddDeduction | ReviewAction::AddBonus => add(rules, group, &mut entries, r, adjusted),
            ReviewAction::SetScore => set_score(rules, group, &current, &mut set, r, adjusted),
        };
        match result {
            Ok(effect) => {
                current = score_unit(unit, reg, rules, fed, &entries, &set);
                decision.effect = effect;
                decision.after = Some(current.total);
            }
            Err((code, field, message)) => {
                out.problems.push(problem(rules, r, unit, code, field, &message));
                decision.status = Status::Refused(message);
            }
        }
        out.decisions.push(decision);
    }
    current.total_before_review = before_review;
    current
}

fn problem(rules: &Rules, r: &Review, unit: UnitId, kind: ProblemKind, field: &str, message: &str) -> Problem {
    let value = match field {
        "target" => r.target.clone(),
        "points" => r.points.map(fmt).unwrap_or_default(),
        "src_file" => r.src_file.clone(),
        _ => String::new(),
    };
    Problem {
        file: r.src.file.to_string(),
        sheet: r.src.sheet.to_string(),
        row: Some(r.src.row),
        column: rules.ledgers.header(LedgerKind::Review, field),
        cell: String::new(),
        value,
        kind,
        message: format!("复核决定未执行：{message}"),
        unit: Some(unit),
        ledger: Some(LedgerKind::Review),
    }
}

/// A number without a trailing .0.
fn fmt(x: f64) -> String {
    let x = round2(x);
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The item of a standard and whether it is a bonus item and applies to the group.
fn standard_kind(rules: &Rules, standard: &str, group: &str) -> Option<(bool, bool)> {
    let (item, _) = rules.rubric.standard(standard)?;
    let applies = item.groups.is_empty() || item.groups.iter().any(|g| g == group);
    Some((item.kind == ItemKind::Bonus, applies))
}

/// "C3.3 某通知（章华镇台账.xlsx 主动公开台账 第79行）".
fn describe(e: &Entry) -> String {
    let what = if e.label.is_empty() { &e.reason } else { &e.label };
    match &e.src {
        Some(s) => format!(
            "{} {what}（{} {} 第{}行）",
            e.standard,
            file_name(&s.file),
            s.sheet,
            s.row
        ),
        None => format!("{} {what}", e.standard),
    }
}

fn file_name(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.rsplit('/').next().unwrap_or(&p).to_string()
}

/// How well a written 出处文件 names an evidence file: 2 the path, its tail or the file
/// name alone; 1 the same file name in another folder; 0 not at all. Case and slash
/// direction do not matter.
fn file_match(actual: &str, written: &str) -> u8 {
    let norm = |s: &str| text::clean(s).replace('\\', "/").to_lowercase();
    let (a, w) = (norm(actual), norm(written));
    if a == w || a.ends_with(&format!("/{w}")) {
        2
    } else if file_name(&a) == file_name(&w) {
        1
    } else {
        0
    }
}

/// Candidate descriptions, at most six.
fn list(entries: &[&Entry]) -> String {
    let mut v: Vec<String> = entries.iter().take(6).map(|e| describe(e)).collect();
    if entries.len() > 6 {
        v.push(format!("等共 {} 条", entries.len()));
    }
    v.join("；")
}

fn withdraw(
    rules: &Rules,
    group: &str,
    entries: &mut [Entry],
    r: &Review,
    adjusted: Adjusted,
) -> Result<String, Refusal> {
    let bonus = adjusted.action.bonus();
    let kind = if bonus { "加分" } else { "扣分" };
    let standards: Option<Vec<String>> = if text::clean(&r.target).is_empty() {
        None
    } else {
        let c = findings::candidates(rules, &r.target);
        if c.is_empty() {
            return Err(bad_target(format!(
                "“{}”不对应任何考核项目或评分标准：请填写编号（如 C3 或 C3.3）或评分标准原文",
                r.target
            )));
        }
        Some(c)
    };
    // The unit's lines of the right kind (deductions or bonuses), as the score shows them.
    let of_kind: Vec<usize> = (0..entries.len())
        .filter(|&i| standard_kind(rules, &entries[i].standard, group) == Some((bonus, true)))
        .collect();
    let by_standard: Vec<usize> = of_kind
        .iter()
        .copied()
        .filter(|&i| standards.as_ref().is_none_or(|s| s.contains(&entries[i].standard)))
        .collect();
    let mut hits: Vec<usize> = by_standard
        .iter()
        .copied()
        .filter(|&i| {
            let src = entries[i].src.as_ref();
            let sheet_ok =
                r.src_sheet.is_empty() || src.is_some_and(|s| text::fold(&s.sheet) == text::fold(&r.src_sheet));
            let row_ok = r.src_row.is_none() || src.is_some_and(|s| Some(s.row) == r.src_row);
            let file_ok = r.src_file.is_empty() || src.is_some_and(|s| file_match(&s.file, &r.src_file) > 0);
            sheet_ok && row_ok && file_ok
        })
        .collect();
    // A file written with its folder prefers the file at that path over a namesake.
    if !r.src_file.is_empty() {
        let score = |i: usize| entries[i].src.as_ref().map_or(0, |s| file_match(&s.file, &r.src_file));
        let best = hits.iter().map(|&i| score(i)).max().unwrap_or(0);
        hits.retain(|&i| score(i) == best);
    }
    let live: Vec<usize> = hits.iter().copied().filter(|&i| !entries[i].withdrawn()).collect();
    if live.is_empty() {
        if let Some(&i) = hits.first() {
            let by = entries[i].adjusted.as_ref().map(|a| a.src.row).unwrap_or_default();
            return Err((
                ProblemKind::ReviewUnmatched,
                "src_file",
                format!("{}已由复核调整第 {by} 行撤销，不能再次撤销", describe(&entries[i])),
            ));
        }
        let pool: Vec<&Entry> = by_standard
            .iter()
            .chain(if by_standard.is_empty() {
                of_kind.iter()
            } else {
                [].iter()
            })
            .map(|&i| &entries[i])
            .filter(|e| !e.withdrawn())
            .collect();
        let have = if pool.is_empty() {
            format!("本单位没有可撤销的{kind}")
        } else {
            format!("本单位的{kind}有：{}", list(&pool))
        };
        return Err((
            ProblemKind::ReviewUnmatched,
            "src_file",
            format!("没有找到对应的{kind}（{have}）：请按{kind}明细填写出处文件、出处工作表、出处行"),
        ));
    }
    // Several lines are withdrawn together only when they are one piece of evidence
    // under one standard.
    let first = &entries[live[0]];
    let one = live
        .iter()
        .all(|&i| entries[i].standard == first.standard && entries[i].src == first.src && first.src.is_some());
    if live.len() > 1 && !one {
        let pool: Vec<&Entry> = live.iter().map(|&i| &entries[i]).collect();
        return Err((
            ProblemKind::ReviewAmbiguous,
            "src_file",
            format!(
                "对应 {} 条{kind}：{}。请补充出处文件、出处工作表、出处行或考核项目或标准，使之只对应一条",
                live.len(),
                list(&pool)
            ),
        ));
    }
    let effect: Vec<String> = live
        .iter()
        .map(|&i| format!("撤销 {}", describe(&entries[i])))
        .collect();
    for &i in &live {
        entries[i].adjusted = Some(adjusted.clone());
    }
    Ok(effect.join("；"))
}

fn add(
    rules: &Rules,
    group: &str,
    entries: &mut Vec<Entry>,
    r: &Review,
    adjusted: Adjusted,
) -> Result<String, Refusal> {
    let bonus = adjusted.action.bonus();
    let id = match findings::resolve(rules, &r.target, "", group) {
        Match::One(id) => id,
        Match::Ambiguous(ids) => {
            let list: Vec<String> = ids.iter().map(|s| described_standard(rules, s)).collect();
            return Err(bad_target(format!(
                "“{}”对应多个评分标准：{}。请填写其中一个的编号",
                r.target,
                list.join("；")
            )));
        }
        Match::Unmatched(near) => {
            return Err(bad_target(format!(
                "“{}”不对应任何评分标准（相近的有：{}）：请填写编号（如 A1.1）或评分标准原文",
                r.target,
                near.join("；")
            )));
        }
        Match::NotApplicable(id) => {
            return Err(bad_target(format!(
                "{} 不适用于本单位的类别（{group}）",
                described_standard(rules, &id)
            )));
        }
    };
    let is_bonus = rules
        .rubric
        .standard(&id)
        .is_some_and(|(item, _)| item.kind == ItemKind::Bonus);
    if is_bonus != bonus {
        let (what, use_) = if is_bonus {
            ("加分标准", "补加")
        } else {
            ("扣分标准", "补扣")
        };
        return Err(bad_target(format!(
            "{} 是{what}：调整方式应为“{use_}”",
            described_standard(rules, &id)
        )));
    }
    let points = r.points.map(|p| format!("，{} 分", fmt(p))).unwrap_or_default();
    let effect = format!("{} {}{points}", adjusted.action.word(), described_standard(rules, &id));
    entries.push(Entry {
        standard: id,
        count: 1,
        reason: r.reason.clone(),
        src: Some(r.src.clone()),
        label: String::new(),
        points: r.points,
        adjusted: Some(adjusted),
    });
    Ok(effect)
}

fn described_standard(rules: &Rules, id: &str) -> String {
    match rules.rubric.standard(id) {
        Some((_, s)) => format!("{} {}", s.id, s.text),
        None => id.to_string(),
    }
}

fn set_score(
    rules: &Rules,
    group: &str,
    current: &UnitScore,
    set: &mut BTreeMap<String, (f64, Adjusted)>,
    r: &Review,
    adjusted: Adjusted,
) -> Result<String, Refusal> {
    let id = text::fold(&r.target).to_uppercase();
    let item = rules.rubric.item(&id).or_else(|| {
        let items: BTreeSet<&str> = findings::candidates(rules, &r.target)
            .iter()
            .filter_map(|s| rules.rubric.standard(s).map(|(i, _)| i.id.as_str()))
            .collect();
        match items.into_iter().collect::<Vec<_>>()[..] {
            [one] => rules.rubric.item(one),
            _ => None,
        }
    });
    let Some(item) = item else {
        return Err(bad_target(format!(
            "“{}”不对应任何考核项目：改分请填写考核项目编号（如 A1）",
            r.target
        )));
    };
    if !(item.groups.is_empty() || item.groups.iter().any(|g| g == group)) {
        return Err(bad_target(format!(
            "{} {} 不适用于本单位的类别（{group}）",
            item.id, item.name
        )));
    }
    let Some(value) = r.points else {
        return Err((ProblemKind::ValueMissing, "points", "改分须填写调整后的得分".into()));
    };
    let max = match item.kind {
        ItemKind::Score => Some(item.points),
        _ => item.cap,
    };
    if let Some(max) = max.filter(|m| value > m + 1e-9) {
        return Err((
            ProblemKind::ReviewPoints,
            "points",
            format!(
                "改分后的得分 {} 超出 {} {} 的范围 0～{}",
                fmt(value),
                item.id,
                item.name,
                fmt(max)
            ),
        ));
    }
    let was = current
        .items
        .iter()
        .find(|i| i.id == item.id)
        .map(|i| i.score)
        .unwrap_or_default();
    set.insert(item.id.clone(), (value, adjusted));
    Ok(format!("{} {} 得分 {} → {}", item.id, item.name, fmt(was), fmt(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_match_with_or_without_their_folder() {
        let a = "/data/2021/章华镇台账.xlsx";
        assert_eq!(file_match(a, "章华镇台账.xlsx"), 2);
        assert_eq!(file_match(a, "2021/章华镇台账.xlsx"), 2);
        assert_eq!(file_match(a, r"2021\章华镇台账.XLSX"), 2);
        assert_eq!(file_match(a, "D:/别处/章华镇台账.xlsx"), 1);
        assert_eq!(file_match(a, "东山镇台账.xlsx"), 0);
    }
}

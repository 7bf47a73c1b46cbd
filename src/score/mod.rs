//! Occurrences + rubric → per-unit scores. Each item's deductions are capped at its
//! points ("扣完为止"); fixed standards count once per unit; bonuses and penalties are
//! capped where the rubric says; P1 sets the total to zero. Every occurrence is kept,
//! with the part the cap absorbed. The office's 复核调整 decisions (review.rs) withdraw,
//! add or set before the caps are applied; every adjusted line stays visible.

pub mod review;

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

use crate::checks::{Checked, Occurrence};
use crate::ingest::{Group, ReviewAction, Source, UnitId, UnitRegistry};
use crate::rules::{ItemKind, Per, Rules};

/// A 复核调整 decision as it touched a line or an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjusted {
    pub action: ReviewAction,
    pub reason: String,
    pub date: NaiveDate,
    /// 经办人 ("" when not written).
    pub by: String,
    /// The 复核调整 row.
    pub src: Source,
}

/// 改分: an item's score set by a decision, with the figure the checks gave.
#[derive(Debug, Clone, PartialEq)]
pub struct SetScore {
    pub check_score: f64,
    pub adjusted: Adjusted,
}

/// One occurrence as scored.
#[derive(Debug, Clone)]
pub struct Line {
    pub item: String,
    pub standard: String,
    pub standard_text: String,
    pub reason: String,
    /// Points before the cap.
    pub points: f64,
    /// Points that counted after the cap.
    pub counted: f64,
    /// A fixed standard already charged once for this unit (counted 0, not by the cap).
    pub repeated: bool,
    pub src: Option<Source>,
    pub label: String,
    /// The review decision that withdrew it (counted 0) or added it.
    pub adjusted: Option<Adjusted>,
}

impl Line {
    /// Whether the cap ("扣完为止", or a bonus/penalty limit) absorbed any of it.
    pub fn absorbed(&self) -> bool {
        !self.repeated && !self.withdrawn() && self.counted + 1e-9 < self.points
    }

    /// Withdrawn by a review decision (撤销扣分 / 撤销加分).
    pub fn withdrawn(&self) -> bool {
        self.adjusted.as_ref().is_some_and(|a| a.action.withdraws())
    }
}

#[derive(Debug, Clone)]
pub struct ItemScore {
    pub id: String,
    pub name: String,
    pub category: String,
    pub kind: ItemKind,
    /// Points of a scored item, cap of a bonus/penalty (0 when none).
    pub max: f64,
    /// Score of a scored item; amount of a bonus or penalty.
    pub score: f64,
    pub applicable: bool,
    /// Some ledger or finding fed it.
    pub fed: bool,
    pub lines: Vec<Line>,
    /// Set by a review decision (改分).
    pub set: Option<SetScore>,
}

#[derive(Debug, Clone)]
pub struct CategoryScore {
    pub id: String,
    pub name: String,
    pub max: f64,
    pub score: f64,
}

#[derive(Debug, Clone)]
pub struct UnitScore {
    pub unit: UnitId,
    pub name: String,
    pub group: Group,
    pub group_name: String,
    pub categories: Vec<CategoryScore>,
    pub items: Vec<ItemScore>,
    pub bonus: f64,
    pub penalty: f64,
    pub total: f64,
    /// The total before any review decision (equal to `total` when none applied).
    pub total_before_review: f64,
    pub rank: usize,
    pub group_size: usize,
    /// Why the total was set to zero (P1).
    pub zeroed: Option<String>,
}

impl UnitScore {
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.items.iter().flat_map(|i| i.lines.iter())
    }
}

/// Rounds to 1/100 to keep sums of halves exact in output.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Scores every assessed unit, without review decisions.
pub fn score(reg: &UnitRegistry, rules: &Rules, checked: &Checked) -> Vec<UnitScore> {
    score_reviewed(reg, rules, checked, &[], None).0
}

/// Scores every assessed unit, then applies the review decisions dated on or before
/// `as_of` (None: no decision applied) and ranks on the adjusted totals.
pub fn score_reviewed(
    reg: &UnitRegistry,
    rules: &Rules,
    checked: &Checked,
    reviews: &[crate::ingest::Review],
    as_of: Option<NaiveDate>,
) -> (Vec<UnitScore>, review::Outcome) {
    let mut by_unit: BTreeMap<UnitId, Vec<Entry>> = BTreeMap::new();
    for o in &checked.occurrences {
        by_unit.entry(o.unit).or_default().push(Entry::from(o));
    }
    let mut outcome = review::Outcome::default();
    let mut out: Vec<UnitScore> = reg
        .assessed()
        .into_iter()
        .map(|u| {
            let entries = by_unit.remove(&u).unwrap_or_default();
            match as_of {
                Some(as_of) => review::apply(u, reg, rules, &checked.fed, entries, reviews, as_of, &mut outcome),
                None => score_unit(u, reg, rules, &checked.fed, &entries, &BTreeMap::new()),
            }
        })
        .collect();
    if as_of.is_some() {
        outcome.finish(reviews, reg);
    }
    rank(&mut out);
    (out, outcome)
}

/// One line to score: an occurrence found by a check, or one a decision added, with
/// the decision that adjusted it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub standard: String,
    pub count: u32,
    pub reason: String,
    pub src: Option<Source>,
    pub label: String,
    /// 补扣 / 补加 with a 分值: these points instead of the standard's amount.
    pub points: Option<f64>,
    pub adjusted: Option<Adjusted>,
}

impl From<&Occurrence> for Entry {
    fn from(o: &Occurrence) -> Entry {
        Entry {
            standard: o.standard.clone(),
            count: o.count,
            reason: o.reason.clone(),
            src: o.src.clone(),
            label: o.label.clone(),
            points: None,
            adjusted: None,
        }
    }
}

impl Entry {
    pub(crate) fn withdrawn(&self) -> bool {
        self.adjusted.as_ref().is_some_and(|a| a.action.withdraws())
    }
}

pub(crate) fn score_unit(
    unit: UnitId,
    reg: &UnitRegistry,
    rules: &Rules,
    fed: &BTreeSet<String>,
    entries: &[Entry],
    set: &BTreeMap<String, (f64, Adjusted)>,
) -> UnitScore {
    let u = &reg.units[unit];
    let group_name = reg.group_name(u.group).to_string();
    let mut items = Vec::new();
    let mut zeroed = None;
    for it in &rules.rubric.items {
        let applicable = it.groups.is_empty() || it.groups.contains(&group_name);
        let cap = match it.kind {
            ItemKind::Score => Some(it.points),
            _ => it.cap,
        };
        let mut lines = Vec::new();
        let mut used = 0.0;
        let mut fixed_seen: BTreeSet<&str> = BTreeSet::new();
        for o in entries {
            let Some(std) = it.standards.iter().find(|s| s.id == o.standard) else {
                continue;
            };
            if !applicable {
                continue;
            }
            // A withdrawn line stays listed and counts nothing: not towards the cap, not
            // as the first of a fixed standard, not as a zeroing incident.
            let withdrawn = o.withdrawn();
            let points = match (std.per, o.points) {
                (Per::Zero, _) => {
                    if !withdrawn {
                        zeroed.get_or_insert_with(|| format!("{}：{}", std.text, o.reason));
                    }
                    0.0
                }
                (_, Some(p)) => p,
                (Per::Fixed, None) => std.amount,
                (Per::Occurrence, None) => std.amount * f64::from(o.count),
            };
            // A fixed standard counts once per unit however often recorded.
            let repeated = !withdrawn && std.per == Per::Fixed && !fixed_seen.insert(std.id.as_str());
            let effective = if repeated || withdrawn { 0.0 } else { points };
            let counted = match cap {
                Some(c) => effective.min((c - used).max(0.0)),
                None => effective,
            };
            used += counted;
            lines.push(Line {
                item: it.id.clone(),
                standard: std.id.clone(),
                standard_text: std.text.clone(),
                reason: o.reason.clone(),
                points: round2(points),
                counted: round2(counted),
                repeated,
                src: o.src.clone(),
                label: o.label.clone(),
                adjusted: o.adjusted.clone(),
            });
        }
        let (max, mut score) = match it.kind {
            ItemKind::Score if !applicable => (it.points, it.not_applicable_score.unwrap_or(it.points)),
            ItemKind::Score => (it.points, round2((it.points - used).max(0.0))),
            _ => (it.cap.unwrap_or(0.0), round2(used)),
        };
        let set = set.get(&it.id).filter(|_| applicable).map(|(value, adjusted)| {
            let check_score = score;
            score = round2(*value);
            SetScore {
                check_score,
                adjusted: adjusted.clone(),
            }
        });
        items.push(ItemScore {
            id: it.id.clone(),
            name: it.name.clone(),
            category: it.category.clone(),
            kind: it.kind,
            max,
            score,
            applicable,
            fed: fed.contains(&it.id),
            lines,
            set,
        });
    }
    let categories: Vec<CategoryScore> = rules
        .rubric
        .categories
        .iter()
        .map(|c| CategoryScore {
            id: c.id.clone(),
            name: c.name.clone(),
            max: c.points,
            score: round2(
                items
                    .iter()
                    .filter(|i| i.kind == ItemKind::Score && i.category == c.id)
                    .map(|i| i.score)
                    .sum(),
            ),
        })
        .collect();
    let bonus = round2(
        items
            .iter()
            .filter(|i| i.kind == ItemKind::Bonus)
            .map(|i| i.score)
            .sum(),
    );
    let penalty = round2(
        items
            .iter()
            .filter(|i| i.kind == ItemKind::Penalty)
            .map(|i| i.score)
            .sum(),
    );
    let mut total = round2(categories.iter().map(|c| c.score).sum::<f64>() + bonus - penalty);
    if zeroed.is_some() {
        total = 0.0;
    }
    UnitScore {
        unit,
        name: u.name.clone(),
        group: u.group,
        group_name,
        categories,
        items,
        bonus,
        penalty,
        total,
        total_before_review: total,
        rank: 0,
        group_size: 0,
        zeroed,
    }
}

/// Ranks within each group, highest first; equal totals share a rank (1, 2, 2, 4).
/// Sorts the list by group, then rank, then name.
fn rank(scores: &mut [UnitScore]) {
    let groups: BTreeSet<Group> = scores.iter().map(|s| s.group).collect();
    for g in groups {
        let totals: Vec<f64> = scores.iter().filter(|s| s.group == g).map(|s| s.total).collect();
        let n = totals.len();
        for s in scores.iter_mut().filter(|s| s.group == g) {
            s.rank = 1 + totals.iter().filter(|t| **t > s.total + 1e-9).count();
            s.group_size = n;
        }
    }
    scores.sort_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then(a.rank.cmp(&b.rank))
            .then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests;

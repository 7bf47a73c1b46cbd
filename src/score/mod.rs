//! Occurrences + rubric → per-unit scores. Each item's deductions are capped at its
//! points ("扣完为止"); fixed standards count once per unit; bonuses and penalties are
//! capped where the rubric says; P1 sets the total to zero. Every occurrence is kept,
//! with the part the cap absorbed.

use std::collections::{BTreeMap, BTreeSet};

use crate::checks::{Checked, Occurrence};
use crate::ingest::{Group, Source, UnitId, UnitRegistry};
use crate::rules::{ItemKind, Per, Rules};

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
}

impl Line {
    /// Whether the cap ("扣完为止", or a bonus/penalty limit) absorbed any of it.
    pub fn absorbed(&self) -> bool {
        !self.repeated && self.counted + 1e-9 < self.points
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

/// Scores every assessed unit.
pub fn score(reg: &UnitRegistry, rules: &Rules, checked: &Checked) -> Vec<UnitScore> {
    let mut by_unit: BTreeMap<UnitId, Vec<&Occurrence>> = BTreeMap::new();
    for o in &checked.occurrences {
        by_unit.entry(o.unit).or_default().push(o);
    }
    let mut out: Vec<UnitScore> = reg
        .assessed()
        .into_iter()
        .map(|u| {
            score_unit(
                u,
                reg,
                rules,
                &checked.fed,
                by_unit.get(&u).map(|v| v.as_slice()).unwrap_or(&[]),
            )
        })
        .collect();
    rank(&mut out);
    out
}

fn score_unit(
    unit: UnitId,
    reg: &UnitRegistry,
    rules: &Rules,
    fed: &BTreeSet<String>,
    occ: &[&Occurrence],
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
        for o in occ {
            let Some(std) = it.standards.iter().find(|s| s.id == o.standard) else {
                continue;
            };
            if !applicable {
                continue;
            }
            let points = match std.per {
                Per::Fixed => std.amount,
                Per::Occurrence => std.amount * f64::from(o.count),
                Per::Zero => {
                    zeroed.get_or_insert_with(|| format!("{}：{}", std.text, o.reason));
                    0.0
                }
            };
            // A fixed standard counts once per unit however often recorded.
            let repeated = std.per == Per::Fixed && !fixed_seen.insert(std.id.as_str());
            let effective = if repeated { 0.0 } else { points };
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
            });
        }
        let (max, score) = match it.kind {
            ItemKind::Score if !applicable => (it.points, it.not_applicable_score.unwrap_or(it.points)),
            ItemKind::Score => (it.points, round2((it.points - used).max(0.0))),
            _ => (it.cap.unwrap_or(0.0), round2(used)),
        };
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

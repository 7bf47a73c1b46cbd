//! Update frequency (附件1): for every checklist item × responsible unit, the updates in
//! the period and the lapses under its frequency (及时 / 两周 / 年度); lapses of the
//! 重点领域 items with a 两周 or 年度 duty feed C4.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

use super::{Charges, Evidence, Period};
use crate::ingest::{Dataset, Group, UnitId, UnitRegistry};
use crate::rules::{ChecklistItem, FrequencyKind, LedgerKind, Rules};
use crate::text;

/// Status of an item × unit pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PairStatus {
    /// No lapse.
    Met,
    /// Lapses > 0.
    Failed,
    /// A timely item with no row at all (a notice, not a lapse).
    NoUpdate,
    /// The unit does not answer for the item.
    NotApplicable,
}

impl PairStatus {
    pub fn label(self) -> &'static str {
        match self {
            PairStatus::Met => "达标",
            PairStatus::Failed => "未达标",
            PairStatus::NoUpdate => "无更新",
            PairStatus::NotApplicable => "不适用",
        }
    }
}

/// A stretch between two anchors longer than the allowed interval.
#[derive(Debug, Clone)]
pub struct Gap {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub missed: u32,
}

#[derive(Debug, Clone)]
pub struct Pair {
    /// Index into `rules.checklist.items`.
    pub item: usize,
    pub unit: UnitId,
    /// Distinct publication dates in the period.
    pub updates: usize,
    pub last: Option<NaiveDate>,
    /// Longest gap between consecutive anchors (period start, updates, as-of), in days.
    pub longest_gap_days: i64,
    pub lapses: u32,
    pub status: PairStatus,
    /// Gaps that missed updates (两周更新).
    pub gaps: Vec<Gap>,
    /// Late rows (及时更新): indices into `Dataset::publications`.
    pub late_rows: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Every responsible item × unit pair, in checklist order, then unit order.
    pub pairs: Vec<Pair>,
    /// 栏目 values that matched no item, with the number of period rows carrying them.
    pub unmatched: Vec<(String, usize)>,
    /// Whether the publication ledger was present (else nothing was checked).
    pub checked: bool,
}

impl Report {
    pub fn lapses(&self) -> u32 {
        self.pairs.iter().map(|p| p.lapses).sum()
    }
}

/// Units answering for an item: those named in its 内容保障单位 text (resolved through
/// the aliases, when assessed), every assessed 乡镇 / 县直部门 for the group words, the
/// rules' extra units, and — for timely items whose text names 相关单位 — every unit that
/// published under the item in the period.
pub fn responsible(
    item: &ChecklistItem,
    kind: FrequencyKind,
    rules: &Rules,
    reg: &UnitRegistry,
    publishers_in_period: &BTreeSet<UnitId>,
) -> BTreeSet<UnitId> {
    responsible_among(item, kind, rules, reg, &reg.assessed(), publishers_in_period)
}

/// `responsible`, given the assessed units (sorted once for every item, not per item).
fn responsible_among(
    item: &ChecklistItem,
    kind: FrequencyKind,
    rules: &Rules,
    reg: &UnitRegistry,
    assessed: &[UnitId],
    publishers_in_period: &BTreeSet<UnitId>,
) -> BTreeSet<UnitId> {
    let r = &rules.checklist.responsibility;
    let mut out = BTreeSet::new();
    let add_named = |name: &str, out: &mut BTreeSet<UnitId>| {
        if let Some(id) = reg.lookup(name) {
            if reg.units[id].assessed {
                out.insert(id);
            }
        }
    };
    let mut publishers = false;
    let mut publisher_words: Vec<&String> = r.publishers.iter().collect();
    publisher_words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let tokens = item
        .units
        .split(|c: char| r.separators.iter().any(|s| s.starts_with(c) && s.chars().count() == 1))
        .map(text::clean)
        .filter(|t| !t.is_empty());
    for token in tokens {
        if r.all_towns.iter().any(|w| w == token) {
            out.extend(assessed.iter().filter(|u| reg.units[**u].group == Group::Town));
            continue;
        }
        if r.all_departments.iter().any(|w| w == token) {
            out.extend(assessed.iter().filter(|u| reg.units[**u].group == Group::Department));
            continue;
        }
        let mut name = token;
        if let Some(w) = publisher_words.iter().find(|w| name.ends_with(w.as_str())) {
            publishers = true;
            name = &name[..name.len() - w.len()];
        }
        if let Some(s) = r.strip_suffixes.iter().find(|s| name.ends_with(s.as_str())) {
            name = &name[..name.len() - s.len()];
        }
        if !name.is_empty() {
            add_named(name, &mut out);
        }
    }
    for extra in &item.extra_units {
        add_named(extra, &mut out);
    }
    if publishers && kind == FrequencyKind::Timely {
        out.extend(publishers_in_period.iter().copied());
    }
    out
}

/// Consecutive anchors and the updates missed between them: ceil(gap / days) − 1 each.
pub fn gaps(
    start: NaiveDate,
    updates: &BTreeSet<NaiveDate>,
    as_of: NaiveDate,
    days: u32,
    anchors: bool,
) -> (Vec<Gap>, i64) {
    let mut pts: Vec<NaiveDate> = Vec::with_capacity(updates.len() + 2);
    pts.extend(updates.iter().copied());
    if anchors {
        pts.push(start);
        pts.push(as_of);
        pts.sort_unstable();
        pts.dedup();
    }
    let mut out = Vec::new();
    let mut longest = 0;
    let days = i64::from(days.max(1));
    for w in pts.windows(2) {
        let gap = (w[1] - w[0]).num_days();
        longest = longest.max(gap);
        let missed = ((gap + days - 1) / days - 1).max(0) as u32;
        if missed > 0 {
            out.push(Gap {
                from: w[0],
                to: w[1],
                days: gap,
                missed,
            });
        }
    }
    (out, longest)
}

pub fn check(
    ds: &Dataset,
    rules: &Rules,
    period: &Period,
    pubs: &super::publication::Report,
    ch: &mut Charges,
) -> Report {
    let c4 = rules.rubric.params.wiring.frequency_lapse.as_str();
    let mut report = Report {
        checked: ch.start(ds, &[LedgerKind::Publication], &[c4]),
        ..Default::default()
    };
    if !report.checked {
        return report;
    }
    let reg = ds.registry();
    let assessed = reg.assessed();
    // Late and pending rows, by publication index.
    let mut late = vec![false; ds.publications.len()];
    let mut pending = vec![false; ds.publications.len()];
    for (marks, rows) in [(&mut late, &pubs.late), (&mut pending, &pubs.pending)] {
        for t in rows {
            if let Some(m) = marks.get_mut(t.index) {
                *m = true;
            }
        }
    }
    let items = &rules.checklist.items;
    // Per item: unit → publication indices in play; per unit: all period dates.
    let mut by_item: Vec<BTreeMap<UnitId, Vec<usize>>> = vec![BTreeMap::new(); items.len()];
    let mut all_dates: BTreeMap<UnitId, BTreeSet<NaiveDate>> = BTreeMap::new();
    let mut unmatched: BTreeMap<String, usize> = BTreeMap::new();
    for (i, p) in ds.publications.iter().enumerate() {
        if p.duplicate || p.non_proactive {
            continue;
        }
        let Some(u) = p.unit else { continue };
        let in_period = p.published.date().filter(|d| period.contains(*d));
        if let Some(d) = in_period {
            all_dates.entry(u).or_default().insert(d);
        }
        match p.item {
            Some(it) => by_item[it.index()].entry(u).or_default().push(i),
            None if in_period.is_some() && !ds.text(p.category).is_empty() => {
                let category = ds.text(p.category);
                match unmatched.get_mut(category) {
                    Some(n) => *n += 1,
                    None => {
                        unmatched.insert(category.to_string(), 1);
                    }
                }
            }
            None => {}
        }
    }
    report.unmatched = unmatched.into_iter().collect();
    report.unmatched.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let empty = BTreeSet::new();
    for (idx, item) in items.iter().enumerate() {
        let Some(freq) = rules.checklist.frequency(&item.frequency) else {
            continue;
        };
        let publishers: BTreeSet<UnitId> = by_item[idx]
            .iter()
            .filter(|(_, rows)| {
                rows.iter()
                    .any(|&i| ds.publications[i].published.date().is_some_and(|d| period.contains(d)))
            })
            .map(|(u, _)| *u)
            .collect();
        let units = responsible_among(item, freq.kind, rules, reg, &assessed, &publishers);
        let key_area = item.level1 == rules.checklist.key_area_level1;
        for &unit in assessed.iter().filter(|u| units.contains(u)) {
            let rows: &[usize] = by_item[idx].get(&unit).map(|v| v.as_slice()).unwrap_or(&[]);
            let own: BTreeSet<NaiveDate>;
            let dates: &BTreeSet<NaiveDate> = if item.updated_by_all {
                all_dates.get(&unit).unwrap_or(&empty)
            } else {
                own = rows
                    .iter()
                    .filter_map(|&i| ds.publications[i].published.date())
                    .filter(|d| period.contains(*d))
                    .collect();
                &own
            };
            let (gap_list, longest) = gaps(
                period.start,
                dates,
                period.as_of,
                freq.days.unwrap_or_default(),
                freq.anchors,
            );
            let mut pair = Pair {
                item: idx,
                unit,
                updates: dates.len(),
                last: dates.iter().next_back().copied(),
                longest_gap_days: longest,
                lapses: 0,
                status: PairStatus::Met,
                gaps: Vec::new(),
                late_rows: Vec::new(),
            };
            match freq.kind {
                FrequencyKind::Interval => {
                    pair.lapses = gap_list.iter().map(|g| g.missed).sum();
                    pair.gaps = gap_list;
                }
                FrequencyKind::Yearly => {
                    if dates.is_empty() {
                        pair.lapses = 1;
                    }
                }
                FrequencyKind::Timely => {
                    // The score's own judgement of each row (20 working days), not a
                    // second one: late rows are lapses; any late, pending or period row
                    // means the item has rows.
                    let mut any = false;
                    for &i in rows {
                        if late[i] {
                            pair.late_rows.push(i);
                            any = true;
                        } else {
                            any |=
                                pending[i] || ds.publications[i].published.date().is_some_and(|d| period.contains(d));
                        }
                    }
                    pair.lapses = pair.late_rows.len() as u32;
                    if !any {
                        pair.status = PairStatus::NoUpdate;
                    }
                }
            }
            if pair.lapses > 0 {
                pair.status = PairStatus::Failed;
            }
            if key_area && freq.kind != FrequencyKind::Timely && pair.lapses > 0 {
                charge_c4(ch, c4, item, &freq.name, &pair, period);
            }
            report.pairs.push(pair);
        }
    }
    report
}

fn charge_c4(ch: &mut Charges, standard: &str, item: &ChecklistItem, freq: &str, pair: &Pair, period: &Period) {
    if pair.gaps.is_empty() {
        let reason = format!("{}（{}）：{} 至 {} 无更新", item.name, freq, period.start, period.as_of);
        ch.charge(pair.unit, standard, reason, Evidence::none(&item.name));
        return;
    }
    // One occurrence per missed update, each naming its gap.
    for g in &pair.gaps {
        for k in 1..=g.missed {
            let reason = format!(
                "{}（{}）：{} 至 {} 间隔 {} 天，少更新 {} 次（第 {} 次）",
                item.name, freq, g.from, g.to, g.days, g.missed, k
            );
            ch.charge(pair.unit, standard, reason, Evidence::none(&item.name));
        }
    }
}

#[cfg(test)]
mod tests;

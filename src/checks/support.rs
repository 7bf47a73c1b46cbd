//! Small helpers shared by the checks: the `Charges` sink (occurrences and "fed" marks) and
//! data problems found by a check (returned in its report; the caller merges them).

use std::collections::BTreeSet;

use super::Occurrence;
use crate::ingest::{Dataset, Problem, ProblemKind, Source, UnitId};
use crate::rules::{LedgerKind, Rules};

/// What a charge points at: the row it comes from (None for a unit-wide charge such as
/// a month with too few publications) and the row's title or number.
pub struct Evidence {
    pub src: Option<Source>,
    pub label: String,
}

impl Evidence {
    /// A row of a ledger, labelled by its title or number.
    pub fn row(src: &Source, label: impl Into<String>) -> Evidence {
        Evidence {
            src: Some(src.clone()),
            label: label.into(),
        }
    }

    /// No row: a label only (2021-03, 年度).
    pub fn none(label: impl Into<String>) -> Evidence {
        Evidence {
            src: None,
            label: label.into(),
        }
    }
}

/// The one place checks put what they charge, and the items they fed.
pub struct Charges<'a> {
    pub rules: &'a Rules,
    pub occurrences: &'a mut Vec<Occurrence>,
    pub fed: &'a mut BTreeSet<String>,
}

impl<'a> Charges<'a> {
    pub fn new(rules: &'a Rules, occurrences: &'a mut Vec<Occurrence>, fed: &'a mut BTreeSet<String>) -> Charges<'a> {
        Charges {
            rules,
            occurrences,
            fed,
        }
    }

    /// Charges a standard once to a unit.
    pub fn charge(&mut self, unit: UnitId, standard: &str, reason: String, evidence: Evidence) {
        self.charge_times(unit, standard, 1, reason, evidence);
    }

    /// Charges a standard `count` times (a 检查记录 row's 次数).
    pub fn charge_times(&mut self, unit: UnitId, standard: &str, count: u32, reason: String, evidence: Evidence) {
        self.occurrences.push(Occurrence {
            unit,
            standard: standard.to_string(),
            count,
            reason,
            src: evidence.src,
            label: evidence.label,
        });
    }

    /// Marks the items of these standards as fed (some ledger stood behind them).
    pub fn feed(&mut self, standards: &[&str]) {
        for s in standards {
            if let Some((item, _)) = self.rules.rubric.standard(s) {
                self.fed.insert(item.id.clone());
            }
        }
    }

    /// Starts a ledger's check: whether any of its kinds was found in the inputs, and if
    /// so the items of the standards it charges are marked as fed.
    pub fn start(&mut self, ds: &Dataset, kinds: &[LedgerKind], standards: &[&str]) -> bool {
        let found = present(ds, kinds);
        if found {
            self.feed(standards);
        }
        found
    }
}

/// Whether any of these ledger kinds was found in the inputs.
pub fn present(ds: &Dataset, kinds: &[LedgerKind]) -> bool {
    kinds.iter().any(|k| ds.present.contains(k))
}

/// The canonical header of a ledger field (the written one is not kept in records).
pub fn header(rules: &Rules, ledger: LedgerKind, field: &str) -> String {
    rules
        .ledgers
        .get(ledger)
        .and_then(|l| l.field(field))
        .map(|f| f.header.clone())
        .unwrap_or_default()
}

/// A data problem at a row's field. Records keep the row, not the column: the cell
/// reference is filled in by `Dataset::add_problems` from the sheet's header.
#[allow(clippy::too_many_arguments)]
pub fn problem(
    rules: &Rules,
    ledger: LedgerKind,
    src: &Source,
    field: &str,
    value: &str,
    kind: ProblemKind,
    message: String,
    unit: Option<UnitId>,
) -> Problem {
    Problem {
        file: src.file.to_string(),
        sheet: src.sheet.to_string(),
        row: Some(src.row),
        column: header(rules, ledger, field),
        cell: String::new(),
        value: value.to_string(),
        kind,
        message,
        unit,
        ledger: Some(ledger),
    }
}

/// A word list of a ledger field, folded for matching.
pub fn words(rules: &Rules, ledger: LedgerKind, field: &str, list: &str) -> Vec<String> {
    rules
        .ledgers
        .get(ledger)
        .and_then(|l| l.field(field))
        .map(|f| f.word_list(list).iter().map(|w| crate::text::fold(w)).collect())
        .unwrap_or_default()
}

//! Small helpers shared by the duty-ledger checks: wiring look-ups, "fed" marks and
//! data problems found by a check (returned in its report; the caller merges them).

use std::collections::BTreeSet;

use crate::ingest::{Dataset, Problem, ProblemKind, Source, UnitId};
use crate::rules::{LedgerKind, Rules};

/// The standard wired to a check, owned.
pub fn wired(rules: &Rules, check: &str) -> Option<String> {
    rules.rubric.wired(check).map(str::to_string)
}

/// Marks the items of the standards wired to these checks as fed.
pub fn feed(rules: &Rules, checks: &[&str], fed: &mut BTreeSet<String>) {
    for c in checks {
        if let Some((item, _)) = rules.rubric.wired(c).and_then(|s| rules.rubric.standard(s)) {
            fed.insert(item.id.clone());
        }
    }
}

/// Starts a ledger's check: whether any of its kinds was found in the inputs, and if
/// so the items of the checks it runs are marked as fed.
pub fn start(ds: &Dataset, rules: &Rules, kinds: &[LedgerKind], checks: &[&str], fed: &mut BTreeSet<String>) -> bool {
    let found = present(ds, kinds);
    if found {
        feed(rules, checks, fed);
    }
    found
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

//! Helpers for the checks' unit tests: hand-built datasets over the embedded rules.

use chrono::NaiveDate;

use super::{Occurrence, Period};
use crate::ingest::{
    Dataset, DateCell, FileInfo, Publication, Request, SheetInfo, Source, TextId, Titles, UnitId, UnitRegistry,
};
use crate::rules::{LedgerKind, Rules};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn od(s: &str) -> Option<NaiveDate> {
    (!s.is_empty()).then(|| d(s))
}

pub fn src(row: u32) -> Source {
    Source::new("t.xlsx", "s", row)
}

/// A publication of `unit` titled `title` (kept in `titles`) at row `row`, with no
/// dates, no problem and every other field blank; tests set the fields they need on top.
pub fn publication(titles: &mut Titles, unit: UnitId, title: &str, row: u32) -> Publication {
    Publication {
        unit: Some(unit),
        title: titles.own(title),
        category: TextId::EMPTY,
        item: None,
        formed: DateCell::BLANK,
        published: DateCell::BLANK,
        attribute: TextId::EMPTY,
        has_attribute_column: false,
        doc_no: TextId::EMPTY,
        reason: TextId::EMPTY,
        channel: TextId::EMPTY,
        needs_interpretation: None,
        interpretation_date: DateCell::BLANK,
        non_proactive: false,
        problem: false,
        duplicate: false,
        src: src(row),
    }
}

/// The id of a publication's text in `ds`.
pub fn text(ds: &mut Dataset, s: &str) -> TextId {
    ds.texts.add(s)
}

/// A request received on `received` (numbered `number`, at row `row`), not yet answered
/// and with no pauses; tests set the fields they need on top.
pub fn request(unit: UnitId, number: String, received: &str, row: u32) -> Request {
    Request {
        unit: Some(unit),
        number,
        received: od(received),
        correction_notice: None,
        correction_received: None,
        consult_start: None,
        consult_end: None,
        extended: false,
        answered: None,
        result: String::new(),
        review: String::new(),
        lawsuit: String::new(),
        applicant: String::new(),
        lawsuit_method: String::new(),
        review_date: None,
        lawsuit_date: None,
        src: src(row),
    }
}

/// The embedded rules and a dataset whose registry has these units resolved (ids in
/// the same order).
pub fn setup(units: &[&str]) -> (Rules, Dataset, Vec<UnitId>) {
    let rules = Rules::embedded().unwrap();
    let mut reg = UnitRegistry::new(&rules.units);
    let ids = units.iter().map(|u| reg.resolve(u).0).collect();
    let ds = Dataset {
        units: Some(reg),
        ..Default::default()
    };
    (rules, ds, ids)
}

/// The 2021 period up to `as_of`.
pub fn period(as_of: &str) -> Period {
    Period {
        year: 2021,
        start: d("2021-01-01"),
        as_of: d(as_of),
    }
}

/// Occurrences of the standard wired to `check`.
pub fn of<'a>(occ: &'a [Occurrence], rules: &Rules, check: &str) -> Vec<&'a Occurrence> {
    let id = rules.rubric.wired(check).unwrap();
    occ.iter().filter(|o| o.standard == id).collect()
}

/// Source rows of the occurrences of the standard wired to `check`.
pub fn rows_of(occ: &[Occurrence], rules: &Rules, check: &str) -> Vec<u32> {
    of(occ, rules, check)
        .iter()
        .filter_map(|o| o.src.as_ref().map(|s| s.row))
        .collect()
}

/// A file whose own unit is `unit`, with one sheet of `ledger` (None: not recognised).
pub fn file(path: &str, unit: UnitId, ledger: Option<LedgerKind>) -> FileInfo {
    FileInfo {
        path: path.into(),
        sha256: String::new(),
        sheets: vec![SheetInfo {
            name: "Sheet1".into(),
            ledger,
            ledger_name: String::new(),
            header_row: Some(1),
            rows: 0,
            reason: String::new(),
            headers_seen: Vec::new(),
            hidden: false,
            unit: Some(unit),
            columns: Vec::new(),
        }],
        error: None,
        duplicate_of: None,
        template: false,
        own_units: vec![unit],
    }
}

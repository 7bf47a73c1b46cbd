//! The 政府信息公开工作年度报告 tables 三 and 四 from the request ledger: records → table
//! cells, each with the rows behind it, per unit and for the county, and the 勾稽
//! relations the format prints and implies. Pure: labels come from
//! rules/annual_report.toml, nothing here reads files or formats output.

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

use super::requests::is_lost;
use super::support::{problem, words};
use crate::ingest::report_tables::{TableRead, UnitTables};
use crate::ingest::{AnnualData, Problem, ProblemKind, Request, Source, UnitId};
use crate::rules::{AnnualRole, LedgerKind, Rules};
use crate::text;

/// One cell: its figure (None: not known, 上年结转未知) and the request rows behind it
/// (indexes into the requests given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub value: Option<u32>,
    pub rows: Vec<usize>,
}

impl Cell {
    fn zero() -> Cell {
        Cell {
            value: Some(0),
            rows: Vec::new(),
        }
    }

    fn add(&mut self, row: usize) {
        self.value = self.value.map(|v| v + 1);
        self.rows.push(row);
    }

    fn absorb(&mut self, other: &Cell) {
        self.value = match (self.value, other.value) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        self.rows.extend(other.rows.iter().copied());
    }
}

/// Where row 二 (上年结转) of table 三 comes from, in order of priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarriedSource {
    /// Requests received before the year in the inputs (the rows behind each cell).
    Ledger,
    /// The 上年结转 columns of the 年报主动公开数据 sheet (`carried_from`).
    Sheet,
    /// Row 四 of last year's tables (`--carried`, `carried_report`).
    Report,
    /// Not known: 上年结转未知.
    Unknown,
    /// The county: its units' sources differ.
    Mixed,
}

impl CarriedSource {
    /// Stable code (JSON `carried_source`).
    pub fn code(self) -> &'static str {
        match self {
            CarriedSource::Ledger => "ledger",
            CarriedSource::Sheet => "sheet",
            CarriedSource::Report => "report",
            CarriedSource::Unknown => "unknown",
            CarriedSource::Mixed => "mixed",
        }
    }
}

/// Table 二 of a unit (or the county's sum): per row of the rules' table 二, the figure
/// of each data column (None: not filled in), and the 年报主动公开数据 rows it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Table2 {
    pub cells: Vec<Vec<Option<f64>>>,
    pub sources: Vec<Source>,
}

/// Table 三 (rows in the rules' order × the six applicant columns and 总计) and table
/// 四 (three blocks × five columns) of one unit, or of the county; table 二 when the
/// 年报主动公开数据 sheet has the unit.
#[derive(Debug, Clone)]
pub struct Tables {
    /// None: the county sum.
    pub unit: Option<UnitId>,
    pub t3: Vec<Vec<Cell>>,
    pub t4: Vec<Vec<Cell>>,
    /// None: no 年报主动公开数据 row for the unit (county: for any unit).
    pub t2: Option<Table2>,
    /// County: units without a 年报主动公开数据 row (their table 二 is not in the sum).
    pub t2_missing: Vec<UnitId>,
    /// 二 could not be settled: no request received before the year in the inputs and
    /// no 上年结转 in the 年报主动公开数据 sheet (county: for any unit).
    pub carried_unknown: bool,
    pub carried_source: CarriedSource,
    /// The 年报主动公开数据 row 二 came from (source Sheet).
    pub carried_from: Option<Source>,
    /// 二 from the sheet as a total only: the applicant columns are not known.
    pub carried_total_only: bool,
    /// The sheet's 上年结转 total not used because the inputs have prior-year rows, when
    /// it differs from the ledger's (a note, not an error): the figure and its row.
    pub carried_ignored: Option<(f64, Source)>,
    /// County: each unit's source of 二.
    pub carried_by_unit: Vec<(UnitId, CarriedSource)>,
    /// Last year's tables row 二 came from (source Report): file and sheet.
    pub carried_report: Option<String>,
}

/// A 勾稽 relation that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// 表三 / 表四.
    pub table: &'static str,
    /// The relation in words (第一项加第二项之和等于第三项（七）加第四项之和).
    pub relation: String,
    /// The column or row it was checked along (自然人, 行政复议 …).
    pub along: String,
    pub left: u32,
    pub right: u32,
    /// Request rows on one side and not the other (ledger tables only).
    pub rows: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub year: i32,
    /// Per unit, in the registry's order.
    pub units: Vec<Tables>,
    pub county: Option<Tables>,
    /// 办理结果 that table 三 cannot place (result-unclassified), naming the cell.
    pub problems: Vec<Problem>,
}

/// Figures of a table as numbers (None where unknown), for the relations.
pub type Figures = Vec<Vec<Option<u32>>>;

pub fn figures(cells: &[Vec<Cell>]) -> Figures {
    cells.iter().map(|r| r.iter().map(|c| c.value).collect()).collect()
}

/// Where table 四's block and column of a 复议 or 诉讼 result fall.
fn outcome(rules: &Rules, field: &str, value: &str) -> usize {
    let k = LedgerKind::Request;
    let o = &rules.annual.outcome;
    let mut lost = words(rules, k, field, "lost");
    lost.extend(o.corrected.iter().map(|w| text::fold(w)));
    let not_lost = words(rules, k, field, "not_lost");
    let f = text::fold(value);
    let has = |ws: &[String]| ws.iter().any(|w| !w.is_empty() && f.contains(text::fold(w).as_str()));
    if is_lost(value, &lost, &not_lost) {
        1
    } else if has(&o.pending) {
        3
    } else if has(&o.upheld) {
        0
    } else {
        2
    }
}

fn in_year(d: Option<NaiveDate>, year: i32) -> bool {
    d.is_some_and(|d| d.year() == year)
}

/// Builds the tables of every unit with request rows (only `only`, when given) and the
/// county sum.
pub fn build(requests: &[Request], rules: &Rules, year: i32, only: &[UnitId]) -> Report {
    let f = &rules.annual;
    let ncols = f.table3.columns().len();
    let nrows = f.table3.rows.len();
    let Some([new, carried, total, pending]) = f.table3.role_rows() else {
        return Report {
            year,
            ..Default::default()
        };
    };
    let (Some(jan1), Some(dec31)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Report {
            year,
            ..Default::default()
        };
    };
    let cols = f.table3.columns();
    let applicant_col = |a: &str| {
        cols[..ncols - 1]
            .iter()
            .position(|c| *c == a)
            .or_else(|| cols[..ncols - 1].iter().position(|c| *c == f.table3.fallback_applicant))
            .unwrap_or(ncols - 2)
    };
    let mut per: BTreeMap<UnitId, Tables> = BTreeMap::new();
    let mut prior: BTreeMap<UnitId, bool> = BTreeMap::new();
    let mut problems = Vec::new();
    let blank = |unit| blank(unit, ncols, nrows);
    for (i, r) in requests.iter().enumerate() {
        let Some(unit) = r.unit else { continue };
        if !only.is_empty() && !only.contains(&unit) {
            continue;
        }
        let t = per.entry(unit).or_insert_with(|| blank(unit));
        let c = applicant_col(&r.applicant);
        if let Some(rec) = r.received {
            if rec < jan1 {
                prior.insert(unit, true);
            }
        }
        let answered_before = |d: NaiveDate| r.answered.is_some_and(|a| a < d);
        if in_year(r.received, year) {
            t.t3[new][c].add(i);
        }
        if r.received.is_some_and(|d| d < jan1) && !answered_before(jan1) {
            t.t3[carried][c].add(i);
        }
        if r.answered.is_some_and(|a| jan1 <= a && a <= dec31) {
            t.t3[total][c].add(i);
            let leaf = f
                .table3
                .rows
                .iter()
                .position(|row| row.role == AnnualRole::Result && row.result == r.result);
            match leaf {
                Some(l) => t.t3[l][c].add(i),
                None => {
                    let (row, col) = (f.table3.rows[total].full_name(), cols[c]);
                    let why = if r.result.is_empty() {
                        "办理结果未填".to_string()
                    } else {
                        format!("办理结果“{}”不是年报统计表的具体情形", r.result)
                    };
                    problems.push(problem(
                        rules,
                        LedgerKind::Request,
                        &r.src,
                        "result",
                        &r.result,
                        ProblemKind::ResultUnclassified,
                        format!(
                            "{why}，无法计入{year}年度报告表三“本年度办理结果”的具体行（“{col}”列）：只计入“{row}”，请按具体情形填写"
                        ),
                        Some(unit),
                    ));
                }
            }
        }
        if r.received.is_some_and(|d| d <= dec31) && r.answered.is_none_or(|a| a > dec31) {
            t.t3[pending][c].add(i);
        }
        // Table 四.
        let has_review = !r.review.trim().is_empty();
        if has_review && in_year(r.review_date.or(r.answered), year) {
            let k = outcome(rules, "review", &r.review);
            t.t4[0][k].add(i);
            t.t4[0][4].add(i);
        }
        if !r.lawsuit.trim().is_empty() && in_year(r.lawsuit_date.or(r.answered), year) {
            let block = if r.lawsuit_method == f.table4.after_review {
                2
            } else if r.lawsuit_method == f.table4.direct {
                1
            } else if has_review {
                2
            } else {
                1
            };
            let k = outcome(rules, "lawsuit", &r.lawsuit);
            t.t4[block][k].add(i);
            t.t4[block][4].add(i);
        }
    }
    let mut units: Vec<Tables> = per.into_values().collect();
    for t in &mut units {
        // 总计 column: the six applicant columns.
        for row in &mut t.t3 {
            let mut sum = Cell::zero();
            for c in &row[..ncols - 1] {
                sum.absorb(c);
            }
            row[ncols - 1] = sum;
        }
        if !t.unit.is_some_and(|u| prior.contains_key(&u)) {
            set_unknown(t, carried);
        }
    }
    let county = county(&units, ncols, nrows);
    Report {
        year,
        units,
        county,
        problems,
    }
}

fn blank(unit: UnitId, ncols: usize, nrows: usize) -> Tables {
    Tables {
        unit: Some(unit),
        t3: vec![vec![Cell::zero(); ncols]; nrows],
        t4: vec![vec![Cell::zero(); 5]; 3],
        t2: None,
        t2_missing: Vec::new(),
        carried_unknown: false,
        carried_source: CarriedSource::Ledger,
        carried_from: None,
        carried_total_only: false,
        carried_ignored: None,
        carried_by_unit: Vec::new(),
        carried_report: None,
    }
}

fn set_unknown(t: &mut Tables, carried: usize) {
    t.carried_unknown = true;
    t.carried_source = CarriedSource::Unknown;
    for c in &mut t.t3[carried] {
        *c = Cell::default();
    }
}

/// The county: every cell the sum of the units' (unknown when any unit's is); table 二
/// the sum of the units that have one.
fn county(units: &[Tables], ncols: usize, nrows: usize) -> Option<Tables> {
    let first = units.first()?;
    let same = units.iter().all(|u| u.carried_source == first.carried_source);
    let mut c = Tables {
        unit: None,
        t3: vec![vec![Cell::zero(); ncols]; nrows],
        t4: vec![vec![Cell::zero(); 5]; 3],
        t2: None,
        t2_missing: Vec::new(),
        carried_unknown: units.iter().any(|u| u.carried_unknown),
        carried_source: if same {
            first.carried_source
        } else {
            CarriedSource::Mixed
        },
        carried_from: None,
        carried_total_only: units.iter().any(|u| u.carried_total_only),
        carried_ignored: None,
        carried_by_unit: units
            .iter()
            .filter_map(|u| u.unit.map(|id| (id, u.carried_source)))
            .collect(),
        carried_report: None,
    };
    for u in units {
        for (a, b) in c.t3.iter_mut().zip(&u.t3) {
            for (x, y) in a.iter_mut().zip(b) {
                x.absorb(y);
            }
        }
        for (a, b) in c.t4.iter_mut().zip(&u.t4) {
            for (x, y) in a.iter_mut().zip(b) {
                x.absorb(y);
            }
        }
        match (&u.t2, &mut c.t2) {
            (None, _) => c.t2_missing.extend(u.unit),
            (Some(t), None) => c.t2 = Some(t.clone()),
            (Some(t), Some(sum)) => {
                for (a, b) in sum.cells.iter_mut().zip(&t.cells) {
                    for (x, y) in a.iter_mut().zip(b) {
                        // A blank cell adds nothing; the sum is blank only when all are.
                        *x = match (*x, *y) {
                            (Some(p), Some(q)) => Some(p + q),
                            (p, q) => p.or(q),
                        };
                    }
                }
                sum.sources.extend(t.sources.iter().cloned());
            }
        }
    }
    Some(c)
}

/// Table 二 from the 年报主动公开数据 rows, and row 二 of table 三 where the inputs hold
/// no prior-year rows (priority: prior-year rows > this sheet > 上年结转未知). A unit
/// with a row there and no request rows gets its tables too (table 三 all 0). The
/// county is summed again. Problems: a 上年结转 total that is not the sum of the
/// applicant columns beside it (the columns are used).
pub fn apply_data(report: &mut Report, data: &[AnnualData], rules: &Rules, only: &[UnitId]) {
    let f = &rules.annual;
    let ncols = f.table3.columns().len();
    let nrows = f.table3.rows.len();
    let Some([_, carried, _, _]) = f.table3.role_rows() else {
        return;
    };
    let mut added = false;
    for d in data.iter().filter(|d| !d.duplicate) {
        let Some(unit) = d.unit else { continue };
        if !only.is_empty() && !only.contains(&unit) {
            continue;
        }
        let i = match report.units.iter().position(|t| t.unit == Some(unit)) {
            Some(i) => i,
            None => {
                let mut t = blank(unit, ncols, nrows);
                set_unknown(&mut t, carried);
                report.units.push(t);
                added = true;
                report.units.len() - 1
            }
        };
        let t = &mut report.units[i];
        t.t2 = Some(Table2 {
            cells: f
                .table2
                .rows()
                .map(|(r, _)| r.fields.iter().map(|id| d.figure(id)).collect())
                .collect(),
            sources: vec![d.src.clone()],
        });
        // 上年结转: the applicant columns when any is filled (a blank one is 0), else
        // the total alone.
        let parts: Vec<Option<f64>> = f.table3.carried_fields.iter().map(|id| d.figure(id)).collect();
        let total = d.figure(&f.table3.carried_total_field);
        let by_applicant = parts.iter().any(|p| p.is_some());
        let sum: f64 = parts.iter().flatten().sum();
        if let (true, Some(tot)) = (by_applicant, total) {
            if tot != sum {
                report.problems.push(problem(
                    rules,
                    LedgerKind::AnnualData,
                    &d.src,
                    &f.table3.carried_total_field,
                    &fmt_num(tot),
                    ProblemKind::CarriedTotalMismatch,
                    format!(
                        "上年结转总计 {} 不等于各类申请人之和 {}：表三“上年结转”按各类申请人的数字填写（总计 {}），请核对",
                        fmt_num(tot),
                        fmt_num(sum),
                        fmt_num(sum)
                    ),
                    Some(unit),
                ));
            }
        }
        if !by_applicant && total.is_none() {
            continue;
        }
        if t.carried_source == CarriedSource::Ledger {
            let sheet_total = if by_applicant { Some(sum) } else { total };
            let ledger_total = t.t3[carried][ncols - 1].value.map(f64::from);
            if let (Some(s), Some(l)) = (sheet_total, ledger_total) {
                if s != l {
                    t.carried_ignored = Some((s, d.src.clone()));
                }
            }
            continue;
        }
        let whole = |v: f64| Cell {
            value: Some(v as u32),
            rows: Vec::new(),
        };
        if by_applicant {
            for (c, p) in parts.iter().enumerate() {
                t.t3[carried][c] = whole(p.unwrap_or(0.0));
            }
            t.t3[carried][ncols - 1] = whole(sum);
        } else if let Some(tot) = total {
            for c in &mut t.t3[carried][..ncols - 1] {
                *c = Cell::default();
            }
            t.t3[carried][ncols - 1] = whole(tot);
            t.carried_total_only = true;
        }
        t.carried_unknown = false;
        t.carried_source = CarriedSource::Sheet;
        t.carried_from = Some(d.src.clone());
    }
    if added {
        report.units.sort_by_key(|t| t.unit);
    }
    report.county = county(&report.units, ncols, nrows);
}

/// A figure as written in a message (12, 12.5).
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The 勾稽 relations of tables 三 and 四 that `t3`/`t4` break (unknown figures are not
/// judged). With `cells`, the request rows on one side and not the other.
pub fn broken(rules: &Rules, t3: &Figures, t4: &Figures, cells: Option<&Tables>) -> Vec<Broken> {
    let f = &rules.annual;
    let cols = f.table3.columns();
    let ncols = cols.len();
    let Some([new, carried, total, pending]) = f.table3.role_rows() else {
        return Vec::new();
    };
    let leaves: Vec<usize> = (0..f.table3.rows.len())
        .filter(|&i| f.table3.rows[i].role == AnnualRole::Result)
        .collect();
    let get = |t: &Figures, r: usize, c: usize| t.get(r).and_then(|row| row.get(c)).copied().flatten();
    let sum = |vals: &[Option<u32>]| vals.iter().try_fold(0u32, |acc, v| v.map(|v| acc + v));
    let rows3 = |pos: &[usize], c: usize| -> Vec<usize> {
        cells
            .map(|t| pos.iter().flat_map(|&r| t.t3[r][c].rows.iter().copied()).collect())
            .unwrap_or_default()
    };
    let diff = |mut a: Vec<usize>, mut b: Vec<usize>| {
        // Multiset difference both ways: rows counted on one side more often.
        a.sort_unstable();
        b.sort_unstable();
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x == y => {
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x < y => {
                    out.push(*x);
                    i += 1;
                }
                (Some(_), Some(y)) => {
                    out.push(*y);
                    j += 1;
                }
                (Some(x), None) => {
                    out.push(*x);
                    i += 1;
                }
                (None, Some(y)) => {
                    out.push(*y);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        out.dedup();
        out
    };
    let mut out = Vec::new();
    for (c, col) in cols.iter().enumerate() {
        let l = sum(&[get(t3, new, c), get(t3, carried, c)]);
        let r = sum(&[get(t3, total, c), get(t3, pending, c)]);
        if let (Some(l), Some(r)) = (l, r) {
            if l != r {
                out.push(Broken {
                    table: "表三",
                    relation: "第一项加第二项之和等于第三项（七）总计加第四项之和".into(),
                    along: col.to_string(),
                    left: l,
                    right: r,
                    rows: diff(rows3(&[new, carried], c), rows3(&[total, pending], c)),
                });
            }
        }
        let leaf_vals: Vec<Option<u32>> = leaves.iter().map(|&r| get(t3, r, c)).collect();
        if let (Some(l), Some(r)) = (get(t3, total, c), sum(&leaf_vals)) {
            if l != r {
                out.push(Broken {
                    table: "表三",
                    relation: "（七）总计等于（一）至（六）各项之和".into(),
                    along: col.to_string(),
                    left: l,
                    right: r,
                    rows: diff(rows3(&[total], c), rows3(&leaves, c)),
                });
            }
        }
    }
    for (ri, row) in f.table3.rows.iter().enumerate() {
        let parts: Vec<Option<u32>> = (0..ncols - 1).map(|c| get(t3, ri, c)).collect();
        if let (Some(l), Some(r)) = (get(t3, ri, ncols - 1), sum(&parts)) {
            if l != r {
                out.push(Broken {
                    table: "表三",
                    relation: format!("{}等于各类申请人之和", f.table3.total),
                    along: row.full_name(),
                    left: l,
                    right: r,
                    rows: Vec::new(),
                });
            }
        }
    }
    for (b, name) in f.table4.blocks().iter().enumerate() {
        let parts: Vec<Option<u32>> = (0..4).map(|k| get(t4, b, k)).collect();
        if let (Some(l), Some(r)) = (get(t4, b, 4), sum(&parts)) {
            if l != r {
                out.push(Broken {
                    table: "表四",
                    relation: format!("{}等于前四列之和", f.table4.columns[4]),
                    along: name.to_string(),
                    left: l,
                    right: r,
                    rows: Vec::new(),
                });
            }
        }
    }
    out
}

/// Tables of a unit with no request rows: every figure 0, 二 unknown.
pub fn empty(rules: &Rules, unit: Option<UnitId>) -> Tables {
    let f = &rules.annual;
    let (ncols, nrows) = (f.table3.columns().len(), f.table3.rows.len());
    let mut t = blank(unit.unwrap_or_default(), ncols, nrows);
    t.unit = unit;
    if let Some([_, carried, _, _]) = f.table3.role_rows() {
        set_unknown(&mut t, carried);
    }
    t
}

/// Last year's 四 of a unit (applicant columns) and where it was read.
pub type Carried = (UnitId, Vec<u32>, String);

/// 二 from last year's tables (`--carried`): for each unit whose 二 is still unknown
/// (no prior-year rows, no 上年结转 in 年报主动公开数据) and that has last year's 四 (per
/// applicant column), 二 becomes those figures and its 总计 their sum; the county is
/// then summed again.
pub fn fill_carried(rules: &Rules, report: &mut Report, carried: &[Carried]) {
    let f = &rules.annual.table3;
    let (ncols, nrows) = (f.columns().len(), f.rows.len());
    let Some([_, row, _, _]) = f.role_rows() else { return };
    for t in &mut report.units {
        if t.carried_source != CarriedSource::Unknown {
            continue;
        }
        let Some((_, v, from)) = carried
            .iter()
            .find(|(u, v, _)| Some(*u) == t.unit && v.len() == ncols - 1)
        else {
            continue;
        };
        for (c, x) in v.iter().enumerate() {
            t.t3[row][c] = Cell {
                value: Some(*x),
                rows: Vec::new(),
            };
        }
        t.t3[row][ncols - 1] = Cell {
            value: Some(v.iter().sum()),
            rows: Vec::new(),
        };
        t.carried_unknown = false;
        t.carried_source = CarriedSource::Report;
        t.carried_report = Some(from.clone());
    }
    if report.county.is_some() {
        report.county = county(&report.units, ncols, nrows);
    }
}

/// G1's 格式 from the tables a unit wrote: per unit whose tables were found, the reasons
/// its format is not the standard one (none: 规范). 格式不规范 is: table 三 or 四 not
/// found in the layout, a row or column label that differs, a figure that is not a
/// number, or a 勾稽 relation the unit's own figures break. (Figures that differ from
/// the ledger are not a format fault.) Tables whose unit cannot be told count for no one.
pub fn format_verdicts(rules: &Rules, read: &crate::ingest::report_tables::Read) -> Vec<(UnitId, Vec<String>)> {
    use crate::ingest::report_tables::Owner;
    let mut out = Vec::new();
    for t in &read.tables {
        let Owner::Unit(u) = t.owner else { continue };
        let mut reasons: Vec<String> = read
            .problems
            .iter()
            .filter(|p| p.owner == Some(t.owner) && p.is_format())
            .map(|p| p.message.clone())
            .collect();
        let figs = |t: &Option<TableRead>| t.as_ref().map(|t| t.figures()).unwrap_or_default();
        for b in broken(rules, &figs(&t.t3), &figs(&t.t4), None) {
            reasons.push(format!(
                "{}勾稽关系不成立：{}（{}）{} ≠ {}",
                b.table, b.relation, b.along, b.left, b.right
            ));
        }
        reasons.dedup();
        out.push((u, reasons));
    }
    out
}

/// A figure a unit wrote that differs from the ledger's.
#[derive(Debug, Clone)]
pub struct Difference {
    pub table: &'static str,
    /// The row's id (table 三) or block (table 四), and its name.
    pub row_id: String,
    pub row: String,
    pub column: String,
    pub reported: u32,
    pub ledger: u32,
    pub file: String,
    pub sheet: String,
    pub cell: String,
    /// The request rows behind the ledger's figure.
    pub rows: Vec<usize>,
}

/// The figures a unit wrote against the ledger's: each that differs (a figure the
/// ledger cannot settle, 上年结转未知, is not judged), and the 勾稽 relations the
/// unit's own figures break.
pub fn compare(rules: &Rules, written: &UnitTables, ledger: &Tables) -> (Vec<Difference>, Vec<Broken>) {
    let f = &rules.annual;
    let cols = f.table3.columns();
    let blocks = f.table4.blocks();
    let mut out = Vec::new();
    let mut each = |table: &'static str,
                    read: &TableRead,
                    cells: &[Vec<Cell>],
                    name: &dyn Fn(usize) -> (String, String),
                    col: &dyn Fn(usize) -> String| {
        for (ri, row) in read.cells.iter().enumerate() {
            for (ci, w) in row.iter().enumerate() {
                let (Some(w), Some(l)) = (w, cells.get(ri).and_then(|r| r.get(ci))) else {
                    continue;
                };
                let (Some(reported), Some(ledger)) = (w.value, l.value) else {
                    continue;
                };
                if reported != ledger {
                    let (row_id, row) = name(ri);
                    out.push(Difference {
                        table,
                        row_id,
                        row,
                        column: col(ci),
                        reported,
                        ledger,
                        file: read.file.clone(),
                        sheet: read.sheet.clone(),
                        cell: w.cell.clone(),
                        rows: l.rows.clone(),
                    });
                }
            }
        }
    };
    if let Some(t3) = &written.t3 {
        each(
            "表三",
            t3,
            &ledger.t3,
            &|ri| {
                f.table3
                    .rows
                    .get(ri)
                    .map(|r| (r.id.clone(), r.full_name()))
                    .unwrap_or_default()
            },
            &|ci| cols.get(ci).map(|s| s.to_string()).unwrap_or_default(),
        );
    }
    if let Some(t4) = &written.t4 {
        each(
            "表四",
            t4,
            &ledger.t4,
            &|b| {
                let name = if b == 0 {
                    blocks[0].to_string()
                } else {
                    format!("{} {}", f.table4.lawsuit, blocks.get(b).copied().unwrap_or(""))
                };
                (blocks.get(b).copied().unwrap_or("").to_string(), name)
            },
            &|k| f.table4.columns.get(k).cloned().unwrap_or_default(),
        );
    }
    let figs = |t: &Option<TableRead>| t.as_ref().map(|t| t.figures()).unwrap_or_default();
    let broken = broken(rules, &figs(&written.t3), &figs(&written.t4), None);
    (out, broken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::setup;
    use crate::ingest::report_tables::{Owner, Read, TableProblem, Written, LABEL};

    fn written(rows: Vec<Vec<u32>>) -> TableRead {
        TableRead {
            file: "a.xlsx".into(),
            sheet: "年报".into(),
            cells: rows
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    row.iter()
                        .enumerate()
                        .map(|(c, v)| {
                            Some(Written {
                                value: Some(*v),
                                cell: format!("{}{}", crate::text::column_letter(c as u32), r + 1),
                                text: v.to_string(),
                            })
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn compare_lists_differences_skips_unknown_carried_and_checks_own_relations() {
        let (rules, _, u) = setup(&["卫健局"]);
        let ledger = empty(&rules, Some(u[0]));
        // Written: 一 自然人 1 (ledger 0) and its 总计 1; 二 自然人 3 (ledger unknown).
        let mut t3 = vec![vec![0; 7]; 25];
        t3[0][0] = 1;
        t3[0][6] = 1;
        t3[1][0] = 3;
        let t = UnitTables {
            owner: Owner::Unit(u[0]),
            t3: Some(written(t3)),
            t4: Some(written(vec![vec![0; 5]; 3])),
        };
        let (diffs, broken) = compare(&rules, &t, &ledger);
        let got: Vec<(&str, &str, u32, u32, &str)> = diffs
            .iter()
            .map(|d| {
                (
                    d.row_id.as_str(),
                    d.column.as_str(),
                    d.reported,
                    d.ledger,
                    d.cell.as_str(),
                )
            })
            .collect();
        assert_eq!(got, [("new", "自然人", 1, 0, "A1"), ("new", "总计", 1, 0, "G1")]);
        // 自然人: 一+二 = 4 ≠ （七）+四 = 0; 二's 总计 0 ≠ 3.
        let b: Vec<(&str, u32, u32)> = broken.iter().map(|b| (b.along.as_str(), b.left, b.right)).collect();
        assert_eq!(
            b,
            [
                ("自然人", 4, 0),
                ("总计", 1, 0),
                ("二、上年结转政府信息公开申请数量", 0, 3)
            ]
        );
    }

    #[test]
    fn format_verdicts_name_label_problems_and_broken_relations() {
        let (rules, _, u) = setup(&["卫健局", "财政局"]);
        let mut t4 = vec![vec![0; 5]; 3];
        t4[0][0] = 1; // 总计 0 ≠ 1
        let read = Read {
            tables: vec![
                UnitTables {
                    owner: Owner::Unit(u[0]),
                    t3: Some(written(vec![vec![0; 7]; 25])),
                    t4: Some(written(vec![vec![0; 5]; 3])),
                },
                UnitTables {
                    owner: Owner::Unit(u[1]),
                    t3: Some(written(vec![vec![0; 7]; 25])),
                    t4: Some(written(t4)),
                },
            ],
            problems: vec![TableProblem {
                code: LABEL,
                owner: Some(Owner::Unit(u[1])),
                file: "b.xlsx".into(),
                sheet: "年报".into(),
                cell: String::new(),
                message: "表三找不到列“其他”".into(),
            }],
            files: Vec::new(),
        };
        let v = format_verdicts(&rules, &read);
        assert_eq!(v[0], (u[0], Vec::new()));
        assert_eq!(
            v[1],
            (
                u[1],
                vec![
                    "表三找不到列“其他”".to_string(),
                    "表四勾稽关系不成立：总计等于前四列之和（行政复议）0 ≠ 1".to_string()
                ]
            )
        );
    }
}

//! Data rows → records, one reader per ledger. Every bad value becomes a problem with
//! file, sheet, row, column and a Chinese message; no row is dropped silently.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::date::{self, DateCell};
use super::header::Columns;
use super::problems::{Problem, ProblemKind};
use super::records::*;
use super::units::{UnitId, UnitRegistry};
use super::workbook::{Row, Sheet, Value};
use super::{DateCellKey, Parts};
use crate::hash::TextMemo;
use crate::rules::{FieldKind, LedgerKind, Rules};
use crate::text;

pub(crate) struct Ctx<'a> {
    /// The file and sheet, shared by the sources of the rows read.
    pub place: Arc<Place>,
    pub def: &'a crate::rules::LedgerDef,
    pub columns: &'a Columns,
    pub rules: &'a Rules,
    pub sheet_unit: Option<UnitId>,
    pub reg: &'a mut UnitRegistry,
    pub problems: &'a mut Vec<Problem>,
    /// Rows whose unit is not on the county list, per unit (one problem per name).
    pub off_list: &'a mut BTreeMap<UnitId, OffList>,
    pub lex: &'a Lexicon,
    /// The last row's unit is off the list (so it is not also "unit missing").
    pub off_list_row: bool,
    /// Rows of this sheet whose unit cannot be told: no unit column and no name above
    /// the header or in the file name (one problem for the sheet, not one per row).
    pub unitless_rows: usize,
    /// What this sheet's rows computed from a text, remembered per distinct text.
    pub memo: Memo,
}

/// Per-sheet memos of per-row work that depends on a cell's text alone (and on the
/// rules): a date column or a 栏目 column repeats a few values over many rows, so each
/// distinct text is parsed once. Only the result is remembered: the problems a value
/// raises are still raised on every row holding it.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// Text date cell (cleaned) → what it reads as.
    dates: TextMemo<DateCell>,
    /// 栏目 as written → its checklist item.
    items: TextMemo<Option<ItemRef>>,
    /// Per closed-vocabulary field: its value as written (cleaned) → the canonical value.
    choices: Vec<(Box<str>, Canonical)>,
}

/// A closed-vocabulary column's values as written → canonical value (None: not in it).
type Canonical = TextMemo<Option<Arc<str>>>;

impl Memo {
    fn choices_of(&mut self, field: &str) -> &mut Canonical {
        let i = match self.choices.iter().position(|(f, _)| **f == *field) {
            Some(i) => i,
            None => {
                self.choices.push((field.into(), TextMemo::default()));
                self.choices.len() - 1
            }
        };
        &mut self.choices[i].1
    }
}

/// Publications seen, to find duplicates (same unit, title and publication date): an
/// open-addressing table of indices into the publications, 4 bytes a slot at most half
/// full (8 MB at a million rows, where a map of title copies and sources took 80 bytes a
/// row and the titles again), and each keyed publication's hash (4 bytes a row). A hit
/// compares the hash, then the unit and date in the record, then the title (kept apart:
/// reading it is a cache miss, once per true duplicate rather than per probe); growing
/// places the slots again by the kept hashes, without reading any record.
#[derive(Default)]
pub(crate) struct Seen {
    slots: Vec<u32>,
    /// By publication index (stale for records put back, which the key comparison
    /// tells apart).
    hashes: Vec<u32>,
    len: usize,
}

const FREE: u32 = u32::MAX;

type SeenKey<'a> = (UnitId, &'a str, DateCellKey);

fn seen_hash(key: SeenKey) -> u32 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::FxHasher::default();
    key.hash(&mut h);
    // The high half: the multiply of the last round mixes into it best.
    (h.finish() >> 32) as u32
}

/// Whether a publication has this key.
fn has_key(p: &Publication, titles: &Titles, key: SeenKey) -> bool {
    p.unit == Some(key.0) && p.published.date() == key.2 && titles.get(p.title) == key.1
}

impl Seen {
    /// The index of the first publication with this unit, title and date; when there is
    /// none, `index` (the row about to be pushed, with this key) becomes the first.
    fn first(&mut self, pubs: &[Publication], titles: &Titles, key: SeenKey, index: usize) -> Option<usize> {
        // Past 4 × 10⁹ rows (more than memory holds) rows are not compared.
        let index = u32::try_from(index).ok().filter(|i| *i != FREE)?;
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let h = seen_hash(key);
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            match self.slots[i] {
                FREE => {
                    self.slots[i] = index;
                    self.len += 1;
                    let k = index as usize;
                    if self.hashes.len() <= k {
                        self.hashes.resize(k + 1, 0);
                    }
                    self.hashes[k] = h;
                    return None;
                }
                j if self.hashes.get(j as usize) == Some(&h)
                    && pubs.get(j as usize).is_some_and(|p| has_key(p, titles, key)) =>
                {
                    return Some(j as usize)
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Twice the slots (1024 at first), each placed again by its kept hash.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![FREE; size]);
        let mask = size - 1;
        for j in old.into_iter().filter(|j| *j != FREE) {
            let Some(&h) = self.hashes.get(j as usize) else {
                continue;
            };
            let mut i = h as usize & mask;
            while self.slots[i] != FREE {
                i = (i + 1) & mask;
            }
            self.slots[i] = j;
        }
    }
}

/// Rows of a unit that is not on the county list.
#[derive(Debug, Clone)]
pub(crate) struct OffList {
    /// The name as first written.
    pub written: String,
    pub rows: usize,
    /// The first row's position, as a problem to complete.
    pub first: Problem,
}

/// The rules' word lists in the folded form rows are compared in, built once per run
/// rather than per row.
pub(crate) struct Lexicon {
    footer: Vec<String>,
    /// Each footer word's first character (None for an empty word).
    footer_first: Vec<Option<char>>,
    /// Some footer word could begin a number's or a date's text (it is all ASCII).
    footer_ascii: bool,
    yes: Vec<String>,
    no: Vec<String>,
    /// 公开属性 values that are not proactive publications (依申请公开, 不予公开).
    non_proactive: Vec<String>,
    /// Checklist names and aliases (punctuation removed) → item index.
    items: HashMap<String, ItemRef, crate::hash::FxBuild>,
    /// Closed vocabularies: (ledger, field) → folded word → canonical value (the first
    /// group holding the word wins, as a scan of the rules' groups in order would), one
    /// shared text per canonical value.
    choices: HashMap<(LedgerKind, String), HashMap<String, Arc<str>, crate::hash::FxBuild>>,
}

impl Lexicon {
    pub(crate) fn new(rules: &Rules) -> Lexicon {
        let fold_all = |v: &[String]| v.iter().map(|w| text::fold(w)).collect::<Vec<_>>();
        let l = &rules.ledgers;
        let non_proactive = l
            .get(LedgerKind::Publication)
            .and_then(|d| d.field("attribute"))
            .map(|f| fold_all(f.word_list("non_proactive")))
            .unwrap_or_default();
        let mut items = HashMap::default();
        for (i, it) in rules
            .checklist
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| Some((ItemRef::new(i)?, it)))
        {
            for name in std::iter::once(&it.name).chain(it.aliases.iter()) {
                items.entry(text::fold_punct(name)).or_insert(i);
            }
        }
        let mut choices = HashMap::new();
        for def in &l.ledgers {
            for f in def.fields.iter().filter(|f| !f.values.is_empty()) {
                let mut m: HashMap<String, Arc<str>, crate::hash::FxBuild> = HashMap::default();
                for group in &f.values {
                    let canonical = text::shared(&group[0]);
                    for w in group {
                        m.entry(text::fold(w)).or_insert_with(|| canonical.clone());
                    }
                }
                choices.entry((def.kind, f.id.clone())).or_insert(m);
            }
        }
        let footer = fold_all(&l.footer_words);
        Lexicon {
            choices,
            footer_ascii: footer.iter().any(|w| w.is_ascii()),
            footer_first: footer.iter().map(|w| w.chars().next()).collect(),
            footer,
            yes: fold_all(&l.yes_words),
            no: fold_all(&l.no_words),
            non_proactive,
            items,
        }
    }
}

static EMPTY: Value = Value::Empty;

impl<'a> Ctx<'a> {
    fn value<'r>(&self, row: &'r Row, field: &str) -> &'r Value {
        match self.columns.col(self.def, field) {
            Some(c) => row.get(c),
            None => &EMPTY,
        }
    }

    fn has(&self, field: &str) -> bool {
        self.columns.col(self.def, field).is_some()
    }

    /// A field as text (a formula without its result reads as empty), borrowed from the
    /// cell when it is text (no allocation per row).
    fn cell_text<'r>(&self, row: &'r Row, field: &str) -> Cow<'r, str> {
        match self.value(row, field) {
            Value::NoResult(_) => Cow::Borrowed(""),
            Value::Text(s) => Cow::Borrowed(text::clean(s)),
            Value::Shared(s) => Cow::Borrowed(text::clean(s.as_str())),
            v => Cow::Owned(v.display()),
        }
    }

    /// The recognised columns, as (field, column) in the definition's order.
    fn field_cols(&self) -> impl Iterator<Item = (&'a crate::rules::FieldDef, Option<u32>)> + 'a {
        let cols = self.columns;
        self.def
            .fields
            .iter()
            .zip(&cols.cols)
            .map(|(f, c)| (f, c.as_ref().map(|(c, _)| *c)))
    }

    /// A field as text; a formula without its result reads as empty (it is reported
    /// once per cell by `formulas_without_result`).
    fn text(&self, row: &Row, field: &str) -> String {
        self.cell_text(row, field).into_owned()
    }

    /// The title, kept in `titles` (a workbook's shared string that cleaning leaves as
    /// it is, not copied), and whether it is empty (a missing-value problem then).
    fn title(&mut self, row: &Row, unit: Option<UnitId>, titles: &mut Titles) -> (TitleId, bool) {
        let (id, empty) = match self.value(row, "title") {
            Value::Shared(s) if !s.as_str().is_empty() && text::clean(s.as_str()).len() == s.as_str().len() => {
                (titles.shared(s), false)
            }
            _ => {
                let t = self.cell_text(row, "title");
                (titles.own(&t), t.is_empty())
            }
        };
        self.require(row, "title", unit, empty);
        (id, empty)
    }

    fn no_result(&self, row: &Row, field: &str) -> bool {
        matches!(self.value(row, field), Value::NoResult(_))
    }

    /// One problem per cell of a recognised column holding a formula saved without its
    /// result: its value is not known, so the row is not judged on it.
    fn formulas_without_result(&mut self, row: &Row) {
        if !row.cells.iter().any(|(_, v)| matches!(v, Value::NoResult(_))) {
            return;
        }
        let fields: Vec<&str> = self
            .field_cols()
            .filter(|(_, c)| c.is_some_and(|c| matches!(row.get(c), Value::NoResult(_))))
            .map(|(f, _)| f.id.as_str())
            .collect();
        if fields.is_empty() {
            return;
        }
        let written = self.text(row, "unit");
        let unit = if written.is_empty() {
            self.sheet_unit
        } else {
            self.reg.lookup(&written)
        };
        for f in fields {
            self.problem(
                row,
                f,
                ProblemKind::FormulaNoResult,
                "公式没有计算结果：请在 Excel/WPS 中打开并保存后再提交".into(),
                unit,
            );
        }
    }

    fn src(&self, row: &Row) -> Source {
        Source::at(&self.place, row.number())
    }

    /// A problem at a field of a row.
    fn make_problem(
        &self,
        row: &Row,
        field: &str,
        kind: ProblemKind,
        message: String,
        unit: Option<UnitId>,
    ) -> Problem {
        let col = self.columns.col(self.def, field);
        let cell = col
            .map(|c| format!("{}{}", text::column_letter(c), row.number()))
            .unwrap_or_default();
        Problem {
            file: self.place.file.to_string(),
            sheet: self.place.sheet.to_string(),
            row: Some(row.number()),
            column: self.columns.header(self.def, field).to_string(),
            cell,
            value: self.value(row, field).display(),
            kind,
            message,
            unit,
            ledger: Some(self.def.kind),
        }
    }

    /// Records a problem at a field of a row.
    fn problem(&mut self, row: &Row, field: &str, kind: ProblemKind, message: String, unit: Option<UnitId>) {
        let p = self.make_problem(row, field, kind, message, unit);
        self.problems.push(p);
    }

    fn header(&self, field: &str) -> String {
        self.columns.header(self.def, field).to_string()
    }

    /// A date field; an unreadable value is a problem (returned as Unreadable). When
    /// `required` and blank, a missing-date problem too.
    fn date(&mut self, row: &Row, field: &str, required: bool, unit: Option<UnitId>) -> DateCell {
        let no_date = &self.rules.ledgers.no_date_words;
        let v = self.value(row, field);
        let d = match v.text() {
            Some(s) => self
                .memo
                .dates
                .get_or(text::clean(s), |t| date::parse_cell_text(t, no_date)),
            None => date::parse_cell(v, no_date),
        };
        match d {
            DateCell::UNREADABLE if self.no_result(row, field) => {}
            DateCell::UNREADABLE => {
                let h = self.header(field);
                let v = self.text(row, field);
                self.problem(
                    row,
                    field,
                    ProblemKind::DateUnreadable,
                    format!("“{h}”无法识别为日期：“{v}”。请填写真实存在的日期，如 2021-03-05 或 2021年3月5日"),
                    unit,
                );
            }
            DateCell::BLANK if required => {
                let h = self.header(field);
                self.problem(
                    row,
                    field,
                    ProblemKind::DateMissing,
                    format!("缺少“{h}”：请填写日期，如 2021-03-05"),
                    unit,
                );
            }
            _ => {}
        }
        d
    }

    /// A required text field; empty is a problem.
    fn required_text(&mut self, row: &Row, field: &str, unit: Option<UnitId>) -> String {
        let t = self.text(row, field);
        self.require(row, field, unit, t.is_empty());
        t
    }

    /// A missing-value problem when a required field is empty (and not a formula
    /// without its result, reported as such).
    fn require(&mut self, row: &Row, field: &str, unit: Option<UnitId>, empty: bool) {
        if empty && !self.no_result(row, field) {
            let h = self.header(field);
            let code = if field == "title" {
                ProblemKind::TitleMissing
            } else {
                ProblemKind::ValueMissing
            };
            self.problem(row, field, code, format!("缺少“{h}”：请填写此项"), unit);
        }
    }

    /// The row's unit: its unit cell, else the sheet's unit (填报单位 line, title, file
    /// name); the unit is assessed because a row takes it. With a county list, a unit
    /// not on it is counted (one problem per name, at the end) and the row has none.
    fn unit(&mut self, row: &Row, field: &str) -> Option<UnitId> {
        self.off_list_row = false;
        let written = self.cell_text(row, field);
        let known = if written.is_empty() {
            None
        } else {
            self.reg.lookup_memo(&written)
        };
        let id = if written.is_empty() {
            self.sheet_unit?
        } else if !self.reg.has_list && known.is_none() && !looks_like_unit(&written, self.rules) {
            let h = self.header(field);
            self.problem(
                row,
                field,
                ProblemKind::UnitUnreadable,
                format!(
                    "“{h}”中的“{written}”不像单位名称，未作为单位参加考核：请填写单位全称或常用简称（如 华容县财政局、章华镇），或用 --units 提供单位名单"
                ),
                self.sheet_unit,
            );
            self.sheet_unit?
        } else {
            match known {
                Some(id) => id,
                None => self.reg.name_of(&written),
            }
        };
        if self.reg.off_list(id) {
            self.off_list_row = true;
            let written = if written.is_empty() {
                self.reg.name(id).to_string()
            } else {
                written.into_owned()
            };
            if let Some(e) = self.off_list.get_mut(&id) {
                e.rows += 1;
            } else {
                let mut first = self.make_problem(row, field, ProblemKind::UnitNotOnList, String::new(), None);
                first.value = written.clone();
                self.off_list.insert(
                    id,
                    OffList {
                        written,
                        rows: 1,
                        first,
                    },
                );
            }
            return None;
        }
        self.reg.units[id].assessed = true;
        Some(id)
    }

    fn unit_or_problem(&mut self, row: &Row) -> Option<UnitId> {
        let u = self.unit(row, "unit");
        let unreadable = self
            .problems
            .last()
            .is_some_and(|p| p.kind == ProblemKind::UnitUnreadable && p.row == Some(row.number()));
        if u.is_none() && !self.off_list_row && !unreadable && !self.has("unit") && self.sheet_unit.is_none() {
            self.unitless_rows += 1;
        } else if u.is_none() && !self.off_list_row && !unreadable {
            self.problem(
                row,
                "unit",
                ProblemKind::UnitMissing,
                "无法确定单位：请在“单位”列填写单位名称，或在表头上方加一行“填报单位：XX”，或把文件名改为单位名称"
                    .into(),
                None,
            );
        }
        u
    }

    /// 是/否; another value is a problem and reads as None.
    fn yes_no(&mut self, row: &Row, field: &str, unit: Option<UnitId>) -> Option<bool> {
        let t = self.cell_text(row, field);
        if t.is_empty() {
            return None;
        }
        if self.lex.yes.iter().any(|w| text::fold_eq(&t, w)) {
            Some(true)
        } else if self.lex.no.iter().any(|w| text::fold_eq(&t, w)) {
            Some(false)
        } else {
            let h = self.header(field);
            self.problem(
                row,
                field,
                ProblemKind::ValueUnknown,
                format!("“{h}”应填“是”或“否”，现为“{t}”"),
                unit,
            );
            None
        }
    }

    /// A closed-vocabulary value, as its canonical form; another value is a problem and
    /// reads as written.
    fn choice(&mut self, row: &Row, field: &str, unit: Option<UnitId>) -> String {
        self.shared_choice(row, field, unit).to_string()
    }

    /// `choice` as shared text: the rules' one for a canonical value (no copy per row).
    fn shared_choice(&mut self, row: &Row, field: &str, unit: Option<UnitId>) -> Arc<str> {
        let t = self.cell_text(row, field);
        if t.is_empty() {
            return text::empty_shared();
        }
        let Some(fd) = self.def.field(field) else {
            return text::shared(&t);
        };
        // The value as written, then without a leading number (1. / 1、 / （三）); once
        // per distinct value of the sheet's column.
        let (lex, kind) = (self.lex, self.def.kind);
        let canonical = self.memo.choices_of(field).get_or(&t, |t| {
            let f = text::fold(t);
            let m = lex.choices.get(&(kind, field.to_string()))?;
            let found = [f.as_str(), strip_enumerator(&f)]
                .into_iter()
                .find_map(|f| m.get(f).cloned());
            found
        });
        if let Some(v) = canonical {
            return v;
        }
        let options: Vec<&str> = fd.values.iter().map(|v| v[0].as_str()).collect();
        let h = self.header(field);
        self.problem(
            row,
            field,
            ProblemKind::ValueUnknown,
            format!("“{h}”的值“{t}”不在可选范围内：请填写 {} 之一", options.join("、")),
            unit,
        );
        text::shared(&t)
    }
}

/// Text without a leading enumerator: "1.", "1、", "(3)", "（三）", "三、" (folded text).
fn strip_enumerator(s: &str) -> &str {
    let t = s.trim_start();
    if let Some(rest) = t.strip_prefix('(').or_else(|| t.strip_prefix('（')) {
        if let Some(i) = rest.find([')', '）']) {
            let inner = &rest[..i];
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
            {
                return rest[i..].trim_start_matches([')', '）']);
            }
        }
        return t;
    }
    let digits = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    if digits == 0 {
        return t;
    }
    let rest = &t[digits..];
    match rest.chars().next() {
        Some(c @ ('.' | '、' | '．' | ':' | '：')) => &rest[c.len_utf8()..],
        _ => t,
    }
}

/// Whether text in a unit column can be a unit's name: it ends with one of the rules'
/// unit words (镇, 局, 中心 …) and holds no path, formula or link characters.
fn looks_like_unit(written: &str, rules: &Rules) -> bool {
    let t = text::clean(written);
    let bad = |c: char| {
        matches!(
            c,
            '/' | '\\' | '=' | ':' | '：' | '<' | '>' | '|' | '*' | '?' | '"' | '@'
        )
    };
    t.chars().count() <= 40
        && !t.starts_with(['+', '-', '.'])
        && !t.chars().any(|c| bad(c) || c.is_control())
        && rules.units.unit_words.iter().any(|w| t.ends_with(w.as_str()))
}

/// Rows with nothing in any recognised column (a 序号 alone counts as blank).
fn is_blank(ctx: &Ctx, row: &Row) -> bool {
    // The row's cells (a few) against the recognised columns, rather than a search of
    // the row for each field.
    let recognised = |c: u32| ctx.field_cols().any(|(_, fc)| fc == Some(c));
    !row.cells.iter().any(|(c, v)| recognised(*c) && !v.is_empty())
}

/// Footer rows (填报人：… 审核人：… 合计) with no readable date in any date column.
fn is_footer(ctx: &Ctx, row: &Row) -> bool {
    let Some((_, first)) = row.cells.iter().find(|(_, v)| !v.is_empty()) else {
        return false;
    };
    // Most rows begin with a character no footer word begins with.
    let starts = |t: &str| {
        let c = text::fold_chars(t).next();
        let lex = ctx.lex;
        lex.footer
            .iter()
            .zip(&lex.footer_first)
            .any(|(w, f)| (f.is_none() || *f == c) && text::fold_starts_with(t, w))
    };
    let footer_word = match first {
        Value::Text(_) | Value::Shared(_) => starts(first.text().unwrap_or("")),
        // Their text is ASCII: only an ASCII footer word can begin it.
        Value::Number(_) | Value::Date(_) | Value::Bool(_) if !ctx.lex.footer_ascii => false,
        v => starts(&v.display()),
    };
    if !footer_word {
        return false;
    }
    !ctx.def.fields.iter().filter(|f| f.kind == FieldKind::Date).any(|f| {
        date::parse_cell(ctx.value(row, &f.id), &ctx.rules.ledgers.no_date_words)
            .date()
            .is_some()
    })
}

/// Reads the data rows below the header; returns how many records were read. Each row
/// is freed once it is a record.
pub(crate) fn read_rows(
    ctx: &mut Ctx,
    kind: LedgerKind,
    rows: impl Iterator<Item = impl std::borrow::Borrow<Row>>,
    parts: &mut Parts,
    seen: &mut Seen,
) -> usize {
    let mut n = 0;
    for row in rows {
        let row = row.borrow();
        if is_blank(ctx, row) || is_footer(ctx, row) {
            continue;
        }
        n += 1;
        ctx.formulas_without_result(row);
        match kind {
            LedgerKind::Publication => publication(ctx, row, parts, seen),
            LedgerKind::Meeting => meeting(ctx, row, parts),
            LedgerKind::Request => request(ctx, row, parts),
            LedgerKind::Inquiry => inquiry(ctx, row, parts),
            LedgerKind::Account => account(ctx, row, parts),
            LedgerKind::Post => post(ctx, row, parts),
            LedgerKind::AnnualReport => report(ctx, row, parts),
            LedgerKind::AnnualData => annual_data(ctx, row, parts),
            LedgerKind::Consultation => consultation(ctx, row, parts),
            LedgerKind::Finding => finding(ctx, row, parts),
            LedgerKind::Review => review(ctx, row, parts),
            LedgerKind::Checkpoint => {
                if let Some(d) = ctx.date(row, "date", true, None).date() {
                    parts.checkpoints.push(d);
                }
            }
            LedgerKind::UnitList => {}
        }
    }
    n
}

fn publication(ctx: &mut Ctx, row: &Row, parts: &mut Parts, seen: &mut Seen) {
    let unit = ctx.unit_or_problem(row);
    let mut problem = unit.is_none();
    let (title, title_empty) = ctx.title(row, unit, parts.titles);
    problem |= title_empty;
    let formed = ctx.date(row, "formed", true, unit);
    problem |= formed.date().is_none();
    let published = ctx.date(row, "published", false, unit);
    problem |= published == DateCell::UNREADABLE;
    if let (Some(f), Some(p)) = (formed.date(), published.date()) {
        if p < f {
            problem = true;
            ctx.problem(
                row,
                "published",
                ProblemKind::PublishedBeforeFormed,
                format!("公开日期 {p} 早于形成日期 {f}：请核对这两个日期"),
                unit,
            );
        }
    }
    let category = ctx.cell_text(row, "category");
    let lex = ctx.lex;
    let item = ctx
        .memo
        .items
        .get_or(&category, |c| lex.items.get(&text::fold_punct(c)).copied());
    let attribute = ctx.shared_choice(row, "attribute", unit);
    let non_proactive = lex.non_proactive.iter().any(|w| text::fold_eq(&attribute, w));
    let needs_interpretation = ctx.yes_no(row, "needs_interpretation", unit);
    let interpretation_date = ctx.date(row, "interpretation_date", false, unit);
    let src = ctx.src(row);
    let mut duplicate = false;
    if let (Some(u), false, false) = (unit, title_empty, published == DateCell::UNREADABLE) {
        let key = (u, parts.titles.get(title), published.date());
        let index = parts.publications.len();
        let first = seen.first(parts.publications, parts.titles, key, index);
        if let Some(first) = first.and_then(|i| parts.publications.get(i)).map(|p| &p.src) {
            duplicate = true;
            let msg = format!(
                "与 {} 工作表“{}”第 {} 行重复（同一单位、同一标题、同一公开日期），只计一次：请删除重复行",
                first.file, first.sheet, first.row
            );
            ctx.problem(row, "title", ProblemKind::Duplicate, msg, unit);
        }
    }
    parts.publications.push(Publication {
        unit,
        title,
        category: parts.texts.add(&category),
        item,
        formed,
        published,
        attribute: parts.texts.add(&attribute),
        has_attribute_column: ctx.has("attribute"),
        doc_no: parts.texts.add(&ctx.cell_text(row, "doc_no")),
        reason: parts.texts.add(&ctx.cell_text(row, "reason")),
        channel: parts.texts.add(&ctx.cell_text(row, "channel")),
        needs_interpretation,
        interpretation_date,
        non_proactive,
        problem,
        duplicate,
        src,
    });
}

fn meeting(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    let unit = ctx.unit_or_problem(row);
    let name = ctx.required_text(row, "name", unit);
    let date = ctx.date(row, "date", true, unit).date();
    if ctx.text(row, "attendance").is_empty() {
        ctx.required_text(row, "attendance", unit);
    }
    let status = ctx.choice(row, "attendance", unit);
    parts.meetings.push(Meeting {
        unit,
        name,
        date,
        status,
        src: ctx.src(row),
    });
}

fn request(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    let unit = ctx.unit_or_problem(row);
    let received = ctx.date(row, "received", true, unit).date();
    let correction_notice = ctx.date(row, "correction_notice", false, unit).date();
    let correction_received = ctx.date(row, "correction_received", false, unit).date();
    let consult_start = ctx.date(row, "consult_start", false, unit).date();
    let consult_end = ctx.date(row, "consult_end", false, unit).date();
    let extended = ctx.yes_no(row, "extended", unit).unwrap_or(false);
    let answered = ctx.date(row, "answered", false, unit).date();
    let result = ctx.choice(row, "result", unit);
    let applicant = ctx.choice(row, "applicant_type", unit);
    ctx.choice(row, "method", unit);
    let lawsuit_method = ctx.choice(row, "lawsuit_method", unit);
    let review_date = ctx.date(row, "review_date", false, unit).date();
    let lawsuit_date = ctx.date(row, "lawsuit_date", false, unit).date();
    parts.requests.push(Request {
        unit,
        number: ctx.text(row, "number"),
        received,
        correction_notice,
        correction_received,
        consult_start,
        consult_end,
        extended,
        answered,
        result,
        review: ctx.text(row, "review"),
        lawsuit: ctx.text(row, "lawsuit"),
        applicant,
        lawsuit_method,
        review_date,
        lawsuit_date,
        src: ctx.src(row),
    });
}

/// 回复期限: a date, or a number of working days (5, 5个工作日, 5天).
fn parse_limit(v: &Value, no_date: &[String]) -> Option<Limit> {
    match v {
        Value::Empty => Some(Limit::None),
        Value::Number(n) if *n >= 0.0 && *n < 1000.0 && n.fract() == 0.0 => Some(Limit::Workdays(*n as u32)),
        Value::Text(_) | Value::Shared(_) => {
            let f = text::fold(v.text().unwrap_or(""));
            if f.is_empty() {
                return Some(Limit::None);
            }
            let digits: String = f.chars().take_while(|c| c.is_ascii_digit()).collect();
            let rest = &f[digits.len()..];
            if !digits.is_empty()
                && digits.len() <= 3
                && ["", "个工作日", "工作日", "日", "天", "个工作天"].contains(&rest)
            {
                return digits.parse().ok().map(Limit::Workdays);
            }
            date::parse_cell(v, no_date).date().map(Limit::Date)
        }
        other => date::parse_cell(other, no_date).date().map(Limit::Date),
    }
}

fn inquiry(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    let unit = ctx.unit_or_problem(row);
    let received = ctx.date(row, "received", true, unit).date();
    let limit = match parse_limit(ctx.value(row, "limit"), &ctx.rules.ledgers.no_date_words) {
        Some(l) => l,
        None => {
            let h = ctx.header("limit");
            let v = ctx.text(row, "limit");
            ctx.problem(
                row,
                "limit",
                ProblemKind::LimitUnreadable,
                format!("“{h}”无法识别：“{v}”。请填写日期（如 2021-03-05）或工作日数（如 5个工作日）"),
                unit,
            );
            Limit::None
        }
    };
    let answered = ctx.date(row, "answered", false, unit).date();
    let petition = ctx.yes_no(row, "petition", unit).unwrap_or(false);
    parts.inquiries.push(Inquiry {
        unit,
        number: ctx.text(row, "number"),
        received,
        limit,
        answered,
        petition,
        src: ctx.src(row),
    });
}

fn account(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    let unit = ctx.unit_or_problem(row);
    let name = ctx.required_text(row, "account", unit);
    let platform = ctx.required_text(row, "platform", unit);
    let opened = ctx.date(row, "opened", false, unit).date();
    let closed = ctx.date(row, "closed", false, unit).date();
    if let (Some(o), Some(c)) = (opened, closed) {
        if c < o {
            let msg = format!("关停日期 {c} 早于开设日期 {o}：请核对这两个日期");
            ctx.problem(row, "closed", ProblemKind::DateOrder, msg, unit);
        }
    }
    parts.accounts.push(Account {
        unit,
        name,
        platform,
        opened,
        closed,
        src: ctx.src(row),
    });
}

fn post(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    // A post without a unit takes its account's unit (from the account ledger).
    let unit = ctx.unit(row, "unit");
    let account = ctx.required_text(row, "account", unit);
    let date = ctx.date(row, "date", true, unit).date();
    parts.posts.push(Post {
        unit,
        account,
        date,
        title: ctx.text(row, "title"),
        src: ctx.src(row),
    });
}

fn report(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    let unit = ctx.unit_or_problem(row);
    let submitted = ctx.date(row, "submitted", false, unit).date();
    let published = ctx.date(row, "published", false, unit).date();
    let format_ok = ctx.yes_no(row, "format_ok", unit);
    let guide_updated = ctx.date(row, "guide_updated", false, unit).date();
    parts.reports.push(AnnualReport {
        unit,
        submitted,
        published,
        format_ok,
        guide_updated,
        src: ctx.src(row),
    });
}

/// A 年报主动公开数据 row: its figures (counts whole, amounts with decimals, neither
/// negative), each bad cell a problem; a second row of a unit is a duplicate.
fn annual_data(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    let unit = ctx.unit_or_problem(row);
    let fields: Vec<(String, bool)> = ctx
        .def
        .fields
        .iter()
        .filter(|f| matches!(f.kind, FieldKind::Number | FieldKind::Amount))
        .map(|f| (f.id.clone(), f.kind == FieldKind::Amount))
        .collect();
    let mut figures = BTreeMap::new();
    for (field, amount) in fields {
        if ctx.no_result(row, &field) {
            continue;
        }
        let v = ctx.value(row, &field);
        let h = ctx.header(&field);
        match figure(v, amount) {
            Ok(None) => {}
            Ok(Some(n)) if n < 0.0 => {
                let msg = format!("“{h}”不能为负数，现为“{}”：未采用，请核对", v.display());
                ctx.problem(row, &field, ProblemKind::NumberNegative, msg, unit);
            }
            Ok(Some(n)) if !amount && n.fract() != 0.0 => {
                let msg = format!("“{h}”应为件数（整数），现为“{}”：未采用，请改为整数", v.display());
                ctx.problem(row, &field, ProblemKind::NumberUnreadable, msg, unit);
            }
            Ok(Some(n)) => {
                figures.insert(field, n);
            }
            Err(t) => {
                let want = if amount {
                    "金额（万元，可有小数）"
                } else {
                    "件数（整数）"
                };
                let msg = format!("“{h}”应为{want}，现为“{t}”：未采用，请改为数字（没有的填 0）");
                ctx.problem(row, &field, ProblemKind::NumberUnreadable, msg, unit);
            }
        }
    }
    let src = ctx.src(row);
    let first = unit.and_then(|u| parts.annual_data.iter().find(|d| d.unit == Some(u) && !d.duplicate));
    let duplicate = first.is_some();
    if let (Some(first), Some(u)) = (first, unit) {
        let msg = format!(
            "“{}”在 {} 工作表“{}”第 {} 行已有一行：本行未采用，请删除重复行（一个单位只填一行）",
            ctx.reg.name(u),
            first.src.file,
            first.src.sheet,
            first.src.row
        );
        ctx.problem(row, "unit", ProblemKind::Duplicate, msg, unit);
    }
    parts.annual_data.push(AnnualData {
        unit,
        figures,
        duplicate,
        src,
    });
}

/// A figure cell: None when blank, Err(text) when not a number. Text may carry its
/// unit (12件, 3.5万元) and thousands separators.
fn figure(v: &Value, amount: bool) -> Result<Option<f64>, String> {
    number_in(v, true, if amount { bare_amount } else { bare_count })
}

fn bare_amount(t: &str) -> &str {
    t.trim_end_matches("万元")
}

fn bare_count(t: &str) -> &str {
    t.trim_end_matches(['件', '个', '项', '次'])
}

fn consultation(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    let unit = ctx.unit_or_problem(row);
    let topic = ctx.required_text(row, "topic", unit);
    let start = ctx.date(row, "start", true, unit).date();
    let result_published = ctx.date(row, "result_published", false, unit).date();
    if let (Some(st), Some(r)) = (start, result_published) {
        if r < st {
            let msg = format!("结果发布日期 {r} 早于征集开始日期 {st}：请核对这两个日期");
            ctx.problem(row, "result_published", ProblemKind::DateOrder, msg, unit);
        }
    }
    parts.consultations.push(Consultation {
        unit,
        topic,
        start,
        result_published,
        src: ctx.src(row),
    });
}

fn finding(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    let unit = ctx.unit_or_problem(row);
    let item = ctx.required_text(row, "item", unit);
    let count = match ctx.value(row, "count") {
        Value::Empty => 1,
        Value::Number(n) if *n >= 1.0 && n.fract() == 0.0 => *n as u32,
        v => {
            let t = text::fold(&v.display());
            match t.trim_end_matches('次').parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    let h = ctx.header("count");
                    ctx.problem(
                        row,
                        "count",
                        ProblemKind::NumberUnreadable,
                        format!("“{h}”应为正整数，现为“{}”：已按 1 次计，请改为数字", v.display()),
                        unit,
                    );
                    1
                }
            }
        }
    };
    let level = ctx.choice(row, "level", unit);
    let date = ctx.date(row, "date", false, unit).date();
    parts.findings.push(Finding {
        unit,
        item,
        count,
        level,
        note: ctx.text(row, "note"),
        date,
        src: ctx.src(row),
    });
}

/// A number cell (分值, 出处行): None when blank, Err(text) when unreadable.
fn number(v: &Value) -> Result<Option<f64>, String> {
    number_in(v, false, |t| t.trim_start_matches('第').trim_end_matches(['行', '分']))
}

/// A number cell: None when blank, Err(text) when unreadable. Text is folded, its
/// thousands separators dropped when `thousands`, and the words around the number
/// taken off by `bare` (第…行, 12件, 3.5万元).
fn number_in(v: &Value, thousands: bool, bare: fn(&str) -> &str) -> Result<Option<f64>, String> {
    match v {
        Value::Empty => Ok(None),
        Value::Number(n) if n.is_finite() => Ok(Some(*n)),
        other => {
            let mut t = text::fold(&other.display());
            if thousands {
                t.retain(|c| c != ',');
            }
            if t.is_empty() {
                return Ok(None);
            }
            bare(&t)
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Some)
                .ok_or(other.display())
        }
    }
}

fn review(ctx: &mut Ctx, row: &Row, parts: &mut Parts) {
    let written = ctx.text(row, "unit");
    let (unit_name, unit) = if written.is_empty() {
        match ctx.sheet_unit {
            Some(u) => (ctx.reg.name(u).to_string(), Some(u)),
            None => (String::new(), None),
        }
    } else {
        (written.clone(), ctx.reg.lookup(&written))
    };
    let mut problem = false;
    let action = if ctx.text(row, "action").is_empty() {
        ctx.required_text(row, "action", unit);
        None
    } else {
        ReviewAction::from_word(&ctx.choice(row, "action", unit))
    };
    problem |= action.is_none();
    let target = ctx.text(row, "target");
    let reason = ctx.required_text(row, "reason", unit);
    problem |= reason.is_empty();
    let date = ctx.date(row, "date", true, unit).date();
    problem |= date.is_none();
    let mut num = |ctx: &mut Ctx, field: &str, whole: bool| -> Option<f64> {
        match number(ctx.value(row, field)) {
            Ok(Some(n)) if n >= 0.0 && (!whole || (n >= 1.0 && n.fract() == 0.0)) => Some(n),
            Ok(None) => None,
            Ok(Some(_)) | Err(_) => {
                let h = ctx.header(field);
                let v = ctx.text(row, field);
                let want = if whole {
                    "正整数（行号）"
                } else {
                    "不小于 0 的数"
                };
                ctx.problem(
                    row,
                    field,
                    ProblemKind::NumberUnreadable,
                    format!("“{h}”应为{want}，现为“{v}”：该项复核决定未执行，请改为数字"),
                    unit,
                );
                problem = true;
                None
            }
        }
    };
    let src_row = num(ctx, "src_row", true).map(|n| n as u32);
    let points = num(ctx, "points", false);
    if let Some(a) = action {
        if (a.adds() || a == ReviewAction::SetScore) && target.is_empty() {
            let h = ctx.header("target");
            let msg = format!(
                "调整方式为“{}”时须填写“{h}”（如 A1 或 A1.1）：该项复核决定未执行",
                a.word()
            );
            ctx.problem(row, "target", ProblemKind::ValueMissing, msg, unit);
            problem = true;
        }
        if a == ReviewAction::SetScore && points.is_none() && !problem {
            let h = ctx.header("points");
            let msg = format!("调整方式为“改分”时须在“{h}”填写调整后的得分：该项复核决定未执行");
            ctx.problem(row, "points", ProblemKind::ValueMissing, msg, unit);
            problem = true;
        }
    }
    parts.reviews.push(Review {
        unit_name,
        unit,
        action,
        target,
        src_file: ctx.text(row, "src_file"),
        src_sheet: ctx.text(row, "src_sheet"),
        src_row,
        points,
        reason,
        date,
        by: ctx.text(row, "by"),
        problem,
        src: ctx.src(row),
    });
}

/// Settles the unit of every 复核调整 decision once all files are read (a unit's own
/// ledger may come after the decisions): it must be an assessed unit, else the decision
/// is a problem and is not applied.
pub(crate) fn resolve_review_units(
    reviews: &mut [Review],
    reg: &UnitRegistry,
    rules: &Rules,
    problems: &mut Vec<Problem>,
) {
    for r in reviews.iter_mut() {
        let unit = r
            .unit
            .or_else(|| reg.lookup(&r.unit_name))
            .filter(|u| reg.units[*u].assessed);
        r.unit = unit;
        if let Some(u) = unit {
            r.unit_name = reg.name(u).to_string();
            continue;
        }
        r.problem = true;
        let message = if r.unit_name.is_empty() {
            "复核调整未写单位：请在“单位”列填写被调整分数的单位，该项复核决定未执行".to_string()
        } else {
            let near = reg.closest(&r.unit_name, 3);
            format!(
                "复核调整中的单位“{}”不是参加考核的单位（相近的有：{}）：请核对名称，该项复核决定未执行",
                r.unit_name,
                near.join("、")
            )
        };
        problems.push(Problem {
            file: r.src.file.to_string(),
            sheet: r.src.sheet.to_string(),
            row: Some(r.src.row),
            column: rules.ledgers.header(LedgerKind::Review, "unit"),
            cell: String::new(),
            value: r.unit_name.clone(),
            kind: if r.unit_name.is_empty() {
                ProblemKind::UnitMissing
            } else {
                ProblemKind::ReviewUnitUnknown
            },
            message,
            unit: None,
            ledger: Some(LedgerKind::Review),
        });
    }
}

/// Reads a 单位名单 sheet into the registry.
pub(crate) fn unit_list(sheet: &Sheet, header_pos: usize, columns: &Columns, rules: &Rules, reg: &mut UnitRegistry) {
    let Some(def) = rules.ledgers.get(LedgerKind::UnitList) else {
        return;
    };
    let get = |row: &Row, f: &str| -> String { columns.col(def, f).map(|c| row.get(c).display()).unwrap_or_default() };
    for row in &sheet.rows[header_pos + 1..] {
        let name = get(row, "name");
        if name.is_empty() {
            continue;
        }
        let group = reg.parse_group(&get(row, "group"));
        let aliases_text = get(row, "aliases");
        let aliases: Vec<&str> = text::split_list(&aliases_text).collect();
        reg.add_listed(&name, group, &aliases);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn figures_and_numbers_take_their_own_words_off() {
        let t = |s: &str| Value::Text(s.into());
        assert_eq!(figure(&t("1,200件"), false), Ok(Some(1200.0)));
        assert_eq!(figure(&t("3.5万元"), true), Ok(Some(3.5)));
        assert_eq!(figure(&t("3.5万元"), false), Err("3.5万元".into()));
        assert_eq!(figure(&t("  "), false), Ok(None));
        assert_eq!(figure(&t("两件"), false), Err("两件".into()));
        assert_eq!(number(&t("第 12 行")), Ok(Some(12.0)));
        assert_eq!(number(&t("2分")), Ok(Some(2.0)));
        // Thousands separators are dropped in figures only.
        assert_eq!(number(&t("1,200")), Err("1,200".into()));
        assert_eq!(number(&Value::Empty), Ok(None));
    }

    /// A publication sheet's context over columns A.. in the order of `fields`.
    fn with_ctx(rules: &Rules, fields: &[&str], f: impl FnOnce(&mut Ctx)) -> Vec<Problem> {
        let def = rules.ledgers.get(LedgerKind::Publication).unwrap();
        let cols = def
            .fields
            .iter()
            .map(|fd| {
                let c = fields.iter().position(|f| *f == fd.id)?;
                Some((c as u32, fd.header.clone()))
            })
            .collect();
        let columns = Columns {
            cols,
            duplicates: Vec::new(),
        };
        let mut reg = UnitRegistry::new(&rules.units);
        let mut problems = Vec::new();
        let mut off_list = BTreeMap::new();
        let lex = Lexicon::new(rules);
        let mut ctx = Ctx {
            place: Place::new("台账.xlsx".into(), "Sheet1".into()),
            def,
            columns: &columns,
            rules,
            sheet_unit: None,
            reg: &mut reg,
            problems: &mut problems,
            off_list: &mut off_list,
            lex: &lex,
            off_list_row: false,
            unitless_rows: 0,
            memo: Memo::default(),
        };
        f(&mut ctx);
        problems
    }

    fn row(index: u32, cells: &[Value]) -> Row {
        Row {
            index,
            cells: cells.iter().cloned().enumerate().map(|(c, v)| (c as u32, v)).collect(),
        }
    }

    #[test]
    fn a_remembered_date_still_raises_its_problem_on_every_row() {
        let rules = Rules::embedded().unwrap();
        // One shared string in three rows, as a workbook's shared-string table gives it.
        let bad: Arc<str> = " 2021-02-30".into();
        let good: Arc<str> = "2021年3月5日".into();
        let rows: Vec<Row> = (0..3)
            .map(|i| row(2 + i, &[Value::Text(bad.clone()), Value::Text(good.clone())]))
            .collect();
        let mut read = Vec::new();
        let problems = with_ctx(&rules, &["formed", "published"], |ctx| {
            for r in &rows {
                read.push((ctx.date(r, "formed", true, None), ctx.date(r, "published", false, None)));
            }
            assert_eq!(ctx.memo.dates.len(), 2);
        });
        let d = NaiveDate::from_ymd_opt(2021, 3, 5).unwrap();
        assert_eq!(read, vec![(DateCell::UNREADABLE, DateCell::on(d)); 3]);
        let cells: Vec<(&str, ProblemKind)> = problems.iter().map(|p| (p.cell.as_str(), p.kind)).collect();
        assert_eq!(
            cells,
            [
                ("A3", ProblemKind::DateUnreadable),
                ("A4", ProblemKind::DateUnreadable),
                ("A5", ProblemKind::DateUnreadable)
            ]
        );
        assert!(problems
            .iter()
            .all(|p| p.value == "2021-02-30" && p.message.contains("2021-02-30")));
    }

    #[test]
    fn footers_begin_with_a_footer_word_and_have_no_date() {
        let rules = Rules::embedded().unwrap();
        let t = |s: &str| Value::Text(s.into());
        let cases = [
            (vec![t("填报人：张三"), Value::Empty], true),
            (vec![t("　填 报人："), t("审核人：李四")], true),
            (vec![Value::Empty, t("合计"), t("100")], true),
            (vec![t("合计"), Value::Empty, t("2021-03-05")], false),
            (vec![t("财政局"), t("填报人")], false),
            (vec![Value::Number(1.0), t("填报人")], false),
            (vec![t("合"), Value::Empty], false),
            (vec![Value::Empty], false),
        ];
        with_ctx(&rules, &["unit", "title", "published"], |ctx| {
            for (i, (cells, footer)) in cases.iter().enumerate() {
                assert_eq!(is_footer(ctx, &row(i as u32, cells)), *footer, "{cells:?}");
            }
        });
    }

    #[test]
    fn blank_rows_have_nothing_in_a_recognised_column() {
        let rules = Rules::embedded().unwrap();
        let t = |s: &str| Value::Text(s.into());
        // Columns: A 单位, B (not recognised, a 序号), C 信息名称.
        let cases = [
            (vec![Value::Empty, Value::Number(7.0)], true),
            (vec![t(" \u{3000}"), Value::Number(7.0), t("")], true),
            (vec![Value::Empty, Value::Empty, t("通知")], false),
            (vec![t("财政局")], false),
            (vec![], true),
        ];
        let problems = with_ctx(&rules, &["unit", "序号", "title"], |ctx| {
            for (i, (cells, blank)) in cases.iter().enumerate() {
                assert_eq!(is_blank(ctx, &row(i as u32, cells)), *blank, "{cells:?}");
            }
            ctx.formulas_without_result(&row(9, &[t("财政局"), Value::NoResult("=B2".into())]));
            ctx.formulas_without_result(&row(10, &[t("财政局"), Value::Empty, Value::NoResult("=B3".into())]));
        });
        // A formula in the 序号 column is not read; the one in 信息名称 is a problem.
        let cells: Vec<(&str, ProblemKind)> = problems.iter().map(|p| (p.cell.as_str(), p.kind)).collect();
        assert_eq!(cells, [("C11", ProblemKind::FormulaNoResult)]);
    }

    #[test]
    fn a_remembered_choice_still_raises_its_problem_on_every_row() {
        let rules = Rules::embedded().unwrap();
        let odd: Arc<str> = "随便".into();
        let numbered: Arc<str> = "1.主动公开".into();
        let mut got = Vec::new();
        let problems = with_ctx(&rules, &["attribute"], |ctx| {
            for i in 0..3 {
                got.push(ctx.shared_choice(&row(2 + i, &[Value::Text(odd.clone())]), "attribute", None));
                got.push(ctx.shared_choice(&row(9 + i, &[Value::Text(numbered.clone())]), "attribute", None));
            }
            assert_eq!(ctx.memo.choices_of("attribute").len(), 2);
        });
        let got: Vec<&str> = got.iter().map(|s| &**s).collect();
        assert_eq!(got, ["随便", "主动公开", "随便", "主动公开", "随便", "主动公开"]);
        let cells: Vec<(&str, ProblemKind)> = problems.iter().map(|p| (p.cell.as_str(), p.kind)).collect();
        assert_eq!(
            cells,
            [
                ("A3", ProblemKind::ValueUnknown),
                ("A4", ProblemKind::ValueUnknown),
                ("A5", ProblemKind::ValueUnknown)
            ]
        );
    }

    #[test]
    fn a_remembered_unit_name_still_raises_its_problem_on_every_row() {
        let rules = Rules::embedded().unwrap();
        let odd: Arc<str> = "http://x".into();
        let town: Arc<str> = "新河乡".into();
        let mut units = Vec::new();
        let problems = with_ctx(&rules, &["unit"], |ctx| {
            for i in 0..3 {
                units.push(ctx.unit_or_problem(&row(2 + i, &[Value::Text(odd.clone())])));
                units.push(ctx.unit_or_problem(&row(10 + i, &[Value::Text(town.clone())])));
            }
            // 新河乡 is created on its first row and found (remembered) on the others.
            let id = ctx.reg.lookup("新河乡").unwrap();
            assert_eq!(ctx.reg.units.iter().filter(|u| u.name == "新河乡").count(), 1);
            assert_eq!(units, [None, Some(id), None, Some(id), None, Some(id)]);
        });
        let cells: Vec<(&str, ProblemKind)> = problems.iter().map(|p| (p.cell.as_str(), p.kind)).collect();
        // Each odd row: not a unit name, and so no unit (one problem of each per row).
        assert_eq!(
            cells,
            [
                ("A3", ProblemKind::UnitUnreadable),
                ("A4", ProblemKind::UnitUnreadable),
                ("A5", ProblemKind::UnitUnreadable)
            ]
        );
    }

    #[test]
    fn seen_finds_the_first_row_of_a_key_across_growth() {
        let day = NaiveDate::from_ymd_opt(2021, 3, 5);
        let mut pubs = Vec::new();
        let mut seen = Seen::default();
        let mut titles = Titles::default();
        let mut add = |pubs: &mut Vec<Publication>, seen: &mut Seen, unit, title: &str, date| {
            let first = seen.first(pubs, &titles, (unit, title, date), pubs.len());
            let published = date.map_or(DateCell::BLANK, DateCell::on);
            let row = pubs.len() as u32 + 2;
            pubs.push(Publication {
                published,
                ..crate::checks::testutil::publication(&mut titles, unit, title, row)
            });
            first
        };
        assert_eq!(add(&mut pubs, &mut seen, 0, "通知", day), None);
        assert_eq!(add(&mut pubs, &mut seen, 1, "通知", day), None);
        assert_eq!(add(&mut pubs, &mut seen, 0, "通知", None), None);
        assert_eq!(add(&mut pubs, &mut seen, 0, "通知", day), Some(0));
        assert_eq!(add(&mut pubs, &mut seen, 0, "通知", None), Some(2));
        // Thousands of keys (the table grows several times, slots collide): each
        // found again at its first row, none confused with another.
        let titles: Vec<String> = (0..5000).map(|n| format!("公告{n}")).collect();
        for t in &titles {
            assert_eq!(add(&mut pubs, &mut seen, 0, t, day), None);
        }
        for (n, t) in titles.iter().enumerate().rev() {
            assert_eq!(add(&mut pubs, &mut seen, 0, t, day), Some(5 + n));
        }
        assert_eq!(add(&mut pubs, &mut seen, 1, "通知", day), Some(1));
        assert_eq!(seen.len, 5003);
        assert!(seen.slots.len() >= 2 * seen.len && seen.slots.len() <= 4 * seen.len);
    }

    #[test]
    fn publications_share_their_cells_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("财政局台账.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let rows: [[&str; 6]; 4] = [
            ["信息名称", "栏目", "形成日期", "公开日期", "公开属性", "文号"],
            ["预算公开", "财政信息", "2021-03-01", "2021-03-02", "主动公开", ""],
            [
                " 决算公开 ",
                "财政信息",
                "2021-03-01",
                "2021-03-02",
                "主动公开\u{3000}",
                "华财发〔2021〕5号",
            ],
            ["预算公开", "财政信息", "2021-04-01", "2021-04-02", "主动公开", ""],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        wb.save(&path).unwrap();
        let rules = Rules::embedded().unwrap();
        let ds = super::super::load(&[path], &rules, &Default::default(), None).unwrap();
        let [a, b, c] = &ds.publications[..] else {
            panic!("{:?}", ds.publications)
        };
        assert_eq!(
            (ds.title(a), ds.title(b), ds.title(c)),
            ("预算公开", "决算公开", "预算公开")
        );
        // A title as written is the workbook's shared string (both rows point at the same
        // one), a cleaned one is kept apart.
        assert_eq!(format!("{:?}", a.title), format!("{:?}", c.title));
        assert_ne!(format!("{:?}", a.title), format!("{:?}", b.title));
        let t = |id| ds.text(id);
        assert_eq!((t(a.attribute), t(b.attribute)), ("主动公开", "主动公开"));
        assert_eq!((t(a.category), t(b.category)), ("财政信息", "财政信息"));
        assert_eq!((t(a.doc_no), t(a.reason), t(b.doc_no)), ("", "", "华财发〔2021〕5号"));
        // Each distinct text once: the empty one, 财政信息, 主动公开 (two strings of the
        // workbook, one canonical value), the 文号.
        assert_eq!(ds.texts.count(), 4);
    }

    #[test]
    fn enumerators_are_stripped() {
        assert_eq!(strip_enumerator("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(strip_enumerator("3、其他"), "其他");
        assert_eq!(strip_enumerator("(一)予以公开"), "予以公开");
        assert_eq!(strip_enumerator("（三）不予公开"), "不予公开");
        assert_eq!(strip_enumerator("三安全一稳定"), "三安全一稳定");
        assert_eq!(strip_enumerator("2021年"), "2021年");
    }

    #[test]
    fn limits_are_dates_or_workdays() {
        let nd: Vec<String> = vec![];
        assert_eq!(
            parse_limit(&Value::Text("5个工作日".into()), &nd),
            Some(Limit::Workdays(5))
        );
        assert_eq!(parse_limit(&Value::Number(7.0), &nd), Some(Limit::Workdays(7)));
        assert_eq!(
            parse_limit(&Value::Text("2021-03-05".into()), &nd),
            Some(Limit::Date(NaiveDate::from_ymd_opt(2021, 3, 5).unwrap()))
        );
        assert_eq!(parse_limit(&Value::Text("尽快".into()), &nd), None);
        assert_eq!(parse_limit(&Value::Empty, &nd), Some(Limit::None));
    }
}

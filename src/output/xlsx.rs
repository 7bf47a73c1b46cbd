//! Workbooks from plain tables: header row frozen, autofilter, widths that fit Chinese
//! text, A4 (portrait or landscape, whichever the columns need) fit to one page wide with
//! the header repeated, page footer, optional conditional formats and native charts.
//! Callers build `Table`s; only this file knows xlsx.
//!
//! Printed size: number columns are as narrow as their numbers (headers wrap), text
//! columns are capped and wrap, and rows are as tall as their wrapped text, so that a
//! county-size sheet prints at no less than about three quarters of its font size.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartLegendPosition, ChartPoint, ChartSolidFill, ChartType, Color,
    ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatText, ConditionalFormatTextRule, DataValidation,
    DataValidationErrorStyle, DocProperties, Format, FormatAlign, FormatBorder, Note, Sparkline, SparklineType,
    Workbook, Worksheet,
};
use std::borrow::Borrow;
use std::path::Path;
use std::sync::Arc;

use crate::ingest::inputs::{self, Mark};
use crate::text;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Shared, so a text repeated down a long table (a unit, a file, a title held by its
    /// record) is one allocation: see `Shared`.
    Text(Arc<str>),
    Num(f64),
    Date(NaiveDate),
}

/// Text cut to Excel's cell limit, marked "…（已截断）" (a message quoting a long value
/// can pass the limit even though input cells are cut when read).
pub fn fit_cell(s: &str) -> std::borrow::Cow<'_, str> {
    use crate::ingest::workbook::{CUT_MARK, MAX_CELL_CHARS};
    // Excel counts UTF-16 units.
    if s.encode_utf16().count() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(s);
    }
    let budget = MAX_CELL_CHARS - CUT_MARK.encode_utf16().count();
    let mut used = 0;
    let mut out = String::new();
    for c in s.chars() {
        used += c.len_utf16();
        if used > budget {
            break;
        }
        out.push(c);
    }
    out.push_str(CUT_MARK);
    std::borrow::Cow::Owned(out)
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(Arc::from(s))
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(Arc::from(s))
    }
}
impl From<&Arc<str>> for Cell {
    fn from(s: &Arc<str>) -> Self {
        Cell::Text(s.clone())
    }
}

/// Texts of a long table made once and shared by its cells (10 cells a row over 30 000
/// rows of 扣分明细 or 逾期公开 at a million ledger rows held 67 MB as a copy each).
pub struct Shared<K>(std::collections::HashMap<K, Arc<str>, crate::hash::FxBuild>);

impl<K> Default for Shared<K> {
    fn default() -> Shared<K> {
        Shared(Default::default())
    }
}

impl<K: std::hash::Hash + Eq> Shared<K> {
    /// The cell of `key`'s text, made by `make` the first time.
    pub fn cell(&mut self, key: K, make: impl FnOnce() -> String) -> Cell {
        Cell::Text(self.0.entry(key).or_insert_with(|| Arc::from(make())).clone())
    }
}
impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Cell::Num(x)
    }
}
impl From<u32> for Cell {
    fn from(x: u32) -> Self {
        Cell::Num(f64::from(x))
    }
}
impl From<i64> for Cell {
    fn from(x: i64) -> Self {
        Cell::Num(x as f64)
    }
}
impl From<usize> for Cell {
    fn from(x: usize) -> Self {
        Cell::Num(x as f64)
    }
}
impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(o: Option<T>) -> Self {
        o.map_or(Cell::Empty, Into::into)
    }
}

/// A conditional format over the data rows of some columns.
#[derive(Debug, Clone)]
pub enum Highlight {
    /// Numbers below `value` in columns `from..=to`, red fill.
    Below { from: u16, to: u16, value: f64 },
    /// Numbers above `value` in columns `from..=to`, red fill.
    Above { from: u16, to: u16, value: f64 },
    /// Text beginning with `text` in columns `from..=to`, filled with `color` (0xRRGGBB).
    Starts {
        from: u16,
        to: u16,
        text: String,
        color: u32,
    },
}

/// A dropdown or date restriction on a column (template).
#[derive(Debug, Clone)]
pub enum Validation {
    /// Values from a list (or a range formula like `=单位名单!$A$2:$A$500`).
    List {
        col: u16,
        source: ListSource,
    },
    Date {
        col: u16,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// A dropdown with its own error text. `warn`: a value outside the list is allowed
    /// after a warning (lists the clerk may extend, such as units or 栏目).
    Choice {
        col: u16,
        source: ListSource,
        message: String,
        warn: bool,
    },
    /// A number not below 0: whole (件数) or with decimals (万元).
    Number {
        col: u16,
        whole: bool,
        message: String,
    },
    /// A date between `from` and `to`, or one of `words` typed as text (未公开 …).
    DateOr {
        col: u16,
        from: NaiveDate,
        to: NaiveDate,
        words: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub enum ListSource {
    Values(Vec<String>),
    Range(String),
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: String,
    /// Lines above the header (a title, then notes); the first is bold and large.
    pub title: Vec<String>,
    pub headers: Vec<String>,
    /// Header cell comments (template), by column.
    pub notes: Vec<Option<String>>,
    pub rows: Vec<Vec<Cell>>,
    pub highlights: Vec<Highlight>,
    pub validations: Vec<Validation>,
    /// Rows to leave formatted (with validation) below the data, for templates.
    pub blank_rows: u32,
    /// Portrait instead of landscape.
    pub portrait: bool,
    /// A hidden sheet (the lists behind template dropdowns).
    pub hidden: bool,
    /// No autofilter on the header row.
    pub no_filter: bool,
    /// Minimum column widths in display units (Han characters count 2), by column.
    pub min_widths: Vec<usize>,
    /// Columns formatted as dates for their whole length (in addition to the columns
    /// whose header contains 日期 when `blank_rows` > 0).
    pub date_columns: Vec<u16>,
    /// Columns formatted as text for their whole length, so that Excel keeps what is
    /// typed (2021-1, 001) instead of turning it into a date or number.
    pub text_columns: Vec<u16>,
    /// Widest a text column may get before it wraps, by column (default `MAX_WIDTH`).
    pub max_widths: Vec<usize>,
    /// Data rows (0-based) printed bold, such as category subtotals.
    pub bold_rows: Vec<usize>,
    /// Lines below the table (notes, a signature line), one merged row each.
    pub after: Vec<String>,
    /// Print the first `n` columns on every page and break pages after every `n`
    /// further columns, at full size (wide matrices), instead of fitting to one page wide.
    pub column_blocks: Option<(u16, u16)>,
    /// The whole sheet on one page (a notice).
    pub one_page: bool,
    /// Charts below the table, each on its own printed page; their data goes to a hidden
    /// sheet 图表数据.
    pub charts: Vec<ChartSpec>,
    /// Column sparklines: in column `at` of each data row, over columns `from..=to`.
    pub sparkline: Option<Spark>,
}

#[derive(Debug, Clone, Copy)]
pub struct Spark {
    pub from: u16,
    pub to: u16,
    pub at: u16,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ChartKind {
    /// Horizontal bars (one per unit; names stay readable).
    Bar,
    /// Vertical columns (months).
    Column,
}

/// A series; `line` draws it as a line over the bars (an average, a minimum).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    pub line: bool,
}

/// A native chart: bars or columns, with optional line series on top.
#[derive(Debug, Clone)]
pub struct ChartSpec {
    pub title: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub value_title: String,
    /// The first category (an average) in another colour.
    pub first_apart: bool,
}

impl Table {
    pub fn new(name: &str, headers: &[&str]) -> Table {
        Table {
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            ..Default::default()
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// Everything but the rows.
    pub fn head(&self) -> Table {
        Table {
            name: self.name.clone(),
            title: self.title.clone(),
            headers: self.headers.clone(),
            notes: self.notes.clone(),
            rows: Vec::new(),
            highlights: self.highlights.clone(),
            validations: self.validations.clone(),
            blank_rows: self.blank_rows,
            portrait: self.portrait,
            hidden: self.hidden,
            no_filter: self.no_filter,
            min_widths: self.min_widths.clone(),
            date_columns: self.date_columns.clone(),
            text_columns: self.text_columns.clone(),
            max_widths: self.max_widths.clone(),
            bold_rows: self.bold_rows.clone(),
            after: self.after.clone(),
            column_blocks: self.column_blocks,
            one_page: self.one_page,
            charts: self.charts.clone(),
            sparkline: self.sparkline,
        }
    }
}

/// Display width of a cell, in Excel character units (Han characters count 2).
fn cell_width(c: &Cell) -> usize {
    match c {
        Cell::Empty => 0,
        Cell::Text(s) => s.lines().map(text::width).max().unwrap_or(0),
        Cell::Num(x) => crate::output::table::fmt_num(*x).len(),
        Cell::Date(_) => 10,
    }
}

/// Lines a text needs in a column `width` units wide: words of Latin letters and
/// digits stay whole (as LibreOffice and Excel wrap them), Han characters break anywhere.
pub fn wrapped_lines(s: &str, width: usize) -> usize {
    let width = width.max(2);
    let mut total = 0;
    for line in s.lines() {
        let mut n = 1;
        let mut used = 0;
        let mut word = 0;
        let flush = |word: &mut usize, used: &mut usize, n: &mut usize| {
            if *word == 0 {
                return;
            }
            if *used + *word > width && *used > 0 {
                *n += 1;
                *used = 0;
            }
            while *word > width {
                *word -= width;
                *n += 1;
            }
            *used += *word;
            *word = 0;
        };
        for c in line.chars() {
            let w = text::width(c.encode_utf8(&mut [0; 4]));
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | '\\' | ':' | '%') {
                word += w;
                continue;
            }
            flush(&mut word, &mut used, &mut n);
            if used + w > width {
                n += 1;
                used = 0;
            }
            if !(c == ' ' && used == 0) {
                used += w;
            }
        }
        flush(&mut word, &mut used, &mut n);
        total += n;
    }
    total.max(1)
}

/// Printable width of A4 in points with the default margins (0.7 inch each side).
const PORTRAIT_PT: f64 = 595.0 - 100.8;
const LANDSCAPE_PT: f64 = 842.0 - 100.8;

/// A column `w` units wide in points: 7 pixels a unit plus 5 at 96 dpi in Excel with
/// Calibri; LibreOffice (Carlito) gives about 7.3, so count 7.4 to be safe.
fn column_pt(w: f64) -> f64 {
    (w * 7.4 + 5.0).floor() * 0.75
}

/// How a table prints: column widths, orientation and the scale that "fit to one page
/// wide" will apply (1.0 when the columns fit).
#[derive(Debug, Clone)]
pub struct Layout {
    pub widths: Vec<usize>,
    pub landscape: bool,
    pub scale: f64,
    /// Columns that start a printed page (a sheet too wide to fit), first column repeated.
    pub breaks: Vec<u32>,
}

/// Whether a column holds numbers (and dates) only.
fn numeric_column(t: &Table, c: usize) -> bool {
    t.rows
        .iter()
        .any(|r| matches!(r.get(c), Some(Cell::Num(_)) | Some(Cell::Date(_))))
        && t.rows.iter().all(|r| {
            matches!(
                r.get(c),
                None | Some(Cell::Empty) | Some(Cell::Num(_)) | Some(Cell::Date(_))
            )
        })
}

/// Column widths and page orientation for a table.
pub fn layout(t: &Table) -> Layout {
    let mut widths = Vec::with_capacity(t.headers.len());
    let mut text_cols = Vec::new();
    for (c, h) in t.headers.iter().enumerate() {
        let data = t
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .map(cell_width)
            .max()
            .unwrap_or(0);
        let head = h.lines().map(text::width).max().unwrap_or(0);
        let min = t.min_widths.get(c).copied().unwrap_or(0);
        let w = if numeric_column(t, c) || (t.rows.is_empty() && t.blank_rows == 0 && head <= 8) {
            // Numbers: as wide as the widest number; the header wraps onto up to 3 lines.
            data.max(head.min(8)).max(head.div_ceil(3)).clamp(4, 12)
        } else {
            let cap = t.max_widths.get(c).copied().filter(|m| *m > 0).unwrap_or(MAX_WIDTH);
            if min == 0 {
                text_cols.push(c);
            }
            data.max(head.min(8)).max(head.div_ceil(3)).clamp(4, cap.max(4))
        };
        widths.push(w.max(min) + 1);
    }
    let total = |w: &[usize]| -> f64 { w.iter().map(|w| column_pt(*w as f64)).sum() };
    let landscape = !t.portrait && (total(&widths) > PORTRAIT_PT || (t.headers.is_empty() && !t.charts.is_empty()));
    let page = if landscape { LANDSCAPE_PT } else { PORTRAIT_PT };
    // Still too wide to print at `MIN_SCALE`: narrow the widest text column, one unit
    // at a time, down to `MIN_TEXT` (its text wraps onto more lines).
    let natural = widths.clone();
    if t.column_blocks.is_none() {
        while total(&widths) * MIN_SCALE > page {
            let Some(c) = text_cols
                .iter()
                .copied()
                .filter(|c| widths[*c] > MIN_TEXT)
                .max_by_key(|c| (widths[*c], usize::MAX - *c))
            else {
                break;
            };
            widths[c] -= 1;
        }
    }
    // Still too wide (many short columns): print at full size in page-wide blocks of
    // columns, the first column (the unit) repeated on every page.
    let mut breaks = Vec::new();
    if t.column_blocks.is_none() && !t.one_page && total(&widths) * MIN_SCALE > page && widths.len() > 2 {
        widths = natural;
        let first = column_pt(widths[0] as f64);
        let mut used = first;
        for (c, w) in widths.iter().enumerate().skip(1) {
            let pt = column_pt(*w as f64);
            if used + pt > page && used > first {
                breaks.push(c as u32);
                used = first;
            }
            used += pt;
        }
    }
    let scale = if t.column_blocks.is_some() || !breaks.is_empty() {
        1.0
    } else {
        (page / total(&widths).max(1.0)).min(1.0)
    };
    Layout {
        widths,
        landscape,
        scale,
        breaks,
    }
}

/// Sheet names: at most 31 characters, none of * ? : [ ] \ /, unique.
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if matches!(c, '*' | '?' | ':' | '[' | ']' | '\\' | '/') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut base: String = clean.chars().take(28).collect();
    if base.is_empty() {
        base = "Sheet".into();
    }
    let mut n = base.clone();
    let mut i = 2;
    while used.iter().any(|u| u == &n) {
        n = format!("{base}{i}");
        i += 1;
    }
    used.push(n.clone());
    n
}

/// Rows of a worksheet in Excel (and WPS, LibreOffice).
pub const EXCEL_ROWS: usize = 1_048_576;

/// Tables with at least this many rows are written in rust_xlsxwriter's low-memory mode.
const LOW_MEMORY_ROWS: usize = 2_000;

/// A table as the sheets it needs: itself, or — when its rows would pass `max_rows`
/// (Excel's limit) — parts of it named 名称、名称(2)…, each with the title, header and a
/// line saying how it was split; the lines below the table go with the last part.
fn excel_parts(t: &Table, max_rows: usize) -> Vec<std::borrow::Cow<'_, Table>> {
    use std::borrow::Cow;
    // The title, the split note, the header and the lines below (on every part, to be safe).
    let fixed = t.title.len() + 1 + usize::from(!t.headers.is_empty()) + t.after.len() + t.blank_rows as usize;
    let room = max_rows.saturating_sub(fixed).max(1);
    if t.title.len() + usize::from(!t.headers.is_empty()) + t.rows.len() + t.after.len() + t.blank_rows as usize
        <= max_rows
    {
        return vec![Cow::Borrowed(t)];
    }
    let n = t.rows.len().div_ceil(room);
    let names: Vec<String> = (1..=n)
        .map(|k| {
            if k == 1 {
                t.name.clone()
            } else {
                format!("{}({k})", t.name)
            }
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for (k, chunk) in t.rows.chunks(room).enumerate() {
        let first = k * room;
        let mut part = Table {
            name: names[k].clone(),
            rows: chunk.to_vec(),
            bold_rows: t
                .bold_rows
                .iter()
                .filter(|r| (first..first + chunk.len()).contains(*r))
                .map(|r| r - first)
                .collect(),
            after: if k + 1 == n { t.after.clone() } else { Vec::new() },
            blank_rows: if k + 1 == n { t.blank_rows } else { 0 },
            charts: if k + 1 == n { t.charts.clone() } else { Vec::new() },
            ..t.head()
        };
        part.title.push(format!(
            "本表共 {} 行，超过 Excel 单张工作表 {} 行的上限，分为 {n} 张工作表：{}；这是第 {} 张（第 {} 至 {} 行）",
            t.rows.len(),
            max_rows,
            names.join("、"),
            k + 1,
            first + 1,
            first + chunk.len()
        ));
        out.push(Cow::Owned(part));
    }
    out
}

/// Name of the hidden sheet holding the charts' data.
const CHART_DATA: &str = "图表数据";

/// Builds a result workbook in memory.
pub fn build(tables: &[Table]) -> Result<Vec<u8>> {
    build_marked(tables, Mark::Result)
}

/// Builds a workbook in memory, marked as hrgk's own (a custom document property that
/// survives renaming), so it is never read back as a ledger.
pub fn build_marked(tables: &[Table], mark: Mark) -> Result<Vec<u8>> {
    build_limited(tables, mark, EXCEL_ROWS)
}

/// `build_marked` with sheets of at most `max_rows` rows.
fn build_limited(tables: &[Table], mark: Mark, max_rows: usize) -> Result<Vec<u8>> {
    workbook(tables, mark, max_rows)?
        .save_to_buffer()
        .context("生成工作簿失败")
}

/// The workbook of `tables`, its sheets at most `max_rows` rows, ready to be zipped.
/// Each table is written as it comes, so tables built on demand (`books::score_book`)
/// are never all held at once: a long one is in rust_xlsxwriter's temporary file before
/// the next is built.
fn workbook<T: Borrow<Table>>(tables: impl IntoIterator<Item = T>, mark: Mark, max_rows: usize) -> Result<Workbook> {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(ZIP_LEVEL);
    let value = match mark {
        Mark::Result => inputs::MARK_RESULT,
        Mark::Template => inputs::MARK_TEMPLATE,
    };
    wb.set_properties(&DocProperties::new().set_custom_property(inputs::MARK_PROPERTY, value));
    let mut used = Vec::new();
    // Chart data: one block of columns per chart on a hidden sheet at the end.
    let mut data_col: u16 = 0;
    let mut blocks: Vec<(u16, ChartSpec)> = Vec::new();
    for t in tables {
        let t = t.borrow();
        let first_chart = blocks.len();
        for c in &t.charts {
            blocks.push((data_col, c.clone()));
            data_col += c.series.len() as u16 + 2;
        }
        let mine = &blocks[first_chart..];
        // A table written in low-memory mode keeps its last row free for the empty cell
        // written below it (see below).
        let parts = excel_parts(t, max_rows - usize::from(t.rows.len() >= LOW_MEMORY_ROWS));
        let n = parts.len();
        for (k, part) in parts.iter().enumerate() {
            let t = part.as_ref();
            // Long sheets stream their rows to a temporary file in order, with the
            // shared string table (repeated units and words are stored once).
            let low_memory = t.rows.len() >= LOW_MEMORY_ROWS;
            let ws = if low_memory {
                wb.add_worksheet_with_low_memory()
                    .context("无法创建临时文件（生成大工作表时需要）")?
            } else {
                wb.add_worksheet()
            };
            let below = write_table(ws, t, &mut used).with_context(|| format!("生成工作表“{}”失败", t.name))?;
            if low_memory {
                // rust_xlsxwriter 0.102's low-memory mode writes a last row that has a
                // height of its own (wrapped text) twice, the second time as an empty
                // <row r=…/>: a sheet Excel reports as damaged. An empty cell in the row
                // below makes that row the last one, with no height of its own (a sheet
                // split at Excel's row limit leaves that row free).
                ws.write_blank(below, 0, &Format::new())?;
            }
            if k + 1 == n {
                place_charts(ws, t, mine).with_context(|| format!("生成工作表“{}”的图表失败", t.name))?;
            }
        }
    }
    if data_col > 0 {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(CHART_DATA, &mut used))?;
        ws.set_hidden(true);
        for (col, c) in &blocks {
            write_chart_data(ws, *col, c)?;
        }
    }
    Ok(wb)
}

fn write_chart_data(ws: &mut Worksheet, col: u16, c: &ChartSpec) -> Result<()> {
    ws.write_string(0, col, &c.title)?;
    for (i, cat) in c.categories.iter().enumerate() {
        ws.write_string(1 + i as u32, col, cat)?;
    }
    for (k, s) in c.series.iter().enumerate() {
        let sc = col + 1 + k as u16;
        ws.write_string(0, sc, &s.name)?;
        for (i, v) in s.values.iter().enumerate() {
            ws.write_number(1 + i as u32, sc, crate::score::round2(*v))?;
        }
    }
    Ok(())
}

/// Rows of the default height (15 pt = 20 pixels) a chart of `px` pixels covers.
fn chart_rows(px: u32) -> u32 {
    px.div_ceil(20) + 1
}

/// Charts go below the table and its notes, each starting a printed page.
fn place_charts(ws: &mut Worksheet, t: &Table, mine: &[(u16, ChartSpec)]) -> Result<()> {
    if mine.is_empty() {
        return Ok(());
    }
    let mut row =
        t.title.len() as u32 + u32::from(!t.headers.is_empty()) + t.rows.len() as u32 + t.after.len() as u32 + 1;
    let mut breaks = Vec::new();
    for (placed, (col, c)) in mine.iter().enumerate() {
        let n = c.categories.len() as u32;
        let last = n.max(1);
        let quote = |k: u16| (CHART_DATA, 1, col + k, last, col + k);
        let (kind, width, height) = match c.kind {
            ChartKind::Bar => (ChartType::Bar, 640, (120 + 22 * n).clamp(300, 940)),
            ChartKind::Column => (ChartType::Column, 900, 520),
        };
        let mut chart = Chart::new(kind);
        chart
            .title()
            .set_name(&c.title)
            .set_font(ChartFont::new().set_size(12).set_bold());
        chart.set_width(width).set_height(height);
        chart
            .legend()
            .set_position(ChartLegendPosition::Bottom)
            .set_font(ChartFont::new().set_size(10));
        // For bars rust_xlsxwriter's x axis is the value axis and y the categories.
        let mut small = ChartFont::new();
        small.set_size(10);
        let mut names = ChartFont::new();
        names.set_size(if n > 24 { 9 } else { 10 });
        let values = if c.kind == ChartKind::Bar {
            chart.x_axis()
        } else {
            chart.y_axis()
        };
        values
            .set_name(&c.value_title)
            .set_min(0)
            .set_font(&small)
            .set_name_font(&small);
        let cats = if c.kind == ChartKind::Bar {
            // Bars top to bottom in the order given (best first).
            chart.y_axis().set_reverse()
        } else {
            chart.x_axis()
        };
        cats.set_font(&names).set_label_interval(1);
        if c.series.len() == 1 {
            chart.legend().set_hidden();
        }
        let mut lines = Chart::new(ChartType::Line);
        let mut has_lines = false;
        for (k, s) in c.series.iter().enumerate() {
            let target = if s.line && c.kind == ChartKind::Column {
                has_lines = true;
                &mut lines
            } else {
                &mut chart
            };
            let series = target
                .add_series()
                .set_name((CHART_DATA, 0, col + 1 + k as u16))
                .set_categories(quote(0))
                .set_values(quote(1 + k as u16));
            if c.first_apart && k == 0 {
                let mut points = vec![ChartPoint::new().set_format(
                    ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(0xED7D31))),
                )];
                points.extend((1..n).map(|_| ChartPoint::new()));
                series.set_points(&points);
            }
        }
        if has_lines {
            chart.combine(&lines);
        }
        // A chart starts a page, except the first one on a sheet of charts only or
        // under a short table.
        if placed > 0 || t.rows.len() > 12 {
            breaks.push(row);
        }
        ws.insert_chart(row, 0, &chart)?;
        row += chart_rows(height);
    }
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    Ok(())
}

/// Builds and writes a result workbook atomically.
pub fn save<T: Borrow<Table>>(tables: impl IntoIterator<Item = T>, target: &Path, force: bool) -> Result<()> {
    save_marked(tables, target, force, Mark::Result)
}

/// Zip level of every workbook written (1–9; rust_xlsxwriter's default is 6). Deflate at
/// 6 was about 8 % of the CPU time of 1 000 per-unit workbooks and 0.35 s of a 1M-row
/// `score` (0.07 s at 1); the sheets' XML is the same, the files larger: 21.4 → 26.6 MB
/// for 1 000 units, 3.1 → 5.6 MB for the 1M-row result.
const ZIP_LEVEL: u8 = 1;

/// Builds and writes a workbook with the given mark atomically.
pub fn save_marked<T: Borrow<Table>>(
    tables: impl IntoIterator<Item = T>,
    target: &Path,
    force: bool,
    mark: Mark,
) -> Result<()> {
    let mut wb = workbook(tables, mark, EXCEL_ROWS)?;
    // Zipped straight into the temporary file (5.6 MB less held at a million rows).
    super::write_atomic_with(target, force, |f| {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
        wb.save_to_writer(&mut out).map_err(|e| match e {
            rust_xlsxwriter::XlsxError::IoError(io) => anyhow::Error::new(io),
            e => anyhow::Error::new(e).context("生成工作簿失败"),
        })?;
        Ok(std::io::Write::flush(&mut out)?)
    })
}

/// Widest text column, in character units; longer text wraps.
const MAX_WIDTH: usize = 30;
/// Smallest print scale a sheet is narrowed for (11 pt text prints at 8.5 pt or more).
const MIN_SCALE: f64 = 0.78;
/// Narrowest a text column is made to get there.
const MIN_TEXT: usize = 10;
/// Height of one line of wrapped 11 pt text (CJK fonts need more than Latin ones).
const LINE_PT: f64 = 15.5;
/// Tallest row, in lines (Excel's limit is 409 pt).
const MAX_LINES: usize = 26;

fn excel_date(d: NaiveDate) -> Result<rust_xlsxwriter::ExcelDateTime> {
    use chrono::Datelike;
    Ok(rust_xlsxwriter::ExcelDateTime::from_ymd(
        d.year() as u16,
        d.month() as u8,
        d.day() as u8,
    )?)
}

/// Excel's default row height (one line of 11 pt text).
const DEFAULT_ROW_PT: f64 = 15.0;

/// Height of a data row of `n` lines (capped at `MAX_LINES`).
fn row_pt(n: usize) -> f64 {
    if n > 1 {
        LINE_PT * n.min(MAX_LINES) as f64 + 2.0
    } else {
        DEFAULT_ROW_PT
    }
}

/// Lines a data row's text wraps onto in columns of `widths`.
fn row_lines(row: &[Cell], widths: &[usize]) -> usize {
    let mut lines = 1;
    for (c, cell) in row.iter().enumerate() {
        if let Cell::Text(s) = cell {
            let w = widths.get(c).copied().unwrap_or(MAX_WIDTH).saturating_sub(1);
            lines = lines.max(wrapped_lines(&fit_cell(s), w));
        }
    }
    lines.min(MAX_LINES)
}

/// The line count most data rows of a long table share (1, Excel's default height, for
/// short tables and for those whose rows below the data are laid out by the default
/// height: charts, a template's blank rows).
fn common_lines(t: &Table, lines: &[usize]) -> usize {
    if t.rows.len() < LOW_MEMORY_ROWS || !t.charts.is_empty() || t.blank_rows > 0 {
        return 1;
    }
    let mut count = [0usize; MAX_LINES + 1];
    for n in lines {
        count[*n] += 1;
    }
    (1..=MAX_LINES).max_by_key(|n| (count[*n], usize::MAX - n)).unwrap_or(1)
}

/// Writes a table; returns the first row below all it wrote (title lines, the header,
/// the rows, the lines below, a template's formatted blank rows).
fn write_table(ws: &mut Worksheet, t: &Table, used: &mut Vec<String>) -> Result<u32> {
    ws.set_name(sheet_name(&t.name, used))?;
    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let note_fmt = Format::new()
        .set_font_color(Color::RGB(0x595959))
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let head_fmt = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let cell_fmt = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let date_fmt = cell_fmt.clone().set_num_format("yyyy-mm-dd");
    // General: Excel and WPS show 96 as "96" and 96.5 as "96.5" (0.## would show "96.").
    let num_fmt = cell_fmt.clone();
    // Long text wraps inside its capped column, so print fits one page wide and stays
    // readable.
    let text_fmt = cell_fmt.clone().set_text_wrap();
    let bold_text = text_fmt.clone().set_bold();
    let bold_num = num_fmt.clone().set_bold();
    let bold_date = date_fmt.clone().set_bold();
    let bold_blank = cell_fmt.clone().set_bold();
    let after_fmt = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    if t.hidden {
        ws.set_hidden(true);
    }
    let ncols = t.headers.len().max(1) as u16;
    let lay = layout(t);
    let widths = &lay.widths;
    let total_width: usize = widths.iter().sum::<usize>().max(1);
    // Lines of wrapped text per data row, and the row height most rows share.
    let lines: Vec<usize> = t.rows.iter().map(|row| row_lines(row, widths)).collect();
    let common = common_lines(t, &lines);
    // Rows of the common height take it as the sheet's default instead of a height of
    // their own: rust_xlsxwriter keeps about 500 bytes per row given a height, for the
    // whole run (28 MB for the two long sheets at a million ledger rows). Every other
    // row gets its height, so every row looks as before.
    let own_height = |n: usize| (n != common).then_some(n);
    if common > 1 {
        ws.set_default_row_height(row_pt(common));
    }
    let mut r: u32 = 0;
    for (i, line) in t.title.iter().enumerate() {
        let f = if i == 0 { &title_fmt } else { &note_fmt };
        if ncols > 1 {
            ws.merge_range(r, 0, r, ncols - 1, line, f)?;
        } else {
            ws.write_string_with_format(r, 0, line, f)?;
        }
        // A merged title wraps over the table's width: its row grows to fit.
        let size = if i == 0 { 14.0 / 11.0 } else { 1.0 };
        let n = wrapped_lines(line, ((total_width as f64) / size) as usize);
        if n > 1 {
            ws.set_row_height(r, LINE_PT * size * n as f64)?;
        } else if i == 0 {
            ws.set_row_height(r, 20.0)?;
        } else if common > 1 {
            ws.set_row_height(r, DEFAULT_ROW_PT)?;
        }
        r += 1;
    }
    let header_row = r;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w as f64)?;
    }
    let mut head_lines = 1;
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, h, &head_fmt)?;
        head_lines = head_lines.max(wrapped_lines(h, widths[c].saturating_sub(1)));
        if let Some(Some(n)) = t.notes.get(c) {
            ws.insert_note(header_row, c as u16, &header_note(n))?;
        }
    }
    if head_lines > 1 {
        ws.set_row_height(header_row, LINE_PT * head_lines as f64 + 2.0)?;
    } else if common > 1 && !t.headers.is_empty() {
        ws.set_row_height(header_row, DEFAULT_ROW_PT)?;
    }
    for ((i, row), n) in t.rows.iter().enumerate().zip(&lines) {
        let rr = header_row + 1 + i as u32;
        let bold = t.bold_rows.contains(&i);
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            match cell {
                Cell::Empty => {
                    ws.write_blank(rr, c16, if bold { &bold_blank } else { &cell_fmt })?;
                }
                Cell::Text(s) => {
                    ws.write_string_with_format(rr, c16, fit_cell(s), if bold { &bold_text } else { &text_fmt })?;
                }
                Cell::Num(x) => {
                    let x = crate::score::round2(*x);
                    ws.write_number_with_format(rr, c16, x, if bold { &bold_num } else { &num_fmt })?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(rr, c16, d, if bold { &bold_date } else { &date_fmt })?;
                }
            }
        }
        if let Some(n) = own_height(*n) {
            ws.set_row_height(rr, row_pt(n))?;
        }
    }
    let after_row = header_row + u32::from(!t.headers.is_empty()) + t.rows.len() as u32;
    for (i, line) in t.after.iter().enumerate() {
        let rr = after_row + i as u32;
        if ncols > 1 {
            ws.merge_range(rr, 0, rr, ncols - 1, line, &after_fmt)?;
        } else {
            ws.write_string_with_format(rr, 0, line, &after_fmt)?;
        }
        let n = wrapped_lines(line, total_width.saturating_sub(2));
        ws.set_row_height(rr, LINE_PT * n as f64 + 6.0)?;
    }
    if let Some(sp) = t.sparkline {
        let sheet = ws.name();
        for i in 0..t.rows.len() as u32 {
            let rr = header_row + 1 + i;
            let line = Sparkline::new()
                .set_range((sheet.as_str(), rr, sp.from, rr, sp.to))
                .set_type(SparklineType::Column)
                .set_custom_min(0.0)
                .show_low_point(true)
                .set_low_point_color("#C00000");
            ws.add_sparkline(rr, sp.at, &line)?;
        }
    }
    let last_row = header_row + t.rows.len() as u32 + t.blank_rows;
    let data_last = header_row + (t.rows.len() as u32).max(1);
    if !t.headers.is_empty() {
        ws.set_freeze_panes(header_row + 1, 0)?;
        if !t.no_filter {
            ws.autofilter(header_row, 0, data_last, ncols - 1)?;
        }
        ws.set_repeat_rows(0, header_row)?;
    }
    ws.set_paper_size(9);
    if lay.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    if let Some((keep, every)) = t.column_blocks {
        // Full size; the first `keep` columns repeat on every page, a page every `every`.
        if keep > 0 {
            ws.set_repeat_columns(0, keep - 1)?;
        }
        let breaks: Vec<u32> = (u32::from(keep) + u32::from(every)..u32::from(ncols))
            .step_by(usize::from(every.max(1)))
            .collect();
        ws.set_vertical_page_breaks(&breaks)?;
    } else if !lay.breaks.is_empty() {
        ws.set_repeat_columns(0, 0)?;
        ws.set_vertical_page_breaks(&lay.breaks)?;
    } else if t.one_page {
        ws.set_print_fit_to_pages(1, 1);
    } else {
        ws.set_print_fit_to_pages(1, 0);
    }
    ws.set_print_gridlines(false);
    ws.set_footer("&C第 &P 页 共 &N 页");
    let red = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    for h in &t.highlights {
        match h {
            Highlight::Below { from, to, value } => {
                let cf = ConditionalFormatCell::new()
                    .set_rule(ConditionalFormatCellRule::LessThan(*value))
                    .set_format(&red);
                ws.add_conditional_format(header_row + 1, *from, data_last, *to, &cf)?;
            }
            Highlight::Above { from, to, value } => {
                let cf = ConditionalFormatCell::new()
                    .set_rule(ConditionalFormatCellRule::GreaterThan(*value))
                    .set_format(&red);
                ws.add_conditional_format(header_row + 1, *from, data_last, *to, &cf)?;
            }
            Highlight::Starts { from, to, text, color } => {
                let f = Format::new().set_background_color(Color::RGB(*color));
                let cf = ConditionalFormatText::new()
                    .set_rule(ConditionalFormatTextRule::BeginsWith(text.clone()))
                    .set_format(&f);
                ws.add_conditional_format(header_row + 1, *from, data_last, *to, &cf)?;
            }
        }
    }
    for v in &t.validations {
        let (col, dv) = match v {
            Validation::List { col, source } => {
                let dv = match source {
                    ListSource::Values(vals) => {
                        let refs: Vec<&str> = vals.iter().map(|s| s.as_str()).collect();
                        DataValidation::new().allow_list_strings(&refs)?
                    }
                    ListSource::Range(f) => DataValidation::new().allow_list_formula(f.as_str().into()),
                };
                (
                    *col,
                    dv.set_error_title("输入有误")?
                        .set_error_message("请从下拉列表中选择。")?,
                )
            }
            Validation::Date { col, from, to } => {
                let rule = rust_xlsxwriter::DataValidationRule::Between(excel_date(*from)?, excel_date(*to)?);
                let dv = DataValidation::new()
                    .allow_date(rule)
                    .set_error_style(DataValidationErrorStyle::Stop)
                    .set_error_title("日期有误")?
                    .set_error_message(format!(
                        "请填写 {from} 至 {to} 之间的日期，如 {}。",
                        from.format("%Y-%m-%d")
                    ))?;
                (*col, dv)
            }
            Validation::Choice {
                col,
                source,
                message,
                warn,
            } => {
                let dv = match source {
                    ListSource::Values(vals) => {
                        let refs: Vec<&str> = vals.iter().map(|s| s.as_str()).collect();
                        DataValidation::new().allow_list_strings(&refs)?
                    }
                    ListSource::Range(f) => DataValidation::new().allow_list_formula(f.as_str().into()),
                };
                let style = if *warn {
                    DataValidationErrorStyle::Warning
                } else {
                    DataValidationErrorStyle::Stop
                };
                let dv = dv
                    .set_error_style(style)
                    .set_error_title("输入有误")?
                    .set_error_message(fit_message(message))?;
                (*col, dv)
            }
            Validation::Number { col, whole, message } => {
                let dv = if *whole {
                    DataValidation::new()
                        .allow_whole_number(rust_xlsxwriter::DataValidationRule::GreaterThanOrEqualTo(0))
                } else {
                    DataValidation::new()
                        .allow_decimal_number(rust_xlsxwriter::DataValidationRule::GreaterThanOrEqualTo(0.0))
                };
                let dv = dv
                    .set_error_style(DataValidationErrorStyle::Stop)
                    .set_error_title("数字有误")?
                    .set_error_message(fit_message(message))?;
                (*col, dv)
            }
            Validation::DateOr { col, from, to, words } => {
                use chrono::Datelike;
                // Relative to the first validated cell, as Excel reads custom rules.
                let cell = format!("{}{}", text::column_letter(u32::from(*col)), header_row + 2);
                let ymd = |d: &NaiveDate| format!("DATE({},{},{})", d.year(), d.month(), d.day());
                let mut alts = vec![format!(
                    "AND(ISNUMBER({cell}),{cell}>={},{cell}<={})",
                    ymd(from),
                    ymd(to)
                )];
                alts.extend(words.iter().map(|w| format!("{cell}=\"{}\"", w.replace('"', "\"\""))));
                let quoted: Vec<String> = words.iter().map(|w| format!("“{w}”")).collect();
                let dv = DataValidation::new()
                    .allow_custom(format!("=OR({})", alts.join(",")).as_str().into())
                    .set_error_style(DataValidationErrorStyle::Stop)
                    .set_error_title("日期有误")?
                    .set_error_message(fit_message(&format!(
                        "请填写 {from} 至 {to} 之间的日期，如 {}；尚无日期的填{}。",
                        from.format("%Y-%m-%d"),
                        quoted.join("或")
                    )))?;
                (*col, dv)
            }
        };
        if last_row > header_row {
            ws.add_data_validation(header_row + 1, col, last_row, col, &dv)?;
        }
    }
    if t.blank_rows > 0 {
        for (c, h) in t.headers.iter().enumerate() {
            if h.contains("日期") && !t.date_columns.contains(&(c as u16)) {
                ws.set_column_format(c as u16, &Format::new().set_num_format("yyyy-mm-dd"))?;
            }
        }
    }
    for c in &t.date_columns {
        ws.set_column_format(*c, &Format::new().set_num_format("yyyy-mm-dd"))?;
    }
    for c in &t.text_columns {
        ws.set_column_format(*c, &Format::new().set_num_format("@"))?;
    }
    Ok((after_row + t.after.len() as u32).max(last_row + 1))
}

/// Height of one line of 10 pt text in a form (宋体 / Noto CJK need about 1.3 em).
const GRID_LINE_PT: f64 = 13.0;

/// A sheet laid out cell by cell, as an official form is: merged ranges, borders, fixed
/// column widths, A4 fit to one page wide.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    pub cells: Vec<GridCell>,
    /// Column widths in character units (Han characters count 2).
    pub widths: Vec<f64>,
    /// Row heights in points, by row.
    pub heights: Vec<(u32, f64)>,
    pub portrait: bool,
    /// Rows printed again at the top of every page (first, last).
    pub repeat_rows: Option<(u32, u32)>,
    /// Printed on one page (a form), shrunk if need be, rather than one page wide.
    pub one_page: bool,
}

/// One cell (or merged range from `first` to `last`) of a `Grid`.
#[derive(Debug, Clone)]
pub struct GridCell {
    pub first: (u32, u16),
    pub last: (u32, u16),
    pub value: Cell,
    pub style: GridStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridStyle {
    /// Bold, large, centred, no border.
    Title,
    /// Bold, left-aligned, no border (a table's own title, 二、主动公开政府信息情况).
    Heading,
    /// Bold, centred, bordered, wrapped.
    Header,
    /// Bordered, wrapped, left-aligned.
    Label,
    /// Bordered, centred whole number.
    Number,
    /// Bordered, centred amount as written (General: 12.5, 3).
    Amount,
    /// A note below a table: no border, wrapped.
    Note,
}

impl Grid {
    pub fn put(&mut self, r: u32, c: u16, value: impl Into<Cell>, style: GridStyle) {
        self.merge(r, c, r, c, value, style);
    }

    /// The height (points) a row needs for `text` wrapped in columns `c1..=c2` (10 pt,
    /// one line at least).
    pub fn fit(&self, text: &str, c1: u16, c2: u16) -> f64 {
        let width: f64 = (c1..=c2).filter_map(|c| self.widths.get(c as usize)).sum();
        // A unit is about 7 pixels, a 10 pt Han character 13.3 (two units of
        // text::width): a column holds about 1.05 of its units, less a little padding.
        let per_line = (width * 1.05 - 1.0).max(1.0);
        let lines: f64 = text
            .lines()
            .map(|l| (text::width(l) as f64 / per_line).ceil().max(1.0))
            .sum();
        lines.max(1.0) * GRID_LINE_PT + 4.0
    }

    /// A note below a table: one row over columns `0..=last`, as tall as its text.
    pub fn note(&mut self, r: u32, last: u16, text: String) {
        let h = self.fit(&text, 0, last);
        self.heights.push((r, h));
        self.merge(r, 0, r, last, text, GridStyle::Note);
    }

    pub fn merge(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, value: impl Into<Cell>, style: GridStyle) {
        self.cells.push(GridCell {
            first: (r1, c1),
            last: (r2, c2),
            value: value.into(),
            style,
        });
    }
}

/// A workbook sheet: a plain table or a laid-out form.
#[derive(Debug, Clone)]
pub enum Sheet {
    Table(Box<Table>),
    Grid(Grid),
}

/// Builds a workbook of forms and tables in memory.
pub fn build_sheets(sheets: &[Sheet]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(ZIP_LEVEL);
    let mut used = Vec::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        match s {
            Sheet::Table(t) => {
                write_table(ws, t, &mut used).with_context(|| format!("生成工作表“{}”失败", t.name))?;
            }
            Sheet::Grid(g) => write_grid(ws, g, &mut used).with_context(|| format!("生成工作表“{}”失败", g.name))?,
        }
    }
    wb.save_to_buffer().context("生成工作簿失败")
}

/// Builds and writes a workbook of forms and tables atomically.
pub fn save_sheets(sheets: &[Sheet], target: &Path, force: bool) -> Result<()> {
    let bytes = build_sheets(sheets)?;
    super::write_atomic(target, &bytes, force)
}

fn write_grid(ws: &mut Worksheet, g: &Grid, used: &mut Vec<String>) -> Result<()> {
    ws.set_name(sheet_name(&g.name, used))?;
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_size(10)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let bordered = base.clone().set_border(FormatBorder::Thin);
    let fmt = |s: GridStyle| match s {
        GridStyle::Title => base
            .clone()
            .set_bold()
            .set_font_size(14)
            .set_text_wrap()
            .set_align(FormatAlign::Center),
        GridStyle::Heading => base.clone().set_bold().set_font_size(11).set_text_wrap(),
        GridStyle::Header => bordered.clone().set_bold().set_align(FormatAlign::Center),
        GridStyle::Label => bordered.clone(),
        GridStyle::Number => bordered.clone().set_align(FormatAlign::Center).set_num_format("0"),
        GridStyle::Amount => bordered.clone().set_align(FormatAlign::Center),
        GridStyle::Note => base.clone().set_font_color(Color::RGB(0x595959)),
    };
    for (c, w) in g.widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (r, h) in &g.heights {
        ws.set_row_height(*r, *h)?;
    }
    for cell in &g.cells {
        let f = fmt(cell.style);
        let ((r1, c1), (r2, c2)) = (cell.first, cell.last);
        let merged = (r1, c1) != (r2, c2);
        match (&cell.value, merged) {
            (Cell::Text(s), true) => {
                ws.merge_range(r1, c1, r2, c2, s, &f)?;
            }
            (v, true) => {
                ws.merge_range(r1, c1, r2, c2, "", &f)?;
                write_value(ws, r1, c1, v, &f)?;
            }
            (v, false) => write_value(ws, r1, c1, v, &f)?,
        }
    }
    ws.set_paper_size(9);
    if !g.portrait {
        ws.set_landscape();
    }
    // Narrower side margins than the default 0.7 in: a form's columns print larger.
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    if let Some((a, b)) = g.repeat_rows {
        ws.set_repeat_rows(a, b)?;
    }
    if g.one_page {
        ws.set_print_fit_to_pages(1, 1);
    } else {
        ws.set_print_fit_to_pages(1, 0);
    }
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页 共 &N 页");
    Ok(())
}

fn write_value(ws: &mut Worksheet, r: u32, c: u16, v: &Cell, f: &Format) -> Result<()> {
    match v {
        Cell::Empty => {
            ws.write_blank(r, c, f)?;
        }
        Cell::Text(s) => {
            ws.write_string_with_format(r, c, &**s, f)?;
        }
        Cell::Num(x) => {
            ws.write_number_with_format(r, c, *x, f)?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(r, c, d, &f.clone().set_num_format("yyyy-mm-dd"))?;
        }
    }
    Ok(())
}

/// A header note sized to its text, without the "hrgk:" author line.
fn header_note(text_: &str) -> Note {
    // 宋体 9pt: about 40 display units a line at 300 pixels, 16 pixels a line.
    let lines: usize = text_.lines().map(|l| text::width(l).div_ceil(40).max(1)).sum();
    Note::new(text_)
        .set_author("hrgk")
        .add_author_prefix(false)
        .set_font_name("宋体")
        .set_font_size(9)
        .set_width(300)
        .set_height((lines.max(2) as u32 + 1) * 16)
}

/// Validation messages are limited to 255 UTF-16 units.
fn fit_message(s: &str) -> String {
    if s.encode_utf16().count() <= 255 {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.encode_utf16().count() + c.len_utf16() > 254 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workbook_carries_its_mark() {
        let t = vec![Table::new("汇总", &["单位"])];
        let result = build(&t).unwrap();
        assert_eq!(inputs::mark_of(&result), Some(Mark::Result));
        let template = build_marked(&t, Mark::Template).unwrap();
        assert_eq!(inputs::mark_of(&template), Some(Mark::Template));
        assert_eq!(inputs::mark_of(b"PK\x03\x04garbage"), None);
        assert_eq!(inputs::mark_of(b"a,b\n"), None);
    }

    #[test]
    fn sheet_names_are_safe_and_unique() {
        let mut used = Vec::new();
        assert_eq!(sheet_name("a/b", &mut used), "a_b");
        assert_eq!(sheet_name("a/b", &mut used), "a_b2");
        let long = "华容县人力资源和社会保障局华容县人力资源和社会保障局华容县";
        assert!(sheet_name(long, &mut used).chars().count() <= 31);
    }

    #[test]
    fn wrapped_lines_keep_latin_words_whole() {
        assert_eq!(wrapped_lines("卫健局", 6), 1);
        assert_eq!(wrapped_lines("卫健局卫健局", 6), 2);
        // A 64-digit hash after a path does not fit beside it: it starts a new line.
        let h = "a".repeat(64);
        assert_eq!(wrapped_lines(&format!("x.xlsx {h}"), 30), 4);
        assert_eq!(wrapped_lines("一\n二", 10), 2);
    }

    #[test]
    fn shared_texts_are_made_once_per_key() {
        let mut shared = Shared::default();
        let mut made = 0;
        let mut cell = |k: &'static str| {
            shared.cell(k, || {
                made += 1;
                format!("{k}（说明）")
            })
        };
        let (a, b, c) = (cell("章华镇"), cell("治河渡镇"), cell("章华镇"));
        assert_eq!(made, 2);
        assert_eq!(a, Cell::from("章华镇（说明）"));
        assert_eq!(b, Cell::from("治河渡镇（说明）"));
        match (&a, &c) {
            (Cell::Text(x), Cell::Text(y)) => assert!(Arc::ptr_eq(x, y), "one allocation for a repeated text"),
            _ => panic!("{a:?} {c:?}"),
        }
    }

    #[test]
    fn layout_narrows_numbers_and_splits_what_cannot_fit() {
        let mut t = Table::new("汇总", &["单位", "A 组织领导和工作机构建设（5分）", "总分"]);
        t.push(vec!["岳阳市生态环境局华容分局".into(), Cell::Num(5.0), Cell::Num(96.5)]);
        let l = layout(&t);
        assert!(l.widths[1] <= 12, "{:?}", l.widths);
        assert!(!l.landscape && l.scale == 1.0 && l.breaks.is_empty());
        let heads: Vec<String> = (0..24).map(|i| format!("第{i}项日期")).collect();
        let h: Vec<&str> = heads.iter().map(|s| s.as_str()).collect();
        let mut wide = Table::new("宽表", &h);
        wide.push(
            (0..24)
                .map(|_| Cell::Date(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap()))
                .collect(),
        );
        let l = layout(&wide);
        assert!(l.landscape && !l.breaks.is_empty(), "{l:?}");
        assert_eq!(l.scale, 1.0, "blocks print at full size");
    }

    /// Row numbers of a sheet's XML, in order.
    fn xml_rows(xml: &str) -> Vec<u32> {
        xml.split("<row r=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
            .collect()
    }

    #[test]
    fn large_tables_write_each_row_once() {
        // Past the size written in low-memory mode; the last row (a data row, or the line
        // below) wraps, so it has a height of its own.
        let long = "很长的信息名称".repeat(30);
        for after in [vec![], vec![long.clone()]] {
            let mut t = Table::new("逾期公开", &["单位", "信息名称"]);
            t.title = vec!["标题".into()];
            t.after = after.clone();
            for i in 0..LOW_MEMORY_ROWS + 500 {
                let title = if i % 500 == 0 || i == LOW_MEMORY_ROWS + 499 {
                    long.clone()
                } else {
                    format!("通知{i}")
                };
                t.push(vec!["卫健局".into(), title.into()]);
            }
            let bytes = build_marked(std::slice::from_ref(&t), Mark::Result).unwrap();
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
            let rows = xml_rows(&xml);
            // 1 title line, the header, the rows, the lines below (1-based: the last).
            let last = (2 + t.rows.len() + after.len()) as u32;
            // Every row once, in order: the table's rows, then the empty cell's row.
            assert_eq!(rows, (1..=last + 1).collect::<Vec<u32>>(), "after {after:?}");
            let tail = &xml[xml.find(&format!("<row r=\"{last}\"")).unwrap()..];
            assert!(
                tail.contains("customHeight=\"1\""),
                "the last row keeps its height: {tail}"
            );
        }
    }

    #[test]
    fn long_tables_take_the_common_row_height_as_default() {
        // Most titles wrap onto two lines, some fit on one, some take three.
        let mut t = Table::new("逾期公开", &["单位", "信息名称"]);
        t.title = vec!["标题".into(), "说明".into()];
        t.max_widths = vec![0, 16];
        let title = |i: usize| match i % 10 {
            0 => "通知".to_string(),
            1 => "很长的信息名称".repeat(3),
            _ => "较长的信息名称".repeat(2),
        };
        for i in 0..LOW_MEMORY_ROWS + 10 {
            t.push(vec!["卫健局".into(), title(i).into()]);
        }
        let bytes = build_marked(std::slice::from_ref(&t), Mark::Result).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("defaultRowHeight=\"33\""), "{}", &xml[..600]);
        // Each row's height as Excel shows it: its own, else the default.
        let height = |r: usize| -> f64 {
            let at = xml.find(&format!("<row r=\"{r}\"")).unwrap();
            let tag = &xml[at..at + xml[at..].find('>').unwrap()];
            match tag.find(" ht=\"") {
                Some(h) => tag[h + 5..h + 5 + tag[h + 5..].find('"').unwrap()].parse().unwrap(),
                None => 33.0,
            }
        };
        // Title, note and header rows keep Excel's own heights.
        assert_eq!((height(1), height(2), height(3)), (20.25, 15.0, 15.0));
        for i in [0, 1, 2, 10, 11, 12, LOW_MEMORY_ROWS + 9] {
            let want = match i % 10 {
                0 => 15.0,
                1 => LINE_PT * 3.0 + 2.0,
                _ => LINE_PT * 2.0 + 2.0,
            };
            // rust_xlsxwriter rounds heights to whole pixels.
            assert!(
                (height(4 + i) - want).abs() < 0.5,
                "data row {i}: {} for {want}",
                height(4 + i)
            );
        }
    }

    #[test]
    fn a_table_past_the_row_limit_is_split_into_numbered_sheets() {
        let mut t = Table::new("逾期公开", &["单位", "行号"]);
        t.title = vec!["标题".into()];
        t.after = vec!["说明".into()];
        for i in 0..10usize {
            t.push(vec!["卫健局".into(), i.into()]);
        }
        t.bold_rows = vec![0, 7];
        // 14 rows fit: 1 title + 1 header + 10 rows + 1 line below.
        assert_eq!(excel_parts(&t, 13).len(), 1);
        // Room for 8 rows per part (max 12 − title, note, header, line below).
        let parts = excel_parts(&t, 12);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "逾期公开");
        assert_eq!(parts[1].name, "逾期公开(2)");
        assert_eq!(parts[0].rows.len(), 8);
        assert_eq!(parts[1].rows.len(), 2);
        assert_eq!(parts[1].rows[0][1], Cell::Num(8.0));
        assert_eq!(parts[0].bold_rows, vec![0, 7]);
        assert!(parts[1].bold_rows.is_empty());
        assert!(parts[0].after.is_empty());
        assert_eq!(parts[1].after, vec!["说明".to_string()]);
        assert!(
            parts[1].title[1].contains("分为 2 张工作表：逾期公开、逾期公开(2)"),
            "{:?}",
            parts[1].title
        );
        for p in &parts {
            let lines = p.title.len() + 1 + p.rows.len() + p.after.len();
            assert!(lines <= 12, "{lines}");
        }
        // The workbook has both sheets, every row once, in order.
        use calamine::Reader;
        let bytes = build_limited(std::slice::from_ref(&t), Mark::Result, 12).unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            wb.sheet_names(),
            vec!["逾期公开".to_string(), "逾期公开(2)".to_string()]
        );
        let mut seen = Vec::new();
        for name in ["逾期公开", "逾期公开(2)"] {
            let r = wb.worksheet_range(name).unwrap();
            assert!(r.height() <= 12, "{}", r.height());
            for row in r.rows() {
                if let calamine::Data::Float(x) = row[1] {
                    seen.push(x as usize);
                }
            }
        }
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        assert_eq!(inputs::mark_of(&build(&[t]).unwrap()), Some(Mark::Result));
    }

    #[test]
    fn widths_count_han_characters_twice() {
        assert_eq!(cell_width(&Cell::Text("卫健局".into())), 6);
        assert_eq!(
            cell_width(&Cell::Date(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap())),
            10
        );
    }
}

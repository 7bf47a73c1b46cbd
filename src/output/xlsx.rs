//! Workbooks from plain tables: header row frozen, autofilter, widths that fit Chinese
//! text, A4 landscape fit to one page wide with the header repeated, page footer, and
//! optional conditional formats. Callers build `Table`s; only this file knows xlsx.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatText, ConditionalFormatTextRule,
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet,
};
use std::path::Path;

use crate::text;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Num(f64),
    Date(NaiveDate),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
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
}

/// Display width of a cell, in Excel character units (Han characters count 2).
fn cell_width(c: &Cell) -> usize {
    match c {
        Cell::Empty => 0,
        Cell::Text(s) => s.lines().map(text::width).max().unwrap_or(0),
        Cell::Num(x) => format!("{x}").len(),
        Cell::Date(_) => 10,
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

/// Builds the workbook in memory.
pub fn build(tables: &[Table]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let mut used = Vec::new();
    for t in tables {
        let ws = wb.add_worksheet();
        write_table(ws, t, &mut used).with_context(|| format!("生成工作表“{}”失败", t.name))?;
    }
    wb.save_to_buffer().context("生成工作簿失败")
}

/// Builds and writes a workbook atomically.
pub fn save(tables: &[Table], target: &Path, force: bool) -> Result<()> {
    let bytes = build(tables)?;
    super::write_atomic(target, &bytes, force)
}

/// Widest column, in character units; longer text wraps.
const MAX_WIDTH: usize = 40;

fn excel_date(d: NaiveDate) -> Result<rust_xlsxwriter::ExcelDateTime> {
    use chrono::Datelike;
    Ok(rust_xlsxwriter::ExcelDateTime::from_ymd(
        d.year() as u16,
        d.month() as u8,
        d.day() as u8,
    )?)
}

fn write_table(ws: &mut Worksheet, t: &Table, used: &mut Vec<String>) -> Result<()> {
    ws.set_name(sheet_name(&t.name, used))?;
    let title_fmt = Format::new().set_bold().set_font_size(14);
    let note_fmt = Format::new().set_font_color(Color::RGB(0x595959));
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
    let num_fmt = cell_fmt.clone().set_num_format("0.##");
    // Long text wraps inside its capped column, so print fits one page wide and stays
    // readable.
    let text_fmt = cell_fmt.clone().set_text_wrap();
    if t.hidden {
        ws.set_hidden(true);
    }
    let ncols = t.headers.len().max(1) as u16;
    let mut r: u32 = 0;
    for (i, line) in t.title.iter().enumerate() {
        let f = if i == 0 { &title_fmt } else { &note_fmt };
        if ncols > 1 {
            ws.merge_range(r, 0, r, ncols - 1, line, f)?;
        } else {
            ws.write_string_with_format(r, 0, line, f)?;
        }
        r += 1;
    }
    let header_row = r;
    // Column widths first (Han characters count 2, capped; longer text wraps), so each
    // row's height can follow its longest wrapped cell.
    let mut widths: Vec<usize> = t.headers.iter().map(|h| text::width(h)).collect();
    for row in &t.rows {
        for (c, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(cell_width(cell));
            }
        }
    }
    for (c, w) in widths.iter_mut().enumerate() {
        let cap = t.min_widths.get(c).copied().unwrap_or(0).max(MAX_WIDTH);
        *w = (*w).max(t.min_widths.get(c).copied().unwrap_or(0)).clamp(6, cap) + 2;
        ws.set_column_width(c as u16, *w as f64)?;
    }
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, h, &head_fmt)?;
        if let Some(Some(n)) = t.notes.get(c) {
            ws.insert_note(header_row, c as u16, &header_note(n))?;
        }
    }
    for (i, row) in t.rows.iter().enumerate() {
        let rr = header_row + 1 + i as u32;
        let mut lines = 1;
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            match cell {
                Cell::Empty => {
                    ws.write_blank(rr, c16, &cell_fmt)?;
                }
                Cell::Text(s) => {
                    ws.write_string_with_format(rr, c16, s, &text_fmt)?;
                    let w = widths.get(c).copied().unwrap_or(MAX_WIDTH).saturating_sub(1).max(1);
                    let n: usize = s.lines().map(|l| text::width(l).div_ceil(w).max(1)).sum();
                    lines = lines.max(n);
                }
                Cell::Num(x) => {
                    ws.write_number_with_format(rr, c16, *x, &num_fmt)?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(rr, c16, d, &date_fmt)?;
                }
            }
        }
        if lines > 1 {
            ws.set_row_height(rr, 15.0 * lines.min(20) as f64)?;
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
    if !t.portrait {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_gridlines(true);
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
    fn sheet_names_are_safe_and_unique() {
        let mut used = Vec::new();
        assert_eq!(sheet_name("a/b", &mut used), "a_b");
        assert_eq!(sheet_name("a/b", &mut used), "a_b2");
        let long = "华容县人力资源和社会保障局华容县人力资源和社会保障局华容县";
        assert!(sheet_name(long, &mut used).chars().count() <= 31);
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

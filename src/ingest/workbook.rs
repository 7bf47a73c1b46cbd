//! Files → sheets of cell values. The file type is told by its first bytes, not its
//! extension; xlsx sheets are streamed cell by cell, so a stray cell far out costs
//! nothing; CSV is decoded from UTF-8 (with or without BOM), UTF-16 or GBK/GB18030.

use super::problems::{FileError, ProblemKind};
pub use super::xlsx::Origin;
use calamine::{Data, DataRef, Reader};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

/// A workbook's shared strings (an .xlsx file's table), in one buffer: a million titles
/// take their bytes and 4 more each, not an allocation each (about 30 bytes more).
#[derive(Debug, Default)]
pub struct Strings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
}

impl Strings {
    /// Adds a string; None once the buffer would pass 4 GiB (more than a file holds).
    pub fn push(&mut self, s: &str) -> Option<u32> {
        let index = u32::try_from(self.ends.len()).ok()?;
        let end = u32::try_from(self.text.len() + s.len()).ok()?;
        self.text.push_str(s);
        self.ends.push(end);
        Some(index)
    }

    /// The string at `index` ("" past the end).
    pub fn get(&self, index: u32) -> &str {
        let i = index as usize;
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).map_or(0, |e| *e as usize),
            None => 0,
        };
        let end = self.ends.get(i).map_or(start, |e| *e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Room for `n` strings.
    pub fn reserve(&mut self, n: usize) {
        self.ends.reserve(n);
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// A cell showing one of a workbook's shared strings: the table and the string's index
/// (16 bytes, no allocation).
#[derive(Debug, Clone)]
pub struct Shared {
    pub strings: Arc<Strings>,
    pub index: u32,
}

impl Shared {
    pub fn as_str(&self) -> &str {
        self.strings.get(self.index)
    }
}

/// One cell's value, as read (24 bytes). Text is shared where it can be: an .xlsx
/// file's shared strings are `Shared` (the file's table and an index), other text an
/// `Arc<str>` that every cell showing it holds. Compare texts with `text()`: a `Shared`
/// and a `Text` of the same string are equal.
#[derive(Debug, Clone)]
pub enum Value {
    Empty,
    Text(Arc<str>),
    Shared(Shared),
    Number(f64),
    Date(NaiveDateTime),
    Bool(bool),
    Error(Box<str>),
    /// A formula saved without its result (a file written by a program and never
    /// opened in Excel/WPS): the formula text, such as `=E3+2`.
    NoResult(Box<str>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Empty, Value::Empty) => true,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Date(a), Value::Date(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Error(a), Value::Error(b)) => a == b,
            (Value::NoResult(a), Value::NoResult(b)) => a == b,
            (a, b) => a.text().is_some() && a.text() == b.text(),
        }
    }
}

impl Value {
    /// The text of a text cell (as written: not cleaned).
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            Value::Shared(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            v => v.text().is_some_and(|s| crate::text::clean(s).is_empty()),
        }
    }

    /// The value as text for messages and text fields (numbers without a trailing .0).
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => crate::text::clean(s).to_string(),
            Value::Shared(s) => crate::text::clean(s.as_str()).to_string(),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => n.to_string(),
            Value::Date(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.format("%Y-%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Error(e) => e.to_string(),
            Value::NoResult(f) => format!("={}", f.trim_start_matches('=')),
        }
    }
}

static EMPTY: Value = Value::Empty;

/// A non-empty row: its 0-based index and its non-empty cells by column.
#[derive(Debug, Clone)]
pub struct Row {
    pub index: u32,
    pub cells: Vec<(u32, Value)>,
}

impl Row {
    pub fn get(&self, col: u32) -> &Value {
        match self.cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => &self.cells[i].1,
            Err(_) => &EMPTY,
        }
    }

    /// Excel's row number (1-based).
    pub fn number(&self) -> u32 {
        self.index + 1
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
    /// Hidden or very hidden in the workbook: read, and marked 隐藏.
    pub hidden: bool,
    /// What reading the sheet found wrong (an unclosed quote, a cell cut short …).
    pub notes: Vec<Note>,
    /// A large sheet read only as far as its header: the rows after `rows`, streamed by
    /// `stream_rest` (only when the reader was asked to, see `Limits::stream`).
    pub rest: Option<Rest>,
}

/// The rows of a sheet not read yet.
#[derive(Debug, Clone)]
pub struct Rest(pub(super) Arc<super::xlsx::Tail>);

/// Streams a sheet's rest to `emit` in batches of rows in ascending order (each cut to
/// Excel's cell limit like every row read), on the calling thread; a reading library's
/// panic is caught as for a whole file. Returns the notes of the rows streamed.
pub fn stream_rest(rest: &Rest, emit: &mut dyn FnMut(Vec<Row>) -> bool) -> Result<Vec<Note>, FileError> {
    let mut notes = Vec::new();
    READING.with(|r| r.set(true));
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        super::xlsx::stream_rest(&rest.0, &mut |rows| {
            let mut sheet = Sheet {
                rows,
                ..Default::default()
            };
            cap_text(&mut sheet);
            notes.append(&mut sheet.notes);
            emit(sheet.rows)
        })
    }));
    READING.with(|r| r.set(false));
    read.map_err(|_| FileError::Damaged)?.map_err(FileError::Xlsx)?;
    Ok(notes)
}

/// A problem found while reading a sheet, before its rows are known as records.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: ProblemKind,
    pub row: Option<u32>,
    /// Cell reference such as E17, or "".
    pub cell: String,
    pub value: String,
    pub message: String,
}

/// What a file really is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Ods,
    /// OLE2 compound file: .xls, or an encrypted xlsx.
    Cfb,
    /// Excel 2003 XML spreadsheet (SpreadsheetML), often exported by systems as .xls.
    SpreadsheetMl,
    Html,
    /// Other XML (not a table): named as what it is not, never called a web page.
    OtherXml,
    Text,
}

pub fn sniff(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(200)];
        if head.windows(24).any(|w| w == b"opendocument.spreadsheet") {
            return Kind::Ods;
        }
        return Kind::Xlsx;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Kind::Cfb;
    }
    if super::xml2003::sniff(bytes) {
        return Kind::SpreadsheetMl;
    }
    let t = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = t.iter().copied().find(|b| !b.is_ascii_whitespace());
    if first == Some(b'<') {
        let head = String::from_utf8_lossy(&t[..t.len().min(512)]).to_ascii_lowercase();
        if head.contains("<html") || head.contains("<!doctype") || head.contains("<table") {
            return Kind::Html;
        }
        if head.contains("<?xml") {
            return Kind::OtherXml;
        }
    }
    Kind::Text
}

/// Extensions read as spreadsheets when walking folders.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "csv"];

/// Reads every sheet of a file held in memory. The error displays as a Chinese sentence saying
/// what the file is and how to fix it (the caller adds the path).
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    read_checked(path, bytes, None, &Limits::default())
}

/// How much a file may cost to read (the rules' params).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A zip member (a sheet, the shared strings) may inflate to at most this many bytes.
    pub max_member_bytes: u64,
    /// A member inflating to more than `RATIO_FROM` bytes may be at most this many times
    /// its compressed size (real workbooks compress 5–50×, zip bombs 1000×).
    pub max_ratio: u64,
    /// Leave the rows of a large .xlsx sheet after this many in `Sheet::rest`, to be
    /// streamed (None: every row is read).
    pub stream: Option<usize>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_member_bytes: 1024 * 1024 * 1024,
            max_ratio: 100,
            stream: None,
        }
    }
}

/// Members smaller than this are not judged by their compression ratio.
const RATIO_FROM: u64 = 50 * 1024 * 1024;

/// Excel's limit on a cell's text; longer text is cut and reported (text-too-long).
pub const MAX_CELL_CHARS: usize = 32_767;
/// Appended to text cut at `MAX_CELL_CHARS`.
pub const CUT_MARK: &str = "…（已截断）";

/// Refuses a zip whose members would inflate beyond the limits, before any is inflated.
/// Only declared sizes are read here: the zip reader stops every member at its declared
/// size (an error, see `zip_error`), so these bound what is really inflated.
fn zip_guard(bytes: &[u8], limits: &Limits) -> Result<(), FileError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // the reader says what is wrong
    };
    for i in 0..zip.len() {
        let Ok(e) = zip.by_index_raw(i) else { continue };
        let (size, packed) = (e.size(), e.compressed_size().max(1));
        let name = e.name().map(|n| n.to_string()).unwrap_or_default();
        if size > limits.max_member_bytes || (size > RATIO_FROM && size / packed > limits.max_ratio) {
            return Err(FileError::TooLarge {
                member: name,
                bytes: size,
                ratio: size / packed,
            });
        }
    }
    Ok(())
}

/// A zip member inflating past its declared size is stopped there by the zip reader
/// (so `zip_guard`'s check of the declared sizes bounds what is inflated): on that
/// error, find the member to name it. Other errors stay the reader's.
fn zip_error(bytes: &[u8], words: String, other: fn(String) -> FileError) -> FileError {
    if !words.contains("larger than its declared") {
        return other(words);
    }
    lying_member(bytes).unwrap_or_else(|| other(words))
}

/// The first zip member that inflates past its declared size (each read at most one
/// byte past it).
fn lying_member(bytes: &[u8]) -> Option<FileError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    for i in 0..zip.len() {
        let Ok(mut e) = zip.by_index(i) else { continue };
        let (member, declared) = (e.name().map(|n| n.to_string()).unwrap_or_default(), e.size());
        if let Err(err) = std::io::copy(&mut e, &mut std::io::sink()) {
            if err.to_string().contains("larger than its declared") {
                return Some(FileError::SizeLie { member, declared });
            }
        }
    }
    None
}

/// Cuts text longer than Excel's cell limit, with a note per cell cut.
fn cap_text(sheet: &mut Sheet) {
    for row in &mut sheet.rows {
        for (c, v) in &mut row.cells {
            let Some(t) = v.text() else { continue };
            // No more bytes than the limit: no more characters either.
            if t.len() <= MAX_CELL_CHARS {
                continue;
            }
            let n = t.chars().count();
            if n <= MAX_CELL_CHARS {
                continue;
            }
            let keep = MAX_CELL_CHARS - CUT_MARK.chars().count();
            let cut: String = t.chars().take(keep).collect::<String>() + CUT_MARK;
            let cell = format!("{}{}", crate::text::column_letter(*c), row.index + 1);
            sheet.notes.push(Note {
                kind: ProblemKind::TextTooLong,
                row: Some(row.index + 1),
                cell: cell.clone(),
                value: cut.chars().take(50).collect::<String>() + "…",
                message: format!(
                    "单元格 {cell} 的文字有 {n} 个字符，超过 Excel 单元格上限 {MAX_CELL_CHARS}：只读取了前 {keep} 个字符。请核对该单元格，是否误粘贴了大段内容"
                ),
            });
            *v = Value::Text(cut.into());
        }
    }
}

thread_local! {
    /// Set while this thread reads a file: a panic then is the reading library's, caught
    /// and reported as a damaged file.
    static READING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps the panic hook quiet for panics of a reading library, which `read_with`
/// catches and reports as a damaged file (the default hook would print the library's
/// English message and a backtrace on stderr). Other panics print as before.
pub fn quiet_reader_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !READING.with(|r| r.get()) {
            default(info);
        }
    }));
}

/// Reads every sheet of a file held in memory, within `limits`. A large sheet left to
/// stream (`Limits::stream`) reads its rest from `origin` (without one, none is left).
pub fn read_with(path: &Path, bytes: &[u8], origin: Option<&Origin>, limits: &Limits) -> Result<Vec<Sheet>, FileError> {
    read_checked(path, bytes, origin, limits)
}

fn read_checked(path: &Path, bytes: &[u8], owner: Option<&Origin>, limits: &Limits) -> Result<Vec<Sheet>, FileError> {
    // A reading library that panics on a damaged file (calamine on a truncated .xls)
    // must not take the run down: the file is damaged, and is named as such.
    READING.with(|r| r.set(true));
    let read = std::panic::catch_unwind(|| read_any(path, bytes, owner, limits));
    READING.with(|r| r.set(false));
    let mut sheets = read.map_err(|_| FileError::Damaged)??;
    for s in &mut sheets {
        cap_text(s);
    }
    Ok(sheets)
}

fn read_any(path: &Path, bytes: &[u8], owner: Option<&Origin>, limits: &Limits) -> Result<Vec<Sheet>, FileError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    let kind = sniff(bytes);
    if matches!(kind, Kind::Xlsx | Kind::Ods) {
        zip_guard(bytes, limits)?;
    }
    match kind {
        // A workbook has at least one sheet: none means its list of sheets is lost.
        Kind::Xlsx => match read_xlsx(bytes, limits.stream.zip(owner)) {
            Ok(sheets) if sheets.is_empty() => Err(FileError::Xlsx("文件已损坏：工作簿中找不到任何工作表".into())),
            r => r.map_err(|e| zip_error(bytes, e, FileError::Xlsx)),
        },
        Kind::Ods => read_ods(bytes).map_err(|e| zip_error(bytes, e, FileError::Ods)),
        Kind::Cfb => {
            if contains_utf16(bytes, "EncryptedPackage") {
                return Err(FileError::Encrypted);
            }
            read_xls(bytes).map_err(FileError::Xls)
        }
        Kind::SpreadsheetMl => super::xml2003::read(bytes).map_err(|e| FileError::SpreadsheetMl {
            what: e.to_string(),
            words: e.words,
        }),
        Kind::Html => Err(FileError::Html),
        Kind::OtherXml => Err(FileError::NotSpreadsheet { ext }),
        // A binary file named .csv (a picture, a PDF, a renamed .doc) is not read as
        // garbled text.
        Kind::Text if (ext == "csv" || ext == "txt") && looks_binary(bytes) => Err(FileError::NotSpreadsheet { ext }),
        Kind::Text if ext == "csv" || ext == "txt" => Ok(vec![read_csv(path, bytes).map_err(FileError::Csv)?]),
        // The type is judged by content: text with separators named .xlsx or .xls is
        // read as CSV, and the name is noted.
        Kind::Text if looks_like_csv(bytes) => {
            let mut sheet = read_csv(path, bytes).map_err(FileError::Csv)?;
            sheet.notes.insert(
                0,
                Note {
                    kind: ProblemKind::ExtensionMismatch,
                    row: None,
                    cell: String::new(),
                    value: format!(".{ext}"),
                    message: format!(
                        "文件扩展名为 .{ext}，内容却是 CSV 文本，已按 CSV 读取：请把扩展名改为 .csv，或用 Excel/WPS 另存为 .xlsx"
                    ),
                },
            );
            Ok(vec![sheet])
        }
        Kind::Text => Err(FileError::NotSpreadsheet { ext }),
    }
}

fn contains_utf16(bytes: &[u8], s: &str) -> bool {
    let pat: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    bytes.windows(pat.len()).any(|w| w == pat.as_slice())
}

fn from_data(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s.as_str().into()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(v) if dt.is_datetime() => Value::Date(v),
            _ => Value::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => iso(s),
        Data::DurationIso(s) => Value::Text(s.as_str().into()),
        Data::Error(e) => Value::Error(format!("{e}").into()),
    }
}

/// One Arc per distinct shared string of a workbook, keyed by the string's address in
/// calamine's table (stable while the workbook is open): a string shown in 100 000 cells
/// is allocated once, not 100 000 times.
type Interned = HashMap<usize, Arc<str>, crate::hash::FxBuild>;

pub(super) fn from_ref(d: DataRef<'_>, shared: &mut Interned) -> Value {
    match d {
        DataRef::Empty => Value::Empty,
        DataRef::String(s) => Value::Text(s.into()),
        DataRef::SharedString(s) => Value::Text(
            shared
                .entry(s.as_ptr() as usize)
                .or_insert_with(|| Arc::from(s))
                .clone(),
        ),
        DataRef::Int(i) => Value::Number(i as f64),
        DataRef::Float(f) => Value::Number(f),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(v) if dt.is_datetime() => Value::Date(v),
            _ => Value::Number(dt.as_f64()),
        },
        DataRef::DateTimeIso(s) => iso(&s),
        DataRef::DurationIso(s) => Value::Text(s.into()),
        DataRef::Error(e) => Value::Error(format!("{e}").into()),
    }
}

/// ods dates arrive as ISO text.
pub(super) fn iso(s: &str) -> Value {
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Value::Date(dt);
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Value::Date(d.and_time(chrono::NaiveTime::MIN));
    }
    Value::Text(s.into())
}

/// Groups (row, col, value) cells into sorted rows, dropping empty cells.
pub(super) fn into_rows(mut cells: Vec<(u32, u32, Value)>) -> Vec<Row> {
    cells.retain(|(_, _, v)| !v.is_empty());
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut rows: Vec<Row> = Vec::new();
    for (r, c, v) in cells {
        match rows.last_mut() {
            Some(last) if last.index == r => last.cells.push((c, v)),
            _ => rows.push(Row {
                index: r,
                cells: vec![(c, v)],
            }),
        }
    }
    rows
}

/// Builds rows from cells arriving in reading order (row by row, left to right, as every
/// spreadsheet program saves them) without collecting and sorting every cell; cells out
/// of order are handed to `into_rows` at the end, so the result is the same either way.
#[derive(Default)]
pub(super) struct RowsBuilder {
    rows: Vec<Row>,
    out_of_order: bool,
}

impl RowsBuilder {
    pub(super) fn push(&mut self, r: u32, c: u32, v: Value) {
        if v.is_empty() {
            return;
        }
        match self.rows.last_mut() {
            Some(last) if last.index == r => {
                if last.cells.last().is_some_and(|(lc, _)| *lc >= c) {
                    self.out_of_order = true;
                }
                last.cells.push((c, v));
            }
            last => {
                if last.as_ref().is_some_and(|l| l.index > r) {
                    self.out_of_order = true;
                }
                // Rows of a ledger have the same cells: the last row's size is the hint.
                let mut cells = Vec::with_capacity(last.map_or(4, |l| l.cells.len()));
                cells.push((c, v));
                self.rows.push(Row { index: r, cells });
            }
        }
    }

    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(super) fn out_of_order(&self) -> bool {
        self.out_of_order
    }

    pub(super) fn last_index(&self) -> Option<u32> {
        self.rows.last().map(|r| r.index)
    }

    /// The rows built so far (in order: see `out_of_order`), leaving none.
    pub(super) fn take(&mut self) -> Vec<Row> {
        std::mem::take(&mut self.rows)
    }

    pub(super) fn finish(self) -> Vec<Row> {
        if !self.out_of_order {
            return self.rows;
        }
        into_rows(
            self.rows
                .into_iter()
                .flat_map(|row| row.cells.into_iter().map(move |(c, v)| (row.index, c, v)))
                .collect(),
        )
    }
}

/// Every sheet's name and whether it is hidden or very hidden.
fn visibility<RS, R: Reader<RS>>(wb: &R) -> Vec<(String, bool)>
where
    RS: std::io::Read + std::io::Seek,
{
    wb.sheets_metadata()
        .iter()
        .map(|m| (m.name.clone(), m.visible != calamine::SheetVisible::Visible))
        .collect()
}

fn read_xlsx(bytes: &[u8], stream: Option<(usize, &Origin)>) -> Result<Vec<Sheet>, String> {
    // The common files by the fast reader; anything it does not handle exactly as
    // calamine would, by calamine.
    if let Some(sheets) = super::xlsx::read(bytes, stream) {
        return Ok(sheets);
    }
    read_xlsx_calamine(bytes)
}

pub(super) fn read_xlsx_calamine(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let mut wb = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut shared = Interned::default();
    for (name, hidden) in visibility(&wb) {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| e.to_string())?;
        let mut rows = RowsBuilder::default();
        while let Some(cell) = reader.next_cell_with_formula().map_err(|e| e.to_string())? {
            let (r, c) = cell.pos;
            let value = match (cell.value, cell.formula) {
                (DataRef::Empty, Some(f)) if !f.trim().is_empty() => Value::NoResult(f.into()),
                (v, _) => from_ref(v, &mut shared),
            };
            rows.push(r, c, value);
        }
        out.push(Sheet {
            name,
            rows: rows.finish(),
            hidden,
            ..Default::default()
        });
    }
    Ok(out)
}

fn read_range<R: Reader<Cursor<B>>, B: AsRef<[u8]>>(wb: &mut R) -> Result<Vec<Sheet>, String>
where
    R::Error: std::fmt::Display,
{
    let mut out = Vec::new();
    for (name, hidden) in visibility(wb) {
        let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range
            .used_cells()
            .map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, from_data(d)))
            .collect();
        out.push(Sheet {
            name,
            rows: into_rows(cells),
            hidden,
            ..Default::default()
        });
    }
    Ok(out)
}

/// Above this many cells of dense grid, .xls files are read from their records
/// (memory in proportion to the cells present) instead of by calamine.
const XLS_DENSE_CELLS: u64 = 1_000_000;

fn read_xls(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    use super::xls::{dense_cells, read_xls, Xls};
    match read_xls(bytes) {
        Xls::Sheets(sheets) if dense_cells(&sheets) > XLS_DENSE_CELLS => Ok(sheets),
        Xls::Sheets(_) | Xls::NotMine => read_xls_calamine(bytes),
        Xls::Damaged => Err("文件结构不完整或已损坏".into()),
    }
}

pub(super) fn read_xls_calamine(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let mut wb = calamine::Xls::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    read_range(&mut wb)
}

fn read_ods(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    super::ods::read_ods(bytes)
}

/// Decodes CSV bytes: UTF-8 (BOM stripped), UTF-16 with BOM, else GB18030 (a superset
/// of GBK, as Chinese Excel and WPS save it).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE.decode(bytes).0.into_owned();
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE.decode(bytes).0.into_owned();
    }
    // UTF-16 without a byte-order mark: ASCII characters leave zero bytes at every
    // other position.
    let head = &bytes[..bytes.len().min(512)];
    let zeros = |odd: usize| head.iter().skip(odd).step_by(2).filter(|b| **b == 0).count();
    if head.len() >= 4 && zeros(1) * 3 > head.len() && zeros(0) == 0 {
        return encoding_rs::UTF_16LE.decode_without_bom_handling(bytes).0.into_owned();
    }
    if head.len() >= 4 && zeros(0) * 3 > head.len() && zeros(1) == 0 {
        return encoding_rs::UTF_16BE.decode_without_bom_handling(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// Bytes that are not text in any encoding we read: the first 8 KB, decoded, hold more
/// than 2 % control characters (other than tab, line breaks, form feed and DOS's
/// end-of-file mark) or undecodable bytes. A CSV saved by Excel or WPS holds none; a
/// stray bad byte in a hand-edited file stays far below.
fn looks_binary(bytes: &[u8]) -> bool {
    let mut head = &bytes[..bytes.len().min(8192)];
    // Cut inside a UTF-8 character: end before it (else the head decodes as GBK).
    if let Err(e) = std::str::from_utf8(head) {
        if e.error_len().is_none() {
            head = &head[..e.valid_up_to()];
        }
    }
    let text = decode_text(head);
    let (mut total, mut bad) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        if (c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{0C}' | '\u{1A}')) || c == '\u{FFFD}' {
            bad += 1;
        }
    }
    bad >= 5 && bad * 50 > total
}

/// Text (in any encoding we read) with a separator on its first lines and no binary
/// control characters: a CSV file whatever its name.
fn looks_like_csv(bytes: &[u8]) -> bool {
    let text = decode_text(bytes);
    let head: String = text.chars().take(4096).collect();
    let control = head
        .chars()
        .filter(|c| (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || *c == '\u{FFFD}')
        .count();
    control == 0 && separator(&text).is_some()
}

/// The separator of a CSV text: tab, comma or semicolon, whichever occurs most often on
/// one of the first lines (the header line has the most; a title line has none). None
/// when no line holds any.
pub fn separator(text: &str) -> Option<u8> {
    let mut best: Option<(usize, u8)> = None;
    for line in text.lines().take(30) {
        for d in [b'\t', b',', b';'] {
            let n = line.bytes().filter(|b| *b == d).count();
            if n > 0 && best.is_none_or(|(m, _)| n > m) {
                best = Some((n, d));
            }
        }
    }
    best.map(|(_, d)| d)
}

/// Opening quotes that are never closed, as the csv reader would see them: a `"` at the
/// start of a field opens a quoted field, `""` inside it is a quote, and the field ends
/// at the next lone `"`. Returns the byte offsets of the opening quotes left open at the
/// end of the text (at most one: after it the whole rest is inside the field).
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut field_start = true;
    while i < b.len() {
        let c = b[i];
        if field_start && c == b'"' {
            let open = i;
            i += 1;
            loop {
                match b.get(i) {
                    None => return Some(open),
                    Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            field_start = false;
            continue;
        }
        field_start = c == delimiter || c == b'\n' || c == b'\r';
        i += 1;
    }
    None
}

/// A stand-in for a quote that opened and never closed, read as a plain character.
const STRAY_QUOTE: char = '\u{E000}';

/// Blank lines at `byte`, before the record that starts after them (the csv reader
/// reports a record's position before the blank lines it skipped). A `\n` right after
/// the previous record's `\r` ends that record, not a blank line; `\r\n`, `\n` and a
/// lone `\r` each end one line.
fn blank_lines(text: &str, byte: usize) -> u32 {
    let b = text.as_bytes();
    let mut i = byte.min(b.len());
    if i > 0 && b[i - 1] == b'\r' && b.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut n = 0;
    while i < b.len() && (b[i] == b'\n' || b[i] == b'\r') {
        if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i += 1;
        }
        n += 1;
        i += 1;
    }
    n
}

fn read_csv(path: &Path, bytes: &[u8]) -> Result<Sheet, String> {
    let mut text = decode_text(bytes);
    let delimiter = separator(&text).unwrap_or(b',');
    // A quote that never closes would swallow every row after it into one field: read
    // it as a plain character instead, and say where it is.
    let mut notes = Vec::new();
    let mut stray = false;
    while let Some(at) = unclosed_quote(&text, delimiter) {
        let line = text[..at].bytes().filter(|b| *b == b'\n').count() + 1;
        let last = text.trim_end().bytes().filter(|b| *b == b'\n').count() + 1;
        let value: String = text[at..].lines().next().unwrap_or("").chars().take(50).collect();
        notes.push(Note {
            kind: ProblemKind::CsvQuote,
            row: Some(line as u32),
            cell: String::new(),
            value,
            message: format!(
                "第 {line} 行引号未闭合：第 {line}–{last} 行会被并入一个单元格，已把这个引号当作普通字符读取。请在 Excel 中打开核对第 {line} 行，补上缺少的引号"
            ),
        });
        text.replace_range(at..at + 1, &STRAY_QUOTE.to_string());
        stray = true;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    // Rows are numbered as Excel shows them: one row per record (a quoted field may
    // span lines), plus one per blank line between records.
    let mut rec = csv::StringRecord::new();
    let mut next_row: u32 = 0;
    loop {
        let more = rdr.read_record(&mut rec).map_err(|e| e.to_string())?;
        if !more {
            break;
        }
        let r = next_row + rec.position().map_or(0, |p| blank_lines(&text, p.byte() as usize));
        next_row = r + 1;
        for (c, field) in rec.iter().enumerate() {
            let field = if stray {
                field.replace(STRAY_QUOTE, "\"")
            } else {
                field.to_string()
            };
            cells.push((r, c as u32, Value::Text(field.into())));
        }
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    Ok(Sheet {
        name,
        rows: into_rows(cells),
        notes,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_are_one_buffer_and_compare_as_text() {
        let mut s = Strings::default();
        let (a, b, e) = (
            s.push("预算公开").unwrap(),
            s.push("章华镇").unwrap(),
            s.push("").unwrap(),
        );
        let s = Arc::new(s);
        let cell = |index| {
            Value::Shared(Shared {
                strings: s.clone(),
                index,
            })
        };
        assert_eq!(
            (cell(a).text(), cell(b).text(), cell(e).text()),
            (Some("预算公开"), Some("章华镇"), Some(""))
        );
        // A shared string equals the same text held otherwise (calamine's reading).
        assert_eq!(cell(b), Value::Text("章华镇".into()));
        assert_ne!(cell(a), cell(b));
        assert!(cell(e).is_empty() && !cell(a).is_empty());
        assert_eq!(cell(a).display(), "预算公开");
        assert_eq!(s.get(9), "");
        // Still 24 bytes a cell.
        assert_eq!(std::mem::size_of::<Value>(), 24);
    }

    #[test]
    fn binary_named_csv_is_not_text() {
        // A PNG's first bytes, then noise; a GBK CSV with one broken byte is still text.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec();
        png.extend((0u32..2000).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        assert!(looks_binary(&png));
        let (gbk, _, _) = encoding_rs::GBK.encode("单位,信息名称,公开日期\n章华镇,财政预算,2021-03-05\n");
        let mut one_bad = gbk.into_owned();
        one_bad.push(0xFF);
        assert!(!looks_binary(&one_bad));
        assert!(!looks_binary("单位\t信息名称\n章华镇\t预算\n".as_bytes()));
        // UTF-8 longer than the 8 KB looked at, cut inside a character.
        let long = "单位,信息名称,公开日期\n".to_string() + &"章华镇,关于财政预算公开的通知,2021-03-05\n".repeat(400);
        for cut in 8190..8195 {
            assert!(!looks_binary(&long.as_bytes()[..cut.min(long.len())]), "{cut}");
        }
        assert!(!looks_binary(long.as_bytes()));
        let utf16: Vec<u8> = "\u{FEFF}单位\t名称\r\n章华镇\t预算\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(!looks_binary(&utf16));
    }

    #[test]
    fn sniffs_by_content_not_extension() {
        assert_eq!(
            sniff(b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
            Kind::Ods
        );
        assert_eq!(sniff(b"PK\x03\x04rest"), Kind::Xlsx);
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Kind::Cfb);
        assert_eq!(sniff(b"  <html><table>"), Kind::Html);
        assert_eq!(sniff("单位,标题\n".as_bytes()), Kind::Text);
    }

    #[test]
    fn decodes_gbk_and_bom() {
        let (gbk, _, _) = encoding_rs::GBK.encode("信息名称,公开日期");
        assert_eq!(decode_text(&gbk), "信息名称,公开日期");
        assert_eq!(decode_text("\u{feff}标题".as_bytes()), "标题");
    }

    #[test]
    fn html_saved_as_xls_is_a_clear_error() {
        let e = read(Path::new("台账.xls"), b"<html><body><table></table></body></html>").unwrap_err();
        assert!(e.to_string().contains("HTML"), "{e}");
    }

    #[test]
    fn csv_rows_keep_excel_numbers() {
        let s = read(Path::new("a.csv"), "标题,日期\n\n甲,2021-3-5\n".as_bytes()).unwrap();
        assert_eq!(s[0].name, "a");
        assert_eq!(s[0].rows.len(), 2);
        assert_eq!(s[0].rows[1].number(), 3);
        assert_eq!(s[0].rows[1].get(1), &Value::Text("2021-3-5".into()));
        // A quoted field spanning two lines is one row, as in Excel.
        let s = read(Path::new("b.csv"), "\"公开\n日期\",x\n\n2021-3-5,y\nz,w\n".as_bytes()).unwrap();
        let rows: Vec<u32> = s[0].rows.iter().map(|r| r.number()).collect();
        assert_eq!(rows, [1, 3, 4]);
        // Windows line ends, as Excel and WPS save CSV.
        let s = read(Path::new("c.csv"), "a,b\r\n\r\n\"x\r\ny\",c\r\nd,e\r\n".as_bytes()).unwrap();
        let rows: Vec<u32> = s[0].rows.iter().map(|r| r.number()).collect();
        assert_eq!(rows, [1, 3, 4]);
        let s = read(Path::new("d.csv"), "a,b\rc,d\r\re,f".as_bytes()).unwrap();
        let rows: Vec<u32> = s[0].rows.iter().map(|r| r.number()).collect();
        assert_eq!(rows, [1, 2, 4]);
    }
}

//! OpenDocument spreadsheets (.ods) read as a stream of content.xml events into sparse
//! rows: a stray cell at row 200 000, column 200 costs one cell, not a dense range.

use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

use super::workbook::{into_rows, iso, Sheet, Value};

/// content.xml larger than this is refused rather than read into memory.
const MAX_CONTENT_BYTES: u64 = 512 * 1024 * 1024;
/// A non-empty cell or row repeated more often than this is kept this many times.
const MAX_REPEAT: u32 = 1000;

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

fn repeat(e: &BytesStart, name: &str) -> u32 {
    attr(e, name).and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

/// The typed value of a cell from its office:* attributes; text cells return None and
/// take their paragraphs.
fn typed(e: &BytesStart) -> Option<Value> {
    match attr(e, "office:value-type").as_deref() {
        Some("float" | "percentage" | "currency") => attr(e, "office:value")
            .and_then(|v| v.parse::<f64>().ok())
            .map(Value::Number),
        Some("date") => attr(e, "office:date-value").map(|v| iso(&v)),
        Some("boolean") => attr(e, "office:boolean-value").map(|v| Value::Bool(v == "true")),
        _ => None,
    }
}

/// A predefined or numeric entity reference (&amp; &#20013; &#x4E2D;).
pub(super) fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

struct Cell {
    repeat: u32,
    value: Option<Value>,
    text: String,
    paragraphs: u32,
    /// `table:formula`, kept to tell a formula saved without its result.
    formula: Option<String>,
}

pub fn read_ods(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut entry = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    if entry.size() > MAX_CONTENT_BYTES {
        return Err(format!("内容过大（{} 字节）", entry.size()));
    }
    let mut xml = String::with_capacity(entry.size() as usize);
    entry.read_to_string(&mut xml).map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut sheets = Vec::new();
    let mut name: Option<String> = None;
    let mut cells: Vec<(u32, u32, Value)> = Vec::new();
    let (mut row, mut col, mut row_repeat, mut row_first) = (0u32, 0u32, 1u32, 0usize);
    let mut cell: Option<Cell> = None;
    let mut annotation = 0u32;
    loop {
        let ev = reader.read_event().map_err(|e| e.to_string())?;
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" if !empty => {
                    name = Some(attr(e, "table:name").unwrap_or_default());
                    cells.clear();
                    row = 0;
                }
                "table:table-row" => {
                    row_repeat = repeat(e, "table:number-rows-repeated");
                    col = 0;
                    row_first = cells.len();
                    if empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let c = Cell {
                        repeat: repeat(e, "table:number-columns-repeated"),
                        value: typed(e),
                        text: String::new(),
                        paragraphs: 0,
                        formula: attr(e, "table:formula"),
                    };
                    if empty {
                        finish_cell(c, row, &mut col, &mut cells);
                    } else {
                        cell = Some(c);
                    }
                }
                "office:annotation" if !empty => annotation += 1,
                "text:p" | "text:h" if annotation == 0 => {
                    if let Some(c) = cell.as_mut() {
                        if c.paragraphs > 0 {
                            c.text.push('\n');
                        }
                        c.paragraphs += 1;
                    }
                }
                "text:s" if annotation == 0 => {
                    if let Some(c) = cell.as_mut() {
                        let n = attr(e, "text:c").and_then(|v| v.parse().ok()).unwrap_or(1usize);
                        c.text.extend(std::iter::repeat_n(' ', n.min(1000)));
                    }
                }
                "text:tab" if annotation == 0 => {
                    if let Some(c) = cell.as_mut() {
                        c.text.push('\t');
                    }
                }
                "text:line-break" if annotation == 0 => {
                    if let Some(c) = cell.as_mut() {
                        c.text.push('\n');
                    }
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Text(t) if annotation == 0 => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if annotation == 0 => {
                if let (Some(c), Some(ch)) = (cell.as_mut(), entity(&r.xml10_content())) {
                    c.text.push(ch);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(c) = cell.take() {
                        finish_cell(c, row, &mut col, &mut cells);
                    }
                }
                "office:annotation" => annotation = annotation.saturating_sub(1),
                "table:table-row" => {
                    // A repeated row with content repeats its cells (capped).
                    if row_repeat > 1 && cells.len() > row_first {
                        let copy: Vec<(u32, u32, Value)> = cells[row_first..].to_vec();
                        for k in 1..row_repeat.min(MAX_REPEAT) {
                            cells.extend(copy.iter().map(|(r, c, v)| (r + k, *c, v.clone())));
                        }
                    }
                    row = row.saturating_add(row_repeat);
                }
                "table:table" => {
                    if let Some(n) = name.take() {
                        sheets.push(Sheet {
                            name: n,
                            rows: into_rows(std::mem::take(&mut cells)),
                            ..Default::default()
                        });
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

/// Places a finished cell (and its repeats, when it holds something) and moves on.
fn finish_cell(c: Cell, row: u32, col: &mut u32, cells: &mut Vec<(u32, u32, Value)>) {
    let value = match c.value {
        Some(v) => Some(v),
        None if !c.text.is_empty() => Some(Value::Text(c.text.into())),
        None => c.formula.map(|f| Value::NoResult(f.trim_start_matches("of:").into())),
    };
    if let Some(v) = value {
        for k in 0..c.repeat.min(MAX_REPEAT) {
            cells.push((row, col.saturating_add(k), v.clone()));
        }
    }
    *col = col.saturating_add(c.repeat);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal .ods with the given table XML.
    pub fn ods(tables: &str) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            z.start_file("mimetype", stored).unwrap();
            z.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
            z.start_file("content.xml", stored).unwrap();
            let xml = format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
            );
            z.write_all(xml.as_bytes()).unwrap();
            z.finish().unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn reads_types_repeats_and_stray_cells_sparsely() {
        let t = r#"<table:table table:name="台账">
            <table:table-row><table:table-cell office:value-type="string"><text:p>公开</text:p><text:p>日期</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="string"><text:p>A&amp;B<text:s text:c="2"/>C</text:p><office:annotation><text:p>批注</text:p></office:annotation></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="date" office:date-value="2021-03-05"/><table:table-cell office:value-type="float" office:value="20210305"/></table:table-row>
            <table:table-row table:number-rows-repeated="199996"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            <table:table-row><table:table-cell table:number-columns-repeated="199"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
        </table:table>"#;
        let sheets = read_ods(&ods(t)).unwrap();
        assert_eq!(sheets.len(), 1);
        let s = &sheets[0];
        assert_eq!(s.name, "台账");
        assert_eq!(s.rows.len(), 4);
        assert_eq!(s.rows[0].get(0), &Value::Text("公开\n日期".into()));
        assert_eq!(s.rows[0].get(4), &Value::Text("A&B  C".into()));
        assert_eq!(s.rows[1].get(1), &Value::Number(20210305.0));
        assert_eq!(s.rows[2].index, 2);
        assert!(matches!(s.rows[2].get(0), Value::Date(_)));
        assert_eq!(s.rows[3].index, 199_999);
        assert_eq!(s.rows[3].cells, vec![(199, Value::Text("x".into()))]);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(read_ods(b"PK\x03\x04nope").is_err());
    }
}

//! Excel 2003 XML spreadsheets (SpreadsheetML: `Workbook/Worksheet/Table/Row/Cell/Data`),
//! which government systems export with an .xls name. Read as a stream of XML events
//! into sparse rows: a `Row ss:Index="65000"` costs one row, not a dense range.
//!
//! Merged cells (`ss:MergeAcross`/`ss:MergeDown`) keep their value in the first cell
//! only, as calamine reads merged cells in xlsx; the header finder knows it.

use quick_xml::events::{BytesStart, Event};

use super::ods::entity;
use super::workbook::{into_rows, Sheet, Value};

/// The SpreadsheetML namespace.
const NS: &str = "urn:schemas-microsoft-com:office:spreadsheet";

/// Whether the first bytes are a SpreadsheetML workbook: its root element is `Workbook`
/// (any prefix) and the head names the SpreadsheetML namespace or carries Excel's
/// `<?mso-application progid="Excel.Sheet"?>`. HTML (also Excel's own "web page"
/// export, which mentions Excel.Sheet in a meta tag) has another root.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = decode(&bytes[..bytes.len().min(8192)]);
    let head = head.trim_start_matches('\u{feff}');
    let Some(root) = root_name(head) else {
        return false;
    };
    let local = root.rsplit(':').next().unwrap_or(root);
    if local != "Workbook" {
        return false;
    }
    let pi = head.find("<?mso-application").is_some_and(|at| {
        let rest = &head[at..];
        let end = rest.find("?>").unwrap_or(rest.len());
        rest[..end].contains("Excel.Sheet")
    });
    pi || head.contains(NS)
}

/// Whether a file on disk is a SpreadsheetML workbook, by its first 8 KB: folder walks
/// take .xml files only when they are one (other XML files are not ledgers).
pub fn is_file(p: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(p)
        .and_then(|f| f.take(8192).read_to_end(&mut head))
        .is_ok()
        && sniff(&head)
}

/// The name of the first element, skipping the declaration, processing instructions,
/// comments and a DOCTYPE. None when the text does not start as XML.
fn root_name(s: &str) -> Option<&str> {
    let mut rest = s.trim_start();
    loop {
        if !rest.starts_with('<') {
            return None;
        }
        let skip_to = if rest.starts_with("<?") {
            "?>"
        } else if rest.starts_with("<!--") {
            "-->"
        } else if rest.starts_with("<!") {
            ">"
        } else {
            let name = &rest[1..];
            let end = name
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(name.len());
            return Some(&name[..end]);
        };
        let end = rest.find(skip_to)? + skip_to.len();
        rest = rest[end..].trim_start();
    }
}

/// The text of the file: a byte-order mark (UTF-8, UTF-16) first, else UTF-16 told by
/// its zero bytes, else the declared encoding (gb2312, GBK, GB18030 … as Chinese
/// systems write them), else UTF-8, else GB18030.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"<\0?\0") || bytes.starts_with(b"<\0\0\0") {
        return encoding_rs::UTF_16LE.decode(bytes).0.into_owned();
    }
    if bytes.starts_with(b"\xFE\xFF") || bytes.starts_with(b"\0<\0?") {
        return encoding_rs::UTF_16BE.decode(bytes).0.into_owned();
    }
    let declared = declared_encoding(bytes).and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()));
    match declared {
        Some(enc) if enc != encoding_rs::UTF_8 && enc.is_ascii_compatible() => {
            enc.decode_without_bom_handling(bytes).0.into_owned()
        }
        Some(_) => String::from_utf8_lossy(bytes).into_owned(),
        None => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
        },
    }
}

/// The `encoding` of an `<?xml …?>` declaration at the start.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let decl = head[start..].strip_prefix(b"<?xml")?;
    let end = decl.windows(2).position(|w| w == b"?>")?;
    let decl = String::from_utf8_lossy(&decl[..end]);
    let at = decl.find("encoding")? + "encoding".len();
    let rest = decl[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].trim().to_string())
}

/// An attribute by its local name (`ss:Index`, `Index` or another prefix).
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref();
        let name = key.rsplit(':').next().unwrap_or(key);
        if name != local || key.starts_with("xmlns") {
            return None;
        }
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// A 1-based `ss:Index` as a 0-based position (None when absent or not a number).
fn index(e: &BytesStart) -> Option<u32> {
    attr(e, "Index")
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|i| *i >= 1)
        .map(|i| i - 1)
}

fn count(e: &BytesStart, name: &str) -> u32 {
    attr(e, name).and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

/// The value of a `Data` element of type `ty` holding `text`.
fn typed(ty: &str, text: String) -> Value {
    let t = text.trim();
    match ty {
        "Number" => match t.parse::<f64>() {
            Ok(n) if n.is_finite() => Value::Number(n),
            _ => Value::Text(text.into()),
        },
        "DateTime" => {
            let fmts = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"];
            if let Some(dt) = fmts
                .iter()
                .find_map(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok())
            {
                return Value::Date(dt);
            }
            match chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                Ok(d) => Value::Date(d.and_time(chrono::NaiveTime::MIN)),
                Err(_) => Value::Text(text.into()),
            }
        }
        "Boolean" => match t {
            "1" | "true" | "TRUE" => Value::Bool(true),
            "0" | "false" | "FALSE" => Value::Bool(false),
            _ => Value::Text(text.into()),
        },
        "Error" => Value::Error(t.into()),
        _ => Value::Text(text.into()),
    }
}

/// A cell being read.
struct Cell {
    col: u32,
    formula: Option<String>,
    /// `Data`'s type and text, once a Data element opened.
    data: Option<(String, String)>,
}

/// Why a SpreadsheetML file could not be read: where (line), whether it was cut short,
/// what is wrong (Chinese) and the XML reader's own words (or "").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub line: usize,
    /// The file ends before the workbook does (cut while downloading or copying).
    pub incomplete: bool,
    pub what: String,
    pub words: String,
}

/// Displays what is wrong and where, in Chinese (without the reader's words).
impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.incomplete {
            write!(
                f,
                "文件不完整（在第 {} 行中断，{}，可能下载或复制未完成）",
                self.line, self.what
            )
        } else {
            write!(f, "文件已损坏（第 {} 行附近：{}）", self.line, self.what)
        }
    }
}

/// Excel's last row and column (0-based): a file beyond them is not one Excel wrote.
const MAX_ROW: u32 = 1_048_575;
const MAX_COL: u32 = 16_383;

fn beyond(xml: &str, reader: &quick_xml::Reader<&[u8]>, what: String) -> Damage {
    Damage {
        line: line_at(xml, reader.buffer_position()),
        incomplete: false,
        what,
        words: String::new(),
    }
}

fn line_at(xml: &str, pos: u64) -> usize {
    let pos = (pos as usize).min(xml.len());
    xml.as_bytes()[..pos].iter().filter(|b| **b == b'\n').count() + 1
}

/// Reads every worksheet of a SpreadsheetML file.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, Damage> {
    let xml = decode(bytes);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut sheet: Option<Sheet> = None;
    let mut cells: Vec<(u32, u32, Value)> = Vec::new();
    // The row being read, the next row's position, the next cell's column.
    let (mut row, mut next_row, mut next_col) = (0u32, 0u32, 0u32);
    let mut cell: Option<Cell> = None;
    let mut in_data = false;
    // Inside a Comment (its Data is a note, not the cell's value).
    let mut comment = 0u32;
    let mut visible: Option<String> = None;
    let mut workbook_closed = false;
    let mut opened = false;
    loop {
        let ev = reader.read_event().map_err(|e| {
            let words = e.to_string();
            let incomplete = words.contains("before end of input");
            Damage {
                line: line_at(&xml, reader.error_position()),
                incomplete,
                what: if incomplete {
                    "标签未写完"
                } else {
                    "XML 标签不配对或结构错误"
                }
                .to_string(),
                words,
            }
        })?;
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let qname = e.name();
            let name = qname.as_ref();
            let local = name.rsplit(':').next().unwrap_or(name);
            if !opened {
                if local != "Workbook" {
                    return Err(beyond(
                        &xml,
                        &reader,
                        format!("根元素是 <{name}>，不是 Excel 2003 XML 表格的 <Workbook>"),
                    ));
                }
                opened = true;
                continue;
            }
            match local {
                "Worksheet" => {
                    let n = sheets.len() + 1;
                    sheet = Some(Sheet {
                        name: attr(e, "Name").unwrap_or_else(|| format!("Sheet{n}")),
                        ..Default::default()
                    });
                    cells.clear();
                    (row, next_row) = (0, 0);
                    if empty {
                        finish_sheet(&mut sheet, &mut cells, &mut sheets);
                    }
                }
                "Row" if sheet.is_some() => {
                    row = index(e).unwrap_or(next_row);
                    next_row = row.saturating_add(count(e, "Span")).saturating_add(1);
                    next_col = 0;
                }
                "Cell" if sheet.is_some() && comment == 0 => {
                    let col = index(e).unwrap_or(next_col);
                    if row > MAX_ROW {
                        return Err(beyond(
                            &xml,
                            &reader,
                            format!("行号 {} 超出 Excel 的上限 {}", row as u64 + 1, MAX_ROW + 1),
                        ));
                    }
                    if col > MAX_COL {
                        return Err(beyond(
                            &xml,
                            &reader,
                            format!("列号 {} 超出 Excel 的上限 {}", col as u64 + 1, MAX_COL + 1),
                        ));
                    }
                    next_col = col.saturating_add(count(e, "MergeAcross")).saturating_add(1);
                    let c = Cell {
                        col,
                        formula: attr(e, "Formula").filter(|f| !f.trim().is_empty()),
                        data: None,
                    };
                    if empty {
                        finish_cell(c, row, &mut cells);
                    } else {
                        cell = Some(c);
                    }
                }
                "Comment" if !empty => comment += 1,
                "Data" if comment == 0 => {
                    if let Some(c) = cell.as_mut() {
                        c.data = Some((attr(e, "Type").unwrap_or_default(), String::new()));
                        in_data = !empty;
                    }
                }
                "Visible" if !empty && sheet.is_some() => visible = Some(String::new()),
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Text(t) => {
                let s = t.xml10_content();
                if let Some(v) = visible.as_mut() {
                    v.push_str(&s);
                } else if let (true, Some((_, text))) = (in_data, cell.as_mut().and_then(|c| c.data.as_mut())) {
                    text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let (true, Some((_, text))) = (in_data, cell.as_mut().and_then(|c| c.data.as_mut())) {
                    text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let (true, Some((_, text)), Some(ch)) = (
                    in_data,
                    cell.as_mut().and_then(|c| c.data.as_mut()),
                    entity(&r.xml10_content()),
                ) {
                    text.push(ch);
                }
            }
            Event::End(e) => {
                let qname = e.name();
                let name = qname.as_ref();
                match name.rsplit(':').next().unwrap_or(name) {
                    "Data" if comment == 0 => in_data = false,
                    "Comment" => comment = comment.saturating_sub(1),
                    "Cell" if comment == 0 => {
                        if let Some(c) = cell.take() {
                            finish_cell(c, row, &mut cells);
                        }
                    }
                    "Visible" => {
                        if let (Some(v), Some(s)) = (visible.take(), sheet.as_mut()) {
                            s.hidden = matches!(v.trim(), "SheetHidden" | "SheetVeryHidden");
                        }
                    }
                    "Worksheet" => finish_sheet(&mut sheet, &mut cells, &mut sheets),
                    "Workbook" => workbook_closed = true,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !workbook_closed {
        return Err(Damage {
            line: line_at(&xml, xml.len() as u64),
            incomplete: opened,
            what: if opened {
                "缺少结尾的 </Workbook>，后面的内容已丢失"
            } else {
                "没有 <Workbook> 元素"
            }
            .to_string(),
            words: String::new(),
        });
    }
    Ok(sheets)
}

fn finish_sheet(sheet: &mut Option<Sheet>, cells: &mut Vec<(u32, u32, Value)>, sheets: &mut Vec<Sheet>) {
    if let Some(mut s) = sheet.take() {
        s.rows = into_rows(std::mem::take(cells));
        // Two cells at one position (an ss:Index going backwards): the first is kept,
        // as Excel refuses such a file.
        for r in &mut s.rows {
            r.cells.dedup_by_key(|(c, _)| *c);
        }
        sheets.push(s);
    }
}

/// Places a finished cell: its Data's value, else a formula without a result.
fn finish_cell(c: Cell, row: u32, cells: &mut Vec<(u32, u32, Value)>) {
    let value = match (c.data, c.formula) {
        (Some((ty, text)), _) => typed(&ty, text),
        (None, Some(f)) => Value::NoResult(f.into()),
        (None, None) => return,
    };
    cells.push((row, c.col, value));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// A workbook with the given worksheets, as Excel 2003 writes it.
    pub fn book(worksheets: &str) -> String {
        format!(
            r#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:html="http://www.w3.org/TR/REC-html40">
 <DocumentProperties xmlns="urn:schemas-microsoft-com:office:office"><Author>系统</Author></DocumentProperties>
{worksheets}
</Workbook>
"#
        )
    }

    /// UTF-16 with its byte-order mark, little- or big-endian.
    fn utf16(s: &str, le: bool) -> Vec<u8> {
        let units = s.encode_utf16();
        let mut out = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        out.extend(units.flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }));
        out
    }

    fn date(y: i32, m: u32, d: u32) -> Value {
        Value::Date(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_time(chrono::NaiveTime::MIN),
        )
    }

    #[test]
    fn sniffs_spreadsheetml_not_html() {
        let b = book("");
        assert!(sniff(b.as_bytes()));
        // Without the processing instruction: the namespace on the root.
        let bare = r#"<?xml version="1.0" encoding="gb2312"?><ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"></ss:Workbook>"#;
        assert!(sniff(bare.as_bytes()));
        // UTF-16 with a byte-order mark.
        assert!(sniff(&utf16(&b, true)));
        assert!(sniff(&utf16(&b, false)));
        // Excel's "web page" export names Excel.Sheet and the office namespaces: HTML.
        let html = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta name=ProgId content=Excel.Sheet></head><body><table><tr><td>x</td></tr></table></body></html>"#;
        assert!(!sniff(html.as_bytes()));
        assert!(!sniff(b"<?xml version=\"1.0\"?><html><Workbook/></html>"));
        assert!(!sniff(b"<?xml version=\"1.0\"?><Workbook><a/></Workbook>"));
        assert!(!sniff("信息名称,公开日期\n".as_bytes()));
    }

    #[test]
    fn reads_indexes_types_merges_and_rich_text() {
        let x = book(
            r##"<Worksheet ss:Name="主动公开台账"><Table ss:ExpandedColumnCount="4">
  <Row><Cell ss:MergeAcross="3"><Data ss:Type="String">章华镇主动公开台账</Data></Cell></Row>
  <Row ss:Index="3"><Cell><Data ss:Type="String">信息名称</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">公开&#10;日期</Data></Cell><Cell><Data ss:Type="String">A&amp;B</Data></Cell></Row>
  <Row><Cell ss:MergeAcross="1"><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>关于</B><Font html:Color="#FF0000">通知</Font></ss:Data><Comment ss:Author="张"><ss:Data><B>批注</B></ss:Data></Comment></Cell><Cell><Data ss:Type="DateTime">2021-03-05T00:00:00.000</Data></Cell><Cell><Data ss:Type="Number">20210305</Data></Cell><Cell><Data ss:Type="Boolean">1</Data></Cell><Cell><Data ss:Type="Error">#N/A</Data></Cell></Row>
  <Row ss:Span="9"/>
  <Row><Cell><Data ss:Type="String"> 2021年3月5日 </Data></Cell><Cell ss:Formula="=R[-1]C+2"/><Cell ss:Formula="=1+1"><Data ss:Type="Number">2</Data></Cell></Row>
  <Row ss:Index="65000"><Cell ss:Index="200"><Data ss:Type="String">远处</Data></Cell></Row>
 </Table></Worksheet>"##,
        );
        let sheets = read(x.as_bytes()).unwrap();
        assert_eq!(sheets.len(), 1);
        let s = &sheets[0];
        assert_eq!(s.name, "主动公开台账");
        assert!(!s.hidden);
        let rows: Vec<u32> = s.rows.iter().map(|r| r.number()).collect();
        assert_eq!(rows, [1, 3, 4, 15, 65000]);
        // The merged title: its first cell only.
        assert_eq!(s.rows[0].cells, vec![(0, Value::Text("章华镇主动公开台账".into()))]);
        assert_eq!(s.rows[1].get(0), &Value::Text("信息名称".into()));
        assert_eq!(s.rows[1].get(1), &Value::Empty);
        assert_eq!(s.rows[1].get(2), &Value::Text("公开\n日期".into()));
        assert_eq!(s.rows[1].get(3), &Value::Text("A&B".into()));
        let r = &s.rows[2];
        assert_eq!(r.get(0), &Value::Text("关于通知".into()));
        // MergeAcross="1" takes columns A:B, the next cell is C.
        assert_eq!(r.get(1), &Value::Empty);
        assert_eq!(r.get(2), &date(2021, 3, 5));
        assert_eq!(r.get(3), &Value::Number(20210305.0));
        assert_eq!(r.get(4), &Value::Bool(true));
        assert_eq!(r.get(5), &Value::Error("#N/A".into()));
        // A spanned row stands for ten rows.
        let r = &s.rows[3];
        assert_eq!(r.get(0), &Value::Text(" 2021年3月5日 ".into()));
        assert_eq!(r.get(1), &Value::NoResult("=R[-1]C+2".into()));
        assert_eq!(r.get(2), &Value::Number(2.0));
        assert_eq!(s.rows[4].cells, vec![(199, Value::Text("远处".into()))]);
    }

    #[test]
    fn hidden_sheets_and_sheet_order() {
        let x = book(
            r#"<Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions></Worksheet>
 <Worksheet ss:Name="台账"><Table/><x:WorksheetOptions><x:Selected/></x:WorksheetOptions></Worksheet>
 <Worksheet ss:Name="底稿"><x:WorksheetOptions><x:Visible>SheetVeryHidden</x:Visible></x:WorksheetOptions></Worksheet>
 <Worksheet/>"#,
        );
        let sheets = read(x.as_bytes()).unwrap();
        let got: Vec<(&str, bool)> = sheets.iter().map(|s| (s.name.as_str(), s.hidden)).collect();
        assert_eq!(
            got,
            [("说明", true), ("台账", false), ("底稿", true), ("Sheet4", false)]
        );
        assert_eq!(sheets[0].rows.len(), 1);
    }

    #[test]
    fn reads_declared_and_bom_encodings() {
        let x = book(
            r#"<Worksheet ss:Name="华容县"><Table><Row><Cell><Data ss:Type="String">公开日期镕</Data></Cell></Row></Table></Worksheet>"#,
        );
        let expect = |sheets: Vec<Sheet>| {
            assert_eq!(sheets[0].name, "华容县");
            assert_eq!(sheets[0].rows[0].get(0), &Value::Text("公开日期镕".into()));
        };
        for label in ["gb2312", "GBK", "GB18030"] {
            let declared = x.replacen(
                "<?xml version=\"1.0\"?>",
                &format!("<?xml version=\"1.0\" encoding=\"{label}\"?>"),
                1,
            );
            let (bytes, _, bad) = encoding_rs::GB18030.encode(&declared);
            assert!(!bad);
            assert!(std::str::from_utf8(&bytes).is_err());
            assert!(sniff(&bytes));
            expect(read(&bytes).unwrap());
        }
        // GBK bytes with no declaration at all.
        let (bytes, _, _) = encoding_rs::GB18030.encode(&x);
        expect(read(&bytes).unwrap());
        expect(read(&utf16(&x, true)).unwrap());
        expect(read(&utf16(&x, false)).unwrap());
        let bom = [b"\xEF\xBB\xBF".as_slice(), x.as_bytes()].concat();
        expect(read(&bom).unwrap());
    }

    #[test]
    fn damaged_files_are_errors_with_a_line() {
        let x = book(
            r#"<Worksheet ss:Name="台账"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet>"#,
        );
        // Mismatched tags.
        let bad = x.replace("</Row>", "</Cell>");
        let e = read(bad.as_bytes()).unwrap_err();
        assert_eq!(e.line, 9, "{e}");
        assert!(
            !e.incomplete && e.to_string().starts_with("文件已损坏（第 9 行附近"),
            "{e}"
        );
        assert!(e.words.contains("</Cell>"), "{e:?}");
        // Cut short, between tags or inside one: rows after the cut would be lost silently.
        for cut in [x.len() - 12, x.find("</Row>").unwrap(), x.find("<Row>").unwrap() + 2] {
            let e = read(&x.as_bytes()[..cut]).unwrap_err();
            assert!(e.line >= 9 && e.incomplete, "{cut}: {e}");
            assert!(e.to_string().starts_with("文件不完整（在第"), "{e}");
        }
        assert!(read(b"<html></html>").is_err());
        assert!(read(b"").is_err());
        // Excel's last row and column are read; beyond them the file is not Excel's.
        let last = book(
            r#"<Worksheet><Table><Row ss:Index="1048576" ss:Span="9"><Cell ss:Index="16383" ss:MergeAcross="5"><Data ss:Type="Number">1</Data></Cell></Row><Row/></Table></Worksheet>"#,
        );
        let s = read(last.as_bytes()).unwrap();
        assert_eq!(s[0].rows.len(), 1);
        assert_eq!(s[0].rows[0].number(), 1_048_576);
        assert_eq!(s[0].rows[0].cells, vec![(16_382, Value::Number(1.0))]);
        let far = last.replace("<Row/>", "<Row><Cell/></Row>");
        assert!(read(far.as_bytes()).unwrap_err().what.contains("行号 1048586"));
        let wide = last.replace("</Data></Cell>", "</Data></Cell><Cell/>");
        assert!(read(wide.as_bytes()).unwrap_err().what.contains("列号 16389"));
        let far = last.replace("1048576", "4294967295");
        assert!(read(far.as_bytes()).is_err());
    }

    #[test]
    fn read_by_content_whatever_the_name() {
        use crate::ingest::workbook::{self, Kind, CUT_MARK, MAX_CELL_CHARS};
        use std::path::Path;
        let long = "长".repeat(MAX_CELL_CHARS + 10);
        let x = book(&format!(
            r#"<Worksheet ss:Name="台账"><Table><Row><Cell><Data ss:Type="String">{long}</Data></Cell></Row></Table></Worksheet>"#
        ));
        assert_eq!(workbook::sniff(x.as_bytes()), Kind::SpreadsheetMl);
        for name in ["台账.xls", "台账.xml", "台账"] {
            let s = workbook::read(Path::new(name), x.as_bytes()).unwrap();
            // Text is capped as from every reader.
            let Value::Text(t) = s[0].rows[0].get(0) else { panic!() };
            assert!(t.ends_with(CUT_MARK) && t.chars().count() == MAX_CELL_CHARS);
            assert_eq!(s[0].notes.len(), 1);
        }
        let e = workbook::read(Path::new("台账.xls"), &x.as_bytes()[..x.len() / 2]).unwrap_err();
        let m = e.to_string();
        assert!(
            m.starts_with("文件不完整（在第 9 行中断") && m.contains("无法作为 Excel 2003 XML 表格"),
            "{m}"
        );
        assert!(!m.contains("HTML"), "{m}");
        // Other XML is no table and no web page.
        let other = b"<?xml version=\"1.0\"?>\n<config><a>1,2</a></config>";
        assert_eq!(workbook::sniff(other), Kind::OtherXml);
        let m = workbook::read(Path::new("配置.xml"), other).unwrap_err().to_string();
        assert!(m.starts_with("不是电子表格文件（扩展名为 .xml"), "{m}");
        let xhtml =
            b"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><table/></body></html>";
        assert_eq!(workbook::sniff(xhtml), Kind::Html);
    }
}

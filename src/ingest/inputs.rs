//! Which files are ledgers: hrgk's own workbooks recognised by their content mark
//! (whatever their name), identical copies read once.

use std::io::{Cursor, Read};

use super::workbook::Sheet;

/// Name of the custom document property every workbook hrgk writes carries. It survives
/// renaming and re-saving in Excel/WPS.
pub const MARK_PROPERTY: &str = "hrgk-生成";
/// Its value for results (score, report, freq, check workbooks).
pub const MARK_RESULT: &str = "result";
/// Its value for the blank template (`hrgk template`): filled in, it is a ledger.
pub const MARK_TEMPLATE: &str = "template";
/// First cell of the 说明 sheet rows that sign a score workbook: 工具版本 | hrgk x.y.z.
pub const ABOUT_SHEET: &str = "说明";
pub const ABOUT_SIGNATURE: &str = "工具版本";

/// What an hrgk workbook is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Result,
    Template,
}

/// The mark in an xlsx file's custom properties (docProps/custom.xml), if any.
pub fn mark_of(bytes: &[u8]) -> Option<Mark> {
    if !bytes.starts_with(b"PK") {
        return None;
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let member = zip.by_name("docProps/custom.xml").ok()?;
    let mut xml = String::new();
    // A real custom.xml is a few hundred bytes; never inflate more than 1 MB of it.
    member.take(1 << 20).read_to_string(&mut xml).ok()?;
    let at = xml.find(&format!("name=\"{MARK_PROPERTY}\""))?;
    let rest = &xml[at..];
    let end = rest.find("</property>").unwrap_or(rest.len());
    let prop = &rest[..end];
    if prop.contains(&format!(">{MARK_RESULT}<")) {
        Some(Mark::Result)
    } else if prop.contains(&format!(">{MARK_TEMPLATE}<")) {
        Some(Mark::Template)
    } else {
        None
    }
}

/// A 说明 sheet signed by hrgk (a row 工具版本 | hrgk …): the score workbook, also
/// after it was re-saved in a format that drops custom properties.
pub fn signed(sheets: &[Sheet]) -> bool {
    sheets.iter().filter(|s| s.name == ABOUT_SHEET).any(|s| {
        s.rows.iter().take(5).any(|r| {
            let cells: Vec<String> = r.cells.iter().map(|(_, v)| v.display()).collect();
            cells.first().is_some_and(|c| c == ABOUT_SIGNATURE) && cells.get(1).is_some_and(|c| c.starts_with("hrgk "))
        })
    })
}

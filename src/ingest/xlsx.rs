//! The fast path for .xlsx: sheet XML scanned row by row from the zip stream, shared
//! strings kept once (cells point at them), number formats read for date detection as
//! calamine does. It reads what Excel, WPS, LibreOffice and the usual libraries write;
//! anything else (a formula saved without its result, an error cell, a namespace prefix,
//! a part it does not know) returns None and the file is read by calamine instead, so
//! every file reads exactly as before, only the common ones faster.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::sync::Arc;

use calamine::{DataRef, ExcelDateTime, ExcelDateTimeType};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::workbook::{from_ref, iso, Rest, Row, RowsBuilder, Shared, Sheet, Strings, Value};

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;
type Xml<R> = quick_xml::Reader<R>;

/// How a number format shows a number (calamine's CellFormat).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Other,
    DateTime,
    TimeDelta,
}

/// Reads every sheet, or None when the file holds anything this reader does not handle
/// exactly as calamine would (the caller then reads it with calamine). With `stream`
/// (a number of rows), a sheet whose XML inflates to more than `STREAM_FROM` bytes is
/// read only that far: the rest is left in `Sheet::rest`, to be streamed into records
/// by `stream_rest` (so its cells are never all held at once).
pub(super) fn read(bytes: &[u8], stream: Option<(usize, &Origin)>) -> Option<Vec<Sheet>> {
    let mut zip: Zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    // The file's parts, listed once for the sheets left to stream from disk.
    let mut parts: Option<Arc<Members>> = None;
    // Parts are found by name as calamine does: ignoring case.
    let names: HashMap<String, String> = zip
        .file_names()
        .map(|n| n.map(|n| (n.to_ascii_lowercase(), n.to_string())))
        .collect::<Result<_, _>>()
        .ok()?;
    if names.len() != zip.len() {
        return None;
    }
    // The workbook must be where calamine looks first.
    let rels = text_of(&mut zip, names.get("_rels/.rels")?)?;
    let office = relationships(&rels)?
        .into_iter()
        .find(|(_, t, _)| t.ends_with("/officeDocument"))
        .map(|(_, _, target)| target)?;
    if office.trim_start_matches('/') != "xl/workbook.xml" {
        return None;
    }
    let workbook = text_of(&mut zip, names.get("xl/workbook.xml")?)?;
    let (sheets, is_1904) = workbook_sheets(&workbook)?;
    let wb_rels = relationships(&text_of(&mut zip, names.get("xl/_rels/workbook.xml.rels")?)?)?;
    let formats = match names.get("xl/styles.xml") {
        Some(n) => styles(&text_of(&mut zip, n)?)?,
        None => Vec::new(),
    };
    let strings = match names.get("xl/sharedstrings.xml") {
        Some(n) => shared_strings(BufReader::new(zip.by_name(n).ok()?))?,
        None => Strings::default(),
    };
    let strings = Arc::new(strings);
    let formats = Arc::new(formats);
    let mut out = Vec::with_capacity(sheets.len());
    for (name, rid, hidden) in sheets {
        let (_, typ, target) = wb_rels.iter().find(|(id, _, _)| *id == rid)?;
        if !typ.ends_with("/worksheet") || target.contains("..") {
            return None;
        }
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_ascii_lowercase(),
            None => format!("xl/{}", target.to_ascii_lowercase()),
        };
        let member = names.get(&path)?;
        let ctx = Ctx {
            strings: &strings,
            formats: &formats,
            is_1904,
        };
        let size = zip.by_name(member).ok()?.size();
        let mut rows = RowsBuilder::default();
        let mut rest = None;
        match stream {
            Some((prefix, origin)) if size > STREAM_FROM => {
                let whole = sheet_rows(zip.by_name(member).ok()?, &ctx, &mut rows, &mut |b| {
                    if b.len() >= prefix {
                        Flow::Stop
                    } else {
                        Flow::Go
                    }
                })?;
                if rows.out_of_order() {
                    // Rows out of order: the sheet is read whole and sorted.
                    rows = RowsBuilder::default();
                    sheet_rows(zip.by_name(member).ok()?, &ctx, &mut rows, &mut |_| Flow::Go)?;
                } else if !whole {
                    if parts.is_none() {
                        parts = Some(Arc::new(match origin {
                            Origin::File(_) => members(&mut zip)?,
                            Origin::Bytes(_) => Vec::new(),
                        }));
                    }
                    rest = Some(Arc::new(Tail {
                        origin: origin.clone(),
                        members: parts.clone().unwrap_or_default(),
                        member: member.clone(),
                        sheet: name.clone(),
                        strings: strings.clone(),
                        formats: formats.clone(),
                        is_1904,
                        after: rows.last_index().unwrap_or(0),
                    }));
                }
            }
            _ => {
                sheet_rows(zip.by_name(member).ok()?, &ctx, &mut rows, &mut |_| Flow::Go)?;
            }
        }
        out.push(Sheet {
            name,
            rows: rows.finish(),
            hidden,
            rest: rest.map(Rest),
            ..Default::default()
        });
    }
    Some(out)
}

/// A sheet whose XML inflates to more than this is streamed (when the caller asks):
/// about 15 000 rows of a ledger (1 KB in unit tests, so small sheets exercise it).
const STREAM_FROM: u64 = if cfg!(test) { 1 << 10 } else { 4 << 20 };
/// Rows handed on at a time while streaming.
const BATCH: usize = 4096;

/// The rows of a large sheet not read yet, and what reading them needs.
#[derive(Debug)]
pub(super) struct Tail {
    origin: Origin,
    /// The file's parts as first read (see `Members`; empty for `Origin::Bytes`).
    members: Arc<Members>,
    member: String,
    /// The sheet's name (calamine reads it by name if this reader declines).
    sheet: String,
    strings: Arc<Strings>,
    formats: Arc<Vec<Format>>,
    is_1904: bool,
    /// The last row read already: the rest are the rows after it.
    after: u32,
}

/// Where the rest of a large sheet is read from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The bytes the file was read into, held until the rest is streamed.
    Bytes(Arc<Vec<u8>>),
    /// The file on disk: opened again when the rest is streamed, so its bytes are not
    /// held meanwhile (40 MB for a sheet of a million rows). It must still be the file
    /// whose head was read: see `Members`.
    File(std::path::PathBuf),
}

/// Every part of a workbook with its checksum (CRC-32 of its content) and sizes, from
/// the zip directory. A file opened again is read only if its parts are the same: a file
/// saved again meanwhile (other content) is refused rather than read half old, half new,
/// while one only touched (copied, synchronised: a new time of change) is read.
type Members = Vec<(Vec<u8>, u32, u64, u64)>;

fn members<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Option<Members> {
    (0..zip.len())
        .map(|i| {
            let f = zip.by_index_raw(i).ok()?;
            Some((f.name_raw().to_vec(), f.crc32(), f.compressed_size(), f.size()))
        })
        .collect()
}

impl Origin {
    /// The file as it was read (checked against `was`), or why it cannot be had.
    fn bytes(&self, was: &Members) -> Result<Arc<Vec<u8>>, String> {
        match self {
            Origin::Bytes(b) => Ok(b.clone()),
            Origin::File(path) => {
                let b = std::fs::read(path).map_err(|e| reopen_failed(&e))?;
                let now = zip::ZipArchive::new(Cursor::new(&b[..]))
                    .ok()
                    .and_then(|mut z| members(&mut z));
                if now.as_ref() != Some(was) {
                    return Err(CHANGED.into());
                }
                Ok(Arc::new(b))
            }
        }
    }
}

/// Why a file changed while being read is refused (Chinese).
const CHANGED: &str = "文件在读取过程中被修改（可能正在保存或同步）：请等文件保存完毕、不再变动后重新运行";

/// Why a file could not be opened again to read its rest (Chinese, the system's words
/// last, as for a file that cannot be opened at all).
fn reopen_failed(e: &std::io::Error) -> String {
    use super::problems::{detail, io_reason};
    format!("无法再次打开文件：{}{}", io_reason(e.kind()), detail(&e.to_string()))
}

/// Streams the rows after `t.after` to `emit` in batches of ascending rows, on the
/// calling thread. Where this reader declines part-way (a cell it does not read exactly
/// as calamine would, rows out of order), calamine reads the file and the rows not handed
/// on yet follow. `emit` returns false to stop.
pub(super) fn stream_rest(t: &Tail, emit: &mut dyn FnMut(Vec<Row>) -> bool) -> Result<(), String> {
    // Rows handed on (ascending), so a fallback hands on exactly the others.
    let mut sent: Vec<u32> = Vec::new();
    let mut stopped = false;
    let fast = match &t.origin {
        Origin::Bytes(b) => match zip::ZipArchive::new(Cursor::new(&b[..])) {
            Ok(mut zip) => scan_rest(&mut zip, t, &mut sent, &mut stopped, emit)?,
            Err(_) => None,
        },
        Origin::File(path) => {
            let f = std::fs::File::open(path).map_err(|e| reopen_failed(&e))?;
            let mut zip = zip::ZipArchive::new(BufReader::new(f)).map_err(|_| CHANGED.to_string())?;
            if members(&mut zip).as_ref() != Some(&*t.members) {
                return Err(CHANGED.into());
            }
            scan_rest(&mut zip, t, &mut sent, &mut stopped, emit)?
        }
    };
    if fast.is_some() || stopped {
        return Ok(());
    }
    let bytes = t.origin.bytes(&t.members)?;
    let sheets = super::workbook::read_xlsx_calamine(&bytes)?;
    drop(bytes);
    let sheet = sheets
        .into_iter()
        .find(|s| s.name == t.sheet)
        .ok_or_else(|| format!("找不到工作表“{}”", t.sheet))?;
    let last = sent.last().copied().unwrap_or(t.after);
    let mut rest = sheet
        .rows
        .into_iter()
        .filter(|r| r.index > last || (r.index > t.after && sent.binary_search(&r.index).is_err()));
    loop {
        let batch: Vec<Row> = rest.by_ref().take(BATCH).collect();
        if batch.is_empty() || !emit(batch) {
            return Ok(());
        }
    }
}

/// The fast reader's part of `stream_rest`: Ok(None) when it declines (calamine then
/// reads the rest), an error when the sheet read from disk fails its checksum.
fn scan_rest<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    t: &Tail,
    sent: &mut Vec<u32>,
    stopped: &mut bool,
    emit: &mut dyn FnMut(Vec<Row>) -> bool,
) -> Result<Option<()>, String> {
    let ctx = Ctx {
        strings: &t.strings,
        formats: &t.formats,
        is_1904: t.is_1904,
    };
    let Ok(mut member) = zip.by_name(&t.member) else {
        return Ok(None);
    };
    let mut rows = RowsBuilder::default();
    let mut send = |rows: &mut RowsBuilder, sent: &mut Vec<u32>| -> Flow {
        if rows.out_of_order() {
            return Flow::Decline;
        }
        let mut batch = rows.take();
        batch.retain(|r| r.index > t.after);
        let Some(first) = batch.first() else {
            return Flow::Go;
        };
        if sent.last().is_some_and(|l| *l >= first.index) {
            return Flow::Decline;
        }
        sent.extend(batch.iter().map(|r| r.index));
        if emit(batch) {
            Flow::Go
        } else {
            *stopped = true;
            Flow::Stop
        }
    };
    let Some(whole) = sheet_rows(&mut member, &ctx, &mut rows, &mut |b| {
        if b.len() >= BATCH {
            send(b, sent)
        } else {
            Flow::Go
        }
    }) else {
        return Ok(None);
    };
    if whole && matches!(send(&mut rows, sent), Flow::Decline) {
        return Ok(None);
    }
    if whole && matches!(t.origin, Origin::File { .. }) {
        // Read to its end, the sheet's checksum is verified: a sheet changed on disk
        // since its head was read is refused.
        if std::io::copy(&mut member, &mut std::io::sink()).is_err() {
            return Err(CHANGED.into());
        }
    }
    Ok(Some(()))
}

/// What the row scan does after each row.
enum Flow {
    Go,
    Stop,
    /// The rows cannot be handed on as read: the caller falls back to calamine.
    Decline,
}

fn text_of(zip: &mut Zip, name: &str) -> Option<String> {
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).ok()?;
    Some(s)
}

/// The reader settings calamine uses.
fn xml<R: BufRead>(r: R) -> Xml<R> {
    let mut x = quick_xml::Reader::from_reader(r);
    let c = x.config_mut();
    c.check_end_names = false;
    c.trim_text(false);
    c.check_comments = false;
    c.expand_empty_elements = true;
    x
}

/// An attribute by its full name, entities resolved as calamine does (`r:id` is found
/// by `attr_local`).
fn attr(e: &BytesStart, name: &str) -> Option<Option<String>> {
    for a in e.attributes() {
        let a = a.ok()?;
        if a.key.as_ref() == name {
            return Some(Some(quick_xml::escape::unescape(&a.value).ok()?.into_owned()));
        }
    }
    Some(None)
}

/// An attribute by its local name (`r:id` as `id`).
fn attr_local(e: &BytesStart, name: &str) -> Option<Option<String>> {
    for a in e.attributes() {
        let a = a.ok()?;
        if a.key.local_name().as_ref() == name {
            return Some(Some(quick_xml::escape::unescape(&a.value).ok()?.into_owned()));
        }
    }
    Some(None)
}

/// (Id, Type, Target) of every relationship.
fn relationships(text: &str) -> Option<Vec<(String, String, String)>> {
    let mut x = xml(text.as_bytes());
    let mut out = Vec::new();
    loop {
        match x.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let id = attr(&e, "Id")??;
                let typ = attr(&e, "Type")?.unwrap_or_default();
                let target = attr(&e, "Target")?.unwrap_or_default();
                out.push((id, typ, target));
            }
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// A sheet of the workbook: name, relationship id, hidden.
type SheetEntry = (String, String, bool);

/// Sheets in workbook order, and the 1904 date system.
fn workbook_sheets(text: &str) -> Option<(Vec<SheetEntry>, bool)> {
    let mut x = xml(text.as_bytes());
    let mut out = Vec::new();
    let mut is_1904 = false;
    loop {
        match x.read_event().ok()? {
            Event::Start(e) if e.name().as_ref() == "sheet" => {
                let name = attr(&e, "name")??;
                let rid = attr_local(&e, "id")??;
                let hidden = match attr(&e, "state")?.as_deref() {
                    None | Some("visible") => false,
                    Some("hidden") | Some("veryHidden") => true,
                    Some(_) => return None,
                };
                out.push((name, rid, hidden));
            }
            Event::Start(e) if e.local_name().as_ref() == "sheet" => return None,
            Event::Start(e) if e.local_name().as_ref() == "workbookPr" => {
                if let Some(v) = attr(&e, "date1904")? {
                    is_1904 = v == "1" || v == "true";
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if out.is_empty() {
        return None;
    }
    Some((out, is_1904))
}

/// The number format of every cell style (cellXfs), as calamine reads it.
fn styles(text: &str) -> Option<Vec<Format>> {
    let mut x = xml(text.as_bytes());
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    let mut in_fmts = false;
    loop {
        match x.read_event().ok()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "numFmts" => in_fmts = true,
                "numFmt" if in_fmts => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId")?, attr(&e, "formatCode")?) {
                        custom.insert(id, code);
                    }
                }
                "cellXfs" => in_xfs = true,
                "xf" if in_xfs => {
                    out.push(match attr(&e, "numFmtId")? {
                        None => Format::Other,
                        Some(id) => match custom.get(&id) {
                            Some(code) => custom_format(code),
                            None => builtin_format(&id),
                        },
                    });
                    // Skip the xf's children (alignment, protection).
                    x.read_to_end(e.name()).ok()?;
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "numFmts" => in_fmts = false,
                "cellXfs" => in_xfs = false,
                _ => {}
            },
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// calamine's `builtin_format_by_id`.
fn builtin_format(id: &str) -> Format {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" => Format::DateTime,
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51" | "52" | "53" | "54"
        | "55" | "56" | "57" | "58" => Format::DateTime,
        "46" => Format::TimeDelta,
        _ => Format::Other,
    }
}

/// calamine's `detect_custom_number_format` (MIT, calamine authors): whether a custom
/// format shows a date, a duration or a number.
fn custom_format(format: &str) -> Format {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return Format::Other,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return Format::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Format::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => return Format::DateTime,
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    Format::Other
}

/// The shared string table.
fn shared_strings<R: BufRead>(r: R) -> Option<Strings> {
    let mut x = xml(r);
    let mut out = Strings::default();
    let mut buf = Vec::with_capacity(1024);
    let mut inner = Vec::with_capacity(1024);
    loop {
        buf.clear();
        match x.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                if let Some(n) = attr(&e, "uniqueCount")?.and_then(|n| n.parse::<usize>().ok()) {
                    out.reserve(n.min(1 << 24));
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                let name = e.name().as_ref().to_string();
                let s = rich_string(&mut x, QName(&name), &mut inner)?;
                out.push(&s)?;
            }
            Event::Eof => {
                out.shrink_to_fit();
                return Some(out);
            }
            _ => {}
        }
    }
}

/// calamine's `read_string_with_bufs` (MIT, calamine authors): the text of an <si> or
/// <is>, its runs joined, phonetic runs left out, ASCII spaces trimmed unless
/// xml:space="preserve", Excel's _xHHHH_ escapes undone.
fn rich_string<R: BufRead>(x: &mut Xml<R>, closing: QName, buf: &mut Vec<u8>) -> Option<String> {
    let mut rich: Option<String> = None;
    let mut phonetic = false;
    loop {
        buf.clear();
        match x.read_event_into(buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "r" && rich.is_none() => rich = Some(String::new()),
            Event::Start(e) if e.local_name().as_ref() == "rPh" => phonetic = true,
            Event::End(e) if e.name() == closing => return Some(rich.unwrap_or_default()),
            Event::End(e) if e.local_name().as_ref() == "rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == "t" && !phonetic => {
                let preserve = attr(&e, "xml:space")?.as_deref() == Some("preserve");
                let end = e.name().as_ref().to_string();
                let mut value = String::new();
                let mut tb = Vec::new();
                loop {
                    tb.clear();
                    match x.read_event_into(&mut tb).ok()? {
                        Event::Text(t) => value.push_str(&t.xml10_content()),
                        Event::CData(t) => value.push_str(&t.xml10_content()),
                        Event::GeneralRef(r) => entity(&r, &mut value)?,
                        Event::End(e) if e.name().as_ref() == end => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                }
                let value = if preserve {
                    unescape_excel(&value)
                } else {
                    unescape_excel(value.trim_matches([' ', '\t', '\r', '\n']))
                };
                match &mut rich {
                    Some(s) => s.push_str(&value),
                    None => rich = Some(value),
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// An entity reference in text: the five XML entities and character references.
fn entity(r: &quick_xml::events::BytesRef, out: &mut String) -> Option<()> {
    let s = match &**r {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => {
            out.push(r.resolve_char_ref().ok()??);
            return Some(());
        }
    };
    out.push_str(s);
    Some(())
}

/// Excel's _xHHHH_ escapes (UTF-16 units, surrogate pairs as two escapes), as calamine
/// undoes them.
fn unescape_excel(s: &str) -> String {
    fn unit(s: &str, i: usize) -> Option<u16> {
        let b = s.as_bytes().get(i..i + 7)?;
        if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    }
    if !s.contains("_x") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut copied = 0;
    while let Some(off) = s[i..].find('_') {
        let at = i + off;
        let Some(u) = unit(s, at) else {
            i = at + 1;
            continue;
        };
        out.push_str(&s[copied..at]);
        let mut next = at + 7;
        match u {
            0xD800..=0xDBFF => match unit(s, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let cp = 0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER));
                    next += 7;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = next;
        i = next;
    }
    out.push_str(&s[copied..]);
    out
}

struct Ctx<'a> {
    strings: &'a Arc<Strings>,
    formats: &'a [Format],
    is_1904: bool,
}

/// Finds `needle` in `hay` from `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let h = hay.get(from..)?;
    let p = if needle.len() == 1 {
        memchr::memchr(needle[0], h)
    } else {
        memchr::memmem::find(h, needle)
    };
    p.map(|p| p + from)
}

/// The rows of a sheet, read from its XML in chunks into `rows`: each complete <row>
/// element is scanned as soon as it is in the buffer, so memory is one chunk, not the
/// sheet. `after_row` runs after each row element: Stop ends the scan there (the result
/// is then false: not the whole sheet), Decline gives None. None also when the sheet
/// holds anything this reader does not read exactly as calamine would.
fn sheet_rows<R: Read>(
    mut r: R,
    ctx: &Ctx,
    rows: &mut RowsBuilder,
    after_row: &mut dyn FnMut(&mut RowsBuilder) -> Flow,
) -> Option<bool> {
    const CHUNK: usize = 1 << 18;
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    let mut pos = 0;
    let mut eof = false;
    let mut fill = |buf: &mut Vec<u8>, pos: &mut usize, eof: &mut bool| -> Option<()> {
        buf.drain(..*pos);
        *pos = 0;
        let n = buf.len();
        buf.resize(n + CHUNK, 0);
        let got = r.read(&mut buf[n..]).ok()?;
        buf.truncate(n + got);
        if got == 0 {
            *eof = true;
        }
        Some(())
    };
    fill(&mut buf, &mut pos, &mut eof)?;
    // Up to <sheetData> (unprefixed: a sheet written with a namespace prefix goes to calamine).
    let data_at = loop {
        if let Some(i) = find(&buf, b"<sheetData", 0) {
            break i;
        }
        if eof {
            return None;
        }
        let keep = buf.len().saturating_sub(16);
        pos = keep;
        fill(&mut buf, &mut pos, &mut eof)?;
    };
    pos = data_at;
    // The end of the <sheetData …> tag.
    loop {
        if let Some(i) = find(&buf, b">", pos) {
            if buf[i - 1] == b'/' {
                return Some(true);
            }
            pos = i + 1;
            break;
        }
        if eof {
            return None;
        }
        fill(&mut buf, &mut pos, &mut eof)?;
    }
    let mut row_index: u32 = 0;
    loop {
        while pos < buf.len() && buf[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if buf.len() - pos < 16 && !eof {
            fill(&mut buf, &mut pos, &mut eof)?;
            continue;
        }
        let rest = &buf[pos..];
        if rest.starts_with(b"</sheetData") {
            return Some(true);
        }
        if !(rest.starts_with(b"<row ") || rest.starts_with(b"<row>") || rest.starts_with(b"<row/")) {
            return None;
        }
        // A whole row: <row …/> or <row …> … </row>.
        let tag_end = match find(&buf, b">", pos) {
            Some(i) => i,
            None if eof => return None,
            None => {
                fill(&mut buf, &mut pos, &mut eof)?;
                continue;
            }
        };
        let empty = buf[tag_end - 1] == b'/';
        let end = if empty {
            tag_end + 1
        } else {
            match find(&buf, b"</row>", tag_end) {
                Some(i) => i + 6,
                None if eof => return None,
                None => {
                    fill(&mut buf, &mut pos, &mut eof)?;
                    continue;
                }
            }
        };
        let tag = &buf[pos + 4..if empty { tag_end - 1 } else { tag_end }];
        if let Some(r) = attr_in(tag, b"r")? {
            row_index = parse_u32(r)?.checked_sub(1)?;
        }
        if !empty {
            row(&buf[tag_end + 1..end - 6], row_index, ctx, rows)?;
        }
        row_index = row_index.checked_add(1)?;
        pos = end;
        match after_row(rows) {
            Flow::Go => {}
            Flow::Stop => return Some(false),
            Flow::Decline => return None,
        }
    }
}

fn parse_u32(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// An attribute's value inside a start tag's bytes (after the element name). None when
/// the tag is not plain (an entity, an unquoted value): the whole file goes to calamine.
fn attr_in<'a>(tag: &'a [u8], name: &[u8]) -> Option<Option<&'a [u8]>> {
    let mut i = 0;
    let n = tag.len();
    loop {
        while i < n && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n {
            return Some(None);
        }
        let k0 = i;
        while i < n && tag[i] != b'=' && !tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &tag[k0..i];
        while i < n && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n || tag[i] != b'=' {
            return None;
        }
        i += 1;
        while i < n && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let q = *tag.get(i)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let v0 = i + 1;
        let v1 = v0 + tag.get(v0..)?.iter().position(|b| *b == q)?;
        i = v1 + 1;
        if key == name {
            let v = &tag[v0..v1];
            if v.contains(&b'&') {
                return None;
            }
            return Some(Some(v));
        }
    }
}

/// A1-style reference → 0-based (row, column).
fn cell_ref(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for b in &r[..letters] {
        col = col * 26 + u32::from(b - b'A' + 1);
    }
    let row = parse_u32(&r[letters..])?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The cells of one row (the bytes between <row …> and </row>).
fn row(b: &[u8], row_index: u32, ctx: &Ctx, rows: &mut RowsBuilder) -> Option<()> {
    let mut i = 0;
    let mut col_index: u32 = 0;
    let n = b.len();
    loop {
        while i < n && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n {
            return Some(());
        }
        let rest = &b[i..];
        if !(rest.starts_with(b"<c ") || rest.starts_with(b"<c>") || rest.starts_with(b"<c/")) {
            return None;
        }
        let tag_end = find(b, b">", i)?;
        let empty = b[tag_end - 1] == b'/';
        let tag = &b[i + 2..if empty { tag_end - 1 } else { tag_end }];
        let pos = match attr_in(tag, b"r")? {
            Some(r) => {
                let (r, c) = cell_ref(r)?;
                col_index = c;
                (r, c)
            }
            None => (row_index, col_index),
        };
        col_index = col_index.checked_add(1)?;
        if empty {
            i = tag_end + 1;
            continue;
        }
        let end = find(b, b"</c>", tag_end)?;
        let style = attr_in(tag, b"s")?;
        let typ = attr_in(tag, b"t")?;
        let v = cell_value(&b[tag_end + 1..end], style, typ, ctx)?;
        rows.push(pos.0, pos.1, v);
        i = end + 4;
    }
}

/// A cell's value from its children (<v>, <f>, <is>), as calamine reads it.
fn cell_value(inner: &[u8], style: Option<&[u8]>, typ: Option<&[u8]>, ctx: &Ctx) -> Option<Value> {
    let mut i = 0;
    let n = inner.len();
    let mut value: Option<Value> = None;
    let mut formula = false;
    let inline = matches!(typ, Some(b"inlineStr") | Some(b"is"));
    loop {
        while i < n && inner[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n {
            break;
        }
        let rest = &inner[i..];
        if rest.starts_with(b"<v>") {
            let end = find(inner, b"</v>", i)?;
            if !inline {
                value = Some(v_value(&inner[i + 3..end], style, typ, ctx)?);
            }
            i = end + 4;
        } else if rest.starts_with(b"<v/>") {
            i += 4;
        } else if rest.starts_with(b"<f") && matches!(rest.get(2), Some(b' ' | b'>' | b'/')) {
            formula = true;
            let tag_end = find(inner, b">", i)?;
            if inner[tag_end - 1] == b'/' {
                i = tag_end + 1;
            } else {
                i = find(inner, b"</f>", tag_end)? + 4;
            }
        } else if rest.starts_with(b"<is>") {
            let end = find(inner, b"</is>", i)? + 5;
            let text = std::str::from_utf8(&inner[i..end]).ok()?;
            let mut x = xml(text.as_bytes());
            let mut buf = Vec::new();
            match x.read_event_into(&mut buf).ok()? {
                Event::Start(e) if e.name().as_ref() == "is" => {}
                _ => return None,
            }
            let s = rich_string(&mut x, QName("is"), &mut buf)?;
            value = Some(Value::Text(s.into()));
            i = end;
        } else {
            return None;
        }
    }
    match value {
        // A formula saved without its result: calamine names its formula text.
        None | Some(Value::Empty) if formula => None,
        None => Some(Value::Empty),
        Some(v) => Some(v),
    }
}

/// The text of a <v>, typed by the cell's t attribute and number format.
fn v_value(raw: &[u8], style: Option<&[u8]>, typ: Option<&[u8]>, ctx: &Ctx) -> Option<Value> {
    if raw.contains(&b'<') {
        return None;
    }
    let plain = || -> Option<&str> {
        if raw.contains(&b'&') {
            return None;
        }
        std::str::from_utf8(raw).ok()
    };
    match typ {
        Some(b"s") => {
            if raw.is_empty() {
                return Some(Value::Empty);
            }
            let index = parse_u32(raw)?;
            if index as usize >= ctx.strings.len() {
                return None;
            }
            Some(Value::Shared(Shared {
                strings: ctx.strings.clone(),
                index,
            }))
        }
        Some(b"n") | None => {
            let v = plain()?;
            if v.is_empty() {
                return Some(Value::Empty);
            }
            if !v
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
            {
                return None;
            }
            let f: f64 = v.parse().ok()?;
            let format = match style {
                Some(s) => {
                    let id = std::str::from_utf8(s).ok()?.parse::<usize>().ok()?;
                    ctx.formats.get(id).copied()
                }
                None => Some(Format::Other),
            };
            let d = match format {
                Some(Format::DateTime) => {
                    DataRef::DateTime(ExcelDateTime::new(f, ExcelDateTimeType::DateTime, ctx.is_1904))
                }
                Some(Format::TimeDelta) => {
                    DataRef::DateTime(ExcelDateTime::new(f, ExcelDateTimeType::TimeDelta, ctx.is_1904))
                }
                _ => DataRef::Float(f),
            };
            Some(from_ref(d, &mut Default::default()))
        }
        Some(b"b") => match plain()?.trim() {
            "" => Some(Value::Empty),
            "0" => Some(Value::Bool(false)),
            "1" => Some(Value::Bool(true)),
            v if v.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
            v if v.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
            _ => None,
        },
        Some(b"d") => Some(iso(plain()?)),
        Some(b"str") => {
            // Entities, XML line ends, then Excel's escapes, as calamine reads it.
            let text = std::str::from_utf8(raw).ok()?;
            let mut x = xml(text.as_bytes());
            let mut s = String::new();
            loop {
                match x.read_event().ok()? {
                    Event::Text(t) => s.push_str(&t.xml10_content()),
                    Event::GeneralRef(r) => entity(&r, &mut s)?,
                    Event::Eof => break,
                    _ => return None,
                }
            }
            Some(Value::Text(unescape_excel(&s).into()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::workbook::read_xlsx_calamine;
    use rust_xlsxwriter::{Format as XFormat, Formula, Workbook};

    /// The fast reader gives exactly what calamine gives, or declines.
    fn same_as_calamine(bytes: &[u8], what: &str) -> bool {
        let slow = read_xlsx_calamine(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        let Some(fast) = read(bytes, None) else { return false };
        assert_eq!(fast.len(), slow.len(), "{what}");
        for (f, s) in fast.iter().zip(&slow) {
            assert_eq!((&f.name, f.hidden), (&s.name, s.hidden), "{what}");
            assert_eq!(f.rows.len(), s.rows.len(), "{what} {}", f.name);
            for (a, b) in f.rows.iter().zip(&s.rows) {
                assert_eq!((a.index, &a.cells), (b.index, &b.cells), "{what} {}", f.name);
            }
        }
        true
    }

    #[test]
    fn samples_read_as_calamine_reads_them() {
        let mut n = 0;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
        let mut files = vec![std::path::PathBuf::from(dir).join("单位名单.xlsx")];
        for e in std::fs::read_dir(format!("{dir}/2021")).unwrap() {
            files.push(e.unwrap().path());
        }
        for p in files.iter().filter(|p| p.extension().is_some_and(|e| e == "xlsx")) {
            let bytes = std::fs::read(p).unwrap();
            n += usize::from(same_as_calamine(&bytes, &p.display().to_string()));
        }
        assert!(n >= 10, "the fast reader took only {n} samples");
    }

    #[test]
    fn every_cell_kind_reads_as_calamine_reads_it() {
        for mode in 0..3 {
            let mut wb = Workbook::new();
            let ymd = XFormat::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
            let slash = XFormat::new().set_num_format("yyyy/m/d");
            let dur = XFormat::new().set_num_format("[h]:mm:ss");
            let num = XFormat::new().set_num_format("0.00");
            // Shared strings (standard and low-memory modes), inline strings (constant memory).
            let ws = match mode {
                0 => wb.add_worksheet(),
                1 => wb.add_worksheet_with_low_memory().unwrap(),
                _ => wb.add_worksheet_with_constant_memory().unwrap(),
            };
            ws.set_name("台账").unwrap();
            ws.write_string(0, 0, "  前后有空格  ").unwrap();
            ws.write_string(0, 1, "换行\r\n文字&<>\"'").unwrap();
            ws.write_string(0, 2, "_x000D_ 字面").unwrap();
            ws.write_string(0, 3, "\u{1F4F7} 相机").unwrap();
            ws.write_number_with_format(1, 0, 44197.0, &ymd).unwrap();
            ws.write_number_with_format(1, 1, 44198.5, &slash).unwrap();
            ws.write_number_with_format(1, 2, 1.25, &dur).unwrap();
            ws.write_number_with_format(1, 3, 3.5, &num).unwrap();
            ws.write_number(1, 4, -12.0).unwrap();
            ws.write_boolean(2, 0, true).unwrap();
            ws.write_formula(2, 1, Formula::new("=B2+1").set_result("44199.5"))
                .unwrap();
            ws.write_formula(2, 2, Formula::new("=\"a\"&\"b\"").set_result("ab"))
                .unwrap();
            ws.write_string(3, 0, "").unwrap();
            ws.write_string(3, 1, " ").unwrap();
            ws.write_string(2000, 150, "远处").unwrap();
            let bold = XFormat::new().set_bold();
            let rich = [(&bold, "加粗"), (&XFormat::default(), "普通")];
            ws.write_rich_string(4, 0, &rich).unwrap();
            let hidden = wb.add_worksheet();
            hidden.set_name("隐藏").unwrap();
            hidden.write_string(0, 0, "x").unwrap();
            hidden.set_hidden(true);
            let bytes = wb.save_to_buffer().unwrap();
            assert!(
                same_as_calamine(&bytes, &format!("mode {mode}")),
                "declined (mode {mode})"
            );
        }
    }

    /// A ledger-like sheet of `n` rows; `spoil` writes one cell at row 250 that the fast
    /// reader declines (0: none, 1: an error value, 2: a formula without its result).
    fn long_sheet(n: u32, spoil: u8) -> Vec<u8> {
        let mut wb = Workbook::new();
        let date = XFormat::new().set_num_format("yyyy-mm-dd");
        let ws = wb.add_worksheet();
        ws.set_name("台账").unwrap();
        ws.write_string(0, 0, "华容县某局 2021 年主动公开台账").unwrap();
        for (c, h) in ["单位", "信息名称", "形成日期", "公开日期"].iter().enumerate() {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        for r in 2..n {
            ws.write_string(r, 0, if r % 3 == 0 { "章华镇" } else { "财政局" })
                .unwrap();
            ws.write_string(r, 1, format!("第{r}号通知")).unwrap();
            ws.write_number_with_format(r, 2, 44197.0 + f64::from(r % 300), &date)
                .unwrap();
            if r % 7 != 0 {
                ws.write_string(r, 3, format!("2021年{}月{}日", r % 12 + 1, r % 28 + 1))
                    .unwrap();
            }
        }
        match spoil {
            1 => {
                ws.write_formula(250, 3, Formula::new("=1/0").set_result("#DIV/0!"))
                    .unwrap();
            }
            2 => {
                ws.write_formula(250, 3, Formula::new("=C251+2").set_result(""))
                    .unwrap();
            }
            _ => {}
        }
        wb.save_to_buffer().unwrap()
    }

    /// The rows of a sheet read with streaming: the head, then the rest streamed.
    fn streamed(bytes: &[u8], prefix: usize) -> (usize, Vec<Row>) {
        let owner = Origin::Bytes(Arc::new(bytes.to_vec()));
        let mut sheets = read(bytes, Some((prefix, &owner))).expect("the head is read by the fast reader");
        let mut s = sheets.remove(0);
        let head = s.rows.len();
        let rest = s.rest.take().expect("a sheet over the size is streamed");
        stream_rest(&rest.0, &mut |mut b| {
            s.rows.append(&mut b);
            true
        })
        .unwrap();
        (head, s.rows)
    }

    #[test]
    fn streaming_gives_every_row_once_in_order() {
        for spoil in 0..3 {
            let bytes = long_sheet(600, spoil);
            let whole = read_xlsx_calamine(&bytes).unwrap().remove(0).rows;
            assert_eq!(whole.len(), 600, "spoil {spoil}");
            for prefix in [1, 5, 32] {
                let (head, rows) = streamed(&bytes, prefix);
                assert_eq!(head, prefix, "spoil {spoil}: only the head is read first");
                let got: Vec<_> = rows.iter().map(|r| (r.index, &r.cells)).collect();
                let want: Vec<_> = whole.iter().map(|r| (r.index, &r.cells)).collect();
                assert_eq!(got, want, "spoil {spoil}, prefix {prefix}");
            }
        }
        // Past the batch size, and a consumer that stops early stops the reading.
        let bytes = long_sheet(BATCH as u32 + 700, 0);
        let (_, rows) = streamed(&bytes, 3);
        assert_eq!(rows.len(), BATCH + 700);
        assert!(rows.windows(2).all(|w| w[0].index < w[1].index));
        let owner = Origin::Bytes(Arc::new(bytes.clone()));
        let mut sheets = read(&bytes, Some((3, &owner))).unwrap();
        let rest = sheets[0].rest.take().unwrap();
        let mut batches = 0;
        stream_rest(&rest.0, &mut |_| {
            batches += 1;
            false
        })
        .unwrap();
        assert_eq!(batches, 1);
    }

    #[test]
    fn the_rest_is_read_again_from_the_file_unless_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("台账.xlsx");
        let bytes = long_sheet(600, 0);
        std::fs::write(&path, &bytes).unwrap();
        let origin = Origin::File(path.clone());
        let whole = read_xlsx_calamine(&bytes).unwrap().remove(0).rows;
        let want: Vec<_> = whole.iter().map(|r| (r.index, r.cells.clone())).collect();
        let read_all = || {
            let mut sheets = read(&bytes, Some((5, &origin))).unwrap();
            let mut s = sheets.remove(0);
            let rest = s.rest.take().unwrap();
            stream_rest(&rest.0, &mut |mut b| {
                s.rows.append(&mut b);
                true
            })
            .map(|()| s.rows.iter().map(|r| (r.index, r.cells.clone())).collect::<Vec<_>>())
        };
        assert_eq!(read_all().unwrap(), want);
        // Only touched (written again as it was: a new time of change): read.
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read_all().unwrap(), want);

        // Saved with other content before its rest is read: refused, nothing handed on.
        let mut sheets = read(&bytes, Some((5, &origin))).unwrap();
        let rest = sheets[0].rest.take().unwrap();
        std::fs::write(&path, long_sheet(600, 1)).unwrap();
        let mut handed = 0;
        let e = stream_rest(&rest.0, &mut |b| {
            handed += b.len();
            true
        })
        .unwrap_err();
        assert_eq!((e.as_str(), handed), (CHANGED, 0));
        // Gone: refused too.
        std::fs::remove_file(&path).unwrap();
        assert!(stream_rest(&rest.0, &mut |_| true)
            .unwrap_err()
            .contains("无法再次打开文件"));
    }

    #[test]
    fn small_sheets_and_plain_reads_are_not_streamed() {
        let bytes = long_sheet(600, 0);
        assert!(read(&bytes, None).unwrap()[0].rest.is_none());
        // A sheet within the head is read whole.
        let small = long_sheet(20, 0);
        let owner = Origin::Bytes(Arc::new(small.clone()));
        assert!(read(&small, Some((32, &owner))).unwrap()[0].rest.is_none());
    }

    #[test]
    fn formats_and_escapes() {
        assert_eq!(custom_format("yyyy\"年\"m\"月\"d\"日\""), Format::DateTime);
        assert_eq!(custom_format("[h]:mm:ss"), Format::TimeDelta);
        assert_eq!(custom_format("0.00"), Format::Other);
        assert_eq!(builtin_format("14"), Format::DateTime);
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_xD83D__xDCF7_"), "\u{1F4F7}");
        assert_eq!(unescape_excel("a_x00"), "a_x00");
        assert_eq!(cell_ref(b"AB12"), Some((11, 27)));
        assert_eq!(attr_in(b" r=\"A1\" s='3' t=\"s\"", b"s"), Some(Some(&b"3"[..])));
        assert_eq!(attr_in(b" r=\"A1\"", b"t"), Some(None));
    }
}

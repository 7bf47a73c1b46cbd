//! Excel 97-2003 (.xls, BIFF8) cells read from their records into sparse rows, so a
//! stray value at IV65536 costs one cell, not a dense 65 536 × 256 grid (calamine
//! builds that grid for every sheet, and again for its formulas, when it opens a file).
//! Used when the cells' extent is too large for calamine; files this reader does not
//! understand (BIFF5, encrypted) go to calamine.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::workbook::{into_rows, Sheet, Value};

fn u16at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i.checked_add(2)?)?.try_into().ok()?))
}

fn u32at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i.checked_add(4)?)?.try_into().ok()?))
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

/// The compound file (OLE2) container: just enough to read one stream.
struct Cfb<'a> {
    b: &'a [u8],
    ss: usize,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn new(b: &'a [u8]) -> Option<Cfb<'a>> {
        let shift = u16at(b, 0x1E)?;
        if shift != 9 && shift != 12 {
            return None;
        }
        let ss = 1usize << shift;
        let sectors = b.len() / ss;
        // The FAT's own sectors: 109 in the header, more in a DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32at(b, 0x4C + i * 4)).collect();
        let mut difat = u32at(b, 0x44)?;
        let mut guard = 0;
        while difat != END_OF_CHAIN && difat != FREE && guard <= sectors {
            let off = (difat as usize + 1).checked_mul(ss)?;
            let s = b.get(off..off + ss)?;
            fat_sectors.extend((0..ss / 4 - 1).filter_map(|i| u32at(s, i * 4)));
            difat = u32at(s, ss - 4)?;
            guard += 1;
        }
        let mut fat = Vec::new();
        for id in fat_sectors.into_iter().filter(|id| *id < FREE - 5) {
            let off = (id as usize + 1).checked_mul(ss)?;
            let s = b.get(off..(off + ss).min(b.len()))?;
            fat.extend((0..s.len() / 4).filter_map(|i| u32at(s, i * 4)));
            if fat.len() > sectors + ss {
                break;
            }
        }
        Some(Cfb { b, ss, fat })
    }

    /// The bytes of a chain of sectors of `size` bytes, through `fat` over `data` in
    /// sectors of `ss` (offset by one sector for the file itself).
    fn chain(data: &[u8], fat: &[u32], start: u32, ss: usize, header: bool, size: usize) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(size.min(data.len()));
        let mut s = start;
        let mut steps = 0;
        while s != END_OF_CHAIN && out.len() < size {
            if steps > fat.len() {
                return None; // a loop
            }
            let off = (s as usize + usize::from(header)).checked_mul(ss)?;
            let end = (off + ss).min(data.len());
            out.extend_from_slice(data.get(off..end)?);
            s = *fat.get(s as usize)?;
            steps += 1;
        }
        out.truncate(size);
        Some(out)
    }

    fn stream(&self, name: &str) -> Option<Vec<u8>> {
        let dir_start = u32at(self.b, 0x30)?;
        let dir = Self::chain(self.b, &self.fat, dir_start, self.ss, true, self.b.len())?;
        let entry = |i: usize| dir.get(i * 128..i * 128 + 128);
        let root = entry(0)?;
        let cutoff = u32at(self.b, 0x38)? as usize;
        for i in 0..dir.len() / 128 {
            let e = entry(i)?;
            let n = (u16at(e, 64)? as usize).min(64);
            let units: Vec<u16> = (0..n.saturating_sub(2) / 2).filter_map(|k| u16at(e, k * 2)).collect();
            if e.get(66) != Some(&2) || String::from_utf16_lossy(&units) != name {
                continue;
            }
            let start = u32at(e, 116)?;
            let size = u32at(e, 120)? as usize;
            if size >= cutoff {
                return Self::chain(self.b, &self.fat, start, self.ss, true, size);
            }
            // A small stream lives in the mini stream (64-byte sectors).
            let mini_start = u32at(self.b, 0x3C)?;
            let minifat_bytes = Self::chain(self.b, &self.fat, mini_start, self.ss, true, self.b.len())?;
            let minifat: Vec<u32> = (0..minifat_bytes.len() / 4)
                .filter_map(|k| u32at(&minifat_bytes, k * 4))
                .collect();
            let ministream = Self::chain(
                self.b,
                &self.fat,
                u32at(root, 116)?,
                self.ss,
                true,
                u32at(root, 120)? as usize,
            )?;
            return Self::chain(&ministream, &minifat, start, 64, false, size);
        }
        None
    }
}

/// Characters of an XLUnicodeString body: `cch` characters, 1 or 2 bytes each.
fn chars(b: &[u8], at: usize, cch: usize, wide: bool) -> Option<String> {
    if wide {
        let units: Vec<u16> = (0..cch).map(|k| u16at(b, at + k * 2)).collect::<Option<_>>()?;
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(b.get(at..at + cch)?.iter().map(|&c| c as char).collect())
    }
}

/// XLUnicodeString with a 16-bit length at `at`.
fn xl_string(b: &[u8], at: usize) -> Option<String> {
    let cch = u16at(b, at)? as usize;
    let flags = *b.get(at + 2)?;
    chars(b, at + 3, cch, flags & 1 == 1)
}

/// Reads across the SST record and its CONTINUE records: a string's characters may go
/// on in the next record, which then starts with a new "wide" flag byte.
struct Segments<'a> {
    segs: Vec<&'a [u8]>,
    si: usize,
    pos: usize,
}

impl Segments<'_> {
    fn byte(&mut self) -> Option<u8> {
        while self.pos >= self.segs.get(self.si)?.len() {
            self.si += 1;
            self.pos = 0;
        }
        let v = self.segs[self.si][self.pos];
        self.pos += 1;
        Some(v)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from(self.byte()?) | (u16::from(self.byte()?) << 8))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from(self.u16()?) | (u32::from(self.u16()?) << 16))
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        for _ in 0..n {
            self.byte()?;
        }
        Some(())
    }

    fn string(&mut self) -> Option<String> {
        let cch = self.u16()? as usize;
        let flags = self.byte()?;
        let mut wide = flags & 1 == 1;
        let runs = if flags & 8 != 0 { self.u16()? as usize } else { 0 };
        let ext = if flags & 4 != 0 { self.u32()? as usize } else { 0 };
        let mut units: Vec<u16> = Vec::with_capacity(cch.min(32_768));
        while units.len() < cch {
            if self.pos >= self.segs.get(self.si)?.len() {
                self.si += 1;
                self.pos = 0;
                wide = self.segs.get(self.si)?.first()? & 1 == 1;
                self.pos = 1;
                continue;
            }
            units.push(if wide { self.u16()? } else { u16::from(self.byte()?) });
        }
        self.skip(runs * 4)?;
        self.skip(ext)?;
        Some(String::from_utf16_lossy(&units))
    }
}

/// Whether a number format shows a date: the built-in date ids (CJK ones included),
/// or a format with y/m/d/h/s outside quotes and brackets.
fn is_date_format(id: u16, custom: Option<&str>) -> bool {
    if let Some(f) = custom {
        let mut quoted = false;
        let mut bracket = false;
        let mut escaped = false;
        for c in f.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '"' => quoted = !quoted,
                '\\' if !quoted => escaped = true,
                '[' if !quoted => bracket = true,
                ']' if !quoted => bracket = false,
                'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' if !quoted && !bracket => return true,
                _ => {}
            }
        }
        return false;
    }
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

fn serial_date(n: f64, is_1904: bool) -> Option<NaiveDateTime> {
    if !n.is_finite() || !(0.0..3_000_000.0).contains(&n) {
        return None;
    }
    let days = n.trunc() as i64;
    let secs = ((n - n.trunc()) * 86_400.0).round() as i64;
    let (epoch, days) = if is_1904 {
        (NaiveDate::from_ymd_opt(1904, 1, 1)?, days)
    } else if days < 61 {
        (NaiveDate::from_ymd_opt(1899, 12, 31)?, days - 1)
    } else {
        (NaiveDate::from_ymd_opt(1899, 12, 30)?, days)
    };
    epoch
        .and_hms_opt(0, 0, 0)?
        .checked_add_signed(Duration::days(days))?
        .checked_add_signed(Duration::seconds(secs))
}

fn rk(v: u32) -> f64 {
    let n = if v & 2 != 0 {
        f64::from((v as i32) >> 2)
    } else {
        f64::from_bits(u64::from(v & 0xFFFF_FFFC) << 32)
    };
    if v & 1 != 0 {
        n / 100.0
    } else {
        n
    }
}

/// The records of a BIFF stream from `at`: (type, data) until EOF or the end.
fn records(b: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16at(b, at)?;
        let len = u16at(b, at + 2)? as usize;
        let data = b.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// What this reader made of a file.
#[derive(Debug)]
pub enum Xls {
    Sheets(Vec<Sheet>),
    /// Not BIFF8 (Excel 95 and older) or encrypted: calamine says what it is.
    NotMine,
    /// Damaged: reading on with calamine could cost a dense grid of any size.
    Damaged,
}

/// Sheets of a BIFF8 workbook held in memory.
pub fn read_xls(bytes: &[u8]) -> Xls {
    let mut not_mine = false;
    match read_biff8(bytes, &mut not_mine) {
        Some(s) => Xls::Sheets(s),
        None if not_mine => Xls::NotMine,
        None => Xls::Damaged,
    }
}

fn read_biff8(bytes: &[u8], not_mine: &mut bool) -> Option<Vec<Sheet>> {
    let cfb = Cfb::new(bytes)?;
    let Some(wb) = cfb.stream("Workbook") else {
        *not_mine = cfb.stream("Book").is_some();
        return None;
    };
    let mut is_1904 = false;
    let mut formats: Vec<(u16, String)> = Vec::new();
    let mut xf_date: Vec<bool> = Vec::new();
    let mut xf_fmt: Vec<u16> = Vec::new();
    let mut sheets: Vec<(u32, bool, String)> = Vec::new();
    let mut sst: Vec<String> = Vec::new();
    let mut recs = records(&wb, 0).peekable();
    // BOF of the workbook globals, BIFF8 only.
    let (typ, bof) = recs.next()?;
    if typ != 0x0809 || u16at(bof, 0)? != 0x0600 {
        *not_mine = true;
        return None;
    }
    while let Some((typ, d)) = recs.next() {
        match typ {
            0x000A => break,
            0x002F => {
                // FILEPASS: encrypted.
                *not_mine = true;
                return None;
            }
            0x0022 => is_1904 = u16at(d, 0)? == 1,
            0x041E => formats.push((u16at(d, 0)?, xl_string(d, 2)?)),
            0x00E0 => xf_fmt.push(u16at(d, 2)?),
            // BOUNDSHEET of a worksheet (not a chart or macro sheet).
            0x0085 if d.get(5) == Some(&0) => {
                let cch = *d.get(6)? as usize;
                let name = chars(d, 8, cch, d.get(7)? & 1 == 1)?;
                sheets.push((u32at(d, 0)?, d.get(4)? & 3 != 0, name));
            }
            0x00FC => {
                let mut segs = vec![d];
                while let Some((0x003C, c)) = recs.peek() {
                    segs.push(c);
                    recs.next();
                }
                let unique = u32at(d, 4)? as usize;
                let mut r = Segments { segs, si: 0, pos: 8 };
                for _ in 0..unique {
                    match r.string() {
                        Some(s) => sst.push(s),
                        None => break,
                    }
                }
            }
            _ => {}
        }
    }
    for id in &xf_fmt {
        let custom = formats.iter().find(|(i, _)| i == id).map(|(_, f)| f.as_str());
        xf_date.push(is_date_format(*id, custom));
    }
    let number = |xf: u16, n: f64| -> Value {
        if xf_date.get(xf as usize).copied().unwrap_or(false) {
            if let Some(d) = serial_date(n, is_1904) {
                return Value::Date(d);
            }
        }
        Value::Number(n)
    };
    let mut out = Vec::new();
    for (pos, hidden, name) in sheets {
        let mut cells: Vec<(u32, u32, Value)> = Vec::new();
        let mut recs = records(&wb, pos as usize).peekable();
        let (typ, _) = recs.next()?;
        if typ != 0x0809 {
            return None;
        }
        let rc = |d: &[u8]| -> Option<(u32, u32, u16)> {
            Some((u32::from(u16at(d, 0)?), u32::from(u16at(d, 2)?), u16at(d, 4)?))
        };
        while let Some((typ, d)) = recs.next() {
            match typ {
                0x000A => break,
                0x00FD => {
                    let (r, c, _) = rc(d)?;
                    let s = sst.get(u32at(d, 6)? as usize).cloned().unwrap_or_default();
                    cells.push((r, c, Value::Text(s.into())));
                }
                0x0203 => {
                    let (r, c, xf) = rc(d)?;
                    let n = f64::from_le_bytes(d.get(6..14)?.try_into().ok()?);
                    cells.push((r, c, number(xf, n)));
                }
                0x027E => {
                    let (r, c, xf) = rc(d)?;
                    cells.push((r, c, number(xf, rk(u32at(d, 6)?))));
                }
                0x00BD => {
                    let r = u32::from(u16at(d, 0)?);
                    let first = u32::from(u16at(d, 2)?);
                    for k in 0..d.len().saturating_sub(6) / 6 {
                        let xf = u16at(d, 4 + k * 6)?;
                        let v = rk(u32at(d, 6 + k * 6)?);
                        cells.push((r, first + k as u32, number(xf, v)));
                    }
                }
                0x0204 | 0x00D6 => {
                    let (r, c, _) = rc(d)?;
                    cells.push((r, c, Value::Text(xl_string(d, 6)?.into())));
                }
                0x0205 => {
                    let (r, c, _) = rc(d)?;
                    let v = *d.get(6)?;
                    cells.push((
                        r,
                        c,
                        if d.get(7) == Some(&1) {
                            Value::Error(format!("#ERR{v}").into())
                        } else {
                            Value::Bool(v != 0)
                        },
                    ));
                }
                0x0006 => {
                    let (r, c, xf) = rc(d)?;
                    let res = d.get(6..14)?;
                    let v = if res[6] == 0xFF && res[7] == 0xFF {
                        match res[0] {
                            0 => match recs.peek() {
                                Some((0x0207, s)) => Value::Text(xl_string(s, 0)?.into()),
                                _ => Value::Empty,
                            },
                            1 => Value::Bool(res[2] != 0),
                            2 => Value::Error(format!("#ERR{}", res[2]).into()),
                            _ => Value::Empty,
                        }
                    } else {
                        number(xf, f64::from_le_bytes(res.try_into().ok()?))
                    };
                    cells.push((r, c, v));
                }
                _ => {}
            }
        }
        out.push(Sheet {
            name,
            rows: into_rows(cells),
            hidden,
            ..Default::default()
        });
    }
    Some(out)
}

/// Cells a dense grid would hold for these sheets (calamine's cost).
pub fn dense_cells(sheets: &[Sheet]) -> u64 {
    sheets
        .iter()
        .map(|s| {
            let rows = match (s.rows.first(), s.rows.last()) {
                (Some(a), Some(b)) => u64::from(b.index - a.index) + 1,
                _ => 0,
            };
            let cols = s.rows.iter().flat_map(|r| r.cells.iter().map(|(c, _)| *c));
            let (lo, hi) = cols.fold((u32::MAX, 0), |(lo, hi), c| (lo.min(c), hi.max(c)));
            if lo > hi {
                0
            } else {
                rows * (u64::from(hi - lo) + 1)
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data")
                .join(name),
        )
        .unwrap()
    }

    /// An .xls saved by LibreOffice from a sample ledger (tests/data).
    #[test]
    fn agrees_with_calamine() {
        for name in ["章华镇台账.xls"] {
            let b = data(name);
            let Xls::Sheets(ours) = read_xls(&b) else {
                panic!("BIFF8")
            };
            let theirs = super::super::workbook::read_xls_calamine(&b).unwrap();
            assert_eq!(ours.len(), theirs.len());
            let mut cells = 0;
            for (a, t) in ours.iter().zip(&theirs) {
                assert_eq!(a.name, t.name);
                assert_eq!(a.hidden, t.hidden);
                assert_eq!(a.rows.len(), t.rows.len(), "{}", a.name);
                for (x, y) in a.rows.iter().zip(&t.rows) {
                    assert_eq!(x.index, y.index);
                    assert_eq!(x.cells, y.cells, "{name} {} row {}", a.name, x.index);
                    cells += x.cells.len();
                }
            }
            assert!(cells > 10, "{name}: {cells}");
        }
    }

    /// Four sheets, each with a stray value at IV65536: sparse, one cell each.
    #[test]
    fn a_stray_far_cell_is_one_cell() {
        let Xls::Sheets(sheets) = read_xls(&data("远处单元格.xls")) else {
            panic!("BIFF8")
        };
        assert_eq!(sheets.len(), 4);
        for s in &sheets {
            let rows: Vec<u32> = s.rows.iter().map(|r| r.index).collect();
            assert_eq!(rows, [0, 1, 65535], "{}", s.name);
            assert_eq!(s.rows[2].cells, vec![(255, Value::Text("x".into()))]);
        }
        assert!(dense_cells(&sheets) > 60_000_000);
    }

    #[test]
    fn garbage_is_none_not_a_panic() {
        assert!(matches!(read_xls(b""), Xls::Damaged));
        let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        b.resize(2048, 0xFF);
        assert!(matches!(read_xls(&b), Xls::Damaged));
    }
}

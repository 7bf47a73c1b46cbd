//! Finding the header row of a sheet and telling which ledger it is. Header names are
//! compared after removing whitespace, mapping full-width to half-width, and dropping a
//! trailing `*` or parenthesised note (公开日期（必填）).

use super::workbook::{Row, Sheet};
use crate::rules::{LedgerDef, LedgerKind, LedgerSet};
use crate::text;

/// The columns of a recognised ledger: for each field of its definition (same order),
/// the 0-based column and the header text as written.
#[derive(Debug, Clone)]
pub struct Columns {
    pub cols: Vec<Option<(u32, String)>>,
    /// Columns whose header names a field already taken by an earlier column: the
    /// field's index, the 0-based column and the header as written. Not read.
    pub duplicates: Vec<(usize, u32, String)>,
}

impl Columns {
    pub fn col(&self, def: &LedgerDef, field: &str) -> Option<u32> {
        let i = def.fields.iter().position(|f| f.id == field)?;
        self.cols.get(i)?.as_ref().map(|(c, _)| *c)
    }

    pub fn header<'a>(&'a self, def: &'a LedgerDef, field: &str) -> &'a str {
        let Some(i) = def.fields.iter().position(|f| f.id == field) else {
            return "";
        };
        match self.cols.get(i) {
            Some(Some((_, h))) => h,
            _ => &def.fields[i].header,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Detection {
    Ledger {
        kind: LedgerKind,
        /// Position of the header row in `sheet.rows`.
        header_pos: usize,
        columns: Columns,
    },
    NotRecognised {
        /// Chinese: why, and what to do.
        reason: String,
        headers_seen: Vec<String>,
        /// Ledger-shaped: all required columns of a ledger but one.
        shaped: Option<Shaped>,
    },
}

/// A sheet with all required columns of a ledger but one: an error, not a silent drop.
#[derive(Debug, Clone)]
pub struct Shaped {
    pub kind: LedgerKind,
    /// Position of its header row in `sheet.rows`.
    pub header_pos: usize,
    /// The missing column, with the names it may have (“公开日期”（也可写作：发布日期）).
    pub missing: String,
}

/// The comparable form of a header cell.
pub fn normalise_header(s: &str) -> String {
    let mut f = text::fold(s);
    while f.ends_with('*') {
        f.pop();
    }
    if f.ends_with(')') {
        if let Some(i) = f.rfind('(') {
            if i > 0 {
                f.truncate(i);
            }
        }
    }
    f.trim_start_matches('*').to_string()
}

/// Text with its whitespace (line breaks, full-width spaces) removed.
fn one_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect()
}

fn header_cells(row: &Row) -> Vec<(u32, String, String)> {
    row.cells
        .iter()
        .filter_map(|(c, v)| match v.text() {
            Some(s) => {
                let n = normalise_header(s);
                // The header as shown in messages: as written, on one line (a wrapped
                // "公开\n日期" reads 公开日期).
                (!n.is_empty()).then(|| (*c, n, one_line(s)))
            }
            None => None,
        })
        .collect()
}

/// A ledger's names in the forms cells and titles are compared in, made once per sheet
/// rather than for every row and ledger tried.
struct Names<'a> {
    def: &'a LedgerDef,
    /// Per field (same order): its header and synonyms, normalised.
    fields: Vec<Vec<String>>,
    /// Its keywords, folded.
    keywords: Vec<String>,
}

impl<'a> Names<'a> {
    fn of(set: &'a LedgerSet) -> Vec<Names<'a>> {
        set.ledgers
            .iter()
            .map(|def| Names {
                def,
                fields: def
                    .fields
                    .iter()
                    .map(|f| {
                        std::iter::once(&f.header)
                            .chain(f.synonyms.iter())
                            .map(|s| normalise_header(s))
                            .collect()
                    })
                    .collect(),
                keywords: def.keywords.iter().map(|k| text::fold(k)).collect(),
            })
            .collect()
    }
}

/// Maps a header row onto a ledger's fields; first matching column wins per field.
fn map_columns(ledger: &Names, cells: &[(u32, String, String)]) -> Columns {
    let def = ledger.def;
    let mut cols: Vec<Option<(u32, String)>> = vec![None; def.fields.len()];
    let mut used = vec![false; cells.len()];
    for (fi, names) in ledger.fields.iter().enumerate() {
        if let Some(ci) = (0..cells.len()).find(|&ci| !used[ci] && names.contains(&cells[ci].1)) {
            used[ci] = true;
            cols[fi] = Some((cells[ci].0, cells[ci].2.clone()));
        }
    }
    // A second column with the name of a field already taken (two 公开日期).
    let mut duplicates = Vec::new();
    for (fi, names) in ledger.fields.iter().enumerate() {
        if cols[fi].is_none() {
            continue;
        }
        for ci in 0..cells.len() {
            if used[ci] || !names.contains(&cells[ci].1) {
                continue;
            }
            used[ci] = true;
            duplicates.push((fi, cells[ci].0, cells[ci].2.clone()));
        }
    }
    Columns { cols, duplicates }
}

fn required_matched(def: &LedgerDef, c: &Columns) -> (usize, usize) {
    let req = def.fields.iter().filter(|f| f.required).count();
    let got = def
        .fields
        .iter()
        .zip(&c.cols)
        .filter(|(f, col)| f.required && col.is_some())
        .count();
    (got, req)
}

/// Every ledger whose required columns are all in `cells`, with its columns and the
/// number of its required columns. A `named_only` ledger also needs its name in `names`
/// (sheet, file, title rows) or a header row holding nothing but its columns.
fn full_matches<'a>(
    ledgers: &[Names<'a>],
    cells: &[(u32, String, String)],
    names: &[String],
) -> Vec<(&'a LedgerDef, Columns, usize)> {
    let mut full = Vec::new();
    for ledger in ledgers {
        let def = ledger.def;
        let c = map_columns(ledger, cells);
        let (got, req) = required_matched(def, &c);
        if got != req {
            continue;
        }
        let found = c.cols.iter().flatten().count();
        if def.named_only
            && found < cells.len()
            && !names
                .iter()
                .any(|n| ledger.keywords.iter().any(|k| n.contains(k.as_str())))
        {
            continue;
        }
        full.push((def, c, req));
    }
    full
}

/// A header written over two rows: a parent merged over its sub-headers ("日期" over
/// 形成日期 / 公开日期). Each column takes the lower row's name when it has one (shown
/// as 日期/形成日期), else the upper row's. None when the lower row is not all text (it
/// is data, not a second header row) or adds nothing.
fn two_row_cells(upper: &Row, lower: &Row) -> Option<Vec<(u32, String, String)>> {
    if lower.index != upper.index + 1 || lower.cells.iter().any(|(_, v)| v.text().is_none()) {
        return None;
    }
    let up = header_cells(upper);
    let low = header_cells(lower);
    if low.is_empty() || up.is_empty() {
        return None;
    }
    let mut cols: Vec<u32> = up.iter().chain(&low).map(|x| x.0).collect();
    cols.sort_unstable();
    cols.dedup();
    let mut out = Vec::new();
    for c in cols {
        let u = up.iter().find(|x| x.0 == c);
        match low.iter().find(|x| x.0 == c) {
            Some(l) => {
                // The parent: the upper cell in this column, else the nearest one to the
                // left (a merged cell keeps its text in its first column only).
                let parent = u.or_else(|| up.iter().rev().find(|x| x.0 < c));
                let written = match parent {
                    Some(p) => format!("{}/{}", p.2, l.2),
                    None => l.2.clone(),
                };
                out.push((c, l.1.clone(), written));
            }
            None => out.push(u?.clone()),
        }
    }
    Some(out)
}

/// Finds the header row and the ledger. `names` are the sheet name and file name, which
/// decide between ledgers whose required columns are all present.
pub fn detect(sheet: &Sheet, set: &LedgerSet, names: &[&str]) -> Detection {
    // (required found, required, ledger, headers seen, columns, header position)
    type Partial<'a> = (usize, usize, &'a LedgerDef, Vec<String>, Columns, usize);
    let mut best_partial: Option<Partial> = None;
    let mut titles: Vec<String> = names.iter().map(|n| text::fold(n)).collect();
    // Made at the first row with text (an empty sheet needs none).
    let names_once = std::cell::OnceCell::new();
    for (pos, row) in sheet.rows.iter().take(set.header_scan_rows).enumerate() {
        let cells = header_cells(row);
        if cells.is_empty() {
            continue;
        }
        let ledgers = names_once.get_or_init(|| Names::of(set));
        let mut full = full_matches(ledgers, &cells, &titles);
        let mut header_pos = pos;
        let mut seen = &cells;
        let next = sheet.rows.get(pos + 1);
        let two = next.and_then(|next| two_row_cells(row, next));
        if let (Some(two), Some(next)) = (&two, next) {
            let full2 = full_matches(ledgers, two, &titles);
            let best = |f: &[(&LedgerDef, Columns, usize)]| {
                f.iter().map(|x| x.1.cols.iter().flatten().count()).max().unwrap_or(0)
            };
            // Only when neither row is as good a header alone (a 填报单位 line or a
            // title above a complete header row is not a parent header).
            let lower = best(&full_matches(ledgers, &header_cells(next), &titles));
            if best(&full2) > best(&full).max(lower) {
                full = full2;
                header_pos = pos + 1;
                seen = two;
            }
        }
        if full.is_empty() {
            for ledger in ledgers {
                let def = ledger.def;
                let c = map_columns(ledger, &cells);
                let (got, req) = required_matched(def, &c);
                if got > 0 && got < req && best_partial.as_ref().is_none_or(|b| got > b.0) {
                    let seen = cells.iter().map(|x| x.2.clone()).collect();
                    best_partial = Some((got, req, def, seen, c, pos));
                }
            }
            titles.extend(cells.iter().map(|x| x.1.clone()));
            continue;
        }
        let pick = choose(&full, names);
        return match pick {
            Ok(i) => {
                let (def, c, _) = full.swap_remove(i);
                Detection::Ledger {
                    kind: def.kind,
                    header_pos,
                    columns: c,
                }
            }
            Err(()) => {
                let which: Vec<&str> = full.iter().map(|(d, _, _)| d.name.as_str()).collect();
                let keys: Vec<&str> = full
                    .iter()
                    .filter_map(|(d, _, _)| d.keywords.first().map(|s| s.as_str()))
                    .collect();
                Detection::NotRecognised {
                    reason: format!(
                        "第 {} 行的表头同时符合“{}”，无法判断是哪种台账：请把工作表或文件改名，使其包含“{}”等字样",
                        row.number(),
                        which.join("”“"),
                        keys.join("”“")
                    ),
                    headers_seen: seen.iter().map(|x| x.2.clone()).collect(),
                    shaped: None,
                }
            }
        };
    }
    match best_partial {
        Some((got, req, def, seen, c, pos)) => {
            let missing: Vec<String> = def
                .fields
                .iter()
                .zip(&c.cols)
                .filter(|(f, col)| f.required && col.is_none())
                .map(|(f, _)| {
                    if f.synonyms.is_empty() {
                        format!("“{}”", f.header)
                    } else {
                        format!("“{}”（也可写作：{}）", f.header, f.synonyms.join("、"))
                    }
                })
                .collect();
            let shaped = (req >= 2 && got + 1 == req).then(|| Shaped {
                kind: def.kind,
                header_pos: pos,
                missing: missing.join("，"),
            });
            Detection::NotRecognised {
                reason: format!("像是“{}”，但缺少必填列 {}", def.name, missing.join("，")),
                headers_seen: seen,
                shaped,
            }
        }
        None => {
            let seen = sheet
                .rows
                .iter()
                .take(set.header_scan_rows)
                .map(header_cells)
                .max_by_key(|c| c.len())
                .map(|c| c.into_iter().map(|x| x.2).collect())
                .unwrap_or_default();
            Detection::NotRecognised {
                reason: if sheet.rows.is_empty() {
                    "工作表为空".to_string()
                } else {
                    "未找到表头：前几行中没有可识别的列名（如 信息名称、形成日期、公开日期）".to_string()
                },
                headers_seen: seen,
                shaped: None,
            }
        }
    }
}

/// Among ledgers whose required columns are all present: the one a sheet or file name
/// points at, else the one with the most required columns, else none.
fn choose(full: &[(&LedgerDef, Columns, usize)], names: &[&str]) -> Result<usize, ()> {
    if full.len() == 1 {
        return Ok(0);
    }
    for name in names {
        let n = text::fold(name);
        let hits: Vec<usize> = (0..full.len())
            .filter(|&i| full[i].0.keywords.iter().any(|k| n.contains(&text::fold(k))))
            .collect();
        if hits.len() == 1 {
            return Ok(hits[0]);
        }
    }
    let max = full.iter().map(|x| x.2).max().unwrap_or(0);
    let top: Vec<usize> = (0..full.len()).filter(|&i| full[i].2 == max).collect();
    if top.len() == 1 {
        Ok(top[0])
    } else {
        Err(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::workbook::Value;

    #[test]
    fn finds_the_header_below_a_title_by_synonyms_and_names_a_second_column() {
        let rules = crate::rules::Rules::embedded().unwrap();
        let text_row = |index: u32, cells: &[&str]| Row {
            index,
            cells: (0u32..)
                .zip(cells)
                .filter(|(_, s)| !s.is_empty())
                .map(|(c, s)| (c, Value::Text((*s).into())))
                .collect(),
        };
        let sheet = Sheet {
            name: "Sheet1".into(),
            rows: vec![
                text_row(0, &["华容县财政局2021年政府信息公开台账"]),
                text_row(
                    1,
                    &[
                        "序号",
                        "发布单位",
                        "信息\n标题",
                        "成文日期",
                        "发布时间（必填）",
                        "公开日期",
                    ],
                ),
                Row {
                    index: 2,
                    cells: vec![(0, Value::Number(1.0)), (1, Value::Text("财政局".into()))],
                },
            ],
            ..Sheet::default()
        };
        let Detection::Ledger {
            kind,
            header_pos,
            columns,
        } = detect(&sheet, &rules.ledgers, &["Sheet1", "财政局"])
        else {
            panic!("not recognised");
        };
        assert_eq!((kind, header_pos), (LedgerKind::Publication, 1));
        let def = rules.ledgers.get(LedgerKind::Publication).unwrap();
        let at = |f: &str| (columns.col(def, f), columns.header(def, f));
        assert_eq!(at("unit"), (Some(1), "发布单位"));
        assert_eq!(at("title"), (Some(2), "信息标题"));
        assert_eq!(at("formed"), (Some(3), "成文日期"));
        assert_eq!(at("published"), (Some(4), "发布时间（必填）"));
        let fi = def.fields.iter().position(|f| f.id == "published").unwrap();
        assert_eq!(columns.duplicates, vec![(fi, 5, "公开日期".to_string())]);
        // An empty sheet is no ledger.
        let empty = Sheet::default();
        assert!(matches!(
            detect(&empty, &rules.ledgers, &["Sheet2"]),
            Detection::NotRecognised { .. }
        ));
    }

    #[test]
    fn normalises_wrapped_and_annotated_headers() {
        assert_eq!(normalise_header("公开\n日期"), "公开日期");
        assert_eq!(normalise_header(" 公开日期（必填）"), "公开日期");
        assert_eq!(normalise_header("信息名称*"), "信息名称");
        assert_eq!(normalise_header("公开日期(YYYY-MM-DD)"), "公开日期");
    }
}

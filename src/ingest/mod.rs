//! Files → typed records per ledger, plus data problems with their positions. All
//! header detection, synonyms, date parsing and unit resolution live here.

pub mod date;
pub mod header;
pub mod inputs;
mod ods;
pub mod problems;
pub mod records;
pub mod report_tables;
mod rows;
pub mod submissions;
pub mod units;
pub mod workbook;
mod xls;
mod xlsx;
mod xml2003;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use date::DateCell;
pub use problems::{FileError, Level, Problem, ProblemKind};
pub use records::*;
pub use units::{Group, UnitId, UnitRegistry};

use crate::rules::{LedgerKind, Rules};
use crate::text;
use header::Detection;
use workbook::Sheet;

/// How the inputs are read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--units FILE`: the county's unit list.
    pub units_file: Option<PathBuf>,
    /// `--keep-going`: list unreadable files as problems instead of stopping.
    pub keep_going: bool,
}

/// Files passed over while walking folders.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Skipped {
    /// Excel/WPS lock files (~$…).
    pub lock: usize,
    pub hidden: usize,
    /// Other file types.
    pub other: usize,
    /// Results hrgk wrote earlier (考核结果-…, 更新频率检查…, …考核扣分情况…).
    pub outputs: usize,
    /// Blank templates (hrgk template output with no rows): read, but holding no ledger.
    pub templates: usize,
}

/// The first sheet of the standard template (`hrgk template`).
pub const TEMPLATE_GUIDE_SHEET: &str = "填写说明";
/// Sheets of the template that are its parts, not ledgers.
pub const TEMPLATE_PARTS: &[&str] = &[TEMPLATE_GUIDE_SHEET, "下拉选项", "单位名单"];
/// File types read when walking folders (WPS .et/.ett, macro and template workbooks too).
pub const FOLDER_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xltx", "xltm", "xls", "et", "ett", "ods", "csv"];

/// A file passed over, and why (Chinese).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// File-name prefixes of hrgk's own result workbooks, skipped when walking folders.
pub const OUTPUT_PREFIXES: &[&str] = &["考核结果", "更新频率检查", "台账检查结果", "督办清单"];
/// Part of the per-unit report file names (<年度>年度政务公开考核扣分情况-<单位>.xlsx).
pub const REPORT_MARK: &str = "政务公开考核扣分情况";
/// Part of the per-unit 督办单 file names (<截止日期>督办单-<单位>.xlsx).
pub const DUE_MARK: &str = "督办单";

impl Skipped {
    pub fn total(&self) -> usize {
        self.lock + self.hidden + self.other + self.outputs + self.templates
    }
}

/// (file, sheet) → rows read per unit (None: unit could not be determined).
pub type RowsPerUnit = std::collections::BTreeMap<(String, String), Vec<(Option<UnitId>, usize)>>;

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Dataset {
    pub units: Option<UnitRegistry>,
    pub files: Vec<FileInfo>,
    pub skipped: Skipped,
    /// Every file passed over, with the reason.
    pub skipped_files: Vec<SkippedFile>,
    /// Names not on the county list: (name as written, rows, closest names on the list).
    pub off_list: Vec<(String, usize, Vec<String>)>,
    pub publications: Vec<Publication>,
    /// The publications' titles (`ds.title(p)`).
    pub titles: Titles,
    /// The short texts of the publications (`TextId`).
    pub texts: Texts,
    pub meetings: Vec<Meeting>,
    pub requests: Vec<Request>,
    pub inquiries: Vec<Inquiry>,
    pub accounts: Vec<Account>,
    pub posts: Vec<Post>,
    pub reports: Vec<AnnualReport>,
    /// 年报主动公开数据 rows (the annual report's table 二 and 上年结转).
    pub annual_data: Vec<AnnualData>,
    pub consultations: Vec<Consultation>,
    pub findings: Vec<Finding>,
    /// 复核调整 decisions (applied by the score stage).
    pub reviews: Vec<Review>,
    /// 监测时间点 from the inputs.
    pub checkpoints: Vec<NaiveDate>,
    pub problems: Vec<Problem>,
    /// `hrgk score --annual-tables`: the units' annual report tables as written (G1's
    /// format when the 格式是否规范 cell is empty).
    pub annual_tables: Option<report_tables::Read>,
    /// Ledger kinds found in the inputs (a sheet with the header and no rows counts).
    pub present: BTreeSet<LedgerKind>,
}

impl Dataset {
    /// A text of a record (`TextId`).
    pub fn text(&self, id: TextId) -> &str {
        self.texts.get(id)
    }

    /// A publication's title.
    pub fn title(&self, p: &Publication) -> &str {
        self.titles.get(p.title)
    }

    pub fn registry(&self) -> &UnitRegistry {
        self.units.as_ref().expect("registry is set by ingest::load")
    }

    /// Adds problems found by the checks, which know a row and a field but not where
    /// that field's column is: the cell (E17) and the header as written are filled in
    /// from the sheet the row came from.
    pub fn add_problems<'p>(&mut self, problems: impl Iterator<Item = &'p Problem>, rules: &Rules) {
        for p in problems {
            let mut p = p.clone();
            let def = p.ledger.and_then(|k| rules.ledgers.get(k));
            let field = def.and_then(|d| d.fields.iter().find(|f| f.header == p.column));
            let sheet = self
                .files
                .iter()
                .filter(|f| f.path == p.file)
                .flat_map(|f| f.sheets.iter())
                .find(|s| s.name == p.sheet);
            if let (Some(field), Some(sheet), Some(row)) = (field, sheet, p.row) {
                if let Some((_, col, written)) = sheet.columns.iter().find(|(id, _, _)| *id == field.id) {
                    p.cell = format!("{}{row}", text::column_letter(*col));
                    p.column = written.clone();
                }
            }
            self.problems.push(p);
        }
    }

    /// Every record read: its ledger, unit and source, in reading order per ledger (an
    /// iterator: at a million rows a list of them took 32 MB).
    pub fn rows(&self) -> impl Iterator<Item = (LedgerKind, Option<UnitId>, &Source)> {
        fn of<'a, R>(
            kind: LedgerKind,
            records: &'a [R],
            key: fn(&'a R) -> (Option<UnitId>, &'a Source),
        ) -> impl Iterator<Item = (LedgerKind, Option<UnitId>, &'a Source)> {
            records.iter().map(move |r| {
                let (unit, src) = key(r);
                (kind, unit, src)
            })
        }
        of(LedgerKind::Publication, &self.publications, |r| (r.unit, &r.src))
            .chain(of(LedgerKind::Meeting, &self.meetings, |r| (r.unit, &r.src)))
            .chain(of(LedgerKind::Request, &self.requests, |r| (r.unit, &r.src)))
            .chain(of(LedgerKind::Inquiry, &self.inquiries, |r| (r.unit, &r.src)))
            .chain(of(LedgerKind::Account, &self.accounts, |r| (r.unit, &r.src)))
            .chain(of(LedgerKind::Post, &self.posts, |r| (r.unit, &r.src)))
            .chain(of(LedgerKind::AnnualReport, &self.reports, |r| (r.unit, &r.src)))
            .chain(of(LedgerKind::AnnualData, &self.annual_data, |r| (r.unit, &r.src)))
            .chain(of(LedgerKind::Consultation, &self.consultations, |r| (r.unit, &r.src)))
            .chain(of(LedgerKind::Finding, &self.findings, |r| (r.unit, &r.src)))
    }

    /// Rows read per file, sheet and unit (unit None: could not be determined).
    pub fn rows_per_unit(&self) -> RowsPerUnit {
        // Counted under borrowed names; owned once per (file, sheet), not once per row.
        let mut m = std::collections::BTreeMap::<(&str, &str), Vec<_>>::new();
        for (_, unit, src) in self.rows() {
            let e = m.entry((&*src.file, &*src.sheet)).or_default();
            match e.iter_mut().find(|(u, _)| *u == unit) {
                Some((_, n)) => *n += 1,
                None => e.push((unit, 1)),
            }
        }
        m.into_iter()
            .map(|((f, s), v)| ((f.to_string(), s.to_string()), v))
            .collect()
    }
}

/// The files named on the command line, folders walked recursively (sorted, so reading
/// order is stable); lock files, hidden files and other types are skipped and counted.
/// Symbolic links are followed by their canonical path: a folder is entered once and a
/// file reached twice (a link, or named twice) is read once, so a link to `.` or to a
/// parent folder cannot loop.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Skipped, Vec<SkippedFile>)> {
    let mut walk = Walk::default();
    for p in paths {
        if p.is_dir() {
            walk.dir(p)?;
        } else if p.is_file() {
            walk.file(p.clone());
        } else {
            bail!("找不到文件或文件夹：{}（请检查路径是否正确）", p.display());
        }
    }
    Ok((walk.out, walk.skipped, walk.list))
}

/// A folder walk: what it found, and the canonical paths already visited.
#[derive(Default)]
struct Walk {
    out: Vec<PathBuf>,
    skipped: Skipped,
    /// Every file passed over, with the reason.
    list: Vec<SkippedFile>,
    dirs: HashSet<PathBuf>,
    files: HashSet<PathBuf>,
}

impl Walk {
    /// Takes a file unless its canonical path was taken before.
    fn file(&mut self, p: PathBuf) {
        let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if self.files.insert(key) {
            self.out.push(p);
        }
    }

    fn skip(&mut self, p: &Path, reason: &str) {
        self.list.push(SkippedFile {
            path: p.display().to_string(),
            reason: reason.to_string(),
        });
    }

    fn dir(&mut self, dir: &Path) -> Result<()> {
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.dirs.insert(key) {
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("无法读取文件夹 {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if name.starts_with("~$") {
                self.skipped.lock += 1;
                self.skip(&p, "Excel/WPS 临时锁定文件（文件打开时自动生成）");
            } else if OUTPUT_PREFIXES.iter().any(|p| name.starts_with(p))
                || name.contains(REPORT_MARK)
                || name.contains(DUE_MARK)
            {
                // Workbooks hrgk wrote earlier into the same folder are results, not ledgers.
                self.skipped.outputs += 1;
                self.skip(&p, OWN_RESULT);
            } else if name.starts_with('.') {
                self.skipped.hidden += 1;
                if !p.is_dir() {
                    self.skip(&p, "隐藏文件");
                }
            } else if p.is_dir() {
                self.dir(&p)?;
            } else {
                let ext = p
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_default();
                // .xml only when it is an Excel 2003 XML spreadsheet.
                if FOLDER_EXTENSIONS.contains(&ext.as_str()) || (ext == "xml" && xml2003::is_file(&p)) {
                    self.file(p);
                } else {
                    self.skipped.other += 1;
                    self.skip(&p, "不是表格文件（只读取 xlsx、xls、et、ods、csv 等）");
                }
            }
        }
        Ok(())
    }
}

/// Why a file hrgk wrote is not read (Chinese).
pub const OWN_RESULT: &str = "本工具生成的结果（不是台账，不读取）";

/// A file read into memory: its sheets or why it could not be read.
struct Loaded {
    path: String,
    stem: String,
    sha256: String,
    mark: Option<inputs::Mark>,
    sheets: Result<Vec<Sheet>, FileError>,
}

fn load_file(p: &Path, limits: &workbook::Limits) -> Loaded {
    let path = p.display().to_string();
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    // A regular file is opened again to stream the rest of a large sheet (its bytes are
    // not held meanwhile; it must still hold the same parts then); anything else (a pipe)
    // is streamed from the bytes read.
    let regular = std::fs::metadata(p).is_ok_and(|m| m.is_file());
    match std::fs::read(p) {
        Ok(bytes) => {
            let origin = if regular {
                workbook::Origin::File(p.to_path_buf())
            } else {
                workbook::Origin::Bytes(Arc::new(bytes.clone()))
            };
            Loaded {
                path,
                stem,
                sha256: crate::rules::hex(&Sha256::digest(&bytes)),
                mark: inputs::mark_of(&bytes),
                sheets: workbook::read_with(p, &bytes, Some(&origin), limits),
            }
        }
        Err(e) => Loaded {
            path,
            stem,
            sha256: String::new(),
            mark: None,
            sheets: Err(FileError::open(&e)),
        },
    }
}

/// Reads every input (in parallel, results kept in input order) into a dataset.
pub fn load(paths: &[PathBuf], rules: &Rules, opts: &Options, progress: Option<&(dyn Fn() + Sync)>) -> Result<Dataset> {
    let (files, skipped, skipped_files) = collect_inputs(paths)?;
    let params = &rules.rubric.params;
    let limits = workbook::Limits {
        max_member_bytes: params.max_member_mb.saturating_mul(1024 * 1024),
        max_ratio: params.max_compression_ratio,
        // Large sheets are read as far as the header can be (and the two rows a
        // two-row header needs); their rows are streamed into records below.
        stream: Some(rules.ledgers.header_scan_rows + 2),
    };
    let loaded: Vec<Loaded> = files
        .par_iter()
        .map(|p| {
            let l = load_file(p, &limits);
            if let Some(f) = progress {
                f();
            }
            l
        })
        .collect();
    let mut ds = Dataset {
        skipped,
        skipped_files,
        ..Default::default()
    };
    // hrgk's own results (by their mark, whatever their name) are not ledgers; a file
    // identical to one read before is read once.
    // Of identical files, the one with the shortest name is read (检查记录.xlsx rather
    // than 检查记录 - 副本.xlsx), then the first in reading order.
    let mut first_of: HashMap<&str, &str> = HashMap::new();
    let name_len = |p: &str| {
        Path::new(p)
            .file_name()
            .map_or(usize::MAX, |n| n.to_string_lossy().chars().count())
    };
    for l in loaded.iter().filter(|l| !l.sha256.is_empty()) {
        let e = first_of.entry(l.sha256.as_str()).or_insert(l.path.as_str());
        if name_len(&l.path) < name_len(e) {
            *e = l.path.as_str();
        }
    }
    let mut duplicate_of: Vec<Option<String>> = Vec::with_capacity(loaded.len());
    let mut keep: Vec<bool> = Vec::with_capacity(loaded.len());
    for l in &loaded {
        let own = l.mark == Some(inputs::Mark::Result) || l.sheets.as_ref().is_ok_and(|s| inputs::signed(s));
        if own {
            ds.skipped.outputs += 1;
            ds.skipped_files.push(SkippedFile {
                path: l.path.clone(),
                reason: OWN_RESULT.into(),
            });
            keep.push(false);
            duplicate_of.push(None);
            continue;
        }
        keep.push(true);
        if l.sha256.is_empty() {
            duplicate_of.push(None);
            continue;
        }
        match first_of.get(l.sha256.as_str()) {
            Some(first) if *first != l.path => duplicate_of.push(Some(first.to_string())),
            _ => duplicate_of.push(None),
        }
    }
    let mut loaded: Vec<(Loaded, Option<String>)> = loaded
        .into_iter()
        .zip(duplicate_of)
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(x, _)| x)
        .collect();
    let bad: Vec<(&str, &FileError)> = loaded
        .iter()
        .filter(|(_, d)| d.is_none())
        .filter_map(|(l, _)| l.sheets.as_ref().err().map(|e| (l.path.as_str(), e)))
        .collect();
    if !bad.is_empty() && !opts.keep_going {
        return Err(unreadable(&bad));
    }
    let mut reg = UnitRegistry::new(&rules.units);
    if let Some(uf) = &opts.units_file {
        let l = load_file(uf, &limits);
        let sheets = l
            .sheets
            .map_err(anyhow::Error::new)
            .with_context(|| format!("无法读取单位名单 {}", uf.display()))?;
        let mut found = false;
        for s in &sheets {
            if let Detection::Ledger {
                kind: LedgerKind::UnitList,
                header_pos,
                columns,
            } = header::detect(s, &rules.ledgers, &[&s.name, "单位名单"])
            {
                found = true;
                rows::unit_list(s, header_pos, &columns, rules, &mut reg);
            }
        }
        if !found {
            bail!(
                "单位名单 {} 中没有找到“单位名称”列：请使用包含 单位名称、类别、别名 三列的表格",
                uf.display()
            );
        }
    }
    // Detect every sheet once; unit lists first, so their aliases resolve other rows.
    let mut detected: Vec<Vec<Detection>> = Vec::with_capacity(loaded.len());
    for (l, dup) in &mut loaded {
        let mut v = Vec::new();
        if let (Ok(sheets), None) = (&mut l.sheets, &*dup) {
            for s in sheets {
                let d = header::detect(s, &rules.ledgers, &[&s.name, &l.stem]);
                if let Detection::Ledger {
                    kind: LedgerKind::UnitList,
                    header_pos,
                    columns,
                } = &d
                {
                    // A unit list is read whole before any ledger row.
                    if let Some(rest) = s.rest.take() {
                        let mut tail = Vec::new();
                        let notes = workbook::stream_rest(&rest, &mut |mut b| {
                            tail.append(&mut b);
                            true
                        })
                        .map_err(anyhow::Error::new)
                        .with_context(|| format!("无法读完 {} 的工作表“{}”", l.path, s.name))?;
                        s.rows.append(&mut tail);
                        s.notes.extend(notes);
                    }
                    rows::unit_list(s, *header_pos, columns, rules, &mut reg);
                }
                v.push(d);
            }
        }
        detected.push(v);
    }
    let mut seen_dupes = rows::Seen::default();
    let mut off_list: BTreeMap<UnitId, rows::OffList> = BTreeMap::new();
    let lex = rows::Lexicon::new(rules);
    let mut missing_columns: Vec<String> = Vec::new();
    // Files are typed one by one and each sheet's rows are freed as they become records,
    // so a large sheet's cells and its records are not both held in full.
    for ((l, dup), dets) in loaded.iter_mut().zip(detected) {
        let file: Arc<str> = Arc::from(l.path.as_str());
        let mut info = FileInfo {
            path: l.path.clone(),
            sha256: l.sha256.clone(),
            sheets: Vec::new(),
            error: None,
            duplicate_of: dup.clone(),
            template: l.mark == Some(inputs::Mark::Template),
            own_units: Vec::new(),
        };
        if dup.is_some() {
            ds.files.push(info);
            continue;
        }
        let sheets = match &mut l.sheets {
            Ok(s) => s,
            Err(e) => {
                info.error = Some(e.clone());
                ds.problems.push(Problem::at_sheet(
                    ProblemKind::FileUnreadable,
                    &l.path,
                    "",
                    "",
                    e.to_string(),
                ));
                ds.files.push(info);
                continue;
            }
        };
        let mut file_present: BTreeSet<LedgerKind> = BTreeSet::new();
        // A name in the file name, a 填报单位 line or a title counts only for the rows
        // that take it (rows without a unit of their own).
        let file_unit = reg.find_in_text(&l.stem);
        if let Some(u) = file_unit {
            info.own_units.push(u);
        }
        for (s, det) in sheets.iter_mut().zip(dets) {
            let sheet_name: Arc<str> = Arc::from(s.name.as_str());
            for n in &s.notes {
                ds.problems.push(note_problem(n, &l.path, &s.name, file_unit));
            }
            match det {
                Detection::NotRecognised { .. } if info.template && TEMPLATE_PARTS.contains(&s.name.as_str()) => {}
                Detection::NotRecognised {
                    reason,
                    headers_seen,
                    shaped,
                } => {
                    let mut unit = None;
                    if let Some(sh) = shaped {
                        // A ledger missing one required column belongs to a unit: it is
                        // an error (or, kept going, that unit's problem), never dropped.
                        let (line_unit, title_unit) = units_above(s, sh.header_pos, rules, &mut reg);
                        unit = line_unit.or(title_unit).or(file_unit).filter(|u| !reg.off_list(*u));
                        let ledger = rules.ledgers.get(sh.kind).map(|d| d.name.clone()).unwrap_or_default();
                        let who = unit
                            .map(|u| reg.name(u).to_string())
                            .unwrap_or_else(|| "单位不明".into());
                        let message = format!(
                            "工作表“{}”（{who}）像是“{ledger}”，但缺少必填列 {}：该表未读取，本单位的“{ledger}”按缺台账计。请补上该列后重新运行",
                            s.name, sh.missing
                        );
                        if let Some(u) = unit {
                            reg.units[u].assessed = true;
                        }
                        missing_columns.push(format!("{}：{message}", l.path));
                        ds.problems.push(Problem {
                            file: l.path.clone(),
                            sheet: s.name.clone(),
                            row: Some(s.rows[sh.header_pos].number()),
                            column: String::new(),
                            cell: String::new(),
                            value: String::new(),
                            kind: ProblemKind::ColumnMissing,
                            message,
                            unit,
                            ledger: Some(sh.kind),
                        });
                    }
                    info.sheets.push(SheetInfo {
                        name: s.name.clone(),
                        ledger: None,
                        ledger_name: String::new(),
                        header_row: None,
                        rows: 0,
                        reason,
                        headers_seen,
                        hidden: s.hidden,
                        unit,
                        columns: Vec::new(),
                    })
                }
                Detection::Ledger {
                    kind,
                    header_pos,
                    columns,
                } => {
                    let def = rules.ledgers.get(kind).context("台账定义缺失")?;
                    let newly_present = file_present.insert(kind);
                    let (line_unit, title_unit) = units_above(s, header_pos, rules, &mut reg);
                    if let Some(u) = line_unit {
                        if !info.own_units.contains(&u) {
                            info.own_units.push(u);
                        }
                    }
                    let sheet_unit = line_unit.or(title_unit).or(file_unit);
                    for (fi, col, written) in &columns.duplicates {
                        if let (Some(f), Some(Some((first, first_written)))) =
                            (def.fields.get(*fi), columns.cols.get(*fi))
                        {
                            let (a, b) = (text::column_letter(*first), text::column_letter(*col));
                            ds.problems.push(Problem {
                                column: written.clone(),
                                cell: format!("{b}{}", s.rows[header_pos].number()),
                                unit: sheet_unit,
                                ledger: Some(kind),
                                ..Problem::at_sheet(
                                    ProblemKind::DuplicateColumn,
                                    &l.path,
                                    &s.name,
                                    written,
                                    format!(
                                        "表头中有两列“{}”：{a} 列“{first_written}”和 {b} 列“{written}”，只读取了 {a} 列。请删除多余的一列，或把它改成别的列名",
                                        f.header
                                    ),
                                )
                            });
                        }
                    }
                    let mut ctx = rows::Ctx {
                        place: Place::new(file.clone(), sheet_name),
                        def,
                        columns: &columns,
                        rules,
                        sheet_unit,
                        reg: &mut reg,
                        problems: &mut ds.problems,
                        off_list: &mut off_list,
                        lex: &lex,
                        off_list_row: false,
                        unitless_rows: 0,
                        memo: Default::default(),
                    };
                    let header_row = s.rows[header_pos].number();
                    let rest = s.rest.take();
                    let below = (header_pos + 1).min(s.rows.len());
                    let (n, tail) = if kind == LedgerKind::UnitList {
                        (0, Ok(Vec::new()))
                    } else {
                        let mut parts = Parts {
                            publications: &mut ds.publications,
                            titles: &mut ds.titles,
                            texts: &mut ds.texts,
                            meetings: &mut ds.meetings,
                            requests: &mut ds.requests,
                            inquiries: &mut ds.inquiries,
                            accounts: &mut ds.accounts,
                            posts: &mut ds.posts,
                            reports: &mut ds.reports,
                            annual_data: &mut ds.annual_data,
                            consultations: &mut ds.consultations,
                            findings: &mut ds.findings,
                            reviews: &mut ds.reviews,
                            checkpoints: &mut ds.checkpoints,
                        };
                        let head = s.rows.drain(below..);
                        match &rest {
                            None => (
                                rows::read_rows(&mut ctx, kind, head, &mut parts, &mut seen_dupes),
                                Ok(Vec::new()),
                            ),
                            Some(rest) => {
                                match read_streamed(&mut ctx, kind, head, rest, &mut parts, &mut seen_dupes) {
                                    Ok((n, notes)) => (n, Ok(notes)),
                                    Err(e) => (0, Err(e)),
                                }
                            }
                        }
                    };
                    s.rows = Vec::new();
                    match tail {
                        Ok(notes) => {
                            for n in &notes {
                                ctx.problems.push(note_problem(n, &l.path, &s.name, file_unit));
                            }
                        }
                        Err((read_before_damage, e)) => {
                            // Like a file that cannot be opened: no result, or (kept
                            // going) the file is unreadable and none of its rows count.
                            if !opts.keep_going {
                                return Err(unreadable(&[(&l.path, &e)]));
                            }
                            info.error = Some(e.clone());
                            if newly_present {
                                file_present.remove(&kind);
                            }
                            ctx.problems.push(Problem::at_sheet(
                                ProblemKind::FileUnreadable,
                                &l.path,
                                &s.name,
                                "",
                                format!(
                                    "工作表“{}”读到第 {read_before_damage} 行数据后无法继续读取，本表的行都未计入：{e}",
                                    s.name
                                ),
                            ));
                        }
                    }
                    if ctx.unitless_rows > 0 {
                        let n = ctx.unitless_rows;
                        ds.problems.push(Problem {
                            file: l.path.clone(),
                            sheet: s.name.clone(),
                            row: None,
                            column: String::new(),
                            cell: String::new(),
                            value: String::new(),
                            kind: ProblemKind::UnitMissing,
                            message: format!(
                                "无法确定本表 {n} 行的单位，这些行未计入任何单位：请加一列“单位”逐行填写，或在表头上方加一行“填报单位：XX”，或把文件名改为单位名称（如 章华镇2021年台账.xlsx）"
                            ),
                            unit: None,
                            ledger: Some(kind),
                        });
                    }
                    info.sheets.push(SheetInfo {
                        name: s.name.clone(),
                        ledger: Some(kind),
                        ledger_name: def.name.clone(),
                        header_row: Some(header_row),
                        rows: n,
                        reason: String::new(),
                        headers_seen: Vec::new(),
                        hidden: s.hidden,
                        unit: sheet_unit,
                        columns: def
                            .fields
                            .iter()
                            .zip(&columns.cols)
                            .filter_map(|(f, c)| c.as_ref().map(|(col, h)| (f.id.clone(), *col, h.clone())))
                            .collect(),
                    });
                }
            }
        }
        // A blank template (its mark or 填写说明 sheet, and not one row in any ledger)
        // left among the inputs holds no ledger: it must not make every ledger type
        // "present".
        let blank_template = (info.template || sheets.iter().any(|s| s.name == TEMPLATE_GUIDE_SHEET))
            && info.sheets.iter().all(|s| s.rows == 0);
        if blank_template {
            info.template = true;
            ds.skipped.templates += 1;
            for s in info.sheets.iter_mut().filter(|s| s.ledger.is_some()) {
                s.reason = BLANK_TEMPLATE.into();
            }
        } else {
            ds.present.extend(file_present);
        }
        ds.files.push(info);
    }
    if !missing_columns.is_empty() && !opts.keep_going {
        bail!(
            "有 {} 个台账缺少必填列，未生成任何结果：\n  {}\n（补上缺少的列后重新运行；或加 --keep-going 继续计分，这些台账列为所属单位的问题）",
            missing_columns.len(),
            missing_columns.join("\n  ")
        );
    }
    // Rows of names not on the county list: one problem per name, never charged.
    for o in off_list.into_values() {
        let near = reg.closest(&o.written, 3);
        let hint = if near.is_empty() {
            "名单中没有相近的名称".to_string()
        } else {
            format!("名单中相近的有：{}", near.join("、"))
        };
        let mut p = o.first;
        p.message = format!(
            "单位“{}”不在单位名单中，其 {} 行不参加考核、不计入任何单位：请核对名称（{hint}），或把它加入单位名单",
            o.written, o.rows
        );
        ds.problems.push(p);
        ds.off_list.push((o.written, o.rows, near));
    }
    let mut review_problems = Vec::new();
    rows::resolve_review_units(&mut ds.reviews, &reg, rules, &mut review_problems);
    ds.units = Some(reg);
    ds.add_problems(review_problems.iter(), rules);
    ds.texts.seal();
    Ok(ds)
}

/// The error of a run stopped by files that cannot be read (Chinese).
fn unreadable(bad: &[(&str, &FileError)]) -> anyhow::Error {
    let list: Vec<String> = bad.iter().map(|(p, e)| format!("  {p}：{e}")).collect();
    anyhow::anyhow!(
        "有 {} 个文件无法读取，未生成任何结果：\n{}\n（修正后重新运行，或加 --keep-going 跳过这些文件并在结果中列为问题）",
        bad.len(),
        list.join("\n")
    )
}

/// A problem a reader noted in a sheet, at its file and sheet.
fn note_problem(n: &workbook::Note, file: &str, sheet: &str, unit: Option<UnitId>) -> Problem {
    Problem {
        row: n.row,
        cell: n.cell.clone(),
        unit,
        ..Problem::at_sheet(n.kind, file, sheet, &n.value, n.message.clone())
    }
}

/// Types a sheet whose rest is streamed (`Sheet::rest`): the head's rows, then the rest,
/// read on a second thread a few thousand rows at a time while they become records here,
/// so its cells are never all in memory; batches typed go back to the reading thread to
/// be freed there, so this thread only types. Returns the records read and the notes of
/// the rows streamed. A sheet that cannot be read to its end counts no row, as a file
/// that cannot be opened: what its rows changed is put back, and the error comes with how
/// many rows were read before it.
fn read_streamed(
    ctx: &mut rows::Ctx,
    kind: LedgerKind,
    head: impl Iterator<Item = workbook::Row>,
    rest: &workbook::Rest,
    parts: &mut Parts,
    seen: &mut rows::Seen,
) -> Result<(usize, Vec<workbook::Note>), (usize, FileError)> {
    let before = (
        parts.lens(),
        ctx.problems.len(),
        ctx.reg.clone(),
        ctx.off_list.clone(),
        ctx.unitless_rows,
    );
    let (n, tail) = std::thread::scope(|sc| {
        type Batch = Vec<workbook::Row>;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (done_tx, done_rx) = std::sync::mpsc::channel::<Batch>();
        let reader = sc.spawn(move || {
            workbook::stream_rest(rest, &mut |b| {
                while let Ok(done) = done_rx.try_recv() {
                    drop(done);
                }
                tx.send(b).is_ok()
            })
        });
        let mut n = rows::read_rows(ctx, kind, head, parts, seen);
        for batch in rx {
            n += rows::read_rows(ctx, kind, batch.iter(), parts, seen);
            // A reader that has finished frees nothing more: the batch is freed here then.
            let _ = done_tx.send(batch);
        }
        (n, reader.join().unwrap_or(Err(FileError::Damaged)))
    });
    match tail {
        Ok(notes) => Ok((n, notes)),
        Err(e) => {
            parts.truncate(before.0);
            ctx.problems.truncate(before.1);
            *ctx.reg = before.2;
            *ctx.off_list = before.3;
            ctx.unitless_rows = before.4;
            Err((n, e))
        }
    }
}

/// Why a blank template's sheets are not counted (Chinese).
pub const BLANK_TEMPLATE: &str = "模板未填写：没有数据行，不计入考核";

/// Key of a publication date for duplicate detection.
pub(crate) type DateCellKey = Option<NaiveDate>;

/// Mutable borrows of the record vectors, so row readers can push into them while the
/// problems vector is borrowed by the context.
pub(crate) struct Parts<'a> {
    pub publications: &'a mut Vec<Publication>,
    pub titles: &'a mut Titles,
    pub texts: &'a mut Texts,
    pub meetings: &'a mut Vec<Meeting>,
    pub requests: &'a mut Vec<Request>,
    pub inquiries: &'a mut Vec<Inquiry>,
    pub accounts: &'a mut Vec<Account>,
    pub posts: &'a mut Vec<Post>,
    pub reports: &'a mut Vec<AnnualReport>,
    pub annual_data: &'a mut Vec<AnnualData>,
    pub consultations: &'a mut Vec<Consultation>,
    pub findings: &'a mut Vec<Finding>,
    pub reviews: &'a mut Vec<Review>,
    pub checkpoints: &'a mut Vec<NaiveDate>,
}

impl Parts<'_> {
    /// How many records of each kind there are.
    fn lens(&self) -> [usize; 12] {
        [
            self.publications.len(),
            self.meetings.len(),
            self.requests.len(),
            self.inquiries.len(),
            self.accounts.len(),
            self.posts.len(),
            self.reports.len(),
            self.annual_data.len(),
            self.consultations.len(),
            self.findings.len(),
            self.reviews.len(),
            self.checkpoints.len(),
        ]
    }

    /// Drops the records added since `lens`.
    fn truncate(&mut self, lens: [usize; 12]) {
        let [a, b, c, d, e, f, g, h, i, j, k, l] = lens;
        self.publications.truncate(a);
        self.meetings.truncate(b);
        self.requests.truncate(c);
        self.inquiries.truncate(d);
        self.accounts.truncate(e);
        self.posts.truncate(f);
        self.reports.truncate(g);
        self.annual_data.truncate(h);
        self.consultations.truncate(i);
        self.findings.truncate(j);
        self.reviews.truncate(k);
        self.checkpoints.truncate(l);
    }
}

/// The unit named above the header: by a 填报单位：XX line (created when unknown), and
/// by the longest alias in a title row.
fn units_above(
    s: &Sheet,
    header_pos: usize,
    rules: &Rules,
    reg: &mut UnitRegistry,
) -> (Option<UnitId>, Option<UnitId>) {
    let mut line = None;
    let mut title = None;
    for row in &s.rows[..header_pos] {
        for (_, v) in &row.cells {
            let t = v.display();
            if line.is_none() {
                if let Some(name) = unit_line(&t, &rules.ledgers.unit_line_labels) {
                    line = Some(reg.resolve(&name).0);
                    continue;
                }
            }
            if title.is_none() {
                title = reg.find_in_text(&t);
            }
        }
    }
    (line, title)
}

/// The name after a "填报单位：" label, up to the next gap or label.
pub(crate) fn unit_line(t: &str, labels: &[String]) -> Option<String> {
    let f = text::clean(t);
    for l in labels {
        if let Some(i) = f.find(l.as_str()) {
            let rest = &f[i + l.len()..];
            let rest = rest.trim_start_matches([' ', '\u{3000}']);
            let rest = rest
                .strip_prefix("（盖章）")
                .or_else(|| rest.strip_prefix("(盖章)"))
                .unwrap_or(rest);
            let rest = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))?;
            let rest = text::clean(rest);
            let end = rest
                .char_indices()
                .find(|(_, c)| c.is_whitespace() || *c == '\u{3000}')
                .map(|(i, _)| i)
                .unwrap_or(rest.len());
            let name = text::clean(&rest[..end]);
            if !name.is_empty() {
                return Some(name.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_unit_lines() {
        let labels = vec!["填报单位".to_string(), "填写单位".to_string()];
        assert_eq!(unit_line("填报单位：县卫健局", &labels).as_deref(), Some("县卫健局"));
        assert_eq!(
            unit_line("填报单位: 章华镇   填报日期：2021-12-31", &labels).as_deref(),
            Some("章华镇")
        );
        assert_eq!(
            unit_line("填写单位（盖章）：人社局", &labels).as_deref(),
            Some("人社局")
        );
        assert_eq!(unit_line("华容县卫健局台账", &labels), None);
    }
}

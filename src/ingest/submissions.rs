//! 收件情况: what each unit handed in and what became of every file, from the dataset.

use serde::Serialize;
use std::collections::BTreeMap;

use super::units::UnitId;
use super::Dataset;
use crate::rules::{LedgerKind, Rules};

/// File status words (Chinese, also the JSON values).
pub const READ: &str = "已读取";
pub const DUPLICATE: &str = "重复文件";
pub const OWN: &str = "本工具结果";
pub const SKIPPED: &str = "已跳过";
pub const UNREADABLE: &str = "无法读取";
/// Unit status words.
pub const SUBMITTED: &str = "已报送";
pub const NOT_SUBMITTED: &str = "未报送";

#[derive(Debug, Clone, Serialize)]
pub struct LedgerRows {
    pub ledger: LedgerKind,
    pub ledger_name: String,
    pub rows: usize,
}

/// One unit: its files, rows per ledger, problems.
#[derive(Debug, Clone, Serialize)]
pub struct UnitEntry {
    #[serde(skip)]
    pub id: UnitId,
    pub unit: String,
    pub group: String,
    /// 已报送 / 未报送 (no row of any ledger is the unit's).
    pub status: &'static str,
    pub files: Vec<String>,
    pub ledgers: Vec<LedgerRows>,
    pub rows: usize,
    pub problems: usize,
    /// Ledgers of the unit not read because a required column is missing (缺台账).
    pub missing_ledgers: Vec<String>,
}

/// One input file and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    pub path: String,
    /// 已读取 / 重复文件 / 本工具结果 / 已跳过 / 无法读取.
    pub status: &'static str,
    /// Why (skipped, unreadable), the file it copies, or the sheets not recognised.
    pub detail: String,
    pub duplicate_of: Option<String>,
    pub unrecognised_sheets: Vec<String>,
}

/// Rows of a name not on the county list.
#[derive(Debug, Clone, Serialize)]
pub struct OffListEntry {
    pub name: String,
    pub rows: usize,
    pub closest: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Submissions {
    pub units: Vec<UnitEntry>,
    pub files: Vec<FileEntry>,
    pub off_list: Vec<OffListEntry>,
}

impl Submissions {
    pub fn not_submitted(&self) -> impl Iterator<Item = &UnitEntry> {
        self.units.iter().filter(|u| u.status == NOT_SUBMITTED)
    }

    pub fn count(&self, status: &str) -> usize {
        self.files.iter().filter(|f| f.status == status).count()
    }

    pub fn unit(&self, id: UnitId) -> Option<&UnitEntry> {
        self.units.iter().find(|u| u.id == id)
    }
}

/// 收件情况 of a dataset: every assessed unit (the county list when given), every file.
pub fn of(ds: &Dataset, rules: &Rules) -> Submissions {
    let reg = ds.registry();
    let mut per_unit: BTreeMap<UnitId, (BTreeMap<LedgerKind, usize>, Vec<String>)> = BTreeMap::new();
    for (kind, unit, src) in ds.rows() {
        let Some(u) = unit else { continue };
        let e = per_unit.entry(u).or_default();
        *e.0.entry(kind).or_default() += 1;
        if !e.1.iter().any(|f| **f == *src.file) {
            e.1.push(src.file.to_string());
        }
    }
    let units = reg
        .assessed()
        .into_iter()
        .map(|id| {
            let (ledgers, mut files) = per_unit.remove(&id).unwrap_or_default();
            for f in ds
                .files
                .iter()
                .filter(|f| f.own_units.contains(&id) && f.duplicate_of.is_none())
            {
                if !files.contains(&f.path) {
                    files.push(f.path.clone());
                }
            }
            let rows: usize = ledgers.values().sum();
            UnitEntry {
                id,
                unit: reg.name(id).to_string(),
                group: reg.group_name(reg.units[id].group).to_string(),
                status: if rows == 0 { NOT_SUBMITTED } else { SUBMITTED },
                files,
                ledgers: ledgers
                    .into_iter()
                    .map(|(k, n)| LedgerRows {
                        ledger: k,
                        ledger_name: rules.ledgers.get(k).map(|d| d.name.clone()).unwrap_or_default(),
                        rows: n,
                    })
                    .collect(),
                rows,
                problems: ds.problems.iter().filter(|p| p.unit == Some(id)).count(),
                missing_ledgers: ds
                    .problems
                    .iter()
                    .filter(|p| p.unit == Some(id) && p.kind == super::problems::ProblemKind::ColumnMissing)
                    .filter_map(|p| p.ledger.and_then(|k| rules.ledgers.get(k)).map(|d| d.name.clone()))
                    .collect(),
            }
        })
        .collect();
    let mut files: Vec<FileEntry> = ds
        .files
        .iter()
        .map(|f| {
            let unrecognised: Vec<String> = f
                .sheets
                .iter()
                .filter(|s| s.ledger.is_none())
                .map(|s| format!("{}（{}）", s.name, s.reason))
                .collect();
            let (status, detail) = if let Some(first) = &f.duplicate_of {
                (DUPLICATE, format!("与 {first} 相同，只读取一次"))
            } else if let Some(e) = &f.error {
                (UNREADABLE, e.to_string())
            } else if unrecognised.is_empty() {
                (READ, String::new())
            } else {
                (READ, format!("未识别的工作表：{}", unrecognised.join("；")))
            };
            FileEntry {
                path: f.path.clone(),
                status,
                detail,
                duplicate_of: f.duplicate_of.clone(),
                unrecognised_sheets: f
                    .sheets
                    .iter()
                    .filter(|s| s.ledger.is_none())
                    .map(|s| s.name.clone())
                    .collect(),
            }
        })
        .collect();
    files.extend(ds.skipped_files.iter().map(|s| FileEntry {
        path: s.path.clone(),
        status: if s.reason == super::OWN_RESULT { OWN } else { SKIPPED },
        detail: s.reason.clone(),
        duplicate_of: None,
        unrecognised_sheets: Vec::new(),
    }));
    let off_list = ds
        .off_list
        .iter()
        .map(|(name, rows, closest)| OffListEntry {
            name: name.clone(),
            rows: *rows,
            closest: closest.clone(),
        })
        .collect();
    Submissions { units, files, off_list }
}

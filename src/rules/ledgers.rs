//! Ledger definitions: which headers make a sheet a given ledger, the synonyms of every
//! column, and the closed vocabularies of their values. Read by `ingest` (to find and
//! map headers) and by the template (to write canonical headers and dropdowns).

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    Publication,
    Meeting,
    Request,
    Inquiry,
    Account,
    Post,
    AnnualReport,
    /// 年报主动公开数据: the annual report's table 二 figures and 上年结转, one row a unit
    /// (optional; read by `hrgk annual`, not scored).
    AnnualData,
    Consultation,
    Finding,
    Checkpoint,
    /// 复核调整: the office's decisions on appeals (applied by the score stage).
    Review,
    UnitList,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Date,
    /// A whole number (次数).
    Number,
    /// A non-negative amount, decimals allowed (万元).
    Amount,
    /// 是 / 否.
    YesNo,
    /// One of `values`.
    Choice,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerSet {
    /// How many rows from the top are searched for the header row.
    pub header_scan_rows: usize,
    /// First words of footer rows below the data (填报人, 审核人 …).
    pub footer_words: Vec<String>,
    /// Labels of a unit line above the header (填报单位, 填写单位).
    pub unit_line_labels: Vec<String>,
    /// Texts in a date column that mean "no date yet" (未公开, 待定, /, — …).
    pub no_date_words: Vec<String>,
    /// Texts meaning yes and no.
    pub yes_words: Vec<String>,
    pub no_words: Vec<String>,
    #[serde(rename = "ledger")]
    pub ledgers: Vec<LedgerDef>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerDef {
    pub kind: LedgerKind,
    /// Chinese name (主动公开台账), also the template's sheet name.
    pub name: String,
    /// Words in a sheet or file name that point at this ledger (依申请, 问政 …).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// What the ledger is for, for the template's 填写说明.
    #[serde(default)]
    pub description: String,
    /// Rubric items it feeds.
    #[serde(default)]
    pub feeds: Vec<String>,
    /// Taken only when a sheet name, file name or title above the header holds one of
    /// its keywords, or the header row holds nothing but its columns (a lone 日期 column
    /// among unknown ones is not a 监测时间点 list).
    #[serde(default)]
    pub named_only: bool,
    #[serde(rename = "field")]
    pub fields: Vec<FieldDef>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Stable id used by the code (unit, title, formed …).
    pub id: String,
    /// Canonical header.
    pub header: String,
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Required for a sheet to be recognised as this ledger.
    #[serde(default)]
    pub required: bool,
    pub kind: FieldKind,
    /// Explains the column (template header comment).
    #[serde(default)]
    pub comment: String,
    /// Closed vocabulary: each entry is [canonical, synonyms …].
    #[serde(default)]
    pub values: Vec<Vec<String>>,
    /// Named word lists used by a check (lost = […], not_lost = […]).
    #[serde(default)]
    pub words: BTreeMap<String, Vec<String>>,
    /// An example value for the template.
    #[serde(default)]
    pub example: String,
}

impl LedgerSet {
    pub fn get(&self, kind: LedgerKind) -> Option<&LedgerDef> {
        self.ledgers.iter().find(|l| l.kind == kind)
    }

    /// The canonical header of a ledger's field ("" when not defined).
    pub fn header(&self, kind: LedgerKind, field: &str) -> String {
        self.get(kind)
            .and_then(|l| l.field(field))
            .map(|f| f.header.clone())
            .unwrap_or_default()
    }

    pub fn validate(&self) -> Result<()> {
        let mut kinds = HashSet::new();
        for l in &self.ledgers {
            if !kinds.insert(l.kind) {
                bail!("规则 ledgers.toml：台账“{}”重复定义", l.name);
            }
            if !l.fields.iter().any(|f| f.required) {
                bail!("规则 ledgers.toml：台账“{}”没有必填列，无法识别", l.name);
            }
            let mut ids = HashSet::new();
            for f in &l.fields {
                if !ids.insert(f.id.as_str()) {
                    bail!("规则 ledgers.toml：台账“{}”的列 {} 重复", l.name, f.id);
                }
                if f.kind == FieldKind::Choice && f.values.iter().any(|v| v.is_empty()) {
                    bail!("规则 ledgers.toml：台账“{}”列“{}”的取值不能为空", l.name, f.header);
                }
            }
        }
        Ok(())
    }
}

impl LedgerDef {
    pub fn field(&self, id: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.id == id)
    }
}

impl FieldDef {
    /// The canonical value for a written one, if it is in the vocabulary (exact match
    /// after the caller's normalisation).
    pub fn canonical_value<'a>(&'a self, written: &str) -> Option<&'a str> {
        self.values
            .iter()
            .find(|v| v.iter().any(|w| w == written))
            .and_then(|v| v.first().map(|s| s.as_str()))
    }

    pub fn word_list(&self, name: &str) -> &[String] {
        self.words.get(name).map(|v| v.as_slice()).unwrap_or(&[])
    }
}

//! rules/annual_report.toml: the labels of the 政府信息公开工作年度报告 statistical tables
//! (the 2021 format), so that a later format is a rules change.

use anyhow::{bail, Result};
use serde::Deserialize;
use std::collections::HashSet;

use super::ledgers::{LedgerKind, LedgerSet};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualFormat {
    /// Workbook title; `{year}` is replaced.
    pub title: String,
    pub table2: Table2,
    pub table3: Table3,
    pub table4: Table4,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table2 {
    pub title: String,
    /// The optional sheet holding the figures.
    pub sheet: String,
    /// Below the table when the unit has no row in that sheet.
    pub absent_note: String,
    /// Below the table when it has; `{source}` is replaced by where the row is.
    pub source_note: String,
    #[serde(rename = "block")]
    pub blocks: Vec<Table2Block>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table2Block {
    /// 信息内容, then the data columns.
    pub headers: Vec<String>,
    #[serde(rename = "row")]
    pub rows: Vec<Row2>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row2 {
    /// Stable id (JSON).
    pub id: String,
    pub label: String,
    /// The 年报主动公开数据 field of each data column, in the block's order.
    pub fields: Vec<String>,
}

impl Table2 {
    /// Every row with its block's data column headers, in the table's order.
    pub fn rows(&self) -> impl Iterator<Item = (&Row2, &[String])> {
        self.blocks
            .iter()
            .flat_map(|b| b.rows.iter().map(move |r| (r, b.headers.get(1..).unwrap_or(&[]))))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table3 {
    pub title: String,
    pub corner: String,
    pub applicant_header: String,
    pub natural: String,
    pub legal_group: String,
    pub legal: Vec<String>,
    pub total: String,
    pub fallback_applicant: String,
    /// The 年报主动公开数据 fields of 上年结转 per applicant column (the six, in order).
    pub carried_fields: Vec<String>,
    /// The 年报主动公开数据 field of 上年结转 as one total.
    pub carried_total_field: String,
    #[serde(rename = "row")]
    pub rows: Vec<Row3>,
}

/// What a row of table 三 counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    New,
    Carried,
    Result,
    Total,
    Pending,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row3 {
    /// Stable id (JSON).
    pub id: String,
    pub role: Role,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub label: String,
    /// For a result row: the canonical 办理结果 it counts.
    #[serde(default)]
    pub result: String,
}

impl Row3 {
    /// The row's own text (its label, else its group).
    pub fn text(&self) -> &str {
        if self.label.is_empty() {
            &self.group
        } else {
            &self.label
        }
    }

    /// The name without its section (（三）不予公开 1.属于国家秘密; 一、本年新收… as is).
    pub fn short_name(&self) -> String {
        match (self.group.is_empty(), self.label.is_empty()) {
            (true, _) => self.text().to_string(),
            (false, true) => self.group.clone(),
            (false, false) if self.group == self.label => self.label.clone(),
            (false, false) => format!("{} {}", self.group, self.label),
        }
    }

    /// The full name of the row (三、本年度办理结果 （三）不予公开 1.属于国家秘密).
    pub fn full_name(&self) -> String {
        let parts: Vec<&str> = [self.section.as_str(), self.group.as_str(), self.label.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let mut out: Vec<&str> = Vec::new();
        for p in parts {
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
        out.join(" ")
    }
}

impl Table3 {
    /// The rows of 一 (new), 二 (carried), （七） (total) and 四 (pending).
    pub fn role_rows(&self) -> Option<[usize; 4]> {
        let at = |role: Role| self.rows.iter().position(|r| r.role == role);
        Some([at(Role::New)?, at(Role::Carried)?, at(Role::Total)?, at(Role::Pending)?])
    }

    /// The six applicant columns then 总计.
    pub fn columns(&self) -> Vec<&str> {
        std::iter::once(self.natural.as_str())
            .chain(self.legal.iter().map(|s| s.as_str()))
            .chain(std::iter::once(self.total.as_str()))
            .collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table4 {
    pub title: String,
    pub review: String,
    pub lawsuit: String,
    pub direct: String,
    pub after_review: String,
    pub columns: Vec<String>,
}

impl Table4 {
    /// The three blocks' names (行政复议, 未经复议直接起诉, 复议后起诉).
    pub fn blocks(&self) -> [&str; 3] {
        [&self.review, &self.direct, &self.after_review]
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub upheld: Vec<String>,
    pub corrected: Vec<String>,
    pub pending: Vec<String>,
}

impl AnnualFormat {
    /// Every result row's 办理结果 is a canonical value of the request ledger, the roles
    /// each appear (new, carried, total, pending once), and the fixed shapes hold.
    pub fn validate(&self, ledgers: &LedgerSet) -> Result<()> {
        let values: HashSet<&str> = ledgers
            .get(LedgerKind::Request)
            .and_then(|l| l.field("result"))
            .map(|f| f.values.iter().filter_map(|v| v.first().map(|s| s.as_str())).collect())
            .unwrap_or_default();
        let mut ids = HashSet::new();
        for r in &self.table3.rows {
            if !ids.insert(r.id.as_str()) {
                bail!("规则 annual_report.toml：表三的行 {} 重复", r.id);
            }
            if r.role == Role::Result && !values.contains(r.result.as_str()) {
                bail!(
                    "规则 annual_report.toml：表三“{}”的 result “{}”不是 ledgers.toml 依申请公开台账“办理结果”的标准写法",
                    r.full_name(),
                    r.result
                );
            }
            if r.text().is_empty() {
                bail!("规则 annual_report.toml：表三的行 {} 没有文字", r.id);
            }
        }
        for role in [Role::New, Role::Carried, Role::Total, Role::Pending] {
            if self.table3.rows.iter().filter(|r| r.role == role).count() != 1 {
                bail!(
                    "规则 annual_report.toml：表三须有且只有一行 role = \"{}\"",
                    role_name(role)
                );
            }
        }
        if self.table4.columns.len() != 5 {
            bail!("规则 annual_report.toml：表四每块须有5列（结果维持、结果纠正、其他结果、尚未审结、总计）");
        }
        if self.table3.legal.is_empty() {
            bail!("规则 annual_report.toml：表三“法人或其他组织”下没有列");
        }
        // Table 二 and 上年结转 read fields of 年报主动公开数据: they must exist there.
        let data = ledgers.get(LedgerKind::AnnualData);
        let known = |id: &str| data.is_some_and(|d| d.field(id).is_some());
        let mut ids2 = HashSet::new();
        for b in &self.table2.blocks {
            if b.headers.len() < 2 || b.headers.len() > 4 {
                bail!("规则 annual_report.toml：表二每块须有“信息内容”和 1 至 3 个数据列");
            }
            for r in &b.rows {
                if !ids2.insert(r.id.as_str()) {
                    bail!("规则 annual_report.toml：表二的行 {} 重复", r.id);
                }
                if r.fields.len() + 1 != b.headers.len() {
                    bail!(
                        "规则 annual_report.toml：表二“{}”的 fields 有 {} 项，该块有 {} 个数据列",
                        r.label,
                        r.fields.len(),
                        b.headers.len() - 1
                    );
                }
            }
        }
        let carried = self
            .table3
            .carried_fields
            .iter()
            .chain(std::iter::once(&self.table3.carried_total_field));
        for id in self
            .table2
            .blocks
            .iter()
            .flat_map(|b| b.rows.iter().flat_map(|r| r.fields.iter()))
            .chain(carried)
        {
            if !known(id) {
                bail!(
                    "规则 annual_report.toml：“{id}”不是 ledgers.toml“年报主动公开数据”（kind = \"annual_data\"）的列"
                );
            }
        }
        if self.table3.carried_fields.len() != self.table3.columns().len() - 1 {
            bail!("规则 annual_report.toml：表三 carried_fields 须与申请人列一一对应（自然人及法人或其他组织各列）");
        }
        Ok(())
    }
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::New => "new",
        Role::Carried => "carried",
        Role::Result => "result",
        Role::Total => "total",
        Role::Pending => "pending",
    }
}

//! 附件1：法定主动公开内容清单 — items, responsible units and update frequency.

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// The update frequencies (及时更新 / 两周更新 / 年度更新) and how each is judged.
    #[serde(rename = "frequency")]
    pub frequencies: Vec<Frequency>,
    /// How the 内容保障单位 text is read.
    pub responsibility: Responsibility,
    /// The 一级指标 whose 两周/年度 lapses feed C4 (重点领域).
    pub key_area_level1: String,
    /// Optional start of the assessment period (MM-DD); default 1 January. It governs
    /// every check: rows and months before it are not charged.
    #[serde(default)]
    pub period_start: Option<String>,
    #[serde(rename = "item")]
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyKind {
    /// Every row must be published within the deadline (及时更新).
    Timely,
    /// At least one update every `days` days (两周更新).
    Interval,
    /// At least one update in the period (年度更新).
    Yearly,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Frequency {
    /// As written in the checklist: 及时更新, 两周更新, 年度更新.
    pub name: String,
    pub kind: FrequencyKind,
    /// For `interval`: the longest allowed gap between anchors, in calendar days.
    #[serde(default)]
    pub days: Option<u32>,
    /// For `interval`: whether the period start and as-of are anchors.
    #[serde(default = "yes")]
    pub anchors: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Responsibility {
    /// Separators between unit names in the 内容保障单位 text.
    pub separators: Vec<String>,
    /// Words meaning every assessed 乡镇 (各乡镇).
    pub all_towns: Vec<String>,
    /// Words meaning every assessed 县直部门 (县直各部门, 各部门, 县直相关单位).
    pub all_departments: Vec<String>,
    /// Words (or suffixes) meaning "every unit that published under the item" — for
    /// timely items only (相关单位, 等相关单位, 行业主管单位).
    pub publishers: Vec<String>,
    /// Suffixes removed from a unit name before resolving it (牵头).
    pub strip_suffixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// 一级指标 as written.
    pub level1: String,
    /// Optional sub-group inside the 一级指标 (民生领域).
    #[serde(default)]
    pub group: Option<String>,
    /// 二级指标 as written.
    pub name: String,
    /// 内容保障单位 as written.
    pub units: String,
    /// Update frequency name (must be one of `frequency`).
    pub frequency: String,
    /// Other texts clerks write in the 栏目 column for this item.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Units the office adds to the responsible ones.
    #[serde(default)]
    pub extra_units: Vec<String>,
    /// Updated by every publication of the unit, whatever its 栏目 (信息公开平台（网站）).
    #[serde(default)]
    pub updated_by_all: bool,
}

impl Checklist {
    pub fn frequency(&self, name: &str) -> Option<&Frequency> {
        self.frequencies.iter().find(|f| f.name == name)
    }

    pub fn validate(&self) -> Result<()> {
        for it in &self.items {
            match self.frequency(&it.frequency) {
                None => bail!(
                    "规则 checklist.toml：指标“{}”的更新频率“{}”未在 [[frequency]] 中定义",
                    it.name,
                    it.frequency
                ),
                Some(f) if f.kind == FrequencyKind::Interval && f.days.unwrap_or(0) == 0 => {
                    bail!("规则 checklist.toml：更新频率“{}”需要 days（天数）", f.name)
                }
                _ => {}
            }
        }
        Ok(())
    }
}

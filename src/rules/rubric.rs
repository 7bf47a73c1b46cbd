//! 附件2：考核细则 — categories, items, deduction standards, bonuses, penalties and the
//! numeric parameters of every check.

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub params: Params,
    #[serde(rename = "category")]
    pub categories: Vec<Category>,
    #[serde(rename = "item")]
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
    /// Short name for column headers (汇总, 通报); the full name when empty.
    #[serde(default)]
    pub short: String,
    pub points: f64,
}

impl Category {
    /// The short name, or the full name when none is given.
    pub fn short_name(&self) -> &str {
        if self.short.is_empty() {
            &self.name
        } else {
            &self.short
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A scored item inside a category: deductions capped at its points.
    #[default]
    Score,
    /// A bonus (加分事项): additions, capped at `cap` when set.
    Bonus,
    /// A penalty (扣分事项): subtractions, capped at `cap` when set.
    Penalty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// Counted once per unit however often it occurs.
    Fixed,
    /// Multiplied by the number of occurrences.
    Occurrence,
    /// Sets the unit's total to zero (P1).
    Zero,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    #[serde(default)]
    pub kind: ItemKind,
    /// Category id (A–G) for scored items; empty for bonuses and penalties.
    #[serde(default)]
    pub category: String,
    /// Short name (考核项目).
    pub name: String,
    /// 考核要求 as written.
    #[serde(default)]
    pub requirement: String,
    /// 评分标准 as written.
    #[serde(default)]
    pub standard_text: String,
    /// Points of a scored item; 0 for bonuses and penalties.
    #[serde(default)]
    pub points: f64,
    /// Cap of a bonus or penalty (None: no cap).
    #[serde(default)]
    pub cap: Option<f64>,
    /// Groups the item applies to (乡镇, 县直部门); empty means both.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Score of a non-applicable item: None means its full points.
    #[serde(default)]
    pub not_applicable_score: Option<f64>,
    #[serde(rename = "standard", default)]
    pub standards: Vec<Standard>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// Stable id: item id, a dot, and the position in reading order (C3.1).
    pub id: String,
    /// The deduction text as written (未有工作规划).
    pub text: String,
    /// Points per occurrence (per = occurrence) or once (per = fixed).
    pub amount: f64,
    pub per: Per,
    /// Other texts an inspector may write for this standard.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Groups the standard applies to; empty: the item's groups.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Explains a default reading the office may change.
    #[serde(default)]
    pub note: String,
}

/// Numeric parameters of the checks: every day count, amount limit and period.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Proactive publication deadline after formation (working days).
    pub publish_workdays: u32,
    /// Minimum publications per unit and month.
    pub monthly_minimum: u32,
    /// Request answer deadline (working days) and with an approved extension.
    pub request_workdays: u32,
    pub request_extended_workdays: u32,
    /// Default answer limit of an online inquiry (working days).
    pub inquiry_workdays: u32,
    /// A new-media account fails a checkpoint when its latest post is more than this
    /// many calendar days earlier.
    pub newmedia_max_silence_days: u32,
    /// Default new-media checkpoints: "month_end" or a list of MM-DD.
    pub newmedia_checkpoints: Vec<String>,
    /// Annual report assessed in year Y is for Y + offset (−1).
    pub annual_report_year_offset: i32,
    /// Due dates (MM-DD, in the assessment year) for 上报 and 发布.
    pub annual_report_submit_by: String,
    pub annual_report_publish_by: String,
    /// `hrgk due`: the default look-ahead window (working days after as-of).
    pub due_within_workdays: u32,
    /// `hrgk due`: from this day (MM-DD) on, a yearly checklist item with no update
    /// yet in the year is listed.
    pub due_yearly_from: String,
    /// `hrgk due`: the issuing office printed at the top of every 督办单.
    pub due_issuer: String,
    /// County name for titles (华容县) and the office issuing the results; may be empty.
    #[serde(default)]
    pub county: String,
    #[serde(default)]
    pub issuer: String,
    /// Reading limits: a zip member (sheet, shared strings) may inflate to at most this
    /// many MB, and a member over 50 MB may be at most this many times its compressed
    /// size (zip bombs are refused with a message naming the file).
    #[serde(default = "default_max_member_mb")]
    pub max_member_mb: u64,
    #[serde(default = "default_max_compression_ratio")]
    pub max_compression_ratio: u64,
    /// The standard every automatic check charges.
    pub wiring: Wiring,
}

fn default_max_member_mb() -> u64 {
    1024
}

fn default_max_compression_ratio() -> u64 {
    100
}

/// Declares `Wiring`: one required key per standard a check charges, each a standard id.
macro_rules! wiring {
    ($($(#[doc = $doc:literal])* $key:ident),* $(,)?) => {
        /// The standard id each automatic check charges (`[params.wiring]`): every key is
        /// required and no other is accepted, and each must name a standard of the rubric,
        /// so a typo is a rules error rather than a check that silently charges nothing.
        #[derive(Debug, Clone, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct Wiring {
            $($(#[doc = $doc])* pub $key: String,)*
        }

        impl Wiring {
            /// Every key and the standard id it names, in declaration order.
            pub fn entries(&self) -> Vec<(&'static str, &str)> {
                vec![$((stringify!($key), self.$key.as_str()),)*]
            }
        }
    };
}

wiring! {
    /// 主动公开逾期（C3.3）
    publication_late,
    /// 台账有数据问题（C3.1）
    publication_problem,
    /// 当月公开条数不足（C3.2）
    publication_monthly,
    /// 未按内容清单频率更新（C4.1）
    frequency_lapse,
    /// 会议培训迟到（A3.1）
    meeting_late,
    /// 会议培训缺席（A3.2）
    meeting_absent,
    /// 未建立依申请公开台账（D2.1）
    request_no_ledger,
    /// 依申请公开逾期或遗失（D2.2）
    request_late_or_lost,
    /// 依申请公开全部按时答复（H3.1）
    request_on_time,
    /// 依申请公开遗失（P3.1）
    request_lost,
    /// 网上问政逾期回复（E1.1）
    inquiry_late,
    /// 网上问政信访件（E1.2）
    inquiry_petition,
    /// 政务新媒体监测不合格（F4.1）
    newmedia_failure,
    /// 未更新公开指南（G1.1）
    annual_guide,
    /// 年报格式不规范（G1.2）
    annual_format,
    /// 年报未按时上报（G1.3）
    annual_submit,
    /// 年报未按时发布（G1.4）
    annual_publish,
    /// 意见征集结果公开（H1.1）
    consultation,
    /// 公开属性（C1.1）
    c1_attribute,
    /// 政策解读（C2.1）
    c2_interpretation,
    /// 单一公开渠道（F3.1）
    f3_single_channel,
    /// 县级以上表彰（H2.1）
    recognition_above_county,
    /// 县级表彰（H2.2）
    recognition_county,
    /// 国家级通报（P2.1）
    notice_national,
    /// 省级通报（P2.2）
    notice_province,
    /// 市级通报（P2.3）
    notice_city,
    /// 县级通报（P2.4）
    notice_county,
}

impl Rubric {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The standard with this id, and its item.
    pub fn standard(&self, id: &str) -> Option<(&Item, &Standard)> {
        self.items
            .iter()
            .find_map(|i| i.standards.iter().find(|s| s.id == id).map(|s| (i, s)))
    }

    /// The standard wired to a check by its key name (e.g. `publication_late` → C3.3),
    /// for listings and tests; checks read the typed fields of `params.wiring`.
    pub fn wired(&self, check: &str) -> Option<&str> {
        self.params
            .wiring
            .entries()
            .into_iter()
            .find(|(k, _)| *k == check)
            .map(|(_, s)| s)
    }

    pub fn validate(&self) -> Result<()> {
        let mut ids = HashSet::new();
        let cats: HashSet<&str> = self.categories.iter().map(|c| c.id.as_str()).collect();
        for it in &self.items {
            if !ids.insert(it.id.as_str()) {
                bail!("规则 rubric.toml：考核项目编号 {} 重复", it.id);
            }
            if it.kind == ItemKind::Score && !cats.contains(it.category.as_str()) {
                bail!("规则 rubric.toml：考核项目 {} 的类别 {} 未定义", it.id, it.category);
            }
            for s in &it.standards {
                if !ids.insert(s.id.as_str()) {
                    bail!("规则 rubric.toml：扣分标准编号 {} 重复", s.id);
                }
            }
        }
        for c in &self.categories {
            let sum: f64 = self
                .items
                .iter()
                .filter(|i| i.kind == ItemKind::Score && i.category == c.id)
                .map(|i| i.points)
                .sum();
            if (sum - c.points).abs() > 1e-9 {
                bail!(
                    "规则 rubric.toml：类别 {} 的分值 {} 与其考核项目分值之和 {} 不一致",
                    c.id,
                    c.points,
                    sum
                );
            }
        }
        for (check, sid) in self.params.wiring.entries() {
            if self.standard(sid).is_none() {
                let valid: Vec<&str> = self
                    .items
                    .iter()
                    .flat_map(|i| i.standards.iter().map(|s| s.id.as_str()))
                    .collect();
                bail!(
                    "规则 rubric.toml：[params.wiring] {check} = \"{sid}\" 不是考核细则中的扣分标准编号；可用的编号：{}",
                    valid.join("、")
                );
            }
        }
        Ok(())
    }
}

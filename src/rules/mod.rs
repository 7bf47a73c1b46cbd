//! Everything year- or county-specific, as data: the checklist (附件1), the rubric
//! (附件2) with its parameters, the units, the ledger definitions (header synonyms and
//! vocabularies) and the official calendars. The defaults are embedded in the binary;
//! `--rules DIR` replaces any of them file by file.

mod annual;
mod checklist;
mod ledgers;
mod rubric;
mod units;
pub mod validate;

pub use annual::{AnnualFormat, Role as AnnualRole, Row3 as AnnualRow};
pub use checklist::{Checklist, ChecklistItem, Frequency, FrequencyKind, Responsibility};
pub use ledgers::{FieldDef, FieldKind, LedgerDef, LedgerKind, LedgerSet};
pub use rubric::{Category, Item, ItemKind, Params, Per, Rubric, Standard, Wiring};
pub use units::{UnitDef, UnitRules};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::calendar::{Calendar, YearCalendar};

/// One rules file: its path relative to the rules folder and its text.
#[derive(Debug, Clone)]
pub struct RulesFile {
    pub path: String,
    pub text: String,
}

macro_rules! embedded {
    ($($p:literal),* $(,)?) => {
        &[$(($p, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $p)))),*]
    };
}

/// The default rules compiled into the binary.
const EMBEDDED: &[(&str, &str)] = embedded!(
    "checklist.toml",
    "rubric.toml",
    "units.toml",
    "ledgers.toml",
    "annual_report.toml",
    "calendar/2019.toml",
    "calendar/2020.toml",
    "calendar/2021.toml",
    "calendar/2022.toml",
    "calendar/2023.toml",
    "calendar/2024.toml",
    "calendar/2025.toml",
    "calendar/2026.toml",
);

/// The embedded defaults as files, for `hrgk rules export`.
pub fn embedded_files() -> Vec<RulesFile> {
    EMBEDDED
        .iter()
        .map(|(p, t)| RulesFile {
            path: (*p).to_string(),
            text: (*t).to_string(),
        })
        .collect()
}

/// All rules, parsed and cross-checked.
#[derive(Debug)]
pub struct Rules {
    pub checklist: Checklist,
    pub rubric: Rubric,
    pub units: UnitRules,
    pub ledgers: LedgerSet,
    /// The 年度报告 statistical tables' labels (annual_report.toml).
    pub annual: AnnualFormat,
    pub calendar: Calendar,
    /// Where each file came from (内置 or a path), for the 说明 sheet.
    pub sources: Vec<(String, String)>,
    /// SHA-256 over every rules file's path and text, in path order.
    pub digest: String,
}

impl Rules {
    /// The embedded defaults.
    pub fn embedded() -> Result<Rules> {
        Rules::load(None)
    }

    /// The embedded defaults, with every file found in `dir` replacing its default
    /// (calendar files are merged per year, so a folder may add a year).
    pub fn load(dir: Option<&Path>) -> Result<Rules> {
        let mut files: BTreeMap<String, (String, String)> = EMBEDDED
            .iter()
            .map(|(p, t)| ((*p).to_string(), ("内置".to_string(), (*t).to_string())))
            .collect();
        if let Some(dir) = dir {
            if !dir.is_dir() {
                bail!(
                    "规则目录不存在：{}（可用 hrgk rules export 目录 导出默认规则后修改）",
                    dir.display()
                );
            }
            for rel in [
                "checklist.toml",
                "rubric.toml",
                "units.toml",
                "ledgers.toml",
                "annual_report.toml",
            ] {
                let p = dir.join(rel);
                if p.is_file() {
                    let text = read_text(&p)?;
                    files.insert(rel.to_string(), (p.display().to_string(), text));
                }
            }
            let cal = dir.join("calendar");
            if cal.is_dir() {
                let mut entries: Vec<PathBuf> = std::fs::read_dir(&cal)
                    .with_context(|| format!("无法读取规则目录 {}", cal.display()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .collect();
                entries.sort();
                for p in entries {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let text = read_text(&p)?;
                    files.insert(format!("calendar/{name}"), (p.display().to_string(), text));
                }
            }
        }
        let mut hasher = Sha256::new();
        for (path, (_, text)) in &files {
            hasher.update(path.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        let digest = hex(&hasher.finalize());
        let get = |name: &str| -> Result<&(String, String)> {
            files.get(name).with_context(|| format!("缺少规则文件 {name}"))
        };
        let (o, t) = get("checklist.toml")?;
        let checklist: Checklist = parse("checklist.toml", o, t)?;
        let (o, t) = get("rubric.toml")?;
        let rubric: Rubric = parse("rubric.toml", o, t)?;
        let (o, t) = get("units.toml")?;
        let units: UnitRules = parse("units.toml", o, t)?;
        let (o, t) = get("ledgers.toml")?;
        let ledgers: LedgerSet = parse("ledgers.toml", o, t)?;
        let (o, t) = get("annual_report.toml")?;
        let annual: AnnualFormat = parse("annual_report.toml", o, t)?;
        let mut years = Vec::new();
        for (name, (o, t)) in files.iter().filter(|(k, _)| k.starts_with("calendar/")) {
            let y: YearCalendar = parse(name, o, t)?;
            years.push((name.clone(), y));
        }
        let calendar = Calendar::new(years)?;
        let invalid = |name: &str| {
            let origin = files.get(name).map(|(o, _)| o.as_str()).unwrap_or("内置");
            format!("规则文件 {name}（{origin}）有误")
        };
        rubric.validate().with_context(|| invalid("rubric.toml"))?;
        validate::rubric(&rubric, &units).with_context(|| invalid("rubric.toml"))?;
        checklist.validate().with_context(|| invalid("checklist.toml"))?;
        validate::checklist(&checklist).with_context(|| invalid("checklist.toml"))?;
        validate::units(&units).with_context(|| invalid("units.toml"))?;
        ledgers.validate().with_context(|| invalid("ledgers.toml"))?;
        validate::ledgers(&ledgers, &rubric).with_context(|| invalid("ledgers.toml"))?;
        annual
            .validate(&ledgers)
            .with_context(|| invalid("annual_report.toml"))?;
        let sources = files.iter().map(|(k, (o, _))| (k.clone(), o.clone())).collect();
        Ok(Rules {
            checklist,
            rubric,
            units,
            ledgers,
            annual,
            calendar,
            sources,
            digest,
        })
    }

    /// Short form of the digest for titles and the terminal.
    pub fn short_digest(&self) -> &str {
        &self.digest[..12.min(self.digest.len())]
    }
}

/// Parses a rules file; an error names the file, where it came from, the line and the
/// key, in Chinese (the parser's own words follow as the cause).
fn parse<T: serde::de::DeserializeOwned>(name: &str, origin: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| format!("第 {} 行：", text[..s.start.min(text.len())].matches('\n').count() + 1))
            .unwrap_or_default();
        let what = explain_toml(e.message());
        anyhow::Error::new(e).context(format!("规则文件 {name}（{origin}）有误：{line}{what}"))
    })
}

/// The parser's message in Chinese, for the usual faults of a hand-edited file.
fn explain_toml(msg: &str) -> String {
    let quoted: Vec<&str> = msg.split('`').skip(1).step_by(2).collect();
    let first = quoted.first().copied().unwrap_or("");
    let rest = quoted.get(1..).unwrap_or(&[]).join("、");
    if msg.starts_with("unknown field") {
        format!("不认识的键“{first}”（可用的键：{rest}）")
    } else if msg.starts_with("missing field") {
        format!("缺少键“{first}”")
    } else if msg.starts_with("unknown variant") {
        format!("不认识的取值“{first}”（可用的取值：{rest}）")
    } else if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        format!("值的类型或范围不对（{}）", msg.trim())
    } else if msg.starts_with("duplicate key") {
        format!("键“{first}”重复")
    } else {
        format!("格式有误（{}）", msg.trim())
    }
}

fn read_text(p: &Path) -> Result<String> {
    let bytes = std::fs::read(p).with_context(|| format!("无法读取规则文件 {}", p.display()))?;
    String::from_utf8(bytes).with_context(|| format!("规则文件 {} 不是 UTF-8 编码，请另存为 UTF-8", p.display()))
}

/// Lower-case hexadecimal of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Writes the embedded rules into `dir` (created if missing). Existing files need `force`.
pub fn export(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for f in embedded_files() {
        let p = dir.join(&f.path);
        if p.exists() && !force {
            bail!("文件已存在：{}（如需覆盖请加 --force）", p.display());
        }
    }
    for f in embedded_files() {
        let p = dir.join(&f.path);
        crate::output::write_atomic(&p, f.text.as_bytes(), true)?;
        written.push(p);
    }
    Ok(written)
}

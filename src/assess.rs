//! The assessment pipeline shared by `score`, `report`, `freq` and `check`: read the
//! inputs once, settle the period, run the checks, score.

use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};
use std::path::PathBuf;

use crate::checks::{self, Checked, Period};
use crate::ingest::submissions::{self, Submissions};
use crate::ingest::{self, Dataset};
use crate::rules::LedgerKind;
use crate::rules::Rules;
use crate::score::{self, UnitScore};

pub struct Assessment {
    pub ds: Dataset,
    pub period: Period,
    pub checked: Checked,
    pub scores: Vec<UnitScore>,
    /// The 复核调整 decisions and what became of each (empty with `--no-review`).
    pub review: score::review::Outcome,
    pub inputs: Vec<PathBuf>,
    /// 收件情况: what each unit handed in, what became of every file.
    pub submissions: Submissions,
}

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub inputs: Vec<PathBuf>,
    pub year: Option<i32>,
    pub as_of: Option<NaiveDate>,
    pub ingest: ingest::Options,
    /// `--checkpoints` for new-media monitoring.
    pub checkpoints: Vec<NaiveDate>,
    /// `--no-review`: score without the 复核调整 decisions.
    pub no_review: bool,
    /// `--annual-tables`: the units' annual report tables (G1 格式 when not filled).
    pub annual_tables: Option<PathBuf>,
}

/// Today, as the local clock says.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Year (given, else the year of a given as-of, else the one most publication dates
/// fall in, else this year) and as-of (given, else the earlier of 31 December and today).
pub fn period(rules: &Rules, ds: &Dataset, year: Option<i32>, as_of: Option<NaiveDate>) -> Result<Period> {
    let year = year
        .or_else(|| as_of.map(|d| d.year()))
        .or_else(|| checks::dominant_year(ds))
        .unwrap_or_else(|| today().year());
    let start = match &rules.checklist.period_start {
        Some(md) => NaiveDate::parse_from_str(&format!("{year}-{md}"), "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("规则 checklist.toml：period_start “{md}” 应写作 MM-DD"))?,
        None => NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| anyhow::anyhow!("年份 {year} 无效"))?,
    };
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| anyhow::anyhow!("年份 {year} 无效"))?;
    let as_of = as_of.unwrap_or_else(|| dec31.min(today()));
    if as_of < start {
        bail!("截止日期 {as_of} 早于考核期开始 {start}：请检查 --as-of 和 --year");
    }
    if as_of.year() != year {
        bail!("截止日期 {as_of} 不在考核年度 {year} 内：请检查 --as-of 和 --year");
    }
    if !rules.calendar.has_year(year) {
        bail!("{}", no_calendar(year));
    }
    Ok(Period { year, start, as_of })
}

/// What `check` reads: the data with every problem, and the checks over the period when
/// it can be settled. Nothing is scored.
pub struct Inspection {
    pub ds: Dataset,
    /// The period and what the checks found; None when no period was asked for and the
    /// default one could not be settled (`note` says why).
    pub checked: Option<(Period, Checked)>,
    pub note: Option<String>,
}

/// The pipeline of `check`: read the inputs (unreadable files listed, never a reason to
/// stop), settle the period, run the checks and merge the problems only they can see.
/// A period asked for that cannot be settled is an error.
pub fn inspect(rules: &Rules, req: &Request) -> Result<Inspection> {
    let mut ds = ingest::load(&req.inputs, rules, &req.ingest, None)?;
    match period(rules, &ds, req.year, req.as_of) {
        Ok(p) => {
            let extra = checks::Extra {
                checkpoints: req.checkpoints.clone(),
            };
            let checked = checks::run(&ds, rules, &p, &extra);
            ds.add_problems(checked.problems(), rules);
            Ok(Inspection {
                ds,
                checked: Some((p, checked)),
                note: None,
            })
        }
        Err(e) if req.year.is_some() || req.as_of.is_some() => Err(e),
        Err(e) => Ok(Inspection {
            ds,
            checked: None,
            note: Some(e.to_string()),
        }),
    }
}

pub fn run(rules: &Rules, req: &Request, progress: Option<&(dyn Fn() + Sync)>) -> Result<Assessment> {
    let mut ds = ingest::load(&req.inputs, rules, &req.ingest, progress)?;
    no_ledger(&ds, &req.inputs)?;
    let period = period(rules, &ds, req.year, req.as_of)?;
    implausible_dates(&mut ds, rules, &period)?;
    if let Some(p) = &req.annual_tables {
        ds.annual_tables = Some(ingest::report_tables::read(
            std::slice::from_ref(p),
            rules,
            ds.registry(),
        )?);
    }
    let extra = checks::Extra {
        checkpoints: req.checkpoints.clone(),
    };
    let checked = checks::run(&ds, rules, &period, &extra);
    // Problems only a check can see (a finding that matches no standard …) join the
    // data problems, so every report lists them with their position.
    ds.add_problems(checked.problems(), rules);
    let as_of = (!req.no_review).then_some(period.as_of);
    let (scores, review) = score::score_reviewed(ds.registry(), rules, &checked, &ds.reviews, as_of);
    ds.add_problems(review.problems.iter(), rules);
    let submissions = submissions::of(&ds, rules);
    Ok(Assessment {
        submissions,
        ds,
        period,
        checked,
        scores,
        review,
        inputs: req.inputs.clone(),
    })
}

/// Inputs that hold no ledger at all (an empty or wrong folder) give no result.
pub fn no_ledger(ds: &Dataset, inputs: &[PathBuf]) -> Result<()> {
    let any = ds
        .present
        .iter()
        .any(|k| !matches!(k, LedgerKind::UnitList | LedgerKind::Checkpoint));
    if any {
        return Ok(());
    }
    let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    if ds.files.iter().any(|f| f.template) {
        bail!(
            "模板未填写：{} 中的模板没有任何数据行，未生成任何结果。请在各台账工作表中逐行填写后再运行",
            names.join("、")
        );
    }
    let read = ds.files.iter().filter(|f| f.duplicate_of.is_none()).count();
    bail!(
        "在 {} 中没有找到任何台账（读取 {read} 个文件，跳过 {} 个），未生成任何结果：请确认文件夹是否选对，台账的表头是否包含 信息名称、形成日期、公开日期 等列（hrgk check 可逐个文件查看原因）",
        names.join("、"),
        ds.skipped_files.len()
    );
}

/// An operator error: the assessment needs the calendar of a year that has none.
fn no_calendar(year: i32) -> String {
    let mut m = format!(
        "没有 {year} 年的放假安排：国务院办公厅通知发布后添加 rules/calendar/{year}.toml（放在规则目录中，用 --rules 目录 运行）"
    );
    if (year - today().year()).abs() >= 2 {
        m.push_str(&format!(
            "。{year} 年离今年较远，请检查 --as-of、--year 或台账中的日期是否输错"
        ));
    }
    m
}

/// Publication dates in a year with no calendar. The year just before the assessed one
/// is the office's to add (rows formed in December run into the assessed year): exit 2.
/// Any other year (2012 or 2031 in a 2021 ledger) is a typo of the unit's: the row's
/// data problem `date-implausible`. No message tells a unit to add a calendar file.
fn implausible_dates(ds: &mut Dataset, rules: &Rules, period: &Period) -> Result<()> {
    let cal = &rules.calendar;
    let def = rules.ledgers.get(LedgerKind::Publication);
    let mut found = Vec::new();
    for p in ds.publications.iter_mut() {
        for (field, d) in [("formed", p.formed.date()), ("published", p.published.date())] {
            // The year after the assessed one is after as-of: not judged, not a typo.
            let Some(d) = d.filter(|d| !cal.has_year(d.year()) && d.year() != period.year + 1) else {
                continue;
            };
            if d.year() == period.year - 1 {
                bail!(
                    "{}（{} 工作表“{}”第 {} 行的日期 {d}）",
                    no_calendar(d.year()),
                    p.src.file,
                    p.src.sheet,
                    p.src.row
                );
            }
            p.problem = true;
            let header = def
                .and_then(|def| def.field(field))
                .map(|f| f.header.clone())
                .unwrap_or_default();
            found.push(crate::ingest::Problem {
                file: p.src.file.to_string(),
                sheet: p.src.sheet.to_string(),
                row: Some(p.src.row),
                column: header.clone(),
                cell: String::new(),
                value: d.to_string(),
                kind: crate::ingest::problems::ProblemKind::DateImplausible,
                message: format!(
                    "“{header}”{d} 远离考核年度 {}，应是输错了年份：请核对并改正",
                    period.year
                ),
                unit: p.unit,
                ledger: Some(LedgerKind::Publication),
            });
        }
    }
    ds.add_problems(found.iter(), rules);
    Ok(())
}

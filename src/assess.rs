//! The assessment pipeline shared by `score`, `report`, `freq` and `check`: read the
//! inputs once, settle the period, run the checks, score.

use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};
use std::path::PathBuf;

use crate::checks::{self, Checked, Period};
use crate::ingest::{self, Dataset};
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
        bail!("{}", crate::calendar::MissingYear { year });
    }
    Ok(Period { year, start, as_of })
}

pub fn run(rules: &Rules, req: &Request, progress: Option<&(dyn Fn() + Sync)>) -> Result<Assessment> {
    let mut ds = ingest::load(&req.inputs, rules, &req.ingest, progress)?;
    let period = period(rules, &ds, req.year, req.as_of)?;
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
    Ok(Assessment {
        ds,
        period,
        checked,
        scores,
        review,
        inputs: req.inputs.clone(),
    })
}

//! hrgk workdays — working-day arithmetic over the official calendar.
//!
//! 用法：hrgk workdays count 起始日期 截止日期   （不含起始日，含截止日）
//!       hrgk workdays add 日期 天数             （日期之后的第 N 个工作日）

use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;

use super::{parse_date, RulesArg};

#[derive(Subcommand, Debug)]
pub enum WorkdaysCmd {
    /// 统计 (起始日期, 截止日期] 内的工作日数：起始日不计，截止日计入
    #[command(help_template = super::HELP_TEMPLATE, override_usage = "hrgk workdays count <起始日期> <截止日期> [--rules 目录]")]
    Count {
        /// 起始日期（不计入）
        #[arg(value_name = "起始日期", value_parser = parse_date, help_heading = "参数")]
        from: NaiveDate,
        /// 截止日期（计入）
        #[arg(value_name = "截止日期", value_parser = parse_date, help_heading = "参数")]
        to: NaiveDate,
        #[command(flatten)]
        rules: RulesArg,
    },
    /// 日期之后的第 N 个工作日（信息形成于 D，最迟公开日为 add D 20）
    #[command(help_template = super::HELP_TEMPLATE, override_usage = "hrgk workdays add <日期> <天数> [--rules 目录]")]
    Add {
        /// 起算日期（不计入）
        #[arg(value_name = "日期", value_parser = parse_date, help_heading = "参数")]
        date: NaiveDate,
        /// 工作日数
        #[arg(value_name = "天数", help_heading = "参数")]
        n: u32,
        #[command(flatten)]
        rules: RulesArg,
    },
}

pub fn run(cmd: WorkdaysCmd) -> Result<u8> {
    match cmd {
        WorkdaysCmd::Count { from, to, rules } => {
            let r = rules.load()?;
            outln!("{}", r.calendar.count_workdays(from, to)?);
        }
        WorkdaysCmd::Add { date, n, rules } => {
            let r = rules.load()?;
            outln!("{}", r.calendar.add_workdays(date, n)?.format("%Y-%m-%d"));
        }
    }
    Ok(0)
}

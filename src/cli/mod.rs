//! Commands: each file wires rules → ingest → checks → score → output for one
//! subcommand, with its usage text at the top. Flags are documented once, here and in
//! the `Args` structs, and rendered into `--help` in Chinese.

/// Prints to stdout; a closed pipe (`hrgk … | head`) returns `StdoutClosed` from the
/// command, which ends the program quietly.
macro_rules! out {
    ($($t:tt)*) => {
        $crate::cli::emit(&format!($($t)*))?
    };
}

/// `out!` with a newline.
macro_rules! outln {
    ($($t:tt)*) => {
        $crate::cli::emit(&format!("{}\n", format!($($t)*)))?
    };
}

mod annual;
mod check;
mod completions;
mod due;
mod freq;
mod help;
mod man;
mod report;
mod rules_cmd;
mod score;
mod template;
mod workdays;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::assess;
use crate::ingest;

pub(crate) const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

#[derive(Parser, Debug)]
#[command(
    name = "hrgk",
    version,
    about = "华容县政务公开考核工具：读取各单位台账（Excel、WPS、LibreOffice、CSV），按考核细则核对并打分，生成考核结果工作簿。",
    help_template = HELP_TEMPLATE,
    override_usage = "hrgk <命令> [选项]",
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "示例：\n  hrgk score 2021台账/                 年终考核，生成 考核结果-2021.xlsx\n  hrgk workdays add 2021-09-28 20       第20个工作日\n  hrgk check 卫健局台账.xlsx            交台账前自查\n  hrgk due 2021台账/ --as-of 2021-06-18  本周督办清单\n\n各命令的详细说明：hrgk <命令> --help"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true, help_heading = "选项")]
    help: Option<bool>,
    /// 显示版本号
    #[arg(short = 'V', long = "version", action = ArgAction::Version, help_heading = "选项")]
    version: Option<bool>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 年终考核：读取台账，计算每个单位的得分和排名，生成考核结果工作簿
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk score [选项] <输入>...")]
    Score(score::ScoreArgs),
    /// 更新频率检查：按内容清单的及时/两周/年度更新要求逐项核对
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk freq [选项] <输入>...")]
    Freq(freq::FreqArgs),
    /// 生成每个单位的考核扣分情况反馈表（可直接打印）
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk report [选项] --out-dir <目录> <输入>...")]
    Report(report::ReportArgs),
    /// 督办清单：列出各单位已逾期和即将到期的事项（截止日期默认今天；有逾期时退出码为 1）
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk due [选项] <输入>...")]
    Due(due::DueArgs),
    /// 政府信息公开工作年度报告统计表：由依申请公开台账生成表二、表三、表四（每个单位一份及全县汇总）
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk annual [选项] --year <年份> <输入>...\n       hrgk annual check [选项] --year <年份> <台账> <年报表>...", subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Annual(annual::AnnualArgs),
    /// 生成标准台账模板（含填写说明、下拉列表）
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk template [选项]")]
    Template(template::TemplateArgs),
    /// 台账自查：只检查格式和数据问题，不打分
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk check [选项] <输入>...")]
    Check(check::CheckArgs),
    /// 工作日计算（按国务院办公厅节假日安排，含调休）
    #[command(subcommand, help_template = HELP_TEMPLATE, override_usage = "hrgk workdays <命令>", subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Workdays(workdays::WorkdaysCmd),
    /// 查看或导出考核规则（内容清单、考核细则、节假日、单位）
    #[command(subcommand, help_template = HELP_TEMPLATE, override_usage = "hrgk rules <命令>", subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Rules(rules_cmd::RulesCmd),
    /// 生成命令行自动补全脚本（bash、zsh、fish、PowerShell）
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk completions <shell>")]
    Completions(completions::CompletionsArgs),
    /// 生成 man 手册页
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk man [--out-dir 目录] [--force]")]
    Man(man::ManArgs),
}

/// Output format of commands that print results.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// 终端表格
    #[default]
    Table,
    /// 一个 JSON 文档（供脚本使用）
    Json,
}

/// `--rules`, for every command that reads the rules.
#[derive(Args, Debug, Clone, Default)]
pub struct RulesArg {
    /// 规则目录：用其中的文件替换内置规则（可先用 hrgk rules export 导出）
    #[arg(long = "rules", value_name = "目录", help_heading = "选项")]
    pub dir: Option<PathBuf>,
}

impl RulesArg {
    pub fn load(&self) -> Result<crate::rules::Rules> {
        crate::rules::Rules::load(self.dir.as_deref())
    }
}

/// `--force`, for every command that writes files.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct ForceArg {
    /// 允许覆盖已存在的输出文件
    #[arg(long = "force", help_heading = "选项")]
    pub force: bool,
}

/// `--annual-tables`, for the commands that score (score, report): G1's 格式不规范
/// judged from the units' annual-report tables where the ledger leaves it empty.
#[derive(Args, Debug, Clone, Default)]
pub struct AnnualTablesArg {
    /// 各单位上年度的年报统计表（文件或文件夹）：“年报与指南”中“格式是否规范”未填的单位，按表三、表四是否符合格式判断 G1 格式不规范
    #[arg(long = "annual-tables", value_name = "年报表", help_heading = "选项")]
    pub annual_tables: Option<PathBuf>,
}

/// `--format`, for every command that prints results.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct FormatArg {
    /// 输出格式：table（终端表格）或 json（一个 JSON 文档）
    #[arg(long = "format", value_enum, default_value_t = Format::Table, value_name = "格式", help_heading = "选项", hide_possible_values = true, hide_default_value = true)]
    pub format: Format,
}

/// The flags every command that reads ledgers shares (`check` included).
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// 台账文件或文件夹（文件夹会递归读取 .xlsx .xlsm .xls .et .ods .csv，以及 Excel 2003 XML 表格 .xml）
    #[arg(value_name = "输入", required = true, help_heading = "参数")]
    pub inputs: Vec<PathBuf>,
    /// 考核年度（默认：截止日期所在的年份；未给截止日期时为多数公开日期所在的年份）
    #[arg(long, value_name = "年份", help_heading = "选项")]
    pub year: Option<i32>,
    /// 截止日期：按该日结束时的情况核对（默认：考核年度12月31日与今天中较早者）
    #[arg(long = "as-of", value_name = "日期", value_parser = parse_date, help_heading = "选项")]
    pub as_of: Option<NaiveDate>,
    #[command(flatten)]
    pub rules: RulesArg,
    /// 单位名单（列：单位名称、类别、别名），名单上的单位都参加考核
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub units: Option<PathBuf>,
}

/// The flags every scoring command shares (`score`, `freq`, `report`).
#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// 有文件无法读取时继续处理其他文件，并把它们列为问题
    #[arg(long = "keep-going", help_heading = "选项")]
    pub keep_going: bool,
    /// 政务新媒体监测时间点，逗号分隔（如 2021-03-15,2021-06-30）
    #[arg(long, value_name = "日期", value_delimiter = ',', value_parser = parse_date, help_heading = "选项")]
    pub checkpoints: Vec<NaiveDate>,
}

impl InputArgs {
    /// The request, reading unreadable files as problems when `keep_going`.
    pub fn request(&self, keep_going: bool) -> assess::Request {
        assess::Request {
            inputs: self.inputs.clone(),
            year: self.year,
            as_of: self.as_of,
            ingest: ingest::Options {
                units_file: self.units.clone(),
                keep_going,
            },
            checkpoints: Vec::new(),
            no_review: false,
            annual_tables: None,
        }
    }
}

impl CommonArgs {
    pub fn request(&self) -> assess::Request {
        assess::Request {
            checkpoints: self.checkpoints.clone(),
            ..self.input.request(self.keep_going)
        }
    }

    pub fn load_rules(&self) -> Result<crate::rules::Rules> {
        self.input.rules.load()
    }
}

/// Parses a date argument in any accepted style (2021-03-05, 2021/3/5, 2021年3月5日 …).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    ingest::date::parse_text(s).ok_or_else(|| format!("“{s}”不是有效日期，请写作 2021-03-05"))
}

/// The reader of stdout has gone away (`hrgk … | head`): the command stops, and the
/// program ends quietly with 0.
#[derive(Debug)]
pub struct StdoutClosed;

impl std::fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("标准输出已关闭")
    }
}

impl std::error::Error for StdoutClosed {}

/// Writes to stdout; a closed pipe is `StdoutClosed`.
pub fn emit(s: &str) -> Result<()> {
    emit_bytes(s.as_bytes())
}

/// `emit` for text already encoded (UTF-8).
pub fn emit_bytes(s: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut so = std::io::stdout().lock();
    match so.write_all(s).and_then(|_| so.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(StdoutClosed.into()),
        Err(e) => Err(anyhow::anyhow!(
            "无法写出结果：{}{}",
            crate::ingest::problems::io_reason(e.kind()),
            crate::ingest::problems::detail(&e.to_string())
        )),
    }
}

/// Lets a command's data go without freeing it, right before the process exits: freeing
/// a large assessment's millions of small allocations one by one took about 5 % of a
/// `score` run (perf, 1 000 files). Only for data a command holds once.
pub fn discard<T>(data: T) {
    std::mem::forget(data);
}

/// Writes a JSON document to stdout (pretty, then a newline) as it is serialised, without
/// first building it as one string.
pub fn emit_json<T: serde::Serialize>(doc: &T) -> Result<()> {
    use std::io::Write;
    let so = std::io::stdout().lock();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, so);
    let fail = |e: std::io::Error| -> anyhow::Error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            StdoutClosed.into()
        } else {
            anyhow::anyhow!("无法写出结果（{e}）")
        }
    };
    if let Err(e) = serde_json::to_writer_pretty(&mut w, doc) {
        return Err(match e.io_error_kind() {
            Some(kind) => fail(std::io::Error::from(kind)),
            None => e.into(),
        });
    }
    w.write_all(b"\n").and_then(|_| w.flush()).map_err(fail)
}

/// Runs the command line; returns the exit code (0 success, 1 findings where a
/// command says so, 2 errors).
pub fn main() -> ExitCode {
    crate::ingest::workbook::quiet_reader_panics();
    ExitCode::from(run())
}

fn run() -> u8 {
    // Help is rendered unwrapped and wrapped by `help::wrap` (clap breaks only at spaces).
    let matches = match with_build_info(Cli::command().term_width(0)).try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    let result = match cli.command {
        Command::Score(a) => score::run(a),
        Command::Freq(a) => freq::run(a),
        Command::Report(a) => report::run(a),
        Command::Due(a) => due::run(a),
        Command::Annual(a) => annual::run(a),
        Command::Template(a) => template::run(a),
        Command::Check(a) => check::run(a),
        Command::Workdays(c) => workdays::run(c),
        Command::Rules(c) => rules_cmd::run(c),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => man::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.is::<StdoutClosed>() => 0,
        Err(e) => {
            eprintln!("错误：{e}");
            for cause in e.chain().skip(1) {
                eprintln!("{}", cause_line(cause));
            }
            2
        }
    }
}

/// One cause of an error, Chinese first: a system error says what it means with the
/// system's words as a detail; a library's English words are only a detail.
fn cause_line(cause: &(dyn std::error::Error + 'static)) -> String {
    use crate::ingest::problems::{detail, io_reason, is_chinese};
    let words = cause.to_string();
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        format!("  原因：{}{}", io_reason(io.kind()), detail(&words))
    } else if is_chinese(&words) || cause.is::<crate::ingest::FileError>() {
        format!("  原因：{words}")
    } else {
        format!("  {}", detail(&words).trim_start_matches('（').trim_end_matches('）'))
    }
}

/// `hrgk --version` names the commit, the embedded rules' digest and calendar years.
/// (Computed only when asked for: it parses the embedded rules.)
fn with_build_info(cmd: clap::Command) -> clap::Command {
    let asked = std::env::args_os().skip(1).any(|a| a == "--version" || a == "-V");
    if !asked {
        return cmd;
    }
    match crate::rules::Rules::embedded() {
        Ok(rules) => {
            let text: &'static str =
                Box::leak(crate::build_info::ToolInfo::new(&rules).long_version().into_boxed_str());
            cmd.version(text)
        }
        Err(_) => cmd,
    }
}

/// Prints clap's errors in Chinese (help and version are printed as they are).
fn clap_error(e: clap::Error) -> u8 {
    use clap::error::{ContextKind, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayVersion => {
            let _ = e.print();
            return 0;
        }
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let text = help::wrap(&e.render().to_string(), help::width());
            let _ = if e.kind() == ErrorKind::DisplayHelp {
                std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())
            } else {
                std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes())
            };
            return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                2
            } else {
                0
            };
        }
        _ => {}
    }
    let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::InvalidSubcommand => format!("没有“{}”这个命令", ctx(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => format!("不认识的选项“{}”", ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingRequiredArgument => format!("缺少必填参数：{}", ctx(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!(
                "选项 {} 的值“{}”无效",
                ctx(ContextKind::InvalidArg),
                ctx(ContextKind::InvalidValue)
            )
        }
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        _ => format!("命令行有误：{}", e.render().to_string().lines().next().unwrap_or("")),
    };
    eprintln!("错误：{msg}\n（用 hrgk --help 或 hrgk <命令> --help 查看用法）");
    2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}

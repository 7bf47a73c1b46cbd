//! hrgk rules — show or export the rules.
//!
//! 用法：hrgk rules show [--rules 目录]
//!       hrgk rules export 目录 [--force]

use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

use super::{ForceArg, RulesArg};
use crate::output::table::{fmt_num, new_table};
use crate::rules::{ItemKind, Per, Rules};

#[derive(Subcommand, Debug)]
pub enum RulesCmd {
    /// 以表格显示当前规则：考核细则、内容清单、参数、节假日、单位
    #[command(help_template = super::HELP_TEMPLATE, override_usage = "hrgk rules show [--rules 目录]")]
    Show {
        #[command(flatten)]
        rules: RulesArg,
    },
    /// 生成台账列名对照（Markdown，即 docs/ledgers.md）
    #[command(help_template = super::HELP_TEMPLATE, override_usage = "hrgk rules docs [--rules 目录] [-o 文件] [--force]")]
    Docs {
        #[command(flatten)]
        rules: RulesArg,
        /// 写入文件（默认：打印到屏幕）
        #[arg(short = 'o', long = "output", value_name = "文件", help_heading = "选项")]
        output: Option<PathBuf>,
        #[command(flatten)]
        overwrite: ForceArg,
    },
    /// 把内置规则导出到目录，修改后用 --rules 目录 使用
    #[command(help_template = super::HELP_TEMPLATE, override_usage = "hrgk rules export <目录> [--force]")]
    Export {
        /// 导出到的目录（不存在会自动创建）
        #[arg(value_name = "目录", help_heading = "参数")]
        dir: PathBuf,
        #[command(flatten)]
        overwrite: ForceArg,
    },
}

pub fn run(cmd: RulesCmd) -> Result<u8> {
    match cmd {
        RulesCmd::Export { dir, overwrite } => {
            let written = crate::rules::export(&dir, overwrite.force)?;
            outln!("已导出 {} 个规则文件到 {}", written.len(), dir.display());
        }
        RulesCmd::Docs {
            rules,
            output,
            overwrite,
        } => {
            let md = crate::output::docs::ledgers_markdown(&rules.load()?.ledgers);
            match output {
                Some(t) => {
                    crate::output::write_atomic(&t, md.as_bytes(), overwrite.force)?;
                    outln!("已生成：{}", t.display());
                }
                None => out!("{md}"),
            }
        }
        RulesCmd::Show { rules } => {
            let r = rules.load()?;
            out!("{}", show(&r));
        }
    }
    Ok(0)
}

fn show(r: &Rules) -> String {
    let mut out = format!("规则摘要（SHA-256）：{}\n\n考核细则\n", r.digest);
    let mut t = new_table(
        &["编号", "考核项目", "分值/上限", "适用", "扣分标准", "分值", "计法"],
        None,
    );
    for it in &r.rubric.items {
        let max = match it.kind {
            ItemKind::Score => fmt_num(it.points),
            _ => it.cap.map(fmt_num).unwrap_or_else(|| "不封顶".into()),
        };
        let groups = if it.groups.is_empty() {
            "全部".into()
        } else {
            it.groups.join("、")
        };
        for (i, s) in it.standards.iter().enumerate() {
            let per = match s.per {
                Per::Fixed => "每单位一次",
                Per::Occurrence => "每次",
                Per::Zero => "总分为零",
            };
            let head = if i == 0 {
                [it.id.clone(), it.name.clone(), max.clone(), groups.clone()]
            } else {
                Default::default()
            };
            t.add_row(vec![
                head[0].clone(),
                head[1].clone(),
                head[2].clone(),
                head[3].clone(),
                format!("{} {}", s.id, s.text),
                fmt_num(s.amount),
                per.to_string(),
            ]);
        }
    }
    out.push_str(&t.to_string());
    // The rubric's own words: 考核要求, 评分标准 as written, and the notes on readings
    // the office may change.
    out.push_str("\n\n考核要求与评分标准原文\n");
    for it in &r.rubric.items {
        if !it.requirement.is_empty() {
            out.push_str(&format!("{} {} 考核要求：{}\n", it.id, it.name, it.requirement));
        }
        if !it.standard_text.is_empty() {
            out.push_str(&format!("{} {} 评分标准：{}\n", it.id, it.name, it.standard_text));
        }
        for s in it.standards.iter().filter(|s| !s.note.is_empty()) {
            out.push_str(&format!("{} 说明：{}\n", s.id, s.note));
        }
    }
    let p = &r.rubric.params;
    out.push_str(&format!(
        "\n\n参数：主动公开时限 {} 个工作日；每月至少公开 {} 条；依申请答复 {} 个工作日（延期 {} 个）；网上问政默认 {} 个工作日；新媒体监测前 {} 天内须有更新\n\n内容清单\n",
        p.publish_workdays, p.monthly_minimum, p.request_workdays, p.request_extended_workdays, p.inquiry_workdays, p.newmedia_max_silence_days
    ));
    let mut t = new_table(&["一级指标", "二级指标", "内容保障单位", "更新频率"], None);
    for it in &r.checklist.items {
        t.add_row(vec![
            it.level1.clone(),
            it.name.clone(),
            it.units.clone(),
            it.frequency.clone(),
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str("\n\n节假日安排\n");
    let mut t = new_table(&["年份", "依据", "放假", "调休上班"], None);
    for y in r.calendar.years() {
        if let Some((_, notices, hol, work)) = r.calendar.describe(y) {
            t.add_row(vec![
                y.to_string(),
                notices.join("\n"),
                hol.iter()
                    .map(|h| format!("{} {}～{}", h.name, h.from, h.to))
                    .collect::<Vec<_>>()
                    .join("\n"),
                work.iter().map(|w| w.date.clone()).collect::<Vec<_>>().join("\n"),
            ]);
        }
    }
    out.push_str(&t.to_string());
    out.push_str("\n\n单位（仅用于识别名称，不自动参加考核）\n");
    let mut t = new_table(&["单位", "别名"], None);
    for u in &r.units.units {
        t.add_row(vec![u.name.clone(), u.aliases.join("、")]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out
}

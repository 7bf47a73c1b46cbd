//! The standard ledger workbook (`hrgk template`) as tables: 填写说明 first, one sheet per
//! ledger that `hrgk score` reads (canonical headers, a note on every header cell,
//! dropdowns for units, 栏目 and every closed vocabulary, date columns restricted to a
//! range), 单位名单 last, and a hidden sheet with the lists behind long dropdowns.
//! Everything comes from the rules, and every sheet is checked to read back as itself
//! (the ledger sheets as their ledger, the others as no ledger at all).

use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

use super::xlsx::{Cell, ListSource, Table, Validation};
use crate::ingest::date::parse_text;
use crate::ingest::header::{self, Detection};
use crate::ingest::workbook::{Row, Sheet, Value};
use crate::rules::{FieldDef, FieldKind, LedgerDef, LedgerKind, Rules};
use crate::text;

/// The instructions sheet, first.
pub const GUIDE_SHEET: &str = crate::ingest::TEMPLATE_GUIDE_SHEET;
/// The hidden sheet holding the lists behind long dropdowns (栏目 …), last.
pub const LISTS_SHEET: &str = "下拉选项";
/// Blank rows below the header that carry the dropdowns and date checks.
pub const BLANK_ROWS: u32 = 500;
/// The 单位 dropdown reads 单位名单 down to at least this row.
const UNIT_LIST_LAST_ROW: u32 = 1000;
/// Excel's limit on a dropdown's joined text (UTF-16 units, commas included).
const LIST_TEXT_LIMIT: usize = 255;
/// Date fields that may lie years before the assessment year (an account opened long
/// ago, a guide last updated in an earlier year): allowed from `HISTORY_FROM`.
const HISTORY_FIELDS: &[(LedgerKind, &str)] = &[
    (LedgerKind::Account, "opened"),
    (LedgerKind::AnnualReport, "guide_updated"),
];
/// The day the 政府信息公开条例 took effect: nothing in a ledger is older.
const HISTORY_FROM: (i32, u32, u32) = (2008, 5, 1);
/// Sheet names are cut at 28 characters by the workbook writer (31 is Excel's limit,
/// three are kept for a uniqueness suffix), which would break references to them.
const SHEET_NAME_MAX: usize = 28;

/// One entry of the county's unit list, for the 单位名单 sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitEntry {
    pub name: String,
    /// 乡镇 or 县直部门 (the rules' group names).
    pub group: String,
    pub aliases: Vec<String>,
}

/// The template's sheets, in order: 填写说明, the ledgers, 单位名单, the hidden lists.
pub fn tables(rules: &Rules, year: i32, units: &[UnitEntry]) -> Result<Vec<Table>> {
    let ctx = Ctx::new(rules, year)?;
    let ledgers = ctx.ledger_defs();
    let unit_def = rules
        .ledgers
        .get(LedgerKind::UnitList)
        .ok_or_else(|| anyhow::anyhow!("规则 ledgers.toml 中没有“单位名单”（kind = \"unit_list\"）的定义"))?;
    check_names(&ledgers, unit_def)?;
    let mut lists = Lists::default();
    let categories: Vec<String> = dedup(rules.checklist.items.iter().map(|i| i.name.clone()));
    let category_range = (!categories.is_empty()).then(|| lists.add("栏目", categories));
    let unit_range = unit_def.fields.iter().position(|f| f.id == "name").map(|c| {
        column_range(
            &unit_def.name,
            c,
            (units.len() as u32 + 1 + BLANK_ROWS).max(UNIT_LIST_LAST_ROW),
        )
    });
    let refs = Refs {
        unit: unit_range,
        category: category_range,
        account: rules.ledgers.get(LedgerKind::Account).and_then(|a| {
            a.fields
                .iter()
                .position(|f| f.id == "account")
                .map(|c| column_range(&a.name, c, 1 + BLANK_ROWS))
        }),
    };
    let mut out = vec![ctx.guide(&ledgers, unit_def, units.len())];
    for def in &ledgers {
        out.push(ctx.ledger_sheet(def, &refs, &mut lists, units, &[]));
    }
    let unit_rows: Vec<Vec<Cell>> = units
        .iter()
        .map(|u| {
            unit_def
                .fields
                .iter()
                .map(|f| match f.id.as_str() {
                    "name" => Cell::from(u.name.as_str()),
                    "group" => Cell::from(u.group.as_str()),
                    "aliases" => Cell::from(u.aliases.join("、")),
                    _ => Cell::Empty,
                })
                .collect()
        })
        .collect();
    let no_refs = Refs::default();
    out.push(ctx.ledger_sheet(unit_def, &no_refs, &mut lists, units, &unit_rows));
    if let Some(t) = lists.table() {
        out.push(t);
    }
    check_reads_back(&out, rules)?;
    Ok(out)
}

/// Ranges the dropdowns of other sheets point at.
#[derive(Default)]
struct Refs {
    /// 单位名单's 单位名称 column.
    unit: Option<String>,
    /// The checklist items on the lists sheet.
    category: Option<String>,
    /// 政务新媒体账号's 账号名称 column.
    account: Option<String>,
}

/// Columns of the hidden lists sheet.
#[derive(Default)]
struct Lists {
    columns: Vec<(String, Vec<String>)>,
}

impl Lists {
    /// Adds a list and returns the range formula that reads it.
    fn add(&mut self, header: &str, values: Vec<String>) -> String {
        let col = self.columns.len();
        let last = values.len().max(1) as u32 + 1;
        self.columns.push((header.to_string(), values));
        column_range(LISTS_SHEET, col, last)
    }

    fn table(&self) -> Option<Table> {
        if self.columns.is_empty() {
            return None;
        }
        let headers: Vec<&str> = self.columns.iter().map(|(h, _)| h.as_str()).collect();
        let mut t = Table::new(LISTS_SHEET, &headers);
        t.hidden = true;
        t.no_filter = true;
        t.portrait = true;
        let n = self.columns.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
        for i in 0..n {
            t.push(
                self.columns
                    .iter()
                    .map(|(_, v)| v.get(i).map_or(Cell::Empty, |s| Cell::from(s.as_str())))
                    .collect(),
            );
        }
        Some(t)
    }
}

/// `=单位名单!$A$2:$A$1000`: one column from row 2 down to `last` (1-based).
fn column_range(sheet: &str, col: usize, last: u32) -> String {
    let l = text::column_letter(col as u32);
    format!("={}!${l}$2:${l}${last}", sheet_ref(sheet))
}

/// A sheet name as written in a formula: bare when it is only non-ASCII letters (单位名单),
/// else quoted.
fn sheet_ref(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| !c.is_ascii() && c.is_alphanumeric()) {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

fn dedup(it: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in it {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Ledger names become sheet names and are referenced by formulas: they must survive
/// the workbook writer unchanged and be unique.
fn check_names(ledgers: &[&LedgerDef], unit_def: &LedgerDef) -> Result<()> {
    let mut seen = vec![GUIDE_SHEET, LISTS_SHEET];
    for def in ledgers.iter().copied().chain(std::iter::once(unit_def)) {
        let n = def.name.as_str();
        if n.trim().is_empty()
            || n.chars().count() > SHEET_NAME_MAX
            || n.chars()
                .any(|c| matches!(c, '*' | '?' | ':' | '[' | ']' | '\\' | '/' | '\''))
        {
            bail!(
                "规则 ledgers.toml：台账名称“{n}”不能用作工作表名：请改为不超过 {SHEET_NAME_MAX} 个字、不含 * ? : [ ] \\ / ' 的名称"
            );
        }
        if seen.contains(&n) {
            bail!("规则 ledgers.toml：台账名称“{n}”重复或与模板的“{GUIDE_SHEET}”“{LISTS_SHEET}”工作表同名，请改名");
        }
        seen.push(n);
    }
    Ok(())
}

/// Everything the sheets are built from.
struct Ctx<'a> {
    rules: &'a Rules,
    year: i32,
    /// Years added to the examples' dates (the examples are written for one year).
    shift: i32,
    /// The year the examples are written for.
    base: Option<i32>,
    /// The usual range of a date column, and the range of `HISTORY_FIELDS`.
    from: NaiveDate,
    to: NaiveDate,
    history_from: NaiveDate,
}

impl<'a> Ctx<'a> {
    fn new(rules: &'a Rules, year: i32) -> Result<Ctx<'a>> {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let (Some(from), Some(to), Some(history_from)) = (
            ymd(year - 1, 1, 1),
            ymd(year + 1, 12, 31),
            ymd(HISTORY_FROM.0, HISTORY_FROM.1, HISTORY_FROM.2),
        ) else {
            bail!("年份 {year} 无效");
        };
        // The year most example dates are in.
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        for l in &rules.ledgers.ledgers {
            for f in l.fields.iter().filter(|f| f.kind == FieldKind::Date) {
                if let Some(d) = parse_text(&f.example) {
                    *years.entry(d.year()).or_default() += 1;
                }
            }
        }
        let base = years.iter().max_by_key(|(y, n)| (**n, -**y)).map(|(y, _)| *y);
        Ok(Ctx {
            rules,
            year,
            shift: base.map_or(0, |b| year - b),
            base,
            from,
            to,
            history_from: history_from.min(from),
        })
    }

    /// The ledgers units fill in, in the rules' order (单位名单 comes separately, last).
    fn ledger_defs(&self) -> Vec<&'a LedgerDef> {
        self.rules
            .ledgers
            .ledgers
            .iter()
            .filter(|l| l.kind != LedgerKind::UnitList)
            .collect()
    }

    /// A date moved into the template's year, keeping month and day (29 February → 28).
    fn shift_date(&self, d: NaiveDate) -> NaiveDate {
        let y = d.year() + self.shift;
        NaiveDate::from_ymd_opt(y, d.month(), d.day())
            .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28))
            .unwrap_or(d)
    }

    /// A field's example, its dates and year numbers moved into the template's year.
    fn example(&self, f: &FieldDef) -> String {
        let e = f.example.trim();
        if e.is_empty() {
            return String::new();
        }
        if f.kind == FieldKind::Date {
            if let Some(d) = parse_text(e) {
                return self.shift_date(d).format("%Y-%m-%d").to_string();
            }
        }
        match self.base {
            Some(b) if self.shift != 0 => e.replace(&b.to_string(), &(b + self.shift).to_string()),
            _ => e.to_string(),
        }
    }

    fn date_range(&self, kind: LedgerKind, f: &FieldDef) -> (NaiveDate, NaiveDate) {
        if HISTORY_FIELDS.iter().any(|(k, id)| *k == kind && f.id == *id) {
            (self.history_from, self.to)
        } else {
            (self.from, self.to)
        }
    }

    /// The placeholders (未公开, 未答复, 无 …) a date column's comment tells clerks to write.
    fn date_words(&self, f: &FieldDef) -> Vec<String> {
        let mut out = Vec::new();
        for part in f.comment.split('“').skip(1) {
            if let Some((w, _)) = part.split_once('”') {
                if self.rules.ledgers.no_date_words.iter().any(|x| x == w) && !out.iter().any(|o| o == w) {
                    out.push(w.to_string());
                }
            }
        }
        out
    }

    /// The header note: required mark, then the rules' comment.
    fn note(f: &FieldDef) -> String {
        let comment = if f.comment.trim().is_empty() {
            f.header.clone()
        } else {
            f.comment.trim().to_string()
        };
        if f.required {
            format!("必填。{comment}")
        } else {
            comment
        }
    }

    /// The canonical values of a closed vocabulary (是/否 for yes/no fields).
    fn vocabulary(&self, f: &FieldDef) -> Vec<String> {
        match f.kind {
            FieldKind::YesNo => {
                let l = &self.rules.ledgers;
                l.yes_words
                    .iter()
                    .take(1)
                    .chain(l.no_words.iter().take(1))
                    .cloned()
                    .collect()
            }
            FieldKind::Choice => dedup(f.values.iter().filter_map(|v| v.first().cloned())),
            _ => Vec::new(),
        }
    }

    /// One ledger's sheet: canonical headers with notes, widths, date and text columns,
    /// dropdowns and date checks over `BLANK_ROWS` rows below `rows`.
    fn ledger_sheet(
        &self,
        def: &LedgerDef,
        refs: &Refs,
        lists: &mut Lists,
        units: &[UnitEntry],
        rows: &[Vec<Cell>],
    ) -> Table {
        let headers: Vec<&str> = def.fields.iter().map(|f| f.header.as_str()).collect();
        let mut t = Table::new(&def.name, &headers);
        t.blank_rows = BLANK_ROWS;
        t.rows = rows.to_vec();
        t.notes = def.fields.iter().map(|f| Some(Self::note(f))).collect();
        let unit_width = units.iter().map(|u| text::width(&u.name)).max().unwrap_or(0).max(16);
        let category_width = self
            .rules
            .checklist
            .items
            .iter()
            .map(|i| text::width(&i.name))
            .max()
            .unwrap_or(0);
        for (c, f) in def.fields.iter().enumerate() {
            let col = c as u16;
            let is_unit = f.id == "unit" && def.kind != LedgerKind::UnitList;
            let is_category = f.id == "category" && def.kind == LedgerKind::Publication;
            let width = match f.kind {
                FieldKind::Date => 12,
                _ if is_unit => unit_width,
                _ if is_category => category_width.clamp(12, 30),
                _ => text::width(&self.example(f)).clamp(8, 40),
            };
            t.min_widths.push(width);
            match f.kind {
                FieldKind::Date => {
                    t.date_columns.push(col);
                    let (from, to) = self.date_range(def.kind, f);
                    let words = self.date_words(f);
                    t.validations.push(if words.is_empty() {
                        Validation::Date { col, from, to }
                    } else {
                        Validation::DateOr { col, from, to, words }
                    });
                }
                FieldKind::Text => {
                    t.text_columns.push(col);
                    let list = if is_unit {
                        refs.unit.clone().map(|r| {
                            (
                                r,
                                format!(
                                    "“{}”应为“单位名单”工作表中的单位：请从下拉列表中选择，或先把该单位加入单位名单。",
                                    f.header
                                ),
                            )
                        })
                    } else if is_category {
                        refs.category.clone().map(|r| {
                            (r, format!("“{}”宜从下拉列表中选择（法定主动公开内容清单的二级指标）；清单以外的栏目无法对应到清单指标，不计入更新频率检查。", f.header))
                        })
                    } else if def.kind == LedgerKind::Post && f.id == "account" {
                        refs.account.clone().map(|r| {
                            (
                                r,
                                format!(
                                    "“{}”应与“政务新媒体账号”工作表中的写法一致：请从下拉列表中选择。",
                                    f.header
                                ),
                            )
                        })
                    } else {
                        None
                    };
                    if let Some((range, message)) = list {
                        t.validations.push(Validation::Choice {
                            col,
                            source: ListSource::Range(range),
                            message,
                            warn: true,
                        });
                    }
                }
                FieldKind::YesNo | FieldKind::Choice => {
                    let values = self.vocabulary(f);
                    if values.is_empty() {
                        continue;
                    }
                    let message = format!("“{}”请从下拉列表中选择：{}。", f.header, values.join("、"));
                    let joined: usize = values.iter().map(|v| v.encode_utf16().count() + 1).sum();
                    let source = if joined > LIST_TEXT_LIMIT {
                        ListSource::Range(lists.add(&f.header, values))
                    } else {
                        ListSource::Values(values)
                    };
                    t.validations.push(Validation::Choice {
                        col,
                        source,
                        message,
                        warn: false,
                    });
                }
                // 年报主动公开数据: counts and amounts, never negative. (Other ledgers'
                // number columns accept text such as 2次 and stay unchecked.)
                FieldKind::Number | FieldKind::Amount if def.kind == LedgerKind::AnnualData => {
                    let whole = f.kind == FieldKind::Number;
                    let want = if whole {
                        "不小于 0 的整数（件数）"
                    } else {
                        "不小于 0 的数（万元，可有小数）"
                    };
                    t.validations.push(Validation::Number {
                        col,
                        whole,
                        message: format!("“{}”请填写{want}；没有的填 0。", f.header),
                    });
                }
                FieldKind::Number | FieldKind::Amount => {}
            }
        }
        t
    }

    /// 填写说明: how to fill in the workbook, the date rules from the rubric's parameters,
    /// the accepted date styles, and every ledger with its purpose, the rubric items it
    /// feeds and an example value for every column.
    fn guide(&self, ledgers: &[&LedgerDef], unit_def: &LedgerDef, n_units: usize) -> Table {
        let rules = self.rules;
        let p = &rules.rubric.params;
        let y = self.year;
        let mut t = Table::new(GUIDE_SHEET, &["项目", "说明", "示例"]);
        t.title = vec![
            format!("{}{y}年度政务公开工作台账填写说明", p.county),
            format!(
                "按考核规则生成（规则摘要 {}）。填好后可用 hrgk check 自查。",
                rules.short_digest()
            ),
        ];
        t.no_filter = true;
        t.portrait = true;
        t.min_widths = vec![18, 60, 26];
        let mut kv = |k: &str, v: String, e: String| t.push(vec![k.into(), v.into(), e.into()]);
        let names: Vec<&str> = ledgers.iter().map(|l| l.name.as_str()).collect();
        let example_of = |kind: LedgerKind, id: &str| -> String {
            rules
                .ledgers
                .get(kind)
                .and_then(|l| l.field(id))
                .map(|f| self.example(f))
                .unwrap_or_default()
        };
        let example_date = |kind: LedgerKind, id: &str| -> NaiveDate {
            parse_text(&example_of(kind, id))
                .filter(|d| d.year() == y)
                .or_else(|| NaiveDate::from_ymd_opt(y, 3, 1))
                .unwrap_or(self.from)
        };
        // "2021-03-05 形成的，最迟 2021-04-02 公开" by the official calendar (none without it).
        let deadline = |from: NaiveDate, n: u32, start: &str, done: &str| -> String {
            match rules.calendar.add_workdays(from, n) {
                Ok(d) => format!("{from} {start}的，最迟 {d} {done}"),
                Err(_) => String::new(),
            }
        };

        // 一 How to fill in.
        kv(
            "工作表",
            format!(
                "本工作簿每张工作表是一种台账：{}；“{}”列出参加考核的单位。与本单位无关的台账留空即可；请勿修改工作表名称。",
                names.join("、"),
                unit_def.name
            ),
            String::new(),
        );
        kv(
            "表头",
            "第1行是标准表头，请勿修改、删除或调换；鼠标移到表头单元格上可查看该列的填写要求，标“必填”的列每行都要填写。".into(),
            String::new(),
        );
        kv(
            "填写方式",
            "从第2行起一行一条记录，不要合并单元格；从其他表格复制粘贴时，下拉列表和日期检查不会生效，粘贴后请逐列核对。".into(),
            String::new(),
        );
        let prefilled = if n_units > 0 {
            format!("已预先填入 {n_units} 个单位。")
        } else {
            String::new()
        };
        kv(
            "“单位”列",
            format!(
                "“单位”列从下拉列表中选择，列表来自“{}”工作表的“单位名称”列；名单中没有的单位请先加入名单（可在“别名”列写常用简称，多个用顿号分隔）。{prefilled}",
                unit_def.name
            ),
            example_of(LedgerKind::Publication, "unit"),
        );
        if !rules.checklist.items.is_empty() {
            kv(
                "“栏目”列",
                format!(
                    "“栏目”列宜从下拉列表中选择，列表为法定主动公开内容清单的 {} 项二级指标；更新频率按栏目检查，清单以外的栏目无法对应到指标。",
                    rules.checklist.items.len()
                ),
                example_of(LedgerKind::Publication, "category"),
            );
        }
        let closed: Vec<&str> = ledgers
            .iter()
            .copied()
            .chain(std::iter::once(unit_def))
            .flat_map(|l| l.fields.iter())
            .filter(|f| matches!(f.kind, FieldKind::YesNo | FieldKind::Choice))
            .map(|f| f.header.as_str())
            .fold(Vec::new(), |mut v, h| {
                if !v.contains(&h) {
                    v.push(h);
                }
                v
            });
        if !closed.is_empty() {
            kv(
                "下拉列表",
                format!(
                    "{}等列只能从下拉列表中选择，是/否列填“{}”或“{}”。",
                    closed.join("、"),
                    rules.ledgers.yes_words.first().map_or("是", |s| s.as_str()),
                    rules.ledgers.no_words.first().map_or("否", |s| s.as_str())
                ),
                String::new(),
            );
        }

        // 二 Date rules, from the rubric's parameters and the official calendar.
        let formed = example_date(LedgerKind::Publication, "formed");
        kv(
            "主动公开时限",
            format!(
                "自信息形成或变更之日起 {} 个工作日内公开，超过的计为逾期公开。形成当天不计，从次日起算；工作日按国务院办公厅公布的节假日安排计算：周末和法定节假日不算，调休上班的周六、周日算工作日。",
                p.publish_workdays
            ),
            deadline(formed, p.publish_workdays, "形成", "公开"),
        );
        kv(
            "每月公开量",
            format!(
                "每个单位每月公开信息不少于 {} 条，按“公开日期”所在月份统计。",
                p.monthly_minimum
            ),
            String::new(),
        );
        let received = example_date(LedgerKind::Request, "received");
        kv(
            "依申请公开答复期限",
            format!(
                "自收到申请之日起 {} 个工作日内答复；经批准延期的，总期限不超过 {} 个工作日。要求补正的，自收到补正材料之日起重新计算；征求第三方或其他机关意见的时间不计入。",
                p.request_workdays, p.request_extended_workdays
            ),
            deadline(received, p.request_workdays, "收到", "答复"),
        );
        let asked = example_date(LedgerKind::Inquiry, "received");
        kv(
            "网上问政回复期限",
            format!(
                "按“回复期限”列计算（填工作日数或截止日期）；未填写的，默认自收到之日起 {} 个工作日内回复。",
                p.inquiry_workdays
            ),
            deadline(asked, p.inquiry_workdays, "收到", "回复"),
        );
        let checkpoints: Vec<String> = p
            .newmedia_checkpoints
            .iter()
            .map(|c| {
                if c == "month_end" {
                    "每月最后一天".to_string()
                } else {
                    month_day(c)
                }
            })
            .collect();
        kv(
            "政务新媒体",
            format!(
                "每个监测时间点（默认{}）前超过 {} 天无更新的账号，该时间点计一次不合格；“监测时间点”工作表填写后替换默认时间点。",
                checkpoints.join("、"),
                p.newmedia_max_silence_days
            ),
            String::new(),
        );
        kv(
            "年度报告",
            format!(
                "{}年度政府信息公开工作年度报告应在{y}年{}前上报、{}前在政府网站公布。",
                y + p.annual_report_year_offset,
                month_day(&p.annual_report_submit_by),
                month_day(&p.annual_report_publish_by)
            ),
            String::new(),
        );

        // 三 Date styles.
        kv(
            "日期写法",
            format!(
                "日期列已设为日期格式，直接输入 {y}-03-05 即可。从其他表格粘贴的日期也可识别 {y}/3/5、{y}.3.5、{y}年3月5日、{y}0305 等写法（可带时间）。日期必须真实存在，如 2 月 30 日无法识别；不要只写月日。"
            ),
            format!("{y}-03-05"),
        );
        let history: Vec<String> = HISTORY_FIELDS
            .iter()
            .filter_map(|(k, id)| rules.ledgers.get(*k)?.field(id).map(|f| format!("“{}”", f.header)))
            .collect();
        let history_note = if history.is_empty() {
            String::new()
        } else {
            format!("（{}可早至 {}）", history.join(""), self.history_from)
        };
        kv(
            "日期范围",
            format!(
                "日期列只接受 {} 至 {} 之间的日期{history_note}，超出范围会提示错误，多为年份输错。",
                self.from, self.to
            ),
            String::new(),
        );
        let words: Vec<String> = rules.ledgers.no_date_words.iter().map(|w| format!("“{w}”")).collect();
        kv(
            "尚无日期",
            format!(
                "尚未公开、尚未答复的，在日期列按该列说明填写“未公开”“未答复”等，或留空；可识别的写法：{}。",
                words.join("、")
            ),
            rules.ledgers.no_date_words.first().cloned().unwrap_or_default(),
        );

        // 四 Every ledger: purpose, rubric items, columns with an example.
        for def in ledgers.iter().copied().chain(std::iter::once(unit_def)) {
            let feeds: Vec<String> = def
                .feeds
                .iter()
                .map(|id| match rules.rubric.item(id) {
                    Some(i) => format!("{} {}", i.id, i.name),
                    None => id.clone(),
                })
                .collect();
            let mut what = def.description.trim().to_string();
            if !feeds.is_empty() {
                what.push_str(&format!("\n计分项目：{}。", feeds.join("、")));
            }
            kv(&format!("【{}】", def.name), what, "示例".into());
            for (c, f) in def.fields.iter().enumerate() {
                kv(
                    &format!("{} {}", text::column_letter(c as u32), f.header),
                    Self::note(f),
                    self.example(f),
                );
            }
        }
        t
    }
}

/// "01-31" → "1月31日" (as written when it is not MM-DD).
fn month_day(s: &str) -> String {
    match s.split_once('-').map(|(m, d)| (m.parse::<u32>(), d.parse::<u32>())) {
        Some((Ok(m), Ok(d))) => format!("{m}月{d}日"),
        _ => s.to_string(),
    }
}

/// The sheets as `hrgk score` would read them, so that the template is checked against
/// the real header detection: every ledger sheet must read back as its ledger, the
/// other sheets as no ledger (their text must not look like a header row).
fn check_reads_back(tables: &[Table], rules: &Rules) -> Result<()> {
    for t in tables {
        let sheet = as_sheet(t);
        let expected = rules.ledgers.ledgers.iter().find(|l| l.name == t.name).map(|l| l.kind);
        let got = match header::detect(&sheet, &rules.ledgers, &[&t.name]) {
            Detection::Ledger { kind, .. } => Some(kind),
            Detection::NotRecognised { .. } => None,
        };
        if got != expected {
            let name = |k: Option<LedgerKind>| {
                k.and_then(|k| rules.ledgers.get(k))
                    .map_or("无".to_string(), |l| format!("“{}”", l.name))
            };
            bail!(
                "模板的“{}”工作表读回时会被识别为 {}，应为 {}：请检查规则 ledgers.toml 中的表头、同义词和关键词",
                t.name,
                name(got),
                name(expected)
            );
        }
    }
    Ok(())
}

/// A table's text as a sheet read from a file: title lines, header, data rows.
fn as_sheet(t: &Table) -> Sheet {
    let mut lines: Vec<Vec<Cell>> = t.title.iter().map(|s| vec![Cell::from(s.as_str())]).collect();
    lines.push(t.headers.iter().map(|h| Cell::from(h.as_str())).collect());
    lines.extend(t.rows.iter().cloned());
    let rows = lines
        .into_iter()
        .enumerate()
        .map(|(i, cells)| Row {
            index: i as u32,
            cells: cells
                .into_iter()
                .enumerate()
                .filter_map(|(c, cell)| {
                    let v = match cell {
                        Cell::Empty => return None,
                        Cell::Text(s) => Value::Text(s),
                        Cell::Num(x) => Value::Number(x),
                        Cell::Date(d) => Value::Date(d.and_time(chrono::NaiveTime::MIN)),
                    };
                    (!v.is_empty()).then_some((c as u32, v))
                })
                .collect(),
        })
        .filter(|r| !r.cells.is_empty())
        .collect();
    Sheet {
        name: t.name.clone(),
        rows,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::embedded().unwrap()
    }

    #[test]
    fn sheets_in_order_and_read_back_as_themselves() {
        let r = rules();
        let ts = tables(&r, 2021, &[]).unwrap();
        let names: Vec<&str> = ts.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names.first(), Some(&GUIDE_SHEET));
        assert_eq!(names.last(), Some(&LISTS_SHEET));
        assert_eq!(names[names.len() - 2], "单位名单");
        assert!(names.contains(&"监测时间点"));
        assert!(ts.last().unwrap().hidden);
        // tables() already runs the read-back check; make sure it fails when it should.
        let mut bad = ts[0].clone();
        bad.rows
            .insert(0, vec!["信息名称".into(), "形成日期".into(), "公开日期".into()]);
        assert!(check_reads_back(&[bad], &r).is_err());
    }

    #[test]
    fn examples_move_into_the_template_year() {
        let r = rules();
        let c = Ctx::new(&r, 2024).unwrap();
        let def = r.ledgers.get(LedgerKind::Publication).unwrap();
        assert_eq!(c.example(def.field("formed").unwrap()), "2024-03-05");
        assert_eq!(c.example(def.field("doc_no").unwrap()), "华财发〔2024〕5号");
        let c = Ctx::new(&r, 2021).unwrap();
        assert_eq!(c.example(def.field("formed").unwrap()), "2021-03-05");
    }

    #[test]
    fn placeholders_come_from_the_column_comment() {
        let r = rules();
        let c = Ctx::new(&r, 2021).unwrap();
        let def = r.ledgers.get(LedgerKind::Publication).unwrap();
        assert_eq!(c.date_words(def.field("published").unwrap()), vec!["未公开"]);
        assert!(c.date_words(def.field("formed").unwrap()).is_empty());
    }

    #[test]
    fn sheet_refs_quote_when_needed() {
        assert_eq!(sheet_ref("单位名单"), "单位名单");
        assert_eq!(sheet_ref("Units 1"), "'Units 1'");
        assert_eq!(column_range("单位名单", 0, 1000), "=单位名单!$A$2:$A$1000");
    }

    #[test]
    fn long_vocabularies_go_to_the_lists_sheet() {
        let mut r = rules();
        let def = r
            .ledgers
            .ledgers
            .iter_mut()
            .find(|l| l.kind == LedgerKind::Request)
            .unwrap();
        let f = def.fields.iter_mut().find(|f| f.id == "applicant_type").unwrap();
        f.values = (0..60).map(|i| vec![format!("申请人类别{i}")]).collect();
        let ts = tables(&r, 2021, &[]).unwrap();
        let lists = ts.iter().find(|t| t.name == LISTS_SHEET).unwrap();
        // 办理结果 (the 21 results of the annual report and the groups) is long too.
        assert_eq!(lists.headers, vec!["栏目", "申请人类型", "办理结果"]);
        let req = ts.iter().find(|t| t.name == "依申请公开台账").unwrap();
        assert!(req.validations.iter().any(|v| matches!(
            v,
            Validation::Choice { source: ListSource::Range(s), .. } if s == "=下拉选项!$B$2:$B$61"
        )));
    }
}

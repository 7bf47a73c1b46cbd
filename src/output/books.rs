//! The score workbook's sheets, as tables.

use chrono::Datelike;

use crate::assess::Assessment;
use crate::output::xlsx::{Cell, ChartKind, ChartSpec, Highlight, Series, Shared, Spark, Table};
use crate::rules::{ItemKind, Rules};
use crate::score::Line;

mod duties;
pub mod review;

fn yes_no(b: bool) -> Cell {
    Cell::from(if b { "是" } else { "否" })
}

/// A title from the rules: "<county><year>年度<what>".
pub fn title(rules: &Rules, year: i32, what: &str) -> String {
    format!("{}{year}年度{what}", rules.rubric.params.county)
}

/// Every deduction counted after caps (score items' lost points and 扣分事项).
pub fn total_deducted(s: &crate::score::UnitScore) -> f64 {
    let lost: f64 = s
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Score)
        .map(|i| i.max - i.score)
        .sum();
    lost + s.penalty
}

/// The columns of 汇总 after the categories, with the note every header carries.
const SUMMARY_TAIL: [(&str, &str); 7] = [
    ("加分", "加分事项（H）计入的分数，已按上限封顶"),
    ("扣分事项", "扣分事项（P1–P3）扣除的分数，不含各考核项目内的扣分"),
    ("合计扣分", "各考核项目扣分（扣完为止后）与扣分事项之和"),
    ("总分", "各类别得分 + 加分 − 扣分事项"),
    ("组内排名", "在本类别（县直部门或乡镇）中的名次，同分同名次"),
    ("组内单位数", "本类别参加考核的单位数"),
    ("备注", ""),
];

/// 汇总: one row per unit. Category headers are short ("A 组织领导（5）") with the
/// full name in the header note.
pub fn summary(a: &Assessment, rules: &Rules) -> Table {
    let mut headers: Vec<String> = vec!["单位".into(), "类别".into()];
    let mut notes: Vec<Option<String>> = vec![None, None];
    for c in &rules.rubric.categories {
        headers.push(format!(
            "{} {}（{}）",
            c.id,
            c.short_name(),
            crate::output::table::fmt_num(c.points)
        ));
        notes.push(Some(format!(
            "{} {}（{}分）",
            c.id,
            c.name,
            crate::output::table::fmt_num(c.points)
        )));
    }
    for (h, n) in SUMMARY_TAIL {
        headers.push(h.into());
        notes.push((!n.is_empty()).then(|| n.to_string()));
    }
    let h: Vec<&str> = headers.iter().map(|s| s.as_str()).collect();
    let mut t = Table::new("汇总", &h);
    t.notes = notes;
    t.title = vec![title(rules, a.period.year, "政务公开工作考核结果")];
    for s in &a.scores {
        let not_submitted = a
            .submissions
            .unit(s.unit)
            .is_some_and(|u| u.status == crate::ingest::submissions::NOT_SUBMITTED);
        let mut row: Vec<Cell> = vec![s.name.clone().into(), s.group_name.clone().into()];
        row.extend(s.categories.iter().map(|c| Cell::Num(c.score)));
        row.push(Cell::Num(s.bonus));
        row.push(Cell::Num(s.penalty));
        row.push(Cell::Num(total_deducted(s)));
        row.push(Cell::Num(s.total));
        row.push(s.rank.into());
        row.push(s.group_size.into());
        let mut notes: Vec<String> = Vec::new();
        if not_submitted {
            notes.push("未报送：没有找到本单位的任何台账行".into());
        }
        notes.extend(s.zeroed.clone().map(|z| format!("总分为零：{z}")));
        notes.extend(review::total_note(s));
        row.push(notes.join("；").into());
        t.push(row);
    }
    t
}

/// The groups in the order of the scores (already sorted by group, then rank).
fn groups(a: &Assessment) -> Vec<(String, Vec<&crate::score::UnitScore>)> {
    let mut out: Vec<(String, Vec<&crate::score::UnitScore>)> = Vec::new();
    for s in &a.scores {
        match out.iter_mut().find(|(g, _)| *g == s.group_name) {
            Some((_, v)) => v.push(s),
            None => out.push((s.group_name.clone(), vec![s])),
        }
    }
    out
}

/// 汇总图: per group, a column chart of totals (highest first) with the group average.
pub fn summary_charts(a: &Assessment, rules: &Rules) -> Table {
    let mut t = Table::new("汇总图", &[]);
    // Portrait: a page is tall enough for one bar per unit with its name.
    t.portrait = true;
    for (g, units) in groups(a) {
        let avg = units.iter().map(|s| s.total).sum::<f64>() / units.len().max(1) as f64;
        // Horizontal bars keep every name readable; the average is the first bar.
        let mut categories = vec!["（组内平均）".to_string()];
        categories.extend(units.iter().map(|s| s.name.clone()));
        let mut values = vec![avg];
        values.extend(units.iter().map(|s| s.total));
        t.charts.push(ChartSpec {
            title: format!(
                "{}{g}总分（组内平均 {}）",
                title(rules, a.period.year, ""),
                crate::output::table::fmt_num(crate::score::round2(avg))
            ),
            kind: ChartKind::Bar,
            categories,
            series: vec![Series {
                name: "总分".into(),
                values,
                line: false,
            }],
            value_title: "分".into(),
            first_apart: true,
        });
    }
    t
}

/// The items a unit lost most points on, largest first: "C3 主动公开时效与数量 −7".
pub fn main_losses(s: &crate::score::UnitScore, n: usize) -> String {
    let mut lost: Vec<(f64, String)> = s
        .items
        .iter()
        .filter(|i| i.kind != ItemKind::Bonus)
        .filter_map(|i| {
            let x = if i.kind == ItemKind::Score {
                i.max - i.score
            } else {
                i.score
            };
            (x > 1e-9).then(|| (x, format!("{} {} −{}", i.id, i.name, crate::output::table::fmt_num(x))))
        })
        .collect();
    lost.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut parts: Vec<String> = lost.into_iter().take(n).map(|(_, t)| t).collect();
    if let Some(z) = &s.zeroed {
        parts.insert(0, format!("总分为零：{z}"));
    }
    parts.join("；")
}

/// 通报: a one-page portrait ranking for the notice the office issues.
pub fn notice(a: &Assessment, rules: &Rules) -> Table {
    let mut t = Table::new("通报", &["排名", "单位", "总分", "主要失分项目"]);
    t.title = vec![title(rules, a.period.year, "政务公开工作考核结果")];
    t.portrait = true;
    t.one_page = true;
    t.no_filter = true;
    t.max_widths = vec![0, 0, 0, 54];
    for (g, units) in groups(a) {
        t.bold_rows.push(t.rows.len());
        t.push(vec![
            Cell::Empty,
            format!("{g}（{} 个单位）", units.len()).into(),
            Cell::Empty,
            Cell::Empty,
        ]);
        for s in units {
            t.push(vec![
                s.rank.into(),
                s.name.clone().into(),
                Cell::Num(s.total),
                main_losses(s, 2).into(),
            ]);
        }
    }
    let issuer = &rules.rubric.params.issuer;
    t.after = vec![format!(
        "考核期 {} 至 {}。主要失分项目为失分最多的两项（分值为扣除的分数）。{issuer}",
        a.period.start, a.period.as_of,
    )];
    t
}

/// The file's name without its folders (the full path is in 说明): printed sheets stay
/// narrow.
pub fn file_name_of(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.to_string())
}

/// 是 when the cap absorbed it; a repeated fixed standard says so instead.
pub fn absorbed_note(l: &Line) -> Cell {
    if l.withdrawn() {
        "否（已撤销）".into()
    } else if l.repeated {
        "否（每单位只扣一次，已计）".into()
    } else {
        yes_no(l.absorbed())
    }
}

/// A row of 扣分明细 or 加分明细 (`unit`: the unit's cell, made once for all its lines);
/// the texts repeated down the table are shared.
fn line_row<'a>(unit: &Cell, item_name: &'a str, l: &'a Line, texts: &mut LineTexts<'a>) -> Vec<Cell> {
    vec![
        unit.clone(),
        texts
            .items
            .cell((&l.item, item_name), || format!("{} {}", l.item, item_name)),
        texts
            .reasons
            .cell((&l.reason, &l.standard), || format!("{}（{}）", l.reason, l.standard)),
        Cell::Num(l.points),
        Cell::Num(l.counted),
        absorbed_note(l),
        match &l.src {
            Some(s) => texts.files.cell(&s.file, || file_name_of(&s.file)),
            None => "".into(),
        },
        match &l.src {
            Some(s) => (&s.sheet).into(),
            None => "".into(),
        },
        l.src.as_ref().map(|s| Cell::from(s.row)).unwrap_or(Cell::Empty),
        l.label.clone().into(),
    ]
}

/// The texts `line_row` shares down a table.
struct LineTexts<'a> {
    items: Shared<(&'a str, &'a str)>,
    reasons: Shared<(&'a str, &'a str)>,
    files: Shared<&'a str>,
}

const LINE_HEADERS: [&str; 10] = [
    "单位",
    "考核项目",
    "扣分事由",
    "扣分",
    "实际扣分",
    "是否因“扣完为止”未计",
    "文件",
    "工作表",
    "行号",
    "信息名称",
];

/// 扣分明细 (deductions and penalties) or 加分明细 (bonuses).
pub fn lines(a: &Assessment, bonus: bool) -> Table {
    let mut headers = LINE_HEADERS;
    if bonus {
        headers[2] = "加分事由";
        headers[3] = "加分";
        headers[4] = "实际加分";
        headers[5] = "是否因上限未计";
    }
    let mut t = Table::new(if bonus { "加分明细" } else { "扣分明细" }, &headers);
    // With 复核调整 decisions, a last column marks the lines they withdrew or added.
    let reviewed = !a.review.decisions.is_empty();
    if reviewed {
        t.headers.push(review::MARK_HEADER.into());
        t.highlights = review::highlights(headers.len() as u16);
    }
    t.max_widths = vec![20, 14, 30, 0, 0, 10, 18, 10, 0, 24];
    let mut texts = LineTexts {
        items: Shared::default(),
        reasons: Shared::default(),
        files: Shared::default(),
    };
    for s in &a.scores {
        let unit = Cell::from(s.name.as_str());
        for it in s.items.iter().filter(|i| (i.kind == ItemKind::Bonus) == bonus) {
            for l in &it.lines {
                let mut row = line_row(&unit, &it.name, l, &mut texts);
                if reviewed {
                    row.push(review::mark(l).into());
                }
                t.push(row);
            }
        }
    }
    t
}

/// 逾期公开 (and pending rows, marked).
pub fn late(a: &Assessment) -> Table {
    timed(a, "逾期公开", &a.checked.publications.late, "逾期")
}

/// 未到期未公开: not published at as-of, deadline not yet passed.
pub fn pending(a: &Assessment) -> Table {
    timed(a, "未到期未公开", &a.checked.publications.pending, "未到期")
}

fn timed(a: &Assessment, name: &str, list: &[crate::checks::publication::Timed], status: &str) -> Table {
    let mut t = Table::new(
        name,
        &[
            "单位",
            "信息名称",
            "形成日期",
            "最迟公开日期",
            "公开日期",
            "用时（工作日）",
            "超期（天）",
            "状态",
            "文件",
            "工作表",
            "行号",
        ],
    );
    t.max_widths = vec![20, 28, 0, 0, 0, 0, 0, 0, 18, 10, 0];
    let reg = a.ds.registry();
    let (mut units, mut files) = (Shared::default(), Shared::default());
    {
        for x in list.iter() {
            let p = &a.ds.publications[x.index];
            t.push(vec![
                units.cell(x.unit, || reg.name(x.unit).to_string()),
                a.ds.title(p).into(),
                x.formed.into(),
                match x.deadline_after {
                    Some(after) => format!("{after} 或以后（{} 年放假安排未发布）", after.year()).into(),
                    None => x.deadline.into(),
                },
                x.published.map(Cell::Date).unwrap_or_else(|| "未公开".into()),
                x.workdays_taken.into(),
                x.days_late.into(),
                status.into(),
                files.cell(&*p.src.file, || file_name_of(&p.src.file)),
                (&p.src.sheet).into(),
                p.src.row.into(),
            ]);
        }
    }
    t
}

/// 月度公开量: units × evaluated months, cells under the minimum highlighted.
pub fn monthly(a: &Assessment, rules: &Rules) -> Table {
    let months = a.period.ended_months();
    let mut headers: Vec<String> = vec!["单位".into(), "类别".into()];
    headers.extend(months.iter().map(|m| format!("{m}月")));
    headers.push("合计".into());
    headers.push("走势".into());
    let h: Vec<&str> = headers.iter().map(|s| s.as_str()).collect();
    let mut t = Table::new("月度公开量", &h);
    let minimum = rules.rubric.params.monthly_minimum;
    let mut county = vec![0u32; months.len()];
    t.title = vec![format!(
        "每月公开数量（少于 {} 条的月份标红，截至 {}）",
        rules.rubric.params.monthly_minimum, a.period.as_of
    )];
    let reg = a.ds.registry();
    // (unit, month) → count, first entry kept (a search per unit grew with units × units).
    let mut by_unit_month: std::collections::HashMap<(crate::ingest::UnitId, u32), u32> =
        std::collections::HashMap::with_capacity(a.checked.publications.monthly.len());
    for c in &a.checked.publications.monthly {
        by_unit_month.entry((c.unit, c.month)).or_insert(c.count);
    }
    for s in &a.scores {
        let counts: Vec<u32> = months
            .iter()
            .map(|m| by_unit_month.get(&(s.unit, *m)).copied().unwrap_or(0))
            .collect();
        let mut row: Vec<Cell> = vec![s.name.clone().into(), reg.group_name(s.group).into()];
        row.extend(counts.iter().map(|c| Cell::from(*c)));
        row.push(Cell::from(counts.iter().sum::<u32>()));
        row.push(Cell::Empty);
        for (c, n) in county.iter_mut().zip(&counts) {
            *c += n;
        }
        t.push(row);
    }
    if !months.is_empty() {
        let last = 1 + months.len() as u16;
        t.sparkline = Some(Spark {
            from: 2,
            to: last,
            at: last + 2,
        });
        t.min_widths = vec![0; months.len() + 3];
        t.min_widths.push(14);
        let units = a.scores.len() as f64;
        t.charts.push(ChartSpec {
            title: format!("全县每月公开数量（{} 个单位）", a.scores.len()),
            kind: ChartKind::Column,
            categories: months.iter().map(|m| format!("{m}月")).collect(),
            series: vec![
                Series {
                    name: "公开数量".into(),
                    values: county.iter().map(|c| f64::from(*c)).collect(),
                    line: false,
                },
                Series {
                    name: format!("最低要求（每单位每月 {minimum} 条）"),
                    values: vec![units * f64::from(minimum); months.len()],
                    line: true,
                },
            ],
            value_title: "条".into(),
            first_apart: false,
        });
        t.highlights.push(Highlight::Below {
            from: 2,
            to: 1 + months.len() as u16,
            value: f64::from(rules.rubric.params.monthly_minimum),
        });
    }
    t
}

/// 数据问题: every problem with its position.
pub fn problems(a: &Assessment) -> Table {
    problems_of(&a.ds)
}

/// 数据问题 of a dataset (also the `hrgk check -o` workbook).
pub fn problems_of(ds: &crate::ingest::Dataset) -> Table {
    problems_list(ds.registry(), ds.problems.iter())
}

/// 数据问题 of some problems.
pub fn problems_list<'p>(
    reg: &crate::ingest::UnitRegistry,
    problems: impl Iterator<Item = &'p crate::ingest::Problem>,
) -> Table {
    let mut t = Table::new(
        "数据问题",
        &[
            "文件",
            "工作表",
            "行号",
            "列",
            "单元格",
            "值",
            "问题代码",
            "说明（如何修改）",
            "单位",
        ],
    );
    t.max_widths = vec![18, 10, 0, 12, 6, 20, 14, 30, 16];
    for p in problems {
        t.push(vec![
            file_name_of(&p.file).into(),
            p.sheet.clone().into(),
            p.row.map(Cell::from).unwrap_or(Cell::Empty),
            p.column.clone().into(),
            p.cell.clone().into(),
            p.value.clone().into(),
            p.code().into(),
            p.message.clone().into(),
            p.unit.map(|u| reg.name(u).to_string()).unwrap_or_default().into(),
        ]);
    }
    t
}

/// 说明: what was read, with which rules, and what had no data behind it.
pub fn about(a: &Assessment, rules: &Rules) -> Table {
    let mut t = Table::new("说明", &["项目", "内容"]);
    t.portrait = true;
    // Paths and hashes: the whole portrait width for the text.
    t.max_widths = vec![24, 62];
    let mut kv = |k: &str, v: String| t.push(vec![k.into(), v.into()]);
    let tool = crate::build_info::ToolInfo::new(rules);
    kv("工具版本", tool.version_line());
    kv("考核年度", a.period.year.to_string());
    kv("考核期", format!("{} 至 {}", a.period.start, a.period.as_of));
    kv("规则摘要（SHA-256）", rules.digest.clone());
    kv("日历", tool.years_text());
    for (f, origin) in &rules.sources {
        kv("规则文件", format!("{f}（{origin}）"));
    }
    for f in &a.ds.files {
        let status = match (&f.error, &f.duplicate_of) {
            (Some(e), _) => format!("无法读取：{e}"),
            (None, Some(first)) => format!("SHA-256 {}，与 {first} 内容完全相同，只读取一次", f.sha256),
            (None, None) => format!("SHA-256 {}", f.sha256),
        };
        kv("输入文件", format!("{}  {status}", f.path));
        for s in &f.sheets {
            let what = match s.ledger {
                Some(_) => format!(
                    "识别为“{}”，表头在第 {} 行，读取 {} 行",
                    s.ledger_name,
                    s.header_row.unwrap_or(0),
                    s.rows
                ),
                None => format!("未识别：{}；看到的列名：{}", s.reason, s.headers_seen.join("、")),
            };
            kv(
                "  工作表",
                format!("{}{}：{what}", s.name, super::check::hidden_mark(s)),
            );
        }
    }
    let sk = a.ds.skipped;
    if sk.total() > 0 {
        kv(
            "跳过的文件",
            format!(
                "{} 个（Excel 临时锁定文件 {}，隐藏文件 {}，其他类型 {}，本工具以前生成的结果 {}，未填写的空白模板 {}）",
                sk.total(),
                sk.lock,
                sk.hidden,
                sk.other,
                sk.outputs,
                sk.templates
            ),
        );
    }
    for sk in &a.ds.skipped_files {
        kv("  跳过", format!("{}：{}", sk.path, sk.reason));
    }
    let pubs = &a.checked.publications;
    kv("按20个工作日核对的信息", format!("{} 条", pubs.checked));
    kv("考核期外的信息（未核对）", format!("{} 条", pubs.out_of_period));
    kv(
        "非主动公开信息（依申请公开、不予公开，不计时效和数量）",
        format!("{} 条", pubs.non_proactive),
    );
    let unfed: Vec<String> = rules
        .rubric
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Score && !a.checked.fed.contains(&i.id))
        .map(|i| format!("{} {}", i.id, i.name))
        .collect();
    kv(
        "无数据支撑的考核项目（按满分计）",
        if unfed.is_empty() {
            "无".into()
        } else {
            unfed.join("、")
        },
    );
    let g1 = &a.checked.annual;
    if g1.tables_given {
        kv(
            "G1 年报格式（--annual-tables）",
            "“年报与指南”中“格式是否规范”未填的单位，按给出的年报统计表判断：找不到表三或表四、行列标签与正式格式不符、应填数字处不是数字、本单位数字不满足勾稽关系的为格式不规范（与台账数字不同不算格式问题）；没有找到本单位统计表的不判断".into(),
        );
        let used: Vec<_> = g1.entries.iter().filter(|e| e.format_from_tables.is_some()).collect();
        if used.is_empty() {
            kv(
                "  按年报统计表判断",
                "无（格式是否规范均已填写，或没有找到这些单位的统计表）".into(),
            );
        }
        for e in used {
            let verdict = match e.format_from_tables.as_deref() {
                Some([]) | None => "规范".to_string(),
                Some(reasons) => format!("不规范：{}", reasons.join("；")),
            };
            kv(
                "  按年报统计表判断",
                format!("{}：{verdict}", a.ds.registry().name(e.unit)),
            );
        }
    }
    let absent = duties::ledgers_absent(a, rules);
    kv(
        "输入中没有的台账（相关考核项目不扣分）",
        if absent.is_empty() {
            "无".into()
        } else {
            absent.join("、")
        },
    );
    for (unit, names) in duties::ledgers_found(a, rules) {
        let found = if names.is_empty() {
            "未找到本单位的任何台账".to_string()
        } else {
            names.join("、")
        };
        kv("单位台账", format!("{unit}：{found}"));
    }
    t
}

/// One sheet per duty ledger (meetings, requests, inquiries, new media, annual
/// reports, consultations, findings), first column the unit.
pub fn ledger_tables(a: &Assessment, rules: &Rules) -> Vec<Table> {
    duties::tables(a, rules)
}

/// All sheets of the score workbook, each built when the writer comes to it (a million
/// ledger rows make 扣分明细 and 逾期公开 about 30 000 rows each: never both in memory).
pub fn score_book<'a>(a: &'a Assessment, rules: &'a Rules) -> impl Iterator<Item = Table> + 'a {
    type Build<'a> = Box<dyn Fn() -> Vec<Table> + 'a>;
    let mut v: Vec<Build<'a>> = vec![
        Box::new(|| vec![crate::output::submissions::table(&a.submissions)]),
        Box::new(|| vec![summary(a, rules)]),
        Box::new(|| vec![notice(a, rules)]),
        Box::new(|| vec![summary_charts(a, rules)]),
        Box::new(|| vec![lines(a, false)]),
        Box::new(|| vec![lines(a, true)]),
        Box::new(|| vec![late(a)]),
        Box::new(|| vec![pending(a)]),
        Box::new(|| vec![monthly(a, rules)]),
        Box::new(|| vec![crate::output::frequency::matrix(a, rules, "更新频率")]),
    ];
    if !a.review.decisions.is_empty() {
        v.insert(3, Box::new(|| vec![review::table(a, rules)]));
    }
    v.push(Box::new(|| ledger_tables(a, rules)));
    v.push(Box::new(|| vec![problems(a)]));
    v.push(Box::new(|| vec![about(a, rules)]));
    v.into_iter().flat_map(|build| build())
}

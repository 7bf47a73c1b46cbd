//! The score workbook's sheets, as tables.

use crate::assess::Assessment;
use crate::output::xlsx::{Cell, Highlight, Table};
use crate::rules::{ItemKind, Rules};
use crate::score::Line;

mod duties;
pub mod review;

fn yes_no(b: bool) -> Cell {
    Cell::from(if b { "是" } else { "否" })
}

/// 汇总: one row per unit.
pub fn summary(a: &Assessment, rules: &Rules) -> Table {
    let mut headers: Vec<String> = vec!["单位".into(), "类别".into()];
    for c in &rules.rubric.categories {
        headers.push(format!(
            "{} {}（{}分）",
            c.id,
            c.name,
            crate::output::table::fmt_num(c.points)
        ));
    }
    headers.extend(["加分", "扣分", "总分", "组内排名", "备注"].map(String::from));
    let h: Vec<&str> = headers.iter().map(|s| s.as_str()).collect();
    let mut t = Table::new("汇总", &h);
    t.title = vec![format!("华容县{}年度政务公开工作考核结果", a.period.year)];
    for s in &a.scores {
        let mut row: Vec<Cell> = vec![s.name.clone().into(), s.group_name.clone().into()];
        row.extend(s.categories.iter().map(|c| Cell::Num(c.score)));
        row.push(Cell::Num(s.bonus));
        row.push(Cell::Num(s.penalty));
        row.push(Cell::Num(s.total));
        row.push(format!("{}/{}", s.rank, s.group_size).into());
        let notes: Vec<String> = s
            .zeroed
            .clone()
            .map(|z| format!("总分为零：{z}"))
            .into_iter()
            .chain(review::total_note(s))
            .collect();
        row.push(notes.join("；").into());
        t.push(row);
    }
    t
}

/// 是 when the cap absorbed it; a repeated fixed standard says so instead.
pub fn absorbed_note(l: &Line) -> Cell {
    if l.withdrawn() {
        "否（已撤销）".into()
    } else if l.repeated {
        "否（该标准每单位只扣一次，已计）".into()
    } else {
        yes_no(l.absorbed())
    }
}

fn line_row(unit: &str, item_name: &str, l: &Line) -> Vec<Cell> {
    vec![
        unit.into(),
        format!("{} {}", l.item, item_name).into(),
        format!("{}（{}）", l.reason, l.standard).into(),
        Cell::Num(l.points),
        Cell::Num(l.counted),
        absorbed_note(l),
        l.src.as_ref().map(|s| s.file.to_string()).unwrap_or_default().into(),
        l.src.as_ref().map(|s| s.sheet.to_string()).unwrap_or_default().into(),
        l.src.as_ref().map(|s| Cell::from(s.row)).unwrap_or(Cell::Empty),
        l.label.clone().into(),
    ]
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
    for s in &a.scores {
        for it in s.items.iter().filter(|i| (i.kind == ItemKind::Bonus) == bonus) {
            for l in &it.lines {
                let mut row = line_row(&s.name, &it.name, l);
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
    let reg = a.ds.registry();
    {
        for x in list.iter() {
            let p = &a.ds.publications[x.index];
            t.push(vec![
                reg.name(x.unit).into(),
                p.title.clone().into(),
                x.formed.into(),
                x.deadline.into(),
                x.published.map(Cell::Date).unwrap_or_else(|| "未公开".into()),
                x.workdays_taken.into(),
                x.days_late.into(),
                status.into(),
                p.src.file.to_string().into(),
                p.src.sheet.to_string().into(),
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
    let h: Vec<&str> = headers.iter().map(|s| s.as_str()).collect();
    let mut t = Table::new("月度公开量", &h);
    t.title = vec![format!(
        "每月公开数量（少于 {} 条的月份标红，截至 {}）",
        rules.rubric.params.monthly_minimum, a.period.as_of
    )];
    let reg = a.ds.registry();
    for s in &a.scores {
        let counts: Vec<u32> = months
            .iter()
            .map(|m| {
                a.checked
                    .publications
                    .monthly
                    .iter()
                    .find(|c| c.unit == s.unit && c.month == *m)
                    .map_or(0, |c| c.count)
            })
            .collect();
        let mut row: Vec<Cell> = vec![s.name.clone().into(), reg.group_name(s.group).into()];
        row.extend(counts.iter().map(|c| Cell::from(*c)));
        row.push(Cell::from(counts.iter().sum::<u32>()));
        t.push(row);
    }
    if !months.is_empty() {
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
    let reg = ds.registry();
    for p in &ds.problems {
        t.push(vec![
            p.file.clone().into(),
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
        let status = match &f.error {
            Some(e) => format!("无法读取：{e}"),
            None => format!("SHA-256 {}", f.sha256),
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

/// All sheets of the score workbook.
pub fn score_book(a: &Assessment, rules: &Rules) -> Vec<Table> {
    let mut v = vec![
        summary(a, rules),
        lines(a, false),
        lines(a, true),
        late(a),
        pending(a),
        monthly(a, rules),
        crate::output::frequency::matrix(a, rules, "更新频率"),
    ];
    if !a.review.decisions.is_empty() {
        v.insert(3, review::table(a));
    }
    v.extend(ledger_tables(a, rules));
    v.push(problems(a));
    v.push(about(a, rules));
    v
}

//! 生成样例台账：samples/2021/（先删除再重建）、samples/单位名单.xlsx 和 samples/README.md。
//!
//!     cargo run --example gen_samples
//!
//! 输出完全确定（固定种子的线性同余随机数），再次运行得到相同内容。台账按县里各单位
//! 实际交来的样子写：标题行、填报单位行、空行、序号列、各种表头写法、Excel 日期单元格、
//! 五种文本日期、常规格式里的 8 位数字、表尾落款、GBK 编码的 CSV、扩展名为 .xls 的 xlsx。
//! 故意埋下的问题（逾期、未公开、某月少于 5 条、错误日期、重复行、空标题 …）在生成时
//! 记录下来，按考核规则（工作日用本文件内置的 2020–2022 年节假日安排）算出预期结果，
//! 写进 README.md。

// Data tables are written as tuples on purpose: one line per row reads like the ledger.
#![allow(clippy::type_complexity)]

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

// ───────────────────────── 随机数 ─────────────────────────

/// 64 位线性同余发生器（Knuth MMIX 常数），取高位。
struct Lcg(u64);

impl Lcg {
    fn new(seed: u64) -> Self {
        let mut g = Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2021_0305);
        g.next();
        g
    }
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() as usize) % n.max(1)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
    fn chance(&mut self, pct: u32) -> bool {
        self.next() % 100 < pct
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

// ───────────────────────── 日历 ─────────────────────────

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// 国务院办公厅 2021、2022 年部分节假日安排（2020 年 12 月无节假日）。
const HOLIDAYS: &[((i32, u32, u32), (i32, u32, u32))] = &[
    ((2021, 1, 1), (2021, 1, 3)),
    ((2021, 2, 11), (2021, 2, 17)),
    ((2021, 4, 3), (2021, 4, 5)),
    ((2021, 5, 1), (2021, 5, 5)),
    ((2021, 6, 12), (2021, 6, 14)),
    ((2021, 9, 19), (2021, 9, 21)),
    ((2021, 10, 1), (2021, 10, 7)),
    ((2022, 1, 1), (2022, 1, 3)),
    ((2022, 1, 31), (2022, 2, 6)),
];
/// 调休上班的周末。
const MAKEUP: &[(i32, u32, u32)] = &[
    (2021, 2, 7),
    (2021, 2, 20),
    (2021, 4, 25),
    (2021, 5, 8),
    (2021, 9, 18),
    (2021, 9, 26),
    (2021, 10, 9),
    (2022, 1, 29),
    (2022, 1, 30),
];

fn is_wd(x: NaiveDate) -> bool {
    assert!(x >= d(2020, 12, 1) && x <= d(2022, 3, 31), "内置日历不含 {x}");
    if MAKEUP.iter().any(|&(y, m, dd)| d(y, m, dd) == x) {
        return true;
    }
    if HOLIDAYS
        .iter()
        .any(|&((y1, m1, d1), (y2, m2, d2))| d(y1, m1, d1) <= x && x <= d(y2, m2, d2))
    {
        return false;
    }
    !matches!(x.weekday(), Weekday::Sat | Weekday::Sun)
}

/// 第 n 个工作日（不含当天）。
fn add_wd(x: NaiveDate, n: u32) -> NaiveDate {
    let mut y = x;
    let mut k = 0;
    while k < n {
        y = y.succ_opt().unwrap();
        if is_wd(y) {
            k += 1;
        }
    }
    y
}

/// 之前的第 n 个工作日（n = 0：当天或之前最近的工作日）。
fn sub_wd(x: NaiveDate, n: u32) -> NaiveDate {
    let mut y = x;
    while !is_wd(y) {
        y = y.pred_opt().unwrap();
    }
    let mut k = 0;
    while k < n {
        y = y.pred_opt().unwrap();
        if is_wd(y) {
            k += 1;
        }
    }
    y
}

/// 当天或之后最近的工作日。
fn next_wd(x: NaiveDate) -> NaiveDate {
    let mut y = x;
    while !is_wd(y) {
        y = y.succ_opt().unwrap();
    }
    y
}

/// (a, b] 内的工作日数。
fn count_wd(a: NaiveDate, b: NaiveDate) -> i64 {
    let mut n = 0;
    let mut y = a;
    while y < b {
        y = y.succ_opt().unwrap();
        if is_wd(y) {
            n += 1;
        }
    }
    n
}

fn last_day(m: u32) -> NaiveDate {
    if m == 12 {
        d(2021, 12, 31)
    } else {
        d(2021, m + 1, 1).pred_opt().unwrap()
    }
}

const AS_OF: (i32, u32, u32) = (2021, 12, 31);

fn as_of() -> NaiveDate {
    d(AS_OF.0, AS_OF.1, AS_OF.2)
}

// ───────────────────────── 单位 ─────────────────────────

struct Unit {
    name: &'static str,
    /// 标题里的写法（县卫健局、章华镇）。
    short: &'static str,
    /// 正式名称（公告落款）：华容县卫生健康局、章华镇人民政府。
    full: &'static str,
    town: bool,
    aliases: &'static str,
    /// 发文字号的机关代字。
    abbr: &'static str,
}

#[rustfmt::skip]
const UNITS: &[Unit] = &[
    Unit { name: "章华镇", short: "章华镇", full: "章华镇人民政府", town: true, aliases: "章华、章华镇人民政府", abbr: "章政发" },
    Unit { name: "治河渡镇", short: "治河渡镇", full: "治河渡镇人民政府", town: true, aliases: "治河渡、治河渡镇人民政府", abbr: "治政发" },
    Unit { name: "东山镇", short: "东山镇", full: "东山镇人民政府", town: true, aliases: "东山、东山镇人民政府", abbr: "东政发" },
    Unit { name: "三封寺镇", short: "三封寺镇", full: "三封寺镇人民政府", town: true, aliases: "三封寺、三封寺镇人民政府", abbr: "三政发" },
    Unit { name: "团洲乡", short: "团洲乡", full: "团洲乡人民政府", town: true, aliases: "团洲、团洲乡人民政府", abbr: "团政发" },
    Unit { name: "新河乡", short: "新河乡", full: "新河乡人民政府", town: true, aliases: "新河、新河乡人民政府", abbr: "新政发" },
    Unit { name: "华容县卫生健康局", short: "县卫健局", full: "华容县卫生健康局", town: false, aliases: "卫健局、县卫健局", abbr: "华卫发" },
    Unit { name: "华容县人力资源和社会保障局", short: "县人社局", full: "华容县人力资源和社会保障局", town: false, aliases: "人社局、县人社局", abbr: "华人社发" },
    Unit { name: "华容县教育体育局", short: "县教体局", full: "华容县教育体育局", town: false, aliases: "教体局、县教体局、教育局", abbr: "华教体发" },
    Unit { name: "华容县财政局", short: "县财政局", full: "华容县财政局", town: false, aliases: "财政局、县财政局", abbr: "华财发" },
    Unit { name: "华容县市场监督管理局", short: "县市场监管局", full: "华容县市场监督管理局", town: false, aliases: "市监局、市场监管局、县市场监管局", abbr: "华市监发" },
    Unit { name: "华容县自然资源局", short: "县自然资源局", full: "华容县自然资源局", town: false, aliases: "自然资源局、县自然资源局", abbr: "华自然资发" },
];

fn unit(name: &str) -> &'static Unit {
    UNITS.iter().find(|u| u.name == name).expect("unit")
}

// ───────────────────────── 单元格与工作表 ─────────────────────────

#[derive(Clone, Debug)]
enum C {
    E,
    S(String),
    N(f64),
    /// Excel 日期单元格及其数字格式。
    D(NaiveDate, &'static str),
}

fn s(x: impl Into<String>) -> C {
    C::S(x.into())
}

/// 一张工作表：标题行合并居中，表头加粗换行，数据区加边框。
struct Grid {
    name: String,
    rows: Vec<Vec<C>>,
    title_rows: BTreeSet<usize>,
    merge_titles: bool,
    header_row: Option<usize>,
    /// 数据区（加边框）的最后一行（含）。
    data_end: usize,
}

impl Grid {
    fn new(name: &str) -> Self {
        Grid {
            name: name.to_string(),
            rows: Vec::new(),
            title_rows: BTreeSet::new(),
            merge_titles: true,
            header_row: None,
            data_end: 0,
        }
    }
    fn title(&mut self, t: &str) {
        self.title_rows.insert(self.rows.len());
        self.rows.push(vec![s(t)]);
    }
    fn line(&mut self, cells: Vec<C>) -> usize {
        self.rows.push(cells);
        self.rows.len() - 1
    }
    fn header(&mut self, h: &[&str]) {
        self.header_row = Some(self.rows.len());
        self.rows.push(h.iter().map(|x| s(*x)).collect());
    }
    /// 加一行数据，返回 Excel 行号。
    fn data(&mut self, cells: Vec<C>) -> u32 {
        self.rows.push(cells);
        self.data_end = self.rows.len() - 1;
        self.rows.len() as u32
    }
    fn ncols(&self) -> usize {
        self.header_row
            .map(|h| self.rows[h].len())
            .unwrap_or_else(|| self.rows.iter().map(|r| r.len()).max().unwrap_or(1))
    }
}

fn width_of(t: &str) -> usize {
    t.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn write_xlsx(path: &Path, grids: &[Grid]) -> Res<()> {
    let mut wb = Workbook::new();
    // 固定创建时间和作者，重新生成的文件逐字节相同。
    wb.set_properties(
        &DocProperties::new()
            .set_author("华容县政务公开办")
            .set_creation_datetime(&d(2022, 1, 10)),
    );
    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let header_fmt = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#DDEBF7");
    let cell_fmt = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let plain = Format::new();
    for g in grids {
        let ws = wb.add_worksheet();
        ws.set_name(&g.name)?;
        let ncols = g.ncols();
        // 列宽按表头和数据的显示宽度。
        let mut widths = vec![6usize; ncols.max(1)];
        for (ri, row) in g.rows.iter().enumerate() {
            if g.title_rows.contains(&ri) {
                continue;
            }
            let in_table = g.header_row.is_some_and(|h| ri >= h && ri <= g.data_end.max(h));
            if !in_table {
                continue;
            }
            for (ci, c) in row.iter().enumerate() {
                let w = match c {
                    C::S(t) => t.split('\n').map(width_of).max().unwrap_or(0),
                    C::N(_) => 9,
                    C::D(..) => 11,
                    C::E => 0,
                };
                if ci < widths.len() {
                    widths[ci] = widths[ci].max(w + 2);
                }
            }
        }
        for (ci, w) in widths.iter().enumerate() {
            ws.set_column_width(ci as u16, (*w).min(56) as f64)?;
        }
        for (ri, row) in g.rows.iter().enumerate() {
            let r = ri as u32;
            if g.title_rows.contains(&ri) {
                let t = match row.first() {
                    Some(C::S(t)) => t.clone(),
                    _ => String::new(),
                };
                if g.merge_titles && ncols > 1 {
                    ws.merge_range(r, 0, r, (ncols - 1) as u16, &t, &title_fmt)?;
                } else {
                    ws.write_string_with_format(r, 0, &t, &title_fmt)?;
                }
                ws.set_row_height(r, 30)?;
                continue;
            }
            let is_header = g.header_row == Some(ri);
            let in_data = g.header_row.is_some_and(|h| ri > h && ri <= g.data_end);
            let fmt = if is_header {
                &header_fmt
            } else if in_data {
                &cell_fmt
            } else {
                &plain
            };
            if is_header {
                ws.set_row_height(r, 32)?;
            }
            for (ci, c) in row.iter().enumerate() {
                let col = ci as u16;
                match c {
                    C::E => {
                        if in_data {
                            ws.write_blank(r, col, fmt)?;
                        }
                    }
                    C::S(t) => {
                        ws.write_string_with_format(r, col, t, fmt)?;
                    }
                    C::N(n) => {
                        ws.write_number_with_format(r, col, *n, fmt)?;
                    }
                    C::D(dt, nf) => {
                        let f = if in_data {
                            Format::new().set_num_format(*nf).set_border(FormatBorder::Thin)
                        } else {
                            Format::new().set_num_format(*nf)
                        };
                        ws.write_datetime_with_format(r, col, dt, &f)?;
                    }
                }
            }
        }
        if let Some(h) = g.header_row {
            ws.set_freeze_panes(h as u32 + 1, 0)?;
        }
    }
    wb.save(path)?;
    Ok(())
}

fn csv_field(t: &str) -> String {
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.to_string()
    }
}

/// CSV as Chinese Excel saves it: GBK, CRLF, dates as 2021/3/5, every row as wide as the table.
fn write_csv_gbk(path: &Path, g: &Grid) -> Res<()> {
    let ncols = g.ncols();
    let mut out = String::new();
    for row in &g.rows {
        let mut fields: Vec<String> = row
            .iter()
            .map(|c| match c {
                C::E => String::new(),
                C::S(t) => csv_field(t),
                C::N(n) => format!("{}", *n as i64),
                C::D(x, _) => format!("{}/{}/{}", x.year(), x.month(), x.day()),
            })
            .collect();
        fields.resize(ncols, String::new());
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    let (bytes, _, bad) = encoding_rs::GBK.encode(&out);
    assert!(!bad, "GBK 无法表示的字符");
    std::fs::write(path, &bytes)?;
    Ok(())
}

fn col_letter(mut c: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (c % 26) as u8) as char);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s
}

// ───────────────────────── 日期写法 ─────────────────────────

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ds {
    /// Excel 日期单元格，数字格式。
    Excel(&'static str),
    /// 常规格式里的 8 位数字 20210305。
    Num8,
    /// 文本 2021-03-05
    Dash,
    /// 文本 2021/3/5
    Slash,
    /// 文本 2021.3.5
    Dot,
    /// 文本 2021年3月5日
    Cn,
    /// 文本 20210305
    Compact,
    /// 文本 2021-03-05 10:32
    DashTime,
}

fn date_cell(x: NaiveDate, st: Ds) -> C {
    let (y, m, dd) = (x.year(), x.month(), x.day());
    match st {
        Ds::Excel(f) => C::D(x, f),
        Ds::Num8 => C::N((y as u32 * 10_000 + m * 100 + dd) as f64),
        Ds::Dash => s(format!("{y}-{m:02}-{dd:02}")),
        Ds::Slash => s(format!("{y}/{m}/{dd}")),
        Ds::Dot => s(format!("{y}.{m}.{dd}")),
        Ds::Cn => s(format!("{y}年{m}月{dd}日")),
        Ds::Compact => s(format!("{y}{m:02}{dd:02}")),
        Ds::DashTime => {
            let h = 8 + (x.ordinal() * 7 % 10);
            let mi = x.ordinal() * 13 % 60;
            s(format!("{y}-{m:02}-{dd:02} {h:02}:{mi:02}"))
        }
    }
}

/// Excel 1900 日期系统的序列号。
fn serial(x: NaiveDate) -> f64 {
    (x - d(1899, 12, 30)).num_days() as f64
}

// ───────────────────────── 主动公开台账的行 ─────────────────────────

/// 日期列的内容。
#[derive(Clone, Debug, PartialEq)]
enum Dv {
    D(NaiveDate),
    /// 写错的日期，原样写入（读取时应报 date-unreadable）。
    Bad(String),
    /// 空或“未公开”“待公开”等占位词。
    Blank(String),
}

impl Dv {
    fn date(&self) -> Option<NaiveDate> {
        match self {
            Dv::D(x) => Some(*x),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Theme {
    Policy,
    Budget,
    Recruit,
    Procure,
    Covid,
    Health,
    Education,
    Employment,
    Enterprise,
    Market,
    Food,
    Enforce,
    Fees,
    Land,
    Disaster,
    Rural,
    Pollution,
    Six,
    Powers,
    Catalog,
    Report,
    News,
}

/// 各主题在“栏目”里的常见写法（清单名称或别名；工作动态等是清单外的）。
fn cats(t: Theme) -> &'static [&'static str] {
    use Theme::*;
    match t {
        Policy => &["政策文件", "政策文件", "规范性文件", "政策法规"],
        Budget => &["财政预决算", "预决算", "部门预算", "财政资金直达"],
        Recruit => &["考录招聘", "招聘", "人事招聘", "公开招聘"],
        Procure => &["招投标", "政府采购", "公共资源交易"],
        Covid => &["疫情防控"],
        Health => &["医疗卫生", "公共卫生", "医疗卫生", "医疗"],
        Education => &["教育", "教育", "教育信息"],
        Employment => &["就业", "养老保险", "社会保障", "就业创业"],
        Enterprise => &["涉企政策", "惠企政策"],
        Market => &["双随机一公开", "抽查结果", "市场监管"],
        Food => &["食品安全", "产品质量", "食药安全"],
        Enforce => &["行政处罚", "行政执法"],
        Fees => &["收费标准", "收费项目"],
        Land => &["征地", "土地征收", "征地补偿"],
        Disaster => &["自然灾害", "安全生产", "防灾减灾"],
        Rural => &["乡村振兴", "乡村振兴", "巩固脱贫"],
        Pollution => &["污染防治", "环境整治", "环境保护", "生态环境"],
        Six => &["六稳六保"],
        Powers => &["权责清单"],
        Catalog => &["标准目录"],
        Report => &["政府信息公开年报", "年报", "公开年报"],
        News => &["工作动态", "工作动态", "通知公告", "政务动态"],
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fld {
    Seq,
    Unit,
    Title,
    Cat,
    Formed,
    Published,
    Channel,
    Attr,
    Reason,
    DocNo,
    Index,
    NeedsInterp,
    InterpDate,
    Note,
}

#[derive(Clone, Debug)]
struct Pub {
    title: String,
    cat: String,
    theme: Theme,
    formed: Dv,
    published: Dv,
    doc_no: String,
    channel: String,
    attr: String,
    reason: String,
    /// 是否需解读、解读发布日期。
    interp: Option<(bool, Option<NaiveDate>)>,
    /// 单位列的写法（空：由标题行、填报单位行或文件名定单位）。
    unit_cell: String,
    note: String,
    /// 埋下的数据问题：所在列及预期代码。
    problem: Option<(Fld, &'static str)>,
    /// 公开日期写成常规格式的序列号（复制粘贴丢了日期格式）。
    serial_published: bool,
    /// 这一行改用的日期写法。
    style: Option<Ds>,
    /// 写入后的位置：文件、工作表、行号。
    src: Option<(String, String, u32)>,
}

impl Pub {
    fn new(theme: Theme, title: String, cat: &str, published: NaiveDate) -> Self {
        Pub {
            title,
            cat: cat.to_string(),
            theme,
            formed: Dv::D(published),
            published: Dv::D(published),
            doc_no: String::new(),
            channel: String::new(),
            attr: "主动公开".into(),
            reason: String::new(),
            interp: None,
            unit_cell: String::new(),
            note: String::new(),
            problem: None,
            serial_published: false,
            style: None,
            src: None,
        }
    }
    fn proactive(&self) -> bool {
        !matches!(self.attr.as_str(), "依申请公开" | "不予公开")
    }
    fn sort_key(&self) -> NaiveDate {
        self.published.date().or(self.formed.date()).unwrap_or(d(2021, 12, 31))
    }
}

// ───────────────────────── 标题 ─────────────────────────

const VILLAGES: &[&str] = &[
    "红旗村",
    "新建村",
    "长岭村",
    "胜利村",
    "团结村",
    "桥东村",
    "幸福村",
    "先锋村",
    "联合村",
    "和平村",
];
const FESTIVALS: &[&str] = &["元旦", "春节", "清明节", "“五一”", "端午节", "中秋节", "国庆节"];
const HEALTH_DAYS: &[&str] = &[
    "世界卫生日",
    "全国爱眼日",
    "世界无烟日",
    "全民营养周",
    "世界艾滋病日",
    "世界结核病防治日",
    "全国高血压日",
];
const GENERIC: &[&str] = &[
    "安全生产",
    "森林防火",
    "防汛抗旱",
    "信访维稳",
    "文明创建",
    "政务公开",
    "档案管理",
    "财务管理",
    "疫情防控常态化",
    "冬春火灾防控",
    "防范电信网络诈骗",
    "作风建设",
];

fn policy_topics(u: &Unit) -> Vec<String> {
    let list: &[&str] = match u.name {
        "华容县卫生健康局" => &[
            "华容县2021年基本公共卫生服务项目实施方案",
            "华容县2021年卫生健康工作要点",
            "华容县2021年爱国卫生运动工作方案",
            "华容县家庭医生签约服务工作实施方案",
            "华容县2021年妇幼健康工作要点",
            "华容县新冠病毒疫苗接种工作实施方案",
            "华容县2021年医疗质量安全提升行动方案",
            "华容县村卫生室标准化建设实施方案",
            "华容县2021年职业病防治工作计划",
            "华容县严重精神障碍患者服务管理工作方案",
        ],
        "华容县人力资源和社会保障局" => &[
            "华容县2021年就业创业工作要点",
            "华容县2021年“春风行动”实施方案",
            "华容县城乡居民基本养老保险实施细则",
            "华容县根治欠薪冬季专项行动方案",
            "华容县2021年职业技能提升行动实施方案",
            "华容县事业单位公开招聘人员实施办法",
            "华容县2021年工伤预防工作方案",
            "华容县创业担保贷款实施办法",
        ],
        "华容县教育体育局" => &[
            "华容县2021年教育工作要点",
            "华容县中小学校“双减”工作实施方案",
            "华容县2021年学生资助工作实施方案",
            "华容县校园安全专项整治行动方案",
            "华容县2021年全民健身工作计划",
            "华容县2021年中小学教师招聘工作方案",
            "华容县2021年防溺水工作方案",
            "华容县中小学课后服务工作指导意见",
        ],
        "华容县财政局" => &[
            "华容县2021年县级预算执行方案",
            "华容县直达资金管理实施细则",
            "华容县政府采购内部控制管理办法",
            "华容县2021年财政收支管理工作要点",
            "华容县县级财政专项资金管理办法",
            "华容县2021年政府购买服务指导性目录",
            "华容县惠民惠农财政补贴资金“一卡通”管理办法",
        ],
        "华容县市场监督管理局" => &[
            "华容县2021年食品安全工作要点",
            "华容县2021年产品质量监督抽查计划",
            "华容县校园食品安全专项整治方案",
            "华容县2021年知识产权工作要点",
            "华容县特种设备安全专项整治方案",
            "华容县2021年价格监督检查工作方案",
            "华容县2021年“守护消费”铁拳行动方案",
        ],
        "华容县自然资源局" => &[
            "华容县2021年地质灾害防治方案",
            "华容县国土空间总体规划编制工作方案",
            "华容县2021年土地储备计划",
            "华容县农村乱占耕地建房问题整治工作方案",
            "华容县不动产登记便民利民实施方案",
            "华容县2021年耕地保护工作要点",
            "华容县自然资源执法监察工作方案",
        ],
        _ => &[
            "{u}2021年春耕生产工作方案",
            "{u}2021年防汛抗旱工作预案",
            "{u}2021年安全生产工作要点",
            "{u}农村人居环境整治工作方案",
            "{u}2021年森林防火工作方案",
            "{u}2021年秸秆禁烧工作方案",
            "{u}2021年度重点工作目标管理考核办法",
            "{u}村级财务管理办法",
            "{u}2021年征兵工作实施方案",
            "{u}2021年农村危房改造实施方案",
            "{u}2021年防溺水工作方案",
            "{u}村（社区）“两委”换届选举工作实施方案",
        ],
    };
    list.iter().map(|t| t.replace("{u}", u.short)).collect()
}

fn templates(t: Theme, u: &Unit) -> Vec<&'static str> {
    use Theme::*;
    let town = u.town;
    let v: &[&str] = match t {
        Policy => &["{policy}"],
        Budget => match u.name {
            "华容县财政局" => &[
                "华容县2021年县级一般公共预算调整方案",
                "华容县2020年财政决算和2021年1-{m}月预算执行情况",
                "华容县2021年{m}月直达资金分配使用情况",
                "华容县2021年政府债务限额及余额情况",
                "华容县2021年第{q}季度惠民惠农补贴资金发放情况",
                "{f}2021年部门预算公开",
                "{f}2020年部门决算公开",
                "华容县2021年{m}月财政收支情况",
                "华容县2021年第{n}批县级财政专项资金分配结果公示",
            ],
            _ if town => &[
                "{f}2021年部门预算公开",
                "{f}2020年部门决算公开",
                "{u}2021年第{q}季度财政资金直达使用情况公示",
                "{u}2021年{m}月惠民惠农补贴资金发放情况公示",
                "{u}2021年“三公”经费预算情况说明",
            ],
            _ => &[
                "{f}2021年部门预算公开",
                "{f}2020年部门决算公开",
                "{f}2021年“三公”经费预算情况说明",
                "{f}2020年“三公”经费决算情况说明",
                "{f}2021年第{q}季度直达资金使用情况",
            ],
        },
        Recruit => match u.name {
            "华容县人力资源和社会保障局" => &[
                "华容县2021年考试录用公务员笔试成绩公告",
                "华容县2021年考试录用公务员面试公告",
                "华容县2021年考试录用公务员拟录用人员名单公示",
                "华容县2021年事业单位公开招聘工作人员公告",
                "华容县2021年事业单位公开招聘资格审查结果公示",
                "华容县2021年事业单位公开招聘笔试成绩公示",
                "华容县2021年事业单位公开招聘拟聘用人员名单公示",
                "华容县2021年城乡公益性岗位招聘公告（第{n}批）",
                "华容县2021年“三支一扶”计划招募公告",
            ],
            "华容县卫生健康局" => &[
                "华容县2021年公开招聘卫生专业技术人员公告",
                "华容县2021年公开招聘卫生专业技术人员资格审查结果公示",
                "华容县2021年公开招聘卫生专业技术人员面试成绩公示",
                "华容县2021年公开招聘卫生专业技术人员拟聘用人员名单公示",
                "华容县2021年乡村医生招聘公告",
            ],
            "华容县教育体育局" => &[
                "华容县2021年公开招聘中小学教师公告",
                "华容县2021年公开招聘中小学教师资格审查结果公示",
                "华容县2021年公开招聘中小学教师笔试成绩公示",
                "华容县2021年公开招聘中小学教师拟聘用人员名单公示",
                "华容县2021年选调城区学校教师公告",
            ],
            _ if town => &[
                "{u}2021年公开招聘村（社区）专职工作者公告",
                "{u}2021年公开招聘村（社区）专职工作者拟聘用人员公示",
                "{u}2021年公益性岗位招聘公告",
            ],
            _ => &[
                "{f}2021年公开招聘编外合同制工作人员公告",
                "{f}2021年公开招聘编外合同制工作人员拟聘用人员公示",
            ],
        },
        Procure => &[
            "{u}{p}竞争性磋商公告",
            "{u}{p}中标结果公告",
            "{u}{p}采购合同公告",
            "{u}{p}询价公告",
        ],
        Covid => match u.name {
            "华容县卫生健康局" => &[
                "华容县新冠肺炎疫情防控指挥部通告（2021年第{n}号）",
                "关于做好{fest}期间新冠肺炎疫情防控工作的通知",
                "华容县新冠病毒疫苗接种工作情况通报（第{n}期）",
                "华容县新冠病毒疫苗接种点及服务时间公告（第{n}版）",
            ],
            _ => &[
                "{u}关于做好{fest}期间疫情防控工作的通告",
                "{u}新冠病毒疫苗接种工作进展情况（第{n}期）",
                "{u}关于返乡人员健康管理的通告（第{n}号）",
            ],
        },
        Health => &[
            "华容县2021年{m}月法定传染病疫情概况",
            "华容县2021年第{q}季度医疗机构抗菌药物临床应用情况通报",
            "华容县2021年{m}月基本公共卫生服务项目推进情况通报",
            "关于开展2021年“{day}”主题宣传活动的通知",
            "华容县2021年{m}月医疗机构“双随机”抽查结果公示",
            "华容县2021年第{n}批医疗机构执业登记信息公告",
            "华容县2021年{m}月家庭医生签约服务进展情况",
            "华容县2021年第{n}期卫生健康监督执法信息公示",
        ],
        Education => &[
            "华容县2021年{m}月中小学校园安全检查情况通报",
            "华容县2021年春季学期学生资助资金发放公示（第{n}批）",
            "华容县2021年秋季学期学生资助资金发放公示（第{n}批）",
            "关于做好2021年城区义务教育学校招生入学工作的通告",
            "华容县2021年普通高中招生录取工作方案",
            "华容县2021年{m}月“双减”工作推进情况",
            "华容县2021年第{n}批中小学教师资格认定结果公告",
            "华容县2021年中考成绩发布及志愿填报须知",
            "2021年华容县义务教育阶段学校划片范围公告",
            "华容县2021年{m}月校外培训机构专项治理情况通报",
            "华容县2021年{m}月学校食堂食品安全检查情况通报",
            "华容县教育系统2021年第{n}期防溺水安全提示",
        ],
        Employment => &[
            "华容县2021年{m}月城乡居民基本养老保险待遇发放情况",
            "华容县2021年第{n}批就业见习基地名单公示",
            "华容县2021年{m}月失业保险金发放情况公示",
            "华容县2021年第{n}批创业担保贷款贴息公示",
            "华容县2021年第{n}批职业技能培训补贴公示",
            "关于调整2021年城乡居民基本养老保险缴费档次的通知",
            "华容县2021年“春风行动”专场招聘会公告",
            "华容县2021年第{n}批一次性吸纳就业补贴公示",
        ],
        Enterprise => match u.name {
            "华容县财政局" => &[
                "关于延续实施普惠金融有关税收优惠政策的公告",
                "华容县2021年小微企业融资担保降费奖补资金公示",
                "华容县2021年第{n}批中小企业发展专项资金分配公示",
            ],
            _ => &[
                "关于落实2021年阶段性减免企业社会保险费政策的通知",
                "华容县2021年稳岗返还资金拟发放企业名单公示（第{n}批）",
                "华容县2021年小微企业惠企政策汇编",
            ],
        },
        Market => &[
            "华容县市场监督管理局2021年第{n}批“双随机、一公开”抽查结果公示",
            "华容县市场监督管理局2021年{m}月企业年报抽查情况公示",
            "华容县2021年度“双随机、一公开”抽查计划",
            "华容县2021年第{n}批经营异常名录企业名单",
        ],
        Food => &[
            "华容县2021年第{n}期食品安全监督抽检信息公告",
            "华容县2021年{m}月产品质量监督抽查结果通报",
            "关于2021年第{n}批不合格食品核查处置情况的通告",
            "华容县2021年{m}月校园周边食品安全检查情况",
        ],
        Enforce => match u.name {
            "华容县自然资源局" => &[
                "华容县自然资源局行政处罚决定书（华自然资罚〔2021〕{n}号）",
                "华容县2021年第{n}批自然资源违法案件查处情况公示",
            ],
            _ => &[
                "华容县市场监督管理局行政处罚决定书（华市监处罚〔2021〕{n}号）",
                "华容县2021年第{n}批行政处罚案件信息公示",
            ],
        },
        Fees => match u.name {
            "华容县自然资源局" => &[
                "华容县不动产登记收费标准公示",
                "华容县2021年国有建设用地使用权出让收费标准",
                "华容县测绘地理信息服务收费项目公示",
            ],
            _ => &["华容县2021年涉企收费目录清单", "华容县2021年行政事业性收费项目公示"],
        },
        Land => match u.name {
            "华容县自然资源局" => &[
                "华容县2021年第{n}批次城镇建设用地征收土地公告",
                "华容县2021年第{n}批次征地补偿安置方案公告",
                "华容县2021年第{n}批次拟征收土地告知书",
                "华容县2021年第{n}批次征地补偿登记公告",
            ],
            _ => &["{u}{v}征地补偿安置情况公示", "{u}{v}土地征收补偿款发放公示"],
        },
        Disaster => match u.name {
            "华容县自然资源局" => &[
                "华容县2021年{m}月地质灾害气象风险预警",
                "华容县2021年汛期地质灾害隐患点巡查情况通报",
                "华容县2021年第{n}期地质灾害防治工作简报",
            ],
            _ => &["{u}2021年{m}月安全生产大检查情况通报", "{u}2021年防汛抢险应急预案"],
        },
        Rural => &[
            "{u}2021年{m}月防返贫监测对象动态调整情况公示",
            "{u}2021年度巩固拓展脱贫攻坚成果项目库公示",
            "{u}{v}2021年衔接资金项目公告公示",
            "{u}2021年{m}月低保、特困人员救助资金发放情况公示",
            "{u}2021年第{n}批产业奖补资金发放公示",
        ],
        Pollution => &[
            "{u}2021年第{n}期河长巡河情况通报",
            "{u}{v}农村人居环境整治“村庄清洁行动”推进情况",
            "{u}2021年{m}月环境问题整改情况公示",
            "{u}关于禁止露天焚烧秸秆的通告",
            "{u}{v}黑臭水体整治进展情况公示",
            "{u}2021年{m}月大气污染防治工作通报",
            "{u}畜禽养殖污染整治情况通报（第{n}期）",
            "{u}2021年{m}月农村垃圾治理考评结果",
        ],
        Six => &["{u}2021年{m}月“六稳”“六保”工作推进情况"],
        Powers => &["{f}2021年权责清单（动态调整）"],
        Catalog => &["{u}基层政务公开标准目录（2021年修订）"],
        Report => &["{f}2020年政府信息公开工作年度报告"],
        News => &[
            "{u}召开2021年{m}月安全生产工作会议",
            "{u}开展“学党史、办实事”志愿服务活动",
            "{u}召开2021年第{n}次理论学习中心组学习会",
            "{u}开展防溺水安全宣传进校园活动",
            "{u}召开党史学习教育专题组织生活会",
            "{u}开展2021年“安全生产月”宣传咨询活动",
            "{u}组织开展森林防火应急演练",
            "{u}召开2021年{m}月重点工作调度会",
            "{u}开展“我为群众办实事”走访活动（第{n}期）",
        ],
    };
    v.to_vec()
}

fn projects(u: &Unit) -> Vec<String> {
    match u.name {
        "华容县卫生健康局" => vec![
            "乡镇卫生院医疗设备采购项目".into(),
            "县疾控中心冷链设备采购项目".into(),
            "村卫生室标准化建设项目".into(),
        ],
        "华容县教育体育局" => vec![
            "城区学校课桌椅采购项目".into(),
            "农村学校食堂改造项目".into(),
            "中小学教室照明改造项目".into(),
            "县体育馆维修改造项目".into(),
        ],
        "华容县财政局" => vec![
            "财政一体化信息系统运维服务项目".into(),
            "2021年度县级预算绩效评价服务项目".into(),
            "县直机关公务用车定点维修项目".into(),
        ],
        "华容县自然资源局" => vec![
            "农村乱占耕地建房图斑核查服务项目".into(),
            "不动产登记档案数字化项目".into(),
        ],
        _ => VILLAGES
            .iter()
            .flat_map(|v| {
                [
                    format!("{v}村道提质改造工程"),
                    format!("{v}安全饮水巩固提升工程"),
                    format!("{v}高标准农田建设项目"),
                ]
            })
            .chain(["集镇污水管网建设项目".to_string(), "便民服务中心改造项目".to_string()])
            .collect(),
    }
}

struct Titler {
    used: HashSet<String>,
    counters: BTreeMap<Theme, u32>,
    policies: Vec<String>,
    next_policy: usize,
    projects: Vec<String>,
}

impl Titler {
    fn new(u: &Unit) -> Self {
        Titler {
            used: HashSet::new(),
            counters: BTreeMap::new(),
            policies: policy_topics(u),
            next_policy: 0,
            projects: projects(u),
        }
    }

    /// A title not used before in this unit; None when the theme's templates are used up
    /// for this month.
    fn title(&mut self, t: Theme, u: &Unit, date: NaiveDate, rng: &mut Lcg) -> Option<String> {
        let tpls = templates(t, u);
        for attempt in 0..40 {
            let tpl = *rng.pick(&tpls);
            let mut s = tpl.to_string();
            if s.contains("{policy}") {
                if self.next_policy < self.policies.len() {
                    let p = self.policies[self.next_policy].clone();
                    self.next_policy += 1;
                    s = format!("关于印发《{p}》的通知");
                } else {
                    s = format!("{}关于进一步加强{}工作的通知", u.short, rng.pick(GENERIC));
                }
            }
            let m = date.month();
            s = s
                .replace("{u}", u.short)
                .replace("{f}", u.full)
                .replace("{m}", &m.to_string())
                .replace("{q}", ["一", "二", "三", "四"][((m - 1) / 3) as usize])
                .replace("{v}", rng.pick::<&str>(VILLAGES))
                .replace("{fest}", rng.pick::<&str>(FESTIVALS))
                .replace("{day}", rng.pick::<&str>(HEALTH_DAYS));
            if s.contains("{p}") {
                let p = rng.pick(&self.projects).clone();
                s = s.replace("{p}", &p);
            }
            if s.contains("{n}") {
                let c = self.counters.entry(t).or_insert(0);
                *c += 1;
                s = s.replace("{n}", &c.to_string());
            }
            let _ = attempt;
            if self.used.insert(s.clone()) {
                return Some(s);
            }
        }
        None
    }
}

// ───────────────────────── 每个单位的台账内容 ─────────────────────────

/// 年报与指南：上报、发布、格式、指南更新。
struct Annual {
    unit: &'static str,
    submitted: NaiveDate,
    published: NaiveDate,
    format_ok: bool,
    guide: NaiveDate,
}

fn annual_rows(rng: &mut Lcg) -> Vec<Annual> {
    UNITS
        .iter()
        .map(|u| {
            let submitted = sub_wd(d(2021, 1, rng.range(18, 29) as u32), 0);
            let mut published = next_wd(d(2021, 2, rng.range(1, 9) as u32));
            let mut guide = next_wd(d(2021, rng.range(2, 4) as u32, rng.range(1, 25) as u32));
            let mut format_ok = true;
            let mut submitted = submitted;
            match u.name {
                "团洲乡" => {
                    submitted = d(2021, 1, 27);
                    published = d(2021, 2, 22);
                }
                "三封寺镇" => format_ok = false,
                "治河渡镇" => guide = d(2020, 3, 16),
                _ => {}
            }
            Annual {
                unit: u.name,
                submitted,
                published,
                format_ok,
                guide,
            }
        })
        .collect()
}

/// 单位的主题构成：（主题，权重）；第一个是按两周更新的重点领域主题（若有）。
fn mix(u: &Unit) -> (Option<Theme>, Vec<(Theme, u32)>) {
    use Theme::*;
    match u.name {
        "华容县卫生健康局" => (
            Some(Health),
            vec![
                (Covid, 5),
                (Policy, 3),
                (Recruit, 2),
                (Budget, 1),
                (Procure, 1),
                (News, 2),
            ],
        ),
        "华容县人力资源和社会保障局" => (
            None,
            vec![
                (Employment, 7),
                (Recruit, 4),
                (Enterprise, 2),
                (Policy, 3),
                (Budget, 1),
                (News, 1),
            ],
        ),
        "华容县教育体育局" => (
            Some(Education),
            vec![(Recruit, 2), (Policy, 3), (Procure, 2), (Budget, 1), (News, 2)],
        ),
        "华容县财政局" => (
            None,
            vec![(Budget, 7), (Procure, 3), (Enterprise, 1), (Policy, 3), (News, 1)],
        ),
        "华容县市场监督管理局" => (
            None,
            vec![(Market, 4), (Food, 4), (Enforce, 3), (Fees, 1), (Policy, 2), (News, 1)],
        ),
        "华容县自然资源局" => (
            None,
            vec![
                (Land, 4),
                (Disaster, 2),
                (Enforce, 2),
                (Fees, 1),
                (Policy, 3),
                (Procure, 1),
                (News, 1),
            ],
        ),
        _ => (
            Some(Pollution),
            vec![
                (Rural, 4),
                (Budget, 2),
                (Procure, 2),
                (Land, 1),
                (Policy, 3),
                (Covid, 1),
                (Six, 1),
                (Recruit, 1),
                (Disaster, 1),
                (News, 3),
            ],
        ),
    }
}

fn weighted(rng: &mut Lcg, v: &[(Theme, u32)]) -> Theme {
    let total: u32 = v.iter().map(|x| x.1).sum();
    let mut r = rng.next() % total;
    for (t, w) in v {
        if r < *w {
            return *t;
        }
        r -= w;
    }
    v[0].0
}

fn random_wd_in_month(rng: &mut Lcg, m: u32) -> NaiveDate {
    loop {
        let x = d(2021, m, rng.range(1, last_day(m).day() as i64) as u32);
        if is_wd(x) {
            return x;
        }
    }
}

/// 每月公开条数目标。
fn monthly_target(u: &Unit, m: u32, rng: &mut Lcg) -> usize {
    match (u.name, m) {
        ("治河渡镇", 8) => 3,
        ("新河乡", 2) => 4,
        (_, 12) => rng.range(8, 11) as usize,
        (_, 2) => rng.range(6, 7) as usize,
        _ => rng.range(6, 9) as usize,
    }
}

/// 按两周更新的重点领域主题：每 8–12 天一条，某些单位中间断档。
fn key_series(u: &Unit, rng: &mut Lcg) -> Vec<NaiveDate> {
    let gap: Option<(NaiveDate, NaiveDate)> = match u.name {
        "华容县卫生健康局" => Some((d(2021, 9, 6), d(2021, 10, 15))),
        "团洲乡" => Some((d(2021, 6, 1), d(2021, 7, 12))),
        _ => None,
    };
    let end = as_of();
    let mut out = Vec::new();
    let mut prev = d(2021, 1, 1);
    loop {
        if let Some((a, b)) = gap {
            if prev >= a && prev < b {
                // 断档：上一条就是 a，下一条是 b。
                out.push(b);
                prev = b;
                continue;
            }
        }
        if prev + Duration::days(14) >= end {
            break;
        }
        let mut x = next_wd(prev + Duration::days(rng.range(8, 12)));
        if x - prev > Duration::days(14) {
            x = prev + Duration::days(14);
            while !is_wd(x) {
                x = x.pred_opt().unwrap();
            }
        }
        if let Some((a, _)) = gap {
            if prev < a && x >= a {
                x = a;
            }
        }
        out.push(x);
        prev = x;
    }
    out
}

fn channel_for(u: &Unit, rng: &mut Lcg) -> String {
    let v: &[&str] = match u.name {
        "华容县卫生健康局" => &[
            "政府网站",
            "政府网站",
            "政府网站、公开栏",
            "政府网站、政务新媒体",
            "政务新媒体",
        ],
        "华容县财政局" => &["政府门户网站", "政府门户网站", "网站", "政府网站"],
        "章华镇" => &["政府网站、公开栏", "公开栏", "政府网站", "政府网站", "政务新媒体"],
        "新河乡" => &["政府网站", "公开栏、政府网站", "村务公开栏", "政府网站"],
        _ => &["政府网站"],
    };
    rng.pick(v).to_string()
}

/// 一个单位全年的主动公开行（埋下问题之前）。
fn gen_pubs(u: &Unit, ann: &Annual, rng: &mut Lcg) -> Vec<Pub> {
    let (key, weights) = mix(u);
    let mut dates: Vec<(NaiveDate, Theme)> = Vec::new();
    if let Some(k) = key {
        for x in key_series(u, rng) {
            dates.push((x, k));
        }
    }
    dates.push((ann.published, Theme::Report));
    let once = if u.town { Theme::Catalog } else { Theme::Powers };
    let once_month = rng.range(3, 5) as u32;
    dates.push((random_wd_in_month(rng, once_month), once));
    for m in 1..=12u32 {
        let target = monthly_target(u, m, rng);
        let mut in_month: Vec<usize> = (0..dates.len()).filter(|&i| dates[i].0.month() == m).collect();
        // 目标少于已有的两周更新条数时（治河渡镇 8 月）去掉多余的。
        while in_month.len() > target {
            let i = in_month.pop().unwrap();
            dates.remove(i);
        }
        for _ in in_month.len()..target {
            dates.push((random_wd_in_month(rng, m), weighted(rng, &weights)));
        }
    }
    dates.sort();
    let mut titler = Titler::new(u);
    let mut doc_n = 0;
    let mut out = Vec::new();
    for (pubd, theme) in dates {
        let (theme, title) = match titler.title(theme, u, pubd, rng) {
            Some(t) => (theme, t),
            None => (
                Theme::News,
                titler.title(Theme::News, u, pubd, rng).expect("news titles"),
            ),
        };
        let cat = rng.pick(cats(theme)).to_string();
        let mut p = Pub::new(theme, title, &cat, pubd);
        let k = match rng.below(100) {
            0..=14 => 0,
            15..=44 => 1,
            45..=69 => 2,
            70..=84 => 3,
            85..=94 => rng.range(4, 6) as u32,
            _ => rng.range(7, 10) as u32,
        };
        let mut formed = sub_wd(pubd, k);
        if theme == Theme::Report {
            formed = ann.submitted;
        }
        p.formed = Dv::D(formed);
        if matches!(theme, Theme::Policy) || (theme == Theme::Budget && rng.chance(30)) {
            doc_n += 1;
            p.doc_no = format!("{}〔2021〕{}号", u.abbr, doc_n);
        }
        p.channel = channel_for(u, rng);
        out.push(p);
    }
    out
}

/// 把一行改成逾期公开：形成日期提前 38–48 天（超过 20 个工作日）。
fn make_late(p: &mut Pub, rng: &mut Lcg) {
    let pubd = p.published.date().unwrap();
    let mut f = sub_wd(pubd - Duration::days(rng.range(38, 48)), 0);
    while count_wd(f, pubd) <= 20 {
        f = sub_wd(f.pred_opt().unwrap(), 0);
    }
    p.formed = Dv::D(f);
    p.note = String::new();
}

/// 某月中第 k 条不是重点领域主题、也不是年报的行。
fn nth_in_month(pubs: &[Pub], m: u32, k: usize, key: Option<Theme>) -> usize {
    pubs.iter()
        .enumerate()
        .filter(|(_, p)| {
            p.published.date().is_some_and(|x| x.month() == m && x.year() == 2021)
                && Some(p.theme) != key
                && p.theme != Theme::Report
                && p.problem.is_none()
                && p.formed.date()
                    == p.formed
                        .date()
                        .filter(|f| count_wd(*f, p.published.date().unwrap()) <= 20)
        })
        .map(|(i, _)| i)
        .nth(k)
        .expect("row in month")
}

/// 适合改成逾期公开的行：公文、公告一类，标题不带月份。
fn late_candidate(pubs: &[Pub], m: u32, k: usize, key: Option<Theme>) -> usize {
    use Theme::*;
    pubs.iter()
        .enumerate()
        .filter(|(_, p)| {
            p.published.date().is_some_and(|x| x.month() == m && x.year() == 2021)
                && Some(p.theme) != key
                && matches!(
                    p.theme,
                    Policy
                        | Procure
                        | Land
                        | Recruit
                        | Budget
                        | Covid
                        | Disaster
                        | Catalog
                        | Enterprise
                        | Food
                        | Market
                        | Enforce
                        | Fees
                        | Rural
                        | Employment
                )
                && !p.title.contains('月')
                && p.problem.is_none()
                && p.attr == "主动公开"
                && p.formed
                    .date()
                    .is_some_and(|f| count_wd(f, p.published.date().unwrap()) <= 20)
        })
        .map(|(i, _)| i)
        .nth(k)
        .expect("late candidate in month")
}

/// 埋下每个单位的问题。
fn plant(u: &Unit, pubs: &mut Vec<Pub>, rng: &mut Lcg) {
    let key = mix(u).0;
    match u.name {
        "华容县卫生健康局" => {
            let i = late_candidate(pubs, 6, 1, key);
            make_late(&mut pubs[i], rng);
            let i = late_candidate(pubs, 11, 0, key);
            make_late(&mut pubs[i], rng);
            let i = nth_in_month(pubs, 7, 2, key);
            pubs[i].attr = "依申请公开".into();
            let mut p = Pub::new(
                Theme::Covid,
                "关于做好2022年元旦春节期间新冠肺炎疫情防控工作的通知".into(),
                "疫情防控",
                d(2021, 12, 20),
            );
            p.published = Dv::Blank("未公开".into());
            p.channel = String::new();
            pubs.push(p);
        }
        "华容县人力资源和社会保障局" => {
            let i = late_candidate(pubs, 9, 0, key);
            make_late(&mut pubs[i], rng);
            let mut p = Pub::new(
                Theme::Employment,
                "华容县2020年12月城乡居民基本养老保险待遇发放情况".into(),
                "养老保险",
                d(2020, 12, 24),
            );
            p.formed = Dv::D(d(2020, 12, 18));
            pubs.insert(0, p);
            let mut p = Pub::new(
                Theme::Recruit,
                "华容县2020年下半年事业单位公开招聘拟聘用人员名单公示".into(),
                "考录招聘",
                d(2021, 1, 6),
            );
            p.formed = Dv::D(d(2020, 12, 28));
            pubs.insert(1, p);
            // 政策解读：三份文件需解读，一份解读晚了 3 天。
            let idx: Vec<usize> = (0..pubs.len()).filter(|&i| pubs[i].theme == Theme::Policy).collect();
            for (n, &i) in idx.iter().enumerate() {
                let pd = pubs[i].published.date().unwrap();
                pubs[i].interp = match n {
                    0 | 2 => Some((true, Some(pd))),
                    4 => Some((true, Some(add_wd(pd, 3)))),
                    _ => Some((false, None)),
                };
            }
        }
        "华容县教育体育局" => {
            let i = late_candidate(pubs, 3, 0, key);
            make_late(&mut pubs[i], rng);
            let i = nth_in_month(pubs, 4, 1, key);
            let mut dup = pubs[i].clone();
            dup.problem = Some((Fld::Title, "duplicate"));
            pubs.insert(i + 1, dup);
        }
        "华容县财政局" => {
            let i = nth_in_month(pubs, 6, 2, key);
            pubs[i].published = Dv::Bad("2021年6月31日".into());
            pubs[i].problem = Some((Fld::Published, "date-unreadable"));
            let mut p = Pub::new(
                Theme::Budget,
                "华容县2021年度直达资金分配使用情况汇总".into(),
                "财政资金直达",
                d(2022, 1, 6),
            );
            p.formed = Dv::D(d(2021, 12, 24));
            p.channel = "政府门户网站".into();
            pubs.push(p);
        }
        "华容县市场监督管理局" => {
            let i = nth_in_month(pubs, 3, 0, key);
            pubs[i].formed = Dv::D(d(2021, 2, 26));
            pubs[i].published = Dv::Bad("2021-02-30".into());
            pubs[i].problem = Some((Fld::Published, "date-unreadable"));
            // 截止日为星期五、星期六才公开：逾期 1 天。
            let mut f = d(2021, 10, 18);
            while add_wd(f, 20).weekday() != Weekday::Fri || !is_wd(f) {
                f = f.succ_opt().unwrap();
            }
            let dl = add_wd(f, 20);
            let mut p = Pub::new(
                Theme::Food,
                "华容县2021年秋季校园周边食品安全专项抽检结果公告".into(),
                "食品安全",
                dl + Duration::days(1),
            );
            p.formed = Dv::D(f);
            pubs.push(p);
            // 国庆长假前形成、第 20 个工作日当天公开：不逾期。
            let mut p = Pub::new(
                Theme::Market,
                "华容县市场监督管理局2021年第三季度“双随机、一公开”抽查结果汇总".into(),
                "双随机一公开",
                d(2021, 11, 1),
            );
            p.formed = Dv::D(d(2021, 9, 28));
            pubs.push(p);
        }
        "华容县自然资源局" => {
            let i = pubs
                .iter()
                .position(|p| p.theme == Theme::Land && p.published.date().is_some_and(|x| x.month() >= 7))
                .expect("land row");
            make_late(&mut pubs[i], rng);
            let i = late_candidate(pubs, 10, 1, key);
            make_late(&mut pubs[i], rng);
        }
        "章华镇" => {
            let i = nth_in_month(pubs, 5, 1, key);
            pubs[i].title = String::new();
            pubs[i].problem = Some((Fld::Title, "title-missing"));
            let i = late_candidate(pubs, 12, 0, key);
            make_late(&mut pubs[i], rng);
            // 公开属性：有文号而未填属性、依申请公开有理由、不予公开无理由。
            let i = pubs
                .iter()
                .position(|p| {
                    !p.doc_no.is_empty()
                        && p.problem.is_none()
                        && p.attr == "主动公开"
                        && p.published.date().is_some_and(|x| x.month() >= 3)
                })
                .expect("doc");
            pubs[i].attr = String::new();
            let i = nth_in_month(pubs, 8, 2, key);
            pubs[i].attr = "依申请公开".into();
            pubs[i].reason = "涉及个人隐私".into();
            let i = nth_in_month(pubs, 10, 2, key);
            pubs[i].attr = "不予公开".into();
        }
        "治河渡镇" => {
            let mut p = Pub::new(
                Theme::Policy,
                "关于印发《治河渡镇2021年冬春农田水利建设实施方案》的通知".into(),
                "政策文件",
                d(2021, 10, 12),
            );
            p.published = Dv::Blank(String::new());
            p.doc_no = "治政发〔2021〕31号".into();
            pubs.push(p);
            // 几行写成别的日期样式、标题带全角空格。
            for (k, p) in pubs.iter_mut().enumerate() {
                if k % 9 == 4 {
                    p.style = Some(Ds::Dot);
                } else if k % 13 == 7 {
                    p.style = Some(Ds::Cn);
                }
                if k % 17 == 3 {
                    p.title.push('\u{3000}');
                }
            }
        }
        "东山镇" => {
            let i = nth_in_month(pubs, 12, 1, key);
            pubs[i].formed = Dv::Bad("2021-13-01".into());
            pubs[i].problem = Some((Fld::Formed, "date-unreadable"));
            let mut p = Pub::new(
                Theme::Rural,
                "东山镇2022年度巩固拓展脱贫攻坚成果项目库公示".into(),
                "乡村振兴",
                d(2021, 12, 27),
            );
            p.published = Dv::Blank("待公开".into());
            pubs.push(p);
        }
        "三封寺镇" => {
            let i = nth_in_month(pubs, 5, 2, key);
            let pd = pubs[i].published.date().unwrap();
            pubs[i].formed = Dv::D(add_wd(pd, 7));
            pubs[i].problem = Some((Fld::Published, "published-before-formed"));
            let i = late_candidate(pubs, 8, 0, key);
            make_late(&mut pubs[i], rng);
        }
        "团洲乡" => {
            let i = late_candidate(pubs, 4, 0, key);
            make_late(&mut pubs[i], rng);
            for m in [2, 7, 11] {
                let i = nth_in_month(pubs, m, 1, key);
                pubs[i].serial_published = true;
            }
        }
        "新河乡" => {
            let i = nth_in_month(pubs, 3, 1, key);
            pubs[i].formed = Dv::Bad("三月五日".into());
            pubs[i].problem = Some((Fld::Formed, "date-unreadable"));
        }
        _ => {}
    }
    pubs.sort_by_key(|p| p.sort_key());
    let mut seen = HashSet::new();
    for p in pubs.iter() {
        if !p.title.is_empty() && p.problem.is_none_or(|(_, c)| c != "duplicate") {
            assert!(
                seen.insert(p.title.trim().to_string()),
                "{} 标题重复：{}",
                u.name,
                p.title
            );
        }
    }
    if u.name == "华容县人力资源和社会保障局" {
        assert_eq!(pubs.iter().filter(|p| matches!(p.interp, Some((true, _)))).count(), 3);
    }
    // 单位列的写法。
    let n = pubs.len();
    for (k, p) in pubs.iter_mut().enumerate() {
        p.unit_cell = match u.name {
            "华容县教育体育局" => ["教体局", "教体局", "县教体局", "华容县教育体育局"][k % 4].into(),
            "华容县市场监督管理局" => "县市场监管局".into(),
            "东山镇" => "东山镇人民政府".into(),
            "三封寺镇" => "三封寺镇".into(),
            "新河乡" => {
                if k == n / 3 {
                    String::new()
                } else if k % 5 == 0 {
                    "新河乡".into()
                } else {
                    "新河乡人民政府".into()
                }
            }
            _ => String::new(),
        };
    }
}

// ───────────────────────── 主动公开台账的版式 ─────────────────────────

enum Above {
    Title(String),
    /// 一行文字（填报单位：XX），可在第 k 列再写一段。
    Line(String, Option<(usize, String)>),
    Blank,
}

struct Layout {
    sheet: String,
    above: Vec<Above>,
    cols: Vec<(Fld, &'static str)>,
    formed: Ds,
    published: Ds,
    footer: Vec<String>,
    /// 每隔多少行数据插一个空行（0：不插）。
    blank_every: usize,
    /// 数据后只有序号的空行数（预先编好序号的模板）。
    trailing_seq: usize,
    index_code: &'static str,
}

/// 预期出现的数据问题。
#[derive(Clone)]
struct ExpProblem {
    unit: String,
    file: String,
    sheet: String,
    cell: String,
    value: String,
    code: &'static str,
}

fn date_value(v: &Dv, st: Ds, serial_cell: bool) -> C {
    match v {
        Dv::D(x) if serial_cell => C::N(serial(*x)),
        Dv::D(x) => date_cell(*x, st),
        Dv::Bad(t) => s(t.clone()),
        Dv::Blank(t) if t.is_empty() => C::E,
        Dv::Blank(t) => s(t.clone()),
    }
}

fn pub_grid(file: &str, l: &Layout, pubs: &mut [Pub], exp: &mut Vec<ExpProblem>, unit_name: &str) -> Grid {
    let mut g = Grid::new(&l.sheet);
    let ncols = l.cols.len();
    for a in &l.above {
        match a {
            Above::Title(t) => g.title(t),
            Above::Line(t, extra) => {
                let mut row = vec![s(t.clone())];
                if let Some((k, x)) = extra {
                    row.resize(*k, C::E);
                    row.push(s(x.clone()));
                }
                g.line(row);
            }
            Above::Blank => {
                g.line(vec![]);
            }
        }
    }
    let headers: Vec<&str> = l.cols.iter().map(|c| c.1).collect();
    g.header(&headers);
    let mut seq = 0;
    for (k, p) in pubs.iter_mut().enumerate() {
        if l.blank_every > 0 && k > 0 && k % l.blank_every == 0 {
            g.data(vec![C::E; ncols]);
        }
        seq += 1;
        let mut row = Vec::with_capacity(ncols);
        for (f, _) in &l.cols {
            let c = match f {
                Fld::Seq => C::N(seq as f64),
                Fld::Unit => {
                    if p.unit_cell.is_empty() {
                        C::E
                    } else {
                        s(p.unit_cell.clone())
                    }
                }
                Fld::Title => s(p.title.clone()),
                Fld::Cat => s(p.cat.clone()),
                Fld::Formed => date_value(&p.formed, p.style.unwrap_or(l.formed), false),
                Fld::Published => date_value(&p.published, p.style.unwrap_or(l.published), p.serial_published),
                Fld::Channel => s(p.channel.clone()),
                Fld::Attr => s(p.attr.clone()),
                Fld::Reason => s(p.reason.clone()),
                Fld::DocNo => s(p.doc_no.clone()),
                Fld::Index => s(format!("430623-{}-2021-{:04}", l.index_code, seq)),
                Fld::NeedsInterp => match p.interp {
                    Some((true, _)) => s("是"),
                    Some((false, _)) => s("否"),
                    None => C::E,
                },
                Fld::InterpDate => match p.interp {
                    Some((_, Some(x))) => date_cell(x, l.published),
                    _ => C::E,
                },
                Fld::Note => s(p.note.clone()),
            };
            row.push(match c {
                C::S(t) if t.is_empty() => C::E,
                other => other,
            });
        }
        let r = g.data(row);
        p.src = Some((file.to_string(), l.sheet.clone(), r));
        if let Some((f, code)) = p.problem {
            let ci = l.cols.iter().position(|c| c.0 == f).expect("problem column present");
            let value = match f {
                Fld::Title => p.title.clone(),
                Fld::Formed => match &p.formed {
                    Dv::Bad(t) => t.clone(),
                    Dv::D(x) => x.to_string(),
                    Dv::Blank(t) => t.clone(),
                },
                _ => match &p.published {
                    Dv::Bad(t) => t.clone(),
                    Dv::D(x) => x.to_string(),
                    Dv::Blank(t) => t.clone(),
                },
            };
            exp.push(ExpProblem {
                unit: unit_name.to_string(),
                file: file.to_string(),
                sheet: l.sheet.clone(),
                cell: format!("{}{}", col_letter(ci), r),
                value,
                code,
            });
        }
    }
    for _ in 0..l.trailing_seq {
        seq += 1;
        let mut row = vec![C::E; ncols];
        if let Some(ci) = l.cols.iter().position(|c| c.0 == Fld::Seq) {
            row[ci] = C::N(seq as f64);
        }
        g.data(row);
    }
    if !l.footer.is_empty() {
        g.line(vec![]);
        for f in &l.footer {
            g.line(vec![s(f.clone())]);
        }
    }
    g
}

// ───────────────────────── 依申请公开台账 ─────────────────────────

#[derive(Clone)]
struct Req {
    unit: &'static str,
    no: &'static str,
    applicant: &'static str,
    method: &'static str,
    received: NaiveDate,
    content: &'static str,
    corr_notice: Option<NaiveDate>,
    corr_received: Option<NaiveDate>,
    consult: Option<(NaiveDate, NaiveDate)>,
    extended: bool,
    answered: Option<NaiveDate>,
    result: &'static str,
    review: &'static str,
    note: &'static str,
}

#[rustfmt::skip]
fn requests() -> Vec<Req> {
    let base = Req {
        unit: "",
        no: "",
        applicant: "自然人",
        method: "网络",
        received: d(2021, 1, 4),
        content: "",
        corr_notice: None,
        corr_received: None,
        consult: None,
        extended: false,
        answered: None,
        result: "予以公开",
        review: "",
        note: "",
    };
    vec![
        Req { unit: "华容县卫生健康局", no: "WJ-2021-001", received: d(2021, 3, 15), content: "申请公开某乡镇卫生院2020年医疗服务收费明细", answered: Some(d(2021, 3, 26)), ..base.clone() },
        Req { unit: "华容县卫生健康局", no: "WJ-2021-002", applicant: "法律服务机构", method: "邮寄", received: d(2021, 8, 2), content: "申请公开2021年县人民医院医疗设备采购合同", answered: Some(d(2021, 8, 20)), result: "部分公开", ..base.clone() },
        Req { unit: "华容县人力资源和社会保障局", no: "RS2021-01", method: "当面", received: d(2021, 4, 6), content: "申请公开本人2019年度养老保险缴费基数核定依据", answered: Some(d(2021, 4, 28)), ..base.clone() },
        Req { unit: "华容县人力资源和社会保障局", no: "RS2021-02", applicant: "商业企业", received: d(2021, 6, 7), content: "申请公开2020年度稳岗返还资金发放企业名单及金额", extended: true, answered: Some(d(2021, 7, 20)), note: "经负责人同意延期答复", ..base.clone() },
        Req { unit: "华容县人力资源和社会保障局", no: "RS2021-03", received: d(2021, 9, 13), content: "申请公开2021年城乡公益性岗位人员招聘考核记录", answered: Some(d(2021, 11, 5)), result: "部分公开", ..base.clone() },
        Req { unit: "华容县自然资源局", no: "ZRZY-2021-001", method: "当面", received: d(2021, 5, 6), content: "申请公开某村2019年征地补偿安置方案及批复", corr_notice: Some(d(2021, 5, 10)), corr_received: Some(d(2021, 5, 24)), answered: Some(d(2021, 6, 18)), note: "申请内容不明确，已一次性告知补正", ..base.clone() },
        Req { unit: "华容县自然资源局", no: "ZRZY-2021-002", applicant: "商业企业", received: d(2021, 7, 12), content: "申请公开某地块国有建设用地使用权出让合同", consult: Some((d(2021, 7, 19), d(2021, 7, 30))), answered: Some(d(2021, 8, 20)), result: "部分公开", note: "涉及第三方商业秘密，书面征求第三方意见", ..base.clone() },
        Req { unit: "华容县自然资源局", no: "ZRZY-2021-003", method: "邮寄", received: d(2021, 10, 11), content: "申请公开某宗地土地权属调查原始资料", answered: Some(d(2021, 10, 29)), result: "不予公开", review: "维持", note: "申请人申请行政复议，复议机关维持", ..base.clone() },
        Req { unit: "华容县自然资源局", no: "ZRZY-2021-004", received: d(2021, 12, 22), content: "申请公开2021年度耕地占补平衡指标使用情况", answered: None, result: "", ..base.clone() },
        Req { unit: "章华镇", no: "ZH2021-01", method: "当面", received: d(2021, 11, 22), content: "申请公开某村2021年村级财务收支明细", answered: Some(d(2021, 12, 3)), ..base.clone() },
        Req { unit: "章华镇", no: "ZH2021-02", method: "当面", received: d(2021, 9, 6), content: "申请公开有关土地流转的“相关文件”", corr_notice: Some(d(2021, 9, 8)), answered: None, result: "其他处理", note: "已告知补正，申请人逾期未补正，视为放弃申请", ..base.clone() },
    ]
}

struct ReqOutcome {
    deadline: NaiveDate,
    status: &'static str,
}

fn req_outcome(r: &Req) -> ReqOutcome {
    let start = r.corr_received.unwrap_or(r.received);
    let mut dl = add_wd(start, if r.extended { 40 } else { 20 });
    if let Some((a, b)) = r.consult {
        dl = add_wd(dl, count_wd(a.pred_opt().unwrap(), b) as u32);
    }
    let status = match r.answered {
        Some(x) if x <= dl => "按时答复",
        Some(_) => "逾期答复",
        None if r.corr_notice.is_some() && r.corr_received.is_none() => "申请人未补正（视为放弃）",
        None if dl < as_of() => "逾期未答复",
        None => "结转（未到期）",
    };
    ReqOutcome { deadline: dl, status }
}

fn req_grid(u: &Unit, style: u8, rows: &[Req]) -> Grid {
    let mut g = Grid::new(if style == 1 {
        "依申请公开"
    } else {
        "依申请公开台账"
    });
    let dt = |x: Option<NaiveDate>, st: Ds| x.map(|x| date_cell(x, st)).unwrap_or(C::E);
    match style {
        // 卫健局：标题行，Excel 日期。
        0 => {
            g.title(&format!("{}2021年政府信息依申请公开办理台账", u.full));
            g.header(&[
                "序号",
                "申请编号",
                "申请人类型",
                "申请方式",
                "收到申请日期",
                "申请内容",
                "是否延期",
                "答复日期",
                "办理结果",
                "行政复议结果",
                "行政诉讼结果",
                "备注",
            ]);
            let st = Ds::Excel("yyyy-mm-dd");
            for (k, r) in rows.iter().enumerate() {
                g.data(vec![
                    C::N(k as f64 + 1.0),
                    s(r.no),
                    s(r.applicant),
                    s(r.method),
                    dt(Some(r.received), st),
                    s(r.content),
                    s(if r.extended { "是" } else { "否" }),
                    dt(r.answered, st),
                    s(r.result),
                    s(r.review),
                    C::E,
                    s(r.note),
                ]);
            }
        }
        // 人社局：无标题，文本日期 2021/4/6，“受理日期”“编号”。
        1 => {
            g.header(&[
                "编号",
                "申请人类型",
                "申请方式",
                "受理日期",
                "申请内容",
                "补正告知日期",
                "补正收到日期",
                "是否延期",
                "答复日期",
                "办理结果",
                "备注",
            ]);
            let st = Ds::Slash;
            for r in rows {
                g.data(vec![
                    s(r.no),
                    s(r.applicant),
                    s(r.method),
                    dt(Some(r.received), st),
                    s(r.content),
                    dt(r.corr_notice, st),
                    dt(r.corr_received, st),
                    s(if r.extended { "是" } else { "否" }),
                    dt(r.answered, st),
                    s(r.result),
                    s(r.note),
                ]);
            }
        }
        // 自然资源局：承办单位列，补正和征求意见列，文本日期 2021.5.6，未答复。
        2 => {
            g.title(&format!("{}2021年政府信息公开申请办理台账", u.short));
            g.header(&[
                "申请编号",
                "承办单位",
                "申请人类型",
                "申请方式",
                "收到日期",
                "申请内容",
                "补正告知日期",
                "补正收到日期",
                "征求意见开始日期",
                "征求意见结束日期",
                "是否延期",
                "答复日期",
                "办理结果",
                "行政复议结果",
                "备注",
            ]);
            let st = Ds::Dot;
            for r in rows {
                let ans = match r.answered {
                    Some(x) => date_cell(x, st),
                    None => s("未答复"),
                };
                g.data(vec![
                    s(r.no),
                    s("自然资源局"),
                    s(r.applicant),
                    s(r.method),
                    dt(Some(r.received), st),
                    s(r.content),
                    dt(r.corr_notice, st),
                    dt(r.corr_received, st),
                    dt(r.consult.map(|c| c.0), st),
                    dt(r.consult.map(|c| c.1), st),
                    s(if r.extended { "是" } else { "否" }),
                    ans,
                    s(r.result),
                    s(r.review),
                    s(r.note),
                ]);
            }
        }
        // 乡镇：Excel 日期；rows 为空时只有表头（全年未收到申请）。
        _ => {
            g.title(&format!("{}2021年依申请公开政府信息台账", u.short));
            g.header(&[
                "序号",
                "申请编号",
                "申请人类型",
                "申请方式",
                "收到日期",
                "申请内容",
                "补正告知日期",
                "补正收到日期",
                "答复日期",
                "办理结果",
                "备注",
            ]);
            let st = Ds::Excel("yyyy/m/d");
            for (k, r) in rows.iter().enumerate() {
                g.data(vec![
                    C::N(k as f64 + 1.0),
                    s(r.no),
                    s(r.applicant),
                    s(r.method),
                    dt(Some(r.received), st),
                    s(r.content),
                    dt(r.corr_notice, st),
                    dt(r.corr_received, st),
                    dt(r.answered, st),
                    s(r.result),
                    s(r.note),
                ]);
            }
            if rows.is_empty() {
                g.line(vec![]);
                g.line(vec![s("注：本年度未收到政府信息公开申请。")]);
            }
        }
    }
    g
}

// ───────────────────────── 程序入口 ─────────────────────────

fn main() -> Res<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let dir = root.join("2021");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;

    let mut rng = Lcg::new(2021);
    let annual = annual_rows(&mut rng);
    let mut exp: Vec<ExpProblem> = Vec::new();
    let mut all: Vec<(&'static Unit, String, Vec<Pub>)> = Vec::new();
    let reqs = requests();
    let req_of = |name: &str| -> Vec<Req> { reqs.iter().filter(|r| r.unit == name).cloned().collect() };

    for (ui, u) in UNITS.iter().enumerate() {
        let mut urng = Lcg::new(100 + ui as u64);
        let ann = annual.iter().find(|a| a.unit == u.name).unwrap();
        let mut pubs = gen_pubs(u, ann, &mut urng);
        plant(u, &mut pubs, &mut urng);
        let (file, grids): (String, Vec<Grid>) = match u.name {
            "华容县卫生健康局" => {
                let file = "华容县卫健局2021年主动公开台账.xlsx".to_string();
                let l = Layout {
                    sheet: "主动公开台账".into(),
                    above: vec![
                        Above::Title("华容县卫健局2021年政府信息主动公开台账".into()),
                        Above::Line(
                            "填报单位（盖章）：县卫健局".into(),
                            Some((5, "填报日期：2022年1月7日".into())),
                        ),
                    ],
                    cols: vec![
                        (Fld::Seq, "序号"),
                        (Fld::Title, "信息名称"),
                        (Fld::Cat, "栏目"),
                        (Fld::Formed, "形成日期"),
                        (Fld::Published, "公开\n日期"),
                        (Fld::Channel, "公开方式"),
                        (Fld::Attr, "公开属性"),
                        (Fld::Note, "备注"),
                    ],
                    formed: Ds::Excel("yyyy-mm-dd"),
                    published: Ds::Excel("yyyy-mm-dd"),
                    footer: vec!["填报人：李娟　　　审核人：周建国　　　联系电话：0730-4221356".into()],
                    blank_every: 0,
                    trailing_seq: 0,
                    index_code: "WJ",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g, req_grid(u, 0, &req_of(u.name))])
            }
            "华容县人力资源和社会保障局" => {
                let file = "人社局2021年公开台账.xlsx".to_string();
                let l = Layout {
                    sheet: "Sheet1".into(),
                    above: vec![],
                    cols: vec![
                        (Fld::Title, "标题"),
                        (Fld::DocNo, "文号"),
                        (Fld::Formed, "成文日期"),
                        (Fld::Published, "发布日期"),
                        (Fld::Cat, "公开栏目"),
                        (Fld::NeedsInterp, "是否需解读"),
                        (Fld::InterpDate, "解读发布日期"),
                    ],
                    formed: Ds::Slash,
                    published: Ds::Slash,
                    footer: vec![],
                    blank_every: 0,
                    trailing_seq: 0,
                    index_code: "RS",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g, req_grid(u, 1, &req_of(u.name))])
            }
            "华容县教育体育局" => {
                // 实际是 xlsx，扩展名写成 .xls（常见）。
                let file = "县教体局2021年度政府信息公开台账.xls".to_string();
                let l = Layout {
                    sheet: "公开台账".into(),
                    above: vec![
                        Above::Title("县教体局2021年度政府信息公开工作台账".into()),
                        Above::Blank,
                    ],
                    cols: vec![
                        (Fld::Seq, "序号"),
                        (Fld::Unit, "单位"),
                        (Fld::Title, "文件名称"),
                        (Fld::Cat, "所属栏目"),
                        (Fld::Formed, "生成日期"),
                        (Fld::Published, "上网日期"),
                    ],
                    formed: Ds::Num8,
                    published: Ds::Num8,
                    footer: vec!["填表人：陈晓红        审核人：刘卫东".into()],
                    blank_every: 0,
                    trailing_seq: 6,
                    index_code: "JT",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g, req_grid(u, 3, &[])])
            }
            "华容县财政局" => {
                let file = "财政局2021年主动公开台账.csv".to_string();
                let l = Layout {
                    sheet: "财政局2021年主动公开台账".into(),
                    above: vec![
                        Above::Title("华容县财政局2021年政府信息主动公开台账".into()),
                        Above::Line("填报单位：县财政局".into(), Some((5, "填报时间：2022年1月10日".into()))),
                        Above::Blank,
                    ],
                    cols: vec![
                        (Fld::Seq, "序号"),
                        (Fld::Title, "信息名称"),
                        (Fld::DocNo, "文号"),
                        (Fld::Formed, "形成日期"),
                        (Fld::Published, "公开\n日期"),
                        (Fld::Cat, "栏目"),
                        (Fld::Channel, "公开方式"),
                    ],
                    formed: Ds::Excel("yyyy/m/d"),
                    published: Ds::Cn,
                    footer: vec!["填报人：王敏".into(), "审核人：刘建华".into()],
                    blank_every: 0,
                    trailing_seq: 0,
                    index_code: "CZ",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g])
            }
            "华容县市场监督管理局" => {
                let file = "华容县市场监督管理局政务公开台账2021.xlsx".to_string();
                let l = Layout {
                    sheet: "主动公开信息".into(),
                    above: vec![
                        Above::Title("华容县市场监督管理局2021年政务信息公开台账".into()),
                        Above::Blank,
                    ],
                    cols: vec![
                        (Fld::Seq, "序号"),
                        (Fld::Unit, "发布机构"),
                        (Fld::Index, "索引号"),
                        (Fld::Title, "信息标题"),
                        (Fld::Cat, "公开目录"),
                        (Fld::Formed, "形成或变更日期"),
                        (Fld::Published, "公开时间"),
                    ],
                    formed: Ds::Dash,
                    published: Ds::DashTime,
                    footer: vec!["制表：赵丽　　审核：孙志刚".into()],
                    blank_every: 0,
                    trailing_seq: 0,
                    index_code: "SJ",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g])
            }
            "华容县自然资源局" => {
                let file = "自然资源局2021年政府信息公开台账.xlsx".to_string();
                let l = Layout {
                    sheet: "主动公开".into(),
                    above: vec![Above::Title("华容县自然资源局2021年政府信息主动公开登记表".into())],
                    cols: vec![
                        (Fld::Seq, "序号"),
                        (Fld::Title, "公开内容"),
                        (Fld::Cat, "公开目录"),
                        (Fld::DocNo, "文件编号"),
                        (Fld::Formed, "产生日期"),
                        (Fld::Published, "上载日期"),
                    ],
                    formed: Ds::Dot,
                    published: Ds::Dot,
                    footer: vec!["负责人：黄国平　　填报人：邓雪梅".into()],
                    blank_every: 0,
                    trailing_seq: 0,
                    index_code: "ZR",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g, req_grid(u, 2, &req_of(u.name))])
            }
            "章华镇" => {
                let file = "章华镇2021年政务公开台账.xlsx".to_string();
                let l = Layout {
                    sheet: "主动公开台账".into(),
                    above: vec![Above::Title("华容县章华镇人民政府2021年政务公开台账".into())],
                    cols: vec![
                        (Fld::Seq, "序号"),
                        (Fld::Title, "信息名称（必填）"),
                        (Fld::DocNo, "文号"),
                        (Fld::Cat, "公开栏目"),
                        (Fld::Formed, "成文日期"),
                        (Fld::Published, "发布日期"),
                        (Fld::Channel, "公开方式"),
                        (Fld::Attr, "公开属性"),
                        (Fld::Reason, "不予公开理由"),
                    ],
                    formed: Ds::Excel("yyyy/m/d"),
                    published: Ds::Excel("yyyy/m/d"),
                    footer: vec!["填报人：何芳　　分管领导：罗志强".into()],
                    blank_every: 0,
                    trailing_seq: 0,
                    index_code: "ZH",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g, req_grid(u, 3, &req_of(u.name))])
            }
            "治河渡镇" => {
                let file = "治河渡镇政务公开台账（2021年）.xlsx".to_string();
                let l = Layout {
                    sheet: "2021年".into(),
                    above: vec![Above::Line(
                        "填报单位：治河渡镇人民政府　　　　　　填报时间：2022年1月6日".into(),
                        None,
                    )],
                    cols: vec![
                        (Fld::Seq, "序号"),
                        (Fld::Title, "标题"),
                        (Fld::Cat, "栏目"),
                        (Fld::Formed, "形成日期"),
                        (Fld::Published, "公开日期"),
                        (Fld::Note, "备注"),
                    ],
                    formed: Ds::Dash,
                    published: Ds::Dash,
                    footer: vec!["填报人：杨帆　　审核人：彭海波".into()],
                    blank_every: 0,
                    trailing_seq: 0,
                    index_code: "ZHD",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g, req_grid(u, 3, &[])])
            }
            "东山镇" => {
                let file = "东山镇2021年政务公开台账.xlsx".to_string();
                let l = Layout {
                    sheet: "政务公开".into(),
                    above: vec![],
                    cols: vec![
                        (Fld::Unit, "单位"),
                        (Fld::Title, "信息名称"),
                        (Fld::Cat, "信息类别"),
                        (Fld::Formed, "生成时间"),
                        (Fld::Published, "发布时间"),
                    ],
                    formed: Ds::Compact,
                    published: Ds::Compact,
                    footer: vec![],
                    blank_every: 25,
                    trailing_seq: 0,
                    index_code: "DS",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g, req_grid(u, 3, &[])])
            }
            "三封寺镇" => {
                let file = "三封寺镇主动公开台账2021.xlsx".to_string();
                let l = Layout {
                    sheet: "台账".into(),
                    above: vec![Above::Title("三封寺镇2021年度政府信息主动公开台账".into())],
                    cols: vec![
                        (Fld::Seq, "序号"),
                        (Fld::Unit, "单位名称"),
                        (Fld::Title, "信息名称"),
                        (Fld::Cat, "栏目"),
                        (Fld::Formed, "形成日期"),
                        (Fld::Published, "公开日期"),
                    ],
                    formed: Ds::Excel("yyyy\"年\"m\"月\"d\"日\""),
                    published: Ds::Excel("yyyy\"年\"m\"月\"d\"日\""),
                    footer: vec![
                        "合计：全年主动公开信息（见上表）".into(),
                        "填报人：钟敏　　审核人：许立新".into(),
                    ],
                    blank_every: 0,
                    trailing_seq: 0,
                    index_code: "SFS",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g])
            }
            "团洲乡" => {
                // 每季度一张工作表。
                let file = "团洲乡2021年信息公开台账.xlsx".to_string();
                let mut grids = Vec::new();
                for (q, qn) in ["一", "二", "三", "四"].iter().enumerate() {
                    let months = (q as u32 * 3 + 1)..=(q as u32 * 3 + 3);
                    let l = Layout {
                        sheet: format!("{qn}季度"),
                        above: vec![Above::Title(format!("团洲乡2021年第{qn}季度政务公开台账"))],
                        cols: vec![
                            (Fld::Seq, "序号"),
                            (Fld::Title, "信息名称"),
                            (Fld::Cat, "栏目"),
                            (Fld::Formed, "形成日期"),
                            (Fld::Published, "公开日期"),
                        ],
                        formed: Ds::Excel("yyyy-mm-dd"),
                        published: Ds::Excel("yyyy-mm-dd"),
                        footer: vec!["填报人：易小军".into()],
                        blank_every: 0,
                        trailing_seq: 0,
                        index_code: "TZ",
                    };
                    let mut part: Vec<Pub> = pubs
                        .iter()
                        .filter(|p| months.contains(&p.sort_key().month()) && p.sort_key().year() == 2021)
                        .cloned()
                        .collect();
                    grids.push(pub_grid(&file, &l, &mut part, &mut exp, u.name));
                    // 写回位置。
                    let mut it = part.into_iter();
                    for p in pubs.iter_mut() {
                        if months.contains(&p.sort_key().month()) && p.sort_key().year() == 2021 {
                            *p = it.next().unwrap();
                        }
                    }
                }
                (file, grids)
            }
            "新河乡" => {
                let file = "新河乡2021年政务公开台账.xlsx".to_string();
                let l = Layout {
                    sheet: "主动公开".into(),
                    above: vec![],
                    cols: vec![
                        (Fld::Unit, "责任单位"),
                        (Fld::Title, "信息标题"),
                        (Fld::Cat, "公开栏目"),
                        (Fld::Formed, "发文日期"),
                        (Fld::Published, "上网日期"),
                        (Fld::Channel, "公开渠道"),
                    ],
                    formed: Ds::Cn,
                    published: Ds::Cn,
                    footer: vec!["备注：本表由党政办统一填报。".into()],
                    blank_every: 0,
                    trailing_seq: 0,
                    index_code: "XH",
                };
                let g = pub_grid(&file, &l, &mut pubs, &mut exp, u.name);
                (file, vec![g, req_grid(u, 3, &[])])
            }
            _ => unreachable!(),
        };
        let path = dir.join(&file);
        if file.ends_with(".csv") {
            write_csv_gbk(&path, &grids[0])?;
        } else {
            write_xlsx(&path, &grids)?;
        }
        all.push((u, file, pubs));
    }

    let pub_summary = summarise_publications(&all);
    let others = write_other_ledgers(&dir, &annual)?;
    write_unit_list(&root.join("单位名单.xlsx"))?;
    let text = render_readme(&all, &pub_summary, &others, &exp);
    std::fs::write(root.join("README.md"), text)?;
    println!("已生成 {} 和 {}", dir.display(), root.join("单位名单.xlsx").display());
    Ok(())
}

// ───────────────────────── 预期结果：主动公开 ─────────────────────────

struct UnitPubStats {
    unit: &'static str,
    rows: usize,
    late: Vec<String>,
    pending: Vec<String>,
    problems: usize,
    under5: Vec<(u32, usize)>,
    c3: f64,
    c4_lapses: Option<(String, usize, Vec<(NaiveDate, NaiveDate)>)>,
    out_of_period: usize,
}

fn loc(p: &Pub) -> String {
    let (f, sh, r) = p.src.as_ref().unwrap();
    format!("{f}｜{sh}｜第{r}行")
}

fn summarise_publications(all: &[(&'static Unit, String, Vec<Pub>)]) -> Vec<UnitPubStats> {
    let start = d(2021, 1, 1);
    let end = as_of();
    let mut res = Vec::new();
    for (u, _file, pubs) in all {
        let mut st = UnitPubStats {
            unit: u.name,
            rows: pubs.len(),
            late: vec![],
            pending: vec![],
            problems: 0,
            under5: vec![],
            c3: 0.0,
            c4_lapses: None,
            out_of_period: 0,
        };
        let mut monthly: BTreeMap<u32, usize> = BTreeMap::new();
        for p in pubs {
            if p.problem.is_some_and(|(_, c)| c != "duplicate") {
                st.problems += 1;
            }
            if let Some(x) = p.published.date() {
                if p.proactive() && x >= start && x <= end && p.problem.is_none_or(|(_, c)| c != "duplicate") {
                    *monthly.entry(x.month()).or_default() += 1;
                }
            }
            if !p.proactive() || p.problem.is_some() {
                continue;
            }
            let Some(f) = p.formed.date() else { continue };
            let dl = add_wd(f, 20);
            match p.published.date() {
                Some(x) if x >= start && x <= end => {
                    if x > dl {
                        st.late.push(format!(
                            "{}：形成 {f}，最迟 {dl}，公开 {x}（用时 {} 个工作日，超期 {} 天）—— {}",
                            p.title.trim(),
                            count_wd(f, x),
                            (x - dl).num_days(),
                            loc(p)
                        ));
                    }
                }
                Some(x) if x < start => st.out_of_period += 1,
                _ => {
                    if f <= end && dl >= start {
                        if dl < end {
                            st.late.push(format!(
                                "{}：形成 {f}，最迟 {dl}，截至 {end} 未公开（超期 {} 天）—— {}",
                                p.title.trim(),
                                (end - dl).num_days(),
                                loc(p)
                            ));
                        } else {
                            st.pending.push(format!(
                                "{}：形成 {f}，最迟 {dl}，{} —— {}",
                                p.title.trim(),
                                match p.published.date() {
                                    Some(x) => format!("台账写 {x} 公开（在 {end} 之后，按截至当日未公开计）"),
                                    None => "尚未公开".to_string(),
                                },
                                loc(p)
                            ));
                        }
                    }
                }
            }
        }
        // 每月条数：同一单位、同一标题、同一公开日期只计一次（重复行已排除）。
        for m in 1..=12 {
            let n = monthly.get(&m).copied().unwrap_or(0);
            if n < 5 {
                st.under5.push((m, n));
            }
        }
        let expected_under5: Vec<u32> = match u.name {
            "治河渡镇" => vec![8],
            "新河乡" => vec![2],
            _ => vec![],
        };
        assert_eq!(
            st.under5.iter().map(|x| x.0).collect::<Vec<_>>(),
            expected_under5,
            "{} 的月度条数与设计不符",
            u.name
        );
        assert!((60..=115).contains(&st.rows), "{} 有 {} 行", u.name, st.rows);
        st.c3 = (10.0 - (st.late.len() + st.problems + st.under5.len()) as f64).max(0.0);
        // 两周更新的重点领域主题（C4）。
        if let Some(k) = mix(u).0 {
            let item = match k {
                Theme::Health => "医疗、公共卫生",
                Theme::Education => "教育",
                _ => "污染防治（环境问题整治等）",
            };
            let mut dates: BTreeSet<NaiveDate> = pubs
                .iter()
                .filter(|p| p.theme == k)
                .filter_map(|p| p.published.date())
                .filter(|x| *x >= start && *x <= end)
                .collect();
            dates.insert(start);
            dates.insert(end);
            let v: Vec<NaiveDate> = dates.into_iter().collect();
            let mut lapses = 0;
            let mut gaps = Vec::new();
            for w in v.windows(2) {
                let gap = (w[1] - w[0]).num_days();
                let n = ((gap + 13) / 14 - 1) as usize;
                if n > 0 {
                    lapses += n;
                    gaps.push((w[0], w[1]));
                }
            }
            st.c4_lapses = Some((item.to_string(), lapses, gaps));
        }
        res.push(st);
    }
    res
}

// ───────────────────────── 其他台账 ─────────────────────────

struct Others {
    lines: String,
}

fn short_of(name: &str) -> &'static str {
    match name {
        "华容县卫生健康局" => "卫健局",
        "华容县人力资源和社会保障局" => "人社局",
        "华容县教育体育局" => "教体局",
        "华容县财政局" => "财政局",
        "华容县市场监督管理局" => "市场监管局",
        "华容县自然资源局" => "自然资源局",
        _ => unit(name).name,
    }
}

fn write_other_ledgers(dir: &Path, annual: &[Annual]) -> Res<Others> {
    let mut md = String::new();
    let ed = Ds::Excel("yyyy-mm-dd");

    // 会议培训签到
    {
        #[rustfmt::skip]
        let meetings: &[(&str, NaiveDate, &[(&str, &str)])] = &[
            ("全县政务公开工作会议", d(2021, 3, 18), &[("东山镇", "迟到"), ("华容县市场监督管理局", "未到"), ("华容县人力资源和社会保障局", "请假")]),
            ("全县政务公开业务培训班", d(2021, 6, 24), &[("新河乡", "迟到"), ("团洲乡", "迟到"), ("东山镇", "缺席")]),
            ("政府信息公开工作年度报告编制培训", d(2021, 9, 16), &[("华容县财政局", "请假"), ("治河渡镇", "迟到")]),
            ("基层政务公开标准化规范化推进会", d(2021, 11, 25), &[]),
        ];
        let mut g = Grid::new("签到表");
        g.title("2021年全县政务公开会议培训签到情况");
        g.header(&["序号", "会议名称", "日期", "参会单位", "签到情况", "备注"]);
        let mut n = 0;
        let oks = ["出席", "出席", "到会", "已到"];
        for (name, date, special) in meetings {
            for (k, u) in UNITS.iter().enumerate() {
                n += 1;
                let st = special
                    .iter()
                    .find(|x| x.0 == u.name)
                    .map(|x| x.1)
                    .unwrap_or(oks[(k + n) % 4]);
                let note = if st == "请假" { "已提前书面请假" } else { "" };
                g.data(vec![
                    C::N(n as f64),
                    s(*name),
                    date_cell(*date, ed),
                    s(short_of(u.name)),
                    s(st),
                    s(note),
                ]);
            }
        }
        g.line(vec![]);
        g.line(vec![s("注：迟到、缺席每次扣0.5分，请假不扣分。")]);
        write_xlsx(&dir.join("会议培训签到.xlsx"), &[g])?;
        let _ = writeln!(md, "- **会议培训签到.xlsx**（A3，迟到、缺席每次 0.5 分，封顶 1 分）：东山镇 迟到 1 次 + 缺席 1 次 → A3 扣 1；市场监管局 未到（缺席）→ 扣 0.5；新河乡、团洲乡、治河渡镇 各迟到 1 次 → 扣 0.5；人社局、财政局 请假 → 不扣。");
    }

    // 网上问政台账
    {
        #[rustfmt::skip]
        let rows: &[(&str, &str, &str, NaiveDate, &str, Option<NaiveDate>, bool)] = &[
            ("WZ2021-0112", "章华镇某小区门前道路积水问题", "章华镇", d(2021, 1, 12), "5个工作日", Some(d(2021, 1, 15)), false),
            ("WZ2021-0208", "咨询乡镇卫生院春节期间急诊值班安排", "卫健局", d(2021, 2, 8), "5个工作日", Some(d(2021, 2, 19)), false),
            ("WZ2021-0322", "咨询灵活就业人员养老保险缴费标准", "人社局", d(2021, 3, 22), "5个工作日", Some(d(2021, 3, 24)), false),
            ("WZ2021-0406", "反映东山镇某村垃圾未及时清运", "东山镇", d(2021, 4, 6), "5个工作日", Some(d(2021, 4, 9)), false),
            ("WZ2021-0517", "东山镇某村通组公路破损严重", "东山镇", d(2021, 5, 17), "5个工作日", Some(d(2021, 5, 28)), false),
            ("WZ2021-0609", "咨询城区小学秋季入学划片范围", "教体局", d(2021, 6, 9), "", Some(d(2021, 6, 11)), false),
            ("WZ2021-0701", "反映某超市销售过期食品", "县市场监管局", d(2021, 7, 1), "5个工作日", Some(d(2021, 7, 6)), false),
            ("WZ2021-0719", "章华镇某小区夜间施工噪音扰民", "章华镇", d(2021, 7, 19), "5个工作日", Some(d(2021, 7, 22)), true),
            ("WZ2021-0805", "咨询农村宅基地审批程序", "自然资源局", d(2021, 8, 5), "2021-08-12", Some(d(2021, 8, 11)), false),
            ("WZ2021-0823", "治河渡镇某村饮水管道漏水", "治河渡镇", d(2021, 8, 23), "5个工作日", Some(d(2021, 8, 26)), false),
            ("WZ2021-0914", "咨询新冠疫苗加强针接种安排", "卫健局", d(2021, 9, 14), "5", Some(d(2021, 9, 16)), false),
            ("WZ2021-1011", "团洲乡某村道路照明故障", "团洲乡", d(2021, 10, 11), "5个工作日", Some(d(2021, 10, 14)), false),
            ("WZ2021-1103", "咨询惠民补贴“一卡通”到账时间", "财政局", d(2021, 11, 3), "5个工作日", Some(d(2021, 11, 8)), false),
            ("WZ2021-1122", "新河乡某村农田灌溉渠道堵塞", "新河乡", d(2021, 11, 22), "5个工作日", Some(d(2021, 11, 25)), false),
            ("WZ2021-1208", "三封寺镇集镇停车难问题", "三封寺镇", d(2021, 12, 8), "5个工作日", Some(d(2021, 12, 13)), false),
            ("WZ2021-1228", "咨询元旦期间县医院门诊安排", "卫健局", d(2021, 12, 28), "5个工作日", None, false),
        ];
        let mut g = Grid::new("网上问政");
        g.title("2021年华容县网上问政平台留言办理台账");
        g.header(&[
            "序号",
            "留言编号",
            "留言标题",
            "承办单位",
            "交办日期",
            "办理时限",
            "回复日期",
            "是否重访",
        ]);
        let mut notes = Vec::new();
        for (k, r) in rows.iter().enumerate() {
            let limit_days: Option<u32> = r.4.trim_end_matches("个工作日").parse().ok();
            let dl = match (limit_days, r.4) {
                (Some(n), _) => add_wd(r.3, n),
                (None, "") => add_wd(r.3, 5),
                (None, t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")?,
            };
            let limit_cell = match r.4 {
                "5" => C::N(5.0),
                t => s(t),
            };
            let ans = match r.5 {
                Some(x) => date_cell(x, ed),
                None => s("未回复"),
            };
            g.data(vec![
                C::N(k as f64 + 1.0),
                s(r.0),
                s(r.1),
                s(r.2),
                date_cell(r.3, ed),
                limit_cell,
                ans,
                s(if r.6 { "是" } else { "否" }),
            ]);
            match r.5 {
                Some(x) if x > dl => notes.push(format!(
                    "{} {}（{}）：交办 {}，期限 {dl}，{x} 才回复 → 逾期",
                    r.2, r.0, r.1, r.3
                )),
                None if dl < as_of() => notes.push(format!("{} {}：期限 {dl} 已过未回复 → 逾期", r.2, r.0)),
                None => notes.push(format!(
                    "{} {}（{}）：交办 {}，期限 {dl}，截至 {} 未回复 → 未到期",
                    r.2,
                    r.0,
                    r.1,
                    r.3,
                    as_of()
                )),
                _ => {}
            }
        }
        write_xlsx(&dir.join("网上问政台账.xlsx"), &[g])?;
        let _ = writeln!(
            md,
            "- **网上问政台账.xlsx**（E1，未按时回复每件 1 分，上访/重访每件 2 分；未写期限按 5 个工作日）："
        );
        for n in notes {
            let _ = writeln!(md, "  - {n}");
        }
        let _ = writeln!(
            md,
            "  - 章华镇 WZ2021-0719 是否重访=是 → E1 扣 2。预期：东山镇 E1 扣 1，章华镇 E1 扣 2，其余不扣。"
        );
    }

    // 政务新媒体
    {
        struct Acct {
            name: &'static str,
            unit: &'static str,
            platform: &'static str,
            opened: Option<NaiveDate>,
            closed: Option<NaiveDate>,
            silent: Option<(NaiveDate, NaiveDate)>,
            topics: &'static [&'static str],
        }
        #[rustfmt::skip]
        let accts = [
            Acct { name: "健康华容", unit: "华容县卫生健康局", platform: "微信公众号", opened: Some(d(2018, 5, 10)), closed: None, silent: None, topics: &["疫苗接种指南", "健康科普", "疫情防控提示", "义诊活动预告", "家庭医生签约"] },
            Acct { name: "华容人社", unit: "华容县人力资源和社会保障局", platform: "微信公众号", opened: None, closed: None, silent: None, topics: &["招聘信息", "社保政策解读", "就业见习岗位", "技能培训报名", "养老待遇认证"] },
            Acct { name: "华容教育", unit: "华容县教育体育局", platform: "微信公众号", opened: None, closed: None, silent: None, topics: &["校园动态", "招生政策", "学生资助", "安全教育", "“双减”进行时"] },
            Acct { name: "华容教体", unit: "华容县教育体育局", platform: "抖音", opened: Some(d(2021, 5, 20)), closed: None, silent: None, topics: &["校园短视频", "体育赛事", "防溺水提醒", "开学第一课"] },
            Acct { name: "章华发布", unit: "章华镇", platform: "微信公众号", opened: None, closed: None, silent: None, topics: &["镇村动态", "乡村振兴", "人居环境整治", "便民服务", "防汛动态"] },
            Acct { name: "美丽东山", unit: "东山镇", platform: "微信公众号", opened: None, closed: None, silent: Some((d(2021, 7, 16), d(2021, 8, 9))), topics: &["东山动态", "文明实践", "乡村旅游", "安全提示", "党史学习"] },
            Acct { name: "华容市场监管", unit: "华容县市场监督管理局", platform: "新浪微博", opened: None, closed: Some(d(2021, 6, 30)), silent: None, topics: &["消费提示", "抽检公告", "食品安全", "价格监督"] },
        ];
        let mut ga = Grid::new("政务新媒体账号");
        ga.title("2021年华容县政务新媒体账号登记表");
        ga.header(&["序号", "账号名称", "主办单位", "平台", "开设日期", "关停日期", "管理员"]);
        let admins = ["刘洋", "张倩", "李明", "王芳", "陈静", "周伟", "吴敏"];
        for (k, a) in accts.iter().enumerate() {
            let dcell = |x: Option<NaiveDate>| x.map(|x| date_cell(x, ed)).unwrap_or(C::E);
            ga.data(vec![
                C::N(k as f64 + 1.0),
                s(a.name),
                s(short_of(a.unit)),
                s(a.platform),
                dcell(a.opened),
                dcell(a.closed),
                s(admins[k]),
            ]);
        }
        let mut gp = Grid::new("政务新媒体发布");
        gp.header(&["账号名称", "发布日期", "标题"]);
        let mut prng = Lcg::new(777);
        let mut failures: Vec<String> = Vec::new();
        for a in &accts {
            let start = a.opened.filter(|x| x.year() == 2021).unwrap_or(d(2021, 1, 1));
            let stop = a.closed.map(|c| c - Duration::days(3)).unwrap_or(d(2021, 12, 31));
            let mut x = start + Duration::days(prng.range(0, 2));
            let mut posts = Vec::new();
            while x <= stop {
                let silent = a.silent.is_some_and(|(s0, s1)| x >= s0 && x < s1);
                if !silent {
                    let topic = prng.pick(a.topics);
                    posts.push(x);
                    gp.data(vec![
                        s(a.name),
                        date_cell(x, ed),
                        s(format!("【{}】{}（{}月{}日）", topic, a.name, x.month(), x.day())),
                    ]);
                }
                x += Duration::days(prng.range(1, 4));
            }
            for m in 1..=12 {
                let cp = last_day(m);
                if a.opened.is_some_and(|o| cp < o) || a.closed.is_some_and(|c| cp > c) || cp > as_of() {
                    continue;
                }
                let last = posts.iter().filter(|p| **p <= cp).max();
                match last {
                    Some(l) if (cp - *l).num_days() <= 10 => {}
                    Some(l) => failures.push(format!(
                        "{}（{}）监测时间点 {cp}：最近一次发布 {l}，{} 天未更新 → 不合格",
                        a.name,
                        short_of(a.unit),
                        (cp - *l).num_days()
                    )),
                    None => failures.push(format!(
                        "{}（{}）监测时间点 {cp}：之前没有发布 → 不合格",
                        a.name,
                        short_of(a.unit)
                    )),
                }
            }
        }
        write_xlsx(&dir.join("政务新媒体.xlsx"), &[ga, gp])?;
        let _ = writeln!(md, "- **政务新媒体.xlsx**（F4，默认监测时间点为每月最后一天，前 10 天内无更新为一次不合格，每次 1 分）：7 个账号，其中“华容教体”2021-05-20 开设、“华容市场监管”2021-06-30 关停（之后的监测点不查）。");
        for f in &failures {
            let _ = writeln!(md, "  - {f}");
        }
        let _ = writeln!(
            md,
            "  - 预期：东山镇 F4 扣 {}，其余账号每个监测点都合格。",
            failures.len()
        );
    }

    // 年报与指南
    {
        let mut g = Grid::new("年报与指南");
        g.title("2020年度政府信息公开工作年度报告报送及公开指南更新情况");
        g.header(&[
            "序号",
            "单位",
            "年报上报日期",
            "年报发布日期",
            "格式是否规范",
            "指南更新日期",
            "备注",
        ]);
        for (k, a) in annual.iter().enumerate() {
            let note = match a.unit {
                "团洲乡" => "网站发布延迟",
                "三封寺镇" => "未按统一格式编写",
                "治河渡镇" => "公开指南本年度未更新",
                _ => "",
            };
            g.data(vec![
                C::N(k as f64 + 1.0),
                s(short_of(a.unit)),
                date_cell(a.submitted, ed),
                date_cell(a.published, ed),
                s(if a.format_ok { "是" } else { "否" }),
                date_cell(a.guide, ed),
                s(note),
            ]);
        }
        write_xlsx(&dir.join("年报与指南.xlsx"), &[g])?;
        let _ = writeln!(md, "- **年报与指南.xlsx**（G1；2020 年度年报应在 2021-01-31 前上报、2021-02-10 前发布）：团洲乡 2021-02-22 才发布 → 未及时发布扣 4；三封寺镇 格式是否规范=否 → 扣 2；治河渡镇 指南更新日期 2020-03-16（2021 年未更新）→ 扣 2；其余单位按时。各单位台账中的“2020年政府信息公开工作年度报告”一行与此表的发布日期一致。");
    }

    // 意见征集
    {
        let mut g = Grid::new("意见征集");
        g.title("2021年网上调查和意见征集情况");
        g.header(&[
            "序号",
            "单位",
            "主题",
            "征集开始日期",
            "征集截止日期",
            "结果发布日期",
            "采纳情况",
        ]);
        #[rustfmt::skip]
        let rows: &[(&str, &str, NaiveDate, NaiveDate, Option<NaiveDate>, &str)] = &[
            ("教体局", "华容县城区义务教育学校招生划片方案意见征集", d(2021, 6, 1), d(2021, 6, 15), Some(d(2021, 6, 25)), "收到意见23条，采纳9条，已发布采纳情况说明"),
            ("自然资源局", "华容县国土空间总体规划（2021—2035年）公众意见征集", d(2021, 8, 10), d(2021, 9, 10), Some(d(2021, 10, 15)), "收到意见41条，采纳17条，已发布征集情况分析"),
            ("章华镇", "章华镇农贸市场改造提升方案意见征集", d(2021, 11, 20), d(2021, 12, 20), None, "正在汇总"),
        ];
        for (k, r) in rows.iter().enumerate() {
            let res = match r.4 {
                Some(x) => date_cell(x, ed),
                None => s("未公开"),
            };
            g.data(vec![
                C::N(k as f64 + 1.0),
                s(r.0),
                s(r.1),
                date_cell(r.2, ed),
                date_cell(r.3, ed),
                res,
                s(r.5),
            ]);
        }
        write_xlsx(&dir.join("意见征集.xlsx"), &[g])?;
        let _ = writeln!(md, "- **意见征集.xlsx**（H1，每次已发布结果的征集加 5 分，封顶 10）：教体局、自然资源局 各 +5；章华镇的征集结果尚未发布 → 不加分。");
    }

    // 检查记录
    {
        let mut g = Grid::new("检查记录");
        g.title("2021年政务公开日常检查及督查情况记录");
        g.header(&["序号", "日期", "单位", "考核项目", "次数", "级别", "说明"]);
        #[rustfmt::skip]
        let rows: &[(NaiveDate, &str, &str, Option<f64>, &str, &str)] = &[
            (d(2021, 4, 20), "新河乡", "未有工作规划", None, "", "未制定2021年度政务公开工作要点"),
            (d(2021, 4, 20), "东山镇", "B1.2", None, "", "主动公开台账缺少文号、公开方式等栏目"),
            (d(2021, 6, 15), "团洲乡", "台账不健全", None, "", "依申请公开台账未建立"),
            (d(2021, 6, 15), "三封寺镇", "未设立专区", None, "", "便民服务中心未设置政务公开专区"),
            (d(2021, 6, 16), "市场监管局", "未规范阵地", None, "", "政务公开专区资料陈旧、未及时更换"),
            (d(2021, 9, 8), "财政局", "信息公开日常维护不及时", Some(2.0), "", "两次检查发现网站栏目未及时更新"),
            (d(2021, 10, 20), "卫健局", "H2", Some(1.0), "县级", "新冠疫苗接种信息公开做法被县政府推广"),
            (d(2021, 11, 12), "治河渡镇", "P2", Some(1.0), "市", "政府网站栏目长期未更新被市政务公开办通报"),
        ];
        for (k, r) in rows.iter().enumerate() {
            g.data(vec![
                C::N(k as f64 + 1.0),
                date_cell(r.0, ed),
                s(r.1),
                s(r.2),
                r.3.map(C::N).unwrap_or(C::E),
                s(r.4),
                s(r.5),
            ]);
        }
        g.line(vec![]);
        g.line(vec![s("备注：考核项目填写评分标准原文或编号。")]);
        write_xlsx(&dir.join("检查记录.xlsx"), &[g])?;
        let _ = writeln!(md, "- **检查记录.xlsx**：新河乡“未有工作规划”→ A1.1 扣 1；东山镇“B1.2”→ 台账不健全扣 1；团洲乡“台账不健全”（B1.2 与 F1.4 同名，乡镇只适用 B1.2）→ B1 扣 1；三封寺镇“未设立专区”→ F2.2 扣 3；市场监管局“未规范阵地”→ F1.1 扣 1；财政局“信息公开日常维护不及时”2 次 → A2.2 扣 1（每次 0.5）；卫健局 H2 县级 → 加 3；治河渡镇 P2 市级通报 → 扣 3。");
    }

    Ok(Others { lines: md })
}

fn write_unit_list(path: &Path) -> Res<()> {
    let mut g = Grid::new("单位名单");
    g.header(&["单位名称", "类别", "别名"]);
    for u in UNITS {
        g.data(vec![
            s(u.name),
            s(if u.town { "乡镇" } else { "县直部门" }),
            s(u.aliases),
        ]);
    }
    write_xlsx(path, &[g])
}

// ───────────────────────── README ─────────────────────────

fn render_readme(
    all: &[(&'static Unit, String, Vec<Pub>)],
    stats: &[UnitPubStats],
    others: &Others,
    exp: &[ExpProblem],
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# 样例台账（2021 年度）\n");
    let _ = writeln!(
        md,
        "本文件夹的内容全部由 `samples/gen.rs` 生成（固定随机种子，每次相同），请勿手工修改；改生成程序后重新运行：\n"
    );
    let _ = writeln!(md, "    cargo run --example gen_samples\n");
    let _ = writeln!(
        md,
        "程序会先删除再重建 `samples/2021/`，并重写 `samples/单位名单.xlsx` 和本说明。试算：\n"
    );
    let _ = writeln!(
        md,
        "    cargo run -- score samples/2021 --units samples/单位名单.xlsx --as-of 2021-12-31\n"
    );
    let _ = writeln!(md, "12 个单位：章华镇、治河渡镇、东山镇、三封寺镇、团洲乡、新河乡（乡镇），卫健局、人社局、教体局、财政局、市场监管局、自然资源局（县直部门）。`单位名单.xlsx` 的工作表“单位名单”有 单位名称、类别、别名 三列。\n");
    let _ = writeln!(md, "## 主动公开台账（每个单位一个文件）\n");
    let _ = writeln!(md, "| 文件 | 单位从哪里来 | 表头与版式 | 日期写法 |");
    let _ = writeln!(md, "|---|---|---|---|");
    let forms: &[(&str, &str, &str, &str)] = &[
        ("华容县卫生健康局", "标题行、“填报单位（盖章）：县卫健局”", "合并标题行、序号、栏目、换行表头“公开\\n日期”、公开方式、公开属性；表尾“填报人：… 审核人：…”；另有工作表“依申请公开台账”", "Excel 日期单元格"),
        ("华容县人力资源和社会保障局", "只有文件名（人社局）", "首行即表头：标题、文号、成文日期、发布日期、公开栏目、是否需解读、解读发布日期；另有“依申请公开”", "文本 2021/3/5"),
        ("华容县教育体育局", "单位列（教体局 / 县教体局 / 全称）", "扩展名 .xls 实为 xlsx；标题行 + 空行；文件名称、所属栏目、生成日期、上网日期；数据下有 6 行只有序号的空行；另有只有表头的“依申请公开台账”", "常规格式的 8 位数字 20210305"),
        ("华容县财政局", "标题行、“填报单位：县财政局”", "GBK 编码的 CSV；空行；文号、公开方式（都是政府网站的不同写法）；表头“公开\\n日期”带换行", "形成日期 2021/3/5，公开日期 2021年3月5日"),
        ("华容县市场监督管理局", "发布机构列（县市场监管局）", "标题行 + 空行；索引号、信息标题、公开目录、形成或变更日期、公开时间", "文本 2021-03-05，公开时间带时刻 2021-03-08 10:32"),
        ("华容县自然资源局", "标题行（不合并）/ 文件名", "公开内容、公开目录、文件编号、产生日期、上载日期；另有“依申请公开台账”（承办单位列、补正、征求意见）", "文本 2021.3.5"),
        ("章华镇", "标题行“华容县章华镇人民政府…”", "表头带“（必填）”；文号、公开方式、公开属性、不予公开理由；另有“依申请公开台账”", "Excel 日期（yyyy/m/d）"),
        ("治河渡镇", "“填报单位：治河渡镇人民政府　填报时间：…”", "标题、栏目、形成日期、公开日期、备注；个别标题末尾有全角空格；只有表头的“依申请公开台账”", "文本 2021-03-05，夹杂 2021.3.5 和 2021年3月5日"),
        ("东山镇", "单位列（东山镇人民政府）", "无标题，首行即表头：单位、信息名称、信息类别、生成时间、发布时间；每 25 行一个空行；只有表头的“依申请公开台账”", "文本 20210305"),
        ("三封寺镇", "单位名称列", "标题行；表尾“合计：…”“填报人：…”", "Excel 日期，格式 yyyy\"年\"m\"月\"d\"日\""),
        ("团洲乡", "标题行 / 文件名", "按季度分 4 张工作表（一季度…四季度），各有标题行", "Excel 日期；3 个公开日期是常规格式的序列号（如 44230）"),
        ("新河乡", "责任单位列（有一行为空，按文件名）", "信息标题、公开栏目、发文日期、上网日期、公开渠道；表尾“备注：…”；只有表头的“依申请公开台账”", "文本 2021年3月5日"),
    ];
    for (name, unit_src, layout, dates) in forms {
        let file = &all.iter().find(|x| x.0.name == *name).unwrap().1;
        let _ = writeln!(md, "| `{file}` | {unit_src} | {layout} | {dates} |");
    }
    let _ = writeln!(md, "\n栏目多用内容清单的名称或别名（乡村振兴、医疗卫生、教育、就业、考录招聘、政策文件、疫情防控、财政预决算 …），也有清单外的“工作动态”“通知公告”“政务动态”。\n");
    let _ = writeln!(md, "## 预期结果（`--as-of 2021-12-31`）\n");
    let _ = writeln!(md, "下表按 issue 2 的规则由生成程序算出（20 个工作日按 2021/2022 年国务院节假日安排；C3 每条逾期、每个有数据问题的行、每个少于 5 条的月份各扣 1 分，封顶 10；重复行只列为问题不扣分）。\n");
    let _ = writeln!(
        md,
        "| 单位 | 行数 | 逾期 | 待公开 | 数据问题行 | 少于 5 条的月份 | 预期 C3 得分 |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for st in stats {
        let months: Vec<String> = st.under5.iter().map(|(m, n)| format!("{m} 月（{n} 条）")).collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            st.unit,
            st.rows,
            st.late.len(),
            st.pending.len(),
            st.problems,
            if months.is_empty() {
                "—".to_string()
            } else {
                months.join("、")
            },
            st.c3
        );
    }
    let _ = writeln!(md, "\n### 逾期公开（C3.3）\n");
    for st in stats {
        for l in &st.late {
            let _ = writeln!(md, "- {}｜{l}", st.unit);
        }
    }
    let _ = writeln!(md, "\n### 待公开（截至 2021-12-31 未到期）\n");
    for st in stats {
        for l in &st.pending {
            let _ = writeln!(md, "- {}｜{l}", st.unit);
        }
    }
    let _ = writeln!(md, "\n### 埋下的数据问题（`problems`）\n");
    let _ = writeln!(md, "行号是用 Excel / WPS 打开时看到的行号；财政局 CSV 的表头“公开\\n日期”是带换行的引号字段，按文本行数会多算一行。\n");
    for e in exp {
        let _ = writeln!(
            md,
            "- {}：`{}` 工作表“{}” {}，值“{}” → `{}`",
            e.unit, e.file, e.sheet, e.cell, e.value, e.code
        );
    }
    for (u, _, pubs) in all {
        for p in pubs.iter().filter(|p| p.serial_published) {
            let (file, sheet, r) = p.src.as_ref().unwrap();
            let x = p.published.date().unwrap();
            let _ = writeln!(
                md,
                "- （不是问题）{}：`{file}` 工作表“{sheet}” E{r} 是常规格式的序列号 {}，应读作 {x}",
                u.name,
                serial(x)
            );
        }
    }
    let _ = writeln!(md, "\n另外：人社局台账第 2 行是 2020-12-24 公开的上年信息（不在考核期内，不检查）；卫健局、章华镇各有“依申请公开”/“不予公开”属性的行（不计 20 个工作日、不计月度条数）；市场监管局有一条形成于 2021-09-28、2021-11-01（第 20 个工作日）公开的信息（不逾期），和一条截止日为星期五、次日星期六才公开的信息（逾期 1 天）。\n");
    let _ = writeln!(md, "### 其他主动公开台账列\n");
    let _ = writeln!(md, "- C1（公开属性，只查有“公开属性”列的表）：卫健局 1 行“依申请公开”而无理由列 → 扣 1；章华镇 1 行有文号而公开属性为空、1 行“不予公开”未写理由 → 扣 2（另 1 行“依申请公开”写了理由，不扣）。");
    let _ = writeln!(
        md,
        "- C2（政策解读）：人社局 3 份文件“是否需解读=是”，其中 1 份解读晚 3 个工作日发布 → 扣 2。"
    );
    let _ = writeln!(md, "- F3（公开方式）：财政局的公开方式只有“政府门户网站 / 网站 / 政府网站”（同一种）→ 公开方式单一扣 1；卫健局、章华镇、新河乡有多种方式，不扣。");
    let _ = writeln!(md, "\n### 重点领域两周更新（C4，每次 2 分，封顶 10）\n");
    for st in stats {
        if let Some((item, lapses, gaps)) = &st.c4_lapses {
            let g: Vec<String> = gaps
                .iter()
                .map(|(a, b)| format!("{a}→{b}（{} 天）", (*b - *a).num_days()))
                .collect();
            let _ = writeln!(
                md,
                "- {}｜{}：缺更新 {} 次{}",
                st.unit,
                item,
                lapses,
                if g.is_empty() {
                    String::new()
                } else {
                    format!("，间隔 {}", g.join("、"))
                }
            );
        }
    }
    let _ = writeln!(md, "\n## 其他台账（同一文件夹）\n");
    let _ = writeln!(md, "- **依申请公开台账**（D2 / H3 / P3；答复期限 20 个工作日，延期 40，补正从收到补正起算，征求意见的工作日顺延）：");
    for r in requests() {
        let o = req_outcome(&r);
        let _ = writeln!(
            md,
            "  - {} {}：收到 {}{}{}，期限 {}，{} → {}",
            short_of(r.unit),
            r.no,
            r.received,
            r.corr_received.map(|x| format!("，补正收到 {x}")).unwrap_or_default(),
            r.consult
                .map(|(a, b)| format!("，征求意见 {a}～{b}"))
                .unwrap_or_default(),
            o.deadline,
            r.answered
                .map(|x| format!("{x} 答复"))
                .unwrap_or_else(|| "未答复".into()),
            o.status
        );
    }
    let _ = writeln!(md, "  - 预期：人社局 RS2021-03 逾期 → D2 扣 4；H3 加分：卫健局 +4、人社局 +4、自然资源局 +6、章华镇 +2；自然资源局 ZRZY-2021-003 复议“维持”不算纠错（无 P3）。");
    let _ = writeln!(md, "  - 教体局、治河渡镇、东山镇、新河乡的“依申请公开台账”只有表头（全年未收到申请，不扣“未建立台账”）；三封寺镇、团洲乡、财政局（CSV）、市场监管局的文件里没有依申请公开台账 → D2 未建立台账各扣 2。");
    md.push_str(&others.lines);
    md
}

//! Printed pages: the page setup, column widths, number formats and charts stored in the
//! written workbooks, read back from the package (what LibreOffice, Excel and WPS print).

use calamine::{open_workbook, Data, Reader, Xlsx};
use std::io::Read;
use std::path::Path;

use crate::common::*;

/// A 48-unit county (the units of the embedded rules): one CSV ledger each, a year of
/// rows, a few late, some months under the minimum.
pub fn write_county(dir: &Path) -> Vec<String> {
    let rules = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/units.toml")).unwrap();
    let names: Vec<String> = rules
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"').to_string())
        .collect();
    assert_eq!(names.len(), 48);
    let columns = [
        "教育",
        "就业、养老",
        "政策文件",
        "乡村振兴",
        "工作动态",
        "财政资金直达、财政预决算",
    ];
    std::fs::create_dir_all(dir).unwrap();
    let mut list = String::from("单位名称,类别\n");
    for (u, n) in names.iter().enumerate() {
        let town = n.ends_with('镇') || n.ends_with('乡');
        list.push_str(&format!("{n},{}\n", if town { "乡镇" } else { "县直部门" }));
        let mut csv = String::from("单位,信息名称,栏目,形成日期,公开日期\n");
        for m in 1..=12u32 {
            for k in 0..(3 + (u as u32 + m) % 5) {
                let day = 1 + (k * 5 + u as u32) % 20;
                let late = (u as u32 + m + k).is_multiple_of(23);
                let (pm, pd) = if late { (m + 1, 28) } else { (m, day + 2) };
                let (pm, pd) = if pm > 12 { (12, 31) } else { (pm, pd) };
                let col = columns[(u + k as usize + m as usize) % columns.len()];
                csv.push_str(&format!(
                    "{n},{n}关于{col}的第{m}月第{k}号通知（含附件及政策解读材料）,{col},2021-{m:02}-{day:02},2021-{pm:02}-{pd:02}\n"
                ));
            }
        }
        std::fs::write(dir.join(format!("{n}台账.csv")), csv).unwrap();
    }
    std::fs::write(dir.join("单位名单.csv"), list).unwrap();
    names
}

/// The package's parts by name.
fn parts(path: &Path) -> std::collections::BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            let name = f.name().map(|n| n.to_string()).unwrap_or_default();
            out.insert(name, s);
        }
    }
    out
}

/// Sheet names in order, and each one's XML (sheetN.xml follows the order).
fn sheets(p: &std::collections::BTreeMap<String, String>) -> Vec<(String, String)> {
    let wb = &p["xl/workbook.xml"];
    wb.split("<sheet ")
        .skip(1)
        .enumerate()
        .map(|(i, s)| {
            let name = s
                .split("name=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string();
            (name, p[&format!("xl/worksheets/sheet{}.xml", i + 1)].clone())
        })
        .collect()
}

fn attr(xml: &str, tag: &str, name: &str) -> Option<String> {
    let t = xml.split(&format!("<{tag} ")).nth(1)?;
    let t = &t[..t.find('>')?];
    Some(t.split(&format!("{name}=\"")).nth(1)?.split('"').next()?.to_string())
}

/// Column widths (Excel units) by column, from <cols>.
fn widths(xml: &str) -> Vec<f64> {
    let mut out = Vec::new();
    for c in xml.split("<col ").skip(1) {
        let get = |k: &str| {
            c.split(&format!("{k}=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        };
        let (min, max): (usize, usize) = (get("min").parse().unwrap(), get("max").parse().unwrap());
        let w: f64 = get("width").parse().unwrap();
        out.resize(max, 0.0);
        for x in &mut out[min - 1..max] {
            *x = w;
        }
    }
    out
}

/// The scale "fit to one page wide" applies on A4 with the default margins.
fn print_scale(xml: &str) -> f64 {
    let landscape = attr(xml, "pageSetup", "orientation").as_deref() == Some("landscape");
    let page = if landscape { 842.0 - 100.8 } else { 595.0 - 100.8 };
    let total: f64 = widths(xml).iter().map(|w| ((w * 7.0 + 5.0) as i64) as f64 * 0.75).sum();
    (page / total).min(1.0)
}

fn score_county(d: &Path) -> std::path::PathBuf {
    write_county(&d.join("台账"));
    let (code, _, err) = run(
        d,
        &[
            "score",
            "台账",
            "--units",
            "台账/单位名单.csv",
            "--as-of",
            "2021-12-31",
            "-o",
            "结果.xlsx",
        ],
    );
    assert_eq!(code, 0, "{err}");
    d.join("结果.xlsx")
}

#[test]
fn county_size_sheets_print_readably() {
    let d = tmp();
    let out = score_county(d.path());
    let p = parts(&out);
    let all = sheets(&p);
    for (name, xml) in &all {
        if xml.contains("state=\"hidden\"") || name == "图表数据" {
            continue;
        }
        assert_eq!(attr(xml, "pageSetup", "paperSize").as_deref(), Some("9"), "{name}: A4");
        assert!(xml.contains("<oddFooter>"), "{name}: page footer");
        if xml.contains("<colBreaks") {
            // Page-sized blocks at full size.
            assert!(!xml.contains("fitToPage=\"1\""), "{name}");
            continue;
        }
        if !xml.contains("<cols>") {
            continue; // charts only
        }
        let s = print_scale(xml);
        assert!(s >= 0.75, "{name}: prints at {s:.2} of its size");
    }
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    for s in ["汇总", "通报", "汇总图", "月度公开量", "更新频率"] {
        assert!(names.contains(&s), "{s} in {names:?}");
    }
    let get = |n: &str| &all.iter().find(|(x, _)| x == n).unwrap().1;
    // 汇总: landscape, one page wide, header repeated; category columns narrow.
    let summary = get("汇总");
    assert_eq!(attr(summary, "pageSetup", "orientation").as_deref(), Some("landscape"));
    assert_eq!(attr(summary, "pageSetup", "fitToHeight").as_deref(), Some("0"));
    assert!(p["xl/workbook.xml"].contains("汇总!$1:$2"), "print titles");
    let w = widths(summary);
    for (c, w) in w.iter().enumerate().take(9).skip(2) {
        assert!(*w <= 10.0, "category column {c} is {w} wide");
    }
    // 通报: one portrait page.
    let notice = get("通报");
    assert_eq!(attr(notice, "pageSetup", "orientation").as_deref(), Some("portrait"));
    assert!(notice.contains("fitToPage=\"1\""));
    assert_eq!(
        attr(notice, "pageSetup", "fitToHeight"),
        None,
        "1 page tall (the default)"
    );
    // 更新频率: units down, at most 10 item columns a page, unit columns repeated.
    let m = get("更新频率");
    let breaks: Vec<usize> = m
        .split("<brk id=\"")
        .skip(1)
        .map(|b| b.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(!breaks.is_empty());
    assert!(breaks.windows(2).all(|w| w[1] - w[0] <= 10), "{breaks:?}");
    assert!(p["xl/workbook.xml"].contains("更新频率!$A:$B"), "unit columns repeated");
    // Charts: native chart parts, drawn on 汇总图 and 月度公开量.
    let charts = p.keys().filter(|k| k.starts_with("xl/charts/chart")).count();
    assert!(charts >= 3, "{charts} charts");
    for (i, (name, _)) in all.iter().enumerate() {
        if name == "汇总图" || name == "月度公开量" {
            let rels = &p[&format!("xl/worksheets/_rels/sheet{}.xml.rels", i + 1)];
            assert!(rels.contains("drawing"), "{name} has a drawing");
        }
    }
    assert!(get("月度公开量").contains("x14:sparkline"), "sparklines");
}

#[test]
fn ranks_are_numbers_and_scores_have_no_trailing_point_format() {
    let d = tmp();
    let out = score_county(d.path());
    let p = parts(&out);
    assert!(!p["xl/styles.xml"].contains("0.##"), "no 0.## format");
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let r = wb.worksheet_range("汇总").unwrap();
    let rows: Vec<&[Data]> = r.rows().collect();
    let head: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    let col = |h: &str| {
        head.iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h} in {head:?}"))
    };
    assert_eq!(head[2], "A 组织领导（5）");
    let (rank, size) = (col("组内排名"), col("组内单位数"));
    for h in ["加分", "扣分事项", "合计扣分", "总分"] {
        col(h);
    }
    for row in &rows[2..] {
        assert!(matches!(row[rank], Data::Float(_)), "rank is a number: {:?}", row[rank]);
        let n = if row[1] == Data::String("乡镇".into()) {
            15.0
        } else {
            33.0
        };
        assert_eq!(row[size], Data::Float(n));
    }
}

/// The annual report workbooks: tables 二, 三, 四 on A4 portrait, each one page at
/// (nearly) full size with its header rows repeated, the rows-behind sheet with its
/// header repeated; the same for 全县汇总.
#[test]
fn annual_forms_print_on_one_portrait_page_each() {
    let d = tmp();
    let inputs = d.path().join("台账");
    crate::annual::write_health(&inputs);
    crate::annual::write_finance(&inputs);
    let (code, _, err) = run(d.path(), &["annual", "台账", "--year", "2021", "--out-dir", "年报表"]);
    assert_eq!(code, 0, "{err}");
    for unit in ["华容县卫生健康局", "全县汇总"] {
        let p = parts(
            &d.path()
                .join(format!("年报表/2021年政府信息公开工作年度报告统计表-{unit}.xlsx")),
        );
        let all = sheets(&p);
        let wb = &p["xl/workbook.xml"];
        for (i, (name, xml)) in all.iter().enumerate() {
            let titles = wb
                .split("<definedName ")
                .skip(1)
                .find(|x| x.starts_with("name=\"_xlnm.Print_Titles\"") && x.contains(&format!("localSheetId=\"{i}\"")));
            if !name.starts_with('表') {
                if name == "数据来源" {
                    assert!(titles.is_some(), "{unit} {name}: header not repeated");
                }
                continue;
            }
            assert_eq!(
                attr(xml, "pageSetup", "paperSize").as_deref(),
                Some("9"),
                "{unit} {name}"
            );
            assert_ne!(
                attr(xml, "pageSetup", "orientation").as_deref(),
                Some("landscape"),
                "{unit} {name}"
            );
            // One page: fit to one page wide and one tall (1 is the default, so absent).
            assert!(xml.contains("fitToPage=\"1\""), "{unit} {name}");
            assert!(
                matches!(attr(xml, "pageSetup", "fitToHeight").as_deref(), None | Some("1")),
                "{unit} {name}"
            );
            // Width at the forms' margins (0.5 in a side): 表二 and 表四 at full size,
            // 表三 at 0.9 or more (10 pt prints at 9 pt or larger).
            let total: f64 = widths(xml).iter().map(|w| ((w * 7.0 + 5.0) as i64) as f64 * 0.75).sum();
            let scale = ((595.0 - 72.0) / total).min(1.0);
            let min = if name.starts_with("表三") { 0.9 } else { 1.0 };
            assert!(scale >= min, "{unit} {name}: {scale:.2} of full size");
            if !name.starts_with("表二") {
                let t = titles.unwrap_or_else(|| panic!("{unit} {name}: header rows not repeated"));
                assert!(t.contains("$1:$5"), "{unit} {name}: {t}");
            }
        }
    }
}

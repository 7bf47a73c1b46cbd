//! A large .xlsx sheet is streamed into records (the rows after its header are read on a
//! second thread while they become records): every row is read once, problems keep
//! their cells, and the scores equal those of the same ledger saved as CSV (read whole).

use rust_xlsxwriter::{Format, Formula, Workbook};

use crate::common::*;

/// Enough rows for the sheet's XML to pass the size from which hrgk streams (4 MB).
const ROWS: u32 = 24_000;
const HEADERS: [&str; 8] = [
    "单位",
    "信息名称",
    "栏目",
    "形成日期",
    "公开日期",
    "公开方式",
    "公开属性",
    "文号",
];
const UNITS: [&str; 4] = ["章华镇", "华容县财政局", "县卫健局", "治河渡镇"];
const CATEGORIES: [&str; 4] = ["工作动态", "通知公告", "政策文件", "财政预决算"];
/// Data rows (0-based, below the header) with something wrong, all past the head.
const BAD_DATE: usize = 15_000;
const DUPLICATE: usize = 16_000;
const BLANK: usize = 17_000;
const FORMULA: usize = 18_000;

/// The ledger's cells as text (dates as 2021-03-05, some as 2021年3月5日).
fn rows() -> Vec<Vec<String>> {
    let day0 = chrono::NaiveDate::from_ymd_opt(2021, 1, 4).unwrap();
    let mut v: Vec<Vec<String>> = (0..ROWS as usize)
        .map(|r| {
            let formed = day0 + chrono::Days::new((r % 330) as u64);
            let published = formed + chrono::Days::new(if r % 40 == 0 { 45 } else { 3 });
            let published = if r % 20 == 0 {
                published.format("%Y年%-m月%-d日").to_string()
            } else {
                published.to_string()
            };
            vec![
                UNITS[r % 4].to_string(),
                format!("关于第{r}项工作的通知"),
                CATEGORIES[r % 4].to_string(),
                formed.to_string(),
                published,
                "政府网站".to_string(),
                "主动公开".to_string(),
                format!("华政发〔2021〕{r}号"),
            ]
        })
        .collect();
    v[BAD_DATE][4] = "2021年13月5日".into();
    v[DUPLICATE] = v[5].clone();
    v[BLANK] = vec![String::new(); 8];
    v[FORMULA][4] = String::new();
    v.push(vec!["填报人：张三".to_string()]);
    v
}

/// Excel's row number of data row `r` (a title row, then the header).
fn excel_row(r: usize) -> usize {
    r + 3
}

fn write_xlsx(path: &std::path::Path, rows: &[Vec<String>]) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("主动公开台账").unwrap();
    ws.write_string(0, 0, "华容县2021年政务公开主动公开台账").unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let xr = (r + 2) as u32;
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            match chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                Ok(d) => {
                    let serial = (d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
                    ws.write_number_with_format(xr, c as u16, serial as f64, &date).unwrap();
                }
                Err(_) => {
                    ws.write_string(xr, c as u16, v).unwrap();
                }
            }
        }
    }
    // A formula saved without its result, far below the head.
    ws.write_formula((FORMULA + 2) as u32, 4, Formula::new("=D18003+3"))
        .unwrap();
    // As a program writes it: the formula without a cached result.
    let bytes = crate::zoo::rewrite_member(&wb.save_to_buffer().unwrap(), "xl/worksheets/sheet1.xml", |x| {
        x.replace("</f><v>0</v>", "</f>")
    });
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let size = zip.by_name("xl/worksheets/sheet1.xml").unwrap().size();
    assert!(
        size > 4 << 20,
        "the sheet is large enough to be streamed ({size} bytes)"
    );
    std::fs::write(path, bytes).unwrap();
}

fn write_csv(path: &std::path::Path, rows: &[Vec<String>]) {
    let mut s = String::from("华容县2021年政务公开主动公开台账\n");
    s.push_str(&HEADERS.join(","));
    s.push('\n');
    for row in rows {
        s.push_str(&row.join(","));
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

/// (code, cell, value) of every problem of a `check --format json` document.
fn problems(doc: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = doc["files"][0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or("").to_string();
            (s("code"), s("cell"), s("value"))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_large_sheet_reads_every_row_as_a_csv_of_it_does() {
    let d = tmp();
    let data = rows();
    write_xlsx(&d.path().join("台账.xlsx"), &data);
    write_csv(&d.path().join("台账.csv"), &data);
    let period = ["--year", "2021", "--as-of", "2021-12-31"];
    let check = |f: &str| {
        let (code, out, err) = run(d.path(), &[&["check", f, "--format", "json"][..], &period].concat());
        assert_eq!(code, 1, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let (x, c) = (check("台账.xlsx"), check("台账.csv"));
    // Every data row read once: all but the blank row and the footer.
    let want_rows = ROWS as u64 - 1;
    assert_eq!(
        x["files"][0]["sheets"][0]["rows"], want_rows,
        "{}",
        x["files"][0]["sheets"]
    );
    assert_eq!(c["files"][0]["sheets"][0]["rows"], want_rows);

    // The problems past the head keep their cells, in the xlsx as in the CSV; the
    // formula without a result is the xlsx's own.
    let px = problems(&x);
    let mut pc = problems(&c);
    let at = |code: &str| {
        px.iter()
            .filter(|p| p.0 == code)
            .map(|p| p.1.clone())
            .collect::<Vec<_>>()
    };
    let (bad, formula) = (format!("E{}", excel_row(BAD_DATE)), format!("E{}", excel_row(FORMULA)));
    assert_eq!(at("date-unreadable"), [bad]);
    assert_eq!(at("duplicate"), [format!("B{}", excel_row(DUPLICATE))]);
    assert_eq!(at("formula-no-result"), std::slice::from_ref(&formula), "{px:?}");
    // The xlsx's own: its formula cell.
    pc.extend(px.iter().filter(|p| p.1 == formula).cloned());
    pc.sort();
    assert_eq!(px, pc);
    let dup = x["files"][0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "duplicate")
        .unwrap();
    assert!(
        dup["message"]
            .as_str()
            .unwrap()
            .contains(&format!("第 {} 行", excel_row(5))),
        "the first copy, in the head, is named: {dup}"
    );

    // The same scores, item by item.
    let score = |f: &str| run_json(d.path(), &[&["score", f, "--format", "json"][..], &period].concat());
    let (sx, sc) = (score("台账.xlsx"), score("台账.csv"));
    let units = sx["units"].as_array().unwrap();
    assert_eq!(units.len(), UNITS.len());
    for u in units {
        let name = u["unit"].as_str().unwrap();
        let other = unit_of(&sc, name);
        assert_eq!(u["total"], other["total"], "{name}");
        assert_eq!(u["items"], other["items"], "{name}");
    }
}

/// The large ledger with its sheet's compressed data spoiled half-way: its head reads,
/// the rest does not.
fn damaged_mid_sheet(bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let (start, packed) = {
        let m = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
        (m.data_start().unwrap() as usize, m.compressed_size() as usize)
    };
    let mut b = bytes.to_vec();
    for x in &mut b[start + packed / 2..start + packed / 2 + 64] {
        *x ^= 0x5a;
    }
    b
}

#[test]
fn a_large_sheet_damaged_past_its_head_counts_no_row() {
    let d = tmp();
    let data = rows();
    write_xlsx(&d.path().join("good.xlsx"), &data);
    let bytes = std::fs::read(d.path().join("good.xlsx")).unwrap();
    std::fs::remove_file(d.path().join("good.xlsx")).unwrap();
    std::fs::write(d.path().join("台账.xlsx"), damaged_mid_sheet(&bytes)).unwrap();
    // Another unit's ledger, read whole.
    std::fs::write(
        d.path().join("注滋口镇.csv"),
        "信息名称,形成日期,公开日期\n关于春耕的通知,2021-03-01,2021-03-03\n",
    )
    .unwrap();
    let period = ["--year", "2021", "--as-of", "2021-12-31"];
    // Without --keep-going: no result.
    let (code, _, err) = run(d.path(), &[&["score", "."][..], &period].concat());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("台账.xlsx") && err.contains("无法读取"), "{err}");
    // With it: the file is unreadable and none of its rows count (as for a file that
    // cannot be opened at all), though its head was read and typed.
    let doc = run_json(
        d.path(),
        &[&["score", ".", "--keep-going", "--format", "json"][..], &period].concat(),
    );
    let units: Vec<&str> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["注滋口镇"], "{}", doc["units"]);
    let (code, out, _) = run(d.path(), &["check", "台账.xlsx", "--format", "json"]);
    assert_ne!(code, 0);
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        c["files"][0]["error"].is_object() || c["files"][0]["error"].is_string(),
        "{}",
        c["files"][0]
    );
    assert_eq!(c["files"][0]["sheets"][0]["rows"], 0, "{}", c["files"][0]["sheets"]);
    let problems = c["files"][0]["problems"].as_array().unwrap();
    assert!(
        problems.iter().all(|p| p["code"] == "file-unreadable"),
        "no problem of a row not counted: {problems:?}"
    );
}

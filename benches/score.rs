//! `cargo bench`: time and peak memory of the whole assessment on a large county
//! (60 units × 2 000 publications, half xlsx, half GBK CSV). Measured, never asserted.

use std::time::Instant;

use hrgk::assess::{self, Request};
use hrgk::rules::Rules;

fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = 60;
    let rows = 2_000;
    let t0 = Instant::now();
    for u in 0..units {
        let name = if u % 3 == 0 {
            format!("测试{u}镇")
        } else {
            format!("测试{u}局")
        };
        let mut lines = vec![
            format!("填报单位：{name}"),
            "序号,信息名称,栏目,形成日期,公开日期".to_string(),
        ];
        for r in 0..rows {
            let day = 1 + (r % 28);
            let month = 1 + (r / 170) % 12;
            // Every 50th row is published about 40 days late.
            let published = if r % 50 == 0 {
                format!("2021/{}/{}", (month % 12) + 1, day)
            } else {
                format!("2021/{month}/{}", day.min(27) + 1)
            };
            lines.push(format!("{r},信息{r},乡村振兴,2021-{month:02}-{day:02},{published}"));
        }
        let text = lines.join("\n");
        if u % 2 == 0 {
            let (bytes, _, _) = encoding_rs::GBK.encode(&text);
            std::fs::write(dir.path().join(format!("{name}.csv")), bytes).expect("write");
        } else {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            for (i, l) in text.lines().enumerate() {
                for (c, v) in l.split(',').enumerate() {
                    ws.write_string(i as u32, c as u16, v).expect("cell");
                }
            }
            wb.save(dir.path().join(format!("{name}.xlsx"))).expect("save");
        }
    }
    println!("生成 {units} 个文件，共 {} 行：{:.2?}", units * rows, t0.elapsed());
    let rules = Rules::embedded().expect("rules");
    let req = Request {
        inputs: vec![dir.path().to_path_buf()],
        year: Some(2021),
        as_of: chrono::NaiveDate::from_ymd_opt(2021, 12, 31),
        ..Default::default()
    };
    for round in 1..=3 {
        let t = Instant::now();
        let a = assess::run(&rules, &req, None).expect("assessment");
        let tables: Vec<_> = hrgk::output::books::score_book(&a, &rules).collect();
        let bytes = hrgk::output::xlsx::build(&tables).expect("workbook");
        println!(
            "第 {round} 轮：读取、核对、打分并生成工作簿（{} 字节）用时 {:.2?}；{} 条逾期",
            bytes.len(),
            t.elapsed(),
            a.checked.publications.late.len()
        );
    }
    if let Some(kib) = peak_rss_kib() {
        println!("内存峰值：{:.1} MiB", kib as f64 / 1024.0);
    }
}

//! Issue 9's benchmark: hrgk against the "floor" (calamine opening the workbook and reading
//! every sheet's full `worksheet_range`, touching every cell, nothing else), both run as
//! child processes, alternately, several repetitions; median wall time and the child's own
//! peak RSS (wait4's ru_maxrss). Measured, never asserted; CI only builds it.
//!
//!     cargo bench --bench ledger                       # quick: 10k and 100k rows
//!     HRGK_BENCH=all cargo bench --bench ledger        # 10k 100k 1m dir1m small
//!     HRGK_BENCH=100k,dir100k HRGK_BENCH_REPS=7 cargo bench --bench ledger
//!     HRGK_BENCH=small HRGK_BENCH_CMDS=score,report cargo bench --bench ledger
//!
//! Cases: `10k` `100k` `1m` (one .xlsx sheet of that many rows), `dirN` (the same rows as
//! 40 unit files in a folder), `small` (1 000 unit files of 200 rows). The ledger: a title
//! row, the 8 standard publication columns, shared strings (as Excel and WPS save them),
//! ~5 % text dates, ~3 % late rows, 40 units, year 2021, as-of 2021-12-31; generated
//! deterministically into target/bench-ledgers/ and reused. `HRGK_BIN` runs another hrgk
//! binary instead of the one cargo built with this bench. Commands timed: `score -o`,
//! `score --format json -o`, `check`, `freq -o`, `report --out-dir` (one workbook per unit);
//! `HRGK_BENCH_CMDS` (comma-separated: score json check freq report) picks some of them.
//!
//! Hidden mode (the floor's child): `ledger --floor PATH…`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::{Format, Workbook};

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
const CATEGORIES: [&str; 10] = [
    "乡村振兴",
    "医疗卫生",
    "教育",
    "就业",
    "考录招聘",
    "政策文件",
    "疫情防控",
    "财政预决算",
    "工作动态",
    "通知公告",
];
const CHANNELS: [&str; 3] = ["政府网站", "政务新媒体", "公开栏"];

/// Deterministic generator (64-bit LCG, high bits).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn floor(paths: &[String]) {
    let mut files = Vec::new();
    for p in paths {
        collect(Path::new(p), &mut files);
    }
    let (mut cells, mut sum) = (0u64, 0u64);
    for f in files {
        let Ok(mut wb) = open_workbook_auto(&f) else { continue };
        for name in wb.sheet_names() {
            let Ok(range) = wb.worksheet_range(&name) else { continue };
            for row in range.rows() {
                for c in row {
                    cells += 1;
                    sum = sum.wrapping_add(match c {
                        Data::String(s) => s.len() as u64,
                        Data::Float(v) => v.to_bits(),
                        Data::DateTime(d) => d.as_f64().to_bits(),
                        Data::Int(i) => *i as u64,
                        Data::Empty => 0,
                        _ => 1,
                    });
                }
            }
        }
    }
    println!("{cells} {sum}");
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

fn unit_names() -> Vec<String> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/units.toml")).expect("rules/units.toml");
    let v: toml::Value = toml::from_str(&text).expect("units.toml");
    v["unit"]
        .as_array()
        .expect("[[unit]]")
        .iter()
        .filter_map(|u| u["name"].as_str().map(str::to_string))
        .collect()
}

/// Excel serial of 2021-01-01 plus `day`.
fn serial(day: u64) -> f64 {
    44197.0 + day as f64
}

fn text_date(day: u64) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).expect("date") + chrono::Days::new(day);
    d.format("%Y年%-m月%-d日").to_string()
}

/// One ledger workbook: title row, header row, `rows` data rows for the given units.
fn write_ledger(path: &Path, units: &[String], rows: usize, rng: &mut Lcg, seq: &mut u64) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    let ws = wb.add_worksheet_with_low_memory().expect("worksheet");
    ws.set_name("主动公开台账").expect("name");
    ws.write_string(0, 0, "华容县2021年政务公开台账").expect("cell");
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(1, c as u16, *h).expect("cell");
    }
    for i in 0..rows {
        let r = (i + 2) as u32;
        *seq += 1;
        let unit = &units[rng.next(units.len() as u64) as usize];
        let formed = rng.next(300);
        // ~3 % late: 35–60 days after forming; otherwise within 10 days.
        let published = if rng.next(100) < 3 {
            formed + 35 + rng.next(26)
        } else {
            formed + rng.next(11)
        };
        ws.write_string(r, 0, unit).expect("cell");
        ws.write_string(r, 1, format!("关于{}第{}号工作事项的通知", unit, *seq))
            .expect("cell");
        ws.write_string(r, 2, CATEGORIES[rng.next(10) as usize]).expect("cell");
        for (c, day) in [(3u16, formed), (4, published)] {
            // ~5 % of the dates are typed as text.
            if rng.next(100) < 5 {
                ws.write_string(r, c, text_date(day)).expect("cell");
            } else {
                ws.write_number_with_format(r, c, serial(day), &date).expect("cell");
            }
        }
        ws.write_string(r, 5, CHANNELS[rng.next(3) as usize]).expect("cell");
        ws.write_string(r, 6, "主动公开").expect("cell");
        if rng.next(10) < 3 {
            ws.write_string(r, 7, format!("华政发〔2021〕{}号", *seq % 500 + 1))
                .expect("cell");
        }
    }
    wb.save(path).expect("save");
}

/// Generates the case's input (once) and returns its path and row count.
fn prepare(case: &str, root: &Path) -> (PathBuf, usize) {
    let parse = |s: &str| -> usize {
        let s = s.to_lowercase();
        if let Some(n) = s.strip_suffix('k') {
            n.parse::<usize>().expect("size") * 1_000
        } else if let Some(n) = s.strip_suffix('m') {
            n.parse::<usize>().expect("size") * 1_000_000
        } else {
            s.parse().expect("size")
        }
    };
    let units = unit_names();
    let units = &units[..40.min(units.len())];
    let mut rng = Lcg(9);
    let mut seq = 0;
    if case == "small" {
        let dir = root.join("small-1000x200");
        if !dir.join("done").exists() {
            std::fs::create_dir_all(&dir).expect("dir");
            for u in 0..1000 {
                // Names that the unit rules accept without a --units list (ending in 村).
                let name = vec![format!("测试{u:04}村")];
                write_ledger(
                    &dir.join(format!("测试{u:04}村2021年政务公开台账.xlsx")),
                    &name,
                    200,
                    &mut rng,
                    &mut seq,
                );
            }
            std::fs::write(dir.join("done"), "").expect("marker");
        }
        // The marker is not a ledger file; hrgk skips it (and the floor too).
        return (dir, 200_000);
    }
    if let Some(n) = case.strip_prefix("dir") {
        let rows = parse(n);
        let dir = root.join(format!("dir-40x{}", rows / 40));
        if !dir.join("done").exists() {
            std::fs::create_dir_all(&dir).expect("dir");
            for (i, u) in units.iter().enumerate() {
                let one = vec![u.clone()];
                write_ledger(
                    &dir.join(format!("{i:02}-2021年政务公开台账.xlsx")),
                    &one,
                    rows / 40,
                    &mut rng,
                    &mut seq,
                );
            }
            std::fs::write(dir.join("done"), "").expect("marker");
        }
        return (dir, rows / 40 * 40);
    }
    let rows = parse(case);
    let path = root.join(format!("ledger-{rows}.xlsx"));
    if !path.exists() {
        let tmp = root.join(format!("ledger-{rows}.tmp.xlsx"));
        write_ledger(&tmp, units, rows, &mut rng, &mut seq);
        std::fs::rename(&tmp, &path).expect("rename");
    }
    (path, rows)
}

/// Runs a child; returns (wall seconds, peak RSS in MiB).
fn measure(cmd: &mut Command, log: &Path) -> (f64, f64) {
    let err = std::fs::File::create(log).expect("log");
    let t = Instant::now();
    // Reaped by wait4 below (which also gives this child's own rusage), not by Child::wait.
    #[allow(clippy::zombie_processes)]
    let child = cmd.stdout(Stdio::null()).stderr(err).spawn().expect("spawn");
    let mut status = 0;
    // SAFETY: plain wait4 on our own child's pid with valid out-pointers.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut ru) };
    let wall = t.elapsed().as_secs_f64();
    assert!(r > 0, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    if code != 0 && code != 1 {
        eprintln!(
            "{:?} failed ({code}):\n{}",
            cmd,
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::process::exit(2);
    }
    (wall, ru.ru_maxrss as f64 / 1024.0)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.first().map(String::as_str) == Some("--floor") {
        floor(&args[1..]);
        return;
    }
    let cases = std::env::var("HRGK_BENCH").unwrap_or_else(|_| "10k,100k".into());
    let cases: Vec<String> = if cases == "all" {
        ["10k", "100k", "1m", "dir1m", "small"].map(String::from).to_vec()
    } else {
        cases
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let reps: usize = std::env::var("HRGK_BENCH_REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let hrgk = std::env::var("HRGK_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_hrgk").to_string());
    let me = std::env::current_exe().expect("exe");
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-ledgers"));
    std::fs::create_dir_all(&root).expect("dir");
    let out = tempfile::tempdir().expect("temp dir");
    let log = out.path().join("stderr.log");
    println!("hrgk: {hrgk}; {reps} rounds, median; floor = calamine worksheet_range of every sheet");
    // HRGK_BENCH_CMDS picks the hrgk commands (the floor always runs).
    let all = ["floor", "score", "json", "check", "freq", "report"];
    let picked = std::env::var("HRGK_BENCH_CMDS").unwrap_or_default();
    let names: Vec<&str> = all
        .iter()
        .copied()
        .filter(|n| *n == "floor" || picked.is_empty() || picked.split(',').any(|p| p.trim() == *n))
        .collect();
    let mut table = Vec::new();
    for case in &cases {
        let t = Instant::now();
        let (input, rows) = prepare(case, &root);
        eprintln!("{case}: {rows} rows ready ({:.1?})", t.elapsed());
        let mut wall = vec![Vec::new(); names.len()];
        let mut rss = vec![Vec::new(); names.len()];
        for _ in 0..reps {
            for (k, name) in names.iter().enumerate() {
                let xlsx = out.path().join("out.xlsx");
                let mut cmd = if *name == "floor" {
                    let mut c = Command::new(&me);
                    c.arg("--floor").arg(&input);
                    c
                } else {
                    let mut c = Command::new(&hrgk);
                    c.arg(match *name {
                        "check" | "freq" | "report" => name,
                        _ => "score",
                    })
                    .arg(&input);
                    c.args(["--year", "2021", "--as-of", "2021-12-31"]);
                    match *name {
                        "check" => {}
                        // One workbook per unit (40, or 1 000 for `small`).
                        "report" => {
                            c.arg("--out-dir").arg(out.path().join("reports")).arg("--force");
                        }
                        _ => {
                            c.arg("-o").arg(&xlsx).arg("--force");
                        }
                    }
                    if *name == "json" {
                        c.args(["--format", "json"]);
                    }
                    c
                };
                let (w, m) = measure(&mut cmd, &log);
                wall[k].push(w);
                rss[k].push(m);
            }
        }
        let w: Vec<f64> = wall.iter_mut().map(|v| median(v)).collect();
        let m: Vec<f64> = rss.iter_mut().map(|v| median(v)).collect();
        table.push((case.clone(), rows, w, m));
    }
    println!();
    // Columns: times, ratios (score to the floor, every other command to score), peak RSS.
    let col = |n: &str| names.iter().position(|x| *x == n);
    let label = |n: &str| {
        if n == "json" {
            "json -o".to_string()
        } else {
            n.to_string()
        }
    };
    let mut head: Vec<String> = vec!["用例".into(), "行数".into()];
    head.extend(names.iter().map(|n| label(n)));
    let mut ratios: Vec<(usize, usize, String)> = Vec::new();
    if let (Some(s), Some(f)) = (col("score"), col("floor")) {
        ratios.push((s, f, "score/floor".into()));
        for n in names.iter().filter(|n| !matches!(**n, "floor" | "score")) {
            if let Some(k) = col(n) {
                ratios.push((k, s, format!("{n}/score")));
            }
        }
    }
    head.extend(ratios.iter().map(|r| r.2.clone()));
    head.extend(names.iter().map(|n| format!("RSS {n}")));
    if let (Some(_), Some(_)) = (col("score"), col("floor")) {
        head.push("RSS score/floor".into());
    }
    println!("| {} |", head.join(" | "));
    println!(
        "|---|{}",
        std::iter::repeat_n("---:|", head.len() - 1).collect::<String>()
    );
    for (case, rows, w, m) in &table {
        let mut cells: Vec<String> = vec![case.clone(), rows.to_string()];
        cells.extend(w.iter().map(|x| format!("{x:.2} s")));
        cells.extend(ratios.iter().map(|(a, b, _)| format!("{:.2}×", w[*a] / w[*b])));
        cells.extend(m.iter().map(|x| format!("{x:.0} MiB")));
        if let (Some(s), Some(f)) = (col("score"), col("floor")) {
            cells.push(format!("{:.2}×", m[s] / m[f]));
        }
        println!("| {} |", cells.join(" | "));
    }
}

//! Mutation test (issue 14): every committed sample, the template and a CSV ledger,
//! mutated deterministically (bit flips, truncations, byte insertions and deletions,
//! zip members removed or swapped, CSV quotes added) and read in-process. Each read
//! must return a dataset or a typed error: no panic, bounded time, no huge allocation.
//! `HRGK_MUTATIONS=N` sets the mutations per file (default 40, a few seconds in CI).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hrgk::ingest::workbook;

/// Records the largest single allocation of each thread, so a dense grid over a stray
/// far cell shows (other tests' threads do not disturb it).
struct Largest;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

fn note(n: usize) {
    let _ = LARGEST.try_with(|l| l.set(l.get().max(n)));
}

/// Resets this thread's largest allocation, returning it.
pub fn largest_allocation() -> usize {
    LARGEST.try_with(|l| l.replace(0)).unwrap_or(0)
}

unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        note(l.size());
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        note(n);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static ALLOC: Largest = Largest;

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn zip_members(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).ok()?;
        let name = e.name().ok()?.to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).ok()?;
        out.push((name, data));
    }
    Some(out)
}

fn zip_of(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        for (name, data) in members {
            if z.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .is_ok()
            {
                let _ = z.write_all(data);
            }
        }
        let _ = z.finish();
    }
    out.into_inner()
}

/// Mutation `k` of `bytes`.
fn mutate(bytes: &[u8], k: usize, rng: &mut Rng, members: Option<&Vec<(String, Vec<u8>)>>) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let len = b.len().max(1);
    match k % 8 {
        0 => b.truncate(rng.below(len)),
        1 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(len);
                if let Some(x) = b.get_mut(i) {
                    *x ^= 1 << rng.below(8);
                }
            }
        }
        2 => {
            let i = rng.below(len);
            let n = 1 + rng.below(16);
            let ins: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            b.splice(i.min(b.len())..i.min(b.len()), ins);
        }
        3 => {
            let i = rng.below(len).min(b.len());
            let j = (i + 1 + rng.below(64)).min(b.len());
            b.drain(i..j);
        }
        4 | 5 => match members {
            Some(m) if m.len() > 1 => {
                let mut m = m.clone();
                let i = rng.below(m.len());
                if k % 8 == 4 {
                    m.remove(i);
                } else {
                    let j = rng.below(m.len());
                    let (a, c) = (m[i].1.clone(), m[j].1.clone());
                    m[i].1 = c;
                    m[j].1 = a;
                }
                b = zip_of(&m);
            }
            _ => b.truncate(rng.below(len)),
        },
        6 => match members {
            // A member's content damaged inside a valid zip.
            Some(m) if !m.is_empty() => {
                let mut m = m.clone();
                let i = rng.below(m.len());
                let d = &mut m[i].1;
                let at = rng.below(d.len().max(1)).min(d.len());
                let junk: &[u8] = match rng.below(4) {
                    0 => b"\"",
                    1 => b"<c r=\"XFD1048576\"><v>1</v></c>",
                    2 => b"</row>",
                    _ => b"&#0;\xff",
                };
                d.splice(at..at, junk.iter().copied());
                b = zip_of(&m);
            }
            // CSV: a quote added.
            _ => {
                let i = rng.below(len).min(b.len());
                b.insert(i, b'"');
            }
        },
        _ => {
            let i = rng.below(len);
            for x in b.iter_mut().skip(i).take(16) {
                *x = rng.next() as u8;
            }
        }
    }
    b
}

fn inputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("samples/2021"))
        .expect("samples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.push(root.join("samples/单位名单.xlsx"));
    // Real .xls files (BIFF8, saved by LibreOffice): the samples hold none.
    files.push(root.join("tests/data/章华镇台账.xls"));
    files.push(root.join("tests/data/远处单元格.xls"));
    let (code, _, err) = crate::common::run(dir, &["template", "--year", "2021", "-o", "模板.xlsx"]);
    assert_eq!(code, 0, "{err}");
    files.push(dir.join("模板.xlsx"));
    let csv = dir.join("章华镇.csv");
    std::fs::write(
        &csv,
        "填报单位：章华镇\n信息名称,形成日期,公开日期\n\"通知,一\",2021-03-01,2021-03-02\n通知二,2021/3/5,未公开\n",
    )
    .unwrap();
    files.push(csv);
    // An Excel 2003 XML spreadsheet named .xls, as systems export it.
    let xml = dir.join("章华镇台账（系统导出）.xls");
    std::fs::write(&xml, crate::xml2003::spreadsheetml("<?xml version=\"1.0\"?>")).unwrap();
    files.push(xml);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

#[test]
fn mutated_inputs_never_panic_and_stay_bounded() {
    let per_file: usize = std::env::var("HRGK_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let d = crate::common::tmp();
    let files = inputs(d.path());
    assert!(files.len() >= 19, "{}", files.len());
    let limits = workbook::Limits::default();
    let (mut read, mut refused, mut total) = (0usize, 0usize, 0usize);
    let mut slowest = Duration::ZERO;
    for (fi, (path, bytes)) in files.iter().enumerate() {
        let members = zip_members(bytes);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (fi as u64 + 1));
        for k in 0..per_file {
            let m = mutate(bytes, k, &mut rng, members.as_ref());
            largest_allocation();
            let t = Instant::now();
            let r = std::panic::catch_unwind(|| workbook::read_with(path, &m, None, &limits));
            let took = t.elapsed();
            slowest = slowest.max(took);
            total += 1;
            let Ok(r) = r else {
                let dump = std::env::temp_dir().join(format!("hrgk-mutation-{fi}-{k}.bin"));
                let _ = std::fs::write(&dump, &m);
                panic!(
                    "{} mutation {k} panicked (input kept at {})",
                    path.display(),
                    dump.display()
                );
            };
            match r {
                Ok(_) => read += 1,
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    refused += 1;
                }
            }
            assert!(
                took < Duration::from_secs(20),
                "{} mutation {k}: {took:?}",
                path.display()
            );
            let largest = largest_allocation();
            assert!(
                largest < 256 << 20,
                "{} mutation {k}: one allocation of {} MB",
                path.display(),
                largest >> 20
            );
        }
    }
    eprintln!(
        "mutation test: {total} mutations of {} files survived ({read} read, {refused} refused with a typed error); slowest read {slowest:?}",
        files.len()
    );
}

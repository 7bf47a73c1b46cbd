//! `--rules` folders with faults: every one is a rules error (exit 2) naming the file and
//! the key, never a panic and never a silent change of scores.

use crate::common::*;
use std::path::Path;

/// Exports the embedded rules into `dir/rules`, applies `edit` to one file, returns the folder.
pub fn rules_with(dir: &Path, file: &str, edit: impl Fn(&str) -> String) -> std::path::PathBuf {
    let r = dir.join("rules");
    let (code, _, err) = run(dir, &["rules", "export", "rules"]);
    assert_eq!(code, 0, "{err}");
    let p = r.join(file);
    let text = std::fs::read_to_string(&p).expect("exported");
    std::fs::write(&p, edit(&text)).expect("written");
    r
}

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2021")
}

#[test]
fn a_renamed_wiring_key_is_a_rules_error_naming_the_key() {
    let d = tmp();
    let r = rules_with(d.path(), "rubric.toml", |t| {
        t.replace("publication_late = \"C3.3\"", "publication_lte = \"C3.3\"")
    });
    let (code, out, err) = run(
        d.path(),
        &[
            "score",
            samples().to_str().unwrap(),
            "--rules",
            r.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("rubric.toml") && err.contains("publication_lte"), "{err}");
    assert!(err.contains("不认识的键"), "{err}");
    assert!(out.is_empty(), "nothing scored: {out}");
}

#[test]
fn a_wiring_to_an_unknown_standard_names_the_valid_ids() {
    let d = tmp();
    let r = rules_with(d.path(), "rubric.toml", |t| {
        t.replace("meeting_late = \"A3.1\"", "meeting_late = \"A3.9\"")
    });
    let (code, _, err) = run(d.path(), &["rules", "show", "--rules", r.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("meeting_late") && err.contains("A3.9") && err.contains("A3.1、A3.2"),
        "{err}"
    );
    // A missing key is named too.
    let d = tmp();
    let r = rules_with(d.path(), "rubric.toml", |t| {
        t.replace("inquiry_petition = \"E1.2\"\n", "")
    });
    let (code, _, err) = run(d.path(), &["rules", "show", "--rules", r.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("缺少键“inquiry_petition”"), "{err}");
}

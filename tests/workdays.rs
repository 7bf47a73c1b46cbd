use crate::common::*;

#[test]
fn add_and_count_print_only_the_answer() {
    let d = tmp();
    let (code, out, _) = run(d.path(), &["workdays", "add", "2021-09-28", "20"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "2021-11-01");
    let (code, out, _) = run(d.path(), &["workdays", "count", "2021-09-28", "2021-11-01"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "20");
    let (_, out, _) = run(d.path(), &["workdays", "count", "2021-02-06", "2021-02-07"]);
    assert_eq!(out.trim(), "1", "2021-02-07 is a 调休 working day");
}

#[test]
fn a_year_without_calendar_is_an_error_naming_the_file() {
    let d = tmp();
    let (code, _, err) = run(d.path(), &["workdays", "add", "2027-03-01", "5"]);
    assert_eq!(code, 2);
    assert!(err.contains("calendar/2027.toml"), "{err}");
}

#[test]
fn bad_dates_are_rejected_in_chinese() {
    let d = tmp();
    let (code, _, err) = run(d.path(), &["workdays", "add", "2021-02-30", "5"]);
    assert_eq!(code, 2);
    assert!(err.contains("错误"), "{err}");
}

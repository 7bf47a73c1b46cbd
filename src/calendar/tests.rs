//! Tests of the working-day arithmetic against the shipped calendar files
//! (`rules/calendar/2019.toml` … `2026.toml`). The expected yearly totals and
//! deadlines were computed independently of this code from the 国务院办公厅 notices.

use super::*;

fn files() -> Vec<(String, YearCalendar)> {
    let files = [
        ("calendar/2019.toml", include_str!("../../rules/calendar/2019.toml")),
        ("calendar/2020.toml", include_str!("../../rules/calendar/2020.toml")),
        ("calendar/2021.toml", include_str!("../../rules/calendar/2021.toml")),
        ("calendar/2022.toml", include_str!("../../rules/calendar/2022.toml")),
        ("calendar/2023.toml", include_str!("../../rules/calendar/2023.toml")),
        ("calendar/2024.toml", include_str!("../../rules/calendar/2024.toml")),
        ("calendar/2025.toml", include_str!("../../rules/calendar/2025.toml")),
        ("calendar/2026.toml", include_str!("../../rules/calendar/2026.toml")),
    ];
    files
        .iter()
        .map(|(n, t)| {
            let yc = toml::from_str::<YearCalendar>(t).unwrap_or_else(|e| panic!("{n}: {e}"));
            (n.to_string(), yc)
        })
        .collect()
}

fn cal() -> Calendar {
    Calendar::new(files()).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn parse(text: &str) -> YearCalendar {
    toml::from_str::<YearCalendar>(text).unwrap()
}

// ---------------------------------------------------------------- the files

#[test]
fn every_file_is_named_after_its_year_and_cites_a_notice() {
    let files = files();
    assert_eq!(files.len(), 8);
    for (name, yc) in &files {
        assert_eq!(name, &format!("calendar/{}.toml", yc.year));
        assert!(!yc.notices.is_empty(), "{name}: no notice");
        assert!(
            yc.notices.iter().all(|n| n.contains("国办发明电〔")),
            "{name}: every notice needs its document number"
        );
        // 7 festivals, some merged (国庆+中秋), 2020 春节 split by the extension.
        assert!(
            (6..=8).contains(&yc.holidays.len()),
            "{name}: {} holiday ranges",
            yc.holidays.len()
        );
        assert!(!yc.workdays.is_empty(), "{name}: no 调休 days");
    }
    let c = cal();
    assert_eq!(c.years().collect::<Vec<_>>(), (2019..=2026).collect::<Vec<_>>());
}

#[test]
fn every_holiday_date_is_off_and_every_makeup_day_is_worked() {
    let c = cal();
    for (name, yc) in files() {
        let mut off_days = 0;
        for h in &yc.holidays {
            let (a, b) = (d(&h.from), d(&h.to));
            assert!(a <= b, "{name}: {} reversed", h.name);
            let mut x = a;
            while x <= b {
                assert_eq!(c.is_workday(x), Ok(false), "{name}: {} {x} should be off", h.name);
                off_days += 1;
                x = x.succ_opt().unwrap();
            }
        }
        assert!(off_days >= 20, "{name}: only {off_days} holiday days");
        for m in &yc.workdays {
            let x = d(&m.date);
            assert!(
                matches!(x.weekday(), Weekday::Sat | Weekday::Sun),
                "{name}: {x} not a weekend day"
            );
            assert_eq!(c.is_workday(x), Ok(true), "{name}: {} {x} should be worked", m.name);
        }
    }
}

#[test]
fn a_plain_wednesday_is_a_working_day_in_every_year() {
    let c = cal();
    for s in [
        "2019-03-13",
        "2020-03-11",
        "2021-03-10",
        "2022-03-09",
        "2023-03-08",
        "2024-03-13",
        "2025-03-12",
        "2026-03-11",
    ] {
        let x = d(s);
        assert_eq!(x.weekday(), Weekday::Wed, "{s}");
        assert_eq!(c.is_workday(x), Ok(true), "{s}");
    }
    // An ordinary weekend is off.
    assert_eq!(c.is_workday(d("2021-03-13")), Ok(false));
    assert_eq!(c.is_workday(d("2021-03-14")), Ok(false));
}

#[test]
fn yearly_working_day_totals() {
    // Weekdays − weekday holidays + 调休 days, per the notices (computed separately).
    // 2020 is two short of the original notice because of the 春节 extension
    // (1/31 off, 2/1 no longer worked); 2025 and 2026 have 13 statutory days.
    let c = cal();
    let expected = [
        (2019, 250),
        (2020, 249),
        (2021, 250),
        (2022, 249),
        (2023, 249),
        (2024, 251),
        (2025, 248),
        (2026, 248),
    ];
    for (y, n) in expected {
        let first = NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(y, 12, 31).unwrap();
        assert_eq!(c.count_workdays_inclusive(first, last), Ok(n), "{y}");
        // 1 January is a holiday every year, so (1/1, 12/31] gives the same total.
        assert_eq!(c.count_workdays(first, last), Ok(n), "{y}");
    }
    assert_eq!(c.count_workdays(d("2021-01-01"), d("2021-12-31")), Ok(250));
    // All eight years together.
    assert_eq!(c.count_workdays_inclusive(d("2019-01-01"), d("2026-12-31")), Ok(1994));
    // Across a year end: (2020-12-31, 2021-01-04] — 1/1–1/3 off, 1/4 worked.
    assert_eq!(c.count_workdays(d("2020-12-31"), d("2021-01-04")), Ok(1));
}

// ---------------------------------------------------------------- 2019

#[test]
fn labour_day_2019_follows_the_revised_notice() {
    // 国办发明电〔2019〕3号: 5月1日至4日放假，4月28日、5月5日（星期日）上班.
    let c = cal();
    assert_eq!(c.is_workday(d("2019-04-28")), Ok(true));
    assert_eq!(c.is_workday(d("2019-05-05")), Ok(true));
    for s in ["2019-05-01", "2019-05-02", "2019-05-03", "2019-05-04"] {
        assert_eq!(c.is_workday(d(s)), Ok(false), "{s}");
    }
    assert_eq!(c.is_workday(d("2019-05-06")), Ok(true));
    // 元旦 2019: only 1 January lies in the file; 2 January is an ordinary working day.
    assert_eq!(c.is_workday(d("2019-01-01")), Ok(false));
    assert_eq!(c.is_workday(d("2019-01-02")), Ok(true));
}

// ---------------------------------------------------------------- 2020

#[test]
fn spring_festival_2020_includes_the_national_extension() {
    // 国办发明电〔2020〕1号: 春节假期延长至2月2日，2月3日起正常上班.
    let c = cal();
    assert_eq!(c.is_workday(d("2020-01-19")), Ok(true), "调休上班 (Sunday)");
    assert_eq!(c.is_workday(d("2020-01-23")), Ok(true));
    for s in ["2020-01-24", "2020-01-30", "2020-01-31", "2020-02-01", "2020-02-02"] {
        assert_eq!(c.is_workday(d(s)), Ok(false), "{s}");
    }
    assert_eq!(c.is_workday(d("2020-02-03")), Ok(true));
    assert_eq!(c.add_workdays(d("2020-01-23"), 1), Ok(d("2020-02-03")));
    assert_eq!(c.add_workdays(d("2020-01-20"), 15), Ok(d("2020-02-18")));
}

// ---------------------------------------------------------------- 2021

#[test]
fn facts_of_2021() {
    let c = cal();
    assert_eq!(c.is_workday(d("2021-02-07")), Ok(true), "Sunday 调休上班");
    assert_eq!(c.is_workday(d("2021-02-20")), Ok(true), "Saturday 调休上班");
    for day in 1..=7 {
        let x = NaiveDate::from_ymd_opt(2021, 10, day).unwrap();
        assert_eq!(c.is_workday(x), Ok(false), "{x}");
    }
    assert_eq!(c.is_workday(d("2021-10-08")), Ok(true));
    assert_eq!(c.is_workday(d("2021-10-09")), Ok(true), "Saturday 调休上班");
    assert_eq!(c.is_workday(d("2021-09-18")), Ok(true), "中秋 调休上班");
    assert_eq!(c.is_workday(d("2021-09-20")), Ok(false), "中秋 Monday off");
}

#[test]
fn twenty_working_days_across_national_day_2021() {
    // 9/29, 9/30, 10/8, 10/9 (Sat), 10/11–15, 10/18–22, 10/25–29, 11/1.
    let c = cal();
    assert_eq!(c.add_workdays(d("2021-09-28"), 20), Ok(d("2021-11-01")));
    assert_eq!(c.count_workdays(d("2021-09-28"), d("2021-11-01")), Ok(20));
}

#[test]
fn twenty_working_days_across_spring_festival_2021() {
    // From 2/1: 2/2–2/5, 2/7 (Sun), 2/8–2/10, [2/11–2/17 off], 2/18, 2/19,
    // 2/20 (Sat), 2/22–2/26, 3/1–3/4.
    let c = cal();
    assert_eq!(c.add_workdays(d("2021-02-01"), 20), Ok(d("2021-03-04")));
    assert_eq!(c.count_workdays(d("2021-02-01"), d("2021-03-04")), Ok(20));
    assert_eq!(c.count_workdays(d("2021-02-01"), d("2021-03-01")), Ok(17));
    assert_eq!(c.add_workdays(d("2021-02-10"), 1), Ok(d("2021-02-18")));
    assert_eq!(c.add_workdays(d("2021-02-10"), 5), Ok(d("2021-02-23")));
}

// ---------------------------------------------------------------- other years

#[test]
fn year_boundaries_and_partial_new_year_ranges() {
    let c = cal();
    // 元旦 2023 ran 2022-12-31 – 2023-01-02; only the 2023 part is in the file.
    assert_eq!(c.is_workday(d("2023-01-02")), Ok(false));
    assert_eq!(c.add_workdays(d("2022-12-30"), 1), Ok(d("2023-01-03")));
    // 2023 清明节 is a single Wednesday.
    assert_eq!(c.is_workday(d("2023-04-05")), Ok(false));
    assert_eq!(c.is_workday(d("2023-04-06")), Ok(true));
    // 2024: 除夕 (2/9) was only recommended as a day off; it stays a working day.
    assert_eq!(c.add_workdays(d("2024-02-08"), 1), Ok(d("2024-02-09")));
    assert_eq!(c.is_workday(d("2024-02-18")), Ok(true), "Sunday 调休上班");
    // 2025 春节 from 除夕, 8 days: 1/26 (Sun) worked, 2/8 (Sat) worked.
    assert_eq!(c.add_workdays(d("2025-01-24"), 10), Ok(d("2025-02-13")));
    // 2026: 1/4 (Sun) worked; 春节 2/15–2/23; 2/14 and 2/28 (Sat) worked.
    assert_eq!(c.is_workday(d("2026-01-04")), Ok(true));
    assert_eq!(c.add_workdays(d("2026-02-13"), 1), Ok(d("2026-02-14")));
    assert_eq!(c.is_workday(d("2026-02-23")), Ok(false));
    assert_eq!(c.is_workday(d("2026-02-28")), Ok(true));
}

// ---------------------------------------------------------------- API edges

#[test]
fn missing_years_are_errors() {
    let c = cal();
    assert_eq!(c.is_workday(d("2018-12-31")), Err(MissingYear { year: 2018 }));
    assert_eq!(c.is_workday(d("2027-01-01")), Err(MissingYear { year: 2027 }));
    // 2026-12-31 (Thursday) is worked; the next step lands in 2027.
    assert_eq!(c.add_workdays(d("2026-12-30"), 1), Ok(d("2026-12-31")));
    assert_eq!(c.add_workdays(d("2026-12-30"), 2), Err(MissingYear { year: 2027 }));
    assert_eq!(
        c.count_workdays(d("2018-12-30"), d("2019-01-05")),
        Err(MissingYear { year: 2018 })
    );
    assert_eq!(
        c.count_workdays(d("2026-12-01"), d("2027-01-05")),
        Err(MissingYear { year: 2027 })
    );
    assert_eq!(
        c.count_workdays_inclusive(d("2018-12-31"), d("2019-01-05")),
        Err(MissingYear { year: 2018 })
    );
    assert!(c.has_year(2019) && c.has_year(2026));
    assert!(!c.has_year(2018) && !c.has_year(2027));
}

/// Day-by-day reference of `add_workdays` and `count_workdays` (what they computed
/// before walking a year's flags at a time).
fn add_by_days(c: &Calendar, d: NaiveDate, n: u32) -> Result<NaiveDate, MissingYear> {
    let (mut left, mut cur) = (n, d);
    while left > 0 {
        cur = cur.succ_opt().unwrap();
        if c.is_workday(cur)? {
            left -= 1;
        }
    }
    Ok(cur)
}

fn count_by_days(c: &Calendar, from: NaiveDate, to: NaiveDate) -> Result<i64, MissingYear> {
    if to <= from {
        c.is_workday(from)?;
        c.is_workday(to)?;
        return Ok(0);
    }
    let (mut n, mut cur) = (0, from);
    while cur < to {
        cur = cur.succ_opt().unwrap();
        n += i64::from(c.is_workday(cur)?);
    }
    Ok(n)
}

#[test]
fn year_at_a_time_walks_agree_with_day_by_day_ones() {
    let c = cal();
    let mut day = d("2018-12-01");
    while day <= d("2027-01-31") {
        for n in [0, 1, 2, 5, 20, 60, 250, 400] {
            assert_eq!(c.add_workdays(day, n), add_by_days(&c, day, n), "{day} + {n}");
        }
        for span in [-3, 0, 1, 2, 9, 31, 45, 200, 370, 800] {
            let to = day + chrono::Duration::days(span);
            assert_eq!(c.count_workdays(day, to), count_by_days(&c, day, to), "({day}, {to}]");
        }
        day += chrono::Duration::days(3);
    }
    // A gap between years with calendars: the error names the missing year.
    let mut files = files();
    files.retain(|(n, _)| !n.contains("2022"));
    let gap = Calendar::new(files).unwrap();
    assert_eq!(gap.add_workdays(d("2021-12-20"), 30), Err(MissingYear { year: 2022 }));
    assert_eq!(
        gap.count_workdays(d("2021-12-20"), d("2023-01-10")),
        Err(MissingYear { year: 2022 })
    );
    assert_eq!(
        gap.add_workdays(d("2021-12-20"), 5),
        add_by_days(&gap, d("2021-12-20"), 5)
    );
}

#[test]
fn counting_is_zero_on_the_same_day_and_when_reversed() {
    let c = cal();
    assert_eq!(c.count_workdays(d("2021-06-01"), d("2021-06-01")), Ok(0));
    assert_eq!(c.count_workdays(d("2021-10-03"), d("2021-10-03")), Ok(0));
    // (9/24, 10/11]: 9/26 (Sun), 9/27–9/30, 10/8, 10/9 (Sat), 10/11.
    assert_eq!(c.count_workdays(d("2021-09-24"), d("2021-10-11")), Ok(8));
    // (10/11, 9/24] is empty.
    assert_eq!(c.count_workdays(d("2021-10-11"), d("2021-09-24")), Ok(0));
    // add_workdays with n = 0 gives the day itself, even a holiday.
    assert_eq!(c.add_workdays(d("2021-10-03"), 0), Ok(d("2021-10-03")));
}

#[test]
fn inclusive_counting() {
    let c = cal();
    assert_eq!(
        c.count_workdays_inclusive(d("2021-02-07"), d("2021-02-07")),
        Ok(1),
        "调休 Sunday"
    );
    assert_eq!(
        c.count_workdays_inclusive(d("2021-02-11"), d("2021-02-11")),
        Ok(0),
        "春节"
    );
    assert_eq!(c.count_workdays_inclusive(d("2021-02-07"), d("2021-02-10")), Ok(4));
    assert_eq!(c.count_workdays(d("2021-02-07"), d("2021-02-10")), Ok(3));
    assert_eq!(c.count_workdays_inclusive(d("2021-02-10"), d("2021-02-07")), Ok(0));
}

// ---------------------------------------------------------------- validation

const HEAD: &str = "year = 2021\nnotices = [\"测试\"]\n";

#[test]
fn a_makeup_day_on_a_weekday_is_rejected() {
    let yc = parse(&format!("{HEAD}[[workday]]\nname = \"x\"\ndate = \"2021-02-08\"\n"));
    assert!(Calendar::new(vec![("calendar/2021.toml".into(), yc)]).is_err());
    let ok = parse(&format!("{HEAD}[[workday]]\nname = \"x\"\ndate = \"2021-02-07\"\n"));
    assert!(Calendar::new(vec![("calendar/2021.toml".into(), ok)]).is_ok());
}

#[test]
fn dates_outside_the_files_year_are_rejected() {
    let h = parse(&format!(
        "{HEAD}[[holiday]]\nname = \"元旦\"\nfrom = \"2020-12-31\"\nto = \"2021-01-02\"\n"
    ));
    assert!(Calendar::new(vec![("calendar/2021.toml".into(), h)]).is_err());
    let w = parse(&format!("{HEAD}[[workday]]\nname = \"x\"\ndate = \"2020-12-26\"\n"));
    assert!(Calendar::new(vec![("calendar/2021.toml".into(), w)]).is_err());
}

#[test]
fn a_day_both_off_and_worked_or_a_duplicate_year_is_rejected() {
    let both = parse(&format!(
        "{HEAD}[[holiday]]\nname = \"春节\"\nfrom = \"2021-02-11\"\nto = \"2021-02-17\"\n\
         [[workday]]\nname = \"x\"\ndate = \"2021-02-13\"\n"
    ));
    assert!(Calendar::new(vec![("calendar/2021.toml".into(), both)]).is_err());
    let dup = vec![
        ("a/2021.toml".to_string(), parse(HEAD)),
        ("b/2021.toml".to_string(), parse(HEAD)),
    ];
    assert!(Calendar::new(dup).is_err());
}

#[test]
fn unknown_fields_are_rejected() {
    assert!(toml::from_str::<YearCalendar>(&format!("{HEAD}source = \"x\"\n")).is_err());
    assert!(toml::from_str::<YearCalendar>(&format!(
        "{HEAD}[[holiday]]\nname = \"x\"\nfrom = \"2021-01-01\"\nto = \"2021-01-01\"\ndays = 1\n"
    ))
    .is_err());
}

//! 政务新媒体账号 and 政务新媒体发布 → F4: at each monitoring checkpoint within an
//! account's open period, an account whose latest post is more than
//! `newmedia_max_silence_days` earlier (or that never posted) fails once.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

use super::support::problem;
use super::{last_day_of_month, Charges, Evidence, Extra, Period};
use crate::ingest::{Dataset, Problem, ProblemKind, Source, UnitId};
use crate::rules::{LedgerKind, Rules};
use crate::text;

/// Where the checkpoints came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// `--checkpoints`.
    CommandLine,
    /// A 监测时间点 sheet.
    Sheet,
    /// The rules' `newmedia_checkpoints`.
    #[default]
    Rules,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::CommandLine => "命令行 --checkpoints",
            Origin::Sheet => "监测时间点表",
            Origin::Rules => "规则默认",
        }
    }
}

/// One account, from the account ledger or seen only in posts.
#[derive(Debug, Clone)]
pub struct AccountInfo {
    pub name: String,
    pub unit: UnitId,
    pub platform: String,
    pub opened: Option<NaiveDate>,
    pub closed: Option<NaiveDate>,
    /// Registered in the account ledger (false: only seen in posts).
    pub registered: bool,
    /// The account row, else its first post row.
    pub src: Source,
    /// Posts dated on or before as-of.
    pub posts: usize,
    /// The latest post on or before as-of.
    pub latest: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pass,
    Fail,
    /// Checkpoint before the opening date.
    NotOpen,
    /// Checkpoint after the closing date.
    Closed,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Pass => "合格",
            State::Fail => "不合格",
            State::NotOpen => "未开设",
            State::Closed => "已关停",
        }
    }
}

/// One account × checkpoint.
#[derive(Debug, Clone)]
pub struct Check {
    /// Index into `Report::accounts`.
    pub account: usize,
    pub checkpoint: NaiveDate,
    pub latest: Option<NaiveDate>,
    /// Days from the latest post to the checkpoint.
    pub silent_days: Option<i64>,
    pub state: State,
}

#[derive(Debug, Default)]
pub struct Report {
    pub accounts: Vec<AccountInfo>,
    /// Checkpoints in the period, sorted.
    pub checkpoints: Vec<NaiveDate>,
    pub origin: Origin,
    /// Every account × checkpoint, accounts in order, then checkpoints.
    pub checks: Vec<Check>,
    /// Accounts seen only in posts whose unit is unknown.
    pub problems: Vec<Problem>,
    pub checked: bool,
}

/// The checkpoints of the period: `--checkpoints`, else a 监测时间点 sheet, else the
/// rules ("month_end" = the last day of every month, or MM-DD dates).
pub fn checkpoints(ds: &Dataset, rules: &Rules, period: &Period, extra: &Extra) -> (Vec<NaiveDate>, Origin) {
    let (list, origin) = if !extra.checkpoints.is_empty() {
        (extra.checkpoints.clone(), Origin::CommandLine)
    } else if !ds.checkpoints.is_empty() {
        (ds.checkpoints.clone(), Origin::Sheet)
    } else {
        let mut v = Vec::new();
        for c in &rules.rubric.params.newmedia_checkpoints {
            if c.trim() == "month_end" {
                v.extend((1..=12).filter_map(|m| last_day_of_month(period.year, m)));
            } else if let Ok(d) = NaiveDate::parse_from_str(&format!("{}-{}", period.year, c.trim()), "%Y-%m-%d") {
                v.push(d);
            }
        }
        (v, Origin::Rules)
    };
    let set: BTreeSet<NaiveDate> = list.into_iter().filter(|d| period.contains(*d)).collect();
    (set.into_iter().collect(), origin)
}

pub fn check(ds: &Dataset, rules: &Rules, period: &Period, extra: &Extra, ch: &mut Charges) -> Report {
    let std = rules.rubric.params.wiring.newmedia_failure.as_str();
    let mut rep = Report {
        checked: ch.start(ds, &[LedgerKind::Account, LedgerKind::Post], &[std]),
        ..Default::default()
    };
    if !rep.checked {
        return rep;
    }
    let max = i64::from(rules.rubric.params.newmedia_max_silence_days);
    (rep.checkpoints, rep.origin) = checkpoints(ds, rules, period, extra);
    // Post dates per folded account name (up to as-of).
    let mut dates: BTreeMap<String, BTreeSet<NaiveDate>> = BTreeMap::new();
    for p in &ds.posts {
        let key = text::fold(&p.account);
        if key.is_empty() {
            continue;
        }
        let e = dates.entry(key).or_default();
        if let Some(d) = period.known_date(p.date) {
            e.insert(d);
        }
    }
    let mut keys: Vec<String> = Vec::new();
    // Every name in the account ledger, with or without a unit (a row without one is a
    // data problem already; its posts do not make it a posts-only account).
    let registered: BTreeSet<String> = ds.accounts.iter().map(|a| text::fold(&a.name)).collect();
    for a in &ds.accounts {
        let key = text::fold(&a.name);
        let Some(unit) = a.unit else { continue };
        if key.is_empty() || keys.contains(&key) {
            continue;
        }
        keys.push(key.clone());
        rep.accounts.push(AccountInfo {
            name: a.name.clone(),
            unit,
            platform: a.platform.clone(),
            opened: a.opened,
            closed: a.closed,
            registered: true,
            src: a.src.clone(),
            posts: dates.get(&key).map_or(0, |d| d.len()),
            latest: dates.get(&key).and_then(|d| d.last().copied()),
        });
    }
    // Accounts seen only in posts: the unit their posts carry (a 单位 column, a 填报单位
    // line …) when they all agree; two units are a problem naming both.
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    for p in &ds.posts {
        let key = text::fold(&p.account);
        if key.is_empty() || keys.contains(&key) || registered.contains(&key) || unknown.contains(&key) {
            continue;
        }
        let units: BTreeSet<UnitId> = ds
            .posts
            .iter()
            .filter(|q| text::fold(&q.account) == key)
            .filter_map(|q| q.unit)
            .collect();
        if units.len() > 1 {
            unknown.insert(key);
            let reg = ds.registry();
            let names: Vec<&str> = units.iter().map(|u| reg.name(*u)).collect();
            rep.problems.push(problem(
                rules,
                LedgerKind::Post,
                &p.src,
                "account",
                &p.account,
                ProblemKind::AccountUnitUnknown,
                format!(
                    "账号“{}”只出现在发布记录中，其发布记录分属 {} 等单位，无法确定主办单位，未作监测：请在“政务新媒体账号”表登记该账号及其单位",
                    p.account,
                    names.join("、")
                ),
                None,
            ));
            continue;
        }
        match units.into_iter().next() {
            Some(unit) => {
                keys.push(key.clone());
                rep.accounts.push(AccountInfo {
                    name: p.account.clone(),
                    unit,
                    platform: String::new(),
                    opened: None,
                    closed: None,
                    registered: false,
                    src: p.src.clone(),
                    posts: dates.get(&key).map_or(0, |d| d.len()),
                    latest: dates.get(&key).and_then(|d| d.last().copied()),
                });
            }
            None => {
                if unknown.insert(key) {
                    rep.problems.push(problem(
                        rules,
                        LedgerKind::Post,
                        &p.src,
                        "account",
                        &p.account,
                        ProblemKind::AccountUnitUnknown,
                        format!(
                            "账号“{}”只出现在发布记录中，无法确定主办单位，未作监测：请在“政务新媒体账号”表登记该账号及其单位，或在发布表上方加一行“填报单位：XX”",
                            p.account
                        ),
                        None,
                    ));
                }
            }
        }
    }
    let empty = BTreeSet::new();
    for (ai, (a, key)) in rep.accounts.iter().zip(&keys).enumerate() {
        let posts = dates.get(key).unwrap_or(&empty);
        for &cp in &rep.checkpoints {
            let latest = posts.range(..=cp).next_back().copied();
            let silent_days = latest.map(|l| (cp - l).num_days());
            let state = if a.opened.is_some_and(|o| cp < o) {
                State::NotOpen
            } else if a.closed.is_some_and(|c| cp > c) {
                State::Closed
            } else if silent_days.is_none_or(|s| s > max) {
                State::Fail
            } else {
                State::Pass
            };
            if state == State::Fail {
                let reason = match latest {
                    Some(l) => format!(
                        "监测时间点 {cp}：“{}”最近一次发布在 {l}，已 {} 天无更新（超过 {max} 天）",
                        a.name,
                        silent_days.unwrap_or(0)
                    ),
                    None => format!("监测时间点 {cp}：“{}”此前没有任何发布记录", a.name),
                };
                ch.charge(a.unit, std, reason, Evidence::row(&a.src, &a.name));
            }
            rep.checks.push(Check {
                account: ai,
                checkpoint: cp,
                latest,
                silent_days,
                state,
            });
        }
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::checks::Checked;
    use crate::ingest::{Account, Post};

    fn account(unit: UnitId, name: &str, opened: &str, closed: &str, n: u32) -> Account {
        Account {
            unit: Some(unit),
            name: name.into(),
            platform: "微信公众号".into(),
            opened: od(opened),
            closed: od(closed),
            src: src(n),
        }
    }

    fn post(unit: Option<UnitId>, name: &str, date: &str, n: u32) -> Post {
        Post {
            unit,
            account: name.into(),
            date: od(date),
            title: format!("推文{n}"),
            src: src(n),
        }
    }

    fn run(ds: &Dataset, rules: &Rules, as_of: &str, extra: &Extra) -> Checked {
        let mut c = Checked::default();
        c.newmedia = check(
            ds,
            rules,
            &period(as_of),
            extra,
            &mut Charges::new(rules, &mut c.occurrences, &mut c.fed),
        );
        c
    }

    fn failed(c: &Checked, name: &str) -> Vec<NaiveDate> {
        c.newmedia
            .checks
            .iter()
            .filter(|k| c.newmedia.accounts[k.account].name == name && k.state == State::Fail)
            .map(|k| k.checkpoint)
            .collect()
    }

    #[test]
    fn ten_days_of_silence_at_month_end() {
        let (rules, mut ds, u) = setup(&["卫健局"]);
        ds.present.insert(LedgerKind::Account);
        ds.present.insert(LedgerKind::Post);
        ds.accounts = vec![account(u[0], "健康华容", "", "", 2)];
        ds.posts = vec![
            // 31 Jan − 21 Jan = 10 days: passes.
            post(None, "健康华容", "2021-01-21", 3),
            // 28 Feb − 17 Feb = 11 days: fails.
            post(None, "健康华容", "2021-02-17", 4),
            // A post after the checkpoint does not count for it; 31 Mar − 25 Mar passes.
            post(None, "健 康华容", "2021-03-25", 5),
        ];
        let c = run(&ds, &rules, "2021-04-30", &Extra::default());
        assert_eq!(c.newmedia.checkpoints.len(), 4, "month ends up to as-of");
        assert_eq!(failed(&c, "健康华容"), [d("2021-02-28"), d("2021-04-30")]);
        assert_eq!(of(&c.occurrences, &rules, "newmedia_failure").len(), 2);
        assert!(c.fed.contains("F4"));
        assert_eq!(c.newmedia.checks.len(), 4);
    }

    #[test]
    fn open_period_and_accounts_seen_only_in_posts() {
        let (rules, mut ds, u) = setup(&["卫健局", "章华镇"]);
        ds.present.insert(LedgerKind::Account);
        ds.present.insert(LedgerKind::Post);
        ds.accounts = vec![
            // Closed 15 June: checkpoints to 31 May checked (never posted), later not.
            account(u[0], "卫健服务", "", "2021-06-15", 2),
            // Opened 10 October: October, November, December checked.
            account(u[0], "卫健新号", "2021-10-10", "", 3),
        ];
        ds.posts = vec![
            post(Some(u[1]), "章华发布", "2021-12-25", 4),
            post(None, "无主账号", "2021-12-25", 5),
            post(None, "无单位账号", "2021-12-25", 6),
        ];
        // An account row without a unit (a data problem of its own): not monitored, and
        // not reported again as seen only in posts.
        ds.accounts.push(Account {
            unit: None,
            ..account(u[0], "无单位账号", "", "", 7)
        });
        let c = run(&ds, &rules, "2021-12-31", &Extra::default());
        assert_eq!(failed(&c, "卫健服务").len(), 5);
        assert_eq!(failed(&c, "卫健新号").len(), 3);
        let states: Vec<State> = c
            .newmedia
            .checks
            .iter()
            .filter(|k| c.newmedia.accounts[k.account].name == "卫健服务")
            .map(|k| k.state)
            .collect();
        assert_eq!(states[5..].iter().filter(|s| **s == State::Closed).count(), 7);
        // 章华发布: unit from its post sheet; only December passes.
        let town = c.newmedia.accounts.iter().find(|a| a.name == "章华发布").unwrap();
        assert_eq!((town.unit, town.registered), (u[1], false));
        assert_eq!(failed(&c, "章华发布").len(), 11);
        assert_eq!(c.newmedia.problems.len(), 1);
        assert_eq!(c.newmedia.problems[0].code(), "account-unit-unknown");
        // 8 is the cap of F4.
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let f4 = |u: UnitId| {
            let s = scores.iter().find(|s| s.unit == u).unwrap();
            s.items.iter().find(|i| i.id == "F4").unwrap().score
        };
        assert_eq!(f4(u[0]), 0.0);
        assert_eq!(f4(u[1]), 0.0);
    }

    #[test]
    fn checkpoints_from_command_line_sheet_or_rules() {
        let (rules, mut ds, u) = setup(&["卫健局"]);
        ds.present.insert(LedgerKind::Post);
        ds.posts = vec![post(Some(u[0]), "健康华容", "2021-03-01", 2)];
        ds.checkpoints = vec![d("2021-03-05"), d("2021-03-20")];
        let c = run(&ds, &rules, "2021-12-31", &Extra::default());
        assert_eq!(c.newmedia.origin, Origin::Sheet);
        assert_eq!(failed(&c, "健康华容"), [d("2021-03-20")]);
        let extra = Extra {
            checkpoints: vec![d("2021-03-11"), d("2021-03-12"), d("2020-12-31")],
        };
        let c = run(&ds, &rules, "2021-12-31", &extra);
        assert_eq!(c.newmedia.origin, Origin::CommandLine);
        assert_eq!(c.newmedia.checkpoints, [d("2021-03-11"), d("2021-03-12")]);
        assert_eq!(failed(&c, "健康华容"), [d("2021-03-12")]);
        ds.checkpoints.clear();
        let c = run(&ds, &rules, "2021-06-15", &Extra::default());
        assert_eq!(c.newmedia.origin, Origin::Rules);
        assert_eq!(c.newmedia.checkpoints.len(), 5);
        // Without either new-media ledger nothing is checked.
        ds.present.clear();
        let c = run(&ds, &rules, "2021-12-31", &Extra::default());
        assert!(c.occurrences.is_empty() && !c.fed.contains("F4"));
    }
}

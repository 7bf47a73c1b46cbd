//! The 督办 list (`hrgk due`): what is overdue at as-of and what falls due within the
//! next working days, per unit, read from one assessment. Nothing here judges a
//! deadline again: publications, requests, inquiries, new-media checkpoints, update
//! frequency and the annual report come with their deadlines and statuses from the
//! checks `score` runs, and the points at stake from the score itself.

use anyhow::{anyhow, Result};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

use crate::assess::Assessment;
use crate::checks::annual::{month_day, Mark};
use crate::checks::deadline::{answered_by, Status as Duty};
use crate::checks::Checked;
use crate::checks::{last_day_of_month, newmedia, Extra, Period};
use crate::ingest::{Dataset, Source, UnitId};
use crate::rules::{FrequencyKind, ItemKind, LedgerKind, Per, Rules};
use crate::score::{Line, UnitScore};

/// What a line is about; the JSON `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Publication,
    Monthly,
    Frequency,
    Request,
    Inquiry,
    Newmedia,
    Annual,
    Problem,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Publication,
        Kind::Monthly,
        Kind::Frequency,
        Kind::Request,
        Kind::Inquiry,
        Kind::Newmedia,
        Kind::Annual,
        Kind::Problem,
    ];

    /// Stable English key (JSON).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Publication => "publication",
            Kind::Monthly => "monthly",
            Kind::Frequency => "frequency",
            Kind::Request => "request",
            Kind::Inquiry => "inquiry",
            Kind::Newmedia => "newmedia",
            Kind::Annual => "annual",
            Kind::Problem => "problem",
        }
    }

    /// Chinese label (terminal, workbooks).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Publication => "信息公开时限",
            Kind::Monthly => "每月公开数量",
            Kind::Frequency => "更新频率",
            Kind::Request => "依申请公开",
            Kind::Inquiry => "网上问政",
            Kind::Newmedia => "政务新媒体",
            Kind::Annual => "年报与指南",
            Kind::Problem => "台账数据问题",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Overdue,
    DueSoon,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Overdue => "overdue",
            Status::DueSoon => "due_soon",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Overdue => "已逾期",
            Status::DueSoon => "即将到期",
        }
    }
}

/// Points a line costs (overdue: as charged by the score) or would cost (due soon:
/// what the item's cap still allows).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stake {
    Points(f64),
    /// The item's cap is reached (or a once-only standard already charged).
    Full,
}

/// The words shown instead of a number when nothing more can be lost.
pub const FULL: &str = "已扣满，不再扣分";

impl Stake {
    pub fn text(self) -> String {
        match self {
            Stake::Points(p) => crate::output::table::fmt_num(p),
            Stake::Full => FULL.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    pub unit: UnitId,
    pub kind: Kind,
    pub status: Status,
    /// Chinese ledger name the line comes from.
    pub ledger: String,
    /// What is due, in Chinese.
    pub title: String,
    pub deadline: Option<NaiveDate>,
    /// Working days after as-of up to the deadline (due soon).
    pub workdays_left: Option<i64>,
    /// Calendar days from the deadline to as-of (overdue).
    pub days_overdue: Option<i64>,
    pub at_stake: Stake,
    pub source: Option<Source>,
}

#[derive(Debug)]
pub struct Due {
    pub as_of: NaiveDate,
    /// Look-ahead window in working days, and its last day.
    pub within: u32,
    pub window_end: NaiveDate,
    /// Why the window stops early (the next year has no calendar), in Chinese.
    pub window_note: Option<String>,
    /// Units listed (all assessed units, or those asked for), in registry order.
    pub units: Vec<UnitId>,
    /// Per unit (in `units` order), overdue first, then by deadline.
    pub items: Vec<Item>,
}

impl Due {
    pub fn count(&self, unit: UnitId, status: Status) -> usize {
        self.items
            .iter()
            .filter(|i| i.unit == unit && i.status == status)
            .count()
    }

    pub fn any_overdue(&self) -> bool {
        self.items.iter().any(|i| i.status == Status::Overdue)
    }

    /// Units by overdue count (most first), then due soon, then registry order.
    pub fn units_by_overdue(&self) -> Vec<UnitId> {
        let mut v = self.units.clone();
        v.sort_by_key(|u| {
            (
                std::cmp::Reverse(self.count(*u, Status::Overdue)),
                std::cmp::Reverse(self.count(*u, Status::DueSoon)),
            )
        });
        v
    }
}

/// The points side: what a unit's score already charged, and what its caps still allow.
/// What the list is read from: one assessment's dataset, checks and scores.
#[derive(Clone, Copy)]
pub struct Parts<'a> {
    pub ds: &'a Dataset,
    pub checked: &'a Checked,
    pub period: Period,
    /// Empty when nothing was scored (`hrgk check`): no points are shown then.
    pub scores: &'a [UnitScore],
}

impl<'a> Parts<'a> {
    pub fn of(a: &'a Assessment) -> Self {
        Parts {
            ds: &a.ds,
            checked: &a.checked,
            period: a.period,
            scores: &a.scores,
        }
    }
}

struct Stakes<'a> {
    rules: &'a Rules,
    scores: BTreeMap<UnitId, &'a UnitScore>,
    /// Room left under an item's cap, per unit and item, as due-soon lines use it up.
    room: BTreeMap<(UnitId, String), f64>,
    /// Once-only standards charged (or assumed charged by an earlier due-soon line).
    fixed: BTreeSet<(UnitId, String)>,
}

impl<'a> Stakes<'a> {
    fn new(a: Parts<'a>, rules: &'a Rules) -> Self {
        let scores: BTreeMap<UnitId, &UnitScore> = a.scores.iter().map(|s| (s.unit, s)).collect();
        let mut fixed = BTreeSet::new();
        for s in a.scores {
            for l in s.lines() {
                if rules
                    .rubric
                    .standard(&l.standard)
                    .is_some_and(|(_, st)| st.per == Per::Fixed)
                {
                    fixed.insert((s.unit, l.standard.clone()));
                }
            }
        }
        Stakes {
            rules,
            scores,
            room: BTreeMap::new(),
            fixed,
        }
    }

    /// The score's line for an overdue duty: its counted points, or "full" when the
    /// cap absorbed it. A line the rubric does not charge costs 0.
    fn charged(&self, unit: UnitId, check: &str, pick: impl Fn(&Line) -> bool) -> Stake {
        let Some(sid) = self.rules.rubric.wired(check) else {
            return Stake::Points(0.0);
        };
        let line = self
            .scores
            .get(&unit)
            .and_then(|s| s.lines().filter(|l| l.standard == sid).filter(|l| pick(l)).last());
        match line {
            Some(l) if l.counted > 0.0 => Stake::Points(l.counted),
            Some(l) if l.absorbed() || l.repeated => Stake::Full,
            _ => Stake::Points(0.0),
        }
    }

    /// What one more occurrence would cost now, under the cap left after the score
    /// and the earlier due-soon lines of the same item.
    fn prospective(&mut self, unit: UnitId, check: &str) -> Stake {
        let rules = self.rules;
        let Some((item, std)) = rules.rubric.wired(check).and_then(|sid| rules.rubric.standard(sid)) else {
            return Stake::Points(0.0);
        };
        let Some(is) = self
            .scores
            .get(&unit)
            .and_then(|s| s.items.iter().find(|i| i.id == item.id))
        else {
            return Stake::Points(0.0);
        };
        if !is.applicable {
            return Stake::Points(0.0);
        }
        let amount = match std.per {
            Per::Zero => return Stake::Points(0.0),
            Per::Fixed => {
                if !self.fixed.insert((unit, std.id.clone())) {
                    return Stake::Full;
                }
                std.amount
            }
            Per::Occurrence => std.amount,
        };
        let room = self.room.entry((unit, item.id.clone())).or_insert(match is.kind {
            ItemKind::Score => is.score,
            _ if is.max > 0.0 => is.max - is.score,
            _ => f64::INFINITY,
        });
        if *room <= 1e-9 {
            return Stake::Full;
        }
        let pts = amount.min(*room);
        *room -= pts;
        Stake::Points(crate::score::round2(pts))
    }
}

/// What the command line asked for.
pub struct Ask<'a> {
    /// `--within`: working days after as-of (default: the rules' `due_within_workdays`).
    pub within: Option<u32>,
    /// `--unit`: names as written; empty means every assessed unit.
    pub units: &'a [String],
    /// `--checkpoints`, for the next new-media checkpoint.
    pub checkpoints: &'a [NaiveDate],
}

/// The list at the assessment's as-of.
pub fn list(a: &Assessment, rules: &Rules, ask: &Ask) -> Result<Due> {
    build(Parts::of(a), rules, ask)
}

/// Publications and requests already overdue at the period's as-of, from checks that
/// were not scored (`hrgk check --as-of`): facts to warn about, not data problems.
pub fn overdue_facts(parts: Parts, rules: &Rules) -> Result<Vec<Item>> {
    let ask = Ask {
        within: Some(0),
        units: &[],
        checkpoints: &[],
    };
    let mut due = build(parts, rules, &ask)?;
    due.items
        .retain(|i| i.status == Status::Overdue && matches!(i.kind, Kind::Publication | Kind::Request));
    Ok(due.items)
}

/// The list from the parts of an assessment.
pub fn build(a: Parts, rules: &Rules, ask: &Ask) -> Result<Due> {
    let reg = a.ds.registry();
    let as_of = a.period.as_of;
    let within = ask.within.unwrap_or(rules.rubric.params.due_within_workdays);
    let cal = &rules.calendar;
    // A window running into a year with no calendar stops at 31 December: the days
    // after it cannot be counted, and nothing is guessed.
    let (window_end, window_note) = match cal.add_workdays(as_of, within) {
        Ok(d) => (d, None),
        Err(e) => {
            let dec31 = NaiveDate::from_ymd_opt(as_of.year(), 12, 31).unwrap_or(as_of);
            (dec31, Some(format!("{e}；向后查看只到 {dec31}")))
        }
    };
    let mut units = reg.assessed();
    if !ask.units.is_empty() {
        let mut wanted = BTreeSet::new();
        for name in ask.units {
            match reg.lookup(name).filter(|u| reg.units[*u].assessed) {
                Some(u) => {
                    wanted.insert(u);
                }
                None => {
                    let close = reg.closest(name, 3);
                    let hint = if close.is_empty() {
                        String::new()
                    } else {
                        format!("（相近的单位：{}）", close.join("、"))
                    };
                    return Err(anyhow!("--unit “{name}”不是参加考核的单位{hint}"));
                }
            }
        }
        units.retain(|u| wanted.contains(u));
    }
    let mut b = Builder {
        a,
        rules,
        as_of,
        window_end,
        stakes: Stakes::new(a, rules),
        items: Vec::new(),
    };
    b.publications();
    b.monthly();
    b.frequency();
    b.requests();
    b.inquiries();
    b.newmedia(ask.checkpoints);
    b.annual();
    b.problems();
    let order: BTreeMap<UnitId, usize> = units.iter().enumerate().map(|(i, u)| (*u, i)).collect();
    let mut items: Vec<Item> = b.items.into_iter().filter(|i| order.contains_key(&i.unit)).collect();
    items.sort_by(|x, y| {
        order[&x.unit]
            .cmp(&order[&y.unit])
            .then(x.status.cmp(&y.status))
            .then(x.deadline.cmp(&y.deadline))
            .then(x.kind.cmp(&y.kind))
    });
    Ok(Due {
        as_of,
        within,
        window_end,
        window_note,
        units,
        items,
    })
}

struct Builder<'a> {
    a: Parts<'a>,
    rules: &'a Rules,
    as_of: NaiveDate,
    window_end: NaiveDate,
    stakes: Stakes<'a>,
    items: Vec<Item>,
}

impl Builder<'_> {
    fn ledger(&self, k: LedgerKind) -> String {
        self.rules.ledgers.get(k).map(|l| l.name.clone()).unwrap_or_default()
    }

    fn soon(&self, deadline: NaiveDate) -> bool {
        self.as_of <= deadline && deadline <= self.window_end
    }

    fn workdays_left(&self, deadline: NaiveDate) -> i64 {
        self.rules.calendar.count_workdays(self.as_of, deadline).unwrap_or(0)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        unit: UnitId,
        kind: Kind,
        status: Status,
        ledger: String,
        title: String,
        deadline: Option<NaiveDate>,
        at_stake: Stake,
        source: Option<Source>,
    ) {
        let (workdays_left, days_overdue) = match (status, deadline) {
            (Status::DueSoon, Some(d)) => (Some(self.workdays_left(d)), None),
            (Status::Overdue, Some(d)) => (None, Some((self.as_of - d).num_days().max(0))),
            _ => (None, None),
        };
        self.items.push(Item {
            unit,
            kind,
            status,
            ledger,
            title,
            deadline,
            workdays_left,
            days_overdue,
            at_stake,
            source,
        });
    }

    /// Unpublished rows past their deadline (charged under `publication_late`), or due
    /// within the window.
    fn publications(&mut self) {
        let a = self.a;
        let ledger = self.ledger(LedgerKind::Publication);
        let pubs = &a.checked.publications;
        for t in pubs.late.iter().filter(|t| t.published.is_none()) {
            let p = &a.ds.publications[t.index];
            let stake = self
                .stakes
                .charged(t.unit, "publication_late", |l| l.src.as_ref() == Some(&p.src));
            let title = format!("{}：{} 形成，尚未公开", titled(a.ds.title(p)), t.formed);
            self.push(
                t.unit,
                Kind::Publication,
                Status::Overdue,
                ledger.clone(),
                title,
                Some(t.deadline),
                stake,
                Some(p.src.clone()),
            );
        }
        let (as_of, end) = (self.as_of, self.window_end);
        for t in pubs.pending.iter().filter(|t| as_of <= t.deadline && t.deadline <= end) {
            let p = &a.ds.publications[t.index];
            let stake = self.stakes.prospective(t.unit, "publication_late");
            let title = format!("{}：{} 形成，尚未公开", titled(a.ds.title(p)), t.formed);
            self.push(
                t.unit,
                Kind::Publication,
                Status::DueSoon,
                ledger.clone(),
                title,
                Some(t.deadline),
                stake,
                Some(p.src.clone()),
            );
        }
    }

    /// The current month's shortfall (with the working days left in it), and each
    /// ended month that missed the minimum (already charged).
    fn monthly(&mut self) {
        let a = self.a;
        let ledger = self.ledger(LedgerKind::Publication);
        let min = self.rules.rubric.params.monthly_minimum;
        let y = a.period.year;
        let pubs = &a.checked.publications;
        for m in pubs.monthly.iter().filter(|m| m.count < min) {
            let label = format!("{y}-{:02}", m.month);
            let stake = self.stakes.charged(m.unit, "publication_monthly", |l| l.label == label);
            let title = format!("{y}年{}月公开 {} 条，少于每月 {min} 条（已不能补救）", m.month, m.count);
            let end = last_day_of_month(y, m.month);
            self.push(
                m.unit,
                Kind::Monthly,
                Status::Overdue,
                ledger.clone(),
                title,
                end,
                stake,
                None,
            );
        }
        for m in pubs.current.iter().filter(|m| m.count < min) {
            let stake = self.stakes.prospective(m.unit, "publication_monthly");
            let title = format!(
                "{y}年{}月已公开 {} 条，月底前还需公开 {} 条（每月不少于 {min} 条）",
                m.month,
                m.count,
                min - m.count
            );
            let end = last_day_of_month(y, m.month);
            self.push(
                m.unit,
                Kind::Monthly,
                Status::DueSoon,
                ledger.clone(),
                title,
                end,
                stake,
                None,
            );
        }
    }

    /// Interval items (两周更新): the date the next update is needed (the last update, or
    /// the period start, plus the interval). Yearly items with no update yet, from the
    /// rules' `due_yearly_from` on, due at year end.
    fn frequency(&mut self) {
        let a = self.a;
        let rules = self.rules;
        let ledger = self.ledger(LedgerKind::Publication);
        let y = a.period.year;
        let yearly_from = month_day(y, &rules.rubric.params.due_yearly_from);
        let year_end = NaiveDate::from_ymd_opt(y, 12, 31);
        for pair in &a.checked.frequency.pairs {
            let item = &rules.checklist.items[pair.item];
            let Some(freq) = rules.checklist.frequency(&item.frequency) else {
                continue;
            };
            let charges = item.level1 == rules.checklist.key_area_level1;
            let last = pair
                .last
                .map(|d| format!("最近一次更新 {d}"))
                .unwrap_or_else(|| "考核期内尚无更新".into());
            match freq.kind {
                FrequencyKind::Interval => {
                    let Some(days) = freq.days else { continue };
                    let base = match (pair.last, freq.anchors) {
                        (Some(d), _) => d,
                        (None, true) => a.period.start,
                        (None, false) => continue,
                    };
                    let next = base + chrono::Days::new(u64::from(days));
                    let title = format!("{}（{}）：{last}，应于 {next} 前再次更新", item.name, freq.name);
                    if next < self.as_of {
                        let stake = if charges {
                            self.stakes
                                .charged(pair.unit, "frequency_lapse", |l| l.label == item.name)
                        } else {
                            Stake::Points(0.0)
                        };
                        self.push(
                            pair.unit,
                            Kind::Frequency,
                            Status::Overdue,
                            ledger.clone(),
                            title,
                            Some(next),
                            stake,
                            None,
                        );
                    } else if self.soon(next) {
                        let stake = if charges {
                            self.stakes.prospective(pair.unit, "frequency_lapse")
                        } else {
                            Stake::Points(0.0)
                        };
                        self.push(
                            pair.unit,
                            Kind::Frequency,
                            Status::DueSoon,
                            ledger.clone(),
                            title,
                            Some(next),
                            stake,
                            None,
                        );
                    }
                }
                FrequencyKind::Yearly => {
                    let (Some(from), Some(end)) = (yearly_from, year_end) else {
                        continue;
                    };
                    if pair.updates > 0 || self.as_of < from {
                        continue;
                    }
                    let stake = if charges {
                        self.stakes
                            .charged(pair.unit, "frequency_lapse", |l| l.label == item.name)
                    } else {
                        Stake::Points(0.0)
                    };
                    let title = format!("{}（{}）：{last}，应于 {end} 前更新", item.name, freq.name);
                    self.push(
                        pair.unit,
                        Kind::Frequency,
                        Status::DueSoon,
                        ledger.clone(),
                        title,
                        Some(end),
                        stake,
                        None,
                    );
                }
                FrequencyKind::Timely => {}
            }
        }
    }

    /// Unanswered requests past their deadline (charged), or due within the window.
    fn requests(&mut self) {
        let a = self.a;
        let ledger = self.ledger(LedgerKind::Request);
        for r in &a.checked.requests.rows {
            let q = &a.ds.requests[r.index];
            let (what, received) = numbered("申请", &q.number, q.received);
            let duty = Answerable {
                kind: Kind::Request,
                check: "request_late_or_lost",
                unit: r.unit,
                deadline: r.deadline,
                status: r.status,
                answered: q.answered,
                src: &q.src,
                title: format!("{what}（{received} 收到）尚未答复：{}", r.note),
            };
            self.answerable(duty, &ledger);
        }
    }

    /// Unanswered online inquiries past their deadline (charged), or due within the window.
    fn inquiries(&mut self) {
        let a = self.a;
        let ledger = self.ledger(LedgerKind::Inquiry);
        for r in &a.checked.inquiries.rows {
            let q = &a.ds.inquiries[r.index];
            let (what, received) = numbered("留言", &q.number, q.received);
            let duty = Answerable {
                kind: Kind::Inquiry,
                check: "inquiry_late",
                unit: r.unit,
                deadline: r.deadline,
                status: r.status,
                answered: q.answered,
                src: &q.src,
                title: format!("{what}（{received} 收到，{}）尚未回复", r.basis),
            };
            self.answerable(duty, &ledger);
        }
    }

    /// One request or inquiry: listed when unanswered at as-of and late (as the check
    /// judged it) or due within the window.
    fn answerable(&mut self, d: Answerable, ledger: &str) {
        let Some(dl) = d.deadline else { return };
        if answered_by(d.answered, self.as_of).is_some() {
            return;
        }
        let (status, stake) = match d.status {
            Duty::Late => (
                Status::Overdue,
                self.stakes.charged(d.unit, d.check, |l| l.src.as_ref() == Some(d.src)),
            ),
            Duty::Pending if self.soon(dl) => (Status::DueSoon, self.stakes.prospective(d.unit, d.check)),
            _ => return,
        };
        self.push(
            d.unit,
            d.kind,
            status,
            ledger.to_string(),
            d.title,
            Some(dl),
            stake,
            Some(d.src.clone()),
        );
    }

    /// Checkpoints already failed (charged), and accounts that will fail the next
    /// checkpoint without a post when the days in which a post still counts begin
    /// within the window.
    fn newmedia(&mut self, checkpoints: &[NaiveDate]) {
        let a = self.a;
        let rules = self.rules;
        let nm = &a.checked.newmedia;
        if !nm.checked {
            return;
        }
        let ledger = self.ledger(LedgerKind::Account);
        let max = i64::from(rules.rubric.params.newmedia_max_silence_days);
        for c in nm.checks.iter().filter(|c| c.state == newmedia::State::Fail) {
            let acc = &nm.accounts[c.account];
            let cp = c.checkpoint;
            let last = c
                .latest
                .map(|l| format!("最近一次发布 {l}"))
                .unwrap_or_else(|| "此前没有发布记录".into());
            let title = format!("“{}”监测时间点 {cp} 不合格（{last}，超过 {max} 天无更新）", acc.name);
            let tag = format!("监测时间点 {cp}");
            let stake = self.stakes.charged(acc.unit, "newmedia_failure", |l| {
                l.src.as_ref() == Some(&acc.src) && l.reason.contains(&tag)
            });
            self.push(
                acc.unit,
                Kind::Newmedia,
                Status::Overdue,
                ledger.clone(),
                title,
                Some(cp),
                stake,
                Some(acc.src.clone()),
            );
        }
        // The next checkpoint after as-of, from the same list the check uses (over the
        // whole year).
        let Some(dec31) = NaiveDate::from_ymd_opt(a.period.year, 12, 31) else {
            return;
        };
        let year = Period {
            as_of: dec31,
            ..a.period
        };
        let extra = Extra {
            checkpoints: checkpoints.to_vec(),
        };
        let (all, _) = newmedia::checkpoints(a.ds, rules, &year, &extra);
        let Some(cp) = all.into_iter().find(|d| *d > self.as_of) else {
            return;
        };
        let opens = cp - chrono::Days::new(max as u64);
        if opens > self.window_end {
            return;
        }
        for acc in &nm.accounts {
            if acc.opened.is_some_and(|o| cp < o) || acc.closed.is_some_and(|c| cp > c) {
                continue;
            }
            if acc.latest.is_some_and(|l| (cp - l).num_days() <= max) {
                continue;
            }
            let last = acc
                .latest
                .map(|l| format!("最近一次发布 {l}"))
                .unwrap_or_else(|| "尚无发布记录".into());
            let from = opens.max(self.as_of + chrono::Days::new(1));
            let title = format!(
                "“{}”{last}：须在 {from} 至 {cp} 间发布，否则监测时间点 {cp} 不合格",
                acc.name
            );
            let stake = self.stakes.prospective(acc.unit, "newmedia_failure");
            self.push(
                acc.unit,
                Kind::Newmedia,
                Status::DueSoon,
                ledger.clone(),
                title,
                Some(cp),
                stake,
                Some(acc.src.clone()),
            );
        }
    }

    /// The annual report's submission and publication, and the guide's yearly update:
    /// missed (charged), or due within the window.
    fn annual(&mut self) {
        let a = self.a;
        let an = &a.checked.annual;
        if !an.checked {
            return;
        }
        let ledger = self.ledger(LedgerKind::AnnualReport);
        let ry = an.report_year;
        let year_end = NaiveDate::from_ymd_opt(a.period.year, 12, 31);
        for e in &an.entries {
            let duties = [
                (
                    e.submit,
                    an.submit_by,
                    "annual_submit",
                    format!("{ry}年度政府信息公开工作年度报告未上报"),
                ),
                (
                    e.publish,
                    an.publish_by,
                    "annual_publish",
                    format!("{ry}年度政府信息公开工作年度报告未在网站发布"),
                ),
                (
                    e.guide,
                    year_end,
                    "annual_guide",
                    format!("政府信息公开指南 {} 年内尚未更新", a.period.year),
                ),
            ];
            for (mark, due, check, title) in duties {
                let Some(due) = due else { continue };
                let status = match mark {
                    Mark::Missing => Status::Overdue,
                    Mark::Pending if self.soon(due) => Status::DueSoon,
                    _ => continue,
                };
                let stake = match status {
                    Status::Overdue => self.stakes.charged(e.unit, check, |_| true),
                    Status::DueSoon => self.stakes.prospective(e.unit, check),
                };
                self.push(
                    e.unit,
                    Kind::Annual,
                    status,
                    ledger.clone(),
                    title,
                    Some(due),
                    stake,
                    e.src.clone(),
                );
            }
        }
    }

    /// Rows charged as 台账不规范 now, with the data problems to fix.
    fn problems(&mut self) {
        let a = self.a;
        let Some(sid) = self.rules.rubric.wired("publication_problem") else {
            return;
        };
        let ledger = self.ledger(LedgerKind::Publication);
        for s in a.scores {
            for l in s.lines().filter(|l| l.standard == sid) {
                let Some(src) = &l.src else { continue };
                let fixes: Vec<String> =
                    a.ds.problems
                        .iter()
                        .filter(|p| p.file == *src.file && p.sheet == *src.sheet && p.row == Some(src.row))
                        .map(|p| {
                            let at = if p.cell.is_empty() {
                                p.column.clone()
                            } else {
                                format!("{} {}", p.cell, p.column)
                            };
                            format!("{at}：{}", p.message)
                        })
                        .collect();
                let title = format!("{}：{}", titled(&l.label), fixes.join("；"));
                let stake = if l.counted > 0.0 {
                    Stake::Points(l.counted)
                } else if l.absorbed() || l.repeated {
                    Stake::Full
                } else {
                    Stake::Points(0.0)
                };
                self.push(
                    s.unit,
                    Kind::Problem,
                    Status::Overdue,
                    ledger.clone(),
                    title,
                    None,
                    stake,
                    Some(src.clone()),
                );
            }
        }
    }
}

/// A request or an inquiry as the check judged it.
struct Answerable<'s> {
    kind: Kind,
    /// The check whose standard a late answer is charged under.
    check: &'static str,
    unit: UnitId,
    deadline: Option<NaiveDate>,
    status: Duty,
    answered: Option<NaiveDate>,
    src: &'s Source,
    title: String,
}

/// `申请 2021-003` (or just `申请` without a number) and the receipt date as text.
fn numbered(word: &str, number: &str, received: Option<NaiveDate>) -> (String, String) {
    let what = if number.is_empty() {
        word.to_string()
    } else {
        format!("{word} {number}")
    };
    (what, received.map(|d| d.to_string()).unwrap_or_default())
}

/// A row's title in 《》, or a placeholder.
fn titled(t: &str) -> String {
    if t.trim().is_empty() {
        "（无标题）".into()
    } else {
        format!("《{}》", t.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::{self, d, od, period, setup, src};
    use crate::ingest::{Inquiry, Limit, Request};

    fn inquiry(unit: UnitId, n: u32, received: &str) -> Inquiry {
        Inquiry {
            unit: Some(unit),
            number: format!("WZ{n}"),
            received: od(received),
            limit: Limit::None,
            answered: None,
            petition: false,
            src: src(n),
        }
    }

    fn request(unit: UnitId, n: u32, received: &str) -> Request {
        testutil::request(unit, format!("YSQ{n}"), received, n)
    }

    /// Checks and scores the dataset at `as_of`, then lists what is due.
    fn due_at(rules: &Rules, ds: &Dataset, as_of: &str) -> Due {
        let p = period(as_of);
        let checked = crate::checks::run(ds, rules, &p, &Extra::default());
        let scores = crate::score::score(ds.registry(), rules, &checked);
        let parts = Parts {
            ds,
            checked: &checked,
            period: p,
            scores: &scores,
        };
        let ask = Ask {
            within: None,
            units: &[],
            checkpoints: &[],
        };
        build(parts, rules, &ask).unwrap()
    }

    fn stakes(due: &Due, kind: Kind, status: Status) -> Vec<Stake> {
        due.items
            .iter()
            .filter(|i| i.kind == kind && i.status == status)
            .map(|i| i.at_stake)
            .collect()
    }

    #[test]
    fn due_soon_lines_share_what_the_cap_still_allows() {
        let (rules, mut ds, u) = setup(&["卫健局"]);
        ds.present.insert(LedgerKind::Inquiry);
        // E1 is worth 5: four overdue messages (1 each) leave 1 point of room.
        for n in 2..6 {
            ds.inquiries.push(inquiry(u[0], n, "2021-09-01"));
        }
        // Three due within the window (5 working days from 24 September: 30 September).
        for n in 6..9 {
            ds.inquiries.push(inquiry(u[0], n, "2021-09-24"));
        }
        let due = due_at(&rules, &ds, "2021-09-28");
        assert_eq!(
            stakes(&due, Kind::Inquiry, Status::Overdue),
            vec![Stake::Points(1.0); 4]
        );
        assert_eq!(
            stakes(&due, Kind::Inquiry, Status::DueSoon),
            [Stake::Points(1.0), Stake::Full, Stake::Full]
        );
        assert!(due.any_overdue());
        assert_eq!(due.count(u[0], Status::DueSoon), 3);
    }

    #[test]
    fn a_once_only_standard_already_charged_puts_nothing_more_at_stake() {
        let (rules, mut ds, u) = setup(&["卫健局", "财政局"]);
        ds.present.insert(LedgerKind::Request);
        ds.requests.push(request(u[0], 2, "2021-08-02"));
        ds.requests.push(request(u[0], 3, "2021-09-01"));
        ds.requests.push(request(u[1], 4, "2021-09-01"));
        let due = due_at(&rules, &ds, "2021-09-28");
        let line = |row: u32| {
            due.items
                .iter()
                .find(|i| i.source.as_ref().is_some_and(|s| s.row == row))
                .unwrap()
        };
        assert_eq!(
            (line(2).status, line(2).at_stake),
            (Status::Overdue, Stake::Points(4.0))
        );
        assert_eq!(line(2).days_overdue, Some(29));
        assert_eq!((line(3).status, line(3).at_stake), (Status::DueSoon, Stake::Full));
        assert_eq!(line(3).workdays_left, Some(1));
        // 财政局 has not been charged D2.2 yet: its first late answer would cost 4.
        assert_eq!(line(4).at_stake, Stake::Points(4.0));
        assert_eq!(Stake::Full.text(), FULL);
    }

    #[test]
    fn window_stops_at_year_end_without_next_years_calendar() {
        let (mut rules, ds, _) = setup(&["卫健局"]);
        // A window over the National Day holiday counts only working days.
        let due = due_at(&rules, &ds, "2021-09-28");
        assert_eq!((due.window_end, due.within), (d("2021-10-11"), 5));
        assert!(due.window_note.is_none());
        // No 2022 calendar: the window stops at 31 December and says why.
        let y2021: crate::calendar::YearCalendar = toml::from_str(include_str!("../rules/calendar/2021.toml")).unwrap();
        rules.calendar = crate::calendar::Calendar::new(vec![("2021.toml".into(), y2021)]).unwrap();
        let due = due_at(&rules, &ds, "2021-12-28");
        assert_eq!(due.window_end, d("2021-12-31"));
        let note = due.window_note.unwrap();
        assert!(note.contains("2022") && note.contains("2021-12-31"), "{note}");
    }
}

//! Where an answered duty (a request, an online inquiry) stands at as-of against its
//! deadline. An answer dated after as-of is not yet known at as-of.

use chrono::{Datelike, NaiveDate};

use super::support::problem;
use crate::calendar::MissingYear;
use crate::ingest::{Problem, ProblemKind, Source, UnitId};
use crate::rules::{LedgerKind, Rules};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Answered on or before the deadline.
    OnTime,
    /// Answered after the deadline, or unanswered with the deadline before as-of.
    Late,
    /// Unanswered, deadline not yet passed (结转).
    Pending,
    /// Given up by the applicant (补正告知 without 补正 and no answer): 其他处理.
    GivenUp,
    /// Its dates cannot be judged (a data problem says why).
    Unknown,
    /// Dated outside the period: listed, not judged.
    Outside,
}

impl Status {
    /// Chinese label for output.
    pub fn label(self) -> &'static str {
        match self {
            Status::OnTime => "按时",
            Status::Late => "逾期",
            Status::Pending => "结转",
            Status::GivenUp => "其他处理",
            Status::Unknown => "无法判断",
            Status::Outside => "考核期外",
        }
    }
}

/// An answered duty's row, for the date checks every such ledger shares.
pub struct Answered<'a> {
    pub kind: LedgerKind,
    pub src: &'a Source,
    pub unit: UnitId,
    pub received: NaiveDate,
    /// The answer as known at as-of.
    pub answered: Option<NaiveDate>,
    /// 答复 or 回复, for messages.
    pub verb: &'a str,
}

/// The computed deadline when the row's dates can be judged. A year with no calendar,
/// or an answer dated before receipt, becomes a data problem, and the row's note says
/// why it could not be judged.
pub fn judgeable<T>(
    rules: &Rules,
    row: &Answered,
    deadline: Result<T, MissingYear>,
    problems: &mut Vec<Problem>,
) -> Result<T, (String, Option<Status>)> {
    let unit = Some(row.unit);
    let received = row.received;
    match deadline {
        // A deadline running past the last calendar year is after as-of (which lies in a
        // year with a calendar): answered by as-of is on time, else not yet due. Nothing
        // is a data problem.
        Err(e) if e.year > received.year() => {
            let status = if row.answered.is_some() {
                Status::OnTime
            } else {
                Status::Pending
            };
            Err((
                format!("期限跨入尚无放假安排的 {} 年，晚于截止日期：{}", e.year, status.label()),
                Some(status),
            ))
        }
        Err(e) => {
            let note = e.to_string();
            let value = received.to_string();
            problems.push(problem(
                rules,
                row.kind,
                row.src,
                "received",
                &value,
                ProblemKind::CalendarMissing,
                note.clone(),
                unit,
            ));
            Err((note, None))
        }
        Ok(_) if row.answered.is_some_and(|a| a < received) => {
            let a = row.answered.unwrap_or(received);
            let note = format!("{}日期 {a} 早于收到日期 {received}", row.verb);
            let message = format!("{note}：请核对这两个日期");
            problems.push(problem(
                rules,
                row.kind,
                row.src,
                "answered",
                &a.to_string(),
                ProblemKind::AnsweredBeforeReceived,
                message,
                unit,
            ));
            Err((note, None))
        }
        Ok(t) => Ok(t),
    }
}

/// The answer as known at as-of.
pub fn answered_by(answered: Option<NaiveDate>, as_of: NaiveDate) -> Option<NaiveDate> {
    answered.filter(|d| *d <= as_of)
}

/// On time, late or pending at as-of.
pub fn judge(deadline: NaiveDate, answered: Option<NaiveDate>, as_of: NaiveDate) -> Status {
    match answered_by(answered, as_of) {
        Some(a) if a <= deadline => Status::OnTime,
        Some(_) => Status::Late,
        None if deadline < as_of => Status::Late,
        None => Status::Pending,
    }
}

/// Calendar days past the deadline (to as-of when unanswered); 0 when not late.
pub fn days_late(deadline: NaiveDate, answered: Option<NaiveDate>, as_of: NaiveDate) -> i64 {
    let end = answered_by(answered, as_of).unwrap_or(as_of);
    (end - deadline).num_days().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::d;

    #[test]
    fn answers_after_as_of_are_not_known_yet() {
        let dl = d("2021-03-10");
        assert_eq!(judge(dl, Some(d("2021-03-10")), d("2021-12-31")), Status::OnTime);
        assert_eq!(judge(dl, Some(d("2021-03-11")), d("2021-12-31")), Status::Late);
        assert_eq!(judge(dl, None, d("2021-03-10")), Status::Pending);
        assert_eq!(judge(dl, None, d("2021-03-11")), Status::Late);
        // Answered late, but after as-of: unknown at as-of, deadline not passed.
        assert_eq!(judge(dl, Some(d("2021-03-20")), d("2021-03-09")), Status::Pending);
        assert_eq!(days_late(dl, None, d("2021-03-15")), 5);
        assert_eq!(days_late(dl, Some(d("2021-03-01")), d("2021-03-15")), 0);
    }
}

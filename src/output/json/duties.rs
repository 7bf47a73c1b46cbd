//! The duty ledgers' arrays of the score document: every row in the period with its
//! key dates, deadline, status and source.

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use super::source;
use crate::assess::Assessment;
use crate::checks::annual::Mark;
use crate::ingest::Limit;

fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| json!(d.to_string()))
}

fn nonempty(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        json!(s)
    }
}

/// Chinese label of an annual-report mark; `missing` names the not-done case.
pub fn mark_label(m: Mark, ok: &'static str, missing: &'static str) -> &'static str {
    match m {
        Mark::Ok => ok,
        Mark::Late => "逾期",
        Mark::Missing => missing,
        Mark::Pending => "未到期",
        Mark::Unknown => "未填",
    }
}

pub fn meetings(a: &Assessment) -> Value {
    let reg = a.ds.registry();
    Value::Array(
        a.checked
            .meetings
            .rows
            .iter()
            .map(|r| {
                let m = &a.ds.meetings[r.index];
                json!({
                    "unit": reg.name(r.unit),
                    "meeting": m.name,
                    "date": date(m.date),
                    "status": m.status,
                    "charged": r.charged,
                    "source": source(&m.src),
                })
            })
            .collect(),
    )
}

pub fn requests(a: &Assessment) -> Value {
    let reg = a.ds.registry();
    Value::Array(
        a.checked
            .requests
            .rows
            .iter()
            .map(|r| {
                let q = &a.ds.requests[r.index];
                json!({
                    "unit": reg.name(r.unit),
                    "number": nonempty(&q.number),
                    "received": date(q.received),
                    "correction_notice": date(q.correction_notice),
                    "correction_received": date(q.correction_received),
                    "clock_start": r.start.to_string(),
                    "extended": q.extended,
                    "workdays": r.workdays,
                    "consult_start": date(q.consult_start),
                    "consult_end": date(q.consult_end),
                    "consult_workdays": r.consult_workdays,
                    "deadline": date(r.deadline),
                    "answered": date(q.answered),
                    "status": r.status.label(),
                    "days_late": r.days_late,
                    "result": nonempty(&q.result),
                    "review": nonempty(&q.review),
                    "lawsuit": nonempty(&q.lawsuit),
                    "lost": r.lost.is_some(),
                    "note": r.note,
                    "source": source(&q.src),
                })
            })
            .collect(),
    )
}

pub fn request_no_ledger(a: &Assessment) -> Value {
    let reg = a.ds.registry();
    Value::Array(
        a.checked
            .requests
            .no_ledger
            .iter()
            .map(|n| json!({"unit": reg.name(n.unit), "files": n.files}))
            .collect(),
    )
}

pub fn inquiries(a: &Assessment) -> Value {
    let reg = a.ds.registry();
    Value::Array(
        a.checked
            .inquiries
            .rows
            .iter()
            .map(|r| {
                let q = &a.ds.inquiries[r.index];
                let limit = match q.limit {
                    Limit::None => Value::Null,
                    Limit::Date(d) => json!(d.to_string()),
                    Limit::Workdays(n) => json!(format!("{n}个工作日")),
                };
                json!({
                    "unit": reg.name(r.unit),
                    "number": nonempty(&q.number),
                    "received": date(q.received),
                    "limit": limit,
                    "deadline_basis": r.basis,
                    "deadline": date(r.deadline),
                    "answered": date(q.answered),
                    "status": r.status.label(),
                    "days_late": r.days_late,
                    "petition": r.petition,
                    "source": source(&q.src),
                })
            })
            .collect(),
    )
}

pub fn newmedia(a: &Assessment) -> Value {
    let reg = a.ds.registry();
    let nm = &a.checked.newmedia;
    Value::Array(
        nm.checks
            .iter()
            .map(|c| {
                let acc = &nm.accounts[c.account];
                json!({
                    "unit": reg.name(acc.unit),
                    "account": acc.name,
                    "platform": nonempty(&acc.platform),
                    "registered": acc.registered,
                    "opened": date(acc.opened),
                    "closed": date(acc.closed),
                    "checkpoint": c.checkpoint.to_string(),
                    "checkpoints_from": nm.origin.label(),
                    "latest_post": date(c.latest),
                    "silent_days": c.silent_days,
                    "status": c.state.label(),
                    "source": source(&acc.src),
                })
            })
            .collect(),
    )
}

pub fn annual_reports(a: &Assessment) -> Value {
    let reg = a.ds.registry();
    let an = &a.checked.annual;
    Value::Array(
        an.entries
            .iter()
            .map(|e| {
                json!({
                    "unit": reg.name(e.unit),
                    "report_year": an.report_year,
                    "in_sheet": e.src.is_some(),
                    "submitted": date(e.submitted),
                    "submit_by": date(an.submit_by),
                    "submit_status": mark_label(e.submit, "按时", "未上报"),
                    "published": date(e.published),
                    "publish_by": date(an.publish_by),
                    "publish_status": mark_label(e.publish, "按时", "未发布"),
                    "format_ok": e.format_ok,
                    "format_status": mark_label(e.format, "规范", "不规范"),
                    "format_from_tables": e.format_from_tables,
                    "guide_updated": date(e.guide_updated),
                    "guide_status": mark_label(e.guide, "已更新", "未按年度更新"),
                    "source": e.src.as_ref().map(source),
                })
            })
            .collect(),
    )
}

pub fn consultations(a: &Assessment) -> Value {
    let reg = a.ds.registry();
    Value::Array(
        a.checked
            .consultations
            .rows
            .iter()
            .map(|r| {
                let c = &a.ds.consultations[r.index];
                json!({
                    "unit": reg.name(r.unit),
                    "topic": c.topic,
                    "start": date(c.start),
                    "result_published": date(c.result_published),
                    "status": if r.counted { "已发布结果" } else { "未发布结果" },
                    "counted": r.counted,
                    "source": source(&c.src),
                })
            })
            .collect(),
    )
}

pub fn findings(a: &Assessment) -> Value {
    use crate::checks::findings::Match;
    let reg = a.ds.registry();
    Value::Array(
        a.checked
            .findings
            .rows
            .iter()
            .map(|r| {
                let f = &a.ds.findings[r.index];
                let candidates: Vec<String> = match &r.matched {
                    Match::Ambiguous(v) | Match::Unmatched(v) => v.clone(),
                    _ => Vec::new(),
                };
                json!({
                    "unit": reg.name(r.unit),
                    "item": f.item,
                    "standard": nonempty(r.standard()),
                    "count": f.count,
                    "level": nonempty(&f.level),
                    "date": date(f.date),
                    "note": nonempty(&f.note),
                    "status": r.status(),
                    "counted": r.counted,
                    "candidates": candidates,
                    "source": source(&f.src),
                })
            })
            .collect(),
    )
}

/// C1 and C2 rows and each unit's channels (F3).
pub fn columns(a: &Assessment) -> Value {
    let reg = a.ds.registry();
    let col = &a.checked.columns;
    let flags = |v: &[crate::checks::columns::Flag]| -> Value {
        Value::Array(
            v.iter()
                .map(|f| {
                    let p = &a.ds.publications[f.index];
                    json!({
                        "unit": reg.name(f.unit),
                        "title": a.ds.title(p),
                        "published": date(p.published.date()),
                        "reason": f.reason,
                        "source": source(&p.src),
                    })
                })
                .collect(),
        )
    };
    let channels: Vec<Value> = col
        .channels
        .iter()
        .map(|c| {
            json!({
                "unit": reg.name(c.unit),
                "channels": c.channels,
                "rows": c.rows,
                "single": c.single,
                "source": source(&a.ds.publications[c.first].src),
            })
        })
        .collect();
    json!({"c1": flags(&col.c1), "c2": flags(&col.c2), "channels": channels})
}

/// Adds every duty array to the score document.
pub fn insert(doc: &mut Map<String, Value>, a: &Assessment) {
    doc.insert("meetings".into(), meetings(a));
    doc.insert("requests".into(), requests(a));
    doc.insert("request_no_ledger".into(), request_no_ledger(a));
    doc.insert("inquiries".into(), inquiries(a));
    doc.insert("newmedia".into(), newmedia(a));
    doc.insert("annual_reports".into(), annual_reports(a));
    doc.insert("consultations".into(), consultations(a));
    doc.insert("findings".into(), findings(a));
    doc.insert("columns".into(), columns(a));
}

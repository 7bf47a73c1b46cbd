//! The `--format json` documents. Field names are stable (documented in the README).

use serde_json::{json, Map, Value};

use crate::assess::Assessment;
use crate::checks::publication::Timed;
use crate::ingest::Source;
use crate::rules::{ItemKind, Rules};
use crate::score::{Adjusted, Line, UnitScore};

pub mod duties;

/// A number as JSON: whole numbers without a fraction.
pub fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

pub fn source(s: &Source) -> Value {
    json!({"file": &*s.file, "sheet": &*s.sheet, "row": s.row})
}

/// A review decision on a line or an item: {"action","reason","date","by"}.
pub fn adjusted(a: &Adjusted) -> Value {
    json!({"action": a.action.code(), "reason": a.reason, "date": a.date.to_string(), "by": a.by})
}

fn line(l: &Line) -> Value {
    let mut v = json!({
        "item": l.item,
        "standard": l.standard,
        "reason": l.reason,
        "points": num(l.points),
        "counted": num(l.counted),
        "absorbed": l.absorbed(),
        "repeated": l.repeated,
        "label": l.label,
        "source": l.src.as_ref().map(source),
    });
    if let (Some(a), Value::Object(m)) = (&l.adjusted, &mut v) {
        m.insert("adjusted".into(), adjusted(a));
    }
    v
}

pub fn unit_score(u: &UnitScore) -> Value {
    let items: Vec<Value> = u
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Score)
        .map(|i| {
            let mut v = json!({"id": i.id, "name": i.name, "max": num(i.max), "score": num(i.score), "applicable": i.applicable, "fed": i.fed});
            if let (Some(set), Value::Object(m)) = (&i.set, &mut v) {
                m.insert("check_score".into(), num(set.check_score));
                m.insert("adjusted".into(), adjusted(&set.adjusted));
            }
            v
        })
        .collect();
    let extras: Vec<Value> = u
        .items
        .iter()
        .filter(|i| i.kind != ItemKind::Score)
        .map(|i| {
            json!({"id": i.id, "name": i.name, "kind": if i.kind == ItemKind::Bonus { "bonus" } else { "penalty" },
                   "cap": if i.max > 0.0 { num(i.max) } else { Value::Null }, "amount": num(i.score)})
        })
        .collect();
    let deductions: Vec<Value> = u
        .items
        .iter()
        .filter(|i| i.kind != ItemKind::Bonus)
        .flat_map(|i| i.lines.iter())
        .map(line)
        .collect();
    let bonuses: Vec<Value> = u
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Bonus)
        .flat_map(|i| i.lines.iter())
        .map(line)
        .collect();
    json!({
        "unit": u.name,
        "group": u.group_name,
        "total": num(u.total),
        "total_before_review": num(u.total_before_review),
        "rank": u.rank,
        "group_size": u.group_size,
        "categories": u.categories.iter().map(|c| json!({"id": c.id, "name": c.name, "max": num(c.max), "score": num(c.score)})).collect::<Vec<_>>(),
        "items": items,
        "bonus_penalty_items": extras,
        "bonus": num(u.bonus),
        "penalty": num(u.penalty),
        "zeroed": u.zeroed,
        "deductions": deductions,
        "bonuses": bonuses,
    })
}

fn timed(a: &Assessment, t: &Timed) -> Value {
    let p = &a.ds.publications[t.index];
    json!({
        "unit": a.ds.registry().name(t.unit),
        "title": a.ds.title(p),
        "formed": t.formed.to_string(),
        "deadline": if t.deadline_after.is_some() { Value::Null } else { json!(t.deadline.to_string()) },
        "deadline_after": t.deadline_after.map(|d| d.to_string()),
        "published": t.published.map(|d| d.to_string()),
        "workdays_taken": t.workdays_taken,
        "days_late": t.days_late,
        "source": source(&p.src),
    })
}

/// A JSON object whose large arrays are produced one element at a time while it is
/// written (`serde_json::to_writer_pretty`), so that writing it never holds the whole
/// document; `serde_json::to_value` of it gives the same document as a `Value`.
pub struct Doc<'a> {
    fields: Vec<(String, Field<'a>)>,
}

enum Field<'a> {
    Value(Value),
    Items(usize, Box<dyn Fn(usize) -> Value + 'a>),
}

impl<'a> Doc<'a> {
    pub fn new() -> Doc<'a> {
        Doc { fields: Vec::new() }
    }

    /// A field; a key given again replaces the earlier value in its place (as in a `Map`).
    fn put(&mut self, key: &str, f: Field<'a>) {
        match self.fields.iter_mut().find(|(k, _)| k == key) {
            Some((_, old)) => *old = f,
            None => self.fields.push((key.to_string(), f)),
        }
    }

    pub fn value(&mut self, key: &str, v: Value) {
        self.put(key, Field::Value(v));
    }

    /// An array of `n` elements, element `i` made by `item(i)` when it is written.
    pub fn items(&mut self, key: &str, n: usize, item: impl Fn(usize) -> Value + 'a) {
        self.put(key, Field::Items(n, Box::new(item)));
    }
}

impl Default for Doc<'_> {
    fn default() -> Self {
        Doc::new()
    }
}

struct Items<'f, 'a>(usize, &'f (dyn Fn(usize) -> Value + 'a));

impl serde::Serialize for Items<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0))?;
        for i in 0..self.0 {
            seq.serialize_element(&(self.1)(i))?;
        }
        seq.end()
    }
}

impl serde::Serialize for Doc<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.fields.len()))?;
        for (k, f) in &self.fields {
            match f {
                Field::Value(v) => map.serialize_entry(k, v)?,
                Field::Items(n, item) => map.serialize_entry(k, &Items(*n, item.as_ref()))?,
            }
        }
        map.end()
    }
}

/// The `hrgk score --format json` document, as a `Value`.
pub fn score(a: &Assessment, rules: &Rules) -> Value {
    serde_json::to_value(score_doc(a, rules)).unwrap_or(Value::Null)
}

/// The `hrgk score --format json` document, its arrays made as they are written.
pub fn score_doc<'a>(a: &'a Assessment, rules: &'a Rules) -> Doc<'a> {
    let reg = a.ds.registry();
    let pubs = &a.checked.publications;
    let mut doc = Doc::new();
    doc.value(
        "submissions",
        serde_json::to_value(&a.submissions).unwrap_or(Value::Null),
    );
    doc.value("year", json!(a.period.year));
    doc.value("as_of", json!(a.period.as_of.to_string()));
    doc.value("rules_digest", json!(rules.digest));
    doc.value("tool", tool(rules));
    doc.items("units", a.scores.len(), |i| unit_score(&a.scores[i]));
    doc.items("late", pubs.late.len(), |i| timed(a, &pubs.late[i]));
    doc.items("pending", pubs.pending.len(), |i| timed(a, &pubs.pending[i]));
    doc.items("monthly", pubs.monthly.len(), move |i| {
        let m = &pubs.monthly[i];
        json!({"unit": reg.name(m.unit), "month": format!("{}-{:02}", a.period.year, m.month), "count": m.count})
    });
    let pairs = &a.checked.frequency.pairs;
    doc.items("frequency", pairs.len(), |i| {
        crate::output::frequency::pair_json(a, rules, &pairs[i])
    });
    doc.value("unmatched", crate::output::frequency::unmatched_json(a));
    let mut duties = Map::new();
    duties::insert(&mut duties, a);
    for (k, v) in duties {
        doc.value(&k, v);
    }
    doc.value("review", review(a));
    doc.items("problems", a.ds.problems.len(), |i| problem(a, &a.ds.problems[i]));
    doc.items("files", a.ds.files.len(), |i| {
        serde_json::to_value(&a.ds.files[i]).unwrap_or(Value::Null)
    });
    doc
}

/// Every 复核调整 decision (date order) with its effect on the unit's total.
pub fn review(a: &Assessment) -> Value {
    let reg = a.ds.registry();
    Value::Array(
        a.review
            .decisions
            .iter()
            .filter_map(|d| {
                let r = a.ds.reviews.get(d.index)?;
                Some(json!({
                    "unit": d.unit.map(|u| reg.name(u)).unwrap_or(r.unit_name.as_str()),
                    "action": r.action.map(|x| x.code()),
                    "target": r.target,
                    "evidence": {"file": r.src_file, "sheet": r.src_sheet, "row": r.src_row},
                    "points": r.points.map(num),
                    "reason": r.reason,
                    "date": r.date.map(|x| x.to_string()),
                    "by": r.by,
                    "applied": d.status == crate::score::review::Status::Applied,
                    "status": d.status.text(),
                    "effect": d.effect,
                    "total_before": d.before.map(num),
                    "total_after": d.after.map(num),
                    "source": source(&r.src),
                }))
            })
            .collect(),
    )
}

/// `tool`: {version, commit, rules_digest, calendar_years}.
pub fn tool(rules: &Rules) -> Value {
    serde_json::to_value(crate::build_info::ToolInfo::new(rules)).unwrap_or(Value::Null)
}

pub fn problems(a: &Assessment) -> Value {
    Value::Array(a.ds.problems.iter().map(|p| problem(a, p)).collect())
}

fn problem(a: &Assessment, p: &crate::ingest::Problem) -> Value {
    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("unit".into(), json!(p.unit.map(|u| a.ds.registry().name(u))));
    }
    v
}

pub fn files(a: &Assessment) -> Value {
    serde_json::to_value(&a.ds.files).unwrap_or(Value::Null)
}

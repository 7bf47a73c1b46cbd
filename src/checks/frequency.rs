//! Update frequency (附件1): 及时 / 两周 / 年度 per item × responsible unit, and C4.

use std::collections::BTreeSet;

use super::{publication, Occurrence, Period};
use crate::ingest::Dataset;
use crate::rules::Rules;

#[derive(Debug, Default)]
pub struct Report {}

pub fn check(
    _ds: &Dataset,
    _rules: &Rules,
    _period: &Period,
    _pubs: &publication::Report,
    _occ: &mut Vec<Occurrence>,
    _fed: &mut BTreeSet<String>,
) -> Report {
    Report::default()
}

//! hrgk — 华容县政务公开考核工具.
//!
//! Data flows one way: `rules` (year- and county-specific data) → `calendar`
//! (working days) → `ingest` (files → typed records and data problems) → `checks`
//! (records → occurrences with evidence) → `score` (occurrences + rubric → scores) →
//! `output` (workbooks, terminal tables, JSON). Commands in `cli` wire them together.

pub mod assess;
pub mod build_info;
pub mod calendar;
pub mod checks;
pub mod cli;
pub mod due;
pub mod hash;
pub mod ingest;
pub mod output;
pub mod rules;
pub mod score;
pub mod text;

//! hrgk template — the standard ledger workbook (not yet built).

use anyhow::{bail, Result};
use clap::Args;

#[derive(Args, Debug)]
pub struct TemplateArgs {}

pub fn run(_args: TemplateArgs) -> Result<i32> {
    bail!("hrgk template 尚未实现")
}

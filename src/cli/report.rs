//! hrgk report — per-unit feedback workbooks (not yet built).

use anyhow::{bail, Result};
use clap::Args;

use super::CommonArgs;

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn run(_args: ReportArgs) -> Result<i32> {
    bail!("hrgk report 尚未实现")
}

//! hrgk check — ledger validation (not yet built).

use anyhow::{bail, Result};
use clap::Args;

use super::CommonArgs;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn run(_args: CheckArgs) -> Result<i32> {
    bail!("hrgk check 尚未实现")
}

//! hrgk freq — update-frequency check (issue 3; not yet built).

use anyhow::{bail, Result};
use clap::Args;

use super::CommonArgs;

#[derive(Args, Debug)]
pub struct FreqArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn run(_args: FreqArgs) -> Result<i32> {
    bail!("hrgk freq 尚未实现")
}

//! hrgk completions — shell tab completion, generated from the command definitions
//! (never written by hand, so it always matches `--help`).
//!
//! 用法：hrgk completions bash > /usr/share/bash-completion/completions/hrgk
//!       hrgk completions zsh  > /usr/share/zsh/vendor-completions/_hrgk
//!       hrgk completions fish > /usr/share/fish/vendor_completions.d/hrgk.fish

use anyhow::Result;
use clap::{Args, CommandFactory, ValueEnum};

use super::Cli;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// 命令行（shell）类型
    #[arg(value_name = "shell", value_enum, help_heading = "参数")]
    pub shell: Shell,
}

/// The shells a completion script is made for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    /// Linux 常用的 bash
    Bash,
    /// zsh
    Zsh,
    /// fish
    Fish,
    /// Windows PowerShell
    Powershell,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    use clap_complete::Shell as S;
    let generator = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    let mut buf = Vec::new();
    clap_complete::generate(generator, &mut Cli::command(), "hrgk", &mut buf);
    buf
}

pub fn run(args: CompletionsArgs) -> Result<u8> {
    out!("{}", String::from_utf8_lossy(&script(args.shell)));
    Ok(0)
}

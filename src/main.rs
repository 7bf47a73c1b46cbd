//! The `hrgk` binary: parses arguments, runs the command, reports errors in Chinese.
//! Exit codes: 0 success, 1 findings where a command says so, 2 errors.

fn main() -> std::process::ExitCode {
    hrgk::cli::main()
}

//! Integration tests: write realistic messy ledgers, run the real binary, read the
//! output back. One test binary (see Cargo.toml `autotests = false`) links once.

mod annual;
mod annual_check;
mod check;
mod common;
mod due;
mod freq;
mod install;
mod large;
mod messages;
mod mutate;
mod office;
mod print;
mod report;
mod review;
mod robust;
mod rules;
mod samples;
mod score;
mod template;
mod workdays;
mod xml2003;
mod zoo;

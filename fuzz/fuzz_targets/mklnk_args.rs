//! The shared switch reader under the TCC syntax and the `mklnk` parser, through to the request (`/A:` and
//! ranges parsed with a fixed "now"; names are recorded as typed): no panic on any argument list.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mklink::cli::switches::{Reader, Syntax, Token};
use mklink::cli::{Parsed, mklnk};

mod common;

const SYNTAX: Syntax = Syntax { letters: "DQ", tcc: true };

fuzz_target!(|data: &[u8]| {
    let args = common::args(data);
    let count = args.len();
    let tokens: Vec<Token> = Reader::new(args.clone().into_iter(), SYNTAX).collect();
    // A run like `/D/Q` is the only thing that yields more than one token per argument; each yields at most
    // half its length.
    assert!(tokens.len() <= count + data.len() / 2, "{} tokens from {count} arguments", tokens.len());
    match mklnk::parse(args) {
        Parsed::Run(parsed) => match parsed.job(common::now) {
            Ok(job) => {
                let _ = format!("{job:?}");
            }
            Err(error) => {
                let _ = mklink::report::usage::message(mklink::report::Front::Mklnk, &error);
            }
        },
        Parsed::Usage(error) => {
            let _ = mklink::report::usage::message(mklink::report::Front::Mklnk, &error);
        }
        Parsed::Help | Parsed::Version | Parsed::Generate(_) => {}
    }
});

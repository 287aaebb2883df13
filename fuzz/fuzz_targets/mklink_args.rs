//! The shared switch reader under the MKLINK syntax and the `mklink` parser: any argument list is read without a
//! panic, and a parsed line always gives a request and a message for its usage error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mklink::cli::Parsed;
use mklink::cli::mklink as parser;
use mklink::cli::switches::{Reader, Syntax, Token};

mod common;

const SYNTAX: Syntax = Syntax { letters: "DHJ", tcc: false };

fuzz_target!(|data: &[u8]| {
    let args = common::args(data);
    for token in Reader::new(args.clone().into_iter(), SYNTAX) {
        // The TCC forms are never read under the MKLINK syntax.
        assert!(!matches!(token, Token::Attributes(_) | Token::Range { .. }), "{token:?}");
    }
    match parser::parse(args) {
        Parsed::Run(parsed) => {
            let _ = parsed.kind();
            let _ = parsed.into_request();
        }
        Parsed::Usage(error) => {
            let _ = mklink::report::usage::message(mklink::report::Front::Mklink, &error);
        }
        Parsed::Help | Parsed::Version | Parsed::Generate(_) => {}
    }
});

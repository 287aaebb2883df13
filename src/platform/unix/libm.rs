//! `pow`, defined here so that the binaries do not load `libm.so` at every start for its only caller: the
//! progress bar's rate estimate (indicatif's `f64::powf`). Loading and relocating one more shared library cost
//! about a tenth of a one-link process; the pure-Rust `libm` crate computes the same function in place.

/// The C library's `pow(x, y)`; the linker resolves the binaries' `pow` calls to this definition, so `libm.so`
/// is never needed (`--as-needed` drops it).
// SAFETY: `pow` is the C standard's name with the C signature and meaning, so every caller that binds to this
// definition gets what it expects; it reads and writes no memory and cannot unwind.
#[unsafe(no_mangle)]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pow_is_the_c_function() {
        assert_eq!(super::pow(2.0, 10.0), 1024.0);
        assert_eq!(super::pow(0.5, -1.0), 2.0);
        assert!((super::pow(10.0, 0.5) - 10f64.sqrt()).abs() < 1e-15);
        assert!(super::pow(-1.0, 0.5).is_nan());
    }
}

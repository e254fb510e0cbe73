//! Test helper: an analytic gradient against central finite differences.

/// Asserts `gradient[i]` equals the central difference of `f` in parameter `i` (step
/// 1e-6 of the value) to 1e-6 relative, for every parameter of `values`.
pub fn assert_gradient<const N: usize>(
    values: [f64; N],
    gradient: &[f64],
    f: impl Fn([f64; N]) -> f64,
) {
    for i in 0..N {
        let h = 1e-6 * values[i];
        let mut up = values;
        up[i] += h;
        let mut down = values;
        down[i] -= h;
        let numeric = (f(up) - f(down)) / (2.0 * h);
        assert!(
            (numeric - gradient[i]).abs() < 1e-6 * numeric.abs().max(1.0),
            "parameter {i}: analytic {} against numeric {numeric}",
            gradient[i]
        );
    }
}

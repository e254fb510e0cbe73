//! Statistics for campaigns and experiments: confidence intervals, the two-proportion
//! z-test, chi-square and Welch's t-tests, Bayesian probability to beat control, sample
//! sizes, and the special functions and seeded generator behind them. Plain numbers
//! in, plain numbers out: no dataset needed.

pub mod ab_test;
pub mod bayes;
pub mod check;
pub mod distributions;
pub mod intervals;
pub mod proportions;
pub mod rng;
pub mod sample_size;
pub mod special;
pub mod welch;

pub use ab_test::{ab_test, compare, AbMethod, AbTestOptions, AbTestResult, Counts, VariantInput};
pub use intervals::{wilson, Estimate, Rate};
pub use sample_size::{sample_size, SampleSizeOptions, SampleSizeResult};
pub use welch::{welch, welch_test, SampleInput, Summary, WelchOptions, WelchResult};

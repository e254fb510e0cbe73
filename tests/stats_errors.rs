//! Bad input to the standalone statistics: each a `bad_option` error naming the option
//! and value. Options are read from JSON, as the wasm boundary reads them.

use insitu::stats::{
    ab_test, sample_size, welch_test, AbTestOptions, SampleSizeOptions, WelchOptions,
};
use insitu::InsituError;

fn ab(json: &str) -> Result<insitu::stats::AbTestResult, InsituError> {
    let o: AbTestOptions = insitu::json::from_str(json).expect("options parse");
    ab_test(&o)
}

fn size(json: &str) -> Result<insitu::stats::SampleSizeResult, InsituError> {
    let o: SampleSizeOptions = insitu::json::from_str(json).expect("options parse");
    sample_size(&o)
}

#[track_caller]
fn rejects(result: Result<impl std::fmt::Debug, InsituError>, option: &str, words: &str) {
    let e = result.expect_err("should fail");
    assert_eq!(e.code(), "bad_option");
    let text = e.to_string();
    assert!(text.starts_with(&format!("option \"{option}\"")), "{text}");
    assert!(text.contains(words), "{text} lacks {words}");
}

#[test]
fn ab_test_counts() {
    rejects(
        ab(
            r#"{"variants":[{"exposures":100,"conversions":101},{"exposures":100,"conversions":5}]}"#,
        ),
        "variants[0].conversions",
        "exceed the 100 exposures",
    );
    rejects(
        ab(
            r#"{"variants":[{"exposures":100,"conversions":1},{"exposures":-100,"conversions":5}]}"#,
        ),
        "variants[1].exposures",
        "negative",
    );
    rejects(
        ab(
            r#"{"variants":[{"exposures":100,"conversions":-1},{"exposures":100,"conversions":5}]}"#,
        ),
        "variants[0].conversions",
        "negative",
    );
    rejects(
        ab(
            r#"{"variants":[{"exposures":10.5,"conversions":1},{"exposures":100,"conversions":5}]}"#,
        ),
        "variants[0].exposures",
        "whole number",
    );
    rejects(
        ab(r#"{"variants":[{"exposures":0,"conversions":0},{"exposures":100,"conversions":5}]}"#),
        "variants[0].exposures",
        "no exposures",
    );
    rejects(
        ab(r#"{"variants":[{"exposures":100,"conversions":1}]}"#),
        "variants",
        "at least two",
    );
    rejects(
        ab(
            r#"{"variants":[{"name":"x","exposures":100,"conversions":1},{"name":"x","exposures":100,"conversions":5}]}"#,
        ),
        "variants[1].name",
        "twice",
    );
    rejects(
        ab(r#"{"control":"C","variants":[{"exposures":100,"conversions":1},{"exposures":100,"conversions":5}],"method":"zTest"}"#).map(|r| r.control),
        "control",
        "A, B",
    );
}

#[test]
fn ab_test_alpha_and_method() {
    let two = r#"[{"exposures":100,"conversions":1},{"exposures":100,"conversions":5}]"#;
    for alpha in ["0", "1", "-0.1", "1.5"] {
        rejects(
            ab(&format!(r#"{{"alpha":{alpha},"variants":{two}}}"#)),
            "alpha",
            "between 0 and 1",
        );
    }
    let three = r#"[{"exposures":100,"conversions":1},{"exposures":100,"conversions":5},{"exposures":100,"conversions":7}]"#;
    rejects(
        ab(&format!(r#"{{"method":"zTest","variants":{three}}}"#)),
        "method",
        "chiSquare",
    );
    assert!(
        insitu::json::from_str::<AbTestOptions>(r#"{"variantz":[]}"#)
            .unwrap_err()
            .to_string()
            .contains("variants")
    );
}

#[test]
fn sample_size_inputs() {
    for baseline in ["0", "1", "1.2"] {
        rejects(
            size(&format!(
                r#"{{"baseline":{baseline},"minDetectableEffect":0.02}}"#
            )),
            "baseline",
            "between 0 and 1",
        );
    }
    for power in ["0", "1", "80"] {
        rejects(
            size(&format!(
                r#"{{"baseline":0.1,"minDetectableEffect":0.02,"power":{power}}}"#
            )),
            "power",
            "between 0 and 1",
        );
    }
    rejects(
        size(r#"{"baseline":0.1,"minDetectableEffect":0.02,"alpha":1}"#),
        "alpha",
        "between 0 and 1",
    );
    rejects(
        size(r#"{"baseline":0.1,"minDetectableEffect":0}"#),
        "minDetectableEffect",
        "non-zero",
    );
    rejects(
        size(r#"{"baseline":0.95,"minDetectableEffect":0.1}"#),
        "minDetectableEffect",
        "strictly between 0 and 1",
    );
    rejects(
        size(r#"{"minDetectableEffect":0.1}"#),
        "baseline",
        "missing",
    );
}

#[test]
fn welch_inputs() {
    let w = |json: &str| welch_test(&insitu::json::from_str::<WelchOptions>(json).unwrap());
    rejects(w(r#"{"treatment":{"values":[1,2]}}"#), "control", "missing");
    rejects(
        w(r#"{"control":{"values":[1,null,3]},"treatment":{"values":[1,2]}}"#),
        "control[1]",
        "finite",
    );
    rejects(
        w(r#"{"control":{"n":10,"mean":1},"treatment":{"values":[1,2]}}"#),
        "control",
        "n, mean and sd",
    );
    rejects(
        w(r#"{"control":{"n":10,"mean":1,"sd":-1},"treatment":{"values":[1,2]}}"#),
        "control.sd",
        "negative",
    );
    rejects(
        w(r#"{"control":{"values":[1,2]},"treatment":{"values":[3]}}"#),
        "treatment",
        "at least 2",
    );
}

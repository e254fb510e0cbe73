//! The JSON reader and writer against serde_json (an independent implementation) and
//! hand-written cases, and the derives' attribute handling and messages.

use std::collections::BTreeMap;

use super::*;

#[derive(Debug, PartialEq, Default, FromJson, ToJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    first_step: u32,
    #[json(default)]
    names: Vec<String>,
    window_days: Option<f64>,
    #[json(rename = "where")]
    filter: Option<BTreeMap<String, Choice>>,
    #[json(default)]
    mode: Mode,
    #[json(skip)]
    cached: u8,
}

#[derive(Debug, Clone, PartialEq, FromJson, ToJson)]
#[json(untagged)]
enum Choice {
    One(String),
    Many(Vec<Choice>),
    Number(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Default, FromJson, ToJson)]
#[json(rename_all = "camelCase")]
enum Mode {
    #[default]
    FirstTouch,
    LastTouch,
    #[json(rename = "bgnbd")]
    BgNbd,
}

#[derive(Debug, PartialEq, FromJson)]
#[json(untagged)]
enum Attribution {
    Named(String),
    Step { step: i64 },
}

#[derive(ToJson)]
#[json(rename_all = "camelCase")]
struct Outer {
    total_count: usize,
    #[json(flatten)]
    inner: Inner,
    #[json(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(ToJson)]
#[json(rename_all = "camelCase")]
struct Inner {
    mean_value: f64,
    #[json(rename = "T")]
    t: f64,
}

fn error<T: FromJson + std::fmt::Debug>(text: &str) -> String {
    from_str::<T>(text).unwrap_err().to_string()
}

#[test]
fn reads_fields_by_their_camel_case_names() {
    let o: Options = from_str(
        r#"{"firstStep": 2, "names": ["a", "b"], "windowDays": 7.5,
            "where": {"country": ["KR", "JP"], "plan": "pro", "age": 30}, "mode": "lastTouch"}"#,
    )
    .unwrap();
    assert_eq!(o.first_step, 2);
    assert_eq!(o.names, ["a", "b"]);
    assert_eq!(o.window_days, Some(7.5));
    let filter = o.filter.unwrap();
    assert_eq!(
        filter["country"],
        Choice::Many(vec![Choice::One("KR".into()), Choice::One("JP".into())])
    );
    assert_eq!(filter["age"], Choice::Number(30.0));
    assert_eq!(o.mode, Mode::LastTouch);
    assert_eq!(o.cached, 0);
}

#[test]
fn missing_defaulted_and_optional_fields_and_null() {
    let o: Options = from_str(r#"{"firstStep": 0, "windowDays": null}"#).unwrap();
    assert_eq!(o, Options::default());
    assert_eq!(error::<Options>("{}"), "missing field `firstStep`");
    // A null for a non-optional field is a type error, as serde had it.
    assert_eq!(
        error::<Options>(r#"{"firstStep": 1, "names": null}"#),
        "invalid type: null, expected a sequence at `names`"
    );
}

#[test]
fn unknown_fields_and_variants_are_named_with_the_valid_ones() {
    assert_eq!(
        error::<Options>(r#"{"firstStep": 1, "windw": 3}"#),
        "unknown field `windw`, expected one of `firstStep`, `names`, `windowDays`, `where`, `mode`"
    );
    assert_eq!(
        error::<Options>(r#"{"firstStep": 1, "mode": "middle"}"#),
        "unknown variant `middle`, expected one of `firstTouch`, `lastTouch`, `bgnbd` at `mode`"
    );
    assert_eq!(from_str::<Mode>(r#""bgnbd""#).unwrap(), Mode::BgNbd);
    assert_eq!(
        error::<Mode>("3"),
        "invalid type: integer `3`, expected one of `firstTouch`, `lastTouch`, `bgnbd`"
    );
}

#[test]
fn whole_numbers_are_checked_for_range_and_fraction() {
    assert_eq!(
        error::<Options>(r#"{"firstStep": -1}"#),
        "invalid value: integer `-1`, expected u32 at `firstStep`"
    );
    assert_eq!(
        error::<Options>(r#"{"firstStep": 1.5}"#),
        "invalid type: floating point `1.5`, expected u32 at `firstStep`"
    );
    assert_eq!(
        error::<Options>(r#"{"firstStep": "2"}"#),
        "invalid type: string \"2\", expected u32 at `firstStep`"
    );
    assert_eq!(from_str::<u32>("4294967295").unwrap(), u32::MAX);
    assert!(from_str::<u32>("4294967296").is_err());
    assert_eq!(
        from_str::<i64>("-1700000000000").unwrap(),
        -1_700_000_000_000
    );
    assert_eq!(from_str::<[f64; 2]>("[1, 2.5]").unwrap(), [1.0, 2.5]);
    assert!(from_str::<[f64; 2]>("[1]").is_err());
}

#[test]
fn errors_inside_lists_and_maps_give_the_path() {
    assert_eq!(
        error::<Options>(r#"{"firstStep": 1, "names": ["a", 2]}"#),
        "invalid type: integer `2`, expected a string at `names[1]`"
    );
    assert_eq!(
        error::<Options>(r#"{"firstStep": 1, "where": {"plan": true}}"#),
        "data did not match any variant of untagged enum Choice at `where.plan`"
    );
}

#[test]
fn untagged_variants_are_tried_in_order() {
    assert_eq!(
        from_str::<Attribution>(r#""firstTouch""#).unwrap(),
        Attribution::Named("firstTouch".into())
    );
    assert_eq!(
        from_str::<Attribution>(r#"{"step": 2}"#).unwrap(),
        Attribution::Step { step: 2 }
    );
    // When no variant matches, the error of the one that took the value's kind is shown.
    assert_eq!(
        error::<Attribution>(r#"{"stp": 2}"#),
        "missing field `step`"
    );
    assert_eq!(
        error::<Attribution>("true"),
        "data did not match any variant of untagged enum Attribution"
    );
    assert_eq!(
        error::<Choice>(r#"["a", true]"#),
        "data did not match any variant of untagged enum Choice at `[1]`"
    );
}

/// Equal as JS would see them (serde_json keeps integers and floats apart).
fn same(ours: &Json, reference: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (ours, reference) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Number(a), Value::Number(b)) => b.as_f64() == Some(*a),
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Json::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        _ => false,
    }
}

#[test]
fn parses_what_serde_json_parses() {
    let cases = [
        r#"{"a": [1, -2.5e-3, 0, 1E+2, true, false, null], "b": {"c": "d"}}"#,
        r#""esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 한국""#,
        "  [ ]  ",
        "{}",
        "-0",
        "123456789012345678",
        "1.7976931348623157e308",
        "5e-324",
    ];
    for text in cases {
        let ours = parse(text).unwrap();
        let reference: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(same(&ours, &reference), "{text}: {ours:?}");
        let back: serde_json::Value = serde_json::from_str(&to_string(&ours)).unwrap();
        assert!(same(&ours, &back), "{text}: {back:?}");
    }
    assert_eq!(
        parse(r#""\ud800x""#).unwrap(),
        Json::String("\u{FFFD}x".into())
    );
}

#[test]
fn refuses_what_is_not_json() {
    for text in [
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "01",
        "1.",
        "-",
        "tru",
        "\"abc",
        "[1] 2",
        "{a: 1}",
        "\"\t\"",
        "\"\\x\"",
        "\"\\u12\"",
        "1e",
        ".5",
    ] {
        let e = parse(text).unwrap_err();
        assert!(e.to_string().starts_with("invalid JSON"), "{text}: {e}");
    }
    let deep = "[".repeat(200) + &"]".repeat(200);
    assert!(parse(&deep)
        .unwrap_err()
        .to_string()
        .contains("nested too deeply"));
}

#[test]
fn writes_text_that_reads_back_the_same() {
    let text = "quote \" backslash \\ newline \n tab \t bell \u{7} 한국어 😀";
    let written = to_string(text);
    let back: String = serde_json::from_str(&written).unwrap();
    assert_eq!(back, text);
    for n in [
        0.0,
        -0.0,
        1.0,
        -2.5,
        0.1,
        1e-7,
        123456.789,
        1e21,
        1e300,
        5e-324,
        f64::MAX,
    ] {
        let written = to_string(&n);
        let back: f64 = serde_json::from_str(&written).unwrap();
        assert_eq!(back, n, "{written}");
    }
    assert_eq!(to_string(&f64::NAN), "null");
    assert_eq!(to_string(&f64::INFINITY), "null");
    assert_eq!(to_string(&1e21), "1e21");
    assert_eq!(to_string(&(u64::MAX)), "18446744073709551615");
}

#[test]
fn writes_structs_enums_flatten_and_skips() {
    let outer = Outer {
        total_count: 3,
        inner: Inner {
            mean_value: 1.5,
            t: 2.0,
        },
        note: None,
    };
    assert_eq!(
        to_string(&outer),
        r#"{"totalCount":3,"meanValue":1.5,"T":2}"#
    );
    let with_note = Outer {
        note: Some("n".into()),
        ..outer
    };
    assert_eq!(
        to_string(&with_note),
        r#"{"totalCount":3,"meanValue":1.5,"T":2,"note":"n"}"#
    );
    assert_eq!(to_string(&Mode::LastTouch), r#""lastTouch""#);
    assert_eq!(to_string(&vec![Mode::BgNbd]), r#"["bgnbd"]"#);
    let choice = Choice::Many(vec![Choice::One("a".into()), Choice::Number(2.0)]);
    assert_eq!(to_string(&choice), r#"["a",2]"#);
    let options = Options {
        first_step: 1,
        window_days: Some(f64::NAN),
        ..Options::default()
    };
    assert_eq!(
        to_string(&options),
        r#"{"firstStep":1,"names":[],"windowDays":null,"where":null,"mode":"firstTouch"}"#
    );
}

#[test]
fn never_panics_on_junk() {
    // Random strings over JSON's own characters (a fixed LCG, so failures reproduce):
    // every one parses or is an error; what parses also writes and parses back.
    const ALPHABET: &[u8] = b"{}[]\":,.-+eE0123456789 \\/bfnrtu\"truefalsenullx\xc3\xa9";
    let mut state: u64 = 42;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for _ in 0..20_000 {
        let len = next() % 24;
        let bytes: Vec<u8> = (0..len)
            .map(|_| ALPHABET[next() % ALPHABET.len()])
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(value) = parse(&text) {
            assert_eq!(parse(&to_string(&value)).unwrap(), value, "{text}");
        }
    }
}

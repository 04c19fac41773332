//! The verdict: plain sentences per variant that say only what the 95% intervals support.

use crate::common::{root, run, scenario};
use archsim::results::Results;
use archsim::runner::{self, RunOptions};
use archsim::spec::slo::Slo;
use archsim::spec::units::fmt_secs;

fn shop_text() -> String {
    std::fs::read_to_string(root().join("scenarios/online-shop.toml")).expect("scenario")
}

fn sentences<'a>(r: &'a Results, variant: &str) -> &'a [String] {
    match r.verdict.iter().find(|v| v.variant == variant) {
        Some(v) => &v.sentences,
        None => panic!("no verdict for `{variant}`: {:?}", r.verdict),
    }
}

fn about<'a>(s: &'a [String], start: &str) -> &'a str {
    match s.iter().find(|x| x.starts_with(start)) {
        Some(x) => x,
        None => panic!("no sentence starting `{start}` in {s:#?}"),
    }
}

#[test]
fn online_shop_microservices_is_slower_by_the_interval_and_a_resource_leads_the_cost() {
    let mut s = scenario(&shop_text());
    s.slos.push(Slo::parse("p99<100ms").expect("slo"));
    let r = run(&s);
    let d = &r.comparisons[0].entries["browse"].latency_mean_s;
    assert!(d.ci95_low > 0.0, "the difference is significant: {d:?}");
    let ss = sentences(&r, "microservices");
    let browse = about(ss, "`browse`");
    let expected = format!(
        "`browse`: slower than `monolith` by {} on mean latency (95% interval {} to {}). Biggest contributors: ",
        fmt_secs(d.mean),
        fmt_secs(d.ci95_low),
        fmt_secs(d.ci95_high)
    );
    assert!(
        browse.starts_with(&expected),
        "{browse}\nexpected: {expected}"
    );
    // The two databases the monolith does not have ($365 a month each) lead, named by kind
    // and name.
    let cost = about(ss, "Cost:");
    assert!(
        cost.contains("more per month") && cost.contains("led by database `"),
        "{cost}"
    );
    assert!(about(ss, "Memory:").contains("GB more provisioned"));
    let slo = about(ss, "SLO `p99<100ms`");
    assert!(slo.ends_with("met with 95% confidence."), "{slo}");
    assert!(about(sentences(&r, "monolith"), "SLO").contains("95% confidence"));
}

#[test]
fn identical_variants_have_the_same_latency_in_every_replication() {
    let text = shop_text();
    let at = text
        .find("[[variants]]\nname = \"microservices\"")
        .expect("variant");
    let mono = &text[text.find("[[variants]]").expect("variants")..at];
    let copy = mono.replacen("name = \"monolith\"", "name = \"monolith-copy\"", 1);
    let r = run(&scenario(&format!("{}{copy}{}", &text[..at], &text[at..])));
    let ss = sentences(&r, "monolith-copy");
    // Common random numbers: a copy of the baseline sees the same arrivals and demands, so
    // every paired difference is exactly zero.
    let c = r
        .comparisons
        .iter()
        .find(|c| c.variant == "monolith-copy")
        .expect("comparison");
    for e in ["browse", "checkout"] {
        let d = &c.entries[e].latency_mean_s;
        assert_eq!(
            (d.mean, d.ci95_low, d.ci95_high),
            (0.0, 0.0, 0.0),
            "{e}: {d:?}"
        );
        let s = about(ss, &format!("`{e}`"));
        assert_eq!(
            s,
            format!("`{e}`: the same mean latency as `monolith` in every replication.")
        );
    }
    assert!(about(ss, "Cost:").contains("the same"), "{ss:?}");
    assert!(about(ss, "Availability:").contains("the same"), "{ss:?}");
    // The microservices variant is still told apart from the baseline.
    assert!(about(sentences(&r, "microservices"), "`browse`").contains("slower"));
}

#[test]
fn a_difference_whose_interval_includes_zero_is_not_significant() {
    let path = root().join("scenarios/lessons/layers-vs-capabilities.toml");
    let text = std::fs::read_to_string(path).expect("lesson");
    let r = run(&scenario(&text));
    let c = r
        .comparisons
        .iter()
        .find(|c| c.variant == "capabilities")
        .expect("comparison");
    let d = &c.entries["browse"].latency_mean_s;
    assert!(
        d.ci95_low < 0.0 && d.ci95_high > 0.0,
        "the lesson's capability split costs `browse` nothing measurable: {d:?}"
    );
    let s = about(sentences(&r, "capabilities"), "`browse`");
    assert!(
        s.starts_with("`browse`: no significant difference in mean latency from `monolith` ("),
        "{s}"
    );
    assert!(!s.contains("slower") && !s.contains("faster") && !s.contains("contributors"));
    assert!(
        s.contains("95% interval −"),
        "the interval's low end is negative: {s}"
    );
    // The layered split, on the same workload, is told apart.
    assert!(about(sentences(&r, "layers"), "`browse`").contains("slower than `monolith`"));
}

#[test]
fn one_replication_makes_no_confidence_claim() {
    let mut s = scenario(&shop_text());
    s.slos.push(Slo::parse("p99<100ms").expect("slo"));
    let opts = RunOptions {
        replications: Some(1),
        ..Default::default()
    };
    let r = runner::run(&s, &opts).expect("run");
    let ss = sentences(&r, "microservices");
    assert!(!ss.is_empty());
    for x in ss {
        assert!(
            !x.contains("95%") && !x.contains("confidence"),
            "a confidence claim: {x}"
        );
        assert!(!x.contains("significant"), "a significance claim: {x}");
    }
    assert!(about(ss, "`browse`").contains("(one replication: no interval)"));
    assert!(about(ss, "SLO").contains("(one replication: no interval)"));
    for what in ["Cost:", "Memory:", "Availability:"] {
        assert!(
            about(ss, what).contains("(one replication: no interval)"),
            "{ss:#?}"
        );
    }
}

//! The self-contained HTML report (`archsim report results.json -o report.html`): the results
//! document and the report script (built from the desktop app's chart code, `ui/report/`,
//! committed as `src/report/assets/report.js`) inlined in one page that needs no network.
//! See `docs/report.md` for why the script is committed.

use crate::results::Results;

/// The report script (ECharts and the app's chart builders, one IIFE bundle).
pub const REPORT_JS: &str = include_str!("assets/report.js");

/// Renders `results` as a self-contained HTML page.
pub fn render_html(results: &Results) -> String {
    let json = serde_json::to_string(results).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    render_page(&results.scenario, &json)
}

/// Renders the document of `archsim sweep --json` or `archsim capacity --json` (given as JSON)
/// as a self-contained HTML page: the script tells them apart by their fields (`knee_rule`,
/// `base_rate`) and draws the sweep's curves or the capacity answer.
pub fn render_plan_html(scenario: &str, document: &serde_json::Value) -> String {
    let json = serde_json::to_string(document).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    render_page(scenario, &json)
}

fn render_page(scenario: &str, json: &str) -> String {
    // JSON inside <script>: escape `<` so no `</script>` can end the element early.
    let json = json.replace('<', "\\u003c");
    let title = html_escape(scenario);
    let js = REPORT_JS.replace("</script", "<\\/script");
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>archsim report — {title}</title>
<style>
body {{ font-family: "DejaVu Sans", system-ui, sans-serif; margin: 20px; color: #1f2937; background: #f8fafc; }}
.grid {{ display: flex; flex-wrap: wrap; gap: 12px; }}
.chart {{ background: #fff; border: 1px solid #cbd5e1; border-radius: 8px; padding: 6px 8px; }}
.chart h3 {{ font-size: 13px; margin: 2px 0 4px; }}
.warning {{ color: #92400e; }}
</style>
</head>
<body>
<div id="report"></div>
<script type="application/json" id="results-data">{json}</script>
<script>{js}</script>
</body>
</html>
"#
    )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_embeds_results_and_script_safely() {
        let mut r: Results = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "scenario": "a </script> b", "seed": 1, "replications": 1,
            "threads": 1, "variants": [], "comparisons": [], "warnings": [],
            "self_check": {"ok": true, "violations": []}
        }))
        .expect("results");
        r.warnings.push("x".into());
        let html = render_html(&r);
        assert_eq!(
            html.matches("</script>").count(),
            2,
            "only the two script elements end"
        );
        assert!(html.contains("a \\u003c/script> b"));
        assert!(html.contains("<title>archsim report — a &lt;/script&gt; b</title>"));
        assert!(html.contains(&REPORT_JS[..REPORT_JS.len().min(200)]));
        assert!(
            !html.contains("src=\"http"),
            "nothing loaded from the network"
        );
    }
}

// The app: start page (lessons), model editor, run & results.
import { useEffect, useState } from "react";
import { backend, type Lesson } from "./api";
import { Editor } from "./features/editor/Editor";
import { ResultsCharts } from "./features/results/ResultsView";
import { headlineChart } from "./features/results/charts";
import { RunPanel } from "./features/run/RunPanel";
import { StartPage } from "./features/start/StartPage";
import { useStore } from "./stores/store";
import { openScenario, scenarioStore } from "./stores/scenario";
import { runStore } from "./stores/run";
import { planStore, resetPlan, type PlanMode } from "./stores/plan";
import { CapacityView, PlanPanel, SweepView } from "./features/plan/PlanView";

/** The sweep form's starting point: the first entry's rate from 1× to 5× in steps of 1×. */
function sweepDefaults(document: unknown): { path: string; range: string } {
  const entries = ((document as { workload?: { entries?: { name?: string; arrival?: { rate?: number } }[] } })?.workload?.entries ?? []);
  const e = entries[0];
  const rate = e?.arrival?.rate;
  if (!e?.name || typeof rate !== "number") return { path: "", range: "" };
  return { path: `workload.entries.${e.name}.arrival.rate`, range: `${rate}..${5 * rate}:${rate}` };
}

const MODES: [PlanMode, string][] = [
  ["run", "Run"],
  ["sweep", "Sweep"],
  ["capacity", "Capacity"],
];

type Page = "start" | "model" | "run";

function lookAt(description: string): string | null {
  const m = /look at:?\s*([\s\S]*)/i.exec(description);
  return m ? m[1].replace(/\s+/g, " ").trim() : null;
}

function Exporter() {
  const results = useStore(runStore, (s) => s.results);
  const a = useStore(scenarioStore, (s) => s.analysis);
  const [path, setPath] = useState("");
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    if (a?.path) setPath(a.path.replace(/\.toml$/, "") + "-results");
  }, [a?.path]);
  if (!results) return null;
  const run = async (format: "json" | "csv") => {
    try {
      const files = await backend().exportResults(results, format, format === "json" ? `${path}.json` : path);
      setMsg(`wrote ${files.join(", ")}`);
    } catch (e) {
      setMsg(String((e as Error).message ?? e));
    }
  };
  const href = URL.createObjectURL(new Blob([JSON.stringify(results, null, 2)], { type: "application/json" }));
  return (
    <div className="exporter">
      <input value={path} onChange={(e) => setPath(e.target.value)} aria-label="export path" data-testid="export-path" />
      <button onClick={() => run("json")} data-testid="export-json">
        Export JSON
      </button>
      <button onClick={() => run("csv")} data-testid="export-csv">
        Export CSV
      </button>
      <a href={href} download="results.json">
        download JSON
      </a>
      {msg && <span className="hint">{msg}</span>}
    </div>
  );
}

export function App() {
  const [page, setPage] = useState<Page>("start");
  const lesson = useStore(scenarioStore, (s) => s.lesson);
  const analysis = useStore(scenarioStore, (s) => s.analysis);
  const topology = useStore(scenarioStore, (s) => s.topology);
  const run = useStore(runStore, (s) => s);
  const plan = useStore(planStore, (s) => s);
  const [highlight, setHighlight] = useState<string | null>(null);
  const look = lesson ? lookAt(lesson.description) : null;
  const open = async (l: Lesson) => {
    await openScenario(l.path, l);
    runStore.set({ status: "idle", results: null, reps: [], done: 0, total: 0, error: null, reached: null });
    resetPlan(sweepDefaults(scenarioStore.get().analysis?.document));
    setHighlight(null);
    setPage("model");
  };
  const goToChart = () => {
    setPage("run");
    if (run.results) setHighlight(headlineChart(run.results));
  };
  useEffect(() => {
    if (run.results && lesson) setHighlight(headlineChart(run.results));
  }, [run.results, lesson]);
  useEffect(() => {
    if (page === "run" && highlight) document.querySelector(".chart.highlight")?.scrollIntoView({ block: "nearest" });
  }, [page, highlight, run.results]);
  return (
    <div className="app">
      <header className="topbar">
        <h1>archsim</h1>
        <nav>
          <button data-testid="nav-start" className={page === "start" ? "tab active" : "tab"} onClick={() => setPage("start")}>
            Lessons
          </button>
          <button data-testid="nav-model" className={page === "model" ? "tab active" : "tab"} disabled={!analysis} onClick={() => setPage("model")}>
            Model
          </button>
          <button data-testid="nav-run" className={page === "run" ? "tab active" : "tab"} disabled={!analysis} onClick={() => setPage("run")}>
            Run &amp; results
          </button>
        </nav>
        <span className="spacer" />
        <span className="backend">{backend().kind === "mock" ? "mock backend (recorded runs)" : ""}</span>
      </header>
      {lesson && page !== "start" && (
        <div className="lesson-banner" data-testid="lesson-banner">
          <b>{lesson.name}.</b> {look ? <>Look at: {look}</> : lesson.description}{" "}
          <button className="small" data-testid="go-to-chart" onClick={goToChart}>
            {run.results ? "Show the chart" : "Run it"}
          </button>
        </div>
      )}
      <main>
        {page === "start" && <StartPage onOpen={open} />}
        {page === "model" && <Editor />}
        {page === "run" && (
          <div className="run-page">
            <div className="mode-tabs">
              {MODES.map(([m, label]) => (
                <button key={m} data-testid={`mode-${m}`} className={plan.mode === m ? "tab active" : "tab"} onClick={() => planStore.set({ mode: m })}>
                  {label}
                </button>
              ))}
            </div>
            {plan.mode === "run" ? (
              <>
                <RunPanel />
                <Exporter />
                {run.results && <ResultsCharts results={run.results} highlight={highlight} document={analysis?.document} topology={topology} />}
              </>
            ) : (
              <>
                <PlanPanel />
                {plan.mode === "sweep" && plan.sweep && <SweepView sweep={plan.sweep} />}
                {plan.mode === "capacity" && plan.capacity && <CapacityView capacity={plan.capacity} />}
              </>
            )}
          </div>
        )}
      </main>
    </div>
  );
}

// The app: start page (lessons), model editor, run & results.
import { useEffect, useState } from "react";
import { backend, type Lesson } from "./api";
import { Exporter, FileBar, NoticeBar, QuestionModal } from "./features/files/FileBar";
import { openPath } from "./stores/files";
import { Editor } from "./features/editor/Editor";
import { ResultsCharts } from "./features/results/ResultsView";
import { headlineChart } from "./features/results/charts";
import { RunPanel } from "./features/run/RunPanel";
import { RunHistory } from "./features/run/RunHistory";
import { StartPage } from "./features/start/StartPage";
import { useStore } from "./stores/store";
import { scenarioStore } from "./stores/scenario";
import { runStore, startRun } from "./stores/run";
import { planStore, resetPlan, type PlanMode } from "./stores/plan";
import { CapacityView, PlanPanel, RightsizeView, SweepView } from "./features/plan/PlanView";
import { TelemetryView } from "./features/telemetry/TelemetryView";

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
  ["rightsize", "Right-size"],
];

type Page = "start" | "model" | "run" | "traces";

function lookAt(description: string): string | null {
  const m = /look at:?\s*([\s\S]*)/i.exec(description);
  return m ? m[1].replace(/\s+/g, " ").trim() : null;
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
  const opened = () => {
    resetPlan(sweepDefaults(scenarioStore.get().analysis?.document));
    setHighlight(null);
    setPage("model");
  };
  const open = async (l: Lesson) => {
    if (await openPath(l.path, l)) opened();
  };
  // the banner's button runs the lesson (with its own settings), then shows its chart
  const goToChart = () => {
    setPage("run");
    planStore.set({ mode: "run" });
    if (run.results) setHighlight(headlineChart(run.results));
    else if (run.status !== "running" && run.status !== "cancelling") startRun();
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
          <button data-testid="nav-traces" className={page === "traces" ? "tab active" : "tab"} onClick={() => setPage("traces")} title="discover a model from traces, calibrate it against them">
            Traces
          </button>
        </nav>
        <FileBar onOpened={opened} />
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
      <NoticeBar />
      <QuestionModal />
      <main>
        {page === "start" && <StartPage onOpen={open} />}
        {page === "model" && <Editor />}
        {page === "traces" && (
          <TelemetryView
            onDiscovered={() => {
              resetPlan(sweepDefaults(scenarioStore.get().analysis?.document));
              setHighlight(null);
            }}
            onShowModel={() => setPage("model")}
          />
        )}
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
                <RunHistory />
                {run.results && <Exporter document={run.results} kind="results" />}
                {run.results && <ResultsCharts results={run.results} highlight={highlight} document={analysis?.document} topology={topology} />}
              </>
            ) : (
              <>
                <PlanPanel />
                {plan.mode === "sweep" && plan.sweep && (
                  <>
                    <Exporter document={plan.sweep} kind="sweep" />
                    <SweepView sweep={plan.sweep} />
                  </>
                )}
                {plan.mode === "capacity" && plan.capacity && (
                  <>
                    <Exporter document={plan.capacity} kind="capacity" />
                    <CapacityView capacity={plan.capacity} />
                  </>
                )}
                {plan.mode === "rightsize" && plan.rightsize && (
                  <>
                    <Exporter document={plan.rightsize} kind="rightsize" />
                    <RightsizeView rightsize={plan.rightsize} />
                  </>
                )}
              </>
            )}
          </div>
        )}
      </main>
    </div>
  );
}

// The File commands (New, Open…, Save, Save as…, recent files), the question modal, the notice
// naming what was written, the window title, and the results' exports.
import { useEffect, useState } from "react";
import { backend, type Results } from "../../api";
import { useStore } from "../../stores/store";
import { scenarioStore } from "../../stores/scenario";
import {
  answer,
  clearNotice,
  exportBase,
  exportTo,
  filesStore,
  newFile,
  openFile,
  openPath,
  saveFile,
  saveFileAs,
  titleOf,
} from "../../stores/files";

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function FileBar(props: { onOpened: () => void }) {
  const recent = useStore(filesStore, (s) => s.recent);
  const analysis = useStore(scenarioStore, (s) => s.analysis);
  const savedText = useStore(scenarioStore, (s) => s.savedText);
  const [showRecent, setShowRecent] = useState(false);
  const dirty = !!analysis && analysis.text !== savedText;
  const title = titleOf(analysis?.file_name ?? null, dirty);
  useEffect(() => {
    backend()
      .setTitle(title)
      .catch(() => undefined);
  }, [title]);
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === "n") (e.preventDefault(), newFile().then((ok) => ok && props.onOpened()));
      else if (k === "o") (e.preventDefault(), openFile().then((ok) => ok && props.onOpened()));
      else if (k === "s" && e.shiftKey) (e.preventDefault(), saveFileAs());
      else if (k === "s") (e.preventDefault(), saveFile());
    };
    window.addEventListener("keydown", key);
    return () => window.removeEventListener("keydown", key);
  }, [props]);
  const then = (p: Promise<boolean>) => p.then((ok) => ok && props.onOpened());
  return (
    <div className="filebar" data-testid="filebar">
      <button data-testid="file-new" onClick={() => then(newFile())} title="Ctrl+N">
        New
      </button>
      <button data-testid="file-open" onClick={() => then(openFile())} title="Ctrl+O">
        Open…
      </button>
      <button data-testid="file-save" disabled={!analysis} onClick={() => saveFile()} title="Ctrl+S">
        Save
      </button>
      <button data-testid="file-save-as" disabled={!analysis} onClick={() => saveFileAs()} title="Ctrl+Shift+S">
        Save as…
      </button>
      <span className="recent-wrap">
        <button data-testid="file-recent" disabled={recent.length === 0} onClick={() => setShowRecent(!showRecent)}>
          Recent ▾
        </button>
        {showRecent && (
          <ul className="recent-menu" data-testid="recent-menu">
            {recent.map((p) => (
              <li key={p}>
                <button
                  title={p}
                  onClick={() => {
                    setShowRecent(false);
                    then(openPath(p));
                  }}
                >
                  {baseName(p)} <span className="hint">{p}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </span>
      <span className="file-title" data-testid="file-title" title={analysis?.path ?? "not saved yet"}>
        {analysis ? `${analysis.file_name}${dirty ? " • unsaved changes" : ""}` : ""}
      </span>
    </div>
  );
}

/** The app's modal question (unsaved changes, deleting what others depend on). */
export function QuestionModal() {
  const q = useStore(filesStore, (s) => s.question);
  if (!q) return null;
  return (
    <div className="modal-backdrop" data-testid="question">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="question-title">
        <h3 id="question-title">{q.title}</h3>
        <p>{q.message}</p>
        <div className="modal-buttons">
          {q.choices.map((c) => (
            <button key={c.value} className={c.kind ?? ""} data-testid={`answer-${c.value}`} onClick={() => answer(c.value)}>
              {c.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}

/** What was written where (or why not), until dismissed or the next file or run. */
export function NoticeBar() {
  const n = useStore(filesStore, (s) => s.notice);
  if (!n) return null;
  return (
    <div className={`notice ${n.kind}`} data-testid="notice">
      <span>{n.text}</span>
      <button className="small" aria-label="dismiss" onClick={clearNotice}>
        ×
      </button>
    </div>
  );
}

const JSON_FILTER = [{ name: "JSON", extensions: ["json"] }];
const HTML_FILTER = [{ name: "HTML report", extensions: ["html"] }];

/** Exports of a document (a run's results, a sweep, a capacity search): JSON, CSV (runs),
 * the HTML report — each through a Save dialog. */
export function Exporter(props: { document: unknown; kind: "results" | "sweep" | "capacity" | "rightsize" }) {
  const base = `${exportBase()}-${props.kind}`;
  const json = () =>
    props.kind === "results"
      ? exportTo("Results (JSON)", { title: "Export the results as JSON", default_name: `${base}.json`, filters: JSON_FILTER }, (path) =>
          backend().exportResults(props.document as Results, "json", path),
        )
      : exportTo(`The ${props.kind} (JSON)`, { title: `Export the ${props.kind} as JSON`, default_name: `${base}.json`, filters: JSON_FILTER }, (path) =>
          backend().exportFile(path, JSON.stringify(props.document, null, 2), false),
        );
  const csv = () =>
    exportTo("Results (CSV)", { title: "Export the results as CSV (a folder)", default_name: `${base}-csv`, filters: [] }, (path) =>
      backend().exportResults(props.document as Results, "csv", path),
    );
  const html = () =>
    exportTo("HTML report", { title: "Export the HTML report", default_name: `${base}.html`, filters: HTML_FILTER }, (path) =>
      backend().exportReport(path, JSON.stringify(props.document)),
    );
  return (
    <div className="exporter" data-testid={`exporter-${props.kind}`}>
      <span className="hint">Export:</span>
      <button onClick={json} data-testid="export-json">
        JSON…
      </button>
      {props.kind === "results" && (
        <button onClick={csv} data-testid="export-csv">
          CSV…
        </button>
      )}
      {props.kind !== "rightsize" && (
        <button onClick={html} data-testid="export-html">
          HTML report…
        </button>
      )}
    </div>
  );
}

// The runs of this session: which one's results are shown, and a second one to compare with it
// (the headline figures side by side with their difference and its 95% interval).
import { useMemo } from "react";
import { compareRuns, diffText, unmatched } from "../results/compare";
import { fmtNum } from "../results/format";
import { recordLabel, runStore, showRun } from "../../stores/run";
import { useStore } from "../../stores/store";

export function RunHistory() {
  const s = useStore(runStore, (x) => x);
  const shown = s.history.find((r) => r.id === s.shown) ?? null;
  const other = s.history.find((r) => r.id === s.compareWith) ?? null;
  // the older run first: the difference reads as "what changed since"
  const [first, second] = shown && other ? (other.id < shown.id ? [other, shown] : [shown, other]) : [null, null];
  const rows = useMemo(() => (first && second ? compareRuns(first.results, second.results) : []), [first, second]);
  if (s.history.length === 0) return null;
  return (
    <div className="run-history" data-testid="run-history">
      <label>
        Results of
        <select data-testid="history-shown" value={s.shown ?? ""} onChange={(e) => showRun(Number(e.target.value))}>
          {s.history.map((r) => (
            <option key={r.id} value={r.id}>
              {recordLabel(r)}
            </option>
          ))}
        </select>
      </label>
      {s.history.length > 1 && (
        <label>
          compare with
          <select data-testid="history-compare" value={s.compareWith ?? ""} onChange={(e) => runStore.set({ compareWith: e.target.value ? Number(e.target.value) : null })}>
            <option value="">(no comparison)</option>
            {s.history
              .filter((r) => r.id !== s.shown)
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {recordLabel(r)}
                </option>
              ))}
          </select>
        </label>
      )}
      {first && second && (
        <div className="compare" data-testid="run-compare">
          <p className="small">
            #{second.id} − #{first.id}
            {first.file !== second.file ? ` (${first.file} and ${second.file})` : first.text === second.text ? " (the same model)" : " (the model was edited between them)"}
            {first.results.seed === second.results.seed ? "; the same seed: the runs share random numbers and the interval is conservative" : ""}. A difference
            whose 95% interval excludes 0 is in bold.
          </p>
          {unmatched(first.results, second.results).map((u) => (
            <div className="warning" key={u}>
              variant {u}: not compared
            </div>
          ))}
          <table className="table" data-testid="compare-table">
            <thead>
              <tr>
                <th>variant</th>
                <th>figure</th>
                <th>#{first.id}</th>
                <th>#{second.id}</th>
                <th>difference [95% interval]</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td>{r.variant}</td>
                  <td>{r.metric}</td>
                  <td>{r.unit === "$" ? `$${fmtNum(r.a)}` : `${fmtNum(r.a)} ${r.unit}`}</td>
                  <td>{r.unit === "$" ? `$${fmtNum(r.b)}` : `${fmtNum(r.b)} ${r.unit}`}</td>
                  <td className={r.significant ? "significant" : undefined}>{diffText(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

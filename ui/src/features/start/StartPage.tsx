// The start page: the bundled scenarios (lessons) with their explanation.
import { useEffect, useState } from "react";
import { backend, type Lesson } from "../../api";

export function StartPage(props: { onOpen: (l: Lesson) => void }) {
  const [lessons, setLessons] = useState<Lesson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    backend().listLessons().then(setLessons, (e) => setError(String(e.message ?? e)));
  }, []);
  return (
    <div className="start" data-testid="start-page">
      <h2>Lessons</h2>
      <p className="lead">
        Each scenario below is a small lesson: open it, read what to look at, run it, then change a value and run
        again.
      </p>
      {error && <div className="error">{error}</div>}
      {lessons === null && !error && <p>Loading…</p>}
      <div className="lessons">
        {lessons?.map((l) => (
          <article key={l.rel} className="lesson" data-testid={`lesson-${l.rel}`}>
            <h3>{l.name}</h3>
            <code>{l.rel}</code>
            <p>{l.description}</p>
            <button className="primary" data-testid={`open-${l.rel}`} onClick={() => props.onOpen(l)}>
              Open
            </button>
          </article>
        ))}
      </div>
    </div>
  );
}

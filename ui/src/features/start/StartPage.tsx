// The start page: the bundled scenarios (lessons) as a path — grouped, in order — with their
// explanation, and the recent files.
import { useEffect, useState } from "react";
import { backend, type Lesson } from "../../api";
import { grouped, reflow } from "./lessonPath";

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
        again. Or start your own model with <b>New</b>.
      </p>
      {error && <div className="error">{error}</div>}
      {lessons === null && !error && <p>Loading…</p>}
      {lessons &&
        grouped(lessons).map((g, gi) => (
          <section key={g.title} className="lesson-group" data-testid={`lesson-group-${gi}`}>
            <h3 className="group-title">{g.title}</h3>
            <div className="lessons">
              {g.lessons.map((l) => (
                <article key={l.rel} className="lesson" data-testid={`lesson-${l.rel}`}>
                  <h3>{l.name}</h3>
                  <code>{l.rel}</code>
                  {reflow(l.description).map((p, i) => (
                    <p key={i}>{p}</p>
                  ))}
                  <button className="primary" data-testid={`open-${l.rel}`} onClick={() => props.onOpen(l)}>
                    Open
                  </button>
                </article>
              ))}
            </div>
          </section>
        ))}
    </div>
  );
}

/**
 * The inspector's stylesheet (inside its shadow root, so it neither leaks into the app nor picks
 * up the app's styles). Light and dark follow `prefers-color-scheme`; colours are chosen for a
 * contrast of at least 4.5:1 on their background in both. Below 44rem of its own width (a
 * container query, so it adapts to where the app puts it, not only to the window) the entry table
 * becomes one card per entry.
 */
export const INSPECTOR_CSS = `
:host {
  --bg: #ffffff;
  --fg: #1f2937;
  --muted: #4b5563;
  --line: #d1d5db;
  --accent: #1d4ed8;
  --bar: #93c5fd;
  --fresh: #166534;
  --stale: #92400e;
  --error: #b91c1c;
  --focus: #2563eb;
  display: block;
  container-type: inline-size;
  color-scheme: light dark;
  color: var(--fg);
  background: var(--bg);
  font: 0.875rem/1.45 system-ui, sans-serif;
  border: 1px solid var(--line);
  border-radius: 0.5rem;
  padding: 0.75rem;
  min-width: 0;
  max-width: 100%;
  box-sizing: border-box;
}
@media (prefers-color-scheme: dark) {
  :host {
    --bg: #111827;
    --fg: #f3f4f6;
    --muted: #b6bcc6;
    --line: #374151;
    --accent: #93c5fd;
    --bar: #1e40af;
    --fresh: #4ade80;
    --stale: #fbbf24;
    --error: #fca5a5;
    --focus: #93c5fd;
  }
}
*, *::before, *::after { box-sizing: border-box; }
h2, h3 { margin: 0.75rem 0 0.4rem; line-height: 1.2; }
h2 { font-size: 1.1rem; margin-top: 0; }
h3 { font-size: 0.95rem; }
p { margin: 0.2rem 0; }
button, input, select {
  font: inherit;
  color: inherit;
  background: var(--bg);
  border: 1px solid var(--muted);
  border-radius: 0.3rem;
  padding: 0.2rem 0.5rem;
  min-height: 1.9rem;
}
button { cursor: pointer; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.vh {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.muted { color: var(--muted); }
.summary { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; align-items: baseline; }
#hit-ratio { font-size: 1.4rem; font-weight: 700; }
figure { margin: 0.5rem 0; }
svg { display: block; width: 100%; height: 5rem; border-bottom: 1px solid var(--line); }
#chart-bars { fill: var(--bar); }
#chart-ratio { fill: none; stroke: var(--accent); stroke-width: 2; vector-effect: non-scaling-stroke; }
#chart-grid { stroke: var(--line); stroke-dasharray: 3 3; vector-effect: non-scaling-stroke; }
figcaption { font-size: 0.75rem; color: var(--muted); }
.url {
  display: block;
  overflow: hidden;
  white-space: nowrap;
  text-overflow: ellipsis;
  font-family: ui-monospace, monospace;
  font-size: 0.8rem;
  min-width: 0;
}
#writes { list-style: none; padding: 0; margin: 0; }
#writes li { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 0 0.5rem; margin-bottom: 0.4rem; }
#writes progress { grid-column: 1 / -1; width: 100%; height: 0.6rem; accent-color: var(--accent); }
form { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin: 0.3rem 0 0.5rem; }
form input { flex: 1 1 9rem; min-width: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td {
  text-align: left;
  padding: 0.25rem 0.35rem;
  border-bottom: 1px solid var(--line);
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
th { font-size: 0.75rem; color: var(--muted); font-weight: 600; }
th.col-url { width: auto; }
th.col-status { width: 3.5rem; }
th.col-size { width: 5rem; }
th.col-fresh { width: 7.8rem; }
th.col-phase { width: 7rem; }
th.col-variants { width: 5rem; }
th.col-tags { width: 7rem; }
th.col-action { width: 4.5rem; }
tr.fresh .fresh { color: var(--fresh); }
tr.stale .fresh { color: var(--stale); }
tr.writing .fresh { color: var(--muted); }
@container (max-width: 44rem) {
  table, tbody, tr, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { display: flex; flex-wrap: wrap; gap: 0 0.6rem; align-items: baseline; border-bottom: 1px solid var(--line); padding: 0.3rem 0; }
  td { border: 0; padding: 0; }
  td.url-cell { flex: 1 0 100%; }
  td.variants::after { content: ' variant(s)'; }
  td.variants[data-one] { display: none; }
  td.action { margin-left: auto; }
}
#log-box { max-height: 18rem; overflow: auto; border: 1px solid var(--line); border-radius: 0.3rem; }
#log { list-style: none; margin: 0; padding: 0.25rem 0.4rem; font-family: ui-monospace, monospace; font-size: 0.75rem; }
#log li { display: grid; grid-template-columns: 2.8em minmax(0, 1fr); gap: 0 0.5rem; padding: 0.05rem 0; }
#log .kind { display: inline-block; min-width: 5.5em; font-weight: 600; }
#log .n { text-align: right; color: var(--muted); }
#log .text { overflow-wrap: anywhere; }
#log li[data-kind='stored'] .kind, #log li[data-kind='updated'] .kind, #log li[data-kind='hit'] .kind { color: var(--fresh); }
#log li[data-kind='evicted'] .kind, #log li[data-kind='purged'] .kind, #log li[data-kind='cleared'] .kind, #log li[data-kind='stale'] .kind { color: var(--stale); }
#log li[data-kind='error'] .kind, #log li[data-kind='error'] .text { color: var(--error); }
fieldset { border: 0; padding: 0; margin: 0 0 0.4rem; display: flex; flex-wrap: wrap; gap: 0.2rem 0.8rem; align-items: center; }
legend { float: left; margin-right: 0.5rem; font-weight: 600; }
fieldset label { white-space: nowrap; }
.log-tools { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin-bottom: 0.4rem; }
.log-tools input { flex: 1 1 8rem; min-width: 0; }
`;

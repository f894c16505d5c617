/**
 * The inspector's markup (inside its shadow root) and the lookup of its parts by id. The views
 * (stats-view.ts, entry-table.ts, writes-view.ts, log-view.ts, purge-controls.ts) each fill or
 * wire the parts they own.
 */

/** The chart's SVG coordinate space. */
export const CHART = { width: 300, height: 80 };

/** Stable ids inside the shadow root (each inspector has its own root, so no clashes). */
export const TEMPLATE = `
<h2 id="title">HTTP cache</h2>
<div class="summary">
  <p id="hit-ratio">Hit ratio —</p>
  <p id="counts" class="muted"></p>
</div>
<p id="usage"></p>
<p id="saved" hidden></p>
<figure>
  <svg id="chart" viewBox="0 0 ${CHART.width} ${CHART.height}" preserveAspectRatio="none" role="img" aria-labelledby="chart-caption chart-summary" focusable="false">
    <path id="chart-grid" d="M0 ${CHART.height / 2}H${CHART.width}" />
    <path id="chart-bars" d="" />
    <path id="chart-ratio" d="" />
  </svg>
  <figcaption><span id="chart-caption">Hit ratio per poll (line, 0–100 %).</span> <span id="chart-summary"></span></figcaption>
</figure>
<section aria-labelledby="writes-title">
  <h3 id="writes-title">Writes in progress</h3>
  <ul id="writes"></ul>
  <p id="writes-empty" class="muted">None.</p>
</section>
<section aria-labelledby="entries-title">
  <h3 id="entries-title">Stored entries</h3>
  <form id="purge-form">
    <label for="purge-kind">Purge by</label>
    <select id="purge-kind">
      <option value="url">URL</option>
      <option value="prefix">prefix</option>
      <option value="tag">tag</option>
    </select>
    <label for="purge-value" class="vh">URL, prefix or tag to purge</label>
    <input id="purge-value" list="purge-suggestions" required autocomplete="off" spellcheck="false" />
    <datalist id="purge-suggestions"></datalist>
    <button type="submit" id="purge">Purge</button>
    <button type="button" id="clear">Clear all</button>
  </form>
  <table id="entries" role="table" aria-labelledby="entries-title">
    <thead role="rowgroup">
      <tr role="row">
        <th role="columnheader" scope="col" class="col-url">URL</th>
        <th role="columnheader" scope="col" class="col-status">Status</th>
        <th role="columnheader" scope="col" class="col-size">Size</th>
        <th role="columnheader" scope="col" class="col-fresh">Freshness</th>
        <th role="columnheader" scope="col" class="col-phase">Last phase</th>
        <th role="columnheader" scope="col" class="col-variants">Variants</th>
        <th role="columnheader" scope="col" class="col-tags">Tags</th>
        <th role="columnheader" scope="col" class="col-action"><span class="vh">Actions</span></th>
      </tr>
    </thead>
    <tbody role="rowgroup"></tbody>
  </table>
  <p id="entries-empty" class="muted">Nothing stored yet.</p>
</section>
<section aria-labelledby="log-title">
  <h3 id="log-title">Events</h3>
  <fieldset id="filters"><legend>Show</legend></fieldset>
  <div class="log-tools">
    <label for="log-search">Filter</label>
    <input id="log-search" type="search" autocomplete="off" spellcheck="false" />
    <button type="button" id="log-clear">Clear log</button>
  </div>
  <div id="log-box" role="log" aria-labelledby="log-title" tabindex="0">
    <ol id="log"></ol>
  </div>
</section>
`;

/** A part of the markup by its id; throws when it is missing. */
export type FindPart = <T extends Element = HTMLElement>(id: string) => T;

export function partFinder(root: ShadowRoot): FindPart {
  return <T extends Element = HTMLElement>(id: string): T => {
    const found = root.getElementById(id);
    if (!found) throw new Error(`http-cache-inspector: #${id} is missing`);
    return found as unknown as T;
  };
}

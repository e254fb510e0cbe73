// How every benchmark page hands its result to the runner (benches/ingest-browser.mjs),
// which polls `window.__result`: the figures, or `{ failed }` with the error.

/** Publishes the outcome of a page's run. */
export function publish(run) {
  run.then(
    (result) => {
      window.__result = result;
      document.getElementById("out").textContent = JSON.stringify(result, null, 1);
    },
    (e) => {
      window.__result = { failed: String(e && e.stack ? e.stack : e) };
    },
  );
}

/* Peerdesk's own script. The Content-Security-Policy allows no inline script and no eval,
   so behaviour that templates ask for with data attributes lives here. */
"use strict";

/* htmx swaps no error response by default. Inside an element with data-swap-errors (a
   list of statuses, "400", or of classes, "4xx"), such a response is swapped in as an
   answer: it is a fragment that explains the refusal. */
document.addEventListener("htmx:beforeSwap", (event) => {
  const holder = event.target.closest("[data-swap-errors]");
  if (!holder) {
    return;
  }
  const status = String(event.detail.xhr.status);
  const wanted = holder.dataset.swapErrors.split(/\s+/).some(
    (code) => code === status || (/^[1-5]xx$/.test(code) && code[0] === status[0]),
  );
  if (wanted) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

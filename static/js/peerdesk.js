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

/* Live updates of an open thread (community.live): every 5 s while the page is in view,
   ask whether the thread changed since the version the page shows (a 304 says no). Kudos
   counts change in place; new answers are announced with a link that shows them, so the
   page does not move under the reader. */
const live = document.getElementById("thread-live");
if (live) {
  let version = live.dataset.liveVersion;
  const answersShown = Number(live.dataset.liveAnswers);
  const ids = Array.from(document.querySelectorAll("#answers article.answer"), (answer) =>
    answer.id.replace("answer-", ""),
  );
  const url = `${live.dataset.liveUrl}?answers=${ids.join(",")}`;
  const update = (figures) => {
    version = String(figures.version);
    const question = document.querySelector("article.question .kudos-count");
    if (question) {
      question.textContent = figures.kudos.question;
    }
    for (const [id, label] of Object.entries(figures.kudos.answers)) {
      const count = document.querySelector(`#answer-${id} .kudos-count`);
      if (count) {
        count.textContent = label;
      }
    }
    if (figures.answer_count > answersShown) {
      live.hidden = false;
    }
  };
  const poll = async () => {
    if (document.hidden) {
      return;
    }
    try {
      const response = await fetch(url, {
        headers: { "If-None-Match": `"${version}"` },
        cache: "no-store",
        credentials: "same-origin",
      });
      if (response.status === 404) {
        clearInterval(timer);
      } else if (response.status === 200) {
        update(await response.json());
      }
    } catch {
      /* offline a moment: the next poll tries again */
    }
  };
  const timer = setInterval(poll, 5000);
  // The link's address differs from the page's by its #answers only: load it again.
  live.querySelector("a").addEventListener("click", (event) => {
    event.preventDefault();
    history.replaceState(null, "", event.currentTarget.href);
    location.reload();
  });
}

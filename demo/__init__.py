"""The demo that `make run` serves and the benchmarks' data, run by `manage.py seed_demo`.

It sits on top of every app, as Zulip's zilencer does: it calls the apps' services and
models, and no app imports it.

- `seed.py`: the hand-written demo (the site and its people, then each app's part:
  `community.py` with the threads of `threads_de.py` and `threads_en.py`,
  `moderation.py`, `rewards.py`, `insights.py`); `people.py` and `specs.py` describe it.
- `bulk.py`: generated data for benchmarks (`seed_demo --scale N`), with `phrases.py`.
- `counters.py`: the set-based recount both use after back-dating rows.
"""

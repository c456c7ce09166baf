"""Demo data for Peerdesk: a hand-written telecom community (`seed.py`) and a
bulk generator for benchmarks (`bulk.py`), both run by `manage.py seed_demo`."""

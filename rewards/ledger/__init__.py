"""The points ledger: its only writers (services) and its invariants' check (check)."""

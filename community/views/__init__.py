"""Member-facing pages of the Q&A community (server-rendered, htmx where it helps)."""

"""The audit log of every moderation action, and the staff pages that read it."""

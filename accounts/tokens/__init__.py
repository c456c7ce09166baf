"""Personal access tokens for the API: created on the settings page, shown once, named,
scoped, expiring, listed and revocable (services), and how the API reads them
(authentication)."""

"""Data export (Art. 15 and 20 GDPR): request, build, download, expire; the page and the API."""

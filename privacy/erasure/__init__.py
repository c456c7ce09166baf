"""Erasure (Art. 17 GDPR): request, grace period, cancel, erase; the page and the API."""

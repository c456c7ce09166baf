"""The badge pages: every badge and who earned it (/badges/), one badge's full list."""

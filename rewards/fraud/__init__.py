"""Fraud: household signals, suspicious awards held, and the staff review of the holds."""

"""Closing the loop: reminders to mark the solution, and the beat tasks of the loop."""

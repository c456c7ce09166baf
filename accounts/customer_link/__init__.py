"""A member's customer account for points: linking, verifying (by code or staff), revoking."""

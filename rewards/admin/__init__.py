"""The rewards admin, one module per area."""

from rewards.admin import economy, fraud, settlement  # noqa: F401

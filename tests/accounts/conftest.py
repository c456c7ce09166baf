from tests.fakes.billing_server import billing_server  # noqa: F401

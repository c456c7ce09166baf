from tests.accounts.oidc_helpers import brand, browser, telco  # noqa: F401
from tests.fakes.billing_server import billing_server  # noqa: F401
from tests.oidc_provider.control import identity_provider  # noqa: F401

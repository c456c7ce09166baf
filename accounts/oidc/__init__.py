"""Log in with the brand's customer account: OpenID Connect providers (allauth's
`openid_connect`, configured by config.oidc), whose customer-number claim becomes a
verified customer-account link, and which staff may be required to use (docs/oidc.md).
"""

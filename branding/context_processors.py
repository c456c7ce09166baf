from branding.selectors import current


def brand(request) -> dict:
    """`brand` on every page: one cache read."""
    return {"brand": current()}

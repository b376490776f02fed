"""The client's address for login rate limiting when the site runs behind TLS proxies."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The address the nearest trusted proxy saw, not one the client may have written itself.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, so with N trusted proxies the client is the N-th entry
    from the right; entries further left are whatever the client sent.
    """
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= settings.PROXY_COUNT:
        return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")

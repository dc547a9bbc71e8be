"""Rules the settings module and the deployment checks share (no Django import: settings use it)."""

from ipaddress import IPv4Network, IPv6Network, ip_network

# The key written in settings.py for development: public, so never acceptable in production.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-anima-calais-0123456789"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT_CHARACTERS = 5


def secret_key_problem(key: str) -> str:
    """Why this key must not sign production sessions and tokens, or "" when it may."""
    if key == DEVELOPMENT_SECRET_KEY:
        return "SECRET_KEY is the development key written in settings.py."
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"SECRET_KEY is shorter than {SECRET_KEY_MIN_LENGTH} characters."
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT_CHARACTERS:
        return (
            f"SECRET_KEY has fewer than {SECRET_KEY_MIN_DISTINCT_CHARACTERS} distinct characters."
        )
    return ""


def proxy_networks(entries: list[str]) -> tuple[IPv4Network | IPv6Network, ...]:
    """TRUSTED_PROXIES as networks: addresses ("10.0.0.2") or CIDRs ("172.30.0.0/24").

    Raises ValueError naming an entry that is neither.
    """
    networks = []
    for entry in entries:
        try:
            networks.append(ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an address nor a CIDR.") from error
    return tuple(networks)

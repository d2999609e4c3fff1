from tests.matrix import ALL_SIGNED_IN, Case, allow

EXPECTATIONS = {
    "home": Case(expect=allow(*ALL_SIGNED_IN)),
    "healthz": Case(expect=allow(*ALL_SIGNED_IN), anonymous=200),
    # Operators' endpoints answer only the METRICS_TOKEN bearer credential, never a session (tests/ops).
    "metrics": Case(default=401, anonymous=401),
    "readyz": Case(default=401, anonymous=401),
}

from tests.matrix import ALL_SIGNED_IN, Case, allow

EXPECTATIONS = {
    "home": Case(expect=allow(*ALL_SIGNED_IN)),
    "healthz": Case(expect=allow(*ALL_SIGNED_IN), anonymous=200),
}

from tests.reliability.conftest import broker, worker_factory  # noqa: F401 - the real broker and worker fixtures

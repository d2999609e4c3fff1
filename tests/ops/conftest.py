"""The loopback S3-compatible server (tests/objectstore.py) for the operations tests."""

from tests.objectstore import object_store, s3_server  # noqa: F401

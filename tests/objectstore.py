"""A real S3-compatible server on loopback for the tests (moto's server mode), and the portal pointed at it.

`s3_server` starts one server per test session (a thread in the test process, listening on 127.0.0.1 on a
free port; the portal and the tests talk to it over HTTP like to any S3 store). `object_store` gives a test a
fresh private bucket with versioning and object lock on, and makes it the portal's default storage.
A conftest.py imports both (tests/ops/conftest.py does).
"""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from sector.settings.base import object_storage

KEYS = {"access_key": "testing-access-key", "secret_key": "testing-secret-key"}
REGION = "us-west-2"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@dataclass
class ObjectStore:
    endpoint: str
    bucket: str
    client: Any

    def stored_keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(o["Key"] for o in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def storage_setting(self) -> dict[str, object]:
        return object_storage(self.bucket, endpoint_url=self.endpoint, region_name=REGION, **KEYS)


def new_bucket(endpoint: str) -> ObjectStore:
    """A fresh private bucket with versioning and object lock on, on the server at `endpoint`."""
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    bucket = f"sector-{uuid.uuid4().hex[:12]}"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}, ObjectLockEnabledForBucket=True
    )
    return ObjectStore(endpoint=endpoint, bucket=bucket, client=client)


@pytest.fixture
def object_store(s3_server, settings):
    store = new_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": store.storage_setting()}
    return store

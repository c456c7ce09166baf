"""A real S3 server for the tests of object storage: moto's standalone server over HTTP
on 127.0.0.1 (no in-process mocks), one per test process, so each pytest-xdist worker
has its own server and buckets (named with the worker's id besides).

The storages under test are those config/settings.py builds from the OBJECT_STORAGE_*
variables: the settings file is run afresh with them set (`storages_from_env`), and its
STORAGES["default"] and ["exports"] replace the test settings' (fixture `object_storage`).
"""

import logging
import runpy
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest
from django.conf import settings
from moto.server import ThreadedMotoServer

KEY_ID, SECRET = "peerdesk-test-key", "peerdesk-test-secret"
REGION = "us-east-1"


def storages_from_env(**env: str) -> tuple[dict, str]:
    """STORAGES' default and exports entries, and MEDIA_ORIGIN, as config/settings.py
    sets them with these environment variables (and the test process's others)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        namespace = runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))
    storages = namespace["STORAGES"]
    return {"default": storages["default"], "exports": storages["exports"]}, namespace[
        "MEDIA_ORIGIN"
    ]


@dataclass
class Store:
    """The S3 server of this test process and its two buckets, seen with a client of
    its own (not the storages under test)."""

    endpoint: str
    media: str
    exports: str

    @property
    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
        )

    def env(self, **more: str) -> dict[str, str]:
        """The variables that put media and exports in this store's buckets."""
        return {
            "OBJECT_STORAGE_URL": self.endpoint,
            "OBJECT_STORAGE_REGION": REGION,
            "OBJECT_STORAGE_MEDIA_BUCKET": self.media,
            "OBJECT_STORAGE_EXPORTS_BUCKET": self.exports,
            "AWS_ACCESS_KEY_ID": KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET,
            **more,
        }

    def keys(self, bucket: str) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, bucket: str, key: str) -> bytes:
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def empty(self) -> None:
        for bucket in (self.media, self.exports):
            for key in self.keys(bucket):
                self.client.delete_object(Bucket=bucket, Key=key)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def store(s3_server, worker_id) -> Store:
    """The media bucket is public through the objects' ACL (public-read, which the
    media storage sets); the exports bucket is private, as created."""
    store = Store(s3_server, f"peerdesk-media-{worker_id}", f"peerdesk-exports-{worker_id}")
    for bucket in (store.media, store.exports):
        store.client.create_bucket(Bucket=bucket)
    return store


@pytest.fixture
def object_storage(settings, store, exports_root, media_root) -> Store:
    """Media and exports in the S3 server's buckets, emptied first; MEDIA_ROOT and
    EXPORTS_ROOT are empty folders of this test, to show nothing lands on disk."""
    store.empty()
    entries, _origin = storages_from_env(**store.env())
    settings.STORAGES = {**settings.STORAGES, **entries}
    return store


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def store_down(settings, store):
    """Returns a function that points the storages at a port where nothing listens
    (the object store down), with the same buckets and credentials."""

    def down() -> None:
        entries, _origin = storages_from_env(
            **store.env(OBJECT_STORAGE_URL=f"http://127.0.0.1:{closed_port()}")
        )
        settings.STORAGES = {**settings.STORAGES, **entries}

    return down


@pytest.fixture
def black_hole() -> Iterator[str]:
    """An endpoint that accepts connections and never answers (a store too slow)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"

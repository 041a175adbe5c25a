"""A real S3-compatible server for the tests: moto's server (`python -m moto.server`), a subprocess on a free port.

Production on premises runs MinIO, which no package registry this project installs from carries (it is
not on PyPI, nor in Debian); moto's server answers the same S3 HTTP API (signed requests, buckets,
multipart uploads) and is on PyPI.  The app reaches it exactly as it would MinIO: django-storages'
S3Storage with an endpoint URL, path-style addressing and keys.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest

from tests.mailserver import free_port

KEY_ID = "coopportal-test"
SECRET = "coopportal-test-secret"
REGION = "us-east-1"


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen[bytes]
    log: Path

    def client(self) -> Any:
        return boto3.client(
            "s3", endpoint_url=self.endpoint, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET, region_name=REGION
        )

    def new_bucket(self) -> str:
        name = f"coopportal-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, bucket: str, key: str) -> bytes:
        return bytes(self.client().get_object(Bucket=bucket, Key=key)["Body"].read())

    def env(self, bucket: str) -> dict[str, str]:
        """The environment that points a process of the app (web, worker, manage.py) at a bucket."""
        return {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET,
        }

    def storage(self, bucket: str) -> dict[str, Any]:
        """The STORAGES["default"] entry the settings build from `env(bucket)`, for this test process."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": self.endpoint,
                "region_name": REGION,
                "access_key": KEY_ID,
                "secret_key": SECRET,
                "location": "",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 300,
                "max_memory_size": 2 * 1024 * 1024,
            },
        }


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=out
        )
    server = S3Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert process.poll() is None, f"the S3 server died:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"the S3 server did not start:\n{log.read_text()[-3000:]}"
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGINT)  # a clean exit, so that a coverage run keeps its data
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def s3_bucket(s3_server: S3Server, settings: Any) -> str:
    """A fresh bucket, and the app's default storage pointed at it for this test."""
    bucket = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage(bucket)}
    return bucket

"""boto3 tests of the project's moto extensions, against moto served in-process with the extensions registered."""

from __future__ import annotations

import os
import socket
import sys
from typing import Any, Callable

import boto3
import pytest
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import extensions  # noqa: E402,F401
from moto.server import ThreadedMotoServer  # noqa: E402

os.environ.setdefault("AWS_ACCESS_KEY_ID", "emulator")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "emulator")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def endpoint() -> Any:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture()
def client(endpoint: str) -> Callable[..., Any]:
    """client(service, validate=True): a boto3 client on the emulator; validate=False sends what botocore would refuse."""

    def make(service: str, validate: bool = True) -> Any:
        return boto3.client(
            service,
            region_name="us-east-1",
            endpoint_url=endpoint,
            config=Config(parameter_validation=validate, retries={"max_attempts": 1}),
        )

    return make


@pytest.fixture()
def ec2_subnet(client: Callable[..., Any]) -> str:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    return ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]

"""The stack of deploy/stack.py: requests through nginx land on both nodes in turn, and a sign-in limit
reached through one node holds on the other (limits kept in Redis), which limits kept in each
process's memory would not do. The browser journeys through the stack are in test_learner_journey.py
and test_staff_journeys.py (site "stack")."""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from bench.common import PROJECT_ROOT, free_port, http_request
from deploy.stack import Stack
from deploy.tls import Certificate
from tests.fault_helpers import form_body
from tests.support import CSRF

_REQUEST_LINE = re.compile(r'"(\w+) (\S+)" (\d{3}) ')


def requests_per_node(stack: Stack, method: str, path: str) -> list[list[int]]:
    """Each node's logged statuses of `method path`, read from the node's own access log."""
    result = []
    for node in stack.nodes:
        log = node.log_path.read_text(errors="replace")
        result.append([int(status) for m, p, status in _REQUEST_LINE.findall(log) if (m, p) == (method, path)])
    return result


def wait_for_logged(stack: Stack, method: str, path: str, total: int) -> list[list[int]]:
    """The nodes' statuses once `total` such requests are logged (a node logs just after it answers)."""
    for _ in range(100):
        per_node = requests_per_node(stack, method, path)
        if sum(map(len, per_node)) >= total:
            break
        time.sleep(0.1)
    return per_node


def fail_sign_ins(stack: Stack, times: int) -> list[int]:
    """Sign in to one account with a wrong password `times` times through the proxy, from a client address
    of this test's own (127.x.y.z), as a browser would (CSRF token, session cookie, Referer)."""
    source = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(1, 254)}"
    status, headers, page = http_request(stack.port, "GET", "/auth/login", tls=stack.certificate, source_address=source)
    assert status == 200
    cookie = headers["Set-Cookie"].split(";")[0]
    token = next(group for group in CSRF.search(page).groups() if group)
    body = form_body({"username": f"guess-{uuid.uuid4().hex[:10]}", "password": "not the password at all"}, token)
    return [
        http_request(
            stack.port,
            "POST",
            "/auth/login",
            cookie,
            body,
            tls=stack.certificate,
            source_address=source,
            headers={"Referer": f"{stack.url}/auth/login"},
        )[0]
        for _ in range(times)
    ]


def test_requests_through_the_proxy_land_on_both_nodes_in_turn(stack):
    before = [len(statuses) for statuses in requests_per_node(stack, "GET", "/help")]
    for _ in range(10):
        assert http_request(stack.port, "GET", "/help", tls=stack.certificate)[0] == 200
    after = [len(statuses) for statuses in wait_for_logged(stack, "GET", "/help", sum(before) + 10)]
    assert [a - b for a, b in zip(after, before, strict=True)] == [5, 5]  # round robin


def test_a_sign_in_limit_reached_through_one_node_holds_on_the_other(stack):
    before = requests_per_node(stack, "POST", "/auth/login")
    statuses = fail_sign_ins(stack, 14)
    # 10 failures a minute per account and client address (LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT)
    assert statuses == [200] * 10 + [429] * 4
    logged = wait_for_logged(stack, "POST", "/auth/login", sum(map(len, before)) + 14)
    new = [statuses[len(old) :] for old, statuses in zip(before, logged, strict=True)]
    assert all(node.count(200) < 10 for node in new)  # no node alone saw the 10 failures ...
    assert all(node.count(429) >= 1 for node in new)  # ... yet each refused the next ones


@pytest.fixture
def memory_stack(stack, tmp_path):
    """The same stack, but each node (one worker each) keeps its limits in its own memory."""
    with Stack(
        tmp_path / "memory-stack", stack.database_url, "memory://", port=free_port(), workers_per_node=1
    ) as running:
        yield running


def test_with_limits_in_each_process_memory_the_limit_would_not_hold(memory_stack):
    assert fail_sign_ins(memory_stack, 14) == [200] * 14  # 7 failures on each node, under its own 10


def _descendants(pid: int) -> list[int]:
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return children + [grandchild for child in children for grandchild in _descendants(child)]


def test_make_stack_prints_the_url_serves_https_and_ctrl_c_stops_everything(stack, tmp_path):
    port = free_port()
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "deploy.stack",
            "--port",
            str(port),
            "--folder",
            str(tmp_path / "stack"),
            "--database-url",
            stack.database_url,
            "--redis-url",
            stack.ratelimit_storage,
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = []
        for line in launcher.stdout:  # until it says where it is (or exits)
            output.append(line)
            if line.startswith("The stack is up"):
                break
        assert f"https://127.0.0.1:{port}" in output[-1], "".join(output)
        assert any(
            "One-time password:" in line or "Sign in with an admin account made before" in line for line in output
        ), "".join(output)
        processes = _descendants(launcher.pid)
        assert len(processes) >= 3 + 2 * stack.workers_per_node  # nginx (and its worker), two nodes and their workers
        status, _, page = http_request(port, "GET", "/auth/login", tls=launcher_certificate(tmp_path / "stack"))
        assert status == 200 and "Sign in" in page
    finally:
        launcher.send_signal(signal.SIGINT)  # what Ctrl-C sends; the parts run in their own session
        try:
            rest = launcher.communicate(timeout=120)[0]
        except subprocess.TimeoutExpired:  # fail, but leave nothing running for the tests after this one
            for pid in _descendants(launcher.pid) + [launcher.pid]:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            launcher.communicate()
            raise
    assert launcher.returncode == 0 and rest.strip().endswith("Stopped.")
    assert [pid for pid in processes if Path(f"/proc/{pid}").exists()] == []


def launcher_certificate(folder: Path) -> Certificate:
    """The certificate the launcher made on the spot in its folder."""
    return Certificate(folder / "tls" / "cert.pem", folder / "tls" / "key.pem")

#!/usr/bin/env python3
"""The detector's fault tests (issue 14; docs/reliability.md): real processes on loopback.

`headroom distribution`, five `headroom relay` nodes (proxies px-a and px-b behind two
nodes each, px-c behind one) whose devices make requests through them, a driver editing
px-c's jobs through the API all along, and `headroom detector` in warn mode, which talks to
the distribution system through a counting forwarder (in this script) that records every
request: its Idempotency-Key, the answer and whether it was a replay.

1. SIGKILL loop: the detector is SIGKILLed at a random moment ROUNDS times in a row and
   started again each time. Then: every entry the detector committed to its outbox (seq
   1..N of its key prefix) reached the distribution system exactly once (one stored,
   non-replayed answer per key: `lost`, `duplicated`), in seq order per proxy; the last
   notification of every proxy equals `headroom check --json` on the final schedule (exported
   through the API); and px-a and px-b, whose jobs do not change, never flap (a
   notification different from the right one after the right one was sent).
2. Outage: the forwarder answers 503 for longer than the circuit breaker's open time while
   px-c keeps changing; then it forwards again. Every notification stored meanwhile arrives
   exactly once, in order; the requests made during the outage stay within the breaker's
   and the delivery backoff's promise.

Prints one `reliability: {json}` line per scenario. Exit 0 passed, 1 failed, 77 skipped.
Usage: detector_faults_test.py HEADROOM [--rounds N] (default: $HEADROOM_FAULT_ROUNDS or 8).
"""

import argparse
import base64
import http.client
import http.server
import json
import math
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone

TOKEN = "fault-test-token-0123456789"
DETECTOR_ID = "det-f"
CAPACITY = 3
DEVICES_PER_NODE = 4
LATE_DEVICES = 4  # more of px-c's devices, first seen behind node-c during the outage
NODES = {"node-a1": "px-a", "node-a2": "px-a", "node-b1": "px-b", "node-b2": "px-b",
         "node-c": "px-c"}
STEADY = ("px-a", "px-b")  # no job of these changes: their right windows never change
LAGGARDS = ("node-a2", "node-b2")  # each restart, one of them re-announces late
EDITED = "px-c"
BREAKER_FAILURES = 3
BREAKER_OPEN_S = 2.0
FETCH_INTERVAL_S = 0.5
NOTIFY_BACKOFF = (0.2, 1.0)  # min, max seconds
JITTER = 0.5  # the notifier's default: a wait is shortened by up to half
START = time.monotonic()


def log(*parts):
    print(f"[{time.monotonic() - START:6.1f}s]", *parts, flush=True)


class Failed(Exception):
    pass


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def free_port(pair=False):
    """A free loopback port (and the next one free too, when PAIR: the bus's ROUTER and PUB).

    Probed with SO_REUSEADDR, as ZeroMQ and Asio bind their listeners: a port held only by
    connections in TIME_WAIT is free for them, and a plain probe would pass it over. A pair
    is drawn below the kernel's ephemeral range: there, the TIME_WAIT of client connections
    (which set no SO_REUSEADDR, so they do block a bind) cannot hold the second port; after
    a load test had left 29,000 of them, 200 pairs drawn from the ephemeral range failed."""

    def probe(port):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
            return s.getsockname()[1]

    if not pair:
        return probe(0)
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ephemeral_from = int(f.read().split()[0])
    draw = random.Random()
    for _ in range(200):
        port = draw.randrange(10000, max(10002, ephemeral_from - 1))
        try:
            probe(port)
            probe(port + 1)
            return port
        except OSError:
            continue
    raise Failed("no free port pair on 127.0.0.1 below " + str(ephemeral_from))


def eventually(seconds, what, check):
    until = time.monotonic() + seconds
    while True:
        try:
            if check():
                log("ok:", what)
                return
        except (OSError, ValueError, KeyError, http.client.HTTPException):
            pass
        if time.monotonic() > until:
            raise Failed(f"not within {seconds}s: {what}")
        time.sleep(0.2)


def http_call(port, method, path, body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        h = {"Authorization": f"Bearer {TOKEN}"}
        h.update(headers or {})
        if body is not None:
            h["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=h)
        res = conn.getresponse()
        return res.status, res.read(), dict(res.getheaders())
    finally:
        conn.close()


class Forwarder:
    """The detector's way to the distribution system: forwards and records every request,
    or, while `down`, answers 503 and counts them."""

    def __init__(self, upstream_port):
        self.upstream = upstream_port
        self.down = False
        # Seconds a delivery's answer is held after the distribution system stored it: a
        # SIGKILL then falls between the delivery and its outbox mark more often.
        self.answer_delay = 0.0
        self.lock = threading.Lock()
        self.deliveries = []  # dicts: t, endpoint, key, status, replayed, proxy, body
        self.requests_down = {"fetch": 0, "topology": 0, "deliver": 0}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                delivery = self.command == "POST" and self.path.split("?")[0] in (
                    "/api/v1/notifications", "/api/v1/adjustments")
                if outer.down:
                    kind = ("deliver" if delivery else
                            "topology" if self.command == "PUT" else "fetch")
                    with outer.lock:
                        outer.requests_down[kind] += 1
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.send_header("Retry-After", "1")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "connection", "content-length")}
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", outer.upstream, timeout=30)
                    conn.request(self.command, self.path, body=body, headers=headers)
                    res = conn.getresponse()
                    data = res.read()
                    status, answer_headers = res.status, res.getheaders()
                    conn.close()
                except OSError:
                    self.send_response(502)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if delivery:
                    doc = json.loads(body)
                    with outer.lock:
                        outer.deliveries.append({
                            "t": time.monotonic(), "endpoint": self.path,
                            "key": self.headers.get("Idempotency-Key", ""), "status": status,
                            "replayed": dict(answer_headers).get("Idempotent-Replayed") == "true",
                            "proxy": doc.get("proxy", ""), "body": doc})
                    time.sleep(outer.answer_delay)
                try:
                    self.send_response(status)
                    for k, v in answer_headers:
                        if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    self.close_connection = True  # the detector was killed meanwhile

            do_GET = do_POST = do_PUT = do_PATCH = handle_one

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Rig:
    def __init__(self, headroom, work):
        self.headroom = headroom
        self.work = work
        self.procs = {}
        hour = int(time.time()) // 3600 * 3600
        self.t1 = hour + 3 * 3600
        self.slots = [self.t1, self.t1 + 3600, self.t1 + 2 * 3600]
        self.devices = {}  # node -> its device ids
        for node, proxy in NODES.items():
            letter = proxy[-1]
            base = 0 if node.endswith("1") or node == "node-c" else DEVICES_PER_NODE
            count = DEVICES_PER_NODE * 2 if node == "node-c" else DEVICES_PER_NODE
            self.devices[node] = [f"{letter}{base + i + 1}" for i in range(count)]
        self.late = [f"c{2 * DEVICES_PER_NODE + i + 1}" for i in range(LATE_DEVICES)]
        self.seen = set()  # devices that made a request through their node

    # -- processes ---------------------------------------------------------------------

    def start(self, name, args, first_line_prefix=None):
        out = open(os.path.join(self.work, f"{name}.log"), "ab")
        p = subprocess.Popen([self.headroom] + args, stdout=subprocess.PIPE, stderr=out)
        self.procs[name] = p
        line = ""
        if first_line_prefix:
            line = p.stdout.readline().decode()
            if not line.startswith(first_line_prefix):
                raise Failed(f"{name} printed {line!r}, expected {first_line_prefix}...")
        # The rest of its stdout goes to the log so that the pipe never fills.
        threading.Thread(target=shutil.copyfileobj, args=(p.stdout, out), daemon=True).start()
        return line.strip()

    def kill(self, name, sig=signal.SIGKILL):
        p = self.procs.pop(name, None)
        if p and p.poll() is None:
            p.send_signal(sig)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def stop_all(self):
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)

    # -- setup -------------------------------------------------------------------------

    def write_config(self, name, text):
        path = os.path.join(self.work, f"{name}.toml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def fleet(self):
        proxies = [{"id": p, "capacity": CAPACITY} for p in sorted(set(NODES.values()))]
        devices, jobs = [], []
        for node, ids in list(self.devices.items()) + [("node-c", self.late)]:
            for d in ids:
                devices.append({"id": d, "customer": "c1", "monitoring_mode": "proxy",
                                "proxy": NODES[node]})
                jobs.append({"id": f"j-{d}", "device": d, "package": "fw-1",
                             "start": iso(self.t1), "duration_s": 1800})
        return {"proxies": proxies,
                "customers": [{"id": "c1", "services": ["software_distribution"]}],
                "packages": [{"id": "fw-1", "version": "1", "size_bytes": 1000000}],
                "devices": devices, "jobs": jobs}

    def start_distribution(self):
        path = self.write_config("dist", f'[server]\nlisten = "127.0.0.1:0"\n[store]\n'
                                 f'data_dir = "{self.work}/dist-data"\n[auth]\n'
                                 f'api_token = "{TOKEN}"\n')
        line = self.start("distribution", ["distribution", "--config", path], "listening on ")
        self.dist_port = int(line.rsplit(":", 1)[1])
        status, body, _ = http_call(self.dist_port, "PUT", "/api/v1/fleet",
                                    json.dumps(self.fleet()))
        if status // 100 != 2:
            raise Failed(f"importing the fleet: HTTP {status} {body[:200]!r}")
        self.forwarder = Forwarder(self.dist_port)

    def write_detector_config(self):
        self.bus_port = free_port(pair=True)
        self.detector_config = self.write_config("detector", f"""[detector]
id = "{DETECTOR_ID}"
mode = "warn"
data_dir = "{self.work}/detector-data"
status = "127.0.0.1:0"
[bus]
listen = "tcp://127.0.0.1:{self.bus_port}"
heartbeat_interval_ms = 300
heartbeat_timeout_ms = 1500
[distribution]
url = "http://127.0.0.1:{self.forwarder.port}"
api_token = "{TOKEN}"
timeout_ms = 1000
[fetch]
interval_ms = {int(FETCH_INTERVAL_S * 1000)}
backoff_min_ms = 200
backoff_max_ms = 1000
breaker_failures = {BREAKER_FAILURES}
breaker_open_ms = {int(BREAKER_OPEN_S * 1000)}
[detection]
shards = 1
[notify]
backoff_min_ms = {int(NOTIFY_BACKOFF[0] * 1000)}
backoff_max_ms = {int(NOTIFY_BACKOFF[1] * 1000)}
""")

    def start_detector(self):
        line = self.start("detector", ["detector", "--config", self.detector_config], "status on ")
        self.status_port = int(line.rsplit(":", 1)[1].rstrip("/"))

    def detector_status(self):
        status, body, _ = http_call(self.status_port, "GET", "/status", timeout=3)
        return json.loads(body) if status == 200 else None

    def start_relays(self):
        self.relay_ports = {}
        for node, proxy in NODES.items():
            path = self.write_config(node, f"""[relay]
listen = "127.0.0.1:0"
admin = "127.0.0.1:0"
proxy_id = "{proxy}"
node_id = "{node}"
detector = "tcp://127.0.0.1:{self.bus_port}"
[admission]
capacity = {CAPACITY}
[upstreams]
allow = ["127.0.0.1:{self.dist_port}"]
[bus]
heartbeat_interval_ms = 300
heartbeat_timeout_ms = 1500
""")
            line = self.start(node, ["relay", "--config", path], "listening on ")
            self.relay_ports[node] = int(line.split()[2].rsplit(":", 1)[1].rstrip("/"))

    def device_request(self, node, device):
        """One request of DEVICE through NODE: the node has seen it and tells the detector."""
        auth = base64.b64encode(f"{device}:x".encode()).decode()
        conn = http.client.HTTPConnection("127.0.0.1", self.relay_ports[node], timeout=10)
        # Straight to the distribution system, not through the forwarder: the outage is
        # the detector's alone.
        conn.request("GET", f"http://127.0.0.1:{self.dist_port}/healthz",
                     headers={"Proxy-Authorization": f"Basic {auth}"})
        status = conn.getresponse().status
        conn.close()
        if status != 200:
            raise Failed(f"device {device} through {node}: HTTP {status}")
        self.seen.add(device)

    def devices_request(self):
        for node, ids in self.devices.items():
            for d in ids:
                self.device_request(node, d)

    # -- the schedule and what `headroom check` says of it ------------------------------

    def export_check(self):
        status, body, _ = http_call(self.dist_port, "GET", "/api/v1/fleet", timeout=30)
        if status != 200:
            raise Failed(f"exporting the fleet: HTTP {status}")
        # The detector counts the devices its nodes have seen; the others load no proxy yet.
        fleet = json.loads(body)
        fleet["devices"] = [d for d in fleet["devices"] if d["id"] in self.seen]
        fleet["jobs"] = [j for j in fleet["jobs"] if j["device"] in self.seen]
        path = os.path.join(self.work, "final-fleet.json")
        with open(path, "w") as f:
            json.dump(fleet, f)
        out = subprocess.run([self.headroom, "check", "--json", path], capture_output=True)
        if out.returncode not in (0, 1, 2):
            raise Failed(f"headroom check failed ({out.returncode}): {out.stderr[:300]!r}")
        report = json.loads(out.stdout)
        windows = {p: [] for p in set(NODES.values())}
        for w in report["windows"]:
            windows[w["proxy"]].append(window_key(w))
        return {p: sorted(ws) for p, ws in windows.items()}


def window_key(w):
    return (w["start"], w["end"], w["peak"], w["threshold"], tuple(sorted(w.get("jobs", []))))


def windows_of(notification):
    return sorted(window_key(w) for w in notification.get("windows", []))


class Driver:
    """Keeps moving px-c's jobs between three slots through the API (PATCH with version)."""

    def __init__(self, rig, seed):
        self.rig = rig
        self.random = random.Random(seed)
        self.edits = 0
        self.conflicts = 0
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        jobs = [f"j-{d}" for d in self.rig.devices["node-c"]]
        while self.running:
            job = self.random.choice(jobs)
            try:
                status, body, _ = http_call(self.rig.dist_port, "GET", f"/api/v1/jobs/{job}")
                version = json.loads(body)["version"]
                start = iso(self.random.choice(self.rig.slots))
                status, _, _ = http_call(self.rig.dist_port, "PATCH", f"/api/v1/jobs/{job}",
                                         json.dumps({"version": version, "start": start}))
                if status == 200:
                    self.edits += 1
                else:
                    self.conflicts += 1
            except (OSError, ValueError, http.client.HTTPException):
                self.conflicts += 1
            time.sleep(self.random.uniform(0.1, 0.5))

    def stop(self):
        self.running = False
        self.thread.join()


# -- the checks -----------------------------------------------------------------------------


def committed_keys(work):
    """The outbox's keys 1..N (seq is AUTOINCREMENT, never reused) and those still pending."""
    db = sqlite3.connect(f"file:{work}/detector-data/outbox.sqlite3?mode=ro", uri=True)
    try:
        instance = db.execute("SELECT value FROM meta WHERE key = 'instance'").fetchone()[0]
        row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'entries'").fetchone()
        last = row[0] if row else 0
        pending = [r[0] for r in db.execute("SELECT idempotency_key FROM entries")]
    finally:
        db.close()
    prefix = f"{DETECTOR_ID}:{instance}:"
    return prefix, [f"{prefix}{seq}" for seq in range(1, last + 1)], pending


def key_accounting(forwarder, keys, pending):
    """Per key: requests, stored answers (2xx, not replayed), replays; order per proxy."""
    with forwarder.lock:
        deliveries = list(forwarder.deliveries)
    by_key = {}
    for d in deliveries:
        by_key.setdefault(d["key"], []).append(d)
    lost, duplicated, replays, refused = [], [], 0, []
    for key in keys:
        got = by_key.get(key, [])
        stored = [d for d in got if d["status"] // 100 == 2 and not d["replayed"]]
        replays += sum(1 for d in got if d["replayed"])
        if any(d["status"] // 100 == 4 for d in got):
            refused.append(key)
        if key in pending:
            continue
        if not stored:
            lost.append(key)
        elif len(stored) > 1:
            duplicated.append(key)
    order_broken = []
    first_stored = {}
    for d in deliveries:
        if d["status"] // 100 == 2 and d["key"] not in first_stored:
            first_stored[d["key"]] = d
    per_proxy = {}
    for d in sorted(first_stored.values(), key=lambda d: d["t"]):
        seq = int(d["key"].rsplit(":", 1)[1])
        last = per_proxy.get(d["proxy"], 0)
        if seq < last:
            order_broken.append(d["key"])
        per_proxy[d["proxy"]] = max(last, seq)
    return {"lost": lost, "duplicated": duplicated, "replays": replays, "refused": refused,
            "order_broken": order_broken, "requests": len(deliveries)}


def stored_notifications(forwarder):
    """Notifications the distribution system stored, in the order it stored them."""
    with forwarder.lock:
        return [d for d in forwarder.deliveries if d["endpoint"].startswith("/api/v1/notif")
                and d["status"] // 100 == 2 and not d["replayed"]]


def count_flaps(notifications, right):
    """Per steady proxy: notifications that differ from its right windows after it was right."""
    flaps, wrong_before = 0, 0
    for proxy in STEADY:
        was_right = False
        for n in notifications:
            if n["proxy"] != proxy:
                continue
            if windows_of(n["body"]) == right[proxy]:
                was_right = True
            elif was_right:
                flaps += 1
                log(f"FLAP: {proxy} notified {windows_of(n['body'])} after {right[proxy]}")
            else:
                wrong_before += 1
    return flaps, wrong_before


def wait_quiet(rig, what, seconds=60):
    """Until the outbox is empty and the last notification of each proxy matches check."""
    state = {}

    def quiet():
        status = rig.detector_status()
        if not status or status["outbox"]["depth"] != 0:
            return False
        right = rig.export_check()
        last = {}
        for n in stored_notifications(rig.forwarder):
            last[n["proxy"]] = windows_of(n["body"])
        state["right"], state["last"] = right, last
        return all(last.get(p, []) == right[p] for p in right)

    try:
        eventually(seconds, what, quiet)
    except Failed:
        for p in state.get("right", {}):
            log(f"  {p}: check says {state['right'][p]}; last notified {state['last'].get(p)}")
        raise
    return state["right"]


def reliability(fault, tries, lost, duplicated, detail):
    print("reliability: " + json.dumps({"fault": fault, "tries": tries, "lost": lost,
                                        "duplicated": duplicated, "detail": detail}), flush=True)


# -- the scenarios ----------------------------------------------------------------------------


def settle_counts(work):
    """Restarts that waited for every known node, and those that gave up (detector.log)."""
    with open(os.path.join(work, "detector.log"), errors="replace") as f:
        text = f.read()
    return (text.count("every known node announced itself again"),
            text.count("detection starts without"))


def kill_loop(rig, rounds, rng):
    driver = Driver(rig, rng.randrange(1 << 30))
    rig.forwarder.answer_delay = 0.3
    for i in range(rounds):
        wait = rng.uniform(0.2, 4.0)
        time.sleep(wait)
        depth = "?"
        try:
            status = rig.detector_status()
            depth = status["outbox"]["depth"] if status else "?"
        except (OSError, ValueError, KeyError, http.client.HTTPException):
            pass
        rig.kill("detector")
        down = rng.uniform(0.0, 1.5)
        time.sleep(down)  # as a supervisor restarts it: at once or after a pause
        # One node of px-a or px-b lags (as behind a slow link): it re-announces itself
        # after its sibling, so that the new detector sees part of that proxy's devices first.
        laggard = rng.choice(LAGGARDS)
        lag = rng.uniform(0.5, 1.2)
        log(f"kill {i + 1}/{rounds} after {wait:.2f}s (outbox depth {depth}), down {down:.2f}s, "
            f"{laggard} {lag:.2f}s late")
        rig.procs[laggard].send_signal(signal.SIGSTOP)
        try:
            rig.start_detector()
            time.sleep(lag)
        finally:
            rig.procs[laggard].send_signal(signal.SIGCONT)
    time.sleep(2)
    driver.stop()
    rig.forwarder.answer_delay = 0.0
    right = wait_quiet(rig, "after the last restart: outbox empty, every proxy as check says")
    prefix, keys, pending = committed_keys(rig.work)
    acc = key_accounting(rig.forwarder, keys, pending)
    flaps, wrong_before = count_flaps(stored_notifications(rig.forwarder), right)
    settled, gave_up = settle_counts(rig.work)
    detail = (f"{rounds} SIGKILLs 0.2-4 s apart, {len(NODES)} relays (one 0.5-1.2 s late to "
              f"re-announce), {driver.edits} job edits; "
              f"{len(keys)} entries committed, {acc['requests']} delivery requests, "
              f"{acc['replays']} replays answered from the key; per-proxy order broken "
              f"{len(acc['order_broken'])}; flaps {flaps}; restarts that waited for all nodes "
              f"{settled}, gave up waiting {gave_up}; final windows = check: yes")
    reliability("detector SIGKILL loop", rounds, len(acc["lost"]), len(acc["duplicated"]), detail)
    errors = []
    if acc["lost"]:
        errors.append(f"lost (committed, never stored): {acc['lost'][:10]}")
    if acc["duplicated"]:
        errors.append(f"stored twice: {acc['duplicated'][:10]}")
    if acc["refused"]:
        errors.append(f"refused by the distribution system (4xx): {acc['refused'][:10]}")
    if acc["order_broken"]:
        errors.append(f"out of order per proxy: {acc['order_broken'][:10]}")
    if pending:
        errors.append(f"still pending in the outbox: {pending[:10]}")
    if flaps:
        errors.append(f"{flaps} flaps of px-a/px-b (right windows replaced by wrong ones)")
    log(f"kill loop: {len(keys)} entries, {wrong_before} notifications before first right one")
    return errors


def outage(rig, rng):
    seen_before = len(committed_keys(rig.work)[1])
    driver = Driver(rig, rng.randrange(1 << 30))
    down_for = 3 * BREAKER_OPEN_S
    rig.forwarder.down = True
    began = time.monotonic()
    # Changes from the relays: px-c's late devices appear, one after the other.
    for device in rig.late:
        time.sleep(down_for / (LATE_DEVICES + 1))
        rig.device_request("node-c", device)
    time.sleep(max(0.0, down_for - (time.monotonic() - began)))
    rig.forwarder.down = False
    downtime = time.monotonic() - began
    time.sleep(1)
    driver.stop()
    with rig.forwarder.lock:
        during = dict(rig.forwarder.requests_down)
    wait_quiet(rig, "after the outage: outbox empty, every proxy as check says")
    prefix, keys, pending = committed_keys(rig.work)
    new_keys = keys[seen_before:]
    acc = key_accounting(rig.forwarder, new_keys, pending)
    # The breaker's promise: BREAKER_FAILURES failed fetches, then one attempt per open
    # period (and one in flight as the outage began); a fetch whose first request fails
    # makes no other.
    fetch_bound = BREAKER_FAILURES + math.ceil(downtime / BREAKER_OPEN_S) + 1
    # The topology is reported once per change at most: one per late device, plus one.
    topology_bound = LATE_DEVICES + 1
    # Delivery: per proxy with news, attempts after waits doubling from the minimum up to the
    # maximum, each shortened by at most the jitter share.
    waits, t, attempts = NOTIFY_BACKOFF[0], 0.0, 1
    while t + waits * (1 - JITTER) <= downtime:
        t += waits * (1 - JITTER)
        attempts += 1
        waits = min(waits * 2, NOTIFY_BACKOFF[1])
    with rig.forwarder.lock:
        news = {d["proxy"] for d in rig.forwarder.deliveries if d["key"] in set(new_keys)}
    deliver_bound = attempts * len(news)
    detail = (f"503 for {downtime:.1f} s (breaker open {BREAKER_OPEN_S:.0f} s after "
              f"{BREAKER_FAILURES} failures), {driver.edits} job edits meanwhile; "
              f"{len(new_keys)} entries committed; requests during the outage: "
              f"{during['fetch']} fetch (bound {fetch_bound}), {during['topology']} topology "
              f"(bound {topology_bound}), {during['deliver']} delivery (bound {deliver_bound}, "
              f"{len(news)} proxies with news); order broken {len(acc['order_broken'])}")
    reliability("distribution outage", 1, len(acc["lost"]), len(acc["duplicated"]), detail)
    errors = []
    if not new_keys:
        errors.append("no notification was stored during the outage: the test proved nothing")
    if acc["lost"] or acc["duplicated"] or acc["order_broken"] or pending:
        errors.append(f"outage: lost {acc['lost'][:5]}, twice {acc['duplicated'][:5]}, "
                      f"out of order {acc['order_broken'][:5]}, pending {pending[:5]}")
    if during["fetch"] > fetch_bound:
        errors.append(f"{during['fetch']} fetch requests during the outage, bound {fetch_bound}")
    if during["topology"] > topology_bound:
        errors.append(f"{during['topology']} topology reports during the outage, "
                      f"bound {topology_bound}")
    if during["deliver"] > deliver_bound:
        errors.append(f"{during['deliver']} deliveries during the outage, bound {deliver_bound}")
    return errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("headroom")
    parser.add_argument("--rounds", type=int,
                        default=int(os.environ.get("HEADROOM_FAULT_ROUNDS", "8")))
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    if not os.access(args.headroom, os.X_OK):
        print(f"SKIPPED: no headroom executable at {args.headroom}")
        return 77
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="headroom-faults.")
    log(f"seed {args.seed}, {args.rounds} rounds, work {work}")
    rig = Rig(os.path.abspath(args.headroom), work)
    errors = []
    try:
        rig.start_distribution()
        rig.write_detector_config()
        rig.start_detector()
        rig.start_relays()
        eventually(30, "5 nodes live", lambda: rig.detector_status()["nodes"]["live"] == 5)
        rig.devices_request()
        wait_quiet(rig, "first detection: every proxy as check says")
        errors += kill_loop(rig, args.rounds, rng)
        errors += outage(rig, rng)
    except Failed as e:
        errors.append(str(e))
    finally:
        rig.stop_all()
        if hasattr(rig, "forwarder"):
            rig.forwarder.stop()
    if errors:
        for e in errors:
            log("FAILED:", e)
        for name in ["detector"] + list(NODES) + ["distribution"]:
            path = os.path.join(work, f"{name}.log")
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    lines = f.readlines()[-15:]
                print(f"---- {name}.log (last {len(lines)} lines)\n" + "".join(lines), end="")
    if args.keep or errors:
        log(f"work directory kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    log("PASSED" if not errors else "FAILED")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

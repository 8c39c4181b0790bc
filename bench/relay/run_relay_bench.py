#!/usr/bin/env python3
"""Side-by-side benchmark of Headroom's relay against nginx direct, tinyproxy and squid.

Everything runs on 127.0.0.1: nginx serves a 100-byte and a 50 MiB file; wrk measures
requests/s and p99 latency at 50 and 500 connections (through each proxy with absolute-
form requests); 20 parallel curl downloads of the 50 MiB file measure throughput; then
idle CONNECT tunnels measure each proxy's resident memory. Prints a Markdown table and
a JSON line. Usage: bench/relay/run_relay_bench.py [--headroom build/apps/headroom]
[--duration 8] [--tunnels 9000]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MIB = 1024 * 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def render(template, path, **values):
    text = open(os.path.join(HERE, template)).read()
    for key, value in values.items():
        text = text.replace("@" + key + "@", str(value))
    with open(path, "w") as f:
        f.write(text)


def rss_of_tree(pid):
    """Resident memory of a process and its children, in bytes."""
    total = 0
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
        pids += [int(p) for p in out.split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def wrk(url_port, path, origin_port, connections, duration, proxied, work):
    script = os.path.join(work, "absolute.lua")
    with open(script, "w") as f:
        f.write(f'wrk.path = "http://127.0.0.1:{origin_port}{path}"\n'
                f'wrk.headers["Host"] = "127.0.0.1:{origin_port}"\n')
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if proxied:
        cmd += ["-s", script, f"http://127.0.0.1:{url_port}/"]
    else:
        cmd += [f"http://127.0.0.1:{url_port}{path}"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p99_ms": float(p99.group(1)) * scale,
            "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else "", "command": " ".join(cmd)}


def downloads(proxy_port, origin_port, parallel=20):
    cmd = ["curl", "-s", "-o", "/dev/null", "-w", "%{size_download}"]
    if proxy_port:
        cmd += ["-x", f"http://127.0.0.1:{proxy_port}"]
    cmd += [f"http://127.0.0.1:{origin_port}/big.bin"]
    start = time.time()
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(parallel)]
    sizes = [int(p.communicate()[0] or 0) for p in procs]
    elapsed = time.time() - start
    complete = sum(1 for s in sizes if s == 50 * MIB)
    return {"mib_s": sum(sizes) / MIB / elapsed, "complete": complete, "parallel": parallel,
            "command": " ".join(cmd) + f"  (x{parallel} in parallel)"}


def idle_tunnels(proxy_port, origin_port, count, pid):
    before = rss_of_tree(pid)
    held = []
    request = f"CONNECT 127.0.0.1:{origin_port} HTTP/1.1\r\nHost: 127.0.0.1:{origin_port}\r\n\r\n".encode()
    failed = 0
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", proxy_port), timeout=10)
            s.sendall(request)
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
            if not answer.startswith(b"HTTP/1.1 200") and not answer.startswith(b"HTTP/1.0 200"):
                failed += 1
                s.close()
                continue
            held.append(s)
        except OSError:
            failed += 1
    time.sleep(1.0)
    after = rss_of_tree(pid)
    for s in held:
        s.close()
    return {"tunnels": len(held), "failed": failed, "rss_mib": after / MIB, "rss_before_mib": before / MIB,
            "per_tunnel_kib": (after - before) / 1024 / max(1, len(held))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--headroom", default=os.path.join(HERE, "..", "..", "build", "apps", "headroom"))
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--tunnels", type=int, default=9000)
    parser.add_argument("--only", default="", help="comma-separated subset: direct,headroom,tinyproxy,squid")
    parser.add_argument("--relay-config", default=os.path.join(HERE, "relay.toml"))
    args = parser.parse_args()
    for tool in ("nginx", "wrk", "tinyproxy", "squid", "curl"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            sys.exit(f"run_relay_bench: {tool} is missing (make deps installs it)")
    work = tempfile.mkdtemp(prefix="headroom-relay-bench-")
    os.chmod(work, 0o777)
    os.makedirs(os.path.join(work, "www"))
    with open(os.path.join(work, "www", "small.bin"), "wb") as f:
        f.write(b"s" * 100)
    with open(os.path.join(work, "www", "big.bin"), "wb") as f:
        f.write(os.urandom(50 * MIB))
    origin = free_port()
    ports = {"headroom": free_port(), "tinyproxy": free_port(), "squid": free_port()}
    procs = {}
    try:
        render("nginx.conf", os.path.join(work, "nginx.conf"), DIR=work, ORIGIN_PORT=origin)
        procs["nginx"] = subprocess.Popen(["nginx", "-p", work, "-c", os.path.join(work, "nginx.conf"),
                                           "-g", "daemon off;"])
        wait_port(origin)
        procs["headroom"] = subprocess.Popen(
            [args.headroom, "relay", "--config", args.relay_config,
             "--listen", f"127.0.0.1:{ports['headroom']}", "--admin", "127.0.0.1:0",
             "--allow", f"127.0.0.1:{origin}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        procs["headroom"].stdout.readline()
        render("tinyproxy.conf", os.path.join(work, "tinyproxy.conf"), DIR=work, PORT=ports["tinyproxy"],
               ORIGIN_PORT=origin)
        procs["tinyproxy"] = subprocess.Popen(["tinyproxy", "-d", "-c", os.path.join(work, "tinyproxy.conf")],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        render("squid.conf", os.path.join(work, "squid.conf"), DIR=work, PORT=ports["squid"], ORIGIN_PORT=origin)
        procs["squid"] = subprocess.Popen(["squid", "-N", "-f", os.path.join(work, "squid.conf")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name in ("headroom", "tinyproxy", "squid"):
            wait_port(ports[name], timeout=30)
        results = {}
        chosen = set(args.only.split(",")) if args.only else {"direct", "headroom", "tinyproxy", "squid"}
        for key, name, port in [("direct", "nginx direct", None), ("headroom", "headroom relay", ports["headroom"]),
                                ("tinyproxy", "tinyproxy", ports["tinyproxy"]), ("squid", "squid", ports["squid"])]:
            if key not in chosen:
                continue
            row = {}
            # Warm-up at the higher concurrency: connections, sessions and caches exist before
            # the measured runs (the same for every server).
            wrk(port or origin, "/small.bin", origin, 500, 2, port is not None, work)
            for c in (50, 500):
                row[f"small_c{c}"] = wrk(port or origin, "/small.bin", origin, c, args.duration, port is not None, work)
            row["large"] = downloads(port, origin)
            results[name] = row
            print(f"{name}: {json.dumps(row)}", file=sys.stderr)
        for name in sorted(chosen - {"direct"}):
            results[{"headroom": "headroom relay"}.get(name, name)]["idle"] = idle_tunnels(
                ports[name], origin, args.tunnels, procs[name].pid)
    finally:
        for p in procs.values():
            p.send_signal(signal.SIGTERM)
        for p in procs.values():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)

    print("| | req/s 100 B, 50 conn | p99 ms | req/s 100 B, 500 conn | p99 ms | MiB/s, 20 x 50 MiB | "
          f"RSS at {args.tunnels} idle tunnels |")
    print("|---|---|---|---|---|---|---|")
    for name, row in results.items():
        idle = row.get("idle")
        idle_text = f"{idle['rss_mib']:.1f} MiB ({idle['tunnels']} open, {idle['failed']} failed)" if idle else "-"
        print(f"| {name} | {row['small_c50']['rps']:.0f} | {row['small_c50']['p99_ms']:.2f} | "
              f"{row['small_c500']['rps']:.0f} | {row['small_c500']['p99_ms']:.2f} | "
              f"{row['large']['mib_s']:.0f} ({row['large']['complete']}/20 complete) | {idle_text} |")
    print(json.dumps(results))


if __name__ == "__main__":
    main()

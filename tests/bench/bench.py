#!/usr/bin/env python3
"""Benchmark codex-creds against the real Codex CLI in one paired run on this machine.

Not a test: it prints a Markdown table (medians, ratios, peak memory, binary sizes and, when the
OpenID test harness is installed, the refresh count for 32 concurrent `token` callers).

    python3 tests/bench/bench.py [--runs 300] [--out tests/bench/results/latest.md]

Requirements: `cargo build --release` (the script runs it), the Codex CLI in tests/harness
(`npm ci --prefix tests/harness`), /usr/bin/time for peak memory. When the musl target and
musl-gcc are installed (`rustup target add x86_64-unknown-linux-musl`, Debian `musl-tools`), the
static build is measured beside the default one, in the same rounds.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "target" / "release" / "codex-creds"
MUSL = "x86_64-unknown-linux-musl"
STATIC = ROOT / "target" / MUSL / "release" / "codex-creds"
CODEX = ROOT / "tests" / "harness" / "node_modules" / ".bin" / "codex"
API_KEY = "sk-bench-0123456789abcdefghijklmnopqrstuvwxyz"


def codex_native_binary() -> Path:
    """The native Codex binary the npm wrapper would exec (the wrapper adds Node's start-up)."""
    vendor = ROOT / "tests" / "harness" / "node_modules" / "@openai"
    for candidate in sorted(vendor.rglob("codex")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            with open(candidate, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    return candidate
    return CODEX


def environment(home: str) -> dict:
    return {"PATH": os.environ.get("PATH", ""), "HOME": home, "CODEX_HOME": home, "LANG": "C"}


def run_once(argv, env) -> float:
    """Wall time of one process, spawned with posix_spawn (vfork): little overhead of our own."""
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        actions = [(os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]
        start = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        os.waitpid(pid, 0)
        return (time.perf_counter_ns() - start) / 1e6
    finally:
        os.close(devnull)


def static_build_available() -> bool:
    targets = subprocess.run(["rustup", "target", "list", "--installed"], capture_output=True,
                             text=True, check=False).stdout.split()
    return MUSL in targets and shutil.which("musl-gcc") is not None


def peak_memory_kib(argv, env) -> int:
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    return int(result.stderr.strip().splitlines()[-1])


def paired(commands: dict, env, runs: int) -> dict:
    """Runs every command once per round, rotating the order, so drift hits all of them alike."""
    names = list(commands)
    samples = {name: [] for name in names}
    for name in names:  # warm-up: page cache, dynamic loader
        for _ in range(5):
            run_once(commands[name], env)
    for round_index in range(runs):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(run_once(commands[name], env))
    return {name: statistics.median(values) for name, values in samples.items()}


def initialize_ms(argv, env) -> float:
    """Spawn to the `initialize` answer of an app-server (ours or Codex's), in ms."""
    line = '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"bench","version":"1"}}}\n'
    start = time.perf_counter_ns()
    child = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    child.stdin.write(line)
    child.stdin.flush()
    for answer in child.stdout:
        if '"id":1' in answer:
            break
    elapsed = (time.perf_counter_ns() - start) / 1e6
    child.stdin.close()
    child.wait()
    return elapsed


def app_server_initialize(env, runs: int) -> str:
    """Paired medians of spawn -> `initialize` answer; the goal is under 1/20 of Codex's."""
    servers = {"codex-creds app-server": [str(OURS), "app-server"],
               "codex app-server (native)": [str(codex_native_binary()), "app-server"]}
    times = {name: [] for name in servers}
    for _ in range(runs):
        for name, argv in servers.items():
            times[name].append(initialize_ms(argv, env))
    ours, codex = (statistics.median(times[name]) for name in servers)
    return (f"spawn to `initialize` answer, median of {runs} paired runs: codex-creds app-server "
            f"{ours:.2f} ms, codex app-server {codex:.2f} ms ({ours / codex:.3f} of Codex's)")


def concurrent_refresh_count() -> str:
    """32 concurrent `token` calls with an expired access token against the real OpenID harness."""
    script = ROOT / "tests" / "harness" / "oidc-server.mjs"
    if not script.exists():
        return "n/a (harness not installed)"
    result = subprocess.run(
        ["cargo", "test", "--test", "cli", "--", "--exact",
         "refresh_oidc::concurrent_tokens_share_one_real_refresh_grant", "--nocapture"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    for line in result.stdout.splitlines() + result.stderr.splitlines():
        if line.startswith("BENCH "):
            fields = dict(part.split("=", 1) for part in line.split()[1:])
            return (f"{fields['refresh_grants']} grant(s) for {fields['callers']} callers "
                    f"in {fields['elapsed_ms']} ms (debug build, test harness)")
    return "n/a (test did not report)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()

    with_static = static_build_available()
    if not args.skip_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        if with_static:
            subprocess.run(["cargo", "build", "--release", "--quiet", "--target", MUSL], cwd=ROOT,
                           check=True)
    with_static = with_static and STATIC.exists()
    if not CODEX.exists():
        sys.exit(f"the Codex CLI is missing at {CODEX}: run `npm ci --prefix tests/harness`")
    codex_native = codex_native_binary()

    home = tempfile.mkdtemp(prefix="codex-creds-bench-")
    try:
        env = environment(home)
        subprocess.run([str(OURS), "login", "--with-api-key"], input=API_KEY, text=True, env=env,
                       check=True, capture_output=True)
        # 20 saved accounts for `account list` (issue 10): the active login and 19 imported.
        subprocess.run([str(OURS), "account", "save", "bench-00"], env=env, check=True,
                       capture_output=True)
        for n in range(1, 20):
            document = json.dumps({"auth_mode": "apikey", "OPENAI_API_KEY": f"{API_KEY}-{n:02}"})
            subprocess.run([str(OURS), "account", "import", "-", "--name", f"bench-{n:02}"],
                           input=document, text=True, env=env, check=True, capture_output=True)
        commands = {
            "/bin/true": ["/bin/true"],
            "codex-creds status": [str(OURS), "status"],
            "codex-creds account list (20 accounts)": [str(OURS), "account", "list"],
            "codex-creds token": [str(OURS), "token"],
            **({"codex-creds status (static, musl)": [str(STATIC), "status"],
                "codex-creds token (static, musl)": [str(STATIC), "token"]} if with_static else {}),
            "codex login status (native)": [str(codex_native), "login", "status"],
            "codex login status (npm wrapper)": [str(CODEX), "login", "status"],
        }
        medians = paired(commands, env, args.runs)
        initialize = app_server_initialize(env, min(args.runs, 20))
        memory = {name: peak_memory_kib(argv, env) for name, argv in commands.items()}
    finally:
        shutil.rmtree(home, ignore_errors=True)

    codex_ms = medians["codex login status (native)"]
    true_ms = medians["/bin/true"]
    lines = [
        f"Benchmark {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.platform()}; {args.runs} paired rounds, medians of wall time per process "
        f"(spawn included).",
        "",
        "| command | median ms | this ÷ codex | minus /bin/true, ms | peak RSS MiB |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, median in medians.items():
        lines.append(f"| `{name}` | {median:.2f} | {median / codex_ms:.3f} | "
                     f"{max(median - true_ms, 0):.2f} | {memory[name] / 1024:.1f} |")
    sizes = f"codex-creds {OURS.stat().st_size / 1e6:.1f} MB (release, stripped)"
    if with_static:
        sizes += f", static {STATIC.stat().st_size / 1e6:.1f} MB"
    lines += [
        "",
        "Goals: `status` and `token` at most 0.10 of `codex login status` (native), peak RSS at "
        "most 5 MiB, binary at most 12 MB.",
        f"Binary sizes: {sizes}; codex {codex_native.stat().st_size / 1e6:.1f} MB.",
        f"App-server: {initialize}.",
        f"Concurrent `token` with an expired access token against the real OpenID provider: "
        f"{concurrent_refresh_count()}.",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""CNAB 240 return parsing: Cobalto vs the plain slicing loop (floor) vs pycobranca (peer).

Generates one deterministic 100k-title return (segments T+U: ~200k lines), then
times, side by side in this process:

  (a) cobalto        - the engine over the file's lines (split_lines), every
                        title to a ReturnRecord, trailers checked;
  (a') cobalto_stream - the same engine fed as the bank-file runner feeds it:
                        iter_lines over 1 MiB byte chunks (memory stays flat);
  (b) floor          - a plain loop slicing the same fields, amounts to Decimal;
  (c) peer           - pycobranca's Retorno.ler, when importable.

pycobranca 1.1.2 declares Python >= 3.12; on 3.11 ``uv pip install`` refuses it.
Its wheel is pure Python and imports on 3.11, so set PYCOBRANCA_PATH to an
unpacked wheel to include it (``pip download pycobranca --no-deps
--python-version 3.12 --only-binary=:all:`` and unzip).

Prints JSON lines: one per contender, then the ratios against the targets in
/work/shared/BENCHMARKS.md (>= 3x the peer, >= 0.4x the floor).

    .venv/bin/python bench/cnab_parse.py [--titles 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.adapters.banks.cnab import iter_lines, iter_records, split_lines
from app.adapters.banks.cnab.generate import SAMPLE_ACCOUNT, return_240_bytes, synthetic_titles


def cobalto(data: bytes) -> int:
    stream = iter_records(split_lines(data))
    n = 0
    for _ in stream:
        n += 1
    if stream.errors:
        raise SystemExit(f"parser reported errors: {stream.errors[:3]}")
    return n


CHUNK = 1 << 20  # the settlement store's read size


def cobalto_stream(data: bytes) -> int:
    # A bytes object per chunk, as SettlementStore.chunks reads them from the file.
    stream = iter_records(iter_lines(data[i : i + CHUNK] for i in range(0, len(data), CHUNK)))
    n = 0
    for _ in stream:
        n += 1
    if stream.errors:
        raise SystemExit(f"parser reported errors: {stream.errors[:3]}")
    return n


def floor(data: bytes) -> int:
    n = 0
    dec = Decimal
    for line in data.decode("latin-1").split("\r\n"):
        if line[7:8] != "3":
            continue
        if line[13] == "T":
            _occ, _nn, _doc, _due = line[15:17], line[37:57], line[58:73], line[73:81]
            _face = dec(line[81:96]).scaleb(-2)
            n += 1
        else:
            _paid = dec(line[77:92]).scaleb(-2)
            _interest = dec(line[17:32]).scaleb(-2)
            _paid_on, _credit = line[137:145], line[145:153]
    return n


PEER_DIR = Path(__file__).resolve().parent / "out" / "pycobranca-1.1.2"


def provision_peer() -> str | None:
    """Fetch pycobranca's pure-Python wheel from PyPI and unpack it under bench/out.

    The wheel declares Python >= 3.12 but runs on 3.11; installing it into the venv is
    refused, so it is unpacked and put on sys.path for this process only.
    """
    if (PEER_DIR / "pycobranca").is_dir():
        return str(PEER_DIR)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
               "--python-version", "3.12", "pycobranca==1.1.2", "-d", tmp]  # fmt: skip
        if subprocess.run(cmd, capture_output=True).returncode != 0:
            return None
        wheels = list(Path(tmp).glob("pycobranca-*.whl"))
        if not wheels:
            return None
        with zipfile.ZipFile(wheels[0]) as wheel:
            wheel.extractall(PEER_DIR)
    return str(PEER_DIR)


def load_peer() -> Callable[[bytes], int] | None:
    extra = os.environ.get("PYCOBRANCA_PATH") or provision_peer()
    if extra:
        sys.path.insert(0, extra)
    try:
        from pycobranca.cnab import Retorno
    except ImportError:
        return None

    def peer(data: bytes) -> int:
        return len(Retorno.ler(data).registros)

    return peer


def timed(fn: Callable[[bytes], int], data: bytes) -> tuple[float, float, int]:
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    n = fn(data)
    return time.perf_counter() - w0, time.process_time() - c0, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--titles", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    t0 = time.perf_counter()
    data = return_240_bytes(SAMPLE_ACCOUNT, synthetic_titles(args.titles, seed=7))
    lines = data.count(b"\r\n")
    print(json.dumps({"event": "generated", "titles": args.titles, "lines": lines, "bytes": len(data),
                      "seconds": round(time.perf_counter() - t0, 3)}))  # fmt: skip

    contenders: dict[str, Callable[[bytes], int]] = {
        "cobalto": cobalto,
        "cobalto_stream": cobalto_stream,
        "floor": floor,
    }
    peer = load_peer()
    if peer is None:
        print(json.dumps({"contender": "peer_pycobranca", "skipped": "pycobranca not importable (needs Python >= 3.12; "
                          "set PYCOBRANCA_PATH to an unpacked wheel)"}))  # fmt: skip
    else:
        contenders["peer_pycobranca"] = peer
    # Rounds are interleaved (a, b, c, a, b, c, ...) and the best of each kept, so
    # a burst of load on this shared machine hits every contender alike.
    wall = dict.fromkeys(contenders, float("inf"))
    cpu = dict.fromkeys(contenders, float("inf"))
    for _ in range(args.repeat):
        for name, fn in contenders.items():
            w, c, n = timed(fn, data)
            if n != args.titles:
                raise SystemExit(f"{name} read {n} titles, expected {args.titles}")
            wall[name], cpu[name] = min(wall[name], w), min(cpu[name], c)
    results = {name: lines / wall[name] for name in contenders}
    for name in contenders:
        print(json.dumps({"contender": name, "seconds": round(wall[name], 4), "cpu_seconds": round(cpu[name], 4),
                          "titles": args.titles, "lines_per_s": round(results[name])}))  # fmt: skip

    ratios: dict[str, object] = {"event": "ratios"}
    ratios["cobalto_vs_floor"] = round(results["cobalto"] / results["floor"], 3)
    ratios["cobalto_vs_floor_cpu"] = round(cpu["floor"] / cpu["cobalto"], 3)
    ratios["cobalto_stream_vs_floor"] = round(results["cobalto_stream"] / results["floor"], 3)
    ratios["target_vs_floor"] = 0.4
    if "peer_pycobranca" in results:
        ratios["cobalto_vs_peer"] = round(results["cobalto"] / results["peer_pycobranca"], 2)
        ratios["cobalto_vs_peer_cpu"] = round(cpu["peer_pycobranca"] / cpu["cobalto"], 2)
        ratios["cobalto_stream_vs_peer"] = round(results["cobalto_stream"] / results["peer_pycobranca"], 2)
        ratios["cobalto_stream_vs_peer_cpu"] = round(cpu["peer_pycobranca"] / cpu["cobalto_stream"], 2)
        ratios["target_vs_peer"] = 3.0
    ratios["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(ratios))


if __name__ == "__main__":
    main()

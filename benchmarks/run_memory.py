"""Wall time and whole-run memory of a command and every process it starts (Linux).

    .venv/bin/python benchmarks/run_memory.py [--json OUT] -- qidu analyze CORPUS -o OUT --workers 2

Per-process peak resident memory (``ru_maxrss``) says little about a run of forked workers
that share their parent's pages: summed, it counts the shared pipeline once per process.
This samples the process tree of the command every ``--interval`` seconds from
``/proc/PID/smaps_rollup`` and reports the peak over time of

- the summed PSS (proportional set size: each shared page divided among the processes that
  map it), the memory the run takes from the machine;
- the summed USS (private pages only), what the run would give back if it ended;
- the largest RSS of a single process, as ``ru_maxrss`` would show it.

It also echoes the command's last line (``qidu analyze`` prints the seconds until its last
document and until its outputs were written) and its wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            out.setdefault(ppid, []).append(int(entry))
    return out


def _tree(root: int) -> list[int]:
    children, todo, seen = _children(), [root], []
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo.extend(children.get(pid, []))
    return seen


def _memory(pid: int) -> dict[str, int] | None:
    """Rss, Pss and USS (Private_Clean + Private_Dirty) of a process, in kB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as f:
            fields = {line.split(":")[0]: int(line.split()[1]) for line in f if line.split(":")[0] in
                      ("Rss", "Pss", "Private_Clean", "Private_Dirty")}
    except (OSError, ValueError, IndexError):
        return None
    return {"rss": fields.get("Rss", 0), "pss": fields.get("Pss", 0),
            "uss": fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)}


def measure(cmd: list[str], interval: float = 0.5) -> dict:
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True)
    peak = {"pss": 0, "uss": 0, "rss_one": 0, "processes": 0}
    by_count: dict[int, int] = {}  # processes alive → peak summed PSS (e.g. the run vs the output files)
    while proc.poll() is None:
        mems = [m for m in (_memory(p) for p in _tree(proc.pid)) if m]
        if mems:
            pss = sum(m["pss"] for m in mems)
            peak["pss"] = max(peak["pss"], pss)
            peak["uss"] = max(peak["uss"], sum(m["uss"] for m in mems))
            peak["rss_one"] = max(peak["rss_one"], max(m["rss"] for m in mems))
            peak["processes"] = max(peak["processes"], len(mems))
            by_count[len(mems)] = max(by_count.get(len(mems), 0), pss)
        time.sleep(interval)
    wall = time.perf_counter() - started
    log.seek(0)
    lines = log.read().replace("\r", "\n").strip().splitlines()
    return {"command": " ".join(cmd), "exit_code": proc.returncode, "wall_s": wall,
            "peak_pss_mb": peak["pss"] / 1024, "peak_uss_mb": peak["uss"] / 1024,
            "peak_rss_one_process_mb": peak["rss_one"] / 1024, "processes": peak["processes"],
            "peak_pss_mb_by_processes_alive": {n: v / 1024 for n, v in sorted(by_count.items())},
            "last_line": lines[-1] if lines else ""}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    ap.add_argument("--interval", type=float, default=0.5)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    if not cmd:
        sys.exit("usage: run_memory.py [--json OUT] -- COMMAND ...")
    res = measure(cmd, args.interval)
    print(f"wall {res['wall_s']:.1f} s; peak of the whole run: PSS {res['peak_pss_mb']:,.0f} MB, USS "
          f"{res['peak_uss_mb']:,.0f} MB; largest process RSS {res['peak_rss_one_process_mb']:,.0f} MB "
          f"({res['processes']} processes)\npeak PSS by processes alive: "
          + ", ".join(f"{n}: {v:,.0f} MB" for n, v in res["peak_pss_mb_by_processes_alive"].items())
          + f"\n{res['last_line']}")
    if args.json:
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Splits in-process handovers into steps, from a trace log of baton_bench:

  BATON_BENCH_LOG=trace build-bench/bench/baton_bench handover --reps 40 --participants 5 \
      2>&1 | bench/handover_profile.py

Uses the bench's "closing the leader's election" line, the C client's "Sending request" and
watcher lines (its own log, bridged at trace level) and baton's "latch acquired" and
"contender N granted" lines, each with its microsecond stamp. Prints a markdown table of
median, p10 and p90 per step (docs/performance.md, "The successor's critical path").
"""
import re
import statistics
import sys

STAMP = re.compile(r"(\d+):(\d+):(\d+\.\d+)")


def stamp(line):
    m = STAMP.match(line)
    if not m:
        return None
    return (int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) * 1000


def handovers(lines):
    i = 0
    while i < len(lines):
        if "closing the leader's election" not in lines[i]:
            i += 1
            continue
        start, seen, j = stamp(lines[i]), {}, i + 1
        while j < len(lines) and j < i + 400:
            line, at = lines[j], stamp(lines[j])
            j += 1
            if at is None:
                continue
            if "delete" not in seen and ("zoo_adelete" in line or "zoo_amulti" in line):
                seen["delete"] = at
            elif "ZOO_DEL" in line and "delete" in seen and "list" not in seen:
                seen["notified"] = at
            elif "zoo_awget_children_" in line and "notified" in seen and "list" not in seen:
                seen["list"] = at
            elif "COMPLETION_STRINGLIST " in line and "list" in seen and "listed" not in seen:
                seen["listed"] = at
            elif "latch acquired" in line and "acquired" not in seen:
                seen["acquired"] = at
            elif re.search(r"contender \d+ granted", line):
                seen["granted"] = at
                break
        keys = ("delete", "notified", "list", "listed", "acquired", "granted")
        if all(k in seen for k in keys):
            yield (seen["delete"] - start, seen["notified"] - seen["delete"],
                   seen["list"] - seen["notified"], seen["listed"] - seen["list"],
                   seen["acquired"] - seen["listed"], seen["granted"] - seen["acquired"],
                   seen["granted"] - start)
        i = j


def main():
    lines = sys.stdin.buffer.read().decode("utf8", "replace").splitlines()
    rows = list(handovers(lines))
    if not rows:
        sys.exit("no complete handover in the log (is BATON_BENCH_LOG=trace set?)")
    names = ["close -> delete sent", "delete sent -> successor notified",
             "notified -> list sent", "list round trip", "list answered -> acquired",
             "acquired -> contender called", "total"]
    print(f"{len(rows)} handovers (ms)\n\n| step | median | p10 | p90 |\n|---|---:|---:|---:|")
    for k, name in enumerate(names):
        values = sorted(r[k] for r in rows)
        p10, p90 = values[len(values) // 10], values[9 * len(values) // 10]
        print(f"| {name} | {statistics.median(values):.3f} | {p10:.3f} | {p90:.3f} |")


if __name__ == "__main__":
    main()

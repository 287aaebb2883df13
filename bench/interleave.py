#!/usr/bin/env python3
"""Times commands interleaved: round after round, each command once, the order rotating every round, so drift of
the machine (this kind of VM moves 10% between minutes) falls on all of them alike. Prints a Markdown table of
the median and fastest wall time and the ratio of each median to the first command's.

Usage: bench/interleave.py ROUNDS 'NAME=COMMAND' ... (commands run through the shell, both outputs to /dev/null, one
warm-up round first)."""
import statistics
import subprocess
import sys
import time


def main() -> None:
    rounds = int(sys.argv[1])
    specs = [arg.split("=", 1) for arg in sys.argv[2:]]
    times = {name: [] for name, _ in specs}
    for round_ in range(-1, rounds):
        shift = max(round_, 0) % len(specs)
        for name, command in specs[shift:] + specs[:shift]:
            start = time.perf_counter()
            subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if round_ >= 0:
                times[name].append(time.perf_counter() - start)
    base = statistics.median(times[specs[0][0]])
    print(f"| command ({rounds} interleaved rounds) | median | fastest | relative to `{specs[0][0]}` |")
    print("|---|---:|---:|---:|")
    for name, _ in specs:
        median = statistics.median(times[name])
        print(f"| `{name}` | {median:.3f} s | {min(times[name]):.3f} s | {median / base:.2f} |")


main()

"""The targets of `make bench`, from the figures run.py wrote for the small and the
large database: `python report.py SMALL.json LARGE.json` (plain Python, no Odoo)."""

import json
import sys


def load(path):
    with open(path) as file:
        return json.load(file)


small, large = load(sys.argv[1]), load(sys.argv[2])


def per_client(results, key):
    """Best seconds per client of the runs `key` (a list of timings, or one)."""
    timings = results[key] if isinstance(results[key], list) else [results[key]]
    return min(timings) / results["clients"]


lower = min(large["lower"])
warm = min(large["warm"])
growth = per_client(large, "warm") / per_client(small, "warm")
first_growth = per_client(large, "first") / per_client(small, "first")
print(
    f"warm cost per client: {per_client(small, 'warm') * 1e6:.1f} µs at {small['clients']:,} "
    f"clients (runs: {', '.join(f'{timing:.2f}' for timing in small['warm'])} s), "
    f"{per_client(large, 'warm') * 1e6:.1f} µs at {large['clients']:,}: "
    f"grows {growth:.2f}x (run 1: {first_growth:.2f}x)"
)
targets = [
    (
        "warm run >= 10,000 clients/s",
        large["clients"] / warm >= 10_000,
        f"{large['clients'] / warm:,.0f} clients/s",
    ),
    ("warm run <= 2.5x the lower bound", warm / lower <= 2.5, f"{warm / lower:.2f}x"),
    ("run 1 <= 4x the lower bound", large["first"] / lower <= 4, f"{large['first'] / lower:.2f}x"),
    ("cost per client grows <= 1.3x from 10k to 100k", growth <= 1.3, f"{growth:.2f}x"),
]
for label, met, figure in targets:
    print(f"{'met   ' if met else 'MISSED'} {label}: {figure}")

#!/usr/bin/env python3
"""Makes the deduplication benchmark's tree: N files (default 100,000) in N/100 directories two levels deep,
sizes spread log-uniformly from 64 B to 16 KiB, random content; 20 % of the files are copies of another file
somewhere in the tree. Seeded, so every run builds the same tree. MIN and MAX change the size range (sizes then
spread uniformly: `1 60` makes files small enough to live inside ext4 inodes with inline_data).
Usage: make_dupes.py DIR [N [MIN MAX]]"""
import os
import random
import sys

root = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
small = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else None
rng = random.Random(21)
per_dir = 100
uniques = []
made = 0
for d in range(total // per_dir):
    path = os.path.join(root, f"a{d // 100:03d}", f"b{d % 100:03d}")
    os.makedirs(path, exist_ok=True)
    for i in range(per_dir):
        if uniques and rng.random() < 0.2:
            data = rng.choice(uniques)
        else:
            size = rng.randint(*small) if small else int(64 * (256 ** rng.random()))
            data = rng.randbytes(size)
            uniques.append(data)
        with open(os.path.join(path, f"f{i:03d}.dat"), "wb") as f:
            f.write(data)
        made += 1
print(f"{made} files, {len(uniques)} distinct, under {root}")

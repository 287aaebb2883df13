#!/usr/bin/env python3
"""Makes the listing benchmark's tree: about N entries in a three-level tree, ~10% symlinks (a tenth of them
dangling, some to directories), ~10% hard-linked files, the rest plain files. Usage: make_tree.py DIR [N]"""
import os
import sys

root = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
per_dir = 1000
dirs = max(1, total // per_dir)
os.makedirs(root, exist_ok=True)
made = 0
for d in range(dirs):
    path = os.path.join(root, f"a{d // 100:03d}", f"b{d % 100:03d}")
    os.makedirs(path, exist_ok=True)
    os.chdir(path)
    for i in range(800):
        with open(f"f{i:04d}.dat", "wb"):
            pass
    for i in range(100):  # hard links: a second name of files 0..99
        os.link(f"f{i:04d}.dat", f"h{i:04d}.dat")
    for i in range(100):  # symlinks: mostly to files, some to directories, a tenth dangling
        if i % 10 == 0:
            target = f"missing{i}"
        elif i % 10 == 1:
            target = ".."
        else:
            target = f"f{i:04d}.dat"
        os.symlink(target, f"l{i:04d}")
    made += 1000
print(f"{made} entries under {root}")

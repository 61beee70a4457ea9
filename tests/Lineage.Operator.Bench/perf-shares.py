#!/usr/bin/env python3
"""Per-process CPU shares from a `perf script -F pid,ip,sym,dso` dump of a bench run (docs/benchmarks/operator.md).

    perf-shares.py DUMP                 the busiest processes: samples and share of all samples
    perf-shares.py DUMP PID [FRAME ...] for one process: each FRAME's inclusive share (a sample counts when any frame
                                        of its stack contains the text), then the top frames by inclusive and self time

Frames are matched as text, so `WatchedObjectConverter` or `__ext4_new_inode` both work. .NET frames are named only when
the run had DOTNET_PerfMapEnabled=1 (and DOTNET_EnableWriteXorExecute=0 for stable addresses).
"""
import collections
import re
import sys

FRAME = re.compile(r'\s*[0-9a-f]+ (.*) \((.*)\)$')
TIER = re.compile(r'\[(QuickJitted|Optimized|OptimizedTier1|Tier1|Tier0|Instrumented|OSR)[^\]]*\]$')


def frame_name(line):
    m = FRAME.match(line)
    if not m:
        return None
    symbol, dso = m.group(1), m.group(2)
    if symbol == '[unknown]':
        return '?' + dso.split('/')[-1]
    return TIER.sub('', symbol)[:140]


def samples(path):
    """Yields (pid, frames innermost first) for each sample of the dump."""
    pid, frames = None, []
    with open(path, errors='replace') as dump:
        for line in dump:
            if not line.strip():
                if pid is not None:
                    yield pid, frames
                pid, frames = None, []
            elif not line.startswith('\t'):  # a sample's first line: its pid, right-aligned (the idle task is "    0")
                pid, frames = line.split()[0], []
            elif (name := frame_name(line)) is not None:
                frames.append(name)
    if pid is not None:
        yield pid, frames


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    path = argv[1]
    if len(argv) == 2:
        per_pid = collections.Counter(pid for pid, _ in samples(path))
        total = sum(per_pid.values())
        for pid, n in per_pid.most_common(5):
            print(f"pid {pid}: {n} samples, {100 * n / total:.1f} % of all")
        return
    wanted, patterns = argv[2], argv[3:]
    count = 0
    matched = collections.Counter()
    inclusive = collections.Counter()
    self_time = collections.Counter()
    for pid, frames in samples(path):
        if pid != wanted:
            continue
        count += 1
        stack = '\n'.join(frames)
        for p in patterns:
            if p in stack:
                matched[p] += 1
        if frames:
            self_time[frames[0]] += 1
        for f in set(frames):
            inclusive[f] += 1
    if count == 0:
        sys.exit(f"no samples of pid {wanted} in {path}")
    print(f"pid {wanted}: {count} samples")
    for p in patterns:
        print(f"{100 * matched[p] / count:6.1f} %  {p}")
    print("--- inclusive")
    for f, n in inclusive.most_common(40):
        print(f"{100 * n / count:6.1f} %  {f}")
    print("--- self")
    for f, n in self_time.most_common(25):
        print(f"{100 * n / count:6.1f} %  {f}")


if __name__ == '__main__':
    try:
        main(sys.argv)
    except BrokenPipeError:  # piped into head
        sys.stderr.close()

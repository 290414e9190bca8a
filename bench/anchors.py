#!/usr/bin/env python3
"""The Python anchors: the same patterns over the same messages.

    bench/anchors.py re|hyperscan --patterns patterns-M.txt
        --messages FILE [--dump-matches OUT] [--messages FILE [--dump-matches OUT]]...
        [--check FILE [--dump-matches OUT]]...
        [--runs 5] [--min-seconds 0.5] [--check-budget 30] [--rejects OUT]

re         Python's `re`: the naive loop, every pattern's search() on every message.
hyperscan  Vectorscan through the PyPI `hyperscan` package (it links Vectorscan
           statically): one block-mode database of all the patterns, flags
           UTF8 | UCP | SINGLEMATCH, one scan() per message. Each pattern is also
           compiled alone first, to list the ones Vectorscan rejects (they are
           left out of the database and reported). Timed scans pass no Python
           callback, so the figure is Vectorscan's matching and not the cost of
           calling into Python once per match; the check pass does collect matches.

For each messages file: one check pass that records the (message, rule id)
pairs (within --check-budget seconds of CPU: a slow anchor checks a prefix of
the messages and says how many), then (for --messages, not --check) --runs timed runs of at least
--min-seconds of CPU each, going round the messages. Times are process CPU
time. Prints one JSON object per line: {"compile": ...}, then one per file.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("engine", choices=("re", "hyperscan"))
    ap.add_argument("--patterns", required=True)
    files = []   # [path, timed, dump] in command-line order

    class File(argparse.Action):
        def __call__(self, parser, ns, value, option):
            files.append([value, option == "--messages", None])

    class Dump(argparse.Action):
        def __call__(self, parser, ns, value, option):
            if not files or files[-1][2]:
                parser.error("--dump-matches must follow its --messages or --check")
            files[-1][2] = value

    ap.add_argument("--messages", action=File, help="a message file: match pass, then timed runs")
    ap.add_argument("--check", action=File, help="a message file for the match pass only")
    ap.add_argument("--dump-matches", action=Dump, help="match pairs of the preceding file")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--min-seconds", type=float, default=0.5)
    ap.add_argument("--check-budget", type=float, default=30.0)
    ap.add_argument("--rejects", help="write the rejected patterns here (index, pattern, error)")
    a = ap.parse_args()
    a.files = files
    return a


class PythonRe:
    """The naive loop in Python."""

    def __init__(self, patterns):
        import re
        self.compiled = [re.compile(p) for p in patterns]
        self.rejected = []

    def matches(self, text):
        return [j for j, c in enumerate(self.compiled) if c.search(text)]

    def work(self, text):
        n = 0
        for c in self.compiled:
            if c.search(text):
                n += 1
        return n


class Vectorscan:
    """One Vectorscan database over every pattern it accepts."""

    def __init__(self, patterns):
        import hyperscan as hs
        flags = hs.HS_FLAG_UTF8 | hs.HS_FLAG_UCP | hs.HS_FLAG_SINGLEMATCH
        self.rejected = []
        keep = []
        t0 = time.process_time()
        for j, p in enumerate(patterns):
            try:
                hs.Database().compile(expressions=[p.encode()], ids=[j], flags=[flags])
                keep.append(j)
            except hs.error as e:
                self.rejected.append((j, p, str(e)))
        self.check_s = time.process_time() - t0
        self.db = hs.Database()
        t0 = time.process_time()
        self.db.compile(expressions=[patterns[j].encode() for j in keep], ids=keep, flags=[flags] * len(keep))
        self.compile_s = time.process_time() - t0
        try:
            self.size = self.db.size()   # not in every version of the binding
        except Exception:
            self.size = None

    def matches(self, text):
        found = []
        self.db.scan(text.encode(), match_event_handler=lambda j, start, end, flags, ctx: found.append(j))
        return sorted(found)

    def work(self, data):
        self.db.scan(data)   # no callback: Vectorscan's work, not Python's
        return 0


def main():
    a = parse_args()
    with open(a.patterns, encoding="utf-8") as f:
        patterns = [line.rstrip("\n") for line in f]
    t0 = time.process_time()
    engine = PythonRe(patterns) if a.engine == "re" else Vectorscan(patterns)
    total = time.process_time() - t0
    info = {"engine": a.engine, "patterns": len(patterns), "rejected": len(engine.rejected),
            "compile_cpu_s": getattr(engine, "compile_s", total)}
    if a.engine == "hyperscan":
        info["single_pattern_check_cpu_s"] = engine.check_s
        info["database_bytes"] = engine.size
        info["rejected_patterns"] = [{"index": j, "pattern": p, "error": e} for j, p, e in engine.rejected[:50]]
    if a.rejects:
        with open(a.rejects, "w", encoding="utf-8") as f:
            f.write("".join(f"{j}\t{p}\t{e}\n" for j, p, e in engine.rejected))
    print(json.dumps({"compile": info}, ensure_ascii=False), flush=True)

    for path, timed, dump in a.files:
        texts = common.read_jsonl_texts(path)
        # The check pass, within the budget.
        pairs, checked = [], 0
        t0 = time.process_time()
        for i, t in enumerate(texts):
            pairs += [(i, j) for j in engine.matches(t)]
            checked += 1
            if time.process_time() - t0 > a.check_budget:
                break
        check_s = time.process_time() - t0
        if dump:
            with open(dump, "w", encoding="utf-8") as f:
                f.write("".join(f"{i}\t{common.rule_id(j)}\n" for i, j in pairs))
        result = {"file": path, "messages": len(texts), "checked": checked, "pairs": len(pairs),
                  "check_cpu_s": check_s}
        if not timed:
            print(json.dumps(result), flush=True)
            continue
        # Timed runs, round and round the messages; the clock is read every 8 messages.
        inputs = [t.encode() for t in texts] if a.engine == "hyperscan" else texts
        rates = []
        for _ in range(a.runs):
            n, start = 0, time.process_time()
            while True:
                for _ in range(8):
                    engine.work(inputs[n % len(inputs)])
                    n += 1
                elapsed = time.process_time() - start
                if elapsed >= a.min_seconds:
                    break
            rates.append(n / elapsed)
        result.update(msgs_per_s_median=common.median(rates), msgs_per_s=[round(r, 1) for r in rates])
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

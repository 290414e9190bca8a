#!/usr/bin/env python3
"""The scaling benchmark: the engine and its anchors over synthetic rule sets.

    bench/run.py [--sizes 100,1000,10000] [--lengths 50,200,500] [--runs 5]
                 [--min-seconds 0.5] [--check-budget 30] [--e2e-seconds 1.0]
                 [--count 50:2000,200:1000,500:400] [--real DIR] [--bin .build/release]

scripts/bench-scale.sh builds the binaries, makes the virtual environment and
calls this; run it directly only with those in place. For every rule-set size
M and message length L it measures, all on the same patterns and messages:

  engine      triage-bench scale (prefilter): TriageEngine.classify in process
  e2e         triage classify --jsonl --rules DIR < messages > /dev/null
  naive       triage-bench scale --strategy plain: every pattern through PCRE2
              (the project's PlainMatcher), the oracle for match sets
  Python re   bench/anchors.py re: the naive loop in Python
  Vectorscan  bench/anchors.py hyperscan: one database, one scan per message

Every engine's (message, rule) match set must equal the oracle's, on the
message sets and on the generator's probe messages; any difference is printed
with the pattern and the text, and the run exits 1. Rates are messages per
second of CPU time, the median of --runs runs. The Markdown table goes to
standard output and to .build-bench/results.md.
"""
import argparse
import collections
import datetime
import json
import math
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

BENCH = os.path.dirname(os.path.abspath(__file__))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--lengths", default="50,200,500")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per measurement; the median is reported")
    ap.add_argument("--min-seconds", type=float, default=0.5, help="CPU seconds per in-process timed run")
    ap.add_argument("--check-budget", type=float, default=30.0,
                    help="CPU seconds for the Python re match pass per message set (it checks a prefix when slower)")
    ap.add_argument("--e2e-seconds", type=float, default=1.0,
                    help="engine CPU seconds of messages per end-to-end run (the message count follows from the engine's rate)")
    ap.add_argument("--count", default="", help="messages per length, L:N,... (see gen_messages.py)")
    ap.add_argument("--real", metavar="DIR", help="use teddy2020 messages (DIR/dev.tsv) instead of the corpus; local runs only")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--lookarounds", type=float, default=0.0,
                    help="share of patterns with a lookaround, which Vectorscan rejects (to see the rejects reported)")
    ap.add_argument("--bin", default=os.path.join(common.ROOT, ".build", "release"))
    ap.add_argument("--python", default=sys.executable, help="the Python that has the hyperscan package")
    ap.add_argument("--no-vectorscan", action="store_true", help="skip the Vectorscan anchor")
    ap.add_argument("--baseline", metavar="DIR",
                    help="a folder with the triage and triage-bench of an earlier build, measured in the same run")
    ap.add_argument("--no-bundled", action="store_true", help="skip the bundled rules (rules/) at L = 200")
    ap.add_argument("--results", default=os.path.join(common.OUT, "results.md"))
    a = ap.parse_args()
    os.environ["BENCH_BIN"] = a.bin  # bench/common.py asks triage-bench for the normaliser's table
    return a


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def json_lines(cmd):
    """Runs `cmd`, echoes its standard error, and returns its JSON output lines."""
    log("  $ " + " ".join(shlex.quote(c) for c in cmd))
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.stderr.strip():
        log(p.stderr.rstrip())
    if p.returncode != 0:
        sys.exit(f"bench: command failed with status {p.returncode}: {' '.join(cmd)}")
    return [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]


def read_pairs(path, limit=None):
    """(message index, rule id) pairs of a dump, for messages below `limit`."""
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            i, rule = line.rstrip("\n").split("\t")
            if limit is None or int(i) < limit:
                out.add((int(i), rule))
    return out


def run_measured(cmd, stdin_path, stdout_path=os.devnull):
    """Runs `cmd` under /usr/bin/time -v: (CPU seconds user+sys from wait4, peak RSS in KiB)."""
    with open(stdin_path, "rb") as fin, open(stdout_path, "wb") as fout, tempfile.TemporaryFile() as ferr:
        p = subprocess.Popen(["/usr/bin/time", "-v"] + cmd, stdin=fin, stdout=fout, stderr=ferr)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        ferr.seek(0)
        err = ferr.read().decode("utf-8", "replace")
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} < {stdin_path} exited {p.returncode}:\n{err}")
    rss = next(int(line.split(":")[1]) for line in err.splitlines() if "Maximum resident set size" in line)
    # wait4's usage covers the child of `time` too (it waited for it); it has microseconds where time -v has 10 ms.
    return ru.ru_utime + ru.ru_stime, rss


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    except OSError:
        pass
    nproc = subprocess.run(["nproc"], stdout=subprocess.PIPE, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", common.ROOT, "rev-parse", "--short", "HEAD"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", common.ROOT, "status", "--porcelain", "--untracked-files=no"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    return {"nproc": nproc, "cpu": model, "kernel": platform.release(), "python": platform.python_version(),
            "commit": commit + ("+changes" if dirty else "")}


def fmt_rate(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:,.1f}"


def fmt_ratio(a, b):
    if not a or not b:
        return "–"
    r = a / b
    return f"{r:.3g}×" if r < 10 else f"{r:,.0f}×"


class Bench:
    def __init__(self, a):
        self.a = a
        self.sizes = [int(x) for x in a.sizes.split(",")]
        self.lengths = [int(x) for x in a.lengths.split(",")]
        self.rules_dir = os.path.join(common.OUT, "rulesets")
        self.msg_dir = os.path.join(common.OUT, "messages")
        self.pair_dir = os.path.join(common.OUT, "pairs")
        os.makedirs(self.pair_dir, exist_ok=True)
        self.bench_bin = os.path.join(a.bin, "triage-bench")
        self.triage_bin = os.path.join(a.bin, "triage")
        self.baseline = os.path.abspath(a.baseline) if a.baseline else None
        self.source = "real" if a.real else "corpus"
        # results[(M, L)][engine] = {...}
        self.results = collections.defaultdict(dict)
        self.compile = collections.defaultdict(dict)    # compile[M][engine]
        self.checks = []      # (M, set name, engine, checked, total, ok)
        self.mismatches = []  # text blocks

    # ------------------------------------------------------------ inputs
    def generate(self):
        log("== generating rule sets and messages")
        subprocess.run([sys.executable, os.path.join(BENCH, "gen_rules.py"), "--sizes", self.a.sizes,
                        "--seed", str(self.a.seed), "--out", self.rules_dir, "--lookarounds", str(self.a.lookarounds)],
                       check=True, stdout=sys.stderr)
        cmd = [sys.executable, os.path.join(BENCH, "gen_messages.py"), "--lengths", self.a.lengths,
               "--seed", str(self.a.seed), "--out", self.msg_dir]
        if self.a.count:
            cmd += ["--count", self.a.count]
        if self.a.real:
            cmd += ["--real", self.a.real]
        subprocess.run(cmd, check=True, stdout=sys.stderr)
        with open(os.path.join(self.rules_dir, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.empty = os.path.join(self.msg_dir, "empty.jsonl")
        open(self.empty, "w").close()

    def messages(self, length):
        return os.path.join(self.msg_dir, f"{self.source}-{length}.jsonl")

    def probes(self):
        return os.path.join(self.rules_dir, "probes.jsonl")

    def pairs(self, m, name, engine):
        return os.path.join(self.pair_dir, f"{m}-{name}-{engine}.tsv")

    # ------------------------------------------------------------ engines
    def file_args(self, m, engine):
        """--messages F --dump-matches P for every length, then --check probes."""
        args = []
        for length in self.lengths:
            args += ["--messages", self.messages(length), "--dump-matches", self.pairs(m, str(length), engine)]
        args += ["--check", self.probes(), "--dump-matches", self.pairs(m, "probes", engine)]
        return args

    def rules_path(self, m):
        """The rule folder of size M, or the bundled rules for M = "bundled"."""
        return os.path.join(common.ROOT, "rules") if m == "bundled" else os.path.join(self.rules_dir, str(m))

    def run_triage_bench(self, m, strategy, engine, bench_bin=None):
        out = json_lines([bench_bin or self.bench_bin, "scale", "--rules", self.rules_path(m),
                          "--strategy", strategy, "--runs", str(self.a.runs), "--min-seconds", str(self.a.min_seconds)]
                         + self.file_args(m, engine))
        self.compile[m][engine] = out[0]["load"]
        self.store(m, engine, out[1:])

    def run_anchor(self, m, kind, engine):
        python = self.a.python
        out = json_lines([python, os.path.join(BENCH, "anchors.py"), kind,
                          "--patterns", os.path.join(self.rules_dir, f"patterns-{m}.txt"),
                          "--runs", str(self.a.runs), "--min-seconds", str(self.a.min_seconds),
                          "--check-budget", str(self.a.check_budget),
                          "--rejects", os.path.join(self.pair_dir, f"{m}-{engine}-rejected.tsv")]
                         + self.file_args(m, engine))
        self.compile[m][engine] = out[0]["compile"]
        self.store(m, engine, out[1:])

    def store(self, m, engine, records):
        for length, r in zip(self.lengths + ["probes"], records):
            self.results[(m, length)][engine] = r

    def run_e2e(self, m, length, triage_bin=None, name="e2e"):
        """triage classify --jsonl: one checked run with output kept, then timed runs
        with output to /dev/null, and as many runs over no messages (the start-up)."""
        rules = self.rules_path(m)
        cmd = [triage_bin or self.triage_bin, "classify", "--jsonl", "--rules", rules]
        if triage_bin is None:
            # Every match in the evidence, for the match-set check (the default keeps 100 spans;
            # builds before issue 13 had no bound and no flag).
            cmd += ["--max-evidence", "100000000"]
        base = self.messages(length)
        out_path = os.path.join(self.pair_dir, f"{m}-{length}-{name}.jsonl")
        run_measured(cmd, base, out_path)
        with open(out_path, encoding="utf-8") as f, open(self.pairs(m, str(length), name), "w", encoding="utf-8") as g:
            for line in f:
                r = json.loads(line)
                if "error" in r:
                    sys.exit(f"bench: triage classify reported an error: {line}")
                for e in r["evidence"]:
                    if e["kind"] == "category":
                        g.write(f"{r['id']}\t{e['rule']}\n")
        os.remove(out_path)
        # Enough messages for about --e2e-seconds of engine time.
        with open(base, encoding="utf-8") as f:
            lines = f.readlines()
        rate = self.results[(m, length)]["engine"]["msgs_per_s_median"]
        n = max(len(lines), int(rate * self.a.e2e_seconds))
        timed = os.path.join(self.msg_dir, f"{name}-{m}-{length}.jsonl")
        with open(timed, "w", encoding="utf-8") as f:
            for i in range(n):
                f.write(lines[i % len(lines)])
        full, start, rss = [], [], []
        for _ in range(self.a.runs):
            cpu, kib = run_measured(cmd, timed)
            full.append(cpu)
            rss.append(kib)
            cpu0, _ = run_measured(cmd, self.empty)
            start.append(cpu0)
        os.remove(timed)
        work = common.median(full) - common.median(start)
        self.results[(m, length)][name] = {
            "messages": n, "cpu_s": full, "startup_cpu_s": start, "rss_kib": rss,
            "msgs_per_s_median": n / work if work > 0 else float("nan"),
            "startup_s_median": common.median(start), "rss_mib_median": common.median(rss) / 1024,
        }
        log(f"  {name} M={m} L={length}: {n} messages, CPU {common.median(full):.3f} s, "
            f"start-up {common.median(start):.3f} s, peak RSS {common.median(rss) / 1024:.1f} MiB")

    # ------------------------------------------------------------ checks
    def check(self, m, name, engines):
        """Compares every engine's match set with the oracle's (naive) on one message set."""
        oracle_path = self.pairs(m, name, "naive")
        texts = common.read_jsonl_texts(self.probes() if name == "probes" else self.messages(int(name)))
        patterns = []
        if m != "bundled":
            with open(os.path.join(self.rules_dir, f"patterns-{m}.txt"), encoding="utf-8") as f:
                patterns = [line.rstrip("\n") for line in f]
        for engine in engines:
            path = self.pairs(m, name, engine)
            if not os.path.exists(path):
                continue
            r = self.results[(m, int(name) if name != "probes" else "probes")].get(engine, {})
            checked = r.get("checked", len(texts))
            rejected = {common.rule_id(int(line.split("\t")[0]))
                        for line in open(os.path.join(self.pair_dir, f"{m}-{engine}-rejected.tsv"), encoding="utf-8")} \
                if engine in ("re", "vectorscan") else set()
            oracle = {p for p in read_pairs(oracle_path, checked) if p[1] not in rejected}
            got = read_pairs(path, checked)
            ok = got == oracle
            self.checks.append((m, name, engine, checked, len(texts), ok, len(oracle)))
            if not ok:
                lines = [f"MISMATCH: {engine} vs naive PCRE2 loop, M={m}, messages {name} "
                         f"({len(got - oracle)} extra, {len(oracle - got)} missing)"]
                for kind, diff in (("only in " + engine, got - oracle), ("only in naive", oracle - got)):
                    for i, rule in sorted(diff)[:10]:
                        pattern = patterns[int(rule[4:])] if patterns else "(bundled rule)"
                        lines.append(f"  {kind}: message {i} {texts[i]!r}  rule {rule}  pattern {pattern!r}")
                self.mismatches.append("\n".join(lines))
                log("\n".join(lines))

    def run_bundled(self):
        """The bundled rules (rules/) on the L = 200 messages, in process and end to end, with
        the naive loop as the oracle (and the baseline build, when given)."""
        log("== bundled rules")
        m, saved = "bundled", self.lengths
        self.lengths = [200] if 200 in saved else saved[:1]
        try:
            self.run_triage_bench(m, "plain", "naive")
            self.run_triage_bench(m, "prefilter", "engine")
            if self.baseline:
                self.run_triage_bench(m, "prefilter", "baseline", os.path.join(self.baseline, "triage-bench"))
            for length in self.lengths:
                self.run_e2e(m, length)
                if self.baseline:
                    self.run_e2e(m, length, os.path.join(self.baseline, "triage"), "baseline-e2e")
                self.check(m, str(length), ["engine", "e2e", "baseline", "baseline-e2e"])
            self.bundled_lengths = self.lengths
        finally:
            self.lengths = saved

    # ------------------------------------------------------------ the run
    def run(self):
        t0 = time.time()
        self.started = datetime.datetime.now().astimezone()
        self.load_before = os.getloadavg()
        self.machine = machine()   # before the run: the commit measured
        self.generate()
        for m in self.sizes:
            log(f"== M = {m:,}")
            self.run_triage_bench(m, "plain", "naive")
            self.run_triage_bench(m, "prefilter", "engine")
            if self.baseline:
                self.run_triage_bench(m, "prefilter", "baseline", os.path.join(self.baseline, "triage-bench"))
            self.run_anchor(m, "re", "re")
            if not self.a.no_vectorscan:
                self.run_anchor(m, "hyperscan", "vectorscan")
            for length in self.lengths:
                self.run_e2e(m, length)
                if self.baseline:
                    self.run_e2e(m, length, os.path.join(self.baseline, "triage"), "baseline-e2e")
            for name in [str(x) for x in self.lengths] + ["probes"]:
                self.check(m, name, ["engine", "e2e", "baseline", "baseline-e2e", "re", "vectorscan"])
        if not self.a.no_bundled:
            self.run_bundled()
        self.load_after = os.getloadavg()
        self.elapsed = time.time() - t0
        report = self.report()
        os.makedirs(os.path.dirname(self.a.results), exist_ok=True)
        # results.md is the latest run; a dated copy keeps earlier ones.
        dated = os.path.join(os.path.dirname(self.a.results), f"results-{self.started:%Y%m%d-%H%M}.md")
        for path in (self.a.results, dated):
            with open(path, "w", encoding="utf-8") as f:
                f.write(report)
        print(report)
        log(f"bench: table written to {os.path.relpath(self.a.results, common.ROOT)}; {self.elapsed / 60:.1f} min")
        if self.mismatches:
            log(f"bench: FAILED: {len(self.mismatches)} match-set disagreement(s) with the naive PCRE2 loop (see above)")
            return 1
        return 0

    # ------------------------------------------------------------ the report
    def report(self):
        a, mach = self.a, self.machine
        lo, hi = self.sizes[0], self.sizes[-1]
        rate = lambda m, length, e: self.results[(m, length)].get(e, {}).get("msgs_per_s_median")  # noqa: E731
        out = [f"# Scaling benchmark: engine and anchors, M = {', '.join(f'{m:,}' for m in self.sizes)} patterns", ""]
        out.append(f"- date: {self.started:%Y-%m-%d %H:%M %Z}; run took {self.elapsed / 60:.1f} min")
        out.append(f"- machine: {mach['nproc']} cores (`nproc`), {mach['cpu']}; Linux {mach['kernel']}; "
                   f"load average {self.load_before[0]:.2f} at the start, {self.load_after[0]:.2f} at the end")
        out.append(f"- project commit {mach['commit']}; Python {mach['python']}")
        command = os.environ.get("BENCH_COMMAND") or "bench/run.py " + " ".join(map(shlex.quote, sys.argv[1:]))
        out.append(f"- command: `{command.strip()}`")
        src = "teddy2020 dev messages (`--real`, local only)" if a.real else "the project corpus"
        out.append(f"- messages: {src}, normalised, joined and cut to exactly L characters; "
                   f"rule sets: seed {self.manifest['seed']}, nested (the first M of one list), "
                   f"{int(self.manifest['absent_share'] * 100)}% of rule words absent from the corpus")
        out.append(f"- figures: messages per second of CPU time, one thread, median of {a.runs} runs "
                   f"(in process: runs of ≥ {a.min_seconds} s; end to end: (CPU with N messages − CPU with none) ÷ N)")
        out.append("")
        out.append("| M | chars | msgs | hits/msg | load ms | engine msg/s | e2e msg/s | e2e start-up s | peak RSS MiB "
                   "| naive PCRE2 msg/s | Python re msg/s | Vectorscan msg/s | engine ÷ naive | engine ÷ Vectorscan |")
        out.append("|" + "---:|" * 14)
        for m in self.sizes:
            load_ms = self.compile[m]["engine"]["cpu_s_median"] * 1000
            for length in self.lengths:
                r = self.results[(m, length)]
                hits = r["naive"]["pairs"] / r["naive"]["messages"]
                e2e = r.get("e2e", {})
                out.append("| " + " | ".join([
                    f"{m:,}", str(length), f"{r['naive']['messages']:,}", f"{hits:.1f}", f"{load_ms:,.0f}",
                    fmt_rate(rate(m, length, "engine")), fmt_rate(e2e.get("msgs_per_s_median")),
                    f"{e2e.get('startup_s_median', float('nan')):.2f}", f"{e2e.get('rss_mib_median', float('nan')):.0f}",
                    fmt_rate(rate(m, length, "naive")), fmt_rate(rate(m, length, "re")),
                    fmt_rate(rate(m, length, "vectorscan")),
                    fmt_ratio(rate(m, length, "engine"), rate(m, length, "naive")),
                    fmt_ratio(rate(m, length, "engine"), rate(m, length, "vectorscan")),
                ]) + " |")
        out.append("")
        out.append(f"How throughput falls from M = {lo:,} to M = {hi:,} (msg/s at M = {hi:,} ÷ msg/s at M = {lo:,}; "
                   "1 would be no slowdown):")
        out.append("")
        out.append("| chars | engine | e2e | naive PCRE2 | Python re | Vectorscan |")
        out.append("|---:|---:|---:|---:|---:|---:|")
        for length in self.lengths:
            cells = []
            for e in ("engine", "e2e", "naive", "re", "vectorscan"):
                cells.append(fmt_ratio(rate(hi, length, e), rate(lo, length, e)))
            out.append(f"| {length} | " + " | ".join(cells) + " |")
        out.append("")
        if self.baseline:
            out.append(f"Against the baseline build (`--baseline {os.path.relpath(self.baseline, common.ROOT)}`), same run, "
                       "same messages (above 1: faster now):")
            out.append("")
            out.append("| M | chars | engine msg/s | baseline engine msg/s | engine ÷ baseline | e2e msg/s | baseline e2e msg/s "
                       "| e2e ÷ baseline | peak RSS MiB | baseline peak RSS MiB |")
            out.append("|" + "---:|" * 10)
            for m in self.sizes:
                for length in self.lengths:
                    r = self.results[(m, length)]
                    e, b = r.get("e2e", {}), r.get("baseline-e2e", {})
                    out.append("| " + " | ".join([
                        f"{m:,}", str(length), fmt_rate(rate(m, length, "engine")), fmt_rate(rate(m, length, "baseline")),
                        fmt_ratio(rate(m, length, "engine"), rate(m, length, "baseline")),
                        fmt_rate(e.get("msgs_per_s_median")), fmt_rate(b.get("msgs_per_s_median")),
                        fmt_ratio(e.get("msgs_per_s_median"), b.get("msgs_per_s_median")),
                        f"{e.get('rss_mib_median', float('nan')):.0f}", f"{b.get('rss_mib_median', float('nan')):.0f}",
                    ]) + " |")
            out.append("")
        if getattr(self, "bundled_lengths", None):
            out.append("The bundled rules (`rules/`, "
                       f"{self.compile['bundled']['engine'].get('rules', '?')} classification rules and every item, department, "
                       "cue, screening and escalation pattern), same messages:")
            out.append("")
            head = "| chars | msgs | load ms | engine msg/s | e2e msg/s | peak RSS MiB | naive PCRE2 msg/s | engine ÷ naive |"
            if self.baseline:
                head += " baseline engine msg/s | engine ÷ baseline | baseline e2e msg/s | e2e ÷ baseline |"
            out.append(head)
            out.append("|" + "---:|" * (head.count("|") - 1))
            for length in self.bundled_lengths:
                r = self.results[("bundled", length)]
                e, b = r.get("e2e", {}), r.get("baseline-e2e", {})
                cells = [str(length), f"{r['naive']['messages']:,}", f"{self.compile['bundled']['engine']['cpu_s_median'] * 1000:,.0f}",
                         fmt_rate(rate("bundled", length, "engine")), fmt_rate(e.get("msgs_per_s_median")),
                         f"{e.get('rss_mib_median', float('nan')):.0f}", fmt_rate(rate("bundled", length, "naive")),
                         fmt_ratio(rate("bundled", length, "engine"), rate("bundled", length, "naive"))]
                if self.baseline:
                    cells += [fmt_rate(rate("bundled", length, "baseline")),
                              fmt_ratio(rate("bundled", length, "engine"), rate("bundled", length, "baseline")),
                              fmt_rate(b.get("msgs_per_s_median")),
                              fmt_ratio(e.get("msgs_per_s_median"), b.get("msgs_per_s_median"))]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
        out.append("Compile and load (CPU seconds):")
        out.append("")
        out.append("| M | engine load (read, compile, JIT) | Python re compile | Vectorscan compile | "
                   "Vectorscan rejects | Vectorscan database |")
        out.append("|---:|---:|---:|---:|---:|---:|")
        for m in self.sizes:
            c = self.compile[m]
            vs = c.get("vectorscan", {})
            size = vs.get("database_bytes")
            out.append(f"| {m:,} | {c['engine']['cpu_s_median']:.3f} | {c['re']['compile_cpu_s']:.3f} | "
                       f"{vs.get('compile_cpu_s', float('nan')):.1f} | {vs.get('rejected', '–')} | "
                       + (f"{size / 2**20:.1f} MiB |" if size else "– |"))
        rejected = [(m, p) for m in self.sizes for p in self.compile[m].get("vectorscan", {}).get("rejected_patterns", [])]
        if rejected:
            out.append("")
            total = sum(self.compile[m].get("vectorscan", {}).get("rejected", 0) for m in self.sizes)
            out.append(f"Patterns Vectorscan rejects (left out of its database and of its match check; "
                       f"{min(20, len(rejected))} of {total} shown, all in .build-bench/pairs/M-vectorscan-rejected.tsv):")
            out.append("")
            for m, p in rejected[:20]:
                out.append(f"- M={m:,}: `{p['pattern']}`: {p['error']}")
        out.append("")
        by_engine = collections.defaultdict(list)
        for m, name, engine, checked, total, ok, pairs in self.checks:
            by_engine[engine].append((m, name, checked, total, ok, pairs))
        out.append("Match sets, (message, pattern) pairs compared with the naive PCRE2 loop on every message set "
                   f"and on {self.manifest['probes']:,} probe messages (edge cases of the first "
                   f"{self.manifest['probe_patterns']:,} patterns):")
        out.append("")
        names = {"engine": "engine (prefilter)", "e2e": "triage classify --jsonl", "baseline": "baseline engine",
                 "baseline-e2e": "baseline triage classify --jsonl", "re": "Python re", "vectorscan": "Vectorscan"}
        for engine in ("engine", "e2e", "baseline", "baseline-e2e", "re", "vectorscan"):
            rows = by_engine.get(engine)
            if not rows:
                continue
            bad = [r for r in rows if not r[4]]
            partial = [f"M={m:,}/{name}: {checked:,} of {total:,}" for m, name, checked, total, ok, _ in rows if checked < total]
            pairs = sum(r[5] for r in rows)
            verdict = "**identical**" if not bad else f"**DIFFERENT in {len(bad)} of {len(rows)} sets**"
            note = f" (within the check budget, a prefix of the messages: {'; '.join(partial)})" if partial else ""
            out.append(f"- {names[engine]}: {verdict}, {len(rows)} sets, {pairs:,} pairs{note}")
        if self.mismatches:
            out.append("")
            out.append("```")
            out += self.mismatches
            out.append("```")
        out.append("")
        return "\n".join(out)


if __name__ == "__main__":
    sys.exit(Bench(parse_args()).run())

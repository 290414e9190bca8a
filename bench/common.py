"""Helpers shared by the benchmark's generators, anchors and runner.

Only the Python standard library: the generators must run on a bare machine,
and only the Vectorscan anchor needs the virtual environment.
"""
import glob
import json
import os
import re
import unicodedata

# The project root: this file is bench/common.py.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Everything the benchmark writes goes under here (git-ignored through `.build-*/`).
OUT = os.path.join(ROOT, ".build-bench")

CATEGORIES = ["technical", "business", "complaint", "suggestion"]


def _is_space(ch):
    """White space and control characters, as TriageKit's normaliser sees them."""
    v = ord(ch)
    if v <= 0x20 or v == 0x7F or 0x80 <= v <= 0x9F:
        return True
    if v < 0x7F or 0x3001 <= v <= 0xFEFE:
        return False
    return v in (0x3000, 0xFEFF, 0x200B) or ch.isspace()


_T2S = None


def _t2s():
    """The engine's one-for-one traditional-to-simplified table ({code point: code point}).

    It comes from OpenCC through the engine itself (`triage-bench variants`), cached in
    .build-bench/t2s.txt; BENCH_BIN names the folder of the binary (default .build/release).
    """
    global _T2S
    if _T2S is None:
        import subprocess
        path = os.path.join(OUT, "t2s.txt")
        binary = os.path.join(os.environ.get("BENCH_BIN", os.path.join(ROOT, ".build", "release")), "triage-bench")
        if not os.path.exists(path) or (os.path.exists(binary) and os.path.getmtime(binary) > os.path.getmtime(path)):
            os.makedirs(OUT, exist_ok=True)
            out = subprocess.run([binary, "variants"], stdout=subprocess.PIPE, check=True).stdout
            with open(path, "wb") as f:
                f.write(out)
        _T2S = {}
        with open(path, encoding="ascii") as f:
            for line in f:
                t, s = line.split()
                _T2S[int(t, 16)] = int(s, 16)
    return _T2S


def normalise(text):
    """The engine's normalisation: NFKC per character, lower case, every run of
    white space one space, none at either end (mirrors Normalizer.swift).

    The message sets are written in this form so that every engine (the
    project's and the anchors) matches the same text; `triage-bench scale`
    checks that the engine's own normaliser leaves them unchanged.
    """
    out = []
    pending = False
    t2s = _t2s()

    def push(ch):
        nonlocal pending
        if _is_space(ch):
            pending = pending or bool(out)
            return
        if pending:
            out.append(" ")
            pending = False
        out.append(ch)

    for ch in text:
        v = ord(ch)
        if 0x4000 <= v <= 0x9FFF:
            push(chr(t2s.get(v, v)))  # ideographs are unchanged by NFKC; traditional ones are simplified
        elif v in (0x3001, 0x3002):
            push(ch)  # 、。 are unchanged by NFKC
        elif v < 0x80:
            push(ch.lower())
        elif 0xFF01 <= v <= 0xFF5E:
            push(chr(v - 0xFEE0).lower())  # full-width ASCII
        else:
            for m in unicodedata.normalize("NFKC", ch).lower():
                push(chr(t2s.get(ord(m), ord(m))))
    return "".join(out)


def corpus_texts(root=ROOT):
    """The `text` of every message of the project corpus (corpus/**/*.jsonl), in
    path order then line order: deterministic, and committed with the project."""
    texts = []
    for path in sorted(glob.glob(os.path.join(root, "corpus", "**", "*.jsonl"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                m = json.loads(line)
                if isinstance(m, dict) and isinstance(m.get("text"), str):
                    texts.append(m["text"])
    return texts


def real_texts(path):
    """Messages of the teddy2020 TSV (`label<TAB>text` per line); `path` is the
    file or the folder holding dev.tsv. For local runs only: whatever is made
    from them stays under .build-bench/."""
    if os.path.isdir(path):
        path = os.path.join(path, "dev.tsv")
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 1)
            if len(parts) == 2 and parts[1].strip():
                texts.append(parts[1])
    return texts


CJK_RUN = re.compile("[\u4e00-\u9fff]+")


def cjk_ngrams(text, sizes=(2, 3)):
    """Every CJK 2- and 3-gram of `text` (within runs of ideographs)."""
    for run in CJK_RUN.findall(text):
        for n in sizes:
            for i in range(len(run) - n + 1):
                yield run[i:i + n]


def write_jsonl(path, texts):
    """Writes {"id": i, "text": t} per line; ids are the message indices used in match dumps."""
    with open(path, "w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")


def read_jsonl_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def rule_id(index):
    """The id of synthetic pattern `index`: each pattern is its own rule."""
    return f"syn_{index:05d}"


def median(values):
    """The middle value (the upper middle for an even count, as triage-bench takes it)."""
    s = sorted(values)
    return s[len(s) // 2]

#!/usr/bin/env python3
"""Message sets of exactly L characters, already in the engine's normal form.

    bench/gen_messages.py [--lengths 50,200,500] [--count 50:2000,200:1000,500:400]
                          [--real DIR] [--seed 14] [--out .build-bench/messages]

Source: the project corpus (corpus/**/*.jsonl, field `text`), or with --real
the teddy2020 messages (DIR/dev.tsv, or the TSV itself) for local runs. Each
source message is normalised (NFKC, lower case, white space collapsed: what
the engine matches against), then the messages are joined end to end in a
seeded shuffled order (a new order on each pass through the source) and cut
into pieces of exactly L characters. A piece never starts or ends with a space,
so normalising it again changes nothing and every engine sees the same text.

Writes OUT/SOURCE-L.jsonl ({"id": i, "text": ...}; SOURCE is `corpus` or
`real`). Messages made from --real stay under .build-bench/ (git-ignored):
they are evaluation data and must never be committed.
"""
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

DEFAULT_COUNTS = {50: 2000, 200: 1000, 500: 400}


def pieces(texts, length, count, seed):
    """`count` pieces of `length` characters cut from the shuffled, joined texts."""
    rnd = random.Random(f"{seed}-{length}")
    out, piece = [], []
    while len(out) < count:
        order = list(range(len(texts)))
        rnd.shuffle(order)
        for i in order:
            for ch in texts[i]:
                if ch == " " and not piece:
                    continue          # never start with a space
                piece.append(ch)
                if len(piece) == length:
                    if piece[-1] == " ":
                        piece.pop()   # never end with one either: take the next character instead
                        continue
                    out.append("".join(piece))
                    piece = []
                    if len(out) == count:
                        return out
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lengths", default="50,200,500")
    ap.add_argument("--count", default="", help="L:N,... messages per length (default 50:2000,200:1000,500:400), or one N for all")
    ap.add_argument("--real", metavar="DIR", help="teddy2020 folder (with dev.tsv) or the TSV file itself")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--out", default=os.path.join(common.OUT, "messages"))
    a = ap.parse_args()

    lengths = [int(x) for x in a.lengths.split(",")]
    counts = dict(DEFAULT_COUNTS)
    if a.count:
        if ":" in a.count:
            counts.update({int(k): int(v) for k, v in (kv.split(":") for kv in a.count.split(","))})
        else:
            counts = {length: int(a.count) for length in lengths}
    if a.real:
        out_abs = os.path.abspath(a.out)
        if not out_abs.startswith(common.OUT + os.sep):
            sys.exit("gen_messages: messages from --real must stay under .build-bench/ (never committed)")
        source, raw = "real", common.real_texts(a.real)
    else:
        source, raw = "corpus", common.corpus_texts()
    texts = [t for t in (common.normalise(t) for t in raw) if t]
    os.makedirs(a.out, exist_ok=True)
    for length in lengths:
        n = counts.get(length, 500)
        msgs = pieces(texts, length, n, a.seed)
        assert all(len(m) == length and common.normalise(m) == m for m in msgs)
        path = os.path.join(a.out, f"{source}-{length}.jsonl")
        common.write_jsonl(path, msgs)
        print(f"{path}: {len(msgs)} messages of {length} characters from {len(texts)} {source} messages")


if __name__ == "__main__":
    main()

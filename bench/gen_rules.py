#!/usr/bin/env python3
"""Seeded synthetic rule sets in the project's rule format (docs/rules.md).

    bench/gen_rules.py [--out .build-bench/rulesets] [--sizes 100,1000,10000] [--seed 14]

One seeded list of max(sizes) patterns is drawn; the rule set of size M holds
its first M patterns, so the sets are nested and M=100 is a part of M=1,000.
Each pattern is one classification rule `syn_NNNNN` (its index), so the rules
whose evidence appears in a result are exactly the patterns that matched.

Written under OUT:
  M/                 a rule set folder: ruleset.yaml, categories.yaml (the
                     bundled category ids), kb.yaml (a minimal knowledge base:
                     the handlers and a few departments and items, so that
                     messages still route), classify/synthetic.yaml (M rules)
  patterns-M.txt     the M patterns, one a line, in rule order (for the anchors)
  kinds-M.txt        the template each pattern came from
  probes.jsonl       messages made to sit on each template's edges (a gap one
                     character too long, a full stop inside a negated gap,
                     non-ASCII digits ...) for the first --probe-patterns
                     patterns: the match-set check runs them too
  manifest.json      seed, sizes, mix and vocabulary figures

The words come from the project corpus (corpus/**/*.jsonl, committed), so the
rule sets are the same on every machine and do not depend on --real messages.

Patterns keep to a PCRE2 subset that Python `re` and Hyperscan/Vectorscan read
the same way: literals, groups and alternation, `.`, `\\d`, bracket classes of
literal characters and ranges, counted and plain quantifiers, `^` and `$`.
`check_subset` enforces it for every pattern; lookarounds (which Hyperscan
rejects) come in only with --lookarounds.
"""
import argparse
import collections
import json
import math
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

# The template mix, in percent: literal alternations dominate real rule sets,
# then word pairs with a gap; a few digit patterns and a few with no literal
# any match must contain (the ones a literal prefilter cannot skip).
MIX = {
    "alt": 35,        # (w1|w2|w3)
    "seq": 10,        # (w1|w2)(w3|w4): two alternations in a row
    "dot": 25,        # w1.{0,k}w2
    "neg": 15,        # w1[^。!?]{0,k}w2: a gap that stays inside one sentence
    "digit": 8,       # w\d{1,4}, \d+w, ...: a number next to a word
    "noliteral": 5,   # \d{3,}, [a-z]{2,}\d{4,}, ...: no literal at all
    "anchor": 2,      # ^w, w$
}

# After normalisation the full-width ！？ are ASCII; 。 stays. A "sentence" gap
# excludes these sentence ends (commas are allowed inside it).
SENTENCE_END = "。!?"
NEG_GAP = "[^" + SENTENCE_END + "]"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(common.OUT, "rulesets"))
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--skip-common", type=int, default=150,
                    help="leave out the most frequent corpus n-grams (我们, 一个 ...), too common for rule words")
    ap.add_argument("--absent", type=float, default=0.5,
                    help="share of rule words that do not occur in the corpus (they keep the hit rate realistic)")
    ap.add_argument("--lookarounds", type=float, default=0.0,
                    help="share of patterns with a lookaround (Hyperscan rejects them); default none")
    ap.add_argument("--probe-patterns", type=int, default=1000)
    return ap.parse_args()


class Vocabulary:
    """Words drawn from the corpus, and pseudo-words that look like them but never occur."""

    def __init__(self, texts, rnd, skip_common, absent_share):
        self.rnd = rnd
        self.absent_share = absent_share
        self.texts = texts
        counts = collections.Counter()
        for t in texts:
            counts.update(common.cjk_ngrams(t))
        # most_common keeps first-seen order among equal counts: deterministic.
        ranked = [w for w, _ in counts.most_common()]
        self.present = ranked[skip_common:]
        self.present_set = set(ranked)
        self.chars = [c for c, _ in collections.Counter(
            ch for t in texts for ch in t if "\u4e00" <= ch <= "\u9fff").most_common(1500)]
        bigrams = [w for w in ranked if len(w) == 2]
        self.bigrams = bigrams[:5000]
        # Digit neighbours: the words the corpus writes right after or before a number.
        after = collections.Counter(m.group(1) for t in texts for m in re.finditer(r"\d([\u4e00-\u9fff]{1,2})", t))
        before = collections.Counter(m.group(1) for t in texts for m in re.finditer(r"([\u4e00-\u9fff]{1,2})\d", t))
        self.after_digit = [w for w, _ in after.most_common(300)]
        self.before_digit = [w for w, _ in before.most_common(300)]

    def present_word(self):
        """A corpus n-gram, log-uniform over frequency rank: frequent words are
        drawn more often, but the long tail is used too."""
        r = int(math.exp(self.rnd.uniform(0, math.log(len(self.present)))))
        return self.present[min(r, len(self.present) - 1)]

    def absent_word(self):
        """A corpus bigram plus a frequent character, such that the trigram never
        occurs in the corpus: a realistic prefix that a prefilter must still check."""
        while True:
            w = self.rnd.choice(self.bigrams) + self.rnd.choice(self.chars[:600])
            if w not in self.present_set:
                return w

    def word(self):
        return self.absent_word() if self.rnd.random() < self.absent_share else self.present_word()

    def distinct(self, k):
        out = []
        while len(out) < k:
            w = self.word()
            if w not in out:
                out.append(w)
        return out

    def pair(self, max_gap, gap_ok):
        """Two words that occur in one corpus message at most `max_gap` characters
        apart, with a gap that `gap_ok` accepts: a rule that can fire."""
        while True:
            t = self.rnd.choice(self.texts)
            if len(t) < 10:
                continue
            n1, n2 = self.rnd.choice((2, 3)), self.rnd.choice((2, 3))
            i = self.rnd.randrange(len(t) - n1 - n2)
            g = self.rnd.randint(0, max_gap)
            a, gap, b = t[i:i + n1], t[i + n1:i + n1 + g], t[i + n1 + g:i + n1 + g + n2]
            if (len(b) == n2 and a != b and common.CJK_RUN.fullmatch(a) and common.CJK_RUN.fullmatch(b)
                    and gap_ok(gap)):
                return a, b


def make_pattern(kind, v, rnd):
    """One pattern of template `kind`."""
    if kind == "alt":
        return "(" + "|".join(v.distinct(rnd.choice((2, 3, 4)))) + ")"
    if kind == "seq":
        if rnd.random() < v.absent_share:
            a, b = v.distinct(2), v.distinct(2)
        else:
            w1, w2 = v.pair(0, lambda gap: True)   # adjacent in the corpus
            a, b = [w1, v.word()], [w2, v.word()]
            rnd.shuffle(a)
            rnd.shuffle(b)
        if len(set(a)) < 2 or len(set(b)) < 2:
            return None
        return "(" + "|".join(a) + ")(" + "|".join(b) + ")"
    if kind == "dot":
        k = rnd.choice((3, 5, 10, 20))
        a, b = v.pair(k, lambda gap: True)
        if rnd.random() < v.absent_share:
            a = v.absent_word()
        return f"{a}.{{0,{k}}}{b}"
    if kind == "neg":
        k = rnd.choice((4, 8, 12))
        a, b = v.pair(k, lambda gap: not any(c in SENTENCE_END for c in gap))
        if rnd.random() < v.absent_share:
            b = v.absent_word()
        return f"{a}{NEG_GAP}{{0,{k}}}{b}"
    if kind == "digit":
        t = rnd.randrange(4)
        if t == 0:
            return rnd.choice(v.before_digit) + "\\d{1,%d}" % rnd.randint(2, 6)
        if t == 1:
            return "\\d+" + rnd.choice(v.after_digit)
        if t == 2:
            return "\\d{%d}" % rnd.randint(1, 4) + rnd.choice(v.after_digit)
        return rnd.choice(v.before_digit) + "\\d{%d,}" % rnd.randint(1, 5) + rnd.choice(v.after_digit)
    if kind == "noliteral":
        t = rnd.randrange(6)
        x = rnd.randint(2, 9)
        if t == 0:
            return "\\d{%d,}" % rnd.randint(3, 14)
        if t == 1:
            return "1[%d-9]\\d{%d}" % (rnd.randint(3, 5), rnd.randint(4, 11))
        if t == 2:
            return "[a-z]{%d,}\\d{%d,%d}" % (rnd.randint(1, 4), x, x + rnd.randint(0, 5))
        if t == 3:
            return "\\d{%d,%d}[a-z]{%d}" % (x, x + rnd.randint(0, 5), rnd.randint(1, 3))
        if t == 4:
            return "\\d{%d}[.:/]\\d{%d,%d}" % (rnd.randint(1, 4), x, x + rnd.randint(0, 3))
        # an ideograph range next to a number (written with literal characters,
        # which all three engines read the same way; \x{...} would not be)
        lo = rnd.randint(0x4E00, 0x9E00)
        hi = lo + rnd.randint(0x40, 0x1000)
        return "[%s-%s]{%d}\\d{%d,}" % (chr(lo), chr(min(hi, 0x9FFF)), rnd.randint(1, 3), x)
    if kind == "anchor":
        w = v.present_word()
        return ("^" + w) if rnd.random() < 0.5 else (w + "$")
    if kind == "lookaround":
        a, b = v.pair(0, lambda gap: True)
        return rnd.choice((f"(?<!{a[-1]}){b}", f"{a}(?!{b[0]})"))
    raise ValueError(kind)


# ----------------------------------------------------------------------------
# The subset check.

_QUANT = re.compile(r"\{\d+(,\d*)?\}")


def check_subset(p, allow_lookaround=False):
    """Raises ValueError unless `p` uses only the constructs the three engines
    agree on (see the module docstring) and cannot match the empty string."""
    i, depth = 0, 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            if p[i + 1:i + 2] != "d":
                raise ValueError(f"escape \\{p[i + 1:i + 2]} outside the subset")
            i += 2
            continue
        if c == "[":
            j = i + 1
            if p[j:j + 1] == "^":
                j += 1
            start = j
            while j < len(p) and p[j] != "]":
                if p[j] in "\\[" or (p[j] == "-" and (j == start or p[j + 1:j + 2] == "]")):
                    raise ValueError("bracket class outside the subset")
                j += 1
            if j == len(p) or j == start:
                raise ValueError("unterminated or empty bracket class")
            i = j + 1
            continue
        if c == "(":
            depth += 1
            if p.startswith("(?", i):
                look = next((t for t in ("(?<!", "(?<=", "(?!", "(?=") if p.startswith(t, i)), None)
                if look and allow_lookaround:
                    i += len(look)
                    continue
                if not p.startswith("(?:", i):
                    raise ValueError("group syntax outside the subset")
                i += 3
                continue
            i += 1
            continue
        if c == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced )")
            i += 1
            continue
        if c == "{":
            m = _QUANT.match(p, i)
            if not m:
                raise ValueError("bad counted quantifier")
            i = m.end()
            continue
        if c in "|.^$*+?" or "\u4e00" <= c <= "\u9fff" or c in "abcdefghijklmnopqrstuvwxyz0123456789、,:/-":
            i += 1
            continue
        raise ValueError(f"character {c!r} outside the subset")
    if depth:
        raise ValueError("unbalanced (")
    compiled = re.compile(p)
    if compiled.search(""):
        raise ValueError("matches the empty string (Hyperscan rejects such patterns)")


# ----------------------------------------------------------------------------
# Probes: messages on each template's edges.

def probes_for(p, kind, v, rnd):
    """A few short messages around pattern `p`. Which of them match is decided by
    the oracle, not here: they only make sure the edge cases are present."""
    def filler(n, alphabet=None):
        return "".join(rnd.choice(alphabet or v.chars[:800]) for _ in range(n))

    words = re.findall(r"[\u4e00-\u9fff]+", p)
    out = []
    if kind in ("dot", "neg"):
        k = int(re.search(r"\{0,(\d+)\}", p).group(1))
        a, b = re.split(r"\.\{0,\d+\}|\[\^[^\]]*\]\{0,\d+\}", p)
        out += [a + filler(k) + b, a + filler(k + 1) + b, a + b,
                a + filler(k // 2) + "。" + filler(k // 2) + b,
                a + filler(k // 2) + "," + b, a + "1a " + b]
    elif kind in ("alt", "seq"):
        out += [filler(3) + w + filler(3) for w in words[:2]] + ["".join(words[:2])]
        if kind == "seq":
            left, right = re.findall(r"\(([^)]*)\)", p)
            out.append(left.split("|")[0] + right.split("|")[-1])
    elif kind in ("digit", "noliteral"):
        w = words[0] if words else ""
        digits = ["7", "12", "2024", "13812345678", "٣٤٥", "३४५६७", "１２３"]
        for d in digits:
            if len(words) > 1:
                out.append(filler(2) + words[0] + d + words[-1] + filler(2))
            else:
                out += [filler(2) + w + d + filler(2), filler(2) + d + w + filler(2)]
        out += [filler(2) + "abc12345678" + filler(2), "12:345678", "9/8765432" + filler(1),
                "abcd123456789xyz", "1.23456789012", "1" + "8" * 12]
    elif kind == "anchor":
        w = words[0]
        out += [w + filler(4), filler(4) + w, filler(1) + w + filler(1), w]
    else:
        out += [filler(3) + "".join(words) + filler(3)]
    return [common.normalise(t) for t in out if common.normalise(t)]


# ----------------------------------------------------------------------------
# Writing a rule set.

def q(s):
    """A single-quoted YAML scalar (patterns keep their backslashes)."""
    assert "'" not in s
    return "'" + s + "'"


RULESET = """\
# Synthetic rule set for the scaling benchmark (bench/gen_rules.py, seed {seed}).
# Settings as in the bundled rules/ruleset.yaml, so results decide the same way.
ruleset:
  name: synthetic benchmark rule set (M = {m})
  format: 1
  decision:
    min_score: 1.0
    precedence: [technical, complaint, suggestion, business]
    fallback_category: business
    lead_balance: 0.95
    multi_ratio: 0.9
    passed_balance: 0.5
    process_lead_ratio: 2.0
    weights: {{item: 2.0, department: 2.0, repeated: 0.5, first: 0.5, combined: 3.0}}
    vague: {{min_chars: 6, no_matter_below: 16}}
  handlers:
    coordinator: admin_service_center
"""

CATEGORIES_YAML = """\
# The bundled categories (ids as in rules/categories.yaml), with their routes.
categories:
  - id: technical
    name: 技术问题
    route: {channel: direct, handler: egov_center, co_handlers: [egov_office]}
  - id: business
    name: 业务咨询
    route: {channel: hotline, handler: owner}
  - id: complaint
    name: 投诉
    route: {channel: hotline, handler: owner}
  - id: suggestion
    name: 建议
    route: {channel: hotline, handler: owner}
"""

# A minimal knowledge base: the handlers the settings and routes name, and a
# few departments and items so that messages get a lead and evidence.
KB_YAML = """\
departments:
  - {id: egov_center, name: 区电子政务中心, role: process, aliases: [电子政务中心, 一网通办]}
  - {id: egov_office, name: 区政务服务办, aliases: [政务服务办]}
  - {id: admin_service_center, name: 区行政服务中心, role: process, aliases: [行政服务中心, 市民中心]}
  - {id: city_ops, name: 区城运中心, role: process, aliases: [12345, 热线]}
  - {id: market, name: 区市场监管局, aliases: [市场监管局, 市监局, 工商局]}
  - {id: tax, name: 区税务局, aliases: [税务局, 税务]}
  - {id: housing, name: 区房屋管理局, aliases: [房管局]}
  - {id: hrss, name: 区人社局, aliases: [人社局, 社保中心]}
  - {id: education, name: 区教育局, aliases: [教育局]}
  - {id: public_security, name: 浦东公安分局, aliases: [派出所, 公安局]}
items:
  - {id: business_license, name: 营业执照, department: market, aliases: [营业执照, 执照]}
  - {id: invoice, name: 发票, department: tax, aliases: [发票, 开票]}
  - {id: social_insurance, name: 社保缴纳, department: hrss, aliases: [社保, 养老保险, 医保]}
  - {id: school_enrolment, name: 入学, department: education, aliases: [入学, 幼儿园, 学校]}
  - {id: residence_permit, name: 居住证, department: public_security, aliases: [居住证, 户口]}
  - {id: housing_repair, name: 房屋维修, department: housing, aliases: [物业, 维修基金]}
  - {id: online_hall, name: 网上办事, department: egov_center, aliases: [随申办, 网上办事大厅, 小程序]}
"""


def rules_yaml(patterns, seed):
    rnd = random.Random(seed + 1)   # categories and weights: their own stream, so they do not move the patterns
    lines = ["# Synthetic classification rules (bench/gen_rules.py): one pattern each,",
             "# id syn_NNNNN = the pattern's index in patterns-M.txt.", "rules:"]
    for i, p in enumerate(patterns):
        lines += [f"  - id: {common.rule_id(i)}",
                  f"    category: {rnd.choice(common.CATEGORIES)}",
                  f"    weight: {rnd.choice((1, 2, 3))}",
                  f"    patterns: [{q(p)}]"]
    return "\n".join(lines) + "\n"


def write_ruleset(folder, patterns, m, seed):
    os.makedirs(os.path.join(folder, "classify"), exist_ok=True)
    files = {
        "ruleset.yaml": RULESET.format(seed=seed, m=m),
        "categories.yaml": CATEGORIES_YAML,
        "kb.yaml": KB_YAML,
        os.path.join("classify", "synthetic.yaml"): rules_yaml(patterns, seed),
    }
    for name, text in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(text)


def main():
    a = parse_args()
    sizes = sorted(int(s) for s in a.sizes.split(","))
    rnd = random.Random(a.seed)
    texts = [common.normalise(t) for t in common.corpus_texts()]
    vocab = Vocabulary(texts, rnd, a.skip_common, a.absent)

    kinds = [k for k, share in MIX.items() for _ in range(share)]
    patterns, pattern_kinds, seen = [], [], set()
    while len(patterns) < sizes[-1]:
        kind = "lookaround" if rnd.random() < a.lookarounds else rnd.choice(kinds)
        p = make_pattern(kind, vocab, rnd)
        if p is None or p in seen:
            continue
        check_subset(p, allow_lookaround=a.lookarounds > 0)
        seen.add(p)
        patterns.append(p)
        pattern_kinds.append(kind)

    os.makedirs(a.out, exist_ok=True)
    for m in sizes:
        folder = os.path.join(a.out, str(m))
        write_ruleset(folder, patterns[:m], m, a.seed)
        with open(os.path.join(a.out, f"patterns-{m}.txt"), "w", encoding="utf-8") as f:
            f.write("".join(p + "\n" for p in patterns[:m]))
        with open(os.path.join(a.out, f"kinds-{m}.txt"), "w", encoding="utf-8") as f:
            f.write("".join(k + "\n" for k in pattern_kinds[:m]))
        mix = collections.Counter(pattern_kinds[:m])
        print(f"M={m}: " + ", ".join(f"{k} {mix[k]}" for k in list(MIX) + ["lookaround"] if mix[k]))

    # Probes, from their own random stream so that they do not change the patterns.
    prnd = random.Random(a.seed + 2)
    probes, seen_probe = [], set()
    for p, kind in list(zip(patterns, pattern_kinds))[:a.probe_patterns]:
        for t in probes_for(p, kind, vocab, prnd):
            if t not in seen_probe:
                seen_probe.add(t)
                probes.append(t)
    common.write_jsonl(os.path.join(a.out, "probes.jsonl"), probes)

    manifest = {
        "seed": a.seed, "sizes": sizes, "mix_percent": MIX, "lookarounds": a.lookarounds,
        "absent_share": a.absent, "skip_common": a.skip_common,
        "vocabulary_present": len(vocab.present), "probes": len(probes),
        "probe_patterns": min(a.probe_patterns, len(patterns)),
    }
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
    print(f"probes: {len(probes)} messages for the first {manifest['probe_patterns']} patterns; "
          f"vocabulary {len(vocab.present)} corpus n-grams, {a.absent:.0%} of words absent from the corpus")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Rewrites every single-quoted pattern list item of rules/ on a line longer than 120
characters as a literal block (|-), split after an alternation bar or between two groups,
never next to a space of the pattern. The loader removes a literal block's line breaks
(docs/rules.md, "Layout"), so the compiled pattern is unchanged; the script asserts that the
pieces join back to the original. Run from the repository root, then `triage check --strict`
and scripts/same-results.sh to confirm nothing moved."""
import glob, re, sys
WIDTH = 120
PIECE = 76

def split(p):
    pieces, start, last = [], 0, None
    i = 0
    n = len(p)
    in_class = False
    while i < n:
        c = p[i]
        if c == '\\':
            i += 2
            continue
        if in_class:
            if c == ']': in_class = False
            i += 1
            continue
        if c == '[':
            in_class = True
            i += 1
            if i < n and p[i] == '^': i += 1
            if i < n and p[i] == ']': i += 1
            continue
        cut = None
        if c == '|': cut = i + 1
        elif c == ')' and i + 1 < n and p[i + 1] == '(': cut = i + 1
        if cut is not None and 0 < cut < n and p[cut - 1] not in ' \t' and p[cut] not in ' \t':
            last = cut
        if i + 1 - start >= PIECE and last is not None and last > start:
            pieces.append(p[start:last]); start = last; last = None
        i += 1
    pieces.append(p[start:])
    return pieces

changed = 0
for f in sorted(glob.glob('rules/**/*.yaml', recursive=True)):
    lines = open(f, encoding='utf-8').read().split('\n')
    out = []
    for l in lines:
        m = re.match(r"^(\s*)- '(.*)'\s*$", l)
        if len(l) > WIDTH and m:
            indent, body = m.group(1), m.group(2).replace("''", "'")
            pieces = split(body)
            assert ''.join(pieces) == body
            out.append(f"{indent}- |-")
            for piece in pieces:
                out.append(f"{indent}  {piece}")
            changed += 1
        else:
            out.append(l)
    open(f, 'w', encoding='utf-8').write('\n'.join(out))
print(changed, 'patterns wrapped', file=sys.stderr)

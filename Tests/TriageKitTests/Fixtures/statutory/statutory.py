#!/usr/bin/env python3
"""An independent count of the statutory holidays and of provisional deadlines.

The engine (Sources/TriageKit/Time/StatutoryHolidays.swift) computes the holidays of a year
whose State Council notice is not in the calendar from 《全国年节及纪念日放假办法》: lunar
dates from Foundation's Chinese calendar (ICU), 清明 from the solar-term formula. This script
computes the same days from other sources, and writes statutory.json next to it, which
Tests/TriageKitTests/ProvisionalCalendarTests.swift compares with the engine:

- lunar dates from `lunardate` (a table of the Hong Kong Observatory's data, 1900-2099);
- 清明 from `ephem`: the moment the sun's apparent ecliptic longitude reaches 15 degrees, in
  Beijing time (UTC+8), found by bisection;
- the rules, read from the regulation's text: 元旦 1 day; 春节 3 days (除夕, 初一, 初二) from 2008,
  初一 to 初三 from 2014, 除夕 to 初三 from 2025; 清明 1; 劳动节 1, from 2025 2 (1 and 2 May);
  端午 1; 中秋 1; 国庆 3 (1-3 October); a statutory day on a Saturday or Sunday (or on another
  festival's day) is given back on the next weekday that is not off, after the festival (补假);
  no make-up working days;
- the deadlines: the day of receipt is not counted; pre-review is 1 working day; the reply 5
  (simple) or 15 (complex) working days from the pre-review deadline, or from the dispatch
  day. 2026 comes from rules/calendar/2026.yaml (the published notice), 2027 from the
  statutory rules above.

Usage: statutory.py               rewrite statutory.json
       statutory.py --check       exit 1 when statutory.json differs from what it would write
       statutory.py --accuracy    how far provisional deadlines are from the published ones, 2023-2026
Needs: pip install lunardate ephem pyyaml
"""
import datetime as dt
import json
import math
import os
import sys

import ephem
import yaml
from lunardate import LunarDate

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
ONE = dt.timedelta(days=1)


def qingming(year):
    def longitude(t):
        sun = ephem.Sun()
        sun.compute(t)
        return math.degrees(ephem.Ecliptic(sun, epoch=t).lon)

    lo = ephem.Date(dt.datetime(year, 4, 2))
    hi = ephem.Date(dt.datetime(year, 4, 7))
    for _ in range(50):
        mid = ephem.Date((lo + hi) / 2)
        if longitude(mid) < 15:
            lo = mid
        else:
            hi = mid
    return (ephem.Date(hi).datetime() + dt.timedelta(hours=8)).date()


def lunar(year, month, day):
    return LunarDate(year, month, day).to_solar_date()


def festivals(year):
    new_year = lunar(year, 1, 1)
    if year < 2014:
        chunjie = [new_year - ONE, new_year, new_year + ONE]
    elif year < 2025:
        chunjie = [new_year, new_year + ONE, new_year + 2 * ONE]
    else:
        chunjie = [new_year - ONE, new_year, new_year + ONE, new_year + 2 * ONE]
    laodong = [dt.date(year, 5, 1)] if year < 2025 else [dt.date(year, 5, 1), dt.date(year, 5, 2)]
    out = [
        ("元旦", [dt.date(year, 1, 1)]),
        ("春节", chunjie),
        ("清明节", [qingming(year)]),
        ("劳动节", laodong),
        ("端午节", [lunar(year, 5, 5)]),
        ("中秋节", [lunar(year, 8, 15)]),
        ("国庆节", [dt.date(year, 10, d) for d in (1, 2, 3)]),
    ]
    return sorted(out, key=lambda f: f[1][0])


def days_off(year):
    off = {}
    for name, days in festivals(year):
        owed = 0
        for d in days:
            if d.weekday() >= 5 or d in off:
                owed += 1
            off.setdefault(d, name)
        d = days[-1]
        while owed:
            d += ONE
            if d.weekday() < 5 and d not in off:
                off[d] = name
                owed -= 1
    return off


def published(path):
    """Days off and make-up working days of a calendar file of the rule set."""
    cal = yaml.safe_load(open(path, encoding="utf-8"))["calendar"]
    def expand(entries):
        for entry in entries:
            text = str(entry)
            a, _, b = text.partition("..")
            d, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b or a)
            while d <= end:
                yield d
                d += ONE
    off = {d for lst in (cal.get("holidays") or {}).values() for d in expand(lst)}
    work = {d for lst in (cal.get("workdays") or {}).values() for d in expand(lst)}
    return cal["year"], off, work


def deadline_cases():
    year, off2026, work2026 = published(os.path.join(ROOT, "rules", "calendar", "2026.yaml"))
    assert year == 2026
    off2027 = days_off(2027)

    def working(d):
        if d in work2026:
            return True
        if d in off2026:
            return False
        if d.year == 2027 and d in off2027:
            return False
        assert d.year in (2026, 2027), d
        return d.weekday() < 5

    def add(n, d):
        years = set()
        while n:
            d += ONE
            if d.year == 2027:
                years.add(2027)
            if working(d):
                n -= 1
        return d, years

    cases = []
    received = [dt.date(2026, 12, day) for day in range(18, 32)] + [
        dt.date(2027, 1, 29), dt.date(2027, 4, 2), dt.date(2027, 4, 29), dt.date(2027, 6, 8),
        dt.date(2027, 9, 14), dt.date(2027, 9, 30)]
    for r in received:
        for complexity, n in (("simple", 5), ("complex", 15)):
            pre, y1 = add(1, r)
            reply, y2 = add(n, pre)
            cases.append({"received_at": f"{r}T10:00:00+08:00", "dispatched_at": None, "complexity": complexity,
                          "pre_review_due": str(pre), "reply_due": str(reply), "provisional": sorted(y1 | y2)})
    # Dispatched around 春节 2027 (除夕 5 February).
    for day in (25, 28):
        r = dt.date(2027, 1, day)
        for dispatched in (dt.date(2027, 2, 1), dt.date(2027, 2, 4), dt.date(2027, 2, 5)):
            for complexity, n in (("simple", 5), ("complex", 15)):
                pre, y1 = add(1, r)
                reply, y2 = add(n, dispatched)
                cases.append({"received_at": f"{r}T09:00:00+08:00", "dispatched_at": f"{dispatched}T16:00:00+08:00",
                              "complexity": complexity, "pre_review_due": str(pre), "reply_due": str(reply),
                              "provisional": sorted(y1 | y2)})
    return cases


def build():
    return {
        "generated_by": "Tests/TriageKitTests/Fixtures/statutory/statutory.py",
        "days_off": {str(y): [[str(d), n] for d, n in sorted(days_off(y).items())] for y in range(2008, 2100)},
        "deadlines": deadline_cases(),
    }


def render(data):
    # One year or one case a line, so that a change reads as a small diff.
    lines = ["{", f'  "generated_by": {json.dumps(data["generated_by"])},', '  "days_off": {']
    years = list(data["days_off"].items())
    for i, (y, days) in enumerate(years):
        lines.append(f"    {json.dumps(y)}: {json.dumps(days, ensure_ascii=False)}" + ("," if i + 1 < len(years) else ""))
    lines.append("  },")
    lines.append('  "deadlines": [')
    for i, c in enumerate(data["deadlines"]):
        lines.append("    " + json.dumps(c, ensure_ascii=False) + ("," if i + 1 < len(data["deadlines"]) else ""))
    lines += ["  ]", "}", ""]
    return "\n".join(lines)


def accuracy():
    """For every receipt day of 2023-2026: the reply deadline counted with the published
    calendar against the one counted with that year's statutory holidays only."""
    def calendar(provisional_years):
        off, work = set(), set()
        for y in range(2022, 2028):
            path = os.path.join(ROOT, "rules", "calendar", f"{y}.yaml")
            if y in provisional_years or not os.path.exists(path):
                off |= set(days_off(y)) if 2008 <= y else set()
            else:
                _, o, w = published(path)
                off |= o
                work |= w
        return lambda d: d in work or (d not in off and d.weekday() < 5)

    def add(working, n, d):
        while n:
            d += ONE
            if working(d):
                n -= 1
        return d

    print("received  kind     days  same date  provisional earlier  later  worst (working days)")
    for year in (2023, 2024, 2025, 2026):
        real, guess = calendar(set()), calendar({year})
        for kind, n in (("simple", 5), ("complex", 15)):
            same = earlier = later = worst = 0
            d = dt.date(year, 1, 1)
            total = 0
            while d.year == year:
                a = add(real, n, add(real, 1, d))
                b = add(guess, n, add(guess, 1, d))
                total += 1
                if a == b:
                    same += 1
                else:
                    lo, hi = min(a, b), max(a, b)
                    gap, x = 0, lo
                    while x < hi:
                        x += ONE
                        gap += real(x)
                    worst = max(worst, gap)
                    earlier += b < a
                    later += b > a
                d += ONE
            print(f"{year}      {kind:8} {total:4}  {same / total:8.1%}   {earlier:9}          {later:5}  {worst:5}")


def main():
    if "--accuracy" in sys.argv[1:]:
        accuracy()
        return
    path = os.path.join(HERE, "statutory.json")
    text = render(build())
    if "--check" in sys.argv[1:]:
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if current != text:
            print(f"{path} is not what {os.path.basename(__file__)} computes; run it to rewrite the file", file=sys.stderr)
            sys.exit(1)
        print(f"statutory.json matches the independent count ({len(json.loads(text)['deadlines'])} deadline cases)")
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

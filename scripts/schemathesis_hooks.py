"""Schemathesis hooks for scripts/schemathesis.sh.

One rule of the input contract cannot be written in JSON Schema: `dispatched_at` must not
be before `received_at` (docs/openapi.yaml says so; the server answers 400 invalid_field).
Every other constraint is in the schema, times included (the InputTime pattern). This
hook keeps bodies that break that one rule out of the generated data, so that the
"schema-valid request rejected" check does not count the documented refusal as a failure.
"""
import re

import schemathesis

TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?")
DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]


def epoch_seconds(text):
    """Seconds since 1970 for a time the server parses (a port of Timestamp.parse), else None."""
    m = TIME.fullmatch(text) if isinstance(text, str) else None
    if not m:
        return None
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    days = (y - 1970) * 365 + ((y - 1) // 4 - 1969 // 4) - ((y - 1) // 100 - 1969 // 100) + ((y - 1) // 400 - 1969 // 400)
    days += DAYS_BEFORE_MONTH[mo - 1] + (1 if leap and mo > 2 else 0) + d - 1
    seconds = days * 86400 + int(m[4] or 0) * 3600 + int(m[5] or 0) * 60 + int(m[6] or 0)
    if m[7]:
        offset = 0
    elif m[8]:
        offset = (int(m[9]) * 3600 + int(m[10] or 0) * 60) * (-1 if m[8] == "-" else 1)
    else:
        offset = 8 * 3600  # Asia/Shanghai
    return seconds - offset


@schemathesis.hook
def filter_body(ctx, body):
    if not isinstance(body, dict):
        return True
    received, dispatched = epoch_seconds(body.get("received_at")), epoch_seconds(body.get("dispatched_at"))
    return received is None or dispatched is None or dispatched >= received

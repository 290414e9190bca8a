#!/usr/bin/env python3
"""The output contract, checked against what the binary really does.

docs/openapi.yaml is the one source of the contract. This script

  schema    generates docs/output.schema.json (the CLI's JSON Lines: a result or a line
            error) from the document's components; --write rewrites it, otherwise it checks
            that the file is current;
  validate  runs `triage serve` and `triage classify --jsonl` on every message of the
            corpus (all parts; the output is validated, never compared with the labels) and on
            every error case, and validates each real response against the OpenAPI document
            (status, content type, documented headers, body) and each CLI line against
            output.schema.json, with the maintained validators openapi-spec-validator,
            openapi-schema-validator and jsonschema. Object schemas are made closed for the
            check (no property the document does not describe), so a field the engine emits
            but the contract lacks fails. It also checks that the HTTP reply equals the CLI's
            line for the same record;
  examples  re-runs the command of every example in docs/*.md that is marked
            `<!-- example output ... -->` and checks the block below equals its real output;
            --write rewrites the blocks;
  check     all three, checking only (what scripts/qa-ci.sh runs).

Usage: scripts/contract.py {schema,validate,examples,check} [--write] [--bin .build/debug/triage]
Needs: pip install jsonschema openapi-schema-validator openapi-spec-validator pyyaml
"""
import argparse
import copy
import glob
import http.client
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

import yaml
from jsonschema import Draft202012Validator
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OPENAPI = os.path.join(ROOT, "docs", "openapi.yaml")
OUTPUT_SCHEMA = os.path.join(ROOT, "docs", "output.schema.json")
DOC_URN = "urn:triage:openapi"
# A fixed receipt time for corpus messages that give none, so that the CLI and the server
# count the same deadlines (and late December exercises the provisional calendar).
FIXED_RECEIVED_AT = "2026-12-28T10:00:00+08:00"


class Failures:
    def __init__(self):
        self.items = []
        self.checked = 0

    def add(self, what, problem):
        self.items.append(f"{what}: {problem}")

    def report(self, title):
        print(f"{title}: {self.checked} checked, {len(self.items)} failed")
        for line in self.items[:40]:
            print("  " + line)
        if len(self.items) > 40:
            print(f"  … and {len(self.items) - 40} more")
        return not self.items


def load_spec():
    with open(OPENAPI, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    empty = list(empty_keys(spec, "#"))
    if empty:
        # `{ description: A, b. }` parses as two keys: the validators accept it, readers lose text.
        raise SystemExit("docs/openapi.yaml: keys with no value (an unquoted comma in a flow mapping?): " + "; ".join(empty[:10]))
    return spec


def empty_keys(node, path):
    """Mapping keys whose value is null, except where null is a value (enum, const, default, example)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if v is None and k not in ("const", "default", "example"):
                yield f"{path}/{k}"
            elif k not in ("enum", "example", "examples"):
                yield from empty_keys(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from empty_keys(v, f"{path}/{i}")


# ---------------------------------------------------------------------------------------
# schema: docs/output.schema.json from the OpenAPI components

def referenced(spec, names):
    """The component schemas `names` need, transitively."""
    schemas = spec["components"]["schemas"]
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for ref in re.findall(r'"#/components/schemas/([A-Za-z0-9_]+)"', json.dumps(schemas[name])):
            todo.append(ref)
    return [n for n in schemas if n in seen]


def output_schema(spec):
    def rewrite(node):
        if isinstance(node, dict):
            return {k: (v.replace("#/components/schemas/", "#/$defs/") if k == "$ref" else rewrite(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    defs = {name: rewrite(spec["components"]["schemas"][name]) for name in referenced(spec, ["Result", "LineError"])}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://pudong-triage.example/output.schema.json",
        "title": "triage result (format 1): one line of `triage classify --jsonl`, or `--format json`",
        "description": "Generated from docs/openapi.yaml by scripts/contract.py schema --write; do not edit.",
        "oneOf": [{"$ref": "#/$defs/Result"}, {"$ref": "#/$defs/LineError"}],
        "$defs": defs,
    }


def render_schema(schema):
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def cmd_schema(write):
    spec = load_spec()
    validate_spec(spec)
    text = render_schema(output_schema(spec))
    if write:
        with open(OUTPUT_SCHEMA, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {os.path.relpath(OUTPUT_SCHEMA, ROOT)}")
        return True
    with open(OUTPUT_SCHEMA, encoding="utf-8") as f:
        current = f.read()
    if current != text:
        print("docs/output.schema.json is not what docs/openapi.yaml generates; run scripts/contract.py schema --write")
        return False
    print("docs/openapi.yaml: valid OpenAPI 3.1; docs/output.schema.json is generated from it and current")
    return True


# ---------------------------------------------------------------------------------------
# validate

def closed(node):
    """A copy in which every object schema with properties admits no other property."""
    if isinstance(node, dict):
        out = {k: closed(v) for k, v in node.items()}
        if isinstance(out.get("properties"), dict) and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [closed(v) for v in node]
    return node


def pointer(*parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class Contract:
    def __init__(self):
        self.spec = load_spec()
        validate_spec(self.spec)
        self.strict = closed(self.spec)
        resource = Resource.from_contents(self.strict, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(DOC_URN, resource)
        self._validators = {}
        schema = closed(output_schema(self.spec))
        Draft202012Validator.check_schema(schema)
        self.line_validator = Draft202012Validator(schema)

    def validator(self, ptr):
        if ptr not in self._validators:
            self._validators[ptr] = OAS31Validator({"$ref": f"{DOC_URN}#{ptr}"}, registry=self.registry)
        return self._validators[ptr]

    def resolve(self, node, ptr):
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/"), ref
            ptr = ref[1:]
            node = self.strict
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node, ptr

    def schema_errors(self, ptr, value):
        return [f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message[:300]}" for e in self.validator(ptr).iter_errors(value)]

    def response(self, path, method, status, headers, body, response_ptr=None):
        """Problems of one real response against the document."""
        if response_ptr is None:
            op = self.strict["paths"].get(path, {}).get(method.lower())
            if op is None:
                return [f"the document has no {method} {path}"]
            responses = op["responses"]
            key = str(status) if str(status) in responses else "default" if "default" in responses else None
            if key is None:
                return [f"status {status} is not documented for {method} {path}"]
            node, ptr = self.resolve(responses[key], pointer("paths", path, method.lower(), "responses", key))
        else:
            node, ptr = self.resolve({"$ref": "#" + response_ptr}, response_ptr)
        problems = []
        for name, h in (node.get("headers") or {}).items():
            h, hptr = self.resolve(h, ptr + pointer("headers", name))
            value = headers.get(name.lower())
            if value is None:
                if h.get("required"):
                    problems.append(f"header {name} missing")
                continue
            problems += [f"header {name}: {p}" for p in self.schema_errors(hptr + "/schema", value)]
        media = (headers.get("content-type") or "").split(";")[0].strip()
        content = node.get("content") or {}
        if media not in content:
            return problems + [f"content type {media!r} is not documented ({', '.join(content)})"]
        if media == "application/json":
            try:
                value = json.loads(body)
            except ValueError as e:
                return problems + [f"body is not JSON: {e}"]
            problems += self.schema_errors(ptr + pointer("content", media, "schema"), value)
        return problems


class Server:
    """`triage serve` on a free port; stderr (the access log) goes to a file."""

    def __init__(self, binary, args):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="triage-serve-", suffix=".log", delete=False)
        self.process = subprocess.Popen([binary, "serve", "--port", "0"] + args, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 120
        self.port = None
        while time.time() < deadline and self.port is None:
            if self.process.poll() is not None:
                raise RuntimeError("triage serve exited:\n" + self.log_text())
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.log_text())
            if m:
                self.port = int(m.group(1))
            else:
                time.sleep(0.1)
        if self.port is None:
            self.stop()
            raise RuntimeError("triage serve did not start:\n" + self.log_text())
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def log_text(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if body is not None:
            if isinstance(body, str):
                body = body.encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                r = self.connection.getresponse()
                data = r.read()
                return r.status, {k.lower(): v for k, v in r.getheaders()}, data
            except (http.client.HTTPException, ConnectionError):
                # The server may close a connection after an error reply; open a new one once.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise

    def stop(self):
        """Stops the server; returns everything it logged (flushed at exit)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        text = self.log_text()
        os.unlink(self.log.name)
        return text


def corpus_records():
    """Every corpus message as the record both the CLI and the server receive, then EDGE_RECORDS."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "*", "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                o = json.loads(line)
                record = {"id": o["id"], "text": o["text"]}
                for key in ("received_at", "dispatched_at"):
                    if key in o:
                        record[key] = o[key]
                record.setdefault("received_at", FIXED_RECEIVED_AT)
                out.append(record)
    return out + EDGE_RECORDS


def line(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


# Input errors: each InputError code at least once, with and without an id.
BAD_RECORDS = [
    (b'{"id": "e1", "text": "ab\xe6\xb5"}', "invalid_utf8"),
    (b'{"id": "e2", "text": ', "invalid_json"),
    (b'["not", "an", "object"]', "not_an_object"),
    (b'{"id": "e4"}', "missing_field"),
    (b'{"id": 12345678901234567890, "text": 5}', "wrong_type"),
    (b'{"id": {"x": 1}, "text": "x"}', "wrong_type"),
    (b'{"id": "e6", "text": "x", "received_at": 20261228}', "wrong_type"),
    (b'{"id": "e7", "text": "x", "received_at": "2026-02-30T10:00"}', "invalid_field"),
    (b'{"id": "e8", "text": "x", "dispatched_at": "yesterday"}', "invalid_field"),
    (b'{"id": "e9", "text": "x", "received_at": "2026-10-09T10:00", "dispatched_at": "2026-10-08T10:00"}', "invalid_field"),
]
# Records whose results reach the rarer parts of the contract, whatever the corpus holds.
EDGE_RECORDS = [
    {"id": "edge-missing-year", "text": "营业执照注销需要什么材料？", "received_at": "2099-12-31T10:00:00+08:00"},
    {"id": "edge-dispatched", "text": "网上办事大厅一直登录不上", "received_at": "2026-09-30T10:00", "dispatched_at": "2026-10-09T09:00"},
    {"id": "edge-published", "text": "网上办事大厅一直登录不上", "received_at": "2026-09-30T10:00:00Z"},
    {"id": "edge-rejected", "text": "加微信领取免费代办，日赚五百，名额有限", "received_at": "2026-12-28"},
    {"id": "edge-escalation", "text": "小区消防通道被电动车堵死了，第五次反映了还是没人管", "received_at": "2026-12-28T10:00"},
    {"id": "edge-now", "text": "一网通办登录不上"},
    {"text": "没有编号的留言：一网通办登录不上", "received_at": "2026-12-28T10:00"},
    {"id": "edge-empty", "text": "", "received_at": "2026-12-28T10:00"},
]
# Parts of the contract that real output must show at least once, so that the validation
# above is not vacuous for them.
MUST_SEE = {
    "route null", "route direct", "route hotline", "lead null", "category null", "id null", "id string", "id number",
    "screening accept", "screening needs_review", "screening reject", "provisional null", "provisional years",
    "deadlines.error", "dispatched_at", "received_at_defaulted", "reply_due null", "complexity simple",
    "complexity complex", "evidence category", "evidence item", "evidence department", "evidence cue",
    "evidence screening", "evidence escalation", "escalation leader_report", "escalation coordination",
    "escalation woodpecker_candidate", "combined", "co_handlers",
}


def features(result):
    """What one result shows, for MUST_SEE."""
    d = result["deadlines"]
    out = {f"screening {result['screening']['decision']}", f"complexity {d['complexity']}"}
    out.add("route null" if result["route"] is None else f"route {result['route']['channel']}")
    if result["lead"] is None:
        out.add("lead null")
    if result["category"] is None:
        out.add("category null")
    i = result["id"]
    out.add("id null" if i is None else "id string" if isinstance(i, str) else "id number")
    out.add("provisional null" if d["provisional"] is None else "provisional years")
    if "error" in d:
        out.add("deadlines.error")
    if d["dispatched_at"] is not None:
        out.add("dispatched_at")
    if d["received_at_defaulted"]:
        out.add("received_at_defaulted")
    if d["reply_due"] is None:
        out.add("reply_due null")
    out |= {f"evidence {e['kind']}" for e in result["evidence"]}
    out |= {f"escalation {k}" for k in ("leader_report", "coordination", "woodpecker_candidate") if result["escalation"][k]}
    if result["combined"]:
        out.add("combined")
    if result["co_handlers"]:
        out.add("co_handlers")
    return out


def reason_codes(result):
    return {r["code"] for section in (result, result["screening"], result["deadlines"], result["escalation"]) for r in section["reasons"]}


BIG_IDS = ["9007199254740993", "12345678901234567890", "1234567890123456", "12345678901234567", "123456789012345678",
           "1234567890123456789", "99999999999999999999"]


def run_cli(binary, stdin, *args):
    p = subprocess.run([binary, "classify", "--rules", os.path.join(ROOT, "rules"), *args], input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, timeout=1800)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


def cmd_validate(binary):
    contract = Contract()
    records = corpus_records()
    ok = True

    # --- The CLI: every corpus message, every input error, big ids, against output.schema.json.
    cli = Failures()
    big = [b'{"id": %s, "text": "x", "received_at": "%s"}' % (i.encode(), FIXED_RECEIVED_AT.encode()) for i in BIG_IDS]
    stdin = b"\n".join([line(r).encode("utf-8") for r in records] + [b for b, _ in BAD_RECORDS] + big) + b"\n"
    status, out, err = run_cli(binary, stdin, "--jsonl")
    lines = out.splitlines()
    if status != 3:
        cli.add("classify --jsonl", f"exit status {status}, expected 3 (some lines are errors): {err[-300:]}")
    if len(lines) != len(records) + len(BAD_RECORDS) + len(BIG_IDS):
        cli.add("classify --jsonl", f"{len(lines)} lines for {len(records) + len(BAD_RECORDS) + len(BIG_IDS)} inputs")
    codes_seen, seen, reasons_seen = set(), set(), set()
    for n, text in enumerate(lines, 1):
        cli.checked += 1
        value = json.loads(text)
        if "error" not in value:
            seen |= features(value)
            reasons_seen |= reason_codes(value)
        for e in contract.line_validator.iter_errors(value):
            cli.add(f"line {n}", f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message[:300]}")
        if "error" in value:
            codes_seen.add(value["error"]["code"])
            if value["error"].get("line") != n:
                cli.add(f"line {n}", f"error object says line {value['error'].get('line')}")
    first_bad = len(records)
    for k, (_, code) in enumerate(BAD_RECORDS):
        if first_bad + k < len(lines):
            got = json.loads(lines[first_bad + k]).get("error", {}).get("code")
            if got != code:
                cli.add(f"bad record {k}", f"code {got}, expected {code}")
    for k, i in enumerate(BIG_IDS):
        n = first_bad + len(BAD_RECORDS) + k
        if n < len(lines) and not lines[n].startswith(f'{{"id":{i},'):
            cli.add(f"id {i}", f"came back as {lines[n][:40]}")
    for code in ("invalid_utf8", "invalid_json", "not_an_object", "missing_field", "wrong_type", "invalid_field"):
        if code not in codes_seen:
            cli.add("classify --jsonl", f"no line with error code {code}")
    for feature in sorted(MUST_SEE - seen):
        cli.add("coverage", f"no real result shows {feature}")
    ok &= cli.report("CLI lines against docs/output.schema.json (every corpus message, every input error)")
    never = [c for c in contract.spec["components"]["schemas"]["ReasonCode"]["enum"] if c not in reasons_seen]
    print(f"  {len(MUST_SEE)} parts of the contract each shown by a real result; reason codes no real result shows: "
          + (", ".join(never) or "none") + " (covered by ReasonCodeTests)")
    cli_by_line = lines[:len(records)]

    # --- The server with the bundled rules.
    server = Server(binary, ["--rules", os.path.join(ROOT, "rules")])
    httpf = Failures()
    same = Failures()
    try:
        def check(method, path, body=None, status=None, headers=None, response_ptr=None, what=None):
            got_status, got_headers, data = server.request(method, path, body, headers)
            httpf.checked += 1
            label = what or f"{method} {path}"
            if status is not None and got_status != status:
                httpf.add(label, f"status {got_status}, expected {status}: {data[:200]!r}")
            for p in contract.response(path, method, got_status, got_headers, data, response_ptr):
                httpf.add(f"{label} → {got_status}", p)
            return got_status, got_headers, data

        # Every corpus message, one request each; the reply must be the CLI's line.
        for r, cli_line in zip(records, cli_by_line):
            _, _, data = check("POST", "/v1/triage", line(r), 200, what=f"POST /v1/triage {r.get('id')}")
            same.checked += 1
            if r.get("received_at") is None:
                continue  # counted from "now": the two runs differ by seconds
            if data.decode("utf-8").rstrip("\n") != cli_line:
                same.add(str(r.get("id")), "the HTTP reply differs from `triage classify --jsonl`'s line")
        # Every corpus message again in batches of 500, with bad items mixed in.
        bad_items = [{"id": "b1"}, {"id": "b2", "text": 5}, "not a message", {"text": "x", "received_at": "2026-13-01"},
                     {"id": 12345678901234567890, "text": "x", "dispatched_at": "yesterday"}]
        for start in range(0, len(records), 500):
            part = records[start:start + 500]
            part_lines = cli_by_line[start:start + 500]
            items = part + bad_items
            _, _, data = check("POST", "/v1/triage/batch", json.dumps({"messages": items}, ensure_ascii=False), 200,
                               what=f"POST /v1/triage/batch [{start}…]")
            reply = json.loads(data)
            results = reply["results"]
            if len(results) != len(items) or reply["count"] != len(items) or reply["failed"] != len(bad_items):
                httpf.add(f"batch [{start}…]", f"{len(results)} results, count {reply['count']}, failed {reply['failed']}")
            for k, item in enumerate(results):
                same.checked += 1
                if k < len(part):
                    if part[k].get("received_at") is not None and item != json.loads(part_lines[k]):
                        same.add(f"batch {part[k].get('id')}", "the batch result differs from the CLI's line")
                elif item.get("error", {}).get("index") != k:
                    same.add(f"batch item {k}", f"error object without its index: {item}")
        # Big numeric ids, digit for digit, single and batch.
        for i in BIG_IDS:
            _, _, data = check("POST", "/v1/triage", f'{{"id": {i}, "text": "x"}}', 200)
            if not data.startswith(f'{{"id":{i},'.encode()):
                httpf.add(f"id {i}", f"came back as {data[:40]!r}")
        _, _, data = check("POST", "/v1/triage/batch", '{"messages": [%s]}' % ",".join(f'{{"id": {i}, "text": "x"}}' for i in BIG_IDS), 200)
        for i in BIG_IDS:
            if f'{{"id":{i},"category"'.encode() not in data:
                httpf.add(f"batch id {i}", "not echoed digit for digit")
        # Every error of the two classification routes.
        for raw, code in BAD_RECORDS:
            _, _, data = check("POST", "/v1/triage", raw, 400, what=f"POST /v1/triage ({code})")
            if json.loads(data)["error"]["code"] != code:
                httpf.add(f"POST /v1/triage {raw[:40]!r}", f"code {json.loads(data)['error']['code']}, expected {code}")
        for body, code in [(b"[1]", "not_an_object"), (b'{"items": []}', "missing_field"), (b'{"messages": {}}', "wrong_type"),
                           (b'{"messages": [', "invalid_json"), (b'{"messages": ["\xff"]}', "invalid_utf8")]:
            _, _, data = check("POST", "/v1/triage/batch", body, 400, what=f"POST /v1/triage/batch ({code})")
            if json.loads(data)["error"]["code"] != code:
                httpf.add(f"batch {body!r}", f"code {json.loads(data)['error']['code']}, expected {code}")
        too_many = json.dumps({"messages": [{"text": "x"}] * 1001})
        _, _, data = check("POST", "/v1/triage/batch", too_many, 413)
        if json.loads(data)["error"]["code"] != "too_many_messages":
            httpf.add("batch of 1001", data[:200])
        big_body = json.dumps({"text": "长" * 400_000}, ensure_ascii=False)
        _, _, data = check("POST", "/v1/triage", big_body, 413)
        if json.loads(data)["error"]["code"] != "body_too_large":
            httpf.add("body over 1 MiB", data[:200])
        # An unknown route: 404 not_found; a method a known path does not take: 405 with Allow.
        _, _, data = check("GET", "/v2/nothing", None, 404, response_ptr="/components/responses/NotFound", what="GET /v2/nothing")
        if json.loads(data)["error"]["code"] != "not_found":
            httpf.add("GET /v2/nothing", data[:200])
        for method, path, allow in [("GET", "/v1/triage", "POST"), ("PUT", "/v1/triage", "POST"), ("POST", "/healthz", "GET, HEAD")]:
            _, headers, data = check(method, path, b"{}" if method != "GET" else None, 405,
                                     response_ptr="/components/responses/MethodNotAllowed", what=f"{method} {path}")
            if json.loads(data)["error"]["code"] != "method_not_allowed":
                httpf.add(f"{method} {path}", data[:200])
            if headers.get("allow") != allow:
                httpf.add(f"{method} {path}", f"Allow: {headers.get('allow')!r}, expected {allow!r}")
        # The other routes.
        for path in ["/v1/ruleset", "/healthz", "/readyz", "/metrics", "/openapi.yaml"]:
            _, headers, data = check("GET", path, None, 200)
            if path == "/openapi.yaml":
                with open(OPENAPI, "rb") as f:
                    if data != f.read():
                        httpf.add(path, "served document differs from docs/openapi.yaml")
        # X-Request-Id: a valid one is echoed and logged, an invalid one replaced.
        _, headers, _ = check("GET", "/healthz", None, 200, headers={"X-Request-Id": "wo-2026-12345678901234567890"})
        if headers.get("x-request-id") != "wo-2026-12345678901234567890":
            httpf.add("X-Request-Id", f"not echoed: {headers.get('x-request-id')}")
        _, headers, _ = check("GET", "/healthz", None, 200, headers={"X-Request-Id": "bad id"})
        if headers.get("x-request-id") in (None, "bad id"):
            httpf.add("X-Request-Id", "an invalid id was not replaced")
        # The checks must be able to fail: a real result with one undocumented field, and with
        # an undocumented evidence kind, is rejected.
        _, _, data = server.request("POST", "/v1/triage", line(records[0]))
        drifted = json.loads(data)
        drifted["surprise"] = 1
        if not contract.schema_errors("/components/schemas/Result", drifted):
            httpf.add("self-test", "a result with an undocumented field passed")
        drifted = json.loads(data)
        drifted["evidence"] = [dict(drifted["evidence"][0], kind="nonsense")] if drifted["evidence"] else [{"kind": 1}]
        if not contract.schema_errors("/components/schemas/Result", drifted) or not list(contract.line_validator.iter_errors(drifted)):
            httpf.add("self-test", "a result with an undocumented evidence kind passed")
    finally:
        log = server.stop()
    if "hb.request.id=wo-2026-12345678901234567890" not in log:
        httpf.add("access log", "the client's X-Request-Id is not in the access log")

    # --- A server with no valid rule set: 503 everywhere that needs one.
    empty = Server(binary, ["--rules", os.path.join(tempfile.gettempdir(), "triage-no-such-rules")])
    try:
        for method, path, body in [("POST", "/v1/triage", b'{"text": "x"}'), ("POST", "/v1/triage/batch", b'{"messages": []}'),
                                   ("GET", "/v1/ruleset", None), ("GET", "/readyz", None)]:
            status, headers, data = empty.request(method, path, body)
            httpf.checked += 1
            if status != 503:
                httpf.add(f"{method} {path} without rules", f"status {status}")
            for p in contract.response(path, method, status, headers, data):
                httpf.add(f"{method} {path} without rules → {status}", p)
    finally:
        empty.stop()

    ok &= httpf.report("HTTP responses against docs/openapi.yaml (corpus single and batch, every error, every route)")
    ok &= same.report("HTTP replies equal to the CLI's lines for the same record")
    return ok


# ---------------------------------------------------------------------------------------
# examples

MARK = re.compile(r"<!-- example output(?: of (?P<path>[A-Za-z0-9_.\[\]]+))?(?: (?P<style>compact|pretty|text))? -->\n")
FENCE = re.compile(r"```(\w*)\n(.*?)```\n", re.S)


def example_blocks(text):
    """(marker, command block, output block) for every marked example, as match objects."""
    for mark in MARK.finditer(text):
        before = [m for m in FENCE.finditer(text, 0, mark.start()) if m.group(1) in ("sh", "bash")]
        after = FENCE.match(text, mark.end())
        if not before or not after:
            raise SystemExit(f"an example marker at offset {mark.start()} needs a ```sh block before it and a block after it")
        yield mark, before[-1], after


def run_example(command, binary, port):
    command = command.replace("127.0.0.1:8080", f"127.0.0.1:{port}")
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(binary)) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("TRIAGE_RULES", None)
    p = subprocess.run(["bash", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env, timeout=300)
    return p.stdout.decode("utf-8")


def select(value, path):
    for part in re.findall(r"[A-Za-z0-9_]+|\[\d+\]", path):
        value = value[int(part[1:-1])] if part.startswith("[") else value[part]
    return value


def rendered(output, mark):
    style = mark.group("style") or "pretty"
    if style == "text" or (style == "compact" and not mark.group("path")):
        return output if output.endswith("\n") else output + "\n"  # exactly what the command printed
    lines = [l for l in output.splitlines() if l.strip()]
    values = [json.loads(l) for l in lines] if len(lines) > 1 and not output.lstrip().startswith("[") else [json.loads(output)]
    if mark.group("path"):
        values = [select(v, mark.group("path")) for v in values]
    if style == "compact":
        return "".join(json.dumps(v, ensure_ascii=False, separators=(",", ":")) + "\n" for v in values)
    return "".join(json.dumps(v, ensure_ascii=False, indent=2) + "\n" for v in values)


def cmd_examples(binary, write):
    server = Server(binary, ["--rules", os.path.join(ROOT, "rules")])
    problems, count = [], 0
    try:
        for doc in sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))):
            with open(doc, encoding="utf-8") as f:
                text = f.read()
            pieces, last = [], 0
            for mark, command, block in example_blocks(text):
                count += 1
                output = rendered(run_example(command.group(2), binary, server.port), mark)
                kind = "text" if (mark.group("style") == "text") else "json"
                new = f"```{kind}\n{output}```\n"
                if block.group(0) != new:
                    problems.append(f"{os.path.relpath(doc, ROOT)}: the example after `{command.group(2).strip()[:60]}…` is not its real output")
                pieces.append(text[last:block.start()] + new)
                last = block.end()
            pieces.append(text[last:])
            if write and "".join(pieces) != text:
                with open(doc, "w", encoding="utf-8") as f:
                    f.write("".join(pieces))
                print(f"rewrote {os.path.relpath(doc, ROOT)}")
    finally:
        server.stop()
    if write:
        print(f"{count} examples written from real output")
        return True
    print(f"docs examples: {count} checked, {len(problems)} differ from real output")
    for p in problems:
        print("  " + p)
    if problems:
        print("  run scripts/contract.py examples --write (after a build) and review the diff")
    return not problems


def cmd_responses(path):
    """Checks recorded responses (JSON Lines of {method, path, status, content_type, body}, `path`
    the documented template such as /v1/cases/{id}) against the document; the desk's router tests
    record theirs and call this, so one maintained validator checks every response."""
    contract = Contract()
    f = Failures()
    with open(path, encoding="utf-8") as lines:
        for n, text in enumerate(lines, 1):
            if not text.strip():
                continue
            r = json.loads(text)
            f.checked += 1
            headers = {"content-type": r.get("content_type", "application/json")}
            for problem in contract.response(r["path"], r["method"], r["status"], headers, r["body"].encode("utf-8")):
                f.add(f"line {n}: {r['method'].upper()} {r['path']} → {r['status']}", problem)
    return f.report(f"recorded responses of {path} against docs/openapi.yaml")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["schema", "validate", "examples", "check", "responses"])
    parser.add_argument("file", nargs="?", help="for responses: the JSON Lines file of recorded responses")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--bin", default=os.environ.get("TRIAGE_BIN", os.path.join(ROOT, ".build", "debug", "triage")))
    a = parser.parse_args()
    if a.command in ("validate", "examples", "check") and not os.access(a.bin, os.X_OK):
        raise SystemExit(f"no triage binary at {a.bin}: run swift build first, or pass --bin")
    if a.command == "responses":
        if not a.file:
            raise SystemExit("contract.py responses FILE")
        sys.exit(0 if cmd_responses(a.file) else 1)
    ok = True
    if a.command in ("schema", "check"):
        ok &= cmd_schema(a.write and a.command == "schema")
    if a.command in ("validate", "check"):
        ok &= cmd_validate(a.bin)
    if a.command in ("examples", "check"):
        ok &= cmd_examples(a.bin, a.write and a.command == "examples")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

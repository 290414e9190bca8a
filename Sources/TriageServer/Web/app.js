// 预审分拨页面：单条分析与批量文件。只在本页与本服务之间传递留言，不存储。
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { categories: {}, departments: {}, version: "", last: null, rows: [], sort: null };
  const CHANNEL = { direct: "直接处理（不派单）", hotline: "12345 热线派单" };
  const FLAG = { vague: "诉求不明确", multi_department: "涉及多部门" };
  const KIND = { category: "类别依据", item: "事项", department: "部门", cue: "标记线索", screening: "预审依据", escalation: "升级依据" };
  const DECISION = { accept: "受理", needs_review: "待人工复核", reject: "拒收" };
  const REJECT = { spam: "广告或垃圾信息", abuse: "辱骂且无诉求", gibberish: "无意义内容", off_topic: "与政务服务无关" };
  const ESCALATION = { leader_report: "专报区领导", coordination: "区行政服务中心协调", woodpecker_candidate: "啄木鸟案例候选" };
  const COMPLEXITY = { simple: "简单（5 个工作日）", complex: "复杂（15 个工作日）" };
  const KNOWN = new Set(["id", "category", "scores", "lead", "co_handlers", "route", "items", "combined",
    "flags", "departments", "reasons", "evidence", "ruleset", "error"]);
  const EXTRA = { screening: "预审筛查", deadlines: "办理时限", deadline: "办理时限", escalation: "升级提示" };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }
  const catName = (id) => id == null ? "未能判定" : (state.categories[id] || id);
  const deptName = (d) => d ? (d.name || state.departments[d.id] || d.id) : "—";

  async function loadRuleset() {
    try {
      const r = await fetch("/v1/ruleset");
      const j = await r.json();
      if (!r.ok) throw new Error(j.error ? j.error.message : r.statusText);
      for (const c of j.categories) state.categories[c.id] = c.name;
      for (const d of j.departments) state.departments[d.id] = d.name;
      state.version = j.version;
      $("ruleset").textContent = `规则集 ${j.name} · 版本 ${j.version.slice(0, 12)} · ${j.counts.rules} 条规则 · ${j.counts.departments} 个部门 · ${j.counts.items} 个事项`;
    } catch (e) {
      $("ruleset").textContent = "规则集未就绪：" + e.message;
    }
  }

  function showError(node, message) { node.textContent = message; node.hidden = !message; }

  async function post(path, body) {
    const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    let j;
    try { j = await r.json(); } catch (_) { throw new Error(`服务返回 ${r.status}`); }
    if (!r.ok) throw new Error(j.error ? `${j.error.message}（${j.error.code}）` : `服务返回 ${r.status}`);
    return j;
  }

  // ---- single message ----
  async function analyze(ev) {
    if (ev) ev.preventDefault();
    const text = $("text").value;
    showError($("form-error"), "");
    if (!text.trim()) { showError($("form-error"), "请输入留言内容"); return; }
    const body = { text };
    const id = $("msg-id").value.trim();
    if (id) body.id = id;
    const at = $("received-at").value;
    if (at) body.received_at = new Date(at).toISOString();
    $("analyze").disabled = true;
    try {
      const result = await post("/v1/triage", body);
      render(result, text);
    } catch (e) {
      showError($("form-error"), "分析失败：" + e.message);
    } finally {
      $("analyze").disabled = false;
    }
  }

  function tags(list, cls) {
    const frag = document.createDocumentFragment();
    if (!list.length) frag.append("—");
    for (const t of list) frag.append(el("span", { class: "tag" + (cls ? " " + cls : ""), text: t }));
    return frag;
  }

  function render(r, text) {
    state.last = r;
    $("result").hidden = false;
    $("r-category").replaceChildren(el("span", { class: "category-name", id: "category-name", text: catName(r.category) }));
    $("r-lead").replaceChildren(el("span", { id: "lead-name", text: deptName(r.lead) }));
    $("r-co").replaceChildren(tags(r.co_handlers.map(deptName)));
    $("r-route").textContent = r.route ? `${CHANNEL[r.route.channel] || r.route.channel} → ${deptName(r.route.handler)}` : "不派单（预审拒收）";
    $("r-items").replaceChildren(tags([...r.items.map((i) => i.name), ...r.combined.map((c) => "一件事：" + c.name)]));
    const flags = Object.entries(r.flags).filter(([, v]) => v).map(([k]) => FLAG[k] || k);
    $("r-flags").replaceChildren(flags.length ? tags(flags, "flag") : el("span", { class: "tag ok", text: "无" }));
    const extra = $("r-extra");
    extra.replaceChildren();
    for (const [k, v] of Object.entries(r)) {
      if (KNOWN.has(k)) continue;
      const section = SECTION[k];
      extra.append(el("h3", { text: EXTRA[k] || k }), section ? section(v) : describe(v));
    }
    $("r-reasons").replaceChildren(...r.reasons.map((x) =>
      el("li", {}, x.message, " ", el("code", { text: x.code }))));
    $("r-text").replaceChildren(highlight(text, r.evidence));
    $("r-json").textContent = JSON.stringify(r, null, 2);
    $("r-version").textContent = "规则集版本 " + r.ruleset.version;
  }

  // Pre-review sections, laid out for people in Chinese.
  function facts(pairs) {
    return el("dl", { class: "facts" }, ...pairs.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)]));
  }
  function reasonList(list) {
    return el("ul", { class: "reasons" }, ...(list || []).map((x) => el("li", {}, x.message, " ", el("code", { text: x.code }))));
  }
  const SECTION = {
    screening: (s) => facts([
      ["预审结论", el("span", { id: "screening-decision", class: "tag" + (s.decision === "accept" ? " ok" : " flag"),
        text: (DECISION[s.decision] || s.decision) + (s.reason ? "：" + (REJECT[s.reason] || s.reason) : "") })],
      ["理由", reasonList(s.reasons)],
    ]),
    deadlines: (d) => facts([
      ["收到时间", (d.received_at || "—") + (d.received_at_defaulted ? "（未提供，按当前时间）" : "")],
      ["复杂程度", COMPLEXITY[d.complexity] || d.complexity],
      ["预审截止", el("span", { id: "pre-review-due", text: d.pre_review_due ? d.pre_review_due + " 日终" + (d.provisional ? "（暂定）" : "") : "—" })],
      ["答复截止", el("span", { id: "reply-due", text: d.reply_due ? d.reply_due + " 日终" + (d.reply_counted_from === "dispatched_at" ? "（自派单日起算）" : "") + (d.provisional ? "（暂定）" : "") : "—" })],
      // A year whose holiday notice is not in the calendar yet: statutory holidays only.
      ...(d.provisional ? [["暂定时限", el("span", { id: "deadline-provisional", class: "tag flag", text: d.provisional.message })]] : []),
      ...(d.error ? [["无法计算", d.error.message]] : []),
      ["依据", reasonList(d.reasons)],
    ]),
    escalation: (e) => {
      const on = Object.keys(ESCALATION).filter((k) => e[k]).map((k) => ESCALATION[k]);
      return facts([
        ["提示", on.length ? tags(on, "flag") : el("span", { class: "tag ok", text: "无" })],
        ["理由", reasonList(e.reasons)],
      ]);
    },
  };

  // Any other section a later stage adds: shown as nested key/value lists.
  function describe(v) {
    if (v === null || typeof v !== "object") return el("div", { text: String(v) });
    if (Array.isArray(v)) return el("ul", {}, ...v.map((x) => el("li", {}, describe(x))));
    return el("dl", { class: "facts" }, ...Object.entries(v).flatMap(([k, x]) => [el("dt", { text: k }), el("dd", {}, describe(x))]));
  }

  // Evidence offsets count Unicode scalars; Array.from splits a string into scalars.
  function highlight(text, evidence) {
    const chars = Array.from(text);
    const cuts = new Set([0, chars.length]);
    for (const e of evidence) { cuts.add(Math.max(0, Math.min(e.start, chars.length))); cuts.add(Math.max(0, Math.min(e.end, chars.length))); }
    const points = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = chars.slice(a, b).join("");
      const covering = evidence.filter((e) => e.start <= a && e.end >= b);
      if (!covering.length) { frag.append(piece); continue; }
      const main = covering[0];
      const title = covering.map((e) => `规则 ${e.rule}（${KIND[e.kind] || e.kind}）`).join("\n");
      frag.append(el("mark", { class: "ev ev-" + main.kind, title, "data-rule": covering.map((e) => e.rule).join(" ") , text: piece }));
    }
    return frag;
  }

  async function copyJSON() {
    if (!state.last) return;
    const text = JSON.stringify(state.last);
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {
      const t = el("textarea", {}); t.value = text; document.body.append(t); t.select(); document.execCommand("copy"); t.remove();
    }
    $("copy-json").textContent = "已复制";
    setTimeout(() => { $("copy-json").textContent = "复制 JSON"; }, 1500);
  }

  // ---- batch ----
  function parseCSV(text) {
    const rows = []; let row = [], field = "", q = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (q) {
        if (c === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else q = false; } else field += c;
      } else if (c === '"') q = true;
      else if (c === ",") { row.push(field); field = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(field); field = ""; rows.push(row); row = [];
      } else field += c;
    }
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows.filter((r) => r.some((f) => f.trim() !== ""));
  }

  function readMessages(name, text) {
    text = text.replace(/^\uFEFF/, "");
    const first = text.trimStart()[0];
    if (/\.jsonl?$/i.test(name) || first === "{") {
      return text.split(/\r?\n/).filter((l) => l.trim()).map((l, n) => {
        try { return JSON.parse(l); } catch (_) { return { __error: `第 ${n + 1} 行不是有效的 JSON` }; }
      });
    }
    const rows = parseCSV(text);
    if (!rows.length) return [];
    const head = rows[0].map((h) => h.trim().toLowerCase());
    const col = (...names) => head.findIndex((h) => names.includes(h));
    const t = col("text", "内容", "留言内容", "留言", "message"), i = col("id", "编号"), r = col("received_at", "收到时间");
    if (t < 0) throw new Error("CSV 表头中没有 text（或“内容”）列");
    return rows.slice(1).map((f) => {
      const m = { text: f[t] ?? "" };
      if (i >= 0 && f[i]) m.id = f[i];
      if (r >= 0 && f[r]) m.received_at = f[r];
      return m;
    });
  }

  async function runBatch() {
    const file = $("file").files[0];
    if (!file) return;
    showError($("batch-error"), "");
    $("download").disabled = true;
    let messages;
    try { messages = readMessages(file.name, await file.text()); } catch (e) { showError($("batch-error"), e.message); return; }
    const rows = [];
    const chunk = 500;
    for (let s = 0; s < messages.length; s += chunk) {
      $("batch-status").textContent = `正在分析 ${Math.min(s + chunk, messages.length)} / ${messages.length} 条…`;
      const part = messages.slice(s, s + chunk);
      const sendable = part.filter((m) => !m.__error);
      let results;
      try { results = (await post("/v1/triage/batch", { messages: sendable })).results; }
      catch (e) { showError($("batch-error"), "批量分析失败：" + e.message); return; }
      let k = 0;
      part.forEach((m, j) => {
        const r = m.__error ? { id: null, error: { code: "invalid_json", message: m.__error } } : results[k++];
        rows.push(toRow(s + j + 1, m, r));
      });
    }
    state.rows = rows;
    state.sort = null;
    $("batch-status").textContent = `共 ${rows.length} 条，其中 ${rows.filter((r) => r.flagged).length} 条带标记或出错（排在前面）。`;
    drawTable();
    $("download").disabled = !rows.length;
  }

  function toRow(index, m, r) {
    if (r.error) {
      return { index, id: r.id ?? m.id ?? "", flags: "错误：" + r.error.message, flagged: true, category: "", lead: "", co: "",
        route: "", text: typeof m.text === "string" ? m.text : "", result: r };
    }
    const flags = Object.entries(r.flags).filter(([, v]) => v).map(([k]) => FLAG[k] || k);
    return { index, id: r.id ?? "", flags: flags.join("、"), flagged: flags.length > 0, category: catName(r.category),
      lead: deptName(r.lead), co: r.co_handlers.map(deptName).join("、"),
      route: r.route ? `${CHANNEL[r.route.channel] || r.route.channel} → ${deptName(r.route.handler)}` : "不派单（预审拒收）", text: m.text, result: r };
  }

  function drawTable() {
    const rows = [...state.rows];
    const s = state.sort;
    rows.sort((a, b) => {
      if (s) {
        const x = a[s.key], y = b[s.key];
        const c = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
        if (c) return s.dir * c;
      } else if (a.flagged !== b.flagged) return a.flagged ? -1 : 1;
      return a.index - b.index;
    });
    for (const th of document.querySelectorAll("#table th")) {
      th.classList.toggle("asc", !!s && th.dataset.key === s.key && s.dir > 0);
      th.classList.toggle("desc", !!s && th.dataset.key === s.key && s.dir < 0);
    }
    $("table").hidden = false;
    $("table").tBodies[0].replaceChildren(...rows.map((r) => el("tr", { class: r.flagged ? "flagged" : "" },
      el("td", { text: String(r.index) }), el("td", { text: String(r.id) }), el("td", { text: r.flags }),
      el("td", { text: r.category }), el("td", { text: r.lead }), el("td", { text: r.co }), el("td", { text: r.route }),
      el("td", { class: "text", title: r.text, text: r.text }))));
  }

  function sortBy(key) {
    const s = state.sort;
    state.sort = s && s.key === key ? (s.dir > 0 ? { key, dir: -1 } : null) : { key, dir: 1 };
    drawTable();
  }

  function csvField(v) {
    const s = v == null ? "" : String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function downloadCSV() {
    const head = ["index", "id", "category", "category_name", "lead", "lead_name", "co_handlers", "channel", "handler",
      "vague", "multi_department", "reasons", "error", "ruleset_version", "text"];
    const lines = [head.join(",")];
    for (const row of [...state.rows].sort((a, b) => a.index - b.index)) {
      const r = row.result;
      const ok = !r.error;
      lines.push([row.index, row.id, ok ? r.category ?? "" : "", ok ? row.category : "", ok && r.lead ? r.lead.id : "", ok ? row.lead : "",
        ok ? r.co_handlers.map((d) => d.id).join(";") : "", ok && r.route ? r.route.channel : "", ok && r.route ? r.route.handler.id : "",
        ok ? r.flags.vague : "", ok ? r.flags.multi_department : "", ok ? r.reasons.map((x) => x.code).join(";") : "",
        ok ? "" : r.error.code + ": " + r.error.message, ok ? r.ruleset.version : "", row.text].map(csvField).join(","));
    }
    const blob = new Blob(["\uFEFF" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "triage-results.csv" });
    document.body.append(a); a.click(); a.remove();
  }

  function tab(which) {
    $("single").hidden = which !== "single"; $("batch").hidden = which !== "batch";
    $("tab-single").classList.toggle("active", which === "single"); $("tab-batch").classList.toggle("active", which === "batch");
  }

  $("form").addEventListener("submit", analyze);
  $("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) analyze(e); });
  $("copy-json").addEventListener("click", copyJSON);
  $("file").addEventListener("change", runBatch);
  $("download").addEventListener("click", downloadCSV);
  $("tab-single").addEventListener("click", () => tab("single"));
  $("tab-batch").addEventListener("click", () => tab("batch"));
  for (const th of document.querySelectorAll("#table th")) th.addEventListener("click", () => sortBy(th.dataset.key));
  loadRuleset();
})();

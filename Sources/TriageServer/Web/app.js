// 单条留言与批量文件：分析（不保存），或登记为案件（需登录）。
"use strict";
(function () {
  const T = window.Triage, el = T.el, $ = T.$;
  const state = { last: null, lastText: "", rows: [], sort: null, file: null };

  async function loadRuleset() {
    try {
      const j = await T.api("/v1/ruleset");
      const counts = Object.fromEntries(Object.entries(j.counts));
      $("ruleset").textContent = `规则集 ${j.name} · 版本 ${j.version.slice(0, 12)} · ${counts.rules} 条规则 · ${counts.departments} 个部门 · ${counts.items} 个事项`;
    } catch (e) {
      $("ruleset").textContent = "规则集未就绪：" + T.errorText(e);
    }
  }

  function showError(node, message) { node.textContent = message || ""; node.hidden = !message; }

  // ---- single message ----
  /** `2026-11-30T09:30` from a datetime-local input → `2026-11-30T09:30:00+08:00` (the desk's time zone). */
  function shanghai(local) { return local ? (local.length === 16 ? local + ":00" : local) + "+08:00" : null; }

  function messageFromForm() {
    const text = $("text").value;
    if (!text.trim()) { showError($("form-error"), "请输入留言内容"); return null; }
    const body = { text };
    const id = $("msg-id").value.trim();
    if (id) body.id = id;
    const at = shanghai($("received-at").value);
    if (at) body.received_at = at;
    return body;
  }

  async function analyze(ev) {
    if (ev) ev.preventDefault();
    showError($("form-error"), "");
    const body = messageFromForm();
    if (!body) return;
    $("analyze").disabled = true;
    try {
      render(await T.api("/v1/triage", { method: "POST", body }), body.text);
    } catch (e) {
      showError($("form-error"), "分析失败：" + T.errorText(e));
    } finally {
      $("analyze").disabled = false;
    }
  }

  async function register() {
    showError($("form-error"), "");
    const body = messageFromForm();
    if (!body) return;
    body.channel = $("msg-channel").value;
    $("register").disabled = true;
    try {
      const c = await T.api("/v1/cases", { method: "POST", body });
      T.flash(`已登记为案件 #${c.id}`);
      location.hash = "#/case/" + c.id;
      $("text").value = ""; $("msg-id").value = "";
    } catch (e) {
      showError($("form-error"), "登记失败：" + T.errorText(e));
    } finally {
      $("register").disabled = !T.session;
    }
  }

  function render(r, text) {
    state.last = r; state.lastText = text;
    $("result").hidden = false;
    $("r-proposal").replaceChildren(T.proposalView(r, text));
    $("r-json").textContent = JSON.stringify(r, null, 2);
    $("r-version").textContent = "规则集版本 " + r.ruleset.version;
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

  // ---- batch: reading the file ----

  /**
   * The encoding of a file: a byte-order mark decides (UTF-8, UTF-16 LE/BE); else many NUL bytes
   * at odd or even places mean UTF-16 without a mark; else strict UTF-8 if it decodes, and GB18030
   * (a superset of GBK, what Excel on Chinese Windows writes) if not.
   */
  function detectEncoding(b) {
    if (b.length >= 3 && b[0] === 0xEF && b[1] === 0xBB && b[2] === 0xBF) return "utf-8";
    if (b.length >= 2 && b[0] === 0xFF && b[1] === 0xFE) return "utf-16le";
    if (b.length >= 2 && b[0] === 0xFE && b[1] === 0xFF) return "utf-16be";
    const n = Math.min(b.length, 4096);
    let even = 0, odd = 0;
    for (let i = 0; i < n; i++) if (b[i] === 0) { if (i % 2) odd++; else even++; }
    if (n >= 4 && odd > n / 8 && even < n / 64) return "utf-16le";
    if (n >= 4 && even > n / 8 && odd < n / 64) return "utf-16be";
    try { new TextDecoder("utf-8", { fatal: true }).decode(b); return "utf-8"; } catch (_) { return "gb18030"; }
  }
  const ENCODING_NAME = { "utf-8": "UTF-8", gb18030: "GB18030/GBK", "utf-16le": "UTF-16", "utf-16be": "UTF-16 BE" };

  function decode(bytes, choice) {
    const encoding = choice === "auto" ? detectEncoding(bytes) : choice;
    // TextDecoder drops a byte-order mark of its own encoding.
    const text = new TextDecoder(encoding).decode(bytes);
    const bad = (text.match(/\uFFFD/g) || []).length;
    return { text, encoding, bad };
  }

  /**
   * CSV (comma or tab separated, RFC 4180 quotes) into records, each with the line it starts on
   * as in the file: blank lines count but make no record.
   */
  function parseDelimited(text, sep) {
    const records = [];
    let row = [], field = "", q = false, line = 1, start = 1, any = false;
    const end = () => { row.push(field); field = ""; if (any || row.some((f) => f.trim() !== "")) records.push({ line: start, cells: row }); row = []; any = false; };
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (q) {
        if (c === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else q = false; }
        else { if (c === "\n") line++; field += c; }
        continue;
      }
      if (c === '"') { q = true; any = true; }
      else if (c === sep) { row.push(field); field = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        end(); line++; start = line;
      } else field += c;
    }
    if (field !== "" || row.length) end();
    return records;
  }

  const HEAD = { text: ["text", "内容", "留言内容", "留言", "message"], id: ["id", "编号", "工单号"],
    received_at: ["received_at", "收到时间", "接收时间"], channel: ["channel", "渠道"] };
  const CHANNELS = { online: "online", window: "window", "意见征询": "online", "意见征询栏目": "online", "网上": "online", "窗口": "window", "找茬窗口": "window" };

  /** `2026/11/30 9:30`, `2026-11-30 09:30:00` (as Excel writes them) → ISO 8601 in +08:00; others as they are. */
  function normalizeTime(s) {
    const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s.trim());
    if (!m) return s.trim();
    const p = (x) => String(x || 0).padStart(2, "0");
    return `${m[1]}-${p(m[2])}-${p(m[3])}T${p(m[4])}:${p(m[5])}:${p(m[6])}+08:00`;
  }

  /** Messages of a file, each `{line, message}` or `{line, error}`; throws for a file that holds none. */
  function readMessages(name, text) {
    if (!text.replace(/^\uFEFF/, "").trim()) throw new Error("文件是空的，没有可读的留言");
    text = text.replace(/^\uFEFF/, "");
    const first = text.trimStart()[0];
    if (/\.jsonl?$/i.test(name) || first === "{") {
      const out = [];
      text.split(/\r?\n/).forEach((l, n) => {
        if (!l.trim()) return;
        let m;
        try { m = JSON.parse(l); } catch (_) { out.push({ line: n + 1, error: "不是有效的 JSON" }); return; }
        if (!m || typeof m !== "object" || Array.isArray(m)) { out.push({ line: n + 1, error: "不是 JSON 对象" }); return; }
        out.push({ line: n + 1, message: m });
      });
      return out;
    }
    const headLine = text.split(/\r?\n/).find((l) => l.trim()) || "";
    const sep = (headLine.match(/\t/g) || []).length > (headLine.match(/,/g) || []).length ? "\t" : ",";
    const records = parseDelimited(text, sep);
    const head = records[0].cells.map((h) => h.trim().replace(/^\uFEFF/, "").toLowerCase());
    const col = (k) => head.findIndex((h) => HEAD[k].includes(h));
    const t = col("text"), i = col("id"), r = col("received_at"), ch = col("channel");
    if (t < 0) throw new Error(`第 ${records[0].line} 行表头中没有 text（或“内容”）列；表头是：${records[0].cells.join("、")}`);
    if (records.length < 2) throw new Error("文件只有表头，没有留言");
    return records.slice(1).map(({ line, cells }) => {
      const m = { text: cells[t] ?? "" };
      if (i >= 0 && cells[i] && cells[i].trim()) m.id = cells[i].trim();
      if (r >= 0 && cells[r] && cells[r].trim()) m.received_at = normalizeTime(cells[r]);
      if (ch >= 0 && cells[ch] && cells[ch].trim()) {
        const c = CHANNELS[cells[ch].trim()];
        if (!c) return { line, error: `渠道“${cells[ch].trim()}”无法识别（应为 online/意见征询 或 window/窗口）` };
        m.channel = c;
      }
      return { line, message: m };
    });
  }

  // ---- batch: analysis and intake ----
  /** What is wrong with a message before the server sees it: no text, or blank text. */
  function localProblem(m) {
    if (!("text" in m) || m.text === null) return "缺少留言内容（text）";
    if (typeof m.text === "string" && !m.text.trim()) return "留言内容为空";
    return null;
  }

  async function runBatch() {
    const file = $("file").files[0];
    if (!file) return;
    showError($("batch-error"), "");
    $("download").disabled = true; $("batch-register").disabled = true;
    state.rows = []; $("table").hidden = true; $("batch-status").textContent = "";
    let entries, decoded;
    try {
      decoded = decode(new Uint8Array(await file.arrayBuffer()), $("encoding").value);
    } catch (e) {
      showError($("batch-error"), "无法按所选编码解码：" + e.message);
      return;
    }
    try {
      entries = readMessages(file.name, decoded.text);
    } catch (e) {
      const hint = decoded.bad ? `（有 ${decoded.bad} 个字符无法按 ${ENCODING_NAME[decoded.encoding] || decoded.encoding} 解码，可能选错了编码，请在“编码”中另选）` : "";
      showError($("batch-error"), "无法读取文件：" + e.message + hint);
      return;
    }
    state.file = { name: file.name, encoding: decoded.encoding, bad: decoded.bad };
    const rows = [];
    const chunk = 500;
    for (let s = 0; s < entries.length; s += chunk) {
      $("batch-status").textContent = `正在分析 ${Math.min(s + chunk, entries.length)} / ${entries.length} 条…`;
      const part = entries.slice(s, s + chunk);
      const sendable = part.filter((e) => e.message && !localProblem(e.message));
      let results = [];
      if (sendable.length) {
        try { results = (await T.api("/v1/triage/batch", { method: "POST", body: { messages: sendable.map((e) => e.message) } })).results; }
        catch (e) { showError($("batch-error"), "批量分析失败：" + T.errorText(e)); return; }
      }
      let k = 0;
      for (const e of part) {
        if (e.error) rows.push(errorRow(e.line, e.message, e.error));
        else if (localProblem(e.message)) rows.push(errorRow(e.line, e.message, localProblem(e.message)));
        else {
          const r = results[k++];
          rows.push(r.error ? errorRow(e.line, e.message, T.errorText(r.error)) : resultRow(e.line, e.message, r));
        }
      }
    }
    state.rows = rows;
    state.sort = null;
    summarize();
    drawTable();
    $("download").disabled = !rows.length;
    $("batch-register").disabled = !T.session || !rows.some((r) => !r.error);
  }

  function summarize(extra) {
    const rows = state.rows, f = state.file;
    const flagged = rows.filter((r) => r.flagged).length, errors = rows.filter((r) => r.error).length;
    let s = `共 ${rows.length} 条（按 ${ENCODING_NAME[f.encoding] || f.encoding} 解码），其中 ${flagged} 条带标记、待复核、拒收或出错（排在前面）` +
      (errors ? `，${errors} 条出错` : "") + "。";
    if (f.bad) s += ` 有 ${f.bad} 个字符无法按 ${ENCODING_NAME[f.encoding] || f.encoding} 解码（显示为 �），请在“编码”中选择正确的编码后重新选择文件。`;
    $("batch-status").textContent = s + (extra ? " " + extra : "");
  }

  function errorRow(line, m, message) {
    const text = m && typeof m.text === "string" ? m.text : "";
    return { line, id: m && m.id != null ? String(m.id) : "", flags: "错误：" + message, flagged: true, error: message, screening: "",
      category: "", lead: "", co: "", preDue: "", replyDue: "", escalation: "", caseID: "", text, message: m, result: null };
  }

  function resultRow(line, m, r) {
    const s = r.screening || { decision: "accept" };
    const flags = Object.entries(r.flags).filter(([, v]) => v).map(([k]) => T.FLAG[k] || k);
    if (s.decision !== "accept") flags.unshift(T.screeningText(s));
    const esc = r.escalation ? Object.keys(T.ESCALATION).filter((k) => r.escalation[k]).map((k) => T.ESCALATION[k]) : [];
    const d = r.deadlines || {};
    return { line, id: r.id ?? "", flags: flags.join("、"), flagged: flags.length > 0, error: null, screening: T.screeningText(s),
      category: T.catName(r.category), lead: T.deptName(r.lead), co: r.co_handlers.map(T.deptName).join("、"),
      preDue: d.pre_review_due || "", replyDue: d.reply_due || "", escalation: esc.join("、"), caseID: "",
      text: m.text, message: m, result: r };
  }

  async function registerBatch() {
    const todo = state.rows.filter((r) => !r.error && !r.caseID);
    if (!todo.length) return;
    $("batch-register").disabled = true;
    showError($("batch-error"), "");
    let created = 0, duplicates = 0, failed = 0;
    for (let s = 0; s < todo.length; s += 500) {
      const part = todo.slice(s, s + 500);
      $("batch-status").textContent = `正在登记 ${Math.min(s + 500, todo.length)} / ${todo.length} 条…`;
      let reply;
      try {
        reply = await T.api("/v1/cases/batch", { method: "POST", body: { channel: $("batch-channel").value, messages: part.map((r) => r.message) } });
      } catch (e) {
        showError($("batch-error"), `登记失败：${T.errorText(e)}。已登记 ${created} 件，其余未登记。`);
        break;
      }
      reply.results.forEach((x, j) => {
        const row = part[j];
        if (x.outcome === "created") { row.caseID = x.case_id; created++; }
        else if (x.outcome === "duplicate") { row.caseID = x.case_id; row.duplicate = true; duplicates++; }
        else { row.error = T.errorText(x.error); row.flags = "错误：" + row.error; row.flagged = true; failed++; }
      });
    }
    summarize(`已登记 ${created} 件` + (duplicates ? `，${duplicates} 条编号已登记过（标出已有案件）` : "") + (failed ? `，${failed} 条出错` : "") + "。");
    drawTable();
    $("batch-register").disabled = !state.rows.some((r) => !r.error && !r.caseID);
  }

  const COLUMNS = [["line", "行号"], ["id", "编号"], ["flags", "标记"], ["screening", "预审结论"], ["category", "类别"], ["lead", "主办"],
    ["co", "协办"], ["preDue", "预审截止"], ["replyDue", "答复截止"], ["escalation", "升级"], ["caseID", "案件"], ["text", "留言摘要"]];

  function drawTable() {
    const rows = [...state.rows];
    const s = state.sort;
    rows.sort((a, b) => {
      if (s) {
        const x = a[s.key], y = b[s.key];
        const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
        if (c) return s.dir * c;
      } else if (a.flagged !== b.flagged) return a.flagged ? -1 : 1;
      return a.line - b.line;
    });
    for (const b of document.querySelectorAll("#table th button")) {
      const th = b.parentNode, on = !!s && b.dataset.key === s.key;
      th.classList.toggle("asc", on && s.dir > 0); th.classList.toggle("desc", on && s.dir < 0);
      th.setAttribute("aria-sort", on ? (s.dir > 0 ? "ascending" : "descending") : "none");
    }
    $("table").hidden = false;
    $("table").tBodies[0].replaceChildren(...rows.map((r) => el("tr", { class: r.flagged ? "flagged" : "" },
      ...COLUMNS.map(([k, label]) => {
        if (k === "caseID") {
          return el("td", { "data-label": label }, r.caseID ? el("a", { href: "#/case/" + r.caseID, text: "#" + r.caseID + (r.duplicate ? "（已有）" : "") }) : "");
        }
        if (k === "text") return el("td", { "data-label": label, class: "text" }, el("div", { class: "clamp", text: r.text }));
        return el("td", { "data-label": label, class: k === "flags" && r.flagged ? "flag-cell" : "", text: String(r[k] ?? "") });
      }))));
  }

  function sortBy(key) {
    const s = state.sort;
    state.sort = s && s.key === key ? (s.dir > 0 ? { key, dir: -1 } : null) : { key, dir: 1 };
    drawTable();
  }

  /** One CSV cell: neutralised against formulas (a leading = + - @ tab or CR gets a '), then quoted. */
  function csvField(v) {
    let s = v == null ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  T.csvField = csvField;

  function downloadCSV() {
    const head = ["line", "id", "case_id", "screening", "reject_reason", "category", "category_name", "lead", "lead_name", "co_handlers",
      "channel", "handler", "vague", "multi_department", "received_at", "complexity", "pre_review_due", "reply_due",
      "leader_report", "coordination", "woodpecker_candidate", "reasons", "error", "ruleset_version", "text"];
    const lines = [head.join(",")];
    for (const row of [...state.rows].sort((a, b) => a.line - b.line)) {
      const r = row.result, ok = !!r && !row.error;
      const s = ok && r.screening ? r.screening : {}, d = ok && r.deadlines ? r.deadlines : {}, e = ok && r.escalation ? r.escalation : {};
      lines.push([row.line, row.id, row.caseID, s.decision || "", s.reason || "", ok ? r.category ?? "" : "", ok ? row.category : "",
        ok && r.lead ? r.lead.id : "", ok ? row.lead : "", ok ? r.co_handlers.map((x) => x.id).join(";") : "",
        ok && r.route ? r.route.channel : "", ok && r.route ? r.route.handler.id : "", ok ? r.flags.vague : "", ok ? r.flags.multi_department : "",
        d.received_at || "", d.complexity || "", d.pre_review_due || "", d.reply_due || "",
        ok ? !!e.leader_report : "", ok ? !!e.coordination : "", ok ? !!e.woodpecker_candidate : "",
        ok ? r.reasons.map((x) => x.code).join(";") : "", row.error || "", ok ? r.ruleset.version : "", row.text].map(csvField).join(","));
    }
    const blob = new Blob(["\uFEFF" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "triage-results.csv" });
    document.body.append(a); a.click(); a.remove();
  }

  /** Signed in or out: intake buttons follow. */
  T.onSession = T.onSession || [];
  T.onSession.push(() => {
    $("register").disabled = !T.session;
    $("register-hint").hidden = !!T.session || !T.desk;
    $("register").hidden = !T.desk;
    $("batch-register").hidden = !T.desk;
    $("batch-register").disabled = !T.session || !state.rows.some((r) => !r.error && !r.caseID);
  });

  $("form").addEventListener("submit", analyze);
  $("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) analyze(e); });
  $("register").addEventListener("click", register);
  $("copy-json").addEventListener("click", copyJSON);
  $("file").addEventListener("change", runBatch);
  $("encoding").addEventListener("change", () => { if ($("file").files[0]) runBatch(); });
  $("batch-register").addEventListener("click", registerBatch);
  $("download").addEventListener("click", downloadCSV);
  for (const b of document.querySelectorAll("#table th button")) b.addEventListener("click", () => sortBy(b.dataset.key));
  T.rerenderAnalysis = () => { if (state.last) render(state.last, state.lastText); if (state.rows.length) drawTable(); };
  T.readMessages = readMessages; T.detectEncoding = detectEncoding;
  loadRuleset();
})();

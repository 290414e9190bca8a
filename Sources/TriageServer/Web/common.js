// 预审分拨页面的公共部分：中文词表、接口调用、证据标注、判定理由、案件意见单。
// 由 app.js（分析）、desk.js（工作台）和 print.js（打印）共用，挂在 window.Triage 上。
"use strict";
(function () {
  const T = {};
  window.Triage = T;

  // ---- words staff read ----
  T.CATEGORY_NONE = "未能判定";
  T.ROUTE = { direct: "直接处理（不派单）", hotline: "12345 热线派单" };
  T.CHANNEL = { online: "意见征询栏目", window: "找茬窗口" };
  T.FLAG = { vague: "诉求不明确", multi_department: "涉及多部门" };
  T.KIND = { category: "类别依据", item: "事项", department: "部门", cue: "标记线索", screening: "预审筛查", escalation: "升级依据", topic: "话题" };
  T.KINDS = ["category", "item", "department", "cue", "screening", "escalation", "topic"];
  T.SCREENING = { accept: "受理", needs_review: "待人工复核", reject: "拒收" };
  T.REJECT = { spam: "广告或垃圾信息", abuse: "辱骂且无诉求", gibberish: "无意义内容", off_topic: "与政务服务无关" };
  T.ESCALATION = { leader_report: "专报区领导", coordination: "区行政服务中心协调", woodpecker_candidate: "啄木鸟案例候选" };
  T.COMPLEXITY = { simple: "简单（5 个工作日）", complex: "复杂（15 个工作日）" };
  T.STATUS = { awaiting_review: "待预审", dispatched: "已派单·待答复", rejected: "已拒收", replied: "已答复" };
  T.CASE_FLAG = {
    needs_review: "待人工复核", rejected: "拒收", vague: "诉求不明确", multi_department: "涉及多部门",
    leader_report: "专报区领导", coordination: "需协调", woodpecker_candidate: "啄木鸟候选", corrected: "人工修改过",
  };
  T.ACTION = { accept: "接受建议", correct: "修改建议" };
  T.EVENT = { created: "登记", decided: "预审决定", replied: "记录答复" };
  T.FIELD = {
    category: "类别", lead: "主办", co_handlers: "协办", screening: "预审结论", vague: "诉求不明确",
    multi_department: "涉及多部门", leader_report: "专报区领导", coordination: "需协调", woodpecker_candidate: "啄木鸟候选",
  };

  // ---- DOM ----
  T.el = function (tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c != null && c !== false) e.append(c);
    return e;
  };
  const el = T.el;
  T.$ = (id) => document.getElementById(id);

  T.tags = function (list, cls) {
    const frag = document.createDocumentFragment();
    if (!list.length) frag.append("—");
    for (const t of list) frag.append(el("span", { class: "tag" + (cls ? " " + cls : ""), text: t }));
    return frag;
  };

  T.facts = function (pairs) {
    return el("dl", { class: "facts" }, ...pairs.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)]));
  };

  // ---- the server ----
  T.session = null;   // {user, csrf_token, expires_at} once signed in
  T.desk = true;      // false when the server runs without a case store

  /** An API error: HTTP status, the error's code, field and message, and the whole body. */
  class ApiError extends Error {
    constructor(status, body) {
      const e = (body && body.error) || {};
      super(e.message || `服务返回 ${status}`);
      this.status = status; this.code = e.code || ""; this.field = e.field || ""; this.body = body;
    }
  }
  T.ApiError = ApiError;

  /** JSON over fetch, with the session's CSRF token on every write. */
  T.api = async function (path, options) {
    const o = options || {};
    const headers = { Accept: "application/json" };
    if (o.body !== undefined) headers["Content-Type"] = "application/json";
    if (o.method && o.method !== "GET" && T.session) headers["X-CSRF-Token"] = T.session.csrf_token;
    let r;
    try {
      r = await fetch(path, { method: o.method || "GET", headers, credentials: "same-origin",
        body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    } catch (e) {
      throw new ApiError(0, { error: { code: "network", message: "无法连接服务" } });
    }
    if (r.status === 204) return null;
    let body = null;
    try { body = await r.json(); } catch (_) { body = null; }
    if (!r.ok) throw new ApiError(r.status, body);
    return body;
  };

  /** The Chinese text for an API error. */
  T.errorText = function (err) {
    const f = err.field || "";
    const byField = { text: "留言内容", id: "编号", received_at: "收到时间", dispatched_at: "派单时间", channel: "渠道",
      reason: "理由", "labels.lead": "主办部门", "labels.category": "类别", "labels.departments": "部门",
      "labels.co_handlers": "协办部门", "labels.screening": "预审结论" };
    const name = byField[f] || f;
    switch (err.code) {
      case "network": return "无法连接服务，请检查网络后重试";
      case "unauthenticated": case "invalid_session": return "尚未登录或登录已过期，请重新登录";
      case "invalid_credentials": return "用户名或密码不正确";
      case "csrf_failed": return "页面已过期，请刷新后重试";
      case "staff_only": return "只有登录的预审人员可以这样做";
      case "missing_scope": return "权限不足";
      case "case_not_found": return "没有这个案件";
      case "invalid_transition": return "案件状态已变化，不能再这样处理（可能已被他人处理）";
      case "duplicate": return "编号已登记" + (err.body && err.body.error && err.body.error.case_id ? `（案件 #${err.body.error.case_id}）` : "");
      case "invalid_decision":
        if (f === "reason") return "修改建议须填写理由";
        if (f === "labels.lead") return "派单须有主办部门";
        if (f === "labels.category") return "派单须选择类别";
        if (f === "labels.departments" || f === "labels.co_handlers") return "部门不在知识库中";
        return "预审决定无效：" + err.message;
      case "missing_field": return `缺少${name || "字段"}`;
      case "wrong_type": return `${name || "字段"}的类型不对`;
      case "invalid_field":
        if (f === "text") return "留言内容为空";
        if (f === "id") return "编号须为 1–200 个字符";
        if (f === "received_at" || f === "dispatched_at") return `${name}无法识别（应为 2026-11-30 09:30 或 2026-11-30T09:30:00+08:00）`;
        return `${name}无效`;
      case "invalid_json": return "不是有效的 JSON";
      case "not_an_object": return "不是 JSON 对象";
      case "invalid_utf8": return "不是 UTF-8 编码";
      case "body_too_large": return "内容太大";
      case "too_many_messages": return "一次提交的留言太多";
      case "not_ready": return "规则集尚未就绪";
      default: return err.message || "出错了";
    }
  };

  // ---- the rule set's words ----
  T.glossary = null;
  // Evidence ids by kind (`category` evidence cites classification rules), and category names apart.
  const names = { category: {}, item: {}, department: {}, cue: {}, screening: {}, escalation: {}, topic: {} };
  const categoryNames = {};
  T.categories = [];   // [{id, name}]
  T.departments = [];  // [{id, name, full_name, aliases}]
  T.items = [];        // [{id, name, department, aliases}]

  T.loadGlossary = async function () {
    const g = await T.api("/v1/ruleset/glossary");
    T.glossary = g;
    T.categories = g.categories;
    T.departments = g.departments;
    T.items = g.items;
    for (const c of g.categories) categoryNames[c.id] = c.name;
    for (const d of g.departments) names.department[d.id] = d.name;
    for (const i of g.items) names.item[i.id] = i.name;
    for (const c of g.combined) names.item[c.id] = "一件事：" + c.name;
    for (const t of g.topics) names.topic[t.id] = t.name;
    for (const [kind, map] of Object.entries(g.rules)) Object.assign(names[kind], map);
    return g;
  };

  T.catName = (id) => id == null ? T.CATEGORY_NONE : (categoryNames[id] || id);
  T.deptName = (d) => {
    if (!d) return "—";
    if (typeof d === "string") return names.department[d] || d;
    return d.name || names.department[d.id] || d.id;
  };
  /** The Chinese words for an evidence id of a kind: a rule's description, an item's or department's name. */
  T.describe = (kind, id) => (names[kind] && names[kind][id]) || id;
  const anyKind = (id) => { for (const k of T.KINDS) if (names[k][id]) return names[k][id]; return null; };

  /** A rule id as staff see it: the description, with the id shown on hover or focus (for maintainers). */
  T.ruleSpan = (kind, id) => el("span", { class: "rid", tabindex: "0", "data-rule": id, text: kind ? T.describe(kind, id) : (anyKind(id) || id) });

  /** A reason's Chinese message, with any rule id in it replaced by the rule's description. */
  T.ruleText = function (message) {
    const frag = document.createDocumentFragment();
    const re = /[a-z][a-z0-9_]*/g;
    let last = 0, m;
    while ((m = re.exec(message))) {
      const text = anyKind(m[0]);
      if (!text) continue;
      // When the message says the description already, the id becomes a small 规则 mark (id on hover or focus).
      const span = message.includes(text) ? el("span", { class: "rid rid-mini", tabindex: "0", "data-rule": m[0], text: "规则" }) : T.ruleSpan(null, m[0]);
      frag.append(message.slice(last, m.index), span);
      last = m.index + m[0].length;
    }
    frag.append(message.slice(last));
    return frag;
  };

  T.reasonList = function (list) {
    return el("ul", { class: "reasons" }, ...(list || []).map((x) =>
      el("li", {}, T.ruleText(x.message), " ", el("code", { class: "code", text: x.code }))));
  };

  // ---- times ----
  /** A deadline day as staff read it: `2026-12-01 日终`, or — when there is none. */
  T.dueText = (day) => day ? day + " 日终" : "—";
  /** `2026-11-30T09:30:00+08:00` → `2026-11-30 09:30`. */
  T.fmtTime = (iso) => iso ? iso.slice(0, 16).replace("T", " ") : "—";
  /** Seconds left → `剩 6 小时 20 分`, or `逾期 1 天 2 小时`. */
  T.countdown = function (seconds) {
    if (seconds == null) return "—";
    const s = Math.abs(seconds), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    const span = d > 0 ? `${d} 天 ${h} 小时` : h > 0 ? `${h} 小时 ${m} 分` : `${m} 分`;
    return (seconds <= 0 ? "逾期 " : "剩 ") + span;
  };

  // ---- evidence ----
  /**
   * The message with its evidence marked. Every mark is focusable; focusing or tapping it shows
   * what it supports in `details` (no hover-only tooltips). Offsets count Unicode scalars, and
   * Array.from splits a string into scalars.
   */
  T.highlight = function (text, evidence, details) {
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
      const label = covering.map((e) => `${T.KIND[e.kind] || e.kind}：${T.describe(e.kind, e.rule)}`).join("；");
      const mark = el("mark", { class: "ev ev-" + main.kind, tabindex: "0", role: "button", "aria-label": `${piece}（${label}）`,
        "data-rule": covering.map((e) => e.rule).join(" "), "data-kind": covering.map((e) => e.kind).join(" "), text: piece });
      const show = () => {
        for (const m of mark.parentNode ? mark.parentNode.querySelectorAll("mark.on") : []) m.classList.remove("on");
        mark.classList.add("on");
        if (details) details.replaceChildren(el("div", { class: "ev-quote", text: `「${piece}」` }),
          el("ul", { class: "ev-list" }, ...covering.map((e) => el("li", {},
            el("span", { class: "ev ev-" + e.kind, text: T.KIND[e.kind] || e.kind }), " ", T.ruleSpan(e.kind, e.rule)))));
      };
      mark.addEventListener("focus", show);
      mark.addEventListener("click", show);
      frag.append(mark);
    }
    return frag;
  };

  T.legend = () => el("div", { class: "legend" }, ...T.KINDS.map((k) => el("span", { class: "ev ev-" + k, text: T.KIND[k] })));

  // ---- one result, laid out for people ----
  T.screeningText = (s) => (T.SCREENING[s.decision] || s.decision) + (s.reason ? "：" + (T.REJECT[s.reason] || s.reason) : "");
  T.screeningLabelText = function (label) {
    if (!label) return "—";
    if (label.startsWith("reject:")) return "拒收：" + (T.REJECT[label.slice(7)] || label.slice(7));
    return T.SCREENING[label] || label;
  };

  /** Departments by score, with why each is or is not the lead ("为什么不是…"). */
  T.departmentScores = function (r) {
    const rows = [...(r.departments || [])].sort((a, b) => b.score - a.score);
    if (!rows.length) return el("p", { class: "meta", text: "留言中没有识别到部门证据。" });
    const lead = r.lead && r.lead.id, co = new Set(r.co_handlers.map((d) => d.id));
    const leadScore = (rows.find((d) => d.id === lead) || {}).score;
    return el("table", { class: "scores" },
      el("thead", {}, el("tr", {}, el("th", { text: "部门" }), el("th", { text: "得分" }), el("th", { text: "结论" }))),
      el("tbody", {}, ...rows.map((d) => {
        let why;
        if (d.id === lead) why = "主办";
        else if (co.has(d.id)) why = "协办";
        else if (leadScore != null) why = `为什么不是它：得分 ${d.score}，低于主办 ${T.deptName(r.lead)} 的 ${leadScore}`;
        else why = `为什么不是它：主办由${T.deptName(r.lead)}担任（见判定理由）`;
        return el("tr", { class: d.id === lead ? "lead" : "" }, el("td", { "data-label": "部门", text: d.name }),
          el("td", { "data-label": "得分", text: String(d.score) }), el("td", { "data-label": "结论", text: why }));
      })));
  };

  /**
   * The engine's proposal: 预审结论 first (a rejected message must not look dispatched), then
   * category, lead, route, deadlines, escalation, reasons, department scores and the marked text.
   */
  T.proposalView = function (r, text) {
    const s = r.screening || { decision: "accept", reasons: [] };
    const rejected = s.decision === "reject";
    const flags = Object.entries(r.flags).filter(([, v]) => v).map(([k]) => T.FLAG[k] || k);
    const route = rejected ? "不派单（预审拒收）" : r.route ? `${T.ROUTE[r.route.channel] || r.route.channel} → ${T.deptName(r.route.handler)}` : "—";
    const main = el("div", { class: "card" },
      el("h2", { text: "引擎建议" }),
      T.facts([
        ["预审结论", el("span", { class: "tag screening " + (s.decision === "accept" ? "ok" : "flag"), text: T.screeningText(s) })],
        ["类别", el("span", { class: "category-name", text: T.catName(r.category) })],
        ["主办", el("span", { class: "lead-name", text: T.deptName(r.lead) })],
        ["协办", T.tags(r.co_handlers.map(T.deptName))],
        ["分拨", route],
        ["事项", T.tags([...r.items.map((i) => i.name), ...r.combined.map((c) => "一件事：" + c.name)])],
        ["标记", flags.length ? T.tags(flags, "flag") : el("span", { class: "tag ok", text: "无" })],
      ]),
      el("h3", { text: "预审筛查理由" }), T.reasonList(s.reasons));
    const d = r.deadlines;
    const time = d ? el("div", { class: "card" }, el("h2", { text: "办理时限" }), T.facts([
      ["收到时间", T.fmtTime(d.received_at) + (d.received_at_defaulted ? "（未提供，按当前时间）" : "")],
      ["复杂程度", T.COMPLEXITY[d.complexity] || d.complexity],
      ["预审截止", el("span", { class: "pre-review-due", text: d.pre_review_due ? d.pre_review_due + " 日终" + (d.provisional ? "（暂定）" : "") : "—" })],
      ["答复截止", el("span", { class: "reply-due", text: d.reply_due ? d.reply_due + " 日终" + (d.reply_counted_from === "dispatched_at" ? "（自派单日起算）" : "") + (d.provisional ? "（暂定）" : "") : "—" })],
      // A year whose holiday notice is not in the calendar yet: statutory holidays only.
      ...(d.provisional ? [["暂定时限", el("span", { class: "tag flag deadline-provisional", text: d.provisional.message })]] : []),
      ...(d.error ? [["无法计算", d.error.message]] : []),
      ["依据", T.reasonList(d.reasons)],
    ])) : null;
    const e = r.escalation;
    const on = e ? Object.keys(T.ESCALATION).filter((k) => e[k]).map((k) => T.ESCALATION[k]) : [];
    const esc = e ? el("div", { class: "card" }, el("h2", { text: "升级提示" }), T.facts([
      ["提示", on.length ? T.tags(on, "flag") : el("span", { class: "tag ok", text: "无" })],
      ...(e.reasons && e.reasons.length ? [["理由", T.reasonList(e.reasons)]] : []),
    ])) : null;
    const reasons = el("div", { class: "card" }, el("h2", { text: "判定理由" }), T.reasonList(r.reasons),
      el("h3", { text: "部门得分（为什么不是…）" }), T.departmentScores(r));
    const details = el("div", { class: "ev-details", "aria-live": "polite" },
      el("p", { class: "meta", text: "用 Tab 键或点按带底色的词，查看它支持的判断。" }));
    const marked = el("div", { class: "card" }, el("h2", { text: "证据标注" }),
      el("div", { class: "marked" }, T.highlight(text, r.evidence, details)), T.legend(), details);
    return el("div", { class: "proposal" }, main, time, esc, reasons, marked);
  };

  // ---- a case ----
  T.labelsText = function (l) {
    const flags = Object.entries(l.flags).filter(([, v]) => v).map(([k]) => T.FLAG[k] || k)
      .concat(Object.entries(l.escalation).filter(([, v]) => v).map(([k]) => T.ESCALATION[k] || k));
    return { category: T.catName(l.category), lead: T.deptName(l.lead), co: l.co_handlers.map(T.deptName).join("、") || "—",
      screening: T.screeningLabelText(l.screening), flags: flags.join("、") || "无" };
  };

  /** Which fields a decision changed, from its history entry. */
  T.changedFields = function (c) {
    const ev = (c.history || []).find((h) => h.kind === "decided");
    return ev && ev.data && ev.data.changed ? ev.data.changed : [];
  };

  /** The 预审意见单: one A4 page for the file, in Chinese. */
  T.caseSheet = function (c) {
    const r = c.result;
    const p = T.labelsText(c.proposal), l = T.labelsText(c.labels);
    const decided = !!c.decision;
    const changed = T.changedFields(c).map((f) => T.FIELD[f] || f);
    const row = (k, v, cls) => el("tr", { class: cls || "" }, el("th", { text: k }), el("td", {}, v));
    return el("article", { class: "sheet" },
      el("header", {}, el("h1", { text: "浦东新区意见征询 预审意见单" }),
        el("p", { class: "sheet-meta", text: `案件 #${c.id} · 编号 ${c.message_id || "—"} · ${T.CHANNEL[c.channel] || c.channel}` })),
      el("table", { class: "sheet-table" }, el("tbody", {},
        row("收到时间", T.fmtTime(c.received_at)),
        row("留言内容", el("div", { class: "sheet-text", text: c.text })),
        row("案件状态", T.STATUS[c.status] || c.status),
        row("预审结论", decided ? l.screening : p.screening + "（引擎建议，尚未预审）"),
        row("类别", decided ? l.category : p.category),
        row("主办部门", el("strong", { text: decided ? l.lead : p.lead })),
        row("协办部门", decided ? l.co : p.co),
        row("标记与升级", decided ? l.flags : p.flags),
        row("复杂程度", T.COMPLEXITY[c.complexity] || c.complexity || "—"),
        row("预审截止", T.dueText(c.pre_review_due)),
        row("答复截止", T.dueText(c.reply_due)),
        row("引擎建议", `${p.category} · 主办 ${p.lead} · 协办 ${p.co} · ${p.screening}`),
        row("预审决定", decided ? (T.ACTION[c.decision] + (changed.length ? `（改动：${changed.join("、")}）` : "")) : "尚未预审"),
        row("决定理由", c.decision_reason || "—"),
        row("预审人", decided ? `${c.decided_by || "—"} · ${T.fmtTime(c.decided_at)}` : "—"),
        row("判定依据", r ? T.reasonList(r.reasons) : "—", "sheet-reasons"),
      )),
      el("footer", {}, el("span", { text: "预审人签字：" }), el("span", { class: "sign" }),
        el("span", { text: `打印时间 ${T.fmtTime(new Date(Date.now() + 8 * 3600e3).toISOString())}` }),
        el("span", { text: `规则集 ${c.ruleset_version.slice(0, 12)}` })));
  };

  // ---- maintainers see ids inline ----
  T.initIdToggle = function (box) {
    const on = localStorage.getItem("triage.showIds") === "1";
    document.body.classList.toggle("show-ids", on);
    if (!box) return;
    box.checked = on;
    box.addEventListener("change", () => {
      document.body.classList.toggle("show-ids", box.checked);
      localStorage.setItem("triage.showIds", box.checked ? "1" : "0");
    });
  };
})();

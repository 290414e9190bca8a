// 工作台：登录、今日工作清单（待预审按预审截止、逾期在前；待答复按答复截止）、筛选与搜索、
// 打开案件、接受或修改引擎建议并写明理由、记录答复。页面间用地址栏的 #/… 切换，浏览器后退可用。
"use strict";
(function () {
  const T = window.Triage, el = T.el, $ = T.$;
  T.onSession = T.onSession || [];
  const state = { lists: {}, fetchedAt: 0, caseData: null, lead: null, co: [], filtersReady: false };

  // ---- flash messages ----
  T.flash = function (message) {
    const f = $("flash");
    f.textContent = message; f.hidden = !message;
    clearTimeout(T.flash.timer);
    if (message) T.flash.timer = setTimeout(() => { f.hidden = true; }, 8000);
  };

  // ---- session ----
  async function loadSession() {
    try {
      T.session = await T.api("/v1/session");
    } catch (e) {
      T.session = null;
      if (e.status === 404) T.desk = false;
    }
    sessionChanged();
  }

  function sessionChanged() {
    $("who").hidden = !T.session;
    if (T.session) $("who-name").textContent = `${T.session.user.name}（${T.session.user.username}）`;
    $("tab-desk").hidden = !T.desk;
    for (const f of T.onSession) f();
  }

  async function signIn(ev) {
    ev.preventDefault();
    const error = $("si-error");
    error.hidden = true;
    $("si-submit").disabled = true;
    try {
      T.session = await T.api("/v1/session", { method: "POST", body: { username: $("si-user").value.trim(), password: $("si-pass").value } });
      $("si-pass").value = "";
      sessionChanged();
      route();
    } catch (e) {
      error.textContent = T.errorText(e); error.hidden = false;
      $("si-pass").select();
    } finally {
      $("si-submit").disabled = false;
    }
  }

  async function signOut() {
    try { await T.api("/v1/session", { method: "DELETE" }); } catch (_) { /* the cookie is cleared or expired either way */ }
    T.session = null;
    sessionChanged();
    location.hash = "#/";
    route();
  }

  /** An API call that sends the user back to the sign-in form when the session has ended. */
  async function call(path, options) {
    try {
      return await T.api(path, options);
    } catch (e) {
      if (e.status === 401) { T.session = null; sessionChanged(); route(); }
      throw e;
    }
  }

  // ---- routing ----
  function show(view) {
    for (const id of ["desk", "single", "batch"]) $(id).hidden = id !== view.section;
    for (const [tab, section] of [["tab-desk", "desk"], ["tab-single", "single"], ["tab-batch", "batch"]]) {
      $(tab).classList.toggle("active", section === view.section);
      $(tab).setAttribute("aria-selected", section === view.section ? "true" : "false");
    }
    $("signin").hidden = view.part !== "signin";
    $("no-desk").hidden = view.part !== "no-desk";
    $("worklist").hidden = view.part !== "worklist";
    $("case").hidden = view.part !== "case";
  }

  function route() {
    const hash = location.hash || "#/";
    if (hash === "#/single") return show({ section: "single" });
    if (hash === "#/batch") return show({ section: "batch" });
    if (!T.desk) return show({ section: "desk", part: "no-desk" });
    if (!T.session) {
      show({ section: "desk", part: "signin" });
      setTimeout(() => $("si-user").focus(), 0);
      return;
    }
    const m = /^#\/case\/(\d+)$/.exec(hash);
    if (m) { show({ section: "desk", part: "case" }); openCase(Number(m[1])); return; }
    show({ section: "desk", part: "worklist" });
    loadWorklist();
  }

  // ---- the worklist ----
  function fillFilters() {
    if (state.filtersReady || !T.glossary) return;
    state.filtersReady = true;
    for (const d of [...T.departments].sort((a, b) => a.name.localeCompare(b.name, "zh-CN"))) {
      $("f-department").append(el("option", { value: d.id, text: d.name }));
    }
    for (const c of T.categories) $("f-category").append(el("option", { value: c.id, text: c.name }));
    for (const [k, v] of Object.entries(T.CASE_FLAG)) $("f-flag").append(el("option", { value: k, text: v }));
  }

  function filterQuery(status) {
    const p = new URLSearchParams();
    if (status !== "all") p.set("status", status);
    for (const [id, key] of [["f-department", "department"], ["f-category", "category"], ["f-flag", "flag"]]) {
      if ($(id).value) p.set(key, $(id).value);
    }
    const q = $("f-q").value.trim();
    if (q) p.set("q", q);
    if ($("f-overdue").checked && (status === "awaiting_review" || status === "dispatched")) p.set("overdue", "true");
    return p;
  }

  async function loadWorklist() {
    fillFilters();
    const scope = $("f-status").value;
    const lists = scope === "today" ? [["list-review", "awaiting_review"], ["list-reply", "dispatched"]] : [["list-other", scope]];
    $("list-review").hidden = scope !== "today";
    $("list-reply").hidden = scope !== "today";
    $("list-other").hidden = scope === "today";
    if (scope !== "today") {
      $("list-other-title").textContent = scope === "all" ? "全部案件（新登记在前）" :
        (T.STATUS[scope] || scope) + (scope === "awaiting_review" ? "（按预审截止，逾期在前）" : scope === "dispatched" ? "（按答复截止）" : "（新登记在前）");
    }
    state.lists = {};
    try {
      const pages = await Promise.all(lists.map(([, status]) => call("/v1/cases?" + filterQuery(status).toString() + "&limit=50")));
      state.fetchedAt = Date.now();
      lists.forEach(([id, status], i) => { state.lists[id] = { status, page: pages[i], items: pages[i].cases }; drawList(id); });
      drawCounts(pages[0].counts);
      // For scripts/bench-desk.sh: when the worklist stood on the screen, in ms since navigation start.
      performance.mark("worklist-rendered");
    } catch (e) {
      if (e.status !== 401) T.flash("工作清单加载失败：" + T.errorText(e));
    }
  }

  async function more(id) {
    const l = state.lists[id];
    try {
      const p = await call("/v1/cases?" + filterQuery(l.status).toString() + `&limit=50&offset=${l.items.length}`);
      l.items = l.items.concat(p.cases); l.page = p;
      drawList(id);
    } catch (e) { T.flash("加载失败：" + T.errorText(e)); }
  }

  function drawCounts(c) {
    const chip = (status, text, late) => el("button", { type: "button", class: "count" + (late ? " late" : ""),
      onclick: () => { $("f-status").value = status; loadWorklist(); } }, text);
    $("counts").replaceChildren(
      chip("awaiting_review", `待预审 ${c.awaiting_review}` + (c.overdue_review ? `（逾期 ${c.overdue_review}）` : ""), c.overdue_review > 0),
      chip("dispatched", `待答复 ${c.dispatched}` + (c.overdue_reply ? `（逾期 ${c.overdue_reply}）` : ""), c.overdue_reply > 0),
      chip("rejected", `已拒收 ${c.rejected}`), chip("replied", `已答复 ${c.replied}`), chip("all", `全部 ${c.total}`));
  }

  /** Seconds left now, from the server's count at the time of the fetch (so the PC's clock does not matter). */
  const leftNow = (c) => c.seconds_left == null ? null : c.seconds_left - Math.floor((Date.now() - state.fetchedAt) / 1000);

  function drawList(id) {
    const l = state.lists[id];
    const body = $(id).querySelector(".list-body");
    if (!l.items.length) {
      body.replaceChildren(el("p", { class: "empty", text: l.page.total === 0 ? "没有符合条件的案件。" : "" }));
      return;
    }
    const dueHead = l.status === "dispatched" ? "答复截止" : l.status === "awaiting_review" ? "预审截止" : "截止";
    const table = el("table", { class: "cases stack" },
      el("thead", {}, el("tr", {}, ...["案件", dueHead, "剩余时间", "收到", "类别", "主办", "预审结论 / 标记", "留言摘要"].map((h) => el("th", { text: h })))),
      el("tbody", {}, ...l.items.map((c) => caseRow(c, l.status))));
    const rest = l.page.total - l.items.length;
    body.replaceChildren(table,
      el("p", { class: "meta" }, `共 ${l.page.total} 件` + (l.page.overdue ? `，逾期 ${l.page.overdue} 件` : "") + `，显示 ${l.items.length} 件。`,
        rest > 0 ? el("button", { type: "button", class: "link", onclick: () => more(id), text: `显示更多（还有 ${rest} 件）` }) : null));
  }

  function caseRow(c, status) {
    const left = leftNow(c);
    const due = c.status === "dispatched" ? c.reply_due : c.status === "awaiting_review" ? c.pre_review_due : null;
    const l = c.labels;
    const marks = [T.screeningLabelText(l.screening)];
    for (const [k, v] of Object.entries(l.flags)) if (v) marks.push(T.FLAG[k]);
    for (const [k, v] of Object.entries(l.escalation)) if (v) marks.push(T.ESCALATION[k]);
    if (c.decision === "correct") marks.push("人工修改过");
    const link = el("a", { href: "#/case/" + c.id, class: "case-link", text: "#" + c.id });
    const tr = el("tr", { class: (c.overdue ? "overdue " : "") + (l.screening !== "accept" ? "flagged" : ""), "data-id": c.id },
      el("td", { "data-label": "案件" }, el("div", {}, link, " ", el("span", { class: "meta nowrap", text: c.message_id || "" }))),
      el("td", { "data-label": status === "dispatched" ? "答复截止" : "预审截止", text: T.dueText(due) }),
      el("td", { "data-label": "剩余时间" }, left == null ? "—" : el("span", { class: "countdown" + (left <= 0 ? " late" : left < 4 * 3600 ? " soon" : ""),
        "data-seconds": c.seconds_left, text: T.countdown(left) })),
      el("td", { "data-label": "收到" }, el("div", {}, el("span", { class: "nowrap", text: T.fmtTime(c.received_at) }), " ",
        el("span", { class: "meta nowrap", text: T.CHANNEL[c.channel] || c.channel }))),
      el("td", { "data-label": "类别", text: T.catName(l.category) }),
      el("td", { "data-label": "主办", text: T.deptName(l.lead) }),
      el("td", { "data-label": "预审结论", text: marks.join("、") }),
      el("td", { "data-label": "留言", class: "text" }, el("div", { class: "clamp", text: c.text })));
    tr.addEventListener("click", (e) => { if (e.target.tagName !== "A") location.hash = "#/case/" + c.id; });
    return tr;
  }

  // Countdowns tick once a minute.
  setInterval(() => {
    for (const s of document.querySelectorAll(".countdown[data-seconds]")) {
      const left = Number(s.dataset.seconds) - Math.floor((Date.now() - state.fetchedAt) / 1000);
      s.textContent = T.countdown(left);
      s.classList.toggle("late", left <= 0);
    }
  }, 60000);

  // ---- one case ----
  async function openCase(id) {
    delete document.body.dataset.case;
    $("case-title").textContent = `案件 #${id}`;
    $("case-proposal").replaceChildren(el("p", { class: "meta", text: "加载中…" }));
    $("d-error").hidden = true; $("r-error").hidden = true;
    let c;
    try {
      c = await call("/v1/cases/" + id);
    } catch (e) {
      if (e.status !== 401) $("case-proposal").replaceChildren(el("p", { class: "error", text: T.errorText(e) }));
      return;
    }
    state.caseData = c;
    state.fetchedAt = Date.now();
    drawCase(c);
  }

  function drawCase(c) {
    $("case-title").textContent = `案件 #${c.id} · ${T.STATUS[c.status] || c.status}`;
    $("print-link").href = `/cases/${c.id}/print`;
    const left = leftNow(c);
    const l = T.labelsText(c.labels);
    $("case-facts").replaceChildren(
      el("div", { class: "message-text", text: c.text }),
      T.facts([
        ["编号", c.message_id || "—"], ["渠道", T.CHANNEL[c.channel] || c.channel], ["收到时间", T.fmtTime(c.received_at)],
        ["状态", el("span", { class: "case-status", text: T.STATUS[c.status] || c.status })],
        ["预审截止", T.dueText(c.pre_review_due)], ["答复截止", T.dueText(c.reply_due)],
        ...(left != null ? [["剩余时间", el("span", { class: "countdown" + (left <= 0 ? " late" : ""), text: T.countdown(left) })]] : []),
        ...(c.decision ? [
          ["预审决定", `${T.ACTION[c.decision]}（${c.decided_by} · ${T.fmtTime(c.decided_at)}）`],
          ["决定理由", c.decision_reason || "—"],
          ["现行结论", `${l.screening} · ${l.category} · 主办 ${l.lead} · 协办 ${l.co} · 标记 ${l.flags}`],
        ] : []),
      ]));
    $("case-history").replaceChildren(...c.history.map((h) => el("li", {},
      el("strong", { text: T.EVENT[h.kind] || h.kind }), ` ${T.fmtTime(h.at)} · ${h.actor}`,
      h.kind === "decided" ? ` · ${T.ACTION[h.data.action]}` + (h.data.changed && h.data.changed.length ? `（改动：${h.data.changed.map((f) => T.FIELD[f] || f).join("、")}）` : "") +
        (h.data.reason ? ` · 理由：${h.data.reason}` : "") : "",
      h.kind === "replied" && h.data.note ? ` · ${h.data.note}` : "")));
    $("case-proposal").replaceChildren(c.result ? T.proposalView(c.result, c.text) : el("p", { text: "（无引擎结果）" }));
    const open = c.status === "awaiting_review";
    $("decide").hidden = !open;
    $("reply-box").hidden = c.status !== "dispatched";
    if (open) resetCorrection(c);
    document.body.dataset.case = String(c.id);  // the case on the screen (tests wait for it)
  }

  // ---- decisions ----
  function resetCorrection(c) {
    $("correct").hidden = true;
    $("correct-open").setAttribute("aria-expanded", "false");
    $("d-note").value = ""; $("d-reason").value = "";
    const p = c.proposal;
    const screening = $("d-screening");
    screening.replaceChildren(...[["accept", "受理"], ["needs_review", "待人工复核（仍派单）"],
      ...Object.entries(T.REJECT).map(([k, v]) => ["reject:" + k, "拒收：" + v])].map(([v, t]) => el("option", { value: v, text: t })));
    screening.value = p.screening;
    $("d-category").replaceChildren(el("option", { value: "", text: "（无）" }), ...T.categories.map((x) => el("option", { value: x.id, text: x.name })));
    $("d-category").value = p.category || "";
    state.lead = p.lead;
    state.co = [...p.co_handlers];
    leadBox.set(state.lead);
    drawChips();
    const flags = Object.assign({}, p.flags, p.escalation);
    $("d-flags").replaceChildren(...[["vague", "诉求不明确"], ["multi_department", "涉及多部门"], ["leader_report", "专报区领导"],
      ["coordination", "需区行政服务中心协调"], ["woodpecker_candidate", "啄木鸟案例候选"]].map(([k, t]) =>
      el("label", { class: "check" }, el("input", { type: "checkbox", id: "d-flag-" + k, checked: !!flags[k] }), " " + t)));
    syncRejected();
  }

  function syncRejected() {
    const rejected = $("d-screening").value.startsWith("reject:");
    for (const id of ["d-category", "d-lead-input", "d-co-input"]) if ($(id)) $(id).disabled = rejected;
  }

  function drawChips() {
    $("d-co-chips").replaceChildren(...state.co.map((id) => el("span", { class: "chip" }, T.deptName(id),
      el("button", { type: "button", class: "chip-x", "aria-label": "移除 " + T.deptName(id), text: "×",
        onclick: () => { state.co = state.co.filter((x) => x !== id); drawChips(); $("d-co-input").focus(); } }))));
  }

  async function decide(body) {
    const c = state.caseData;
    $("d-error").hidden = true;
    for (const b of [$("accept"), $("d-submit")]) b.disabled = true;
    try {
      const after = await call(`/v1/cases/${c.id}/decision`, { method: "POST", body });
      const l = T.labelsText(after.labels);
      T.flash(after.status === "rejected" ? `案件 #${after.id} 已拒收（${l.screening}）。` :
        `案件 #${after.id} 已派单至 ${l.lead}${after.labels.co_handlers.length ? "，协办 " + l.co : ""}，答复截止 ${after.reply_due} 日终。`);
      location.hash = "#/";
    } catch (e) {
      $("d-error").textContent = "未能保存：" + T.errorText(e); $("d-error").hidden = false;
      if (e.code === "invalid_transition") openCase(c.id);
    } finally {
      for (const b of [$("accept"), $("d-submit")]) b.disabled = false;
    }
  }

  function accept() {
    const note = $("d-note").value.trim();
    decide(note ? { action: "accept", reason: note } : { action: "accept" });
  }

  function submitCorrection(ev) {
    ev.preventDefault();
    const reason = $("d-reason").value.trim();
    const error = $("d-error");
    const screening = $("d-screening").value;
    const rejected = screening.startsWith("reject:");
    let problem = null;
    if (!reason) problem = "请写明修改理由";
    else if (!rejected && !$("d-category").value) problem = "派单须选择类别";
    else if (!rejected && !state.lead) problem = "派单须选择主办部门";
    if (problem) {
      error.textContent = problem; error.hidden = false;
      (!reason ? $("d-reason") : !$("d-category").value ? $("d-category") : $("d-lead-input")).focus();
      return;
    }
    const flag = (k) => $("d-flag-" + k).checked;
    decide({ action: "correct", reason, labels: {
      category: rejected ? null : $("d-category").value || null, lead: rejected ? null : state.lead,
      co_handlers: rejected ? [] : state.co.filter((x) => x !== state.lead), screening,
      flags: { vague: flag("vague"), multi_department: flag("multi_department") },
      escalation: { leader_report: flag("leader_report"), coordination: flag("coordination"), woodpecker_candidate: flag("woodpecker_candidate") },
    } });
  }

  async function reply() {
    const c = state.caseData;
    $("r-error").hidden = true;
    try {
      const note = $("r-note").value.trim();
      await call(`/v1/cases/${c.id}/reply`, { method: "POST", body: note ? { note } : {} });
      T.flash(`案件 #${c.id} 已记录答复。`);
      location.hash = "#/";
    } catch (e) {
      $("r-error").textContent = "未能保存：" + T.errorText(e); $("r-error").hidden = false;
    }
  }

  // ---- choosing a department: a combobox over the knowledge base ----
  /**
   * Searches departments by name, full name, alias and id, and service items by name and alias
   * (an item suggests its department: "谁管充电桩？"). Keyboard: ↓/↑ move, Enter picks, Esc closes.
   */
  function combobox(host, id, placeholder, onPick) {
    const input = el("input", { id: id + "-input", type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": id + "-list", autocomplete: "off", placeholder });
    const list = el("ul", { id: id + "-list", role: "listbox", class: "combo-list", hidden: true });
    host.replaceChildren(input, list);
    let options = [], active = -1;
    const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; };
    const pick = (o) => { close(); onPick(o.dept); };
    const mark = () => {
      [...list.children].forEach((li, i) => li.setAttribute("aria-selected", i === active ? "true" : "false"));
      if (active >= 0) { input.setAttribute("aria-activedescendant", list.children[active].id); list.children[active].scrollIntoView({ block: "nearest" }); }
    };
    const search = () => {
      const q = input.value.trim().toLowerCase();
      options = suggest(q);
      list.replaceChildren(...options.map((o, i) => el("li", { id: `${id}-opt-${i}`, role: "option", "aria-selected": "false",
        onmousedown: (e) => { e.preventDefault(); pick(o); } }, el("strong", { text: o.name }), o.note ? el("span", { class: "meta", text: " " + o.note }) : "")));
      list.hidden = !options.length;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      active = options.length ? 0 : -1;
      mark();
    };
    input.addEventListener("input", search);
    input.addEventListener("focus", search);
    input.addEventListener("blur", () => setTimeout(close, 100));
    input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) search(); else { active = Math.min(active + 1, options.length - 1); mark(); } }
      else if (e.key === "ArrowUp") { e.preventDefault(); active = Math.max(active - 1, 0); mark(); }
      else if (e.key === "Enter") { if (!list.hidden && active >= 0) { e.preventDefault(); pick(options[active]); } }
      else if (e.key === "Escape") { if (!list.hidden) { e.preventDefault(); e.stopPropagation(); close(); } }
    });
    return { input, set: (dept) => { input.value = dept ? T.deptName(dept) : ""; } };
  }

  function suggest(q) {
    const out = [], seen = new Set();
    const add = (dept, note) => { if (!seen.has(dept)) { seen.add(dept); out.push({ dept, name: T.deptName(dept), note }); } };
    for (const d of T.departments) {
      const hay = [d.name, d.full_name, d.id, ...d.aliases].map((x) => x.toLowerCase());
      if (!q || hay.some((h) => h.includes(q))) add(d.id, d.full_name !== d.name ? d.full_name : "");
    }
    if (q) {
      for (const i of T.items) {
        if (out.length >= 30) break;
        if ([i.name, ...i.aliases].some((x) => x.toLowerCase().includes(q))) add(i.department, "事项：" + i.name);
      }
    }
    return out.slice(0, 30);
  }

  const leadBox = combobox($("d-lead"), "d-lead", "输入部门名称、简称或事项搜索", (dept) => { state.lead = dept; leadBox.set(dept); });
  const coBox = combobox($("d-co"), "d-co", "输入部门或事项，回车加入协办", (dept) => {
    if (dept !== state.lead && !state.co.includes(dept)) state.co.push(dept);
    coBox.set(null); drawChips();
  });

  // ---- wiring ----
  $("signin").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); loadWorklist(); });
  for (const id of ["f-status", "f-department", "f-category", "f-flag", "f-overdue"]) $(id).addEventListener("change", loadWorklist);
  $("accept").addEventListener("click", accept);
  $("correct-open").addEventListener("click", () => {
    $("correct").hidden = false; $("correct-open").setAttribute("aria-expanded", "true"); $("d-screening").focus();
  });
  $("correct-cancel").addEventListener("click", () => { resetCorrection(state.caseData); $("correct-open").focus(); });
  $("d-screening").addEventListener("change", syncRejected);
  $("decide").addEventListener("submit", submitCorrection);
  $("d-reason").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submitCorrection(e); });
  $("r-submit").addEventListener("click", reply);
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (e.key === "/" && !typing && !$("worklist").hidden) { e.preventDefault(); $("f-q").focus(); }
    else if (e.key === "Escape" && !$("case").hidden && !typing) { location.hash = "#/"; }
    else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && document.activeElement.classList.contains("case-link")) {
      e.preventDefault();
      const links = [...document.querySelectorAll("#worklist .case-link")];
      const i = links.indexOf(document.activeElement) + (e.key === "ArrowDown" ? 1 : -1);
      if (links[i]) links[i].focus();
    }
  });
  window.addEventListener("hashchange", route);
  T.initIdToggle($("show-ids"));

  (async () => {
    try { await T.loadGlossary(); } catch (e) { T.flash("规则集词表加载失败：" + T.errorText(e)); }
    await loadSession();
    route();
    if (T.rerenderAnalysis) T.rerenderAnalysis();
    document.body.dataset.ready = "1";
  })();
})();

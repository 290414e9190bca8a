// 预审意见单（打印页）：/cases/{id}/print。案件内容凭登录 Cookie 从 /v1/cases/{id} 读取。
"use strict";
(function () {
  const T = window.Triage, $ = T.$, el = T.el;
  const m = /^\/cases\/(\d+)\/print$/.exec(location.pathname);
  $("print").addEventListener("click", () => window.print());
  (async () => {
    if (!m) { $("sheet").replaceChildren(el("p", { class: "error", text: "地址中没有案件号" })); return; }
    try {
      await T.loadGlossary();
      const c = await T.api("/v1/cases/" + m[1]);
      document.title = `预审意见单 · 案件 #${c.id}`;
      $("sheet").replaceChildren(T.caseSheet(c));
      document.body.dataset.ready = "1";
    } catch (e) {
      $("sheet").replaceChildren(el("p", { class: "error" }, T.errorText(e) + " ", el("a", { href: "/", text: "到工作台登录" })));
      document.body.dataset.ready = "error";
    }
  })();
})();

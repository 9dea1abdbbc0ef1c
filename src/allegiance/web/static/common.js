// Shared by every page: pole colours (as in the report), fetching JSON, small DOM helpers.
(function () {
  "use strict";
  const AL = (window.AL = window.AL || {});
  // Okabe-Ito palette, the report's colours of the poles.
  AL.POLE_COLOURS = { RUS: "#D55E00", USA: "#0072B2", CHN: "#E69F00", TUR: "#009E73", EU: "#CC79A7" };
  AL.POLE_NAMES = { RUS: "Russia", USA: "United States", CHN: "China", TUR: "Türkiye", EU: "European Union" };
  AL.json = async function (url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail; } catch (e) { /* not JSON */ }
      throw new Error(`${url}: ${response.status} ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
    }
    return response.json();
  };
  AL.el = function (tag, attrs, text) {
    const svgTags = ["svg", "g", "path", "line", "polyline", "polygon", "text", "rect", "circle", "title"];
    const node = svgTags.includes(tag)
      ? document.createElementNS("http://www.w3.org/2000/svg", tag)
      : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  };
  AL.fmt = function (v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return "–";
    return typeof v === "number" ? v.toFixed(digits === undefined ? 2 : digits) : String(v);
  };
  AL.problem = function (where, error) {
    const p = AL.el("p", { class: "problem" }, String(error.message || error));
    where.appendChild(p);
  };
})();

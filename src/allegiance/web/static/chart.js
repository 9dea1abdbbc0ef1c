// A small SVG line chart with bands: series of {x, y, lo, hi} points, a legend and a
// hover read-out. Enough for the state page; no library.
(function () {
  "use strict";
  const AL = (window.AL = window.AL || {});
  const W = 720, H = 260, M = { top: 12, right: 12, bottom: 28, left: 44 };

  function ticks(lo, hi, n) {
    const span = hi - lo || 1;
    const step0 = span / n, mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => span / s <= n) || mag * 10;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(+v.toFixed(10));
    return out;
  }

  AL.lineChart = function (figure, spec) {
    const series = spec.series.filter((s) => s.points.length);
    const svg = AL.el("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img", "aria-label": spec.label || "" });
    if (!series.length) {
      figure.insertBefore(AL.el("p", { class: "note" }, "insufficient data"), figure.firstChild);
      figure.dataset.drawn = "1";
      return;
    }
    const xs = series.flatMap((s) => s.points.map((p) => p.x));
    const ys = series.flatMap((s) => s.points.flatMap((p) => [p.y, p.lo, p.hi])).filter((v) => v !== null && v !== undefined && !Number.isNaN(v));
    const x0 = Math.min(...xs), x1 = Math.max(...xs);
    const y0 = spec.ymin !== undefined ? Math.min(spec.ymin, ...ys) : Math.min(...ys);
    const y1 = spec.ymax !== undefined ? Math.max(spec.ymax, ...ys) : Math.max(...ys);
    const sx = (x) => M.left + ((x - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
    const sy = (y) => H - M.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - M.top - M.bottom);
    const axes = AL.el("g", { class: "axes" });
    for (const t of ticks(y0, y1, 5)) {
      axes.appendChild(AL.el("line", { x1: M.left, x2: W - M.right, y1: sy(t), y2: sy(t), class: "grid" }));
      axes.appendChild(AL.el("text", { x: M.left - 6, y: sy(t) + 4, "text-anchor": "end" }, String(t)));
    }
    for (const t of ticks(x0, x1, 8)) {
      axes.appendChild(AL.el("text", { x: sx(t), y: H - 8, "text-anchor": "middle" }, String(Math.round(t))));
    }
    svg.appendChild(axes);
    for (const s of series) {
      const g = AL.el("g", { class: "series", "data-series": s.key });
      const banded = s.points.filter((p) => p.lo !== null && p.lo !== undefined && p.hi !== null && p.hi !== undefined);
      if (banded.length > 1) {
        const upper = banded.map((p) => `${sx(p.x).toFixed(1)},${sy(p.hi).toFixed(1)}`);
        const lower = banded.slice().reverse().map((p) => `${sx(p.x).toFixed(1)},${sy(p.lo).toFixed(1)}`);
        g.appendChild(AL.el("polygon", { points: upper.concat(lower).join(" "), fill: s.colour, class: "band" }));
      }
      // Gaps in the series (missing years) break the line rather than bridge it.
      let run = [];
      const flush = () => {
        if (run.length > 1) g.appendChild(AL.el("polyline", { points: run.join(" "), stroke: s.colour, class: "line" }));
        if (run.length === 1) {
          const [cx, cy] = run[0].split(",");
          g.appendChild(AL.el("circle", { cx, cy, r: 2.5, fill: s.colour }));
        }
        run = [];
      };
      let prev = null;
      for (const p of s.points) {
        if (p.y === null || p.y === undefined || (prev !== null && p.x - prev > (spec.gap || 1))) flush();
        if (p.y !== null && p.y !== undefined) run.push(`${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`);
        prev = p.x;
      }
      flush();
      svg.appendChild(g);
    }
    const cursor = AL.el("line", { class: "cursor", y1: M.top, y2: H - M.bottom, x1: -10, x2: -10 });
    svg.appendChild(cursor);
    const legend = AL.el("p", { class: "chart-legend" });
    for (const s of series) {
      const item = AL.el("span", {});
      const sw = AL.el("i", { class: "sw" });
      sw.style.background = s.colour;
      item.append(sw, document.createTextNode(s.label));
      legend.appendChild(item);
    }
    const readout = AL.el("p", { class: "readout" }, " ");
    svg.addEventListener("mousemove", (e) => {
      const box = svg.getBoundingClientRect();
      const x = x0 + (((e.clientX - box.left) * (W / box.width) - M.left) / (W - M.left - M.right)) * (x1 - x0);
      const xr = Math.round(x);
      cursor.setAttribute("x1", sx(xr)); cursor.setAttribute("x2", sx(xr));
      readout.textContent = `${xr}: ` + series.map((s) => {
        const p = s.points.find((q) => q.x === xr);
        return `${s.label} ${p ? AL.fmt(p.y) : "–"}`;
      }).join(" · ");
    });
    figure.insertBefore(readout, figure.firstChild);
    figure.insertBefore(legend, figure.firstChild);
    figure.insertBefore(svg, figure.firstChild);
    figure.dataset.drawn = "1";
  };
})();

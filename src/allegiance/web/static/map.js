// A world map of Natural Earth shapes (from /api/v1/map/shapes) in SVG, Miller projection;
// zoom with the buttons, the wheel or a drag; a tooltip and a click per state.
(function () {
  "use strict";
  const AL = (window.AL = window.AL || {});
  const WIDTH = 1000;
  const SCALE = WIDTH / (2 * Math.PI);
  const TOP = 2.0; // Miller y at 84° N
  const HEIGHT = Math.round((TOP + 1.2) * SCALE); // down to 60° S
  const VIEWS = { world: [0, 0, WIDTH, HEIGHT] };

  function project(lon, lat) {
    const phi = (Math.max(-85, Math.min(85, lat)) * Math.PI) / 180;
    const y = 1.25 * Math.log(Math.tan(Math.PI / 4 + 0.4 * phi));
    return [((lon + 180) / 360) * WIDTH, (TOP - y) * SCALE];
  }
  AL.project = project;
  const [ex0, ey0] = project(-12, 72);
  const [ex1, ey1] = project(150, 22);
  VIEWS.eurasia = [ex0, ey0, ex1 - ex0, ey1 - ey0];

  function ringPath(ring) {
    let d = "";
    ring.forEach(([lon, lat], i) => {
      const [x, y] = project(lon, lat);
      d += (i ? "L" : "M") + x.toFixed(1) + "," + y.toFixed(1);
    });
    return d + "Z";
  }
  function geometryPath(g) {
    if (!g) return "";
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    return polygons.map((poly) => poly.map(ringPath).join("")).join("");
  }

  // Draw every feature but Antarctica; returns {paths: {ISO3: path}, setView}.
  AL.drawMap = function (svg, collection, options) {
    const opts = options || {};
    svg.setAttribute("viewBox", VIEWS.world.join(" "));
    const layer = AL.el("g", { class: "shapes" });
    const paths = {};
    const tooltip = document.getElementById("tooltip");
    for (const f of collection.features) {
      const iso3 = f.properties.iso3;
      if (iso3 === "ATA") continue; // not a state
      const p = AL.el("path", { d: geometryPath(f.geometry), "data-iso3": iso3, "data-name": f.properties.name, class: "state s-none", tabindex: "0" });
      paths[iso3] = p;
      layer.appendChild(p);
    }
    svg.appendChild(layer);
    let view = VIEWS.world.slice();
    function setView(v) {
      view = v.slice();
      svg.setAttribute("viewBox", view.map((n) => n.toFixed(1)).join(" "));
    }
    function zoom(factor) {
      const [x, y, w, h] = view;
      const nw = Math.min(WIDTH, w / factor), nh = Math.min(HEIGHT, h / factor);
      setView([x + (w - nw) / 2, y + (h - nh) / 2, nw, nh]);
    }
    document.querySelectorAll("[data-view]").forEach((b) => b.addEventListener("click", () => setView(VIEWS[b.dataset.view])));
    document.querySelectorAll("[data-zoom]").forEach((b) => b.addEventListener("click", () => zoom(parseFloat(b.dataset.zoom))));
    svg.addEventListener("wheel", (e) => { e.preventDefault(); zoom(e.deltaY < 0 ? 1.25 : 0.8); }, { passive: false });
    let drag = null, moved = false;
    svg.addEventListener("pointerdown", (e) => { drag = [e.clientX, e.clientY, view.slice()]; moved = false; });
    svg.addEventListener("pointermove", (e) => {
      if (drag) {
        const dx = e.clientX - drag[0], dy = e.clientY - drag[1];
        if (Math.abs(dx) + Math.abs(dy) > 4) moved = true;
        if (moved) {
          const k = drag[2][2] / svg.clientWidth;
          setView([drag[2][0] - dx * k, drag[2][1] - dy * k, drag[2][2], drag[2][3]]);
        }
      }
      const target = e.target.closest ? e.target.closest("path.state") : null;
      if (!tooltip) return;
      if (target && opts.info) {
        tooltip.replaceChildren(...opts.info(target.dataset.iso3, target.dataset.name));
        tooltip.hidden = false;
        const box = svg.getBoundingClientRect();
        tooltip.style.left = e.clientX - box.left + 14 + "px";
        tooltip.style.top = e.clientY - box.top + 14 + "px";
      } else {
        tooltip.hidden = true;
      }
    });
    svg.addEventListener("pointerup", () => { drag = null; });
    svg.addEventListener("pointerleave", () => { drag = null; if (tooltip) tooltip.hidden = true; });
    svg.addEventListener("click", (e) => {
      const target = e.target.closest ? e.target.closest("path.state") : null;
      if (target && !moved && opts.onClick) opts.onClick(target.dataset.iso3);
    });
    svg.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && e.target.dataset && e.target.dataset.iso3 && opts.onClick) opts.onClick(e.target.dataset.iso3);
    });
    return { paths, setView, views: VIEWS };
  };
})();

// The home page: each state coloured by its standing towards the chosen pole and year.
(function () {
  "use strict";
  const AL = window.AL;
  const controls = document.getElementById("map-controls");
  const svg = document.getElementById("map");
  const poleSelect = document.getElementById("pole");
  const slider = document.getElementById("year");
  const label = document.getElementById("year-label");
  const caption = document.getElementById("map-caption");
  const tbody = document.querySelector("#standing-table tbody");
  const STATUS_CLASS = { "in sphere": "s-in", contested: "s-contested", outside: "s-outside", "insufficient data": "s-none" };
  const SINGLE_STATE_POLES = ["RUS", "USA", "CHN", "TUR"];
  let map = null, rows = {}, request = 0, timer = null;

  const query = new URLSearchParams(location.search);
  if (query.get("pole") && AL.POLE_COLOURS[query.get("pole")]) poleSelect.value = query.get("pole");
  const qYear = parseInt(query.get("year"), 10);
  if (qYear >= +controls.dataset.first && qYear <= +controls.dataset.last) slider.value = qYear;
  label.textContent = slider.value;

  function info(iso3, name) {
    const r = rows[iso3];
    const lines = [AL.el("strong", {}, name + " (" + iso3 + ")")];
    if (iso3 === poleSelect.value) lines.push(AL.el("div", {}, "the pole itself"));
    else if (!r) lines.push(AL.el("div", {}, "insufficient data"));
    else {
      lines.push(AL.el("div", {}, `${r.status} · index ${AL.fmt(r.pole_index)} [${AL.fmt(r.lower)}–${AL.fmt(r.upper)}]`));
      lines.push(AL.el("div", {}, `leader ${r.leader} (${AL.fmt(r.leader_index)}), lead ${AL.fmt(r.lead)}`));
      if (r.top_channels) lines.push(AL.el("div", {}, "top channels: " + r.top_channels));
    }
    return lines;
  }

  function csvLinks(pole, year) {
    const url = `/api/v1/sphere?pole=${pole}&year=${year}&format=csv`;
    document.getElementById("map-csv").href = url;
    document.getElementById("table-csv").href = url;
  }

  async function colour() {
    const pole = poleSelect.value, year = slider.value, mine = ++request;
    csvLinks(pole, year);
    history.replaceState(null, "", `/?pole=${pole}&year=${year}`);
    svg.dataset.state = "loading";
    let page;
    try {
      page = await AL.json(`/api/v1/sphere?pole=${pole}&year=${year}&limit=10000`);
    } catch (e) {
      caption.textContent = String(e.message || e);
      return;
    }
    if (mine !== request) return;
    rows = {};
    for (const r of page.data) rows[r.state] = r;
    svg.style.setProperty("--pole", AL.POLE_COLOURS[pole]);
    const counts = {};
    for (const [iso3, path] of Object.entries(map.paths)) {
      let status = rows[iso3] ? rows[iso3].status : "insufficient data";
      let cls = STATUS_CLASS[status] || "s-other";
      if (iso3 === pole) { status = "pole"; cls = "s-pole"; }
      else if (SINGLE_STATE_POLES.includes(iso3) && !rows[iso3]) { status = "a pole"; cls = "s-pole-other"; }
      path.setAttribute("class", "state " + cls);
      path.dataset.status = status;
      counts[status] = (counts[status] || 0) + 1;
    }
    tbody.replaceChildren(...page.data.map((r) => {
      const tr = AL.el("tr");
      const a = AL.el("a", { href: "/state/" + r.state }, (map.paths[r.state] && map.paths[r.state].dataset.name) || r.state);
      const td = AL.el("td"); td.appendChild(a); tr.appendChild(td);
      tr.appendChild(AL.el("td", {}, r.status));
      tr.appendChild(AL.el("td", { class: "n" }, AL.fmt(r.pole_index)));
      tr.appendChild(AL.el("td", { class: "n" }, `${AL.fmt(r.lower)}–${AL.fmt(r.upper)}`));
      tr.appendChild(AL.el("td", {}, r.leader || "–"));
      tr.appendChild(AL.el("td", { class: "n" }, AL.fmt(r.lead)));
      tr.appendChild(AL.el("td", {}, r.top_channels || r.channels || ""));
      return tr;
    }));
    caption.textContent = `${AL.POLE_NAMES[pole]}, ${year}: ` +
      ["in sphere", "contested", "outside", "insufficient data"].map((s) => `${counts[s] || 0} ${s}`).join(", ") +
      `. A state is in a pole's sphere when that pole's index leads, is at least 0.40, by at least 0.05, on at least two channels.`;
    svg.dataset.state = "ready";
    svg.dataset.pole = pole;
    svg.dataset.year = year;
  }

  function later() {
    label.textContent = slider.value;
    clearTimeout(timer);
    timer = setTimeout(colour, 120);
  }

  AL.json("/api/v1/map/shapes").then((shapes) => {
    map = AL.drawMap(svg, shapes, { info, onClick: (iso3) => { location.href = "/state/" + iso3; } });
    svg.dataset.shapes = String(Object.keys(map.paths).length);
    poleSelect.addEventListener("change", colour);
    slider.addEventListener("input", later);
    return colour();
  }).catch((e) => { caption.textContent = String(e.message || e); });
})();

// The resolution page: each state coloured by its vote.
(function () {
  "use strict";
  const AL = window.AL;
  const svg = document.getElementById("map");
  const symbol = svg.dataset.symbol;
  Promise.all([AL.json("/api/v1/map/shapes"), AL.json("/api/v1/votes?limit=10000&symbol=" + encodeURIComponent(symbol))])
    .then(([shapes, page]) => {
      const votes = {};
      for (const r of page.data) votes[r.state] = r.vote;
      const map = AL.drawMap(svg, shapes, {
        info: (iso3, name) => [AL.el("strong", {}, name), AL.el("div", {}, votes[iso3] || "no vote recorded")],
        onClick: (iso3) => { location.href = "/state/" + iso3; },
      });
      for (const [iso3, path] of Object.entries(map.paths)) {
        const v = votes[iso3];
        path.setAttribute("class", "state " + (v ? "v-" + v : "s-none"));
        path.dataset.vote = v || "";
      }
      svg.dataset.state = "ready";
    })
    .catch((e) => AL.problem(svg.parentNode, e));
})();

// The state page's charts: the index of each pole, agreement with each pole, ideal points.
(function () {
  "use strict";
  const AL = window.AL;
  const POLES = Object.keys(AL.POLE_COLOURS);
  const num = (v) => (v === null || v === undefined ? null : +v);

  async function indexChart() {
    const fig = document.getElementById("chart-index");
    const page = await AL.json(fig.dataset.src);
    AL.lineChart(fig, {
      label: "influence index", ymin: 0, ymax: 1,
      series: POLES.map((pole) => ({
        key: pole, label: AL.POLE_NAMES[pole], colour: AL.POLE_COLOURS[pole],
        points: page.data.filter((r) => r.pole === pole).map((r) => ({ x: r.year, y: num(r.index), lo: num(r.lower), hi: num(r.upper) })),
      })),
    });
  }

  async function alignmentChart() {
    const fig = document.getElementById("chart-alignment");
    const page = await AL.json(fig.dataset.src);
    AL.lineChart(fig, {
      label: "agreement", ymin: 0, ymax: 1,
      series: POLES.map((pole) => ({
        key: pole, label: AL.POLE_NAMES[pole], colour: AL.POLE_COLOURS[pole],
        points: page.data.filter((r) => r[pole] !== null && r[pole] !== undefined).map((r) => ({ x: r.year, y: num(r[pole]) })),
      })),
    });
  }

  async function idealChart() {
    const fig = document.getElementById("chart-ideal");
    const state = fig.dataset.state;
    const others = ["RUS", "USA"].filter((s) => s !== state);
    const pages = await Promise.all([state, ...others].map((s) => AL.json(`/api/v1/ideal-points?limit=10000&state=${s}`)));
    const colours = { RUS: AL.POLE_COLOURS.RUS, USA: AL.POLE_COLOURS.USA };
    AL.lineChart(fig, {
      label: "ideal point",
      series: [state, ...others].map((s, i) => ({
        key: s, label: s, colour: i === 0 ? "#222222" : colours[s],
        points: pages[i].data.map((r) => ({ x: r.year, y: num(r.estimate), lo: num(r.lower), hi: num(r.upper) })),
      })),
    });
  }

  Promise.allSettled([indexChart(), alignmentChart(), idealChart()]).then((results) => {
    results.forEach((r, i) => {
      if (r.status === "rejected") {
        const fig = document.querySelectorAll("figure.chart")[i];
        AL.problem(fig, r.reason);
      }
    });
    document.body.dataset.charts = results.every((r) => r.status === "fulfilled") ? "drawn" : "failed";
  });
})();

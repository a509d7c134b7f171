/* detente dashboard: chart and network islands. Each reads its data from the page or the JSON API,
   draws, then sets data-ready="1" (tests wait on it). Animations are off when <body data-test="1">. */
(function () {
  "use strict";
  var testMode = document.body.dataset.test === "1";
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var QUAD_COLOURS = dark ? ["#66bb6a", "#64b5f6", "#ffa726", "#ef5350"] : ["#2e7d32", "#1565c0", "#ef6c00", "#c62828"];
  var LANG_COLOURS = dark ? ["#b39ddb", "#80cbc4", "#fff176", "#f48fb1"] : ["#5e35b1", "#00897b", "#f9a825", "#d81b60"];
  var TEXT = dark ? "#e3e7ee" : "#1c2330";

  function load(el) {
    if (el.dataset.json) {
      var node = document.getElementById(el.dataset.json);
      return Promise.resolve(JSON.parse(node.textContent));
    }
    return fetch(el.dataset.src, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  function fail(el, err) {
    el.textContent = "Could not load the chart: " + err.message;
    el.dataset.ready = "error";
  }

  function addDays(iso, n) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function timeline(el, data) {
    var unit = el.dataset.unit || "events";  /* a story's chart counts articles per language */
    if (!data.total) { el.textContent = "No dated " + unit + " match."; el.dataset.ready = "1"; return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    var many = data.periods.length > 60;
    chart.setOption({
      animation: !testMode,
      textStyle: { color: TEXT },
      color: unit === "events" ? QUAD_COLOURS : LANG_COLOURS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, textStyle: { color: TEXT } },
      grid: { left: 40, right: 16, top: 36, bottom: many ? 60 : 28 },
      xAxis: { type: "category", data: data.periods, axisLabel: { color: TEXT } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: TEXT } },
      dataZoom: many ? [{ type: "slider", bottom: 8 }, { type: "inside" }] : [],
      series: data.series.map(function (s) {
        return { name: s.label, type: "bar", stack: unit, barMaxWidth: 48, data: s.counts || s.events, quad: s.quad_class };
      })
    });
    chart.on("click", function (p) {
      var base = el.dataset.link;
      if (!base) { return; }
      var start = data.periods[p.dataIndex];
      var end = data.interval === "week" ? addDays(start, 6) : start;
      var url = new URL(base, window.location.href);
      url.searchParams.set("date_from", start);
      url.searchParams.set("date_to", end);
      url.searchParams.set("quad_class", String(p.seriesIndex + 1));
      window.location.href = url.pathname + url.search;
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  }

  function goldsteinColour(g) {
    // -10 red … 0 grey … +10 green
    var t = Math.max(-1, Math.min(1, g / 10));
    var grey = [150, 150, 160], red = [198, 40, 40], green = [46, 125, 50];
    var end = t < 0 ? red : green, k = Math.abs(t);
    var c = grey.map(function (v, i) { return Math.round(v + (end[i] - v) * k); });
    return "rgb(" + c.join(",") + ")";
  }

  function network(el, data) {
    if (!data.nodes.length) { el.textContent = "No actor pairs match."; el.dataset.ready = "1"; return; }
    var max = Math.max.apply(null, data.nodes.map(function (n) { return n.events; }));
    var maxEdge = Math.max.apply(null, data.edges.map(function (e) { return e.events; }));
    var elements = data.nodes.map(function (n) {
      return { data: { id: n.id, label: n.name, events: n.events, kind: n.kind,
                       size: 18 + 42 * Math.sqrt(n.events / max) } };
    }).concat(data.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, events: e.events, g: e.goldstein_mean,
                       colour: goldsteinColour(e.goldstein_mean), width: 1 + 7 * e.events / maxEdge } };
    }));
    var center = el.dataset.center;
    var cy = cytoscape({
      container: el,
      elements: elements,
      style: [
        { selector: "node", style: { width: "data(size)", height: "data(size)", label: "data(label)",
          "font-size": 11, color: TEXT, "text-valign": "bottom", "text-margin-y": 3,
          "background-color": dark ? "#8ab4ff" : "#2f5fb3" } },
        { selector: "node[kind = 'country']", style: { shape: "round-rectangle" } },
        { selector: "node[kind = 'org']", style: { shape: "diamond" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
          "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.85 } }
      ].concat(center ? [{ selector: "node[id = '" + center.replace(/'/g, "") + "']",
                           style: { "background-color": "#ef6c00" } }] : []),
      layout: center
        ? { name: "concentric", animate: false, concentric: function (n) { return n.id() === center ? 2 : 1; },
            levelWidth: function () { return 1; } }
        : { name: "cose", animate: false, randomize: false, padding: 20, idealEdgeLength: function () { return 90; },
            nodeRepulsion: function () { return 40000; }, gravity: 0.25 }
    });
    cy.resize();
    cy.fit(undefined, 24);
    cy.on("tap", "node", function (evt) { window.location.href = "/actors/" + encodeURIComponent(evt.target.id()); });
    cy.on("tap", "edge", function (evt) {
      var d = evt.target.data();
      window.location.href = "/events?actor=" + encodeURIComponent(d.source);
    });
    el.dataset.nodes = String(data.nodes.length);
    el.dataset.ready = "1";
  }

  function worldMap(el, data) {
    fetch(el.dataset.geo).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (geo) {
      var labels = {};
      geo.features.forEach(function (f) { labels[f.properties.name] = f.properties.label; });
      data.countries.forEach(function (c) { labels[c.country] = c.name; });
      echarts.registerMap("world", geo);
      var max = Math.max.apply(null, [1].concat(data.countries.map(function (c) { return c.events; })));
      var maxPlace = Math.max.apply(null, [1].concat(data.places.map(function (p) { return p.events; })));
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        animation: !testMode,
        textStyle: { color: TEXT },
        tooltip: { trigger: "item", formatter: function (p) {
          if (p.seriesType === "scatter") { return p.data.name + ": " + p.data.value[2] + " events"; }
          return (labels[p.name] || p.name) + ": " + (p.value > 0 ? p.value : 0) + " events";
        } },
        visualMap: { min: 0, max: max, left: 8, bottom: 8, calculable: true, text: ["events", ""],
                     textStyle: { color: TEXT }, inRange: { color: dark ? ["#263238", "#64b5f6"] : ["#e3ecf7", "#1565c0"] },
                     seriesIndex: 0 },
        geo: { map: "world", roam: true, center: [60, 48], zoom: 2.2, itemStyle: { areaColor: "transparent" },
               emphasis: { label: { show: false } } },
        series: [
          { type: "map", map: "world", geoIndex: 0, data: data.countries.map(function (c) {
            return { name: c.country, value: c.events };
          }) },
          { type: "scatter", coordinateSystem: "geo", data: data.places.map(function (p) {
            return { name: p.name, value: [p.lon, p.lat, p.events] };
          }), symbolSize: function (v) { return 6 + 18 * Math.sqrt(v[2] / maxPlace); },
            itemStyle: { color: "#ef6c00", borderColor: "#fff", borderWidth: 1 } }
        ]
      });
      chart.on("click", function (p) {
        if (p.seriesType === "scatter" || !el.dataset.link) { return; }
        var url = new URL(el.dataset.link, window.location.href);
        url.searchParams.set("country", p.name);
        window.location.href = url.pathname + url.search;
      });
      window.addEventListener("resize", function () { chart.resize(); });
      el.dataset.countries = String(data.countries.length);
      el.dataset.places = String(data.places.length);
      el.dataset.ready = "1";
    }).catch(function (err) { fail(el, err); });
  }

  var DRAW = { timeline: timeline, network: network, map: worldMap };
  function init(root) {
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.ready) { return; }
      var lib = el.dataset.chart === "network" ? window.cytoscape : window.echarts;
      if (!lib) { fail(el, new Error("chart library missing")); return; }
      load(el).then(function (data) { DRAW[el.dataset.chart](el, data); }).catch(function (err) { fail(el, err); });
    });
  }

  // article view: an event in the list and its trigger in the text point at each other
  function linkEvents() {
    document.querySelectorAll("#event-list li[data-event]").forEach(function (li) {
      var trig = document.querySelector("mark.hl-trigger[data-event='" + li.dataset.event + "']");
      if (!trig) { return; }
      li.addEventListener("mouseenter", function () { trig.classList.add("flash"); });
      li.addEventListener("mouseleave", function () { trig.classList.remove("flash"); });
      trig.addEventListener("mouseenter", function () { li.classList.add("active"); });
      trig.addEventListener("mouseleave", function () { li.classList.remove("active"); });
    });
  }

  window.addEventListener("load", function () { init(document); linkEvents(); });
})();

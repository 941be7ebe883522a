// Draws the overview's charts with uPlot from the numbers the server put in data-overview: the same
// JSON that GET /stats/overview answers.
(function () {
  "use strict";

  var palette = ["#3451b2", "#d9480f", "#2b8a3e", "#9c36b5", "#c2255c", "#1098ad", "#e67700", "#5c940d", "#862e9c", "#495057", "#a61e4d"];
  var shownByDefault = 5;

  function seconds(day) {
    return Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / 1000;
  }

  function width(element) {
    return Math.max(260, element.clientWidth);
  }

  function draw() {
    var container = document.getElementById("events-chart");
    if (!container || typeof uPlot === "undefined") {
      return;
    }
    var overview = JSON.parse(container.dataset.overview);
    var xs = overview.days.map(seconds);
    var top = overview.top_names.map(function (entry) { return entry.name; });
    var byName = {};
    overview.names.forEach(function (entry) { byName[entry.name] = entry.counts; });

    var series = [{ label: "Day", value: function (u, v) { return v == null ? "" : new Date(v * 1000).toISOString().slice(0, 10); } },
                  { label: "All events", stroke: palette[0], width: 2.5 }];
    var data = [xs, overview.total];
    top.forEach(function (name, i) {
      series.push({ label: name, stroke: palette[(i + 1) % palette.length], width: 1.5, show: i < shownByDefault });
      data.push(byName[name]);
    });
    var events = new uPlot({
      width: width(container),
      height: 280,
      series: series,
      scales: { x: { time: true } },
      axes: [{}, { label: "events", size: 60 }],
      cursor: { drag: { x: false, y: false } }
    }, data, container);

    var contactsContainer = document.getElementById("contacts-chart");
    var contacts = new uPlot({
      width: width(contactsContainer),
      height: 180,
      series: [{ label: "Day", value: function (u, v) { return v == null ? "" : new Date(v * 1000).toISOString().slice(0, 10); } },
               { label: "New contacts", stroke: palette[2], fill: "rgba(43,138,62,0.15)", width: 2,
                 paths: uPlot.paths.bars({ size: [0.6, 40] }) }],
      scales: { x: { time: true } },
      axes: [{}, { size: 50 }],
      cursor: { drag: { x: false, y: false } }
    }, [xs, overview.new_contacts], contactsContainer);

    // For the browser tests and anyone curious: what each chart was given.
    window.tallyCharts = { events: events, contacts: contacts };
    container.dataset.drawn = "true";

    var resizing;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(function () {
        events.setSize({ width: width(container), height: 280 });
        contacts.setSize({ width: width(contactsContainer), height: 180 });
      }, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

/* The page's charts arrive as pictures drawn at build time (inline SVG). The
   chart library (the vendored vega bundle, about 900 KB, named by this
   script's data-bundle) loads only where it serves: when the reader points
   at, taps or focuses a chart, or presses a chart's 「움직이는 차트 늘 켜기」,
   which is remembered so later pages load it at once (pressed again, it is
   forgotten); and at once on a page whose charts have no picture (a site
   built with --no-svg), or the reader would see none. It loads by a classic
   <script src>, which works from file:// (fetch would not).
   The build-time SVG shows until the live chart has drawn, so a failure
   leaves the reader with the static picture, never with nothing (or, in a
   site built with --no-svg, with a note pointing to the table). */
(function () {
  "use strict";
  var KEY = "budgetsite-live-charts";
  var locale = { decimal: ".", thousands: ",", grouping: [3], currency: ["", "원"] };
  var script = document.currentScript;
  var bundle = script && script.getAttribute("data-bundle");
  var canvases = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  if (!canvases.length || !bundle) { return; }

  // A chart's PNG, for print, made here from its build-time picture at
  // data-png-scale times its size (the site has no PNG files: they were
  // ten times their SVG). From a data: URL, which a page from file:// may
  // draw on a canvas and read back; without JavaScript the link stays
  // hidden and the SVG serves.
  function savePng(link) {
    var figure = document.getElementById(link.getAttribute("data-png"));
    var svg = figure && figure.querySelector(".chart-canvas > svg");
    if (!svg) { return; }
    var width = parseFloat(svg.getAttribute("width"));
    var height = parseFloat(svg.getAttribute("height"));
    var scale = parseFloat(link.getAttribute("data-png-scale")) || 1;
    var picture = new Image();
    picture.addEventListener("load", function () {
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";  // paper, not a transparent sheet
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(picture, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = link.getAttribute("data-png-name");
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
      }, "image/png");
    });
    picture.addEventListener("error", function () { console.error("PNG of " + link.getAttribute("data-png")); });
    picture.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  }
  Array.prototype.forEach.call(document.querySelectorAll("a[data-png]"), function (link) {
    link.parentNode.hidden = false;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      savePng(link);
    });
  });
  var library = "idle";  // then "loading", "ready" or "failed"
  var declined = false;  // the reader turned live charts off on this page
  var drawn = [];  // the canvases drawn or being drawn
  var controls = [];

  // file:// and private windows may refuse the storage: the page still follows the reader.
  var setting = false;
  try { setting = window.localStorage.getItem(KEY) === "on"; } catch (e) { setting = false; }
  function remember(on) {
    setting = on;
    try {
      if (on) { window.localStorage.setItem(KEY, "on"); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* remembered for this page only */ }
    controls.forEach(function (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); });
  }

  function draw(canvas) {
    var specElement = document.getElementById(canvas.getAttribute("data-chart") + "-spec");
    if (!specElement || drawn.indexOf(canvas) >= 0) { return; }
    drawn.push(canvas);
    var spec = JSON.parse(specElement.textContent);
    var target = document.createElement("div");
    target.className = "chart-live";
    // The table under each chart is the accessible form of its data.
    target.setAttribute("aria-hidden", "true");
    canvas.appendChild(target);
    // ast + the interpreter: no eval, so the page's Content-Security-Policy needs no 'unsafe-eval'.
    // defaultStyle false (and the tooltip's): no injected <style>, which the
    // policy would refuse; style.css styles the tooltip instead.
    window.vegaEmbed(target, spec, { actions: false, renderer: "svg", formatLocale: locale,
                                     ast: true, defaultStyle: false, tooltip: { disableDefaultStyle: true } })
      .then(function () {
        if (!target.parentNode) { return; }  // turned off while it drew
        // The note standing in for a picture (a site built without pictures) goes;
        // the build-time picture stays, hidden by style.css, to be printed: it
        // fits the paper, and the live chart, drawn to the screen, would not.
        Array.prototype.forEach.call(canvas.querySelectorAll(":scope > .chart-note"),
                                     function (note) { note.remove(); });
        canvas.classList.add("is-live");
      })
      .catch(function (error) {
        target.remove();
        console.error("chart " + canvas.getAttribute("data-chart") + ": " + error);
      });
  }

  function drawAll() {
    if (!declined && typeof window.vegaEmbed === "function") { canvases.forEach(draw); }
  }

  function load() {
    if (declined || library === "loading" || library === "failed") { return; }
    if (library === "ready") { drawAll(); return; }
    library = "loading";
    var tag = document.createElement("script");
    tag.src = bundle;
    tag.addEventListener("load", function () { library = "ready"; drawAll(); });
    tag.addEventListener("error", function () {
      library = "failed";
      console.error("chart library " + bundle + " did not load");
    });
    document.head.appendChild(tag);
  }

  // Back to the build-time pictures (where there are some: a page built
  // without them keeps its live charts, its only ones).
  function undraw() {
    drawn = drawn.filter(function (canvas) {
      if (!canvas.querySelector(":scope > svg")) { return true; }
      Array.prototype.forEach.call(canvas.querySelectorAll(":scope > .chart-live"),
                                   function (live) { live.remove(); });
      canvas.classList.remove("is-live");
      return false;
    });
  }

  function toggle() {
    remember(!setting);
    declined = !setting;
    if (setting) { load(); } else { undraw(); }
  }

  var embed = document.body.classList.contains("embed");
  canvases.forEach(function (canvas) {
    var figure = canvas.closest("figure") || canvas;
    ["pointerenter", "pointerdown", "focusin"].forEach(function (type) { figure.addEventListener(type, load); });
    figure.addEventListener("touchstart", load, { passive: true });
    // An embedded chart (embed/*.html) keeps to its frame's height: no control
    // under it; focus anywhere in the frame loads it instead.
    if (embed) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chart-live-toggle";
    button.textContent = "움직이는 차트 늘 켜기";
    button.setAttribute("aria-pressed", setting ? "true" : "false");
    button.addEventListener("click", toggle);
    controls.push(button);
    var share = figure.querySelector(".chart-share");
    if (share) {
      share.insertBefore(button, share.querySelector(".chart-embed"));
    } else {
      var line = document.createElement("p");
      line.className = "chart-share";
      line.appendChild(button);
      canvas.insertAdjacentElement("afterend", line);
    }
  });
  if (embed) { document.addEventListener("focusin", load); }

  if (setting || canvases.some(function (canvas) { return !canvas.querySelector(":scope > svg"); })) { load(); }
})();

/* Draw every chart on the page with the vega bundle loaded before this file.
   The build-time SVG shows until the live chart has drawn, so a failure
   leaves the reader with the static picture, never with nothing (or, in a
   site built with --no-svg, with a note pointing to the table). */
(function () {
  "use strict";
  var locale = { decimal: ".", thousands: ",", grouping: [3], currency: ["", "원"] };
  var canvases = document.querySelectorAll("[data-chart]");
  Array.prototype.forEach.call(canvases, function (canvas) {
    var specElement = document.getElementById(canvas.getAttribute("data-chart") + "-spec");
    if (!specElement || typeof window.vegaEmbed !== "function") { return; }
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
  });
})();

/* A glossary tooltip can be dismissed with Escape without moving focus or
   the pointer (WCAG 1.4.13); it comes back on the next hover or focus. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".term:hover, .term:focus-within"), function (term) {
      term.classList.add("dismissed");
    });
  });
  // A new hover or focus (coming from outside the term) shows it again.
  function reset(event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term && !term.contains(event.relatedTarget)) { term.classList.remove("dismissed"); }
  }
  document.addEventListener("focusin", reset);
  document.addEventListener("mouseover", reset);
})();

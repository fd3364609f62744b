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
  // Keep the tip on screen: shift it left when it would pass the right edge.
  function place(term) {
    var tip = term.querySelector(".term-tip");
    if (!tip) { return; }
    tip.style.left = "0px";
    var box = tip.getBoundingClientRect();
    var over = box.right - (document.documentElement.clientWidth - 8);
    if (over > 0) { tip.style.left = -Math.min(over, box.left - 8) + "px"; }
  }
  // A new hover or focus (coming from outside the term) shows it again.
  function reset(event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term && !term.contains(event.relatedTarget)) {
      term.classList.remove("dismissed");
      place(term);
    }
  }
  document.addEventListener("focusin", reset);
  document.addEventListener("mouseover", reset);
})();

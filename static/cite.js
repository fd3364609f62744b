/* 「이 숫자 인용하기」: a button that copies the line. Without JavaScript the
   line is still selected whole by one click (style.css: user-select: all). */
(function () {
  "use strict";
  function said(button, status, text) {
    button.textContent = text;
    status.textContent = text;
  }
  function copy(code, button, status) {
    var text = code.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () {
        said(button, status, "복사했습니다");
      }, function () { fallback(code, button, status); });
    } else {
      fallback(code, button, status);
    }
  }
  function fallback(code, button, status) {
    // Older browsers: the line is selected, so the reader's own copy works if the command does not.
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    said(button, status, done ? "복사했습니다" : "선택했습니다. Ctrl+C로 복사하세요");
  }
  Array.prototype.forEach.call(document.querySelectorAll(".cite-this"), function (block) {
    var code = block.querySelector(".cite-text");
    if (!code) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite-copy";
    button.textContent = "복사";
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () { copy(code, button, status); });
    block.appendChild(button);
    block.appendChild(status);
  });
})();

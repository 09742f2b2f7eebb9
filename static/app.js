// Progressive enhancement only: the site works without JavaScript.
(function () {
  "use strict";

  // Spoilers: CSS reveals them while focused; a click keeps them revealed.
  function reveal(el) {
    el.classList.add("revealed");
  }
  document.addEventListener("click", function (event) {
    var spoiler = event.target.closest(".spoiler");
    if (spoiler) reveal(spoiler);
  });
  document.addEventListener("keydown", function (event) {
    var spoiler = event.target.closest && event.target.closest(".spoiler");
    if (spoiler && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      reveal(spoiler);
    }
  });

  // Forms that destroy nothing but hide something ask first.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();

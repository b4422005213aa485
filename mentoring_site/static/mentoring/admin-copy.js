// «Копировать код» beside a ready-made code (the widget snippet, admin/open_data.py).
// A convenience only: without JavaScript there is no button and the text stays in its
// read-only field, to select and copy by hand.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-copy]").forEach(function (field) {
    var button = document.createElement("button");
    var status = document.createElement("p");
    button.type = "button";
    button.className = "a-button-secondary";
    button.textContent = field.getAttribute("data-copy");
    status.className = "a-hint";
    status.setAttribute("role", "status");
    field.insertAdjacentElement("afterend", status);
    field.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      var done = function () { status.textContent = "Скопировано: вставьте код на другой сайт."; };
      var byHand = function () {
        field.focus();
        field.select();
        status.textContent = document.execCommand("copy")
          ? "Скопировано: вставьте код на другой сайт."
          : "Код выделен: нажмите Ctrl+C, чтобы скопировать.";
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, byHand);
      } else {
        byHand();
      }
    });
  });
})();

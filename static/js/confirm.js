// Ask before irreversible steps: any form with data-confirm="question" (no inline script, CSP-safe).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

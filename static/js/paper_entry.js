// Keyboard-first paper ballot entry: digits pick the level of the current row and move on,
// 0 marks a blank or spoiled line, * toggles "whole ballot invalid", Enter saves.
(function () {
  var form = document.getElementById("paper-ballot");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(form.querySelectorAll("tr.entry-row"));
  var current = 0;
  function focusRow(index) {
    rows.forEach(function (row, i) { row.classList.toggle("table-active", i === index); });
    if (rows[index]) {
      var checked = rows[index].querySelector("input:checked") || rows[index].querySelector("input");
      checked.focus();
    }
  }
  rows.forEach(function (row, index) {
    row.addEventListener("focusin", function () { current = index; focusRow(index); });
  });
  form.addEventListener("keydown", function (event) {
    var row = rows[current];
    if (!row) { return; }
    var inputs = row.querySelectorAll("input.entry-choice");
    var key = event.key;
    if (/^[0-9]$/.test(key)) {
      var n = parseInt(key, 10);
      var target = n === 0 ? inputs[inputs.length - 1] : (n <= inputs.length - 1 ? inputs[n - 1] : null);
      if (target) {
        event.preventDefault();
        target.checked = true;
        if (current < rows.length - 1) { current += 1; }
        focusRow(current);
      }
    } else if (key === "*") {
      event.preventDefault();
      var whole = document.getElementById("whole_invalid");
      whole.checked = !whole.checked;
    }
  });
  focusRow(0);
})();

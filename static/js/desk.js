// The desk keeps its place. After a check-in or an activation the server sends the page back
// to the row or the form the officer used (#v<id>, #activate, #unlock); the browser scrolls
// there, and this puts the cursor back in the slip's code field, ready for the next scan
// (in the search box where a session has no codes), without moving the page.
(function () {
  var hash = window.location.hash;
  if (!/^#(v\d+|activate|unlock)$/.test(hash)) { return; }
  var target = document.getElementById("id_code") || document.getElementById("q");
  if (!target) { return; }
  target.focus({ preventScroll: true });
  if (target.select) { target.select(); }
})();

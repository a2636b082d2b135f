// The desk keeps its place. After a check-in or an activation the server sends the page back
// with the row or the form the officer used as its fragment (#v<id>, #activate, #unlock).
// Without JavaScript the browser scrolls there. With it, this script does the jump itself,
// because the browser's own jump takes the focus away again; it keeps the row in the middle
// of the screen, marked, and puts the cursor in the slip's code field, ready for the next scan
// (in the search box where a session has no codes). A fresh desk starts in the search box.
// (Not the autofocus attribute: the browser would scroll back up to it.)
(function () {
  var search = document.getElementById("q");
  if (!search) { return; }
  var back = /^#(v\d+|activate|unlock)$/.exec(window.location.hash);
  if (!back) { search.focus(); return; }
  history.replaceState(null, "", window.location.pathname + window.location.search);
  // The code and unlock forms sit at the top, beside the message saying how it went: only a row
  // of the list is scrolled to.
  var place = back[1].charAt(0) === "v" ? document.getElementById(back[1]) : null;
  if (place) {
    place.classList.add("desk-back");
    place.scrollIntoView({ block: "center", behavior: "instant" });
  }
  var target = document.getElementById("id_code") || search;
  target.focus({ preventScroll: true });
  if (target.select) { target.select(); }
})();

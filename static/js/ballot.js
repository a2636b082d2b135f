// Fill the code from the QR link's #fragment. The fragment never reaches the server or its logs;
// the page also works without this script (type the code).
(function () {
  var input = document.getElementById("id_code");
  if (!input || !window.location.hash) { return; }
  input.value = decodeURIComponent(window.location.hash.slice(1));
  // Forget the code in the address bar and the history: the next voter on this device sees nothing.
  history.replaceState(null, "", window.location.pathname);
})();

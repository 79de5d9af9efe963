// Progressive enhancement of the cookie banner: the same POST without a page
// reload. Without JavaScript the form posts and redirects back; nothing depends
// on this file.
(function () {
  "use strict";
  var form = document.getElementById("cookie-consent");
  if (!form || !window.fetch || !window.FormData) return;
  var banner = form.closest("[data-consent-banner]");
  var lastFocusOutside = null;

  document.addEventListener("focusin", function (event) {
    if (!banner.contains(event.target)) lastFocusOutside = event.target;
  });

  form.addEventListener("submit", function (event) {
    var data = new FormData(form);
    if (event.submitter) data.append(event.submitter.name, event.submitter.value);
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      banner.hidden = true;
      var target = lastFocusOutside || document.getElementById("innhold");
      if (target) target.focus();
    }).catch(function () {
      form.submit(); // fall back to the plain form post
    });
  });
})();

// W2 connection form, progressive enhancement only (the page works without this file):
// "Calculate" shows the fee in place, from the server's partial, without reloading the page.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-quote-url]");
  var result = document.getElementById("quote-result");
  if (!form || !result || !window.fetch || !window.FormData) { return; }

  Array.prototype.forEach.call(form.querySelectorAll("[data-calculate]"), function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      button.disabled = true;
      fetch(form.getAttribute("data-quote-url"), {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      }).then(function (html) {
        result.innerHTML = html;
      }).catch(function () {
        form.requestSubmit ? form.requestSubmit(button) : form.submit();  // fall back to the plain post
      }).then(function () { button.disabled = false; });
    });
  });
});

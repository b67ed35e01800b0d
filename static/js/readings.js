// "Add another meter" without a reload. Without this file the button posts the form and the
// server adds the line (values kept, files chosen again).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-add-line]");
  var template = document.getElementById("empty-line");
  var lines = document.getElementById("reading-lines");
  var total = document.getElementById("id_lines-TOTAL_FORMS");
  if (!button || !template || !lines || !total) { return; }
  var hint = document.querySelector("[data-no-js-hint]");
  if (hint) { hint.hidden = true; }
  var max = parseInt(button.getAttribute("data-max"), 10) || 20;

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var index = parseInt(total.value, 10);
    if (index >= max) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var line = holder.firstElementChild;
    lines.appendChild(line);
    total.value = String(index + 1);
    if (index + 1 >= max) { button.disabled = true; }
    var first = line.querySelector("input");
    if (first) { first.focus(); }
  });
});

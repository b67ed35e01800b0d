// W1 readings form, progressive enhancement only (the page works without this file):
// "Add another meter" without a reload, and the consumption shown as the citizen types.
document.addEventListener("DOMContentLoaded", function () {
  var lines = document.getElementById("reading-lines");
  if (!lines) { return; }

  // The consumption since the last booked reading, from the line's data-last; a reading below it
  // is not refused, so the line says an inspector will check it.
  function showConsumption(input) {
    var line = input.closest("[data-line]");
    var output = line && line.querySelector("[data-consumption]");
    if (!output || !line.hasAttribute("data-last")) { return; }
    var value = parseFloat(input.value.replace(/\s/g, "").replace(",", "."));
    var last = parseFloat(line.getAttribute("data-last"));
    if (isNaN(value) || isNaN(last)) { output.textContent = ""; return; }
    var used = value - last;
    if (used < 0) {
      output.textContent = output.getAttribute("data-below");
    } else {
      var figure = (Math.round(used * 1000) / 1000).toLocaleString(document.documentElement.lang || undefined);
      output.textContent = output.getAttribute("data-template") + " " + figure + " " + (line.getAttribute("data-unit") || "");
    }
  }
  lines.addEventListener("input", function (event) {
    if (event.target.name && /-value$/.test(event.target.name)) { showConsumption(event.target); }
  });
  Array.prototype.forEach.call(lines.querySelectorAll("input[name$='-value']"), function (input) {
    if (input.value) { showConsumption(input); }
  });

  var button = document.querySelector("[data-add-line]");
  var template = document.getElementById("empty-line");
  var total = document.getElementById("id_lines-TOTAL_FORMS");
  if (!button || !template || !total) { return; }
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

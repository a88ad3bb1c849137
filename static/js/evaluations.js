// The evaluation pages: small keyboard helpers. Every form works without this file.
(function () {
  "use strict";

  // Cell screen: copy the meeting's vote into every editable row that has a proposed level.
  const fill = document.querySelector("[data-dv-fill-votes]");
  if (fill) {
    fill.hidden = false;
    fill.addEventListener("click", function () {
      const votesFor = document.getElementById("all_for").value;
      const votesTotal = document.getElementById("all_total").value;
      document.querySelectorAll("tr[data-dv-row]").forEach(function (row) {
        const level = row.querySelector("select");
        if (!level || !level.value) return;
        row.querySelector("[data-dv-vote-for]").value = votesFor;
        row.querySelector("[data-dv-vote-total]").value = votesTotal;
      });
    });
  }
})();

// The sign-up form's total, kept up to date as participants are filled in: the
// booker if "Jeg skal delta selv" is ticked, and every row with a first name.
(function () {
  "use strict";
  var total = document.getElementById("til-sammen");
  var form = total && total.closest("form");
  if (!form) return;
  var perParticipant = Number(total.dataset.perParticipantOre);
  var amount = total.querySelector("[data-total]");
  var count = total.querySelector("[data-count]");
  var breakdown = total.querySelector("[data-breakdown]");
  var vatRate = Number(total.dataset.vatRate.replace(",", ".")) / 100;
  var recalculate = form.querySelector('button[name="recalculate"]');
  if (recalculate) recalculate.parentElement.hidden = true; // the total follows by itself
  // "4 500" for whole kroner, "4 500,50" with øre, as the server writes them.
  var kroner = {
    format: function (value) {
      var whole = value % 1 === 0;
      return value.toLocaleString("nb-NO", {
        minimumFractionDigits: whole ? 0 : 2,
        maximumFractionDigits: 2,
      });
    },
  };

  function takingPart() {
    var booker = form.querySelector('input[name="booker_attends"]');
    var named = form.querySelectorAll('input[name^="deltaker-"][name$="-first_name"]');
    var n = booker && booker.checked ? 1 : 0;
    named.forEach(function (input) {
      if (input.value.trim()) n += 1;
    });
    return n;
  }

  function update() {
    var n = takingPart();
    var totalOre = perParticipant * n;
    var vat = amount.textContent.indexOf("inkl. mva") !== -1 ? " inkl. mva" : "";
    amount.textContent = "kr " + kroner.format(totalOre / 100) + vat;
    count.textContent = n + (n === 1 ? " deltaker" : " deltakere");
    if (breakdown) {
      // As the server rounds: the net from the total, to the øre.
      var netOre = Math.round(totalOre / (1 + vatRate));
      breakdown.textContent =
        "(kr " + kroner.format(netOre / 100) + " + mva kr " +
        kroner.format((totalOre - netOre) / 100) + ")";
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();

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
  var kroner = new Intl.NumberFormat("nb-NO", {
    minimumFractionDigits: 0,
    maximumFractionDigits: 2,
  });

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
    var vat = amount.textContent.indexOf("inkl. mva") !== -1 ? " inkl. mva" : "";
    amount.textContent = "kr " + kroner.format((perParticipant * n) / 100) + vat;
    count.textContent = n + (n === 1 ? " deltaker" : " deltakere");
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();

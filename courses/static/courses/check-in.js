// The check-in without reloading the page: the participant's form is sent in the
// background, and their row and the count are taken from the page the server
// answers with. Without JavaScript the form posts as it is and the page comes
// back at the participant's row.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest(".check-in__person form");
  if (!form) return;
  event.preventDefault();
  const row = form.closest("li");
  form.querySelector("button").disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById(row.id);
    const count = page.querySelector(".check-in__count");
    if (!fresh || !count) throw new Error("unexpected answer");
    row.replaceWith(fresh);
    document.querySelector(".check-in__count").textContent = count.textContent;
    fresh.querySelector("button").focus();
  } catch {
    form.submit(); // the plain form, as without JavaScript
  }
});

// Buyer forms: say at once when another buyer already uses the phone or
// email typed. Only a hint: two buyers may share a phone. Without this
// script the same hint shows after saving.
(() => {
  if (!window.fetch) {
    return;
  }
  document.querySelectorAll(".contact-hint").forEach((hint) => {
    const phone = document.getElementById(hint.dataset.phone);
    const email = document.getElementById(hint.dataset.email);
    if (!phone || !email) {
      return;
    }
    const list = document.createElement("ul");
    hint.append(list);

    function check() {
      const params = new URLSearchParams({
        phone: phone.value.trim(),
        email: email.value.trim(),
        exclude: hint.dataset.exclude || "",
      });
      if (!params.get("phone") && !params.get("email")) {
        hint.hidden = true;
        return;
      }
      fetch(`${hint.dataset.url}?${params}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? response.json() : Promise.reject(response)))
        .then((data) => {
          list.replaceChildren();
          data.results.forEach((buyer) => {
            const item = document.createElement("li");
            const link = document.createElement("a");
            link.href = buyer.url;
            link.textContent = buyer.name;
            item.append(link, ` (${buyer.phone || buyer.email})`);
            list.append(item);
          });
          hint.hidden = data.results.length === 0;
        })
        .catch(() => {
          hint.hidden = true;
        });
    }

    phone.addEventListener("change", check);
    email.addEventListener("change", check);
  });
})();

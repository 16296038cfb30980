// Sell page: find a buyer while typing, instead of pressing "Find".
// Without this script the "Find" button does the same by reloading the page.
(() => {
  const input = document.getElementById("id_buyer_q");
  const box = document.getElementById("buyer-choices");
  const findButton = document.getElementById("find-buyer");
  if (!input || !box || !window.fetch) {
    return;
  }
  const status = document.getElementById("buyer-search-status");
  let timer = null;
  let lastQuery = null;

  function option(value, text, detail, checked) {
    const item = document.createElement("li");
    const label = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "buyer";
    radio.value = value;
    radio.checked = checked;
    const name = document.createElement("span");
    name.textContent = text;
    if (detail) {
      const muted = document.createElement("span");
      muted.className = "muted";
      muted.textContent = ` · ${detail}`;
      name.append(muted);
    }
    label.append(radio, " ", name);
    item.append(label);
    return item;
  }

  function show(query, results) {
    const list = document.getElementById("buyer-choice-list");
    const legend = box.querySelector("legend");
    const checked = list.querySelector("input[name=buyer]:checked");
    const keep = checked && checked.value ? checked.closest("li") : null;
    const keptRef = keep ? checked.value : "";
    list.replaceChildren();
    if (keep) {
      list.append(keep);
    }
    results
      .filter((buyer) => String(buyer.ref) !== keptRef)
      .forEach((buyer) => {
        const contact = buyer.phone || buyer.email;
        const detail = contact ? `${contact} · #${buyer.ref}` : `#${buyer.ref}`;
        list.append(option(buyer.ref, buyer.name, detail, false));
      });
    list.append(option("", box.dataset.noneLabel, "", !keep));
    legend.textContent = box.dataset.matchingLabel.replace("__QUERY__", query);
    if (status) {
      status.textContent = results.length
        ? box.dataset.foundLabel.replace("__COUNT__", results.length)
        : box.dataset.emptyLabel;
    }
  }

  function search() {
    const query = input.value.trim();
    if (query === lastQuery || query.length < 2) {
      return;
    }
    lastQuery = query;
    const url = `${box.dataset.searchUrl}?q=${encodeURIComponent(query)}`;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response)))
      .then((data) => {
        if (query === input.value.trim()) {
          show(query, data.results);
        }
      })
      .catch(() => {
        lastQuery = null;
      });
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      lastQuery = null;
      search();
    }
  });
  if (findButton) {
    findButton.addEventListener("click", (event) => {
      event.preventDefault();
      lastQuery = null;
      search();
    });
  }
})();

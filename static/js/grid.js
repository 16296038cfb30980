// Number grid: conveniences on top of the plain form of ticked numbers.
// - Shift+click ticks every number between the last one clicked and this one.
// - Buttons tick all available or all reserved numbers of the page, or none.
// - The status line names what is ticked, as runs ("007-012, 020").
// - The numbers are one tab stop (a roving tabindex): Tab enters the grid at
//   the number last visited and leaves it for the actions; the arrow keys,
//   Home and End move between numbers, Space ticks one, Enter opens it.
//   Without this script every box and number is a tab stop, and a skip link
//   leads past them.
// - The ticked numbers are sent as one list of runs ("000-499"), not as
//   hundreds of separate values.
(() => {
  const form = document.getElementById("grid-form");
  const grid = document.getElementById("number-grid");
  if (!form || !grid) {
    return;
  }
  const boxes = Array.from(grid.querySelectorAll("input[type=checkbox]"));
  const cells = Array.from(grid.children);
  const status = document.getElementById("selection-status");
  const tools = document.getElementById("tick-tools");
  let lastClicked = null;

  function runs(labels) {
    const sorted = labels
      .map((label) => ({ label, value: Number.parseInt(label, 10) }))
      .sort((a, b) => a.value - b.value);
    const parts = [];
    let start = null;
    let end = null;
    sorted.forEach((item) => {
      if (end && item.value === end.value + 1) {
        end = item;
        return;
      }
      if (start) {
        parts.push(start === end ? start.label : `${start.label}-${end.label}`);
      }
      start = item;
      end = item;
    });
    if (start) {
      parts.push(start === end ? start.label : `${start.label}-${end.label}`);
    }
    return parts.join(", ");
  }

  function ticked() {
    return boxes.filter((box) => box.checked);
  }

  function update() {
    if (!status) {
      return; // Every number on the page is paid: nothing can be ticked.
    }
    const chosen = ticked();
    form.classList.toggle("has-selection", chosen.length > 0);
    status.textContent = chosen.length
      ? status.dataset.some
          .replace("__COUNT__", chosen.length)
          .replace("__LABELS__", runs(chosen.map((box) => box.value)))
      : status.dataset.none;
  }

  grid.addEventListener("click", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") {
      return;
    }
    const index = boxes.indexOf(box);
    if (event.shiftKey && lastClicked !== null) {
      const [from, to] = [lastClicked, index].sort((a, b) => a - b);
      boxes.slice(from, to + 1).forEach((other) => {
        other.checked = box.checked;
      });
    }
    lastClicked = index;
  });
  grid.addEventListener("change", update);

  function tickAll(state) {
    boxes.forEach((box) => {
      box.checked = state !== null && box.dataset.state === state;
    });
    update();
  }

  // The page offers a button only for a state some of its numbers are in.
  const toolButtons = {
    "tick-available": "available",
    "tick-reserved": "reserved",
    "clear-ticks": null,
  };
  if (tools) {
    tools.hidden = false;
    Object.entries(toolButtons).forEach(([id, state]) => {
      const button = document.getElementById(id);
      if (button) {
        button.addEventListener("click", () => {
          tickAll(state);
        });
      }
    });
  }

  form.addEventListener("submit", (event) => {
    const chosen = ticked();
    if (!chosen.length) {
      event.preventDefault();
      status.textContent = status.dataset.none;
      status.focus();
      return;
    }
    const list = document.createElement("input");
    list.type = "hidden";
    list.name = "numbers";
    list.value = runs(chosen.map((box) => box.value));
    list.dataset.added = "true";
    form.append(list);
    chosen.forEach((box) => {
      box.disabled = true;
    });
  });

  // Coming back with the Back button: the page is as it was left.
  window.addEventListener("pageshow", () => {
    form.querySelectorAll("[data-added]").forEach((input) => input.remove());
    boxes.forEach((box) => {
      box.disabled = false;
    });
    update();
  });

  function columns() {
    const top = cells[0].offsetTop;
    const count = cells.findIndex((cell) => cell.offsetTop !== top);
    return count === -1 ? cells.length : count;
  }

  // Each number's one stop: its tick box, or its link when it has none.
  const stops = cells.map(
    (cell) => cell.querySelector("input") || cell.querySelector("a"),
  );

  function firstStop() {
    // A jump to a number (#n-0042) enters the grid there.
    const id = window.location.hash.slice(1);
    const jumped = id ? document.getElementById(id) : null;
    if (!jumped || !grid.contains(jumped)) {
      return stops[0];
    }
    return stops[cells.indexOf(jumped.closest("li"))];
  }

  let current = firstStop();

  grid.querySelectorAll("a, input").forEach((control) => {
    control.tabIndex = control === current ? 0 : -1;
  });
  grid.addEventListener("focusin", (event) => {
    if (event.target === current || !stops.includes(event.target)) {
      return;
    }
    current.tabIndex = -1;
    current = event.target;
    current.tabIndex = 0;
  });
  document.getElementById("skip-grid").hidden = true;
  document.getElementById("grid-keys").hidden = false;

  function destination(key, index) {
    const moves = {
      ArrowLeft: index - 1,
      ArrowRight: index + 1,
      ArrowUp: index - columns(),
      ArrowDown: index + columns(),
      Home: 0,
      End: stops.length - 1,
    };
    return stops[moves[key]];
  }

  grid.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const cell = event.target.closest("li");
    if (event.key === "Enter" && event.target.type === "checkbox") {
      // As on a paid number's link: Enter opens the number's page.
      event.preventDefault();
      cell.querySelector("a").click();
      return;
    }
    const next = destination(event.key, cells.indexOf(cell));
    if (!next) {
      return;
    }
    next.focus();
    event.preventDefault();
  });

  status.tabIndex = -1;
  update();
})();

// Recomputes a draw in the visitor's browser from the downloadable list, by
// the method of docs/draws.md. The page already shows the server's own
// recomputation; this is a second, independent check.
"use strict";

(function () {
  const box = document.querySelector("[data-verify]");
  if (!box) {
    return;
  }
  const texts = {};
  const template = box.querySelector("template[data-verify-text]");
  template.content.querySelectorAll("[data-key]").forEach(function (node) {
    texts[node.dataset.key] = node.textContent;
  });
  const results = box.querySelector("[data-verify-results]");
  const out = {
    list: box.querySelector('[data-verify-out="list"]'),
    winner: box.querySelector('[data-verify-out="winner"]'),
  };

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer))
      .map(function (byte) { return byte.toString(16).padStart(2, "0"); })
      .join("");
  }

  function bytesFromHex(text) {
    const bytes = new Uint8Array(text.length / 2);
    for (let i = 0; i < bytes.length; i += 1) {
      bytes[i] = parseInt(text.substr(i * 2, 2), 16);
    }
    return bytes;
  }

  async function randomWinner(seed, digest, labels) {
    const key = await crypto.subtle.importKey(
      "raw", bytesFromHex(seed), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]
    );
    const count = BigInt(labels.length);
    const space = 1n << 256n;
    const limit = space - (space % count);
    for (let counter = 0n; ; counter += 1n) {
      const message = new Uint8Array(40);
      message.set(bytesFromHex(digest), 0);
      new DataView(message.buffer).setBigUint64(32, counter, false);
      const block = await crypto.subtle.sign("HMAC", key, message);
      const value = BigInt("0x" + hex(block));
      if (value < limit) {
        return labels[Number(value % count)];
      }
    }
  }

  function lotteryWinner(result, width, labels, rule) {
    const digits = result.replace(/[\s.-]/g, "");
    const target = Number(digits.slice(-width));
    let index = labels.findIndex(function (label) { return Number(label) >= target; });
    if (index >= 0 && Number(labels[index]) === target) {
      return labels[index];
    }
    if (rule === "none" || labels.length === 0) {
      return "";
    }
    if (index < 0) {
      index = 0;
    }
    return labels[index];
  }

  function report(node, label, value, matches) {
    node.textContent = label + " " + value + ". " + (matches ? texts.match : texts.mismatch);
    node.className = matches ? "ok" : "bad";
    node.hidden = false;
  }

  async function run() {
    const data = box.dataset;
    results.hidden = false;
    out.winner.hidden = true;
    if (!window.crypto || !crypto.subtle) {
      out.list.textContent = texts.unsupported;
      return;
    }
    out.list.textContent = texts.working;
    out.winner.textContent = "";
    const response = await fetch(data.listUrl);
    const buffer = await response.arrayBuffer();
    const digest = hex(await crypto.subtle.digest("SHA-256", buffer));
    report(out.list, texts.list, digest, digest === data.listSha256);
    const text = new TextDecoder("ascii").decode(buffer);
    const labels = text ? text.slice(0, -1).split("\n") : [];
    let winner;
    if (data.method === "random") {
      winner = await randomWinner(data.seed, digest, labels);
    } else if (data.method === "lottery") {
      winner = lotteryWinner(data.result, Number(data.digits), labels, data.rule);
    } else {
      winner = labels.includes(data.winner) ? data.winner : "";
    }
    report(out.winner, texts.winner, winner || texts.none, winner === data.winner);
  }

  box.hidden = false;
  box.querySelector("[data-verify-run]").addEventListener("click", function () {
    run().catch(function (error) {
      out.list.textContent = String(error);
    });
  });
})();

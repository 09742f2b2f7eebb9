// Progressive enhancement only: the site works without JavaScript.
(function () {
  "use strict";

  // Spoilers: the button shows (and hides again) its text, on a click, Enter or Space
  // (a <button> gets those from the browser). Focus alone never reveals anything.
  // Spoilers stored before the button existed reveal on a click.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".spoiler-toggle");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      return;
    }
    var old = event.target.closest(".spoiler");
    if (old && !old.querySelector(".spoiler-toggle")) old.classList.add("revealed");
  });

  // Theme: switch in place and remember it in the cookie the server reads (the same one the
  // theme form sets), so the next page is painted in it from the start. The switch that
  // takes over keeps the keyboard focus.
  document.addEventListener("click", function (event) {
    var control = event.target.closest("[data-theme-set]");
    if (!control) return;
    event.preventDefault();
    var theme = control.getAttribute("data-theme-set");
    var secure = window.location.protocol === "https:" ? "; secure" : "";
    document.cookie = "theme=" + theme + "; path=/; max-age=31536000; samesite=lax" + secure;
    document.documentElement.setAttribute("data-theme", theme);
    var meta = document.querySelector('meta[name="color-scheme"]');
    if (meta) meta.setAttribute("content", theme);
    var other = control.parentNode.querySelector('[data-theme-set="' + (theme === "dark" ? "light" : "dark") + '"]');
    if (other) other.focus();
  });

  // What was just posted takes the focus, with its confirmation beside it.
  function focusJustPosted() {
    var posted = document.querySelector("[data-just-posted]");
    if (posted) posted.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusJustPosted);
  } else {
    focusJustPosted();
  }

  // Sort and filter apply as soon as they change (the button stays for no JavaScript).
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-apply-on-change") && event.target.tagName === "SELECT") {
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  });

  // Forms that destroy nothing but hide something ask first.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Votes: send the arrow's own form with fetch and update the box in place.
  // Without JavaScript the same form posts and the server redirects back.
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function showVote(box, result) {
    box.querySelector(".vote-count").textContent = result.score;
    box.querySelector(".vote-score").title = result.upvotes + " up, " + result.downvotes + " down";
    box.querySelectorAll(".vote-arrow").forEach(function (button) {
      var value = Number(button.getAttribute("data-value"));
      var pressed = result.my_vote === value;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.value = pressed ? "0" : String(value);
    });
  }

  function showVoteError(box, message) {
    var note = box.querySelector(".vote-error");
    if (!note) {
      note = document.createElement("span");
      note.className = "vote-error";
      note.setAttribute("role", "alert");
      box.appendChild(note);
    }
    note.textContent = message;
  }

  function sendVote(form, button) {
    var box = button.closest(".vote");
    var data = new FormData(form);
    data.set("value", button.value);
    box.setAttribute("aria-busy", "true");
    return fetch(button.formAction, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 401 && body.login_url) {
          window.location.assign(body.login_url);
        } else if (!response.ok) {
          showVoteError(box, body.error ? body.error.message : "Your vote didn't count.");
        } else {
          var old = box.querySelector(".vote-error");
          if (old) old.remove();
          showVote(box, body);
        }
      });
    }).catch(function () {
      showVoteError(box, "Your vote didn't reach us. Please try again.");
    }).then(function () {
      box.removeAttribute("aria-busy");
    });
  }

  // Every arrow is a button of the page's one vote form, with its own formaction.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.classList || !form.classList.contains("vote-form") || !window.fetch) return;
    if (!button || !button.classList.contains("vote-arrow")) return;
    event.preventDefault();
    sendVote(form, button);
  });

  // "Seen it": toggle in place; without JavaScript the form posts and the page reloads.
  function showSeen(form, isSeen) {
    var button = form.querySelector(".seen-button");
    form.querySelector('input[name="seen"]').value = isSeen ? "no" : "yes";
    button.setAttribute("aria-pressed", isSeen ? "true" : "false");
    button.classList.toggle("is-seen", isSeen);
    button.firstChild.nodeValue = isSeen ? "\u2713 Seen it" : "Seen it";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("seen-toggle") || !window.fetch) return;
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (!response.ok) throw new Error("refused");
      return response.json();
    }).then(function (body) {
      showSeen(form, body.seen);
    }).catch(function () {
      form.submit();  // let the server answer with a page
    });
  });
})();

// The film world: drag films into story order, and tag suggestions as a fan types.
(function () {
  "use strict";

  // A universe's order form: the numbers work without JavaScript; here each film can also
  // be dragged, and the numbers follow the order on screen. Saving is the form's button.
  function renumber(list) {
    list.querySelectorAll(".order-item").forEach(function (item, i) {
      item.querySelector(".place-input").value = String(i + 1);
    });
  }

  function enableReorder(form) {
    var list = form.querySelector(".order-list");
    var status = form.querySelector(".order-status");
    if (!list) return;
    list.classList.add("can-drag");
    var dragged = null;
    list.querySelectorAll(".order-item").forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-film"));
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
        dragged = null;
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) return;
        event.preventDefault();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
      item.addEventListener("drop", function (event) {
        event.preventDefault();
        renumber(list);
        if (status) status.textContent = "Order changed: save to keep it.";
      });
    });
  }

  // Tag suggestions: the last tag being typed (after the last comma) is completed from
  // GET /api/v1/tags?prefix=, most used first. Arrow keys move, Enter or a click picks,
  // Escape closes. Without JavaScript the field takes the tags as typed.
  function enableSuggestions(box) {
    var input = box.querySelector("input");
    if (!input || !window.fetch) return;
    var list = document.createElement("ul");
    list.className = "tag-suggestions";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var active = -1, timer = null, asked = 0;

    function parts() {
      var value = input.value, cut = value.lastIndexOf(",");
      return { head: cut < 0 ? "" : value.slice(0, cut + 1) + " ", last: value.slice(cut + 1).trim() };
    }
    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function pick(name) {
      input.value = parts().head + name + ", ";
      close();
      input.focus();
    }
    function highlight(i) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      active = (i + items.length) % items.length;
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    function show(tags) {
      list.textContent = "";
      tags.forEach(function (tag, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-name", tag.name);
        var name = document.createElement("span");
        name.textContent = "#" + tag.name;
        var count = document.createElement("span");
        count.className = "count";
        count.textContent = tag.thread_count + (tag.thread_count === 1 ? " thread" : " threads");
        li.appendChild(name);
        li.appendChild(count);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(tag.name); });
        list.appendChild(li);
      });
      list.hidden = !tags.length;
      input.setAttribute("aria-expanded", tags.length ? "true" : "false");
      active = -1;
    }
    function ask() {
      var typed = parts().last, mine = ++asked;
      if (!typed) { close(); return; }
      fetch("/api/v1/tags?limit=8&prefix=" + encodeURIComponent(typed), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : { tags: [] };
      }).then(function (body) {
        if (mine === asked) show(body.tags || []);
      }).catch(close);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(list.querySelectorAll("li")[active].getAttribute("data-name"));
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function start() {
    document.querySelectorAll("form[data-reorder]").forEach(enableReorder);
    document.querySelectorAll("[data-tag-suggest]").forEach(enableSuggestions);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

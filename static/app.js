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

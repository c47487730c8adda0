// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  for (const field of document.querySelectorAll("[data-autosubmit]")) {
    field.addEventListener("change", () => field.form.submit());
  }
});

/* ---- The dossier form and the review screen (nomination form, evidence, actions) ----------
   Wired by data attributes: data-validate, data-award-select / data-award-hint(s),
   data-nominee, data-upload, data-confirm, data-requires-saved / data-dirty-watch. */

// The group (label, field, help, feedback) a field belongs to.
function laurelFieldGroup(field) {
  return field.closest("[data-field-group], .mb-3, .form-check") || field.parentElement;
}

// The field's label text without the required marker.
function laurelFieldLabel(field) {
  const label = field.id && document.querySelector(`label[for="${field.id}"]`);
  return label ? label.textContent.replace(/[:*\s]+$/, "").trim() : field.name;
}

// Show or clear the browser's verdict on one field, the way the server draws its errors.
function laurelCheckField(field) {
  if (field.disabled || field.type === "hidden" || !field.willValidate) return true;
  const valid = field.checkValidity();
  const id = `${field.id || field.name}_error`;
  let feedback = document.getElementById(id);
  field.classList.toggle("is-invalid", !valid);
  if (valid) {
    field.removeAttribute("aria-invalid");
    if (feedback) feedback.hidden = true;
    return true;
  }
  field.setAttribute("aria-invalid", "true");
  if (!feedback) {
    feedback = document.createElement("div");
    feedback.className = "invalid-feedback d-block";
    feedback.id = id;
    laurelFieldGroup(field).appendChild(feedback);
  }
  feedback.textContent = field.validationMessage;
  feedback.hidden = false;
  const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  if (!described.includes(id)) {
    field.setAttribute("aria-describedby", [...described, id].join(" "));
  }
  return false;
}

// The one rule of the dossier a browser cannot know: a person or a collective, not both.
function laurelCheckNominee(form) {
  const choices = [...form.querySelectorAll("[data-nominee]")].filter((s) => !s.disabled);
  if (!choices.length) return;
  const chosen = choices.filter((s) => s.value);
  const message = chosen.length === 1 ? "" : form.dataset.nomineeRequired || "";
  for (const select of choices) select.setCustomValidity("");
  if (message) (chosen[1] || choices[0]).setCustomValidity(message);
}

function laurelValidateForm(form) {
  const summary = form.querySelector("[data-error-summary]");
  form.noValidate = true; // our messages replace the browser's bubbles
  const fields = () => [...form.elements].filter((f) => f.matches("input, select, textarea"));
  for (const field of fields()) {
    field.addEventListener("blur", () => {
      if (field.matches("[data-nominee]")) laurelCheckNominee(form);
      laurelCheckField(field);
    });
    const recheck = () => {
      if (field.matches("[data-nominee]")) {
        laurelCheckNominee(form); // choosing one nominee settles the other field too
        for (const other of form.querySelectorAll("[data-nominee].is-invalid")) laurelCheckField(other);
      }
      if (field.classList.contains("is-invalid")) laurelCheckField(field);
    };
    field.addEventListener("input", recheck);
    field.addEventListener("change", recheck);
  }
  form.addEventListener("submit", (event) => {
    laurelCheckNominee(form);
    const invalid = fields().filter((f) => !laurelCheckField(f));
    if (!invalid.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!summary) {
      invalid[0].focus();
      return;
    }
    const list = summary.querySelector("ul");
    list.replaceChildren(
      ...invalid.map((field) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `#${field.id}`;
        link.textContent = `${laurelFieldLabel(field)}: ${field.validationMessage}`;
        link.addEventListener("click", (e) => {
          e.preventDefault();
          field.focus();
        });
        item.appendChild(link);
        return item;
      }),
    );
    summary.hidden = false;
    summary.focus();
  });
}

// The award type chosen shows what it requires and the nominee field(s) it takes.
function laurelAwardHints(select) {
  const form = select.form;
  const box = form.querySelector("[data-award-hints]");
  const details = box && box.querySelector("details");
  if (details) {
    details.open = true;
    details.querySelector("summary").hidden = true;
  }
  const update = () => {
    let chosen = null;
    for (const hint of form.querySelectorAll("[data-award-hint]")) {
      const match = hint.dataset.awardHint === select.value;
      hint.hidden = !match;
      if (match) chosen = hint;
    }
    const empty = form.querySelector("[data-award-hint-empty]");
    if (empty) empty.hidden = Boolean(chosen);
    for (const nominee of form.querySelectorAll("[data-nominee]")) {
      const takes = nominee.dataset.nominee === "individual" ? "individuals" : "collectives";
      const allowed = !chosen || chosen.dataset[takes] === "1";
      laurelFieldGroup(nominee).hidden = !allowed;
      nominee.disabled = !allowed; // a hidden choice is not sent
    }
  };
  select.addEventListener("change", update);
  update();
}

// The nominee chosen shows, as it is chosen, which of the award's criteria they meet: the
// checklist is drawn by the server (the same fragment as without script), asked for again
// whenever the campaign, the award or the nominee changes.
function laurelEligibility(box) {
  const form = box.closest("form");
  const body = box.querySelector("[data-eligibility-body]");
  if (!form || !body || !window.fetch) return;
  const fields = ["campaign", "award_type", "nominee_person", "nominee_unit"];
  let asked = 0;
  const update = async () => {
    const params = new URLSearchParams();
    for (const name of fields) {
      const field = form.elements[name];
      // A nominee field the award does not take is disabled; the fixed campaign is sent anyway.
      if (field && field.value && (!field.disabled || name === "campaign")) params.set(name, field.value);
    }
    if (box.dataset.nomination) params.set("nomination", box.dataset.nomination);
    const mine = ++asked;
    try {
      const response = await fetch(`${box.dataset.url}?${params}`, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      });
      if (!response.ok || mine !== asked) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      body.replaceChildren(...[...fresh.body.childNodes].map((n) => document.importNode(n, true)));
    } catch {
      // The checklist stays as it was; submitting checks the criteria anyway.
    }
  };
  for (const name of fields) form.elements[name]?.addEventListener("change", update);
}

// While a document is uploading in the background, the page's other buttons wait: acting now
// would act on the version the upload is about to replace (or leave the page mid-upload).
const LAUREL_WAIT_FOR_UPLOAD = [
  "form.action button[type=submit]",
  "form[data-dirty-watch] button[type=submit]",
  "#evidence-list button[type=submit]",
].join(", ");
let laurelUploading = 0;
let laurelWaitHint = "";

// Disable (or enable again) the buttons that must wait, with the hint beside each action.
function laurelSyncUploadWait() {
  const busy = laurelUploading > 0;
  for (const button of document.querySelectorAll(LAUREL_WAIT_FOR_UPLOAD)) {
    if (busy && !button.disabled) {
      button.disabled = true;
      button.dataset.waitingForUpload = "1";
      if (laurelWaitHint) button.title = laurelWaitHint;
    } else if (!busy && button.dataset.waitingForUpload) {
      button.disabled = false;
      delete button.dataset.waitingForUpload;
      button.removeAttribute("title");
    }
  }
  for (const form of document.querySelectorAll("form.action")) {
    let hint = form.querySelector("[data-upload-wait]");
    if (busy && !hint && laurelWaitHint) {
      hint = document.createElement("span");
      hint.className = "upload-wait small text-body-secondary ms-2";
      hint.dataset.uploadWait = "";
      hint.textContent = laurelWaitHint;
      form.querySelector("button[type=submit]")?.after(hint);
    } else if (!busy && hint) {
      hint.remove();
    }
  }
}

function laurelUploadStarted(form) {
  laurelWaitHint = form.dataset.wait || laurelWaitHint;
  laurelUploading += 1;
  laurelSyncUploadWait();
}

function laurelUploadEnded() {
  laurelUploading = Math.max(0, laurelUploading - 1);
  laurelSyncUploadWait();
}

// Whatever else tries to send an action form during an upload (a key press) waits too.
function laurelHoldActionsDuringUpload(event) {
  const form = event.target;
  if (laurelUploading > 0 && form instanceof HTMLFormElement && form.matches("form.action")) {
    event.preventDefault();
  }
}

// Evidence sent with a progress bar; the plain form post remains the fallback.
function laurelUpload(form) {
  const bar = form.querySelector("[data-upload-progress]");
  const feedback = form.querySelector("[data-upload-feedback]");
  const button = form.querySelector("button[type=submit]");
  const file = form.querySelector("input[type=file]");
  const say = (text, kind) => {
    feedback.textContent = text;
    feedback.className = `upload-feedback small mb-2 ${kind === "error" ? "text-danger" : "text-success"}`;
    file.classList.toggle("is-invalid", kind === "error");
  };
  const progress = (percent) => {
    bar.firstElementChild.style.width = `${percent}%`; // CSSOM, allowed by the CSP
    bar.setAttribute("aria-valuenow", String(percent));
  };
  form.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return;
    event.preventDefault();
    if (!form.reportValidity()) return;
    const chosen = file.files[0];
    const max = Number(form.dataset.maxBytes || 0);
    if (chosen && max && chosen.size > max) {
      say(form.dataset.tooLarge, "error");
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress(Math.round((100 * e.loaded) / e.total));
    };
    const ended = () => {
      bar.hidden = true;
      button.disabled = false;
      laurelUploadEnded();
    };
    xhr.onload = () => {
      let answer = null;
      try {
        answer = JSON.parse(xhr.responseText);
      } catch {
        answer = null;
      }
      if (xhr.status === 200 && answer && answer.ok) {
        // The upload made a new version of the dossier: the page's actions act on it now,
        // before the buttons come back (no stale Submit right after an upload).
        if (answer.version) laurelSetVersion(answer.version);
        ended();
        say(form.dataset.done, "ok");
        form.reset();
        laurelRefreshEvidence();
      } else {
        ended();
        say(answer && answer.errors ? answer.errors.join(" ") : form.dataset.failed, "error");
      }
    };
    xhr.onerror = () => {
      ended();
      say(form.dataset.failed, "error");
    };
    xhr.onabort = xhr.onerror;
    progress(0);
    bar.hidden = false;
    button.disabled = true;
    feedback.textContent = "";
    laurelUploadStarted(form);
    xhr.send(new FormData(form));
  });
}

function laurelSetVersion(version) {
  for (const input of document.querySelectorAll("input[name=version]")) input.value = String(version);
}

// Redraw the parts of the page an upload changes (marked data-refresh: the list of documents,
// the required documents ticked, the actions, which Submit joins once nothing is missing)
// from the page as it now is; the edit page keeps unsaved input. Take the nomination's new
// version so the buttons on the page still act on it.
async function laurelRefreshEvidence() {
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    if (!response.ok || !fresh.getElementById("evidence-list")) {
      throw new Error(String(response.status));
    }
    for (const part of document.querySelectorAll("[data-refresh][id]")) {
      const replacement = fresh.getElementById(part.id);
      if (replacement) part.replaceWith(document.importNode(replacement, true));
    }
    const version = fresh.querySelector("input[name=version]");
    if (version) laurelSetVersion(version.value);
    laurelSyncUploadWait(); // another upload may have started meanwhile
  } catch {
    window.location.reload();
  }
}

// Dangerous actions ask first (delegated: lists redrawn later keep it).
function laurelConfirm(event) {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !event.defaultPrevented) {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  }
}

// Submitting from the edit page sends the dossier as saved: unsaved changes must be saved first.
// (Delegated: the submit form is redrawn after an upload.)
function laurelWatchDirty(dossier) {
  const mark = () => {
    dossier.dataset.dirty = "1";
  };
  dossier.addEventListener("input", mark);
  dossier.addEventListener("change", mark);
}

function laurelRequireSaved(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.requiresSaved) return;
  const dossier = document.querySelector(form.dataset.requiresSaved);
  if (!dossier || dossier.dataset.dirty !== "1") return;
  event.preventDefault();
  const note = form.querySelector("[data-unsaved-note]");
  if (note) note.textContent = form.dataset.unsaved;
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-validate]")) laurelValidateForm(form);
  for (const select of document.querySelectorAll("[data-award-select]")) laurelAwardHints(select);
  for (const box of document.querySelectorAll("[data-eligibility-preview]")) laurelEligibility(box);
  for (const form of document.querySelectorAll("form[data-upload]")) {
    if (window.FormData && window.XMLHttpRequest) laurelUpload(form);
  }
  for (const dossier of document.querySelectorAll("form[data-dirty-watch]")) laurelWatchDirty(dossier);
  document.addEventListener("submit", laurelHoldActionsDuringUpload);
  document.addEventListener("submit", laurelRequireSaved);
  document.addEventListener("submit", laurelConfirm);
  const errors = document.querySelector("[data-server-errors]");
  if (errors) errors.focus();
});

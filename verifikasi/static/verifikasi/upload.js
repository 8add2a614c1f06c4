// Document upload forms (form[data-upload], registrations/vendor/_document.html).
// The form works without this file (a plain multipart POST); with it and htmx:
//   - files dropped on [data-dropzone] go into its file input;
//   - photos taken one by one with the camera input ([data-camera]) add up;
//   - the chosen files are listed, and too large / too many files are refused
//     before a single byte is sent (limits in data-max-bytes / data-max-files);
//   - a <progress> bar follows the upload (htmx:xhr:progress), then "checking";
//   - a refused upload (4xx with the X-Document-Card header) is swapped in like
//     a success, so the card shows the server's message;
//   - a lost connection or server error is said in the card, and the form is
//     usable again.
(function () {
  "use strict";
  if (window.verifikasiUploadReady) { return; }
  window.verifikasiUploadReady = true;

  function uploadForm(el) {
    return el && el.closest ? el.closest("form[data-upload]") : null;
  }

  function chosenFiles(form) {
    var files = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { files.push(file); });
    });
    return files;
  }

  function isPdf(file) {
    return file.type === "application/pdf" || /\.pdf$/i.test(file.name);
  }

  function showError(form, message) {
    var box = form.querySelector(".upload-error");
    if (!box) { return; }
    box.textContent = message || "";
    box.hidden = !message;
  }

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " MB";
  }

  function describe(form) {
    var files = chosenFiles(form);
    var list = form.querySelector(".upload-chosen");
    var clear = form.querySelector("[data-upload-clear]");
    if (list) {
      list.hidden = files.length === 0;
      list.textContent = files.length ? (form.dataset.msgChosen || "") + " " +
        files.map(function (f) { return f.name + " (" + megabytes(f.size) + ")"; }).join(", ") : "";
    }
    if (clear) { clear.hidden = files.length === 0; }
  }

  // What the server would refuse anyway, said before the upload wastes the vendor's data plan.
  function precheck(form) {
    var files = chosenFiles(form);
    var maxBytes = parseInt(form.dataset.maxBytes || "0", 10);
    var maxFiles = parseInt(form.dataset.maxFiles || "0", 10);
    if (files.length === 0) { return form.dataset.msgNoFile || ""; }
    if (maxFiles && files.length > maxFiles) { return form.dataset.msgTooMany || ""; }
    if (maxBytes && files.some(function (f) { return f.size > maxBytes; })) {
      return form.dataset.msgTooBig || "";
    }
    if (files.length > 1 && files.some(isPdf)) {
      return (files.every(isPdf) ? form.dataset.msgSeveralPdfs : form.dataset.msgMixed) || "";
    }
    return "";
  }

  function resetCamera(input) {
    input.verifikasiKept = [];
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = uploadForm(input);
    if (!form || input.type !== "file") { return; }
    if (input.hasAttribute("data-camera") && window.DataTransfer) {
      // A phone camera returns one photo per shot: keep the earlier shots (an Akta has pages).
      var kept = (input.verifikasiKept || []).concat(Array.prototype.slice.call(input.files));
      var transfer = new DataTransfer();
      kept.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      input.verifikasiKept = kept;
    }
    showError(form, "");
    describe(form);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-upload-clear]") : null;
    var form = uploadForm(button);
    if (!form) { return; }
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      input.value = "";
      resetCamera(input);
    });
    showError(form, "");
    describe(form);
  });

  // Drag and drop. Dropping a file anywhere else on the page must not open it in the tab
  // (the vendor would lose the page), so file drags are always handled here.
  function carriesFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") !== -1;
  }

  function dropzone(event) {
    return event.target.closest ? event.target.closest("[data-dropzone]") : null;
  }

  document.addEventListener("dragover", function (event) {
    if (!carriesFiles(event)) { return; }
    event.preventDefault();
    var zone = dropzone(event);
    event.dataTransfer.dropEffect = zone ? "copy" : "none";
    if (zone) { zone.classList.add("is-dragover"); }
  });

  document.addEventListener("dragleave", function (event) {
    var zone = dropzone(event);
    if (zone && !zone.contains(event.relatedTarget)) { zone.classList.remove("is-dragover"); }
  });

  document.addEventListener("drop", function (event) {
    if (!carriesFiles(event)) { return; }
    event.preventDefault();
    var zone = dropzone(event);
    if (!zone) { return; }
    zone.classList.remove("is-dragover");
    var input = zone.querySelector("input[type=file]");
    var form = uploadForm(zone);
    if (!input || !form) { return; }
    input.files = event.dataTransfer.files;
    showError(form, "");
    describe(form);
  });

  // Capture phase: runs before htmx's own submit handler on the form, and can stop it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload]")) { return; }
    var problem = precheck(form);
    if (problem) {
      event.preventDefault();
      event.stopPropagation();
      showError(form, problem);
    }
  }, true);

  function progressParts(form) {
    var box = form.querySelector(".upload-progress");
    return box ? { box: box, bar: box.querySelector("progress"), status: box.querySelector(".upload-status") } : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = uploadForm(event.detail.elt);
    if (!form || event.detail.elt !== form) { return; }
    var parts = progressParts(form);
    var clear = form.querySelector("[data-upload-clear]");
    delete form.dataset.sent;
    showError(form, "");
    if (clear) { clear.hidden = true; }  // the files are on their way
    if (parts) {
      parts.bar.value = 0;
      parts.status.textContent = form.dataset.msgUploading || "";
      parts.box.hidden = false;
    }
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = uploadForm(event.detail.elt || event.target);
    if (!form || form.dataset.sent || !event.detail.lengthComputable || !event.detail.total) { return; }
    var parts = progressParts(form);
    if (!parts) { return; }
    var percent = Math.floor(100 * event.detail.loaded / event.detail.total);
    if (event.detail.loaded >= event.detail.total) {
      // Everything is sent; the server now checks the file (a few seconds for a long PDF).
      form.dataset.sent = "1";
      parts.bar.removeAttribute("value");
      parts.status.textContent = form.dataset.msgChecking || "";
    } else {
      parts.bar.value = percent;
      parts.status.textContent = (form.dataset.msgUploading || "") + " " + percent + "%";
    }
  });

  // The request's own element: swap events are dispatched on the target (the card), and
  // their detail.elt is that target, not the form.
  function requestForm(event) {
    var config = event.detail.requestConfig;
    return uploadForm((config && config.elt) || event.detail.elt);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = requestForm(event);
    var xhr = event.detail.xhr;
    if (form && xhr && xhr.status >= 400 && xhr.getResponseHeader("X-Document-Card")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The card (and the button that had focus) was replaced: put focus on what it now says,
  // so a keyboard or screen-reader user hears the result and continues from there.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!requestForm(event)) { return; }
    var old = event.detail.target;
    var card = old && old.id ? document.getElementById(old.id) : null;
    var said = card && card.querySelector('[role="alert"]:not([hidden]), [role="status"]');
    if (said) {
      said.tabIndex = -1;
      said.focus();
    }
  });

  function failed(event, message) {
    var form = requestForm(event);
    if (!form) { return; }
    var parts = progressParts(form);
    if (parts) { parts.box.hidden = true; }
    delete form.dataset.sent;
    describe(form);  // the chosen files are still there: show them, and "Hapus pilihan"
    showError(form, message(form));
  }

  document.addEventListener("htmx:responseError", function (event) {
    failed(event, function (form) {
      var status = event.detail.xhr ? event.detail.xhr.status : 0;
      // 413: a proxy in front of the app refused the size before the app saw it.
      return status === 413 && form.dataset.msgTooBig ? form.dataset.msgTooBig : form.dataset.msgFailed;
    });
  });
  document.addEventListener("htmx:sendError", function (event) {
    failed(event, function (form) { return form.dataset.msgOffline; });
  });
  document.addEventListener("htmx:timeout", function (event) {
    failed(event, function (form) { return form.dataset.msgOffline; });
  });
})();

// Upload page: drag-and-drop, client-side checks, and an upload progress bar (XMLHttpRequest, because
// fetch cannot report upload progress). The server checks everything again; these checks only spare
// the user a long upload that would be refused.
(function () {
    "use strict";

    const form = document.getElementById("upload-form");
    if (!form) {
        return;
    }

    const input = document.getElementById("file");
    const dropZone = document.getElementById("drop-zone");
    const fileName = document.getElementById("file-name");
    const submit = document.getElementById("upload-submit");
    const errorBox = document.getElementById("upload-error");
    const progress = document.getElementById("upload-progress");
    const bar = document.getElementById("upload-progress-bar");
    const percentText = document.getElementById("upload-progress-percent");
    const progressText = document.getElementById("upload-progress-text");
    const maxBytes = Number(form.dataset.maxBytes);

    function showError(message, whatToDo) {
        document.getElementById("upload-error-message").textContent = message;
        document.getElementById("upload-error-what").textContent = whatToDo || "";
        errorBox.classList.remove("d-none");
        errorBox.scrollIntoView({ behavior: "smooth", block: "center" });
    }

    function hideError() {
        errorBox.classList.add("d-none");
    }

    function formatSize(bytes) {
        if (bytes < 1024) {
            return bytes.toLocaleString("en-US") + " bytes";
        }
        return bytes >= 1048576
            ? (bytes / 1048576).toLocaleString("en-US", { maximumFractionDigits: 1 }) + " MB"
            : (bytes / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 }) + " KB";
    }

    function check(file) {
        const name = file.name.toLowerCase();
        if (name.endsWith(".xls")) {
            return ["This is an old Excel workbook (.xls), which the portal cannot read.",
                "Open it in Excel and save it as .xlsx (Excel Workbook) or .csv, then upload that file."];
        }
        if (!name.endsWith(".csv") && !name.endsWith(".xlsx") && !name.endsWith(".txt")) {
            return ["\"" + file.name + "\" is not a .csv or .xlsx file.", "Export your transactions as .csv or .xlsx and upload that file."];
        }
        if (file.size === 0) {
            return ["The file \"" + file.name + "\" is empty.", "Choose the file that holds your transactions."];
        }
        if (file.size > maxBytes) {
            return ["The file is larger than the " + form.dataset.maxSize + " the portal accepts.",
                "Upload a smaller export, for example fewer years or only the columns the analysis needs."];
        }
        return null;
    }

    function showFile() {
        const file = input.files[0];
        fileName.textContent = file ? file.name + " (" + formatSize(file.size) + ")" : "";
        hideError();
    }

    input.addEventListener("change", showFile);

    ["dragenter", "dragover"].forEach(function (type) {
        dropZone.addEventListener(type, function (e) {
            e.preventDefault();
            dropZone.classList.add("drop-zone-active");
        });
    });
    ["dragleave", "drop"].forEach(function (type) {
        dropZone.addEventListener(type, function (e) {
            e.preventDefault();
            dropZone.classList.remove("drop-zone-active");
        });
    });
    dropZone.addEventListener("drop", function (e) {
        if (e.dataTransfer && e.dataTransfer.files.length > 0) {
            input.files = e.dataTransfer.files;
            showFile();
        }
    });

    function setProgress(percent, text) {
        bar.style.width = percent + "%";
        percentText.textContent = Math.round(percent) + "%";
        document.getElementById("upload-progressbar").setAttribute("aria-valuenow", String(Math.round(percent)));
        if (text) {
            progressText.textContent = text;
        }
    }

    form.addEventListener("submit", function (e) {
        e.preventDefault();
        const file = input.files[0];
        if (!file) {
            showError("No file chosen.", "Drop a .csv or .xlsx file on the box above, or click it to choose one.");
            return;
        }
        const problem = check(file);
        if (problem) {
            showError(problem[0], problem[1]);
            return;
        }

        hideError();
        submit.disabled = true;
        progress.classList.remove("d-none");
        setProgress(0, "Uploading " + file.name + "…");

        const token = form.querySelector("input[name='__RequestVerificationToken']");
        const xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("Accept", "application/json");
        if (token) {
            xhr.setRequestHeader("RequestVerificationToken", token.value);
        }
        xhr.upload.addEventListener("progress", function (p) {
            if (p.lengthComputable) {
                setProgress(100 * p.loaded / p.total, p.loaded < p.total ? null : "Checking the file…");
            }
        });
        xhr.addEventListener("load", function () {
            let body = null;
            try {
                body = JSON.parse(xhr.responseText);
            } catch {
                body = null;
            }
            if (xhr.status === 200 && body && body.statusUrl) {
                setProgress(100, body.checkUrl ? "Uploaded. Reading the first rows…" : "Uploaded. Starting the analysis…");
                window.location.assign(body.checkUrl || body.statusUrl);
                return;
            }
            submit.disabled = false;
            progress.classList.add("d-none");
            if (body && body.message) {
                showError(body.message, body.whatToDo);
            } else if (xhr.status === 401 || xhr.status === 403) {
                showError("You are no longer signed in.", "Sign in again and upload the file.");
            } else {
                showError("The upload failed (error " + xhr.status + ").", "Please try again in a few minutes.");
            }
        });
        xhr.addEventListener("error", function () {
            submit.disabled = false;
            progress.classList.add("d-none");
            showError("The upload broke off before the whole file arrived.", "Check your connection and upload the file again.");
        });
        xhr.send(new FormData(form));
    });
})();

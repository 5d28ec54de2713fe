// Status page: polls the analysis' progress once a second and moves on to the results when it is done.
// A failed poll (a 500/502/503 from a busy server or proxy, a network blip, a garbled answer) is retried
// with exponential backoff, 1 s doubling up to 30 s, behind a quiet "Reconnecting…" note: the analysis runs
// on regardless. Only 401 (signed out) and 404 (deleted) stop the polling, with a message.
(function () {
    "use strict";

    const root = document.getElementById("analysis-status");
    if (!root) {
        return;
    }

    const url = root.dataset.progressUrl;
    const bar = document.getElementById("status-bar");
    const progressbar = document.getElementById("status-progress");
    const stage = document.getElementById("status-stage");
    const percent = document.getElementById("status-percent");
    const reconnecting = document.getElementById("status-reconnecting");
    const maxDelayMs = 30000;
    let failures = 0;

    function show(id) {
        ["status-running", "status-failed", "status-done"].forEach(function (other) {
            document.getElementById(other).classList.toggle("d-none", other !== id);
        });
    }

    function render(p) {
        bar.style.width = p.percent + "%";
        percent.textContent = Math.round(p.percent) + "%";
        progressbar.setAttribute("aria-valuenow", String(Math.round(p.percent)));
        const text = p.status === "Queued" ? "Waiting for a free worker…" : p.stage;
        // Only a change is written: the live region announces every write.
        if (stage.textContent !== text) {
            stage.textContent = text;
        }
    }

    function retryLater() {
        failures += 1;
        reconnecting.classList.remove("d-none");
        window.setTimeout(poll, Math.min(1000 * Math.pow(2, failures - 1), maxDelayMs));
    }

    function stop(message) {
        reconnecting.classList.add("d-none");
        bar.classList.remove("progress-bar-animated");
        stage.textContent = message;
    }

    async function poll() {
        let p;
        try {
            // X-Requested-With: a signed-out session answers 401 instead of redirecting to the log-in page.
            const response = await fetch(url, {
                headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
                cache: "no-store",
            });
            if (response.status === 401) {
                stop("You have been signed out. Sign in again to follow this analysis; we email you when it is done.");
                return;
            }
            if (response.status === 404) {
                stop("This analysis no longer exists.");
                return;
            }
            if (!response.ok) {
                retryLater();
                return;
            }
            p = await response.json();
        } catch {
            retryLater();
            return;
        }

        failures = 0;
        reconnecting.classList.add("d-none");
        render(p);
        if (p.status === "Succeeded") {
            document.getElementById("status-results-link").href = p.resultsUrl;
            show("status-done");
            window.location.assign(p.resultsUrl);
        } else if (p.status === "Failed") {
            document.getElementById("status-error").textContent = p.error || "The analysis failed.";
            document.getElementById("status-what-text").textContent = p.whatToDo || "Upload the file again.";
            show("status-failed");
        } else {
            window.setTimeout(poll, 1000);
        }
    }

    if (document.getElementById("status-failed").classList.contains("d-none")) {
        poll();
    }
})();

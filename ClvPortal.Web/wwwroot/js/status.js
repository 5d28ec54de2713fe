// Status page: polls the analysis' progress once a second and moves on to the results when it is done.
(function () {
    "use strict";

    const root = document.getElementById("analysis-status");
    if (!root) {
        return;
    }

    const url = root.dataset.progressUrl;
    const bar = document.getElementById("status-bar");
    const stage = document.getElementById("status-stage");
    const percent = document.getElementById("status-percent");

    function show(id) {
        ["status-running", "status-failed", "status-done"].forEach(function (other) {
            document.getElementById(other).classList.toggle("d-none", other !== id);
        });
    }

    function render(p) {
        bar.style.width = p.percent + "%";
        percent.textContent = Math.round(p.percent) + "%";
        stage.textContent = p.status === "Queued" ? "Waiting for a free worker…" : p.stage;
    }

    async function poll() {
        let p;
        try {
            const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
            if (!response.ok) {
                // Signed out or deleted elsewhere: stop asking.
                stage.textContent = response.status === 404 ? "This analysis no longer exists." : "Could not read the progress (error " + response.status + ").";
                return;
            }
            p = await response.json();
        } catch {
            // A network blip: try again on the next tick.
            window.setTimeout(poll, 2000);
            return;
        }

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

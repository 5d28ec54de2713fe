// Check-columns page: the labels above the preview's columns follow the selects, so the user sees at once which
// column each field is read from, and a second click on Start cannot queue twice. The page works without this
// script; the server checks the choice again when the analysis starts.
(function () {
    "use strict";

    const form = document.getElementById("check-form");
    if (!form) {
        return;
    }

    const selects = Array.from(form.querySelectorAll("select.role-select"));
    const headers = Array.from(document.querySelectorAll("#preview-table th[data-column]"));

    function update() {
        headers.forEach(function (header) {
            const badges = header.querySelector(".role-badges");
            const name = header.dataset.column.toLowerCase();
            badges.textContent = "";
            let used = false;
            selects.forEach(function (select) {
                if (select.value && select.value.toLowerCase() === name) {
                    const badge = document.createElement("span");
                    badge.className = "badge text-bg-primary me-1";
                    badge.textContent = select.dataset.roleLabel;
                    badges.appendChild(badge);
                    used = true;
                }
            });
            header.classList.toggle("column-used", used);
        });
    }

    selects.forEach(function (select) {
        select.addEventListener("change", update);
    });

    form.addEventListener("submit", function (e) {
        const button = e.submitter;
        if (button && button.id === "check-start") {
            // After the form's data is taken: a disabled button is left out of it.
            setTimeout(function () {
                button.disabled = true;
                button.textContent = "Checking the columns…";
            }, 0);
        }
    });
})();

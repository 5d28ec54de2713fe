// Every page: a table too wide for its card scrolls sideways inside it (.table-responsive). So that keyboard
// users can scroll it too, such a box gets a tab stop and a name while it overflows (WCAG 2.1.1).
(function () {
    "use strict";

    function nameOf(box) {
        const table = box.querySelector("table");
        const caption = table && table.querySelector("caption");
        const section = box.closest("section, .card-panel, .card");
        const heading = section && section.querySelector("h1, h2, h3, h4");
        return ((caption || heading || {}).textContent || "Table").trim() + " (scrolls sideways)";
    }

    function update() {
        document.querySelectorAll(".table-responsive").forEach(function (box) {
            const overflows = box.scrollWidth > box.clientWidth + 1;
            if (overflows && !box.hasAttribute("tabindex")) {
                box.setAttribute("tabindex", "0");
                box.setAttribute("role", "region");
                box.setAttribute("aria-label", nameOf(box));
                box.dataset.scrollFocus = "";
            } else if (!overflows && box.dataset.scrollFocus !== undefined) {
                box.removeAttribute("tabindex");
                box.removeAttribute("role");
                box.removeAttribute("aria-label");
                delete box.dataset.scrollFocus;
            }
        });
    }

    let pending = 0;
    function later() {
        window.cancelAnimationFrame(pending);
        pending = window.requestAnimationFrame(update);
    }

    update();
    window.addEventListener("resize", later);
    // A collapsed section's tables have no width until it opens; "toggle" does not bubble, so listen in capture.
    document.addEventListener("toggle", later, true);
})();

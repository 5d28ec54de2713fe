// "My analyses": asks before deleting (a delete cannot be undone).
(function () {
    "use strict";

    document.querySelectorAll("form.delete-form").forEach(function (form) {
        form.addEventListener("submit", function (e) {
            if (!window.confirm(form.dataset.confirm)) {
                e.preventDefault();
            }
        });
    });
})();

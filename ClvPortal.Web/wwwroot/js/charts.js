// What every chart page shares (the results dashboard, the track record and business pages): the palette and the
// number formats, so amounts read the same in every chart's axes and tooltips as in the server's tables.
window.clvCharts = (function () {
    'use strict';

    // Bars, lines and axis text at 3:1 or more against white (WCAG 1.4.11; axis labels are text: 4.5:1).
    var palette = {
        primary: '#2f5bea',
        primarySoft: 'rgba(47, 91, 234, 0.15)',
        teal: '#0f7b6c',
        amber: '#a86200',
        red: '#c23030',
        grey: '#5f6b7a',
        ink: '#1f2937'
    };

    var whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    // A minus only when the printed amount is not zero: -0.001 reads "$0.00", as on the server.
    var sign = function (v, digits) { return v < 0 && Number(Math.abs(v).toFixed(digits)) !== 0 ? '-' : ''; };

    return {
        palette: palette,
        count: function (v) { return whole.format(v); },
        // Money in the analysis's currency symbol, in whole units or with cents.
        money: function (currency, v) { return sign(v, 0) + currency + whole.format(Math.abs(v)); },
        money2: function (currency, v) {
            return sign(v, 2) + currency + Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        }
    };
})();

// Business trend and track record pages: draws the Chart.js bar charts described by the JSON data island
// (no inline script, so the Content-Security-Policy without 'unsafe-inline' holds). Each chart's numbers are also
// in a visually hidden table the page renders next to it, for screen readers.
(function () {
    'use strict';

    var island = document.getElementById('track-record-data');
    if (!island || !window.Chart) {
        return;
    }

    var data = JSON.parse(island.textContent);
    // The results dashboard's colours: bars at 3:1 or more against white (WCAG 1.4.11).
    var colors = { primary: '#2f5bea', amber: '#a86200', grey: '#5f6b7a', teal: '#0f7b6c' };
    var numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    var money = function (v) {
        var sign = v < 0 && Math.round(Math.abs(v)) !== 0 ? '-' : '';
        return sign + data.currency + numberFormat.format(Math.abs(v));
    };

    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    document.querySelectorAll('canvas[data-track-chart]').forEach(function (canvas) {
        var chart = data.charts[canvas.dataset.trackChart];
        if (!chart) {
            return;
        }

        var format = chart.money ? money : function (v) { return numberFormat.format(v); };
        new Chart(canvas, {
            type: 'bar',
            data: {
                labels: chart.labels,
                datasets: chart.datasets.map(function (d) {
                    return { label: d.label, data: d.data, backgroundColor: colors[d.color] || colors.primary, borderRadius: 3 };
                })
            },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                interaction: { mode: 'index', intersect: false },
                plugins: {
                    legend: { display: true, labels: { boxWidth: 12, color: '#1f2937' } },
                    tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ': ' + (ctx.parsed.y === null ? '–' : format(ctx.parsed.y)); } } }
                },
                scales: {
                    x: { grid: { display: false }, ticks: { color: '#5f6b7a', maxRotation: 0, autoSkip: true } },
                    y: { beginAtZero: true, grid: { color: '#eef1f5' }, ticks: { color: '#5f6b7a', callback: function (v) { return format(v); } } }
                }
            }
        });
    });
})();

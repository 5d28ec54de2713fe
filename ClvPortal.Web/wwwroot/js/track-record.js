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
    var colors = clvCharts.palette;
    var money = function (v) { return clvCharts.money(data.currency, v); };
    // Axis ticks in short form ($50K, $1.2M), so they stay apart on a phone; tooltips and tables keep the full amount.
    var compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
    var compactMoney = function (v) { return (v < 0 ? '-' : '') + data.currency + compactFormat.format(Math.abs(v)); };

    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    document.querySelectorAll('canvas[data-track-chart]').forEach(function (canvas) {
        var chart = data.charts[canvas.dataset.trackChart];
        if (!chart) {
            return;
        }

        var format = chart.money ? money : clvCharts.count;
        var tick = chart.money ? compactMoney : function (v) { return compactFormat.format(v); };
        // Every group gets its label (no skipping); a horizontal chart puts the groups down the side, the amounts along.
        var groups = { grid: { display: false }, ticks: { color: '#5f6b7a', autoSkip: false, maxRotation: 45 } };
        var amounts = { beginAtZero: true, grid: { color: '#eef1f5' }, ticks: { color: '#5f6b7a', maxRotation: 0, maxTicksLimit: 6, callback: function (v) { return tick(v); } } };
        new Chart(canvas, {
            type: 'bar',
            data: {
                labels: chart.labels,
                datasets: chart.datasets.map(function (d) {
                    return { label: d.label, data: d.data, backgroundColor: colors[d.color] || colors.primary, borderRadius: 3 };
                })
            },
            options: {
                indexAxis: chart.horizontal ? 'y' : 'x',
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                interaction: { mode: 'index', intersect: false },
                plugins: {
                    legend: { display: true, labels: { boxWidth: 12, color: '#1f2937' } },
                    tooltip: { callbacks: { label: function (ctx) { var v = chart.horizontal ? ctx.parsed.x : ctx.parsed.y; return ctx.dataset.label + ': ' + (v === null ? '–' : format(v)); } } }
                },
                scales: chart.horizontal ? { x: amounts, y: groups } : { x: groups, y: amounts }
            }
        });
    });
})();

// Results dashboard: draws the Chart.js charts from the JSON data island the page renders
// (no inline script, so a Content-Security-Policy without 'unsafe-inline' works), and the
// share page's copy button.
(function () {
    'use strict';

    var island = document.getElementById('dashboard-data');
    var data = island ? JSON.parse(island.textContent) : null;

    var palette = clvCharts.palette;
    var currency = data ? data.currency : '$';
    var money = function (v) { return clvCharts.money(currency, v); };
    var money2 = function (v) { return clvCharts.money2(currency, v); };
    var count = clvCharts.count;

    function baseOptions(yFormat, extra) {
        var options = {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            interaction: { mode: 'index', intersect: false },
            plugins: {
                legend: { display: false, labels: { boxWidth: 12, color: palette.ink } },
                tooltip: {
                    callbacks: {
                        label: function (ctx) {
                            var v = ctx.parsed.y !== undefined && ctx.chart.options.indexAxis !== 'y' ? ctx.parsed.y : ctx.parsed.x;
                            return (ctx.dataset.label ? ctx.dataset.label + ': ' : '') + yFormat(v);
                        }
                    }
                }
            },
            scales: {
                x: { grid: { display: false }, ticks: { color: palette.grey, maxRotation: 0, autoSkip: true } },
                y: { beginAtZero: true, grid: { color: '#eef1f5' }, ticks: { color: palette.grey, callback: function (v) { return yFormat(v); } } }
            }
        };
        return Object.assign(options, extra || {});
    }

    // Lighter bars for months the data covers only in part.
    function partialColors(whole, part) {
        var partial = data.monthly.partial || [];
        return data.monthly.labels.map(function (_, i) { return partial[i] ? part : whole; });
    }

    // One colour per cohort, oldest darkest: a sequential ramp reads as "time" and needs no legend lookup.
    function cohortColor(i, n) {
        var t = n <= 1 ? 0 : i / (n - 1);
        // Lightness up to 36% keeps even the newest line at 3:1 or more against the white card.
        return 'hsl(' + Math.round(225 - 55 * t) + ', 75%, ' + Math.round(22 + 14 * t) + '%)';
    }

    var builders = {
        'monthly-revenue': function () {
            // A month the data covers only in part (it starts late or ends early) is drawn dashed with a
            // hollow point, so its lower total does not read as a collapse; the note below the chart says why.
            var partial = data.monthly.partial || [];
            var touchesPartial = function (ctx) { return partial[ctx.p0DataIndex] || partial[ctx.p1DataIndex]; };
            return {
                type: 'line',
                data: {
                    labels: data.monthly.labels.map(function (label, i) { return partial[i] ? label + ' (part)' : label; }),
                    datasets: [{
                        label: 'Revenue',
                        data: data.monthly.revenue,
                        borderColor: palette.primary,
                        backgroundColor: palette.primarySoft,
                        fill: true,
                        tension: 0.25,
                        pointRadius: partial.map(function (p) { return p ? 4 : 0; }),
                        pointBackgroundColor: '#ffffff',
                        segment: {
                            borderDash: function (ctx) { return touchesPartial(ctx) ? [6, 4] : undefined; },
                            backgroundColor: function (ctx) { return touchesPartial(ctx) ? 'rgba(47, 91, 234, 0.05)' : undefined; }
                        }
                    }]
                },
                options: baseOptions(money)
            };
        },
        'aov': function () {
            return {
                type: 'line',
                data: {
                    labels: data.monthly.labels,
                    datasets: [{ label: 'Average order value', data: data.monthly.aov, borderColor: palette.teal, tension: 0.25, pointRadius: 0 }]
                },
                options: baseOptions(money2)
            };
        },
        'new-returning': function () {
            var options = baseOptions(count);
            options.plugins.legend.display = true;
            options.scales.x.stacked = true;
            options.scales.y.stacked = true;
            return {
                type: 'bar',
                data: {
                    labels: data.monthly.labels,
                    datasets: [
                        { label: 'New', data: data.monthly.newCustomers, backgroundColor: partialColors(palette.primary, 'rgba(47, 91, 234, 0.35)') },
                        { label: 'Returning', data: data.monthly.returningCustomers, backgroundColor: partialColors(palette.teal, 'rgba(18, 165, 148, 0.35)') }
                    ]
                },
                options: options
            };
        },
        'top-customers': function () {
            var options = baseOptions(money, { indexAxis: 'y' });
            options.scales = {
                x: { beginAtZero: true, grid: { color: '#eef1f5' }, ticks: { color: palette.grey, callback: function (v) { return money(v); } } },
                y: { grid: { display: false }, ticks: { color: palette.ink } }
            };
            return {
                type: 'bar',
                data: { labels: data.topCustomers.labels, datasets: [{ label: 'Revenue', data: data.topCustomers.revenue, backgroundColor: palette.primary, borderRadius: 3 }] },
                options: options
            };
        },
        'clv-distribution': function () {
            return {
                type: 'bar',
                data: { labels: data.clvDistribution.labels, datasets: [{ label: 'Customers', data: data.clvDistribution.customers, backgroundColor: palette.primary, borderRadius: 3 }] },
                options: baseOptions(count)
            };
        },
        'tiers': function () {
            return {
                type: 'bar',
                data: { labels: data.tiers.labels, datasets: [{ label: 'Predicted CLV', data: data.tiers.clv, backgroundColor: palette.teal, borderRadius: 3 }] },
                options: baseOptions(money)
            };
        },
        'churn': function () {
            return {
                type: 'doughnut',
                data: {
                    labels: ['At risk', 'Likely active'],
                    datasets: [{ data: [data.churn.atRisk, data.churn.active], backgroundColor: [palette.red, palette.teal], borderWidth: 0 }]
                },
                options: {
                    responsive: true,
                    maintainAspectRatio: false,
                    animation: false,
                    cutout: '62%',
                    plugins: {
                        legend: { position: 'right', labels: { boxWidth: 12, color: palette.ink } },
                        tooltip: { callbacks: { label: function (ctx) { return ctx.label + ': ' + count(ctx.parsed); } } }
                    }
                }
            };
        },
        'cohorts': function () {
            var cohorts = data.cohorts.cohorts;
            var datasets = [];
            cohorts.forEach(function (c, i) {
                var color = cohortColor(i, cohorts.length);
                datasets.push({ label: c.label, data: c.actual, borderColor: color, backgroundColor: color, tension: 0.2, pointRadius: 0, borderWidth: 2 });
                if (c.predicted.length > 0) {
                    datasets.push({ label: c.label + ' (predicted)', data: c.predicted, borderColor: color, backgroundColor: color, borderDash: [5, 4], tension: 0.2, pointRadius: 0, borderWidth: 1.5 });
                }
            });
            var options = baseOptions(money2);
            options.plugins.legend.display = true;
            options.plugins.legend.position = 'bottom';
            options.plugins.legend.labels.filter = function (item) { return item.text.indexOf(' (predicted)') < 0; };
            options.plugins.tooltip.filter = function (item) { return item.parsed.y !== null; };
            options.scales.x.title = { display: true, text: 'Months since first order', color: palette.ink };
            options.scales.y.ticks.callback = function (v) { return money(v); };
            options.spanGaps = false;
            return { type: 'line', data: { labels: data.cohorts.labels, datasets: datasets }, options: options };
        },
        'backtest': function (canvas) {
            var b = data.backtests[Number(canvas.dataset.index)];
            var options = baseOptions(money2);
            options.plugins.legend.display = true;
            options.scales.x.title = { display: true, text: 'Decile (1 = highest predicted)', color: palette.grey };
            return {
                type: 'bar',
                data: {
                    labels: b.deciles,
                    datasets: [
                        { label: 'Predicted', data: b.predicted, backgroundColor: palette.primary, borderRadius: 3 },
                        { label: 'Actual', data: b.actual, backgroundColor: palette.amber, borderRadius: 3 }
                    ]
                },
                options: options
            };
        }
    };

    // How each chart's values read in its data table; counts unless listed.
    var valueFormats = {
        'monthly-revenue': money,
        'aov': money2,
        'top-customers': money,
        'tiers': money,
        'cohorts': money2,
        'backtest': money2
    };

    // What each chart's labels are, for the first column of its data table.
    var categoryNames = {
        'monthly-revenue': 'Month',
        'aov': 'Month',
        'new-returning': 'Month',
        'top-customers': 'Customer',
        'clv-distribution': 'Predicted CLV range',
        'tiers': 'Value tier',
        'churn': 'Group',
        'cohorts': 'Months since first order',
        'backtest': 'Decile'
    };

    // A chart's text alternative: the numbers it draws, as a table screen readers can walk (visually hidden;
    // the canvas keeps its short label). Built from the chart's own data, so it always matches the picture.
    function dataTable(canvas, config) {
        var format = valueFormats[canvas.dataset.chart] || count;
        var table = document.createElement('table');
        table.className = 'visually-hidden';
        table.dataset.chartTable = canvas.dataset.chart;
        var caption = table.createCaption();
        caption.textContent = canvas.getAttribute('aria-label') || '';
        var head = table.createTHead().insertRow();
        var category = categoryNames[canvas.dataset.chart];
        var corner = document.createElement(category ? 'th' : 'td');
        if (category) {
            corner.scope = 'col';
            corner.textContent = category;
        }
        head.appendChild(corner);
        config.data.datasets.forEach(function (dataset) {
            var th = document.createElement('th');
            th.scope = 'col';
            th.textContent = dataset.label || 'Customers';
            head.appendChild(th);
        });
        var body = table.createTBody();
        config.data.labels.forEach(function (label, i) {
            var row = body.insertRow();
            var th = document.createElement('th');
            th.scope = 'row';
            th.textContent = String(label);
            row.appendChild(th);
            config.data.datasets.forEach(function (dataset) {
                // A cohort has no value for months it has not reached yet: an empty cell, not "$0.00".
                var value = dataset.data[i];
                row.insertCell().textContent = value === null || value === undefined ? '' : format(value);
            });
        });
        var box = canvas.closest('.chart-box') || canvas;
        box.insertAdjacentElement('afterend', table);
    }

    if (data && window.Chart) {
        Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
        document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
            var build = builders[canvas.dataset.chart];
            if (build) {
                var config = build(canvas);
                new Chart(canvas, config);
                dataTable(canvas, config);
            }
        });
    }

    document.querySelectorAll('[data-copy]').forEach(function (button) {
        button.addEventListener('click', function () {
            var input = document.querySelector(button.dataset.copy);
            input.select();
            if (navigator.clipboard) {
                navigator.clipboard.writeText(input.value).then(function () { button.textContent = 'Copied'; });
            }
        });
    });
})();

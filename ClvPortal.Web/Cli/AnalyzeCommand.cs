using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;

namespace ClvPortal.Web.Cli;

/// <summary>
/// <c>analyze &lt;file&gt; [--out DIR] [options]</c>: runs the pipeline on a file, prints the cleaning
/// report and a summary, and writes customers.csv (lifetimes column names first) and report.json.
/// </summary>
public static class AnalyzeCommand
{
    public const string Help = "analyze <file> [--out DIR] [--customer COL --date COL --amount COL | --quantity COL --price COL] [--sheet NAME] " +
        "[--day-first|--month-first] [--time-unit days|weeks] [--observation-end yyyy-MM-dd] [--calibration-end yyyy-MM-dd] [--returns net|drop] " +
        "[--horizon-months N] [--discount RATE] [--model FILE.onnx] [--no-models]: " +
        "clean a transaction file, backtest and fit the CLV models, and write customers.csv and report.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A metric can be undefined (Spearman of a constant prediction): written as "NaN", not a crash.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args, "day-first", "month-first", "no-models");
        var options = Options(parsed);
        if (parsed.Errors.Count > 0 || parsed.Positionals.Count != 1 || options is null)
        {
            if (parsed.Positionals.Count != 1)
            {
                parsed.Errors.Add("Name exactly one transaction file to analyze.");
            }

            stderr.WriteLine(string.Join(Environment.NewLine, parsed.Errors));
            stderr.WriteLine("Usage: " + Help);
            return Task.FromResult(2);
        }

        var path = parsed.Positionals[0];
        if (!File.Exists(path))
        {
            stderr.WriteLine($"The file \"{path}\" does not exist. Check the path and try again.");
            return Task.FromResult(1);
        }

        PipelineOutcome outcome;
        OnnxClvModel? shipped = null;
        try
        {
            shipped = ShippedModel(parsed, options, stderr);
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            // As the portal does: a purchase after tomorrow (any time zone) is a typing error such as 2099.
            var latestPossibleDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
            outcome = ClvPipeline.Run(file, Path.GetFileName(path), options with { ShippedModel = shipped, LatestPossibleDate = latestPossibleDate });
        }
        catch (InputProblemException problem)
        {
            outcome = PipelineOutcome.Failure(problem.Problem);
        }
        finally
        {
            shipped?.Dispose();
        }

        if (outcome.Result is not { } result)
        {
            stderr.WriteLine(outcome.Problem!.Message);
            stderr.WriteLine(outcome.Problem.WhatToDo);
            return Task.FromResult(1);
        }

        var outDir = parsed.Text("out") ?? ".";
        Directory.CreateDirectory(outDir);
        var customers = result.Calibration ?? result.Customers;
        WriteCustomers(Path.Combine(outDir, "customers.csv"), customers, result, options);
        var summary = Summary(result, options);
        File.WriteAllText(Path.Combine(outDir, "report.json"), JsonSerializer.Serialize(new { result.File, result.Cleaning, Summary = summary, result.Modeling }, Json));
        Print(stdout, result, summary, outDir);
        if (result.Modeling is { } modeling)
        {
            ModelReport.Print(stdout, modeling);
        }
        return Task.FromResult(0);
    }

    private static PipelineOptions? Options(CliArguments parsed)
    {
        var timeUnit = parsed.Text("time-unit") switch
        {
            null => TimeUnit.Days,
            var name when TimeUnits.Parse(name) is { } unit => unit,
            var other => Invalid<TimeUnit>(parsed, $"--time-unit must be days, weeks or continuous-weeks, not \"{other}\"."),
        };
        var returns = parsed.Text("returns")?.ToLowerInvariant() switch
        {
            null or "net" => ReturnsHandling.Net,
            "drop" => ReturnsHandling.Drop,
            var other => Invalid<ReturnsHandling>(parsed, $"--returns must be net or drop, not \"{other}\"."),
        };
        if (parsed.Has("day-first") && parsed.Has("month-first"))
        {
            parsed.Errors.Add("Choose either --day-first or --month-first, not both.");
        }

        if (parsed.Has("amount") && (parsed.Has("quantity") || parsed.Has("price")))
        {
            parsed.Errors.Add("Give either --amount, or --quantity with --price, not both.");
        }

        var options = new PipelineOptions
        {
            Ingest = new IngestOptions
            {
                Overrides = new ColumnMapping
                {
                    CustomerId = parsed.Text("customer"),
                    Date = parsed.Text("date"),
                    Amount = parsed.Text("amount"),
                    Quantity = parsed.Text("quantity"),
                    UnitPrice = parsed.Text("price"),
                },
                Sheet = parsed.Text("sheet"),
                DateOrder = parsed.Has("day-first") ? DateOrder.DayFirst : parsed.Has("month-first") ? DateOrder.MonthFirst : DateOrder.Auto,
            },
            TimeUnit = timeUnit,
            Returns = returns,
            ObservationEnd = parsed.Date("observation-end"),
            CalibrationEnd = parsed.Date("calibration-end"),
            RunModels = !parsed.Has("no-models"),
            HorizonMonths = (int)(parsed.Integer("horizon-months") ?? 12),
            MonthlyDiscountRate = Rate(parsed, "discount"),
        };
        if (options.HorizonMonths is < 1 or > 120)
        {
            parsed.Errors.Add("--horizon-months must be between 1 and 120.");
        }

        return parsed.Errors.Count == 0 ? options : null;
    }

    private static double Rate(CliArguments parsed, string name)
    {
        if (parsed.Text(name) is not { } text)
        {
            return 0;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and < 1)
        {
            return rate;
        }

        parsed.Errors.Add($"--{name} is a monthly rate between 0 and 1 (0.01 for 1% a month), not \"{text}\".");
        return 0;
    }

    /// <summary>The fallback model: --model, else the shipped models/clv.onnx when found; none with --no-models.</summary>
    private static OnnxClvModel? ShippedModel(CliArguments parsed, PipelineOptions options, TextWriter stderr)
    {
        if (!options.RunModels)
        {
            return null;
        }

        if (parsed.Text("model") is { } given)
        {
            return OnnxClvModel.Load(given);
        }

        // models/clv.onnx in the current directory, else beside or above the app (dotnet run from any folder).
        var shipped = Analyses.ShippedModel.Resolve(new Analyses.AnalysisOptions().ShippedModelPath, Directory.GetCurrentDirectory());
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); !File.Exists(shipped) && dir is not null; dir = dir.Parent)
        {
            shipped = Path.Combine(dir.FullName, "models", "clv.onnx");
        }

        if (!File.Exists(shipped))
        {
            return null;
        }

        try
        {
            return OnnxClvModel.Load(shipped);
        }
        catch (InputProblemException problem)
        {
            stderr.WriteLine($"The shipped model was not loaded: {problem.Problem}");
            return null;
        }
    }

    private static T Invalid<T>(CliArguments parsed, string error)
    {
        parsed.Errors.Add(error);
        return default!;
    }

    private static void WriteCustomers(string path, IReadOnlyList<CustomerFeatures> customers, PipelineResult result, PipelineOptions options)
    {
        var holdout = result.Calibration is not null;
        var duration = holdout ? HoldoutDuration(options.CalibrationEnd!.Value, result.ObservationEnd, options.TimeUnit) : 0;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("customer_id,frequency,recency,T,monetary_value,total_revenue,orders,first_purchase,last_purchase");
        writer.Write(holdout ? ",frequency_holdout,revenue_holdout,duration_holdout" : "");
        var predictions = result.Modeling?.Predictions.ToDictionary(p => p.CustomerId, StringComparer.Ordinal);
        writer.Write(predictions is null ? "" : ",xgboost_clv,expected_purchases,p_alive,expected_value,bgnbd_clv,baseline_clv,clv,tier,churn_probability,churn_risk");
        // The fields marketing tools show, always over all the data (CustomerOutlook defines them).
        writer.Write(",email,name,country,historic_clv,average_order_value,average_days_between_orders,days_since_last_order");
        writer.Write(predictions is null ? "\n" : ",predicted_clv,total_clv,predicted_orders,expected_next_order,win_back\n");
        var all = holdout ? result.Customers.ToDictionary(a => a.CustomerId, StringComparer.Ordinal) : null;
        var winBack = CustomerSegments.WinBack(result.Customers, result.Modeling?.Predictions ?? []);
        var horizonDays = result.Modeling?.HorizonDays ?? 0;
        var c = CultureInfo.InvariantCulture;
        foreach (var f in customers)
        {
            writer.Write(Quote(f.CustomerId));
            writer.Write(string.Create(c, $",{f.Frequency},{f.Recency},{f.T},{f.MonetaryValue:0.######},{f.TotalRevenue:0.######},{f.Orders},{f.FirstPurchase:yyyy-MM-dd},{f.LastPurchase:yyyy-MM-dd}"));
            writer.Write(holdout ? string.Create(c, $",{f.HoldoutPurchases},{f.HoldoutRevenue:0.######},{duration}") : "");
            if (predictions is not null)
            {
                // Customers the models left out (broken values) keep empty prediction cells.
                writer.Write(predictions.TryGetValue(f.CustomerId, out var p)
                    ? string.Create(c, $",{p.XgbClv:0.####},{p.ExpectedPurchases:0.######},{p.ProbabilityAlive:0.######},{p.ExpectedAverageValue:0.####},{p.ProbabilisticClv:0.####},{p.BaselineClv:0.####},{p.HeadlineClv:0.####},{ValueTiers.FileLabel(p.Tier)},{(double.IsNaN(p.ChurnProbability) ? "" : p.ChurnProbability.ToString("0.######", c))},{p.ChurnLevel?.ToString().ToLowerInvariant()}")
                    : ",,,,,,,,,,");
            }

            var full = all is null ? f : all.GetValueOrDefault(f.CustomerId) ?? f;
            var prediction = predictions?.GetValueOrDefault(f.CustomerId);
            var o = CustomerOutlook.Of(full, prediction, result.ObservationEnd, horizonDays);
            writer.Write($",{Quote(full.Contact?.Email ?? "")},{Quote(full.Contact?.Name ?? "")},{Quote(full.Contact?.Country ?? "")}");
            writer.Write(string.Create(c, $",{o.HistoricClv:0.####},{o.AverageOrderValue:0.####},{o.AverageDaysBetweenOrders:0.##},{o.DaysSinceLastOrder}"));
            if (predictions is not null)
            {
                writer.Write(prediction is null
                    ? ",,,,,"
                    : string.Create(c, $",{o.PredictedClv:0.####},{o.TotalClv:0.####},{o.PredictedOrders:0.######},{o.ExpectedNextOrder:yyyy-MM-dd},{(winBack.Contains(f.CustomerId) ? "true" : "false")}"));
            }

            writer.Write('\n');
        }
    }

    /// <summary>lifetimes' duration_holdout: periods from the calibration end's period to the observation end's.</summary>
    private static double HoldoutDuration(DateOnly calibrationEnd, DateOnly observationEnd, TimeUnit unit) =>
        unit switch
        {
            TimeUnit.Weeks => (observationEnd.DayNumber / 7) - (calibrationEnd.DayNumber / 7),
            TimeUnit.ContinuousWeeks => (observationEnd.DayNumber - calibrationEnd.DayNumber) / 7.0,
            _ => observationEnd.DayNumber - calibrationEnd.DayNumber,
        };

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static AnalysisSummary Summary(PipelineResult result, PipelineOptions options)
    {
        var customers = result.Customers;
        return new AnalysisSummary(
            customers.Count,
            customers.Count(c => c.Frequency > 0),
            customers.Sum(c => c.TotalRevenue),
            customers.Sum(c => (long)c.Orders),
            customers.Min(c => c.FirstPurchase),
            result.ObservationEnd,
            options.TimeUnit,
            options.CalibrationEnd,
            result.Calibration?.Count,
            result.Calibration?.Sum(c => c.HoldoutPurchases ?? 0),
            result.Calibration?.Sum(c => c.HoldoutRevenue ?? 0),
            Math.Round(result.Elapsed.TotalSeconds, 3));
    }

    private static void Print(TextWriter stdout, PipelineResult result, AnalysisSummary summary, string outDir)
    {
        var file = result.File;
        var mapping = file.Mapping;
        var amount = mapping.Amount ?? $"{mapping.Quantity} x {mapping.UnitPrice}";
        var cleaning = result.Cleaning;
        stdout.WriteLine($"File: {file.Format}{(file.Sheets.Count > 0 ? $", sheets {string.Join(", ", file.Sheets)}" : "")}; " +
            $"customer \"{mapping.CustomerId}\", date \"{mapping.Date}\", amount \"{amount}\"" +
            $"{(mapping.InvoiceId is null ? "" : $", invoice \"{mapping.InvoiceId}\"")}{(mapping.Country is null ? "" : $", country \"{mapping.Country}\"")}.");
        stdout.WriteLine($"Dates: {file.DateOrderReason}");
        stdout.WriteLine();
        stdout.WriteLine($"Cleaning: {cleaning.RowsRead:N0} rows read, {cleaning.RowsKept:N0} kept.");
        foreach (var rule in cleaning.Rules.Where(r => r.Rows > 0))
        {
            var examples = rule.ExampleLines.Count > 0 ? $" (e.g. lines {string.Join(", ", rule.ExampleLines)})" : "";
            stdout.WriteLine($"  {rule.Rows,12:N0}  {rule.Action,-8} {rule.Description}{examples}");
        }

        stdout.WriteLine();
        stdout.WriteLine($"Customers: {summary.Customers:N0}, of whom {summary.RepeatCustomers:N0} bought more than once ({100.0 * summary.RepeatCustomers / summary.Customers:N1}%).");
        stdout.WriteLine($"Revenue: {summary.Revenue:N2} in {summary.Orders:N0} orders, {summary.FirstPurchase:yyyy-MM-dd} to {summary.ObservationEnd:yyyy-MM-dd}.");
        if (summary.CalibrationEnd is { } calibrationEnd)
        {
            stdout.WriteLine($"Calibration to {calibrationEnd:yyyy-MM-dd}: {summary.CalibrationCustomers:N0} customers; holdout: {summary.HoldoutPurchases:N0} purchases, revenue {summary.HoldoutRevenue:N2}.");
        }

        stdout.WriteLine($"Wrote {Path.Combine(outDir, "customers.csv")} and {Path.Combine(outDir, "report.json")} ({summary.Seconds:N2} s, time unit {summary.TimeUnit.ToString().ToLowerInvariant()}).");
    }

    /// <summary>The summary block of report.json.</summary>
    private sealed record AnalysisSummary(
        int Customers,
        int RepeatCustomers,
        double Revenue,
        long Orders,
        DateOnly FirstPurchase,
        DateOnly ObservationEnd,
        TimeUnit TimeUnit,
        DateOnly? CalibrationEnd,
        int? CalibrationCustomers,
        double? HoldoutPurchases,
        double? HoldoutRevenue,
        double Seconds);
}

using System.Globalization;
using System.Text.Json;
using ClvPortal.Core.Synthetic;
using ClvPortal.Web.Cli;

namespace ClvPortal.Tests.Web.Cli;

[Trait("Category", "Integration")]
public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clvportal-analyze-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(["analyze", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [CdnowFact]
    public async Task Analyze_CdnowWeeklyCalibration_WritesLifetimesColumnsWithHoldoutTargets()
    {
        var (exit, output, error) = await Run(TestData.CdnowPath, "--out", _directory, "--time-unit", "weeks", "--calibration-end", "1997-09-30");

        Assert.True(exit == 0, error);
        Assert.Contains("69,659 rows read", output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(Path.Combine(_directory, "customers.csv"));
        Assert.StartsWith("customer_id,frequency,recency,T,monetary_value,", lines[0], StringComparison.Ordinal);
        Assert.Contains(
            "frequency_holdout,revenue_holdout,duration_holdout,xgboost_clv,expected_purchases,p_alive,expected_value,bgnbd_clv,baseline_clv,clv,tier,churn_probability,churn_risk,",
            lines[0], StringComparison.Ordinal);
        Assert.EndsWith(
            ",email,name,country,historic_clv,average_order_value,average_days_between_orders,days_since_last_order,predicted_clv,total_clv,predicted_orders,expected_next_order,win_back",
            lines[0], StringComparison.Ordinal);
        Assert.Equal(23_570, lines.Length - 1);
        // Customer 00004 is id 1 of Fader and Hardie's CDNOW sample; lifetimes (freq='W') gives
        // frequency 2, recency 30, T 39, and one purchase in the 39-week holdout (1997-12-12, $26.48).
        Assert.StartsWith("00004,2,30,39,22.345,74.02,3,1997-01-01,1997-08-02,1,26.48,39,", lines.Single(l => l.StartsWith("00004,", StringComparison.Ordinal)), StringComparison.Ordinal);
        // The models ran: the backtest table and the fitted parameters are printed.
        Assert.Contains("Out-of-time backtest (data cut at 1997-09-30", output, StringComparison.Ordinal);
        Assert.Contains("BG/NBD (calibration, 23,570 customers to 1997-09-30): r = ", output, StringComparison.Ordinal);
        Assert.Contains("BG/NBD (all data): r = ", output, StringComparison.Ordinal);
        Assert.Contains("Gamma-Gamma (all data): p = ", output, StringComparison.Ordinal);

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "report.json")));
        var root = report.RootElement;
        Assert.Equal(69_659, root.GetProperty("cleaning").GetProperty("rowsRead").GetInt64());
        Assert.Equal("cdnow", root.GetProperty("file").GetProperty("format").GetString());
        Assert.Equal(23_570, root.GetProperty("summary").GetProperty("customers").GetInt32());
        // The dollar values of all 69,659 CDNOW rows add up to 2,500,315.63.
        Assert.Equal(2_500_315.63, root.GetProperty("summary").GetProperty("revenue").GetDouble(), 2);
        var modeling = root.GetProperty("modeling");
        Assert.Equal(4, modeling.GetProperty("backtests").GetArrayLength());
        // The calibration-window fit sits beside the all-data one.
        var calibration = modeling.GetProperty("calibration");
        Assert.Equal("1997-09-30", calibration.GetProperty("calibrationEnd").GetString());
        Assert.InRange(calibration.GetProperty("bgNbd").GetProperty("r").GetDouble(), 0.2, 0.35);
        Assert.Equal(23_570, modeling.GetProperty("predictions").GetArrayLength());
        Assert.InRange(modeling.GetProperty("bgNbd").GetProperty("r").GetDouble(), 0.2, 0.35);
    }

    [Fact]
    public async Task Analyze_GeneratedOnlineRetailFile_PrintsTheCleaningReportAndWritesOneRowPerCustomer()
    {
        var file = Path.Combine(_directory, "retail.csv");
        await using (var stream = File.Create(file))
        {
            TransactionGenerator.WriteCsv(stream, new GeneratorOptions { Rows = 30_000, Customers = 800 });
        }

        var (exit, output, error) = await Run(file, "--out", Path.Combine(_directory, "out"));

        Assert.True(exit == 0, error);
        Assert.Contains("30,000 rows read", output, StringComparison.Ordinal);
        Assert.Contains("Rows without a customer id", output, StringComparison.Ordinal);
        Assert.Contains("cancelled invoices", output, StringComparison.Ordinal);
        var rows = (await File.ReadAllLinesAsync(Path.Combine(_directory, "out", "customers.csv"))).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(rows.Count, rows.Select(r => r[0]).Distinct().Count());
        Assert.All(rows, r => Assert.True(double.Parse(r[3], CultureInfo.InvariantCulture) >= double.Parse(r[2], CultureInfo.InvariantCulture), "T >= recency"));
    }

    [Fact]
    public async Task Analyze_ShopExportWithContacts_WritesTheMarketingFieldsWorkedOutByHand()
    {
        // Anna buys on 5 Jan (two orders), 20 Jan and 5 Mar and returns 10.00 on 10 Mar; Cleo's order on 31 Mar ends the file.
        var file = Path.Combine(_directory, "shop.csv");
        await File.WriteAllTextAsync(file,
            "Order ID,Order Date,Customer ID,Customer Email,Customer Name,Country,Amount\n" +
            "1001,2024-01-05,A1,anna@old.example,Anna Jones,United Kingdom,100.00\n" +
            "1002,2024-01-05,A1,anna@old.example,Anna Jones,United Kingdom,20.00\n" +
            "1003,2024-01-20,A1,anna@old.example,Anna Jones,United Kingdom,50.00\n" +
            "1004,2024-03-05,A1,anna@new.example,\"Smith, Anna\",France,30.00\n" +
            "1005,2024-03-10,A1,,,,-10.00\n" +
            "1007,2024-03-31,C3,cleo@example.com,Cleo Park,Spain,15.00\n");

        var (exit, _, error) = await Run(file, "--out", _directory, "--no-models");

        Assert.True(exit == 0, error);
        var lines = await File.ReadAllLinesAsync(Path.Combine(_directory, "customers.csv"));
        Assert.EndsWith(",email,name,country,historic_clv,average_order_value,average_days_between_orders,days_since_last_order", lines[0], StringComparison.Ordinal);
        // 190 = 100 + 20 + 50 + 30 - 10 over 4 orders; 60 days over 2 gaps; 26 days from 5 Mar to 31 Mar.
        Assert.EndsWith(",anna@new.example,\"Smith, Anna\",France,190,47.5,30,26", lines.Single(l => l.StartsWith("A1,", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_FileWithoutDates_ExitsNonZeroWithTheClearMessage()
    {
        var file = Path.Combine(_directory, "nodates.csv");
        await File.WriteAllTextAsync(file, "CustomerID,Amount\n17850,15.30\n13047,22.00\n");

        var (exit, output, error) = await Run(file, "--out", _directory);

        Assert.NotEqual(0, exit);
        Assert.Contains("date", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("CustomerID", error, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.False(File.Exists(Path.Combine(_directory, "customers.csv")));
    }

    [Fact]
    public async Task Analyze_RowDatedInTheFuture_DroppedAsATypingErrorLikeThePortalDoes()
    {
        var file = Path.Combine(_directory, "future.csv");
        await File.WriteAllTextAsync(file, "CustomerID,InvoiceDate,Amount\nA,2024-01-05,10.00\nA,2024-03-01,20.00\nB,2024-02-10,5.00\nB,2099-02-10,500.00\n");

        var (exit, output, error) = await Run(file, "--out", _directory);

        Assert.True(exit == 0, error);
        Assert.Contains("1  dropped  Rows dated after the day of the analysis", output, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "report.json")));
        Assert.Equal(35.00, report.RootElement.GetProperty("summary").GetProperty("revenue").GetDouble(), 2);
    }

    [Fact]
    public async Task Analyze_BadOption_ExitsWithUsage()
    {
        var (exit, _, error) = await Run("x.csv", "--time-unit", "months");

        Assert.Equal(2, exit);
        Assert.Contains("--time-unit must be days, weeks or continuous-weeks", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_MissingFile_SaysSo()
    {
        var (exit, _, error) = await Run(Path.Combine(_directory, "nope.csv"));

        Assert.Equal(1, exit);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }
}

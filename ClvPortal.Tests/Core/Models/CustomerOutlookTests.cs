using System.Text;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;

namespace ClvPortal.Tests.Core.Models;

/// <summary>The per-customer fields marketing tools show, checked on a small shop export whose answers are worked out by hand.</summary>
[Trait("Category", "Unit")]
public sealed class CustomerOutlookTests
{
    // A generic shop export, out of date order on purpose. Anna buys on 5 Jan (two orders), 20 Jan and 5 Mar, returns
    // 10.00 on 10 Mar (a row without email or name), and changed her address in February; Ben buys once; Cleo's order on
    // 31 Mar is the last transaction in the file.
    private const string ShopCsv =
        "Order ID,Order Date,Customer ID,Customer Email,Customer Name,Country,Amount\r\n" +
        "1004,2024-03-05,A1,anna@new.example,Anna Smith,France,30.00\r\n" +
        "1001,2024-01-05,A1,anna@old.example,Anna Jones,United Kingdom,100.00\r\n" +
        "1002,2024-01-05,A1,anna@old.example,Anna Jones,United Kingdom,20.00\r\n" +
        "1003,2024-01-20,A1,anna@old.example,Anna Jones,United Kingdom,50.00\r\n" +
        "1005,2024-03-10,A1,,,,-10.00\r\n" +
        "1006,2024-02-14,B2,ben@example.com,Ben Ode,Germany,80.00\r\n" +
        "1007,2024-03-31,C3,cleo@example.com,Cleo Park,Spain,15.00\r\n";

    [Fact]
    public void Of_SmallShopExport_GivesTheHandWorkedFields()
    {
        var result = Run(ShopCsv);
        var anna = result.Customers.Single(c => c.CustomerId == "A1");

        var outlook = CustomerOutlook.Of(anna, prediction: null, result.ObservationEnd, horizonDays: 365);

        Assert.Equal(new DateOnly(2024, 3, 31), result.ObservationEnd);
        Assert.Equal(190.0, outlook.HistoricClv, 6); // 100 + 20 + 50 + 30 - 10 returned
        Assert.Equal(4, anna.Orders);
        Assert.Equal(190.0 / 4, outlook.AverageOrderValue, 6);
        // Purchase days 5 Jan, 20 Jan, 5 Mar: 60 days over 2 gaps (the two orders of 5 Jan are one day).
        Assert.Equal(30.0, outlook.AverageDaysBetweenOrders!.Value, 6);
        Assert.Equal(new DateOnly(2024, 1, 5), anna.FirstPurchase);
        Assert.Equal(new DateOnly(2024, 3, 5), anna.LastPurchase); // the return on 10 Mar is no purchase
        Assert.Equal(26, outlook.DaysSinceLastOrder); // 5 Mar to 31 Mar, the file's last transaction
        Assert.Null(outlook.PredictedClv);
        Assert.Null(outlook.ExpectedNextOrder);
    }

    [Fact]
    public void Run_ContactColumns_KeepsEachCustomersMostRecentNonEmptyValues()
    {
        var result = Run(ShopCsv);

        Assert.Equal("Customer Email", result.File.Mapping.Email);
        Assert.Equal("Customer Name", result.File.Mapping.Name);
        Assert.Equal("Customer ID", result.File.Mapping.CustomerId);
        // 5 Mar is Anna's latest row with details; the later return row has none and changes nothing.
        Assert.Equal(new CustomerContact("anna@new.example", "Anna Smith", "France"), result.Customers.Single(c => c.CustomerId == "A1").Contact);
        Assert.Equal(new CustomerContact("ben@example.com", "Ben Ode", "Germany"), result.Customers.Single(c => c.CustomerId == "B2").Contact);
    }

    [Fact]
    public void Of_OneDayCustomer_HasNoAverageGapAndCountsDaysToTheRealEnd()
    {
        var result = Run(ShopCsv);
        var ben = result.Customers.Single(c => c.CustomerId == "B2");

        var outlook = CustomerOutlook.Of(ben, prediction: null, result.ObservationEnd, horizonDays: 365);

        Assert.Null(outlook.AverageDaysBetweenOrders);
        Assert.Equal(80.0, outlook.AverageOrderValue, 6);
        Assert.Equal(46, outlook.DaysSinceLastOrder); // 14 Feb to 31 Mar 2024 (a leap year)
    }

    [Fact]
    public void Run_EmailHeaderWithoutAddresses_IsNotTakenAsTheEmail()
    {
        var result = Run("Customer ID,Date,Email,Amount\nA1,2024-01-02,none,10\nB2,2024-01-03,unknown,12\n");

        Assert.Null(result.File.Mapping.Email);
        Assert.All(result.Customers, c => Assert.Null(c.Contact?.Email));
    }

    [Fact]
    public void Of_WithPrediction_AddsHistoricAndPredictedAndExpectsTheNextOrderAtTheForecastRate()
    {
        var result = Run(ShopCsv);
        var anna = result.Customers.Single(c => c.CustomerId == "A1");
        var prediction = Prediction("A1", clv: 120, expectedPurchases: 4, ChurnLevel.Low);

        var outlook = CustomerOutlook.Of(anna, prediction, result.ObservationEnd, horizonDays: 365);

        Assert.Equal(310.0, outlook.TotalClv!.Value, 6);
        Assert.Equal(4.0, outlook.PredictedOrders);
        // 365 days / 4 orders = 91.25 days, rounded up: 92 days after 31 Mar 2024.
        Assert.Equal(new DateOnly(2024, 7, 1), outlook.ExpectedNextOrder);
    }

    [Theory]
    [InlineData(4.0, ChurnLevel.High)]
    [InlineData(0.9, ChurnLevel.Low)]
    [InlineData(double.NaN, null)]
    public void NextOrder_HighRiskOrUnderOneOrderExpected_SaysNothing(double predictedOrders, ChurnLevel? churn) =>
        Assert.Null(CustomerOutlook.NextOrder(new DateOnly(2024, 3, 31), 365, predictedOrders, churn));

    [Fact]
    public void WinBack_HighRiskAndValuable_ListsExactlyThose()
    {
        // Eight customers: the top quarter by revenue is the two with 500 and 400.
        double[] revenue = [500, 400, 300, 200, 100, 50, 40, 30];
        var customers = revenue.Select((r, i) => Features($"K{i}", r)).ToList();
        var predictions = new[]
        {
            Prediction("K0", 5, 0.1, ChurnLevel.High, ValueTier.Bottom50),    // big past spender gone quiet: listed
            Prediction("K1", 5, 0.1, ChurnLevel.Medium, ValueTier.Bottom50),  // valuable, not high risk: not listed
            Prediction("K2", 300, 0.1, ChurnLevel.High, ValueTier.Top10To25), // valuable by forecast: listed
            Prediction("K3", 5, 0.1, ChurnLevel.High, ValueTier.Top25To50),   // neither top quarter: not listed
            Prediction("K4", 5, 0.1, ChurnLevel.Low, ValueTier.Top1),
            Prediction("K5", 5, 0.1, ChurnLevel.High, ValueTier.Bottom50),
            Prediction("K6", 5, 0.1, ChurnLevel.High, ValueTier.Bottom50),
            Prediction("K7", 5, 0.1, ChurnLevel.High, ValueTier.Bottom50),
        };

        var list = CustomerSegments.WinBack(customers, predictions);

        Assert.Equal(["K0", "K2"], list.Order());
    }

    [Theory]
    [InlineData(ValueTier.Top1, true)]
    [InlineData(ValueTier.Top1To5, true)]
    [InlineData(ValueTier.Top5To10, false)]
    [InlineData(ValueTier.Bottom50, false)]
    public void IsVip_Tier_IsTheTopFivePercent(ValueTier tier, bool vip) => Assert.Equal(vip, CustomerSegments.IsVip(tier));

    private static PipelineResult Run(string csv)
    {
        var outcome = ClvPipeline.Run(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv", new PipelineOptions { RunModels = false });
        Assert.True(outcome.Succeeded, outcome.Problem?.ToString());
        return outcome.Result!;
    }

    private static CustomerFeatures Features(string id, double revenue) =>
        new(id, 0, 0, 30, 0, revenue, 1, new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 1));

    private static CustomerPrediction Prediction(string id, double clv, double expectedPurchases, ChurnLevel level, ValueTier tier = ValueTier.Top25To50) =>
        new(id, clv, expectedPurchases, 0.5, 30, clv, clv, clv, tier, level == ChurnLevel.High) { ChurnLevel = level, ChurnProbability = 0.5 };
}

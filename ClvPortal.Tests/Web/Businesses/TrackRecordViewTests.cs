using ClvPortal.Core.Analytics;
using ClvPortal.Core.Models;
using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;

namespace ClvPortal.Tests.Web.Businesses;

/// <summary>The track record page's sentences, worked by hand from a record with round numbers.</summary>
[Trait("Category", "Unit")]
public sealed class TrackRecordViewTests
{
    private static readonly NumberFormats Pounds = NumberFormats.ForCurrency("GBP");

    private static TrackRecordView View(double coveredShare, DateOnly horizonEnd, double predicted = 1000, double actual = 920, double? auc = 0.71)
    {
        var record = new TrackRecord(
            new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31), horizonEnd, coveredShare, 100, predicted, actual, [], [],
            new ChurnOutcome(
                [new ChurnLevelOutcome(ChurnLevel.Low, 60, 0.2, 45), new ChurnLevelOutcome(ChurnLevel.High, 40, 0.9, 3)],
                auc, 0.48, 0.52),
            [], 0, 0);
        UploadDocument Upload(string name) => new() { Id = Guid.NewGuid(), OwnerId = "owner", FileName = name };
        var document = new TrackRecordDocument { Id = "x", OwnerId = "owner", Record = record };
        return new TrackRecordView(document, Upload("later.csv"), Upload("earlier.csv"), new DateOnly(2023, 12, 31), "GBP");
    }

    [Fact]
    public void Headline_SpentLess_SaysWhenWhatAndHowMuchLess() =>
        Assert.Equal(
            "On 31 Dec 2023 we expected £1,000 from these 100 customers over the 3 months to 31 Mar 2024; they spent £920, 8% less than expected.",
            View(1, new DateOnly(2024, 3, 31)).Headline(Pounds));

    [Fact]
    public void Headline_SpentMore_SaysHowMuchMore() =>
        Assert.EndsWith("they spent £1,120, 12% more than expected.", View(1, new DateOnly(2024, 3, 31), actual: 1120).Headline(Pounds), StringComparison.Ordinal);

    [Fact]
    public void Headline_NothingPredicted_GivesTheAmountWithoutAPercentage() =>
        Assert.EndsWith("they spent £920.", View(1, new DateOnly(2024, 3, 31), predicted: 0).Headline(Pounds), StringComparison.Ordinal);

    [Fact]
    public void ProRata_ThreeOfTwelveMonths_SaysSo()
    {
        var view = View(0.25, new DateOnly(2024, 12, 31));

        Assert.StartsWith("Pro rata: your newer file covers 3 of the 12 months we predicted", view.ProRata, StringComparison.Ordinal);
    }

    [Fact]
    public void ProRata_WholeHorizonCovered_SaysNothing() =>
        Assert.Null(View(1, new DateOnly(2024, 3, 31)).ProRata);

    [Theory]
    [InlineData(-0.08, "8% less", "8% less than predicted")]
    [InlineData(0.124, "12% more", "12% more than predicted")]
    [InlineData(0.004, "about as much as expected", "about as much as predicted")]
    public void Words_Difference_ReadAsAManagerSaysIt(double difference, string words, string versus)
    {
        Assert.Equal(words, TrackRecordView.DifferenceWords(difference));
        Assert.Equal(versus, TrackRecordView.VersusPrediction(difference));
    }

    [Fact]
    public void ChurnSentences_HighRiskFirst_SayWhoCameBackAgainstWhatWeExpected() =>
        Assert.Equal(
            [
                "Of the 40 customers we rated at high churn risk, 3 (7.5%) bought again; we expected 10.0% to.",
                "Of the 60 customers we rated at low churn risk, 45 (75.0%) bought again; we expected 80.0% to.",
            ],
            View(1, new DateOnly(2024, 3, 31)).ChurnSentences(Pounds));

    [Fact]
    public void Headline_WithinHalfAPercent_SaysAboutAsMuchAsExpected() =>
        Assert.EndsWith("they spent £1,004, about as much as expected.", View(1, new DateOnly(2024, 3, 31), actual: 1004).Headline(Pounds), StringComparison.Ordinal);

    [Fact]
    public void ChurnSummary_ThreeOfTwelveMonths_ComparesTheYearsExpectationWithTheMonthsSoFar() =>
        Assert.Equal(
            "We expected 48.0% of these customers to buy nothing in the 12 months we predicted; in the 3 months so far, 52.0% have bought nothing (some may still buy before 31 Dec 2024).",
            View(0.25, new DateOnly(2024, 12, 31)).ChurnSummary(Pounds));

    [Fact]
    public void ChurnSummary_WholeHorizonCovered_ComparesTheSamePeriod() =>
        Assert.Equal(
            "We expected 48.0% of these customers to buy nothing in the 3 months to 31 Mar 2024; 52.0% bought nothing.",
            View(1, new DateOnly(2024, 3, 31)).ChurnSummary(Pounds));

    [Fact]
    public void ChurnSentences_ThreeOfTwelveMonths_SayTheExpectationIsForTheWholeYear() =>
        Assert.Equal(
            "Of the 40 customers we rated at high churn risk, 3 (7.5%) bought again so far; we expected 10.0% to within 12 months.",
            View(0.25, new DateOnly(2024, 12, 31)).ChurnSentences(Pounds).First());

    [Fact]
    public void SoFar_ThreeOfTwelveMonths_CountsMonthsNotShares() =>
        Assert.Equal("3 of 12 months so far", TrackRecordView.SoFar(View(0.25, new DateOnly(2024, 12, 31)).Record));

    [Fact]
    public void DecileLabels_TenGroups_NameTheShareOfCustomersFromTheTop()
    {
        var view = View(1, new DateOnly(2024, 3, 31));
        var record = view.Record with { Deciles = [.. Enumerable.Range(1, 10).Select(i => new TrackRecordGroup($"Decile {i}", 10, 100, 90, 5))] };

        var labels = (view with { Document = new TrackRecordDocument { Id = "x", OwnerId = "owner", Record = record } }).DecileLabels;

        Assert.Equal(["Top 10%", "Top 10–20%", "Top 20–30%", "Top 30–40%", "Top 40–50%", "Top 50–60%", "Top 60–70%", "Top 70–80%", "Top 80–90%", "Bottom 10%"], labels);
    }

    [Fact]
    public void RankingSentence_Auc_ReadsAsTimesInAHundred()
    {
        Assert.Contains("71 times in 100", View(1, new DateOnly(2024, 3, 31)).RankingSentence, StringComparison.Ordinal);
        Assert.Null(View(1, new DateOnly(2024, 3, 31), auc: null).RankingSentence);
    }
}

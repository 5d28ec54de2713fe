using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Ingest;

namespace ClvPortal.Tests.Core.Cleaning;

[Trait("Category", "Unit")]
public sealed class TransactionCleanerTests
{
    private static readonly DateTime Day = new(2011, 3, 1, 10, 17, 0);
    private static long _line;

    private static TransactionRow Row(
        string? customer = "17850",
        DateTime? date = null,
        double? quantity = 2,
        double? price = 2.5,
        string? invoice = "536365",
        RowFlaws flaws = RowFlaws.None,
        ulong? fingerprint = null,
        double? amount = double.NaN)
    {
        var line = Interlocked.Increment(ref _line) + 1;
        var value = amount is { } a && double.IsNaN(a) ? quantity * price : amount;
        return new TransactionRow(line, null, customer, date ?? (flaws.HasFlag(RowFlaws.MissingDate) || flaws.HasFlag(RowFlaws.UnparseableDate) ? null : Day),
            value, quantity, price, invoice, "United Kingdom", "85123A", flaws, fingerprint ?? (ulong)line * 7919);
    }

    private static (List<Transaction> Kept, CleaningReport Report) Clean(IEnumerable<TransactionRow> rows, CleaningOptions? options = null)
    {
        var cleaner = new TransactionCleaner(options ?? new CleaningOptions());
        var kept = cleaner.Clean(rows).ToList();
        return (kept, cleaner.Report);
    }

    private static CleaningRuleResult Rule(CleaningReport report, string rule) => report.Rules.Single(r => r.Rule == rule);

    [Fact]
    public void Clean_EveryKindOfBadRow_CountsEachUnderItsRuleAndAccountsForEveryRow()
    {
        var duplicate = Row(fingerprint: 42);
        TransactionRow[] rows =
        [
            Row(),
            Row(customer: null, flaws: RowFlaws.MissingCustomerId),
            Row(customer: "  "),
            Row(flaws: RowFlaws.MissingDate),
            Row(flaws: RowFlaws.UnparseableDate),
            Row(quantity: null, price: null, flaws: RowFlaws.MissingAmount),
            Row(quantity: null, price: null, amount: null, flaws: RowFlaws.UnparseableAmount),
            Row(flaws: RowFlaws.TooManyFields),
            Row(flaws: RowFlaws.TooFewFields),
            duplicate,
            duplicate with { Line = duplicate.Line + 100 },
            Row(date: new DateTime(2012, 1, 1)),
            Row(quantity: -2, invoice: "C536379"),
            Row(quantity: -1),
            Row(price: 0),
            Row(price: -11062.06, quantity: 1),
        ];

        var (kept, report) = Clean(rows, new CleaningOptions { ObservationEnd = new DateOnly(2011, 12, 9) });

        Assert.Equal(rows.Length, report.RowsRead);
        Assert.Equal(report.RowsRead, report.RowsKept + report.Rules.Where(r => r.Action == "dropped").Sum(r => r.Rows));
        Assert.Equal(4, kept.Count); // the good row, the duplicate's first copy, the cancellation and the return
        Assert.Equal(2, Rule(report, "missing-customer-id").Rows);
        Assert.Equal(1, Rule(report, "missing-date").Rows);
        Assert.Equal(1, Rule(report, "unparseable-date").Rows);
        Assert.Equal(1, Rule(report, "missing-amount").Rows);
        Assert.Equal(1, Rule(report, "non-numeric-amount").Rows);
        Assert.Equal(2, Rule(report, "malformed-row").Rows);
        Assert.Equal([duplicate.Line + 100], Rule(report, "duplicate-row").ExampleLines);
        Assert.Equal(1, Rule(report, "after-observation-end").Rows);
        Assert.Equal(1, Rule(report, "cancelled-invoice").Rows);
        Assert.Equal(1, Rule(report, "returns").Rows);
        Assert.Equal(2, Rule(report, "zero-price").Rows);
    }

    [Fact]
    public void Clean_DateAfterTheLatestPossibleDay_DroppedAsFutureDate()
    {
        var (kept, report) = Clean(
            [Row(), Row(date: new DateTime(2099, 1, 1)), Row(date: new DateTime(2011, 3, 2, 23, 59, 0))],
            new CleaningOptions { LatestPossibleDate = new DateOnly(2011, 3, 2) });

        Assert.Equal(2, kept.Count);
        Assert.Equal(1, Rule(report, "future-date").Rows);
        Assert.Equal(0, Rule(report, "after-observation-end").Rows);
    }

    [Fact]
    public void Clean_ImplausibleAmountAndOverlongId_CountedUnderTheirOwnRules()
    {
        var (kept, report) = Clean(
        [
            Row(),
            Row(quantity: null, price: null, amount: null, flaws: RowFlaws.ImplausibleAmount),
            Row(customer: null, flaws: RowFlaws.CustomerIdTooLong),
        ]);

        Assert.Single(kept);
        Assert.Equal(1, Rule(report, "implausible-amount").Rows);
        Assert.Equal(1, Rule(report, "customer-id-too-long").Rows);
        Assert.Equal(0, Rule(report, "missing-customer-id").Rows + Rule(report, "missing-amount").Rows);
        Assert.Equal(report.RowsRead, report.RowsKept + report.Rules.Where(r => r.Action == "dropped").Sum(r => r.Rows));
    }

    [Fact]
    public void Clean_NegativeQuantity_CountsAsReturnAndNetsRevenue()
    {
        var (kept, report) = Clean([Row(quantity: 4, price: 2.5), Row(quantity: -1, price: 2.5)]);

        Assert.Equal(2, report.RowsKept);
        Assert.Equal("netted", Rule(report, "returns").Action);
        Assert.Equal(7.5, kept.Sum(t => t.Amount), 9);
    }

    [Fact]
    public void Clean_CancelledInvoiceWithPositiveQuantity_IsStillSubtracted()
    {
        var (kept, _) = Clean([Row(quantity: 3, price: 1, invoice: "C581490")]);

        Assert.Equal(-3, Assert.Single(kept).Amount);
    }

    [Fact]
    public void Clean_ReturnsDropped_LeavesThemOutAndSaysSo()
    {
        var (kept, report) = Clean(
            [Row(), Row(quantity: -1), Row(quantity: -1, invoice: "C1")],
            new CleaningOptions { Returns = ReturnsHandling.Drop });

        Assert.Single(kept);
        Assert.Equal("dropped", Rule(report, "returns").Action);
        Assert.Equal(report.RowsRead, report.RowsKept + report.Rules.Where(r => r.Action == "dropped").Sum(r => r.Rows));
    }

    [Fact]
    public void Clean_AmountOnlyFileWithNegativeAmount_CountsAsReturn()
    {
        var (kept, report) = Clean([Row(quantity: null, price: null, amount: -20, invoice: null)]);

        Assert.Equal(-20, Assert.Single(kept).Amount);
        Assert.Equal(1, Rule(report, "returns").Rows);
    }

    [Fact]
    public void Clean_IdenticalRowsWithoutOrderNumbers_KeepsThemAndSaysSo()
    {
        var row = Row(invoice: null, fingerprint: 99);

        var (kept, report) = Clean([row, row with { Line = row.Line + 1 }]);

        Assert.Equal(2, kept.Count);
        Assert.Equal("kept", Rule(report, "identical-rows").Action);
        Assert.Equal(1, Rule(report, "identical-rows").Rows);
        Assert.Equal(0, Rule(report, "duplicate-row").Rows);
    }

    [Fact]
    public void Clean_ManyRowsOfOneRule_KeepsOnlyAFewExampleLines()
    {
        var rows = Enumerable.Range(0, 50).Select(_ => Row(customer: null)).ToList();

        var (_, report) = Clean(rows);

        var rule = Rule(report, "missing-customer-id");
        Assert.Equal(50, rule.Rows);
        Assert.Equal(rows.Take(5).Select(r => r.Line), rule.ExampleLines);
    }
}

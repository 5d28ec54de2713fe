using ClvPortal.Core.Ingest;
using static ClvPortal.Tests.Core.Ingest.IngestTestFiles;

namespace ClvPortal.Tests.Core.Ingest;

public sealed class TransactionFileCsvTests
{
    [Fact]
    public void ReadRows_AmountColumnWithIsoDates_ReadsEveryRow()
    {
        const string csv = "customer_id,order_date,amount\nC1,2025-01-05,12.50\nC2,2025-02-10T14:30:00,7\n";

        var rows = ReadAll(csv);

        Assert.Equal(2, rows.Count);
        Assert.Equal(("C1", new DateTime(2025, 1, 5), 12.5), (rows[0].CustomerId, rows[0].Date, rows[0].Amount));
        Assert.Equal(new DateTime(2025, 2, 10, 14, 30, 0), rows[1].Date);
        Assert.Equal([2L, 3L], rows.Select(r => r.Line));
        Assert.All(rows, r => Assert.Equal(RowFlaws.None, r.Flaws));
    }

    [Fact]
    public void ReadRows_QuantityTimesPriceWithCompactDates_MultipliesToAmount()
    {
        const string csv = "Customer,Date,Qty,Unit Price\n42,20250301,3,2.50\n";

        using var file = OpenText(csv);
        var row = Assert.Single(file.ReadRows());

        Assert.Equal(7.5, row.Amount);
        Assert.Equal(3, row.Quantity);
        Assert.Equal(new DateTime(2025, 3, 1), row.Date);
        Assert.Equal("Qty", file.Description.Mapping.Quantity);
        Assert.Null(file.Description.Mapping.Amount);
    }
}

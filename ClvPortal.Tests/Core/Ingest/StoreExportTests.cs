using System.Globalization;
using System.Text;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Ingest;
using static ClvPortal.Tests.Core.Ingest.IngestTestFiles;
using static ClvPortal.Tests.Core.Ingest.StoreExportFiles;

namespace ClvPortal.Tests.Core.Ingest;

/// <summary>
/// Store platforms' own exports, generated with their exact headers and quirks (invented customers): each test
/// writes its orders, computes every customer's revenue from them by the platform's rule, and compares.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StoreExportTests
{
    private static (List<Transaction> Kept, CleaningReport Report, FileDescription File) Clean(string text, string fileName, CleaningOptions? options = null)
    {
        using var file = OpenText(text, fileName);
        var cleaner = new TransactionCleaner(options ?? new CleaningOptions());
        var kept = cleaner.Clean(file.ReadRows()).ToList();
        return (kept, cleaner.Report, file.Description);
    }

    private static Dictionary<string, double> RevenueByCustomer(IEnumerable<Transaction> kept) =>
        kept.GroupBy(t => t.CustomerId).ToDictionary(g => g.Key, g => Math.Round(g.Sum(t => t.Amount), 2));

    private static CleaningRuleResult Rule(CleaningReport report, string rule) => report.Rules.Single(r => r.Rule == rule);

    private static void AssertEveryRowAccountedFor(CleaningReport report) =>
        Assert.Equal(report.RowsRead, report.RowsKept + report.Rules.Where(r => r.Action == "dropped").Sum(r => r.Rows));


    // ---- Shopify orders_export.csv ------------------------------------------------------------------------

    private static readonly ShopifyOrder[] ShopifyOrders =
    [
        new("#1001", "ann@example.com", "paid", "2024-03-05 14:22:01 +0100", 54.00, 0, "", "Ann Lee", 2),
        new("#1002", "bob@example.com", "partially_refunded", "2024-03-06 09:01:00 +0000", 80.00, 30.00, "", "Bob Ray", 3),
        new("#1003", "ann@example.com", "voided", "2024-03-07 10:00:00 +0000", 25.00, 0, "", "Ann Lee", 2),
        new("#1004", "", "paid", "2024-03-08 11:30:00 +0000", 19.99, 0, "+44 7700 900123", "Dan Oak", 1),
        new("#1005", "", "pending", "2024-03-09 16:45:00 +0000", 12.50, 0, "", "Cara Jones", 2),
        new("#1006", "ann@example.com", "refunded", "2024-03-10 12:00:00 +0000", 40.00, 40.00, "", "Ann Lee", 1),
        new("#1007", "bob@example.com", "paid", "2024-04-01 00:30:00 +0100", 33.10, 0, "", "Bob Ray", 1),
    ];

    [Fact]
    public void Clean_ShopifyOrdersExport_RevenuePerCustomerIsTotalLessRefundsWithoutVoidedOrders()
    {
        // Shopify's rule, written out: every order except voided ones, Total - Refunded Amount, customer = Email,
        // else Phone, else Billing Name.
        var expected = ShopifyOrders.Where(o => o.Status != "voided")
            .GroupBy(o => o.Email.Length > 0 ? o.Email : o.Phone.Length > 0 ? o.Phone : o.BillingName)
            .ToDictionary(g => g.Key, g => Math.Round(g.Sum(o => o.Total - o.Refunded), 2));

        var (kept, report, file) = Clean(ShopifyCsv(ShopifyOrders), "orders_export.csv");

        Assert.Equal(expected.OrderBy(e => e.Key), RevenueByCustomer(kept).OrderBy(e => e.Key));
        Assert.Equal(ShopifyOrders.Count(o => o.Status != "voided"), kept.Count);
        Assert.Equal("Shopify orders export", file.Export);
        Assert.Equal(("Name", "Email", "Created at", "Total"), (file.Mapping.InvoiceId, file.Mapping.CustomerId, file.Mapping.Date, file.Mapping.Amount));
        AssertEveryRowAccountedFor(report);
    }

    [Fact]
    public void Clean_ShopifyOrdersExport_ReportNamesLineItemsVoidedPendingRefundsAndTheCustomerFallback()
    {
        var (_, report, _) = Clean(ShopifyCsv(ShopifyOrders), "orders_export.csv");

        // Line items after an order's first row: merged into kept orders, left out with the voided one.
        var voided = ShopifyOrders.Single(o => o.Status == "voided");
        var lineItems = Rule(report, "order-line-items");
        Assert.Equal(("merged", (long)ShopifyOrders.Where(o => o.Status != "voided").Sum(o => o.LineItems - 1)), (lineItems.Action, lineItems.Rows));
        var noPayment = Rule(report, "no-payment");
        Assert.Equal(("dropped", (long)voided.LineItems), (noPayment.Action, noPayment.Rows));
        Assert.Contains("voided 1", noPayment.Description, StringComparison.Ordinal);
        Assert.Equal(0, Rule(report, "missing-amount").Rows);
        Assert.Equal(0, Rule(report, "missing-customer-id").Rows);

        var pending = Rule(report, "pending-payment");
        Assert.Equal(("kept", 1L), (pending.Action, pending.Rows));
        Assert.Contains("pending 1", pending.Description, StringComparison.Ordinal);

        var refunds = Rule(report, "refunds");
        Assert.Equal(("netted", (long)ShopifyOrders.Count(o => o.Refunded > 0 && o.Status != "voided")), (refunds.Action, refunds.Rows));

        var fallback = Rule(report, "customer-from-other-column");
        Assert.Equal(2, fallback.Rows);
        Assert.Contains("Phone 1", fallback.Description, StringComparison.Ordinal);
        Assert.Contains("Billing Name 1", fallback.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_ShopifyOrderWithAFreeItemOnItsFirstRow_KeepsTheOrderAtItsTotal()
    {
        var csv = ShopifyCsv([new("#2001", "eve@example.com", "paid", "2024-06-01 10:00:00 +0000", 30.00, 0, "", "Eve Stone", 2)]);
        // The first line item is a free gift: quantity 1 at 0.00.
        var lines = csv.Split("\r\n");
        var price = Array.IndexOf(ShopifyHeader, "Lineitem price");
        var first = lines[1].Split(',');
        first[price + 1] = "0.00"; // the item name holds one comma inside quotes, so fields after it sit one further on
        lines[1] = string.Join(',', first);

        var (kept, report, file) = Clean(string.Join("\r\n", lines), "orders_export.csv");

        Assert.Equal(30.00, Assert.Single(kept).Amount);
        Assert.Equal(0, Rule(report, "zero-price").Rows);
        Assert.Null(file.Mapping.UnitPrice);
    }

    [Fact]
    public void ReadRows_ShopifyCreatedAtWithUtcOffset_KeepsTheShopsCalendarDay()
    {
        using var file = OpenText(ShopifyCsv(ShopifyOrders), "orders_export.csv");
        var rows = file.ReadRows().Where(r => r.Kind != RowKind.LineItem).ToList();

        // "2024-04-01 00:30:00 +0100" is 31 March in UTC, but the shop sold it on 1 April.
        Assert.Equal(new DateTime(2024, 4, 1, 0, 30, 0), rows.Single(r => r.InvoiceId == "#1007").Date);
        Assert.Equal(new DateTime(2024, 3, 5, 14, 22, 1), rows.Single(r => r.InvoiceId == "#1001").Date);
    }

    [Fact]
    public void Open_ShopifyCurrencyColumn_DetectsTheCurrency()
    {
        using var file = OpenText(ShopifyCsv(ShopifyOrders, currency: "GBP"), "orders_export.csv");

        Assert.Equal("GBP", file.Description.Currency);
        Assert.Contains("\"Currency\" column", file.Description.CurrencyReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_ShopifyWithReturnsLeftOut_CountsRefundedOrdersAtTheirFullTotal()
    {
        var expected = ShopifyOrders.Where(o => o.Status != "voided").Sum(o => o.Total);

        var (kept, report, _) = Clean(ShopifyCsv(ShopifyOrders), "orders_export.csv", new CleaningOptions { Returns = ReturnsHandling.Drop });

        Assert.Equal(expected, kept.Sum(t => t.Amount), 6);
        Assert.Equal("kept", Rule(report, "refunds").Action);
    }

    // ---- Stripe payments export --------------------------------------------------------------------------

    private static readonly string[] StripeHeader =
    [
        "id", "Created date (UTC)", "Amount", "Amount Refunded", "Currency", "Captured", "Converted Amount", "Converted Amount Refunded",
        "Converted Currency", "Decline Reason", "Description", "Fee", "Refunded date (UTC)", "Statement Descriptor", "Status",
        "Seller Message", "Taxes On Fee", "Card ID", "Customer ID", "Customer Description", "Customer Email", "Invoice ID", "Transfer",
    ];

    private sealed record StripeCharge(string Id, string Created, double Amount, double Refunded, string Status, string CustomerId, string Email);

    private static readonly StripeCharge[] StripeCharges =
    [
        new("ch_3OaA1", "2024-02-01 10:00:00", 29.33, 0, "Paid", "cus_Pa1", "ann@example.com"),
        new("ch_3OaA2", "2024-02-03 11:15:42", 120.00, 20.00, "Paid", "cus_Pa1", "ann@example.com"),
        new("ch_3OaA3", "2024-02-04 08:00:00", 55.00, 0, "Failed", "cus_Pb2", "bob@example.com"),
        new("ch_3OaA4", "2024-02-05 19:20:00", 75.50, 75.50, "Refunded", "cus_Pb2", "bob@example.com"),
        new("ch_3OaA5", "2024-02-06 07:45:10", 18.00, 0, "Paid", "", "guest@example.com"),
        new("ch_3OaA6", "2024-02-07 13:00:00", 64.00, 0, "Canceled", "cus_Pc3", "cy@example.com"),
        new("ch_3OaA7", "2024-02-08 21:30:00", 42.00, 0, "Paid", "cus_Pb2", "bob@example.com"),
    ];

    private static string StripeCsv(string createdHeader)
    {
        var header = StripeHeader.Select(h => h == "Created date (UTC)" ? createdHeader : h).ToArray();
        var csv = new StringBuilder(string.Join(',', header)).Append('\n');
        foreach (var charge in StripeCharges)
        {
            var row = header.ToDictionary(h => h, _ => "");
            row["id"] = charge.Id;
            row[createdHeader] = charge.Created;
            row["Amount"] = Money(charge.Amount);
            row["Amount Refunded"] = Money(charge.Refunded);
            row["Currency"] = "eur";
            row["Captured"] = charge.Status is "Paid" or "Refunded" ? "true" : "false";
            row["Converted Amount"] = Money(charge.Amount);
            row["Converted Amount Refunded"] = Money(charge.Refunded);
            row["Converted Currency"] = "eur";
            row["Decline Reason"] = charge.Status == "Failed" ? "card_declined" : "";
            row["Description"] = "\"Order, web shop\"";
            row["Fee"] = Money(charge.Amount * 0.015 + 0.25);
            row["Status"] = charge.Status;
            row["Seller Message"] = charge.Status == "Failed" ? "The bank did not return any further details with this decline." : "Payment complete.";
            row["Card ID"] = "card_1Ob" + charge.Id[^1];
            row["Customer ID"] = charge.CustomerId;
            row["Customer Email"] = charge.Email;
            csv.Append(string.Join(',', header.Select(h => row[h]))).Append('\n');
        }

        return csv.ToString();
    }

    [Theory]
    [InlineData("Created date (UTC)")]
    [InlineData("Created (UTC)")]
    public void Clean_StripePaymentsExport_OnlyPaidChargesWithRefundsNettedByCustomerId(string createdHeader)
    {
        // Stripe's rule: money actually taken (Paid, Refunded: the refund is netted), customer = Customer ID, else email.
        var expected = StripeCharges.Where(c => c.Status is "Paid" or "Refunded")
            .GroupBy(c => c.CustomerId.Length > 0 ? c.CustomerId : c.Email)
            .ToDictionary(g => g.Key, g => Math.Round(g.Sum(c => c.Amount - c.Refunded), 2));

        var (kept, report, file) = Clean(StripeCsv(createdHeader), "payments.csv");

        Assert.Equal(expected.OrderBy(e => e.Key), RevenueByCustomer(kept).OrderBy(e => e.Key));
        Assert.Equal(("Stripe payments export", "EUR"), (file.Export, file.Currency));
        var noPayment = Rule(report, "no-payment");
        Assert.Equal(2, noPayment.Rows);
        Assert.Contains("failed 1", noPayment.Description, StringComparison.Ordinal);
        Assert.Contains("canceled 1", noPayment.Description, StringComparison.Ordinal);
        Assert.Contains("Customer Email 1", Rule(report, "customer-from-other-column").Description, StringComparison.Ordinal);
        AssertEveryRowAccountedFor(report);
    }

    // ---- WooCommerce order export ------------------------------------------------------------------------

    private static readonly string[] WooHeader =
    [
        "order_id", "order_number", "order_date", "status", "shipping_total", "shipping_tax_total", "fee_total", "fee_tax_total", "tax_total",
        "cart_discount", "order_discount", "discount_total", "order_total", "refunded_total", "order_currency", "payment_method",
        "payment_method_title", "transaction_id", "customer_ip_address", "customer_user_agent", "shipping_method", "customer_id",
        "customer_user", "customer_email", "billing_first_name", "billing_last_name", "billing_company", "billing_email", "billing_phone",
        "billing_address_1", "billing_address_2", "billing_postcode", "billing_city", "billing_state", "billing_country",
    ];

    private sealed record WooOrder(int Id, string Date, string Status, double Total, double Refunded, string Email);

    private static readonly WooOrder[] WooOrders =
    [
        new(2101, "2024-05-01 09:12:44", "completed", 64.90, 0, "ann@example.com"),
        new(2102, "2024-05-02 10:00:00", "processing", 25.00, 0, "bob@example.com"),
        new(2103, "2024-05-03 11:00:00", "completed", 100.00, 15.00, "ann@example.com"),
        new(2104, "2024-05-04 12:00:00", "on-hold", 48.00, 0, "cy@example.com"),
        new(2105, "2024-05-05 13:00:00", "cancelled", 30.00, 0, "bob@example.com"),
        new(2106, "2024-05-06 14:00:00", "refunded", 22.00, 22.00, "ann@example.com"),
        new(2107, "2024-05-07 15:00:00", "pending", 12.00, 0, "dee@example.com"),
        new(2108, "2024-05-08 16:00:00", "failed", 80.00, 0, "bob@example.com"),
        new(2109, "2024-05-09 17:00:00", "completed", 9.99, 0, "dee@example.com"),
    ];

    private static string WooCsv()
    {
        var csv = new StringBuilder(string.Join(',', WooHeader.Select(h => $"\"{h}\""))).Append('\n');
        foreach (var order in WooOrders)
        {
            var row = WooHeader.ToDictionary(h => h, _ => "");
            row["order_id"] = order.Id.ToString(CultureInfo.InvariantCulture);
            row["order_number"] = order.Id.ToString(CultureInfo.InvariantCulture);
            row["order_date"] = order.Date;
            row["status"] = order.Status;
            row["shipping_total"] = "4.90";
            row["tax_total"] = Money(order.Total * 0.2);
            row["order_total"] = Money(order.Total);
            row["refunded_total"] = Money(order.Refunded);
            row["order_currency"] = "USD";
            row["payment_method"] = "stripe";
            row["payment_method_title"] = "\"Credit card (Stripe)\"";
            row["customer_email"] = order.Email;
            row["billing_first_name"] = "Pat";
            row["billing_email"] = order.Email;
            row["billing_country"] = "US";
            csv.Append(string.Join(',', WooHeader.Select(h => $"\"{row[h].Trim('"')}\""))).Append('\n');
        }

        return csv.ToString();
    }

    [Fact]
    public void Clean_WooCommerceExport_OnlyCompletedAndProcessingWithRefundsNetted()
    {
        var expected = WooOrders.Where(o => o.Status is "completed" or "processing")
            .GroupBy(o => o.Email).ToDictionary(g => g.Key, g => Math.Round(g.Sum(o => o.Total - o.Refunded), 2));

        var (kept, report, file) = Clean(WooCsv(), "orders-2024-05.csv");

        Assert.Equal(expected.OrderBy(e => e.Key), RevenueByCustomer(kept).OrderBy(e => e.Key));
        Assert.Equal(("WooCommerce orders export", "USD", "billing_email"), (file.Export, file.Currency, file.Mapping.CustomerId));
        var noPayment = Rule(report, "no-payment");
        Assert.Equal(WooOrders.Count(o => o.Status is not ("completed" or "processing")), noPayment.Rows);
        foreach (var status in new[] { "on-hold 1", "cancelled 1", "refunded 1", "pending 1", "failed 1" })
        {
            Assert.Contains(status, noPayment.Description, StringComparison.Ordinal);
        }

        AssertEveryRowAccountedFor(report);
    }

    // ---- lifetimes' CDNOW text and other columns ------------------------------------------------------------

    [Fact]
    public void ReadRows_LifetimesFiveColumnCdnowWithCrlf_ReadsCustomerDateAndDollars()
    {
        // lifetimes' CDNOW_sample.txt: row id, customer id, yyyymmdd, CDs, dollars; right-aligned with a leading space, CRLF.
        (string Row, string Customer, DateTime Date, double Dollars)[] lines =
        [
            ("00001", "0001", new DateTime(1997, 1, 1), 11.77),
            ("00002", "0002", new DateTime(1997, 1, 12), 12.00),
            ("00003", "0002", new DateTime(1997, 1, 12), 77.00),
            ("00004", "0003", new DateTime(1997, 1, 2), 20.76),
            ("00005", "0003", new DateTime(1997, 3, 30), 29.33),
        ];
        var text = string.Concat(lines.Select(l => $" {l.Row} {l.Customer} {l.Date:yyyyMMdd} 2 {Money(l.Dollars),6}\r\n"));

        using var file = OpenText(text, "CDNOW_sample.txt");
        var rows = file.ReadRows().ToList();

        Assert.Equal("cdnow", file.Description.Format);
        Assert.Equal(("customer_id", "dollar_value"), (file.Description.Mapping.CustomerId, file.Description.Mapping.Amount));
        Assert.Equal(lines.Select(l => (l.Customer, (DateTime?)l.Date, (double?)l.Dollars)), rows.Select(r => (r.CustomerId!, r.Date, r.Amount)));
        Assert.All(rows, r => Assert.Equal(RowFlaws.None, r.Flaws));
    }

    [Fact]
    public void Open_CsvWithDollarValueHeader_FindsTheAmount()
    {
        const string csv = "customer_id,date,number_of_cds,dollar_value\n1,1997-01-01,1,11.77\n2,1997-01-12,2,89.00\n";

        using var file = OpenText(csv, "cdnow.csv");
        var rows = file.ReadRows().ToList();

        Assert.Equal("dollar_value", file.Description.Mapping.Amount);
        Assert.Equal([11.77, 89.00], rows.Select(r => r.Amount!.Value));
    }

    // ---- currency --------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("£12.50", "GBP")]
    [InlineData("€8,00", "EUR")]
    [InlineData("$5.00", "USD")]
    [InlineData("12.50", null)]
    public void Open_SymbolsInAmounts_DetectTheCurrency(string amount, string? expected)
    {
        var csv = $"customer,date,amount\na,2025-01-01,\"{amount}\"\nb,2025-01-02,\"{amount}\"\n";

        using var file = OpenText(csv);

        Assert.Equal(expected, file.Description.Currency);
        Assert.False(string.IsNullOrEmpty(file.Description.CurrencyReason));
    }

    [Fact]
    public void Open_CurrencySetting_WinsOverTheFile()
    {
        using var file = OpenText("customer,date,amount\na,2025-01-01,£3\n", options: new IngestOptions { Currency = "chf" });

        Assert.Equal("CHF", file.Description.Currency);
        Assert.Contains("setting", file.Description.CurrencyReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MixedCurrencyColumn_ChoosesTheCommonestAndSaysTheOthersAreNotConverted()
    {
        const string csv = "customer,date,amount,currency\na,2025-01-01,1,GBP\nb,2025-01-02,2,GBP\nc,2025-01-03,3,EUR\n";

        using var file = OpenText(csv);

        Assert.Equal("GBP", file.Description.Currency);
        Assert.Contains("EUR 1", file.Description.CurrencyReason, StringComparison.Ordinal);
        Assert.Contains("not converted", file.Description.CurrencyReason, StringComparison.Ordinal);
    }
}

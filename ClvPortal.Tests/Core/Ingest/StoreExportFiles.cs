using System.Globalization;
using System.Text;

namespace ClvPortal.Tests.Core.Ingest;

/// <summary>Store exports written as the platforms write them, from orders a test defines (invented customers).</summary>
internal static class StoreExportFiles
{
    public static string Money(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The header of Shopify's orders_export.csv, in Shopify's order.</summary>
    public static readonly string[] ShopifyHeader =
    [
        "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing", "Currency", "Subtotal",
        "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity",
        "Lineitem name", "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable",
        "Lineitem fulfillment status", "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company",
        "Billing City", "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
        "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip", "Shipping Province",
        "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference",
        "Refunded Amount", "Vendor", "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level", "Source",
        "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name",
        "Tax 4 Value", "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name",
        "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
    ];

    public sealed record ShopifyOrder(string Name, string Email, string Status, string CreatedAt, double Total, double Refunded, string Phone, string BillingName, int LineItems);

    /// <summary>One row per line item; order-level fields (email, status, totals, refund) only on the first, as Shopify writes them.</summary>
    public static string ShopifyCsv(IEnumerable<ShopifyOrder> orders, string currency = "GBP")
    {
        var csv = new StringBuilder(string.Join(',', ShopifyHeader)).Append("\r\n");
        var id = 5_000_000_001L;
        foreach (var order in orders)
        {
            for (var item = 0; item < order.LineItems; item++)
            {
                var row = ShopifyHeader.ToDictionary(h => h, _ => "");
                row["Name"] = order.Name;
                row["Lineitem quantity"] = "1";
                row["Lineitem name"] = $"\"Mug, size {item + 1}\"";
                row["Lineitem price"] = Money(order.Total / order.LineItems);
                row["Lineitem sku"] = $"MUG-{item + 1}";
                row["Lineitem requires shipping"] = "true";
                row["Lineitem taxable"] = "true";
                row["Lineitem fulfillment status"] = "fulfilled";
                if (item == 0)
                {
                    row["Email"] = order.Email;
                    row["Financial Status"] = order.Status;
                    row["Paid at"] = order.Status is "paid" or "partially_refunded" or "refunded" ? order.CreatedAt : "";
                    row["Fulfillment Status"] = "fulfilled";
                    row["Accepts Marketing"] = "no";
                    row["Currency"] = currency;
                    row["Subtotal"] = Money(order.Total - 4.99);
                    row["Shipping"] = "4.99";
                    row["Taxes"] = Money(order.Total / 6);
                    row["Total"] = Money(order.Total);
                    row["Discount Amount"] = "0.00";
                    row["Shipping Method"] = "Standard";
                    row["Created at"] = order.CreatedAt;
                    row["Billing Name"] = order.BillingName;
                    row["Billing Country"] = "GB";
                    row["Payment Method"] = "Shopify Payments";
                    row["Refunded Amount"] = Money(order.Refunded);
                    row["Outstanding Balance"] = "0.00";
                    row["Id"] = (id++).ToString(CultureInfo.InvariantCulture);
                    row["Risk Level"] = "Low";
                    row["Source"] = "web";
                    row["Phone"] = order.Phone;
                }

                csv.Append(string.Join(',', ShopifyHeader.Select(h => row[h]))).Append("\r\n");
            }
        }

        return csv.ToString();
    }
}

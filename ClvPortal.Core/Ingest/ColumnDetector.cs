namespace ClvPortal.Core.Ingest;

/// <summary>A record from the detection sample, with where it came from (for "on line 14" in reasons).</summary>
internal sealed record SampleRecord(long Line, string[] Fields);

/// <summary>Column positions the row mapper reads through; -1 where the file has no such column.</summary>
internal sealed record ColumnIndexes(int CustomerId, int Date, int Amount, int Quantity, int UnitPrice, int InvoiceId, int Country, int Product, int Email = -1, int Name = -1);

/// <summary>How the date column is written, decided from the sample.</summary>
internal sealed record DateLayout(bool DayFirst, bool Serial, DateOrder Order, string Reason);

/// <summary>
/// Finds which column holds what: header names first (case, spaces and underscores ignored; the layouts
/// of UCI Online Retail I/II, shop order exports and CDNOW are all in the synonym lists), confirmed
/// against content (a "date" column whose values are not dates is passed over), with the user's
/// overrides winning. Also decides decimal comma and the date order from the sample.
/// </summary>
internal static class ColumnDetector
{
    // Synonyms in priority order, normalised (lower case, letters and digits only).
    private static readonly string[] CustomerNames =
    [
        "customerid", "customer", "customerno", "customernumber", "custid", "clientid", "client", "clientno", "userid", "user",
        "memberid", "accountid", "account", "buyerid", "buyer", "shopperid", "email", "customeremail", "emailaddress",
        "contactemail", "billingemail", "customername",
    ];

    private static readonly string[] DateNames =
    [
        "invoicedate", "orderdate", "transactiondate", "purchasedate", "saledate", "date", "createdat", "created", "datetime",
        "timestamp", "orderdatetime", "paidat", "processedat", "orderedat", "time", "day",
    ];

    private static readonly string[] AmountNames =
    [
        "amount", "total", "totalamount", "ordertotal", "grandtotal", "revenue", "sales", "salesamount", "value", "totalprice",
        "linetotal", "netsales", "totalsales", "sale", "amountpaid", "payment", "spend", "totalspent", "subtotal",
        "dollarvalue", "dollars", "dollaramount", "ordervalue", "orderamount", "transactionamount", "transactionvalue", "purchaseamount",
        "purchasevalue", "saleamount", "salesvalue", "netamount", "nettotal", "grossamount", "totalvalue", "totalrevenue", "netrevenue",
        "paidamount", "totalpaid", "amountspent", "monetaryvalue",
    ];

    private static readonly string[] QuantityNames = ["quantity", "qty", "units", "lineitemquantity", "quantityordered", "count", "items"];

    private static readonly string[] UnitPriceNames = ["unitprice", "price", "lineitemprice", "itemprice", "priceeach", "priceperunit", "unitcost"];

    private static readonly string[] InvoiceNames =
    [
        "invoiceno", "invoice", "invoicenumber", "invoiceid", "orderid", "ordernumber", "orderno", "order", "name",
        "transactionid", "receiptid", "receipt", "txnid", "salesorder",
    ];

    private static readonly string[] CountryNames = ["country", "billingcountry", "shippingcountry", "countrycode"];

    private static readonly string[] ProductNames =
    [
        "stockcode", "sku", "productid", "product", "productcode", "itemcode", "lineitemsku", "lineitemname", "description", "productname", "item",
    ];

    // Contact details for exports to email and ads tools. "name" alone is not one: Shopify's "Name" is the order number.
    private static readonly string[] EmailNames = ["email", "customeremail", "emailaddress", "contactemail", "billingemail", "buyeremail", "useremail", "mail"];

    private static readonly string[] PersonNames = ["customername", "billingname", "fullname", "contactname", "buyername", "clientname", "shippingname"];

    public static string Normalize(string header)
    {
        Span<char> buffer = stackalloc char[Math.Min(header.Length, 256)];
        var length = 0;
        foreach (var c in header.AsSpan(0, Math.Min(header.Length, 256)))
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    /// <summary>Whether a first row is a header: no field in it reads as a number or a date.</summary>
    public static bool LooksLikeHeader(string[] firstRow) =>
        firstRow.Any(f => !string.IsNullOrWhiteSpace(f)) &&
        firstRow.All(f => string.IsNullOrWhiteSpace(f) || !IsNumber(f, false) && !IsDate(f));

    public static bool DetectDecimalComma(IReadOnlyList<SampleRecord> sample)
    {
        var comma = 0;
        var dot = 0;
        foreach (var record in sample)
        {
            foreach (var field in record.Fields)
            {
                if (NumberParser.LooksDecimalComma(field))
                {
                    comma++;
                }
                else if (LooksDotDecimal(field))
                {
                    dot++;
                }
            }
        }

        return comma > 0 && comma >= dot * 4;
    }

    /// <param name="detect">False: read only the columns in <paramref name="overrides"/> (a mapping the user checked).</param>
    /// <param name="requireComplete">False: leave a missing customer id, date or amount unmapped (-1) instead of refusing the file (the preview).</param>
    public static (ColumnMapping Mapping, ColumnIndexes Indexes) Map(
        IReadOnlyList<string> columns, IReadOnlyList<SampleRecord> sample, ColumnMapping overrides, bool decimalComma, bool detect = true, bool requireComplete = true)
    {
        var normalized = columns.Select(Normalize).ToArray();
        var taken = new HashSet<int>();

        // The column a user named for a field; a name the file does not have is refused, naming the file's columns.
        int Named(string setting, string overrideName)
        {
            var wanted = Normalize(overrideName);
            var index = Array.FindIndex(normalized, n => n == wanted);
            return index >= 0 ? index : throw new InputProblemException(IngestProblems.UnknownColumn(setting, overrideName, columns));
        }

        int Pick(string setting, string? overrideName, string[] synonyms, Func<int, bool> contentFits, bool contentSearch = false, Func<int, bool>? searchFits = null)
        {
            if (overrideName is not null)
            {
                var index = Named(setting, overrideName);
                taken.Add(index);
                return index;
            }

            if (!detect)
            {
                return -1;
            }

            foreach (var synonym in synonyms)
            {
                for (var i = 0; i < normalized.Length; i++)
                {
                    if (normalized[i] == synonym && !taken.Contains(i) && contentFits(i))
                    {
                        taken.Add(i);
                        return i;
                    }
                }
            }

            if (contentSearch)
            {
                for (var i = 0; i < normalized.Length; i++)
                {
                    if (!taken.Contains(i) && (searchFits ?? contentFits)(i))
                    {
                        taken.Add(i);
                        return i;
                    }
                }
            }

            // A column named for the field whose values do not fit is still that field: its rows get
            // flagged (unparseable date, missing amount) and counted by Cleaning instead of the file
            // being refused for a problem the report can show row by row.
            foreach (var synonym in synonyms)
            {
                var index = Array.FindIndex(normalized, n => n == synonym);
                if (index >= 0 && taken.Add(index))
                {
                    return index;
                }
            }

            return -1;
        }

        bool Numeric(int column) => Share(sample, column, v => IsNumber(v, decimalComma)) >= 0.5;
        // By name, half the values parsing as dates confirms it; by content alone, most values must be
        // dates written as dates, not bare numbers (an 8-digit id would otherwise pass as yyyymmdd).
        bool Dates(int column) => Share(sample, column, IsDate) >= 0.5;
        bool TextDates(int column) => Share(sample, column, v => IsDate(v) && !IsNumber(v, false)) >= 0.8;
        bool Any(int column) => true;

        // Date first: its content check is the strongest, and it keeps a "Created at" away from other fields.
        var date = Pick("date", overrides.Date, DateNames, Dates, contentSearch: true, searchFits: TextDates);

        var customer = Pick("customer id", overrides.CustomerId, CustomerNames, column => Share(sample, column, v => v.Length > 0) > 0);
        var amount = Pick("amount", overrides.Amount, AmountNames, Numeric);
        var quantity = Pick("quantity", overrides.Quantity, QuantityNames, Numeric);
        var unitPrice = Pick("unit price", overrides.UnitPrice, UnitPriceNames, Numeric);
        var invoice = Pick("invoice", overrides.InvoiceId, InvoiceNames, Any);
        var country = Pick("country", overrides.Country, CountryNames, Any);
        var product = Pick("product", overrides.Product, ProductNames, Any);

        // Contact details may share the customer id's column (an email used as the id), so they ignore what is taken.
        var email = Contact(overrides.Email, "email", EmailNames, column => Share(sample, column, v => v.Contains('@', StringComparison.Ordinal)) >= 0.5);
        var name = Contact(overrides.Name, "name", PersonNames, column => Share(sample, column, v => !IsNumber(v, decimalComma)) >= 0.5);

        int Contact(string? overrideName, string setting, string[] synonyms, Func<int, bool> contentFits)
        {
            if (overrideName is not null)
            {
                return Named(setting, overrideName);
            }

            foreach (var synonym in synonyms)
            {
                var index = Array.FindIndex(normalized, n => n == synonym);
                if (index >= 0 && contentFits(index))
                {
                    return index;
                }
            }

            return -1;
        }

        if (requireComplete && customer < 0)
        {
            throw new InputProblemException(IngestProblems.MissingColumn(
                "customer id", columns,
                "Include a column that identifies the customer (for example \"CustomerID\", \"Customer ID\" or \"Email\"), or choose which column holds it in the column settings."));
        }

        if (requireComplete && date < 0)
        {
            throw new InputProblemException(IngestProblems.MissingColumn(
                "purchase date", columns,
                "Include a column with the date of each purchase (for example \"InvoiceDate\", \"Order Date\" or \"Created at\"), or choose which column holds it in the column settings."));
        }

        if (requireComplete && amount < 0 && (quantity < 0 || unitPrice < 0))
        {
            throw new InputProblemException(IngestProblems.MissingColumn(
                "amount (or quantity and unit price)", columns,
                "Include a column with the value of each purchase (for example \"Amount\" or \"Total\"), or both \"Quantity\" and \"UnitPrice\", or choose them in the column settings."));
        }

        string? Name(int index) => index < 0 ? null : columns[index];
        var mapping = new ColumnMapping
        {
            CustomerId = Name(customer),
            Date = Name(date),
            Amount = Name(amount),
            Quantity = Name(quantity),
            UnitPrice = Name(unitPrice),
            InvoiceId = Name(invoice),
            Country = Name(country),
            Product = Name(product),
            Email = Name(email),
            Name = Name(name),
        };
        return (mapping, new ColumnIndexes(customer, date, amount, quantity, unitPrice, invoice, country, product, email, name));
    }

    /// <summary>
    /// Day/month order from the sample: a first part above 12 can only be a day, a second part above 12
    /// only a day too. No evidence either way falls back to month first (the US default of most exports),
    /// and the reason says so and names the setting that changes it.
    /// </summary>
    public static DateLayout DetectDateLayout(IReadOnlyList<SampleRecord> sample, int column, DateOrder requested)
    {
        var values = sample.Where(r => column < r.Fields.Length && r.Fields[column].Length > 0).ToList();
        var serial = values.Count > 0 && values.Count(r => IsNumber(r.Fields[column], false) && !DateParser.TrySplit(r.Fields[column].Trim(), out _, out _)) * 2 > values.Count;

        SampleRecord? dayEvidence = null, monthEvidence = null;
        int dayCount = 0, monthCount = 0, ambiguous = 0;
        string? ambiguousExample = null;
        foreach (var record in values)
        {
            if (!DateParser.TrySplit(record.Fields[column].Trim(), out var parts, out _) || parts.Compact || parts.FirstDigits == 4)
            {
                continue;
            }

            if (parts.First > 12 && parts.Second <= 12)
            {
                dayCount++;
                dayEvidence ??= record;
            }
            else if (parts.Second > 12 && parts.First <= 12)
            {
                monthCount++;
                monthEvidence ??= record;
            }
            else
            {
                ambiguous++;
                ambiguousExample ??= record.Fields[column];
            }
        }

        if (requested != DateOrder.Auto)
        {
            var words = requested == DateOrder.DayFirst ? "day/month/year" : "month/day/year";
            return new DateLayout(requested == DateOrder.DayFirst, serial, requested, $"Dates are read as {words} because the date order setting says so.");
        }

        string Quote(SampleRecord r) => $"\"{r.Fields[column]}\" on line {r.Line:N0}";
        if (dayCount > 0 && monthCount == 0)
        {
            return new DateLayout(true, serial, DateOrder.DayFirst, $"Dates are read as day/month/year: {Quote(dayEvidence!)} has a first part above 12, which can only be a day.");
        }

        if (monthCount > 0 && dayCount == 0)
        {
            return new DateLayout(false, serial, DateOrder.MonthFirst, $"Dates are read as month/day/year: {Quote(monthEvidence!)} has a middle part above 12, which can only be a day.");
        }

        if (dayCount > 0)
        {
            var dayFirst = dayCount >= monthCount;
            return new DateLayout(dayFirst, serial, dayFirst ? DateOrder.DayFirst : DateOrder.MonthFirst,
                $"The dates mix both orders ({Quote(dayEvidence!)} is day first, {Quote(monthEvidence!)} is month first); " +
                $"{(dayFirst ? "day/month/year" : "month/day/year")} was chosen because more dates fit it, and the others will be counted as unparseable. Check the date order setting.");
        }

        if (ambiguous > 0)
        {
            return new DateLayout(false, serial, DateOrder.MonthFirst,
                $"No date in the first {sample[^1].Line:N0} lines has a part above 12 (for example \"{ambiguousExample}\"), so day and month cannot be told apart; month/day/year was assumed. " +
                "If your dates are day/month/year, set the date order to day first.");
        }

        return new DateLayout(false, serial, DateOrder.Auto, serial
            ? "Dates are stored as Excel serial numbers, so there is no day/month ambiguity."
            : "Dates are written year first (ISO 8601 or yyyymmdd), so there is no day/month ambiguity.");
    }

    private static double Share(IReadOnlyList<SampleRecord> sample, int column, Func<string, bool> test)
    {
        int present = 0, passing = 0;
        foreach (var record in sample)
        {
            if (column >= record.Fields.Length || string.IsNullOrWhiteSpace(record.Fields[column]))
            {
                continue;
            }

            present++;
            if (test(record.Fields[column]))
            {
                passing++;
            }
        }

        return present == 0 ? 0 : (double)passing / present;
    }

    private static bool IsNumber(string value, bool decimalComma) => NumberParser.TryParse(value.AsSpan(), decimalComma, out _);

    private static bool IsDate(string value) =>
        DateParser.TryParse(value, dayFirst: false, allowSerial: false, date1904: false, out _) ||
        DateParser.TryParse(value, dayFirst: true, allowSerial: false, date1904: false, out _);

    private static bool LooksDotDecimal(string value)
    {
        var text = value.AsSpan().Trim();
        var dot = text.IndexOf('.');
        return dot > 0 && dot == text.LastIndexOf('.') && text.Length - dot - 1 != 3 && text.IndexOf(',') < 0 &&
            double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
    }
}

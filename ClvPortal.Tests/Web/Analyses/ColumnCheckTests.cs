using System.Globalization;
using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>
/// The check-columns step between upload and analysis: what it shows, that the columns the user chooses are the
/// ones analysed, the refusals before any job runs, and that nobody else can see or start someone's upload.
/// Also the one-click sample data.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class ColumnCheckTests
{
    private static readonly Dictionary<string, string> WithCheck = new() { [UploadForm.CheckField] = "true" };

    /// <summary>
    /// An order export whose "Customer" column holds the buyer's name, shared by several people, beside a unique
    /// "Email": detection takes "Customer" (its name comes first), the user means the email.
    /// </summary>
    private static byte[] OrdersWithNamesAndEmails(int customers)
    {
        string[] names = ["Sam Taylor", "Alex Smith", "Jo Brown", "Chris Jones", "Pat Wilson"];
        var text = new StringBuilder("Order,Customer,Email,Order Date,Total,Country\n");
        var start = new DateOnly(2023, 1, 2);
        for (var c = 0; c < customers; c++)
        {
            for (var o = 0; o < 3; o++)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"#{1000 + (c * 3) + o},{names[c % names.Length]},buyer{c}@example.com,{start.AddDays((c * 7) + (o * 150)):yyyy-MM-dd},{20 + c + (o * 5)}.50,United Kingdom\n");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static Dictionary<string, string> Mapping(string customer = "Email", string date = "Order Date", string amount = "Total", string country = "", string invoice = "Order") => new()
    {
        ["Input.CustomerId"] = customer,
        ["Input.Date"] = date,
        ["Input.Amount"] = amount,
        ["Input.Quantity"] = "",
        ["Input.UnitPrice"] = "",
        ["Input.InvoiceId"] = invoice,
        ["Input.Country"] = country,
        ["Input.Product"] = "",
        ["Input.DateOrder"] = "Auto",
    };

    private static async Task<Guid> UploadForCheckAsync(HttpClient client, string fileName, byte[] content)
    {
        using var response = await AnalysesTestKit.UploadAsync(client, fileName, content, WithCheck);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Upload returned {(int)response.StatusCode}: {body}");
        var accepted = System.Text.Json.JsonSerializer.Deserialize<UploadAccepted>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(AnalysisLinks.Check(accepted.Id), accepted.CheckUrl);
        return accepted.Id;
    }

    private static Task<HttpResponseMessage> StartAsync(HttpClient client, Guid id, Dictionary<string, string> fields) =>
        PortalWebFactory.PostFormAsync(client, AnalysisLinks.New, fields, AnalysisLinks.Check(id));

    private static string? Selected(IHtmlDocument page, string field) =>
        (page.QuerySelector($"select[name='Input.{field}']") as IHtmlSelectElement)?.SelectedOptions.FirstOrDefault()?.Value;

    private static PortalWebFactory WebOnly()
    {
        // No worker: nothing may start by itself, and a queued upload stays queued for the assertions.
        var factory = new PortalWebFactory();
        factory.Settings["Portal:Roles"] = "web";
        return factory;
    }

    [Fact]
    public async Task Upload_WithCheck_StoresTheFileAndQueuesNoJob()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("wait"));

        var id = await UploadForCheckAsync(client, "orders.csv", OrdersWithNamesAndEmails(10));

        var upload = await new PortalDb(factory.Database).Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal(UploadStatus.AwaitingCheck, upload.Status);
        Assert.Null(upload.JobId);
        using var status = await client.GetAsync(AnalysisLinks.Status(id));
        Assert.Equal(AnalysisLinks.Check(id), status.Headers.Location!.ToString());
        var list = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Index);
        Assert.Equal("Check columns", list.QuerySelector($"tr[data-upload-id='{id}'] .badge")!.TextContent);
    }

    [Fact]
    public async Task Upload_FormPostedWithoutScript_RedirectsToTheCheckPage()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("noscript"));
        var token = PortalWebFactory.AntiforgeryToken(await PortalWebFactory.GetPageAsync(client, AnalysisLinks.New));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("true"), UploadForm.CheckField },
            { new ByteArrayContent(OrdersWithNamesAndEmails(5)), UploadForm.FileField, "orders.csv" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, UploadEndpoint.Route) { Content = form };
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = Assert.Single(await new PortalDb(factory.Database).Uploads.Find(FilterDefinition<UploadDocument>.Empty).ToListAsync()).Id;
        Assert.Equal(AnalysisLinks.Check(id), response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task CheckPage_TypicalExport_ShowsTheDetectedColumnsAndTheFirstFiveRows()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("preview"));
        var id = await UploadForCheckAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(30));

        var page = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Check(id));

        Assert.Equal("customer_id", Selected(page, "CustomerId"));
        Assert.Equal("order_date", Selected(page, "Date"));
        Assert.Equal("amount", Selected(page, "Amount"));
        Assert.Equal("", Selected(page, "Country"));
        Assert.Equal(["customer_id", "order_date", "amount"], page.QuerySelectorAll("#preview-table th[data-column]").Select(th => th.GetAttribute("data-column")));
        var firstLines = Encoding.UTF8.GetString(AnalysesTestKit.GeneratedCsv(30)).Split('\n').Skip(1).Take(5).ToList();
        var rows = page.QuerySelectorAll("#preview-table tbody tr")
            .Select(tr => string.Join(",", tr.QuerySelectorAll("td.preview-cell").Select(td => td.TextContent)))
            .ToList();
        Assert.Equal(firstLines, rows);
        Assert.Null(page.QuerySelector("#check-problem"));
        // Every field offers every column of the file.
        Assert.Equal(["", "customer_id", "order_date", "amount"], page.QuerySelectorAll("select[name='Input.Product'] option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public async Task CheckPage_NoCustomerColumnFound_SaysWhichFieldToChoose()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("kunde"));
        var id = await UploadForCheckAsync(client, "bestellungen.csv", "Kunde,Datum,Betrag\nK1,2025-01-05,12.50\nK2,2025-01-06,8.00\n"u8.ToArray());

        var page = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Check(id));

        Assert.Equal("", Selected(page, "CustomerId"));
        Assert.Contains("No column is chosen for the customer id.", page.QuerySelector("#check-problem")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Email", "Order Date", "Email", "The column \"Email\" is chosen for both the customer id and the amount.")]
    [InlineData("", "Order Date", "Total", "No column is chosen for the customer id.")]
    [InlineData("Email", "", "Total", "No column is chosen for the purchase date.")]
    [InlineData("Email", "Customer", "Total", "The column \"Customer\" chosen as the purchase date does not hold dates: \"Sam Taylor\" on line 2 is not a date")]
    public async Task Start_WrongChoice_ShowsTheProblemAndStartsNothing(string customer, string date, string amount, string message)
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("wrong"));
        var id = await UploadForCheckAsync(client, "orders.csv", OrdersWithNamesAndEmails(10));

        using var response = await StartAsync(client, id, Mapping(customer, date, amount));

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {response.Headers.Location}");
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Contains(message, page.QuerySelector("#check-problem")!.TextContent, StringComparison.Ordinal);
        // The form keeps the user's choices, to be corrected.
        Assert.Equal(customer, Selected(page, "CustomerId"));
        var upload = await new PortalDb(factory.Database).Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal(UploadStatus.AwaitingCheck, upload.Status);
        Assert.Null(upload.JobId);
    }

    [Fact]
    public async Task Start_AnotherUsersUpload_Is404AndNothingStartsOrIsDeleted()
    {
        await using var factory = WebOnly();
        using var owner = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("owner"));
        using var other = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("other"));
        var id = await UploadForCheckAsync(owner, "private.csv", OrdersWithNamesAndEmails(10));

        using var preview = await other.GetAsync(AnalysisLinks.Check(id));
        using var start = await StartAsync(other, id, Mapping());
        using var sheet = await PortalWebFactory.PostFormAsync(other, AnalysisLinks.New, Mapping(), AnalysisLinks.Check(id) + "&handler=Sheet");
        using var discard = await PortalWebFactory.PostFormAsync(other, AnalysisLinks.New, new Dictionary<string, string>(), AnalysisLinks.Check(id) + "&handler=Discard");

        Assert.Equal(HttpStatusCode.NotFound, preview.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, sheet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, discard.StatusCode);
        Assert.DoesNotContain("private.csv", await preview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var upload = await new PortalDb(factory.Database).Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal(UploadStatus.AwaitingCheck, upload.Status);
        Assert.Null(upload.JobId);
        using var ownersPreview = await owner.GetAsync(AnalysisLinks.Check(id));
        Assert.Equal(HttpStatusCode.OK, ownersPreview.StatusCode);
    }

    [Fact]
    public async Task Discard_OwnUpload_RemovesItAndReturnsToTheUploadPage()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("discard"));
        var id = await UploadForCheckAsync(client, "wrong-file.csv", OrdersWithNamesAndEmails(5));

        using var response = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.Check(id), new Dictionary<string, string>(), AnalysisLinks.Check(id) + "&handler=Discard");

        Assert.Equal(AnalysisLinks.New, response.Headers.Location!.ToString());
        Assert.Equal(0, await new PortalDb(factory.Database).Uploads.CountDocumentsAsync(u => u.Id == id));
    }

    [Fact]
    public async Task CheckPage_WorkbookWithANoteSheetFirst_ShowsTheChosenSheetAndStartsWithIt()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("sheets"));
        var orders = new List<object?[]> { new object?[] { "Customer", "Order date", "Total" } };
        for (var c = 1; c <= 12; c++)
        {
            orders.Add(["K" + c, new DateTime(2024, 1, c), 10.0 * c]);
        }

        var workbook = Core.Ingest.XlsxTestFiles.Build([("Read me", [["This sheet explains the export"]]), ("Orders", orders.ToArray())]);
        var id = await UploadForCheckAsync(client, "shop.xlsx", workbook);

        var first = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Check(id));
        Assert.Equal(["", "Read me", "Orders"], first.QuerySelectorAll("select[name='Input.Sheet'] option").Select(o => o.GetAttribute("value")));
        using var shown = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.Check(id), new Dictionary<string, string> { ["Input.Sheet"] = "Orders" }, AnalysisLinks.Check(id) + "&handler=Sheet");
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await shown.Content.ReadAsStringAsync());
        Assert.Equal("Customer", Selected(page, "CustomerId"));
        Assert.Equal("Total", Selected(page, "Amount"));
        Assert.Equal("K1", page.QuerySelector("#preview-table tbody td.preview-cell")!.TextContent);

        using var start = await StartAsync(client, id, new Dictionary<string, string>(Mapping("Customer", "Order date", "Total", invoice: "")) { ["Input.Sheet"] = "Orders" });

        Assert.Equal(AnalysisLinks.Status(id), start.Headers.Location!.ToString());
        var upload = await new PortalDb(factory.Database).Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal(UploadStatus.Queued, upload.Status);
        Assert.NotNull(upload.JobId);
        Assert.Equal("Orders", upload.Settings.Sheet);
        Assert.Equal("Customer", upload.Settings.Columns.CustomerId);
    }

    [Fact]
    public async Task Start_CorrectedCustomerColumnAndCountryLeftOut_TheJobAnalysesThoseColumns()
    {
        await using var factory = new PortalWebFactory();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("correct"));
        var id = await UploadForCheckAsync(client, "orders.csv", OrdersWithNamesAndEmails(40));
        var detected = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Check(id));
        Assert.Equal("Customer", Selected(detected, "CustomerId"));
        Assert.Equal("Country", Selected(detected, "Country"));

        using var response = await StartAsync(client, id, Mapping(customer: "Email", country: ""));

        Assert.Equal(AnalysisLinks.Status(id), response.Headers.Location!.ToString());
        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error} {upload.ErrorWhatToDo}");
        // 40 email addresses, where the five names would have made five customers.
        Assert.Equal(40, upload.Customers);
        var analysis = await new PortalDb(factory.Database).AnalysisResults.Find(a => a.Id == id).FirstAsync();
        Assert.Equal("Email", analysis.File.Mapping.CustomerId);
        Assert.Null(analysis.File.Mapping.Country);
        Assert.True(upload.Settings.ColumnsConfirmed);
        Assert.Contains("buyer7@example.com", await new PortalDb(factory.Database).CustomerResults.Find(c => c.UploadId == id).Project(c => c.CustomerId).ToListAsync());
    }

    [Fact]
    public async Task Sample_OneClick_AnalysesTheGeneratedShopLabelledAsSampleData()
    {
        await using var factory = new PortalWebFactory();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("sample"));

        using var response = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.New, new Dictionary<string, string>(), AnalysisLinks.New + "?handler=Sample");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("/Analyses/Status?id=", location, StringComparison.Ordinal);
        var id = Guid.Parse(location["/Analyses/Status?id=".Length..]);
        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error} {upload.ErrorWhatToDo}");
        Assert.True(upload.IsSample);
        Assert.InRange(upload.Customers!.Value, 500, SampleData.Options.Customers!.Value);
        Assert.True(upload.HeadlineClvTotal > 0);

        var list = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Index);
        Assert.Equal("Sample data", list.QuerySelector($"tr[data-upload-id='{id}'] [data-sample]")?.TextContent);
        var results = await PortalWebFactory.GetPageAsync(client, $"/analyses/{id}/results");
        Assert.Contains("Sample data.", results.QuerySelector("#sample-notice")!.TextContent, StringComparison.Ordinal);

        // An own file's results carry no such notice.
        var ownId = await AnalysesTestKit.UploadOkAsync(client, "own.csv", AnalysesTestKit.GeneratedCsv(60));
        Assert.Equal(UploadStatus.Succeeded, (await AnalysesTestKit.WaitForFinishAsync(factory, ownId)).Status);
        Assert.Null((await PortalWebFactory.GetPageAsync(client, $"/analyses/{ownId}/results")).QuerySelector("#sample-notice"));
    }
}

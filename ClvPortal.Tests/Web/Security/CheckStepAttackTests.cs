using System.Net;
using System.Text;
using AngleSharp.Html.Parser;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Security;

/// <summary>
/// The check-columns step attacked: forged posts, an upload already started, choices that name what the file does
/// not hold, absurd sizes, and a file whose headers and cells are HTML, script or formulas.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class CheckStepAttackTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Image = "<img src=x onerror=alert(2)>";

    private static readonly byte[] Orders = Encoding.UTF8.GetBytes(
        "Customer,Order Date,Total\n" + string.Concat(Enumerable.Range(1, 12).Select(i => $"C{i},2024-01-{i:00},{i}.50\n")));

    private static Dictionary<string, string> Mapping(string customer = "Customer", string date = "Order Date", string amount = "Total") => new()
    {
        ["Input.CustomerId"] = customer,
        ["Input.Date"] = date,
        ["Input.Amount"] = amount,
        ["Input.DateOrder"] = "Auto",
    };

    private static PortalWebFactory WebOnly()
    {
        // No worker: a queued upload stays queued for the assertions.
        var factory = new PortalWebFactory();
        factory.Settings["Portal:Roles"] = "web";
        return factory;
    }

    private static async Task<Guid> UploadForCheckAsync(HttpClient client, string fileName, byte[] content)
    {
        using var response = await AnalysesTestKit.UploadAsync(client, fileName, content, new Dictionary<string, string> { [UploadForm.CheckField] = "true" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Upload returned {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<UploadAccepted>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!.Id;
    }

    private static async Task<UploadDocument> UploadOf(PortalWebFactory factory, Guid id) =>
        await new PortalDb(factory.Database).Uploads.Find(u => u.Id == id).FirstAsync();

    [Theory]
    [InlineData("")]
    [InlineData("&handler=Sheet")]
    [InlineData("&handler=Discard")]
    public async Task CheckPost_WithoutAntiforgeryToken_IsRefusedAndChangesNothing(string handler)
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("csrf"));
        var id = await UploadForCheckAsync(client, "orders.csv", Orders);

        using var content = new FormUrlEncodedContent(Mapping());
        using var response = await client.PostAsync(AnalysisLinks.Check(id) + handler, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var upload = await UploadOf(factory, id);
        Assert.Equal(UploadStatus.AwaitingCheck, upload.Status);
        Assert.Null(upload.JobId);
    }

    [Fact]
    public async Task CheckPage_EveryForm_CarriesAnAntiforgeryToken()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("tokens"));
        var id = await UploadForCheckAsync(client, "orders.csv", Orders);

        var page = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Check(id));

        var forms = page.QuerySelectorAll("form[method=post]").ToList();
        Assert.NotEmpty(forms);
        Assert.All(forms, f => Assert.NotNull(f.QuerySelector("input[name=__RequestVerificationToken]")));
    }

    [Fact]
    public async Task CheckPost_UploadAlreadyStarted_GoesToItsProgressAndChangesNothing()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("twice"));
        var id = await UploadForCheckAsync(client, "orders.csv", Orders);
        var token = PortalWebFactory.AntiforgeryToken(await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Check(id)));
        using (var first = await client.PostAsync(AnalysisLinks.Check(id), new FormUrlEncodedContent(Mapping().Append(new("__RequestVerificationToken", token)))))
        {
            Assert.Equal(AnalysisLinks.Status(id), first.Headers.Location!.ToString());
        }

        var started = await UploadOf(factory, id);

        // A second start with other columns, another sheet, or a stale tab's discard: none re-queues or rewrites it.
        foreach (var handler in new[] { "", "&handler=Sheet" })
        {
            using var content = new FormUrlEncodedContent(Mapping("Total", "Order Date", "Customer").Append(new("__RequestVerificationToken", token)));
            using var again = await client.PostAsync(AnalysisLinks.Check(id) + handler, content);
            Assert.Equal(AnalysisLinks.Status(id), again.Headers.Location!.ToString());
        }

        using var get = await client.GetAsync(AnalysisLinks.Check(id));
        Assert.Equal(AnalysisLinks.Status(id), get.Headers.Location!.ToString());
        var after = await UploadOf(factory, id);
        Assert.Equal(started.JobId, after.JobId);
        Assert.Equal("Customer", after.Settings.Columns.CustomerId);
        Assert.Equal(UploadStatus.Queued, after.Status);
    }

    [Fact]
    public async Task Start_ColumnNotInTheFile_SaysSoAndStartsNothing()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("ghost"));
        var id = await UploadForCheckAsync(client, "orders.csv", Orders);

        using var response = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.Check(id), Mapping(customer: "Ghost column"), AnalysisLinks.Check(id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("Ghost column", page.QuerySelector("#check-problem")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(UploadStatus.AwaitingCheck, (await UploadOf(factory, id)).Status);
    }

    [Fact]
    public async Task Start_SameColumnForTwoFieldsInOtherLetterCase_IsRefused()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("dup"));
        var id = await UploadForCheckAsync(client, "orders.csv", Orders);
        var fields = new Dictionary<string, string>(Mapping()) { ["Input.InvoiceId"] = "CUSTOMER" };

        using var response = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.Check(id), fields, AnalysisLinks.Check(id));

        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("is chosen for both the customer id and the invoice / order id", page.QuerySelector("#check-problem")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(UploadStatus.AwaitingCheck, (await UploadOf(factory, id)).Status);
    }

    [Theory]
    [InlineData("Input.CustomerId")]
    [InlineData("Input.Sheet")]
    public async Task Start_AbsurdlyLongChoice_IsRefusedInAShortMessageAndNotStored(string field)
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("huge"));
        var id = await UploadForCheckAsync(client, "orders.csv", Orders);
        var huge = new string('x', 200_000);
        var fields = new Dictionary<string, string>(Mapping()) { [field] = huge };

        using var response = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.Check(id), fields, AnalysisLinks.Check(id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var problem = new HtmlParser().ParseDocument(html).QuerySelector("#check-problem")!.TextContent;
        Assert.True(problem.Length < 1_000, $"The message is {problem.Length:N0} characters long.");
        Assert.DoesNotContain(huge, html, StringComparison.Ordinal);
        var upload = await UploadOf(factory, id);
        Assert.Equal(UploadStatus.AwaitingCheck, upload.Status);
        Assert.Null(upload.Settings.Sheet);
    }

    [Fact]
    public async Task CheckPage_HeadersAndCellsWithScriptAndFormulas_AreShownAsWrittenAndNeverRun()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("xss"));
        var csv = new StringBuilder($"Customer,Order Date,Total,\"{Script}\",\"{Image.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
        for (var i = 1; i <= 6; i++)
        {
            csv.Append($"C{i},2024-01-0{i},{i}.50,\"{Script}\",\"=HYPERLINK(\"\"http://evil.example\"\")\"\n");
        }

        var id = await UploadForCheckAsync(client, "orders.csv", Encoding.UTF8.GetBytes(csv.ToString()));

        using var response = await client.GetAsync(AnalysisLinks.Check(id));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        var page = new HtmlParser().ParseDocument(html);
        Assert.Empty(page.QuerySelectorAll("img[onerror], #preview-table script"));
        Assert.Contains(Script, page.QuerySelectorAll("#preview-table th[data-column]").Select(th => th.GetAttribute("data-column")));
        Assert.Contains(Image, page.QuerySelectorAll("select[name='Input.Product'] option").Select(o => o.TextContent));
        var cells = page.QuerySelectorAll("#preview-table tbody tr:first-child td.preview-cell").Select(td => td.TextContent).ToList();
        Assert.Equal(["C1", "2024-01-01", "1.50", Script, "=HYPERLINK(\"http://evil.example\")"], cells);

        // Chosen as a column, the script header is quoted in the problem as text too.
        using var start = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.Check(id), Mapping(amount: Script), AnalysisLinks.Check(id));
        var startHtml = await start.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Script, startHtml, StringComparison.Ordinal);
        Assert.Contains(Script, new HtmlParser().ParseDocument(startHtml).QuerySelector("#check-problem")!.TextContent, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Security.Cryptography;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>The streaming upload endpoint: what it stores, and that a refused upload leaves nothing behind.</summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class UploadEndpointTests : IClassFixture<PortalWebFactory>
{
    private readonly PortalWebFactory _factory;

    public UploadEndpointTests(PortalWebFactory factory)
    {
        _factory = factory;
        _factory.Settings["Portal:Uploads:MaxBytes"] = "600000";
    }

    private PortalDb Db => new(_factory.Database);

    [Fact]
    public async Task Upload_Csv_StoresTheFileWithItsSizeAndSha256()
    {
        using var client = await _factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("store"));
        var csv = AnalysesTestKit.GeneratedCsv(50);

        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", csv, new Dictionary<string, string> { ["HorizonMonths"] = "6", ["TimeUnit"] = "Weeks" });

        var upload = await Db.Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal("shop.csv", upload.FileName);
        Assert.Equal(csv.Length, upload.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(csv)), upload.Sha256);
        Assert.Equal(6, upload.Settings.HorizonMonths);
        Assert.False(string.IsNullOrEmpty(upload.JobId));
        Assert.Equal(csv, await Db.Files.DownloadAsBytesAsync(upload.GridFsFileId));
    }

    [Fact]
    public async Task Upload_FileNameOfTwoHundredFiftyCharacters_ShortenedButKeepsItsExtension()
    {
        using var client = await _factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("longname"));

        var id = await AnalysesTestKit.UploadOkAsync(client, new string('n', 246) + ".csv", AnalysesTestKit.GeneratedCsv(5));

        var upload = await Db.Uploads.Find(u => u.Id == id).FirstAsync();
        Assert.Equal(new string('n', 196) + ".csv", upload.FileName);
    }

    [Fact]
    public async Task Upload_OldExcelBytes_RefusedWithSaveAsMessageAndNothingStored()
    {
        using var client = await _factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("xls"));
        byte[] xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[4000]];

        using var response = await AnalysesTestKit.UploadAsync(client, "sales.xls", xls);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "save it as .xlsx");
    }

    [Fact]
    public async Task Upload_BinaryNamedCsv_RefusedAndNothingStored()
    {
        using var client = await _factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("bin"));
        var binary = new byte[20000];
        new Random(1).NextBytes(binary);
        binary[0] = 0x01;
        binary[1] = 0x00;

        using var response = await AnalysesTestKit.UploadAsync(client, "sales.csv", binary);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "binary data");
    }

    [Fact]
    public async Task Upload_BinaryAfterTheFirstBytes_RefusedAndThePartialFileRemoved()
    {
        using var client = await _factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("late"));
        // Text for the first 400 KB (past the sniffed head and past GridFS's first chunk), then zeros.
        var content = new byte[500_000];
        Array.Fill(content, (byte)'a', 0, 400_000);

        using var response = await AnalysesTestKit.UploadAsync(client, "sales.csv", content);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "binary data");
    }

    [Fact]
    public async Task Upload_LargerThanTheLimit_Refused413AndThePartialFileRemoved()
    {
        using var client = await _factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("big"));
        var csv = AnalysesTestKit.GeneratedCsv(20_000);
        Assert.True(csv.Length > 600_000);

        using var response = await AnalysesTestKit.UploadAsync(client, "big.csv", csv);

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e999")]
    public async Task Upload_NonFiniteDiscountRate_Refused400NamingTheSetting(string rate)
    {
        using var client = await _factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("nan"));

        using var response = await AnalysesTestKit.UploadAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(5),
            new Dictionary<string, string> { ["AnnualDiscountRatePercent"] = rate });

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "discount rate");
    }

    [Fact]
    public async Task Upload_WithoutAntiforgeryToken_RefusedAndNothingStored()
    {
        using var client = await _factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("csrf"));

        using var response = await AnalysesTestKit.UploadAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(5), withToken: false);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "expired");
    }

    [Fact]
    public async Task Upload_SignedOut_RedirectsToLoginAndStoresNothing()
    {
        using var client = _factory.CreatePortalClient();
        var before = await Db.Uploads.CountDocumentsAsync(FilterDefinition<UploadDocument>.Empty);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(AnalysesTestKit.GeneratedCsv(5)), UploadForm.FileField, "shop.csv" } };

        using var response = await client.PostAsync(UploadEndpoint.Route, form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Identity/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await Db.Uploads.CountDocumentsAsync(FilterDefinition<UploadDocument>.Empty));
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string messagePart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        var error = System.Text.Json.JsonSerializer.Deserialize<UploadError>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Contains(messagePart, error.Message + " " + error.WhatToDo, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.WhatToDo));

        // Nothing of a refused upload is stored: every GridFS file and chunk belongs to an accepted upload.
        var uploads = await Db.Uploads.CountDocumentsAsync(FilterDefinition<UploadDocument>.Empty);
        var files = await _factory.Database.GetCollection<BsonDocument>("uploadFiles.files").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty);
        var chunks = await _factory.Database.GetCollection<BsonDocument>("uploadFiles.chunks").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty);
        Assert.Equal(uploads, files);
        Assert.Equal(await CountChunksOfStoredFilesAsync(), chunks);
    }

    private async Task<long> CountChunksOfStoredFilesAsync()
    {
        var ids = await Db.Uploads.Find(FilterDefinition<UploadDocument>.Empty).Project(u => u.GridFsFileId).ToListAsync();
        return await _factory.Database.GetCollection<BsonDocument>("uploadFiles.chunks")
            .CountDocumentsAsync(Builders<BsonDocument>.Filter.In("files_id", ids));
    }
}

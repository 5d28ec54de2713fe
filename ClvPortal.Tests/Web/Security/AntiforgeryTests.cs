using System.Net;
using AngleSharp.Html.Dom;
using ClvPortal.Tests.Web.Results;
using ClvPortal.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Security;

/// <summary>
/// Every form that changes something carries an antiforgery token, and the same POST without the
/// token is refused and changes nothing: another site cannot make a signed-in user delete an
/// analysis, share it, sign out or change their account.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AntiforgeryTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    private static readonly string[] AnonymousPages =
    [
        "/Identity/Account/Login",
        "/Identity/Account/Register",
        "/Identity/Account/ForgotPassword",
        "/Identity/Account/ResendEmailConfirmation",
    ];

    [Fact]
    public async Task PostForms_EveryPage_CarryATokenAndArePostedInVainWithoutIt()
    {
        var (owner, ownerId) = await ResultsTestData.NewUserAsync(factory, "forms");
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 20);
        var shares = $"/analyses/{uploadId}/shares";
        using (var created = await PortalWebFactory.PostFormAsync(owner, shares, new Dictionary<string, string> { ["Input.ExpiryDays"] = "7" }, shares + "?handler=Create"))
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }

        string[] signedInPages =
        [
            "/",
            "/Analyses",
            "/Analyses/New",
            $"/analyses/{uploadId}/results",
            $"/analyses/{uploadId}/customers",
            shares,
            "/Identity/Account/Manage",
            "/Identity/Account/Manage/Email",
            "/Identity/Account/Manage/ChangePassword",
            "/Identity/Account/Manage/PersonalData",
            "/Identity/Account/Manage/DeletePersonalData",
        ];
        var forms = new List<string>();
        foreach (var path in signedInPages)
        {
            forms.AddRange(await CheckFormsAsync(owner, path));
        }

        using var anonymous = factory.CreatePortalClient();
        foreach (var path in AnonymousPages)
        {
            forms.AddRange(await CheckFormsAsync(anonymous, path));
        }

        // The forms that matter most were all found and refused: delete, share, revoke, upload, sign out, account changes.
        Assert.Contains(forms, f => f.Contains("handler=Delete", StringComparison.Ordinal));
        Assert.Contains(forms, f => f.Contains("handler=Create", StringComparison.Ordinal));
        Assert.Contains(forms, f => f.Contains("handler=Revoke", StringComparison.Ordinal));
        Assert.Contains(forms, f => f.Contains("/Analyses/Upload", StringComparison.Ordinal));
        Assert.Contains(forms, f => f.Contains("/Account/Logout", StringComparison.Ordinal));
        Assert.Contains(forms, f => f.Contains("/Manage/ChangePassword", StringComparison.Ordinal));
        Assert.Contains(forms, f => f.Contains("/Manage/DeletePersonalData", StringComparison.Ordinal));

        // Nothing changed: the analysis and its share link are there, and the user is still signed in.
        var db = factory.Services.GetRequiredService<PortalDb>();
        Assert.Equal(1, await db.Uploads.CountDocumentsAsync(u => u.Id == uploadId));
        Assert.Null((await db.ShareLinks.Find(s => s.UploadId == uploadId).SingleAsync()).RevokedAt);
        await PortalWebFactory.GetPageAsync(owner, "/Analyses");
    }

    /// <summary>Asserts every POST form of the page has a token and is refused without it; returns "page -> action" per form.</summary>
    private static async Task<List<string>> CheckFormsAsync(HttpClient client, string path)
    {
        var page = await PortalWebFactory.GetPageAsync(client, path);
        var checkedForms = new List<string>();
        foreach (var form in page.QuerySelectorAll("form").OfType<IHtmlFormElement>())
        {
            if (!form.Method.Equals("post", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var action = form.GetAttribute("action") is { Length: > 0 } given ? given : path;
            var described = $"{path} -> {action}";
            Assert.True(
                form.QuerySelector("input[name=__RequestVerificationToken]") is IHtmlInputElement { Value.Length: > 0 },
                $"The form {described} has no antiforgery token.");

            using var content = FieldsWithoutToken(form);
            using var response = await client.PostAsync(new Uri(new Uri("http://localhost" + path), action), content);
            Assert.True(
                response.StatusCode == HttpStatusCode.BadRequest,
                $"POST {described} without a token answered {(int)response.StatusCode}, expected 400.");
            checkedForms.Add(described);
        }

        return checkedForms;
    }

    /// <summary>The form's own fields (as a browser would send them), minus the antiforgery token.</summary>
    private static HttpContent FieldsWithoutToken(IHtmlFormElement form)
    {
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => i.Name is { Length: > 0 } name && name != "__RequestVerificationToken" && i.Type != "file")
            .Select(i => new KeyValuePair<string, string>(i.Name ?? "", i.Value ?? ""))
            .ToList();
        if (!string.Equals(form.Enctype, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return new FormUrlEncodedContent(fields);
        }

        var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            multipart.Add(new StringContent(value), name);
        }

        multipart.Add(new ByteArrayContent("customer_id,order_date,amount\nC1,2024-01-01,10\n"u8.ToArray()), "file", "orders.csv");
        return multipart;
    }
}

using ClvPortal.Web.Data;
using ClvPortal.Web.Email;
using ClvPortal.Web.Results;

namespace ClvPortal.Tests.Web.Security;

/// <summary>The file's own text in the email sent when an analysis ends (a header quoted in the reason, a stored currency) stays text.</summary>
[Trait("Category", "Unit")]
public sealed class AnalysisEmailTextTests
{
    private const string Script = "<script>alert(1)</script>";

    private static readonly NumberFormats Dollars = new("$");

    private static UploadDocument Upload(UploadStatus status) => new()
    {
        Id = Guid.NewGuid(),
        OwnerId = "u1",
        OwnerEmail = "owner@example.com",
        FileName = "orders.csv",
        Status = status,
        Customers = 10,
        HeadlineClvTotal = 1000,
        Currency = Script,
        Error = $"The column \"{Script}\" chosen as the amount does not hold numbers.",
        ErrorWhatToDo = $"Choose another column than \"<img src=x onerror=alert(2)>\".",
    };

    [Theory]
    [InlineData(UploadStatus.Succeeded)]
    [InlineData(UploadStatus.Failed)]
    public void Compose_ScriptInTheFilesText_IsEncodedInTheHtmlPart(UploadStatus status)
    {
        var email = AnalysisEmailJob.Compose(Upload(status), "https://clv.example.com/", Dollars)!;

        Assert.DoesNotContain("<script", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', email.Subject);
    }
}

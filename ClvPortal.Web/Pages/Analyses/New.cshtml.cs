using ClvPortal.Web.Analyses;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>
/// The upload page. The form posts to <see cref="UploadEndpoint"/> (a streaming endpoint, not this
/// page) through wwwroot/js/upload.js, which shows the upload progress.
/// </summary>
[Authorize]
public sealed class NewModel(IOptions<UploadOptions> options) : PageModel
{
    public long MaxBytes => options.Value.MaxBytes;

    public string MaxSize => Formats.Size(MaxBytes);

    public void OnGet()
    {
    }
}

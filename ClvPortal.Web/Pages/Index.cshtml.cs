using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ClvPortal.Web.Pages;

public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}

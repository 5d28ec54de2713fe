using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Results;

public static class ResultsSetup
{
    /// <summary>Results pages, customer table, exports and share links: options and number formatting.</summary>
    public static void AddPortalResults(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ResultsOptions>().BindConfiguration(ResultsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);

        // The status page and result emails link to /Analyses/Results?id=...: serve that form of the URL too.
        builder.Services.Configure<RazorPagesOptions>(o => o.Conventions.AddPageRoute("/Analyses/Results", "Analyses/Results"));
        builder.Services.AddSingleton(sp => new NumberFormats(sp.GetRequiredService<IOptions<ResultsOptions>>().Value.CurrencySymbol));
    }
}

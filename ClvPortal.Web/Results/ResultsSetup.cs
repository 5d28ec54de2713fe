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
        builder.Services.AddSingleton(sp => new NumberFormats(sp.GetRequiredService<IOptions<ResultsOptions>>().Value.CurrencySymbol));
    }
}

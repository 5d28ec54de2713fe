using System.Globalization;

namespace ClvPortal.Web.Analyses;

/// <summary>How the portal writes counts, times and file sizes for people; money is written by <c>Results.NumberFormats</c>.</summary>
public static class Formats
{
    /// <summary>One culture for every page and email, so the server's locale never changes what users read.</summary>
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("en-US");

    public static string Number(long value) => value.ToString("N0", Culture);

    /// <summary>"512 bytes", "12.3 KB", "1,024.0 MB": the unit a user expects for each size.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{Number(bytes)} bytes",
        < 1024 * 1024 => (bytes / 1024.0).ToString("N1", Culture) + " KB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("N1", Culture) + " MB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("N2", Culture) + " GB",
    };
}

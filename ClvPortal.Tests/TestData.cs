namespace ClvPortal.Tests;

/// <summary>Where the test data lives, without hard-coding a machine's paths.</summary>
public static class TestData
{
    /// <summary>
    /// The CDNOW master file: the CDNOW_MASTER environment variable if set, otherwise the first
    /// <c>shared/data/cdnow/CDNOW_master.txt</c> found walking up from the test binaries.
    /// </summary>
    public static string CdnowPath
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("CDNOW_MASTER");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "shared", "data", "cdnow", "CDNOW_master.txt");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("CDNOW data not found: set CDNOW_MASTER to the CDNOW_master.txt file.");
        }
    }
}

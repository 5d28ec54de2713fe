namespace ClvPortal.Core.Synthetic;

/// <summary>What synthetic file to write. Defaults give an Online-Retail-like file of 100k rows.</summary>
public sealed record GeneratorOptions
{
    /// <summary>Exact number of data rows written. Default 100,000.</summary>
    public long Rows { get; init; } = 100_000;

    /// <summary>
    /// Number of distinct customers. Default null: one per 120 rows (UCI Online Retail has 541,909
    /// rows for 4,372 customers), at least 10. Fix it to compare files of different sizes with the same customers.
    /// </summary>
    public int? Customers { get; init; }

    /// <summary>Same seed, same options: the same file, byte for byte. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>First day of the data. Default 2023-01-01.</summary>
    public DateOnly Start { get; init; } = new(2023, 1, 1);

    /// <summary>Length of the data in days. Default 730: two years, enough for a one-year calibration and holdout.</summary>
    public int Days { get; init; } = 730;

    internal int CustomerCount => Customers ?? (int)Math.Clamp(Rows / 120, 10, int.MaxValue);
}

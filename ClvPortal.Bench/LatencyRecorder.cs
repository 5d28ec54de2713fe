namespace ClvPortal.Bench;

/// <summary>
/// Every request's latency of one kind of traffic (no sampling), its errors and bytes moved, recorded
/// from many concurrent loops; <see cref="Summarize"/> gives exact percentiles over all of them.
/// </summary>
public sealed class LatencyRecorder
{
    /// <summary>Error descriptions kept for the report; the rest are only counted.</summary>
    public const int KeptErrors = 5;

    private readonly Lock _lock = new();
    private readonly List<double> _milliseconds = [];
    private readonly List<string> _firstErrors = [];
    private long _errors;
    private long _bytes;

    /// <summary>A request that succeeded, with the payload it moved (an upload's file size).</summary>
    public void Record(TimeSpan latency, long bytes = 0)
    {
        lock (_lock)
        {
            _milliseconds.Add(latency.TotalMilliseconds);
            _bytes += bytes;
        }
    }

    /// <summary>A request that failed: it counts as a request with its latency, and as an error.</summary>
    public void RecordError(TimeSpan latency, string description)
    {
        lock (_lock)
        {
            _milliseconds.Add(latency.TotalMilliseconds);
            _errors++;
            if (_firstErrors.Count < KeptErrors)
            {
                _firstErrors.Add(description);
            }
        }
    }

    /// <summary>One recorder holding everything the given ones recorded (the overall line of a report).</summary>
    public static LatencyRecorder Combine(IEnumerable<LatencyRecorder> recorders)
    {
        var combined = new LatencyRecorder();
        foreach (var recorder in recorders)
        {
            lock (recorder._lock)
            {
                combined._milliseconds.AddRange(recorder._milliseconds);
                combined._errors += recorder._errors;
                combined._bytes += recorder._bytes;
                combined._firstErrors.AddRange(recorder._firstErrors.Take(KeptErrors - combined._firstErrors.Count));
            }
        }

        return combined;
    }

    public LatencySummary Summarize()
    {
        lock (_lock)
        {
            double[] sorted = [.. _milliseconds];
            Array.Sort(sorted);
            return new LatencySummary(
                sorted.Length,
                _errors,
                _bytes,
                Percentile(sorted, 50),
                Percentile(sorted, 95),
                Percentile(sorted, 99),
                sorted.Length == 0 ? 0 : sorted[^1],
                [.. _firstErrors]);
        }
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest recorded value with at least <paramref name="percent"/>% of
    /// all values at or below it, so it is always a latency that really occurred (0 when nothing was recorded).
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Count == 0)
        {
            return 0;
        }

        // Multiply first: percent * count is exact for whole percents, so a rank on a boundary is not rounded up.
        var rank = (int)Math.Ceiling(percent * sorted.Count / 100);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}

/// <summary>What a <see cref="LatencyRecorder"/> holds, in milliseconds.</summary>
public sealed record LatencySummary(
    long Requests,
    long Errors,
    long Bytes,
    double P50,
    double P95,
    double P99,
    double Max,
    IReadOnlyList<string> FirstErrors);

using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ClvPortal.Core.Ingest;

namespace ClvPortal.Core.Pipeline;

/// <summary>
/// Reads rows on a second thread, in batches, while the caller cleans and tallies them: with two
/// cores the pipeline then takes about as long as reading alone, instead of reading plus the rest.
/// A few batches in flight bound the memory; failures of the reader (a damaged file on row 900,000)
/// surface on the caller's thread as they were thrown.
/// </summary>
internal static class ReadAhead
{
    private const int BatchSize = 4096;
    private const int BatchesInFlight = 4;

    public static IEnumerable<TransactionRow> Rows(IEnumerable<TransactionRow> rows, CancellationToken cancellationToken)
    {
        using var full = new BlockingCollection<(TransactionRow[] Rows, int Count)>(BatchesInFlight);
        var free = new ConcurrentBag<TransactionRow[]>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? failure = null;
        var reader = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    var batch = new TransactionRow[BatchSize];
                    var count = 0;
                    foreach (var row in rows)
                    {
                        batch[count++] = row;
                        if (count == BatchSize)
                        {
                            full.Add((batch, count), stop.Token);
                            batch = free.TryTake(out var reused) ? reused : new TransactionRow[BatchSize];
                            count = 0;
                        }
                    }

                    if (count > 0)
                    {
                        full.Add((batch, count), stop.Token);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The consumer stopped early (cancelled, or an exception of its own): nothing to report.
                }
                catch (Exception exception)
                {
                    failure = ExceptionDispatchInfo.Capture(exception);
                }
                finally
                {
                    full.CompleteAdding();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            foreach (var (batch, count) in full.GetConsumingEnumerable(cancellationToken))
            {
                for (var i = 0; i < count; i++)
                {
                    yield return batch[i];
                }

                free.Add(batch);
            }

            failure?.Throw();
        }
        finally
        {
            stop.Cancel();
            reader.Wait(CancellationToken.None);
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ClvPortal.Core.Ingest;

/// <summary>The row loop every format shares: records are mapped to rows on other threads, ahead of the caller.</summary>
public sealed partial class TransactionFile
{
    private IEnumerable<TransactionRow> Rows(CancellationToken cancellationToken)
    {
        foreach (var batch in Batches(products: true, cancellationToken))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                yield return batch.Span[i];
            }
        }
    }

    /// <summary>
    /// The rows in batches of up to a few thousand, each valid until the caller asks for the next one; handing out
    /// batches, not rows, spares the hot loop two enumerator calls and two copies of a row per row. Delimited text is
    /// mapped on the threads <see cref="IngestOptions.ReadThreads"/> allows, every core by default
    /// (<see cref="ParallelBatches"/>); workbooks, store exports whose rows depend on the row before, and a read
    /// given one thread, on one thread ahead of the caller (<see cref="ReadAheadBatches"/>).
    /// </summary>
    /// <param name="products">False when the caller never looks at <see cref="TransactionRow.Product"/>: one lookup less per row.</param>
    private IEnumerable<ReadOnlyMemory<TransactionRow>> Batches(bool products, CancellationToken cancellationToken)
    {
        var reader = _openReader();
        var mapper = CreateMapper(products);
        var batches = reader is CsvRecords records && _readThreads != 1 && !mapper.ReadsPreviousRecord
            ? ParallelBatches(records, products, cancellationToken)
            : ReadAheadBatches(reader, mapper, cancellationToken);
        foreach (var batch in batches)
        {
            yield return batch;
        }
    }

    private const int BatchSize = 4096;

    private RowMapper CreateMapper(bool products)
    {
        var mapper = _createMapper();
        if (!products)
        {
            mapper.LeaveOutProducts();
        }

        return mapper;
    }

    /// <summary>
    /// CsvHelper splits the text into records on one thread at a time, in order, and its workers map them to rows,
    /// each with a mapper of its own; the rows come back in file order. Cleaning, on the caller's
    /// thread, then sees exactly the rows, lines and order of a single-threaded read.
    /// </summary>
    private IEnumerable<ReadOnlyMemory<TransactionRow>> ParallelBatches(CsvRecords records, bool products, CancellationToken cancellationToken)
    {
        using (records)
        {
            if (_skipFirstRecord)
            {
                records.Read();
            }

            var blocks = new RowBlocks();
            var slots = records.MapInParallel<RowBlocks.Slot>(
                () =>
                {
                    RowBlocks.MapInto<RecordReader> map = CreateMapper(products).Map;
                    var writer = new RowBlocks.Writer(blocks);
                    return record => writer.Write(record, map);
                },
                blank: default,
                threads: _readThreads);
            foreach (var run in blocks.Runs(slots))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return run;
            }
        }
    }

    /// <summary>
    /// Parsing runs on its own thread, a few batches ahead of the caller, so on a 2-core machine the
    /// caller's cleaning and feature work overlaps the reading instead of waiting for it. Batches are
    /// recycled through a small pool: memory stays at a few batches whatever the file size.
    /// </summary>
    private IEnumerable<ReadOnlyMemory<TransactionRow>> ReadAheadBatches(RecordReader reader, RowMapper mapper, CancellationToken cancellationToken)
    {
        const int BatchesInFlight = 4;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var full = new BlockingCollection<(TransactionRow[] Rows, int Count)>(BatchesInFlight);
        using var free = new BlockingCollection<TransactionRow[]>(BatchesInFlight + 2);
        Exception? failure = null;
        var producer = Task.Run(() =>
        {
            try
            {
                using var _ = reader;
                if (_skipFirstRecord)
                {
                    reader.Read();
                }

                var batch = new TransactionRow[BatchSize];
                var count = 0;
                while (reader.Read())
                {
                    mapper.Map(reader, out batch[count++]);
                    if (count == BatchSize)
                    {
                        full.Add((batch, count), stop.Token);
                        batch = free.TryTake(out var recycled) ? recycled : new TransactionRow[BatchSize];
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
                // The caller stopped reading; nothing to report.
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                full.CompleteAdding();
            }
        }, CancellationToken.None);

        try
        {
            foreach (var (rows, count) in full.GetConsumingEnumerable(cancellationToken))
            {
                yield return rows.AsMemory(0, count);
                free.TryAdd(rows);
            }

            producer.Wait(CancellationToken.None);
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            // Stopped early (break, exception, cancellation): let the producer finish before the stream goes away.
            stop.Cancel();
            try
            {
                producer.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Its failure, if any, was already surfaced above or is moot now.
            }
        }
    }
}

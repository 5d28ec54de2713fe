using ClvPortal.Core.Ingest;

namespace ClvPortal.Tests.Core.Ingest;

/// <summary>
/// The parallel read's row storage: runs come out in slot order, records without a row are skipped, and a block is
/// handed to a worker again only once every slot of it has been read (never while rows in it are still to be read).
/// </summary>
[Trait("Category", "Unit")]
public sealed class RowBlocksTests
{
    private static readonly RowBlocks.MapInto<long> Numbered = (long line, out TransactionRow row) => row = new TransactionRow(line, null, $"C{line}", null, null, null, null, null, null, null, RowFlaws.None, 0);

    [Fact]
    public void Runs_TwoWritersInterleaved_RowsInSlotOrderAsRunsOfOneBlock()
    {
        var blocks = new RowBlocks();
        var first = new RowBlocks.Writer(blocks);
        var second = new RowBlocks.Writer(blocks);
        // Lines 1-3 by the first worker, 4-5 by the second, a row of empty cells, then 6-7 by the first again.
        RowBlocks.Slot[] slots =
        [
            first.Write(1L, Numbered), first.Write(2L, Numbered), first.Write(3L, Numbered),
            second.Write(4L, Numbered), second.Write(5L, Numbered),
            default,
            first.Write(6L, Numbered), first.Write(7L, Numbered),
        ];

        var runs = blocks.Runs(slots).Select(run => run.ToArray().Select(row => row.Line).ToArray()).ToList();

        Assert.Equal([[1L, 2L, 3L], [4L, 5L], [6L, 7L]], runs);
    }

    [Fact]
    public void Runs_BlockHalfRead_NotHandedOutAgainUntilEverySlotIsRead()
    {
        var blocks = new RowBlocks();
        var writer = new RowBlocks.Writer(blocks);
        var other = new RowBlocks.Writer(blocks);
        var slots = new List<RowBlocks.Slot>();
        for (var line = 1L; line <= RowBlocks.BlockSize; line++)
        {
            slots.Add(writer.Write(line, Numbered));

            // The other worker's row in the middle splits the full block into two runs.
            if (line == RowBlocks.BlockSize / 2)
            {
                slots.Add(other.Write(0L, Numbered));
            }
        }

        var full = slots[0].Block;
        using var runs = blocks.Runs(slots).GetEnumerator();
        Assert.True(runs.MoveNext());
        Assert.True(runs.MoveNext());

        // Half the full block read (and the other worker's row being read): a new worker must get a fresh block.
        Assert.NotSame(full, new RowBlocks.Writer(blocks).Write(1L, Numbered).Block);

        Assert.True(runs.MoveNext());
        Assert.Equal(RowBlocks.BlockSize / 2, runs.Current.Length);
        Assert.Equal(RowBlocks.BlockSize, runs.Current.Span[^1].Line);
        Assert.False(runs.MoveNext());

        // Every slot read: the block goes back to the pool and the next worker writes into it from its first slot.
        var reused = new RowBlocks.Writer(blocks).Write(99L, Numbered);
        Assert.Same(full, reused.Block);
        Assert.Equal(0, reused.Index);
    }
}

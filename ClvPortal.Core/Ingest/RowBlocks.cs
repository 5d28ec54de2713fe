using System.Collections.Concurrent;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// Where the workers of a parallel read put their rows: each worker maps records straight into a block of its own and
/// hands on only the block and the slot, so a row (some 180 bytes with references) is written once instead of being
/// copied through the enumeration and into a batch. The reader of the results takes runs of consecutive slots of a
/// block as its batches, in place, and returns a block once it has read every slot of it.
/// </summary>
internal sealed class RowBlocks
{
    /// <summary>Rows per block: a few of CsvHelper's parallel batches' worth, and long runs for the caller.</summary>
    public const int BlockSize = 2048;

    private readonly ConcurrentBag<Block> _free = [];

    /// <summary>One worker's place for its rows. A worker writes only its current block, which is never full.</summary>
    public sealed class Block
    {
        public readonly TransactionRow[] Rows = new TransactionRow[BlockSize];

        // Filled: written only by the worker filling the block, which stops at the last slot. Consumed: only by the
        // reader. A block taken from the pool is reset by the worker taking it, after the reader has put it there.
        internal int Filled;
        internal int Consumed;
    }

    /// <summary>A row in a block; no block for a record that gave no row (a row of empty cells).</summary>
    public readonly record struct Slot(Block? Block, int Index);

    /// <summary>A worker's writer: the next free slot, and a fresh block as soon as the current one is full.</summary>
    public sealed class Writer(RowBlocks blocks)
    {
        private Block _block = blocks.Take();

        /// <summary>Maps into the next slot with <paramref name="map"/> and returns where the row is.</summary>
        public Slot Write<TState>(TState state, MapInto<TState> map)
        {
            var block = _block;
            var index = block.Filled;
            map(state, out block.Rows[index]);
            block.Filled = index + 1;
            if (block.Filled == BlockSize)
            {
                // Swapped before the slot is handed on: once the reader has read it, the block may be reused.
                _block = blocks.Take();
            }

            return new Slot(block, index);
        }
    }

    public delegate void MapInto<TState>(TState state, out TransactionRow row);

    /// <summary>The rows of <paramref name="slots"/> in order, as runs of one block's consecutive slots, each valid until the next is asked for.</summary>
    public IEnumerable<ReadOnlyMemory<TransactionRow>> Runs(IEnumerable<Slot> slots)
    {
        Block? block = null;
        var start = 0;
        var end = 0;
        foreach (var slot in slots)
        {
            if (slot.Block is null)
            {
                continue;
            }

            if (slot.Block == block && slot.Index == end)
            {
                end++;
                continue;
            }

            if (block is not null)
            {
                yield return block.Rows.AsMemory(start, end - start);
                Release(block, end - start);
            }

            (block, start, end) = (slot.Block, slot.Index, slot.Index + 1);
        }

        if (block is not null)
        {
            yield return block.Rows.AsMemory(start, end - start);
            Release(block, end - start);
        }
    }

    private Block Take()
    {
        if (!_free.TryTake(out var block))
        {
            return new Block();
        }

        block.Filled = 0;
        block.Consumed = 0;
        return block;
    }

    private void Release(Block block, int rows)
    {
        block.Consumed += rows;
        if (block.Consumed == BlockSize)
        {
            _free.Add(block);
        }
    }
}

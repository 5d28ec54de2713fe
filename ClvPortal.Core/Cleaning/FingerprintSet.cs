using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace ClvPortal.Core.Cleaning;

/// <summary>
/// A set of 64-bit hashes with open addressing: 8 bytes per slot, kept between 3/8 and 3/4 full, so
/// 11 to 21 bytes per distinct value — about half of <see cref="HashSet{T}"/> of ulong (16-byte
/// entries plus a 4-byte bucket). Used for row fingerprints and invoice ids, where the count of
/// values is the one thing that must grow with the file.
/// </summary>
internal sealed class FingerprintSet
{
    private ulong[] _slots;
    private int _shift;
    private bool _hasZero;
    private int _count;

    /// <param name="expected">
    /// How many values are expected, when known (a file's rows estimated from its size): the table starts large
    /// enough for them, instead of growing a dozen times and placing every value again each time. Capped, so a
    /// wrong guess costs at most 64 MB before the first value.
    /// </param>
    public FingerprintSet(long expected = 0)
    {
        var bits = 10;
        while (bits < 23 && (1L << bits) / 4 * 3 < expected)
        {
            bits++;
        }

        _slots = new ulong[1 << bits];
        _shift = 64 - bits;
    }

    public int Count => _count + (_hasZero ? 1 : 0);

    /// <summary>Adds <paramref name="value"/>; false when it was already present.</summary>
    public bool Add(ulong value)
    {
        if (value == 0)
        {
            // Zero marks an empty slot, so it is tracked on the side.
            if (_hasZero)
            {
                return false;
            }

            _hasZero = true;
            return true;
        }

        if (_count >= _slots.Length / 4 * 3)
        {
            Grow();
        }

        return Insert(_slots, _shift, value);
    }

    /// <summary>
    /// Asks the processor to fetch the slot <paramref name="value"/> will probe, a few rows before it is added: the
    /// table outgrows the caches at a few hundred thousand rows, and each add would otherwise wait on memory.
    /// </summary>
    public unsafe void Prefetch(ulong value)
    {
        if (Sse.IsSupported)
        {
            fixed (ulong* slots = _slots)
            {
                Sse.Prefetch0(slots + (int)((value * 0x9E3779B97F4A7C15UL) >> _shift));
            }
        }
    }

    private bool Insert(ulong[] slots, int shift, ulong value)
    {
        var mask = slots.Length - 1;
        // Fibonacci hashing spreads hashes whose low bits are weak (sequential ids).
        var i = (int)((value * 0x9E3779B97F4A7C15UL) >> shift);
        while (true)
        {
            var slot = slots[i];
            if (slot == 0)
            {
                slots[i] = value;
                _count++;
                return true;
            }

            if (slot == value)
            {
                return false;
            }

            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        _shift--;
        _count = 0;
        foreach (var value in old)
        {
            if (value != 0)
            {
                Insert(_slots, _shift, value);
            }
        }
    }

    /// <summary>XxHash3 of the characters: a 64-bit hash (string.GetHashCode is 32-bit), the same in every process.</summary>
    public static ulong Hash(string text) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
}

using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// A 64-bit hash of a row's raw field text, built field by field, so Cleaning can find exact duplicate
/// rows by keeping one ulong per row instead of the rows. Eight bytes per step, thirty-two on long spans
/// (xxHash64's rounds, lanes and avalanche constants), keeps it off the profile; a field separator is mixed
/// in so "a,bc" and "ab,c" differ.
/// </summary>
internal struct RowFingerprint
{
    private const ulong Prime1 = 11400714785074694791UL;
    private const ulong Prime2 = 14029467366897019727UL;
    private const ulong Prime3 = 1609587929392839161UL;
    private const ulong Prime4 = 9650029242287828579UL;

    private ulong _hash;

    public static RowFingerprint Start() => new() { _hash = 0x27D4EB2F165667C5UL };

    public void Add(ReadOnlySpan<char> field) => Add(MemoryMarshal.AsBytes(field));

    public void Add(ReadOnlySpan<byte> field)
    {
        var bytes = field;
        var h = _hash;
        if (bytes.Length >= 32)
        {
            // Four independent lanes, as xxHash64 runs them: a whole CSV record is hashed at once, and one lane
            // would wait on its own multiply every eight bytes.
            var (v1, v2, v3, v4) = (h + Prime1 + Prime2, h + Prime2, h, h - Prime1);
            do
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
                v2 = Round(v2, BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
                bytes = bytes[32..];
            }
            while (bytes.Length >= 32);

            h = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
            h = Merge(Merge(Merge(Merge(h, v1), v2), v3), v4);
        }

        while (bytes.Length >= 8)
        {
            var k = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            h ^= BitOperations.RotateLeft(k * Prime2, 31) * Prime1;
            h = BitOperations.RotateLeft(h, 27) * Prime1 + Prime3;
            bytes = bytes[8..];
        }

        foreach (var b in bytes)
        {
            h ^= b * 0x100000001B3UL;
            h = BitOperations.RotateLeft(h, 11) * Prime1;
        }

        // Field separator, so field boundaries are part of the hash.
        h ^= (ulong)field.Length * Prime3;
        _hash = BitOperations.RotateLeft(h, 23) * Prime2;
    }

    private static ulong Round(ulong lane, ulong input) => BitOperations.RotateLeft(lane + input * Prime2, 31) * Prime1;

    private static ulong Merge(ulong hash, ulong lane) => (hash ^ Round(0, lane)) * Prime1 + Prime4;

    public readonly ulong Finish()
    {
        var h = _hash;
        h ^= h >> 33;
        h *= Prime2;
        h ^= h >> 29;
        h *= Prime3;
        h ^= h >> 32;
        return h;
    }
}

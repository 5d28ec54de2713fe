using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// A 64-bit hash of a row's raw field text, built field by field, so Cleaning can find exact duplicate
/// rows by keeping one ulong per row instead of the rows. Eight bytes per step (xxHash64's round and
/// avalanche constants) keeps it off the profile; a field separator is mixed in so "a,bc" and "ab,c" differ.
/// </summary>
internal struct RowFingerprint
{
    private const ulong Prime1 = 11400714785074694791UL;
    private const ulong Prime2 = 14029467366897019727UL;
    private const ulong Prime3 = 1609587929392839161UL;

    private ulong _hash;

    public static RowFingerprint Start() => new() { _hash = 0x27D4EB2F165667C5UL };

    public void Add(ReadOnlySpan<char> field) => Add(MemoryMarshal.AsBytes(field));

    public void Add(ReadOnlySpan<byte> field)
    {
        var bytes = field;
        var h = _hash;
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

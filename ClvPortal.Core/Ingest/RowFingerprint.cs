using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// A 64-bit hash of a row's raw field text (XxHash3), so Cleaning can find exact duplicate rows by keeping one ulong
/// per row instead of the rows. A CSV record is hashed whole, separators included; other sources field by field,
/// each followed by its length, so "a,bc" and "ab,c" differ there too.
/// </summary>
internal sealed class RowFingerprint
{
    private readonly XxHash3 _fields = new();

    public static ulong Of(ReadOnlySpan<byte> record) => XxHash3.HashToUInt64(record);

    /// <summary>The fingerprint of the current record of <paramref name="record"/>, by its fields.</summary>
    public ulong OfFields(RecordReader record)
    {
        _fields.Reset();
        Span<byte> length = stackalloc byte[sizeof(int)];
        for (var i = 0; i < record.FieldCount; i++)
        {
            var field = record.Field(i);
            _fields.Append(MemoryMarshal.AsBytes(field));
            BinaryPrimitives.WriteInt32LittleEndian(length, field.Length);
            _fields.Append(length);
        }

        return _fields.GetCurrentHashAsUInt64();
    }
}
